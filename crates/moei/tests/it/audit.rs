//! The audit log records reads, searches, exports and changes, and `verify` finds tampering:
//! an altered row, a deleted row, reordered rows, a cut-off tail.

use moei_domain::Role;
use moei_store::persons::PersonQuery;

use crate::common::*;

async fn populated() -> (TestDb, moei_store::Store) {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    for i in 0..4 {
        let p = store
            .register_person(&desk, &person(&format!("P{i}"), "Khan", "PAK"))
            .await
            .unwrap();
        store.person(&desk, &p.id).await.unwrap();
    }
    store
        .search_persons(
            &desk,
            &PersonQuery {
                q: Some("khan".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    (db, store)
}

#[tokio::test]
async fn reads_searches_and_changes_are_audited_and_the_chain_verifies() {
    let (_db, store) = populated().await;
    let report = store.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
    let entries = store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap();
    let count = |action: &str| entries.iter().filter(|e| e.action == action).count();
    assert_eq!(count("person.create"), 4);
    assert_eq!(count("person.read"), 4);
    assert_eq!(count("person.search"), 1);
    assert_eq!(count("user.create"), 1);
    let read = entries.iter().find(|e| e.action == "person.read").unwrap();
    assert_eq!(
        (
            read.actor_name.as_str(),
            read.actor_role.as_str(),
            read.origin.as_str()
        ),
        ("desk", "registrar", "127.0.0.1")
    );
    assert_eq!(report.rows as usize, entries.len());
}

#[tokio::test]
async fn an_altered_row_is_found() {
    let (db, store) = populated().await;
    db.raw("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 5")
        .await;
    let report = store.verify_audit().await.unwrap();
    let broken = report.first_broken.expect("tampering must be detected");
    assert_eq!(broken.seq, 5, "{}", broken.reason);
}

#[tokio::test]
async fn a_deleted_row_is_found() {
    let (db, store) = populated().await;
    db.raw("DELETE FROM audit_log WHERE seq = 3").await;
    let broken = store
        .verify_audit()
        .await
        .unwrap()
        .first_broken
        .expect("deletion must be detected");
    assert_eq!(broken.seq, 3, "{}", broken.reason);
}

#[tokio::test]
async fn reordered_rows_are_found() {
    let (db, store) = populated().await;
    // Swap the contents of rows 4 and 6 (sequence numbers stay in place).
    db.raw("UPDATE audit_log SET seq = -4 WHERE seq = 4").await;
    db.raw("UPDATE audit_log SET seq = 4 WHERE seq = 6").await;
    db.raw("UPDATE audit_log SET seq = 6 WHERE seq = -4").await;
    let broken = store
        .verify_audit()
        .await
        .unwrap()
        .first_broken
        .expect("reordering must be detected");
    assert_eq!(broken.seq, 4, "{}", broken.reason);
}

#[tokio::test]
async fn a_cut_off_tail_is_found() {
    let (db, store) = populated().await;
    let last = store.verify_audit().await.unwrap().head_seq;
    db.raw(&format!("DELETE FROM audit_log WHERE seq = {last}"))
        .await;
    let broken = store
        .verify_audit()
        .await
        .unwrap()
        .first_broken
        .expect("a removed tail must be detected");
    assert_eq!(broken.seq, last, "{}", broken.reason);
}
