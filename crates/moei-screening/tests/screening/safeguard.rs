use moei_screening::mdt::Decision;
use moei_screening::safeguard::{Override, SeniorRole};
use moei_screening::{ProposedAction as A, SafeguardDecision, ScreeningState as S, check_action};

const PUNITIVE: [A; 5] = [
    A::ReferForProsecution,
    A::ProsecuteImmigrationOffence,
    A::ImmigrationFine,
    A::Deport,
    A::DetainAsOffender,
];
const PROTECTIVE: [A; 4] = [
    A::ReferToShelter,
    A::MedicalCare,
    A::AssistedVoluntaryReturn,
    A::ReferToMdt,
];

fn all_states() -> Vec<S> {
    vec![
        S::Unscreened,
        S::InterviewInProgress,
        S::PresumedVictim,
        S::FurtherInterview,
        S::ScreeningNotMet,
        S::Determined(Decision::VictimOfTrafficking),
        S::Determined(Decision::VictimOfForcedLabour),
        S::Determined(Decision::NotVictimIrregularMigrant),
        S::Determined(Decision::SuspectedOffender),
    ]
}

#[test]
fn protective_actions_are_always_allowed() {
    for s in all_states() {
        for a in PROTECTIVE {
            assert_eq!(
                check_action(s, a, None),
                SafeguardDecision::Allowed,
                "{s:?} {a:?}"
            );
        }
    }
}

#[test]
fn punitive_actions_matrix() {
    for s in all_states() {
        for a in PUNITIVE {
            let allowed = match s {
                S::Determined(Decision::SuspectedOffender) => true,
                S::Determined(Decision::NotVictimIrregularMigrant) => {
                    matches!(
                        a,
                        A::ProsecuteImmigrationOffence | A::ImmigrationFine | A::Deport
                    )
                }
                _ => false,
            };
            let d = check_action(s, a, None);
            assert_eq!(d.is_allowed(), allowed, "{s:?} {a:?}: {d:?}");
            if let SafeguardDecision::Refused { reason } = d {
                assert!(!reason.is_empty());
            }
        }
    }
}

#[test]
fn refusals_explain_themselves() {
    let reason = |s, a| match check_action(s, a, None) {
        SafeguardDecision::Refused { reason } => reason,
        other => panic!("{other:?}"),
    };
    assert!(
        reason(S::Determined(Decision::VictimOfTrafficking), A::Deport)
            .contains("assisted voluntary return")
    );
    assert!(reason(S::PresumedVictim, A::ReferForProsecution).contains("presumed victim"));
    assert!(
        reason(
            S::Determined(Decision::NotVictimIrregularMigrant),
            A::DetainAsOffender
        )
        .contains("suspected_offender")
    );
    assert!(reason(S::Unscreened, A::ImmigrationFine).contains("consent refused"));
}

#[test]
fn override_needs_a_name_and_a_reason() {
    let s = S::PresumedVictim;
    let good = Override {
        name: "Governor of Tak".into(),
        role: SeniorRole::ProvincialGovernor,
        reason: "Court order 123/2568 requires detention pending trial.".into(),
    };
    match check_action(s, A::DetainAsOffender, Some(&good)) {
        SafeguardDecision::AllowedByOverride {
            refused_because,
            by,
        } => {
            assert!(refused_because.contains("presumed victim"));
            assert_eq!(by, good);
        }
        other => panic!("{other:?}"),
    }
    let mut no_reason = good.clone();
    no_reason.reason = "  ".into();
    match check_action(s, A::DetainAsOffender, Some(&no_reason)) {
        SafeguardDecision::Refused { reason } => assert!(reason.contains("override.reason")),
        other => panic!("{other:?}"),
    }
    let mut no_name = good.clone();
    no_name.name = String::new();
    match check_action(s, A::DetainAsOffender, Some(&no_name)) {
        SafeguardDecision::Refused { reason } => assert!(reason.contains("override.name")),
        other => panic!("{other:?}"),
    }
    // An override is not needed (and not recorded) when the action is allowed anyway.
    assert_eq!(
        check_action(
            S::Determined(Decision::SuspectedOffender),
            A::ReferForProsecution,
            Some(&good)
        ),
        SafeguardDecision::Allowed
    );
}

#[test]
fn state_serialises_with_its_decision() {
    let v = serde_json::to_value(S::Determined(Decision::SuspectedOffender)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"state": "determined", "decision": "suspected_offender"})
    );
    let v = serde_json::to_value(S::PresumedVictim).unwrap();
    assert_eq!(v, serde_json::json!({"state": "presumed_victim"}));
}
