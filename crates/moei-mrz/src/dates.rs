//! Century inference for the two-digit years of a zone.
//!
//! Rule, given a reference date R (normally today):
//! - **Birth dates** take the latest century that does not put the date
//!   after R. A person born 100 or more years before R is therefore read as
//!   a century too young; zones carry no more information than that.
//! - **Expiry dates** take the year in the window from `R.year - 79` to
//!   `R.year + 20`. No travel document is valid for more than 20 years, and
//!   an expiry 80 years past is as unlikely as one 80 years ahead.

use jiff::civil::Date;

/// How far ahead an expiry date may lie, in years.
pub const EXPIRY_YEARS_AHEAD: i32 = 20;

fn make(year: i32, month: u8, day: u8) -> Option<Date> {
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    Date::new(year, month, day).ok()
}

/// Birth date from `YY`, `MM`, `DD`: the latest century that keeps the date
/// on or before `reference`. `None` if it is not a calendar date.
pub fn birth_date(yy: u8, month: u8, day: u8, reference: Date) -> Option<Date> {
    if yy > 99 {
        return None;
    }
    let ref_year = i32::from(reference.year());
    let year = ref_year - (ref_year - i32::from(yy)).rem_euclid(100);
    match make(year, month, day) {
        Some(date) if date <= reference => Some(date),
        // Same two-digit year but later in the reference year: a century back.
        Some(_) => make(year - 100, month, day),
        None => None,
    }
}

/// Expiry (or visa "valid until") date from `YY`, `MM`, `DD`: the year in
/// `reference.year - 79 ..= reference.year + 20`. `None` if it is not a
/// calendar date.
pub fn expiry_date(yy: u8, month: u8, day: u8, reference: Date) -> Option<Date> {
    if yy > 99 {
        return None;
    }
    let top = i32::from(reference.year()) + EXPIRY_YEARS_AHEAD;
    let year = top - (top - i32::from(yy)).rem_euclid(100);
    make(year, month, day)
}

/// Reads `YYMMDD`; `None` unless all six are ASCII digits.
pub(crate) fn digits(field: &[u8]) -> Option<(u8, u8, u8)> {
    if field.len() != 6 || !field.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| (field[i] - b'0') * 10 + (field[i + 1] - b'0');
    Some((two(0), two(2), two(4)))
}

/// Doc 9303 writes unknown parts of a date as fillers: `YY<<<<`, `YYMM<<`
/// or `<<<<<<`.
pub(crate) fn is_partly_unknown(field: &[u8]) -> bool {
    let known = field.iter().take_while(|b| b.is_ascii_digit()).count();
    matches!(known, 0 | 2 | 4) && field.len() == 6 && field[known..].iter().all(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn birth_dates_never_lie_after_the_reference() {
        let r = date(2026, 11, 25);
        assert_eq!(birth_date(74, 8, 12, r), Some(date(1974, 8, 12)));
        assert_eq!(birth_date(26, 11, 25, r), Some(date(2026, 11, 25)));
        assert_eq!(birth_date(26, 11, 26, r), Some(date(1926, 11, 26)));
        assert_eq!(birth_date(0, 2, 29, r), Some(date(2000, 2, 29)));
        assert_eq!(birth_date(27, 1, 1, r), Some(date(1927, 1, 1)));
        assert_eq!(birth_date(74, 13, 1, r), None);
        assert_eq!(birth_date(74, 2, 30, r), None);
        // 1900 was not a leap year.
        assert_eq!(birth_date(0, 2, 29, date(1999, 1, 1)), None);
    }

    #[test]
    fn expiry_dates_reach_twenty_years_ahead() {
        let r = date(2026, 11, 25);
        assert_eq!(expiry_date(12, 4, 15, r), Some(date(2012, 4, 15)));
        assert_eq!(expiry_date(46, 12, 31, r), Some(date(2046, 12, 31)));
        assert_eq!(expiry_date(47, 1, 1, r), Some(date(1947, 1, 1)));
        assert_eq!(expiry_date(94, 6, 23, r), Some(date(1994, 6, 23)));
        assert_eq!(expiry_date(30, 1, 1, r), Some(date(2030, 1, 1)));
        assert_eq!(expiry_date(30, 0, 1, r), None);
    }

    #[test]
    fn partly_unknown_patterns() {
        assert!(is_partly_unknown(b"74<<<<"));
        assert!(is_partly_unknown(b"7408<<"));
        assert!(is_partly_unknown(b"<<<<<<"));
        assert!(!is_partly_unknown(b"740812"));
        assert!(!is_partly_unknown(b"7<0812"));
        assert!(!is_partly_unknown(b"740<<<"));
        assert_eq!(digits(b"740812"), Some((74, 8, 12)));
        assert_eq!(digits(b"74O812"), None);
    }
}
