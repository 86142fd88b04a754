//! What a parse returns.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::layout::{Format, Mrz, Position};

/// Sex as printed in the zone. `<` and `X` both mean unspecified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "X")]
    Unspecified,
}

impl Sex {
    /// `F`, `M` or `X`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unspecified => "X",
        }
    }
}

/// The fields of a zone, named as the rest of Moei names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    DocumentCode,
    IssuingState,
    Name,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    OptionalData,
    Composite,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::DocumentCode => "document_code",
            Field::IssuingState => "issuing_state",
            Field::Name => "name",
            Field::DocumentNumber => "document_number",
            Field::Nationality => "nationality",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry_date",
            Field::OptionalData => "optional_data",
            Field::Composite => "composite",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Field::DocumentCode => "document code",
            Field::IssuingState => "issuing state",
            Field::Name => "name",
            Field::DocumentNumber => "document number",
            Field::Nationality => "nationality",
            Field::BirthDate => "birth date",
            Field::Sex => "sex",
            Field::ExpiryDate => "expiry date",
            Field::OptionalData => "optional data",
            Field::Composite => "composite",
        }
    }
}

/// One check digit: what the covered characters give, what the zone holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckDigit {
    /// Computed digit; `None` when the covered text holds foreign characters.
    pub expected: Option<u8>,
    /// The character in the check position.
    pub found: char,
    pub ok: bool,
    /// Where the check digit sits.
    pub position: Position,
}

/// The check digits of a zone; `None` where the format has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Checks {
    pub document_number: Option<CheckDigit>,
    pub birth_date: Option<CheckDigit>,
    pub expiry_date: Option<CheckDigit>,
    /// TD3 only: the personal number's check digit.
    pub optional_data: Option<CheckDigit>,
    pub composite: Option<CheckDigit>,
}

impl Checks {
    pub fn all_ok(&self) -> bool {
        [
            self.document_number,
            self.birth_date,
            self.expiry_date,
            self.optional_data,
            self.composite,
        ]
        .iter()
        .flatten()
        .all(|c| c.ok)
    }
}

/// Machine-readable kind of an error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    // Errors.
    /// No zone of 2×44, 2×36 or 3×30 characters was found.
    Shape,
    /// A character that the field does not allow.
    InvalidCharacter,
    /// A check digit does not match.
    CheckDigit,
    /// A date that is not on the calendar, or fillers in the wrong places.
    InvalidDate,
    /// The document code does not start with a letter.
    DocumentCode,
    /// TD1/TD2 marks a long document number but the continuation is missing.
    LongDocumentNumber,
    // Warnings.
    /// The document expired before the reference date.
    Expired,
    /// Issuing state or nationality is not in the code table.
    UnknownCountryCode,
    /// The name fills its field, so it may have been cut.
    NameTruncated,
    /// Date written with fillers because it is (partly) unknown.
    DateUnknown,
    /// A document code that the format does not normally carry.
    UnusualDocumentCode,
    /// Lines around the zone that were not part of it.
    IgnoredText,
    /// Expiry before birth.
    ExpiryBeforeBirth,
    /// The correction search stopped at its limit; more proposals may exist.
    CorrectionSearchLimited,
}

impl IssueCode {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Shape => "shape",
            IssueCode::InvalidCharacter => "invalid_character",
            IssueCode::CheckDigit => "check_digit",
            IssueCode::InvalidDate => "invalid_date",
            IssueCode::DocumentCode => "document_code",
            IssueCode::LongDocumentNumber => "long_document_number",
            IssueCode::Expired => "expired",
            IssueCode::UnknownCountryCode => "unknown_country_code",
            IssueCode::NameTruncated => "name_truncated",
            IssueCode::DateUnknown => "date_unknown",
            IssueCode::UnusualDocumentCode => "unusual_document_code",
            IssueCode::IgnoredText => "ignored_text",
            IssueCode::ExpiryBeforeBirth => "expiry_before_birth",
            IssueCode::CorrectionSearchLimited => "correction_search_limited",
        }
    }
}

/// An error or a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub code: IssueCode,
    pub field: Option<Field>,
    pub position: Option<Position>,
    pub message: String,
}

/// One changed character of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change {
    pub position: Position,
    pub from: char,
    pub to: char,
}

/// A corrected zone in which every check passes. Never applied by the parser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub changes: Vec<Change>,
    /// The corrected zone, lines separated by `\n`.
    pub mrz: String,
}

/// The fields of a zone as plain values: what [`crate::compose`] takes and
/// [`Report::fields`] gives back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MrzFields {
    pub format: Format,
    /// One or two letters, e.g. `P`, `PM`, `I`, `ID`, `V`.
    pub document_code: String,
    pub issuing_state: String,
    /// Surname(s); words separated by single spaces.
    pub primary_identifier: String,
    /// Given names separated by single spaces.
    pub secondary_identifiers: String,
    /// Full number, letters and digits; over 9 characters only for TD1 and TD2.
    pub document_number: String,
    pub nationality: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub expiry_date: Date,
    /// TD3 personal number; TD1 line-1 optional data; otherwise the optional field.
    pub optional_data: String,
    /// TD1 line-2 optional data; empty for every other format.
    pub optional_data_2: String,
}

/// Bytes of a document number: nine in the field plus at most fourteen
/// continued in TD1's optional field.
pub(crate) const DOC_NUMBER_MAX: usize = 24;

/// The result of parsing one zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub(crate) mrz: Option<Mrz>,
    pub(crate) doc_number: [u8; DOC_NUMBER_MAX],
    pub(crate) doc_number_len: u8,
    /// Where the optional data starts once a long document number is skipped.
    pub(crate) optional_start: u8,
    pub birth_date: Option<Date>,
    pub expiry_date: Option<Date>,
    pub sex: Option<Sex>,
    pub checks: Checks,
    pub warnings: Vec<Issue>,
    pub errors: Vec<Issue>,
    pub corrections: Vec<Proposal>,
}

fn strip_fillers(s: &str) -> &str {
    s.trim_end_matches('<')
}

impl Report {
    pub(crate) fn empty() -> Report {
        Report {
            mrz: None,
            doc_number: [b'<'; DOC_NUMBER_MAX],
            doc_number_len: 0,
            optional_start: 0,
            birth_date: None,
            expiry_date: None,
            sex: None,
            checks: Checks::default(),
            warnings: Vec::new(),
            errors: Vec::new(),
            corrections: Vec::new(),
        }
    }

    /// Valid means no errors: every check digit passes and every field is
    /// well formed. Warnings (e.g. expired) do not make a zone invalid.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The normalised zone, if one of the right shape was found.
    pub fn mrz(&self) -> Option<&Mrz> {
        self.mrz.as_ref()
    }

    pub fn format(&self) -> Option<Format> {
        self.mrz.map(|m| m.format())
    }

    fn field(
        &self,
        pick: impl Fn(&crate::layout::Layout) -> std::ops::Range<usize>,
    ) -> Option<&str> {
        let mrz = self.mrz.as_ref()?;
        Some(mrz.slice(pick(mrz.format().layout())))
    }

    /// Document code without fillers (`P`, `PM`, `I`, …).
    pub fn document_code(&self) -> Option<&str> {
        self.field(|l| l.doc_code.clone()).map(strip_fillers)
    }

    /// Issuing state without trailing fillers (`UTO`, `D`).
    pub fn issuing_state(&self) -> Option<&str> {
        self.field(|l| l.issuing_state.clone()).map(strip_fillers)
    }

    pub fn nationality(&self) -> Option<&str> {
        self.field(|l| l.nationality.clone()).map(strip_fillers)
    }

    /// The raw name field, fillers included.
    pub fn name_field(&self) -> Option<&str> {
        self.field(|l| l.name.clone())
    }

    /// Surname(s), fillers inside turned into spaces.
    pub fn primary_identifier(&self) -> Option<String> {
        self.name_field().map(|n| split_name(n).0)
    }

    /// Given names.
    pub fn secondary_identifiers(&self) -> Option<Vec<String>> {
        self.name_field().map(|n| split_name(n).1)
    }

    /// The full document number (long numbers joined), trailing fillers stripped.
    pub fn document_number(&self) -> Option<&str> {
        self.mrz?;
        let bytes = self.doc_number.get(..usize::from(self.doc_number_len))?;
        std::str::from_utf8(bytes).ok().map(strip_fillers)
    }

    /// TD3 personal number, or the optional field after any long-number
    /// continuation; trailing fillers stripped.
    pub fn optional_data_1(&self) -> Option<&str> {
        let mrz = self.mrz.as_ref()?;
        let r = mrz.format().layout().optional.clone();
        let start = (r.start + usize::from(self.optional_start)).min(r.end);
        Some(strip_fillers(mrz.slice(start..r.end)))
    }

    /// TD1 line-2 optional data; `None` for other formats.
    pub fn optional_data_2(&self) -> Option<&str> {
        let mrz = self.mrz.as_ref()?;
        let r = mrz.format().layout().optional2.clone()?;
        Some(strip_fillers(mrz.slice(r)))
    }

    /// Optional data as one string: TD1's two parts joined by a space when
    /// the second is not empty.
    pub fn optional_data(&self) -> Option<String> {
        let one = self.optional_data_1()?;
        Some(match self.optional_data_2() {
            Some(two) if !two.is_empty() => format!("{one} {two}"),
            _ => one.to_owned(),
        })
    }

    /// All fields as plain values; `None` unless a zone was found and both
    /// dates and the sex could be read.
    pub fn fields(&self) -> Option<MrzFields> {
        let (primary, secondary) = split_name(self.name_field()?);
        Some(MrzFields {
            format: self.format()?,
            document_code: self.document_code()?.to_owned(),
            issuing_state: self.issuing_state()?.to_owned(),
            primary_identifier: primary,
            secondary_identifiers: secondary.join(" "),
            document_number: self.document_number()?.to_owned(),
            nationality: self.nationality()?.to_owned(),
            birth_date: self.birth_date?,
            sex: self.sex?,
            expiry_date: self.expiry_date?,
            optional_data: self.optional_data_1()?.to_owned(),
            optional_data_2: self.optional_data_2().unwrap_or("").to_owned(),
        })
    }
}

/// `ERIKSSON<<ANNA<MARIA<<<` → (`ERIKSSON`, [`ANNA`, `MARIA`]).
pub(crate) fn split_name(raw: &str) -> (String, Vec<String>) {
    let trimmed = raw.trim_end_matches('<');
    let (primary, rest) = match trimmed.find("<<") {
        Some(i) => (&trimmed[..i], &trimmed[i + 2..]),
        None => (trimmed, ""),
    };
    let primary = primary
        .split('<')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let secondary = rest
        .split('<')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    (primary, secondary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_primary_and_secondary() {
        assert_eq!(
            split_name("ERIKSSON<<ANNA<MARIA<<<<<"),
            ("ERIKSSON".into(), vec!["ANNA".into(), "MARIA".into()])
        );
        assert_eq!(
            split_name("DE<LA<CRUZ<<JUAN"),
            ("DE LA CRUZ".into(), vec!["JUAN".into()])
        );
        assert_eq!(split_name("AUNG<<<<<<"), ("AUNG".into(), vec![]));
        assert_eq!(split_name("<<<<"), (String::new(), vec![]));
        assert_eq!(
            split_name("<<MONONYM"),
            (String::new(), vec!["MONONYM".into()])
        );
    }
}
