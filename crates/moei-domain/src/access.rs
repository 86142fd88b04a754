//! Roles, the principal acting, and the authorization policy.
//!
//! The policy is deny-by-default: each role lists what it may do. Embassy officers are further
//! confined to their nationalities everywhere (reads, lists, search hits, counts, exports), so an
//! officer for IND never learns that a CHN national exists. Analysts see aggregates only.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Registrar,
    Screener,
    MdtMember,
    Investigator,
    FacilityManager,
    EmbassyOfficer,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Registrar,
        Role::Screener,
        Role::MdtMember,
        Role::Investigator,
        Role::FacilityManager,
        Role::EmbassyOfficer,
        Role::Analyst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Registrar => "registrar",
            Role::Screener => "screener",
            Role::MdtMember => "mdt_member",
            Role::Investigator => "investigator",
            Role::FacilityManager => "facility_manager",
            Role::EmbassyOfficer => "embassy_officer",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Everything the server checks before it acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    RegisterPerson,
    ReadPerson,
    UpdatePerson,
    /// List and search persons (hits carry personal data).
    ListPersons,
    /// Counts by day, group, nationality: aggregates with no individual in them.
    CountPersons,
    ExportPersons,
    CreateArrivalGroup,
    ReadArrivalGroups,
    ManageUsers,
    ReadAudit,
    /// Import an authority list or embassy nominal roll and link it against the persons.
    ImportLists,
    /// Read the review queue of match candidates (embassy officers: their nationals only).
    ReviewMatches,
    /// Confirm or reject a match candidate.
    DecideMatches,
    /// Merge two registrations of the same person, or undo a merge. It changes what every
    /// list and search shows, so only administrators (the register's data stewards) may.
    MergePersons,
    /// Enter a family's missing-person report (for an NGO or an embassy).
    ReportMissing,
    /// Record that a family has been told their relative was found: MDT case workers and
    /// embassy officers (for their nationals), who are trained to deliver such news.
    NotifyFamily,
    /// Create holding sites and departure points and set their capacities.
    ManageFacilities,
    /// Occupancy, bottleneck counts and other logistics aggregates (no individual in them).
    ReadLogisticsCounts,
    /// Move persons between sites (in bulk), check arrivals, read manifests.
    MovePersons,
    /// Create departure batches, assign persons, record outcomes and departures.
    ManageDepartures,
    /// Download the nominal roll of one nationality (minimal identity data only).
    ReadNominalRoll,
    /// Record consular verification, travel documents and proposed departure dates.
    RecordConsular,
    /// Flag a fear of return, review it, and record the legal basis for disclosure.
    RecordProtection,
    /// Edit the list of nationalities with an embassy in Thailand and their sharing terms.
    ManageEmbassyList,
    /// Record a screening interview (consent, answers, narrative).
    ConductScreening,
    /// Read interviews and assessments. MDT members only for persons whose conference lists them.
    ReadScreening,
    /// The screening queue and the screened/waiting counts (names, no interview content).
    ReadScreeningQueue,
    /// Open an MDT case conference for a person.
    OpenMdtCase,
    /// Record the MDT's determination (members of that conference only).
    DecideMdt,
    /// Ask for a punitive action (prosecution referral, deportation, detention as an offender).
    RequestPunitiveAction,
    /// Override the non-punishment safeguard, with a reason. The "named senior role" is an admin
    /// account: the override names the account and the office it acts for.
    OverrideSafeguard,
    /// The safeguard dashboard: punitive requests, refusals and overrides.
    ReadSafeguard,
    /// HTCDS export of determined cases (individual records, for the national data standard).
    ExportHtcds,
}

impl Action {
    pub const ALL: [Action; 33] = [
        Action::RegisterPerson,
        Action::ReadPerson,
        Action::UpdatePerson,
        Action::ListPersons,
        Action::CountPersons,
        Action::ExportPersons,
        Action::CreateArrivalGroup,
        Action::ReadArrivalGroups,
        Action::ManageUsers,
        Action::ReadAudit,
        Action::ImportLists,
        Action::ReviewMatches,
        Action::DecideMatches,
        Action::MergePersons,
        Action::ReportMissing,
        Action::NotifyFamily,
        Action::ManageFacilities,
        Action::ReadLogisticsCounts,
        Action::MovePersons,
        Action::ManageDepartures,
        Action::ReadNominalRoll,
        Action::RecordConsular,
        Action::RecordProtection,
        Action::ManageEmbassyList,
        Action::ConductScreening,
        Action::ReadScreening,
        Action::ReadScreeningQueue,
        Action::OpenMdtCase,
        Action::DecideMdt,
        Action::RequestPunitiveAction,
        Action::OverrideSafeguard,
        Action::ReadSafeguard,
        Action::ExportHtcds,
    ];

    /// Actions whose answers hold counts only, never an individual.
    pub fn is_aggregate(self) -> bool {
        matches!(self, Action::CountPersons | Action::ReadLogisticsCounts)
    }
}

pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        // Admins run the system but are not embassy officers: consular findings come from
        // the embassy (or an import of its file) only.
        Role::Admin => action != RecordConsular,
        Role::Registrar => matches!(
            action,
            RegisterPerson
                | ReadPerson
                | UpdatePerson
                | ListPersons
                | CountPersons
                | CreateArrivalGroup
                | ReadArrivalGroups
                | ImportLists
                | ReviewMatches
                | DecideMatches
                | ReportMissing
        ),
        Role::Screener => matches!(
            action,
            ReadPerson
                | UpdatePerson
                | ListPersons
                | CountPersons
                | ReadArrivalGroups
                | RecordProtection
                | ConductScreening
                | ReadScreening
                | ReadScreeningQueue
                | OpenMdtCase
        ),
        Role::FacilityManager => matches!(
            action,
            ReadPerson
                | UpdatePerson
                | ListPersons
                | CountPersons
                | ReadArrivalGroups
                | ManageFacilities
                | ReadLogisticsCounts
                | MovePersons
                | ManageDepartures
                | ReadNominalRoll
                | RequestPunitiveAction
        ),
        Role::MdtMember => matches!(
            action,
            ReadPerson
                | ListPersons
                | CountPersons
                | ReadArrivalGroups
                | ReadLogisticsCounts
                | RecordProtection
                | ReportMissing
                | NotifyFamily
                | ReadScreening
                | ReadScreeningQueue
                | OpenMdtCase
                | DecideMdt
                | ReadSafeguard
                | ExportHtcds
        ),
        Role::Investigator => matches!(
            action,
            ReadPerson | ListPersons | CountPersons | ReadArrivalGroups | RequestPunitiveAction
        ),
        Role::EmbassyOfficer => matches!(
            action,
            ReadPerson
                | ListPersons
                | CountPersons
                | ExportPersons
                | ImportLists
                | ReviewMatches
                | DecideMatches
                | ReportMissing
                | NotifyFamily
                | ReadLogisticsCounts
                | ReadNominalRoll
                | RecordConsular
        ),
        Role::Analyst => action.is_aggregate(),
    }
}

/// The user (or API token) on whose behalf a request runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub role: Role,
    pub agency: Option<String>,
    /// Embassy officers only: the nationalities they may see.
    pub nationalities: Vec<String>,
}

impl Principal {
    pub fn may(&self, action: Action) -> bool {
        role_allows(self.role, action)
    }

    /// `None`: every nationality. `Some(list)`: only these (possibly none at all).
    pub fn nationality_scope(&self) -> Option<&[String]> {
        match self.role {
            Role::EmbassyOfficer => Some(&self.nationalities),
            _ => None,
        }
    }

    pub fn sees_nationality(&self, code: &str) -> bool {
        self.nationality_scope()
            .is_none_or(|scope| scope.iter().any(|c| c == code))
    }

    /// The command line acts as the machine's administrator.
    pub fn system() -> Self {
        Principal {
            user_id: "system".into(),
            username: "system".into(),
            role: Role::Admin,
            agency: None,
            nationalities: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyst_sees_aggregates_only() {
        for a in Action::ALL {
            assert_eq!(
                role_allows(Role::Analyst, a),
                a == Action::CountPersons || a == Action::ReadLogisticsCounts,
                "{a:?}"
            );
        }
    }

    #[test]
    fn embassy_scope_is_exact() {
        let p = Principal {
            user_id: "u".into(),
            username: "e".into(),
            role: Role::EmbassyOfficer,
            agency: None,
            nationalities: vec!["IND".into()],
        };
        assert!(p.sees_nationality("IND"));
        assert!(!p.sees_nationality("CHN"));
        assert!(!p.may(Action::RegisterPerson));
        let none = Principal {
            nationalities: vec![],
            ..p
        };
        assert!(!none.sees_nationality("IND"));
    }

    #[test]
    fn only_admin_merges_persons() {
        for r in Role::ALL {
            assert_eq!(role_allows(r, Action::MergePersons), r == Role::Admin);
        }
    }

    #[test]
    fn screening_content_stays_with_screeners_and_the_mdt() {
        for r in Role::ALL {
            let may_read = matches!(r, Role::Admin | Role::Screener | Role::MdtMember);
            assert_eq!(role_allows(r, Action::ReadScreening), may_read, "{r:?}");
            assert_eq!(role_allows(r, Action::OverrideSafeguard), r == Role::Admin);
        }
        assert!(!role_allows(Role::Investigator, Action::ReadScreeningQueue));
        assert!(!role_allows(Role::EmbassyOfficer, Action::ExportHtcds));
        assert!(!role_allows(Role::Screener, Action::DecideMdt));
    }

    #[test]
    fn only_admin_manages_users_and_reads_audit() {
        for r in Role::ALL {
            assert_eq!(role_allows(r, Action::ManageUsers), r == Role::Admin);
            assert_eq!(role_allows(r, Action::ReadAudit), r == Role::Admin);
            assert_eq!(role_allows(r, Action::ManageEmbassyList), r == Role::Admin);
        }
    }

    #[test]
    fn consular_findings_come_from_embassies_only() {
        for r in Role::ALL {
            assert_eq!(
                role_allows(r, Action::RecordConsular),
                r == Role::EmbassyOfficer
            );
        }
        assert!(!role_allows(Role::EmbassyOfficer, Action::MovePersons));
        assert!(!role_allows(Role::EmbassyOfficer, Action::RecordProtection));
    }
}
