//! A person's case status: where they stand in screening and determination.
//!
//! Screening sets it (interviews, MDT decisions); movements and departures read it. The
//! non-punishment principle hangs on it: nobody is deported or prosecuted while `Unscreened`
//! or a presumed victim.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Registered, no screening interview finished yet (the default).
    Unscreened,
    /// An interview is under way or needs another session.
    ScreeningInProgress,
    /// The screening result said `further_interview`.
    FurtherInterview,
    /// The screening result said `presumed_victim`; the MDT has not decided yet.
    PresumedVictim,
    /// Screened (`not_met`) and waiting for the MDT's determination.
    AwaitingMdt,
    /// MDT determinations.
    VictimOfTrafficking,
    VictimOfForcedLabour,
    IrregularMigrant,
    SuspectedOffender,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 9] = [
        CaseStatus::Unscreened,
        CaseStatus::ScreeningInProgress,
        CaseStatus::FurtherInterview,
        CaseStatus::PresumedVictim,
        CaseStatus::AwaitingMdt,
        CaseStatus::VictimOfTrafficking,
        CaseStatus::VictimOfForcedLabour,
        CaseStatus::IrregularMigrant,
        CaseStatus::SuspectedOffender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Unscreened => "unscreened",
            CaseStatus::ScreeningInProgress => "screening_in_progress",
            CaseStatus::FurtherInterview => "further_interview",
            CaseStatus::PresumedVictim => "presumed_victim",
            CaseStatus::AwaitingMdt => "awaiting_mdt",
            CaseStatus::VictimOfTrafficking => "victim_of_trafficking",
            CaseStatus::VictimOfForcedLabour => "victim_of_forced_labour",
            CaseStatus::IrregularMigrant => "irregular_migrant",
            CaseStatus::SuspectedOffender => "suspected_offender",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The MDT has made a determination.
    pub fn is_determined(self) -> bool {
        matches!(
            self,
            CaseStatus::VictimOfTrafficking
                | CaseStatus::VictimOfForcedLabour
                | CaseStatus::IrregularMigrant
                | CaseStatus::SuspectedOffender
        )
    }

    /// The non-punishment safeguard applies: punitive actions are refused unless overridden.
    pub fn protected_from_punishment(self) -> bool {
        !matches!(
            self,
            CaseStatus::IrregularMigrant | CaseStatus::SuspectedOffender
        )
    }

    /// Screened and determined, so repatriation may go ahead (with `held_for_prosecution` false).
    pub fn cleared_for_departure(self) -> bool {
        self.is_determined()
    }

    /// The SQL list of statuses that clear a person for departure, for `IN (...)` clauses.
    pub fn cleared_sql_list() -> String {
        CaseStatus::ALL
            .into_iter()
            .filter(|c| c.cleared_for_departure())
            .map(|c| format!("'{}'", c.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(c.as_str()), Some(c));
        }
        assert_eq!(CaseStatus::parse("victim"), None);
    }

    #[test]
    fn safeguard_covers_the_unscreened_and_victims() {
        assert!(CaseStatus::Unscreened.protected_from_punishment());
        assert!(CaseStatus::PresumedVictim.protected_from_punishment());
        assert!(CaseStatus::VictimOfTrafficking.protected_from_punishment());
        assert!(!CaseStatus::SuspectedOffender.protected_from_punishment());
        assert!(!CaseStatus::IrregularMigrant.protected_from_punishment());
        assert!(!CaseStatus::Unscreened.cleared_for_departure());
        assert!(CaseStatus::IrregularMigrant.cleared_for_departure());
        assert_eq!(CaseStatus::cleared_sql_list().matches('\'').count(), 8);
    }
}
