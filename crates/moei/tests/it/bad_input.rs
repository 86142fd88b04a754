//! Bad input gets a clear error naming the field and the problem, never a panic, and nothing
//! half-written stays behind.

use moei_domain::Role;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn bad_requests_are_refused_clearly_and_store_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("desk").await);

    // (body, status, code, field)
    let cases: Vec<(Vec<u8>, u16, &str, Option<&str>)> = vec![
        (
            b"{\"sex\": \"M\", \"nationality\": ".to_vec(),
            400,
            "malformed_json",
            None,
        ),
        (b"not json at all".to_vec(), 400, "malformed_json", None),
        (
            json!({"sex": "M", "nationality": "ZZZ"})
                .to_string()
                .into_bytes(),
            422,
            "unknown_nationality",
            Some("nationality"),
        ),
        (
            json!({"sex": "M", "nationality": "ind1"})
                .to_string()
                .into_bytes(),
            422,
            "unknown_nationality",
            Some("nationality"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "date_of_birth": "1995-02-30"})
                .to_string()
                .into_bytes(),
            422,
            "impossible_date",
            Some("date_of_birth"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "date_of_birth": "2031-01-01"})
                .to_string()
                .into_bytes(),
            422,
            "date_in_future",
            Some("date_of_birth"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "date_of_birth": "14/03/1995"})
                .to_string()
                .into_bytes(),
            422,
            "invalid_date_format",
            Some("date_of_birth"),
        ),
        (
            json!({"sex": "male", "nationality": "IND"})
                .to_string()
                .into_bytes(),
            422,
            "invalid_sex",
            Some("sex"),
        ),
        (
            json!({"nationality": "IND"}).to_string().into_bytes(),
            422,
            "required",
            Some("sex"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "estimated_age": 400})
                .to_string()
                .into_bytes(),
            422,
            "out_of_range",
            Some("estimated_age"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "needs": ["hungry"]})
                .to_string()
                .into_bytes(),
            422,
            "invalid_need",
            Some("needs"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "given_name": "x".repeat(500)})
                .to_string()
                .into_bytes(),
            422,
            "too_long",
            Some("given_name"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "given_name": "a\u{0000}b"})
                .to_string()
                .into_bytes(),
            422,
            "control_characters",
            Some("given_name"),
        ),
        (
            json!({"sex": "M", "nationality": "IND", "passport": "X"})
                .to_string()
                .into_bytes(),
            422,
            "invalid_field",
            Some("passport"),
        ),
        (
            json!({"sex": 5, "nationality": "IND"})
                .to_string()
                .into_bytes(),
            422,
            "invalid_field",
            Some("sex"),
        ),
    ];
    for (body, status, code, field) in cases {
        let shown = String::from_utf8_lossy(&body)
            .chars()
            .take(80)
            .collect::<String>();
        let (got, err) = api
            .raw(Method::POST, "/api/v1/persons", "application/json", body)
            .await;
        assert_eq!(got, status, "{shown}: {err}");
        assert_eq!(err["error"]["code"], code, "{shown}: {err}");
        if let Some(f) = field {
            assert_eq!(err["error"]["field"], f, "{shown}: {err}");
        }
        assert!(
            err["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }

    // Oversize JSON body.
    let huge = json!({"sex": "M", "nationality": "IND", "notes": "x".repeat(200_000)})
        .to_string()
        .into_bytes();
    let (status, err) = api
        .raw(Method::POST, "/api/v1/persons", "application/json", huge)
        .await;
    assert_eq!(status, 413, "{err}");
    // Wrong content type.
    let (status, _) = api
        .raw(
            Method::POST,
            "/api/v1/persons",
            "text/plain",
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(status, 400);
    // Bad query parameters.
    let (status, err) = api.get("/api/v1/persons?day=24-10-2025").await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("day")));
    let (status, _) = api.get("/api/v1/persons?limit=many").await;
    assert_eq!(status, 400);
    assert_eq!(
        person_count(&server.store).await,
        0,
        "nothing may be stored after refused requests"
    );

    // Photos: a real person, then bad photos.
    let (status, p) = api
        .post("/api/v1/persons", json!({"sex": "F", "nationality": "ETH"}))
        .await;
    assert_eq!(status, 201);
    let photo_url = format!("/api/v1/persons/{}/photo", p["id"].as_str().unwrap());
    let (status, err) = api
        .raw(
            Method::PUT,
            &photo_url,
            "image/jpeg",
            b"GIF89a not a jpeg".to_vec(),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("photo")),
        "{err}"
    );
    let mut big = vec![0xFF, 0xD8, 0xFF, 0xE0];
    big.resize(6 * 1024 * 1024, 0);
    let (status, _) = api.raw(Method::PUT, &photo_url, "image/jpeg", big).await;
    assert_eq!(status, 413);
    let (status, after) = api
        .get(&format!("/api/v1/persons/{}", p["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (after["has_photo"].as_bool(), after["version"].as_i64()),
        (Some(false), Some(1))
    );

    // A good photo is stored with its hash, as a new version.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    jpeg.extend_from_slice(b"JFIF test image");
    let (status, with_photo) = api
        .raw(Method::PUT, &photo_url, "image/jpeg", jpeg.clone())
        .await;
    assert_eq!(status, 200, "{with_photo}");
    assert_eq!(with_photo["photo_sha256"].as_str().unwrap().len(), 64);
    let r = api
        .http
        .get(format!("{}{photo_url}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), jpeg);
    assert_eq!(person_count(&server.store).await, 1);
}
