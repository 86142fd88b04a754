//! The authorization matrix: every role, several nationalities, for read, list, search, count,
//! export and change. An embassy officer never learns anything about another country's nationals.

use moei_domain::Role;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

struct Who {
    name: &'static str,
    role: Role,
    nationalities: &'static [&'static str],
}

const USERS: &[Who] = &[
    Who {
        name: "admin",
        role: Role::Admin,
        nationalities: &[],
    },
    Who {
        name: "registrar",
        role: Role::Registrar,
        nationalities: &[],
    },
    Who {
        name: "screener",
        role: Role::Screener,
        nationalities: &[],
    },
    Who {
        name: "mdt",
        role: Role::MdtMember,
        nationalities: &[],
    },
    Who {
        name: "police",
        role: Role::Investigator,
        nationalities: &[],
    },
    Who {
        name: "facility",
        role: Role::FacilityManager,
        nationalities: &[],
    },
    Who {
        name: "emb-ind",
        role: Role::EmbassyOfficer,
        nationalities: &["IND"],
    },
    Who {
        name: "emb-chn",
        role: Role::EmbassyOfficer,
        nationalities: &["CHN"],
    },
    Who {
        name: "emb-ind-phl",
        role: Role::EmbassyOfficer,
        nationalities: &["IND", "PHL"],
    },
    Who {
        name: "analyst",
        role: Role::Analyst,
        nationalities: &[],
    },
];

#[tokio::test]
async fn authorization_matrix_over_roles_and_nationalities() {
    let db = TestDb::new().await;
    let store = db.store().await;
    for u in USERS {
        add_user(&store, u.name, u.role, u.nationalities).await;
    }
    let desk = moei_store::Actor::cli();
    let ind1 = store
        .register_person(&desk, &person("Rajesh", "Kumar", "IND"))
        .await
        .unwrap();
    let ind2 = store
        .register_person(&desk, &person("Anil", "Kumar", "IND"))
        .await
        .unwrap();
    let chn = store
        .register_person(&desk, &person("Wei", "Kumar", "CHN"))
        .await
        .unwrap();
    let phl = store
        .register_person(&desk, &person("Maria", "Santos", "PHL"))
        .await
        .unwrap();
    // The embassies may receive everyone's identity data (the protection rules have their own test).
    consent_to_disclosure(&store, &[&ind1, &ind2, &chn, &phl]).await;
    let server = TestServer::start(store).await;

    for u in USERS {
        let api = server.client(&server.token_for(u.name).await);
        let sees = |nat: &str| {
            u.role != Role::Analyst
                && (u.role != Role::EmbassyOfficer || u.nationalities.contains(&nat))
        };
        let visible: Vec<&str> = ["IND", "IND", "CHN", "PHL"]
            .into_iter()
            .filter(|n| u.role == Role::Analyst || sees(n))
            .collect();

        // Read one record, by id and by registration number.
        for (p, nat) in [(&ind1, "IND"), (&chn, "CHN")] {
            let (status, body) = api.get(&format!("/api/v1/persons/{}", p.id)).await;
            let expected = if u.role == Role::Analyst {
                403
            } else if sees(nat) {
                200
            } else {
                404
            };
            assert_eq!(status, expected, "{} reading {nat}: {body}", u.name);
            let (status, _) = api
                .get(&format!("/api/v1/persons/{}", p.registration_number))
                .await;
            assert_eq!(status, expected, "{} reading {nat} by number", u.name);
            let (status, _) = api.get(&format!("/api/v1/persons/{}/history", p.id)).await;
            assert_eq!(status, expected, "{} reading {nat} history", u.name);
        }

        // List and search: hits never include out-of-scope persons.
        let (status, list) = api.get("/api/v1/persons").await;
        let (status_search, search) = api.get("/api/v1/persons?q=kumar").await;
        let (status_number, by_number) = api
            .get(&format!("/api/v1/persons?q={}", chn.registration_number))
            .await;
        if u.role == Role::Analyst {
            assert_eq!(
                (status, status_search, status_number),
                (403, 403, 403),
                "{}",
                u.name
            );
        } else {
            assert_eq!(
                (status, status_search, status_number),
                (200, 200, 200),
                "{}",
                u.name
            );
            let nats: Vec<&str> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["nationality"].as_str().unwrap())
                .collect();
            assert_eq!(nats.len(), visible.len(), "{} list {nats:?}", u.name);
            assert!(nats.iter().all(|n| sees(n)), "{} saw {nats:?}", u.name);
            let hits = search["items"].as_array().unwrap();
            let expected_hits = ["IND", "IND", "CHN"].iter().filter(|n| sees(n)).count();
            assert_eq!(hits.len(), expected_hits, "{} search", u.name);
            assert_eq!(
                by_number["items"].as_array().unwrap().len(),
                usize::from(sees("CHN")),
                "{} number search",
                u.name
            );
        }

        // Counts are aggregates, but still within scope.
        let (status, counts) = api.get("/api/v1/counts").await;
        assert_eq!(status, 200, "{}", u.name);
        assert_eq!(counts["total"], visible.len() as i64, "{} total", u.name);
        let counted: Vec<&str> = counts["by_nationality"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["nationality"].as_str().unwrap())
            .collect();
        if u.role == Role::EmbassyOfficer {
            assert!(
                counted.iter().all(|n| u.nationalities.contains(n)),
                "{} counted {counted:?}",
                u.name
            );
        }

        // Export: administrators and embassy officers only, within scope.
        let (status, csv) = api.get_text("/api/v1/persons/export").await;
        match u.role {
            Role::Admin | Role::EmbassyOfficer => {
                assert_eq!(status, 200, "{} export", u.name);
                let rows = csv.lines().skip(1).count();
                assert_eq!(rows, visible.len(), "{} export rows", u.name);
                if !sees("CHN") {
                    assert!(
                        !csv.contains("CHN") && !csv.contains(&chn.id),
                        "{} export leaked CHN",
                        u.name
                    );
                }
            }
            _ => assert_eq!(status, 403, "{} export", u.name),
        }
    }

    // Changes come after every read check, since they add persons.
    for u in USERS {
        let api = server.client(&server.token_for(u.name).await);
        let (status, _) = api
            .post("/api/v1/persons", json!({"sex": "F", "nationality": "IND"}))
            .await;
        let may_register = matches!(u.role, Role::Admin | Role::Registrar);
        assert_eq!(
            status,
            if may_register { 201 } else { 403 },
            "{} register",
            u.name
        );
        let (status, _) = api
            .send(
                Method::PATCH,
                &format!("/api/v1/persons/{}", ind1.id),
                json!({"notes": format!("seen by {}", u.name)}),
            )
            .await;
        let may_update = matches!(
            u.role,
            Role::Admin | Role::Registrar | Role::Screener | Role::FacilityManager
        );
        assert_eq!(
            status,
            if may_update { 200 } else { 403 },
            "{} update",
            u.name
        );
        let (status, _) = api.get("/api/v1/audit").await;
        assert_eq!(
            status,
            if u.role == Role::Admin { 200 } else { 403 },
            "{} audit",
            u.name
        );
    }

    // Every refused read of a record was itself audited.
    let admin = moei_store::Actor::cli();
    let entries = server.store.audit_entries(&admin, None, 500).await.unwrap();
    let denied = entries
        .iter()
        .filter(|e| e.action == "person.read.denied" && e.actor_name == "emb-chn")
        .count();
    assert!(denied >= 1, "refusals are audited");
}

/// An embassy officer sees only the nationals who may be disclosed to the embassy: a legal basis
/// is recorded and no fear-of-return flag blocks it (flagged or upheld; cleared lifts the block).
/// Anyone else is "not found" in reads, lists, exports and the review queue; photos go only where
/// the sharing agreement allows. Staff see everyone.
#[tokio::test]
async fn embassy_sees_only_nationals_who_may_be_disclosed() {
    let db = TestDb::new().await;
    let store = db.store().await;
    add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    add_user(&store, "desk", Role::Registrar, &[]).await;
    let cli = moei_store::Actor::cli();
    let mut people = Vec::new();
    for given in ["Consented", "Unconsented", "Feared", "Upheld", "Cleared"] {
        let p = store
            .register_person(&cli, &person(given, "Kumar", "IND"))
            .await
            .unwrap();
        // A JPEG signature is all the store checks; the bytes are never decoded.
        store
            .set_photo(&cli, &p.id, &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
            .await
            .unwrap();
        people.push(p);
    }
    let [consented, unconsented, feared, upheld, cleared] = &people[..] else {
        unreachable!()
    };
    consent_to_disclosure(&store, &[consented, feared, upheld, cleared]).await;
    for (p, steps) in [
        (feared, &["flagged"][..]),
        (upheld, &["flagged", "upheld"][..]),
        (cleared, &["flagged", "cleared"][..]),
    ] {
        for status in steps {
            store
                .set_protection(
                    &cli,
                    &p.id,
                    status,
                    "fears reprisals from recruiters at home",
                )
                .await
                .unwrap();
        }
    }
    let server = TestServer::start(store.clone()).await;
    let emb = server.client(&server.token_for("emb-ind").await);
    let desk = server.client(&server.token_for("desk").await);

    let visible = [&consented.id, &cleared.id];
    for p in &people {
        let expected = if visible.contains(&&p.id) { 200 } else { 404 };
        for path in [
            format!("/api/v1/persons/{}", p.id),
            format!("/api/v1/persons/{}", p.registration_number),
            format!("/api/v1/persons/{}/history", p.id),
        ] {
            let (status, body) = emb.get(&path).await;
            assert_eq!(status, expected, "{} {path}: {body}", p.given_name);
        }
        let (status, _) = desk.get(&format!("/api/v1/persons/{}", p.id)).await;
        assert_eq!(status, 200, "staff see {}", p.given_name);
    }
    let (_, list) = emb.get("/api/v1/persons?limit=50").await;
    let mut listed: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["given_name"].as_str().unwrap())
        .collect();
    listed.sort();
    assert_eq!(listed, ["Cleared", "Consented"], "{list}");
    let (_, found) = emb.get("/api/v1/persons?q=kumar").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 2, "{found}");
    let (status, export) = emb.get_text("/api/v1/persons/export").await;
    assert_eq!(status, 200);
    assert_eq!(export.lines().count(), 3, "header and two rows: {export}");
    assert!(!export.contains("Feared") && !export.contains("Unconsented"));

    // Photos: only where the sharing agreement allows them, and only of the visible.
    let photo = format!("/api/v1/persons/{}/photo", consented.id);
    for photos_allowed in [false, true] {
        store
            .set_embassy(
                &cli,
                &moei_store::embassy::Embassy {
                    nationality: "IND".into(),
                    has_embassy: true,
                    photos_allowed,
                    source: "MoU 2025".into(),
                },
            )
            .await
            .unwrap();
        let expected = if photos_allowed { 200 } else { 404 };
        assert_eq!(
            emb.get(&photo).await.0,
            expected,
            "agreement {photos_allowed}"
        );
        assert_eq!(desk.get(&photo).await.0, 200);
    }
    for hidden in [unconsented, feared] {
        let path = format!("/api/v1/persons/{}/photo", hidden.id);
        assert_eq!(emb.get(&path).await.0, 404, "{}", hidden.given_name);
    }
}
