//! Bulk comparison with the two costly field comparisons cached.
//!
//! A million registrations hold far fewer distinct name tokens and places than pairs to
//! compare: the same "Kumar", "Nguyen" or village comes back in thousands of candidate pairs.
//! Tokens, whole names (as lists of token ids) and places are interned once per run; each
//! worker thread keeps the name levels, token similarities and place levels it has computed,
//! keyed by the pair of ids, and looks them up afterwards. A name-level hit touches neither
//! name's tokens, which matters as much as the work saved: at a million records almost every
//! pair reads a record far away in memory. Results are exactly those of [`crate::record::compare`]: the cached values are
//! the same functions' outputs for the same (oriented) arguments.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::fields::compare_place;
use crate::name::{Token, compare_names_with, token_sim};
use crate::record::{Pattern, Prepared, compare_oriented, swapped};

const NONE: u32 = u32::MAX;

/// Entries per cache before it is emptied, bounding each thread's memory (about 64 MiB).
const MAX_ENTRIES: usize = 1 << 22;

/// Hasher for keys that are already two dense ids: one multiply and a shift spread them.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let z = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = z ^ (z >> 32);
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Token, name and place ids of one set of records.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    /// Token ids of record `i` are `tokens[starts[i]..starts[i + 1]]`, in name order.
    starts: Vec<u32>,
    tokens: Vec<u32>,
    /// Name id per record: records with the same token ids in the same order share it.
    names: Vec<u32>,
    /// Place id per record, [`NONE`] when there is no place.
    places: Vec<u32>,
}

impl Interned {
    fn tokens(&self, i: usize) -> &[u32] {
        &self.tokens[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Intern the tokens and places of several sets with shared ids (link compares across sets).
pub(crate) fn intern(sets: &[&[Prepared]]) -> Vec<Interned> {
    let mut token_ids: HashMap<&Token, u32> = HashMap::new();
    let mut place_ids: HashMap<&str, u32> = HashMap::new();
    let mut out: Vec<Interned> = sets
        .iter()
        .map(|set| {
            let mut out = Interned {
                starts: Vec::with_capacity(set.len() + 1),
                tokens: Vec::with_capacity(set.len() * 3),
                names: Vec::new(),
                places: Vec::with_capacity(set.len()),
            };
            out.starts.push(0);
            for p in *set {
                for t in &p.name.tokens {
                    let next = token_ids.len() as u32;
                    out.tokens.push(*token_ids.entry(t).or_insert(next));
                }
                out.starts.push(out.tokens.len() as u32);
                out.places.push(match p.place.as_deref() {
                    Some(s) => {
                        let next = place_ids.len() as u32;
                        *place_ids.entry(s).or_insert(next)
                    }
                    None => NONE,
                });
            }
            out
        })
        .collect();
    let mut name_ids: HashMap<&[u32], u32> = HashMap::new();
    let names: Vec<Vec<u32>> = out
        .iter()
        .map(|set| {
            (0..set.places.len())
                .map(|i| {
                    let next = name_ids.len() as u32;
                    *name_ids.entry(set.tokens(i)).or_insert(next)
                })
                .collect()
        })
        .collect();
    for (set, names) in out.iter_mut().zip(names) {
        set.names = names;
    }
    out
}

/// One thread's cached token similarities and place levels.
#[derive(Default)]
pub(crate) struct Cache {
    names: IdMap<u8>,
    tokens: IdMap<f64>,
    places: IdMap<u8>,
}

fn key(a: u32, b: u32) -> u64 {
    u64::from(a) << 32 | u64::from(b)
}

impl Cache {
    /// The pattern of `left[a]` against `right[b]`, equal to `compare(&left[a], &right[b])`.
    pub(crate) fn compare(
        &mut self,
        (left, li): (&[Prepared], &Interned),
        a: usize,
        (right, ri): (&[Prepared], &Interned),
        b: usize,
    ) -> Pattern {
        // Orient as `compare` does, so every cached value is for the argument order it uses.
        let ((x, xi, xa), (y, yi, yb)) = if swapped(&left[a], &right[b]) {
            ((&right[b], ri, b), (&left[a], li, a))
        } else {
            ((&left[a], li, a), (&right[b], ri, b))
        };
        let name_key = key(xi.names[xa], yi.names[yb]);
        let name = match self.names.get(&name_key) {
            Some(&level) => level,
            None => {
                let level = self.name_level(x, xi.tokens(xa), y, yi.tokens(yb));
                if self.names.len() > MAX_ENTRIES {
                    self.names.clear();
                }
                self.names.insert(name_key, level);
                level
            }
        };
        let place = match (xi.places[xa], yi.places[yb]) {
            (NONE, _) | (_, NONE) => compare_place(None, None),
            (s, t) if s == t => compare_place(x.place.as_deref(), y.place.as_deref()),
            (s, t) => {
                if self.places.len() > MAX_ENTRIES {
                    self.places.clear();
                }
                *self.places.entry(key(s, t)).or_insert_with(|| {
                    compare_place(x.place.as_deref(), y.place.as_deref())
                })
            }
        };
        compare_oriented(x, y, name, place)
    }

    /// Name level of an oriented pair, from cached token similarities.
    fn name_level(&mut self, x: &Prepared, tx: &[u32], y: &Prepared, ty: &[u32]) -> u8 {
        if self.tokens.len() > MAX_ENTRIES {
            self.tokens.clear();
        }
        compare_names_with(&x.name, &y.name, |i, j| {
            let (s, t) = (tx[i], ty[j]);
            if s == t {
                // A token against itself: the first forms agree exactly.
                return 1.0;
            }
            *self
                .tokens
                .entry(key(s, t))
                .or_insert_with(|| token_sim(&x.name.tokens[i], &y.name.tokens[j]))
        })
    }
}
