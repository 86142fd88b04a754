//! The screening interview record, as the application stores it.
//!
//! Screening answers are kept apart from immigration or prosecution records. Consent is
//! recorded with what was explained; a refusal or withdrawal carries no penalty: no answers
//! are kept and the person stays protected by the safeguard as if unscreened.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::assess::{AssessError, Outcome, assess};
use crate::error::{Invalid, Problems};
use crate::instrument::Instrument;
use crate::model::Answer;
use crate::safeguard::ScreeningState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interviewer {
    pub name: String,
    pub agency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpreter {
    pub name: String,
    /// Agency or "independent".
    pub agency: String,
    /// Language tag the interpreter spoke with the person (e.g. `my`, `am`, `zh-Hans`).
    pub language: String,
}

/// Points to explain before consent, following the IOM screening form guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentTopic {
    /// Why the interview is held.
    Purpose,
    /// How the data will be used, including research.
    DataUse,
    /// The right to see one's own data.
    RightToAccess,
    /// How long the data is kept.
    Retention,
    /// How to withdraw consent.
    Withdrawal,
    /// That refusing has no consequence for the person.
    RefusalWithoutPenalty,
}

impl ConsentTopic {
    pub const ALL: [ConsentTopic; 6] = [
        ConsentTopic::Purpose,
        ConsentTopic::DataUse,
        ConsentTopic::RightToAccess,
        ConsentTopic::Retention,
        ConsentTopic::Withdrawal,
        ConsentTopic::RefusalWithoutPenalty,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    Given,
    Refused,
    Withdrawn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub explained: BTreeSet<ConsentTopic>,
    pub decision: ConsentDecision,
    pub recorded_at: Timestamp,
}

/// One answered question, with what supports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorResponse {
    pub indicator: String,
    pub answer: Answer,
    /// What was seen or shown (injury, message, document).
    #[serde(default)]
    pub evidence: Option<String>,
    /// What the person said or the interviewer noted.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewRecord {
    pub instrument: String,
    pub instrument_version: String,
    pub interviewer: Interviewer,
    #[serde(default)]
    pub interpreter: Option<Interpreter>,
    /// Language tag the interview was held in (through the interpreter, if any).
    pub language: String,
    pub consent: Consent,
    pub started_at: Timestamp,
    /// `None` while the interview is in progress.
    #[serde(default)]
    pub ended_at: Option<Timestamp>,
    #[serde(default)]
    pub responses: Vec<IndicatorResponse>,
    #[serde(default)]
    pub narrative: String,
}

fn looks_like_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

impl InterviewRecord {
    /// Checks the record against the instrument it was taken with. Returns every problem.
    ///
    /// Rules: names and agencies present; language tags well formed; times in order
    /// (start <= consent <= end); the same instrument id and version; each indicator known
    /// and answered once; a "yes" carries evidence or a note; consent given only after every
    /// [`ConsentTopic`] was explained; after a refusal or withdrawal no answers are kept; a
    /// finished interview with consent has a narrative.
    pub fn validate(&self, instrument: &Instrument) -> Result<(), Invalid> {
        let mut p = Problems::default();
        if self.instrument != instrument.id() {
            p.push(
                "instrument",
                format!(
                    "record is for `{}`, checked against `{}`",
                    self.instrument,
                    instrument.id()
                ),
            );
        } else if self.instrument_version != instrument.version() {
            p.push(
                "instrument_version",
                format!(
                    "record used version {}, checked against version {}",
                    self.instrument_version,
                    instrument.version()
                ),
            );
        }
        p.require_text("interviewer.name", &self.interviewer.name);
        p.require_text("interviewer.agency", &self.interviewer.agency);
        if let Some(i) = &self.interpreter {
            p.require_text("interpreter.name", &i.name);
            p.require_text("interpreter.agency", &i.agency);
            if !looks_like_language_tag(&i.language) {
                p.push(
                    "interpreter.language",
                    format!(
                        "`{}` is not a language tag such as `my` or `zh-Hans`",
                        i.language
                    ),
                );
            }
        }
        if !looks_like_language_tag(&self.language) {
            p.push(
                "language",
                format!(
                    "`{}` is not a language tag such as `my` or `zh-Hans`",
                    self.language
                ),
            );
        }

        if self.consent.recorded_at < self.started_at {
            p.push("consent.recorded_at", "is before the interview started");
        }
        if let Some(end) = self.ended_at {
            if end < self.started_at {
                p.push("ended_at", "is before started_at");
            }
            if self.consent.recorded_at > end {
                p.push("consent.recorded_at", "is after the interview ended");
            }
        }
        match self.consent.decision {
            ConsentDecision::Given => {
                let missing: Vec<String> = ConsentTopic::ALL
                    .iter()
                    .filter(|t| !self.consent.explained.contains(t))
                    .map(|t| {
                        serde_json::to_value(t)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default()
                    })
                    .collect();
                if !missing.is_empty() {
                    p.push(
                        "consent.explained",
                        format!(
                            "consent is recorded as given but these were not explained: {}",
                            missing.join(", ")
                        ),
                    );
                }
                if self.ended_at.is_some() {
                    p.require_text("narrative", &self.narrative);
                }
            }
            ConsentDecision::Refused | ConsentDecision::Withdrawn => {
                if !self.responses.is_empty() {
                    p.push(
                        "responses",
                        "consent was refused or withdrawn: no answers may be kept",
                    );
                }
            }
        }

        let mut seen = BTreeSet::new();
        for (i, r) in self.responses.iter().enumerate() {
            let field = format!("responses[{i}]");
            if instrument.indicator(&r.indicator).is_none() {
                p.push(
                    format!("{field}.indicator"),
                    format!(
                        "`{}` is not an indicator of `{}`",
                        r.indicator,
                        instrument.id()
                    ),
                );
            }
            if !seen.insert(r.indicator.as_str()) {
                p.push(
                    format!("{field}.indicator"),
                    format!("`{}` is answered twice", r.indicator),
                );
            }
            let has = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.trim().is_empty());
            if r.answer == Answer::Yes && !has(&r.evidence) && !has(&r.note) {
                p.push(
                    format!("{field}.evidence"),
                    "a \"yes\" needs evidence or a note saying what supports it",
                );
            }
        }
        p.finish()
    }

    /// The answers, keyed by indicator id, for [`assess`].
    pub fn answers(&self) -> BTreeMap<String, Answer> {
        self.responses
            .iter()
            .map(|r| (r.indicator.clone(), r.answer))
            .collect()
    }

    /// The screening state this record puts the person in. Call after [`Self::validate`].
    pub fn screening_state(&self, instrument: &Instrument) -> Result<ScreeningState, AssessError> {
        if self.consent.decision != ConsentDecision::Given {
            // Refusal carries no penalty: the person is treated as not yet screened.
            return Ok(ScreeningState::Unscreened);
        }
        if self.ended_at.is_none() {
            return Ok(ScreeningState::InterviewInProgress);
        }
        Ok(match assess(instrument, &self.answers())?.result {
            Outcome::PresumedVictim => ScreeningState::PresumedVictim,
            Outcome::FurtherInterview => ScreeningState::FurtherInterview,
            Outcome::NotMet => ScreeningState::ScreeningNotMet,
        })
    }
}
