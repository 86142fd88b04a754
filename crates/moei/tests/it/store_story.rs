//! The conformance story, run unchanged on SQLite and PostgreSQL: register, read, update,
//! history, search and paging, counts, schema parity.

use moei_domain::{ArrivalGroupInput, BirthDate, PersonPatch, Role};
use moei_store::persons::PersonQuery;
use moei_store::{Actor, StoreError};

use crate::common::*;

async fn arrival_group(
    store: &moei_store::Store,
    desk: &Actor,
    crossing_point: &str,
    mode: &str,
    headcount: Option<i64>,
) -> moei_domain::ArrivalGroup {
    store
        .create_arrival_group(
            desk,
            &ArrivalGroupInput {
                crossing_point: Some(crossing_point.into()),
                mode: Some(mode.into()),
                headcount,
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn register_read_update_history_search() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;

    let group = arrival_group(&store, &desk, "Friendship Bridge 2", "bridge", Some(3)).await;
    let mut input = person("Văn An", "Nguyễn", "vnm");
    input.arrival_group_id = Some(group.id.clone());
    input.name_original_script = Some("Nguyễn Văn An".into());
    input.languages = vec!["vi".into()];
    input.needs = vec!["injured".into()];
    let a = store.register_person(&desk, &input).await.unwrap();
    assert_eq!(a.nationality, "VNM");
    assert_eq!(a.version, 1);
    assert!(a.registration_number.as_str().starts_with("MS-"));

    let b = store
        .register_person(&desk, &person("Wei", "Zhang", "CHN"))
        .await
        .unwrap();
    assert_ne!(a.registration_number, b.registration_number);

    // Read back exactly what was stored.
    let read = store.person(&desk, &a.id).await.unwrap();
    assert_eq!(read, a);
    let by_number = store
        .person_by_registration_number(&desk, &a.registration_number.to_string().to_lowercase())
        .await
        .unwrap();
    assert_eq!(by_number.id, a.id);

    // Enrich: a later role corrects the birth date and adds a language.
    let patch = PersonPatch {
        date_of_birth: Some(Some("1994".into())),
        languages: Some(vec!["vi".into(), "en".into()]),
        expected_version: Some(1),
        ..Default::default()
    };
    let updated = store.update_person(&desk, &a.id, &patch).await.unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.date_of_birth, Some(BirthDate::Year(1994)));
    // A stale version is refused and changes nothing.
    let stale = store
        .update_person(
            &desk,
            &a.id,
            &PersonPatch {
                notes: Some(Some("x".into())),
                expected_version: Some(1),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(store.person(&desk, &a.id).await.unwrap().notes, "");

    let history = store.person_history(&desk, &a.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].event, "registered");
    assert_eq!(history[1].changes["date_of_birth"]["from"], "1995-03-14");
    assert_eq!(history[1].changes["date_of_birth"]["to"], "1994");

    // Search by name prefix, across diacritics, and by registration number.
    let hits = store
        .search_persons(
            &desk,
            &PersonQuery {
                q: Some("nguyen va".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        hits.items.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        vec![a.id.as_str()]
    );
    let hits = store
        .search_persons(
            &desk,
            &PersonQuery {
                q: Some("zhang".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hits.items.len(), 1);
    let hits = store
        .search_persons(
            &desk,
            &PersonQuery {
                q: Some(b.registration_number.to_string()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hits.items[0].id, b.id);
    let by_group = store
        .search_persons(
            &desk,
            &PersonQuery {
                arrival_group_id: Some(group.id.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_group.items.len(), 1);
    let by_nat = store
        .search_persons(
            &desk,
            &PersonQuery {
                nationality: Some("chn".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_nat.items.len(), 1);
    let by_day = store
        .search_persons(
            &desk,
            &PersonQuery {
                day: Some("2025-10-24".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_day.items.len(), 2);
    let other_day = store
        .search_persons(
            &desk,
            &PersonQuery {
                day: Some("2025-10-23".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(other_day.items.is_empty());

    let counts = store.counts(&desk, Some(&group.id)).await.unwrap();
    assert_eq!(counts.total, 2);
    assert_eq!(counts.today, 2);
    assert_eq!(counts.group, Some(1));
    assert!(counts.by_nationality.contains(&("VNM".to_string(), 1)));
}

#[tokio::test]
async fn paging_visits_every_person_once_newest_first() {
    let db = TestDb::new().await;
    let clock = std::sync::Arc::new(test_clock());
    let store = db.store_with_clock(clock.clone()).await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let inputs: Vec<_> = (0..57)
        .map(|i| person(&format!("Given{i}"), "Kumar", "IND"))
        .collect();
    let mut registered = Vec::new();
    for chunk in inputs.chunks(10) {
        clock.advance(jiff::SignedDuration::from_secs(1));
        registered.extend(store.register_persons(&desk, chunk).await.unwrap());
    }
    assert_eq!(
        every_page(&store, &desk, "kum", 20).await,
        newest_first(&registered)
    );
}

/// The ids of every person a name search finds, following the cursor page by page.
async fn every_page(store: &moei_store::Store, desk: &Actor, q: &str, limit: i64) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .search_persons(
                desk,
                &PersonQuery {
                    q: Some(q.into()),
                    cursor: cursor.clone(),
                    limit: Some(limit),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(page.items.len() as i64 <= limit);
        seen.extend(page.items.into_iter().map(|p| p.id));
        match page.next {
            Some(n) => cursor = Some(n),
            None => return seen,
        }
    }
}

/// Ids newest first, the order of search results.
fn newest_first(persons: &[moei_domain::Person]) -> Vec<String> {
    let mut ids: Vec<String> = persons.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    ids.reverse();
    ids
}

/// Letters for a number (0 → "a", 25 → "z", 26 → "ba"): names have no digits.
fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// Every plan of the name search finds the same persons: a rare token driving, common tokens
/// that meet often (a window of the newest persons fills the page), and common tokens that
/// rarely meet (the window does not fill it and the rarest token drives).
#[tokio::test]
async fn name_search_plans_agree_on_common_and_rare_tokens() {
    let db = TestDb::new().await;
    let clock = std::sync::Arc::new(test_clock());
    let store = db.store_with_clock(clock.clone()).await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    // Oldest first: three who carry both common names, then 2,100 of each common name without
    // the other, then 60 whose names always meet.
    let batches = [
        (3, "Kumar", "Nguyen", "VNM"),
        (2_100, "Anh", "Nguyen", "VNM"),
        (2_100, "Raj", "Kumar", "IND"),
        (2_100, "Minh", "Tran", "VNM"),
        (60, "Minh", "Nguyen", "VNM"),
    ];
    let mut registered = Vec::new();
    for (count, given, family, nationality) in batches {
        let batch: Vec<_> = (0..count)
            .map(|i| person(&format!("{given}{}", letters(i)), family, nationality))
            .collect();
        clock.advance(jiff::SignedDuration::from_secs(1));
        registered.push(store.register_persons(&desk, &batch).await.unwrap());
    }
    let all = |q: &'static str| every_page(&store, &desk, q, 50);
    // "nguyen kumar": both tokens common (over 2,000 each), meeting only in the three oldest.
    assert_eq!(all("nguyen kumar").await, newest_first(&registered[0]));
    // "nguyen minh": both common, meeting in the 60 newest, found by the window, page by page.
    assert_eq!(all("nguyen minh").await, newest_first(&registered[4]));
    // "kumarc": a rare token drives.
    let kumarc: Vec<_> = registered[0]
        .iter()
        .filter(|p| p.given_name == "Kumarc")
        .cloned()
        .collect();
    assert_eq!(kumarc.len(), 1);
    assert_eq!(all("kumarc nguyen").await, newest_first(&kumarc));
}

/// Name search by pair keys finds exactly the persons whose tokens start with every prefix of
/// the query, checked against the definition on names built to trip the keys: short family
/// names ("Li", "Wu"), tokens that share their first three letters ("Zhang", "Zhao"), a prefix
/// that starts another ("wan wang"), three tokens, other scripts, renamed persons, and a
/// one-letter prefix with more starts than the keys serve (the token plans answer it).
#[tokio::test]
async fn name_search_by_pairs_finds_exactly_the_matching_persons() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let families = [
        "Li", "Lin", "Liu", "Liang", "Wang", "Wan", "Zhang", "Zhao", "Wu",
    ];
    let givens = [
        "Wei", "Weiming", "Wen", "Li", "Na", "Xiuying", "Zhiwei", "Wang Li",
    ];
    let mut inputs = Vec::new();
    for (i, family) in families.iter().enumerate() {
        for (j, given) in givens.iter().enumerate() {
            let mut p = person(given, family, "CHN");
            if (i + j) % 3 == 0 {
                p.name_original_script = Some("王伟".into());
            }
            inputs.push(p);
        }
    }
    // Thirty "z" starts, more than a one-letter prefix is looked up by pair key for.
    for k in 0..30 {
        inputs.push(person("Wei", &format!("Z{}{}", letters(k), "x"), "CHN"));
    }
    // Ten "q" starts and ten "y" starts: "q y" has more pair keys than one search walks.
    for k in 0..10 {
        inputs.push(person(
            &format!("Q{}a", letters(k)),
            &format!("Y{}b", letters(k)),
            "THA",
        ));
    }
    let mut registered = store.register_persons(&desk, &inputs).await.unwrap();
    // Renamed: the old pairs must stop finding them and the new ones must find them.
    for (index, given, family) in [(0, "Wen", "Zhao"), (10, "Na", "Lin")] {
        let before = registered[index].clone();
        registered[index] = store
            .update_person(
                &desk,
                &before.id,
                &PersonPatch {
                    given_name: Some(Some(given.into())),
                    family_name: Some(Some(family.into())),
                    expected_version: Some(before.version),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let matching = |q: &str| -> Vec<String> {
        let prefixes = moei_domain::search::name_tokens(&[q]);
        let hits: Vec<moei_domain::Person> = registered
            .iter()
            .filter(|p| {
                let tokens = moei_domain::search::name_tokens(&[
                    &p.given_name,
                    &p.family_name,
                    &p.name_original_script,
                ]);
                prefixes
                    .iter()
                    .all(|q| tokens.iter().any(|t| t.starts_with(q.as_str())))
            })
            .cloned()
            .collect();
        newest_first(&hits)
    };
    for q in [
        "li wei",
        "wang wei",
        "wan wang",
        "zhang wei",
        "zhao wen",
        "liu weiming",
        "lin wang li",
        "wu xiu",
        "lin na",
        "li li",
        "l w",
        "wei 王伟",
        "z wei",
        "zh zh",
        "wei",
        "q y",
        "qa ya",
        "y qc",
    ] {
        let want = matching(q);
        assert!(!want.is_empty(), "query {q:?} should find someone");
        assert_eq!(every_page(&store, &desk, q, 7).await, want, "query {q:?}");
    }
    for q in ["nobody wei", "li na wang", "zax zbx"] {
        assert_eq!(matching(q), Vec::<String>::new());
        assert_eq!(every_page(&store, &desk, q, 7).await, Vec::<String>::new());
    }
    // The migration that added the keys derives them from the stored tokens in SQL; its keys
    // must be the ones registration writes.
    let written = pair_rows(&store).await;
    sqlx::query("DELETE FROM person_name_pairs")
        .execute(store.pool())
        .await
        .unwrap();
    let migration = match backend() {
        Backend::Sqlite => {
            include_str!("../../../moei-store/migrations/sqlite/0008_name_pairs.sql")
        }
        Backend::Postgres => {
            include_str!("../../../moei-store/migrations/postgres/0008_name_pairs.sql")
        }
    };
    let backfill = &migration[migration.find("INSERT").unwrap()..];
    sqlx::query(backfill).execute(store.pool()).await.unwrap();
    assert_eq!(pair_rows(&store).await, written);
}

async fn pair_rows(store: &moei_store::Store) -> Vec<(String, String)> {
    let rows = sqlx::query("SELECT pair, person_id FROM person_name_pairs")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let mut pairs: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            use sqlx::Row;
            (r.get::<String, _>("pair"), r.get::<String, _>("person_id"))
        })
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn a_batch_with_one_bad_person_stores_nothing() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let mut bad = person("B", "B", "IND");
    bad.date_of_birth = Some("1990-02-30".into());
    let err = store
        .register_persons(&desk, &[person("A", "A", "IND"), bad])
        .await
        .unwrap_err();
    match err {
        StoreError::Invalid(v) => assert_eq!(v.0[0].field, "[1].date_of_birth"),
        other => panic!("{other:?}"),
    }
    assert_eq!(person_count(&store).await, 0);
}

#[tokio::test]
async fn migrations_are_idempotent_and_schemas_match_across_backends() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store.migrate().await.unwrap();
    let columns = store.schema_columns().await.unwrap();
    // The committed list is what both backends must produce.
    let expected: Vec<(String, String)> = include_str!("schema_columns.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (t, c) = l.split_once('.').unwrap();
            (t.to_string(), c.to_string())
        })
        .collect();
    let mut got = columns.clone();
    got.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(got, want, "schema differs from tests/it/schema_columns.txt");
}

#[tokio::test]
async fn cli_actor_and_unknown_group() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let mut p = person("A", "B", "THA");
    p.arrival_group_id = Some("no-such-group".into());
    let err = store.register_person(&Actor::cli(), &p).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(v) if v.0[0].field == "arrival_group_id"),
        "{err:?}"
    );
    assert_eq!(person_count(&store).await, 0);
}

/// Concurrent registrations share commits; one with an unknown group must fail alone, every
/// other one must be stored once with its own number, and the audit chain must stay whole.
#[tokio::test]
async fn concurrent_registrations_share_commits_without_losing_or_mixing_anyone() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let desk = add_user(&store, "desk", Role::Registrar, &[]).await;
    let group = arrival_group(&store, &desk, "Moei river, Wang Takhian", "boat", None).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = store.clone();
        let desk = desk.clone();
        let group_id = group.id.clone();
        tasks.push(tokio::spawn(async move {
            let mut input = person(&format!("Given{i}"), "Family", "IND");
            input.arrival_group_id = Some(if i == 17 {
                "no-such-group".into()
            } else {
                group_id
            });
            (i, store.register_person(&desk, &input).await)
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        let (i, result) = task.await.unwrap();
        match result {
            Ok(p) => {
                assert_ne!(i, 17);
                assert_eq!(p.given_name, format!("Given{i}"));
                numbers.push(p.registration_number.as_str().to_string());
            }
            Err(StoreError::Invalid(v)) => {
                assert_eq!(i, 17);
                assert_eq!(v.0[0].field, "arrival_group_id");
            }
            Err(e) => panic!("registration {i}: {e:?}"),
        }
    }
    assert_eq!(numbers.len(), 59);
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 59, "registration numbers must be unique");
    assert_eq!(person_count(&store).await, 59);
    let report = store.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
    // Group creation, the user, 59 registrations: every registration has its own audit row.
    let creates = store
        .audit_entries(&Actor::cli(), None, 1_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "person.create")
        .count();
    assert_eq!(creates, 59);
}
