//! Moei's domain: the types and rules every other part shares, with no I/O.
//!
//! Layout:
//! - [`clock`]: where time comes from (settable in tests).
//! - [`validation`]: the error a bad field produces (field name + code + message).
//! - [`person`]: a registered person, as entered by a desk and enriched later.
//! - [`arrival`]: arrival groups (a boat, a truck, a bridge batch).
//! - [`registration_number`]: the human-friendly number printed on wristbands.
//! - [`case`]: a person's case status in screening and determination.
//! - [`logistics`]: facilities, movements, consular verification and departures.
//! - [`access`]: roles, principals and the authorization policy.
//! - [`search`]: name normalisation for search keys.

pub mod access;
pub mod arrival;
pub mod case;
pub mod clock;
pub mod countries;
pub mod document;
pub mod logistics;
pub mod person;
pub mod registration_number;
pub mod search;
pub mod validation;

pub use access::{Action, Principal, Role};
pub use arrival::{ArrivalGroup, ArrivalGroupInput, CrossingMode};
pub use case::CaseStatus;
pub use clock::{Clock, ManualClock, SystemClock};
pub use person::{BirthDate, Need, Person, PersonInput, PersonPatch, Sex};
pub use registration_number::RegistrationNumber;
pub use validation::{FieldError, ValidationErrors};
