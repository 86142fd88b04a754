//! Non-name fields: date of birth, sex, nationality, document number, phone, place of origin.
//! Each has a parser (returning an error message for bad input, never panicking) and a
//! comparison returning a level.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::Date;

use crate::normalize::{alnum_upper, normalize_text};
use crate::similarity::{jaro_winkler, osa_within};

// ---------------------------------------------------------------- date of birth

/// A date of birth as precise as it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dob {
    Full(Date),
    YearMonth(i16, i8),
    Year(i16),
    /// An estimate (from stated age or appearance): the year plus or minus `tolerance`.
    Estimated {
        year: i16,
        tolerance: u8,
        /// For an age ([`Dob::from_age`]): the month and day it was stated, so a full date
        /// of birth gives the exact age on that day. `year` is that day's year minus the age.
        stated_on: Option<(i8, i8)>,
    },
}

impl Dob {
    pub fn year(&self) -> i16 {
        match *self {
            Dob::Full(d) => d.year(),
            Dob::YearMonth(y, _) | Dob::Year(y) | Dob::Estimated { year: y, .. } => y,
        }
    }

    /// The first and last birth year this date allows. An age's estimate ([`Dob::from_age`])
    /// reaches one year further back: someone aged 27 in 2025 was born in 1998, or in 1997 if
    /// their birthday had not yet come.
    pub fn years(&self) -> (i16, i16) {
        match *self {
            Dob::Estimated {
                year,
                tolerance,
                stated_on,
            } => {
                let t = i16::from(tolerance);
                let birthday = i16::from(stated_on.is_some());
                (year - t - birthday, year + t)
            }
            _ => (self.year(), self.year()),
        }
    }

    /// An estimated birth year from an age stated or assessed on `on` (today, passed in).
    pub fn from_age(age: u8, on: Date, tolerance: u8) -> Dob {
        Dob::Estimated {
            year: on.year() - i16::from(age),
            tolerance,
            stated_on: Some((on.month(), on.day())),
        }
    }

    /// Whether an age stated on a day (`year` that day's year minus the age, `stated_on` its
    /// month and day) is within `tolerance` years of the age someone born on `birth` had then.
    fn age_agrees(year: i16, tolerance: u8, stated_on: (i8, i8), birth: Date) -> bool {
        let before_birthday = i16::from(stated_on < (birth.month(), birth.day()));
        let off = year - birth.year() - before_birthday;
        off.abs() <= i16::from(tolerance)
    }

    /// Parse a date of birth. Accepts ISO `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY` (or `MM/DD/YYYY`
    /// when the day cannot be a month), `DD Mon YYYY`, `YYYY-MM`, `YYYY`, and estimates such
    /// as `~1990`, `c. 1990`, `1990?`, `about 1990`. An age (`age 27`) needs the date it was
    /// given: see [`Dob::parse_on`]; here it is an error.
    pub fn parse(s: &str) -> Result<Option<Dob>, String> {
        Dob::parse_on(s, None)
    }

    /// [`Dob::parse`], also reading an age written in the date column (`age 27`, `aged 27`,
    /// `27 years`, `27 yrs`, `27y`) as an estimated birth year counted back from `on`, the
    /// day the list was made, with [`AGE_TOLERANCE`].
    pub fn parse_on(s: &str, on: Option<Date>) -> Result<Option<Dob>, String> {
        let t = s.trim().to_lowercase();
        if t.is_empty() || matches!(t.as_str(), "unknown" | "n/a" | "na" | "-" | "?") {
            return Ok(None);
        }
        if let Some(age) = parse_age(&t) {
            let age = age.ok_or_else(|| format!("cannot read an age in {s:?}"))?;
            let on = on.ok_or_else(|| {
                format!("age {age} given without the date of the list: write a birth year")
            })?;
            return Ok(Some(Dob::from_age(age, on, AGE_TOLERANCE)));
        }
        for prefix in [
            "~", "c.", "ca.", "ca ", "circa", "about", "approx.", "approx", "abt", "c ",
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                let y = parse_year(rest.trim())
                    .ok_or_else(|| format!("cannot read an estimated year in {s:?}"))?;
                return Ok(Some(Dob::Estimated {
                    year: y,
                    tolerance: 2,
                    stated_on: None,
                }));
            }
        }
        if let Some(rest) = t.strip_suffix('?') {
            let y = parse_year(rest.trim())
                .ok_or_else(|| format!("cannot read an estimated year in {s:?}"))?;
            return Ok(Some(Dob::Estimated {
                year: y,
                tolerance: 2,
                stated_on: None,
            }));
        }
        // Spreadsheet date-times ("1990-03-12 00:00:00", "1990-03-12T00:00").
        let t = t
            .split(['t', ' '])
            .next()
            .filter(|p| p.len() >= 8 && t.contains(':'))
            .map(str::to_owned)
            .unwrap_or(t);
        let parts: Vec<&str> = t
            .split(['-', '/', '.', ' ', ','])
            .filter(|p| !p.is_empty())
            .collect();
        let bad = || format!("cannot read date {s:?} (use YYYY-MM-DD)");
        match parts.as_slice() {
            [one] if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) => {
                let (y, m, d) = if one.starts_with("19") || one.starts_with("20") {
                    (&one[..4], &one[4..6], &one[6..])
                } else {
                    (&one[4..], &one[2..4], &one[..2])
                };
                full(
                    num(y).ok_or_else(bad)?,
                    num(m).ok_or_else(bad)?,
                    num(d).ok_or_else(bad)?,
                    s,
                )
                .map(Some)
            }
            [one] => parse_year(one).map(|y| Some(Dob::Year(y))).ok_or_else(bad),
            [a, b] => {
                let (y, m) = if a.len() == 4 { (a, b) } else { (b, a) };
                let y = parse_year(y).ok_or_else(bad)?;
                let m = month(m).ok_or_else(bad)?;
                Ok(Some(Dob::YearMonth(y, m as i8)))
            }
            [a, b, c] => {
                if a.len() == 4 {
                    full(
                        num(a).ok_or_else(bad)?,
                        month(b).ok_or_else(bad)?,
                        num(c).ok_or_else(bad)?,
                        s,
                    )
                    .map(Some)
                } else if c.len() == 4 {
                    let y = num(c).ok_or_else(bad)?;
                    let (x, z) = (month(a).ok_or_else(bad)?, month(b).ok_or_else(bad)?);
                    // Day first unless the second number cannot be a month.
                    let a_is_month = a.bytes().any(|c| c.is_ascii_alphabetic());
                    if a_is_month || z > 12 {
                        full(y, x, z, s).map(Some)
                    } else {
                        full(y, z, x, s).map(Some)
                    }
                } else {
                    Err(format!(
                        "ambiguous or unreadable date {s:?}: give a four-digit year"
                    ))
                }
            }
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Dob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dob::Full(d) => write!(f, "{d}"),
            Dob::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            Dob::Year(y) => write!(f, "{y:04}"),
            Dob::Estimated { year, .. } => write!(f, "~{year:04}"),
        }
    }
}

/// Years either side of a birth year counted back from an age: a stated age is a year off
/// around the birthday, ages given at interviews are often rounded, and the list may have
/// been saved some time after the interview.
pub const AGE_TOLERANCE: u8 = 3;

/// `None` when `t` (lower-case, trimmed) is not written as an age; `Some(None)` when it is
/// but the number cannot be read or is not a human age.
fn parse_age(t: &str) -> Option<Option<u8>> {
    let number = if let Some(rest) = ["aged", "age"].iter().find_map(|p| t.strip_prefix(p)) {
        rest.trim_start_matches([' ', ':', '~', '='])
            .trim_end_matches(|c: char| c.is_alphabetic() || matches!(c, ' ' | '.' | '?'))
    } else {
        let digits = t.trim_end_matches(|c: char| !c.is_ascii_digit());
        let unit = t[digits.len()..].trim().trim_end_matches('.');
        if digits.is_empty()
            || !matches!(
                unit,
                "y" | "yr" | "yrs" | "year" | "years" | "years old" | "yrs old" | "y.o" | "yo"
            )
        {
            return None;
        }
        digits
    };
    Some(
        number
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|a| (1..=120).contains(a)),
    )
}

fn num(s: &str) -> Option<i32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_year(s: &str) -> Option<i16> {
    let y = num(s)?;
    if s.len() == 4 && (1880..=2100).contains(&y) {
        Some(y as i16)
    } else {
        None
    }
}

fn month(s: &str) -> Option<i32> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if let Some(i) = NAMES.iter().position(|m| s.starts_with(m)) {
        return Some(i as i32 + 1);
    }
    num(s).filter(|&n| n <= 31)
}

fn full(y: i32, m: i32, d: i32, s: &str) -> Result<Dob, String> {
    if !(1880..=2100).contains(&y) {
        return Err(format!("year out of range in {s:?}"));
    }
    Date::new(y as i16, m as i8, d as i8)
        .map(Dob::Full)
        .map_err(|_| format!("no such date {s:?}"))
}

pub mod dob_level {
    pub const MISSING: u8 = 0;
    pub const FAR: u8 = 1;
    pub const NEAR: u8 = 2;
    pub const YEAR: u8 = 3;
    pub const TYPO: u8 = 4;
    pub const EXACT: u8 = 5;
    /// Within the tolerance of a stated age (wider than an estimated year's): its own level,
    /// so its weight is estimated apart from "within estimate" and a year off.
    pub const AGE: u8 = 6;
    pub const NAMES: [&str; 7] = [
        "missing",
        "different",
        "within estimate",
        "same year, partial date",
        "a day, the year or one digit off, or day and month swapped",
        "same",
        "within a stated age's tolerance",
    ];
}

fn digit_edit(a: i32, b: i32) -> bool {
    let (sa, sb) = (format!("{a:02}"), format!("{b:02}"));
    osa_within(sa.as_bytes(), sb.as_bytes(), 1) <= 1
}

/// Days since 1970-01-01 of a proleptic Gregorian date (days_from_civil, H. Hinnant): plain
/// integer arithmetic, as bulk matching compares millions of dates.
fn day_number(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A written date and the dates it becomes through one slip, as day numbers: the day one off
/// either way (also across a month's or a year's end, "1999-05-31" for "1999-06-01", so two
/// digits change), the year one off either way (29 February becomes the 28th), and day and
/// month swapped when that is a date.
fn slips(d: jiff::civil::Date) -> [Option<i32>; 6] {
    let (y, m, day) = (
        i32::from(d.year()),
        i32::from(d.month()),
        i32::from(d.day()),
    );
    let n = day_number(y, m, day);
    let year_off = |y: i32| day_number(y, m, day.min(days_in_month(y, m)));
    let swapped = (day <= 12 && m <= days_in_month(y, day)).then(|| day_number(y, day, m));
    [
        Some(n),
        Some(n - 1),
        Some(n + 1),
        Some(year_off(y - 1)),
        Some(year_off(y + 1)),
        swapped,
    ]
}

/// Two records' dates that one slip in each could have made from one birth date
/// ("1996-08-24" and "1997-08-23": one record's day and the other's year slipped).
fn one_slip_each(x: jiff::civil::Date, y: jiff::civil::Date) -> bool {
    // Each slip moves the year by one at most.
    if (i32::from(x.year()) - i32::from(y.year())).abs() > 2 {
        return false;
    }
    let (sx, sy) = (slips(x), slips(y));
    sx.iter()
        .flatten()
        .any(|a| sy.iter().flatten().any(|b| a == b))
}

pub fn compare_dob(a: Option<&Dob>, b: Option<&Dob>) -> u8 {
    use dob_level::*;
    let (Some(a), Some(b)) = (a, b) else {
        return MISSING;
    };
    match (a, b) {
        (Dob::Full(x), Dob::Full(y)) => {
            let (xy, xm, xd) = (
                i32::from(x.year()),
                i32::from(x.month()),
                i32::from(x.day()),
            );
            let (yy, ym, yd) = (
                i32::from(y.year()),
                i32::from(y.month()),
                i32::from(y.day()),
            );
            if x == y {
                EXACT
            } else if (xy == yy && xm == yd && xd == ym)
                || (xy == yy && xm == ym && digit_edit(xd, yd))
                || (xy == yy && xd == yd && digit_edit(xm, ym))
                || (xm == ym && xd == yd && digit_edit(xy, yy))
                || one_slip_each(*x, *y)
            {
                TYPO
            } else {
                FAR
            }
        }
        (Dob::Estimated { tolerance, .. }, other) | (other, Dob::Estimated { tolerance, .. }) => {
            let tol = match other {
                Dob::Estimated { tolerance: t2, .. } => tolerance + t2,
                _ => *tolerance,
            };
            let agrees = match (a, b) {
                (
                    &Dob::Estimated {
                        year,
                        tolerance,
                        stated_on: Some(on),
                    },
                    &Dob::Full(birth),
                )
                | (
                    &Dob::Full(birth),
                    &Dob::Estimated {
                        year,
                        tolerance,
                        stated_on: Some(on),
                    },
                ) => Dob::age_agrees(year, tolerance, on, birth),
                _ => {
                    let ((lo, hi), (other_lo, other_hi)) = (a.years(), b.years());
                    lo <= other_hi && other_lo <= hi
                }
            };
            if agrees {
                // A stated age's window (three years either way and the birthday's year, more
                // for two ages) agrees by chance far more often than an estimated year's: its
                // own level and weight.
                if tol > 2 { AGE } else { NEAR }
            } else {
                FAR
            }
        }
        (Dob::YearMonth(y1, m1), Dob::YearMonth(y2, m2)) if y1 == y2 && m1 == m2 => YEAR,
        (Dob::YearMonth(y1, m1), Dob::Full(d)) | (Dob::Full(d), Dob::YearMonth(y1, m1))
            if *y1 == d.year() && *m1 == d.month() =>
        {
            YEAR
        }
        _ => {
            let dy = (i32::from(a.year()) - i32::from(b.year())).abs();
            if dy == 0 {
                YEAR
            } else if dy <= 1 {
                NEAR
            } else {
                FAR
            }
        }
    }
}

// ---------------------------------------------------------------- sex

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Other,
}

impl Sex {
    pub fn parse(s: &str) -> Result<Option<Sex>, String> {
        Ok(match normalize_text(s).as_str() {
            "" | "u" | "unknown" | "?" => None,
            "f" | "female" | "woman" | "w" | "girl" | "หญิง" | "女" => Some(Sex::Female),
            "m" | "male" | "man" | "boy" | "ชาย" | "男" => Some(Sex::Male),
            "x" | "other" | "o" | "nonbinary" | "non binary" => Some(Sex::Other),
            other => return Err(format!("unknown sex {other:?} (use F, M or X)")),
        })
    }
}

pub fn compare_eq<T: PartialEq>(a: Option<&T>, b: Option<&T>) -> u8 {
    match (a, b) {
        (Some(x), Some(y)) if x == y => 2,
        (Some(_), Some(_)) => 1,
        _ => 0,
    }
}

// ---------------------------------------------------------------- countries

const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    pub calling_code: String,
    pub trunk_prefix: Option<String>,
}

static COUNTRIES: LazyLock<(Vec<Country>, HashMap<String, usize>)> = LazyLock::new(|| {
    let mut list = Vec::new();
    let mut by_name = HashMap::new();
    for line in COUNTRIES_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("iso3\t") && !l.trim().is_empty())
    {
        let cells: Vec<&str> = line.split('\t').collect();
        let [iso3, iso2, calling, trunk, names @ ..] = cells.as_slice() else {
            continue;
        };
        let idx = list.len();
        list.push(Country {
            iso3: (*iso3).to_owned(),
            iso2: (*iso2).to_owned(),
            calling_code: (*calling).to_owned(),
            trunk_prefix: (*trunk != "-").then(|| (*trunk).to_owned()),
        });
        for key in [*iso3, *iso2].into_iter().chain(names.iter().copied()) {
            by_name.entry(normalize_text(key)).or_insert(idx);
        }
    }
    (list, by_name)
});

/// Look up a country by ISO code, name or demonym (case and accents ignored).
pub fn country(s: &str) -> Option<&'static Country> {
    let (list, by_name) = &*COUNTRIES;
    by_name.get(&normalize_text(s)).map(|&i| &list[i])
}

/// Nationality as compared: the ISO alpha-3 code when known, else the normalised text.
pub fn nationality_key(s: &str) -> Option<String> {
    let n = normalize_text(s);
    if n.is_empty() {
        return None;
    }
    Some(country(&n).map(|c| c.iso3.clone()).unwrap_or(n))
}

// ---------------------------------------------------------------- documents

/// Characters OCR and hand copying confuse, mapped to one representative.
pub fn ocr_fold(doc: &str) -> String {
    doc.chars()
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'B' => '8',
            'S' => '5',
            'Z' => '2',
            c => c,
        })
        .collect()
}

/// A document number as written (upper-case letters and digits) and OCR-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    pub exact: String,
    pub folded: String,
}

impl DocNumber {
    pub fn parse(s: &str) -> Result<Option<DocNumber>, String> {
        let exact = alnum_upper(s);
        if exact.is_empty() {
            return Ok(None);
        }
        if exact.len() < 4 || exact.len() > 20 {
            return Err(format!(
                "document number {s:?} should have 4 to 20 letters or digits"
            ));
        }
        Ok(Some(DocNumber {
            folded: ocr_fold(&exact),
            exact,
        }))
    }
}

pub mod doc_level {
    pub const DIFFERENT: u8 = 1;
    pub const NAMES: [&str; 5] = [
        "missing",
        "different",
        "one character differs",
        "same after OCR confusions",
        "same",
    ];
}

pub fn compare_doc(a: Option<&DocNumber>, b: Option<&DocNumber>) -> u8 {
    let (Some(a), Some(b)) = (a, b) else { return 0 };
    doc_level(
        (a.exact.as_bytes(), a.folded.as_bytes()),
        (b.exact.as_bytes(), b.folded.as_bytes()),
    )
}

/// [`compare_doc`] of two present numbers given as (exact, folded) bytes: bulk matching keeps
/// them inline in its record summaries.
pub(crate) fn doc_level(a: (&[u8], &[u8]), b: (&[u8], &[u8])) -> u8 {
    if a.0 == b.0 {
        4
    } else if a.1 == b.1 {
        3
    } else if osa_within(a.1, b.1, 1) <= 1 {
        2
    } else {
        1
    }
}

// ---------------------------------------------------------------- phones

/// A phone number in E.164 form when the country is known, else its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// "+" and digits when international form could be established, else digits only.
    pub e164: String,
    /// Last eight digits: the subscriber part, for numbers written with different prefixes.
    pub tail: String,
}

impl Phone {
    /// Normalise a phone number; `default_country` (from the nationality) resolves local numbers.
    pub fn parse(s: &str, default_country: Option<&Country>) -> Result<Option<Phone>, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if t.chars().any(|c| c.is_alphabetic()) {
            return Err(format!("phone {s:?} contains letters"));
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < 6 || digits.len() > 15 {
            return Err(format!("phone {s:?} should have 6 to 15 digits"));
        }
        let e164 = if t.starts_with('+') {
            format!("+{digits}")
        } else if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(c) = default_country {
            let national = match &c.trunk_prefix {
                Some(p) => digits.strip_prefix(p.as_str()).unwrap_or(&digits),
                None => &digits,
            };
            if national.starts_with(&c.calling_code) && national.len() > 10 {
                format!("+{national}")
            } else {
                format!("+{}{national}", c.calling_code)
            }
        } else {
            digits.clone()
        };
        let tail = digits[digits.len().saturating_sub(8)..].to_owned();
        Ok(Some(Phone { e164, tail }))
    }
}

pub mod phone_level {
    pub const NAMES: [&str; 4] = [
        "missing",
        "different",
        "same subscriber digits, or one digit off",
        "same",
    ];
}

/// Whether two subscriber parts are the same but for one digit (a digit misheard or mistyped;
/// two random numbers are so close about once in ten million).
fn one_digit_off(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() <= 1
}

pub fn compare_phone(a: Option<&Phone>, b: Option<&Phone>) -> u8 {
    let (Some(a), Some(b)) = (a, b) else { return 0 };
    if a.e164 == b.e164 {
        3
    } else if one_digit_off(&a.tail, &b.tail) {
        2
    } else {
        1
    }
}

// ---------------------------------------------------------------- place

pub mod place_level {
    pub const NAMES: [&str; 5] = [
        "missing",
        "different",
        "one word shared",
        "mostly the same",
        "same",
    ];
}

fn place_words(s: &str) -> Vec<&str> {
    s.split([' ', ',']).filter(|w| !w.is_empty()).collect()
}

/// Places compared as written: the same; mostly the same (near-identical text, or at least
/// half of the longer one's words shared, as when one word is misspelt, dropped or moved);
/// one longer word shared (a district or a street kind); different.
pub fn compare_place(a: Option<&str>, b: Option<&str>) -> u8 {
    let (Some(a), Some(b)) = (a, b) else { return 0 };
    if a == b {
        return 4;
    }
    if jaro_winkler(a.as_bytes(), b.as_bytes()) >= 0.9 {
        return 3;
    }
    let (wa, wb) = (place_words(a), place_words(b));
    let shared = wa.iter().filter(|w| wb.contains(w)).count();
    if 2 * shared >= wa.len().max(wb.len()) && shared >= 2 {
        return 3;
    }
    let long_shared = wa.iter().any(|w| w.len() >= 4 && wb.contains(w));
    if long_shared { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Dob> {
        Dob::parse(s).unwrap()
    }

    #[test]
    fn parses_dates() {
        assert_eq!(d("1990-03-12").unwrap().to_string(), "1990-03-12");
        assert_eq!(d("12/03/1990").unwrap().to_string(), "1990-03-12");
        assert_eq!(d("03/25/1990").unwrap().to_string(), "1990-03-25");
        assert_eq!(d("19900312").unwrap().to_string(), "1990-03-12");
        assert_eq!(d("12 Mar 1990").unwrap().to_string(), "1990-03-12");
        assert_eq!(d("1990"), Some(Dob::Year(1990)));
        assert_eq!(
            d("~1990"),
            Some(Dob::Estimated {
                year: 1990,
                tolerance: 2,
                stated_on: None,
            })
        );
        assert_eq!(d("1990-03-12 00:00:00").unwrap().to_string(), "1990-03-12");
        assert_eq!(d(""), None);
        assert!(Dob::parse("1990-02-30").is_err());
        assert!(Dob::parse("12/03/90").is_err());
        assert!(Dob::parse("yesterday").is_err());
    }

    #[test]
    fn day_numbers_agree_with_the_calendar() {
        let epoch = Date::new(1970, 1, 1).unwrap();
        let mut d = Date::new(1899, 12, 25).unwrap();
        while d.year() < 2031 {
            let days = epoch.until(d).unwrap().get_days();
            let n = day_number(
                i32::from(d.year()),
                i32::from(d.month()),
                i32::from(d.day()),
            );
            assert_eq!(n, days, "{d}");
            d = d.tomorrow().unwrap();
        }
        // 29 February a year off is the 28th.
        let leap = Date::new(2000, 2, 29).unwrap();
        assert!(one_slip_each(leap, Date::new(2001, 2, 28).unwrap()));
    }

    #[test]
    fn dob_levels() {
        let c = |a: &str, b: &str| compare_dob(d(a).as_ref(), d(b).as_ref());
        assert_eq!(c("1990-03-12", "1990-03-12"), dob_level::EXACT);
        assert_eq!(c("1990-03-12", "1990-12-03"), dob_level::TYPO);
        assert_eq!(c("1990-03-12", "1990-03-13"), dob_level::TYPO);
        assert_eq!(c("1990-03-12", "1990"), dob_level::YEAR);
        assert_eq!(c("1990-03-12", "~1991"), dob_level::NEAR);
        assert_eq!(c("1990-03-12", "1975-07-01"), dob_level::FAR);
        assert_eq!(c("1990-03-12", ""), dob_level::MISSING);
        // A day off across a month's or a year's end changes two digits or more.
        assert_eq!(c("1999-05-31", "1999-06-01"), dob_level::TYPO);
        assert_eq!(c("2000-01-01", "1999-12-31"), dob_level::TYPO);
        assert_eq!(c("1985-04-29", "1985-04-30"), dob_level::TYPO);
        // One slip in each record: a day and a year; day and month swapped and a year.
        assert_eq!(c("1996-08-24", "1997-08-23"), dob_level::TYPO);
        assert_eq!(c("1998-09-02", "1999-02-09"), dob_level::TYPO);
        // Twelve days apart, or a year and two days: no slip of one each explains it.
        assert_eq!(c("1990-03-12", "1990-03-24"), dob_level::FAR);
        assert_eq!(c("1990-03-12", "1991-03-14"), dob_level::FAR);
        let on = Date::new(2025, 10, 24).unwrap();
        assert_eq!(
            compare_dob(Some(&Dob::from_age(35, on, 2)), d("1990-03-12").as_ref()),
            dob_level::NEAR
        );
        // "Age 27" on 2025-10-25: born from 1997-10-26 to 1998-10-25; give or take three
        // years, from 1994-10-26 to 2001-10-25.
        let age = Dob::parse_on("age 27", Date::new(2025, 10, 25).ok()).unwrap();
        let a = |b: &str| compare_dob(age.as_ref(), d(b).as_ref());
        assert_eq!(a("1994-11-14"), dob_level::AGE);
        assert_eq!(a("2001-10-25"), dob_level::AGE);
        assert_eq!(a("2001-12-31"), dob_level::FAR);
        assert_eq!(a("1993-06-01"), dob_level::FAR);
        assert_eq!(a("2002-01-01"), dob_level::FAR);
        // A full date gives the exact age on the day: 31 in October 1994 is four years over.
        assert_eq!(a("1994-10-25"), dob_level::FAR);
        assert_eq!(a("1994-10-26"), dob_level::AGE);
        assert_eq!(a("2001-10-26"), dob_level::FAR);
        // A year alone may be either side of the birthday.
        assert_eq!(a("1994"), dob_level::AGE);
        assert_eq!(a("2001"), dob_level::AGE);
    }

    #[test]
    fn reads_an_age_in_the_date_column() {
        let on = Date::new(2025, 10, 25).ok();
        let expected = Some(Dob::Estimated {
            year: 1998,
            tolerance: AGE_TOLERANCE,
            stated_on: Some((10, 25)),
        });
        for s in [
            "age 27",
            "Age: 27",
            "aged 27 years",
            "27 years",
            "27 yrs",
            "27y",
            "27 years old",
        ] {
            assert_eq!(Dob::parse_on(s, on), Ok(expected), "{s}");
        }
        // Without the list's date an age cannot be placed, and says so.
        let e = Dob::parse("age 27").unwrap_err();
        assert!(e.contains("age 27"), "{e}");
        assert!(Dob::parse_on("age many", on).is_err());
        assert!(Dob::parse_on("age 300", on).is_err());
        // Dates and years are unaffected.
        assert_eq!(Dob::parse_on("1998", on), Ok(Some(Dob::Year(1998))));
        // Compared with tolerance against a full date: 1996-1998 near, 1990 far.
        let age = Dob::parse_on("age 27", on).unwrap();
        assert_eq!(
            compare_dob(age.as_ref(), d("1996-01-31").as_ref()),
            dob_level::AGE
        );
        // Two ages: both tolerances; an estimated year ("~1990", two years) stays NEAR.
        let other = Dob::parse_on("age 33", on).unwrap();
        assert_eq!(compare_dob(age.as_ref(), other.as_ref()), dob_level::AGE);
        let far = Dob::parse_on("age 40", on).unwrap();
        assert_eq!(compare_dob(age.as_ref(), far.as_ref()), dob_level::FAR);
        assert_eq!(
            compare_dob(d("~1996").as_ref(), d("1998-01-31").as_ref()),
            dob_level::NEAR
        );
        assert_eq!(
            compare_dob(age.as_ref(), d("1990-01-31").as_ref()),
            dob_level::FAR
        );
    }

    #[test]
    fn place_levels() {
        let c = |a: &str, b: &str| compare_place(Some(a), Some(b));
        assert_eq!(c("7 wallaby place, delmar", "7 wallaby place, delmar"), 4);
        // One word misspelt or moved: mostly the same.
        assert_eq!(
            c(
                "70 corin place, oxford, kuraby, qld 4216",
                "70 corin p lace, kuraby, qld 4216"
            ),
            3
        );
        assert_eq!(
            c(
                "23 summerville crescent, huntawyle, wa 4560",
                "23 huntawyle, summerville crescent, wa 4560"
            ),
            3
        );
        // Only a street kind or a district in common.
        assert_eq!(
            c("12 leahy close, dover heights", "91 daley close, mayfield"),
            2
        );
        assert_eq!(c("Cox's Bazar", "Sylhet"), 1);
        assert_eq!(compare_place(None, Some("Sylhet")), 0);
    }

    #[test]
    fn phones_to_e164() {
        let th = country("Thai");
        let p = Phone::parse("081 234 5678", th).unwrap().unwrap();
        assert_eq!(p.e164, "+66812345678");
        let q = Phone::parse("+66 81-234-5678", None).unwrap().unwrap();
        assert_eq!(compare_phone(Some(&p), Some(&q)), 3);
        let r = Phone::parse("0066812345678", None).unwrap().unwrap();
        assert_eq!(r.e164, "+66812345678");
        assert!(Phone::parse("call me", None).is_err());
        // One digit misheard: the same number; two: another number.
        let one_off = Phone::parse("+66812345679", None).unwrap().unwrap();
        assert_eq!(compare_phone(Some(&p), Some(&one_off)), 2);
        let two_off = Phone::parse("+66812345600", None).unwrap().unwrap();
        assert_eq!(compare_phone(Some(&p), Some(&two_off)), 1);
    }

    #[test]
    fn documents_and_ocr() {
        let a = DocNumber::parse("E1234567O").unwrap();
        let b = DocNumber::parse("e12345670").unwrap();
        assert_eq!(compare_doc(a.as_ref(), b.as_ref()), 3);
        let c = DocNumber::parse("E12345678").unwrap();
        assert_eq!(compare_doc(a.as_ref(), c.as_ref()), 2);
        let e = DocNumber::parse("K99887766").unwrap();
        assert_eq!(compare_doc(a.as_ref(), e.as_ref()), 1);
    }

    #[test]
    fn countries() {
        assert_eq!(nationality_key("Burmese").as_deref(), Some("MMR"));
        assert_eq!(nationality_key("VN").as_deref(), Some("VNM"));
        assert_eq!(nationality_key("Viet Nam").as_deref(), Some("VNM"));
        assert_eq!(nationality_key("Atlantis").as_deref(), Some("atlantis"));
    }
}
