//! Screening of people arriving from scam compounds: instruments, rules and records.
//!
//! Pure domain logic: no storage, no HTTP, no clock (times are parameters).
//!
//! # Layout
//!
//! - [`model`]: dimensions, tiers, answers, verification tags, review states, sex.
//! - [`instrument`]: versioned instrument data files (embedded and loadable), validation.
//! - [`rule`]: the overall rule over D1..D6, parsed from data.
//! - [`assess`]: the ILO/EC combination rule and the screening result.
//! - [`cli`]: `moei screening indicators` and `moei screening assess`.
//! - [`interview`]: the interview record (consent, interpreter, answers, narrative).
//! - [`mdt`]: multi-disciplinary team determinations.
//! - [`safeguard`]: the non-punishment safeguard.
//! - [`triage`]: who to screen first.
//! - [`htcds`]: HTCDS export rows, CSV and XLSX.
//! - [`error`]: validation errors that name the field.

pub mod assess;
pub mod cli;
pub mod error;
pub mod instrument;
pub mod model;
pub mod rule;

pub use assess::{Assessment, DimensionResult, Outcome, TierCount, assess, dimension_positive};
pub use cli::{run_assess, run_assess_in, run_indicators, run_indicators_in};
pub use error::{FieldError, Invalid};
pub use instrument::{DEFAULT_INSTRUMENT, Indicator, Instrument, InstrumentError, Registry};
pub use model::{Answer, Dimension, ReviewState, Sex, Strength, Verification};
pub use rule::{OverallRule, RuleError};
pub mod htcds;
pub mod interview;
pub mod mdt;
pub mod safeguard;
pub mod triage;

pub use htcds::{HtcdsCase, HtcdsRow, htcds_row, htcds_xlsx, write_htcds_csv, write_htcds_xlsx};
pub use interview::InterviewRecord;
pub use mdt::{Decision, Determination};
pub use safeguard::{ProposedAction, SafeguardDecision, ScreeningState, check_action};
pub use triage::{TriageEntry, TriageInput, triage_order};
