//! Second registrations of the same person, with the spelling drift seen when
//! different officers write down one name: another romanisation, family and
//! given name swapped, a typing slip, capitals copied from a passport, a
//! single Burmese-style name split into "given" and "family", and a birth
//! date recorded as a year only.

use crate::data::NameEntry;
use crate::rng::Rng;
use crate::{Birth, DemoPerson};
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Romanise,
    Split,
    Typo,
    Swap,
    Capitals,
}

/// What the generator knows about a person beyond the registered record.
pub(crate) struct Truth<'a> {
    pub(crate) birth: Date,
    pub(crate) given: Option<&'a NameEntry>,
    pub(crate) family: Option<&'a NameEntry>,
}

fn applicable(op: Op, p: &DemoPerson, truth: &Truth<'_>) -> bool {
    match op {
        Op::Romanise => [truth.given, truth.family]
            .iter()
            .flatten()
            .any(|e| !e.variants.is_empty()),
        Op::Split => p.family_name.is_empty() && p.given_name.contains(' '),
        Op::Typo => p.given_name.chars().count() >= 3 || p.family_name.chars().count() >= 3,
        Op::Swap => !p.family_name.is_empty(),
        Op::Capitals => {
            let target = if p.family_name.is_empty() {
                &p.given_name
            } else {
                &p.family_name
            };
            target.chars().any(char::is_lowercase)
        }
    }
}

/// A slip of the keyboard in one name: a letter dropped, doubled, swapped with
/// its neighbour, or a vowel replaced. `None` if the name is too short.
pub(crate) fn typo(s: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as u32;
    if len < 3 {
        return None;
    }
    for _ in 0..8 {
        let mut c = chars.clone();
        match rng.below(4) {
            0 => {
                let i = rng.range(1, len - 1) as usize;
                if c.get(i).is_some_and(|ch| ch.is_alphabetic()) {
                    c.remove(i);
                }
            }
            1 => {
                let i = rng.range(1, len - 1) as usize;
                if let Some(&ch) = c.get(i).filter(|ch| ch.is_alphabetic()) {
                    c.insert(i, ch);
                }
            }
            2 => {
                let i = rng.range(1, len - 2) as usize;
                let both_letters = c.get(i).is_some_and(|ch| ch.is_alphabetic())
                    && c.get(i + 1).is_some_and(|ch| ch.is_alphabetic());
                if both_letters {
                    c.swap(i, i + 1);
                }
            }
            _ => {
                let vowels: Vec<usize> = (1..c.len())
                    .filter(|&i| c.get(i).is_some_and(|ch| "aeiou".contains(*ch)))
                    .collect();
                if let Some(&i) = rng.pick(&vowels) {
                    let replacement = *rng.pick(&['a', 'e', 'i', 'o', 'u']).unwrap_or(&'e');
                    if let Some(slot) = c.get_mut(i) {
                        *slot = replacement;
                    }
                }
            }
        }
        let out: String = c.into_iter().collect();
        if out != s {
            return Some(out);
        }
    }
    None
}

fn romanise(dup: &mut DemoPerson, truth: &Truth<'_>, rng: &mut Rng) -> bool {
    let mut choices: Vec<(bool, &str)> = Vec::new();
    if let Some(g) = truth.given {
        choices.extend(g.variants.iter().map(|v| (true, *v)));
    }
    if let Some(f) = truth.family {
        choices.extend(f.variants.iter().map(|v| (false, *v)));
    }
    match rng.pick(&choices) {
        Some(&(true, v)) => dup.given_name = v.to_owned(),
        Some(&(false, v)) => dup.family_name = v.to_owned(),
        None => return false,
    }
    true
}

fn apply(op: Op, dup: &mut DemoPerson, truth: &Truth<'_>, rng: &mut Rng) -> bool {
    match op {
        Op::Romanise => romanise(dup, truth, rng),
        Op::Split => match dup.given_name.rsplit_once(' ') {
            Some((given, family)) => {
                let (given, family) = (given.to_owned(), family.to_owned());
                dup.given_name = given;
                dup.family_name = family;
                true
            }
            None => false,
        },
        Op::Typo => {
            let on_family = dup.family_name.chars().count() >= 3
                && (dup.given_name.chars().count() < 3 || rng.chance(500));
            let field = if on_family {
                &mut dup.family_name
            } else {
                &mut dup.given_name
            };
            match typo(field, rng) {
                Some(t) => {
                    *field = t;
                    true
                }
                None => false,
            }
        }
        Op::Swap => {
            std::mem::swap(&mut dup.given_name, &mut dup.family_name);
            true
        }
        Op::Capitals => {
            let field = if dup.family_name.is_empty() {
                &mut dup.given_name
            } else {
                &mut dup.family_name
            };
            *field = field.to_uppercase();
            true
        }
    }
}

/// The record a second officer makes for `original`. `duplicate_of` is left
/// for the caller to fill in once record positions are final.
pub(crate) fn re_register(original: &DemoPerson, truth: &Truth<'_>, rng: &mut Rng) -> DemoPerson {
    let mut dup = original.clone();
    dup.duplicate_of = None;

    // Draw one or two kinds of drift among those that fit this name; weights
    // by repetition (another romanisation and typing slips are the commonest).
    let mut pool = [
        Op::Romanise,
        Op::Romanise,
        Op::Romanise,
        Op::Typo,
        Op::Typo,
        Op::Swap,
        Op::Swap,
        Op::Capitals,
        Op::Split,
        Op::Split,
    ];
    rng.shuffle(&mut pool);
    let want = if rng.chance(300) { 2 } else { 1 };
    let mut chosen: Vec<Op> = Vec::new();
    for op in pool {
        if chosen.len() == want {
            break;
        }
        if !chosen.contains(&op) && applicable(op, original, truth) {
            chosen.push(op);
        }
    }
    // Apply in a fixed order so a swap never moves a romanised given name
    // into the family field by accident.
    let mut changed = false;
    for op in [Op::Romanise, Op::Split, Op::Typo, Op::Swap, Op::Capitals] {
        if chosen.contains(&op) {
            changed |= apply(op, &mut dup, truth, rng);
        }
    }
    if !changed
        || (dup.given_name == original.given_name && dup.family_name == original.family_name)
    {
        // Every generated given name has at least two letters; doubling one
        // always changes it.
        let mut doubled = String::new();
        let mut done = false;
        for ch in dup.given_name.chars() {
            doubled.push(ch);
            if !done && ch.is_alphabetic() {
                doubled.push(ch);
                done = true;
            }
        }
        dup.given_name = doubled;
    }

    if rng.chance(500) {
        dup.birth = match original.birth {
            Birth::Full(d) => Birth::Year(d.year()),
            Birth::Year(_) => Birth::Full(truth.birth),
            Birth::EstimatedAge(_) => Birth::Year(truth.birth.year()),
        };
    }
    if rng.chance(400) {
        dup.name_original_script = None;
    }
    if dup.passport_number.is_some() && rng.chance(300) {
        dup.passport_number = None;
    }
    if rng.chance(500) {
        dup.notes = None;
    }
    dup
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_changes_the_name_but_keeps_its_first_letter() {
        let mut rng = Rng::new(11);
        for name in ["Nguyen", "Tesfaye", "Gurpreet", "Ana", "Mark Anthony"] {
            for _ in 0..200 {
                let t = typo(name, &mut rng).unwrap();
                assert_ne!(t, name);
                assert_eq!(t.chars().next(), name.chars().next());
                let diff = t.chars().count() as i64 - name.chars().count() as i64;
                assert!(diff.abs() <= 1, "{name} -> {t}");
            }
        }
        assert_eq!(typo("Li", &mut rng), None);
    }
}
