//! Field extraction and checking of a normalised zone.

use std::ops::Range;

use jiff::civil::Date;

use crate::charset::{FILLER, check_digit_of, is_mrz_char};
use crate::countries::is_known_code;
use crate::dates;
use crate::layout::{Format, Layout, Mrz, Position};
use crate::normalize::{NormaliseError, normalise};
use crate::report::{CheckDigit, Checks, DOC_NUMBER_MAX, Field, Issue, IssueCode, Report, Sex};

/// How to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Date against which centuries are inferred and expiry is judged.
    pub reference_date: Date,
    /// Search for corrections when a zone is invalid (on by default).
    pub propose_corrections: bool,
}

impl ParseOptions {
    pub fn new(reference_date: Date) -> ParseOptions {
        ParseOptions {
            reference_date,
            propose_corrections: true,
        }
    }
}

/// Parses and checks one zone found in `input`, proposing corrections when
/// it is invalid. Never panics; text that holds no zone gives a report with
/// a `shape` error.
pub fn parse(input: &str, reference_date: Date) -> Report {
    parse_with(input, &ParseOptions::new(reference_date))
}

/// [`parse`] with options.
pub fn parse_with(input: &str, options: &ParseOptions) -> Report {
    let normalised = match normalise(input) {
        Ok(n) => n,
        Err(e) => {
            let mut report = Report::empty();
            let message = match e {
                NormaliseError::Empty => "no text to read".to_owned(),
                NormaliseError::Shape(lengths) => format!(
                    "no machine-readable zone found: expected 2 lines of 44 (TD3, MRV-A), \
                     2 of 36 (TD2, MRV-B) or 3 of 30 (TD1) characters, found lines of {lengths:?}"
                ),
            };
            report.errors.push(Issue {
                code: IssueCode::Shape,
                field: None,
                position: None,
                message,
            });
            return report;
        }
    };
    let mut report = parse_mrz(&normalised.mrz, options);
    if normalised.ignored_lines > 0 {
        report.warnings.push(Issue {
            code: IssueCode::IgnoredText,
            field: None,
            position: None,
            message: format!(
                "{} line(s) of text around the zone were ignored",
                normalised.ignored_lines
            ),
        });
    }
    report
}

/// Parses an already normalised zone (for example one built by [`crate::compose`]).
pub fn parse_mrz(mrz: &Mrz, options: &ParseOptions) -> Report {
    let mut report = analyse(mrz, options.reference_date);
    if !report.is_valid() && options.propose_corrections {
        let search = crate::correct::propose(mrz, options.reference_date);
        report.corrections = search.proposals;
        if search.limited {
            report.warnings.push(Issue {
                code: IssueCode::CorrectionSearchLimited,
                field: None,
                position: None,
                message: "the correction search reached its limit; other corrections may exist"
                    .to_owned(),
            });
        }
    }
    report
}

/// Which characters a position accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Letters and filler: codes and names.
    Alpha,
    /// Letters, digits and filler: numbers and optional data.
    Alnum,
    /// Digits only: check digits.
    Digit,
    /// Digit or filler: TD3 personal-number check, TD1/TD2 long-number marker.
    DigitOrFiller,
    /// Digit or filler, the filler meaning an unknown part of a date.
    Date,
    /// `F`, `M`, `X` or `<`.
    Sex,
}

impl Class {
    pub(crate) fn accepts(self, b: u8) -> bool {
        match self {
            Class::Alpha => b.is_ascii_uppercase() || b == FILLER,
            Class::Alnum => is_mrz_char(b),
            Class::Digit => b.is_ascii_digit(),
            Class::DigitOrFiller | Class::Date => b.is_ascii_digit() || b == FILLER,
            Class::Sex => matches!(b, b'F' | b'M' | b'X' | FILLER),
        }
    }

    /// Whether every byte is accepted; a tight loop for the clean-zone path.
    fn accepts_all(self, bytes: &[u8]) -> bool {
        match self {
            Class::Alpha => bytes.iter().all(|&b| b.is_ascii_uppercase() || b == FILLER),
            Class::Alnum => bytes.iter().all(|&b| is_mrz_char(b)),
            Class::Digit => bytes.iter().all(u8::is_ascii_digit),
            Class::DigitOrFiller | Class::Date => {
                bytes.iter().all(|&b| b.is_ascii_digit() || b == FILLER)
            }
            Class::Sex => bytes.iter().all(|&b| self.accepts(b)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Class::Alpha => "letters and <",
            Class::Alnum => "letters, digits and <",
            Class::Digit => "a digit",
            Class::DigitOrFiller => "a digit or <",
            Class::Date => "digits, or < for an unknown part",
            Class::Sex => "F, M, X or <",
        }
    }
}

/// A TD1/TD2 document number over nine characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LongNumber {
    No,
    Yes {
        /// The rest of the number, in the optional field.
        remainder: Range<usize>,
        /// Check digit of the whole number.
        check: usize,
    },
    /// The marker is there but the optional field holds no continuation.
    Broken,
}

pub(crate) fn long_number(layout: &Layout, bytes: &[u8]) -> LongNumber {
    if !layout.long_numbers || bytes.get(layout.doc_check) != Some(&FILLER) {
        return LongNumber::No;
    }
    let opt = &layout.optional;
    let field = bytes.get(opt.clone()).unwrap_or(&[]);
    let k = field
        .iter()
        .position(|&b| b == FILLER)
        .unwrap_or(field.len());
    if k < 2 {
        return LongNumber::Broken;
    }
    LongNumber::Yes {
        remainder: opt.start..opt.start + k - 1,
        check: opt.start + k - 1,
    }
}

/// A run of positions belonging to one field, with what it accepts.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub range: Range<usize>,
    pub field: Field,
    pub class: Class,
}

pub(crate) const SPAN_COUNT: usize = 17;

/// Every position of the zone in exactly one span (absent parts are empty).
pub(crate) fn spans(layout: &Layout, long: &LongNumber) -> [Span; SPAN_COUNT] {
    let one = |i: usize| i..i + 1;
    let span = |range: Range<usize>, field: Field, class: Class| Span {
        range,
        field,
        class,
    };
    let opt = layout.optional.clone();
    let (remainder, long_check, rest) = match long {
        LongNumber::Yes { remainder, check } => {
            (remainder.clone(), one(*check), check + 1..opt.end)
        }
        _ => (0..0, 0..0, opt),
    };
    [
        span(layout.doc_code.clone(), Field::DocumentCode, Class::Alpha),
        span(
            layout.issuing_state.clone(),
            Field::IssuingState,
            Class::Alpha,
        ),
        span(layout.name.clone(), Field::Name, Class::Alpha),
        span(
            layout.doc_number.clone(),
            Field::DocumentNumber,
            Class::Alnum,
        ),
        span(
            one(layout.doc_check),
            Field::DocumentNumber,
            if layout.long_numbers {
                Class::DigitOrFiller
            } else {
                Class::Digit
            },
        ),
        span(layout.nationality.clone(), Field::Nationality, Class::Alpha),
        span(layout.birth.clone(), Field::BirthDate, Class::Date),
        span(one(layout.birth_check), Field::BirthDate, Class::Digit),
        span(one(layout.sex), Field::Sex, Class::Sex),
        span(layout.expiry.clone(), Field::ExpiryDate, Class::Date),
        span(one(layout.expiry_check), Field::ExpiryDate, Class::Digit),
        span(remainder, Field::DocumentNumber, Class::Alnum),
        span(long_check, Field::DocumentNumber, Class::Digit),
        span(rest, Field::OptionalData, Class::Alnum),
        span(
            layout.optional_check.map_or(0..0, one),
            Field::OptionalData,
            Class::DigitOrFiller,
        ),
        span(
            layout.optional2.clone().unwrap_or(0..0),
            Field::OptionalData,
            Class::Alnum,
        ),
        span(
            layout.composite.as_ref().map_or(0..0, |c| one(c.check)),
            Field::Composite,
            Class::Digit,
        ),
    ]
}

fn check_at(format: Format, bytes: &[u8], expected: Option<u8>, at: usize) -> CheckDigit {
    let found = bytes.get(at).copied().unwrap_or(b'?');
    CheckDigit {
        expected,
        found: char::from(found),
        ok: expected.is_some_and(|e| found == b'0' + e),
        position: Position::of(format, at),
    }
}

fn range_bytes(bytes: &[u8], r: Range<usize>) -> &[u8] {
    bytes.get(r).unwrap_or(&[])
}

/// Every check digit of the zone. Shared by the parser and the correction search.
pub(crate) fn compute_checks(layout: &Layout, bytes: &[u8], long: &LongNumber) -> Checks {
    let f = layout.format;
    let field_check = |r: &Range<usize>, at: usize| {
        check_at(
            f,
            bytes,
            check_digit_of(range_bytes(bytes, r.clone()).iter().copied()),
            at,
        )
    };
    let document_number = match long {
        LongNumber::No => field_check(&layout.doc_number, layout.doc_check),
        LongNumber::Yes { remainder, check } => {
            let whole = range_bytes(bytes, layout.doc_number.clone())
                .iter()
                .chain(range_bytes(bytes, remainder.clone()))
                .copied();
            check_at(f, bytes, check_digit_of(whole), *check)
        }
        LongNumber::Broken => {
            let mut c = field_check(&layout.doc_number, layout.doc_check);
            c.ok = false;
            c
        }
    };
    let optional_data = layout.optional_check.map(|at| {
        let field = range_bytes(bytes, layout.optional.clone());
        let mut c = field_check(&layout.optional, at);
        // An unused personal number may carry `<` or `0` as its check digit.
        if field.iter().all(|&b| b == FILLER) && matches!(c.found, '<' | '0') {
            c.ok = true;
        }
        c
    });
    let composite = layout.composite.as_ref().map(|comp| {
        let all = comp
            .ranges
            .iter()
            .flat_map(|r| range_bytes(bytes, r.clone()).iter().copied());
        check_at(f, bytes, check_digit_of(all), comp.check)
    });
    Checks {
        document_number: Some(document_number),
        birth_date: Some(field_check(&layout.birth, layout.birth_check)),
        expiry_date: Some(field_check(&layout.expiry, layout.expiry_check)),
        optional_data,
        composite,
    }
}

fn issue(code: IssueCode, field: Field, position: Option<Position>, message: String) -> Issue {
    Issue {
        code,
        field: Some(field),
        position,
        message,
    }
}

/// Reads a date field; `Err` holds an error message, `Ok(None)` a date
/// written with fillers because it is unknown.
pub(crate) fn read_date(
    field: &[u8],
    infer: fn(u8, u8, u8, Date) -> Option<Date>,
    reference: Date,
) -> Result<Option<Date>, String> {
    if let Some((yy, mm, dd)) = dates::digits(field) {
        infer(yy, mm, dd, reference)
            .map(Some)
            .ok_or_else(|| format!("{} is not a calendar date", String::from_utf8_lossy(field)))
    } else if dates::is_partly_unknown(field) {
        Ok(None)
    } else {
        Err(format!(
            "{} has fillers where only YY<<<<, YYMM<< or <<<<<< are allowed",
            String::from_utf8_lossy(field)
        ))
    }
}

/// Checks a normalised zone without searching for corrections.
pub(crate) fn analyse(mrz: &Mrz, reference: Date) -> Report {
    let format = mrz.format();
    let layout = format.layout();
    let bytes = mrz.as_bytes();
    let pos = |i: usize| Some(Position::of(format, i));
    let mut report = Report::empty();
    report.mrz = Some(*mrz);

    let long = long_number(layout, bytes);
    let spans = spans(layout, &long);

    // Characters each field does not allow. `bad` marks the fields that had any.
    let mut bad = [false; SPAN_COUNT];
    for (k, span) in spans.iter().enumerate() {
        let field = range_bytes(bytes, span.range.clone());
        if span.class.accepts_all(field) {
            continue;
        }
        bad[k] = true;
        for (i, &b) in field.iter().enumerate() {
            if !span.class.accepts(b) {
                let at = span.range.start + i;
                report.errors.push(issue(
                    IssueCode::InvalidCharacter,
                    span.field,
                    pos(at),
                    format!(
                        "'{}' at {} is not allowed in the {} ({})",
                        char::from(b),
                        Position::of(format, at),
                        span.field.label(),
                        span.class.describe()
                    ),
                ));
            }
        }
    }
    let field_bad = |field: Field| spans.iter().zip(bad).any(|(s, b)| b && s.field == field);

    // Document code.
    let code = range_bytes(bytes, layout.doc_code.clone());
    match code.first() {
        Some(&FILLER) => report.errors.push(issue(
            IssueCode::DocumentCode,
            Field::DocumentCode,
            pos(layout.doc_code.start),
            "the document code must start with a letter".to_owned(),
        )),
        Some(&first) if first.is_ascii_uppercase() => {
            let usual = match format {
                Format::Td3 => first == b'P',
                Format::MrvA | Format::MrvB => first == b'V',
                Format::Td1 | Format::Td2 => matches!(first, b'I' | b'A' | b'C'),
            };
            if !usual {
                report.warnings.push(issue(
                    IssueCode::UnusualDocumentCode,
                    Field::DocumentCode,
                    pos(layout.doc_code.start),
                    format!(
                        "document code '{}' is unusual for {format}",
                        String::from_utf8_lossy(code).trim_end_matches('<')
                    ),
                ));
            }
        }
        _ => {}
    }

    // Country codes.
    for (field, range) in [
        (Field::IssuingState, &layout.issuing_state),
        (Field::Nationality, &layout.nationality),
    ] {
        if field_bad(field) {
            continue;
        }
        let code = mrz.slice(range.clone());
        if !is_known_code(code) {
            report.warnings.push(issue(
                IssueCode::UnknownCountryCode,
                field,
                pos(range.start),
                format!(
                    "{} '{code}' is not an ISO 3166-1 or ICAO Doc 9303 code",
                    field.label()
                ),
            ));
        }
    }

    // Document number, joined with its continuation when long.
    let mut len = 0;
    let doc = range_bytes(bytes, layout.doc_number.clone());
    let rest = match &long {
        LongNumber::Yes { remainder, check } => {
            report.optional_start = u8::try_from(check + 2 - layout.optional.start).unwrap_or(0);
            range_bytes(bytes, remainder.clone())
        }
        _ => &[],
    };
    for (slot, &b) in report.doc_number.iter_mut().zip(doc.iter().chain(rest)) {
        *slot = b;
        len += 1;
    }
    report.doc_number_len = u8::try_from(len.min(DOC_NUMBER_MAX)).unwrap_or(0);
    if long == LongNumber::Broken {
        report.errors.push(issue(
            IssueCode::LongDocumentNumber,
            Field::DocumentNumber,
            pos(layout.doc_check),
            "the check digit position holds '<', which marks a document number over nine \
             characters, but the optional data does not continue it"
                .to_owned(),
        ));
    }

    // Check digits.
    report.checks = compute_checks(layout, bytes, &long);
    for (field, check) in [
        (Field::DocumentNumber, report.checks.document_number),
        (Field::BirthDate, report.checks.birth_date),
        (Field::ExpiryDate, report.checks.expiry_date),
        (Field::OptionalData, report.checks.optional_data),
        (Field::Composite, report.checks.composite),
    ] {
        let Some(c) = check else { continue };
        if c.ok || long == LongNumber::Broken && field == Field::DocumentNumber {
            continue;
        }
        // A foreign character was already reported; a mismatch would only repeat it.
        let Some(expected) = c.expected else { continue };
        if !(c.found.is_ascii_digit() || c.found == '<') {
            continue;
        }
        report.errors.push(issue(
            IssueCode::CheckDigit,
            field,
            Some(c.position),
            format!(
                "{} check digit at {} is '{}' but the characters it covers give {expected}",
                field.label(),
                c.position,
                c.found
            ),
        ));
    }

    // Dates.
    for (field, range, infer) in [
        (
            Field::BirthDate,
            &layout.birth,
            dates::birth_date as fn(u8, u8, u8, Date) -> Option<Date>,
        ),
        (Field::ExpiryDate, &layout.expiry, dates::expiry_date),
    ] {
        if field_bad(field) {
            continue;
        }
        let value = match read_date(range_bytes(bytes, range.clone()), infer, reference) {
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                report.warnings.push(issue(
                    IssueCode::DateUnknown,
                    field,
                    pos(range.start),
                    format!("the {} is written as (partly) unknown", field.label()),
                ));
                None
            }
            Err(message) => {
                report.errors.push(issue(
                    IssueCode::InvalidDate,
                    field,
                    pos(range.start),
                    format!("{}: {message}", field.label()),
                ));
                None
            }
        };
        match field {
            Field::BirthDate => report.birth_date = value,
            _ => report.expiry_date = value,
        }
    }

    report.sex = match mrz.byte(layout.sex) {
        b'F' => Some(Sex::Female),
        b'M' => Some(Sex::Male),
        b'X' | FILLER => Some(Sex::Unspecified),
        _ => None,
    };

    // Warnings that do not make the zone invalid.
    if let Some(expiry) = report.expiry_date {
        if expiry < reference {
            report.warnings.push(issue(
                IssueCode::Expired,
                Field::ExpiryDate,
                pos(layout.expiry.start),
                format!("the document expired on {expiry}, before {reference}"),
            ));
        }
        if report.birth_date.is_some_and(|birth| expiry < birth) {
            report.warnings.push(issue(
                IssueCode::ExpiryBeforeBirth,
                Field::ExpiryDate,
                pos(layout.expiry.start),
                "the expiry date lies before the birth date".to_owned(),
            ));
        }
    }
    if mrz.byte(layout.name.end - 1) != FILLER && !field_bad(Field::Name) {
        report.warnings.push(issue(
            IssueCode::NameTruncated,
            Field::Name,
            pos(layout.name.end - 1),
            "the name fills its whole field and may have been truncated".to_owned(),
        ));
    }
    report
}
