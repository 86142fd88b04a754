//! An acknowledged registration survives `kill -9` of the server in the middle of a burst of
//! concurrent registrations.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use moei_store::Actor;
use serde_json::json;

use crate::cli::moei;
use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_loses_no_acknowledged_registration() {
    let db = TestDb::new().await;
    drop(db.store().await); // create and migrate
    let out = moei(
        &[
            "user",
            "add",
            "desk",
            "--role",
            "registrar",
            "--password-stdin",
            "--database",
            &db.url,
        ],
        Some("a-long-password-1"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token =
        String::from_utf8(moei(&["token", "create", "desk", "--database", &db.url], None).stdout)
            .unwrap()
            .trim()
            .to_string();

    let mut child = Command::new(env!("CARGO_BIN_EXE_moei"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &db.url])
        // The screening key file that `db.store()` created beside the database.
        .env("MOEI_KEY_FILE", db.key_file())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .trim_start_matches("Moei is serving on ")
        .trim_end_matches('/')
        .to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for worker in 0..16 {
        let (client, base, token, acknowledged) = (
            client.clone(),
            base.clone(),
            token.clone(),
            acknowledged.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let body = json!({"given_name": format!("W{worker}"), "family_name": format!("N{i}"), "sex": "M", "nationality": "IND"});
                match client.post(format!("{base}/api/v1/persons")).bearer_auth(&token).json(&body).send().await {
                    Ok(r) if r.status() == 201 => {
                        // Only a complete 201 body counts as an acknowledgement.
                        if let Ok(p) = r.json::<serde_json::Value>().await
                            && let Some(id) = p["id"].as_str() {
                                acknowledged.lock().unwrap().push(id.to_string());
                            }
                    }
                    _ => break,
                }
            }
        }));
    }
    // Let the burst run until a few hundred registrations are acknowledged, then kill -9.
    for _ in 0..400 {
        if acknowledged.lock().unwrap().len() >= 300 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    for t in tasks {
        let _ = t.await;
    }
    let acked = acknowledged.lock().unwrap().clone();
    assert!(
        acked.len() >= 100,
        "only {} registrations were acknowledged",
        acked.len()
    );

    let store = db.store().await;
    for id in &acked {
        store
            .person(&Actor::cli(), id)
            .await
            .unwrap_or_else(|e| panic!("acknowledged {id} lost: {e}"));
    }
    assert!(person_count(&store).await >= acked.len() as i64);
    let report = store.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
}
