//! Small shared vocabulary: dimensions, tiers, answers, verification tags, review states, sex.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the six ILO/EC dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Dimension {
    D1,
    D2,
    D3,
    D4,
    D5,
    D6,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::D1,
        Dimension::D2,
        Dimension::D3,
        Dimension::D4,
        Dimension::D5,
        Dimension::D6,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::D1 => "D1",
            Dimension::D2 => "D2",
            Dimension::D3 => "D3",
            Dimension::D4 => "D4",
            Dimension::D5 => "D5",
            Dimension::D6 => "D6",
        }
    }

    /// Zero-based position, for fixed-size tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("`{s}` is not a dimension; expected D1, D2, D3, D4, D5 or D6"))
    }
}

/// Strength tier of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Medium => "medium",
            Strength::Weak => "weak",
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Strength {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strong" => Ok(Strength::Strong),
            "medium" => Ok(Strength::Medium),
            "weak" => Ok(Strength::Weak),
            other => Err(format!(
                "`{other}` is not a strength; expected strong, medium or weak"
            )),
        }
    }
}

/// The answer to one indicator question. Only `Yes` ever counts towards a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Unknown,
    Declined,
}

impl Answer {
    pub const ALL: [Answer; 4] = [Answer::Yes, Answer::No, Answer::Unknown, Answer::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
            Answer::Declined => "declined",
        }
    }

    /// True when the question is still open: the person could not or would not answer.
    pub fn is_open(self) -> bool {
        matches!(self, Answer::Unknown | Answer::Declined)
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Answer {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Answer::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                format!("\"{s}\" is not one of \"yes\", \"no\", \"unknown\", \"declined\"")
            })
    }
}

/// How well a fact in the instrument data is established (the tags of the domain reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Verification {
    /// Read in the cited source.
    V,
    /// Secondary or third-party source only.
    S,
    /// Unverified: keep configurable.
    U,
}

/// Review state of an instrument or of one translated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// The text the others are translated from.
    Source,
    /// Written by the project, not yet checked by a qualified reviewer.
    DraftUnreviewed,
    /// Checked by a qualified reviewer.
    Reviewed,
}

/// Sex as printed on travel documents (ICAO: F, M, or X for unspecified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
    X,
}
