//! Assessment: decision support, never the decision.
//!
//! A dimension is positive by the ILO/EC combination rule (see [`dimension_positive`]); only
//! "yes" answers count. The result is `presumed_victim` when the instrument's overall rule
//! holds; otherwise `further_interview` when any dimension is positive or any indicator is
//! still open (unknown, declined or unanswered); otherwise `not_met`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::instrument::Instrument;
use crate::model::{Answer, Dimension, Strength};

/// The screening flag. It supports an MDT's determination; it never replaces it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    PresumedVictim,
    FurtherInterview,
    NotMet,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::PresumedVictim => "presumed_victim",
            Outcome::FurtherInterview => "further_interview",
            Outcome::NotMet => "not_met",
        }
    }
}

/// Number of yes-answered indicators of each tier in one dimension.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TierCount {
    pub strong: usize,
    pub medium: usize,
    pub weak: usize,
}

/// ILO/EC combination rule for one dimension: at least 2 strong; or 1 strong and at least
/// 1 medium or weak; or at least 3 medium; or 2 medium and at least 1 weak.
pub fn dimension_positive(c: TierCount) -> bool {
    c.strong >= 2
        || (c.strong >= 1 && c.medium + c.weak >= 1)
        || c.medium >= 3
        || (c.medium >= 2 && c.weak >= 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionResult {
    pub positive: bool,
    /// When positive: every yes-answered question of this dimension, in instrument order
    /// (module questions included). When not positive: empty; see `yes` for partial evidence.
    pub carried_by: Vec<String>,
    /// Every yes-answered question of this dimension, positive or not.
    pub yes: Vec<String>,
    /// Counted indicators by tier. A module question and the indicator it maps to count once.
    pub counts: TierCount,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub instrument: String,
    pub instrument_version: String,
    /// The overall rule applied, in canonical form.
    pub overall_rule: String,
    pub tier_overrides: BTreeMap<String, Strength>,
    pub dimensions: BTreeMap<Dimension, DimensionResult>,
    pub rule_holds: bool,
    /// Counted indicators still open (unknown, declined or unanswered), in instrument order.
    pub open: Vec<String>,
    pub result: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessError {
    #[error("unknown indicator id{} for instrument `{instrument}`: {}", if ids.len() == 1 { "" } else { "s" }, ids.join(", "))]
    UnknownIndicators {
        instrument: String,
        ids: Vec<String>,
    },
}

/// Merges the answers that bear on one counted indicator: its own and those of module
/// questions mapped to it. Any yes wins; then a no settles it; declined outranks unknown.
fn merge(a: Answer, b: Answer) -> Answer {
    use Answer::*;
    match (a, b) {
        (Yes, _) | (_, Yes) => Yes,
        (No, _) | (_, No) => No,
        (Declined, _) | (_, Declined) => Declined,
        _ => Unknown,
    }
}

/// Assesses answers against an instrument. Unanswered questions count as unknown; ids that
/// the instrument does not have are an error (all of them are named).
pub fn assess(
    instrument: &Instrument,
    answers: &BTreeMap<String, Answer>,
) -> Result<Assessment, AssessError> {
    let unknown: Vec<String> = answers
        .keys()
        .filter(|id| instrument.indicator(id).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(AssessError::UnknownIndicators {
            instrument: instrument.id().to_string(),
            ids: unknown,
        });
    }

    // Effective answer of every counted indicator (one that does not map to another).
    let mut effective: BTreeMap<&str, Answer> = BTreeMap::new();
    for ind in instrument.indicators() {
        if ind.maps_to.is_none() {
            let own = answers.get(&ind.id).copied().unwrap_or(Answer::Unknown);
            effective.insert(ind.id.as_str(), own);
        }
    }
    for ind in instrument.indicators() {
        if let (Some(target), Some(&a)) = (&ind.maps_to, answers.get(&ind.id))
            && let Some(e) = effective.get_mut(target.as_str())
        {
            *e = merge(*e, a);
        }
    }

    let mut counts = [TierCount::default(); 6];
    let mut yes: [Vec<String>; 6] = Default::default();
    let mut open = Vec::new();
    for ind in instrument.indicators() {
        let d = ind.dimension.index();
        match &ind.maps_to {
            None => {
                let a = effective
                    .get(ind.id.as_str())
                    .copied()
                    .unwrap_or(Answer::Unknown);
                if a == Answer::Yes {
                    match ind.strength {
                        Strength::Strong => counts[d].strong += 1,
                        Strength::Medium => counts[d].medium += 1,
                        Strength::Weak => counts[d].weak += 1,
                    }
                    if answers.get(&ind.id) == Some(&Answer::Yes) {
                        yes[d].push(ind.id.clone());
                    }
                } else if a.is_open() {
                    open.push(ind.id.clone());
                }
            }
            Some(_) => {
                if answers.get(&ind.id) == Some(&Answer::Yes) {
                    yes[d].push(ind.id.clone());
                }
            }
        }
    }

    let positive: [bool; 6] = std::array::from_fn(|i| dimension_positive(counts[i]));
    let rule_holds = instrument.overall_rule().holds(&positive);
    let result = if rule_holds {
        Outcome::PresumedVictim
    } else if positive.iter().any(|&p| p) || !open.is_empty() {
        Outcome::FurtherInterview
    } else {
        Outcome::NotMet
    };

    let dimensions = Dimension::ALL
        .into_iter()
        .map(|d| {
            let i = d.index();
            let yes_ids = std::mem::take(&mut yes[i]);
            let carried_by = if positive[i] {
                yes_ids.clone()
            } else {
                Vec::new()
            };
            (
                d,
                DimensionResult {
                    positive: positive[i],
                    carried_by,
                    yes: yes_ids,
                    counts: counts[i],
                },
            )
        })
        .collect();

    Ok(Assessment {
        instrument: instrument.id().to_string(),
        instrument_version: instrument.version().to_string(),
        overall_rule: instrument.overall_rule().to_string(),
        tier_overrides: instrument.tier_overrides().clone(),
        dimensions,
        rule_holds,
        open,
        result,
    })
}
