//! Zawgyi detection and conversion to Unicode Burmese.
//!
//! Zawgyi is a font encoding that reuses the Myanmar block with different meanings and stores
//! text in visual order (the vowel sign E and medial RA are typed before the consonant).
//! Many documents and phones in Myanmar still produce it, so the same name can arrive in two
//! incompatible byte sequences.
//!
//! Detection scores evidence both ways: code points only Zawgyi uses for Burmese (stacked and
//! narrow glyph variants at U+105A and U+1060..U+1097), and orders Unicode Burmese forbids
//! (E vowel or medial before any consonant, asat U+103A followed by a consonant as a medial).
//! Conversion covers the common cases: glyph variants, medials, the E vowel and medial RA
//! reordering, kinzi and stacked consonants. Rare ligatures are left as they are.

const E_VOWEL: u32 = 0x1031;

fn is_consonant(c: u32) -> bool {
    (0x1000..=0x1021).contains(&c) || c == 0x103F || c == 0x104E
}

/// Returns true when the text looks Zawgyi-encoded rather than Unicode.
pub fn is_zawgyi(s: &str) -> bool {
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    let mut zawgyi = 0i32;
    let mut unicode = 0i32;
    for (i, &c) in cps.iter().enumerate() {
        let prev = if i > 0 { cps[i - 1] } else { 0 };
        let next = cps.get(i + 1).copied().unwrap_or(0);
        match c {
            0x105A | 0x1060..=0x1097 => zawgyi += 3,
            // A word cannot start with a vowel sign or medial in Unicode: decisive.
            E_VOWEL | 0x103B if i == 0 || !is_myanmar(prev) => zawgyi += 10,
            // Zawgyi stores E and medial RA (U+103B there) before the consonant.
            E_VOWEL | 0x103B if !is_consonant(prev) && !is_medial(prev) && is_consonant(next) => {
                zawgyi += 2
            }
            E_VOWEL if is_consonant(prev) || is_medial(prev) => unicode += 1,
            // Zawgyi U+1039 is the asat (Unicode U+103A): at a syllable end, not before a consonant.
            0x1039 if !is_consonant(next) => zawgyi += 2,
            0x1039 if is_consonant(next) => unicode += 1,
            // Unicode medial RA U+103C and medial ha U+103E combos are written after the consonant.
            0x103C if is_consonant(prev) => unicode += 1,
            0x103A if is_consonant(prev) && (next == 0x102C || next == 0x102B) => zawgyi += 1,
            0x1033 | 0x1034 => zawgyi += 2,
            _ => {}
        }
    }
    zawgyi > unicode
}

fn is_myanmar(c: u32) -> bool {
    (0x1000..=0x109F).contains(&c)
}

fn is_medial(c: u32) -> bool {
    (0x103B..=0x103E).contains(&c)
}

/// Map one Zawgyi code point to its Unicode sequence (before reordering).
fn map_cp(c: u32, out: &mut Vec<u32>) {
    let seq: &[u32] = match c {
        0x1039 => &[0x103A],
        0x103A => &[0x103B],
        0x103B | 0x107E..=0x1084 => &[0x103C],
        0x103C => &[0x103D],
        0x103D | 0x1087 => &[0x103E],
        0x1033 => &[0x102F],
        0x1034 => &[0x1030],
        0x105A => &[0x102B, 0x103A],
        0x1064 => &[0x1004, 0x103A, 0x1039],
        0x108B => &[0x1004, 0x103A, 0x1039, 0x102D],
        0x108C => &[0x1004, 0x103A, 0x1039, 0x102E],
        0x108D => &[0x1004, 0x103A, 0x1039, 0x1036],
        0x1088 => &[0x103E, 0x102F],
        0x1089 => &[0x103E, 0x1030],
        0x108A => &[0x103D, 0x103E],
        0x106A => &[0x1009],
        0x106B => &[0x100A],
        0x108F => &[0x1014],
        0x1090 => &[0x101B],
        0x1086 => &[0x103F],
        0x1091 => &[0x100F, 0x1039, 0x100D],
        0x1092 => &[0x100B, 0x1039, 0x100C],
        0x1097 => &[0x100B, 0x1039, 0x100B],
        0x1094 | 0x1095 => &[0x1037],
        0x1060 => &[0x1039, 0x1000],
        0x1061 => &[0x1039, 0x1001],
        0x1062 => &[0x1039, 0x1002],
        0x1063 => &[0x1039, 0x1003],
        0x1065 => &[0x1039, 0x1005],
        0x1066 | 0x1067 => &[0x1039, 0x1006],
        0x1068 => &[0x1039, 0x1007],
        0x1069 => &[0x1039, 0x1008],
        0x106C => &[0x1039, 0x100B],
        0x106D => &[0x1039, 0x100C],
        0x1070 => &[0x1039, 0x100F],
        0x1071 | 0x1072 => &[0x1039, 0x1010],
        0x1073 | 0x1074 => &[0x1039, 0x1011],
        0x1075 => &[0x1039, 0x1012],
        0x1076 => &[0x1039, 0x1013],
        0x1077 => &[0x1039, 0x1014],
        0x1078 => &[0x1039, 0x1015],
        0x1079 => &[0x1039, 0x1016],
        0x107A => &[0x1039, 0x1017],
        0x107B | 0x1093 => &[0x1039, 0x1018],
        0x107C => &[0x1039, 0x1019],
        0x1085 => &[0x1039, 0x101C],
        _ => {
            out.push(c);
            return;
        }
    };
    out.extend_from_slice(seq);
}

/// Storage order of the marks that follow a consonant in Unicode Burmese.
fn rank(c: u32) -> u8 {
    match c {
        0x103B => 2,
        0x103C => 3,
        0x103D => 4,
        0x103E => 5,
        E_VOWEL => 6,
        0x102D | 0x102E | 0x1032 => 7,
        0x102F | 0x1030 => 8,
        0x102B | 0x102C => 9,
        0x1036 => 10,
        0x1037 => 11,
        0x103A => 12,
        0x1038 => 13,
        _ => 14,
    }
}

/// Convert Zawgyi-encoded text to Unicode Burmese (common cases).
pub fn zawgyi_to_unicode(s: &str) -> String {
    let mut mapped = Vec::with_capacity(s.len());
    for c in s.chars() {
        map_cp(c as u32, &mut mapped);
    }
    let mut out: Vec<u32> = Vec::with_capacity(mapped.len());
    let mut i = 0;
    while i < mapped.len() {
        // Collect pre-base marks typed before the consonant.
        let mut pre: Vec<u32> = Vec::new();
        while i < mapped.len() && (mapped[i] == E_VOWEL || mapped[i] == 0x103C) {
            pre.push(mapped[i]);
            i += 1;
        }
        if i >= mapped.len() || !is_consonant(mapped[i]) {
            out.extend(pre);
            if i < mapped.len() {
                out.push(mapped[i]);
                i += 1;
            }
            continue;
        }
        let base = mapped[i];
        i += 1;
        // Stacked consonant (virama + consonant) and kinzi stay attached to the base.
        let mut stack: Vec<u32> = Vec::new();
        let mut kinzi = false;
        let mut marks: Vec<u32> = pre;
        while i < mapped.len() {
            let c = mapped[i];
            if c == 0x1004
                && mapped.get(i + 1) == Some(&0x103A)
                && mapped.get(i + 2) == Some(&0x1039)
            {
                kinzi = true;
                i += 3;
            } else if c == 0x1039 && mapped.get(i + 1).is_some_and(|&n| is_consonant(n)) {
                stack.extend_from_slice(&mapped[i..i + 2]);
                i += 2;
            } else if c == E_VOWEL || c == 0x103C {
                // In Zawgyi these are typed before a consonant: they open the next syllable.
                break;
            } else if rank(c) < 14 {
                // A final consonant with asat belongs to this syllable; stop before a new base.
                marks.push(c);
                i += 1;
            } else {
                break;
            }
        }
        // Asat after a following consonant: leave syllable boundaries to the outer loop.
        marks.sort_by_key(|&c| rank(c));
        marks.dedup();
        if kinzi {
            out.extend_from_slice(&[0x1004, 0x103A, 0x1039]);
        }
        out.push(base);
        out.extend(stack);
        out.extend(marks);
    }
    out.into_iter().filter_map(char::from_u32).collect()
}

/// Convert Unicode Burmese to Zawgyi for the common cases; the inverse of
/// [`zawgyi_to_unicode`] on simple syllables. Used to test detection on text encoded both ways.
pub fn unicode_to_zawgyi(s: &str) -> String {
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    let mut out: Vec<u32> = Vec::with_capacity(cps.len());
    let mut i = 0;
    while i < cps.len() {
        if !is_consonant(cps[i]) {
            out.push(zg_map(cps[i]));
            i += 1;
            continue;
        }
        let base = cps[i];
        i += 1;
        let mut pre = Vec::new();
        let mut post = Vec::new();
        while i < cps.len() && !is_consonant(cps[i]) {
            match cps[i] {
                E_VOWEL => pre.insert(0, E_VOWEL),
                0x103C => pre.push(0x103B),
                c => post.push(zg_map(c)),
            }
            i += 1;
        }
        // Zawgyi order: E, medial RA, consonant, then the rest.
        pre.sort_by_key(|&c| if c == E_VOWEL { 0 } else { 1 });
        out.extend(pre);
        out.push(base);
        out.extend(post);
    }
    out.into_iter().filter_map(char::from_u32).collect()
}

fn zg_map(c: u32) -> u32 {
    match c {
        0x103A => 0x1039,
        0x103B => 0x103A,
        0x103D => 0x103C,
        0x103E => 0x103D,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Aung Kyaw Myint" typed in Unicode and, by hand, in Zawgyi visual order.
    const UNI: &str = "\u{1021}\u{1031}\u{102C}\u{1004}\u{103A}\u{1000}\u{103B}\u{1031}\u{102C}\u{103A}\u{1019}\u{103C}\u{1004}\u{1037}\u{103A}";
    const ZG: &str = "\u{1031}\u{1021}\u{102C}\u{1004}\u{1039}\u{1031}\u{1000}\u{103A}\u{102C}\u{1039}\u{103B}\u{1019}\u{1004}\u{1037}\u{1039}";

    #[test]
    fn detects_both_encodings() {
        assert!(is_zawgyi(ZG));
        assert!(!is_zawgyi(UNI));
        assert!(!is_zawgyi("Aung Kyaw"));
    }

    #[test]
    fn converts_hand_typed_zawgyi() {
        assert_eq!(zawgyi_to_unicode(ZG), UNI);
    }

    #[test]
    fn round_trips_through_the_encoder() {
        let zg = unicode_to_zawgyi(UNI);
        assert_eq!(zg, ZG);
        assert!(is_zawgyi(&zg));
        assert_eq!(zawgyi_to_unicode(&zg), UNI);
    }

    #[test]
    fn converts_stacked_and_variant_forms() {
        // Zawgyi U+1033 is the vowel U; U+1060 is a stacked KA.
        assert_eq!(zawgyi_to_unicode("\u{1005}\u{1033}"), "\u{1005}\u{102F}");
        assert_eq!(
            zawgyi_to_unicode("\u{1019}\u{1060}"),
            "\u{1019}\u{1039}\u{1000}"
        );
    }
}
