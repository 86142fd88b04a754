//! Field positions of the five formats, and [`Mrz`], a normalised zone held
//! in a fixed buffer so that parsing a clean zone does not allocate.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Longest zone: TD1, three lines of 30.
pub(crate) const MAX_LEN: usize = 90;

/// The document formats of ICAO Doc 9303.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// Card, 3 lines of 30 (Part 5).
    #[serde(rename = "TD1")]
    Td1,
    /// Card or document, 2 lines of 36 (Part 6).
    #[serde(rename = "TD2")]
    Td2,
    /// Passport, 2 lines of 44 (Part 4).
    #[serde(rename = "TD3")]
    Td3,
    /// Visa type A, 2 lines of 44 (Part 7).
    #[serde(rename = "MRVA")]
    MrvA,
    /// Visa type B, 2 lines of 36 (Part 7).
    #[serde(rename = "MRVB")]
    MrvB,
}

impl Format {
    /// The name used in JSON output: `TD1`, `TD2`, `TD3`, `MRVA` or `MRVB`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::MrvA => "MRVA",
            Format::MrvB => "MRVB",
        }
    }

    pub fn line_len(self) -> usize {
        match self {
            Format::Td1 => 30,
            Format::Td2 | Format::MrvB => 36,
            Format::Td3 | Format::MrvA => 44,
        }
    }

    pub fn line_count(self) -> usize {
        match self {
            Format::Td1 => 3,
            _ => 2,
        }
    }

    pub fn total_len(self) -> usize {
        self.line_len() * self.line_count()
    }

    /// The format of a zone of `total_len` characters whose first character
    /// is `first` (visas start with `V`).
    pub(crate) fn detect(total_len: usize, first: u8) -> Option<Format> {
        match (total_len, first) {
            (90, _) => Some(Format::Td1),
            (72, b'V') => Some(Format::MrvB),
            (72, _) => Some(Format::Td2),
            (88, b'V') => Some(Format::MrvA),
            (88, _) => Some(Format::Td3),
            _ => None,
        }
    }

    pub(crate) fn layout(self) -> &'static Layout {
        match self {
            Format::Td1 => &TD1,
            Format::Td2 => &TD2,
            Format::Td3 => &TD3,
            Format::MrvA => &MRVA,
            Format::MrvB => &MRVB,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 0-based offsets into the zone with its lines concatenated.
#[derive(Debug)]
pub(crate) struct Layout {
    pub format: Format,
    pub doc_code: Range<usize>,
    pub issuing_state: Range<usize>,
    pub name: Range<usize>,
    pub doc_number: Range<usize>,
    pub doc_check: usize,
    pub nationality: Range<usize>,
    pub birth: Range<usize>,
    pub birth_check: usize,
    pub sex: usize,
    pub expiry: Range<usize>,
    pub expiry_check: usize,
    /// TD3 personal number, TD1 line-1 optional data, otherwise the optional field.
    pub optional: Range<usize>,
    /// Only TD3 has a check digit on the optional field.
    pub optional_check: Option<usize>,
    /// TD1 line-2 optional data.
    pub optional2: Option<Range<usize>>,
    pub composite: Option<Composite>,
    /// TD1 and TD2 carry document numbers over nine characters in the optional field.
    pub long_numbers: bool,
}

#[derive(Debug)]
pub(crate) struct Composite {
    pub ranges: &'static [Range<usize>],
    pub check: usize,
}

static TD3: Layout = Layout {
    format: Format::Td3,
    doc_code: 0..2,
    issuing_state: 2..5,
    name: 5..44,
    doc_number: 44..53,
    doc_check: 53,
    nationality: 54..57,
    birth: 57..63,
    birth_check: 63,
    sex: 64,
    expiry: 65..71,
    expiry_check: 71,
    optional: 72..86,
    optional_check: Some(86),
    optional2: None,
    composite: Some(Composite {
        ranges: &[44..54, 57..64, 65..87],
        check: 87,
    }),
    long_numbers: false,
};

static MRVA: Layout = Layout {
    format: Format::MrvA,
    doc_code: 0..2,
    issuing_state: 2..5,
    name: 5..44,
    doc_number: 44..53,
    doc_check: 53,
    nationality: 54..57,
    birth: 57..63,
    birth_check: 63,
    sex: 64,
    expiry: 65..71,
    expiry_check: 71,
    optional: 72..88,
    optional_check: None,
    optional2: None,
    composite: None,
    long_numbers: false,
};

static TD2: Layout = Layout {
    format: Format::Td2,
    doc_code: 0..2,
    issuing_state: 2..5,
    name: 5..36,
    doc_number: 36..45,
    doc_check: 45,
    nationality: 46..49,
    birth: 49..55,
    birth_check: 55,
    sex: 56,
    expiry: 57..63,
    expiry_check: 63,
    optional: 64..71,
    optional_check: None,
    optional2: None,
    composite: Some(Composite {
        ranges: &[36..46, 49..56, 57..71],
        check: 71,
    }),
    long_numbers: true,
};

static MRVB: Layout = Layout {
    format: Format::MrvB,
    doc_code: 0..2,
    issuing_state: 2..5,
    name: 5..36,
    doc_number: 36..45,
    doc_check: 45,
    nationality: 46..49,
    birth: 49..55,
    birth_check: 55,
    sex: 56,
    expiry: 57..63,
    expiry_check: 63,
    optional: 64..72,
    optional_check: None,
    optional2: None,
    composite: None,
    long_numbers: false,
};

static TD1: Layout = Layout {
    format: Format::Td1,
    doc_code: 0..2,
    issuing_state: 2..5,
    doc_number: 5..14,
    doc_check: 14,
    optional: 15..30,
    birth: 30..36,
    birth_check: 36,
    sex: 37,
    expiry: 38..44,
    expiry_check: 44,
    nationality: 45..48,
    optional2: Some(48..59),
    composite: Some(Composite {
        ranges: &[5..30, 30..37, 38..45, 48..59],
        check: 59,
    }),
    name: 60..90,
    optional_check: None,
    long_numbers: true,
};

/// A line and column in the zone, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Position {
    pub line: u8,
    pub column: u8,
}

impl Position {
    pub(crate) fn of(format: Format, index: usize) -> Position {
        let len = format.line_len();
        // Indices are below 90, so both parts fit in a u8.
        Position {
            line: (index / len + 1) as u8,
            column: (index % len + 1) as u8,
        }
    }

    /// The 0-based offset of this position in the concatenated zone.
    pub fn index(self, format: Format) -> Option<usize> {
        let (line, column) = (usize::from(self.line), usize::from(self.column));
        if line == 0 || column == 0 || line > format.line_count() || column > format.line_len() {
            return None;
        }
        Some((line - 1) * format.line_len() + column - 1)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A machine-readable zone after normalisation: upper case, fillers as `<`,
/// exactly the format's number of lines and characters. Characters outside
/// the MRZ alphabet are kept as `?` so their position can be reported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Mrz {
    format: Format,
    bytes: [u8; MAX_LEN],
}

impl Mrz {
    /// Builds a zone from its lines concatenated. Bytes must be printable
    /// ASCII; anything else is stored as `?`.
    pub(crate) fn from_concatenated(format: Format, text: &[u8]) -> Option<Mrz> {
        if text.len() != format.total_len() {
            return None;
        }
        let mut bytes = [b'<'; MAX_LEN];
        for (slot, &b) in bytes.iter_mut().zip(text) {
            *slot = if b.is_ascii_graphic() { b } else { b'?' };
        }
        Some(Mrz { format, bytes })
    }

    /// Wraps a buffer whose first `format.total_len()` bytes are known to be
    /// MRZ characters.
    pub(crate) fn from_clean(format: Format, bytes: [u8; MAX_LEN]) -> Mrz {
        Mrz { format, bytes }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The zone's characters with the lines concatenated.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.format.total_len()]
    }

    pub(crate) fn slice(&self, range: Range<usize>) -> &str {
        // Every stored byte is printable ASCII, so this never fails.
        self.as_bytes()
            .get(range)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    pub(crate) fn byte(&self, index: usize) -> u8 {
        self.as_bytes().get(index).copied().unwrap_or(b'?')
    }

    /// Line `n` (0-based), or `None` past the last line.
    pub fn line(&self, n: usize) -> Option<&str> {
        if n >= self.format.line_count() {
            return None;
        }
        let len = self.format.line_len();
        Some(self.slice(n * len..(n + 1) * len))
    }

    pub fn lines(&self) -> impl Iterator<Item = &str> {
        (0..self.format.line_count()).filter_map(|n| self.line(n))
    }
}

/// Lines separated by `\n`, no trailing newline.
impl fmt::Display for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, line) in self.lines().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(line)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Mrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mrz")
            .field("format", &self.format)
            .field("lines", &self.lines().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(layout: &Layout) -> Vec<usize> {
        let mut v = vec![0usize; layout.format.total_len()];
        let mut mark = |r: Range<usize>| r.for_each(|i| v[i] += 1);
        mark(layout.doc_code.clone());
        mark(layout.issuing_state.clone());
        mark(layout.name.clone());
        mark(layout.doc_number.clone());
        mark(layout.doc_check..layout.doc_check + 1);
        mark(layout.nationality.clone());
        mark(layout.birth.clone());
        mark(layout.birth_check..layout.birth_check + 1);
        mark(layout.sex..layout.sex + 1);
        mark(layout.expiry.clone());
        mark(layout.expiry_check..layout.expiry_check + 1);
        mark(layout.optional.clone());
        if let Some(c) = layout.optional_check {
            mark(c..c + 1);
        }
        if let Some(r) = &layout.optional2 {
            mark(r.clone());
        }
        if let Some(c) = &layout.composite {
            mark(c.check..c.check + 1);
        }
        v
    }

    #[test]
    fn every_position_belongs_to_exactly_one_field() {
        for f in [
            Format::Td1,
            Format::Td2,
            Format::Td3,
            Format::MrvA,
            Format::MrvB,
        ] {
            let layout = f.layout();
            assert_eq!(layout.format, f);
            let v = covered(layout);
            assert!(v.iter().all(|&n| n == 1), "{f}: {v:?}");
        }
    }

    #[test]
    fn positions_round_trip() {
        for f in [Format::Td1, Format::Td2, Format::Td3] {
            for i in 0..f.total_len() {
                assert_eq!(Position::of(f, i).index(f), Some(i));
            }
        }
        assert_eq!(
            Position::of(Format::Td3, 44),
            Position { line: 2, column: 1 }
        );
        assert_eq!(Position { line: 3, column: 1 }.index(Format::Td3), None);
    }
}

/// Which characters a position of a zone can hold, so that a reader of
/// images can choose between look-alikes (`O` and `0`, `B` and `8`) before
/// any check digit is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharClass {
    /// Codes and names: `A`–`Z` and `<`.
    Letters,
    /// Dates and check digits: `0`–`9` and `<` (unknown dates, the
    /// long-number marker, an empty personal number's check).
    Digits,
    /// `F`, `M`, `X` or `<`.
    Sex,
    /// Document numbers and optional data: letters, digits and `<`.
    Any,
}

impl CharClass {
    /// The characters of this class.
    pub fn characters(self) -> &'static str {
        match self {
            CharClass::Letters => "ABCDEFGHIJKLMNOPQRSTUVWXYZ<",
            CharClass::Digits => "0123456789<",
            CharClass::Sex => "FMX<",
            CharClass::Any => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<",
        }
    }
}

/// The class of every position of a zone of `format`, lines concatenated.
pub fn char_classes(format: Format) -> Vec<CharClass> {
    let l = format.layout();
    let mut classes = vec![CharClass::Any; format.total_len()];
    let mut set = |range: std::ops::Range<usize>, class: CharClass| {
        for c in &mut classes[range] {
            *c = class;
        }
    };
    set(l.doc_code.clone(), CharClass::Letters);
    set(l.issuing_state.clone(), CharClass::Letters);
    set(l.name.clone(), CharClass::Letters);
    set(l.nationality.clone(), CharClass::Letters);
    set(l.birth.clone(), CharClass::Digits);
    set(l.expiry.clone(), CharClass::Digits);
    set(l.sex..l.sex + 1, CharClass::Sex);
    let checks = [Some(l.doc_check), Some(l.birth_check), Some(l.expiry_check)];
    for i in checks
        .into_iter()
        .chain([l.optional_check, l.composite.as_ref().map(|c| c.check)])
        .flatten()
    {
        set(i..i + 1, CharClass::Digits);
    }
    classes
}
