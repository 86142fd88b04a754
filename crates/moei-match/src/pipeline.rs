//! Bulk matching in memory: prepare, block, compare, estimate, score, cluster.
//! The CLI functions and the benchmarks both call these.

use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::blocking::{BlockStats, blocking_keys};
use crate::cluster::{
    ClusterStats, LinkRule, Linkage, ScoredPair, Side, cluster, extend_links, one_person_each,
};
use crate::compare_cache::{Cache, Interned, intern};
use crate::model::{
    BEST_MATCH_MARGIN_BITS, BEST_MATCH_PROBABILITY, CARRY_JOIN_MARGIN_BITS, CARRY_PROBABILITY,
    DEFAULT_THRESHOLD, DEFAULT_VETO_WEIGHT, FitReport, Model, PatternCounts, Review,
};
use crate::record::{FieldIssue, Pattern, Prepared, Record, compare};

/// Settings shared by dedup and link.
#[derive(Debug, Clone)]
pub struct MatchConfig {
    /// Pairs with match probability at or above this are matches.
    pub threshold: f64,
    /// Clustering refuses a merge when a cross pair's evidence is below this.
    pub veto_weight: f64,
    /// Blocks (records sharing one key) larger than this are not expanded into pairs.
    pub max_block: usize,
    /// Random pairs sampled to start `u`.
    pub random_pairs: usize,
    pub seed: u64,
    /// Reviewed pairs fed to estimation.
    pub reviews: Vec<Review>,
    /// Use this model as is instead of estimating one from the data.
    pub model: Option<Model>,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            threshold: DEFAULT_THRESHOLD,
            veto_weight: DEFAULT_VETO_WEIGHT,
            max_block: 100,
            random_pairs: 200_000,
            seed: 0x6d6f_6569,
            reviews: Vec::new(),
            model: None,
        }
    }
}

/// Prepare records in parallel; issues carry the record's position.
pub fn prepare_all(records: Vec<Record>) -> (Vec<Prepared>, Vec<(usize, FieldIssue)>) {
    prepare_all_on(records, None)
}

/// [`prepare_all`], reading ages in the date-of-birth column as of `list_date`.
pub fn prepare_all_on(
    records: Vec<Record>,
    list_date: Option<jiff::civil::Date>,
) -> (Vec<Prepared>, Vec<(usize, FieldIssue)>) {
    let out: Vec<(Prepared, Vec<FieldIssue>)> = records
        .into_par_iter()
        .map(|r| Prepared::new_on(r, list_date))
        .collect();
    let mut prepared = Vec::with_capacity(out.len());
    let mut issues = Vec::new();
    for (i, (p, is)) in out.into_iter().enumerate() {
        prepared.push(p);
        issues.extend(is.into_iter().map(|x| (i, x)));
    }
    (prepared, issues)
}

fn keyed(records: &[Prepared]) -> Vec<(u64, u32)> {
    let mut keys: Vec<(u64, u32)> = records
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, p)| {
            let mut v = Vec::with_capacity(16);
            blocking_keys(p, &mut v);
            v.into_iter().map(move |k| (k, i as u32))
        })
        .collect();
    keys.par_sort_unstable();
    keys
}

fn groups(keys: &[(u64, u32)]) -> impl Iterator<Item = &[(u64, u32)]> {
    keys.chunk_by(|x, y| x.0 == y.0)
}

/// Candidate pairs within one set, as `(i << 32) | j` with `i < j`, sorted and unique.
pub fn dedup_candidates(records: &[Prepared], max_block: usize) -> (Vec<u64>, BlockStats) {
    let keys = keyed(records);
    let mut stats = BlockStats {
        keys: keys.len(),
        ..Default::default()
    };
    let mut pairs: Vec<u64> = Vec::new();
    for g in groups(&keys) {
        stats.blocks += 1;
        if g.len() < 2 {
            continue;
        }
        if g.len() > max_block {
            stats.oversized_blocks += 1;
            continue;
        }
        for x in 0..g.len() {
            for y in x + 1..g.len() {
                let (a, b) = (g[x].1.min(g[y].1), g[x].1.max(g[y].1));
                if a != b {
                    pairs.push(u64::from(a) << 32 | u64::from(b));
                }
            }
        }
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.candidate_pairs = pairs.len();
    (pairs, stats)
}

/// Candidate pairs across two sets, as `(left << 32) | right`, sorted and unique.
pub fn link_candidates(
    left: &[Prepared],
    right: &[Prepared],
    max_block: usize,
) -> (Vec<u64>, BlockStats) {
    let lk = keyed(left);
    let rk = keyed(right);
    let mut stats = BlockStats {
        keys: lk.len() + rk.len(),
        ..Default::default()
    };
    let mut pairs: Vec<u64> = Vec::new();
    let mut ri = groups(&rk).peekable();
    for lg in groups(&lk) {
        let key = lg[0].0;
        while ri.peek().is_some_and(|g| g[0].0 < key) {
            ri.next();
        }
        let Some(rg) = ri.peek() else { break };
        if rg[0].0 != key {
            continue;
        }
        stats.blocks += 1;
        if lg.len() > max_block || rg.len() > max_block {
            stats.oversized_blocks += 1;
            continue;
        }
        for &(_, l) in lg {
            for &(_, r) in *rg {
                pairs.push(u64::from(l) << 32 | u64::from(r));
            }
        }
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.candidate_pairs = pairs.len();
    (pairs, stats)
}

fn split(p: u64) -> (usize, usize) {
    ((p >> 32) as usize, (p & 0xFFFF_FFFF) as usize)
}

/// Compare all pairs; returns pattern codes (same order) and their histogram.
fn compare_pairs(
    left: (&[Prepared], &Interned),
    right: (&[Prepared], &Interned),
    pairs: &[u64],
    progress: &ProgressBar,
) -> (Vec<u16>, PatternCounts) {
    progress.set_length(pairs.len() as u64);
    progress.set_position(0);
    let mut codes = vec![0u16; pairs.len()];
    // Each job covers at least 64 chunks so its thread's cache is reused over many pairs.
    codes
        .par_chunks_mut(8192)
        .zip(pairs.par_chunks(8192))
        .with_min_len(64)
        .for_each_init(Cache::default, |cache, (out, chunk)| {
            // Consecutive pairs share their left record; the right ones are far apart in
            // memory, so fetch a batch of them together before comparing.
            for (out, batch) in out.chunks_mut(16).zip(chunk.chunks(16)) {
                let warm = batch.iter().fold(0, |w, &p| w ^ right.1.warm(split(p).1));
                std::hint::black_box(warm);
                for (o, &p) in out.iter_mut().zip(batch) {
                    let (a, b) = split(p);
                    *o = cache.compare(left, a, right, b).code() as u16;
                }
            }
            progress.inc(chunk.len() as u64);
        });
    let counts = codes
        .par_chunks(1 << 16)
        .fold(PatternCounts::default, |mut acc, chunk| {
            for &c in chunk {
                acc.counts[usize::from(c)] += 1;
            }
            acc
        })
        .reduce(PatternCounts::default, |a, b| a.merge(&b));
    (codes, counts)
}

/// Patterns of random pairs (deterministic), to start `u`.
fn random_counts(
    left: (&[Prepared], &Interned),
    right: (&[Prepared], &Interned),
    n: usize,
    seed: u64,
    same_set: bool,
) -> PatternCounts {
    let mut counts = PatternCounts::default();
    let (nl, nr) = (left.0.len(), right.0.len());
    if nl == 0 || nr == 0 || (same_set && nl < 2) {
        return counts;
    }
    let mut rng = crate::synth::SplitMix64::new(seed);
    let mut cache = Cache::default();
    for _ in 0..n {
        let a = rng.below(nl);
        let b = rng.below(nr);
        if same_set && a == b {
            continue;
        }
        counts.add(&cache.compare(left, a, right, b));
    }
    counts
}

/// How many records carry each name (by [`Prepared::name_key`]), for frequency adjustment.
/// The keys are hashes already, so the map spreads them with one multiply (looked up for
/// every scored pair whose names agree).
#[derive(Debug, Clone, Default)]
pub struct NameFrequencies {
    counts: crate::compare_cache::IdMap<u32>,
    total: u64,
}

impl NameFrequencies {
    pub fn count<'a>(records: impl Iterator<Item = &'a Prepared>) -> NameFrequencies {
        let mut f = NameFrequencies::default();
        for r in records {
            f.add(r);
        }
        f
    }

    pub fn add(&mut self, r: &Prepared) {
        self.total += 1;
        if r.name_key != 0 {
            *self.counts.entry(r.name_key).or_insert(0) += 1;
        }
    }

    /// Share of records carrying the commoner of the two names.
    pub fn share(&self, a: &Prepared, b: &Prepared) -> Option<f64> {
        if self.total == 0 || a.name_key == 0 {
            return None;
        }
        let c = |k: u64| self.counts.get(&k).copied().unwrap_or(1).max(1);
        Some(f64::from(c(a.name_key).max(c(b.name_key))) / self.total as f64)
    }

    /// Share of the other records carrying the name of the one with fewer name tokens (the
    /// tokens a longer name can contain), when one has fewer.
    pub fn shorter_share(&self, a: &Prepared, b: &Prepared) -> Option<f64> {
        let (na, nb) = (a.name.tokens.len(), b.name.tokens.len());
        let key = match na.cmp(&nb) {
            std::cmp::Ordering::Less => a.name_key,
            std::cmp::Ordering::Greater => b.name_key,
            std::cmp::Ordering::Equal => return None,
        };
        if self.total == 0 || key == 0 {
            return None;
        }
        let others = self
            .counts
            .get(&key)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1);
        Some(f64::from(others) / self.total as f64)
    }

    /// The share [`Model::evidence_tf`] takes for a pair compared as `p`: [`Self::share`]
    /// when the names are the same, or have as many tokens with some misspelt;
    /// [`Self::shorter_share`] when one name's tokens all agree with some of the other's;
    /// none otherwise.
    pub fn share_for(&self, p: &Pattern, a: &Prepared, b: &Prepared) -> Option<f64> {
        match p.0[0] {
            crate::name::level::EXACT => self.share(a, b),
            // A misspelt name is about as common as its spelling ("Gurpreet Songh").
            crate::name::level::STRONG if a.name.tokens.len() == b.name.tokens.len() => {
                self.share(a, b)
            }
            crate::name::level::STRONG => self.shorter_share(a, b),
            _ => None,
        }
    }
}

fn score(
    model: &Model,
    freq: &NameFrequencies,
    left: &[Prepared],
    right: &[Prepared],
    pairs: &[u64],
    codes: &[u16],
    threshold: f64,
) -> Vec<ScoredPair> {
    let table = model.probability_table();
    pairs
        .par_iter()
        .zip(codes.par_iter())
        .filter_map(|(&p, &c)| {
            let (a, b) = split(p);
            let pattern = crate::record::Pattern::from_code(usize::from(c));
            let prob = if crate::model::tf_level(pattern.0[0]) {
                let w = model.prior_weight()
                    + model.evidence_tf(&pattern, freq.share_for(&pattern, &left[a], &right[b]));
                (1.0 / (1.0 + (-w * std::f64::consts::LN_2).exp())) as f32
            } else {
                table[usize::from(c)]
            };
            (f64::from(prob) >= threshold).then_some(ScoredPair {
                a: a as u32,
                b: b as u32,
                probability: prob,
            })
        })
        .collect()
}

/// Wall time of each phase of a run, for the benchmarks and tuning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhaseTimes {
    /// Blocking keys and candidate pairs (generated, sorted, made unique).
    pub blocking: Duration,
    /// Comparing every candidate pair into a pattern.
    pub compare: Duration,
    /// Random pairs for `u` and EM over the pattern histogram.
    pub fit: Duration,
    /// Name frequencies and scoring of the candidate pairs.
    pub score: Duration,
    /// Clustering (dedup only).
    pub cluster: Duration,
}

/// Runs `f`, adding its wall time to `slot`.
fn timed<T>(slot: &mut Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    *slot += t.elapsed();
    out
}

/// What a dedup run found.
#[derive(Debug, Clone)]
pub struct DedupOutcome {
    /// Cluster label per record (the smallest record index in its cluster).
    pub labels: Vec<u32>,
    /// Pairs at or above the threshold, indexes into the input.
    pub matches: Vec<ScoredPair>,
    pub model: Model,
    pub fit: Option<FitReport>,
    pub blocks: BlockStats,
    pub clusters: ClusterStats,
    pub names: NameFrequencies,
    pub times: PhaseTimes,
}

/// Below this many records (the smaller side for link), random pairs say little about `u`
/// and EM has too few pairs, so the default model is used. A link whose larger side has at
/// least this many records has enough candidate pairs for EM: `m` and `lambda` are then
/// estimated with `u` kept at its priors (see [`fit_model`]).
pub const MIN_RECORDS_FOR_U: usize = 2_000;

/// The model for a run: `cfg.model` when given; else estimated (`u` from random pairs, then
/// EM) when `records` (the smaller side for link) reaches [`MIN_RECORDS_FOR_U`]; else, when
/// `larger` (the larger side for link, `records` for dedup) reaches it, EM alone with `u` at
/// its priors. A short list linked against a long one (a roll of 1,000 against 5,000
/// registrations: 15,000 candidate pairs) gives EM enough pairs, while its random pairs
/// repeat the same few left records; measured on the corpus, estimating `u` from them as
/// well gave link F1 0.916 and 0.917 (seeds 2025 and 7) against 0.918 and 0.927 with `u` at
/// its priors (0.891 and 0.906 with the default model).
fn fit_model(
    cfg: &MatchConfig,
    counts: &PatternCounts,
    possible: f64,
    (records, larger): (usize, usize),
    random: impl FnOnce() -> PatternCounts,
) -> (Model, Option<FitReport>) {
    match &cfg.model {
        Some(m) => (m.clone(), None),
        None => {
            if records < MIN_RECORDS_FOR_U && larger >= MIN_RECORDS_FOR_U {
                let (m, rep) = Model::default().fit(counts, None, &cfg.reviews, 50.0, possible);
                return (m, Some(rep));
            }
            if records < MIN_RECORDS_FOR_U {
                // Too few records to estimate anything reliably: keep the priors, corrected by
                // any reviewed pairs.
                let m = if cfg.reviews.is_empty() {
                    Model::default()
                } else {
                    Model::default().update_from_reviews(&cfg.reviews, 20.0)
                };
                return (m, None);
            }
            let r = random();
            let (m, rep) = Model::default().fit(counts, Some(&r), &cfg.reviews, 50.0, possible);
            (m, Some(rep))
        }
    }
}

/// Evidence of records `x` and `y` of one set, compared anew (clustering and the link rules
/// ask for pairs blocking never proposed).
fn evidence_within(model: &Model, freq: &NameFrequencies, set: &[Prepared], x: u32, y: u32) -> f64 {
    let (a, b) = (&set[x as usize], &set[y as usize]);
    let p = compare(a, b);
    model.evidence_tf(&p, freq.share_for(&p, a, b))
}

/// Find duplicates within one set of prepared records.
pub fn dedup(records: &[Prepared], cfg: &MatchConfig, progress: &ProgressBar) -> DedupOutcome {
    let mut times = PhaseTimes::default();
    let (pairs, blocks) = timed(&mut times.blocking, || {
        dedup_candidates(records, cfg.max_block)
    });
    let (codes, counts, ids) = timed(&mut times.compare, || {
        let ids = intern(&[records]).pop().unwrap_or_default();
        let set = (records, &ids);
        let (codes, counts) = compare_pairs(set, set, &pairs, progress);
        (codes, counts, ids)
    });
    let n = records.len() as f64;
    let (model, fit) = timed(&mut times.fit, || {
        fit_model(
            cfg,
            &counts,
            n * (n - 1.0) / 2.0,
            (records.len(), records.len()),
            || {
                let set = (records, &ids);
                random_counts(set, set, cfg.random_pairs, cfg.seed, true)
            },
        )
    });
    // Clustering also considers pairs a little below the threshold: they join records to
    // clusters whose members, taken together, resemble them enough (cluster::Linkage).
    let average = model.average_bound(cfg.threshold);
    let lower = model.probability_of_evidence(average).min(cfg.threshold);
    let (freq, mut matches) = timed(&mut times.score, || {
        let freq = NameFrequencies::count(records.iter());
        let matches = score(&model, &freq, records, records, &pairs, &codes, lower);
        (freq, matches)
    });
    let evidence = |x: u32, y: u32| evidence_within(&model, &freq, records, x, y);
    let rule = Linkage {
        threshold: cfg.threshold as f32,
        veto: cfg.veto_weight,
        average,
    };
    let (labels, clusters) = timed(&mut times.cluster, || {
        cluster(records.len(), &matches, rule, &evidence)
    });
    matches.retain(|m| f64::from(m.probability) >= cfg.threshold);
    DedupOutcome {
        labels,
        matches,
        model,
        fit,
        blocks,
        clusters,
        names: freq,
        times,
    }
}

/// What a link run found.
#[derive(Debug, Clone)]
pub struct LinkOutcome {
    /// Pairs at or above the threshold: `a` indexes left, `b` indexes right.
    pub matches: Vec<ScoredPair>,
    pub model: Model,
    pub fit: Option<FitReport>,
    pub blocks: BlockStats,
    pub names: NameFrequencies,
    pub times: PhaseTimes,
}

/// Find records of `left` that are the same person as records of `right`.
pub fn link(
    left: &[Prepared],
    right: &[Prepared],
    cfg: &MatchConfig,
    progress: &ProgressBar,
) -> LinkOutcome {
    let mut times = PhaseTimes::default();
    let (pairs, blocks) = timed(&mut times.blocking, || {
        link_candidates(left, right, cfg.max_block)
    });
    let (codes, counts, ids) = timed(&mut times.compare, || {
        let ids = intern(&[left, right]);
        let (codes, counts) = compare_pairs((left, &ids[0]), (right, &ids[1]), &pairs, progress);
        (codes, counts, ids)
    });
    let (model, fit) = timed(&mut times.fit, || {
        fit_model(
            cfg,
            &counts,
            left.len() as f64 * right.len() as f64,
            (left.len().min(right.len()), left.len().max(right.len())),
            || {
                random_counts(
                    (left, &ids[0]),
                    (right, &ids[1]),
                    cfg.random_pairs,
                    cfg.seed,
                    false,
                )
            },
        )
    });
    let (freq, matches) = timed(&mut times.score, || {
        let freq = NameFrequencies::count(left.iter().chain(right));
        let matches = score(&model, &freq, left, right, &pairs, &codes, cfg.threshold);
        (freq, matches)
    });
    // Unlinked left records may take a best candidate that stands out, and links reach the
    // person's other right records (cluster::extend_links). Candidate pairs reuse their codes.
    let rule = LinkRule {
        join: model.evidence_for(cfg.threshold) + CARRY_JOIN_MARGIN_BITS,
        veto: cfg.veto_weight,
        average: model.average_bound(cfg.threshold),
        carry_floor: model.evidence_for(CARRY_PROBABILITY),
        best_floor: model.evidence_for(BEST_MATCH_PROBABILITY.min(cfg.threshold)),
        best_margin: BEST_MATCH_MARGIN_BITS,
    };
    let candidate_evidence = |i: usize| {
        let (a, b) = split(pairs[i]);
        let pattern = crate::record::Pattern::from_code(usize::from(codes[i]));
        model.evidence_tf(&pattern, freq.share_for(&pattern, &left[a], &right[b]))
    };
    let right_evidence = |x: u32, y: u32| evidence_within(&model, &freq, right, x, y);
    let left_evidence = |x: u32, y: u32| evidence_within(&model, &freq, left, x, y);
    let matches = timed(&mut times.cluster, || {
        let links = extend_links(
            &matches,
            &pairs,
            rule,
            &candidate_evidence,
            &right_evidence,
            &|e| model.probability_of_evidence(e),
        );
        // A right record's links are one person too: two roll entries that both reach one
        // registration stay linked to it only when they match each other at the threshold
        // (one person listed twice); otherwise the weaker is a namesake.
        let same_person = LinkRule {
            average: model.evidence_for(cfg.threshold),
            ..rule
        };
        one_person_each(&links, Side::Right, same_person, &left_evidence)
    });
    LinkOutcome {
        matches,
        model,
        fit,
        blocks,
        names: freq,
        times,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    fn prepared(n: usize, seed: u64) -> Vec<Prepared> {
        let records = synth::generate(n, 0.25, seed)
            .into_iter()
            .map(|r| r.record)
            .collect();
        prepare_all(records).0
    }

    fn person(id: &str, name: &str) -> Prepared {
        Prepared::new(Record {
            id: id.into(),
            full_name: name.into(),
            ..Default::default()
        })
        .0
    }

    #[test]
    fn shorter_name_share_counts_the_other_records_with_that_name() {
        let records = [
            person("1", "Rajesh Kumar"),
            person("2", "Rajesh Kumar Sharma"),
            person("3", "Kumar Rajesh"),
            person("4", "Tesfaye Girma"),
            person("5", "Tesfaye Girma Wolde"),
        ];
        let f = NameFrequencies::count(records.iter());
        let strong = Pattern([crate::name::level::STRONG, 0, 0, 0, 0, 0, 0]);
        // "Rajesh Kumar" is carried by one other record, "Tesfaye Girma" by none.
        assert_eq!(f.share_for(&strong, &records[1], &records[0]), Some(0.2));
        assert_eq!(f.share_for(&strong, &records[3], &records[4]), Some(0.0));
        // Names with as many tokens, or agreeing less, get no share.
        assert_eq!(f.shorter_share(&records[0], &records[2]), None);
        let partial = Pattern([crate::name::level::PARTIAL, 0, 0, 0, 0, 0, 0]);
        assert_eq!(f.share_for(&partial, &records[1], &records[0]), None);
        let exact = Pattern([crate::name::level::EXACT, 0, 0, 0, 0, 0, 0]);
        assert_eq!(f.share_for(&exact, &records[0], &records[2]), Some(0.4));
    }

    #[test]
    fn a_short_list_against_a_long_one_estimates_m_with_u_at_its_priors() {
        let right = prepared(3000, 11);
        let left: Vec<Prepared> = right.iter().step_by(4).take(500).cloned().collect();
        let pb = ProgressBar::hidden();
        let out = link(&left, &right, &MatchConfig::default(), &pb);
        assert!(out.fit.is_some());
        assert_eq!(out.model.params().u, Model::default().params().u);
        assert_ne!(out.model.params().m, Model::default().params().m);
        // Both sides short: the default model.
        let out = link(&left, &left[..400], &MatchConfig::default(), &pb);
        assert!(out.fit.is_none());
        assert_eq!(out.model, Model::default());
    }

    #[test]
    fn cached_comparison_equals_compare() {
        let records = prepared(3000, 5);
        let ids = intern(&[&records]).pop().unwrap();
        let set = (records.as_slice(), &ids);
        let (pairs, _) = dedup_candidates(&records, 100);
        let mut cache = Cache::default();
        let mut rng = crate::synth::SplitMix64::new(9);
        // Candidate pairs in both orientations, then random pairs (mostly different names).
        let random = (0..20_000).map(|_| (rng.below(records.len()), rng.below(records.len())));
        let mut seen = 0;
        for (a, b) in pairs.iter().map(|&p| split(p)).chain(random) {
            for (x, y) in [(a, b), (b, a)] {
                assert_eq!(
                    cache.compare(set, x, set, y),
                    compare(&records[x], &records[y]),
                    "{x} {y}"
                );
                seen += 1;
            }
        }
        assert!(seen > 40_000);
    }
}
