//! `run_cli`: JSON lines and exit statuses.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use moei_mrz::{JSON_KEYS, run_cli};
use serde_json::Value;

use super::{REFERENCE, S1, S3, S6, X1};

/// A file in a fresh directory of its own, removed on drop.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn new(contents: &[u8]) -> TempFile {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "moei-mrz-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("input.txt");
        std::fs::write(&path, contents).unwrap();
        TempFile { dir, path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(input: Option<&Path>, stdin: &[u8]) -> (i32, Vec<Value>, String) {
    let mut stdin = stdin;
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_cli(input, REFERENCE, &mut stdin, &mut out, &mut err);
    let out = String::from_utf8(out).unwrap();
    let lines = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (code, lines, String::from_utf8(err).unwrap())
}

fn assert_keys(v: &Value) {
    let obj = v.as_object().expect("object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = JSON_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    let checks = obj["checks"].as_object().expect("checks object");
    let mut check_keys: Vec<&str> = checks.keys().map(String::as_str).collect();
    check_keys.sort_unstable();
    assert_eq!(
        check_keys,
        [
            "birth_date",
            "composite",
            "document_number",
            "expiry_date",
            "optional_data"
        ]
    );
}

#[test]
fn valid_zones_from_stdin_exit_zero() {
    let input = format!("{X1}\n\n\n{S3}\n\n{S6}\n");
    let (code, lines, _) = run(None, input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    lines.iter().for_each(assert_keys);

    let x1 = &lines[0];
    assert_eq!(x1["format"], "TD3");
    assert_eq!(x1["document_code"], "P");
    assert_eq!(x1["issuing_state"], "MMR");
    assert_eq!(x1["primary_identifier"], "AUNG");
    assert_eq!(x1["secondary_identifiers"], "MIN THU");
    assert_eq!(x1["document_number"], "MB1234567");
    assert_eq!(x1["nationality"], "MMR");
    assert_eq!(x1["birth_date"], "1995-03-14");
    assert_eq!(x1["expiry_date"], "2030-01-01");
    assert_eq!(x1["sex"], "M");
    assert_eq!(x1["optional_data"], "");
    assert_eq!(x1["checks"]["optional_data"], true);
    assert_eq!(x1["checks"]["composite"], true);
    assert_eq!(x1["valid"], true);
    assert_eq!(x1["corrections"], Value::Array(vec![]));
    assert_eq!(x1["errors"], Value::Array(vec![]));

    assert_eq!(lines[1]["format"], "TD1");
    assert_eq!(lines[1]["checks"]["optional_data"], Value::Null);
    assert_eq!(lines[2]["format"], "TD2");
    assert_eq!(lines[2]["document_number"], "D23145890734");
    // S3 and S6 expired long ago: a warning, still valid.
    assert_eq!(lines[1]["warnings"][0]["code"], "expired");
}

#[test]
fn any_invalid_zone_exits_one_and_garbage_still_gets_a_line() {
    let bad = S1.replace("7408122F", "7408132F");
    let input = format!("{X1}\n\n{bad}\n\nthis is not a zone\n");
    let file = TempFile::new(input.as_bytes());
    let (code, lines, _) = run(Some(&file.path), b"");
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 3);
    lines.iter().for_each(assert_keys);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["valid"], false);
    assert_eq!(lines[1]["checks"]["birth_date"], false);
    assert_eq!(lines[1]["checks"]["composite"], false);
    assert_eq!(lines[1]["checks"]["document_number"], true);
    assert_eq!(lines[1]["errors"][0]["code"], "check_digit");
    assert_eq!(lines[1]["errors"][0]["line"], 2);
    assert_eq!(lines[1]["errors"][0]["column"], 20);
    let garbage = &lines[2];
    assert_eq!(garbage["valid"], false);
    assert_eq!(garbage["format"], Value::Null);
    assert_eq!(garbage["checks"]["composite"], Value::Null);
    assert_eq!(garbage["errors"][0]["code"], "shape");
}

#[test]
fn corrections_appear_in_the_output() {
    let damaged = X1.replacen("9503146", "95O3146", 1);
    let (code, lines, _) = run(None, damaged.as_bytes());
    assert_eq!(code, 1);
    let c = &lines[0]["corrections"][0];
    assert_eq!(c["mrz"], X1);
    assert_eq!(c["changes"][0]["line"], 2);
    assert_eq!(c["changes"][0]["column"], 16);
    assert_eq!(c["changes"][0]["from"], "O");
    assert_eq!(c["changes"][0]["to"], "0");
}

#[test]
fn unreadable_input_exits_two() {
    let missing = std::env::temp_dir().join("moei-mrz-test-does-not-exist/none.txt");
    let (code, lines, err) = run(Some(&missing), b"");
    assert_eq!(code, 2);
    assert!(lines.is_empty());
    assert!(err.contains("cannot read"), "{err}");

    let file = TempFile::new(b"P<UTO\xff\xfe\n");
    let (code, _, err) = run(Some(&file.path), b"");
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");

    let (code, _, _) = run(None, b"\xc3\x28");
    assert_eq!(code, 2);
}

#[test]
fn dash_reads_stdin_and_empty_input_is_not_an_error() {
    let (code, lines, _) = run(Some(Path::new("-")), X1.as_bytes());
    assert_eq!((code, lines.len()), (0, 1));
    let (code, lines, err) = run(None, b"\n\n  \n");
    assert_eq!((code, lines.len()), (0, 0));
    assert!(err.contains("no zone"));
}

#[test]
fn reference_date_drives_century_and_expiry() {
    let mut stdin = X1.as_bytes();
    let mut out = Vec::new();
    let code = run_cli(
        None,
        jiff::civil::date(2031, 1, 1),
        &mut stdin,
        &mut out,
        &mut Vec::new(),
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["warnings"][0]["code"], "expired");
}
