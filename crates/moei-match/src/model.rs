//! Fellegi-Sunter scoring with parameters estimated by expectation maximisation.
//!
//! For each field and comparison level, `m` is the probability of that level when the two
//! records are the same person and `u` when they are not. A pair's match weight is
//! `log2(lambda / (1 - lambda)) + sum(log2(m / u))` over non-missing fields; missing fields
//! contribute nothing. `lambda` is the probability that two records drawn at random are the
//! same person, so scores mean the same whichever blocking proposed the pair.
//!
//! Estimation needs no labels (the approach Splink takes): `u` comes from random pairs, which
//! are almost all non-matches; then EM over the blocked candidate pairs estimates `m` and the
//! share of matches among candidates, with `u` held fixed and the priors of
//! [`Model::default`] as Dirichlet pseudo-counts so sparse levels stay sensible. That share,
//! times the number of candidates over the number of possible pairs, gives `lambda`.
//! Reviewed decisions enter EM as pairs whose class is known.
//!
//! Exact name agreement is adjusted for how common the name is (term frequency): two
//! "Rajesh Kumar"s are weaker evidence than two "Tesfaye Girma Wolde"s.

use serde::{Deserialize, Serialize};

use crate::record::{Field, NFIELDS, Pattern};

/// Default decision threshold on match probability.
pub const DEFAULT_THRESHOLD: f64 = 0.9;

/// Default negative-evidence bound for clustering: a merge is refused when any cross pair's
/// evidence (match weight without the prior) is below this, unless most cross pairs are close
/// matches ([`crate::cluster::WAIVER_MIN_CROSS`]).
pub const DEFAULT_VETO_WEIGHT: f64 = 0.0;

/// Clustering's average bound, in bits below the threshold's evidence: a merge of clusters
/// needs the mean evidence of all cross pairs to be within this of what one pair needs to
/// reach the threshold. Measured on FEBRL3 and the generated corpus (docs/ACCURACY.md): 2 bits
/// removes most chains through records that share only a common name token and a birth year,
/// while duplicates of one person, which resemble each other, still join.
pub const AVERAGE_SLACK_BITS: f64 = 2.0;

/// Link mode: a right record is carried to a left record's links (as the linked person's
/// other record) only when it matches a linked right record with this many bits more than the
/// threshold asks, and its own match probability with the left record is at least
/// [`CARRY_PROBABILITY`]. Measured on the corpus at 5,000 and 200,000 records: at the bare
/// threshold, large inputs carry links to namesakes of the linked records (common names with
/// a birth year agree by chance), and link precision fell from 0.55 to 0.45 at 200,000.
pub const CARRY_JOIN_MARGIN_BITS: f64 = 4.0;

/// See [`CARRY_JOIN_MARGIN_BITS`].
pub const CARRY_PROBABILITY: f64 = 0.3;

/// Link mode: a left record with no link at the threshold still takes its best candidate
/// when that candidate's match probability is at least this and it stands out (below).
pub const BEST_MATCH_PROBABILITY: f64 = 0.5;

/// ...every other candidate within this many bits of the best is a duplicate of it.
pub const BEST_MATCH_MARGIN_BITS: f64 = 2.0;

const MAX_LEVELS: usize = 7;
const FLOOR: f64 = 1e-6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Params", into = "Params")]
pub struct Model {
    params: Params,
    weights: [[f64; MAX_LEVELS]; NFIELDS],
    prior_weight: f64,
    /// See [`Model::relatives_adjustment`].
    relatives_weight: f64,
}

/// The estimated parameters: per field, `m` and `u` by level (level 0, missing, unused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    pub lambda: f64,
    /// Among different people whose names are "one token agrees, another differs", the share
    /// born the same day (twins among siblings): the `u` of the same birth date there.
    #[serde(default = "Params::default_u_dob_of_relatives")]
    pub u_dob_of_relatives: f64,
}

impl Params {
    /// The prior of [`Params::u_dob_of_relatives`]: about three pairs in a thousand, the
    /// order measured on the generated corpus's candidate pairs (twins are about one birth
    /// in forty, and siblings a minority of the pairs that share a family name); estimated
    /// from the candidate pairs when there are enough ([`Model::fit`]).
    pub fn default_u_dob_of_relatives() -> f64 {
        0.003
    }
}

impl From<Params> for Model {
    fn from(p: Params) -> Self {
        Model::from_params(p)
    }
}

impl From<Model> for Params {
    fn from(m: Model) -> Self {
        m.params
    }
}

impl Default for Model {
    /// Priors set by hand for a registry of about ten thousand people, the size of one
    /// crossing's intake (random-pair semantics: lambda 1e-4 is about one earlier
    /// registration per person); used until there is data to estimate from, and as
    /// pseudo-counts for `m`.
    fn default() -> Self {
        let m = vec![
            vec![0.0, 0.02, 0.01, 0.02, 0.08, 0.17, 0.70],
            vec![0.0, 0.06, 0.05, 0.12, 0.07, 0.64, 0.06],
            // A person's sex differs between two records only by a slip of the pen.
            vec![0.0, 0.01, 0.99],
            vec![0.0, 0.04, 0.96],
            vec![0.0, 0.10, 0.07, 0.03, 0.80],
            vec![0.0, 0.25, 0.05, 0.70],
            vec![0.0, 0.20, 0.05, 0.10, 0.65],
        ];
        // Date of birth, last level (within a stated age's window): about one pair in 30 of
        // random records agrees so when ages are written (0.027 among the generated corpus's
        // random pairs), and its `m` is about how often one of two records has an age.
        // Name: "one token agrees, another differs" is what most random pairs that share a
        // token show (a family name), and a person's records seldom do.
        let u = vec![
            vec![0.0, 0.95, 0.025, 0.02, 0.004, 0.0008, 0.0002],
            vec![0.0, 0.93, 0.012, 0.025, 0.0015, 0.00007, 0.03],
            vec![0.0, 0.45, 0.55],
            vec![0.0, 0.75, 0.25],
            vec![0.0, 0.999_97, 0.000_02, 0.000_005, 0.000_005],
            vec![0.0, 0.9999, 0.000_05, 0.000_05],
            vec![0.0, 0.90, 0.07, 0.02, 0.01],
        ];
        Model::from_params(Params {
            m,
            u,
            lambda: 1e-4,
            u_dob_of_relatives: Params::default_u_dob_of_relatives(),
        })
    }
}

/// One field's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub field: Field,
    pub level: u8,
    pub level_name: &'static str,
    /// log2(m/u) for this level; 0 when missing.
    pub weight: f64,
}

/// Why a pair scored what it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub contributions: Vec<Contribution>,
    pub prior_weight: f64,
    /// Prior plus all contributions.
    pub match_weight: f64,
    pub probability: f64,
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p={:.4} weight={:+.2} (prior {:+.2}",
            self.probability, self.match_weight, self.prior_weight
        )?;
        for c in &self.contributions {
            write!(
                f,
                "; {} {} {:+.2}",
                c.field.as_str(),
                c.level_name,
                c.weight
            )?;
        }
        write!(f, ")")
    }
}

/// A reviewed pair: its comparison pattern and the human decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    pub pattern: Pattern,
    pub is_match: bool,
}

/// Counts of comparison patterns over a set of pairs, indexed by [`Pattern::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternCounts {
    pub counts: Vec<u64>,
}

impl Default for PatternCounts {
    fn default() -> Self {
        PatternCounts {
            counts: vec![0; Pattern::count()],
        }
    }
}

impl PatternCounts {
    pub fn add(&mut self, p: &Pattern) {
        self.counts[p.code()] += 1;
    }

    pub fn merge(mut self, other: &PatternCounts) -> PatternCounts {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// How estimation went.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    pub iterations: usize,
    pub converged: bool,
    pub pairs: u64,
}

/// Name levels whose weight [`Model::tf_adjustment`] adjusts: the same name, and the same
/// tokens with some differing or missing.
pub fn tf_level(level: u8) -> bool {
    level >= crate::name::level::STRONG
}

fn prob(v: f64) -> f64 {
    1.0 / (1.0 + (-v * std::f64::consts::LN_2).exp())
}

/// Candidate pairs at "one token agrees, another differs" with two different document
/// numbers and both birth dates known, at least this many, to estimate
/// [`Params::u_dob_of_relatives`] from.
const MIN_RELATIVES_PAIRS: f64 = 200.0;

/// The share of candidate pairs at "one token agrees, another differs" that have the same
/// birth date, among those with both dates and two different document numbers: the `u` of
/// that agreement among relatives. Two different numbers make the pair two people (a
/// person's records seldom carry two), so a list whose duplicates often have another given
/// name (FEBRL's) does not count its duplicates as relatives.
fn relatives_dob_share(observed: &[(Pattern, f64)]) -> Option<f64> {
    let (mut same, mut known) = (0.0, 0.0);
    for (p, c) in observed {
        if p.0[0] == crate::name::level::CONFLICT
            && p.0[1] != crate::fields::dob_level::MISSING
            && p.0[4] == crate::fields::doc_level::DIFFERENT
        {
            known += c;
            if p.0[1] == crate::fields::dob_level::EXACT {
                same += c;
            }
        }
    }
    (known >= MIN_RELATIVES_PAIRS).then(|| same / known)
}

impl Model {
    pub fn from_params(mut params: Params) -> Model {
        params.lambda = params.lambda.clamp(1e-9, 1.0 - 1e-9);
        let mut weights = [[0.0; MAX_LEVELS]; NFIELDS];
        // A probability of the table, 0.5 where the table is short, never below FLOOR.
        let at = |table: &[Vec<f64>], f: usize, l: usize| {
            table
                .get(f)
                .and_then(|v| v.get(l))
                .copied()
                .unwrap_or(0.5)
                .max(FLOOR)
        };
        for (f, (field, row)) in Field::ALL.iter().zip(weights.iter_mut()).enumerate() {
            for (l, w) in row.iter_mut().enumerate().take(field.levels()).skip(1) {
                *w = (at(&params.m, f, l) / at(&params.u, f, l)).log2();
            }
        }
        let prior_weight = (params.lambda / (1.0 - params.lambda)).log2();
        let u_exact = at(
            &params.u,
            Field::DateOfBirth as usize,
            usize::from(crate::fields::dob_level::EXACT),
        );
        let relatives_weight = (u_exact / params.u_dob_of_relatives.max(FLOOR))
            .log2()
            .min(0.0);
        Model {
            params,
            weights,
            prior_weight,
            relatives_weight,
        }
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Evidence of a pattern: sum of field weights, without the prior.
    pub fn evidence(&self, p: &Pattern) -> f64 {
        p.0.iter()
            .enumerate()
            .map(|(f, &l)| self.weights[f][usize::from(l)])
            .sum::<f64>()
            + self.relatives_adjustment(p)
    }

    /// The change to the birth date's weight when the names are "one token agrees, another
    /// differs": such pairs of different people are mostly relatives (siblings share the
    /// family name), and twins share the birth date, so agreeing on it says much less there
    /// than among random pairs. The weight is `log2(m / u)` with `u` the share of those pairs
    /// with the same birth date ([`Params::u_dob_of_relatives`]) instead of the field's `u`;
    /// never raised.
    pub fn relatives_adjustment(&self, p: &Pattern) -> f64 {
        if p.0[0] == crate::name::level::CONFLICT && p.0[1] == crate::fields::dob_level::EXACT {
            self.relatives_weight
        } else {
            0.0
        }
    }

    /// Evidence with exact name agreement adjusted for the name's frequency: `name_share`
    /// is the share of records carrying that name (the commoner of the two). The adjusted
    /// name weight is `log2(m / share)`, bounded so that a common name still counts for
    /// something and a unique one does not overwhelm the other fields.
    pub fn evidence_tf(&self, p: &Pattern, name_share: Option<f64>) -> f64 {
        self.evidence(p) + self.tf_adjustment(p, name_share)
    }

    /// The change to the name weight that [`Model::evidence_tf`] applies. Also for a name
    /// whose tokens all agree with some of a longer one's ("same tokens, some differ or
    /// missing"): `name_share` is then the share of other records carrying the shorter name
    /// ([`crate::pipeline::NameFrequencies::share_for`]; for names of as many tokens, some
    /// misspelt, the commoner name's share), and the weight is only lowered, so
    /// "Rajesh Kumar" within "Rajesh Kumar Sharma" counts for less when other records are
    /// "Rajesh Kumar" too. Raising it for rare shorter names was measured and lost FEBRL3 and corpus
    /// precision (a name seen once says little about how rare its tokens are together).
    pub fn tf_adjustment(&self, p: &Pattern, name_share: Option<f64>) -> f64 {
        let level = p.0[0];
        match name_share {
            Some(share) if tf_level(level) && share > 0.0 => {
                let u = self.params.u[0][usize::from(level)].max(FLOOR);
                let low = if level == crate::name::level::EXACT {
                    u / 8.0
                } else {
                    u
                };
                let tf = share.clamp(low, u * 64.0);
                (u / tf).log2()
            }
            _ => 0.0,
        }
    }

    /// Match weight: prior plus evidence.
    pub fn match_weight(&self, p: &Pattern) -> f64 {
        self.prior_weight + self.evidence(p)
    }

    /// Match probability among compared pairs.
    pub fn probability(&self, p: &Pattern) -> f64 {
        prob(self.match_weight(p))
    }

    pub fn prior_weight(&self) -> f64 {
        self.prior_weight
    }

    /// Match probability of a pair with this evidence.
    pub fn probability_of_evidence(&self, evidence: f64) -> f64 {
        prob(self.prior_weight + evidence)
    }

    /// Evidence a pair needs to reach match probability `threshold` (0 < threshold < 1).
    pub fn evidence_for(&self, threshold: f64) -> f64 {
        let t = threshold.clamp(1e-9, 1.0 - 1e-9);
        (t / (1.0 - t)).log2() - self.prior_weight
    }

    /// The mean cross-pair evidence clustering asks of a merge ([`crate::cluster::cluster`]):
    /// [`AVERAGE_SLACK_BITS`] below [`Model::evidence_for`] the threshold, so it scales with
    /// the prior (larger inputs need more evidence per pair).
    pub fn average_bound(&self, threshold: f64) -> f64 {
        self.evidence_for(threshold) - AVERAGE_SLACK_BITS
    }

    /// Explain with the name-frequency adjustment folded into the name's contribution.
    pub fn explain_tf(&self, p: &Pattern, name_share: Option<f64>) -> Explanation {
        let mut e = self.explain(p);
        let adj = self.tf_adjustment(p, name_share);
        e.contributions[0].weight += adj;
        e.match_weight += adj;
        e.probability = prob(e.match_weight);
        e
    }

    pub fn explain(&self, p: &Pattern) -> Explanation {
        let contributions = Field::ALL
            .iter()
            .enumerate()
            .map(|(f, &field)| {
                let level = p.0[f];
                Contribution {
                    field,
                    level,
                    level_name: field.level_names()[usize::from(level)],
                    weight: self.weights[f][usize::from(level)]
                        + if field == Field::DateOfBirth {
                            self.relatives_adjustment(p)
                        } else {
                            0.0
                        },
                }
            })
            .collect();
        Explanation {
            contributions,
            prior_weight: self.prior_weight,
            match_weight: self.match_weight(p),
            probability: self.probability(p),
        }
    }

    /// Probability of every pattern code, for fast lookup in bulk scoring.
    pub fn probability_table(&self) -> Vec<f32> {
        (0..Pattern::count())
            .map(|c| self.probability(&Pattern::from_code(c)) as f32)
            .collect()
    }

    /// Estimate parameters: `u` from random-pair counts (when given), then EM over the
    /// candidate-pair counts for `m` and the share of matches among candidates, `u` fixed.
    /// Reviewed pairs have a fixed class and count `review_weight` times each.
    /// `possible_pairs` is the size of the whole comparison space (n(n-1)/2 for dedup,
    /// left x right for link); it turns the share among candidates into `lambda`.
    pub fn fit(
        &self,
        candidates: &PatternCounts,
        random: Option<&PatternCounts>,
        reviews: &[Review],
        review_weight: f64,
        possible_pairs: f64,
    ) -> (Model, FitReport) {
        let mut params = self.params.clone();
        if let Some(r) = random
            && r.total() > 0
        {
            params.u = level_frequencies(r, &params.u, 1.0);
        }
        let observed: Vec<(Pattern, f64)> = candidates
            .counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(code, &c)| (Pattern::from_code(code), c as f64))
            .collect();
        let n_obs: f64 = observed.iter().map(|(_, c)| c).sum();
        let total = n_obs + reviews.len() as f64 * review_weight;
        let pairs = candidates.total();
        if total <= 0.0 {
            return (
                Model::from_params(params),
                FitReport {
                    iterations: 0,
                    converged: true,
                    pairs,
                },
            );
        }
        // Blocking makes candidates agree on names far more often than random pairs do, so a
        // single EM would call every same-name pair a match. As Splink does, estimate in
        // sessions that leave out the fields the pairs were selected on: names (most keys)
        // in the first; documents and phones in the second, run on the pairs that agree on a
        // document or phone (the pairs those keys select), which estimates the name's `m`.
        // Sex, nationality and place follow from the name among non-matches too (gendered
        // and national names), so the first session's E-step uses only date of birth and
        // document. Not the phone: siblings give the family's number, so phone agreement
        // would put them in the match class, and with them their other sex. For the same
        // reason the `m` of sex keeps its prior (a person's sex seldom differs between
        // records; what EM would learn there is how often siblings differ); the session
        // re-estimates `m` of every other field but the name.
        let mut estimate = [true; NFIELDS];
        estimate[0] = false;
        estimate[2] = false;
        let mut used = [false; NFIELDS];
        used[1] = true;
        used[4] = true;
        let s1 = em(&observed, reviews, review_weight, &params, used, estimate);
        for (f, row) in s1.m.iter().enumerate() {
            if estimate[f] {
                params.m[f] = row.clone();
            }
        }
        // Two records of one person seldom carry two document numbers (a renewed passport),
        // but this session's match class takes in namesakes born the same day, whose numbers
        // differ: EM may lower the `m` of "different" below its prior, not raise it.
        let prior = Model::default();
        cap_level(&mut params.m[4], 1, prior.params.m[4][1]);
        let by_doc: Vec<(Pattern, f64)> = observed
            .iter()
            .filter(|(p, _)| p.0[4] >= 2 || p.0[5] >= 2)
            .cloned()
            .collect();
        let mut iterations = s1.iterations;
        let mut converged = s1.converged;
        if by_doc.iter().map(|(_, c)| c).sum::<f64>() >= 50.0 {
            let mut used = [false; NFIELDS];
            used[0] = true;
            used[1] = true;
            let mut estimate = [false; NFIELDS];
            estimate[0] = true;
            let s2 = em(&by_doc, reviews, review_weight, &params, used, estimate);
            params.m[0] = s2.m[0].clone();
            // Siblings share the family's phone, and twins their birth date too: this
            // session's match class takes in twins with their other given name, so EM may
            // lower the `m` of "one token agrees, another differs" below its prior, not raise it.
            let conflict = usize::from(crate::name::level::CONFLICT);
            cap_level(&mut params.m[0], conflict, prior.params.m[0][conflict]);
            iterations += s2.iterations;
            converged &= s2.converged;
        }
        if let Some(u) = relatives_dob_share(&observed) {
            params.u_dob_of_relatives = u;
        }
        let matches_among_candidates = s1.lambda * n_obs;
        params.lambda = if possible_pairs > 0.0 {
            (matches_among_candidates / possible_pairs).clamp(1e-12, 0.5)
        } else {
            params.lambda
        };
        (
            Model::from_params(params),
            FitReport {
                iterations,
                converged,
                pairs,
            },
        )
    }

    /// Re-estimate from reviewed pairs alone: confirmed matches update `m`, confirmed
    /// non-matches update `u`, with the current parameters counting as `strength` pairs.
    pub fn update_from_reviews(&self, reviews: &[Review], strength: f64) -> Model {
        let mut params = self.params.clone();
        for (f, field) in Field::ALL.iter().enumerate() {
            let mut mc = vec![0.0; MAX_LEVELS];
            let mut uc = vec![0.0; MAX_LEVELS];
            for r in reviews {
                let l = usize::from(r.pattern.0[f]);
                if r.is_match {
                    mc[l] += 1.0
                } else {
                    uc[l] += 1.0
                }
            }
            params.m[f] = normalise_row(&mc, &self.params.m[f], field.levels(), strength);
            params.u[f] = normalise_row(&uc, &self.params.u[f], field.levels(), strength);
        }
        Model::from_params(params)
    }
}

/// Bound the `m` of one level of a field by `cap`, giving the excess to the levels above it
/// (closer agreement) in proportion, so the row still sums to one.
fn cap_level(row: &mut [f64], level: usize, cap: f64) {
    let excess = row[level] - cap;
    let above: f64 = row[level + 1..].iter().sum();
    if excess <= 0.0 || above <= 0.0 {
        return;
    }
    row[level] = cap;
    for m in &mut row[level + 1..] {
        *m += excess * *m / above;
    }
}

/// Counts per level (missing excluded) plus pseudo-counts, normalised to probabilities.
fn normalise_row(counts: &[f64], prior: &[f64], levels: usize, strength: f64) -> Vec<f64> {
    let mut row = vec![0.0; levels];
    let sum: f64 = (1..levels).map(|l| counts[l] + strength * prior[l]).sum();
    for l in 1..levels {
        row[l] = ((counts[l] + strength * prior[l]) / sum.max(FLOOR)).max(FLOOR);
    }
    row
}

fn level_frequencies(pc: &PatternCounts, prior: &[Vec<f64>], strength: f64) -> Vec<Vec<f64>> {
    let mut counts = vec![vec![0.0f64; MAX_LEVELS]; NFIELDS];
    for (code, &c) in pc.counts.iter().enumerate() {
        if c > 0 {
            let p = Pattern::from_code(code);
            for (f, &l) in p.0.iter().enumerate() {
                counts[f][usize::from(l)] += c as f64;
            }
        }
    }
    Field::ALL
        .iter()
        .enumerate()
        .map(|(f, field)| normalise_row(&counts[f], &prior[f], field.levels(), strength))
        .collect()
}

struct Session {
    m: Vec<Vec<f64>>,
    lambda: f64,
    iterations: usize,
    converged: bool,
}

/// One EM run with `u` fixed: the E-step uses only the `used` fields; `m` is re-estimated
/// for the `estimate` fields (others keep their values).
fn em(
    observed: &[(Pattern, f64)],
    reviews: &[Review],
    review_weight: f64,
    start: &Params,
    used: [bool; NFIELDS],
    estimate: [bool; NFIELDS],
) -> Session {
    let prior = Model::default();
    let n_obs: f64 = observed.iter().map(|(_, c)| c).sum();
    let total = n_obs + reviews.len() as f64 * review_weight;
    let mut m = start.m.clone();
    let u = &start.u;
    let ratio = |m: &Vec<Vec<f64>>, p: &Pattern| -> f64 {
        let mut w = 0.0;
        for (f, &l) in p.0.iter().enumerate() {
            // Agreement within a stated age's window is left out of the E-step (its `m` is
            // still estimated): namesakes of similar age would otherwise enter the match class
            // through it, as siblings did through the phone.
            if used[f] && l > 0 && !(f == 1 && l == crate::fields::dob_level::AGE) {
                w += (m[f][usize::from(l)].max(FLOOR) / u[f][usize::from(l)].max(FLOOR)).ln();
            }
        }
        w
    };
    let post = |lambda: f64, w: f64| 1.0 / (1.0 + ((1.0 - lambda) / lambda) * (-w).exp());
    // Start from the share the starting parameters already call matches at even odds.
    let called: f64 = observed
        .iter()
        .filter(|(p, _)| ratio(&m, p) > 0.0)
        .map(|(_, c)| c)
        .sum();
    let mut lambda = (called / total.max(1.0)).clamp(1e-4, 0.5);
    let mut iterations = 0;
    let mut converged = false;
    while iterations < 200 {
        iterations += 1;
        let mut mc = vec![vec![0.0f64; MAX_LEVELS]; NFIELDS];
        let mut matched = 0.0;
        for (p, c) in observed {
            let r = post(lambda, ratio(&m, p));
            matched += c * r;
            for (f, &l) in p.0.iter().enumerate() {
                mc[f][usize::from(l)] += c * r;
            }
        }
        for rv in reviews.iter().filter(|r| r.is_match) {
            matched += review_weight;
            for (f, &l) in rv.pattern.0.iter().enumerate() {
                mc[f][usize::from(l)] += review_weight;
            }
        }
        let next_lambda = (matched / total.max(1.0)).clamp(1e-9, 0.999);
        let mut delta = (next_lambda - lambda).abs();
        for (f, field) in Field::ALL.iter().enumerate() {
            if estimate[f] {
                let row = normalise_row(&mc[f], &prior.params.m[f], field.levels(), 20.0);
                for (a, b) in m[f].iter().zip(&row) {
                    delta = delta.max((a - b).abs());
                }
                m[f] = row;
            }
        }
        lambda = next_lambda;
        if delta < 1e-6 {
            converged = true;
            break;
        }
    }
    Session {
        m,
        lambda,
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::level::{CLOSE, CONFLICT, EXACT, STRONG};

    fn pat(v: [u8; NFIELDS]) -> Pattern {
        Pattern(v)
    }

    #[test]
    fn explanation_adds_up() {
        let m = Model::default();
        let p = pat([EXACT, 5, 2, 2, 0, 0, 1]);
        let e = m.explain(&p);
        let sum: f64 = e.contributions.iter().map(|c| c.weight).sum::<f64>() + e.prior_weight;
        assert!((sum - e.match_weight).abs() < 1e-9);
        assert_eq!(
            e.contributions[4].weight, 0.0,
            "missing contributes nothing"
        );
        assert!(e.probability > 0.9);
        assert!(m.probability(&pat([1, 1, 1, 1, 1, 1, 1])) < 0.001);
    }

    #[test]
    fn a_shared_birth_date_counts_for_less_between_conflicting_names() {
        let m = Model::default();
        let dob = crate::fields::dob_level::EXACT;
        let relatives = pat([CONFLICT, dob, 2, 2, 0, 0, 0]);
        let misspelt = pat([CLOSE, dob, 2, 2, 0, 0, 0]);
        // The same birth date weighs log2(m / 0.003) instead of log2(m / u) with u = 0.00007.
        let e = m.explain(&relatives);
        let expected = (0.00007f64 / 0.003).log2();
        assert!((m.relatives_adjustment(&relatives) - expected).abs() < 1e-9);
        assert!(
            (e.contributions[1].weight - m.explain(&misspelt).contributions[1].weight - expected)
                .abs()
                < 1e-9
        );
        let sum: f64 = e.contributions.iter().map(|c| c.weight).sum::<f64>() + e.prior_weight;
        assert!((sum - e.match_weight).abs() < 1e-9);
        assert_eq!(m.relatives_adjustment(&misspelt), 0.0);
        // Estimated from the candidates: 30 of 1,000 relatives' pairs with two different
        // documents born the same day; pairs without both documents do not count.
        let different = crate::fields::doc_level::DIFFERENT;
        let mut counts = PatternCounts::default();
        for _ in 0..30 {
            counts.add(&pat([CONFLICT, dob, 2, 2, different, 0, 0]));
        }
        for _ in 0..970 {
            counts.add(&pat([
                CONFLICT,
                crate::fields::dob_level::FAR,
                2,
                2,
                different,
                0,
                0,
            ]));
        }
        for _ in 0..500 {
            counts.add(&pat([CONFLICT, dob, 2, 2, 0, 0, 0]));
            counts.add(&pat([
                CONFLICT,
                crate::fields::dob_level::MISSING,
                2,
                2,
                different,
                0,
                0,
            ]));
        }
        let (fitted, _) = m.fit(&counts, None, &[], 1.0, 1e6);
        assert!((fitted.params().u_dob_of_relatives - 0.03).abs() < 1e-12);
        // Too few such pairs: the prior stays.
        let mut few = PatternCounts::default();
        few.add(&pat([CONFLICT, dob, 2, 2, different, 0, 0]));
        let (fitted, _) = m.fit(&few, None, &[], 1.0, 1e6);
        assert_eq!(fitted.params().u_dob_of_relatives, 0.003);
    }

    #[test]
    fn parameters_saved_before_the_relatives_estimate_still_load() {
        let mut json = serde_json::to_value(Model::default().params()).unwrap();
        json.as_object_mut().unwrap().remove("u_dob_of_relatives");
        let p: Params = serde_json::from_value(json).unwrap();
        assert_eq!(p.u_dob_of_relatives, Params::default_u_dob_of_relatives());
    }

    #[test]
    fn em_recovers_planted_parameters() {
        // Candidates: 5% matches with high agreement, the rest mostly disagree; random pairs
        // are drawn from the non-match distribution alone.
        let mut counts = PatternCounts::default();
        let mut random = PatternCounts::default();
        let mut state = 7u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut draw = |is_match: bool| {
            let mut p = [0u8; NFIELDS];
            for (f, field) in Field::ALL.iter().enumerate() {
                let top = match field {
                    Field::DateOfBirth => crate::fields::dob_level::EXACT,
                    _ => (field.levels() - 1) as u8,
                };
                p[f] = if is_match {
                    if rnd() < 0.85 { top } else { 1 }
                } else if rnd() < 0.05 {
                    top
                } else {
                    1
                };
            }
            Pattern(p)
        };
        for i in 0..20000 {
            counts.add(&draw(i % 20 == 0));
            random.add(&draw(false));
        }
        let (model, report) = Model::default().fit(&counts, Some(&random), &[], 1.0, 20000.0);
        assert!(report.converged, "{report:?}");
        assert!(
            (model.params().lambda - 0.05).abs() < 0.01,
            "lambda {}",
            model.params().lambda
        );
        let m_top = model.params().m[1][5];
        assert!((m_top - 0.85).abs() < 0.05, "m {m_top}");
        let u_top = model.params().u[1][5];
        assert!((u_top - 0.05).abs() < 0.01, "u {u_top}");
    }

    /// Siblings who share the family's phone (the corpus's missing-person reports give it for
    /// each child) are candidates beside the true duplicates. They must not enter EM's match
    /// class through the phone, nor teach it that a different sex is common among matches.
    #[test]
    fn capping_a_level_keeps_the_row_a_distribution() {
        let mut row = vec![0.0, 0.4, 0.1, 0.1, 0.4];
        cap_level(&mut row, 1, 0.1);
        let expected = [0.0, 0.1, 0.15, 0.15, 0.6];
        for (got, want) in row.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{row:?}");
        }
        // Below the cap: unchanged.
        let mut low = vec![0.0, 0.05, 0.15, 0.8];
        cap_level(&mut low, 1, 0.1);
        assert_eq!(low, vec![0.0, 0.05, 0.15, 0.8]);
        // A middle level gives its excess only to the levels above it.
        let mut name = vec![0.0, 0.1, 0.3, 0.2, 0.4];
        cap_level(&mut name, 2, 0.1);
        let expected = [0.0, 0.1, 0.1, 0.2 + 0.2 / 3.0, 0.4 + 0.4 / 3.0];
        for (got, want) in name.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{name:?}");
        }
    }

    #[test]
    fn siblings_sharing_a_phone_are_not_matches() {
        let mut counts = PatternCounts::default();
        let mut random = PatternCounts::default();
        let add = |pc: &mut PatternCounts, p: [u8; NFIELDS], n: usize| {
            for _ in 0..n {
                pc.add(&pat(p));
            }
        };
        // Duplicates: same name, birth date and passport.
        add(&mut counts, [EXACT, 5, 2, 2, 4, 0, 4], 1000);
        // Siblings: one name token, other birth dates, other sex, the family's phone.
        add(&mut counts, [CONFLICT, 1, 1, 2, 0, 3, 4], 3000);
        add(&mut counts, [CONFLICT, 1, 2, 2, 1, 1, 1], 20_000);
        add(&mut random, [1, 1, 1, 2, 1, 0, 1], 30_000);
        add(&mut random, [1, 1, 2, 2, 1, 1, 1], 50_000);
        add(&mut random, [1, 1, 2, 1, 0, 0, 2], 15_000);
        add(&mut random, [1, 2, 2, 2, 1, 1, 4], 5_000);
        add(&mut random, [CONFLICT, 3, 1, 2, 1, 3, 1], 100);
        let (model, _) = Model::default().fit(&counts, Some(&random), &[], 1.0, 1e8);
        let siblings = model.probability(&pat([CONFLICT, 1, 1, 2, 0, 3, 4]));
        assert!(siblings < 0.5, "siblings {siblings}");
        assert!(model.params().m[2][1] <= 0.05, "{:?}", model.params().m[2]);
    }

    #[test]
    fn a_common_shorter_name_weighs_less_and_a_rare_one_no_more() {
        let m = Model::default();
        let strong = pat([STRONG, 0, 2, 2, 0, 0, 0]);
        let u = m.params().u[0][usize::from(STRONG)];
        assert!(m.tf_adjustment(&strong, Some(u * 16.0)) < -3.9);
        assert_eq!(m.tf_adjustment(&strong, Some(u / 16.0)), 0.0);
        assert_eq!(m.tf_adjustment(&strong, None), 0.0);
        // The same name may still be raised when rare, and other levels are never adjusted.
        let exact = pat([EXACT, 0, 2, 2, 0, 0, 0]);
        assert!(m.tf_adjustment(&exact, Some(m.params().u[0][usize::from(EXACT)] / 4.0)) > 1.9);
        assert_eq!(
            m.tf_adjustment(&pat([CLOSE, 0, 2, 2, 0, 0, 0]), Some(0.5)),
            0.0
        );
    }

    #[test]
    fn reviews_move_parameters() {
        let m = Model::default();
        let p = pat([EXACT, 1, 2, 2, 1, 0, 0]);
        let reviews: Vec<Review> = (0..50)
            .map(|_| Review {
                pattern: p,
                is_match: true,
            })
            .collect();
        let updated = m.update_from_reviews(&reviews, 20.0);
        assert!(updated.probability(&p) > m.probability(&p));
    }

    #[test]
    fn serialises() {
        let m = Model::default();
        let json = serde_json::to_string(&m).unwrap();
        let back: Model = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
}
