use moei_screening::Answer::{Declined, No, Unknown, Yes};
use moei_screening::{
    Dimension, Outcome, OverallRule, Strength, TierCount, assess, dimension_positive,
};

use crate::{all_no_except, answers, instrument};

fn tc(strong: usize, medium: usize, weak: usize) -> TierCount {
    TierCount {
        strong,
        medium,
        weak,
    }
}

#[test]
fn combination_rule_table() {
    let cases = [
        // (strong, medium, weak, positive, why)
        (2, 0, 0, true, "exactly 2 strong"),
        (1, 0, 1, true, "1 strong + 1 weak"),
        (1, 1, 0, true, "1 strong + 1 medium"),
        (0, 3, 0, true, "3 medium"),
        (0, 2, 1, true, "2 medium + 1 weak"),
        (0, 2, 0, false, "2 medium alone"),
        (1, 0, 0, false, "1 strong alone"),
        (0, 0, 1, false, "1 weak"),
        (0, 0, 7, false, "only weak, many"),
        (0, 1, 1, false, "1 medium + 1 weak"),
        (0, 1, 5, false, "1 medium + many weak"),
        (0, 0, 0, false, "nothing"),
        (4, 10, 1, true, "everything"),
    ];
    for (s, m, w, want, why) in cases {
        assert_eq!(
            dimension_positive(tc(s, m, w)),
            want,
            "{why}: {s}S {m}M {w}W"
        );
    }
}

/// The same edge cases through real D5 indicators (4 strong, 10 medium, 1 weak).
#[test]
fn combination_rule_through_assessment() {
    let inst = instrument("ilo-adult-labour");
    let s1 = "D5.confiscation_of_documents";
    let s2 = "D5.violence_on_victim";
    let m1 = "D5.forced_into_illicit_activities";
    let m2 = "D5.threats_of_violence";
    let m3 = "D5.withholding_of_wages";
    let w1 = "D5.threat_to_inform_family";
    let cases: Vec<(Vec<&str>, bool, &str)> = vec![
        (vec![s1, s2], true, "exactly 2 strong"),
        (vec![s1, w1], true, "1 strong + 1 weak"),
        (vec![m1, m2, m3], true, "3 medium"),
        (vec![m1, m2, w1], true, "2 medium + 1 weak"),
        (vec![m1, m2], false, "2 medium alone"),
        (vec![s1], false, "1 strong alone"),
        (vec![w1], false, "only weak"),
        (vec![m1], false, "forced criminality alone is only medium"),
    ];
    for (yes, want, why) in cases {
        let pairs: Vec<(&str, moei_screening::Answer)> = yes.iter().map(|id| (*id, Yes)).collect();
        let a = assess(&inst, &all_no_except(&inst, &pairs)).unwrap();
        let d5 = &a.dimensions[&Dimension::D5];
        assert_eq!(d5.positive, want, "{why}");
        if want {
            let mut carried = d5.carried_by.clone();
            carried.sort();
            let mut expected: Vec<String> = yes.iter().map(|s| s.to_string()).collect();
            expected.sort();
            assert_eq!(carried, expected, "{why}: carried_by");
        } else {
            assert!(d5.carried_by.is_empty(), "{why}: carried_by must be empty");
            assert_eq!(d5.yes.len(), yes.len(), "{why}: yes keeps partial evidence");
        }
    }
}

#[test]
fn declined_and_unknown_never_count_as_yes() {
    let inst = instrument("ilo-adult-labour");
    for other in [Declined, Unknown, No] {
        let a = assess(
            &inst,
            &answers(&[
                ("D5.confiscation_of_documents", Yes),
                ("D5.violence_on_victim", other),
                ("D5.debt_bondage", other),
            ]),
        )
        .unwrap();
        assert!(
            !a.dimensions[&Dimension::D5].positive,
            "{other:?} counted as yes"
        );
        assert_eq!(a.dimensions[&Dimension::D5].counts.strong, 1);
    }
}

fn full_victim() -> Vec<(&'static str, moei_screening::Answer)> {
    vec![
        ("D1.deceived_nature_of_job", Yes),
        ("D1.deceived_wages", Yes),
        ("D4.excessive_working_hours", Yes),
        ("D4.low_or_no_salary", Yes),
        ("D5.confiscation_of_documents", Yes),
        ("D5.isolation_confinement_surveillance", Yes),
    ]
}

#[test]
fn presumed_victim_when_rule_holds() {
    let inst = instrument("ilo-adult-labour");
    let a = assess(&inst, &all_no_except(&inst, &full_victim())).unwrap();
    assert_eq!(a.result, Outcome::PresumedVictim);
    assert!(a.rule_holds);
    assert_eq!(
        a.dimensions[&Dimension::D1].carried_by,
        vec!["D1.deceived_nature_of_job", "D1.deceived_wages"]
    );
    for d in [Dimension::D2, Dimension::D3, Dimension::D6] {
        assert!(!a.dimensions[&d].positive);
        assert!(a.dimensions[&d].carried_by.is_empty());
    }
    // Open items do not prevent a presumed victim flag.
    let a = assess(&inst, &answers(&full_victim())).unwrap();
    assert_eq!(a.result, Outcome::PresumedVictim);
    assert_eq!(a.open.len(), 67 - 6);
}

#[test]
fn further_interview_when_a_dimension_is_positive_but_rule_fails() {
    let inst = instrument("ilo-adult-labour");
    let mut pairs = full_victim();
    pairs.retain(|(id, _)| !id.starts_with("D4"));
    let a = assess(&inst, &all_no_except(&inst, &pairs)).unwrap();
    assert!(a.open.is_empty());
    assert!(!a.rule_holds);
    assert_eq!(a.result, Outcome::FurtherInterview);
}

#[test]
fn further_interview_when_anything_is_open() {
    let inst = instrument("ilo-adult-labour");
    for open in [Unknown, Declined] {
        let a = assess(
            &inst,
            &all_no_except(&inst, &[("D6.family_situation", open)]),
        )
        .unwrap();
        assert_eq!(a.result, Outcome::FurtherInterview, "{open:?}");
        assert_eq!(a.open, vec!["D6.family_situation"]);
    }
    // Unanswered counts as unknown.
    let mut m = all_no_except(&inst, &[]);
    m.remove("D2.debt_bondage");
    let a = assess(&inst, &m).unwrap();
    assert_eq!(a.result, Outcome::FurtherInterview);
    assert_eq!(a.open, vec!["D2.debt_bondage"]);
    // Nothing answered at all.
    let a = assess(&inst, &answers(&[])).unwrap();
    assert_eq!(a.result, Outcome::FurtherInterview);
    assert_eq!(a.open.len(), 67);
}

#[test]
fn not_met_when_all_answered_and_nothing_positive() {
    let inst = instrument("ilo-adult-labour");
    let a = assess(&inst, &all_no_except(&inst, &[])).unwrap();
    assert_eq!(a.result, Outcome::NotMet);
    // Some yes answers, but no dimension reaches the combination rule.
    let a = assess(
        &inst,
        &all_no_except(
            &inst,
            &[
                ("D5.forced_into_illicit_activities", Yes),
                ("D1.deceived_wages", Yes),
            ],
        ),
    )
    .unwrap();
    assert_eq!(a.result, Outcome::NotMet);
    assert_eq!(
        a.dimensions[&Dimension::D5].yes,
        vec!["D5.forced_into_illicit_activities"]
    );
}

#[test]
fn unknown_indicator_ids_are_all_named() {
    let inst = instrument("ilo-adult-labour");
    let err = assess(
        &inst,
        &answers(&[("D9.nope", Yes), ("D1.deceived_wages", Yes), ("zz", No)]),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("D9.nope") && err.contains("zz"), "{err}");
    assert!(!err.contains("D1.deceived_wages"), "{err}");
}

#[test]
fn overall_rule_can_be_replaced() {
    let inst = instrument("ilo-adult-labour");
    let pairs = [
        ("D4.excessive_working_hours", Yes),
        ("D4.hazardous_work", Yes),
    ];
    let strict = assess(&inst, &all_no_except(&inst, &pairs)).unwrap();
    assert_eq!(strict.result, Outcome::FurtherInterview);
    let only_d4 = inst.with_overall_rule(OverallRule::parse("D4").unwrap());
    let a = assess(&only_d4, &all_no_except(&inst, &pairs)).unwrap();
    assert_eq!(a.result, Outcome::PresumedVictim);
    assert_eq!(a.overall_rule, "D4");
}

#[test]
fn disputed_tiers_change_the_result() {
    let inst = instrument("ilo-adult-labour");
    let pairs = [
        ("D3.difficulties_in_the_past", Yes),
        ("D3.difficulty_to_organise_travel", Yes),
        ("D3.abuse_of_illegal_status", Yes),
    ];
    let a = assess(&inst, &all_no_except(&inst, &pairs)).unwrap();
    assert!(a.dimensions[&Dimension::D3].positive, "3 medium by default");

    let weak = inst
        .with_tier_overrides(
            &[
                ("D3.difficulties_in_the_past".to_string(), Strength::Weak),
                (
                    "D3.difficulty_to_organise_travel".to_string(),
                    Strength::Weak,
                ),
            ]
            .into(),
        )
        .unwrap();
    let a = assess(&weak, &all_no_except(&weak, &pairs)).unwrap();
    assert!(!a.dimensions[&Dimension::D3].positive, "1 medium + 2 weak");
    assert_eq!(a.tier_overrides.len(), 2);
}

#[test]
fn module_questions_count_once_for_their_indicator() {
    let inst = instrument("forced-criminality");
    // Passport taken asked twice (base and module): still one strong indicator.
    let a = assess(
        &inst,
        &answers(&[
            ("D5.confiscation_of_documents", Yes),
            ("FC.passport_taken", Yes),
        ]),
    )
    .unwrap();
    let d5 = &a.dimensions[&Dimension::D5];
    assert_eq!(d5.counts.strong, 1);
    assert!(!d5.positive);
    assert_eq!(
        d5.yes,
        vec!["D5.confiscation_of_documents", "FC.passport_taken"]
    );

    // Two different strong indicators through module questions only.
    let a = assess(
        &inst,
        &answers(&[
            ("FC.passport_taken", Yes),
            ("FC.quota_physical_punishment", Yes),
        ]),
    )
    .unwrap();
    let d5 = &a.dimensions[&Dimension::D5];
    assert!(d5.positive);
    assert_eq!(
        d5.carried_by,
        vec!["FC.quota_physical_punishment", "FC.passport_taken"]
    );

    // A module "no" settles its indicator, so it is no longer open.
    let a = assess(&inst, &answers(&[("FC.passport_taken", No)])).unwrap();
    assert!(!a.open.contains(&"D5.confiscation_of_documents".to_string()));
    assert!(a.open.contains(&"D5.debt_bondage".to_string()));
}

#[test]
fn typical_scam_compound_case_reaches_presumed_victim_with_module() {
    let inst = instrument("forced-criminality");
    let a = assess(
        &inst,
        &answers(&[
            ("FC.fake_job_offer", Yes),
            ("D1.deceived_wages", Yes),
            ("D4.excessive_working_hours", Yes),
            ("D4.bad_living_conditions", Yes),
            ("FC.forced_to_defraud", Yes),
            ("FC.confined_to_compound", Yes),
        ]),
    )
    .unwrap();
    assert_eq!(a.result, Outcome::PresumedVictim);
    assert_eq!(
        a.dimensions[&Dimension::D1].carried_by,
        vec!["D1.deceived_wages", "FC.fake_job_offer"]
    );
}

#[test]
fn child_rule_needs_no_means() {
    let inst = instrument("ilo-child-labour");
    let pairs = [
        ("CH.D4.illicit_activities", Yes),
        ("CH.D4.excessive_hours", Yes),
    ];
    let a = assess(&inst, &all_no_except(&inst, &pairs)).unwrap();
    assert_eq!(a.result, Outcome::PresumedVictim);
    assert!(!a.dimensions[&Dimension::D1].positive);
    assert!(!a.dimensions[&Dimension::D5].positive);
    // The adult rule would not flag the same facts without means.
    let adult_rule = inst.with_overall_rule(OverallRule::default_adult());
    let a = assess(&adult_rule, &all_no_except(&inst, &pairs)).unwrap();
    assert_eq!(a.result, Outcome::FurtherInterview);
}
