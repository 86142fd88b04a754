//! The logistics JSON API over real HTTP on the backend named by MOEI_TEST_BACKEND: facilities,
//! bulk movements, manifests, arrival checks, the embassy workspace, departure batches. Files
//! are read back (calamine for XLSX, poppler's pdftotext for PDF) and JSON answers are checked
//! against the served OpenAPI document.

use calamine::{Data, Reader};
use moei_domain::{Person, Role};
use moei_store::departures::BatchInput;
use moei_store::embassy::ConsularInput;
use moei_store::facilities::{FacilityInput, MoveInput, PersonFilter};
use moei_store::{Actor, Store};
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::assert_schema;
use crate::common::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn register(store: &Store, n: usize, nationality: &str, sex: &str) -> Vec<Person> {
    let inputs: Vec<_> = (0..n)
        .map(|i| moei_domain::PersonInput {
            sex: Some(sex.into()),
            name_original_script: Some(format!("नाम {i}")),
            ..person(
                &format!("Given{i}"),
                &format!("Family{nationality}"),
                nationality,
            )
        })
        .collect();
    store
        .register_persons(&Actor::cli(), &inputs)
        .await
        .unwrap()
}

fn num(p: &Person) -> String {
    p.registration_number.to_string()
}

/// A GET returning a file: status, content type and bytes.
async fn fetch(api: &Api, path: &str) -> (u16, String, Vec<u8>) {
    let r = api
        .http
        .get(format!("{}{path}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, r.bytes().await.unwrap().to_vec())
}

fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// An embassy's verification file as it would send it back.
fn verification_xlsx(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "registration_number",
        "verification",
        "travel_document_kind",
        "travel_document_number",
        "travel_document_valid_until",
    ];
    for (c, h) in (0u16..).zip(header) {
        ws.write_string(0, c, h).unwrap();
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(row) {
            if !v.is_empty() {
                ws.write_string(r, c, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A multipart/form-data body with the file part (and any extra text parts).
fn multipart(file: &[u8], extra: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "moei-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in extra {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"verified.xlsx\"\r\nContent-Type: {XLSX}\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(api: &Api, path: &str, file: &[u8], extra: &[(&str, &str)]) -> (u16, Value) {
    let (content_type, body) = multipart(file, extra);
    api.raw(Method::POST, path, &content_type, body).await
}

async fn put(api: &Api, path: &str, body: Value) -> (u16, Value) {
    api.send(Method::PUT, path, body).await
}

fn refusal_reasons(report: &Value, number: &str) -> Vec<String> {
    report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["registration_number"] == number)
        .map(|r| {
            r["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn occupied(sites: &Value, id: &str) -> i64 {
    sites
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap()["occupied"]
        .as_i64()
        .unwrap()
}

/// The roll as the embassy downloads it, by registration number: the consular columns.
async fn roll_by_number(api: &Api, nationality: &str) -> Vec<Vec<String>> {
    let (status, _, bytes) = fetch(
        api,
        &format!("/api/v1/nominal-roll?nationality={nationality}&format=xlsx"),
    )
    .await;
    assert_eq!(status, 200);
    sheet(&bytes)
}

fn roll_row<'a>(rows: &'a [Vec<String>], number: &str) -> &'a [String] {
    rows.iter().find(|r| r[0] == number).unwrap()
}

#[tokio::test]
async fn logistics_story_over_http_from_facility_to_handover_receipt() {
    let db = TestDb::new().await;
    let clock = std::sync::Arc::new(test_clock());
    let store = db.store_with_clock(clock.clone()).await;
    for (name, role, scope) in [
        ("fm", Role::FacilityManager, vec![]),
        ("scr", Role::Screener, vec![]),
        ("emb", Role::EmbassyOfficer, vec!["IND"]),
        ("admin", Role::Admin, vec![]),
    ] {
        add_user(&store, name, role, &scope).await;
    }
    let ind = register(&store, 500, "IND", "M").await;
    let chn = register(&store, 5, "CHN", "F").await;
    let server = TestServer::start(store.clone()).await;
    let fm = server.client(&server.token_for("fm").await);
    let scr = server.client(&server.token_for("scr").await);
    let emb = server.client(&server.token_for("emb").await);
    let admin = server.client(&server.token_for("admin").await);
    let (_, spec) = fm.get("/api/openapi.json").await;
    let n = |i: usize| num(&ind[i]);

    // Two sites; a second one with the same name is refused, naming the field.
    let mut site = Vec::new();
    for (name, men) in [("Mae Sot shelter 1", 600), ("Friendship Bridge 2", 500)] {
        let (status, f) = fm
            .post(
                "/api/v1/facilities",
                json!({"name": name, "kind": "holding", "capacities": {"men": men, "women": 50, "minors": 10, "families": 10}}),
            )
            .await;
        assert_eq!(status, 201, "{f}");
        assert_schema(&spec, "Facility", &f);
        assert_eq!(f["capacity"], men + 70);
        site.push(f["id"].as_str().unwrap().to_string());
    }
    let (status, e) = fm
        .post(
            "/api/v1/facilities",
            json!({"name": "Mae Sot shelter 1", "kind": "holding"}),
        )
        .await;
    assert_eq!((status, &e["error"]["field"]), (422, &json!("name")), "{e}");

    // Everyone is placed at the shelter; then the 500 Indians go to the bridge in one request.
    let (status, placed) = fm
        .post(
            "/api/v1/movements",
            json!({"filter": {"unplaced": true}, "to_facility_id": site[0]}),
        )
        .await;
    assert_eq!(status, 201, "{placed}");
    assert_eq!(placed["moved"], 505);
    clock.advance(jiff::SignedDuration::from_hours(1));
    let (status, moved) = fm
        .post(
            "/api/v1/movements",
            json!({"filter": {"nationality": "ind", "facility_id": site[0]}, "to_facility_id": site[1],
                   "vehicle": "bus 40-1234 Tak", "escort": "Sgt. Somchai"}),
        )
        .await;
    assert_eq!(status, 201, "{moved}");
    assert_schema(&spec, "MoveResult", &moved);
    assert_eq!(moved["moved"], 500);
    // 500 men in a section of 500: near capacity, said in the answer.
    assert_eq!(moved["warnings"][0]["section"], "men");
    assert_eq!(moved["warnings"][0]["level"], "near_capacity");
    let movement = moved["movement_id"].as_str().unwrap().to_string();

    // The manifest as JSON, XLSX (read back) and PDF (text extracted).
    let (status, manifest) = fm
        .get(&format!("/api/v1/movements/{movement}/manifest"))
        .await;
    assert_eq!(status, 200);
    assert_schema(&spec, "Manifest", &manifest);
    assert_eq!(manifest["persons"].as_array().unwrap().len(), 500);
    assert_eq!(manifest["vehicle"], "bus 40-1234 Tak");
    let (status, content_type, bytes) = fetch(
        &fm,
        &format!("/api/v1/movements/{movement}/manifest?format=xlsx"),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, XLSX));
    let rows = sheet(&bytes);
    assert_eq!(rows.len(), 501);
    assert_eq!(
        rows[0][..3],
        ["registration_number", "family_name", "given_name"]
    );
    let mut want: Vec<String> = ind.iter().map(num).collect();
    want.sort();
    let got: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(got, want);
    assert!(rows[1..].iter().all(|r| r[1] == "FamilyIND"
        && r[3].starts_with("नाम ")
        && r[6] == "men"
        && r[7] == "expected"));
    let (status, content_type, bytes) = fetch(
        &fm,
        &format!("/api/v1/movements/{movement}/manifest?format=pdf&lang=en"),
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let text = pdf_text(db.dir.path(), &bytes);
    for expected in ["Friendship Bridge 2", "bus 40-1234 Tak", &n(0), &n(499)] {
        assert!(
            text.contains(expected),
            "{expected} not in the manifest PDF"
        );
    }

    // Arrival: 498 checked in bulk, one on their own, one never arrives.
    let bulk: Vec<String> = (1..499).map(n).chain(["MS-9999999".to_string()]).collect();
    let path = format!("/api/v1/movements/{movement}/arrivals");
    let (status, report) = fm
        .post(&path, json!({ "registration_numbers": bulk }))
        .await;
    assert_eq!(status, 200, "{report}");
    assert_schema(&spec, "ArrivalReport", &report);
    assert_eq!(report["checked"], 498);
    assert_eq!(report["not_on_manifest"], json!(["MS-9999999"]));
    let (_, report) = fm
        .post(&path, json!({ "registration_numbers": [n(499)] }))
        .await;
    assert_eq!(report["checked"], 1);
    let (_, report) = fm
        .post(&path, json!({ "registration_numbers": [n(499)] }))
        .await;
    assert_eq!(
        (&report["checked"], &report["not_on_manifest"]),
        (&json!(0), &json!([n(499)]))
    );
    let close = format!("/api/v1/movements/{movement}/close");
    let (status, closed) = fm.post(&close, json!({})).await;
    assert_eq!(status, 200, "{closed}");
    assert_schema(&spec, "ArrivalClosed", &closed);
    assert_eq!(closed["alert"], true);
    assert_eq!(closed["missing"].as_array().unwrap().len(), 1);
    assert_eq!(closed["missing"][0]["registration_number"], n(0).as_str());
    let (status, e) = fm.post(&close, json!({})).await;
    assert_eq!(status, 409, "{e}");
    let (status, _) = fm
        .post(&path, json!({ "registration_numbers": [n(1)] }))
        .await;
    assert_eq!(status, 409);
    let alerts: Vec<_> = store
        .audit_entries(&Actor::cli(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "movement.missing_alert")
        .collect();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].detail.contains("\"missing\":1"));
    let (status, history) = fm
        .get(&format!("/api/v1/persons/{}/locations", ind[0].id))
        .await;
    assert_eq!(status, 200);
    assert_schema(&spec, "LocationEntry", &history["items"][1]);
    assert_eq!(history["items"][0]["facility"], "Mae Sot shelter 1");
    assert_eq!(history["items"][1]["facility"], "Friendship Bridge 2");
    assert_eq!(history["items"][1]["arrival"], "missing");
    let (_, sites) = fm.get("/api/v1/facilities").await;
    assert_eq!(
        (occupied(&sites, &site[0]), occupied(&sites, &site[1])),
        (5, 499)
    );

    // Protection: a legal basis for ind[1..=8] (by registration number), a fear of return for
    // ind[8]; ind[9] has no basis.
    for i in 1..=8 {
        let (status, b) = put(
            &scr,
            &format!("/api/v1/persons/{}/disclosure-basis", n(i)),
            json!({"basis": "consent"}),
        )
        .await;
        assert_eq!(status, 200, "{b}");
        assert_schema(&spec, "DisclosureBasis", &b);
    }
    let (status, p) = put(
        &scr,
        &format!("/api/v1/persons/{}/protection", ind[8].id),
        json!({"status": "flagged", "reason": "fears persecution on return"}),
    )
    .await;
    assert_eq!(status, 200, "{p}");
    assert_schema(&spec, "Protection", &p);

    // The embassy's roll as PDF in Thai: its disclosable nationals only.
    let (status, content_type, bytes) = fetch(
        &emb,
        "/api/v1/nominal-roll?nationality=IND&format=pdf&lang=th",
    )
    .await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let text = pdf_text(db.dir.path(), &bytes);
    assert!(text.contains("บัญชีรายชื่อ"), "the Thai title is missing");
    for i in 1..=7 {
        assert!(text.contains(&n(i)), "{} missing from the roll", n(i));
    }
    for hidden in [n(8), n(9), num(&chn[0])] {
        assert!(!text.contains(&hidden), "{hidden} must not be on the roll");
    }
    assert_eq!(roll_by_number(&emb, "IND").await.len(), 8);

    // Consular findings per person, by registration number or by id.
    let (status, rec) = put(
        &emb,
        &format!("/api/v1/persons/{}/consular", n(1)),
        json!({"verification": "confirmed", "travel_document_kind": "passport", "travel_document_number": "z1234567",
               "travel_document_valid_until": "2030-01-01", "proposed_departure": "2025-11-06"}),
    )
    .await;
    assert_eq!(status, 200, "{rec}");
    assert_schema(&spec, "ConsularRecord", &rec);
    assert_eq!(rec["travel_document_number"], "Z1234567");
    let (status, rec) = put(
        &emb,
        &format!("/api/v1/persons/{}/consular", ind[2].id),
        json!({"verification": "confirmed", "travel_document_kind": "emergency_certificate", "travel_document_number": "EC-2",
               "travel_document_valid_until": "2026-03-31"}),
    )
    .await;
    assert_eq!(status, 200, "{rec}");
    let (status, e) = put(
        &emb,
        &format!("/api/v1/persons/{}/consular", n(3)),
        json!({"travel_document_kind": "passport", "travel_document_number": "X1", "travel_document_valid_until": "2025-01-01"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(e["error"]["field"], "travel_document_valid_until");
    let (status, _) = put(
        &emb,
        &format!("/api/v1/persons/{}/consular", n(8)),
        json!({"verification": "confirmed"}),
    )
    .await;
    assert_eq!(
        status, 404,
        "a person under protection does not exist for the embassy"
    );

    // The embassy's verification file: three good rows, a bad value, an unknown number and
    // another embassy's national. Refused whole, then applied in part when accepted.
    let chn0 = num(&chn[0]);
    let file = verification_xlsx(&[
        [&n(3), "confirmed", "passport", "P3", "2030-01-01"],
        [&n(4), "confirmed", "laissez_passer", "LP4", "2030-01-01"],
        [&n(5), "interview_needed", "", "", ""],
        [&n(6), "yes", "", "", ""],
        ["MS-0000999", "confirmed", "", "", ""],
        [&chn0, "confirmed", "", "", ""],
    ]);
    let (status, refused) = upload(&emb, "/api/v1/consular/import", &file, &[]).await;
    assert_eq!(status, 422, "{refused}");
    assert_schema(&spec, "ImportRefused", &refused);
    assert_eq!(refused["error"]["field"], "file");
    let lines: Vec<(i64, &str)> = refused["report"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_i64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (2, "ok"),
            (3, "ok"),
            (4, "ok"),
            (5, "invalid"),
            (6, "not_matched"),
            (7, "not_matched")
        ]
    );
    assert_eq!(
        refused["report"]["rows"][3]["errors"][0]["field"],
        "verification"
    );
    assert_eq!(refused["report"]["applied"], 0);
    let rows = roll_by_number(&emb, "IND").await;
    assert_eq!(roll_row(&rows, &n(3))[7], "pending", "nothing was applied");
    let (status, report) = upload(
        &emb,
        "/api/v1/consular/import?accept_valid_rows=true",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_schema(&spec, "ImportReport", &report);
    assert_eq!(
        (&report["valid"], &report["rejected"], &report["applied"]),
        (&json!(3), &json!(3), &json!(3))
    );
    let rows = roll_by_number(&emb, "IND").await;
    assert_eq!(
        roll_row(&rows, &n(3))[7..10],
        ["confirmed", "passport", "P3"]
    );
    assert_eq!(roll_row(&rows, &n(5))[7], "interview_needed");
    assert_eq!(roll_row(&rows, &n(6))[7], "pending");

    // Screening has cleared ind[1..=9] (set directly: screening has its own tests).
    for p in &ind[1..=9] {
        db.raw(&format!(
            "UPDATE persons SET case_status = 'irregular_migrant' WHERE id = '{}'",
            p.id
        ))
        .await;
    }

    // A flight: everyone at the bridge is offered; the store refuses and says why per person.
    let (status, batch) = fm
        .post(
            "/api/v1/batches",
            json!({"kind": "flight", "carrier": "Indian Air Force", "route": "Mae Sot - Delhi", "departure_date": "2025-11-06", "capacity": 50}),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    assert_schema(&spec, "Batch", &batch);
    let bid = batch["id"].as_str().unwrap().to_string();
    let (status, report) = fm
        .post(
            &format!("/api/v1/batches/{bid}/assign"),
            json!({"filter": {"nationality": "IND", "facility_id": site[1]}}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_schema(&spec, "AssignReport", &report);
    assert_eq!(report["assigned"], 4);
    assert_eq!(report["refused"].as_array().unwrap().len(), 495);
    assert_eq!(
        refusal_reasons(&report, &n(5)),
        ["nationality_unconfirmed", "no_travel_document"]
    );
    assert_eq!(
        refusal_reasons(&report, &n(8)),
        [
            "fears_return",
            "nationality_unconfirmed",
            "no_travel_document"
        ]
    );
    assert_eq!(
        refusal_reasons(&report, &n(100)),
        [
            "nationality_unconfirmed",
            "no_travel_document",
            "unscreened"
        ]
    );
    let (_, again) = fm
        .post(
            &format!("/api/v1/batches/{bid}/assign"),
            json!({"filter": {"registration_numbers": [n(1)]}}),
        )
        .await;
    assert_eq!(again["assigned"], 0);
    assert_eq!(refusal_reasons(&again, &n(1)), ["already_assigned"]);

    // ind[2] does not show up; "departed" is for the whole batch.
    let outcomes = format!("/api/v1/batches/{bid}/outcomes");
    let (status, changed) = fm
        .post(
            &outcomes,
            json!({"registration_numbers": [n(2)], "outcome": "no_show"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["changed"], 1);
    let (status, e) = fm
        .post(
            &outcomes,
            json!({"registration_numbers": [n(3)], "outcome": "departed"}),
        )
        .await;
    assert_eq!((status, &e["error"]["field"]), (422, &json!("outcome")));
    let (status, detail) = fm.get(&format!("/api/v1/batches/{bid}")).await;
    assert_eq!(status, 200);
    assert_schema(&spec, "BatchDetail", &detail);
    let outcome_of = |d: &Value, number: &str| {
        d["persons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["registration_number"] == number)
            .map(|p| p["outcome"].as_str().unwrap().to_string())
    };
    assert_eq!(outcome_of(&detail, &n(2)).as_deref(), Some("no_show"));
    assert_eq!(detail["persons"].as_array().unwrap().len(), 4);

    // The flight leaves; the receipt lists who left, with the receiving party.
    let (status, e) = fm.get(&format!("/api/v1/batches/{bid}/receipt")).await;
    assert_eq!(status, 409, "no receipt before departure: {e}");
    let depart = format!("/api/v1/batches/{bid}/depart");
    let (status, left) = fm
        .post(
            &depart,
            json!({"exit_record": "TM.35 batch 1", "handed_over_to": "Embassy of India"}),
        )
        .await;
    assert_eq!(status, 200, "{left}");
    assert_schema(&spec, "Batch", &left);
    assert_eq!(
        (&left["status"], &left["assigned"]),
        (&json!("departed"), &json!(3))
    );
    let (status, _) = fm
        .post(
            &depart,
            json!({"exit_record": "again", "handed_over_to": "x"}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, content_type, bytes) =
        fetch(&fm, &format!("/api/v1/batches/{bid}/receipt?lang=en")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    let text = pdf_text(db.dir.path(), &bytes);
    for expected in [
        "Handover receipt",
        "Embassy of India",
        "TM.35 batch 1",
        &n(1),
        &n(3),
        &n(4),
        "Z1234567",
    ] {
        assert!(text.contains(expected), "{expected} not on the receipt");
    }
    assert!(!text.contains(&n(2)), "the no-show is not on the receipt");
    let (_, sites) = fm.get("/api/v1/facilities").await;
    assert_eq!(occupied(&sites, &site[1]), 496);

    // The departure rate feeds the bottleneck view.
    let (status, rate) = fm.get("/api/v1/departure-rate").await;
    assert_eq!(status, 200);
    assert_schema(&spec, "DepartureRate", &rate);
    assert_eq!(rate["rate_per_weekday"], 300);
    let (status, _) = put(
        &fm,
        "/api/v1/departure-rate",
        json!({"rate_per_weekday": 3}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, view) = fm.get("/api/v1/bottlenecks").await;
    assert_schema(&spec, "BottleneckReport", &view);
    assert_eq!(
        (&view["rate_per_weekday"], &view["present"]),
        (&json!(3), &json!(502))
    );

    // The embassy list: anyone reads it, only an administrator edits it.
    let (status, list) = fm.get("/api/v1/embassies").await;
    assert_eq!(status, 200);
    assert_schema(&spec, "Embassy", &list["items"][0]);
    let entry =
        json!({"has_embassy": true, "photos_allowed": false, "source": "MFA list, October 2025"});
    let (status, e) = put(&fm, "/api/v1/embassies/ETH", entry.clone()).await;
    assert_eq!(status, 403, "{e}");
    let (status, eth) = put(&admin, "/api/v1/embassies/eth", entry).await;
    assert_eq!(status, 200, "{eth}");
    assert_schema(&spec, "Embassy", &eth);
    assert_eq!(
        (&eth["nationality"], &eth["has_embassy"]),
        (&json!("ETH"), &json!(true))
    );
    assert!(server.store.verify_audit().await.unwrap().ok());
}

#[tokio::test]
async fn embassy_officers_see_only_their_nationals_and_never_screening() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let fm_actor = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let emb_chn_actor = add_user(&store, "emb_chn", Role::EmbassyOfficer, &["CHN"]).await;
    add_user(&store, "emb_ind", Role::EmbassyOfficer, &["IND"]).await;
    add_user(&store, "an", Role::Analyst, &[]).await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let ind = register(&store, 3, "IND", "M").await;
    let chn = register(&store, 3, "CHN", "M").await;
    for p in ind.iter().chain(&chn) {
        store
            .record_disclosure_basis(&Actor::cli(), &p.id, "consent")
            .await
            .unwrap();
    }
    let site = store
        .create_facility(
            &fm_actor,
            &FacilityInput {
                name: "Mae Sot shelter 1".into(),
                kind: "holding".into(),
                capacities: vec![("men".into(), 100)],
            },
        )
        .await
        .unwrap()
        .id;
    let movement = store
        .move_persons(
            &fm_actor,
            &MoveInput {
                filter: PersonFilter {
                    unplaced: true,
                    ..Default::default()
                },
                to_facility_id: site,
                to_section: None,
                vehicle: String::new(),
                escort: String::new(),
                departed_at: None,
            },
        )
        .await
        .unwrap()
        .movement_id;
    // One CHN national cleared and on a bus.
    db.raw(&format!(
        "UPDATE persons SET case_status = 'irregular_migrant' WHERE id = '{}'",
        chn[0].id
    ))
    .await;
    store
        .record_consular(
            &emb_chn_actor,
            &chn[0].id,
            &ConsularInput {
                verification: Some("confirmed".into()),
                travel_document_kind: Some("passport".into()),
                travel_document_number: Some("E1234567".into()),
                travel_document_valid_until: Some("2030-01-01".into()),
                proposed_departure: None,
            },
        )
        .await
        .unwrap();
    let batch = store
        .create_batch(
            &fm_actor,
            &BatchInput {
                kind: "bus".into(),
                carrier: "Tak Transport".into(),
                route: "Mae Sot - Kunming".into(),
                departure_date: "2025-11-07".into(),
                capacity: 40,
            },
        )
        .await
        .unwrap()
        .id;
    let report = store
        .assign_to_batch(
            &fm_actor,
            &batch,
            &PersonFilter {
                nationality: Some("CHN".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(report.assigned, 1);

    let server = TestServer::start(store).await;
    let emb = server.client(&server.token_for("emb_ind").await);
    let emb_chn = server.client(&server.token_for("emb_chn").await);
    let analyst = server.client(&server.token_for("an").await);
    let desk = server.client(&server.token_for("desk").await);
    let (_, spec) = emb.get("/api/openapi.json").await;

    // Another embassy's roll does not exist, in any format.
    for format in ["xlsx", "csv", "pdf"] {
        let (status, _, body) = fetch(
            &emb,
            &format!("/api/v1/nominal-roll?nationality=CHN&format={format}"),
        )
        .await;
        assert_eq!(status, 404, "{format}");
        let err: Value = serde_json::from_slice(&body).unwrap();
        assert_schema(&spec, "Error", &err);
    }
    let (status, _, body) = fetch(&emb, "/api/v1/nominal-roll?nationality=IND&format=csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(body).unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(chn.iter().all(|p| !csv.contains(&num(p))));

    // Its nationals cannot be written to, located or uploaded.
    for id in [chn[1].id.clone(), num(&chn[1])] {
        let (status, _) = put(
            &emb,
            &format!("/api/v1/persons/{id}/consular"),
            json!({"verification": "confirmed"}),
        )
        .await;
        assert_eq!(status, 404, "{id}");
    }
    let (status, _) = emb
        .get(&format!("/api/v1/persons/{}/locations", chn[1].id))
        .await;
    assert_eq!(status, 404);
    let file = verification_xlsx(&[[&num(&chn[1]), "confirmed", "", "", ""]]);
    let (status, refused) = upload(&emb, "/api/v1/consular/import", &file, &[]).await;
    assert_eq!(status, 422);
    assert_eq!(refused["report"]["rows"][0]["status"], "not_matched");

    // Counts are of its own nationals: batches, bottlenecks, occupancy, person counts.
    let (status, batches) = emb.get("/api/v1/batches").await;
    assert_eq!(status, 200);
    assert_eq!(batches["items"][0]["assigned"], 0);
    let (status, detail) = emb.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(status, 200);
    assert_schema(&spec, "BatchDetail", &detail);
    assert_eq!(
        (&detail["assigned"], &detail["persons"]),
        (&json!(0), &Value::Null)
    );
    let (_, detail) = emb_chn.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(
        (&detail["assigned"], &detail["persons"]),
        (&json!(1), &Value::Null)
    );
    let (_, view) = emb.get("/api/v1/bottlenecks").await;
    let codes: Vec<&Value> = view["nationalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["nationality"])
        .collect();
    assert_eq!(codes, [&json!("IND")]);
    let (_, sites) = emb.get("/api/v1/facilities").await;
    assert_eq!(sites[0]["occupied"], 3);
    let (_, counts) = emb.get("/api/v1/counts").await;
    assert_eq!(counts["total"], 3);

    // Never screening data; none of the operational changes.
    for path in [
        format!("/api/v1/persons/{}/interviews", ind[0].id),
        "/api/v1/screening/queue".to_string(),
        "/api/v1/screening/stats".to_string(),
        format!("/api/v1/movements/{movement}/manifest"),
        format!("/api/v1/batches/{batch}/receipt"),
    ] {
        let (status, e) = emb.get(&path).await;
        assert_eq!(status, 403, "{path}: {e}");
    }
    let forbidden = [
        (
            Method::POST,
            "/api/v1/movements".to_string(),
            json!({"filter": {"nationality": "IND"}, "to_facility_id": "x"}),
        ),
        (
            Method::POST,
            "/api/v1/facilities".to_string(),
            json!({"name": "x", "kind": "holding"}),
        ),
        (
            Method::POST,
            "/api/v1/batches".to_string(),
            json!({"kind": "bus", "carrier": "x", "route": "y", "departure_date": "2025-12-01", "capacity": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/batches/{batch}/assign"),
            json!({"filter": {"nationality": "IND"}}),
        ),
        (
            Method::POST,
            format!("/api/v1/movements/{movement}/close"),
            json!({}),
        ),
        (
            Method::PUT,
            "/api/v1/departure-rate".to_string(),
            json!({"rate_per_weekday": 10}),
        ),
        (
            Method::PUT,
            format!("/api/v1/persons/{}/protection", ind[0].id),
            json!({"status": "flagged"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/persons/{}/disclosure-basis", ind[0].id),
            json!({"basis": "consent"}),
        ),
        (
            Method::PUT,
            "/api/v1/embassies/IND".to_string(),
            json!({"has_embassy": true, "photos_allowed": true, "source": "x"}),
        ),
    ];
    for (method, path, body) in forbidden {
        let (status, e) = emb.send(method.clone(), &path, body).await;
        assert_eq!(status, 403, "{method} {path}: {e}");
        assert_schema(&spec, "Error", &e);
    }

    // An analyst sees counts and the rate, never names; a registrar not even logistics counts.
    let (status, _) = analyst.get("/api/v1/bottlenecks").await;
    assert_eq!(status, 200);
    let (status, _) = analyst.get("/api/v1/departure-rate").await;
    assert_eq!(status, 200);
    let (_, detail) = analyst.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(
        (&detail["assigned"], &detail["persons"]),
        (&json!(1), &Value::Null)
    );
    for path in [
        format!("/api/v1/movements/{movement}/manifest"),
        "/api/v1/nominal-roll?nationality=IND&format=csv".to_string(),
    ] {
        let (status, _) = analyst.get(&path).await;
        assert_eq!(status, 403, "{path}");
    }
    let (status, _) = desk.get("/api/v1/departure-rate").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn logistics_bad_input_is_refused_naming_the_field() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "fm", Role::FacilityManager, &[]).await;
    add_user(&store, "emb", Role::EmbassyOfficer, &["IND"]).await;
    add_user(&store, "scr", Role::Screener, &[]).await;
    let ind = register(&store, 2, "IND", "M").await;
    let server = TestServer::start(store).await;
    let fm = server.client(&server.token_for("fm").await);
    let emb = server.client(&server.token_for("emb").await);
    let scr = server.client(&server.token_for("scr").await);
    let (_, spec) = fm.get("/api/openapi.json").await;

    // Every route of this area is documented.
    for (method, path) in [
        ("post", "/api/v1/facilities"),
        ("get", "/api/v1/persons/{id}/locations"),
        ("post", "/api/v1/movements"),
        ("get", "/api/v1/movements/{id}/manifest"),
        ("post", "/api/v1/movements/{id}/arrivals"),
        ("post", "/api/v1/movements/{id}/close"),
        ("get", "/api/v1/nominal-roll"),
        ("put", "/api/v1/persons/{id}/consular"),
        ("post", "/api/v1/consular/import"),
        ("put", "/api/v1/persons/{id}/protection"),
        ("put", "/api/v1/persons/{id}/disclosure-basis"),
        ("get", "/api/v1/embassies"),
        ("put", "/api/v1/embassies/{nationality}"),
        ("get", "/api/v1/batches"),
        ("post", "/api/v1/batches"),
        ("get", "/api/v1/batches/{id}"),
        ("post", "/api/v1/batches/{id}/assign"),
        ("post", "/api/v1/batches/{id}/outcomes"),
        ("post", "/api/v1/batches/{id}/depart"),
        ("get", "/api/v1/batches/{id}/receipt"),
        ("get", "/api/v1/departure-rate"),
        ("put", "/api/v1/departure-rate"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} undocumented"
        );
    }

    let (status, site) = fm
        .post(
            "/api/v1/facilities",
            json!({"name": "Mae Sot shelter 1", "kind": "holding", "capacities": {"men": 10}}),
        )
        .await;
    assert_eq!(status, 201);
    let site = site["id"].as_str().unwrap().to_string();
    let expect = |status: u16, field: &str, got: (u16, Value)| {
        assert_eq!(got.0, status, "{}", got.1);
        assert_eq!(got.1["error"]["field"], field, "{}", got.1);
        assert_schema(&spec, "Error", &got.1);
    };

    // Facilities.
    expect(
        422,
        "kind",
        fm.post("/api/v1/facilities", json!({"name": "B", "kind": "hotel"}))
            .await,
    );
    expect(
        422,
        "capacities",
        fm.post(
            "/api/v1/facilities",
            json!({"name": "B", "kind": "holding", "capacities": {"attic": 3}}),
        )
        .await,
    );
    expect(
        422,
        "name",
        fm.post("/api/v1/facilities", json!({"kind": "holding"}))
            .await,
    );
    let (status, e) = fm
        .raw(
            Method::POST,
            "/api/v1/facilities",
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await;
    assert_eq!(
        (status, &e["error"]["code"]),
        (400, &json!("malformed_json"))
    );

    // Movements: nothing is half-written by a refused move.
    expect(
        422,
        "filter",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {}, "to_facility_id": site}),
        )
        .await,
    );
    expect(
        422,
        "to_facility_id",
        fm.post("/api/v1/movements", json!({"filter": {"unplaced": true}}))
            .await,
    );
    expect(
        422,
        "to_facility_id",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"unplaced": true}, "to_facility_id": "nowhere"}),
        )
        .await,
    );
    expect(
        422,
        "section",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"section": "attic"}, "to_facility_id": site}),
        )
        .await,
    );
    expect(
        422,
        "to_section",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"unplaced": true}, "to_facility_id": site, "to_section": "roof"}),
        )
        .await,
    );
    expect(
        422,
        "filter.nationalty",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"nationalty": "IND"}, "to_facility_id": site}),
        )
        .await,
    );
    expect(
        422,
        "filter",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"nationality": "ZZZ"}, "to_facility_id": site}),
        )
        .await,
    );
    let too_many: Vec<String> = (0..20_001).map(|i| format!("MS-{i:07}")).collect();
    expect(
        422,
        "registration_numbers",
        fm.post(
            "/api/v1/movements",
            json!({"filter": {"registration_numbers": too_many}, "to_facility_id": site}),
        )
        .await,
    );
    let huge = json!({"filter": {"registration_numbers": vec!["MS-0000001"; 300_000]}, "to_facility_id": site});
    let (status, e) = fm.post("/api/v1/movements", huge).await;
    assert_eq!(
        (status, &e["error"]["code"]),
        (413, &json!("too_large")),
        "{e}"
    );
    let (_, sites) = fm.get("/api/v1/facilities").await;
    assert_eq!(sites[0]["occupied"], 0);
    let (status, moved) = fm
        .post(
            "/api/v1/movements",
            json!({"filter": {"unplaced": true}, "to_facility_id": site}),
        )
        .await;
    assert_eq!(status, 201);
    let movement = moved["movement_id"].as_str().unwrap();
    expect(
        400,
        "format",
        fm.get(&format!(
            "/api/v1/movements/{movement}/manifest?format=docx"
        ))
        .await,
    );
    expect(
        400,
        "lang",
        fm.get(&format!(
            "/api/v1/movements/{movement}/manifest?format=pdf&lang=fr"
        ))
        .await,
    );
    let (status, _) = fm.get("/api/v1/movements/no-such-movement/manifest").await;
    assert_eq!(status, 404);
    expect(
        422,
        "registration_numbers",
        fm.post(
            &format!("/api/v1/movements/{movement}/arrivals"),
            json!({"registration_numbers": []}),
        )
        .await,
    );
    expect(
        422,
        "registration_numbers",
        fm.post(
            &format!("/api/v1/movements/{movement}/arrivals"),
            json!({"registration_numbers": "MS-1"}),
        )
        .await,
    );
    let (status, _) = fm
        .post("/api/v1/movements/no-such-movement/close", json!({}))
        .await;
    assert_eq!(status, 404);

    // Batches and the rate.
    expect(422, "departure_date", fm.post("/api/v1/batches", json!({"kind": "bus", "carrier": "x", "route": "y", "departure_date": "2025-10-01", "capacity": 5})).await);
    expect(422, "capacity", fm.post("/api/v1/batches", json!({"kind": "bus", "carrier": "x", "route": "y", "departure_date": "2025-12-01", "capacity": "five"})).await);
    expect(422, "kind", fm.post("/api/v1/batches", json!({"kind": "boat", "carrier": "x", "route": "y", "departure_date": "2025-12-01", "capacity": 5})).await);
    expect(
        422,
        "rate_per_weekday",
        put(
            &fm,
            "/api/v1/departure-rate",
            json!({"rate_per_weekday": 0}),
        )
        .await,
    );
    let (status, _) = fm.get("/api/v1/batches/no-such-batch").await;
    assert_eq!(status, 404);
    let (status, _) = fm
        .post(
            "/api/v1/batches/no-such-batch/assign",
            json!({"filter": {"nationality": "IND"}}),
        )
        .await;
    assert_eq!(status, 404);
    let (_, batch) = fm
        .post("/api/v1/batches", json!({"kind": "bus", "carrier": "x", "route": "y", "departure_date": "2025-12-01", "capacity": 5}))
        .await;
    let bid = batch["id"].as_str().unwrap();
    expect(
        422,
        "exit_record",
        fm.post(
            &format!("/api/v1/batches/{bid}/depart"),
            json!({"exit_record": " ", "handed_over_to": "Embassy"}),
        )
        .await,
    );
    let (status, e) = fm
        .post(
            &format!("/api/v1/batches/{bid}/depart"),
            json!({"exit_record": "TM.35", "handed_over_to": "Embassy"}),
        )
        .await;
    assert_eq!(status, 409, "nobody is assigned: {e}");
    expect(
        422,
        "outcome",
        fm.post(
            &format!("/api/v1/batches/{bid}/outcomes"),
            json!({"registration_numbers": [num(&ind[0])], "outcome": "escaped"}),
        )
        .await,
    );
    expect(
        400,
        "lang",
        fm.get(&format!("/api/v1/batches/{bid}/receipt?lang=xx"))
            .await,
    );

    // Protection and the embassy workspace.
    expect(
        422,
        "status",
        put(
            &scr,
            &format!("/api/v1/persons/{}/protection", ind[0].id),
            json!({"status": "maybe"}),
        )
        .await,
    );
    expect(
        422,
        "status",
        put(
            &scr,
            &format!("/api/v1/persons/{}/protection", ind[0].id),
            json!({"status": "cleared"}),
        )
        .await,
    );
    expect(
        422,
        "basis",
        put(
            &scr,
            &format!("/api/v1/persons/{}/disclosure-basis", ind[0].id),
            json!({"basis": "curiosity"}),
        )
        .await,
    );
    let (status, _) = put(
        &scr,
        "/api/v1/persons/MS-9999999/protection",
        json!({"status": "flagged"}),
    )
    .await;
    assert_eq!(status, 404);
    expect(
        400,
        "format",
        emb.get("/api/v1/nominal-roll?nationality=IND&format=docx")
            .await,
    );
    expect(
        400,
        "nationality",
        emb.get("/api/v1/nominal-roll?format=csv").await,
    );
    expect(
        400,
        "lang",
        emb.get("/api/v1/nominal-roll?nationality=IND&format=pdf&lang=de")
            .await,
    );
    put(
        &scr,
        &format!("/api/v1/persons/{}/disclosure-basis", ind[0].id),
        json!({"basis": "consent"}),
    )
    .await;
    let consular = format!("/api/v1/persons/{}/consular", ind[0].id);
    for (field, body) in [
        ("verification", json!({"verification": "probably"})),
        (
            "travel_document_kind",
            json!({"travel_document_number": "X1"}),
        ),
        (
            "proposed_departure",
            json!({"proposed_departure": "next week"}),
        ),
        ("verificaton", json!({"verificaton": "confirmed"})),
    ] {
        expect(422, field, put(&emb, &consular, body).await);
    }

    // Uploads: garbage, a sheet without the key column, no file, not multipart, too large.
    let path = "/api/v1/consular/import";
    let (status, e) = upload(&emb, path, b"PK\x03\x04 this is not a workbook", &[]).await;
    assert_eq!(
        (status, &e["error"]["code"], &e["error"]["field"]),
        (422, &json!("unreadable_file"), &json!("file")),
        "{e}"
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "verification")
        .unwrap();
    let (status, e) = upload(&emb, path, &wb.save_to_buffer().unwrap(), &[]).await;
    assert_eq!(
        (status, &e["error"]["code"]),
        (422, &json!("missing_column")),
        "{e}"
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("registration_number")
    );
    let (status, e) = upload(&emb, path, b"", &[]).await;
    assert_eq!((status, &e["error"]["field"]), (422, &json!("file")), "{e}");
    let (status, e) = emb
        .raw(Method::POST, path, XLSX, verification_xlsx(&[]))
        .await;
    assert_eq!((status, &e["error"]["field"]), (415, &json!("file")), "{e}");
    let (status, e) = upload(&emb, path, &vec![b'x'; 6 * 1024 * 1024], &[]).await;
    assert_eq!((status, &e["error"]["field"]), (413, &json!("file")), "{e}");
    let file = verification_xlsx(&[
        [&num(&ind[0]), "confirmed", "", "", ""],
        ["MS-0000999", "confirmed", "", "", ""],
    ]);
    expect(
        400,
        "accept_valid_rows",
        upload(
            &emb,
            &format!("{path}?accept_valid_rows=perhaps"),
            &file,
            &[],
        )
        .await,
    );
    // The accept flag also works as a form part; the good row is kept.
    let (status, report) = upload(&emb, path, &file, &[("accept_valid_rows", "true")]).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], 1);
}
