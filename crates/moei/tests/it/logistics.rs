//! Facilities, bulk movements, the embassy workspace, departure batches and the bottleneck
//! view, on the backend named by MOEI_TEST_BACKEND; files are read back with calamine.

use calamine::{Data, Reader};
use moei_domain::{Person, Role};
use moei_store::departures::BatchInput;
use moei_store::embassy::{ConsularInput, ConsularRow, NominalRoll, RollEntry};
use moei_store::facilities::{FacilityInput, MoveInput, PersonFilter};
use moei_store::{Actor, Store, StoreError};
use moei_web::logistics_files::{ROLL_COLUMNS, read_consular_xlsx, roll_csv, roll_xlsx};
use serde_json::json;

use crate::common::*;

async fn register(store: &Store, n: usize, nationality: &str, sex: &str) -> Vec<Person> {
    let registrar = Actor::cli();
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
    store.register_persons(&registrar, &inputs).await.unwrap()
}

fn filter_nationality(code: &str) -> PersonFilter {
    PersonFilter {
        nationality: Some(code.into()),
        ..Default::default()
    }
}

async fn facility(store: &Store, actor: &Actor, name: &str, men: i64, women: i64) -> String {
    store
        .create_facility(
            actor,
            &FacilityInput {
                name: name.into(),
                kind: "holding".into(),
                capacities: vec![
                    ("men".into(), men),
                    ("women".into(), women),
                    ("minors".into(), 10),
                    ("families".into(), 10),
                ],
            },
        )
        .await
        .unwrap()
        .id
}

fn invalid_field(err: StoreError) -> String {
    match err {
        StoreError::Invalid(e) => format!("{}:{}", e.0[0].field, e.0[0].code),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn audit_actions(store: &Store, prefix: &str) -> Vec<String> {
    store
        .audit_entries(&Actor::cli(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with(prefix))
        .map(|e| format!("{} {}", e.action, e.detail))
        .collect()
}

#[tokio::test]
async fn bulk_moves_occupancy_arrival_checks_and_missing_alerts() {
    let db = TestDb::new().await;
    let clock = std::sync::Arc::new(test_clock());
    let store = db.store_with_clock(clock.clone()).await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let ind = register(&store, 20, "IND", "M").await;
    register(&store, 10, "CHN", "F").await;
    let a = facility(&store, &fm, "Mae Sot shelter 1", 100, 11).await;
    let b = facility(&store, &fm, "Friendship Bridge 2", 100, 50).await;

    // An empty filter never moves everyone.
    let empty = MoveInput {
        filter: PersonFilter::default(),
        to_facility_id: a.clone(),
        to_section: None,
        vehicle: String::new(),
        escort: String::new(),
        departed_at: None,
    };
    let err = store.move_persons(&fm, &empty).await.unwrap_err();
    assert_eq!(invalid_field(err), "filter:empty_filter");

    // First placement of all new arrivals: sections follow sex.
    let placed = store
        .move_persons(
            &fm,
            &MoveInput {
                filter: PersonFilter {
                    unplaced: true,
                    ..Default::default()
                },
                ..empty.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(placed.moved, 30);
    // 10 women in a section of 11: near capacity.
    assert_eq!(placed.warnings.len(), 1);
    assert_eq!(placed.warnings[0].section, "women");
    assert_eq!(placed.warnings[0].level, "near_capacity");
    let sites = store.facilities(&fm).await.unwrap();
    let site_a = sites.iter().find(|f| f.id == a).unwrap();
    assert_eq!(site_a.occupied, 30);
    let men = site_a.sections.iter().find(|s| s.section == "men").unwrap();
    assert_eq!((men.capacity, men.occupied), (100, 20));

    // An hour later the Indians go by truck to the bridge; two do not arrive.
    clock.advance(jiff::SignedDuration::from_hours(1));
    let moved = store
        .move_persons(
            &fm,
            &MoveInput {
                filter: PersonFilter {
                    nationality: Some("IND".into()),
                    facility_id: Some(a.clone()),
                    ..Default::default()
                },
                to_facility_id: b.clone(),
                to_section: None,
                vehicle: "truck 80-1234 Tak".into(),
                escort: "Sgt. Somchai".into(),
                departed_at: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(moved.moved, 20);
    let manifest = store.manifest(&fm, &moved.movement_id).await.unwrap();
    assert_eq!(manifest.persons.len(), 20);
    assert_eq!(manifest.vehicle, "truck 80-1234 Tak");
    assert!(
        manifest
            .persons
            .iter()
            .all(|p| p.arrival == "expected" && p.section == "men")
    );
    let arrived: Vec<String> = ind[2..]
        .iter()
        .map(|p| p.registration_number.to_string())
        .chain(["MS-9999999".to_string()])
        .collect();
    let report = store
        .check_arrivals(&fm, &moved.movement_id, &arrived)
        .await
        .unwrap();
    assert_eq!(report.checked, 18);
    assert_eq!(report.not_on_manifest, vec!["MS-9999999".to_string()]);
    let missing = store.close_arrival(&fm, &moved.movement_id).await.unwrap();
    let mut missing_numbers: Vec<String> = missing
        .iter()
        .map(|m| m.person.registration_number.clone())
        .collect();
    missing_numbers.sort();
    let mut expected: Vec<String> = ind[..2]
        .iter()
        .map(|p| p.registration_number.to_string())
        .collect();
    expected.sort();
    assert_eq!(missing_numbers, expected);
    let err = store
        .close_arrival(&fm, &moved.movement_id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let sites = store.facilities(&fm).await.unwrap();
    let occupied = |id: &str| sites.iter().find(|f| f.id == id).unwrap().occupied;
    assert_eq!(occupied(&a), 10);
    assert_eq!(occupied(&b), 18);

    // Location history: placed at A, then moved to B (and missing for the first two).
    let history = store.location_history(&fm, &ind[0].id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].facility, "Mae Sot shelter 1");
    assert_eq!(history[1].facility, "Friendship Bridge 2");
    assert_eq!(history[1].arrival, "missing");
    let timeline = store.person_history(&fm, &ind[5].id).await.unwrap();
    assert_eq!(timeline.iter().filter(|h| h.event == "moved").count(), 2);

    // One audit row per bulk move, with the count and the filter; an alert for the missing.
    let moves = audit_actions(&store, "movement.create").await;
    assert_eq!(moves.len(), 2, "{moves:?}");
    assert!(
        moves
            .iter()
            .any(|m| m.contains("\"count\":20") && m.contains("\"nationality\":\"IND\"")),
        "{moves:?}"
    );
    let alerts = audit_actions(&store, "movement.missing_alert").await;
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].contains("\"missing\":2"));
    assert!(store.verify_audit().await.unwrap().ok());

    // Embassy officers and analysts cannot move anyone; unknown sites are named.
    let analyst = add_user(&store, "an", Role::Analyst, &[]).await;
    assert!(matches!(
        store.move_persons(&analyst, &empty).await,
        Err(StoreError::Forbidden)
    ));
    let bad = MoveInput {
        filter: filter_nationality("CHN"),
        to_facility_id: "nowhere".into(),
        ..empty.clone()
    };
    assert_eq!(
        invalid_field(store.move_persons(&fm, &bad).await.unwrap_err()),
        "to_facility_id:unknown_facility"
    );
}

/// Records a legal basis for everyone given (what a screener does before the embassy sees them).
async fn allow_disclosure(store: &Store, persons: &[Person]) {
    for p in persons {
        store
            .record_disclosure_basis(&Actor::cli(), &p.id, "consent")
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn embassy_sees_only_its_disclosable_nationals() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let ind = register(&store, 5, "IND", "M").await;
    let chn = register(&store, 3, "CHN", "M").await;
    allow_disclosure(&store, &ind[..4]).await;
    allow_disclosure(&store, &chn).await;
    let screener = add_user(&store, "screener", Role::Screener, &[]).await;
    store
        .set_protection(
            &screener,
            &ind[3].id,
            "flagged",
            "fears persecution on return",
        )
        .await
        .unwrap();
    let emb_ind = add_user(&store, "emb_ind", Role::EmbassyOfficer, &["IND"]).await;

    // The roll: basis recorded and no fear-of-return flag: ind[0..3]; ind[4] has no basis.
    let roll = store.nominal_roll(&emb_ind, "IND", true).await.unwrap();
    let mut numbers: Vec<&str> = roll
        .entries
        .iter()
        .map(|e| e.registration_number.as_str())
        .collect();
    numbers.sort();
    let mut want: Vec<String> = ind[..3]
        .iter()
        .map(|p| p.registration_number.to_string())
        .collect();
    want.sort();
    assert_eq!(numbers, want);
    assert!(
        roll.entries
            .iter()
            .all(|e| e.legal_basis == "consent" && e.verification == "pending")
    );
    assert!(
        roll.photos_included,
        "the seeded agreement for IND allows photos"
    );

    // Other nationals, flagged persons and persons without a basis do not exist for the embassy.
    assert!(matches!(
        store.nominal_roll(&emb_ind, "CHN", false).await,
        Err(StoreError::NotFound)
    ));
    let confirm = ConsularInput {
        verification: Some("confirmed".into()),
        ..Default::default()
    };
    for hidden in [&chn[0], &ind[3], &ind[4]] {
        assert!(
            matches!(
                store.record_consular(&emb_ind, &hidden.id, &confirm).await,
                Err(StoreError::NotFound)
            ),
            "{}",
            hidden.registration_number
        );
    }
    // Counts are scoped too: the bottleneck view shows IND only.
    let view = store.bottlenecks(&emb_ind).await.unwrap();
    assert_eq!(view.nationalities.len(), 1);
    assert_eq!(view.nationalities[0].nationality, "IND");
    assert_eq!(view.present, 5);

    // Consular findings with validation naming the field.
    let err = store
        .record_consular(
            &emb_ind,
            &ind[0].id,
            &ConsularInput {
                travel_document_number: Some("EC123".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "travel_document_kind:required");
    let rec = store
        .record_consular(
            &emb_ind,
            &ind[0].id,
            &ConsularInput {
                verification: Some("confirmed".into()),
                travel_document_kind: Some("emergency_certificate".into()),
                travel_document_number: Some("ec-445566".into()),
                travel_document_valid_until: Some("2025-12-31".into()),
                proposed_departure: Some("2025-11-06".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(rec.travel_document_number.as_deref(), Some("EC-445566"));
    let person = store.person(&Actor::cli(), &ind[0].id).await.unwrap();
    assert_eq!(person.registration_number, ind[0].registration_number);

    // Every roll records each disclosure with its basis; the reason for the flag never leaves.
    let disclosed = audit_actions(&store, "roll.disclose").await;
    assert_eq!(disclosed.len(), 1);
    assert!(disclosed[0].contains("\"count\":3"));
    let admin = add_user(&store, "admin", Role::Admin, &[]).await;
    assert!(matches!(
        store.record_consular(&admin, &ind[0].id, &confirm).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.nominal_roll(&screener, "IND", false).await,
        Err(StoreError::Forbidden)
    ));
}

fn entry(number: &str, verification: &str, kind: &str, doc: &str, until: &str) -> RollEntry {
    RollEntry {
        registration_number: number.into(),
        family_name: String::new(),
        given_name: String::new(),
        name_original_script: String::new(),
        sex: String::new(),
        date_of_birth: None,
        nationality: "IND".into(),
        verification: verification.into(),
        travel_document_kind: Some(kind.into()).filter(|k: &String| !k.is_empty()),
        travel_document_number: Some(doc.into()).filter(|k: &String| !k.is_empty()),
        travel_document_valid_until: Some(until.into()).filter(|k: &String| !k.is_empty()),
        proposed_departure: None,
        legal_basis: "consent".into(),
        photo: None,
    }
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

#[tokio::test]
async fn roll_files_and_verification_upload() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let ind = register(&store, 4, "IND", "M").await;
    let chn = register(&store, 1, "CHN", "M").await;
    allow_disclosure(&store, &ind).await;
    allow_disclosure(&store, &chn).await;
    let emb = add_user(&store, "emb", Role::EmbassyOfficer, &["IND"]).await;

    // The XLSX roll read back: header, Latin names and the original script.
    let roll = store.nominal_roll(&emb, "IND", false).await.unwrap();
    let rows = sheet(&roll_xlsx(&roll).unwrap());
    assert_eq!(rows[0], ROLL_COLUMNS.map(String::from).to_vec());
    assert_eq!(rows.len(), 5);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[1] == "FamilyIND" && r[3].starts_with("नाम ")),
        "{rows:?}"
    );
    let csv = String::from_utf8(roll_csv(&roll).unwrap()).unwrap();
    let header = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    for column in [
        "registration_number",
        "family_name",
        "given_name",
        "name_original_script",
        "sex",
        "date_of_birth",
        "nationality",
    ] {
        assert!(header.split(',').any(|h| h == column), "{header}");
    }

    // The embassy sends back a file: two good rows, one unknown number, one CHN national (not
    // theirs), one bad value.
    let n = |i: usize| ind[i].registration_number.to_string();
    let upload = NominalRoll {
        nationality: "IND".into(),
        generated_at: String::new(),
        generated_by: String::new(),
        photos_included: false,
        entries: vec![
            entry(&n(0), "confirmed", "passport", "Z1234567", "2030-01-01"),
            entry(&n(1), "interview_needed", "", "", ""),
            entry("MS-0000999", "confirmed", "", "", ""),
            entry(
                &chn[0].registration_number.to_string(),
                "confirmed",
                "",
                "",
                "",
            ),
            entry(&n(2), "yes", "", "", ""),
        ],
    };
    let rows: Vec<ConsularRow> = read_consular_xlsx(&roll_xlsx(&upload).unwrap()).unwrap();
    assert_eq!(rows.len(), 5);
    let report = store.import_consular(&emb, &rows, false).await.unwrap();
    assert_eq!((report.valid, report.rejected, report.applied), (2, 3, 0));
    let statuses: Vec<(usize, &str)> = report
        .rows
        .iter()
        .map(|r| (r.line, r.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (2, "ok"),
            (3, "ok"),
            (4, "not_matched"),
            (5, "not_matched"),
            (6, "invalid")
        ]
    );
    assert_eq!(report.rows[4].errors[0].field, "verification");
    // Nothing was applied.
    let roll = store.nominal_roll(&emb, "IND", false).await.unwrap();
    assert!(roll.entries.iter().all(|e| e.verification == "pending"));

    // The user accepts the valid rows.
    let report = store.import_consular(&emb, &rows, true).await.unwrap();
    assert_eq!(report.applied, 2);
    let roll = store.nominal_roll(&emb, "IND", false).await.unwrap();
    let find = |num: &str| {
        roll.entries
            .iter()
            .find(|e| e.registration_number == num)
            .unwrap()
            .clone()
    };
    assert_eq!(find(&n(0)).verification, "confirmed");
    assert_eq!(
        find(&n(0)).travel_document_number.as_deref(),
        Some("Z1234567")
    );
    assert_eq!(find(&n(1)).verification, "interview_needed");
    assert_eq!(find(&n(2)).verification, "pending");
    let imports = audit_actions(&store, "consular.import").await;
    assert_eq!(imports.len(), 2, "{imports:?}");
}

/// Clears a person the way screening and the embassy would: a determination, a confirmed
/// nationality and a travel document.
async fn clear(db: &TestDb, store: &Store, emb: &Actor, p: &Person, status: &str) {
    db.raw(&format!(
        "UPDATE persons SET case_status = '{status}' WHERE id = '{}'",
        p.id
    ))
    .await;
    store
        .record_consular(
            emb,
            &p.id,
            &ConsularInput {
                verification: Some("confirmed".into()),
                travel_document_kind: Some("passport".into()),
                travel_document_number: Some(format!("P{}", p.registration_number)),
                travel_document_valid_until: Some("2030-01-01".into()),
                proposed_departure: None,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn batches_refuse_per_reason_depart_and_feed_the_bottleneck_view() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let emb = add_user(&store, "emb", Role::EmbassyOfficer, &["IND"]).await;
    let screener = add_user(&store, "scr", Role::Screener, &[]).await;
    let ind = register(&store, 6, "IND", "M").await;
    register(&store, 2, "ETH", "M").await;
    allow_disclosure(&store, &ind).await;
    let site = facility(&store, &fm, "Mae Sot shelter 1", 100, 50).await;
    store
        .move_persons(
            &fm,
            &MoveInput {
                filter: PersonFilter {
                    unplaced: true,
                    ..Default::default()
                },
                to_facility_id: site.clone(),
                to_section: None,
                vehicle: String::new(),
                escort: String::new(),
                departed_at: None,
            },
        )
        .await
        .unwrap();
    // ind[0], ind[1]: ready. ind[2]: cleared but held for prosecution. ind[3]: awaiting MDT.
    // ind[4]: unscreened, unconfirmed, no document. ind[5]: cleared, then fears return.
    for p in [&ind[0], &ind[1], &ind[2], &ind[5]] {
        clear(&db, &store, &emb, p, "irregular_migrant").await;
    }
    clear(&db, &store, &emb, &ind[3], "awaiting_mdt").await;
    db.raw(&format!(
        "UPDATE persons SET held_for_prosecution = 1 WHERE id = '{}'",
        ind[2].id
    ))
    .await;
    store
        .set_protection(&screener, &ind[5].id, "flagged", "fears return")
        .await
        .unwrap();

    let view = store.bottlenecks(&fm).await.unwrap();
    let row = |code: &str| {
        view.nationalities
            .iter()
            .find(|n| n.nationality == code)
            .unwrap()
            .clone()
    };
    let reason = |n: &moei_store::departures::NationalityBottleneck, r: &str| {
        n.reasons.iter().find(|(k, _)| k == r).unwrap().1
    };
    let india = row("IND");
    assert_eq!(
        (india.present, india.ready, india.blocked, india.assigned),
        (6, 2, 4, 0)
    );
    assert_eq!(reason(&india, "held_for_prosecution"), 1);
    assert_eq!(reason(&india, "awaiting_mdt"), 1);
    assert_eq!(reason(&india, "unscreened"), 1);
    assert_eq!(reason(&india, "fears_return"), 1);
    assert_eq!(reason(&india, "no_travel_document"), 1);
    assert_eq!(reason(&india, "no_embassy"), 0);
    let ethiopia = row("ETH");
    assert!(!ethiopia.has_embassy);
    assert_eq!((ethiopia.blocked, reason(&ethiopia, "no_embassy")), (2, 2));
    // 8 people at 300 a weekday: Friday 24 October 2025 itself.
    assert_eq!(view.rate_per_weekday, 300);
    assert_eq!(view.projected_clear_date.as_deref(), Some("2025-10-24"));
    store.set_departure_rate(&fm, 3).await.unwrap();
    // 3 Friday, 3 Monday, 2 Tuesday.
    assert_eq!(
        store
            .bottlenecks(&fm)
            .await
            .unwrap()
            .projected_clear_date
            .as_deref(),
        Some("2025-10-28")
    );

    let batch = store
        .create_batch(
            &fm,
            &BatchInput {
                kind: "flight".into(),
                carrier: "Indian Air Force".into(),
                route: "Mae Sot - Delhi".into(),
                departure_date: "2025-11-06".into(),
                capacity: 50,
            },
        )
        .await
        .unwrap();
    let report = store
        .assign_to_batch(&fm, &batch.id, &filter_nationality("IND"))
        .await
        .unwrap();
    assert_eq!(report.assigned, 2);
    let why = |p: &Person| {
        report
            .refused
            .iter()
            .find(|r| r.registration_number == p.registration_number.as_str())
            .map(|r| r.reasons.clone())
            .unwrap_or_default()
    };
    assert_eq!(why(&ind[2]), vec!["held_for_prosecution"]);
    assert_eq!(why(&ind[3]), vec!["awaiting_mdt"]);
    assert_eq!(
        why(&ind[4]),
        vec![
            "nationality_unconfirmed",
            "no_travel_document",
            "unscreened"
        ]
    );
    assert_eq!(why(&ind[5]), vec!["fears_return"]);
    assert_eq!(report.refused.len(), 4);
    // Assigning again refuses the two already on the batch.
    let again = store
        .assign_to_batch(&fm, &batch.id, &filter_nationality("IND"))
        .await
        .unwrap();
    assert_eq!(again.assigned, 0);
    assert_eq!(why_of(&again, &ind[0]), vec!["already_assigned"]);
    let planned = store.person(&fm, &ind[0].id).await.unwrap();
    assert_eq!(planned.registration_number, ind[0].registration_number);

    // Capacity: a batch of 1 refuses a selection of 2 cleared persons outright.
    let small = store
        .create_batch(
            &fm,
            &BatchInput {
                kind: "bus".into(),
                carrier: "Bus".into(),
                route: "Mae Sot - Bangkok".into(),
                departure_date: "2025-11-07".into(),
                capacity: 1,
            },
        )
        .await
        .unwrap();
    store
        .set_protection(&screener, &ind[5].id, "cleared", "reviewed")
        .await
        .unwrap();
    clear(&db, &store, &emb, &ind[2], "irregular_migrant").await;
    db.raw(&format!(
        "UPDATE persons SET held_for_prosecution = 0 WHERE id = '{}'",
        ind[2].id
    ))
    .await;
    let err = store
        .assign_to_batch(&fm, &small.id, &filter_nationality("IND"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref m) if m.contains("2 persons")),
        "{err:?}"
    );

    // ind[1] does not show up; the others depart.
    let changed = store
        .set_batch_outcome(
            &fm,
            &batch.id,
            &[ind[1].registration_number.to_string()],
            "no_show",
            false,
        )
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let departed = store
        .depart_batch(&fm, &batch.id, "TM.35 batch 1", "Embassy of India")
        .await
        .unwrap();
    assert_eq!(departed.status, "departed");
    assert_eq!(departed.assigned, 1);
    let on_board = store.batch_persons(&fm, &batch.id).await.unwrap();
    let outcome = |p: &Person| {
        on_board
            .iter()
            .find(|b| b.person.person_id == p.id)
            .unwrap()
            .outcome
            .clone()
    };
    assert_eq!(outcome(&ind[0]), "departed");
    assert_eq!(outcome(&ind[1]), "no_show");
    let err = store
        .depart_batch(&fm, &batch.id, "again", "x")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)));
    // Departed persons leave the site and the counts.
    let sites = store.facilities(&fm).await.unwrap();
    assert_eq!(sites.iter().find(|f| f.id == site).unwrap().occupied, 7);
    let view = store.bottlenecks(&fm).await.unwrap();
    assert_eq!(view.present, 7);

    // The embassy sees batch counts of its nationals only; an analyst sees counts, no names.
    let emb_chn = add_user(&store, "emb_chn", Role::EmbassyOfficer, &["CHN"]).await;
    let seen = store.batch(&emb_chn, &batch.id).await.unwrap();
    assert_eq!(seen.assigned, 0);
    assert!(
        store
            .bottlenecks(&emb_chn)
            .await
            .unwrap()
            .nationalities
            .is_empty()
    );
    let analyst = add_user(&store, "an", Role::Analyst, &[]).await;
    assert!(store.bottlenecks(&analyst).await.is_ok());
    assert!(matches!(
        store.batch_persons(&analyst, &batch.id).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.batch_persons(&emb, &batch.id).await,
        Err(StoreError::Forbidden)
    ));
    assert!(store.verify_audit().await.unwrap().ok());
}

fn why_of(report: &moei_store::departures::AssignReport, p: &Person) -> Vec<String> {
    report
        .refused
        .iter()
        .find(|r| r.registration_number == p.registration_number.as_str())
        .map(|r| r.reasons.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn nominal_roll_from_the_command_line() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let ind = register(&store, 3, "IND", "F").await;
    allow_disclosure(&store, &ind).await;
    drop(store);
    for format in ["xlsx", "csv"] {
        let out = db.dir.path().join(format!("roll.{format}"));
        let o = crate::cli::moei(
            &[
                "export",
                "nominal-roll",
                "--nationality",
                "ind",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
                "--database",
                &db.url,
            ],
            None,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rows = if format == "xlsx" {
            sheet(&std::fs::read(&out).unwrap())
        } else {
            String::from_utf8(std::fs::read(&out).unwrap())
                .unwrap()
                .trim_start_matches('\u{feff}')
                .lines()
                .map(|l| l.split(',').map(String::from).collect())
                .collect()
        };
        assert_eq!(
            rows[0][..7],
            ROLL_COLUMNS[..7]
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()[..]
        );
        assert_eq!(rows.len(), 4, "{format}");
        assert!(rows[1..].iter().all(|r| r[4] == "F" && r[6] == "IND"));
    }
    // The PDF writer is not in this build yet: the command says so and writes nothing.
    let pdf = db.dir.path().join("roll.pdf");
    let o = crate::cli::moei(
        &[
            "export",
            "nominal-roll",
            "--nationality",
            "IND",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
            "--database",
            &db.url,
        ],
        None,
    );
    if !o.status.success() {
        assert!(!pdf.exists());
    }
}

#[tokio::test]
async fn api_counts_and_roll_are_scoped_and_match_the_openapi_document() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let ind = register(&store, 3, "IND", "M").await;
    let chn = register(&store, 2, "CHN", "M").await;
    allow_disclosure(&store, &ind).await;
    allow_disclosure(&store, &chn).await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let site = facility(&store, &fm, "Mae Sot shelter 1", 100, 50).await;
    let everyone = PersonFilter {
        unplaced: true,
        ..Default::default()
    };
    store
        .move_persons(
            &fm,
            &MoveInput {
                filter: everyone,
                to_facility_id: site,
                to_section: None,
                vehicle: String::new(),
                escort: String::new(),
                departed_at: None,
            },
        )
        .await
        .unwrap();
    add_user(&store, "emb", Role::EmbassyOfficer, &["IND"]).await;
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("emb").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    let (status, sites) = api.get("/api/v1/facilities").await;
    assert_eq!(status, 200);
    crate::api::assert_schema(&spec, "Facility", &sites[0]);
    assert_eq!(
        sites[0]["occupied"], 3,
        "the CHN nationals are not counted for IND"
    );
    let (status, view) = api.get("/api/v1/bottlenecks").await;
    assert_eq!(status, 200);
    crate::api::assert_schema(&spec, "BottleneckReport", &view);
    assert_eq!(view["nationalities"].as_array().unwrap().len(), 1);
    assert_eq!(view["nationalities"][0]["nationality"], "IND");

    let r = api
        .http
        .get(format!(
            "{}/api/v1/nominal-roll?nationality=IND&format=xlsx",
            api.base
        ))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let rows = sheet(&r.bytes().await.unwrap());
    assert_eq!(rows.len(), 4);
    let (status, err) = api
        .get("/api/v1/nominal-roll?nationality=CHN&format=csv")
        .await;
    assert_eq!(status, 404);
    crate::api::assert_schema(&spec, "Error", &err);
    let (status, err) = api
        .get("/api/v1/nominal-roll?nationality=IND&format=docx")
        .await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["field"], "format");
}

/// A `datetime-local` form value (Bangkok time) for a timestamp.
fn bangkok_local(t: jiff::Timestamp) -> String {
    t.to_zoned(moei_domain::clock::deployment_zone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[tokio::test]
async fn movement_list_counts_before_acting_and_departure_times() {
    let db = TestDb::new().await;
    let clock = std::sync::Arc::new(test_clock());
    let store = db.store_with_clock(clock.clone()).await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let emb = add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let analyst = add_user(&store, "analyst", Role::Analyst, &[]).await;
    let ind = register(&store, 5, "IND", "M").await;
    let chn = register(&store, 3, "CHN", "F").await;
    let a = facility(&store, &fm, "Mae Sot shelter A", 100, 50).await;
    let b = facility(&store, &fm, "Tak centre B", 100, 50).await;
    let unplaced = PersonFilter {
        unplaced: true,
        ..Default::default()
    };

    // The count uses the move's own conditions and the caller's scope.
    assert_eq!(store.count_filter(&fm, &unplaced).await.unwrap(), 8);
    assert_eq!(store.count_filter(&emb, &unplaced).await.unwrap(), 5);
    assert_eq!(
        store
            .count_filter(&emb, &filter_nationality("CHN"))
            .await
            .unwrap(),
        0,
        "an embassy officer never counts other nationals"
    );
    let err = store
        .count_filter(&fm, &PersonFilter::default())
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "filter:empty_filter");
    let by_number = PersonFilter {
        registration_numbers: vec![chn[0].registration_number.to_string()],
        ..Default::default()
    };
    assert_eq!(store.count_filter(&fm, &by_number).await.unwrap(), 1);
    // Listed numbers would tell a reader of aggregates whether each person is here.
    assert!(matches!(
        store.count_filter(&analyst, &by_number).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.count_filter(&emb, &by_number).await,
        Err(StoreError::Forbidden)
    ));
    let counts = audit_actions(&store, "persons.count_filter").await;
    assert_eq!(counts.len(), 4, "{counts:?}");
    assert!(
        counts
            .iter()
            .all(|c| !c.contains(chn[0].registration_number.as_str())),
        "a count's audit names no person: {counts:?}"
    );

    // Departure times: checked, and nothing is written when refused.
    let first = MoveInput {
        filter: unplaced.clone(),
        to_facility_id: a.clone(),
        to_section: None,
        vehicle: "truck 80-1234".into(),
        escort: "Sgt. Somchai".into(),
        departed_at: None,
    };
    for (value, code) in [
        ("yesterday morning", "departed_at:invalid_timestamp"),
        ("2025-13-01T08:00", "departed_at:invalid_timestamp"),
    ] {
        let bad = MoveInput {
            departed_at: Some(value.into()),
            ..first.clone()
        };
        let err = store.move_persons(&fm, &bad).await.unwrap_err();
        assert_eq!(invalid_field(err), code, "{value}");
    }
    use moei_domain::clock::Clock;
    let ahead = clock.now() + jiff::SignedDuration::from_hours(25);
    let err = store
        .move_persons(
            &fm,
            &MoveInput {
                departed_at: Some(bangkok_local(ahead)),
                ..first.clone()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(err), "departed_at:too_far_ahead");
    assert!(
        store
            .movements(&fm, &Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.count_filter(&fm, &unplaced).await.unwrap(), 8);

    // First placement now (the store clock); three hours later the Indians go on to B by a
    // bus that left an hour ago (a form value in Bangkok time), then the Chinese by RFC 3339.
    let placed_at = clock.now();
    let first_id = store.move_persons(&fm, &first).await.unwrap().movement_id;
    clock.advance(jiff::SignedDuration::from_hours(3));
    let left = clock.now() - jiff::SignedDuration::from_hours(1);
    let second_id = store
        .move_persons(
            &fm,
            &MoveInput {
                filter: filter_nationality("IND"),
                to_facility_id: b.clone(),
                departed_at: Some(bangkok_local(left)),
                ..first.clone()
            },
        )
        .await
        .unwrap()
        .movement_id;
    let chn_left = clock.now() - jiff::SignedDuration::from_mins(30);
    let third_id = store
        .move_persons(
            &fm,
            &MoveInput {
                filter: filter_nationality("CHN"),
                to_facility_id: b.clone(),
                departed_at: Some(
                    chn_left
                        .to_zoned(moei_domain::clock::deployment_zone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string(),
                ),
                ..first.clone()
            },
        )
        .await
        .unwrap()
        .movement_id;
    store
        .check_arrivals(
            &fm,
            &second_id,
            &ind[..4]
                .iter()
                .map(|p| p.registration_number.to_string())
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    store.close_arrival(&fm, &second_id).await.unwrap();

    // Newest first by departure time, with counts and the arrival state.
    let all = store.movements(&fm, &Default::default()).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.movement_id.as_str()).collect();
    assert_eq!(ids, [&third_id, &second_id, &first_id]);
    let (third, second, first_m) = (&all[0], &all[1], &all[2]);
    let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    // The form value has minutes only.
    assert_eq!(
        at(&second.departed_at).as_second() / 60,
        left.as_second() / 60
    );
    assert_eq!(at(&third.departed_at).as_second(), chn_left.as_second());
    assert_eq!(at(&first_m.departed_at), placed_at);
    assert_eq!(
        (
            second.on_board,
            second.arrived,
            second.missing,
            second.expected
        ),
        (5, 4, 1, 0)
    );
    assert!(!second.open && second.arrived_at.is_some());
    assert_eq!(second.from, vec!["Mae Sot shelter A".to_string()]);
    assert_eq!(second.to_facility, "Tak centre B");
    assert_eq!(
        (second.vehicle.as_str(), second.escort.as_str()),
        ("truck 80-1234", "Sgt. Somchai")
    );
    assert_eq!((first_m.on_board, first_m.from_unplaced), (8, 8));
    assert!(first_m.from.is_empty() && first_m.open && first_m.expected == 8);
    assert_eq!((third.on_board, third.expected), (3, 3));

    // Filters and limits.
    let open = store
        .movements(
            &fm,
            &moei_store::facilities::MovementFilter {
                open: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    assert!(open.iter().all(|m| m.movement_id != second_id));
    let to_a = store
        .movements(
            &fm,
            &moei_store::facilities::MovementFilter {
                to_facility_id: Some(a.clone()),
                limit: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(to_a.len(), 1);
    assert_eq!(to_a[0].movement_id, first_id);
    for limit in [0, 501] {
        let err = store
            .movements(
                &fm,
                &moei_store::facilities::MovementFilter {
                    limit: Some(limit),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(invalid_field(err), "limit:out_of_range");
    }

    // An embassy officer: their nationals only, and no movement of others at all.
    let seen = store.movements(&emb, &Default::default()).await.unwrap();
    let seen_ids: Vec<&str> = seen.iter().map(|m| m.movement_id.as_str()).collect();
    assert_eq!(seen_ids, [&second_id, &first_id]);
    assert_eq!(
        seen[1].on_board, 5,
        "the Chinese on the first bus are not counted"
    );
    assert_eq!(seen[1].from_unplaced, 5);
    let registrar = add_user(&store, "reg", Role::Registrar, &[]).await;
    assert!(matches!(
        store.movements(&registrar, &Default::default()).await,
        Err(StoreError::Forbidden)
    ));
}

#[tokio::test]
async fn protection_state_is_read_with_the_reason_for_protection_staff_only() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    let screener = add_user(&store, "screener", Role::Screener, &[]).await;
    let emb = add_user(&store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let ind = register(&store, 2, "IND", "M").await;
    let p = &ind[0];

    let nothing = store.protection_of(&fm, &p.id).await.unwrap();
    assert!(nothing.flag.is_none() && nothing.disclosure_basis.is_none());
    assert!(!nothing.disclosable);

    store
        .record_disclosure_basis(&screener, &p.id, "consent")
        .await
        .unwrap();
    let with_basis = store.protection_of(&fm, &p.id).await.unwrap();
    let basis = with_basis.disclosure_basis.unwrap();
    assert_eq!(
        (basis.basis.as_str(), basis.recorded_by.as_str()),
        ("consent", "screener")
    );
    assert!(with_basis.disclosable);

    let reason = "Threatened by the recruiter's family at home";
    store
        .set_protection(&screener, &p.id, "flagged", reason)
        .await
        .unwrap();
    let seen_by_screener = store.protection_of(&screener, &p.id).await.unwrap();
    let flag = seen_by_screener.flag.unwrap();
    assert_eq!(flag.status, "flagged");
    assert_eq!(flag.reason.as_deref(), Some(reason));
    assert_eq!(flag.flagged_by, "screener");
    assert!(flag.reviewed_at.is_none() && flag.reviewed_by.is_none());
    assert!(!seen_by_screener.disclosable, "a flag blocks disclosure");
    // Those who move people see that it is blocked, not why.
    let seen_by_fm = store.protection_of(&fm, &p.id).await.unwrap();
    let flag = seen_by_fm.flag.unwrap();
    assert_eq!((flag.status.as_str(), flag.reason), ("flagged", None));
    assert!(!seen_by_fm.disclosable);

    store
        .set_protection(&screener, &p.id, "cleared", "")
        .await
        .unwrap();
    let cleared = store.protection_of(&screener, &p.id).await.unwrap();
    let flag = cleared.flag.unwrap();
    assert_eq!(flag.status, "cleared");
    assert_eq!(flag.reviewed_by.as_deref(), Some("screener"));
    assert!(flag.reviewed_at.is_some());
    assert!(cleared.disclosable);

    // Embassy officers never read the protection state; unknown ids are not found.
    assert!(matches!(
        store.protection_of(&emb, &p.id).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.protection_of(&fm, "no-such-person").await,
        Err(StoreError::NotFound)
    ));
    let reads = audit_actions(&store, "person.protection_read").await;
    assert_eq!(reads.len(), 5, "{reads:?}");
    assert!(reads.iter().all(|r| !r.contains("recruiter")), "{reads:?}");
}

#[tokio::test]
async fn api_lists_movements_counts_before_acting_and_reads_protection() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let ind = register(&store, 3, "IND", "M").await;
    register(&store, 2, "CHN", "M").await;
    let fm = add_user(&store, "fm", Role::FacilityManager, &[]).await;
    add_user(&store, "emb", Role::EmbassyOfficer, &["IND"]).await;
    let site = facility(&store, &fm, "Mae Sot shelter 1", 100, 50).await;
    store
        .set_protection(&Actor::cli(), &ind[0].id, "flagged", "afraid of the broker")
        .await
        .unwrap();
    let server = TestServer::start(store).await;
    let api = server.client(&server.token_for("fm").await);
    let emb = server.client(&server.token_for("emb").await);
    let (_, spec) = api.get("/api/openapi.json").await;

    let unplaced = json!({ "filter": { "unplaced": true } });
    let (status, count) = api
        .post("/api/v1/persons/count-filter", unplaced.clone())
        .await;
    assert_eq!((status, &count["count"]), (200, &json!(5)), "{count}");
    let (status, count) = emb.post("/api/v1/persons/count-filter", unplaced).await;
    assert_eq!((status, &count["count"]), (200, &json!(3)), "{count}");
    let (status, e) = api
        .post("/api/v1/persons/count-filter", json!({ "filter": {} }))
        .await;
    assert_eq!(
        (status, &e["error"]["field"]),
        (422, &json!("filter")),
        "{e}"
    );

    let move_body = |departed_at: &str| {
        json!({ "filter": { "unplaced": true }, "to_facility_id": site, "vehicle": "bus 1",
                "departed_at": departed_at })
    };
    let (status, e) = api.post("/api/v1/movements", move_body("soon")).await;
    assert_eq!(
        (status, &e["error"]["field"]),
        (422, &json!("departed_at")),
        "{e}"
    );
    let (status, moved) = api
        .post("/api/v1/movements", move_body("2025-10-24T08:30:00+07:00"))
        .await;
    assert_eq!(status, 201, "{moved}");

    let (status, list) = api.get("/api/v1/movements?status=open").await;
    assert_eq!(status, 200);
    let m = &list["items"][0];
    crate::api::assert_schema(&spec, "MovementSummary", m);
    assert_eq!(m["movement_id"], moved["movement_id"]);
    assert_eq!(m["on_board"], 5);
    let left: jiff::Timestamp = m["departed_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(left, "2025-10-24T01:30:00Z".parse().unwrap());
    let (_, list) = emb.get("/api/v1/movements").await;
    assert_eq!(list["items"][0]["on_board"], 3, "{list}");
    let (_, closed) = api.get("/api/v1/movements?status=closed").await;
    assert_eq!(closed["items"], json!([]));
    let (status, e) = api.get("/api/v1/movements?status=sideways").await;
    assert_eq!((status, &e["error"]["field"]), (400, &json!("status")));

    let path = format!("/api/v1/persons/{}/protection", ind[0].registration_number);
    let (status, p) = api.get(&path).await;
    assert_eq!(status, 200, "{p}");
    crate::api::assert_schema(&spec, "ProtectionState", &p);
    assert_eq!(p["flag"]["status"], "flagged");
    assert_eq!(
        p["flag"]["reason"],
        json!(null),
        "no reason for a facility manager"
    );
    assert_eq!(p["disclosable"], false);
    // The embassy may not even resolve the registration number of a national it may not be told
    // about (no legal basis, a fear of return): not found, as for any unknown number.
    let (status, _) = emb.get(&path).await;
    assert_eq!(status, 404);
}
