//! Reading zones from images of documents: the API route (validated against the OpenAPI
//! document), the person page's upload, `moei mrz --image`, who may read, the audit trail, and
//! that nothing of the image is kept.

use moei_domain::Role;
use moei_mrz::Format;
use moei_mrz_image::generate::{Degradation, encode_png, sample};
use serde_json::json;

use crate::api::assert_schema;
use crate::cli::moei;
use crate::common::*;

fn png_of_page(seed: u64, format: Format) -> (String, Vec<u8>) {
    let s = sample(seed, format, Degradation::Clean);
    (s.zone.clone(), encode_png(&s.image))
}

async fn audit_actions(store: &moei_store::Store) -> Vec<(String, String, String)> {
    store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.target_id, e.detail))
        .collect()
}

#[tokio::test]
async fn api_reads_an_image_audits_the_read_and_keeps_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store.clone()).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, spec) = api.get("/api/openapi.json").await;
    let (_, person) = api
        .post("/api/v1/persons", json!({"sex": "F", "nationality": "MMR"}))
        .await;
    let id = person["id"].as_str().unwrap();

    let (zone, png) = png_of_page(21, Format::Td3);
    let (status, read) = api
        .raw(
            reqwest::Method::POST,
            &format!("/api/v1/mrz/read?person_id={id}"),
            "image/png",
            png,
        )
        .await;
    assert_eq!(status, 200, "{read}");
    assert_schema(&spec, "MrzImageRead", &read);
    assert_eq!(read["mrz"], zone.as_str());
    assert_eq!(read["valid"], true);
    assert_eq!(read["report"]["format"], "TD3");

    // Audited with its outcome and the person, and nothing stored: no document, no photo.
    let actions = audit_actions(&store).await;
    assert!(
        actions
            .iter()
            .any(|(a, t, d)| a == "mrz.image_read" && t == id && d == "TD3 valid"),
        "{actions:?}"
    );
    let (_, docs) = api.get(&format!("/api/v1/persons/{id}/documents")).await;
    assert_eq!(docs["items"].as_array().unwrap().len(), 0);
    let (_, again) = api.get(&format!("/api/v1/persons/{id}")).await;
    assert_eq!(again["has_photo"], false);

    // Before the holder is registered: no person named.
    let (zone, png) = png_of_page(22, Format::Td1);
    let (status, read) = api
        .raw(reqwest::Method::POST, "/api/v1/mrz/read", "image/png", png)
        .await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["mrz"], zone.as_str());
    assert_eq!(read["report"]["format"], "TD1");
}

#[tokio::test]
async fn api_reports_failures_honestly_and_refuses_bad_input() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store.clone()).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    // A page whose zone is cut off: read, but not valid, with a shape error.
    let page = sample(23, Format::Td3, Degradation::Clean).image;
    let (w, h) = (page.width(), page.height() * 6 / 10);
    let top = moei_mrz_image::Raster::from_luma8(w, h, &page.to_luma8()[..w * h]);
    let (status, read) = api
        .raw(
            reqwest::Method::POST,
            "/api/v1/mrz/read",
            "image/png",
            encode_png(&top),
        )
        .await;
    assert_eq!(status, 200, "{read}");
    assert_schema(&spec, "MrzImageRead", &read);
    assert_eq!(read["valid"], false);
    assert_eq!(read["mrz"], "");
    assert_eq!(read["report"]["errors"][0]["code"], "shape");

    let (status, e) = api
        .raw(
            reqwest::Method::POST,
            "/api/v1/mrz/read",
            "image/png",
            b"not an image".to_vec(),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    assert_schema(&spec, "Error", &e);
    assert_eq!(e["error"]["field"], "image");

    let (status, e) = api
        .raw(
            reqwest::Method::POST,
            "/api/v1/mrz/read",
            "image/jpeg",
            vec![0u8; 9 * 1024 * 1024],
        )
        .await;
    assert_eq!(status, 413, "{e}");
    assert_eq!(e["error"]["code"], "too_large");

    let (status, _) = api
        .raw(
            reqwest::Method::POST,
            "/api/v1/mrz/read?person_id=no-such-person",
            "image/png",
            png_of_page(24, Format::Td2).1,
        )
        .await;
    assert_eq!(status, 404);
    let actions = audit_actions(&store).await;
    assert!(
        actions
            .iter()
            .any(|(a, d, _)| a == "mrz.image_read.denied" && d == "no-such-person")
    );
    assert!(
        actions
            .iter()
            .any(|(a, _, d)| a == "mrz.image_read" && d == "image not decodable")
    );
}

#[tokio::test]
async fn only_those_who_record_documents_may_have_images_read() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    add_user(&store, "police", Role::Investigator, &[]).await;
    add_user(&store, "emb", Role::EmbassyOfficer, &["MMR"]).await;
    let server = TestServer::start(store.clone()).await;
    let desk = server.client(&server.token_for("desk").await);
    let (_, person) = desk
        .post("/api/v1/persons", json!({"sex": "M", "nationality": "MMR"}))
        .await;
    let id = person["id"].as_str().unwrap();
    for user in ["police", "emb"] {
        let api = server.client(&server.token_for(user).await);
        let (status, e) = api
            .raw(
                reqwest::Method::POST,
                &format!("/api/v1/mrz/read?person_id={id}"),
                "image/png",
                png_of_page(25, Format::Td3).1,
            )
            .await;
        assert_eq!(status, 403, "{user}: {e}");
    }
    let actions = audit_actions(&store).await;
    let denied = actions
        .iter()
        .filter(|(a, t, _)| a == "mrz.image_read.denied" && t == id)
        .count();
    assert_eq!(denied, 2);
    assert!(!actions.iter().any(|(a, _, _)| a == "mrz.image_read"));
}

/// A multipart body with one file field, built by hand (the test client has no multipart).
fn multipart(field: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "moei-test-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"mrz.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn person_page_upload_fills_the_mrz_field_for_the_officer_to_confirm() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store.clone()).await;
    let api = server.client(&server.token_for("desk").await);
    let (_, person) = api
        .post("/api/v1/persons", json!({"sex": "F", "nationality": "MMR"}))
        .await;
    let id = person["id"].as_str().unwrap();

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = http
        .post(format!("{}/login", server.base))
        .form(&[("username", "desk"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let page = http
        .get(format!("{}/persons/{id}", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "/documents/read-mrz?csrf=";
    let csrf: String = page
        .split(marker)
        .nth(1)
        .expect("upload form on the person page")
        .chars()
        .take_while(|c| *c != '"')
        .collect();

    let (zone, png) = png_of_page(26, Format::Td2);
    let (content_type, body) = multipart("image", &png);
    let url = format!("{}/persons/{id}{marker}", server.base);

    // Without the CSRF token: refused, and nothing read or audited.
    let r = http
        .post(&url)
        .header("content-type", &content_type)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        !audit_actions(&store)
            .await
            .iter()
            .any(|(a, _, _)| a == "mrz.image_read")
    );

    let r = http
        .post(format!("{url}{csrf}"))
        .header("content-type", &content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    // The zone is in the form's MRZ field (HTML-escaped `<`), not yet saved as a document.
    let escaped = zone.replace('<', "&lt;");
    assert!(html.contains(&escaped), "zone not in the form");
    assert!(html.contains("data-testid=\"mrz-image-result\""));
    assert!(html.contains("class=\"success\""));
    let (_, docs) = api.get(&format!("/api/v1/persons/{id}/documents")).await;
    assert_eq!(docs["items"].as_array().unwrap().len(), 0);
    assert!(
        audit_actions(&store)
            .await
            .iter()
            .any(|(a, t, d)| a == "mrz.image_read" && t == id && d == "TD2 valid")
    );

    // Not an image: the page says so.
    let (content_type, body) = multipart("image", b"GIF89a not really");
    let r = http
        .post(format!("{url}{csrf}"))
        .header("content-type", &content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

#[test]
fn command_reads_an_image_with_the_text_commands_output_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (zone, png) = png_of_page(27, Format::Td3);
    let good = dir.path().join("passport.png");
    std::fs::write(&good, &png).unwrap();
    let out = moei(
        &[
            "mrz",
            "--image",
            good.to_str().unwrap(),
            "--reference-date",
            "2026-11-25",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["valid"], true);
    let text_out = moei(&["mrz", "--reference-date", "2026-11-25"], Some(&zone));
    assert_eq!(String::from_utf8(text_out.stdout).unwrap(), stdout);

    let page = sample(28, Format::Td3, Degradation::Clean).image;
    let (w, h) = (page.width(), page.height() / 2);
    let top = moei_mrz_image::Raster::from_luma8(w, h, &page.to_luma8()[..w * h]);
    let no_zone = dir.path().join("top.png");
    std::fs::write(&no_zone, encode_png(&top)).unwrap();
    let out = moei(&["mrz", "--image", no_zone.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["valid"], false);

    let not_image = dir.path().join("notes.txt");
    std::fs::write(&not_image, "hello").unwrap();
    let out = moei(&["mrz", "--image", not_image.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = moei(
        &[
            "mrz",
            "--image",
            dir.path().join("missing.png").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}
