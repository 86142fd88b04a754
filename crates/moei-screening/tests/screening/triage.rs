use jiff::{SignedDuration, Timestamp};
use moei_screening::Sex;
use moei_screening::triage::{
    TriageInput, TriageReason, triage_order, triage_reasons, triage_score,
};

fn now() -> Timestamp {
    "2025-10-24T00:00:00Z".parse().unwrap()
}

fn person(id: &str) -> TriageInput {
    TriageInput {
        person: id.into(),
        age_years: Some(30),
        appears_minor: false,
        injured: false,
        sex: Some(Sex::M),
        signs_of_violence: false,
        planned_departure: None,
        arrived_at: "2025-10-22T10:00:00Z".parse().unwrap(),
    }
}

fn in_hours(h: i64) -> Option<Timestamp> {
    Some(now().checked_add(SignedDuration::from_hours(h)).unwrap())
}

#[test]
fn scores_add_up() {
    let mut p = person("a");
    assert_eq!(triage_score(&p, now()), 0);
    p.age_years = Some(16);
    p.injured = true;
    p.sex = Some(Sex::F);
    p.signs_of_violence = true;
    p.planned_departure = in_hours(10);
    assert_eq!(triage_score(&p, now()), 40 + 30 + 15 + 25 + 35);
    assert_eq!(
        triage_reasons(&p, now()),
        vec![
            TriageReason::Minor,
            TriageReason::DepartureWithin24h,
            TriageReason::Injured,
            TriageReason::SignsOfViolence,
            TriageReason::Woman
        ]
    );
}

#[test]
fn departure_bands() {
    let cases = [
        (-5, Some(TriageReason::DepartureWithin24h)),
        (24, Some(TriageReason::DepartureWithin24h)),
        (25, Some(TriageReason::DepartureWithin72h)),
        (72, Some(TriageReason::DepartureWithin72h)),
        (100, Some(TriageReason::DepartureWithin7d)),
        (24 * 8, None),
    ];
    for (h, want) in cases {
        let mut p = person("a");
        p.planned_departure = in_hours(h);
        let got = triage_reasons(&p, now()).into_iter().next();
        assert_eq!(got, want, "{h} h");
    }
}

#[test]
fn minors_by_age_or_appearance() {
    let mut p = person("a");
    p.age_years = None;
    assert!(!triage_reasons(&p, now()).contains(&TriageReason::Minor));
    p.appears_minor = true;
    assert!(triage_reasons(&p, now()).contains(&TriageReason::Minor));
    // Stated age 19 but appears under 18: benefit of the doubt.
    p.age_years = Some(19);
    assert!(triage_reasons(&p, now()).contains(&TriageReason::Minor));
    p.appears_minor = false;
    p.age_years = Some(17);
    assert!(triage_reasons(&p, now()).contains(&TriageReason::Minor));
    p.age_years = Some(18);
    assert!(!triage_reasons(&p, now()).contains(&TriageReason::Minor));
}

#[test]
fn order_puts_highest_first_and_breaks_ties_stably() {
    let mut minor = person("minor");
    minor.age_years = Some(15);
    let mut injured_woman = person("injured-woman");
    injured_woman.injured = true;
    injured_woman.sex = Some(Sex::F);
    let mut leaving_soon = person("leaving-soon");
    leaving_soon.planned_departure = in_hours(5);
    let mut leaving_later = person("leaving-later");
    leaving_later.planned_departure = in_hours(30);
    let plain_b = person("plain-b");
    let mut plain_a = person("plain-a");
    plain_a.arrived_at = "2025-10-22T11:00:00Z".parse().unwrap();
    let mut plain_early = person("plain-early");
    plain_early.arrived_at = "2025-10-22T09:00:00Z".parse().unwrap();

    let input = vec![
        plain_b,
        leaving_later,
        plain_a,
        minor,
        plain_early,
        leaving_soon,
        injured_woman,
    ];
    let order: Vec<String> = triage_order(&input, now())
        .into_iter()
        .map(|e| e.person)
        .collect();
    assert_eq!(
        order,
        vec![
            "injured-woman",
            "minor",
            "leaving-soon",
            "leaving-later",
            "plain-early",
            "plain-b",
            "plain-a"
        ]
    );
}

#[test]
fn equal_scores_go_to_the_earliest_departure() {
    let mut a = person("a");
    a.injured = true;
    a.planned_departure = in_hours(24 * 10);
    let mut b = person("b");
    b.injured = true;
    b.planned_departure = in_hours(24 * 9);
    let c = {
        let mut c = person("c");
        c.injured = true;
        c
    };
    let order: Vec<String> = triage_order(&[a, c, b], now())
        .into_iter()
        .map(|e| e.person)
        .collect();
    assert_eq!(order, vec!["b", "a", "c"]);
    assert!(triage_order(&[], now()).is_empty());
}
