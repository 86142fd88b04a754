use jiff::civil::date;
use moei_screening::mdt::{Decision, Determination, Dissent, Exploitation, MdtMember, Reviewer};

pub fn determination(decision: Decision) -> Determination {
    Determination {
        decision,
        exploitation: if decision.is_victim() {
            vec![Exploitation::ForcedCriminality, Exploitation::ForcedLabour]
        } else {
            Vec::new()
        },
        reasons: vec![
            "Deceived about the job; confined; forced to run online scams under quota.".into(),
        ],
        dissent: Vec::new(),
        members: vec![
            MdtMember {
                name: "Niran K.".into(),
                agency: "Royal Thai Police".into(),
                role: "investigator".into(),
            },
            MdtMember {
                name: "Malee S.".into(),
                agency: "Ministry of Social Development".into(),
                role: "social worker".into(),
            },
            MdtMember {
                name: "Jane D.".into(),
                agency: "Border NGO".into(),
                role: "case worker".into(),
            },
        ],
        reviewer: Reviewer {
            name: "Malee S.".into(),
            agency: "Ministry of Social Development".into(),
        },
        second_reviewer: None,
        decided_on: date(2025, 10, 30),
        review_on: date(2025, 11, 30),
    }
}

#[test]
fn valid_determinations_pass() {
    for d in [
        Decision::VictimOfTrafficking,
        Decision::VictimOfForcedLabour,
        Decision::NotVictimIrregularMigrant,
    ] {
        determination(d).validate().unwrap();
    }
}

#[test]
fn suspected_offender_needs_a_second_reviewer_from_another_agency() {
    let mut d = determination(Decision::SuspectedOffender);
    let e = d.validate().unwrap_err();
    assert!(e.has_field("second_reviewer"), "{e}");
    assert!(e.to_string().contains("another agency"), "{e}");

    d.second_reviewer = Some(Reviewer {
        name: "Someone Else".into(),
        agency: " ministry of social development ".into(),
    });
    let e = d.validate().unwrap_err();
    assert!(e.has_field("second_reviewer.agency"), "{e}");

    d.second_reviewer = Some(Reviewer {
        name: "Malee S.".into(),
        agency: "Royal Thai Police".into(),
    });
    assert!(d.validate().unwrap_err().has_field("second_reviewer.name"));

    d.second_reviewer = Some(Reviewer {
        name: "Niran K.".into(),
        agency: "Royal Thai Police".into(),
    });
    d.validate().unwrap();
}

#[test]
fn each_rule_names_its_field() {
    type Edit = fn(&mut Determination);
    let cases: Vec<(Edit, &str)> = vec![
        (|d| d.members.clear(), "members"),
        (
            |d| {
                d.members.truncate(1);
                d.reviewer = Reviewer {
                    name: "Niran K.".into(),
                    agency: "Royal Thai Police".into(),
                };
            },
            "members",
        ),
        (|d| d.members[1].role = String::new(), "members[1].role"),
        (|d| d.reviewer.name = "Outsider".into(), "reviewer"),
        (|d| d.reasons.clear(), "reasons"),
        (|d| d.reasons.push("  ".into()), "reasons[1]"),
        (
            |d| {
                d.dissent.push(Dissent {
                    member: "Stranger".into(),
                    reason: "x".into(),
                })
            },
            "dissent[0].member",
        ),
        (
            |d| {
                d.dissent.push(Dissent {
                    member: "Jane D.".into(),
                    reason: String::new(),
                })
            },
            "dissent[0].reason",
        ),
        (|d| d.exploitation.clear(), "exploitation"),
        (|d| d.review_on = d.decided_on, "review_on"),
    ];
    for (edit, field) in cases {
        let mut d = determination(Decision::VictimOfTrafficking);
        edit(&mut d);
        let e = d.validate().unwrap_err();
        assert!(e.has_field(field), "expected {field}: {e}");
    }
    let mut d = determination(Decision::NotVictimIrregularMigrant);
    d.exploitation = vec![Exploitation::ForcedLabour];
    assert!(d.validate().unwrap_err().has_field("exploitation"));
}

#[test]
fn dissent_by_a_member_is_kept() {
    let mut d = determination(Decision::VictimOfForcedLabour);
    d.dissent.push(Dissent {
        member: "Niran K.".into(),
        reason: "Believes the person recruited others.".into(),
    });
    d.validate().unwrap();
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["decision"], "victim_of_forced_labour");
    assert_eq!(json["dissent"][0]["member"], "Niran K.");
}
