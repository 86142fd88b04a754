//! In-memory index for interactive matching: while a clerk types a registration, find the
//! stored persons it may be, best first, each with its explanation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::blocking::blocking_keys;
use crate::model::{Explanation, Model};
use crate::pipeline::NameFrequencies;
use crate::record::{FieldIssue, Prepared, Record, compare};

/// Keys are already well-mixed 64-bit hashes: hash them by identity.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Postings = HashMap<u64, Vec<u32>, BuildHasherDefault<IdHasher>>;

/// Postings longer than this are skipped at query time: such a key (a very common name)
/// says little, and the other keys of the query still reach the right records.
pub const MAX_POSTING: usize = 1_000;
/// Candidates scored per query at most.
pub const MAX_CANDIDATES: usize = 2_500;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("record id {0:?} is already in the index")]
    DuplicateId(String),
    #[error("record id is empty")]
    EmptyId,
}

/// One possible match for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub probability: f64,
    pub match_weight: f64,
    pub explanation: Explanation,
}

pub struct Index {
    model: Model,
    records: Vec<Prepared>,
    ids: HashMap<String, u32>,
    postings: Postings,
    names: NameFrequencies,
}

impl Index {
    pub fn new(model: Model) -> Index {
        Index {
            model,
            records: Vec::new(),
            ids: HashMap::new(),
            postings: Postings::default(),
            names: NameFrequencies::default(),
        }
    }

    /// Build from many records (prepared in parallel). Records with an empty or repeated id
    /// are returned as errors and left out; field issues are returned by id.
    pub fn build(
        records: Vec<Record>,
        model: Model,
    ) -> (Index, Vec<IndexError>, Vec<(String, FieldIssue)>) {
        let mut index = Index::new(model);
        let prepared: Vec<(Prepared, Vec<FieldIssue>, Vec<u64>)> = records
            .into_par_iter()
            .map(|r| {
                let (p, issues) = Prepared::new(r);
                let mut keys = Vec::new();
                blocking_keys(&p, &mut keys);
                (p, issues, keys)
            })
            .collect();
        let mut errors = Vec::new();
        let mut issues = Vec::new();
        index.records.reserve(prepared.len());
        for (p, is, keys) in prepared {
            match index.add(p, &keys) {
                Ok(id) => issues.extend(is.into_iter().map(|i| (id.clone(), i))),
                Err(e) => errors.push(e),
            }
        }
        (index, errors, issues)
    }

    fn add(&mut self, p: Prepared, keys: &[u64]) -> Result<String, IndexError> {
        let id = p.id().to_owned();
        if id.trim().is_empty() {
            return Err(IndexError::EmptyId);
        }
        if self.ids.contains_key(&id) {
            return Err(IndexError::DuplicateId(id));
        }
        let n = self.records.len() as u32;
        for &k in keys {
            self.postings.entry(k).or_default().push(n);
        }
        self.ids.insert(id.clone(), n);
        self.names.add(&p);
        self.records.push(p);
        Ok(id)
    }

    /// Add one record; returns the issues found in its fields.
    pub fn insert(&mut self, record: Record) -> Result<Vec<FieldIssue>, IndexError> {
        let (p, issues) = Prepared::new(record);
        let mut keys = Vec::new();
        blocking_keys(&p, &mut keys);
        self.add(p, &keys)?;
        Ok(issues)
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Replace the model (after re-estimation from reviews); keys do not change.
    pub fn set_model(&mut self, model: Model) {
        self.model = model;
    }

    pub fn get(&self, id: &str) -> Option<&Prepared> {
        self.ids.get(id).map(|&i| &self.records[i as usize])
    }

    /// The `k` most likely stored persons for a (possibly partial) registration.
    pub fn query(&self, record: &Record, k: usize) -> Vec<Candidate> {
        let (p, _) = Prepared::new(record.clone());
        self.query_prepared(&p, k)
    }

    pub fn query_prepared(&self, p: &Prepared, k: usize) -> Vec<Candidate> {
        let mut keys = Vec::new();
        blocking_keys(p, &mut keys);
        let mut cands: Vec<u32> = Vec::new();
        for key in keys {
            if let Some(list) = self.postings.get(&key)
                && list.len() <= MAX_POSTING
            {
                cands.extend_from_slice(list);
            }
        }
        cands.sort_unstable();
        // Candidates sharing more keys with the query are scored first; beyond the cap the
        // rest (sharing only one common key) are dropped to keep queries fast.
        let mut hits: Vec<(u32, u32)> = cands
            .chunk_by(|a, b| a == b)
            .map(|g| (g.len() as u32, g[0]))
            .collect();
        if hits.len() > MAX_CANDIDATES {
            hits.select_nth_unstable_by(MAX_CANDIDATES, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            hits.truncate(MAX_CANDIDATES);
        }
        let cands: Vec<u32> = hits.into_iter().map(|(_, c)| c).collect();
        let mut scored: Vec<(f64, u32)> = cands
            .into_iter()
            .filter(|&c| self.records[c as usize].id() != p.id() || p.id().is_empty())
            .map(|c| {
                let other = &self.records[c as usize];
                let pat = compare(p, other);
                (
                    self.model.prior_weight()
                        + self
                            .model
                            .evidence_tf(&pat, self.names.share_for(&pat, p, other)),
                    c,
                )
            })
            .collect();
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        scored.truncate(k);
        scored
            .into_iter()
            .map(|(w, c)| {
                let other = &self.records[c as usize];
                let pat = compare(p, other);
                let explanation = self
                    .model
                    .explain_tf(&pat, self.names.share_for(&pat, p, other));
                Candidate {
                    id: other.id().to_owned(),
                    probability: explanation.probability,
                    match_weight: w,
                    explanation,
                }
            })
            .collect()
    }
}
