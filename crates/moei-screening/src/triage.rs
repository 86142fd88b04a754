//! Who to screen first when hundreds arrive in a day.
//!
//! A transparent additive score, so staff can see and explain the order:
//!
//! | factor | points |
//! |---|---|
//! | minor (age under 18, or appears under 18 when age is unknown or disputed) | 40 |
//! | planned departure within 24 h (or already due) | 35 |
//! | planned departure within 72 h | 20 |
//! | planned departure within 7 days | 10 |
//! | injured | 30 |
//! | signs of violence | 25 |
//! | woman (sex F) | 15 |
//!
//! Departure matters because a person who leaves unscreened can no longer be identified.
//! Ties go to the earlier planned departure (none counts as latest), then earlier arrival,
//! then person id, so the order is stable.

use std::cmp::Ordering;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::model::Sex;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageInput {
    pub person: String,
    #[serde(default)]
    pub age_years: Option<u8>,
    /// Staff judgement; gives the benefit of the doubt when age is unknown or disputed.
    #[serde(default)]
    pub appears_minor: bool,
    #[serde(default)]
    pub injured: bool,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub signs_of_violence: bool,
    #[serde(default)]
    pub planned_departure: Option<Timestamp>,
    pub arrived_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageReason {
    Minor,
    DepartureWithin24h,
    DepartureWithin72h,
    DepartureWithin7d,
    Injured,
    SignsOfViolence,
    Woman,
}

impl TriageReason {
    pub fn points(self) -> u32 {
        match self {
            TriageReason::Minor => 40,
            TriageReason::DepartureWithin24h => 35,
            TriageReason::DepartureWithin72h => 20,
            TriageReason::DepartureWithin7d => 10,
            TriageReason::Injured => 30,
            TriageReason::SignsOfViolence => 25,
            TriageReason::Woman => 15,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriageEntry {
    pub person: String,
    pub score: u32,
    pub reasons: Vec<TriageReason>,
}

/// The reasons that apply to one person at time `now`.
pub fn triage_reasons(input: &TriageInput, now: Timestamp) -> Vec<TriageReason> {
    let mut r = Vec::new();
    let minor = match input.age_years {
        Some(age) => age < 18 || input.appears_minor,
        None => input.appears_minor,
    };
    if minor {
        r.push(TriageReason::Minor);
    }
    if let Some(dep) = input.planned_departure {
        let left = dep.duration_since(now);
        if left <= SignedDuration::from_hours(24) {
            r.push(TriageReason::DepartureWithin24h);
        } else if left <= SignedDuration::from_hours(72) {
            r.push(TriageReason::DepartureWithin72h);
        } else if left <= SignedDuration::from_hours(24 * 7) {
            r.push(TriageReason::DepartureWithin7d);
        }
    }
    if input.injured {
        r.push(TriageReason::Injured);
    }
    if input.signs_of_violence {
        r.push(TriageReason::SignsOfViolence);
    }
    if input.sex == Some(Sex::F) {
        r.push(TriageReason::Woman);
    }
    r
}

pub fn triage_score(input: &TriageInput, now: Timestamp) -> u32 {
    triage_reasons(input, now).iter().map(|r| r.points()).sum()
}

fn tie_break(a: &TriageInput, b: &TriageInput) -> Ordering {
    let dep = match (a.planned_departure, b.planned_departure) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    dep.then(a.arrived_at.cmp(&b.arrived_at))
        .then_with(|| a.person.cmp(&b.person))
}

/// Everyone, highest priority first.
pub fn triage_order(inputs: &[TriageInput], now: Timestamp) -> Vec<TriageEntry> {
    let mut scored: Vec<(&TriageInput, Vec<TriageReason>, u32)> = inputs
        .iter()
        .map(|i| {
            let reasons = triage_reasons(i, now);
            let score = reasons.iter().map(|r| r.points()).sum();
            (i, reasons, score)
        })
        .collect();
    scored.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| tie_break(a.0, b.0)));
    scored
        .into_iter()
        .map(|(i, reasons, score)| TriageEntry {
            person: i.person.clone(),
            score,
            reasons,
        })
        .collect()
}
