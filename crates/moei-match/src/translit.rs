//! Latin keys for names written in other scripts.
//!
//! Every word becomes one or more name tokens, and every token carries one or more Latin
//! spellings, because romanisations differ (pinyin heteronyms, Hindi schwa deletion, Burmese
//! spellings). The original script is kept by the caller; these keys are only for matching.
//!
//! - Han: pinyin readings of each character (all heteronyms), each with its Wade-Giles form,
//!   family name split from given name.
//! - Hangul: syllable romanisation, family name split from given name.
//! - Devanagari, Bengali and the other Brahmic blocks laid out in parallel: a consonant-vowel
//!   transliterator with the inherent vowel, giving forms with and without schwa deletion.
//! - Myanmar: Zawgyi detected and converted first, then one token per syllable.
//! - Thai: romanised syllable by syllable (unwritten vowels, finals, silent letters), in the
//!   Royal Thai General System and in the older spelling names use.
//! - Arabic script: letter transliteration with a first alef or ain kept as a vowel, and a
//!   second spelling with Urdu and Persian letter values; flagged as written without short
//!   vowels so they are compared by consonants.
//! - Ethiopic, Khmer and anything else: letter transliteration.

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

/// The Latin spellings of a Han word: its pinyin (every heteronym, up to four), each followed
/// by its Wade-Giles form as Taiwanese passports write it (志明 Zhiming and Chihming).
fn join_readings(chars: &[char]) -> Vec<String> {
    let mut acc: Vec<(String, String)> = vec![(String::new(), String::new())];
    for &c in chars {
        let r = han_readings(c);
        let mut next: Vec<(String, String)> = Vec::new();
        for (a, aw) in &acc {
            for b in &r {
                let joined = format!("{a}{b}");
                if next.len() < MAX_SPELLINGS && !next.iter().any(|(p, _)| *p == joined) {
                    next.push((joined, format!("{aw}{}", wade_giles(b))));
                }
            }
        }
        acc = next;
    }
    let mut out = Vec::new();
    for (pinyin, wg) in acc {
        for s in [pinyin, wg] {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// A pinyin syllable in Wade-Giles without apostrophes or umlauts, as Taiwanese passports
/// and many older documents write it: zhang Chang, xie Hsieh, guo Kuo, cai Tsai, zi Tzu,
/// jian Chien, hong Hung, xiong Hsiung.
fn wade_giles(syllable: &str) -> String {
    let initial = ["zh", "ch", "sh"]
        .into_iter()
        .find(|i| syllable.starts_with(i))
        .or_else(|| {
            syllable
                .get(..1)
                .filter(|i| "bpmfdtnlgkhjqxrzcsyw".contains(*i))
        })
        .unwrap_or("");
    let fin = &syllable[initial.len()..];
    let fin = match (initial, fin) {
        ("zh" | "ch" | "sh" | "r", "i") => "ih",
        ("z" | "c", "i") => return "tzu".to_owned(),
        ("s", "i") => return "ssu".to_owned(),
        ("y", "ou") => "u",
        ("y", "an") => "en",
        ("y", "e") => "eh",
        (_, "ong") => "ung",
        (_, "iong") => "iung",
        (_, "ian") => "ien",
        (_, "ie") => "ieh",
        (_, "ue") => "ueh",
        ("g" | "k" | "h", "e") => "o",
        ("g" | "k", "ui") => "uei",
        ("" | "g" | "k" | "h" | "sh", "uo") => "uo",
        (_, "uo") => "o",
        ("", "er") => "erh",
        (_, f) => f,
    };
    let initial = match initial {
        "b" => "p",
        "d" => "t",
        "g" => "k",
        "j" | "q" | "zh" => "ch",
        "x" => "hs",
        "r" => "j",
        "z" | "c" => "ts",
        i => i,
    };
    format!("{initial}{fin}")
}

fn han_tokens(word: &str) -> Vec<LatinToken> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() == 1 {
        return token(join_readings(&chars), true, false)
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
    let chars = thai_silence(word);
    let mut v = Vec::new();
    for style in [
        ThaiStyle::ROYAL,
        ThaiStyle::INFORMAL,
        ThaiStyle {
            final_r: "rn",
            ..ThaiStyle::ROYAL
        },
        ThaiStyle {
            final_r: "rn",
            ..ThaiStyle::INFORMAL
        },
    ] {
        push_unique(&mut v, thai_romanise(&chars, style));
    }
    v
}

/// How a Thai name is written in Latin letters. The Royal Thai General System (RTGS) is the
/// official one; names on passports and forms often use older spellings: "j" for JO JAN
/// (Jaidee, not Chaidee), "p" for the aspirated PHO (Sompong), "sr" where RTGS drops the
/// silent r (Srisuk), and "rn" for a final RO RUA (Siriporn, Thanakorn).
#[derive(Clone, Copy)]
struct ThaiStyle {
    jo_jan: &'static str,
    pho: &'static str,
    silent_r: bool,
    final_r: &'static str,
}

impl ThaiStyle {
    const ROYAL: ThaiStyle = ThaiStyle {
        jo_jan: "ch",
        pho: "ph",
        silent_r: true,
        final_r: "n",
    };
    const INFORMAL: ThaiStyle = ThaiStyle {
        jo_jan: "j",
        pho: "p",
        silent_r: false,
        final_r: "n",
    };
}

fn thai_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// Vowel signs written after, above or below their consonant.
fn thai_vowel_sign(c: char) -> bool {
    matches!(c, '\u{0E30}'..='\u{0E39}')
}

fn thai_preposed(c: char) -> bool {
    matches!(c, '\u{0E40}'..='\u{0E44}')
}

/// Whether `first` and `second` are an initial cluster (ประ pra, กลา kla, ขวา khwa). With a
/// preposed vowel a w is the final instead (แก้ว kaeo).
fn thai_cluster(first: char, second: Option<char>, preposed: bool) -> bool {
    match second {
        Some('ร') => "กขคตปพผบดทสศซ".contains(first),
        Some('ล') => "กขคปพผบ".contains(first),
        Some('ว') => !preposed && "กขค".contains(first),
        _ => false,
    }
}

/// The word without tone marks and without the letters that the thanthakhat (U+0E4C)
/// silences: its consonant and a vowel sign on it (สมศักดิ์ Somsak), and a t-sound before a
/// silenced r (จันทร์ Chan, อินทร์ In).
fn thai_silence(word: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in word.chars() {
        match c {
            // Tone marks, the short-vowel mark and other signs that romanisation ignores.
            '\u{0E47}'..='\u{0E4B}' | '\u{0E4D}' | '\u{0E4E}' => {}
            '\u{0E4C}' => {
                while out.last().is_some_and(|&p| thai_vowel_sign(p)) {
                    out.pop();
                }
                if out.last().is_some_and(|&p| thai_consonant(p))
                    && out.pop() == Some('ร')
                    && out.last().is_some_and(|&p| matches!(p, 'ท' | 'ต' | 'ด'))
                {
                    out.pop();
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn thai_initial(c: char, style: ThaiStyle) -> &'static str {
    match c {
        'ก' => "k",
        'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => "kh",
        'ง' => "ng",
        'จ' => style.jo_jan,
        'ฉ' | 'ช' | 'ฌ' => "ch",
        'ซ' | 'ศ' | 'ษ' | 'ส' => "s",
        'ญ' | 'ย' => "y",
        'ฎ' | 'ด' => "d",
        'ฏ' | 'ต' => "t",
        'ฐ' | 'ฑ' | 'ฒ' | 'ถ' | 'ท' | 'ธ' => "th",
        'ณ' | 'น' => "n",
        'บ' => "b",
        'ป' => "p",
        'ผ' | 'พ' | 'ภ' => style.pho,
        'ฝ' | 'ฟ' => "f",
        'ม' => "m",
        'ร' => "r",
        'ฤ' => "rue",
        'ล' | 'ฬ' | 'ฦ' => "l",
        'ว' => "w",
        'ห' | 'ฮ' => "h",
        _ => "",
    }
}

fn thai_final(c: char, style: ThaiStyle) -> &'static str {
    match c {
        'ก' | 'ข' | 'ฃ' | 'ค' | 'ฅ' | 'ฆ' => "k",
        'ง' => "ng",
        'บ' | 'ป' | 'พ' | 'ฟ' | 'ภ' => "p",
        'ม' => "m",
        'ย' => "i",
        'ว' => "o",
        'ร' => style.final_r,
        'ญ' | 'ณ' | 'น' | 'ล' | 'ฬ' => "n",
        'อ' | 'ห' | 'ฮ' => "",
        _ => "t",
    }
}

/// Romanise a Thai word syllable by syllable. Thai writes no spaces between syllables and
/// leaves the vowel of many unwritten: a consonant without a vowel sign takes "a" when the
/// next consonant has one (ธนา tha-na) and "o" with the next consonant as its final
/// otherwise (สม som). Which consonant closes a syllable is a reading choice that only a
/// dictionary settles; these rules give the usual reading of names.
fn thai_romanise(chars: &[char], style: ThaiStyle) -> String {
    let n = chars.len();
    let at = |k: usize| chars.get(k).copied();
    let sonorant =
        |c: Option<char>| matches!(c, Some('ง' | 'ญ' | 'น' | 'ม' | 'ย' | 'ร' | 'ล' | 'ว'));
    // RO HAN: "รร" at `k` is the vowel "a" (with a final "n" when none follows).
    let ro_han = |k: usize| at(k) == Some('ร') && at(k + 1) == Some('ร');
    // Whether the consonant at `k` is followed by its own vowel (ro han counts as one).
    let takes_vowel = |k: usize| {
        at(k + 1).is_some_and(thai_vowel_sign) || ro_han(k) || (at(k) == Some('ว') && ro_han(k + 1))
    };
    let mut out = String::new();
    let mut i = 0;
    while i < n {
        let pre = at(i).filter(|&c| thai_preposed(c));
        if pre.is_some() {
            i += 1;
        }
        let Some(c) = at(i).filter(|&c| thai_consonant(c)) else {
            i += 1;
            continue;
        };
        i += 1;
        // Onset: a silent HO HIP before a sonorant (หญิง ying), a cluster with r, l or w.
        let mut onset = thai_initial(c, style).to_owned();
        if c == 'ห' && sonorant(at(i)) && (pre.is_some() || i + 1 < n) {
            onset = thai_initial(chars[i], style).to_owned();
            i += 1;
        } else if c == 'อ' && at(i) == Some('ย') {
            onset = "y".to_owned();
            i += 1;
        } else if thai_cluster(c, at(i), pre.is_some())
            && (pre.is_some() || at(i + 1).is_some_and(thai_vowel_sign))
            && !ro_han(i)
        {
            let second = chars[i];
            i += 1;
            let silent = style.silent_r && second == 'ร' && "สศซ".contains(c);
            if !silent {
                onset.push_str(thai_initial(second, style));
            }
        }
        // Vowel. `closed`: no final follows; `needs_final`: one always does (MAI HAN-AKAT).
        let mut needs_final = false;
        let mut closed = false;
        let vowel: &str = match pre {
            Some('เ') => match (at(i), at(i + 1)) {
                (Some('า'), _) => {
                    i += 1;
                    if at(i) == Some('ะ') {
                        i += 1;
                    }
                    closed = true;
                    "ao"
                }
                (Some('ี'), Some('ย')) => {
                    i += 2;
                    "ia"
                }
                (Some('ื'), Some('อ')) => {
                    i += 2;
                    "uea"
                }
                (Some('ิ' | 'อ'), _) => {
                    i += 1;
                    "oe"
                }
                (Some('ะ'), _) => {
                    i += 1;
                    closed = true;
                    "e"
                }
                _ => "e",
            },
            Some('แ') => {
                if at(i) == Some('ะ') {
                    i += 1;
                    closed = true;
                }
                "ae"
            }
            Some('โ') => {
                if at(i) == Some('ะ') {
                    i += 1;
                    closed = true;
                }
                "o"
            }
            Some(_) => {
                closed = true;
                "ai"
            }
            None => match at(i) {
                Some('ั') if at(i + 1) == Some('ว') => {
                    i += 2;
                    "ua"
                }
                Some('ั') => {
                    i += 1;
                    needs_final = true;
                    "a"
                }
                Some('ะ') => {
                    i += 1;
                    closed = true;
                    "a"
                }
                Some('า') => {
                    i += 1;
                    "a"
                }
                Some('ำ') => {
                    i += 1;
                    closed = true;
                    "am"
                }
                Some('ิ' | 'ี') => {
                    i += 1;
                    "i"
                }
                Some('ึ') => {
                    i += 1;
                    "ue"
                }
                Some('ื') => {
                    i += 1;
                    if at(i) == Some('อ') {
                        i += 1;
                    }
                    "ue"
                }
                Some('ุ' | 'ู') => {
                    i += 1;
                    "u"
                }
                Some(_) if ro_han(i) => {
                    i += 2;
                    if at(i).is_none_or(|c| !thai_consonant(c)) {
                        onset.push_str("an");
                        out.push_str(&onset);
                        continue;
                    }
                    "a"
                }
                Some('อ') if at(i + 1).is_none_or(thai_consonant) => {
                    i += 1;
                    "o"
                }
                Some('ว') if at(i + 1).is_some_and(thai_consonant) && !takes_vowel(i + 1) => {
                    i += 1;
                    "ua"
                }
                Some(d) if thai_consonant(d) && !takes_vowel(i) => {
                    // No vowel written: "o", closed by the next consonant.
                    out.push_str(&onset);
                    out.push('o');
                    out.push_str(thai_final(d, style));
                    i += 1;
                    continue;
                }
                _ => "a",
            },
        };
        out.push_str(&onset);
        out.push_str(vowel);
        // A final consonant: one without a vowel of its own, unless it opens the last
        // syllable with the word's last consonant (ธนากร tha-na-kon, not tha-nak-ron; ศิริพร
        // si-ri-phon); after MAI HAN-AKAT it is always the final (จันท chan-...).
        if !closed
            && let Some(d) = at(i).filter(|&d| thai_consonant(d))
            && !takes_vowel(i)
        {
            let opens_last = !needs_final && i + 2 == n && at(i + 1).is_some_and(thai_consonant);
            if !opens_last {
                out.push_str(thai_final(d, style));
                i += 1;
            }
        }
    }
    ascii_letters(&out)
}

// ---------------------------------------------------------------- Arabic script

fn arabic_tokens(word: &str) -> Vec<LatinToken> {
    // The article "al-" is written joined; treat it as a separate particle.
    let stripped = word
        .strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(word);
    // A word starting with alef or ain starts with a vowel in Latin (احمد Ahmad, عمر Umar,
    // علی Ali), which the letters alone lose ("hmd"): the phonetic key that blocking uses
    // starts with the first letter, so the vowel is put back.
    let vowel_start = stripped
        .chars()
        .next()
        .is_some_and(|c| matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' | 'ع'));
    let with_vowel = |s: String| {
        if vowel_start && !s.starts_with(['a', 'e', 'i', 'o', 'u']) {
            format!("a{s}")
        } else {
            s
        }
    };
    let mut spellings = vec![with_vowel(ascii_letters(&any_ascii::any_ascii(stripped)))];
    push_unique(&mut spellings, with_vowel(persian_reading(stripped)));
    token(spellings, true, true).into_iter().collect()
}

/// The word as Urdu and Persian read it: letters that Arabic says "th", "dh", "d" (emphatic),
/// "s" and "t" (emphatic) are "s", "z" and "t" there (عثمان Usman, not Uthman; رضا Raza,
/// not Rida), and a final he or ta marbuta is the vowel "a" (آمنہ Amna, فاطمة Fatima).
fn persian_reading(word: &str) -> String {
    let mut chars: Vec<char> = word
        .chars()
        .map(|c| match c {
            'ث' | 'ص' => 'س',
            'ذ' | 'ض' | 'ظ' => 'ز',
            'ط' => 'ت',
            'ح' => 'ه',
            _ => c,
        })
        .collect();
    if chars.len() >= 3 && matches!(chars.last(), Some('ه' | 'ہ' | 'ة' | 'ۃ')) {
        chars.pop();
    }
    ascii_letters(&any_ascii::any_ascii(
        &chars.into_iter().collect::<String>(),
    ))
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

/// Whether the consonant at `i` closes a syllable: asat or virama follows (a creaky-tone dot
/// may stand between).
fn my_is_final(cps: &[u32], i: usize) -> bool {
    let mut j = i + 1;
    while cps.get(j) == Some(&0x1037) {
        j += 1;
    }
    my_initial(cps[i]).is_some() && matches!(cps.get(j), Some(&0x103A) | Some(&0x1039))
}

/// Split Unicode Burmese into syllables: a new syllable starts at a consonant that is not
/// followed by asat or virama (a final).
fn my_syllables(cps: &[u32]) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    for (i, &c) in cps.iter().enumerate() {
        // A consonant stacked under virama opens the next syllable: သန္တာ is than-ta.
        let starts = my_initial(c).is_some() && !my_is_final(cps, i);
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
        Some(0x101A) if w => &["we", "way"],
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
        // Each with its Wade-Giles form.
        assert_eq!(
            spellings("一诺", WordSource::NamePart),
            vec![vec!["yinuo", "yino"]]
        );
        assert_eq!(
            spellings("一诺", WordSource::FullName),
            vec![vec!["yi"], vec!["nuo", "no"]]
        );
        assert_eq!(
            spellings("欧阳", WordSource::NamePart),
            vec![vec!["ouyang"]]
        );
        // A whole name written in one name column still splits.
        assert_eq!(
            spellings("张一诺", WordSource::NamePart),
            vec![vec!["zhang", "chang"], vec!["yinuo", "yino"]]
        );
        assert_eq!(spellings("지민", WordSource::NamePart).len(), 1);
        assert_eq!(spellings("김지민", WordSource::NamePart).len(), 2);
    }

    #[test]
    fn han_splits_family_and_keeps_heteronyms() {
        let t = word_to_tokens("张伟");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].spellings, vec!["zhang", "chang"]);
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
        // A stacked consonant starts a syllable; medial wa before a final ya is "we".
        assert_eq!(
            word_to_tokens("သန္တာ")
                .into_iter()
                .map(|t| t.spellings[0].clone())
                .collect::<Vec<_>>(),
            ["than", "ta"]
        );
        assert_eq!(word_to_tokens("နွယ်")[0].spellings, ["nwe", "nway"]);
        let zg = word_to_tokens(&zawgyi::unicode_to_zawgyi("အောင်ကျော်မြင့်"));
        assert_eq!(zg.len(), 3);
        assert_eq!(zg[2].spellings[0], "myint");
    }

    #[test]
    fn han_words_have_wade_giles_spellings() {
        for (han, pinyin, wg) in [
            ("志明", "zhiming", "chihming"),
            ("俊傑", "junjie", "chunchieh"),
            ("建宏", "jianhong", "chienhung"),
            ("冠廷", "guanting", "kuanting"),
            ("高雄", "gaoxiong", "kaohsiung"),
            ("子", "zi", "tzu"),
        ] {
            let spellings = word_to_tokens_of(han, WordSource::NamePart)[0]
                .spellings
                .clone();
            assert_eq!(spellings[0], pinyin, "{han}");
            assert!(spellings.contains(&wg.to_owned()), "{han}: {spellings:?}");
        }
        for (pinyin, wg) in [
            ("zhang", "chang"),
            ("xie", "hsieh"),
            ("guo", "kuo"),
            ("cai", "tsai"),
            ("luo", "lo"),
            ("you", "yu"),
            ("ye", "yeh"),
            ("gui", "kuei"),
            ("shi", "shih"),
            ("si", "ssu"),
            ("er", "erh"),
            ("chen", "chen"),
        ] {
            assert_eq!(wade_giles(pinyin), wg);
        }
    }

    #[test]
    fn thai_and_others() {
        // Thai: unwritten vowels, finals, silent letters, clusters, and the informal style.
        let thai = |w: &str| word_to_tokens(w)[0].spellings.clone();
        assert_eq!(thai("สมชาย"), ["somchai"]);
        assert_eq!(thai("สมศักดิ์"), ["somsak"]);
        assert_eq!(thai("สุขสวัสดิ์"), ["suksawat"]);
        assert_eq!(thai("ธนากร"), ["thanakon", "thanakorn"]);
        assert_eq!(thai("ใจดี"), ["chaidi", "jaidi"]);
        assert_eq!(thai("แสงทอง"), ["saengthong"]);
        assert_eq!(thai("ศรีสุข"), ["sisuk", "srisuk"]);
        assert_eq!(thai("สมหญิง"), ["somying"]);
        assert_eq!(thai("แก้วมณี"), ["kaeomani"]);
        assert_eq!(thai("อินทร์แก้ว"), ["inkaeo"]);
        assert_eq!(thai("ประเสริฐ")[0], "prasoet");
        // Arabic script: a vowel-initial word keeps its vowel; Urdu readings as a second key.
        assert_eq!(word_to_tokens("احمد")[0].spellings, ["ahmd"]);
        assert_eq!(word_to_tokens("عثمان")[0].spellings, ["athmn", "asmn"]);
        assert_eq!(first("አበበ"), vec!["abebe"]);
        assert_eq!(first("محمد"), vec!["mhmd"]);
        assert!(word_to_tokens("محمد")[0].abjad);
    }
}
