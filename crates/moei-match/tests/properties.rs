//! Property tests: normalisation, symmetry, order invariance and every parser.

use moei_match::fields::{Dob, DocNumber, Phone, Sex, country};
use moei_match::name::{Name, compare_names, level};
use moei_match::normalize::normalize_text;
use moei_match::zawgyi;
use moei_match::{Prepared, Record, compare};
use proptest::prelude::*;

fn name_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z]{2,9}",
        Just("Nguyễn".to_owned()),
        Just("张伟".to_owned()),
        Just("राजेश".to_owned()),
        Just("محمد".to_owned()),
        Just("አበበ".to_owned()),
        Just("สมชาย".to_owned()),
        Just("ကျော်".to_owned()),
        Just("Mohd".to_owned()),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop::collection::vec(name_word(), 0..4),
        prop_oneof![
            Just(String::new()),
            Just("1990-03-12".to_owned()),
            Just("1990".to_owned()),
            Just("12/03/1990".to_owned()),
            Just("~1991".to_owned()),
            any::<String>()
        ],
        prop_oneof![
            Just(String::new()),
            Just("M".to_owned()),
            Just("F".to_owned())
        ],
        prop_oneof![
            Just(String::new()),
            Just("India".to_owned()),
            Just("VN".to_owned()),
            "[a-z]{0,6}"
        ],
        prop_oneof![Just(String::new()), "[A-Z0-9]{6,9}"],
        prop_oneof![Just(String::new()), "\\+?[0-9 ]{6,14}"],
        "[a-z ]{0,10}",
        "[a-z0-9]{1,6}",
    )
        .prop_map(|(names, dob, sex, nat, doc, phone, place, id)| Record {
            id,
            full_name: names.join(" "),
            date_of_birth: dob,
            sex,
            nationality: nat,
            passport_number: doc,
            phone,
            place_of_origin: place,
            ..Default::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalisation_is_idempotent(s in any::<String>()) {
        let once = normalize_text(&s);
        prop_assert_eq!(normalize_text(&once), once.clone());
    }

    #[test]
    fn normalisation_is_idempotent_on_scripts(s in "[a-zA-ZÀ-ÿ\u{0900}-\u{097F}\u{0E00}-\u{0E7F}\u{1000}-\u{109F}\u{0600}-\u{06FF}\u{4E00}-\u{4E80} .'-]{0,24}") {
        let once = normalize_text(&s);
        prop_assert_eq!(normalize_text(&once), once.clone());
    }

    #[test]
    fn comparison_is_symmetric(a in record(), b in record()) {
        let (pa, _) = Prepared::new(a);
        let (pb, _) = Prepared::new(b);
        prop_assert_eq!(compare(&pa, &pb), compare(&pb, &pa));
    }

    #[test]
    fn name_order_does_not_matter(words in prop::collection::vec("[A-Za-z]{2,9}", 1..5), seed in any::<u64>()) {
        let mut shuffled = words.clone();
        let n = shuffled.len();
        for i in (1..n).rev() {
            shuffled.swap(i, (seed as usize).wrapping_add(i * 7) % (i + 1));
        }
        let a = Name::parse("", "", &words.join(" "));
        let b = Name::parse("", "", &shuffled.join(" "));
        prop_assume!(!a.is_empty());
        prop_assert_eq!(compare_names(&a, &b), level::EXACT);
        // Given and family fields swapped also agree.
        let c = Name::parse(&words[0], &words[1..].join(" "), "");
        let d = Name::parse(&words[1..].join(" "), &words[0], "");
        prop_assert_eq!(compare_names(&c, &d), if c.is_empty() { level::MISSING } else { level::EXACT });
    }

    #[test]
    fn name_parser_never_panics(s in any::<String>(), t in any::<String>()) {
        let n = Name::parse(&s, &t, &s);
        prop_assert!(n.tokens.len() <= 8);
    }

    #[test]
    fn date_parser_round_trips(s in any::<String>()) {
        if let Ok(Some(d)) = Dob::parse(&s) {
            prop_assert_eq!(Dob::parse(&d.to_string()), Ok(Some(d)));
        }
    }

    #[test]
    fn age_parser_never_panics_and_stays_near_the_list_date(s in any::<String>(), age in 1u8..=120) {
        let on = jiff::civil::Date::new(2025, 10, 25).ok();
        let _ = Dob::parse_on(&s, on);
        let d = Dob::parse_on(&format!("age {age}"), on);
        prop_assert_eq!(d.map(|d| d.map(|d| d.year())), Ok(Some(2025 - i16::from(age))));
    }

    #[test]
    fn valid_dates_parse_in_every_layout(y in 1900i16..2030, m in 1i8..=12, d in 1i8..=28) {
        let expected = Some(Dob::Full(jiff::civil::Date::new(y, m, d).unwrap()));
        prop_assert_eq!(Dob::parse(&format!("{y:04}-{m:02}-{d:02}")), Ok(expected));
        prop_assert_eq!(Dob::parse(&format!("{y:04}{m:02}{d:02}")), Ok(expected));
        if d > 12 {
            prop_assert_eq!(Dob::parse(&format!("{d:02}/{m:02}/{y:04}")), Ok(expected));
            prop_assert_eq!(Dob::parse(&format!("{m:02}/{d:02}/{y:04}")), Ok(expected));
        }
    }

    #[test]
    fn other_parsers_never_panic(s in any::<String>()) {
        let _ = Sex::parse(&s);
        if let Ok(Some(doc)) = DocNumber::parse(&s) {
            prop_assert!(doc.exact.len() >= 4 && doc.exact.len() <= 20);
        }
        if let Ok(Some(p)) = Phone::parse(&s, country("India")) {
            prop_assert!(p.e164.chars().skip(1).all(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn phones_normalise_the_same_from_any_layout(sub in "[6-9][0-9]{8}") {
        let local = Phone::parse(&format!("0{sub}"), country("India")).unwrap().unwrap();
        let intl = Phone::parse(&format!("+91 {sub}"), None).unwrap().unwrap();
        let dialled = Phone::parse(&format!("0091{sub}"), None).unwrap().unwrap();
        prop_assert_eq!(&local.e164, &intl.e164);
        prop_assert_eq!(&local.e164, &dialled.e164);
    }

    #[test]
    fn zawgyi_round_trips(sylls in prop::collection::vec((0x1000u32..=0x1020, prop::option::of(prop_oneof![Just(0x103Bu32), Just(0x103C)]), any::<bool>(), prop_oneof![Just(0u32), Just(0x102C), Just(0x102D), Just(0x102F)]), 1..5)) {
        let mut s = String::new();
        // A sequence like "KA E KA" is valid in both encodings (the E attaches to the first
        // consonant in Unicode, the second in Zawgyi), so detection is asserted only when the
        // first syllable has a pre-base mark: then the Zawgyi text starts with one, which
        // Unicode forbids.
        let mut has_prebase = false;
        for (i, (c, medial, e, vowel)) in sylls.iter().enumerate() {
            s.push(char::from_u32(*c).unwrap());
            if let Some(m) = medial {
                s.push(char::from_u32(*m).unwrap());
                has_prebase |= i == 0 && *m == 0x103C;
            }
            if *e {
                s.push('\u{1031}');
                has_prebase |= i == 0;
            }
            if *vowel != 0 {
                s.push(char::from_u32(*vowel).unwrap());
            }
        }
        let zg = zawgyi::unicode_to_zawgyi(&s);
        prop_assert_eq!(zawgyi::zawgyi_to_unicode(&zg), s.clone());
        if has_prebase {
            prop_assert!(zawgyi::is_zawgyi(&zg), "{:?}", zg);
            prop_assert!(!zawgyi::is_zawgyi(&s), "{:?}", s);
        }
    }
}
