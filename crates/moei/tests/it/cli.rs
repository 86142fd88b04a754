//! The command line: accounts, tokens, audit verification, backup, the MRZ and screening tools,
//! and the refusal to serve a database that does not exist.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::*;

pub fn moei(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_moei"))
        .args(args)
        .env_remove("MOEI_DATABASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[tokio::test]
async fn users_tokens_audit_and_backup() {
    let db = TestDb::new().await;
    drop(db.store().await);
    let d = db.url.as_str();
    let out = moei(
        &[
            "user",
            "add",
            "emb",
            "--role",
            "embassy_officer",
            "--nationality",
            "ind",
            "--nationality",
            "PHL",
            "--agency",
            "Embassy",
            "--password-stdin",
            "--database",
            d,
        ],
        Some("a-long-password-1\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = moei(
        &[
            "user",
            "add",
            "x",
            "--role",
            "embassy_officer",
            "--password-stdin",
            "--database",
            d,
        ],
        Some("a-long-password-1"),
    );
    assert!(
        !out.status.success(),
        "an embassy officer needs a nationality"
    );
    let out = moei(
        &["user", "add", "y", "--role", "king", "--database", d],
        None,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));

    let list = text(&moei(&["user", "list", "--database", d], None));
    assert!(
        list.contains("emb\tembassy_officer\tEmbassy\tIND,PHL"),
        "{list}"
    );

    // The token, and nothing else, on standard output.
    let out = moei(&["token", "create", "emb", "--database", d], None);
    assert!(out.status.success());
    let stdout = text(&out);
    assert_eq!(stdout.lines().count(), 1);
    assert!(
        stdout.starts_with("moei_") && stdout.trim().len() > 40,
        "{stdout}"
    );

    let out = moei(&["audit", "verify", "--database", d], None);
    assert!(out.status.success(), "{}", text(&out));
    db.raw("UPDATE audit_log SET detail = 'role=admin' WHERE seq = 1")
        .await;
    let out = moei(&["audit", "verify", "--database", d], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("BROKEN at row 1"), "{}", text(&out));

    if backend() == Backend::Sqlite {
        let copy = db.dir.path().join("copy.db");
        let out = moei(
            &["backup", "--out", copy.to_str().unwrap(), "--database", d],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list = text(&moei(
            &["user", "list", "--database", copy.to_str().unwrap()],
            None,
        ));
        assert!(list.contains("emb"), "the backup holds the data");
    }
}

#[test]
fn serve_refuses_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo").join("moei.db");
    let out = moei(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no database at"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!missing.exists(), "nothing may be created");
}

#[test]
fn mrz_tool_exit_codes_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zones.txt");
    std::fs::write(
        &file,
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n",
    )
    .unwrap();
    let out = moei(
        &[
            "mrz",
            file.to_str().unwrap(),
            "--reference-date",
            "2010-01-01",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(text(&out).trim()).unwrap();
    assert_eq!(v["document_number"], "L898902C3");
    assert_eq!(v["birth_date"], "1974-08-12");
    assert_eq!(v["valid"], true);
    // N1: birth date altered, two checks fail.
    let out = moei(
        &["mrz", "--reference-date", "2010-01-01"],
        Some(
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408132F1204159ZE184226B<<<<<10\n",
        ),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(text(&out).trim()).unwrap();
    assert_eq!(v["checks"]["birth_date"], false);
    let out = moei(
        &["mrz", dir.path().join("missing.txt").to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn screening_tools() {
    let out = moei(&["screening", "indicators"], None);
    assert!(out.status.success());
    let list: Vec<serde_json::Value> = serde_json::from_str(&text(&out)).unwrap();
    assert_eq!(list.len(), 67);
    let out = moei(
        &["screening", "assess"],
        Some(r#"{"instrument": "ilo-adult-labour", "answers": {}}"#),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&text(&out)).unwrap();
    assert_eq!(
        v["result"], "further_interview",
        "all unanswered means unknown"
    );
    let out = moei(
        &["screening", "assess"],
        Some(r#"{"answers": {"no-such-indicator": "yes"}}"#),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn dedup_and_link_take_a_list_date_and_name_it_when_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "record_id,full_name,date_of_birth\n1,Aung Kyaw,age 35\n2,Aung Kyaw,1990-05-01\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = dir.path().join("out.csv");
    let o = out.to_str().unwrap();
    for args in [
        vec!["dedup", f, "--out", o, "--list-date", "2025-10-25"],
        vec!["link", f, f, "--out", o, "--list-date", "2025-10-25"],
    ] {
        let r = moei(&args, None);
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
    }
    for args in [
        vec!["dedup", f, "--out", o, "--list-date", "25/10/2025"],
        vec!["link", f, f, "--out", o, "--list-date", "2025-02-30"],
    ] {
        let r = moei(&args, None);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{err}");
        assert!(
            err.contains("--list-date") && !err.contains("panicked"),
            "{err}"
        );
    }
}
