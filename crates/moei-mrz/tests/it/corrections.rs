//! Valid zones with OCR-style confusions: the original must be proposed,
//! never applied.

use moei_mrz::parse;

use super::{REFERENCE, S1, S3, S6, X1};

/// Replaces the character at (line, column), both 1-based.
fn with(zone: &str, line: usize, column: usize, to: char) -> String {
    zone.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                l.chars()
                    .enumerate()
                    .map(|(j, c)| if j + 1 == column { to } else { c })
                    .collect()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<String>>()
        .join("\n")
}

fn proposes(damaged: &str, original: &str) {
    let r = parse(damaged, REFERENCE);
    assert!(!r.is_valid(), "{damaged} parsed valid");
    assert!(
        r.corrections.iter().any(|p| p.mrz == original),
        "{damaged}: proposals {:#?}",
        r.corrections
    );
    // Proposals are offered, not applied: the report still reads the damaged zone.
    assert_eq!(r.mrz().map(|m| m.to_string()).as_deref(), Some(damaged));
}

#[test]
fn letters_in_dates_and_check_digits() {
    // Birth date 950314 read as 95O314, the composite 4 read as A.
    proposes(&with(X1, 2, 16, 'O'), X1);
    proposes(&with(X1, 2, 44, 'A'), X1);
    // Expiry 300101 read as 3OO1O1: three forced changes at once.
    let d = with(&with(&with(X1, 2, 23, 'O'), 2, 24, 'O'), 2, 26, 'O');
    let r = parse(&d, REFERENCE);
    assert_eq!(r.corrections.len(), 1, "{:#?}", r.corrections);
    assert_eq!(r.corrections[0].mrz, X1);
    assert_eq!(r.corrections[0].changes.len(), 3);
    // S1: birth date 740812 with B for 8, its check digit 2 read as Z.
    proposes(&with(S1, 2, 17, 'B'), S1);
    proposes(&with(S1, 2, 20, 'Z'), S1);
    proposes(&with(S3, 2, 3, 'O'), S3);
}

#[test]
fn look_alikes_in_document_numbers() {
    // L898902C3: 0 read as O, 8 as B; the check digit fails, the swap is found.
    proposes(&with(S1, 2, 6, 'O'), S1);
    proposes(&with(S1, 2, 2, 'B'), S1);
    // MB1234567: the letter B read as 8.
    proposes(&with(X1, 2, 2, '8'), X1);
    // Long number continuation in TD2 (S6): remainder 734 read as 7A4.
    proposes(&with(S6, 2, 31, 'A'), S6);
    // Personal number ZE184226B with Z read as 2.
    proposes(&with(S1, 2, 29, '2'), S1);
}

#[test]
fn digits_in_names_and_codes() {
    // AUNG read as A2NG is not a look-alike; AUNG with its G read as 6 is.
    proposes(&with(X1, 1, 9, '6'), X1);
    proposes(&with(S1, 1, 5, '0'), S1);
    proposes(&with(S1, 1, 10, '5'), S1);
    proposes(&with(S1, 2, 13, '0'), S1);
}

#[test]
fn two_confusions_in_different_fields() {
    let d = with(&with(S1, 2, 6, 'O'), 2, 16, 'O');
    proposes(&d, S1);
}

#[test]
fn failures_without_look_alikes_get_no_proposal() {
    // A wrong digit that no confusion explains.
    let r = parse(&with(X1, 2, 17, '7'), REFERENCE);
    assert!(!r.is_valid());
    assert!(r.corrections.is_empty());
}

#[test]
fn hostile_input_stays_bounded() {
    // Every position a look-alike in the wrong class.
    let zone = format!("{}\n{}", "0".repeat(44), "O".repeat(44));
    let r = parse(&zone, REFERENCE);
    assert!(!r.is_valid());
    for p in &r.corrections {
        assert!(parse(&p.mrz, REFERENCE).is_valid());
    }
    let zone = format!(
        "{}\n{}",
        "P<UTO".to_owned() + &"8".repeat(39),
        "B".repeat(44)
    );
    let r = parse(&zone, REFERENCE);
    assert!(!r.is_valid());
    assert!(
        r.corrections
            .iter()
            .all(|p| parse(&p.mrz, REFERENCE).is_valid())
    );
}
