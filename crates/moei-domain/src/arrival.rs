//! Arrival groups: the boat, truck or bridge batch a person came with. The desk opens a group,
//! then registers its people with the group's shared fields pre-filled.

use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossingMode {
    Bridge,
    Boat,
    Raft,
    Wading,
    Vehicle,
    Other,
}

impl CrossingMode {
    pub const ALL: [CrossingMode; 6] = [
        CrossingMode::Bridge,
        CrossingMode::Boat,
        CrossingMode::Raft,
        CrossingMode::Wading,
        CrossingMode::Vehicle,
        CrossingMode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CrossingMode::Bridge => "bridge",
            CrossingMode::Boat => "boat",
            CrossingMode::Raft => "raft",
            CrossingMode::Wading => "wading",
            CrossingMode::Vehicle => "vehicle",
            CrossingMode::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        CrossingMode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalGroupInput {
    pub crossing_point: Option<String>,
    /// RFC 3339 timestamp; defaults to now.
    #[serde(default)]
    pub arrived_at: Option<String>,
    pub mode: Option<String>,
    #[serde(default)]
    pub officer: Option<String>,
    #[serde(default)]
    pub headcount: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalGroup {
    pub id: String,
    pub crossing_point: String,
    pub arrived_at: jiff::Timestamp,
    pub mode: CrossingMode,
    pub officer: String,
    pub headcount: Option<i64>,
    pub notes: String,
    pub registered_count: i64,
    pub created_at: jiff::Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewArrivalGroup {
    pub crossing_point: String,
    pub arrived_at: jiff::Timestamp,
    pub mode: CrossingMode,
    pub officer: String,
    pub headcount: Option<i64>,
    pub notes: String,
}

impl ArrivalGroupInput {
    pub fn validate(
        &self,
        now: jiff::Timestamp,
        default_officer: &str,
    ) -> Result<NewArrivalGroup, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let crossing_point = self
            .crossing_point
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_string();
        if crossing_point.is_empty() {
            errors.push(FieldError::new("crossing_point", "required", "is required"));
        } else if crossing_point.chars().count() > 200 {
            errors.push(FieldError::new(
                "crossing_point",
                "too_long",
                "must be at most 200 characters",
            ));
        }
        let mode = match self.mode.as_deref().map(str::trim) {
            Some(m) => CrossingMode::parse(m).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "mode",
                    "invalid_mode",
                    "must be one of bridge, boat, raft, wading, vehicle, other",
                ));
                CrossingMode::Other
            }),
            None => {
                errors.push(FieldError::new("mode", "required", "is required"));
                CrossingMode::Other
            }
        };
        let arrived_at = match self
            .arrived_at
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => match s.parse::<jiff::Timestamp>() {
                Ok(t)
                    if t > now
                        .saturating_add(jiff::SignedDuration::from_hours(1))
                        .unwrap_or(now) =>
                {
                    errors.push(FieldError::new(
                        "arrived_at",
                        "date_in_future",
                        "is in the future",
                    ));
                    now
                }
                Ok(t) => t,
                Err(_) => {
                    errors.push(FieldError::new(
                        "arrived_at",
                        "invalid_timestamp",
                        "must be an RFC 3339 timestamp such as 2025-10-22T14:30:00+07:00",
                    ));
                    now
                }
            },
            None => now,
        };
        let headcount = match self.headcount {
            Some(n) if !(0..=10_000).contains(&n) => {
                errors.push(FieldError::new(
                    "headcount",
                    "out_of_range",
                    "must be between 0 and 10000",
                ));
                None
            }
            other => other,
        };
        let officer = self
            .officer
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(default_officer)
            .chars()
            .take(200)
            .collect();
        let notes = self
            .notes
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(4000)
            .collect();
        errors.into_result(NewArrivalGroup {
            crossing_point,
            arrived_at,
            mode,
            officer,
            headcount,
            notes,
        })
    }
}
