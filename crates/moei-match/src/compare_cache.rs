//! Bulk comparison, laid out for a million records.
//!
//! Comparing a pair used to read both records' scattered heap data (name tokens, strings of
//! every field); at a million records almost every pair reads a record far away in memory, so
//! the comparisons waited on memory more than they computed. Here each record gets a small
//! fixed-size summary of two cache lines (its order key, date of birth, sex, and ids for its
//! name tokens, nationality and place), and the costly comparisons are cached: name tokens and
//! places are interned once per run, and each worker thread keeps the token similarities and
//! place levels it has computed, keyed by the pair of ids. Document numbers are kept in the
//! summary too: most registrations carry one, and comparing them through the record cost
//! three reads far away in memory per pair. The full record is read only on a cache miss, or
//! when both records carry a phone. (Caching whole-name levels too was measured: most name
//! pairs occur once, so it cost more lookups than it saved.)
//!
//! Results are exactly those of [`crate::record::compare`]: the same functions on the same
//! (oriented) arguments, with equal ids standing for equal values (a test checks this).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::fields::{
    Dob, Sex, compare_dob, compare_doc, compare_eq, compare_phone, compare_place, doc_level,
};
use crate::name::{JoinSide, Token, compare_names, compare_names_with, token_sim};
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

pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Names with more tokens than this are compared without the cache (parsing keeps eight).
const HOT_TOKENS: usize = 8;

/// Document numbers up to this long are kept inline (parsing accepts up to 20 characters).
const HOT_DOC: usize = 20;

/// What most comparisons need of a record, in two adjacent cache lines.
#[derive(Debug, Clone, Copy)]
#[repr(align(128))]
struct Hot {
    /// [`Prepared`]'s order key (ties are broken on the full record).
    order: u64,
    dob: Option<Dob>,
    /// Token ids in name order, [`INITIAL`] set on initials; the first `tokens_len` are used.
    tokens: [u32; HOT_TOKENS],
    /// Place and nationality ids, [`NONE`] when missing.
    place: u32,
    nationality: u32,
    sex: Option<Sex>,
    /// `u8::MAX` when the name has more than [`HOT_TOKENS`] tokens.
    tokens_len: u8,
    /// Document number: exact and OCR-folded bytes, the first `doc_len` of each; `doc_len`
    /// is 0 without a document, `u8::MAX` when it is too long to keep here.
    doc_exact: [u8; HOT_DOC],
    doc_folded: [u8; HOT_DOC],
    doc_len: u8,
    phone: bool,
    /// [`crate::name::Name::joins_mask`] and [`crate::name::Name::spellings_mask`]: whether a
    /// join may match, without reading the names.
    joins_mask: u64,
    spellings_mask: u64,
}

impl Hot {
    fn tokens(&self) -> &[u32] {
        &self.tokens[..usize::from(self.tokens_len).min(HOT_TOKENS)]
    }

    fn doc(&self) -> (&[u8], &[u8]) {
        let n = usize::from(self.doc_len).min(HOT_DOC);
        (&self.doc_exact[..n], &self.doc_folded[..n])
    }
}

/// Marks a token id as an initial (the top bit; ids are dense and far below it).
const INITIAL: u32 = 1 << 31;

/// Record summaries of one set of records.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    hot: Vec<Hot>,
}

impl Interned {
    /// Read record `i`'s summary and return a value depending on it. Reading the summaries
    /// of a batch of pairs first, with nothing waiting on each read, lets the processor fetch
    /// them from memory in parallel instead of one pair at a time.
    pub(crate) fn warm(&self, i: usize) -> u64 {
        self.hot.get(i).map_or(0, |h| {
            h.order ^ u64::from(h.doc_exact[0]) ^ u64::from(h.doc_folded[HOT_DOC - 1])
        })
    }
}

/// Summaries of several sets, with token, place and nationality ids shared across them (link
/// compares across sets).
pub(crate) fn intern(sets: &[&[Prepared]]) -> Vec<Interned> {
    let mut token_ids: HashMap<&Token, u32> = HashMap::new();
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
            };
            for p in *set {
                let mut tokens = [0u32; HOT_TOKENS];
                for (slot, t) in tokens.iter_mut().zip(&p.name.tokens) {
                    let next = token_ids.len() as u32 | if t.initial { INITIAL } else { 0 };
                    *slot = *token_ids.entry(t).or_insert(next);
                }
                let n = p.name.tokens.len();
                let (mut doc_exact, mut doc_folded) = ([0u8; HOT_DOC], [0u8; HOT_DOC]);
                let doc_len = match &p.document {
                    None => 0,
                    Some(d) if d.exact.len() == d.folded.len() && d.exact.len() <= HOT_DOC => {
                        doc_exact[..d.exact.len()].copy_from_slice(d.exact.as_bytes());
                        doc_folded[..d.folded.len()].copy_from_slice(d.folded.as_bytes());
                        d.exact.len() as u8
                    }
                    Some(_) => u8::MAX,
                };
                out.hot.push(Hot {
                    order: p.order(),
                    dob: p.dob,
                    tokens,
                    tokens_len: if n <= HOT_TOKENS { n as u8 } else { u8::MAX },
                    place: id(&mut place_ids, p.place.as_deref()),
                    nationality: id(&mut nationality_ids, p.nationality.as_deref()),
                    sex: p.sex,
                    doc_exact,
                    doc_folded,
                    doc_len,
                    phone: p.phone.is_some(),
                    joins_mask: p.name.joins_mask(),
                    spellings_mask: p.name.spellings_mask(),
                });
            }
            out
        })
        .collect()
}

/// Slots of the small token-similarity cache in front of the map (512 KiB, so it stays in
/// the core's own cache while the map, megabytes large, mostly does not).
const RECENT: usize = 1 << 15;

/// One thread's cached token similarities and place levels.
pub(crate) struct Cache {
    /// Direct-mapped: a key's slot holds it or another key; `u64::MAX` marks an empty slot
    /// (no key is: a token is never compared with itself through the cache).
    recent: Vec<(u64, f64)>,
    tokens: IdMap<f64>,
    places: IdMap<u8>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            recent: vec![(u64::MAX, 0.0); RECENT],
            tokens: IdMap::default(),
            places: IdMap::default(),
        }
    }
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
        let ((x, hx), (y, hy)) = if swap {
            ((&right[b], hb), (&left[a], ha))
        } else {
            ((&left[a], ha), (&right[b], hb))
        };
        let name = if hx.tokens_len == u8::MAX || hy.tokens_len == u8::MAX {
            compare_names(&x.name, &y.name)
        } else {
            let may_join = (
                hx.joins_mask & hy.spellings_mask != 0,
                hy.joins_mask & hx.spellings_mask != 0,
            );
            self.name_level(x, hx.tokens(), y, hy.tokens(), may_join)
        };
        let place = match (hx.place, hy.place) {
            (NONE, _) | (_, NONE) => compare_place(None, None),
            (s, t) => {
                if self.places.len() > MAX_ENTRIES {
                    self.places.clear();
                }
                *self
                    .places
                    .entry(key(s, t))
                    .or_insert_with(|| compare_place(x.place.as_deref(), y.place.as_deref()))
            }
        };
        let known = |id: u32| (id != NONE).then_some(id);
        // The same fields and functions as `record::compare`; a missing document or phone on
        // either side is level 0 without reading the records.
        Pattern([
            name,
            compare_dob(hx.dob.as_ref(), hy.dob.as_ref()),
            compare_eq(hx.sex.as_ref(), hy.sex.as_ref()),
            compare_eq(
                known(hx.nationality).as_ref(),
                known(hy.nationality).as_ref(),
            ),
            match (hx.doc_len, hy.doc_len) {
                (0, _) | (_, 0) => compare_doc(None, None),
                (u8::MAX, _) | (_, u8::MAX) => {
                    compare_doc(x.document.as_ref(), y.document.as_ref())
                }
                _ => doc_level(hx.doc(), hy.doc()),
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
    /// `may_join`: whether a join of `x`'s, then of `y`'s, tokens may match the other's
    /// spellings (from the summaries' masks); the names are read only then.
    fn name_level(
        &mut self,
        x: &Prepared,
        tx: &[u32],
        y: &Prepared,
        ty: &[u32],
        may_join: (bool, bool),
    ) -> u8 {
        if self.tokens.len() > MAX_ENTRIES {
            self.tokens.clear();
        }
        compare_names_with(
            (tx.len(), |i| tx[i] & INITIAL != 0),
            (ty.len(), |j| ty[j] & INITIAL != 0),
            |i, j| {
                let (s, t) = (tx[i], ty[j]);
                if s == t {
                    // A token against itself: the first forms agree exactly.
                    return 1.0;
                }
                let k = key(s, t);
                let slot = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 49) as usize % RECENT;
                if self.recent[slot].0 == k {
                    return self.recent[slot].1;
                }
                let sim = *self
                    .tokens
                    .entry(k)
                    .or_insert_with(|| token_sim(&x.name.tokens[i], &y.name.tokens[j]));
                self.recent[slot] = (k, sim);
                sim
            },
            |side, i, j| match side {
                JoinSide::A => may_join.0 && x.name.join_matches(i, &y.name, j),
                JoinSide::B => may_join.1 && y.name.join_matches(i, &x.name, j),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_fits_two_cache_lines() {
        assert_eq!(std::mem::size_of::<Hot>(), 128);
    }
}
