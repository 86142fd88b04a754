//! The logistics part of the demo: sites with occupancy, a few movements, verification by the
//! Indian embassy and a planned flight, all from the registered demo persons, deterministically.

use anyhow::Context;
use moei_domain::Role;
use moei_store::departures::BatchInput;
use moei_store::embassy::ConsularInput;
use moei_store::facilities::{FacilityInput, MoveInput, PersonFilter};
use moei_store::{Actor, Store};

/// The first demo account with this role (for embassy officers: the one for `nationality`).
async fn actor_with_role(
    store: &Store,
    role: Role,
    nationality: Option<&str>,
) -> anyhow::Result<Actor> {
    let user = store
        .list_users(&Actor::cli())
        .await?
        .into_iter()
        .find(|u| {
            u.role == role && nationality.is_none_or(|n| u.nationalities.iter().any(|c| c == n))
        })
        .with_context(|| format!("the demo needs a {} account", role.as_str()))?;
    Ok(Actor::new(user.principal(), "demo"))
}

fn site(name: &str, kind: &str, capacities: &[(&str, i64)]) -> FacilityInput {
    FacilityInput {
        name: name.into(),
        kind: kind.into(),
        capacities: capacities
            .iter()
            .map(|(s, c)| (s.to_string(), *c))
            .collect(),
    }
}

fn move_input(filter: PersonFilter, to: &str, vehicle: &str, escort: &str) -> MoveInput {
    MoveInput {
        filter,
        to_facility_id: to.into(),
        to_section: None,
        vehicle: vehicle.into(),
        escort: escort.into(),
        departed_at: None,
    }
}

pub async fn load(store: &Store) -> anyhow::Result<()> {
    let fm = actor_with_role(store, Role::FacilityManager, None).await?;
    let police = store
        .create_facility(
            &fm,
            &site(
                "Mae Sot police holding",
                "holding",
                &[
                    ("men", 700),
                    ("women", 120),
                    ("families", 20),
                    ("minors", 20),
                ],
            ),
        )
        .await?;
    let bridge = store
        .create_facility(
            &fm,
            &site(
                "Friendship Bridge 2 site",
                "holding",
                &[
                    ("men", 900),
                    ("women", 200),
                    ("families", 40),
                    ("minors", 30),
                ],
            ),
        )
        .await?;
    store
        .create_facility(
            &fm,
            &site(
                "Mae Sot airport",
                "departure_point",
                &[("men", 300), ("women", 100)],
            ),
        )
        .await?;
    let everyone = PersonFilter {
        unplaced: true,
        ..Default::default()
    };
    store
        .move_persons(&fm, &move_input(everyone, &police.id, "", ""))
        .await?;
    for (nationality, vehicle) in [("IND", "bus 10-2231 Tak"), ("PHL", "truck 80-1190 Tak")] {
        let filter = PersonFilter {
            nationality: Some(nationality.into()),
            ..Default::default()
        };
        let moved = store
            .move_persons(
                &fm,
                &move_input(filter, &bridge.id, vehicle, "Tak immigration escort"),
            )
            .await?;
        // Everyone on the manifest but the last is checked off; the last raises an alert.
        let manifest = store.manifest(&fm, &moved.movement_id).await?;
        let arrived: Vec<String> = manifest
            .persons
            .iter()
            .rev()
            .skip(1)
            .map(|entry| entry.person.registration_number.clone())
            .collect();
        store
            .check_arrivals(&fm, &moved.movement_id, &arrived)
            .await?;
        store.close_arrival(&fm, &moved.movement_id).await?;
    }

    // Consent recorded for the first 60 Indians; the embassy verifies 40 and documents 25.
    let indians = store.export_persons(&Actor::cli(), Some("IND")).await?;
    let screener = actor_with_role(store, Role::Screener, None).await?;
    let embassy = actor_with_role(store, Role::EmbassyOfficer, Some("IND")).await?;
    for (i, p) in indians.iter().take(60).enumerate() {
        store
            .record_disclosure_basis(&screener, &p.id, "consent")
            .await?;
        if i < 40 {
            let documented = i < 25;
            store
                .record_consular(
                    &embassy,
                    &p.id,
                    &ConsularInput {
                        verification: Some(
                            if i % 10 == 9 {
                                "interview_needed"
                            } else {
                                "confirmed"
                            }
                            .into(),
                        ),
                        travel_document_kind: documented.then(|| "emergency_certificate".into()),
                        travel_document_number: documented.then(|| format!("EC{:06}", 410_000 + i)),
                        travel_document_valid_until: documented.then(|| "2026-01-31".into()),
                        proposed_departure: Some("2025-11-06".into()),
                    },
                )
                .await?;
        }
    }
    // The Chinese and Philippine nationals agreed at interview that their embassies may be told
    // who they are; two Chinese nationals fear return, which keeps them off the embassy's roll.
    for nationality in ["CHN", "PHL"] {
        let persons = store
            .export_persons(&Actor::cli(), Some(nationality))
            .await?;
        for p in &persons {
            store
                .record_disclosure_basis(&screener, &p.id, "consent")
                .await?;
        }
        if nationality == "CHN" {
            for p in persons.iter().take(2) {
                store
                    .set_protection(
                        &screener,
                        &p.id,
                        "flagged",
                        "Fears prosecution on return for work in the compound; review by the protection officer",
                    )
                    .await?;
            }
        }
    }
    Ok(())
}

/// After screening: the documented Indians the embassy confirmed are screened and determined
/// (victims of trafficking), then assigned to a planned flight; the store refuses the rest of
/// the nationality with a reason each. An earlier bus to Bangkok has already left.
pub async fn plan_departures(
    store: &Store,
    clock: &moei_domain::ManualClock,
) -> anyhow::Result<()> {
    let fm = actor_with_role(store, Role::FacilityManager, None).await?;
    let screener = actor_with_role(store, Role::Screener, None).await?;
    let indians = store.export_persons(&Actor::cli(), Some("IND")).await?;
    let mut ready = Vec::new();
    // The first 25 have travel documents; every tenth needs an interview (see `load`).
    for (i, p) in indians.iter().take(25).enumerate() {
        if i % 10 != 9 && store.interviews_of(&screener, &p.id).await?.is_empty() {
            let language = p.languages.first().cloned().unwrap_or_else(|| "hi".into());
            ready.push((p.id.clone(), language));
        }
    }
    super::demo_screening::determine_victims(store, clock, &ready).await?;

    let filter = PersonFilter {
        nationality: Some("IND".into()),
        ..Default::default()
    };
    let bus = store
        .create_batch(
            &fm,
            &BatchInput {
                kind: "bus".into(),
                carrier: "Tak provincial transport".into(),
                route: "Mae Sot - Suvarnabhumi".into(),
                departure_date: "2025-11-04".into(),
                capacity: 5,
            },
        )
        .await?;
    // The first five to be determined take the bus (ticked by registration number).
    let ids: std::collections::HashSet<&str> =
        ready.iter().take(5).map(|(id, _)| id.as_str()).collect();
    let first_five = PersonFilter {
        nationality: Some("IND".into()),
        registration_numbers: indians
            .iter()
            .filter(|p| ids.contains(p.id.as_str()))
            .map(|p| p.registration_number.to_string())
            .collect(),
        ..Default::default()
    };
    let on_bus = store.assign_to_batch(&fm, &bus.id, &first_five).await?;
    store
        .depart_batch(
            &fm,
            &bus.id,
            "TM-EXIT-2568-0412",
            "Embassy of India, Bangkok",
        )
        .await
        .with_context(|| format!("departing the demo bus ({} assigned)", on_bus.assigned))?;

    // A planned flight; the store says per person why the others cannot board yet.
    let flight = store
        .create_batch(
            &fm,
            &BatchInput {
                kind: "flight".into(),
                carrier: "Indian Air Force".into(),
                route: "Mae Sot - Hindon".into(),
                departure_date: "2025-11-06".into(),
                capacity: 50,
            },
        )
        .await?;
    store.assign_to_batch(&fm, &flight.id, &filter).await?;
    Ok(())
}
