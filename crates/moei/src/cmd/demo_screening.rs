//! Screening state for the demo: interpreters, interviews with each kind of result, MDT
//! determinations and a few safeguard refusals and one override, so the queue, the person
//! pages and the safeguard dashboard show something real. Deterministic: the same persons get
//! the same interviews on every run.

use std::collections::BTreeSet;

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use moei_domain::{Clock, ManualClock, Role};
use moei_screening::Answer;
use moei_screening::interview::{
    Consent, ConsentDecision, ConsentTopic, IndicatorResponse, Interpreter, InterviewRecord,
    Interviewer,
};
use moei_screening::mdt::{Decision, Exploitation, Reviewer};
use moei_screening::safeguard::{ProposedAction, SeniorRole};
use moei_store::persons::PersonQuery;
use moei_store::screening::{
    ConferenceMember, DeterminationInput, InterpreterInput, MdtCaseInput, OverrideInput,
    PunitiveActionInput,
};
use moei_store::{Actor, Store, StoreError};

/// Answers that meet the ILO rule (deception, coercive work and penalty dimensions).
const VICTIM_ANSWERS: [(&str, &str); 6] = [
    (
        "D1.deceived_nature_of_job",
        "Advert for a customer-service job in Bangkok",
    ),
    ("D1.deceived_wages", "Promised 30,000 THB a month"),
    (
        "D4.excessive_working_hours",
        "Shifts of 16 hours, 7 days a week",
    ),
    ("D4.low_or_no_salary", "Never paid; 'debts' deducted"),
    ("D5.confiscation_of_documents", "Passport taken on arrival"),
    (
        "D5.isolation_confinement_surveillance",
        "Armed guards at the compound gate",
    ),
];

async fn actor(store: &Store, role: Role) -> anyhow::Result<Actor> {
    let user = store
        .list_users(&Actor::cli())
        .await?
        .into_iter()
        .find(|u| u.role == role)
        .with_context(|| format!("the demo needs a {} account", role.as_str()))?;
    Ok(Actor::new(user.principal(), "demo"))
}

fn record(language: &str, started: Timestamp, outcome: usize) -> InterviewRecord {
    let yes: Vec<(&str, &str)> = match outcome {
        // presumed victim
        0 => VICTIM_ANSWERS.to_vec(),
        // a dimension met but not the rule: further interview
        1 => VICTIM_ANSWERS
            .iter()
            .copied()
            .filter(|(id, _)| !id.starts_with("D4"))
            .collect(),
        // indicators not met
        _ => Vec::new(),
    };
    let mut responses: Vec<IndicatorResponse> = yes
        .iter()
        .map(|(id, evidence)| IndicatorResponse {
            indicator: (*id).into(),
            answer: Answer::Yes,
            evidence: Some((*evidence).into()),
            note: None,
        })
        .collect();
    if outcome == 2 {
        // Every question asked and answered "no": indicators not met. (Open questions would
        // call for a further interview instead.)
        let instrument = moei_store::screening::instrument(moei_screening::DEFAULT_INSTRUMENT);
        for indicator in instrument.map(|i| i.indicators()).unwrap_or_default() {
            responses.push(IndicatorResponse {
                indicator: indicator.id.clone(),
                answer: Answer::No,
                evidence: None,
                note: None,
            });
        }
    } else {
        responses.push(IndicatorResponse {
            indicator: "D6.family_situation".into(),
            answer: Answer::Declined,
            evidence: None,
            note: None,
        });
    }
    let narrative = match outcome {
        0 => {
            "Recruited online for an office job; taken across the river; passport kept by the \
              company; made to run investment scams under threat of beatings."
        }
        1 => {
            "Says he was deceived about the job and the pay; hours and pay unclear; asked to \
              continue tomorrow with a Burmese-speaking interpreter."
        }
        _ => "Came to Mae Sot to look for farm work; no sign of deception or coercion.",
    };
    InterviewRecord {
        instrument: moei_screening::DEFAULT_INSTRUMENT.into(),
        instrument_version: "2009.09-moei.1".into(),
        interviewer: Interviewer {
            name: "Khun Siriporn".into(),
            agency: "Social Development and Human Security".into(),
        },
        interpreter: Some(Interpreter {
            name: "Demo interpreter".into(),
            agency: "IOM".into(),
            language: language.into(),
        }),
        language: language.into(),
        consent: Consent {
            explained: ConsentTopic::ALL.into_iter().collect::<BTreeSet<_>>(),
            decision: ConsentDecision::Given,
            recorded_at: started,
        },
        started_at: started,
        ended_at: Some(started + SignedDuration::from_mins(50)),
        responses,
        narrative: narrative.into(),
    }
}

fn members() -> Vec<ConferenceMember> {
    vec![
        ConferenceMember {
            name: "Khun Malee".into(),
            agency: "Social Development and Human Security".into(),
            role: "social worker (chair)".into(),
            username: Some("mdt".into()),
        },
        ConferenceMember {
            name: "Pol. Lt. Col. Anan".into(),
            agency: "Royal Thai Police".into(),
            role: "investigator".into(),
            username: None,
        },
        ConferenceMember {
            name: "Naw Htoo".into(),
            agency: "Mae Sot migrant NGO".into(),
            role: "case worker".into(),
            username: None,
        },
    ]
}

fn determination(
    decision: Decision,
    exploitation: Vec<Exploitation>,
    reason: &str,
    today: jiff::civil::Date,
) -> DeterminationInput {
    DeterminationInput {
        decision,
        exploitation,
        reasons: vec![reason.into()],
        dissent: Vec::new(),
        reviewer: Reviewer {
            name: "Khun Malee".into(),
            agency: "Social Development and Human Security".into(),
        },
        second_reviewer: (decision == Decision::SuspectedOffender).then(|| Reviewer {
            name: "Pol. Lt. Col. Anan".into(),
            agency: "Royal Thai Police".into(),
        }),
        decided_on: today,
        review_on: today.saturating_add(jiff::Span::new().days(90)),
        share_with_investigators: Vec::new(),
    }
}

/// Screens the given persons (interview meeting the ILO rule) and records the MDT's
/// determination that each is a victim of trafficking: what clears them for departure.
pub async fn determine_victims(
    store: &Store,
    clock: &ManualClock,
    persons: &[(String, String)],
) -> anyhow::Result<()> {
    let screener = actor(store, Role::Screener).await?;
    let mdt = actor(store, Role::MdtMember).await?;
    for (id, language) in persons {
        clock.advance(SignedDuration::from_mins(40));
        store
            .record_interview(&screener, id, &record(language, clock.now(), 0))
            .await?;
        let today = clock
            .now()
            .to_zoned(moei_domain::clock::deployment_zone())
            .date();
        let case = store
            .open_mdt_case(
                &mdt,
                &MdtCaseInput {
                    person_id: id.clone(),
                    conference_on: today,
                    members: members(),
                },
            )
            .await?;
        let decided = determination(
            Decision::VictimOfTrafficking,
            vec![Exploitation::ForcedCriminality],
            "Recruited by a fake job offer, passport confiscated, forced to run online scams",
            today,
        );
        store.decide_mdt_case(&mdt, &case.id, &decided).await?;
    }
    Ok(())
}

/// Loads the screening layer onto the demo persons (call once, after they are registered).
/// `store` reads the time from `clock`, which this moves forward interview by interview.
pub async fn load(store: &Store, clock: &ManualClock) -> anyhow::Result<()> {
    let screener = actor(store, Role::Screener).await?;
    let mdt = actor(store, Role::MdtMember).await?;
    let police = actor(store, Role::Investigator).await?;
    let admin = actor(store, Role::Admin).await?;

    for (name, agency, languages) in [
        ("Ma Hnin Wai", "IOM", vec!["my", "en"]),
        (
            "Priya Sharma",
            "Embassy of India volunteer",
            vec!["hi", "en"],
        ),
        ("Li Wen", "independent", vec!["zh-Hans", "th"]),
        ("Nguyen Thi Lan", "independent", vec!["vi"]),
    ] {
        store
            .add_interpreter(
                &screener,
                &InterpreterInput {
                    name: name.into(),
                    agency: agency.into(),
                    languages: languages.into_iter().map(String::from).collect(),
                    available: true,
                },
            )
            .await?;
    }

    // The earliest registrations, in registration-number order: the same persons every run.
    let mut persons = store
        .search_persons(
            &Actor::cli(),
            &PersonQuery {
                limit: Some(200),
                ..PersonQuery::default()
            },
        )
        .await?
        .items;
    persons.sort_by(|a, b| {
        a.registration_number
            .as_str()
            .cmp(b.registration_number.as_str())
    });
    let screened: Vec<_> = persons.iter().step_by(5).take(36).collect();

    let mut victims = Vec::new();
    let mut not_met = Vec::new();
    for (i, p) in screened.iter().enumerate() {
        clock.advance(SignedDuration::from_mins(55));
        let outcome = i % 3;
        let language = p.languages.first().cloned().unwrap_or_else(|| "en".into());
        store
            .record_interview(&screener, &p.id, &record(&language, clock.now(), outcome))
            .await
            .with_context(|| format!("demo interview for {}", p.registration_number))?;
        match outcome {
            0 => victims.push(p.id.clone()),
            2 => not_met.push(p.id.clone()),
            _ => {}
        }
    }

    // The MDT has met on some of them.
    let today = clock
        .now()
        .to_zoned(moei_domain::clock::deployment_zone())
        .date();
    let decide =
        |decision, exploitation, reason: &str| determination(decision, exploitation, reason, today);
    let mut determinations: Vec<(String, DeterminationInput)> = victims
        .iter()
        .take(6)
        .map(|id| {
            (
                id.clone(),
                decide(
                    Decision::VictimOfTrafficking,
                    vec![Exploitation::ForcedCriminality, Exploitation::ForcedLabour],
                    "Deceptive recruitment, confiscated passport and forced scam work under threat",
                ),
            )
        })
        .collect();
    if let Some(id) = not_met.first() {
        determinations.push((
            id.clone(),
            decide(
                Decision::NotVictimIrregularMigrant,
                Vec::new(),
                "No indicator of deception or coercion; crossed to look for work",
            ),
        ));
    }
    if let Some(id) = not_met.get(1) {
        determinations.push((
            id.clone(),
            decide(
                Decision::SuspectedOffender,
                Vec::new(),
                "Identified by three victims as a compound supervisor who beat workers",
            ),
        ));
    }
    for (person_id, determination) in &determinations {
        let case = store
            .open_mdt_case(
                &mdt,
                &MdtCaseInput {
                    person_id: person_id.clone(),
                    conference_on: today,
                    members: members(),
                },
            )
            .await?;
        store.decide_mdt_case(&mdt, &case.id, determination).await?;
    }

    // Deportation asked for protected persons: refused by the safeguard (and counted).
    for id in victims.iter().take(3) {
        let refused = store
            .request_punitive_action(
                &police,
                &PunitiveActionInput {
                    person_id: id.clone(),
                    kind: ProposedAction::Deport,
                    reason: "Overstay".into(),
                    override_by: None,
                },
            )
            .await;
        if !matches!(refused, Err(StoreError::Safeguard(_))) {
            anyhow::bail!("the demo expected the safeguard to refuse: {refused:?}");
        }
    }
    // One override, with its reason, for the dashboard.
    if let Some(id) = persons.iter().rev().map(|p| p.id.clone()).next() {
        store
            .request_punitive_action(
                &admin,
                &PunitiveActionInput {
                    person_id: id,
                    kind: ProposedAction::DetainAsOffender,
                    reason: "Arrest warrant from Mae Sot provincial court".into(),
                    override_by: Some(OverrideInput {
                        office: SeniorRole::PublicProsecutor,
                        reason: "Warrant 41/2568 names this person; screening to follow in custody"
                            .into(),
                    }),
                },
            )
            .await?;
    }
    // A referral for the suspected offender goes through without an override.
    if let Some(id) = not_met.get(1) {
        store
            .request_punitive_action(
                &police,
                &PunitiveActionInput {
                    person_id: id.clone(),
                    kind: ProposedAction::ReferForProsecution,
                    reason: "Assault of workers in the compound".into(),
                    override_by: None,
                },
            )
            .await?;
    }
    Ok(())
}
