//! The MRZ alphabet, the 7-3-1 check digit and the OCR confusions used by
//! the correction search.

/// The filler character of a machine-readable zone.
pub const FILLER: u8 = b'<';

/// Marks bytes outside the alphabet in [`VALUES`].
const NOT_MRZ: u8 = u8::MAX;

/// Check-digit value of every byte, looked up rather than matched because
/// this sits on the hot path of every parse.
const VALUES: [u8; 256] = {
    let mut table = [NOT_MRZ; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table[FILLER as usize] = 0;
    table
};

/// Value of one MRZ character for the check digit: digits as themselves,
/// A=10 … Z=35, filler 0. `None` outside the alphabet.
#[inline]
pub(crate) fn char_value(b: u8) -> Option<u32> {
    match VALUES[usize::from(b)] {
        NOT_MRZ => None,
        v => Some(u32::from(v)),
    }
}

#[inline]
pub(crate) fn is_mrz_char(b: u8) -> bool {
    VALUES[usize::from(b)] != NOT_MRZ
}

/// Check digit (0-9) over bytes, continuing the 7-3-1 weights across all of
/// them. `None` when a byte is outside the MRZ alphabet.
#[inline]
pub(crate) fn check_digit_of<I: IntoIterator<Item = u8>>(bytes: I) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    let mut w = 0;
    for b in bytes {
        sum += char_value(b)? * WEIGHTS[w];
        w = if w == 2 { 0 } else { w + 1 };
    }
    // `sum % 10` is below 10, so the narrowing cannot lose information.
    Some((sum % 10) as u8)
}

/// ICAO Doc 9303 check digit of `text` (digits, upper-case letters, `<`).
///
/// Returns `None` if `text` holds any other character.
///
/// ```
/// assert_eq!(moei_mrz::check_digit("L898902C3"), Some(6));
/// assert_eq!(moei_mrz::check_digit("l898902c3"), None);
/// ```
pub fn check_digit(text: &str) -> Option<u8> {
    check_digit_of(text.bytes())
}

/// The digit an OCR engine most likely meant when it read a letter in a
/// field that must be numeric.
pub(crate) fn digit_for_letter(b: u8) -> Option<u8> {
    Some(match b {
        b'O' | b'Q' | b'D' => b'0',
        b'I' | b'L' => b'1',
        b'Z' => b'2',
        b'A' => b'4',
        b'S' => b'5',
        b'G' => b'6',
        b'T' => b'7',
        b'B' => b'8',
        _ => return None,
    })
}

/// Letters an OCR engine may have turned into this digit, most likely first.
pub(crate) fn letters_for_digit(b: u8) -> &'static [u8] {
    match b {
        b'0' => b"ODQ",
        b'1' => b"IL",
        b'2' => b"Z",
        b'4' => b"A",
        b'5' => b"S",
        b'6' => b"G",
        b'7' => b"T",
        b'8' => b"B",
        _ => b"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_example_sums_to_316() {
        // L898902C3: 147+24+9+56+27+0+14+36+3 = 316.
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit(""), Some(0));
        assert_eq!(check_digit("<<<<"), Some(0));
        assert_eq!(check_digit("A"), Some(0)); // 10*7 = 70
        assert_eq!(check_digit("1"), Some(7));
        assert_eq!(check_digit("a"), None);
    }

    #[test]
    fn confusions_round_trip_for_the_primary_pairs() {
        for &(letter, digit) in &[
            (b'O', b'0'),
            (b'I', b'1'),
            (b'Z', b'2'),
            (b'A', b'4'),
            (b'S', b'5'),
            (b'G', b'6'),
            (b'T', b'7'),
            (b'B', b'8'),
        ] {
            assert_eq!(digit_for_letter(letter), Some(digit));
            assert_eq!(letters_for_digit(digit).first(), Some(&letter));
        }
        assert_eq!(digit_for_letter(b'X'), None);
        assert!(letters_for_digit(b'3').is_empty());
    }
}
