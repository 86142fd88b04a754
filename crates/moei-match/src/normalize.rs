//! Text normalisation: Unicode NFKC, case folding, Latin diacritics, punctuation and spacing.
//!
//! The original text is never overwritten: callers keep it next to the normalised form
//! ([`Normalized`]), because clerks and reviewers must see what was actually written.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A value as it was written and as it is compared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    pub original: String,
    pub normalized: String,
}

impl Normalized {
    pub fn new(original: &str) -> Self {
        Self {
            original: original.to_owned(),
            normalized: normalize_text(original),
        }
    }
}

/// Latin, Greek and Cyrillic letters lose their diacritics; other scripts keep their marks,
/// because there (Devanagari vowel signs, Thai tone marks, Myanmar medials) marks are letters.
fn strips_marks(base: char) -> bool {
    matches!(base as u32, 0x0041..=0x024F | 0x0370..=0x052F | 0x1E00..=0x1EFF)
}

/// Arabic harakat are optional vowel points: most names are written without them.
fn is_arabic_point(c: char) -> bool {
    matches!(c as u32, 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'đ' | 'ð' => "d",
        'ø' => "o",
        'ł' => "l",
        'æ' => "ae",
        'œ' => "oe",
        'ı' => "i",
        'þ' => "th",
        'ħ' => "h",
        _ => return None,
    })
}

/// Apostrophes join (O'Brien, bek'ele); other punctuation separates words.
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | 'ʻ' | '\u{2018}' | '\u{00B4}')
}

/// Whether a character belongs inside a word after normalisation.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || is_combining_mark(c)
        || matches!(c as u32, 0x0900..=0x109F | 0x1200..=0x139F | 0x1780..=0x17FF)
}

/// Normalise free text for comparison: NFKC, lower case, Latin diacritics removed,
/// punctuation to single spaces, trimmed. Idempotent.
pub fn normalize_text(s: &str) -> String {
    let mut lowered = String::with_capacity(s.len());
    for c in s.nfkc() {
        for l in c.to_lowercase() {
            lowered.push(l);
        }
    }
    let mut out = String::with_capacity(lowered.len());
    let mut last_base: Option<char> = None;
    let mut pending_space = false;
    for c in lowered.nfd() {
        if is_combining_mark(c) {
            if last_base.is_some_and(strips_marks) || is_arabic_point(c) {
                continue;
            }
            // Zawgyi text can start a word with a vowel sign, so marks are kept even there.
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
            continue;
        }
        if is_joiner(c)
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
            )
        {
            continue;
        }
        if !is_word_char(c) {
            pending_space = true;
            last_base = None;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        last_base = Some(c);
        if let Some(rep) = latin_special(c) {
            out.push_str(rep);
        } else {
            out.push(c);
        }
    }
    // Recompose what is left (non-Latin marks) so the output is stable under another pass.
    let recomposed: String = out.nfkc().collect();
    if recomposed == out {
        out
    } else {
        normalize_text_once_more(&recomposed)
    }
}

/// Recomposition can, rarely, expose a character that lower-cases differently; one more pass
/// reaches the fixed point (checked by the idempotence property test).
fn normalize_text_once_more(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out.nfkc().collect()
}

/// ASCII-only lower-case letters and digits of a string (used for documents and phones).
pub fn alnum_upper(s: &str) -> String {
    s.nfkc()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize_text("  NGUYỄN   Văn-Ân "), "nguyen van an");
        assert_eq!(normalize_text("O'Brien, Seán"), "obrien sean");
        assert_eq!(normalize_text("Straße"), "strasse");
        assert_eq!(normalize_text("ＭＯＨＡＭＭＥＤ"), "mohammed");
        assert_eq!(normalize_text("Đặng"), "dang");
    }

    #[test]
    fn keeps_marks_of_other_scripts() {
        assert_eq!(normalize_text("राजेश कुमार"), "राजेश कुमार");
        assert_eq!(normalize_text("مُحَمَّد"), "محمد");
        assert_eq!(normalize_text("สมชาย"), "สมชาย");
    }

    #[test]
    fn keeps_original() {
        let n = Normalized::new("Nguyễn Văn An");
        assert_eq!(n.original, "Nguyễn Văn An");
        assert_eq!(n.normalized, "nguyen van an");
    }
}
