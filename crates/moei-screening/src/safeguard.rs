//! The non-punishment safeguard (ACTIP art. 14(7); ASEAN Non-Punishment Guideline, 2025).
//!
//! A pure check: given where a person stands in screening and a proposed action, say whether
//! the action is allowed. Punitive actions need an MDT determination that permits them;
//! otherwise they are refused with the reason, unless a named person in a senior role gives
//! an override with a reason (which the application must log). Protective actions are
//! always allowed.

use serde::{Deserialize, Serialize};

use crate::mdt::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "decision", rename_all = "snake_case")]
pub enum ScreeningState {
    /// Not interviewed yet, or consent refused or withdrawn (no penalty for refusing).
    Unscreened,
    InterviewInProgress,
    PresumedVictim,
    FurtherInterview,
    /// Screened, no indicator combination met: still not a determination.
    ScreeningNotMet,
    Determined(Decision),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposedAction {
    /// Criminal referral (e.g. for fraud committed in a compound).
    ReferForProsecution,
    /// Prosecution for illegal entry or stay.
    ProsecuteImmigrationOffence,
    ImmigrationFine,
    Deport,
    DetainAsOffender,
    ReferToShelter,
    MedicalCare,
    /// Return with the person's agreement and the embassy (Thai Act s.33).
    AssistedVoluntaryReturn,
    ReferToMdt,
}

impl ProposedAction {
    pub fn is_punitive(self) -> bool {
        matches!(
            self,
            ProposedAction::ReferForProsecution
                | ProposedAction::ProsecuteImmigrationOffence
                | ProposedAction::ImmigrationFine
                | ProposedAction::Deport
                | ProposedAction::DetainAsOffender
        )
    }
}

/// Roles that may override the safeguard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeniorRole {
    MdtChair,
    ProvincialGovernor,
    PublicProsecutor,
    ProvincialPoliceCommander,
    ProvincialSocialDevelopmentDirector,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The person who takes responsibility.
    pub name: String,
    pub role: SeniorRole,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SafeguardDecision {
    Allowed,
    /// Would have been refused for `refused_because`; allowed on the override's authority.
    AllowedByOverride {
        refused_because: String,
        by: Override,
    },
    Refused {
        reason: String,
    },
}

impl SafeguardDecision {
    pub fn is_allowed(&self) -> bool {
        !matches!(self, SafeguardDecision::Refused { .. })
    }
}

/// Why `action` may not be taken in `state`, or `None` when it may.
fn refusal(state: ScreeningState, action: ProposedAction) -> Option<String> {
    use ProposedAction as A;
    if !action.is_punitive() {
        return None;
    }
    let needs_offender = matches!(action, A::ReferForProsecution | A::DetainAsOffender);
    match state {
        ScreeningState::Determined(Decision::SuspectedOffender) => None,
        ScreeningState::Determined(Decision::NotVictimIrregularMigrant) if !needs_offender => None,
        ScreeningState::Determined(Decision::NotVictimIrregularMigrant) => Some(
            "determined an irregular migrant, not a suspected offender: a criminal referral or \
             detention as an offender needs an MDT suspected_offender determination with a second \
             reviewer from another agency"
                .into(),
        ),
        ScreeningState::Determined(d) => Some(format!(
            "determined {}: victims are not punished for acts they were compelled to commit or \
             for immigration offences resulting from trafficking; use assisted voluntary return",
            d.as_str()
        )),
        ScreeningState::PresumedVictim => Some(
            "presumed victim: protect and refer to the MDT; no punitive action before a determination"
                .into(),
        ),
        ScreeningState::FurtherInterview => Some(
            "screening needs a further interview; no punitive action before an MDT determination"
                .into(),
        ),
        ScreeningState::ScreeningNotMet => Some(
            "screening is decision support, not a decision; record an MDT determination first"
                .into(),
        ),
        ScreeningState::InterviewInProgress => {
            Some("screening interview in progress; no punitive action before it ends".into())
        }
        ScreeningState::Unscreened => Some(
            "not screened (or consent refused, which carries no penalty); screen and determine first"
                .into(),
        ),
    }
}

/// The safeguard check. An override counts only with a non-empty name and reason.
pub fn check_action(
    state: ScreeningState,
    action: ProposedAction,
    override_by: Option<&Override>,
) -> SafeguardDecision {
    let Some(refused_because) = refusal(state, action) else {
        return SafeguardDecision::Allowed;
    };
    match override_by {
        None => SafeguardDecision::Refused {
            reason: refused_because,
        },
        Some(o) if o.name.trim().is_empty() => SafeguardDecision::Refused {
            reason: format!("{refused_because} (override rejected: override.name is empty)"),
        },
        Some(o) if o.reason.trim().is_empty() => SafeguardDecision::Refused {
            reason: format!("{refused_because} (override rejected: override.reason is empty)"),
        },
        Some(o) => SafeguardDecision::AllowedByOverride {
            refused_because,
            by: o.clone(),
        },
    }
}
