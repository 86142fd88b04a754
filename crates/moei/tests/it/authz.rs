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
    let _ind2 = store
        .register_person(&desk, &person("Anil", "Kumar", "IND"))
        .await
        .unwrap();
    let chn = store
        .register_person(&desk, &person("Wei", "Kumar", "CHN"))
        .await
        .unwrap();
    let _phl = store
        .register_person(&desk, &person("Maria", "Santos", "PHL"))
        .await
        .unwrap();
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
