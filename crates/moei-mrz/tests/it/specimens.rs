//! The specimens of REFERENCE §2.3 with their expected values.

use jiff::civil::date;
use moei_mrz::{Format, IssueCode, Report, Sex, parse};

use super::{REFERENCE, S1, S3, S6, X1};

fn ok(report: &Report) {
    assert!(
        report.is_valid(),
        "errors: {:#?}\nzone: {:?}",
        report.errors,
        report.mrz()
    );
    assert!(report.corrections.is_empty());
}

fn check(
    report: &Report,
    pick: fn(&moei_mrz::Checks) -> Option<moei_mrz::CheckDigit>,
    digit: char,
) {
    let c = pick(&report.checks).expect("check present");
    assert_eq!(c.found, digit);
    assert_eq!(c.expected.map(|d| char::from(b'0' + d)), Some(digit));
    assert!(c.ok);
}

fn has_warning(report: &Report, code: IssueCode) -> bool {
    report.warnings.iter().any(|w| w.code == code)
}

#[test]
fn s1_td3_passport() {
    let r = parse(S1, REFERENCE);
    ok(&r);
    assert_eq!(r.format(), Some(Format::Td3));
    assert_eq!(r.document_code(), Some("P"));
    assert_eq!(r.issuing_state(), Some("UTO"));
    assert_eq!(r.primary_identifier().as_deref(), Some("ERIKSSON"));
    assert_eq!(
        r.secondary_identifiers(),
        Some(vec!["ANNA".into(), "MARIA".into()])
    );
    assert_eq!(r.document_number(), Some("L898902C3"));
    assert_eq!(r.nationality(), Some("UTO"));
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    assert_eq!(r.optional_data().as_deref(), Some("ZE184226B"));
    check(&r, |c| c.document_number, '6');
    check(&r, |c| c.birth_date, '2');
    check(&r, |c| c.expiry_date, '9');
    check(&r, |c| c.optional_data, '1');
    check(&r, |c| c.composite, '0');
    assert!(has_warning(&r, IssueCode::Expired));
    // Before expiry there is no warning.
    let early = parse(S1, date(2011, 1, 1));
    ok(&early);
    assert!(!has_warning(&early, IssueCode::Expired));
    assert!(!has_warning(&r, IssueCode::UnknownCountryCode));
    assert!(!has_warning(&r, IssueCode::NameTruncated));
}

#[test]
fn s2_older_td3_with_filler_in_number() {
    let r = parse(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
         L898902C<3UTO6908061F9406236ZE184226B<<<<<14",
        REFERENCE,
    );
    ok(&r);
    assert_eq!(r.document_number(), Some("L898902C"));
    assert_eq!(r.birth_date, Some(date(1969, 8, 6)));
    assert_eq!(r.expiry_date, Some(date(1994, 6, 23)));
    check(&r, |c| c.document_number, '3');
    check(&r, |c| c.birth_date, '1');
    check(&r, |c| c.expiry_date, '6');
    check(&r, |c| c.optional_data, '1');
    check(&r, |c| c.composite, '4');
}

#[test]
fn s3_td1_card() {
    let r = parse(S3, REFERENCE);
    ok(&r);
    assert_eq!(r.format(), Some(Format::Td1));
    assert_eq!(r.document_code(), Some("I"));
    assert_eq!(r.document_number(), Some("D23145890"));
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    assert_eq!(r.nationality(), Some("UTO"));
    assert_eq!(r.primary_identifier().as_deref(), Some("ERIKSSON"));
    assert_eq!(r.optional_data().as_deref(), Some(""));
    check(&r, |c| c.document_number, '7');
    check(&r, |c| c.birth_date, '2');
    check(&r, |c| c.expiry_date, '9');
    check(&r, |c| c.composite, '6');
    assert_eq!(r.checks.optional_data, None);
}

#[test]
fn s4_td1_long_document_number() {
    let r = parse(
        "I<UTOD23145890<7349<<<<<<<<<<<\n\
         3407127M9507122UTO<<<<<<<<<<<2\n\
         STEVENSON<<PETER<JOHN<<<<<<<<<",
        REFERENCE,
    );
    ok(&r);
    assert_eq!(r.document_number(), Some("D23145890734"));
    check(&r, |c| c.document_number, '9');
    let pos = r.checks.document_number.map(|c| c.position);
    assert_eq!(
        pos,
        Some(moei_mrz::Position {
            line: 1,
            column: 19
        })
    );
    assert_eq!(r.birth_date, Some(date(1934, 7, 12)));
    assert_eq!(r.sex, Some(Sex::Male));
    assert_eq!(r.expiry_date, Some(date(1995, 7, 12)));
    check(&r, |c| c.birth_date, '7');
    check(&r, |c| c.expiry_date, '2');
    check(&r, |c| c.composite, '2');
    assert_eq!(r.primary_identifier().as_deref(), Some("STEVENSON"));
    assert_eq!(
        r.secondary_identifiers(),
        Some(vec!["PETER".into(), "JOHN".into()])
    );
    assert_eq!(r.optional_data().as_deref(), Some(""));
}

#[test]
fn s5_td2() {
    let r = parse(
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
         D231458907UTO7408122F1204159<<<<<<<6",
        REFERENCE,
    );
    ok(&r);
    assert_eq!(r.format(), Some(Format::Td2));
    assert_eq!(r.document_number(), Some("D23145890"));
    check(&r, |c| c.document_number, '7');
    check(&r, |c| c.birth_date, '2');
    check(&r, |c| c.expiry_date, '9');
    check(&r, |c| c.composite, '6');
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
}

#[test]
fn s6_td2_long_document_number() {
    let r = parse(S6, REFERENCE);
    ok(&r);
    assert_eq!(r.document_number(), Some("D23145890734"));
    check(&r, |c| c.document_number, '9');
    check(&r, |c| c.birth_date, '7');
    check(&r, |c| c.expiry_date, '2');
    check(&r, |c| c.composite, '8');
    assert_eq!(r.birth_date, Some(date(1934, 7, 12)));
    assert_eq!(r.expiry_date, Some(date(1995, 7, 12)));
    assert_eq!(r.optional_data().as_deref(), Some(""));
}

#[test]
fn s7_mrv_a() {
    let r = parse(
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
         L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
        REFERENCE,
    );
    ok(&r);
    assert_eq!(r.format(), Some(Format::MrvA));
    assert_eq!(r.document_code(), Some("V"));
    assert_eq!(r.document_number(), Some("L8988901C"));
    assert_eq!(r.nationality(), Some("XXX"));
    assert_eq!(r.birth_date, Some(date(1940, 9, 7)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(1996, 12, 10)));
    assert_eq!(r.optional_data().as_deref(), Some("6ZE184226B"));
    check(&r, |c| c.document_number, '4');
    check(&r, |c| c.birth_date, '8');
    check(&r, |c| c.expiry_date, '9');
    assert_eq!(r.checks.optional_data, None);
    assert_eq!(r.checks.composite, None);
}

#[test]
fn s8_mrv_b() {
    let r = parse(
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
         L8988901C4XXX4009078F9612109<<<<<<<<",
        REFERENCE,
    );
    ok(&r);
    assert_eq!(r.format(), Some(Format::MrvB));
    assert_eq!(r.document_number(), Some("L8988901C"));
    assert_eq!(r.nationality(), Some("XXX"));
    assert_eq!(r.birth_date, Some(date(1940, 9, 7)));
    assert_eq!(r.expiry_date, Some(date(1996, 12, 10)));
    assert_eq!(r.optional_data().as_deref(), Some(""));
    assert_eq!(r.checks.composite, None);
}

#[test]
fn x1_synthetic_myanmar_passport() {
    let r = parse(X1, REFERENCE);
    ok(&r);
    assert_eq!(r.issuing_state(), Some("MMR"));
    assert_eq!(r.primary_identifier().as_deref(), Some("AUNG"));
    assert_eq!(
        r.secondary_identifiers(),
        Some(vec!["MIN".into(), "THU".into()])
    );
    assert_eq!(r.document_number(), Some("MB1234567"));
    assert_eq!(r.birth_date, Some(date(1995, 3, 14)));
    assert_eq!(r.sex, Some(Sex::Male));
    assert_eq!(r.expiry_date, Some(date(2030, 1, 1)));
    assert_eq!(r.optional_data().as_deref(), Some(""));
    check(&r, |c| c.document_number, '5');
    check(&r, |c| c.birth_date, '6');
    check(&r, |c| c.expiry_date, '9');
    check(&r, |c| c.optional_data, '0');
    check(&r, |c| c.composite, '4');
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn n1_fails_birth_and_composite_checks_only() {
    let r = parse(&S1.replace("7408122F", "7408132F"), REFERENCE);
    assert!(!r.is_valid());
    let errors: Vec<_> = r
        .errors
        .iter()
        .map(|e| (e.code, e.field, e.position.map(|p| (p.line, p.column))))
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                IssueCode::CheckDigit,
                Some(moei_mrz::Field::BirthDate),
                Some((2, 20))
            ),
            (
                IssueCode::CheckDigit,
                Some(moei_mrz::Field::Composite),
                Some((2, 44))
            ),
        ]
    );
    let birth = r.checks.birth_date.expect("birth check");
    assert_eq!(
        (birth.expected, birth.found, birth.ok),
        (Some(3), '2', false)
    );
    let composite = r.checks.composite.expect("composite");
    assert_eq!(
        (composite.expected, composite.found, composite.ok),
        (Some(7), '0', false)
    );
    assert!(r.checks.document_number.is_some_and(|c| c.ok));
    // The fields are still read, and no confusable character explains the failure.
    assert_eq!(r.birth_date, Some(date(1974, 8, 13)));
    assert!(r.corrections.is_empty());
}

#[test]
fn germany_uses_d_with_fillers() {
    let r = parse(
        "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n\
         C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
        REFERENCE,
    );
    assert_eq!(r.issuing_state(), Some("D"));
    assert_eq!(r.nationality(), Some("D"));
    assert!(!has_warning(&r, IssueCode::UnknownCountryCode));
    assert_eq!(
        moei_mrz::country_name(r.issuing_state().unwrap_or("")),
        Some("Germany")
    );
}

#[test]
fn warnings_for_unknown_codes_and_full_names() {
    let fields = moei_mrz::MrzFields {
        format: Format::Td3,
        document_code: "P".into(),
        issuing_state: "QQQ".into(),
        primary_identifier: "WOLFESCHLEGELSTEINHAUSENBERGERDORFF".into(),
        secondary_identifiers: "HUBERT BLAINE".into(),
        document_number: "X1234567".into(),
        nationality: "XXB".into(),
        birth_date: date(1990, 1, 2),
        sex: Sex::Unspecified,
        expiry_date: date(2031, 5, 6),
        optional_data: String::new(),
        optional_data_2: String::new(),
    };
    let mrz = moei_mrz::compose(&fields).expect("compose");
    let r = parse(&mrz.to_string(), REFERENCE);
    ok(&r);
    assert!(has_warning(&r, IssueCode::UnknownCountryCode));
    assert!(has_warning(&r, IssueCode::NameTruncated));
    assert_eq!(r.sex, Some(Sex::Unspecified));
    assert_eq!(r.nationality(), Some("XXB"));
}

#[test]
fn invalid_dates_sex_and_characters_are_errors_with_positions() {
    // Month 13 with a matching check digit.
    let line2 = "L898902C36UTO7413122F1204159ZE184226B<<<<<1";
    let digit = moei_mrz::check_digit("741312").unwrap();
    let mut l2 = line2.to_owned();
    l2.replace_range(19..20, &digit.to_string());
    let r = parse(
        &format!("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n{l2}0"),
        REFERENCE,
    );
    assert!(r.errors.iter().any(|e| e.code == IssueCode::InvalidDate
        && e.position
            == Some(moei_mrz::Position {
                line: 2,
                column: 14
            })));
    assert_eq!(r.birth_date, None);

    let r = parse(&S1.replace("7408122F", "7408122Q"), REFERENCE);
    let e = r
        .errors
        .iter()
        .find(|e| e.code == IssueCode::InvalidCharacter)
        .expect("sex error");
    assert_eq!(e.field, Some(moei_mrz::Field::Sex));
    assert_eq!(
        e.position,
        Some(moei_mrz::Position {
            line: 2,
            column: 21
        })
    );
    assert_eq!(r.sex, None);
}

#[test]
fn unknown_dates_are_warnings() {
    let fields_line = "L898902C36UTO74<<<<2F1204159ZE184226B<<<<<1";
    let birth_check = moei_mrz::check_digit("74<<<<").unwrap();
    let mut l2 = fields_line.to_owned();
    l2.replace_range(19..20, &birth_check.to_string());
    let composite =
        moei_mrz::check_digit(&format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43])).unwrap();
    let zone = format!("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n{l2}{composite}");
    let r = parse(&zone, REFERENCE);
    ok(&r);
    assert_eq!(r.birth_date, None);
    assert!(has_warning(&r, IssueCode::DateUnknown));
}

#[test]
fn text_without_a_zone_is_a_shape_error() {
    for input in ["", "hello", "P<UTO\nL898", &S1[..80]] {
        let r = parse(input, REFERENCE);
        assert!(!r.is_valid());
        assert_eq!(r.errors[0].code, IssueCode::Shape);
        assert_eq!(r.format(), None);
        assert_eq!(r.document_number(), None);
    }
}

/// Every character of the specimens is in the class its position allows,
/// and the classes separate letters from digits where the layout does.
#[test]
fn char_classes_admit_the_specimens() {
    use moei_mrz::{CharClass, Format, char_classes};
    let specimens = [
        (
            Format::Td3,
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ),
        (
            Format::Td2,
            "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204159<<<<<<<6",
        ),
        (
            Format::Td1,
            "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ),
    ];
    for (format, zone) in specimens {
        let classes = char_classes(format);
        assert_eq!(classes.len(), format.total_len());
        for (i, (c, class)) in zone.chars().zip(&classes).enumerate() {
            assert!(
                class.characters().contains(c),
                "{format} {i}: {c} not in {class:?}"
            );
        }
    }
    let td3 = char_classes(Format::Td3);
    assert_eq!(td3[0], CharClass::Letters); // document code
    assert_eq!(td3[53], CharClass::Digits); // number check digit
    assert_eq!(td3[64], CharClass::Sex);
    assert_eq!(td3[44], CharClass::Any); // document number
}
