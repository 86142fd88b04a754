use std::collections::BTreeSet;

use jiff::Timestamp;
use moei_screening::Answer::{Declined, No, Yes};
use moei_screening::interview::{
    Consent, ConsentDecision, ConsentTopic, IndicatorResponse, Interpreter, InterviewRecord,
    Interviewer,
};
use moei_screening::{Instrument, ScreeningState};

use crate::instrument;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn resp(id: &str, a: moei_screening::Answer, evidence: Option<&str>) -> IndicatorResponse {
    IndicatorResponse {
        indicator: id.into(),
        answer: a,
        evidence: evidence.map(String::from),
        note: None,
    }
}

fn record(inst: &Instrument) -> InterviewRecord {
    InterviewRecord {
        instrument: inst.id().into(),
        instrument_version: inst.version().into(),
        interviewer: Interviewer {
            name: "Somchai P.".into(),
            agency: "Tak Social Development Office".into(),
        },
        interpreter: Some(Interpreter {
            name: "Aye Aye".into(),
            agency: "independent".into(),
            language: "my".into(),
        }),
        language: "my".into(),
        consent: Consent {
            explained: ConsentTopic::ALL.into_iter().collect(),
            decision: ConsentDecision::Given,
            recorded_at: ts("2025-10-23T03:05:00Z"),
        },
        started_at: ts("2025-10-23T03:00:00Z"),
        ended_at: Some(ts("2025-10-23T04:10:00Z")),
        responses: vec![
            resp(
                "D1.deceived_nature_of_job",
                Yes,
                Some("job advert screenshot on phone"),
            ),
            resp(
                "D1.deceived_wages",
                Yes,
                Some("promised 30,000 baht a month"),
            ),
            resp("D2.debt_bondage", No, None),
            resp("D6.family_situation", Declined, None),
        ],
        narrative: "Recruited through a messaging app for a translation job in Bangkok.".into(),
    }
}

#[test]
fn a_complete_record_is_valid() {
    let inst = instrument("ilo-adult-labour");
    record(&inst).validate(&inst).unwrap();
    let r = record(&inst);
    assert_eq!(r.answers().len(), 4);
    assert_eq!(
        r.screening_state(&inst).unwrap(),
        ScreeningState::FurtherInterview
    );
}

#[test]
fn each_rule_names_its_field() {
    let inst = instrument("ilo-adult-labour");
    type Edit = fn(&mut InterviewRecord);
    let cases: Vec<(Edit, &str)> = vec![
        (|r| r.interviewer.name = " ".into(), "interviewer.name"),
        (
            |r| r.interviewer.agency = String::new(),
            "interviewer.agency",
        ),
        (
            |r| r.interpreter.as_mut().unwrap().language = "Burmese language".into(),
            "interpreter.language",
        ),
        (|r| r.language = String::new(), "language"),
        (
            |r| r.ended_at = Some(ts("2025-10-23T02:00:00Z")),
            "ended_at",
        ),
        (
            |r| r.consent.recorded_at = ts("2025-10-23T02:59:00Z"),
            "consent.recorded_at",
        ),
        (
            |r| {
                r.consent
                    .explained
                    .remove(&ConsentTopic::RefusalWithoutPenalty);
            },
            "consent.explained",
        ),
        (
            |r| r.responses.push(resp("D9.made_up", No, None)),
            "responses[4].indicator",
        ),
        (
            |r| r.responses.push(resp("D2.debt_bondage", Yes, Some("x"))),
            "responses[4].indicator",
        ),
        (
            |r| r.responses.push(resp("D5.violence_on_victim", Yes, None)),
            "responses[4].evidence",
        ),
        (|r| r.narrative = String::new(), "narrative"),
        (
            |r| r.instrument_version = "0.1".into(),
            "instrument_version",
        ),
        (|r| r.instrument = "ilo-child-labour".into(), "instrument"),
    ];
    for (edit, field) in cases {
        let mut r = record(&inst);
        edit(&mut r);
        let e = r.validate(&inst).unwrap_err();
        assert!(e.has_field(field), "expected {field}: {e}");
    }
}

#[test]
fn a_yes_with_only_a_note_is_enough() {
    let inst = instrument("ilo-adult-labour");
    let mut r = record(&inst);
    r.responses.push(IndicatorResponse {
        indicator: "D5.violence_on_victim".into(),
        answer: Yes,
        evidence: None,
        note: Some("describes beatings by guards".into()),
    });
    r.validate(&inst).unwrap();
}

#[test]
fn refusal_keeps_no_answers_and_carries_no_penalty() {
    let inst = instrument("ilo-adult-labour");
    let mut r = record(&inst);
    r.consent.decision = ConsentDecision::Refused;
    r.consent.explained = BTreeSet::from([ConsentTopic::Purpose]);
    assert!(r.validate(&inst).unwrap_err().has_field("responses"));
    r.responses.clear();
    r.narrative.clear();
    r.validate(&inst).unwrap();
    assert_eq!(
        r.screening_state(&inst).unwrap(),
        ScreeningState::Unscreened
    );
    let d = moei_screening::check_action(
        r.screening_state(&inst).unwrap(),
        moei_screening::ProposedAction::Deport,
        None,
    );
    assert!(!d.is_allowed());
}

#[test]
fn screening_state_follows_the_interview() {
    let inst = instrument("ilo-adult-labour");
    let mut r = record(&inst);
    r.ended_at = None;
    assert_eq!(
        r.screening_state(&inst).unwrap(),
        ScreeningState::InterviewInProgress
    );

    let mut r = record(&inst);
    r.responses = inst
        .indicators()
        .iter()
        .map(|i| resp(&i.id, No, None))
        .collect();
    assert_eq!(
        r.screening_state(&inst).unwrap(),
        ScreeningState::ScreeningNotMet
    );

    for id in [
        "D1.deceived_nature_of_job",
        "D1.deceived_wages",
        "D4.excessive_working_hours",
        "D4.low_or_no_salary",
        "D5.violence_on_victim",
        "D5.debt_bondage",
    ] {
        let slot = r.responses.iter_mut().find(|x| x.indicator == id).unwrap();
        slot.answer = Yes;
        slot.evidence = Some("stated in interview".into());
    }
    r.validate(&inst).unwrap();
    assert_eq!(
        r.screening_state(&inst).unwrap(),
        ScreeningState::PresumedVictim
    );
}

#[test]
fn record_round_trips_through_json() {
    let inst = instrument("ilo-adult-labour");
    let r = record(&inst);
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"refusal_without_penalty\""));
    let back: InterviewRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}
