//! Multi-disciplinary team (MDT) determinations.
//!
//! The screening flag supports the MDT; the MDT decides. A `suspected_offender` decision
//! removes the non-punishment protection, so it needs a second reviewer from another agency.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{Invalid, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    VictimOfTrafficking,
    VictimOfForcedLabour,
    NotVictimIrregularMigrant,
    SuspectedOffender,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::VictimOfTrafficking => "victim_of_trafficking",
            Decision::VictimOfForcedLabour => "victim_of_forced_labour",
            Decision::NotVictimIrregularMigrant => "not_victim_irregular_migrant",
            Decision::SuspectedOffender => "suspected_offender",
        }
    }

    pub fn is_victim(self) -> bool {
        matches!(
            self,
            Decision::VictimOfTrafficking | Decision::VictimOfForcedLabour
        )
    }
}

/// Form of exploitation found. `ForcedCriminality` has no HTCDS value (exported as `Other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exploitation {
    ForcedLabour,
    ForcedCriminality,
    SexualExploitation,
    ChildLabour,
    Servitude,
    ForcedMarriage,
    ForcedBegging,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdtMember {
    pub name: String,
    pub agency: String,
    /// E.g. social worker, police investigator, labour inspector, NGO case worker.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    pub name: String,
    pub agency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dissent {
    /// Name of the dissenting member.
    pub member: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Determination {
    pub decision: Decision,
    /// Required for victim decisions, empty otherwise.
    #[serde(default)]
    pub exploitation: Vec<Exploitation>,
    pub reasons: Vec<String>,
    #[serde(default)]
    pub dissent: Vec<Dissent>,
    pub members: Vec<MdtMember>,
    /// The member who signs the determination.
    pub reviewer: Reviewer,
    /// Required for `suspected_offender`: someone from another agency than `reviewer`.
    #[serde(default)]
    pub second_reviewer: Option<Reviewer>,
    pub decided_on: Date,
    /// When the determination is reviewed and until when it can be appealed.
    pub review_on: Date,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Determination {
    /// Checks the determination. Rules: members from at least two agencies (an MDT is
    /// multi-agency), each named with agency and role; the reviewer is a member; at least one
    /// non-empty reason; dissent by members with a reason; victims have an exploitation type,
    /// non-victims none; review date after the decision; `suspected_offender` needs a second
    /// reviewer from an agency other than the reviewer's.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        if self.members.is_empty() {
            p.push("members", "an MDT determination needs its members");
        }
        for (i, m) in self.members.iter().enumerate() {
            p.require_text(format!("members[{i}].name"), &m.name);
            p.require_text(format!("members[{i}].agency"), &m.agency);
            p.require_text(format!("members[{i}].role"), &m.role);
        }
        let mut agencies: Vec<String> = self
            .members
            .iter()
            .map(|m| m.agency.trim().to_lowercase())
            .filter(|a| !a.is_empty())
            .collect();
        agencies.sort();
        agencies.dedup();
        if !self.members.is_empty() && agencies.len() < 2 {
            p.push(
                "members",
                "members must come from at least two agencies (a multi-disciplinary team)",
            );
        }
        p.require_text("reviewer.name", &self.reviewer.name);
        p.require_text("reviewer.agency", &self.reviewer.agency);
        let is_member = |name: &str, agency: Option<&str>| {
            self.members
                .iter()
                .any(|m| same(&m.name, name) && agency.is_none_or(|a| same(&m.agency, a)))
        };
        if !self.reviewer.name.trim().is_empty()
            && !is_member(&self.reviewer.name, Some(&self.reviewer.agency))
        {
            p.push(
                "reviewer",
                "the reviewer must be one of the members, with the same agency",
            );
        }
        if self.reasons.is_empty() {
            p.push("reasons", "give at least one reason");
        }
        for (i, r) in self.reasons.iter().enumerate() {
            p.require_text(format!("reasons[{i}]"), r);
        }
        for (i, d) in self.dissent.iter().enumerate() {
            p.require_text(format!("dissent[{i}].reason"), &d.reason);
            if !is_member(&d.member, None) {
                p.push(
                    format!("dissent[{i}].member"),
                    format!("`{}` is not a member of this MDT", d.member),
                );
            }
        }
        if self.decision.is_victim() && self.exploitation.is_empty() {
            p.push(
                "exploitation",
                "a victim decision must name the form of exploitation",
            );
        }
        if !self.decision.is_victim() && !self.exploitation.is_empty() {
            p.push(
                "exploitation",
                format!("must be empty for a {} decision", self.decision.as_str()),
            );
        }
        if self.review_on <= self.decided_on {
            p.push(
                "review_on",
                "the review or appeal date must be after decided_on",
            );
        }
        if self.decision == Decision::SuspectedOffender {
            match &self.second_reviewer {
                None => p.push(
                    "second_reviewer",
                    "a suspected_offender decision needs a second reviewer from another agency",
                ),
                Some(s) => {
                    p.require_text("second_reviewer.name", &s.name);
                    p.require_text("second_reviewer.agency", &s.agency);
                    if same(&s.agency, &self.reviewer.agency) {
                        p.push(
                            "second_reviewer.agency",
                            format!(
                                "the second reviewer must come from another agency than the reviewer ({})",
                                self.reviewer.agency.trim()
                            ),
                        );
                    }
                    if same(&s.name, &self.reviewer.name) {
                        p.push(
                            "second_reviewer.name",
                            "the second reviewer must be another person",
                        );
                    }
                }
            }
        }
        p.finish()
    }
}
