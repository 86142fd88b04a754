//! Identity resolution for Moei: is this new registration someone we already have?
//!
//! No storage and no HTTP here: records in, scores, explanations and clusters out.
//!
//! # Layout
//! - [`normalize`]: NFKC, case folding, diacritics, punctuation; originals are kept.
//! - [`zawgyi`]: detects Zawgyi-encoded Burmese and converts it to Unicode.
//! - [`translit`]: Latin keys for Han, Hangul, Brahmic scripts, Myanmar, Thai, Arabic script,
//!   Ethiopic, Khmer and others, with several spellings where romanisations differ.
//! - [`name`]: name tokens, variant groups and particles (data files), name comparison.
//! - [`fields`]: dates of birth, sex, nationality, documents (OCR confusions), phones (E.164).
//! - [`record`]: input [`Record`], [`Prepared`] form, [`compare`] into a [`Pattern`] of levels.
//! - [`model`]: Fellegi-Sunter weights, EM estimation, reviews, explanations.
//! - [`blocking`]: keys that decide which pairs are compared.
//! - [`cluster`]: clustering that refuses chains across clearly different records.
//! - [`pipeline`]: bulk dedup and link in memory.
//! - [`index`]: incremental in-memory index for interactive top-k queries.
//! - [`io`] and [`cli`]: CSV/XLSX input and the `moei dedup` / `moei link` commands.
//! - [`synth`]: deterministic synthetic registrations for benchmarks and accuracy checks.

pub mod blocking;
pub mod cli;
pub mod cluster;
mod compare_cache;
pub mod fields;
pub mod index;
pub mod io;
pub mod model;
pub mod name;
pub mod normalize;
pub mod pipeline;
pub mod record;
pub mod similarity;
pub mod synth;
pub mod translit;
pub mod zawgyi;

pub use cli::{
    DedupOptions, DedupSummary, LinkOptions, LinkSummary, parse_list_date, run_dedup, run_link,
};
pub use index::{Candidate, Index, IndexError};
pub use model::{DEFAULT_THRESHOLD, Explanation, Model, Review};
pub use record::{Field, Pattern, Prepared, Record, compare};
