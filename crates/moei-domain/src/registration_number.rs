//! Registration numbers are read aloud, written on wristbands and typed back in, so they are
//! short, digits only after a site prefix, and end with a Damm check digit, which catches every
//! single-digit error and every adjacent transposition.
//!
//! Format: `SITE-NNNNNNC`, e.g. `MSB-0001234`: site code (2 to 4 letters, one per registration
//! post so offline laptops never collide), six-digit sequence, check digit.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationNumberError {
    #[error("registration number must look like SITE-NNNNNNC (e.g. MSB-0001234)")]
    Shape,
    #[error("registration number check digit does not match: the number was mistyped")]
    CheckDigit,
    #[error("site code must be 2 to 4 letters A-Z")]
    Site,
}

const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

fn damm(digits: &str) -> u8 {
    digits.bytes().fold(0u8, |interim, b| {
        DAMM[interim as usize][(b - b'0') as usize]
    })
}

pub fn valid_site(site: &str) -> bool {
    (2..=4).contains(&site.len()) && site.bytes().all(|b| b.is_ascii_uppercase())
}

impl RegistrationNumber {
    pub fn new(site: &str, sequence: u32) -> Result<Self, RegistrationNumberError> {
        if !valid_site(site) {
            return Err(RegistrationNumberError::Site);
        }
        if sequence > 999_999 {
            return Err(RegistrationNumberError::Shape);
        }
        let digits = format!("{sequence:06}");
        let check = damm(&digits);
        Ok(Self(format!("{site}-{digits}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Accepts what people type: lower case, spaces, a missing or extra dash.
    pub fn parse_lenient(input: &str) -> Result<Self, RegistrationNumberError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let split = cleaned
            .find(|c: char| c.is_ascii_digit())
            .ok_or(RegistrationNumberError::Shape)?;
        let (site, digits) = cleaned.split_at(split);
        if !valid_site(site) {
            return Err(RegistrationNumberError::Site);
        }
        if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegistrationNumberError::Shape);
        }
        if damm(digits) != 0 {
            return Err(RegistrationNumberError::CheckDigit);
        }
        Ok(Self(format!("{site}-{digits}")))
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegistrationNumber {
    type Err = RegistrationNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_lenient(s)
    }
}

impl TryFrom<String> for RegistrationNumber {
    type Error = RegistrationNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_lenient(&s)
    }
}

impl From<RegistrationNumber> for String {
    fn from(r: RegistrationNumber) -> String {
        r.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip_and_lenient_input() {
        let r = RegistrationNumber::new("MSB", 1234).unwrap();
        assert_eq!(r.as_str().len(), "MSB-0001234".len());
        assert_eq!(
            RegistrationNumber::parse_lenient(&r.as_str().to_lowercase()).unwrap(),
            r
        );
        assert_eq!(
            RegistrationNumber::parse_lenient(&r.as_str().replace('-', " ")).unwrap(),
            r
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "-",
            "MSB",
            "MSB-12",
            "M-0001234",
            "MSBXX-0001234",
            "MSB-00012a4",
            "١٢٣",
        ] {
            assert!(RegistrationNumber::parse_lenient(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_single_digit_error_is_caught(seq in 0u32..1_000_000, pos in 0usize..7, delta in 1u8..10) {
            let r = RegistrationNumber::new("MS", seq).unwrap();
            let mut bytes = r.as_str().as_bytes().to_vec();
            let i = 3 + pos;
            bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(RegistrationNumber::parse_lenient(&typo), Err(RegistrationNumberError::CheckDigit));
        }

        #[test]
        fn every_adjacent_transposition_is_caught(seq in 0u32..1_000_000, pos in 0usize..6) {
            let r = RegistrationNumber::new("MS", seq).unwrap();
            let mut bytes = r.as_str().as_bytes().to_vec();
            let i = 3 + pos;
            prop_assume!(bytes[i] != bytes[i + 1]);
            bytes.swap(i, i + 1);
            let typo = String::from_utf8(bytes).unwrap();
            prop_assert!(RegistrationNumber::parse_lenient(&typo).is_err());
        }

        #[test]
        fn never_panics(s in ".*") {
            let _ = RegistrationNumber::parse_lenient(&s);
        }
    }
}
