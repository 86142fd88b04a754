//! Machine-readable zones (ICAO Doc 9303): parse, check, propose
//! corrections, compose.
//!
//! Layout:
//! - `charset`: the MRZ alphabet, the 7-3-1 check digit, OCR look-alikes.
//! - `countries`: issuing-state and nationality codes (ISO 3166-1 alpha-3
//!   plus ICAO's own), read from `data/countries.tsv`.
//! - `layout`: field positions of TD1, TD2, TD3, MRV-A and MRV-B, and
//!   [`Mrz`], a normalised zone in a fixed buffer.
//! - `normalize`: free text (OCR output, pasted lines) to an [`Mrz`].
//! - `dates`: century inference for two-digit years.
//! - `parse`: fields, check digits, errors and warnings → [`Report`].
//! - `correct`: bounded search for corrections that make every check pass.
//! - `compose`: fields → a valid zone.
//! - `json`, `cli`: the `moei mrz` command's output.
//!
//! ```
//! use jiff::civil::date;
//! let report = moei_mrz::parse(
//!     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
//!      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
//!     date(2010, 1, 1),
//! );
//! assert!(report.is_valid());
//! assert_eq!(report.document_number(), Some("L898902C3"));
//! assert_eq!(report.birth_date, Some(date(1974, 8, 12)));
//! ```

mod charset;
mod cli;
mod compose;
mod correct;
mod countries;
pub mod dates;
mod json;
mod layout;
mod normalize;
mod parse;
mod report;

#[cfg(test)]
mod proptests;

pub use charset::{FILLER, check_digit};
pub use cli::{EXIT_INVALID, EXIT_UNREADABLE, EXIT_VALID, run_cli, split_blocks};
pub use compose::{ComposeError, compose};
pub use countries::{CodeKind, Country, countries, country, country_name, is_known_code};
pub use json::JSON_KEYS;
pub use layout::{CharClass, Format, Mrz, Position, char_classes};
pub use parse::{ParseOptions, parse, parse_mrz, parse_with};
pub use report::{
    Change, CheckDigit, Checks, Field, Issue, IssueCode, MrzFields, Proposal, Report, Sex,
};

/// Nanoseconds this thread has spent on a CPU (Linux, from
/// `/proc/thread-self/schedstat`), for benchmarks on shared machines where
/// wall time mostly measures other load; `None` elsewhere.
#[doc(hidden)]
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Entry point of the fuzz target in `fuzz/`: parses arbitrary bytes and
/// returns a description of the first broken invariant. Unit tests call it
/// too, so the target's logic is exercised without cargo-fuzz.
#[doc(hidden)]
pub fn fuzz_entry(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let reference = jiff::civil::Date::new(2026, 11, 25).map_err(|e| e.to_string())?;
    let report = parse(&text, reference);

    if report.is_valid() != report.errors.is_empty() {
        return Err("valid disagrees with errors".into());
    }
    if report.is_valid() && !report.checks.all_ok() {
        return Err("valid report with a failing check".into());
    }
    let json = report.to_json();
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut expected = JSON_KEYS.to_vec();
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    if sorted != expected {
        return Err(format!("JSON keys {keys:?}"));
    }
    for p in &report.corrections {
        let again = parse_with(
            &p.mrz,
            &ParseOptions {
                reference_date: reference,
                propose_corrections: false,
            },
        );
        if !again.is_valid() {
            return Err(format!("proposal {:?} does not parse valid", p.mrz));
        }
        if p.changes.is_empty() {
            return Err("proposal without changes".into());
        }
    }
    if let Some(fields) = report.fields().filter(|_| report.is_valid()) {
        // A valid zone's fields compose back into a zone with the same fields,
        // unless they are outside what compose accepts (e.g. no name at all).
        if let Ok(mrz) = compose(&fields) {
            let again = parse_mrz(&mrz, &ParseOptions::new(reference));
            if again.fields().as_ref() != Some(&fields) {
                return Err(format!("compose round trip changed {fields:?}"));
            }
        }
    }
    Ok(())
}
