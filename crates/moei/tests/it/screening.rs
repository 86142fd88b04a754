//! Trafficking screening over the API: interviews with their assessment, MDT determinations
//! moving the case status, the non-punishment safeguard, who may see screening data,
//! encryption at rest, the triage queue and counts, and the HTCDS export.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use moei_domain::Role;
use serde_json::{Value, json};

use crate::api::assert_schema;
use crate::common::*;

const NARRATIVE: &str = "Recruited in Yangon for a call-centre job; passport taken at KK Park; \
                         forced to run romance scams 16 hours a day; beaten when targets were missed.";
const EVIDENCE: &str = "Scar on the left forearm, seen by the interviewer";

/// A finished interview whose answers meet the ILO rule (presumed victim).
fn victim_interview() -> Value {
    let yes =
        |id: &str, evidence: &str| json!({"indicator": id, "answer": "yes", "evidence": evidence});
    json!({
        "instrument": "ilo-adult-labour",
        "instrument_version": "2009.09-moei.1",
        "interviewer": {"name": "Somchai P.", "agency": "MSDHS Tak"},
        "interpreter": {"name": "Ma Hnin", "agency": "independent", "language": "my"},
        "language": "my",
        "consent": {
            "explained": ["purpose", "data_use", "right_to_access", "retention", "withdrawal", "refusal_without_penalty"],
            "decision": "given",
            "recorded_at": "2025-10-24T03:05:00Z"
        },
        "started_at": "2025-10-24T03:00:00Z",
        "ended_at": "2025-10-24T04:10:00Z",
        "responses": [
            yes("D1.deceived_nature_of_job", "Job advert for customer service"),
            yes("D1.deceived_wages", "Promised 30,000 THB a month"),
            yes("D4.excessive_working_hours", "16-hour shifts"),
            yes("D4.low_or_no_salary", "Never paid"),
            yes("D5.confiscation_of_documents", "Passport taken on arrival"),
            yes("D5.isolation_confinement_surveillance", EVIDENCE),
            {"indicator": "D6.family_situation", "answer": "declined"}
        ],
        "narrative": NARRATIVE
    })
}

struct Scene {
    server: TestServer,
    spec: Value,
    person: String,
}

impl Scene {
    /// A server with one of each role and one registered person (MMR, speaks Burmese).
    async fn start(db: &TestDb) -> Scene {
        let store = db.store().await;
        for (name, role, nat) in [
            ("desk", Role::Registrar, vec![]),
            ("screener", Role::Screener, vec![]),
            ("mdt1", Role::MdtMember, vec![]),
            ("mdt2", Role::MdtMember, vec![]),
            ("police", Role::Investigator, vec![]),
            ("emb-mmr", Role::EmbassyOfficer, vec!["MMR"]),
            ("analyst", Role::Analyst, vec![]),
            ("admin", Role::Admin, vec![]),
        ] {
            add_user(&store, name, role, &nat).await;
        }
        let server = TestServer::start(store).await;
        let desk = server.client(&server.token_for("desk").await);
        let (_, spec) = desk.get("/api/openapi.json").await;
        let (status, p) = desk
            .post(
                "/api/v1/persons",
                json!({"given_name": "Min Thu", "family_name": "Aung", "sex": "M",
                       "nationality": "MMR", "languages": ["my"]}),
            )
            .await;
        assert_eq!(status, 201, "{p}");
        Scene {
            person: p["id"].as_str().unwrap().to_string(),
            server,
            spec,
        }
    }

    async fn as_user(&self, name: &str) -> Api {
        self.server.client(&self.server.token_for(name).await)
    }

    async fn case_status(&self) -> (String, i64) {
        let row =
            sqlx::query("SELECT case_status, held_for_prosecution FROM persons WHERE id = $1")
                .bind(&self.person)
                .fetch_one(self.server.store.pool())
                .await
                .unwrap();
        use sqlx::Row;
        (row.get("case_status"), row.get("held_for_prosecution"))
    }

    async fn open_case(&self, api: &Api, members: Value) -> Value {
        let (status, case) = api
            .post(
                "/api/v1/mdt/cases",
                json!({"person_id": self.person, "conference_on": "2025-10-27", "members": members}),
            )
            .await;
        assert_eq!(status, 201, "{case}");
        assert_schema(&self.spec, "MdtCase", &case);
        case
    }
}

fn members() -> Value {
    json!([
        {"name": "Dr. Malee", "agency": "MSDHS", "role": "social worker", "username": "mdt1"},
        {"name": "Pol. Lt. Col. Anan", "agency": "Royal Thai Police", "role": "investigator"},
        {"name": "Naw Htoo", "agency": "NGO Mae Sot", "role": "case worker"}
    ])
}

fn determination(decision: &str) -> Value {
    json!({
        "decision": decision,
        "exploitation": ["forced_criminality", "forced_labour"],
        "reasons": ["Deceptive recruitment, confiscated passport and forced scam work"],
        "dissent": [{"member": "Pol. Lt. Col. Anan", "reason": "Wants the scam scripts examined first"}],
        "reviewer": {"name": "Dr. Malee", "agency": "MSDHS"},
        "decided_on": "2025-10-27",
        "review_on": "2026-01-27"
    })
}

#[tokio::test]
async fn interview_assessment_and_mdt_decision_move_the_case_status() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let screener = s.as_user("screener").await;
    assert_eq!(s.case_status().await.0, "unscreened");

    let (status, interview) = screener
        .post(
            &format!("/api/v1/persons/{}/interviews", s.person),
            victim_interview(),
        )
        .await;
    assert_eq!(status, 201, "{interview}");
    assert_schema(&s.spec, "Interview", &interview);
    assert_eq!(interview["result"], "presumed_victim");
    assert_eq!(interview["case_status"], "presumed_victim");
    assert_eq!(interview["record"]["instrument_version"], "2009.09-moei.1");
    // Decision support names the answers that carried each dimension.
    assert_eq!(
        interview["assessment"]["dimensions"]["D1"]["carried_by"],
        json!(["D1.deceived_nature_of_job", "D1.deceived_wages"])
    );
    assert_eq!(s.case_status().await.0, "presumed_victim");

    let (status, list) = screener
        .get(&format!("/api/v1/persons/{}/interviews", s.person))
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["record"]["narrative"], NARRATIVE);
    let (status, one) = screener
        .get(&format!(
            "/api/v1/interviews/{}",
            interview["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["record"]["responses"][5]["evidence"], EVIDENCE);

    // The MDT decides; the person's case status follows.
    let mdt = s.as_user("mdt1").await;
    let case = s.open_case(&screener, members()).await;
    let case_id = case["id"].as_str().unwrap();
    let (status, decided) = mdt
        .post(
            &format!("/api/v1/mdt/cases/{case_id}/determination"),
            determination("victim_of_trafficking"),
        )
        .await;
    assert_eq!(status, 200, "{decided}");
    assert_schema(&s.spec, "MdtCase", &decided);
    assert_eq!(
        decided["determination"]["members"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(s.case_status().await.0, "victim_of_trafficking");
    // One decision per conference: a review or appeal is a new conference.
    let (status, again) = mdt
        .post(
            &format!("/api/v1/mdt/cases/{case_id}/determination"),
            determination("victim_of_forced_labour"),
        )
        .await;
    assert_eq!(status, 409, "{again}");

    // A later screening interview never undoes the determination.
    let (status, later) = screener
        .post(
            &format!("/api/v1/persons/{}/interviews", s.person),
            victim_interview(),
        )
        .await;
    assert_eq!(status, 201, "{later}");
    assert_eq!(s.case_status().await.0, "victim_of_trafficking");

    // The audit trail has the interview, its reads and the decision (never the content).
    let audit = s
        .server
        .store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "screening.interview.create",
        "screening.interview.list",
        "screening.interview.read",
        "mdt.case.open",
        "mdt.decide",
    ] {
        assert!(actions.contains(&a), "{a} not audited: {actions:?}");
    }
    assert!(audit.iter().all(|e| !e.detail.contains("Yangon")));
}

#[tokio::test]
async fn suspected_offender_needs_a_second_reviewer_from_another_agency() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let mdt = s.as_user("mdt1").await;
    let case = s.open_case(&mdt, members()).await;
    let path = format!(
        "/api/v1/mdt/cases/{}/determination",
        case["id"].as_str().unwrap()
    );
    let mut d = determination("suspected_offender");
    d["exploitation"] = json!([]);
    let (status, err) = mdt.post(&path, d.clone()).await;
    assert_eq!(status, 422, "{err}");
    assert_schema(&s.spec, "Error", &err);
    assert_eq!(err["error"]["field"], "second_reviewer");
    d["second_reviewer"] = json!({"name": "Somsak", "agency": "msdhs "});
    let (status, err) = mdt.post(&path, d.clone()).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["field"], "second_reviewer.agency");
    assert_eq!(
        s.case_status().await.0,
        "unscreened",
        "nothing half-written"
    );

    d["second_reviewer"] = json!({"name": "Pol. Lt. Col. Anan", "agency": "Royal Thai Police"});
    let (status, ok) = mdt.post(&path, d).await;
    assert_eq!(status, 200, "{ok}");
    assert_eq!(s.case_status().await.0, "suspected_offender");
}

#[tokio::test]
async fn safeguard_refuses_punitive_actions_until_overridden_and_counts_overrides() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let police = s.as_user("police").await;
    let admin = s.as_user("admin").await;
    let deport = json!({"person_id": s.person, "kind": "deport", "reason": "Overstay"});

    // Unscreened: refused, with a 409 naming the safeguard.
    let (status, err) = police
        .post("/api/v1/punitive-actions", deport.clone())
        .await;
    assert_eq!(status, 409, "{err}");
    assert_schema(&s.spec, "Error", &err);
    assert_eq!(err["error"]["code"], "non_punishment_safeguard");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not screened")
    );

    // Only the senior role (an admin account) may override, and only with a reason.
    let mut with_override = deport.clone();
    with_override["override"] =
        json!({"office": "provincial_governor", "reason": "Court order 123/2568"});
    let (status, _) = police
        .post("/api/v1/punitive-actions", with_override.clone())
        .await;
    assert_eq!(status, 403);
    let mut empty_reason = with_override.clone();
    empty_reason["override"]["reason"] = json!("  ");
    let (status, err) = admin.post("/api/v1/punitive-actions", empty_reason).await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["field"], "override.reason");
    let (status, allowed) = admin.post("/api/v1/punitive-actions", with_override).await;
    assert_eq!(status, 201, "{allowed}");
    assert_schema(&s.spec, "PunitiveAction", &allowed);
    assert_eq!(allowed["status"], "allowed_by_override");
    assert_eq!(allowed["override_by"], "admin");
    assert!(
        allowed["refused_because"]
            .as_str()
            .unwrap()
            .contains("not screened")
    );

    // Protective actions do not go through here at all.
    let (status, err) = police
        .post(
            "/api/v1/punitive-actions",
            json!({"person_id": s.person, "kind": "refer_to_shelter", "reason": "x"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["field"], "kind");

    // A presumed victim is protected too.
    let screener = s.as_user("screener").await;
    screener
        .post(
            &format!("/api/v1/persons/{}/interviews", s.person),
            victim_interview(),
        )
        .await;
    let (status, err) = police
        .post(
            "/api/v1/punitive-actions",
            json!({"person_id": s.person, "kind": "refer_for_prosecution", "reason": "Ran scams"}),
        )
        .await;
    assert_eq!(status, 409);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("presumed victim")
    );
    assert_eq!(s.case_status().await.1, 0, "not held for prosecution");

    // After a suspected-offender determination a referral goes ahead and holds the person.
    let mdt = s.as_user("mdt1").await;
    let case = s.open_case(&mdt, members()).await;
    let mut d = determination("suspected_offender");
    d["exploitation"] = json!([]);
    d["second_reviewer"] = json!({"name": "Pol. Lt. Col. Anan", "agency": "Royal Thai Police"});
    let (status, _) = mdt
        .post(
            &format!(
                "/api/v1/mdt/cases/{}/determination",
                case["id"].as_str().unwrap()
            ),
            d,
        )
        .await;
    assert_eq!(status, 200);
    let (status, ok) = police
        .post(
            "/api/v1/punitive-actions",
            json!({"person_id": s.person, "kind": "refer_for_prosecution", "reason": "Ran scams"}),
        )
        .await;
    assert_eq!(status, 201, "{ok}");
    assert_eq!(ok["status"], "allowed");
    assert_eq!(s.case_status().await, ("suspected_offender".to_string(), 1));

    // The dashboard counts every request, refusal and override.
    let (status, dash) = mdt.get("/api/v1/safeguard").await;
    assert_eq!(status, 200, "{dash}");
    assert_schema(&s.spec, "SafeguardDashboard", &dash);
    assert_eq!(
        dash["counts"],
        json!({"requested": 4, "allowed": 1, "refused": 2, "overridden": 1})
    );
    assert_eq!(
        dash["overrides"][0]["override_reason"],
        "Court order 123/2568"
    );
    let (status, _) = police.get("/api/v1/safeguard").await;
    assert_eq!(status, 403);
    let audit = s
        .server
        .store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap();
    let count = |a: &str| audit.iter().filter(|e| e.action == a).count();
    assert_eq!(
        (
            count("safeguard.refused"),
            count("safeguard.override"),
            count("safeguard.allowed")
        ),
        (2, 1, 1)
    );
}

#[tokio::test]
async fn embassy_officers_investigators_and_analysts_see_no_screening_data() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let screener = s.as_user("screener").await;
    let (_, interview) = screener
        .post(
            &format!("/api/v1/persons/{}/interviews", s.person),
            victim_interview(),
        )
        .await;
    let interview_path = format!("/api/v1/interviews/{}", interview["id"].as_str().unwrap());
    let list_path = format!("/api/v1/persons/{}/interviews", s.person);
    for who in ["emb-mmr", "police", "analyst", "desk"] {
        let api = s.as_user(who).await;
        for path in [
            &interview_path,
            &list_path,
            &format!("/api/v1/persons/{}/mdt-cases", s.person),
            &"/api/v1/screening/queue".to_string(),
        ] {
            let (status, body) = api.get(path).await;
            assert_eq!(status, 403, "{who} {path}: {body}");
            assert!(!body.to_string().contains("Yangon"));
        }
        let (status, _) = api.post(&list_path, victim_interview()).await;
        assert_eq!(status, 403, "{who} may not record an interview");
    }
    // An MDT member sees a person's screening only once on a conference about them.
    let mdt2 = s.as_user("mdt2").await;
    let (status, _) = mdt2.get(&interview_path).await;
    assert_eq!(status, 404);
    let (status, _) = mdt2.get(&list_path).await;
    assert_eq!(status, 404);
    let mdt1 = s.as_user("mdt1").await;
    let case = s.open_case(&screener, members()).await;
    let (status, body) = mdt1.get(&interview_path).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = mdt2.get(&interview_path).await;
    assert_eq!(status, 404, "mdt2 is not on this conference");
    let (status, _) = mdt2
        .post(
            &format!(
                "/api/v1/mdt/cases/{}/determination",
                case["id"].as_str().unwrap()
            ),
            determination("victim_of_trafficking"),
        )
        .await;
    assert_eq!(status, 404, "only members decide");

    // Investigators see only what a decision shares, by name.
    let police = s.as_user("police").await;
    let shared_path = format!("/api/v1/persons/{}/shared-screening", s.person);
    let (status, _) = police.get(&shared_path).await;
    assert_eq!(status, 404);
    let mut d = determination("victim_of_trafficking");
    d["share_with_investigators"] = json!(["narrative"]);
    let (status, _) = mdt1
        .post(
            &format!(
                "/api/v1/mdt/cases/{}/determination",
                case["id"].as_str().unwrap()
            ),
            d,
        )
        .await;
    assert_eq!(status, 200);
    let (status, shared) = police.get(&shared_path).await;
    assert_eq!(status, 200, "{shared}");
    assert_schema(&s.spec, "SharedScreening", &shared);
    assert_eq!(shared["parts"]["narrative"], NARRATIVE);
    assert!(shared["parts"].get("responses").is_none());
    let (status, _) = s.as_user("emb-mmr").await.get(&shared_path).await;
    assert_eq!(status, 403);
    let audit = s
        .server
        .store
        .audit_entries(&moei_store::Actor::cli(), None, 500)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "screening.shared.read" && e.detail == "narrative")
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "screening.interview.read.denied")
    );
}

#[tokio::test]
async fn interview_content_is_encrypted_at_rest() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let screener = s.as_user("screener").await;
    let path = format!("/api/v1/persons/{}/interviews", s.person);
    let (status, first) = screener.post(&path, victim_interview()).await;
    assert_eq!(status, 201);
    let mut other = victim_interview();
    other["narrative"] = json!("A different account of events.");
    let (_, second) = screener.post(&path, other).await;

    match backend() {
        Backend::Sqlite => {
            // Everything SQLite wrote: the database file and its write-ahead log.
            let mut bytes = std::fs::read(&db.url).unwrap();
            bytes.extend(std::fs::read(format!("{}-wal", db.url)).unwrap_or_default());
            let raw = String::from_utf8_lossy(&bytes);
            assert!(
                raw.contains("ilo-adult-labour"),
                "the plain columns are there: the check can fail"
            );
            for secret in ["KK Park", "romance scams", EVIDENCE, "Somchai", "Ma Hnin"] {
                assert!(
                    !raw.contains(secret),
                    "{secret:?} is readable in the SQLite file"
                );
            }
        }
        Backend::Postgres => {
            let row = sqlx::query(
                "SELECT narrative_enc, responses_enc FROM screening_interviews WHERE id = $1",
            )
            .bind(first["id"].as_str().unwrap())
            .fetch_one(s.server.store.pool())
            .await
            .unwrap();
            use sqlx::Row;
            let narrative: String = row.get("narrative_enc");
            let responses: String = row.get("responses_enc");
            assert!(narrative.starts_with("v1."), "{narrative}");
            assert!(!narrative.contains("KK Park") && !responses.contains("Scar"));
        }
    }

    // A value moved to another row does not open: reading fails instead of showing the wrong story.
    db.raw(&format!(
        "UPDATE screening_interviews SET narrative_enc = (SELECT narrative_enc FROM screening_interviews WHERE id = '{}') WHERE id = '{}'",
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap()
    ))
    .await;
    let (status, err) = screener
        .get(&format!(
            "/api/v1/interviews/{}",
            second["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 500, "{err}");
    assert!(!err.to_string().contains("KK Park"));

    // Another key cannot read the data, and says so.
    let (other_key, _) = moei_crypto::field::FieldKey::generate();
    let store = db.store().await.with_field_key(other_key);
    let err = store
        .interview(&moei_store::Actor::cli(), first["id"].as_str().unwrap())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("sealed with key"), "{err}");
    // And without a key, nothing is written in plain text.
    let keyless = moei_store::Store::open(
        &moei_store::DatabaseUrl::parse(&db.url).unwrap(),
        &moei_store::db::OpenOptions::default(),
        std::sync::Arc::new(test_clock()),
    )
    .await
    .unwrap();
    let record: moei_screening::InterviewRecord =
        serde_json::from_value(victim_interview()).unwrap();
    let err = keyless
        .record_interview(&moei_store::Actor::cli(), &s.person, &record)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("key file"), "{err}");
}

#[tokio::test]
async fn invalid_interviews_name_the_field_and_store_nothing() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let screener = s.as_user("screener").await;
    let path = format!("/api/v1/persons/{}/interviews", s.person);
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (
            Box::new(|v| v["responses"][0]["evidence"] = Value::Null),
            "responses[0].evidence",
        ),
        (
            Box::new(|v| v["instrument_version"] = json!("2001.01")),
            "instrument_version",
        ),
        (
            Box::new(|v| v["instrument"] = json!("no-such-instrument")),
            "instrument",
        ),
        (
            Box::new(|v| v["consent"]["decision"] = json!("refused")),
            "responses",
        ),
        (
            Box::new(|v| v["consent"]["explained"] = json!(["purpose"])),
            "consent.explained",
        ),
        (Box::new(|v| v["narrative"] = json!(" ")), "narrative"),
        (
            Box::new(|v| v["ended_at"] = json!("2025-10-24T02:00:00Z")),
            "ended_at",
        ),
        (
            Box::new(|v| v["responses"][0]["answer"] = json!("maybe")),
            "responses[0].answer",
        ),
    ];
    for (mutate, field) in cases {
        let mut body = victim_interview();
        mutate(&mut body);
        let (status, err) = screener.post(&path, body).await;
        assert_eq!(status, 422, "{field}: {err}");
        assert_schema(&s.spec, "Error", &err);
        assert!(
            err["error"]["field"]
                .as_str()
                .unwrap_or("")
                .starts_with(field),
            "expected {field}: {err}"
        );
    }
    let (status, list) = screener.get(&path).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"], json!([]));
    assert_eq!(s.case_status().await.0, "unscreened");

    // A refusal is recorded without answers and carries no penalty: still protected.
    let mut refused = victim_interview();
    refused["consent"]["decision"] = json!("refused");
    refused["responses"] = json!([]);
    refused["narrative"] = json!("");
    let (status, r) = screener.post(&path, refused).await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["assessment"], Value::Null);
    assert_eq!(s.case_status().await.0, "unscreened");
}

#[tokio::test]
async fn queue_orders_by_priority_matches_interpreters_and_counts_per_day() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let desk = s.as_user("desk").await;
    let screener = s.as_user("screener").await;
    let mut ids = std::collections::HashMap::new();
    for (name, sex, age, langs, needs) in [
        ("Woman", "F", 30, json!(["vi"]), json!([])),
        ("Minor", "M", 16, json!(["hi"]), json!([])),
        ("Injured", "M", 40, json!(["hi"]), json!(["injured"])),
        ("Plain", "M", 35, json!(["zh-Hans"]), json!([])),
    ] {
        let (status, p) = desk
            .post(
                "/api/v1/persons",
                json!({"given_name": name, "sex": sex, "estimated_age": age, "nationality": "IND", "languages": langs, "needs": needs}),
            )
            .await;
        assert_eq!(status, 201, "{p}");
        ids.insert(name, p["id"].as_str().unwrap().to_string());
    }
    let (status, _) = screener
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/persons/{}/screening-flags", ids["Woman"]),
            json!({"signs_of_violence": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, i) = screener
        .post(
            "/api/v1/screening/interpreters",
            json!({"name": "Priya", "agency": "IOM", "languages": ["hi", "en"]}),
        )
        .await;
    assert_eq!(status, 201, "{i}");
    assert_schema(&s.spec, "Interpreter", &i);
    let (status, err) = screener
        .post(
            "/api/v1/screening/interpreters",
            json!({"name": "X", "agency": "IOM", "languages": ["not a tag"]}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["field"], "languages[0]");

    let (status, q) = screener.get("/api/v1/screening/queue").await;
    assert_eq!(status, 200, "{q}");
    for e in q["items"].as_array().unwrap() {
        assert_schema(&s.spec, "QueueEntry", e);
    }
    let items = q["items"].as_array().unwrap();
    let ranked: Vec<(u64, &str)> = items
        .iter()
        .map(|e| {
            (
                e["score"].as_u64().unwrap(),
                e["given_name"].as_str().unwrap(),
            )
        })
        .collect();
    // Woman with signs of violence (15 + 25) ties with the minor (40); then the injured (30).
    // Everyone arrived at the same instant here, so ties fall back to the id: compare as sets.
    assert_eq!(
        ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![40, 40, 30, 0, 0]
    );
    let names = |range: std::ops::Range<usize>| {
        let mut n: Vec<&str> = ranked[range].iter().map(|r| r.1).collect();
        n.sort();
        n
    };
    assert_eq!(names(0..2), vec!["Minor", "Woman"]);
    assert_eq!(names(2..3), vec!["Injured"]);
    let entry = |name: &str| items.iter().find(|e| e["given_name"] == name).unwrap();
    assert_eq!(
        entry("Woman")["reasons"],
        json!(["signs_of_violence", "woman"])
    );
    assert_eq!(entry("Minor")["reasons"], json!(["minor"]));
    assert_eq!(entry("Minor")["interpreters"], json!(["Priya"]));
    assert_eq!(entry("Woman")["interpreters"], json!([]));

    let (_, hi) = screener.get("/api/v1/screening/queue?language=hi").await;
    let order: Vec<&str> = hi["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["given_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        vec!["Minor", "Injured"],
        "only Hindi speakers, by priority"
    );

    // Screening one person takes them off the queue and into the day's count.
    screener
        .post(
            &format!("/api/v1/persons/{}/interviews", s.person),
            victim_interview(),
        )
        .await;
    let (status, stats) = screener.get("/api/v1/screening/stats").await;
    assert_eq!(status, 200);
    assert_schema(&s.spec, "ScreeningStats", &stats);
    assert_eq!(stats["waiting"], 4);
    assert_eq!(stats["screened"], 1);
    assert_eq!(
        stats["by_day"],
        json!([{"day": "2025-10-24", "arrived": 5, "screened": 1}])
    );
}

#[tokio::test]
async fn htcds_export_sends_forced_criminality_as_other_in_csv_and_xlsx() {
    let db = TestDb::new().await;
    let s = Scene::start(&db).await;
    let mdt = s.as_user("mdt1").await;
    let case = s.open_case(&mdt, members()).await;
    let (status, _) = mdt
        .post(
            &format!(
                "/api/v1/mdt/cases/{}/determination",
                case["id"].as_str().unwrap()
            ),
            determination("victim_of_trafficking"),
        )
        .await;
    assert_eq!(status, 200);

    let (status, csv) = mdt.get_text("/api/v1/screening/htcds.csv").await;
    assert_eq!(status, 200, "{csv}");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    let col = |name: &str| {
        rows[0]
            .get(headers.iter().position(|h| h == name).unwrap())
            .unwrap()
            .to_string()
    };
    assert_eq!(col("prs_FirstName"), "Min Thu");
    assert_eq!(col("prs_Citizenship"), "MMR");
    assert_eq!(col("vic_TraffickingStatus"), "ActualVictimOfTrafficking");
    assert!(
        col("vic_TypeOfExploitation").contains("Other"),
        "{}",
        col("vic_TypeOfExploitation")
    );
    assert!(col("moei_ExploitationSubType").contains("ForcedCriminality"));

    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/api/v1/screening/htcds.xlsx", s.server.base))
        .bearer_auth(s.server.token_for("mdt1").await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), 2, "{cells:?}");
    let at = |name: &str| cells[1][cells[0].iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(at("moei_CaseId"), col("moei_CaseId"));
    assert!(at("vic_TypeOfExploitation").contains("Other"));
    assert!(at("moei_ExploitationSubType").contains("ForcedCriminality"));

    for who in ["screener", "police", "emb-mmr", "analyst"] {
        let (status, _) = s
            .as_user(who)
            .await
            .get_text("/api/v1/screening/htcds.csv")
            .await;
        assert_eq!(status, 403, "{who}");
    }
}

#[test]
fn migrate_creates_a_private_key_file_and_serve_refuses_to_start_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("moei.db");
    let key = dir.path().join("keys").join("screening.key");
    let out = crate::cli::moei(
        &["migrate", "--create", "--database", db.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&key).unwrap();
    assert_eq!(text.trim().len(), 64, "64 hex digits");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The key is not in the database.
    let bytes = std::fs::read(&db).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(text.trim()));

    std::fs::remove_file(&key).unwrap();
    let out = crate::cli::moei(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            db.to_str().unwrap(),
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no key file") && err.contains("screening.key"),
        "{err}"
    );
}
