//! Property tests: compose/parse round trips, single-character damage,
//! correction recovery and robustness on arbitrary text.

use jiff::civil::{Date, date};
use proptest::prelude::*;

use crate::charset::{char_value, digit_for_letter, letters_for_digit};
use crate::parse::{Class, LongNumber, long_number, spans};
use crate::report::Field;
use crate::{
    Format, MrzFields, ParseOptions, Sex, compose, countries, fuzz_entry, parse, parse_with,
};

const REFERENCE: Date = date(2026, 11, 25);

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![
        Just(Format::Td1),
        Just(Format::Td2),
        Just(Format::Td3),
        Just(Format::MrvA),
        Just(Format::MrvB),
    ]
}

fn code() -> impl Strategy<Value = String> {
    let codes: Vec<String> = countries().map(|c| c.code.to_owned()).collect();
    proptest::sample::select(codes)
}

fn words(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec("[A-Z]{1,6}", 0..=max_words).prop_map(|w| w.join(" "))
}

fn birth() -> impl Strategy<Value = Date> {
    // Up to about 98 years before the reference date.
    (0i64..36_000).prop_map(|days| {
        REFERENCE
            .checked_sub(jiff::Span::new().days(days))
            .unwrap_or(REFERENCE)
    })
}

fn expiry() -> impl Strategy<Value = Date> {
    (1947i16..=2046, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Female), Just(Sex::Male), Just(Sex::Unspecified)]
}

/// Room for optional data once a document number of `len` is written.
fn optional_room(format: Format, len: usize) -> usize {
    let layout = format.layout();
    let room = layout.optional.len();
    if len <= 9 {
        room
    } else {
        // Remainder, its check digit and a separating filler.
        room.saturating_sub(len - 9 + 2)
    }
}

fn fields() -> impl Strategy<Value = MrzFields> {
    format()
        .prop_flat_map(|format| {
            let max_number = match format {
                Format::Td1 => 23,
                Format::Td2 => 15,
                _ => 9,
            };
            let first = match format {
                Format::Td3 => "P",
                Format::MrvA | Format::MrvB => "V",
                Format::Td1 | Format::Td2 => "[ACI]",
            };
            (
                Just(format),
                re(&format!("{first}[A-Z]?")),
                re(&format!("[A-Z0-9]{{1,{max_number}}}")),
            )
        })
        .prop_flat_map(|(format, document_code, document_number)| {
            let room = optional_room(format, document_number.len());
            let two = if format == Format::Td1 { 11 } else { 0 };
            (
                Just(format),
                Just(document_code),
                Just(document_number),
                re(&format!("[A-Z0-9]{{0,{room}}}")),
                re(&format!("[A-Z0-9]{{0,{two}}}")),
            )
        })
        .prop_flat_map(|(format, document_code, document_number, opt1, opt2)| {
            (
                Just((format, document_code, document_number, opt1, opt2)),
                code(),
                code(),
                "[A-Z]{1,6}( [A-Z]{1,6})?",
                words(2),
                birth(),
                sex(),
                expiry(),
            )
        })
        .prop_map(
            |(
                (format, document_code, document_number, optional_data, optional_data_2),
                issuing_state,
                nationality,
                primary,
                secondary,
                birth_date,
                sex,
                expiry_date,
            )| {
                MrzFields {
                    format,
                    document_code,
                    issuing_state,
                    primary_identifier: primary,
                    secondary_identifiers: secondary,
                    document_number,
                    nationality,
                    birth_date,
                    sex,
                    expiry_date,
                    optional_data,
                    optional_data_2,
                }
            },
        )
}

fn re(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

/// Class of every position, and whether a check digit covers it.
fn classes(mrz: &crate::Mrz) -> Vec<(Class, Field, bool)> {
    let format = mrz.format();
    let layout = format.layout();
    let long = long_number(layout, mrz.as_bytes());
    let mut out = vec![(Class::Alnum, Field::Name, false); format.total_len()];
    for span in spans(layout, &long).iter() {
        for i in span.range.clone() {
            let covered = match span.field {
                Field::DocumentNumber | Field::BirthDate | Field::ExpiryDate | Field::Composite => {
                    true
                }
                Field::OptionalData => {
                    layout.composite.is_some() || layout.optional_check.is_some()
                }
                _ => false,
            };
            out[i] = (span.class, span.field, covered);
        }
    }
    // The long-number marker decides how the optional field is read.
    if long != LongNumber::No {
        out[layout.doc_check].2 = true;
    }
    out
}

fn no_corrections() -> ParseOptions {
    ParseOptions {
        reference_date: REFERENCE,
        propose_corrections: false,
    }
}

proptest! {
    // 256 cases by default; PROPTEST_CASES raises it for longer runs.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn compose_then_parse_gives_the_same_fields(f in fields()) {
        let mrz = compose(&f).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let report = parse(&mrz.to_string(), REFERENCE);
        prop_assert!(report.is_valid(), "{:?}\n{}", report.errors, mrz);
        prop_assert_eq!(report.fields(), Some(f));
    }

    #[test]
    fn any_single_change_is_caught_or_invisible_to_the_check_digits(
        f in fields(),
        at in any::<proptest::sample::Index>(),
        to in proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<".to_vec()),
    ) {
        let mrz = compose(&f).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = mrz.to_string();
        let classes = classes(&mrz);
        let i = at.index(classes.len());
        let from = mrz.as_bytes()[i];
        prop_assume!(from != to);
        let mut bytes = mrz.as_bytes().to_vec();
        bytes[i] = to;
        let damaged = crate::Mrz::from_concatenated(mrz.format(), &bytes)
            .map(|m| m.to_string())
            .unwrap_or_default();
        let report = parse(&damaged, REFERENCE);
        let (_, _, covered) = classes[i];
        let blind = char_value(from).zip(char_value(to)).is_some_and(|(a, b)| a.abs_diff(b) % 10 == 0);
        if covered && !blind {
            prop_assert!(!report.is_valid(), "change at {} from {} to {} unnoticed in\n{}", i, from as char, to as char, text);
        }
        for p in &report.corrections {
            prop_assert!(parse_with(&p.mrz, &no_corrections()).is_valid());
        }
    }

    #[test]
    fn confusions_are_found_by_the_corrections(
        f in fields(),
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..=2),
    ) {
        let mrz = compose(&f).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let original = mrz.to_string();
        let classes = classes(&mrz);
        let mut bytes = mrz.as_bytes().to_vec();
        // Positions whose character has a look-alike that the search will try.
        let confusable: Vec<(usize, u8)> = (0..bytes.len())
            .filter_map(|i| {
                let (class, field, covered) = classes[i];
                let b = bytes[i];
                let to = match class {
                    Class::Digit | Class::DigitOrFiller | Class::Date if b.is_ascii_digit() => {
                        letters_for_digit(b).first().copied()
                    }
                    // Only the likeliest letter is restored in names.
                    Class::Alpha if field != Field::DocumentCode => digit_for_letter(b)
                        .filter(|&d| letters_for_digit(d).first() == Some(&b)),
                    Class::Alnum if covered => digit_for_letter(b).or_else(|| letters_for_digit(b).first().copied()),
                    _ => None,
                };
                to.map(|t| (i, t))
            })
            .collect();
        prop_assume!(!confusable.is_empty());
        let mut changed = Vec::new();
        for pick in &picks {
            let (i, to) = confusable[pick.index(confusable.len())];
            if !changed.contains(&i) {
                bytes[i] = to;
                changed.push(i);
            }
        }
        let damaged = crate::Mrz::from_concatenated(mrz.format(), &bytes)
            .map(|m| m.to_string())
            .unwrap_or_default();
        let report = parse(&damaged, REFERENCE);
        // Swaps whose values differ by a multiple of 10 (G/6, L/1, A/0 …) are
        // invisible to every check digit; the proposal keeps them as read.
        let blind = |i: usize| {
            char_value(mrz.as_bytes()[i])
                .zip(char_value(bytes[i]))
                .is_some_and(|(x, y)| x.abs_diff(y) % 10 == 0)
                && classes[i].0 == Class::Alnum
        };
        let mut expected = mrz.as_bytes().to_vec();
        for &i in &changed {
            if blind(i) {
                expected[i] = bytes[i];
            }
        }
        let expected = crate::Mrz::from_concatenated(mrz.format(), &expected)
            .map(|m| m.to_string())
            .unwrap_or_default();
        if report.is_valid() {
            // Two errors can cancel out in a 7-3-1 sum; one visible error cannot.
            let visible = changed.iter().filter(|&&i| !blind(i)).count();
            prop_assert!(visible != 1, "{} passed as valid", damaged);
        } else {
            // Proposals are the fewest-change repairs. With two confusions a
            // coincidental one-change repair can win, or equally short repairs
            // can fill the list; a single confusion must always be found.
            let visible = changed.iter().filter(|&&i| !blind(i)).count();
            let simpler = !report.corrections.is_empty()
                && report.corrections.iter().all(|p| p.changes.len() < visible);
            let full = visible > 1 && report.corrections.len() == crate::correct::MAX_PROPOSALS;
            prop_assert!(
                simpler || full || report.corrections.iter().any(|p| p.mrz == expected),
                "{} not proposed for\n{}\nproposals: {:?}\nerrors: {:?}",
                expected, damaged, report.corrections, report.errors
            );
        }
        let _ = original;
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        prop_assert_eq!(fuzz_entry(s.as_bytes()), Ok(()));
    }

    #[test]
    fn parse_never_panics_on_zone_like_text(
        s in proptest::collection::vec(
            proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<\n ".to_vec()), 60..100),
    ) {
        prop_assert_eq!(fuzz_entry(&s), Ok(()));
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(s in proptest::collection::vec(any::<u8>(), 0..300)) {
        prop_assert_eq!(fuzz_entry(&s), Ok(()));
    }

    #[test]
    fn damaged_valid_zones_keep_invariants(f in fields(), noise in proptest::collection::vec((any::<proptest::sample::Index>(), any::<char>()), 0..6)) {
        let mrz = compose(&f).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut chars: Vec<char> = mrz.to_string().chars().collect();
        for (at, c) in noise {
            let i = at.index(chars.len());
            chars[i] = c;
        }
        let s: String = chars.into_iter().collect();
        prop_assert_eq!(fuzz_entry(s.as_bytes()), Ok(()));
    }
}

#[test]
fn fuzz_entry_accepts_the_specimens_and_junk() {
    for input in [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
        "",
        "\u{0}\u{ffff}«««",
        "I<UTOD23145890<<<<<<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
    ] {
        assert_eq!(fuzz_entry(input.as_bytes()), Ok(()), "{input}");
    }
    assert_eq!(fuzz_entry(&[0xff, 0xfe, 0x00]), Ok(()));
}

#[test]
fn broken_long_number_is_an_error() {
    let r = parse(
        "I<UTOD23145890<<<<<<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
        REFERENCE,
    );
    assert!(
        r.errors
            .iter()
            .any(|e| e.code == crate::IssueCode::LongDocumentNumber)
    );
}
