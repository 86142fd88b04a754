//! Issuing-state and nationality codes: ISO 3166-1 alpha-3 plus the extra
//! codes of ICAO Doc 9303 Part 3, kept in `data/countries.tsv`.

use std::sync::LazyLock;

const TABLE: &str = include_str!("../data/countries.tsv");

/// Where a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// ISO 3166-1 alpha-3.
    Iso,
    /// Added by ICAO Doc 9303 Part 3 (for example `D`, `GBN`, `XXA`, `UNO`).
    Icao,
}

/// One row of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Country {
    /// The code without trailing fillers (`D` for Germany, written `D<<` in a zone).
    pub code: &'static str,
    /// English name.
    pub name: &'static str,
    pub kind: CodeKind,
}

struct Table {
    rows: Vec<Country>,
    /// Row index + 1 for every possible code (see [`slot`]), 0 where unknown:
    /// a direct lookup, since every parse looks up two codes.
    index: Vec<u16>,
    /// 1-based line numbers of rows that could not be read (tests keep this empty).
    #[cfg_attr(not(test), allow(dead_code, reason = "read by the data-file test"))]
    bad_lines: Vec<usize>,
}

static COUNTRIES: LazyLock<Table> = LazyLock::new(load);

fn load() -> Table {
    let mut rows = Vec::with_capacity(280);
    let mut bad_lines = Vec::new();
    let mut header_seen = false;
    for (i, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let mut cols = line.split('\t');
        let row = match (cols.next(), cols.next(), cols.next(), cols.next()) {
            (Some(code), Some(kind), Some(name), None)
                if (1..=3).contains(&code.len())
                    && code.bytes().all(|b| b.is_ascii_uppercase())
                    && !name.is_empty() =>
            {
                let kind = match kind {
                    "iso" => CodeKind::Iso,
                    "icao" => CodeKind::Icao,
                    _ => {
                        bad_lines.push(i + 1);
                        continue;
                    }
                };
                Country { code, name, kind }
            }
            _ => {
                bad_lines.push(i + 1);
                continue;
            }
        };
        rows.push(row);
    }
    rows.sort_by(|a, b| a.code.cmp(b.code));
    rows.dedup_by(|a, b| {
        let dup = a.code == b.code;
        if dup {
            // Keep the first row; a duplicate is a data error the tests catch.
            bad_lines.push(0);
        }
        dup
    });
    let mut index = vec![0u16; SLOTS];
    for (i, row) in rows.iter().enumerate() {
        if let (Some(s), Ok(v)) = (slot(row.code.as_bytes()), u16::try_from(i + 1)) {
            index[s] = v;
        }
    }
    Table {
        rows,
        index,
        bad_lines,
    }
}

/// Codes of up to three letters, each letter 1-26 and a missing one 0.
const SLOTS: usize = 27 * 27 * 27;

fn slot(code: &[u8]) -> Option<usize> {
    if code.is_empty() || code.len() > 3 {
        return None;
    }
    let mut s = 0usize;
    for i in 0..3 {
        let digit = match code.get(i) {
            None => 0,
            Some(&b @ b'A'..=b'Z') => usize::from(b - b'A') + 1,
            Some(_) => return None,
        };
        s = s * 27 + digit;
    }
    Some(s)
}

/// Upper-cases `code` and drops surrounding spaces and trailing fillers,
/// without allocating. `None` if nothing of 1-3 characters remains.
fn normalise(code: &str) -> Option<([u8; 3], usize)> {
    let trimmed = code.trim().trim_end_matches('<');
    let bytes = trimmed.as_bytes();
    if bytes.is_empty() || bytes.len() > 3 {
        return None;
    }
    let mut key = [0u8; 3];
    for (slot, b) in key.iter_mut().zip(bytes) {
        *slot = b.to_ascii_uppercase();
    }
    Some((key, bytes.len()))
}

fn find(code: &str) -> Option<&'static Country> {
    let (key, len) = normalise(code)?;
    let table = &*COUNTRIES;
    let row = *table.index.get(slot(&key[..len])?)?;
    table.rows.get(usize::from(row).checked_sub(1)?)
}

/// English name of an issuing-state or nationality code, or `None` if the
/// code is not in the table. Case and trailing fillers are ignored, so `D`,
/// `D<<` and `d` all name Germany.
pub fn country_name(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.name)
}

/// Whether `code` is a known ISO 3166-1 alpha-3 or ICAO Doc 9303 code.
pub fn is_known_code(code: &str) -> bool {
    find(code).is_some()
}

/// The full table row for a code.
pub fn country(code: &str) -> Option<&'static Country> {
    find(code)
}

/// Every known code, sorted by code.
pub fn countries() -> impl Iterator<Item = &'static Country> {
    COUNTRIES.rows.iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reads_without_bad_lines() {
        assert_eq!(COUNTRIES.bad_lines, Vec::<usize>::new());
        let iso = countries().filter(|c| c.kind == CodeKind::Iso).count();
        let icao = countries().filter(|c| c.kind == CodeKind::Icao).count();
        assert_eq!(iso, 249);
        assert_eq!(icao, 26);
    }

    #[test]
    fn icao_codes_from_the_issue_are_all_present() {
        for code in [
            "D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "EUE", "UNO", "UNA", "UNK", "XXA", "XXB",
            "XXC", "XXX", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XES", "XMP", "XDC", "XPO",
            "XOM", "UTO",
        ] {
            assert!(is_known_code(code), "{code} missing");
        }
    }

    #[test]
    fn caseload_codes_are_iso() {
        for code in [
            "CHN", "VNM", "IND", "ETH", "IDN", "PHL", "MYS", "PAK", "KEN", "TWN", "NPL", "LKA",
            "BGD", "LAO", "KHM", "MMR", "THA",
        ] {
            assert_eq!(country(code).map(|c| c.kind), Some(CodeKind::Iso), "{code}");
        }
    }

    #[test]
    fn lookups_ignore_case_and_fillers() {
        assert_eq!(country_name("D<<"), Some("Germany"));
        assert_eq!(country_name("d"), Some("Germany"));
        assert_eq!(country_name("mmr"), Some("Myanmar"));
        assert_eq!(country_name("XXB"), Some("Refugee (1951 Convention)"));
        assert_eq!(
            country_name("XXA"),
            Some("Stateless person (1954 Convention)")
        );
        assert_eq!(country_name("GB"), None);
        assert_eq!(country_name("ABCD"), None);
        assert_eq!(country_name(""), None);
        assert_eq!(country_name("<<<"), None);
        assert!(!is_known_code("QQQ"));
    }

    #[test]
    fn iterator_is_sorted_and_unique() {
        let codes: Vec<&str> = countries().map(|c| c.code).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }
}
