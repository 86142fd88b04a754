//! Identity resolution in the application: the review queue, merge and undo, lists imported
//! from files (good, malformed and hostile), missing-person reports and who may see what.

use std::io::Write;

use moei_domain::Role;
use moei_store::identity::Decision;
use moei_store::persons::PersonQuery;
use moei_store::{Actor, StoreError};
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::assert_schema;
use crate::common::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn input(given: &str, family: &str, nationality: &str, dob: &str) -> moei_domain::PersonInput {
    moei_domain::PersonInput {
        date_of_birth: Some(dob.into()),
        ..person(given, family, nationality)
    }
}

/// Two registrations of one IND man, two of one CHN woman, and one unrelated THA person.
async fn register_pairs(store: &moei_store::Store, desk: &Actor) -> Vec<moei_domain::Person> {
    let mut out = Vec::new();
    for p in [
        input("Rajesh", "Kumar", "IND", "1996-02-29"),
        input("Rajesh", "Kumaar", "IND", "1996-02-29"),
        input("Wei", "Zhang", "CHN", "1990-07-01"),
        input("Wei", "Zhang", "CHN", "1990-07-01"),
        input("Somchai", "Boonmee", "THA", "1980-01-01"),
    ] {
        out.push(store.register_person(desk, &p).await.unwrap());
    }
    out
}

async fn ids_listed(store: &moei_store::Store) -> Vec<String> {
    let page = store
        .search_persons(&Actor::cli(), &PersonQuery::default())
        .await
        .unwrap();
    let mut ids: Vec<String> = page.items.into_iter().map(|p| p.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn merge_and_undo_restore_both_records_exactly() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let admin = add_user(&store, "admin", Role::Admin, &[]).await;
    let persons = register_pairs(&store, &desk).await;
    let (survivor, merged) = (&persons[0], &persons[1]);
    let before_listed = ids_listed(&store).await;
    let before_total = person_count(&store).await;

    // Least privilege: a registrar may confirm candidates but not merge.
    let err = store
        .merge_persons(&desk, &survivor.id, &merged.id, None, "same man")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden), "{err:?}");
    let err = store
        .merge_persons(&admin, &survivor.id, &survivor.id, None, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(v) if v.0[0].field == "merged_id"),
        "{err:?}"
    );

    let merge = store
        .merge_persons(
            &admin,
            &survivor.id,
            &merged.id,
            None,
            "same passport photo",
        )
        .await
        .unwrap();
    assert_eq!(person_count(&store).await, before_total - 1);
    let listed = ids_listed(&store).await;
    assert!(listed.contains(&survivor.id) && !listed.contains(&merged.id));
    // The merged record stays readable, with its history, and points at the survivor.
    let still = store.person(&admin, &merged.id).await.unwrap();
    assert_eq!(still.given_name, merged.given_name);
    assert_eq!(
        store.merged_into(&merged.id).await.unwrap(),
        Some(survivor.id.clone())
    );
    let history = store.person_history(&admin, &merged.id).await.unwrap();
    assert_eq!(history.last().unwrap().event, "merge");
    let history = store.person_history(&admin, &survivor.id).await.unwrap();
    assert_eq!(history.last().unwrap().event, "merge");
    // Merging again, or into the merged record, is refused.
    let err = store
        .merge_persons(&admin, &persons[4].id, &merged.id, None, "")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let undone = store.undo_merge(&admin, &merge.id).await.unwrap();
    assert!(undone.undone_at.is_some());
    assert_eq!(ids_listed(&store).await, before_listed);
    assert_eq!(person_count(&store).await, before_total);
    assert_eq!(store.merged_into(&merged.id).await.unwrap(), None);
    for original in [survivor, merged] {
        let now = store.person(&admin, &original.id).await.unwrap();
        // Everything but the version counter and its time is exactly as before.
        let strip = |p: &moei_domain::Person| {
            let mut v = serde_json::to_value(p).unwrap();
            v["version"] = Value::Null;
            v["updated_at"] = Value::Null;
            v
        };
        assert_eq!(strip(&now), strip(original));
        assert_eq!(now.version, original.version + 2);
    }
    let err = store.undo_merge(&admin, &merge.id).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let audit = store.audit_entries(&admin, None, 200).await.unwrap();
    for action in ["person.merge", "person.unmerge", "person.merge.denied"] {
        assert!(
            audit.iter().any(|e| e.action == action),
            "{action} not audited"
        );
    }
    assert!(store.verify_audit().await.unwrap().ok());
}

#[tokio::test]
async fn review_queue_over_http_merge_undo_and_decisions() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "admin", Role::Admin, &[]).await;
    let persons = register_pairs(&store, &desk).await;
    let server = TestServer::start(store.clone()).await;
    let admin = server.client(&server.token_for("admin").await);
    let registrar = server.client(&server.token_for("desk").await);
    let (_, spec) = admin.get("/api/openapi.json").await;

    let (status, run) = registrar
        .post("/api/v1/match-candidates/dedup", json!({}))
        .await;
    assert_eq!(status, 200, "{run}");
    assert_schema(&spec, "CandidatesAdded", &run);
    assert_eq!(run["candidates_added"], 2, "the IND pair and the CHN pair");
    // A second run finds the same pairs and adds nothing.
    let (_, again) = registrar
        .post("/api/v1/match-candidates/dedup", json!({}))
        .await;
    assert_eq!(again["candidates_added"], 0);

    let (status, queue) = registrar
        .get("/api/v1/match-candidates?kind=duplicate&status=open")
        .await;
    assert_eq!(status, 200, "{queue}");
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for c in items {
        assert_schema(&spec, "MatchCandidate", c);
        assert!(
            !c["explanation"]["contributions"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    assert!(items[0]["probability"].as_f64() >= items[1]["probability"].as_f64());
    let ind = items
        .iter()
        .find(|c| c["person"]["nationality"] == "IND")
        .unwrap();
    assert_eq!(ind["person"]["id"], persons[0].id.as_str());
    assert_eq!(ind["other_person"]["id"], persons[1].id.as_str());
    let ind_id = ind["id"].as_str().unwrap();
    let chn_id = items
        .iter()
        .find(|c| c["person"]["nationality"] == "CHN")
        .unwrap()["id"]
        .as_str()
        .unwrap();

    // The registrar may not merge; the administrator may.
    let path = format!("/api/v1/match-candidates/{ind_id}/decision");
    let (status, err) = registrar.post(&path, json!({"decision": "merge"})).await;
    assert_eq!(status, 403, "{err}");
    let (status, merged) = admin
        .post(
            &path,
            json!({"decision": "merge", "reason": "same person, second desk"}),
        )
        .await;
    assert_eq!(status, 200, "{merged}");
    assert_schema(&spec, "MatchCandidate", &merged);
    assert_eq!(merged["status"], "merged");
    let merge_id = merged["merge_id"].as_str().unwrap().to_string();
    let (_, list) = admin.get("/api/v1/persons?nationality=IND").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (status, merges) = admin
        .get(&format!("/api/v1/persons/{}/merges", persons[1].id))
        .await;
    assert_eq!(status, 200, "{merges}");
    assert_eq!(merges["merged_into"], persons[0].id.as_str());
    assert_schema(&spec, "Merge", &merges["items"][0]);

    let (status, undone) = admin
        .post(&format!("/api/v1/merges/{merge_id}/undo"), json!({}))
        .await;
    assert_eq!(status, 200, "{undone}");
    assert_schema(&spec, "Merge", &undone);
    let (_, list) = admin.get("/api/v1/persons?nationality=IND").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (_, back) = admin
        .get(&format!("/api/v1/match-candidates/{ind_id}"))
        .await;
    assert_eq!(back["status"], "open", "undo reopens the candidate");
    assert_eq!(back["merge_id"], Value::Null);
    let (status, _) = admin
        .post(&format!("/api/v1/merges/{merge_id}/undo"), json!({}))
        .await;
    assert_eq!(status, 409);

    // Rejecting needs a reason; a decided candidate cannot be decided again.
    let path = format!("/api/v1/match-candidates/{chn_id}/decision");
    let (status, err) = registrar.post(&path, json!({"decision": "reject"})).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "reason");
    let (status, err) = registrar.post(&path, json!({"decision": "maybe"})).await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("decision"))
    );
    let (status, rejected) = registrar
        .post(
            &path,
            json!({"decision": "reject", "reason": "twins, different fathers' names"}),
        )
        .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decided_by"], "desk");
    let (status, _) = registrar.post(&path, json!({"decision": "confirm"})).await;
    assert_eq!(status, 409);
    let (status, err) = registrar
        .get("/api/v1/match-candidates?status=pending")
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("status"))
    );

    let audit = store.audit_entries(&Actor::cli(), None, 500).await.unwrap();
    for action in [
        "match.candidates",
        "match.queue",
        "match.reject",
        "person.merge",
        "person.unmerge",
    ] {
        assert!(
            audit.iter().any(|e| e.action == action),
            "{action} not audited"
        );
    }
}

#[tokio::test]
async fn registering_a_second_time_queues_a_duplicate_candidate() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store.clone()).await;
    let desk = server.client(&server.token_for("desk").await);
    // The live index is built in the background at start; registrations made while it is being
    // built are not in it, so wait until it is ready.
    let mut ready = false;
    for _ in 0..600 {
        let (_, m) = desk.post("/api/v1/persons/match", json!({})).await;
        if m["ready"] == true {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "the live index was not built within 30 s");
    let body = json!({"given_name": "Maria", "family_name": "Santos", "sex": "F", "date_of_birth": "1999-05-02", "nationality": "PHL"});
    let (status, first) = desk.post("/api/v1/persons", body.clone()).await;
    assert_eq!(status, 201);
    let (status, second) = desk.post("/api/v1/persons", body).await;
    assert_eq!(status, 201);
    let (_, queue) = desk.get("/api/v1/match-candidates?kind=duplicate").await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    assert_eq!(items[0]["person"]["id"], first["id"]);
    assert_eq!(items[0]["other_person"]["id"], second["id"]);
}

#[tokio::test]
async fn embassy_officers_see_and_decide_only_their_nationals_candidates() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    add_user(&store, "analyst", Role::Analyst, &[]).await;
    add_user(&store, "police", Role::Investigator, &[]).await;
    let persons = register_pairs(&store, &desk).await;
    // A duplicate pair across nationalities (a nationality mis-typed at one desk).
    let mixed = store
        .register_person(&desk, &input("Somchai", "Boonmee", "IND", "1980-01-01"))
        .await
        .unwrap();
    let everyone: Vec<&moei_domain::Person> = persons.iter().chain([&mixed]).collect();
    consent_to_disclosure(&store, &everyone).await;
    let server = TestServer::start(store.clone()).await;
    let registrar = server.client(&server.token_for("desk").await);
    let (_, run) = registrar
        .post("/api/v1/match-candidates/dedup", json!({}))
        .await;
    assert_eq!(run["candidates_added"], 3, "{run}");
    let (_, all) = registrar.get("/api/v1/match-candidates").await;
    let id_of = |pred: &dyn Fn(&Value) -> bool| -> String {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| pred(c))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let chn = id_of(&|c| c["person"]["nationality"] == "CHN");
    let mixed_id = id_of(&|c| {
        c["person"]["id"] == mixed.id.as_str() || c["other_person"]["id"] == mixed.id.as_str()
    });

    let emb = server.client(&server.token_for("emb-ind").await);
    let (status, queue) = emb.get("/api/v1/match-candidates").await;
    assert_eq!(status, 200);
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the IND pair: {queue}");
    assert_eq!(items[0]["person"]["id"], persons[0].id.as_str());
    for hidden in [&chn, &mixed_id] {
        let (status, _) = emb.get(&format!("/api/v1/match-candidates/{hidden}")).await;
        assert_eq!(status, 404, "an IND officer never learns of {hidden}");
        let (status, _) = emb
            .post(
                &format!("/api/v1/match-candidates/{hidden}/decision"),
                json!({"decision": "confirm"}),
            )
            .await;
        assert_eq!(status, 404);
    }
    let ind_id = items[0]["id"].as_str().unwrap();
    let (status, c) = emb
        .post(
            &format!("/api/v1/match-candidates/{ind_id}/decision"),
            json!({"decision": "confirm"}),
        )
        .await;
    assert_eq!((status, c["status"].as_str()), (200, Some("confirmed")));
    let (status, _) = emb
        .post(
            &format!("/api/v1/persons/{}/merge", persons[0].id),
            json!({"merged_id": persons[1].id}),
        )
        .await;
    assert_eq!(status, 403);

    for who in ["analyst", "police"] {
        let api = server.client(&server.token_for(who).await);
        let (status, _) = api.get("/api/v1/match-candidates").await;
        assert_eq!(status, 403, "{who}");
        let (status, _) = api.post("/api/v1/match-candidates/dedup", json!({})).await;
        assert_eq!(status, 403, "{who}");
    }
    let audit = store.audit_entries(&Actor::cli(), None, 500).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "match.read.denied" && e.actor_name == "emb-ind")
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "match.confirm" && e.actor_name == "emb-ind")
    );
}

fn csv_list(rows: &[&str]) -> Vec<u8> {
    let mut out =
        b"record_id,given_name,family_name,sex,date_of_birth,nationality,phone\n".to_vec();
    for r in rows {
        out.extend_from_slice(r.as_bytes());
        out.push(b'\n');
    }
    out
}

fn list_path(name: &str, kind: &str, accept: bool) -> String {
    format!(
        "/api/v1/lists?name={name}&source=Border%20Guard%20Force&kind={kind}&accept_rejected={accept}"
    )
}

#[tokio::test]
async fn a_list_file_is_linked_and_bad_rows_are_named_or_nothing_is_stored() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "emb-chn", Role::EmbassyOfficer, &["CHN"]).await;
    let persons = register_pairs(&store, &desk).await;
    let server = TestServer::start(store.clone()).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    let huge = "A".repeat(5_000);
    let mut body = csv_list(&[
        "BGF-1,Rajesh,Kumar,M,1996-02-29,IND,+66 81 234 5678",
        "BGF-2,Wei,Zhang,F,1990-07-01,CHN,",
        &format!("BGF-3,{huge},Long,M,1990,MMR,"),
        "BGF-4,=HYPERLINK(\"http://x\"),Evil,M,1990,MMR,",
        "BGF-5,too,few",
        "BGF-1,Repeated,Id,M,1990,MMR,",
    ]);
    body.extend_from_slice(b"BGF-6,\xff\xfe,Bytes,M,1990,MMR,\n");

    let (status, err) = api
        .raw(
            Method::POST,
            &list_path("BGF", "authority_list", false),
            "text/csv",
            body.clone(),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_schema(&spec, "Error", &err);
    let message = err["error"]["message"].as_str().unwrap();
    for expected in [
        "row 4: column `given_name`: value is 5000 bytes",
        "row 5: column `given_name`: starts like a spreadsheet formula",
        "row 6: has 3 fields",
        "row 7: column `record_id`",
        "row 8: column `given_name`: not valid UTF-8",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    let (_, lists) = api.get("/api/v1/lists").await;
    assert_eq!(
        lists["items"].as_array().unwrap().len(),
        0,
        "nothing stored"
    );

    let (status, imported) = api
        .raw(
            Method::POST,
            &list_path("BGF", "authority_list", true),
            "text/csv; charset=utf-8",
            body,
        )
        .await;
    assert_eq!(status, 201, "{imported}");
    assert_schema(&spec, "ListImport", &imported);
    assert_eq!(imported["list"]["record_count"], 2);
    assert_eq!(imported["list"]["rejected_count"], 5);
    assert_eq!(imported["rejected"].as_array().unwrap().len(), 5);
    assert!(
        imported["candidates_added"].as_u64().unwrap() >= 2,
        "{imported}"
    );
    let list_id = imported["list"]["id"].as_str().unwrap();

    let (_, queue) = api.get("/api/v1/match-candidates?kind=list").await;
    let items = queue["items"].as_array().unwrap();
    let raj = items
        .iter()
        .find(|c| c["list_record"]["record_id"] == "BGF-1")
        .expect("BGF-1 matched");
    assert_schema(&spec, "MatchCandidate", raj);
    assert_eq!(raj["list"]["name"], "BGF");
    assert!(
        [persons[0].id.as_str(), persons[1].id.as_str()]
            .contains(&raj["person"]["id"].as_str().unwrap())
    );

    // The CHN embassy sees the list's CHN record only, and CHN candidates only.
    let emb = server.client(&server.token_for("emb-chn").await);
    let (status, records) = emb.get(&format!("/api/v1/lists/{list_id}/records")).await;
    assert_eq!(status, 200);
    let recs = records["items"].as_array().unwrap();
    assert_eq!(recs.len(), 1);
    assert_schema(&spec, "ListRecord", &recs[0]);
    assert_eq!(recs[0]["record_id"], "BGF-2");
    let (_, queue) = emb.get("/api/v1/match-candidates?kind=list").await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["person"]["nationality"] == "CHN")
    );

    // Re-linking adds nothing new.
    let (_, again) = api
        .post(&format!("/api/v1/lists/{list_id}/link"), json!({}))
        .await;
    assert_eq!(again["candidates_added"], 0);
}

#[tokio::test]
async fn hostile_and_unreadable_list_files_get_clear_errors() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "screener", Role::Screener, &[]).await;
    let server = TestServer::start(store.clone()).await;
    let api = server.client(&server.token_for("desk").await);
    let path = list_path("Roll", "embassy_roll", true);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "text/csv",
            b"name,surname\nA,B\n".to_vec(),
            "no record_id column",
        ),
        ("text/csv", Vec::new(), "empty"),
        (
            XLSX,
            b"this is not a workbook".to_vec(),
            "not an XLSX workbook",
        ),
        (XLSX, zip_bomb(), "unpacks to more than 64 MiB"),
    ];
    for (content_type, body, expected) in cases {
        let (status, err) = api.raw(Method::POST, &path, content_type, body).await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], "file");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(expected), "{expected:?} not in {message}");
        assert!(
            !message.contains("/tmp"),
            "no server paths in errors: {message}"
        );
    }
    let (status, _) = api
        .raw(Method::POST, &path, "application/pdf", b"%PDF".to_vec())
        .await;
    assert_eq!(status, 415);
    let (status, err) = api
        .raw(
            Method::POST,
            &path,
            "text/csv",
            vec![b'a'; 11 * 1024 * 1024],
        )
        .await;
    assert_eq!(status, 413, "{err}");
    let (status, err) = api
        .raw(
            Method::POST,
            "/api/v1/lists?name=X&source=Y&kind=rumours",
            "text/csv",
            csv_list(&["1,A,B,M,1990,MMR,"]),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("kind"))
    );
    let screener = server.client(&server.token_for("screener").await);
    let (status, _) = screener
        .raw(
            Method::POST,
            &path,
            "text/csv",
            csv_list(&["1,A,B,M,1990,MMR,"]),
        )
        .await;
    assert_eq!(status, 403);
    let (_, lists) = api.get("/api/v1/lists").await;
    assert_eq!(lists["items"].as_array().unwrap().len(), 0);

    // A real workbook with a formula cell: the good row is imported, the formula row named.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["record_id", "given_name", "family_name", "nationality"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["R1", "Wei", "Zhang", "CHN"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    for (c, v) in ["R2", "@cmd", "X", "CHN"].iter().enumerate() {
        sheet.write_string(2, c as u16, *v).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let (status, imported) = api.raw(Method::POST, &path, XLSX, bytes).await;
    assert_eq!(status, 201, "{imported}");
    assert_eq!(imported["list"]["record_count"], 1);
    assert_eq!(
        imported["rejected"][0],
        "row 3: column `given_name`: starts like a spreadsheet formula"
    );
}

/// A small zip whose one part unpacks to 100 MiB of zeros.
fn zip_bomb() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..100 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let bytes = out.into_inner();
    assert!(bytes.len() < 1024 * 1024, "the bomb itself is small");
    bytes
}

#[tokio::test]
async fn missing_person_reports_follow_their_own_access_rules() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "ngo", Role::MdtMember, &[]).await;
    add_user(&store, "admin", Role::Admin, &[]).await;
    add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    add_user(&store, "police", Role::Investigator, &[]).await;
    let persons = register_pairs(&store, &desk).await;
    consent_to_disclosure(&store, &persons.iter().collect::<Vec<_>>()).await;
    let server = TestServer::start(store.clone()).await;
    let ngo = server.client(&server.token_for("ngo").await);
    let admin = server.client(&server.token_for("admin").await);
    let emb = server.client(&server.token_for("emb-ind").await);
    let registrar = server.client(&server.token_for("desk").await);
    let (_, spec) = ngo.get("/api/openapi.json").await;

    let (status, err) = ngo
        .post("/api/v1/missing-reports", json!({"given_name": "Rajesh", "nationality": "IND", "reporter_relationship": "mother", "reporter_contact": "+91 98 7654 3210"}))
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("reporter_name")),
        "{err}"
    );
    let (status, err) = ngo
        .post("/api/v1/missing-reports", json!({"given_name": "Rajesh", "nationality": "XXX", "reporter_name": "Sunita", "reporter_relationship": "mother", "reporter_contact": "x", "hacked": true}))
        .await;
    assert_eq!(status, 422, "unknown fields are refused: {err}");

    let report = |consent: bool| {
        json!({"given_name": "Rajesh", "family_name": "Kumar", "name_original_script": "राजेश कुमार", "date_of_birth": "1996",
               "nationality": "IND", "place_of_origin": "Hyderabad", "last_contact": "August 2025, a call from Myawaddy",
               "reporter_name": "Sunita Kumar", "reporter_relationship": "mother", "reporter_contact": "+91 98 7654 3210",
               "consent_to_share": consent})
    };
    let (status, private) = ngo.post("/api/v1/missing-reports", report(false)).await;
    assert_eq!(status, 201, "{private}");
    assert_schema(&spec, "MissingReportCreated", &private);
    assert!(
        private["candidates_added"].as_u64().unwrap() >= 1,
        "matched on entry"
    );
    let private_id = private["report"]["id"].as_str().unwrap();
    let (_, shared) = ngo.post("/api/v1/missing-reports", report(true)).await;
    let shared_id = shared["report"]["id"].as_str().unwrap();

    // The embassy sees only the report the family agreed to share; other agencies none.
    let (_, seen) = emb.get("/api/v1/missing-reports").await;
    let seen: Vec<&str> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, vec![shared_id]);
    let (status, _) = emb
        .get(&format!("/api/v1/missing-reports/{private_id}"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = registrar
        .get(&format!("/api/v1/missing-reports/{shared_id}"))
        .await;
    assert_eq!(status, 404, "another agency's report");
    let (status, _) = server
        .client(&server.token_for("police").await)
        .get("/api/v1/missing-reports")
        .await;
    assert_eq!(status, 403);
    let (_, queue) = emb.get("/api/v1/match-candidates?kind=missing").await;
    let queue = queue["items"].as_array().unwrap();
    assert!(!queue.is_empty());
    assert!(
        queue.iter().all(|c| c["report"]["id"] == shared_id),
        "{queue:?}"
    );
    let (_, queue) = registrar.get("/api/v1/match-candidates?kind=missing").await;
    assert!(queue["items"].as_array().unwrap().is_empty());

    // The administrator confirms the match; the family is found.
    let (_, queue) = admin.get("/api/v1/match-candidates?kind=missing").await;
    let candidate = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["report"]["id"] == private_id && c["person"]["id"] == persons[0].id.as_str())
        .expect("the report matches the first registration")
        .clone();
    assert_schema(&spec, "MatchCandidate", &candidate);
    let (status, _) = ngo
        .post(
            &format!("/api/v1/missing-reports/{private_id}/family-informed"),
            json!({}),
        )
        .await;
    assert_eq!(status, 409, "not found yet");
    let (status, decided) = admin
        .post(
            &format!(
                "/api/v1/match-candidates/{}/decision",
                candidate["id"].as_str().unwrap()
            ),
            json!({"decision": "confirm"}),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    let (_, found) = ngo
        .get(&format!("/api/v1/missing-reports/{private_id}"))
        .await;
    assert_schema(&spec, "MissingReport", &found);
    assert_eq!(found["status"], "found");
    assert_eq!(found["found_person_id"], persons[0].id.as_str());

    // Who may tell the family is a role rule: MDT yes, registrar no.
    let (status, _) = registrar
        .post(
            &format!("/api/v1/missing-reports/{private_id}/family-informed"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, informed) = ngo
        .post(
            &format!("/api/v1/missing-reports/{private_id}/family-informed"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{informed}");
    assert!(informed["family_informed_at"].is_string());

    // Bulk matching of open reports finds nothing new.
    let (status, bulk) = admin.post("/api/v1/missing-reports/match", json!({})).await;
    assert_eq!((status, &bulk["candidates_added"]), (200, &json!(0)));

    let audit = store.audit_entries(&Actor::cli(), None, 500).await.unwrap();
    for action in [
        "missing.create",
        "missing.read",
        "missing.read.denied",
        "match.confirm",
        "missing.family_informed",
    ] {
        assert!(
            audit.iter().any(|e| e.action == action),
            "{action} not audited"
        );
    }
    // No reporter's name or contact in the audit log.
    assert!(
        audit
            .iter()
            .all(|e| !e.detail.contains("Sunita") && !e.detail.contains("+91"))
    );
}

#[tokio::test]
async fn decisions_through_the_store_check_status_and_scope() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let emb = add_user(&store, "emb-chn", Role::EmbassyOfficer, &["CHN"]).await;
    let persons = register_pairs(&store, &desk).await;
    let found = vec![moei_store::identity::NewCandidate {
        kind: moei_store::identity::CandidateKind::Duplicate,
        person_id: persons[0].id.clone(),
        other_ref: persons[1].id.clone(),
        probability: 0.97,
        explanation: json!({"probability": 0.97, "match_weight": 5.0, "prior_weight": -3.0, "contributions": []}),
    }];
    assert_eq!(store.add_candidates(&desk, &found).await.unwrap(), 1);
    assert_eq!(store.add_candidates(&desk, &found).await.unwrap(), 0);
    let queue = store.candidates(&desk, &Default::default()).await.unwrap();
    let id = queue[0].id.clone();
    let err = store
        .decide_candidate(&emb, &id, Decision::Confirm, "")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    let c = store
        .decide_candidate(&desk, &id, Decision::Confirm, "")
        .await
        .unwrap();
    assert_eq!(c.status, "confirmed");
    let err = store
        .decide_candidate(&desk, &id, Decision::Reject, "changed my mind")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
}

/// `moei demo` puts the scenario's second registrations into the review queue.
#[tokio::test]
async fn the_demo_queues_its_second_registrations() {
    let db = TestDb::new().await;
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_moei"))
        .args(["demo", "--no-serve", "--database", &db.url])
        .status()
        .unwrap();
    assert!(status.success());
    let store = db.store().await;
    // Registration numbers follow the order the demo registers in: group by group.
    let scenario = moei_demo::generate(moei_demo::DEFAULT_SEED);
    let mut order = Vec::new();
    for g in &scenario.groups {
        order.extend(
            (0..scenario.persons.len()).filter(|&i| scenario.persons[i].group_key == g.key),
        );
    }
    let rows = sqlx::query("SELECT id FROM persons ORDER BY registration_number")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), order.len());
    let mut id_of = vec![String::new(); order.len()];
    for (row, &i) in rows.iter().zip(&order) {
        id_of[i] = sqlx::Row::get::<String, _>(row, "id");
    }
    let queued =
        sqlx::query("SELECT person_id, other_ref FROM match_candidates WHERE kind = 'duplicate'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let pairs: std::collections::HashSet<(String, String)> = queued
        .iter()
        .map(|r| {
            (
                sqlx::Row::get(r, "person_id"),
                sqlx::Row::get(r, "other_ref"),
            )
        })
        .collect();
    let known: Vec<(usize, usize)> = scenario
        .persons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.duplicate_of.map(|o| (o, i)))
        .collect();
    assert_eq!(known.len(), 39);
    let found = known
        .iter()
        .filter(|(o, d)| {
            pairs.contains(&(id_of[*o].clone(), id_of[*d].clone()))
                || pairs.contains(&(id_of[*d].clone(), id_of[*o].clone()))
        })
        .count();
    println!(
        "demo: {found} of {} second registrations queued; {} duplicate candidates",
        known.len(),
        pairs.len()
    );
    assert!(
        found >= 35,
        "only {found} of 39 second registrations are in the queue"
    );
    let lists = store.lists(&Actor::cli()).await.unwrap();
    assert_eq!(lists.len(), 1);
    let reports = store.missing_reports(&Actor::cli(), None).await.unwrap();
    assert_eq!(reports.len(), 3);
}

/// The duplicates found at registration are written in the registration's own commit, many
/// concurrent registrations at once; a candidate pointing at a person merged away in the
/// meantime is dropped, and the audit row says how many were found and how many were kept.
#[tokio::test]
async fn duplicates_found_at_registration_share_its_commit() {
    use moei_store::identity::{CandidateFilter, CandidateKind, NewCandidate};
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let admin = add_user(&store, "admin", Role::Admin, &[]).await;
    let earlier = register_pairs(&store, &desk).await;
    // The second Rajesh Kumar registration is merged into the first.
    store
        .merge_persons(
            &admin,
            &earlier[0].id,
            &earlier[1].id,
            None,
            "same passport",
        )
        .await
        .unwrap();
    let found = |person_id: &str| NewCandidate {
        kind: CandidateKind::Duplicate,
        person_id: person_id.into(),
        other_ref: String::new(),
        probability: 0.9,
        explanation: json!({"why": "test"}),
    };
    let registrations = (0..40).map(|i| {
        let (store, desk) = (store.clone(), desk.clone());
        let (alive, merged) = (earlier[0].id.clone(), earlier[1].id.clone());
        tokio::spawn(async move {
            let input = input(&format!("Rajesh{i}"), "Kumar", "IND", "1996-02-29");
            store
                .register_person_with_duplicates(&desk, &input, |p| {
                    assert_eq!(p.given_name, format!("Rajesh{i}"));
                    vec![found(&alive), found(&merged)]
                })
                .await
                .unwrap()
        })
    });
    let mut new_ids = Vec::new();
    for r in registrations {
        new_ids.push(r.await.unwrap().id);
    }
    let queue = store
        .candidates(
            &admin,
            &CandidateFilter {
                kind: Some("duplicate".into()),
                status: None,
                limit: Some(200),
            },
        )
        .await
        .unwrap();
    let mut queued: Vec<String> = queue
        .iter()
        .filter(|c| c.person.id == earlier[0].id)
        .filter_map(|c| c.other_person.as_ref().map(|p| p.id.clone()))
        .collect();
    queued.sort();
    new_ids.sort();
    assert_eq!(queued, new_ids, "one candidate per new registration");
    assert!(queue.iter().all(|c| c.person.id != earlier[1].id));
    let audited: Vec<String> = store
        .audit_entries(&Actor::cli(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "match.candidates")
        .map(|e| e.detail)
        .collect();
    assert_eq!(audited.len(), 40, "{audited:?}");
    assert!(
        audited
            .iter()
            .all(|d| d.contains("\"found\":2") && d.contains("\"added\":1")),
        "{audited:?}"
    );
}
