use std::io::Cursor;
use std::path::Path;

use moei_screening::{run_assess, run_indicators};
use serde_json::Value;

fn indicators(id: Option<&str>) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_indicators(id, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn assess_stdin(input: &str) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_assess(
        None,
        &mut Cursor::new(input.as_bytes().to_vec()),
        &mut out,
        &mut err,
    );
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn indicators_default_prints_the_adult_set() {
    let (code, out, err) = indicators(None);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 67);
    for r in &rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4);
        for k in ["id", "dimension", "strength", "text"] {
            assert!(keys.contains(&k), "{r}");
        }
        assert!(["D1", "D2", "D3", "D4", "D5", "D6"].contains(&r["dimension"].as_str().unwrap()));
        assert!(["strong", "medium", "weak"].contains(&r["strength"].as_str().unwrap()));
    }
    assert_eq!(rows[0]["id"], "D1.deceived_nature_of_job");
    assert_eq!(rows[0]["strength"], "strong");
    assert!(
        rows[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Before you left")
    );
}

#[test]
fn indicators_for_other_instruments() {
    let (code, out, _) = indicators(Some("ilo-child-labour"));
    assert_eq!(code, 0);
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(
        rows.iter()
            .all(|r| r["id"].as_str().unwrap().starts_with("CH."))
    );
    let (code, out, _) = indicators(Some("forced-criminality"));
    assert_eq!(code, 0);
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(rows.len() > 67, "base indicators then module questions");
    assert!(
        rows.iter()
            .any(|r| r["id"] == "FC.forced_to_defraud" && r["dimension"] == "D5")
    );
}

#[test]
fn indicators_unknown_instrument_lists_known_ids() {
    let (code, out, err) = indicators(Some("nope"));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("nope")
            && err.contains("ilo-adult-labour")
            && err.contains("forced-criminality"),
        "{err}"
    );
}

#[test]
fn assess_prints_dimensions_and_result() {
    let input = r#"{"instrument": "ilo-adult-labour", "answers": {
        "D1.deceived_nature_of_job": "yes", "D1.deceived_wages": "yes",
        "D4.excessive_working_hours": "yes", "D4.low_or_no_salary": "yes",
        "D5.confiscation_of_documents": "yes", "D5.violence_on_victim": "yes",
        "D6.family_situation": "declined"}}"#;
    let (code, out, err) = assess_stdin(input);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(top, vec!["dimensions", "result"]);
    assert_eq!(v["result"], "presumed_victim");
    let dims = v["dimensions"].as_object().unwrap();
    assert_eq!(dims.len(), 6);
    assert_eq!(v["dimensions"]["D1"]["positive"], true);
    assert_eq!(
        v["dimensions"]["D5"]["carried_by"],
        serde_json::json!(["D5.confiscation_of_documents", "D5.violence_on_victim"])
    );
    assert_eq!(
        v["dimensions"]["D2"],
        serde_json::json!({"positive": false, "carried_by": []})
    );
}

#[test]
fn assess_instrument_is_optional_and_unanswered_is_unknown() {
    let (code, out, _) = assess_stdin(r#"{"answers": {}}"#);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "further_interview");
}

#[test]
fn assess_accepts_rule_and_tier_overrides() {
    let (code, out, err) = assess_stdin(
        r#"{"answers": {"D4.excessive_working_hours": "yes", "D4.hazardous_work": "yes"},
            "overall_rule": "D4", "tier_overrides": {"D3.difficulties_in_the_past": "weak"}}"#,
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "presumed_victim");
}

#[test]
fn assess_bad_input_exits_2_naming_the_problem() {
    let cases = [
        (r#"{"answers": {"D1.nope": "yes"}}"#, "D1.nope"),
        (
            r#"{"answers": {"D1.deceived_wages": "maybe"}}"#,
            "D1.deceived_wages",
        ),
        (
            r#"{"answers": {"D1.deceived_wages": "maybe"}}"#,
            "\"maybe\"",
        ),
        (
            r#"{"answers": {"D1.deceived_wages": true}}"#,
            "D1.deceived_wages",
        ),
        (
            r#"{"answers": {"D1.deceived_wages": "yes", "D1.deceived_wages": "no"}}"#,
            "twice",
        ),
        (
            r#"{"instrument": "adult", "answers": {}}"#,
            "ilo-adult-labour",
        ),
        (r#"{"instrument": 3, "answers": {}}"#, "instrument"),
        (r#"{"answer": {}}"#, "answer"),
        (r#"{"instrument": "ilo-adult-labour"}"#, "answers"),
        (r#"{"answers": []}"#, "answers"),
        (r#"[1, 2]"#, "object"),
        (r#"{"answers": {"#, "EOF"),
        ("", "EOF"),
        (r#"{"answers": {}, "overall_rule": "D1 & D8"}"#, "D8"),
        (
            r#"{"answers": {}, "tier_overrides": {"D1.deceived_wages": "huge"}}"#,
            "huge",
        ),
        (
            r#"{"answers": {}, "tier_overrides": {"D1.zzz": "weak"}}"#,
            "D1.zzz",
        ),
    ];
    for (input, fragment) in cases {
        let (code, out, err) = assess_stdin(input);
        assert_eq!(code, 2, "{input}: {err}");
        assert!(out.is_empty(), "{input}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(
            err.contains(fragment),
            "{input}: expected {fragment} in {err}"
        );
    }
}

#[test]
fn assess_reads_a_file_and_reports_a_missing_one() {
    let dir = std::env::temp_dir().join(format!("moei-screening-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("answers.json");
    std::fs::write(&path, r#"{"answers": {"D1.deceived_wages": "no"}}"#).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_assess(
        Some(&path),
        &mut Cursor::new(Vec::new()),
        &mut out,
        &mut err,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["result"], "further_interview");

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let missing = Path::new("definitely-missing-answers.json");
    let code = run_assess(
        Some(missing),
        &mut Cursor::new(Vec::new()),
        &mut out,
        &mut err,
    );
    assert_eq!(code, 2);
    assert!(
        String::from_utf8(err)
            .unwrap()
            .contains("definitely-missing-answers.json")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn assess_write_failure_exits_1() {
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut err = Vec::new();
    let code = run_assess(
        None,
        &mut Cursor::new(b"{\"answers\":{}}".to_vec()),
        &mut Broken,
        &mut err,
    );
    assert_eq!(code, 1);
    assert!(String::from_utf8(err).unwrap().contains("disk full"));
}
