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

/// Characters of each token kept in a name pair key. Three keep pairs selective ("wan wei") while
/// a short query token ("li") still maps to few keys.
pub const PAIR_KEY_CHARS: usize = 3;

/// The first [`PAIR_KEY_CHARS`] characters of a token: the part of it a pair key holds.
pub fn pair_part(token: &str) -> &str {
    match token.char_indices().nth(PAIR_KEY_CHARS) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}

/// The key of two token parts, in code-point order so that both orders of a name give one key.
pub fn pair_key(a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    format!("{first} {second}")
}

/// Pair keys of a person's name tokens: one per two distinct tokens, deduplicated. A search for
/// two name prefixes looks them up directly instead of intersecting two long token lists.
pub fn name_pairs(tokens: &[String]) -> Vec<String> {
    let mut pairs = Vec::new();
    for (i, a) in tokens.iter().enumerate() {
        for b in &tokens[i + 1..] {
            if a != b {
                pairs.push(pair_key(pair_part(a), pair_part(b)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
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

    #[test]
    fn pairs_of_a_name() {
        let tokens = name_tokens(&["Wei", "Wang", "王伟"]);
        assert_eq!(name_pairs(&tokens), vec!["wan wei", "wan 王伟", "wei 王伟"]);
        assert_eq!(pair_part("nguyen"), "ngu");
        assert_eq!(pair_part("li"), "li");
        assert_eq!(pair_part("राजेश"), "राजे".chars().take(3).collect::<String>());
        // Two tokens that share their first characters still make a pair.
        assert_eq!(name_pairs(&name_tokens(&["Zhang Zhao"])), vec!["zha zha"]);
        assert!(name_pairs(&name_tokens(&["Aung"])).is_empty());
    }

    proptest! {
        #[test]
        fn idempotent(s in "\\PC{0,40}") {
            let once = normalise(&s);
            prop_assert_eq!(normalise(&once), once.clone());
        }

        /// Every two distinct tokens of a name have their key among the name's pairs, in either
        /// order: a two-prefix search relies on the keys alone.
        #[test]
        fn pairs_cover_every_two_tokens(s in "[a-zA-Zà-ỹ\\u{4E00}-\\u{4E20} ]{0,40}") {
            let tokens = name_tokens(&[&s]);
            let pairs = name_pairs(&tokens);
            for a in &tokens {
                for b in &tokens {
                    if a != b {
                        let key = pair_key(pair_part(a), pair_part(b));
                        prop_assert!(pairs.contains(&key));
                        prop_assert_eq!(&key, &pair_key(pair_part(b), pair_part(a)));
                    }
                }
            }
        }
    }
}
