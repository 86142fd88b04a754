//! Search keys for names: NFKC, lower case, diacritics and punctuation removed, split into
//! tokens. Keys serve prefix search at the desk ("ngu" finds Nguyễn); the identity-matching crate
//! does the cross-script work.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Tokens of a name for prefix search, deduplicated, at most 16.
pub fn name_tokens(parts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        for token in normalise(part).split(' ') {
            if !token.is_empty() && !out.iter().any(|t| t == token) && out.len() < 16 {
                out.push(token.to_string());
            }
        }
    }
    out
}

/// NFKC, then decompose to drop combining marks (diacritics) in Latin and Vietnamese, lower case,
/// punctuation to spaces. Marks are kept for scripts where they carry the letter (Thai, Burmese,
/// Devanagari vowel signs), since removing them would merge different names.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc().flat_map(|c| c.to_lowercase()) {
        let base_latin = c.is_ascii()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c);
        if base_latin {
            for d in c.to_string().nfd() {
                if !is_combining_mark(d) {
                    out.push(match d {
                        'đ' => 'd',
                        'ø' => 'o',
                        'ł' => 'l',
                        d if d.is_alphanumeric() => d,
                        _ => ' ',
                    });
                }
            }
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn latin_diacritics_fold() {
        assert_eq!(normalise("Nguyễn Văn  An"), "nguyen van an");
        assert_eq!(normalise("O'Brien-Đặng"), "o brien dang");
        assert_eq!(
            name_tokens(&["Nguyễn Văn", "Nguyễn"]),
            vec!["nguyen", "van"]
        );
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(normalise("张伟"), "张伟");
        assert_eq!(normalise("राजेश कुमार"), "राजेश कुमार");
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,40}") {
            let once = normalise(&s);
            prop_assert_eq!(normalise(&once), once.clone());
        }
    }
}
