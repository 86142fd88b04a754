//! Bulk comparison, laid out for a million records.
//!
//! Comparing a pair used to read both records' scattered heap data (name tokens, strings of
//! every field); at a million records almost every pair reads a record far away in memory, so
//! the comparisons waited on memory more than they computed. Here each record gets a small
//! fixed-size summary (its order key, date of birth, sex, and ids for its name, nationality
//! and place), and the costly comparisons are cached: tokens, whole names (as lists of token
//! ids) and places are interned once per run, and each worker thread keeps the name levels,
//! token similarities and place levels it has computed, keyed by the pair of ids. The full
//! record is read only on a cache miss, or when both records carry a document or a phone.
//!
//! Results are exactly those of [`crate::record::compare`]: the same functions on the same
//! (oriented) arguments, with equal ids standing for equal values (a test checks this).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::fields::{Dob, Sex, compare_doc, compare_dob, compare_eq, compare_phone, compare_place};
use crate::name::{Token, compare_names_with, token_sim};
use crate::record::{Pattern, Prepared, swapped};

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

/// What most comparisons need of a record, in one cache line.
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// [`Prepared`]'s order key (ties are broken on the full record).
    order: u64,
    dob: Option<Dob>,
    name: u32,
    /// Place and nationality ids, [`NONE`] when missing.
    place: u32,
    nationality: u32,
    sex: Option<Sex>,
    document: bool,
    phone: bool,
}

/// Token, name and place ids of one set of records.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    hot: Vec<Hot>,
    /// Token ids of record `i` are `tokens[starts[i]..starts[i + 1]]`, in name order.
    starts: Vec<u32>,
    tokens: Vec<u32>,
}

impl Interned {
    fn tokens(&self, i: usize) -> &[u32] {
        &self.tokens[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Intern the tokens and places of several sets with shared ids (link compares across sets).
pub(crate) fn intern(sets: &[&[Prepared]]) -> Vec<Interned> {
    let mut token_ids: HashMap<&Token, u32> = HashMap::new();
    let mut name_ids: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut place_ids: HashMap<&str, u32> = HashMap::new();
    let mut nationality_ids: HashMap<&str, u32> = HashMap::new();
    fn id<'a>(ids: &mut HashMap<&'a str, u32>, s: Option<&'a str>) -> u32 {
        s.map_or(NONE, |s| {
            let next = ids.len() as u32;
            *ids.entry(s).or_insert(next)
        })
    }
    sets.iter()
        .map(|set| {
            let mut out = Interned {
                hot: Vec::with_capacity(set.len()),
                starts: Vec::with_capacity(set.len() + 1),
                tokens: Vec::with_capacity(set.len() * 3),
            };
            out.starts.push(0);
            for p in *set {
                let first = out.tokens.len();
                for t in &p.name.tokens {
                    let next = token_ids.len() as u32;
                    out.tokens.push(*token_ids.entry(t).or_insert(next));
                }
                out.starts.push(out.tokens.len() as u32);
                let next = name_ids.len() as u32;
                let name = match name_ids.get(&out.tokens[first..]) {
                    Some(&n) => n,
                    None => *name_ids.entry(out.tokens[first..].to_vec()).or_insert(next),
                };
                out.hot.push(Hot {
                    order: p.order(),
                    dob: p.dob,
                    name,
                    place: id(&mut place_ids, p.place.as_deref()),
                    nationality: id(&mut nationality_ids, p.nationality.as_deref()),
                    sex: p.sex,
                    document: p.document.is_some(),
                    phone: p.phone.is_some(),
                });
            }
            out
        })
        .collect()
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
        let (ha, hb) = (&li.hot[a], &ri.hot[b]);
        let swap = match ha.order.cmp(&hb.order) {
            std::cmp::Ordering::Equal => swapped(&left[a], &right[b]),
            o => o == std::cmp::Ordering::Greater,
        };
        let ((x, xi, xa, hx), (y, yi, yb, hy)) = if swap {
            ((&right[b], ri, b, hb), (&left[a], li, a, ha))
        } else {
            ((&left[a], li, a, ha), (&right[b], ri, b, hb))
        };
        let name_key = key(hx.name, hy.name);
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
        let place = match (hx.place, hy.place) {
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
        let known = |id: u32| (id != NONE).then_some(id);
        // The same fields and functions as `record::compare`; a missing document or phone on
        // either side is level 0 without reading the records.
        Pattern([
            name,
            compare_dob(hx.dob.as_ref(), hy.dob.as_ref()),
            compare_eq(hx.sex.as_ref(), hy.sex.as_ref()),
            compare_eq(known(hx.nationality).as_ref(), known(hy.nationality).as_ref()),
            if hx.document && hy.document {
                compare_doc(x.document.as_ref(), y.document.as_ref())
            } else {
                compare_doc(None, None)
            },
            if hx.phone && hy.phone {
                compare_phone(x.phone.as_ref(), y.phone.as_ref())
            } else {
                compare_phone(None, None)
            },
            place,
        ])
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
