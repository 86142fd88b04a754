//! From free text (OCR output, pasted text, a scanner's keyboard wedge) to
//! an [`Mrz`] of the right shape.

use crate::charset::is_mrz_char;
use crate::layout::{Format, MAX_LEN, Mrz};

pub(crate) struct Normalised {
    pub mrz: Mrz,
    /// Non-empty lines around the zone that were not part of it.
    pub ignored_lines: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NormaliseError {
    Empty,
    /// Lengths of the non-empty lines found, after cleaning.
    Shape(Vec<usize>),
}

/// Clean input (exact lines, upper case, MRZ characters only) takes a
/// path that copies bytes and allocates nothing.
fn fast_path(input: &str) -> Option<Mrz> {
    let bytes = input.as_bytes();
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let (line_len, lines) = match bytes.len() {
        89 => (44, 2),
        73 => (36, 2),
        92 => (30, 3),
        _ => return None,
    };
    let mut buf = [0u8; MAX_LEN];
    for (n, out) in buf.chunks_exact_mut(line_len).take(lines).enumerate() {
        let start = n * (line_len + 1);
        let line = bytes.get(start..start + line_len)?;
        if n + 1 < lines && bytes.get(start + line_len) != Some(&b'\n') {
            return None;
        }
        if !line.iter().all(|&b| is_mrz_char(b)) {
            return None;
        }
        out.copy_from_slice(line);
    }
    let format = Format::detect(line_len * lines, buf[0])?;
    Some(Mrz::from_clean(format, buf))
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// One character as the zone should hold it. Lower case is raised, filler
/// look-alikes that OCR engines return become `<`, full-width forms become
/// ASCII, and anything else outside printable ASCII becomes `?`.
fn clean_char(c: char) -> u8 {
    let c = match c {
        '«' | '‹' | '＜' | '〈' | '⟨' | '≺' | '﹤' | '˂' => '<',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or('?'),
        _ => c,
    };
    if c.is_ascii_graphic() {
        c.to_ascii_uppercase() as u8
    } else {
        b'?'
    }
}

fn invalid_count(line: &[u8]) -> usize {
    line.iter().filter(|&&b| !is_mrz_char(b)).count()
}

fn plausible_start(b: Option<&u8>) -> bool {
    matches!(b, Some(b'P' | b'V' | b'I' | b'A' | b'C'))
}

pub(crate) fn normalise(input: &str) -> Result<Normalised, NormaliseError> {
    if let Some(mrz) = fast_path(input) {
        return Ok(Normalised {
            mrz,
            ignored_lines: 0,
        });
    }

    let lines: Vec<Vec<u8>> = input
        .split(is_line_break)
        .map(|line| {
            line.chars()
                .filter(|c| !c.is_whitespace())
                .map(clean_char)
                .collect::<Vec<u8>>()
        })
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(NormaliseError::Empty);
    }

    // A run of lines with a zone's shape. Fewer foreign characters win, then a
    // plausible document code, then the lowest run (zones sit at the bottom).
    let mut best: Option<((usize, bool, usize), usize, usize)> = None;
    for (line_len, count) in [
        (44usize, 2usize),
        (36, 2),
        (30, 3),
        (88, 1),
        (72, 1),
        (90, 1),
    ] {
        for start in 0..lines.len() {
            let Some(window) = lines.get(start..start + count) else {
                break;
            };
            if window.iter().all(|l| l.len() == line_len) {
                let bad: usize = window.iter().map(|l| invalid_count(l)).sum();
                let plausible = plausible_start(window.first().and_then(|l| l.first()));
                let score = (bad, !plausible, usize::MAX - start);
                if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
                    best = Some((score, start, count));
                }
            }
        }
    }
    if let Some((_, start, count)) = best {
        let text: Vec<u8> = lines[start..start + count].concat();
        if let Some(mrz) = Format::detect(text.len(), text[0])
            .and_then(|format| Mrz::from_concatenated(format, &text))
        {
            return Ok(Normalised {
                mrz,
                ignored_lines: lines.len() - count,
            });
        }
    }

    // Lines broken at arbitrary places: join those made only of MRZ
    // characters, then, failing that, all of them.
    let clean: Vec<&Vec<u8>> = lines.iter().filter(|l| invalid_count(l) == 0).collect();
    let candidates = [
        (
            clean
                .iter()
                .map(|l| l.as_slice())
                .collect::<Vec<_>>()
                .concat(),
            lines.len() - clean.len(),
        ),
        (lines.concat(), 0),
    ];
    for (text, ignored_lines) in candidates {
        if let Some(mrz) = text
            .first()
            .and_then(|&first| Format::detect(text.len(), first))
            .and_then(|format| Mrz::from_concatenated(format, &text))
        {
            return Ok(Normalised { mrz, ignored_lines });
        }
    }
    Err(NormaliseError::Shape(lines.iter().map(Vec::len).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn text(n: &Normalised) -> String {
        n.mrz.to_string()
    }

    #[test]
    fn clean_input_takes_the_fast_path() {
        let input = format!("{L1}\n{L2}\n");
        assert!(fast_path(&input).is_some());
        let n = normalise(&input).unwrap();
        assert_eq!(text(&n), format!("{L1}\n{L2}"));
        assert_eq!(n.mrz.format(), Format::Td3);
    }

    #[test]
    fn messy_input_is_cleaned() {
        let messy = format!(
            "REPUBLIC OF UTOPIA\r\n  Passport / Passeport\r\n\r\n{} \r\n {}\r\n\r\nscanned 2026-11-25\n",
            L1.to_lowercase().replace('<', "«"),
            L2.chars()
                .enumerate()
                .map(|(i, c)| if i % 11 == 5 {
                    format!("{c} ")
                } else {
                    c.to_string()
                })
                .collect::<String>()
        );
        let n = normalise(&messy).unwrap();
        assert_eq!(text(&n), format!("{L1}\n{L2}"));
        assert_eq!(n.ignored_lines, 3);
    }

    #[test]
    fn joined_and_wrapped_lines_are_split_by_length() {
        let joined = format!("{L1}{L2}");
        assert_eq!(text(&normalise(&joined).unwrap()), format!("{L1}\n{L2}"));
        let wrapped: String = format!("{L1}{L2}")
            .as_bytes()
            .chunks(40)
            .map(|c| format!("{}\n", String::from_utf8_lossy(c)))
            .collect();
        assert_eq!(text(&normalise(&wrapped).unwrap()), format!("{L1}\n{L2}"));
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        let n = normalise(td1).unwrap();
        assert_eq!(n.mrz.format(), Format::Td1);
        assert_eq!(n.mrz.line(2), Some("ERIKSSON<<ANNA<MARIA<<<<<<<<<<"));
    }

    #[test]
    fn foreign_characters_are_kept_as_question_marks() {
        let input = format!("{L1}\n{}", L2.replacen('7', "é", 1));
        let n = normalise(&input).unwrap();
        assert_eq!(n.mrz.line(1).map(|l| l.contains('?')), Some(true));
    }

    #[test]
    fn wrong_shapes_are_reported() {
        assert_eq!(normalise("   \n\n").err(), Some(NormaliseError::Empty));
        assert_eq!(
            normalise("ABC\nDEFG").err(),
            Some(NormaliseError::Shape(vec![3, 4]))
        );
        let short = &L2[..43];
        assert!(matches!(
            normalise(&format!("{L1}\n{short}")),
            Err(NormaliseError::Shape(_))
        ));
    }
}
