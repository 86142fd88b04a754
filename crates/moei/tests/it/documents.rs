//! Identity documents: an MRZ fills and checks the fields, disagreements with what the person
//! stated are shown, numbers are searchable, and the same number on two persons is flagged.

use moei_domain::Role;
use serde_json::json;

use crate::api::assert_schema;
use crate::common::*;

// Specimen X1 of the domain reference (synthetic): AUNG / MIN THU, MMR, born 1995-03-14, M.
const X1: &str =
    "P<MMRAUNG<<MIN<THU<<<<<<<<<<<<<<<<<<<<<<<<<<\nMB12345675MMR9503146M3001019<<<<<<<<<<<<<<04";

#[tokio::test]
async fn mrz_checks_disagreements_search_and_duplicate_numbers() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    let (_, same) = api
        .post("/api/v1/persons", json!({"given_name": "Min Thu", "family_name": "Aung", "sex": "M", "date_of_birth": "1995-03-14", "nationality": "MMR"}))
        .await;
    let (_, differs) = api
        .post("/api/v1/persons", json!({"given_name": "Min Thu", "family_name": "Aung", "sex": "F", "date_of_birth": "1995-03-15", "nationality": "THA"}))
        .await;

    // The scanner types both lines in lower case with stray spaces: the MRZ is still read.
    let scanned = X1.to_lowercase().replace('\n', " \r\n ");
    let (status, doc) = api
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "original_seen", "mrz": scanned}),
        )
        .await;
    assert_eq!(status, 201, "{doc}");
    assert_schema(&spec, "Document", &doc);
    assert_eq!(doc["number"], "MB1234567");
    assert_eq!(doc["issuing_state"], "MMR");
    assert_eq!(doc["expiry_date"], "2030-01-01");
    assert_eq!(doc["mrz_valid"], true);
    assert_eq!(doc["expired"], false);
    assert_eq!(doc["checks"]["disagreements"], json!([]));
    assert_eq!(doc["same_number_persons"], json!([]));

    // The same passport on another person: every disagreement is listed and the number is flagged.
    let (status, doc2) = api
        .post(
            &format!(
                "/api/v1/persons/{}/documents",
                differs["id"].as_str().unwrap()
            ),
            json!({"kind": "passport", "status": "copy_or_photo_only", "mrz": X1}),
        )
        .await;
    assert_eq!(status, 201, "{doc2}");
    let fields: Vec<&str> = doc2["checks"]["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["date_of_birth", "nationality", "sex"]);
    assert_eq!(
        doc2["same_number_persons"],
        json!([same["registration_number"]])
    );

    // A failed check digit is reported, with proposals, and nothing is "corrected" silently.
    let broken = X1.replace("9503146", "9503156");
    let (status, doc3) = api
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "original_seen", "mrz": broken}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(doc3["mrz_valid"], false);
    assert_eq!(doc3["checks"]["mrz"]["checks"]["birth_date"], false);

    // Searchable by number (with the usual typing variations).
    let (_, hits) = api.get("/api/v1/persons?q=mb%201234567").await;
    assert_eq!(hits["items"].as_array().unwrap().len(), 2, "{hits}");

    // Confiscated passports are recorded without a zone; bad input names the field.
    let (status, _) = api
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "confiscated", "number": "N9988776"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, err) = api
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "stolen"}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("status"))
    );
    let (status, err) = api
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "lost", "mrz": "hello"}),
        )
        .await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("mrz")));

    let (status, list) = api
        .get(&format!(
            "/api/v1/persons/{}/documents",
            same["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    // Documents recorded in the same instant have no defined order: pick the valid passport.
    let first = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["mrz_valid"] == true)
        .unwrap();
    assert_eq!(
        first["same_number_persons"],
        json!([differs["registration_number"]])
    );

    // An embassy officer for another nationality cannot see or add them.
    let emb = server.client(&server.token_for("emb-ind").await);
    let (status, _) = emb
        .get(&format!(
            "/api/v1/persons/{}/documents",
            same["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 404);
    let (status, _) = emb
        .post(
            &format!("/api/v1/persons/{}/documents", same["id"].as_str().unwrap()),
            json!({"kind": "passport", "status": "lost"}),
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn likely_earlier_registrations_appear_with_reasons_and_respect_scope() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let desk = moei_store::Actor::cli();
    let mut first = person("Mohammed", "Rahman", "BGD");
    first.date_of_birth = Some("1990-05-01".into());
    first.name_original_script = Some("মোহাম্মদ রহমান".into());
    let first = store.register_person(&desk, &first).await.unwrap();
    store
        .register_person(&desk, &person("Anil", "Sharma", "IND"))
        .await
        .unwrap();
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    let query = json!({"given_name": "Muhammad", "family_name": "Rahman", "sex": "M", "date_of_birth": "1990-05-01", "nationality": "bgd"});
    let mut result = json!(null);
    for _ in 0..100 {
        let (status, r) = api.post("/api/v1/persons/match", query.clone()).await;
        assert_eq!(status, 200, "{r}");
        if r["ready"] == true {
            result = r;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_schema(&spec, "MatchResult", &result);
    let items = result["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{result:#}");
    assert_eq!(items[0]["person"]["id"], first.id.as_str());
    let fields: Vec<&str> = items[0]["explanation"]["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") || fields.contains(&"Name"),
        "{fields:?}"
    );

    // Someone registered through the API is found at once, without a rebuild.
    let (status, _) = api.post("/api/v1/persons", json!({"given_name": "Nguyễn Văn", "family_name": "An", "sex": "M", "date_of_birth": "1992-07-09", "nationality": "VNM"})).await;
    assert_eq!(status, 201);
    let (_, r) = api.post("/api/v1/persons/match", json!({"given_name": "Van An", "family_name": "Nguyen", "date_of_birth": "1992-07-09", "nationality": "VNM"})).await;
    assert_eq!(r["items"].as_array().unwrap().len(), 1, "{r:#}");

    // An embassy officer for India is never shown the Bangladeshi candidate.
    let emb = server.client(&server.token_for("emb-ind").await);
    let (status, r) = emb.post("/api/v1/persons/match", query).await;
    assert_eq!(status, 200);
    assert_eq!(r["items"], json!([]));
    // A different person is not proposed.
    let (_, r) = api.post("/api/v1/persons/match", json!({"given_name": "Maria", "family_name": "Santos", "date_of_birth": "2001-01-01", "nationality": "PHL"})).await;
    assert_eq!(r["items"], json!([]));
}

#[tokio::test]
async fn the_person_page_is_one_audited_read() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let p = store
        .register_person(&moei_store::Actor::cli(), &person("Abebe", "Bekele", "ETH"))
        .await
        .unwrap();
    let server = TestServer::start(store).await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ok = http
        .post(format!("{}/login", server.base))
        .form(&[("username", "desk"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let page = http
        .get(format!("{}/persons/{}", server.base, p.id))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(p.registration_number.as_str())
    );
    let entries = server
        .store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap();
    let reads = entries
        .iter()
        .filter(|e| e.action == "person.read" && e.target_id == p.id)
        .count();
    assert_eq!(reads, 1, "one page view, one audited read");
}
