//! Latin keys for names written in other scripts.
//!
//! Every word becomes one or more name tokens, and every token carries one or more Latin
//! spellings, because romanisations differ (pinyin heteronyms, Hindi schwa deletion, Burmese
//! spellings). The original script is kept by the caller; these keys are only for matching.
//!
//! - Han: pinyin readings of each character (all heteronyms), family name split from given name.
//! - Hangul: syllable romanisation, family name split from given name.
//! - Devanagari, Bengali and the other Brahmic blocks laid out in parallel: a consonant-vowel
//!   transliterator with the inherent vowel, giving forms with and without schwa deletion.
//! - Myanmar: Zawgyi detected and converted first, then one token per syllable.
//! - Thai: preposed vowels moved after their consonant, then letter transliteration.
//! - Arabic script, Ethiopic, Khmer and anything else: letter transliteration; Arabic-script
//!   words are flagged as written without short vowels so they are compared by consonants.

use pinyin::ToPinyinMulti;

use crate::zawgyi;

/// One name token before variant lookup: its Latin spellings and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatinToken {
    pub spellings: Vec<String>,
    /// True when the spellings were produced from another script.
    pub transliterated: bool,
    /// True when the source script omits short vowels (Arabic script).
    pub abjad: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Han,
    Hangul,
    Brahmic,
    Myanmar,
    Thai,
    Arabic,
    Other,
}

pub fn script_of(c: char) -> Script {
    match c as u32 {
        0x0030..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Script::Hangul,
        0x0900..=0x0D7F => Script::Brahmic,
        0x1000..=0x109F => Script::Myanmar,
        0x0E00..=0x0E7F => Script::Thai,
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        _ => Script::Other,
    }
}

/// The dominant script of a word (first letter that is not a digit).
pub fn word_script(word: &str) -> Script {
    word.chars()
        .find(|c| !c.is_ascii_digit())
        .map(script_of)
        .unwrap_or(Script::Latin)
}

/// At most this many spellings per token, so heteronym products stay small.
const MAX_SPELLINGS: usize = 4;

fn ascii_letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) && v.len() < MAX_SPELLINGS {
        v.push(s);
    }
}

fn token(spellings: Vec<String>, transliterated: bool, abjad: bool) -> Option<LatinToken> {
    if spellings.is_empty() {
        None
    } else {
        Some(LatinToken {
            spellings,
            transliterated,
            abjad,
        })
    }
}

/// Two-character Chinese family names; a longer Han name starting with one is split after it.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "司徒", "令狐", "夏侯",
    "歐陽", "諸葛",
];

/// Transliterate one normalised word into name tokens.
pub fn word_to_tokens(word: &str) -> Vec<LatinToken> {
    word_to_tokens_of(word, WordSource::FullName)
}

/// Where a word was written, which decides how a Han or Hangul word splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordSource {
    /// The full-name column: "张伟" is the family name and the given name written together.
    FullName,
    /// A given-name or family-name column: a two-character word there is one name part
    /// ("一诺", the given name Yinuo; "欧阳", a compound family name), not a family name and a
    /// given name. Longer words are still split, as a full name written in one column is.
    NamePart,
}

/// [`word_to_tokens`] for a word written in `source`.
pub fn word_to_tokens_of(word: &str, source: WordSource) -> Vec<LatinToken> {
    let one_part = source == WordSource::NamePart && word.chars().count() == 2;
    match word_script(word) {
        Script::Han if one_part => token(
            join_readings(&word.chars().collect::<Vec<_>>()),
            true,
            false,
        )
        .into_iter()
        .collect(),
        Script::Hangul if one_part => token(
            vec![ascii_letters(&any_ascii::any_ascii(word))],
            true,
            false,
        )
        .into_iter()
        .collect(),
        Script::Latin => token(vec![ascii_letters(word)], false, false)
            .into_iter()
            .collect(),
        Script::Han => han_tokens(word),
        Script::Hangul => hangul_tokens(word),
        Script::Brahmic => token(brahmic_spellings(word), true, false)
            .into_iter()
            .collect(),
        Script::Myanmar => myanmar_tokens(word),
        Script::Thai => token(thai_spellings(word), true, false)
            .into_iter()
            .collect(),
        Script::Arabic => arabic_tokens(word),
        Script::Other => token(
            vec![ascii_letters(&any_ascii::any_ascii(word))],
            true,
            false,
        )
        .into_iter()
        .collect(),
    }
}

fn han_readings(c: char) -> Vec<String> {
    let mut v = Vec::new();
    let s = c.to_string();
    for m in s.as_str().to_pinyin_multi().flatten() {
        for p in m.into_iter() {
            push_unique(&mut v, p.plain().to_owned());
        }
    }
    if v.is_empty() {
        push_unique(&mut v, ascii_letters(&any_ascii::any_ascii(&s)));
    }
    v
}

fn join_readings(chars: &[char]) -> Vec<String> {
    let mut acc: Vec<String> = vec![String::new()];
    for &c in chars {
        let r = han_readings(c);
        let mut next = Vec::new();
        for a in &acc {
            for b in &r {
                push_unique(&mut next, format!("{a}{b}"));
            }
        }
        acc = next;
    }
    acc.retain(|s| !s.is_empty());
    acc
}

fn han_tokens(word: &str) -> Vec<LatinToken> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() == 1 {
        return token(han_readings(chars[0]), true, false)
            .into_iter()
            .collect();
    }
    let family_len = if chars.len() >= 3 && COMPOUND_SURNAMES.iter().any(|s| word.starts_with(s)) {
        2
    } else {
        1
    };
    let (family, given) = chars.split_at(family_len);
    [
        token(join_readings(family), true, false),
        token(join_readings(given), true, false),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn hangul_tokens(word: &str) -> Vec<LatinToken> {
    let chars: Vec<char> = word.chars().collect();
    let rom = |cs: &[char]| ascii_letters(&any_ascii::any_ascii(&cs.iter().collect::<String>()));
    if chars.len() == 1 {
        return token(vec![rom(&chars)], true, false).into_iter().collect();
    }
    let (family, given) = chars.split_at(1);
    [
        token(vec![rom(family)], true, false),
        token(vec![rom(given)], true, false),
    ]
    .into_iter()
    .flatten()
    .collect()
}

// ---------------------------------------------------------------- Brahmic scripts

#[derive(Clone, Copy, PartialEq)]
enum Unit<'a> {
    /// Consonant with its vowel; `None` means the inherent vowel, `Some("")` a killed vowel.
    Syl(&'a str, Option<&'a str>),
    Vowel(&'a str),
    Nasal,
    Visarga,
}

/// Letters by offset within a Brahmic block (Devanagari layout; Bengali and the others follow it).
fn brahmic_consonant(off: u32) -> Option<&'static str> {
    Some(match off {
        0x15 => "k",
        0x16 => "kh",
        0x17 => "g",
        0x18 => "gh",
        0x19 => "n",
        0x1A => "ch",
        0x1B => "chh",
        0x1C => "j",
        0x1D => "jh",
        0x1E => "n",
        0x1F => "t",
        0x20 => "th",
        0x21 => "d",
        0x22 => "dh",
        0x23 => "n",
        0x24 => "t",
        0x25 => "th",
        0x26 => "d",
        0x27 => "dh",
        0x28 | 0x29 => "n",
        0x2A => "p",
        0x2B => "ph",
        0x2C => "b",
        0x2D => "bh",
        0x2E => "m",
        0x2F => "y",
        0x30 | 0x31 => "r",
        0x32..=0x34 => "l",
        0x35 => "v",
        0x36 | 0x37 => "sh",
        0x38 => "s",
        0x39 => "h",
        0x58 => "q",
        0x59 => "kh",
        0x5A => "g",
        0x5B => "z",
        0x5C => "r",
        0x5D => "rh",
        0x5E => "f",
        0x5F => "y",
        0x4E => "t",
        _ => return None,
    })
}

fn brahmic_vowel(off: u32) -> Option<&'static str> {
    Some(match off {
        0x05 | 0x06 => "a",
        0x07 | 0x08 => "i",
        0x09 | 0x0A => "u",
        0x0B | 0x60 => "ri",
        0x0C => "li",
        0x0D..=0x0F => "e",
        0x10 => "ai",
        0x11..=0x13 => "o",
        0x14 => "au",
        _ => return None,
    })
}

fn brahmic_matra(off: u32) -> Option<&'static str> {
    Some(match off {
        0x3E => "a",
        0x3F | 0x40 => "i",
        0x41 | 0x42 => "u",
        0x43 | 0x44 => "ri",
        0x45..=0x47 => "e",
        0x48 => "ai",
        0x49..=0x4B => "o",
        0x4C => "au",
        _ => return None,
    })
}

fn brahmic_units(word: &str) -> Vec<Unit<'static>> {
    let mut units: Vec<Unit> = Vec::new();
    for c in word.chars() {
        let cp = c as u32;
        if !(0x0900..=0x0D7F).contains(&cp) {
            continue;
        }
        let off = (cp - 0x0900) % 0x80;
        if let Some(cons) = brahmic_consonant(off) {
            // Bengali and Oriya write the inherent "ya" sound at 0x2F as "j" in names.
            let cons = if off == 0x2F && (0x0980..0x0A00).contains(&cp) {
                "j"
            } else {
                cons
            };
            // Bengali has no separate VA letter: BA is pronounced and written both ways.
            units.push(Unit::Syl(cons, None));
        } else if let Some(m) = brahmic_matra(off) {
            if let Some(Unit::Syl(_, v @ None)) = units.last_mut() {
                *v = Some(m);
            } else {
                units.push(Unit::Vowel(m));
            }
        } else if off == 0x4D {
            if let Some(Unit::Syl(_, v @ None)) = units.last_mut() {
                *v = Some("");
            }
        } else if let Some(v) = brahmic_vowel(off) {
            units.push(Unit::Vowel(v));
        } else if off == 0x01 || off == 0x02 {
            units.push(Unit::Nasal);
        } else if off == 0x03 {
            units.push(Unit::Visarga);
        }
    }
    units
}

fn render_units(units: &[Unit], delete_final: bool, delete_medial: bool) -> String {
    let mut s = String::new();
    for (i, u) in units.iter().enumerate() {
        match *u {
            Unit::Syl(c, v) => {
                s.push_str(c);
                match v {
                    Some(v) => s.push_str(v),
                    None => {
                        let is_last = units[i + 1..]
                            .iter()
                            .all(|u| matches!(u, Unit::Nasal | Unit::Visarga))
                            && i + 1 == units.len();
                        // Hindi drops a schwa between a vowel-final and a full syllable: VC(a)CV.
                        let medial = i > 0
                            && matches!(units.get(i + 1), Some(Unit::Syl(_, Some(v))) if !v.is_empty())
                            && matches!(units[i - 1], Unit::Syl(_, Some(v)) if !v.is_empty())
                            && i + 2 < units.len();
                        if !(is_last && delete_final || medial && delete_medial) {
                            s.push('a');
                        }
                    }
                }
            }
            Unit::Vowel(v) => s.push_str(v),
            Unit::Nasal => s.push('n'),
            Unit::Visarga => s.push('h'),
        }
    }
    s
}

fn brahmic_spellings(word: &str) -> Vec<String> {
    let units = brahmic_units(word);
    let mut v = Vec::new();
    push_unique(&mut v, render_units(&units, true, false));
    push_unique(&mut v, render_units(&units, true, true));
    push_unique(&mut v, render_units(&units, false, false));
    v
}

// ---------------------------------------------------------------- Thai

fn thai_spellings(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut reordered = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i] as u32;
        // Preposed vowels (U+0E40..U+0E44) are written before the consonant they follow in speech.
        if (0x0E40..=0x0E44).contains(&c) && i + 1 < chars.len() {
            reordered.push(chars[i + 1]);
            reordered.push(chars[i]);
            i += 2;
            continue;
        }
        reordered.push(chars[i]);
        i += 1;
    }
    let plain = ascii_letters(&any_ascii::any_ascii(&reordered));
    // Names write JO JAN (U+0E08) as "j" more often than the official "ch".
    let with_j: String = reordered
        .chars()
        .map(|c| if c == '\u{0E08}' { 'j' } else { c })
        .collect();
    let j_form = ascii_letters(&any_ascii::any_ascii(&with_j));
    let mut v = Vec::new();
    push_unique(&mut v, plain.clone());
    push_unique(&mut v, j_form);
    // Final YO YAK reads as "i" (Somchai), final LO LING and RO RUA as "n".
    if let Some(stem) = plain.strip_suffix("ay") {
        push_unique(&mut v, format!("{stem}ai"));
    }
    v
}

// ---------------------------------------------------------------- Arabic script

fn arabic_tokens(word: &str) -> Vec<LatinToken> {
    // The article "al-" is written joined; treat it as a separate particle.
    let stripped = word
        .strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(word);
    token(
        vec![ascii_letters(&any_ascii::any_ascii(stripped))],
        true,
        true,
    )
    .into_iter()
    .collect()
}

// ---------------------------------------------------------------- Myanmar

fn my_initial(c: u32) -> Option<&'static str> {
    Some(match c {
        0x1000 => "k",
        0x1001 => "kh",
        0x1002 | 0x1003 => "g",
        0x1004 => "ng",
        0x1005 => "s",
        0x1006 => "hs",
        0x1007 | 0x1008 => "z",
        0x1009 | 0x100A => "ny",
        0x100B | 0x100F | 0x1010 => "t",
        0x100C | 0x1011 => "ht",
        0x100D | 0x100E | 0x1012 | 0x1013 => "d",
        0x1014 => "n",
        0x1015 => "p",
        0x1016 => "ph",
        0x1017 | 0x1018 => "b",
        0x1019 => "m",
        0x101A | 0x101B => "y",
        0x101C | 0x1020 => "l",
        0x101D => "w",
        0x101E => "th",
        0x101F => "h",
        0x1021 => "",
        0x103F => "th",
        _ => return None,
    })
}

/// Split Unicode Burmese into syllables: a new syllable starts at a consonant that is not
/// followed by asat (a final) and not preceded by virama (a stacked consonant).
/// Whether the consonant at `i` closes a syllable: asat or virama follows (a creaky-tone dot
/// may stand between).
fn my_is_final(cps: &[u32], i: usize) -> bool {
    let mut j = i + 1;
    while cps.get(j) == Some(&0x1037) {
        j += 1;
    }
    my_initial(cps[i]).is_some() && matches!(cps.get(j), Some(&0x103A) | Some(&0x1039))
}

fn my_syllables(cps: &[u32]) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    for (i, &c) in cps.iter().enumerate() {
        let starts =
            my_initial(c).is_some() && !my_is_final(cps, i) && (i == 0 || cps[i - 1] != 0x1039);
        if starts || out.is_empty() {
            out.push(vec![c]);
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

fn my_syllable(syl: &[u32]) -> Vec<String> {
    let Some(&first) = syl.first() else {
        return Vec::new();
    };
    let Some(initial) = my_initial(first) else {
        return Vec::new();
    };
    let has = |c: u32| syl[1..].contains(&c);
    let mut onset = initial.to_owned();
    if has(0x103B) || has(0x103C) {
        onset = match initial {
            "k" => "ky".into(),
            "kh" => "ch".into(),
            "g" => "gy".into(),
            "ng" => "ny".into(),
            _ => format!("{initial}y"),
        };
    }
    if has(0x103E) {
        onset = match onset.as_str() {
            "l" | "m" | "n" | "ny" | "ng" | "w" => format!("h{onset}"),
            "y" => "sh".into(),
            o => o.to_owned(),
        };
    }
    // The final consonant is the one carrying asat (or a stacked consonant before virama).
    let final_c = (1..syl.len())
        .find(|&k| my_is_final(syl, k))
        .map(|k| syl[k]);
    let creaky = has(0x1037);
    let e = has(0x1031);
    let i = has(0x102D) || has(0x102E);
    let u = has(0x102F) || has(0x1030);
    let aa = has(0x102C) || has(0x102B);
    let ai = has(0x1032);
    let anusvara = has(0x1036);
    let w = has(0x103D);
    let rhyme: &[&str] = match final_c {
        Some(0x1004) | Some(0x1009) if e && aa => &["aung"],
        Some(0x1004) if i && u => &["aing", "ai"],
        Some(0x1004) | Some(0x1009) if i => &["ein"],
        Some(0x1004) | Some(0x1009) => &["in"],
        Some(0x100A) if w => &["we"],
        Some(0x100A) => &["i", "e"],
        Some(0x1014) | Some(0x1019) if w || u => &["un", "oun"],
        Some(0x1014) | Some(0x1019) if i => &["ein"],
        Some(0x1014) | Some(0x1019) => &["an"],
        Some(0x1000) if e && aa => &["auk"],
        Some(0x1000) if i && u => &["aik"],
        Some(0x1000) => &["et"],
        Some(0x1010) | Some(0x1015) if w || u => &["ut", "ok"],
        Some(0x1010) | Some(0x1015) if i => &["eik"],
        Some(0x1010) | Some(0x1015) => &["at"],
        Some(0x1005) => &["it"],
        Some(0x101A) => &["e"],
        Some(_) => &["a"],
        None if e && aa => &["aw"],
        None if i && u => &["o", "oe"],
        None if anusvara && u => &["oun", "ong"],
        None if anusvara => &["an"],
        None if e => &["e", "ay"],
        None if i => &["i"],
        None if u => &["u", "oo"],
        None if ai => &["e", "ae"],
        None if w => &["wa"],
        None => &["a"],
    };
    let mut v = Vec::new();
    for r in rhyme {
        let mut s = format!("{onset}{r}");
        // Creaky nasal finals are written with a t: Myint, Thant, Nyunt.
        if creaky && final_c.is_some_and(|f| matches!(f, 0x1004 | 0x1014 | 0x1019)) {
            s.push('t');
        }
        if initial.is_empty() && e && final_c.is_none() && !aa {
            s = format!("a{s}").replacen("ae", "aye", 1);
        }
        push_unique(&mut v, s);
    }
    v
}

fn myanmar_tokens(word: &str) -> Vec<LatinToken> {
    let text = if zawgyi::is_zawgyi(word) {
        zawgyi::zawgyi_to_unicode(word)
    } else {
        word.to_owned()
    };
    let cps: Vec<u32> = text.chars().map(|c| c as u32).collect();
    my_syllables(&cps)
        .iter()
        .filter_map(|s| {
            let sp = my_syllable(s);
            token(sp, true, false)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(word: &str) -> Vec<String> {
        word_to_tokens(word)
            .into_iter()
            .map(|t| t.spellings[0].clone())
            .collect()
    }

    #[test]
    fn devanagari_with_schwa_rules() {
        assert_eq!(first("राजेश"), vec!["rajesh"]);
        assert_eq!(first("कुमार"), vec!["kumar"]);
        let ramesh = &word_to_tokens("रमेश")[0].spellings;
        assert!(ramesh.contains(&"ramesh".to_owned()));
        let lakshmi = &word_to_tokens("লক্ষ্মী")[0].spellings;
        assert!(lakshmi.contains(&"lakshmi".to_owned()), "{lakshmi:?}");
    }

    #[test]
    fn a_two_character_name_part_is_one_token() {
        let spellings = |w: &str, source| -> Vec<Vec<String>> {
            word_to_tokens_of(w, source)
                .into_iter()
                .map(|t| t.spellings)
                .collect()
        };
        // The given name 一诺 is Yinuo, not the family name Yi and the given name Nuo.
        assert_eq!(spellings("一诺", WordSource::NamePart), vec![vec!["yinuo"]]);
        assert_eq!(
            spellings("一诺", WordSource::FullName),
            vec![vec!["yi"], vec!["nuo"]]
        );
        assert_eq!(
            spellings("欧阳", WordSource::NamePart),
            vec![vec!["ouyang"]]
        );
        // A whole name written in one name column still splits.
        assert_eq!(
            spellings("张一诺", WordSource::NamePart),
            vec![vec!["zhang"], vec!["yinuo"]]
        );
        assert_eq!(spellings("지민", WordSource::NamePart).len(), 1);
        assert_eq!(spellings("김지민", WordSource::NamePart).len(), 2);
    }

    #[test]
    fn han_splits_family_and_keeps_heteronyms() {
        let t = word_to_tokens("张伟");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].spellings, vec!["zhang"]);
        assert_eq!(t[1].spellings, vec!["wei"]);
        let shan = word_to_tokens("单");
        assert!(shan[0].spellings.contains(&"shan".to_owned()));
    }

    #[test]
    fn burmese_syllables() {
        let toks: Vec<Vec<String>> = word_to_tokens("အောင်ကျော်မြင့်")
            .into_iter()
            .map(|t| t.spellings)
            .collect();
        assert_eq!(
            toks,
            vec![
                vec!["aung".to_owned()],
                vec!["kyaw".to_owned()],
                vec!["myint".to_owned()]
            ]
        );
        let zg = word_to_tokens(&zawgyi::unicode_to_zawgyi("အောင်ကျော်မြင့်"));
        assert_eq!(zg.len(), 3);
        assert_eq!(zg[2].spellings[0], "myint");
    }

    #[test]
    fn thai_and_others() {
        assert!(
            word_to_tokens("สมชาย")[0]
                .spellings
                .contains(&"smchai".to_owned())
        );
        assert_eq!(first("አበበ"), vec!["abebe"]);
        assert_eq!(first("محمد"), vec!["mhmd"]);
        assert!(word_to_tokens("محمد")[0].abjad);
    }
}
