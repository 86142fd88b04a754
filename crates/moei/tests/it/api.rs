//! The HTTP API end to end, every response checked against the OpenAPI document.

use moei_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

/// Validates `instance` against `#/components/schemas/NAME` of the served OpenAPI document.
pub fn assert_schema(spec: &Value, name: &str, instance: &Value) {
    let root =
        json!({ "$ref": format!("#/components/schemas/{name}"), "components": spec["components"] });
    let schema = jsonschema::JSONSchema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .compile(&root)
        .unwrap();
    if let Err(errors) = schema.validate(instance) {
        let msgs: Vec<String> = errors
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        panic!("response does not match schema {name}: {msgs:?}\n{instance:#}");
    };
}

#[tokio::test]
async fn register_find_update_over_http_matching_the_openapi_document() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("desk").await);

    let (status, spec) = api.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/v1/arrival-groups",
        "/api/v1/persons",
        "/api/v1/persons/{id}",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the document"
        );
    }

    let (status, me) = api.get("/api/v1/me").await;
    assert_eq!(status, 200);
    assert_schema(&spec, "Me", &me);

    let (status, group) = api
        .post("/api/v1/arrival-groups", json!({"crossing_point": "Moei River, Ban Wang Takhian", "mode": "raft", "headcount": 3, "arrived_at": "2025-10-24T06:40:00+07:00"}))
        .await;
    assert_eq!(status, 201, "{group}");
    assert_schema(&spec, "ArrivalGroup", &group);
    let gid = group["id"].as_str().unwrap();

    let people = [
        json!({"arrival_group_id": gid, "given_name": "Rajesh", "family_name": "Kumar", "name_original_script": "राजेश कुमार", "sex": "M", "date_of_birth": "1996-02-29", "nationality": "IND", "languages": ["hi", "en"]}),
        json!({"arrival_group_id": gid, "given_name": "Maria", "family_name": "Santos", "sex": "F", "date_of_birth": "1999", "nationality": "PHL", "needs": ["pregnant"]}),
        json!({"arrival_group_id": gid, "name_original_script": "张伟", "sex": "X", "estimated_age": 30, "nationality": "CHN", "has_identity_document": false}),
    ];
    let mut ids = Vec::new();
    for body in people {
        let (status, p) = api.post("/api/v1/persons", body).await;
        assert_eq!(status, 201, "{p}");
        assert_schema(&spec, "Person", &p);
        ids.push((
            p["id"].as_str().unwrap().to_string(),
            p["registration_number"].as_str().unwrap().to_string(),
        ));
    }

    let (status, p) = api.get(&format!("/api/v1/persons/{}", ids[0].0)).await;
    assert_eq!(status, 200);
    assert_eq!(p["name_original_script"], "राजेश कुमार");
    assert_eq!(p["date_of_birth"], "1996-02-29");
    // The wristband number works in place of the id.
    let (status, p2) = api.get(&format!("/api/v1/persons/{}", ids[0].1)).await;
    assert_eq!((status, &p2["id"]), (200, &p["id"]));

    let (status, updated) = api
        .send(
            Method::PATCH,
            &format!("/api/v1/persons/{}", ids[2].0),
            json!({"given_name": "Wei", "family_name": "Zhang", "expected_version": 1}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_schema(&spec, "Person", &updated);
    assert_eq!(updated["version"], 2);
    let (status, conflict) = api
        .send(
            Method::PATCH,
            &format!("/api/v1/persons/{}", ids[2].0),
            json!({"notes": "x", "expected_version": 1}),
        )
        .await;
    assert_eq!(status, 409);
    assert_schema(&spec, "Error", &conflict);

    let (status, history) = api
        .get(&format!("/api/v1/persons/{}/history", ids[2].0))
        .await;
    assert_eq!(status, 200);
    for h in history["items"].as_array().unwrap() {
        assert_schema(&spec, "HistoryEntry", h);
    }
    assert_eq!(history["items"][1]["changes"]["family_name"]["to"], "Zhang");

    let (status, page) = api.get("/api/v1/persons?q=zha").await;
    assert_eq!(status, 200);
    assert_schema(&spec, "PersonPage", &page);
    assert_eq!(page["items"][0]["id"], ids[2].0.as_str());
    let (_, page) = api.get("/api/v1/persons?nationality=PHL").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);

    // Paging: two per page, three persons.
    let (_, first) = api.get("/api/v1/persons?limit=2").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = first["next"].as_str().unwrap();
    let (_, second) = api
        .get(&format!("/api/v1/persons?limit=2&cursor={next}"))
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next"].is_null());

    let (status, counts) = api.get(&format!("/api/v1/counts?group={gid}")).await;
    assert_eq!(status, 200);
    assert_schema(&spec, "Counts", &counts);
    assert_eq!(counts["group"], 3);
    assert_eq!(counts["total"], 3);

    let (status, groups) = api.get("/api/v1/arrival-groups").await;
    assert_eq!(status, 200);
    assert_schema(&spec, "ArrivalGroup", &groups["items"][0]);
    assert_eq!(groups["items"][0]["registered_count"], 3);

    // Unknown records and a registrar's forbidden calls use the error shape.
    let (status, e) = api.get("/api/v1/persons/MS-0000000").await;
    assert_eq!(status, 404);
    assert_schema(&spec, "Error", &e);
    let (status, e) = api.get("/api/v1/audit").await;
    assert_eq!(status, 403);
    assert_schema(&spec, "Error", &e);
}

#[tokio::test]
async fn sessions_need_csrf_for_changes_and_tokens_must_be_real() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store).await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let r = http
        .get(format!("{}/api/v1/me", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("{}/api/v1/me", server.base))
        .bearer_auth("moei_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let bad = http
        .post(format!("{}/login", server.base))
        .form(&[("username", "desk"), ("password", "wrong-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let ok = http
        .post(format!("{}/login", server.base))
        .form(&[("username", "desk"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let r = http
        .get(format!("{}/api/v1/me", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A change through the session cookie without the CSRF header is refused, and stores nothing.
    let r = http
        .post(format!("{}/api/v1/persons", server.base))
        .json(&json!({"sex": "M", "nationality": "IND"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A cross-site form post is refused before it reaches the handler.
    let r = http
        .post(format!("{}/desk/register", server.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("sex", "M"), ("nationality", "IND")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A same-site form without the hidden CSRF field is refused too.
    let r = http
        .post(format!("{}/desk/register", server.base))
        .form(&[("sex", "M"), ("nationality", "IND")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(person_count(&server.store).await, 0);
}
