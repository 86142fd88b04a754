//! Golden multilingual cases: pairs that must match and pairs that must not.

use moei_match::name::{Name, compare_names, level};
use moei_match::zawgyi;
use moei_match::{DEFAULT_THRESHOLD, Model, Prepared, Record, compare};

fn rec(id: &str, full: &str, dob: &str, nat: &str, sex: &str, passport: &str) -> Record {
    Record {
        id: id.into(),
        full_name: full.into(),
        date_of_birth: dob.into(),
        nationality: nat.into(),
        sex: sex.into(),
        passport_number: passport.into(),
        ..Default::default()
    }
}

fn prob(a: &Record, b: &Record) -> f64 {
    let (pa, _) = Prepared::new(a.clone());
    let (pb, _) = Prepared::new(b.clone());
    let m = Model::default();
    let p = compare(&pa, &pb);
    m.probability(&p)
}

fn name_level(a: &str, b: &str) -> u8 {
    compare_names(&Name::parse("", "", a), &Name::parse("", "", b))
}

/// Same person, differently written: each pair has the same date of birth and nationality.
const MATCHES: &[(&str, &str, &str, &str)] = &[
    (
        "Mohammed Ali Khan",
        "Muhammad Ali Khan",
        "1990-03-12",
        "Pakistan",
    ),
    ("Mohd Ali Khan", "Md Ali Khan", "1990-03-12", "Pakistan"),
    ("Nguyễn Văn An", "Nguyen Van An", "1995-07-01", "Vietnam"),
    ("Nguyễn Văn An", "An Nguyen", "1995-07-01", "VN"),
    ("张伟", "Zhang Wei", "1988-11-23", "China"),
    ("张伟", "Wei Zhang", "1988-11-23", "CHN"),
    ("Cheung Wei", "Zhang Wei", "1988-11-23", "China"),
    ("राजेश कुमार", "Rajesh Kumar", "1992-01-15", "India"),
    ("Rajesh Kr", "Rajesh Kumar", "1992-01-15", "India"),
    ("Laxmi Devi", "Lakshmi Devi", "1992-01-15", "Indian"),
    ("লক্ষ্মী দাস", "Lakshmi Das", "1993-05-05", "Bangladesh"),
    ("สมชาย ใจดี", "Somchai Jaidee", "1985-02-02", "Thailand"),
    ("အောင်ကျော်မြင့်", "Aung Kyaw Myint", "1991-09-09", "Myanmar"),
    ("محمد علی", "Muhammad Ali", "1990-03-12", "Pakistan"),
    ("یوسف خان", "Yusuf Khan", "1987-04-04", "Pakistan"),
    ("አበበ በቀለ", "Abebe Bekele", "1994-06-30", "Ethiopia"),
    ("Ahmad bin Ismail", "Ahmad Ismail", "1989-08-08", "Malaysia"),
    (
        "Ravi s/o Krishnan",
        "Ravi Krishnan",
        "1989-08-08",
        "Malaysia",
    ),
    (
        "Maria Dela Cruz Santos",
        "Maria Santos",
        "1996-12-01",
        "Philippines",
    ),
    ("Ariel De la Cruz", "Ariel Dela Cruz", "1997-11-28", "PHL"),
    ("Binod Sharma", "Vinod Sharma", "1972-11-14", "Nepal"),
    ("Bikash Mehta", "Vikas Mehta", "1976-12-16", "India"),
    // Thai: unwritten vowels and silent letters (RTGS and older spellings).
    (
        "สมศักดิ์ แสงทอง",
        "Somsak Saengthong",
        "1983-03-03",
        "Thailand",
    ),
    ("ศิริพร ศรีสุข", "Siriporn Srisuk", "1990-10-10", "THA"),
    (
        "ธนากร สุขสวัสดิ์",
        "Thanakorn Suksawat",
        "1999-01-09",
        "Thailand",
    ),
    // Urdu: vowel-initial names and Persian letter values.
    ("عثمان احمد", "Usman Ahmed", "1986-06-16", "Pakistan"),
    ("عمران رضا", "Imran Raza", "1991-01-21", "Pakistan"),
    ("عرفان علی ولد وقاص", "Irfan Ali", "2002-12-04", "Pakistan"),
    // Taiwanese passports: Wade-Giles, given names in two words or one.
    ("林柏翰", "Po Han Lin", "1998-04-15", "Taiwan"),
    ("陳志明", "Chen Chih-Ming", "1995-08-08", "TWN"),
    ("Zi Xuan Chen", "Chen Zixuan", "2001-02-03", "China"),
    // A middle initial for a family name with a particle (Filipino mother's name).
    (
        "Ronald D. Manalo",
        "Ronald Del Rosario Manalo",
        "1996-06-19",
        "Philippines",
    ),
];

/// A Han given name in its own column is one name ("一诺" is Yinuo), as its pinyin is.
#[test]
fn han_given_name_in_its_own_column_matches_its_pinyin() {
    for (given, family, latin_given, latin_family) in [
        ("一诺", "张", "Yinuo", "Zhang"),
        ("志强", "胡", "Zhiqiang", "HU"),
        ("伟", "张", "Wei", "Zhang"),
    ] {
        let native = Name::parse(given, family, "");
        let latin = Name::parse(latin_given, latin_family, "");
        assert_eq!(
            compare_names(&native, &latin),
            level::EXACT,
            "{given} {family}"
        );
    }
}

#[test]
fn multilingual_pairs_match() {
    let mut failures = Vec::new();
    for (a, b, dob, nat) in MATCHES {
        let p = prob(
            &rec("a", a, dob, nat, "", ""),
            &rec("b", b, dob, nat, "", ""),
        );
        if p < DEFAULT_THRESHOLD {
            failures.push(format!(
                "{a} / {b}: p={p:.3} name level {}",
                name_level(a, b)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn names_alone_agree_across_scripts() {
    for (a, b, _, _) in MATCHES {
        assert!(
            name_level(a, b) >= level::STRONG,
            "{a} / {b}: level {}",
            name_level(a, b)
        );
    }
}

#[test]
fn burmese_unicode_and_zawgyi_match() {
    let uni = "အောင်ကျော်မြင့်";
    let zg = zawgyi::unicode_to_zawgyi(uni);
    assert_ne!(uni, zg);
    assert!(zawgyi::is_zawgyi(&zg));
    assert_eq!(name_level(uni, &zg), level::EXACT);
    // A hand-typed Zawgyi "Min Thant" (U+1039 is the Zawgyi asat).
    assert!(
        name_level(
            "\u{1019}\u{1004}\u{1039}\u{1038} \u{101E}\u{1014}\u{1037}\u{1039}",
            "Min Thant"
        ) >= level::STRONG
    );
}

#[test]
fn dates_written_differently_still_match() {
    let a = rec("a", "Abebe Bekele", "1994-06-30", "Ethiopia", "M", "");
    // Day and month swapped (only possible when both are <= 12).
    let swapped = prob(
        &rec(
            "a",
            "Tesfaye Girma",
            "1994-03-11",
            "Ethiopia",
            "M",
            "EP1234567",
        ),
        &rec(
            "b",
            "Tesfaye Girma",
            "1994-11-03",
            "Ethiopia",
            "M",
            "EP1234567",
        ),
    );
    assert!(swapped >= DEFAULT_THRESHOLD, "swapped {swapped}");
    let year_only = prob(&a, &rec("b", "Abebe Bekele", "1994", "Ethiopia", "M", ""));
    assert!(year_only >= DEFAULT_THRESHOLD, "year only {year_only}");
    let estimate = prob(&a, &rec("b", "Abebe Bekele", "~1995", "Ethiopia", "M", ""));
    assert!(estimate > 0.5, "estimate {estimate}");
}

#[test]
fn passport_with_one_misread_character_matches() {
    let a = rec("a", "Priya Sharma", "1997-02-14", "India", "F", "N1234567");
    for b_doc in ["N12345G7", "NI234567", "N1234S67"] {
        let b = rec("b", "Priya Sharma", "", "India", "F", b_doc);
        let p = prob(&a, &b);
        assert!(p >= DEFAULT_THRESHOLD, "{b_doc}: {p}");
    }
}

#[test]
fn clear_non_matches_do_not_match() {
    let cases = [
        (
            rec("a", "Zhang Wei", "1988-11-23", "China", "M", "E12345678"),
            rec("b", "Zhang Wei", "1975-04-02", "China", "M", "E99887766"),
        ),
        (
            rec("a", "Rajesh Kumar", "1992-01-15", "India", "M", ""),
            rec("b", "Suresh Patel", "1992-01-15", "India", "M", ""),
        ),
        (
            rec("a", "Nguyen Van An", "1995-07-01", "Vietnam", "M", ""),
            rec("b", "Nguyen Thi Lan", "1999-02-11", "Vietnam", "F", ""),
        ),
        (
            rec("a", "Abebe Bekele", "1994-06-30", "Ethiopia", "M", ""),
            rec("b", "Kebede Alemu", "1980-01-01", "Ethiopia", "M", ""),
        ),
        (
            rec("a", "Muhammad Ali", "1990-03-12", "Pakistan", "M", ""),
            rec("b", "Muhammad Hassan", "1971-10-10", "Pakistan", "M", ""),
        ),
        (
            rec("a", "Somchai Jaidee", "1985-02-02", "Thailand", "M", ""),
            rec("b", "Malee Srisuk", "1985-02-02", "Thailand", "F", ""),
        ),
    ];
    for (a, b) in &cases {
        let p = prob(a, b);
        assert!(
            p < DEFAULT_THRESHOLD,
            "{} / {}: {p}",
            a.full_name,
            b.full_name
        );
    }
}
