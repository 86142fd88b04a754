//! Clustering that resists chaining.
//!
//! Edges above the threshold are taken strongest first; two clusters merge only if every
//! cross pair's evidence (match weight without the prior, computed even for pairs blocking
//! never proposed) is at least the veto bound, and the cross pairs' mean evidence is at least
//! the average bound (average linkage a little below the threshold). So A~B and B~C do not put
//! A with C when A and C clearly differ, nor when A and C are merely not unlike each other
//! (same birth year and town, one common name token shared): the weaker edge is refused.
//! The veto is waived for a merge of at least [`WAIVER_MIN_CROSS`] cross pairs when most of
//! them, and at least two, reach the average bound: one corrupted duplicate does not keep out
//! a record that the person's other records agree on. In the same way a single record joins a
//! cluster whose mean evidence with it is below the average bound when most of its cross
//! pairs, and at least [`MAJORITY_MIN_CLOSE`], reach the bound.

/// A scored pair of record indexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub probability: f32,
}

/// Cross pairs checked per merge at most; beyond this the merge is refused as unverifiable.
pub const MAX_CROSS_CHECKS: usize = 20_000;

/// Merges with at least this many cross pairs may waive the veto (see [`cluster`]).
pub const WAIVER_MIN_CROSS: usize = 3;

/// Close cross pairs (at the average bound) that let a single record join a cluster whose
/// mean evidence with it is below the average bound, when they are most of its cross pairs.
pub const MAJORITY_MIN_CLOSE: usize = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterStats {
    pub merges: usize,
    pub vetoed: usize,
    pub too_large: usize,
}

/// What a merge must satisfy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linkage {
    /// Match probability an edge needs to join two single records on its own. Edges below it
    /// (down to the average bound) only join clusters where more than one cross pair exists.
    pub threshold: f32,
    /// No cross pair but the edge itself may have evidence below this.
    pub veto: f64,
    /// The cross pairs' mean evidence (the edge included) must reach this
    /// (see [`Model::average_bound`]; `f64::NEG_INFINITY` turns it off).
    ///
    /// [`Model::average_bound`]: crate::model::Model::average_bound
    pub average: f64,
}

/// Cluster `n` records. `pairs` must already be filtered to those worth considering (at or
/// above the threshold, or the average bound's probability). `evidence(x, y)` returns the
/// evidence of any two records. Returns a cluster label per record: the smallest record
/// index in its cluster.
pub fn cluster(
    n: usize,
    pairs: &[ScoredPair],
    rule: Linkage,
    evidence: &(dyn Fn(u32, u32) -> f64 + Sync),
) -> (Vec<u32>, ClusterStats) {
    let Linkage {
        threshold,
        veto,
        average,
    } = rule;
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    // Strongest first; ties by index so the result does not depend on input order of equals.
    order.sort_by(|&x, &y| {
        pairs[y]
            .probability
            .total_cmp(&pairs[x].probability)
            .then_with(|| {
                (pairs[x].a.min(pairs[x].b), pairs[x].a.max(pairs[x].b))
                    .cmp(&(pairs[y].a.min(pairs[y].b), pairs[y].a.max(pairs[y].b)))
            })
    });
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let mut slot: Vec<u32> = vec![u32::MAX; n];
    let mut stats = ClusterStats::default();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[x as usize];
            parent[x as usize] = parent[p as usize];
            x = p;
        }
        x
    }
    for &e in &order {
        let ScoredPair { a, b, probability } = pairs[e];
        if a as usize >= n || b as usize >= n {
            continue;
        }
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        let ma = if slot[ra as usize] == u32::MAX {
            vec![ra]
        } else {
            members[slot[ra as usize] as usize].clone()
        };
        let mb = if slot[rb as usize] == u32::MAX {
            vec![rb]
        } else {
            members[slot[rb as usize] as usize].clone()
        };
        if ma.len() * mb.len() > MAX_CROSS_CHECKS {
            stats.too_large += 1;
            continue;
        }
        let mut sum = 0.0;
        let mut vetoes = 0;
        let mut close = 0;
        let mut far = 0;
        let cross = ma.len() * mb.len();
        let waivable = cross >= WAIVER_MIN_CROSS;
        'cross: for &x in &ma {
            for &y in &mb {
                let e = evidence(x, y);
                if e >= average {
                    close += 1;
                } else {
                    far += 1;
                }
                if e < veto && !(x == a && y == b) {
                    vetoes += 1;
                }
                // Stop as soon as a veto can no longer be waived.
                if vetoes > 0 && (!waivable || 2 * far >= cross) {
                    break 'cross;
                }
                sum += e;
            }
        }
        // A veto is waived when most cross pairs, and at least two, are close matches: one
        // corrupted record among several consistent ones (FEBRL duplicates with another
        // surname, another birth date and another document number) does not keep out a
        // record the others agree on.
        let mut ok = vetoes == 0 || (waivable && close >= 2 && 2 * close > cross);
        // Two single records: the edge alone decides, against the threshold. Larger merges
        // are decided by the mean, so several duplicates that each resemble a record a little
        // less than the threshold asks can still take it in.
        // A single record joining a cluster may also be taken in by a majority of close
        // pairs, at least [`MAJORITY_MIN_CLOSE`], when their mean falls short: the cluster's
        // corrupted members pull the mean down, not the record.
        let single = ma.len() == 1 || mb.len() == 1;
        let majority = single && close >= MAJORITY_MIN_CLOSE && 2 * close > cross;
        if cross == 1 {
            ok = probability >= threshold;
        } else if ok && sum / (cross as f64) < average && !majority {
            ok = false;
        }
        if !ok {
            stats.vetoed += 1;
            continue;
        }
        let (keep, gone) = if ma.len() >= mb.len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        parent[gone as usize] = keep;
        let mut all = ma;
        all.extend(mb);
        if slot[keep as usize] == u32::MAX {
            slot[keep as usize] = members.len() as u32;
            members.push(all);
        } else {
            members[slot[keep as usize] as usize] = all;
        }
        if slot[gone as usize] != u32::MAX {
            members[slot[gone as usize] as usize] = Vec::new();
        }
        stats.merges += 1;
    }
    let mut labels = vec![0u32; n];
    let mut smallest = vec![u32::MAX; n];
    for x in 0..n as u32 {
        let r = find(&mut parent, x) as usize;
        smallest[r] = smallest[r].min(x);
    }
    for x in 0..n as u32 {
        let r = find(&mut parent, x) as usize;
        labels[x as usize] = smallest[r];
    }
    (labels, stats)
}

/// What [`extend_links`] asks of a link it adds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkRule {
    /// Evidence at which two right records are the same person (the threshold's).
    pub join: f64,
    /// No pair among the left record and the right records may be below this.
    pub veto: f64,
    /// Mean evidence the added pairs must reach, as in [`Linkage::average`].
    pub average: f64,
    /// A candidate right record is carried over only when its own evidence with the left
    /// record reaches this.
    pub carry_floor: f64,
    /// A left record without any link takes its best candidate when that candidate has at
    /// least this evidence...
    pub best_floor: f64,
    /// ...and every other candidate within this many bits of it is a duplicate of it.
    pub best_margin: f64,
}

/// Link mode: links for left records that have none yet, and each left record's links
/// carried to the rest of that person's right records.
///
/// A person often has several right records (registered at two desks, then at a shelter) that
/// resemble each other more than any resembles the left record (a family's report, which has
/// an age for a birth date and the family's phone). So:
/// - a left record's links at the threshold are taken strongest first, each only when its
///   right record would join those already taken under [`cluster`]'s test (no pair below
///   `veto`, their mean at least `average`): the others are namesakes of the person;
/// - a left record with no link at the threshold is linked to its best candidate when that
///   candidate reaches [`LinkRule::best_floor`] and stands out: every other candidate within
///   [`LinkRule::best_margin`] bits is a duplicate of it (one person, not two namesakes);
/// - a candidate right record `r2` of left record `l` is added to `l`'s links when it matches
///   one of `l`'s linked right records (evidence ≥ [`LinkRule::join`]) and, taking `l`, its
///   linked records and `r2` as one cluster, the merge would pass [`cluster`]'s test: no pair
///   below `veto`, their mean at least `average`.
///
/// `candidates` are all compared pairs as `(left << 32) | right`, sorted; `evidence(i)` is the
/// evidence of `candidates[i]`; `matches` are the links at or above the threshold. Added links
/// carry their own probability, which may be below the threshold. Returns the links, the
/// `matches` kept first.
pub fn extend_links(
    matches: &[ScoredPair],
    candidates: &[u64],
    rule: LinkRule,
    evidence: &(dyn Fn(usize) -> f64 + Sync),
    right_evidence: &(dyn Fn(u32, u32) -> f64 + Sync),
    probability: &(dyn Fn(f64) -> f64 + Sync),
) -> Vec<ScoredPair> {
    // A left record's links are one person: otherwise the right records are namesakes and
    // only the stronger links stay.
    let mut out = one_person_each(matches, Side::Left, rule, right_evidence);
    let mut linked: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    for m in &out {
        linked.entry(m.a).or_default().push(m.b);
    }
    let left_of = |p: u64| (p >> 32) as u32;
    let right_of = |p: u64| (p & 0xFFFF_FFFF) as u32;
    let mut start = 0;
    while start < candidates.len() {
        let l = left_of(candidates[start]);
        let end = start + candidates[start..].partition_point(|&p| left_of(p) == l);
        let group = start..end;
        start = end;
        let mut rs = linked.get(&l).cloned().unwrap_or_default();
        if rs.is_empty() {
            let Some((bi, be)) = group
                .clone()
                .map(|i| (i, evidence(i)))
                .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)))
            else {
                continue;
            };
            if be < rule.best_floor {
                continue;
            }
            let b = right_of(candidates[bi]);
            let stands_out = group.clone().all(|i| {
                i == bi
                    || evidence(i) < be - rule.best_margin
                    || right_evidence(b, right_of(candidates[i])) >= rule.join
            });
            if !stands_out {
                continue;
            }
            out.push(ScoredPair {
                a: l,
                b,
                probability: probability(be) as f32,
            });
            rs.push(b);
        }
        for i in group {
            let r2 = right_of(candidates[i]);
            if rs.contains(&r2) {
                continue;
            }
            let lr = evidence(i);
            if lr < rule.veto.max(rule.carry_floor) {
                continue;
            }
            let mut sum = lr;
            let mut best = f64::NEG_INFINITY;
            let mut ok = true;
            for &r in &rs {
                let e = right_evidence(r, r2);
                if e < rule.veto {
                    ok = false;
                    break;
                }
                best = best.max(e);
                sum += e;
            }
            if ok && best >= rule.join && sum / ((rs.len() + 1) as f64) >= rule.average {
                out.push(ScoredPair {
                    a: l,
                    b: r2,
                    probability: probability(lr) as f32,
                });
            }
        }
    }
    out
}

/// Which side of a link [`one_person_each`] groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// The links of each record of `side` are one person: taken strongest first, a link is kept
/// only when the record it reaches on the other side, with those already kept for the same
/// record, would pass the clustering test (no pair below `rule.veto`, their mean at least
/// `rule.average`). `other_evidence` compares two records of the other side. The links kept
/// are returned in their order in `links`.
pub fn one_person_each(
    links: &[ScoredPair],
    side: Side,
    rule: LinkRule,
    other_evidence: &(dyn Fn(u32, u32) -> f64 + Sync),
) -> Vec<ScoredPair> {
    let mut order: Vec<usize> = (0..links.len()).collect();
    order.sort_by(|&x, &y| {
        let ((ox, tx), (oy, ty)) = (own_other(side, &links[x]), own_other(side, &links[y]));
        ox.cmp(&oy)
            .then(links[y].probability.total_cmp(&links[x].probability))
            .then(tx.cmp(&ty))
    });
    let mut kept_for: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    let mut keep = vec![false; links.len()];
    for &i in &order {
        let (own, other) = own_other(side, &links[i]);
        let kept = kept_for.entry(own).or_default();
        let (mut sum, mut vetoed) = (0.0, false);
        for &k in kept.iter() {
            let e = other_evidence(k, other);
            vetoed |= e < rule.veto;
            sum += e;
        }
        if vetoed || (!kept.is_empty() && sum / (kept.len() as f64) < rule.average) {
            continue;
        }
        kept.push(other);
        keep[i] = true;
    }
    links
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(m, _)| *m)
        .collect()
}

fn own_other(side: Side, m: &ScoredPair) -> (u32, u32) {
    match side {
        Side::Left => (m.a, m.b),
        Side::Right => (m.b, m.a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(average: f64) -> Linkage {
        Linkage {
            threshold: 0.9,
            veto: 0.0,
            average,
        }
    }

    #[test]
    fn refuses_chain_when_ends_differ() {
        // A~B strong, B~C strong, but A and C clearly differ.
        let pairs = [
            ScoredPair {
                a: 0,
                b: 1,
                probability: 0.99,
            },
            ScoredPair {
                a: 1,
                b: 2,
                probability: 0.95,
            },
        ];
        let ev = |x: u32, y: u32| {
            if (x.min(y), x.max(y)) == (0, 2) {
                -10.0
            } else {
                8.0
            }
        };
        let (labels, stats) = cluster(3, &pairs, rule(f64::NEG_INFINITY), &ev);
        assert_eq!(labels[0], labels[1]);
        assert_ne!(labels[0], labels[2]);
        assert_eq!(stats.vetoed, 1);
    }

    #[test]
    fn allows_chain_when_ends_agree() {
        let pairs = [
            ScoredPair {
                a: 0,
                b: 1,
                probability: 0.99,
            },
            ScoredPair {
                a: 1,
                b: 2,
                probability: 0.95,
            },
        ];
        let ev = |_: u32, _: u32| 3.0;
        let (labels, _) = cluster(3, &pairs, rule(f64::NEG_INFINITY), &ev);
        assert_eq!(labels, vec![0, 0, 0]);
    }

    /// FEBRL3 person rec-941: the original and duplicates 1, 2 and 4 ("coby berry"), duplicate
    /// 0 with another surname ("coby fleet"), duplicate 3 ("cobuy berry", another birth date)
    /// at probability 0.984 with all but duplicate 0, against which its evidence is negative.
    /// Evidence as estimated on FEBRL3 (prior -10.9 bits; the average bound 12.07).
    fn febrl3_rec_941(x: u32, y: u32) -> f64 {
        match (x.min(y), x.max(y)) {
            (1, 5) => -1.6,
            (_, 5) => 16.8,
            _ => 14.0,
        }
    }

    #[test]
    fn veto_waived_when_most_members_agree() {
        let mut pairs = Vec::new();
        for a in 0..5u32 {
            for b in a + 1..5 {
                pairs.push(ScoredPair {
                    a,
                    b,
                    probability: 0.99,
                });
            }
        }
        for a in [0u32, 2, 3, 4] {
            pairs.push(ScoredPair {
                a,
                b: 5,
                probability: 0.984,
            });
        }
        let (labels, stats) = cluster(6, &pairs, rule(12.07), &febrl3_rec_941);
        assert_eq!(labels, vec![0; 6], "{stats:?}");
        // With one close member only, the contradicted one still vetoes.
        let ev = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (0, 5) => 16.8,
            (_, 5) => -1.6,
            _ => 14.0,
        };
        let (labels, _) = cluster(6, &pairs[..11], rule(0.0), &ev);
        assert_eq!(labels[..5], [0; 5]);
        assert_eq!(labels[5], 5);
    }

    #[test]
    fn strongest_edge_wins_the_contested_record() {
        // B could join A or C; A and C differ; B-C is stronger, so B goes with C.
        let pairs = [
            ScoredPair {
                a: 0,
                b: 1,
                probability: 0.91,
            },
            ScoredPair {
                a: 1,
                b: 2,
                probability: 0.99,
            },
        ];
        let ev = |x: u32, y: u32| {
            if (x.min(y), x.max(y)) == (0, 2) {
                -10.0
            } else {
                8.0
            }
        };
        let (labels, _) = cluster(3, &pairs, rule(f64::NEG_INFINITY), &ev);
        assert_eq!(labels, vec![0, 1, 1]);
    }

    #[test]
    fn refuses_chain_when_ends_are_only_weakly_alike() {
        // Prakash Kumar Prasad ~ Prakash Prasad ~ Deepak Kumar: both edges pass, and the ends
        // do not contradict each other (evidence 1, above the veto), but the mean evidence of
        // the merge, (14 + 1) / 2, is below the average bound of 12.
        let pairs = [
            ScoredPair {
                a: 0,
                b: 1,
                probability: 0.99,
            },
            ScoredPair {
                a: 1,
                b: 2,
                probability: 0.95,
            },
        ];
        let ev = |x: u32, y: u32| {
            if (x.min(y), x.max(y)) == (0, 2) {
                1.0
            } else {
                14.0
            }
        };
        let (labels, stats) = cluster(3, &pairs, rule(12.0), &ev);
        assert_eq!(labels, vec![0, 0, 2]);
        assert_eq!(stats.vetoed, 1);
        // Without the average bound the chain is accepted.
        let (labels, _) = cluster(3, &pairs, rule(f64::NEG_INFINITY), &ev);
        assert_eq!(labels, vec![0, 0, 0]);
        // A pair of single records needs only its edge.
        let (labels, _) = cluster(3, &pairs[..1], rule(100.0), &ev);
        assert_eq!(labels, vec![0, 0, 2]);
    }

    fn sp(a: u32, b: u32, probability: f32) -> ScoredPair {
        ScoredPair { a, b, probability }
    }

    /// The (left, right) ends of links.
    fn ends(links: &[ScoredPair]) -> Vec<(u32, u32)> {
        links.iter().map(|m| (m.a, m.b)).collect()
    }

    fn link_rule() -> LinkRule {
        LinkRule {
            join: 14.0,
            veto: 0.0,
            average: 12.0,
            carry_floor: 0.0,
            best_floor: 11.0,
            best_margin: 2.0,
        }
    }

    #[test]
    fn a_left_records_links_are_one_person() {
        // Left 0 reaches the threshold with right 10, 11 and 12 (and 13 for left 1). 10 and 11
        // are one person (evidence 18); 12 is only not unlike them (5: above the veto, below
        // the average bound of 12), 13 contradicts 10: namesakes, their weaker links go.
        let matches = [
            sp(0, 12, 0.95),
            sp(0, 10, 0.99),
            sp(0, 11, 0.97),
            sp(1, 13, 0.95),
            sp(1, 10, 0.99),
        ];
        let candidates = [10u64, 11, 12, (1 << 32) | 10, (1 << 32) | 13];
        let right_ev = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (10, 11) => 18.0,
            (10, 13) => -3.0,
            _ => 5.0,
        };
        let ev = [16.0, 15.0, 14.0, 16.0, 14.0];
        let out = extend_links(
            &matches,
            &candidates,
            link_rule(),
            &|i| ev[i],
            &right_ev,
            &|e| e / 100.0,
        );
        assert_eq!(ends(&out), vec![(0, 10), (0, 11), (1, 10)]);
    }

    #[test]
    fn a_right_records_links_are_one_person() {
        // Right 10 is reached by left 0, 1 and 2. Left 0 and 1 are one person listed twice
        // (evidence 16, above the 14 asked); left 2 is a namesake (evidence 13: not unlike,
        // but not the same person by the threshold's standard). Right 11's single link stays.
        let links = [
            sp(2, 10, 0.97),
            sp(0, 10, 0.99),
            sp(1, 10, 0.95),
            sp(2, 11, 0.96),
        ];
        let left_ev = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (0, 1) => 16.0,
            _ => 13.0,
        };
        let same_person = LinkRule {
            average: 14.0,
            ..link_rule()
        };
        let out = one_person_each(&links, Side::Right, same_person, &left_ev);
        // Strongest first: left 0 stays, left 2 is not left 0, left 1 is.
        assert_eq!(ends(&out), vec![(0, 10), (1, 10), (2, 11)]);
    }

    #[test]
    fn links_reach_the_persons_other_right_records() {
        // Left 0 links to right 10; right 11 is a near copy of 10 but resembles left 0 less
        // (evidence 9, below the threshold's 14); right 12 shares only a common token with 10.
        let matches = [ScoredPair {
            a: 0,
            b: 10,
            probability: 0.99,
        }];
        let candidates = [10u64, 11, 12];
        let right_ev = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (10, 11) => 18.0,
            _ => 2.0,
        };
        let p = |e: f64| e / 100.0;
        let ev = [16.0, 9.0, 1.0];
        let out = extend_links(
            &matches,
            &candidates,
            link_rule(),
            &|i| ev[i],
            &right_ev,
            &p,
        );
        assert_eq!(ends(&out), vec![(0, 10), (0, 11)]);
        assert!((out[1].probability - 0.09).abs() < 1e-6);
        // Nor when its own evidence with the left record is below the carry floor.
        let strict = LinkRule {
            carry_floor: 10.0,
            ..link_rule()
        };
        let out = extend_links(&matches, &candidates, strict, &|i| ev[i], &right_ev, &p);
        assert_eq!(out.len(), 1);
        // A right record that contradicts the left one is never added.
        let ev = [16.0, -5.0, -5.0];
        let out = extend_links(
            &matches,
            &candidates,
            link_rule(),
            &|i| ev[i],
            &right_ev,
            &p,
        );
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn unlinked_left_takes_a_best_candidate_that_stands_out() {
        let right_ev = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (10, 11) => 18.0,
            _ => 2.0,
        };
        let p = |e: f64| e / 100.0;
        let candidates = [10u64, 11, 12];
        let got = |ev: [f64; 3]| -> Vec<(u32, u32)> {
            extend_links(&[], &candidates, link_rule(), &|i| ev[i], &right_ev, &p)
                .iter()
                .map(|m| (m.a, m.b))
                .collect()
        };
        // 10 is best (12 bits), 11 close behind is its duplicate, 12 far behind: 10 is taken,
        // then 11 joins it as the same person's other record.
        assert_eq!(got([12.0, 11.0, 3.0]), vec![(0, 10), (0, 11)]);
        // 12 is as close as 11 but another person: two namesakes, no link.
        assert!(got([12.0, 5.0, 11.5]).is_empty());
        // Best below the floor: no link.
        assert!(got([10.0, 1.0, 1.0]).is_empty());
    }

    #[test]
    fn weak_edges_join_only_through_several_pairs() {
        // 0 and 1 are a cluster; 2 resembles each a little below the threshold (0.8). Two
        // cross pairs of mean evidence 13 pass the average bound of 12; a lone record 3 with
        // one such edge to 4 stays apart.
        let pairs = [sp(0, 1, 0.99), sp(1, 2, 0.8), sp(0, 2, 0.8), sp(3, 4, 0.8)];
        let ev = |x: u32, y: u32| {
            if (x.min(y), x.max(y)) == (0, 1) {
                20.0
            } else {
                13.0
            }
        };
        let (labels, _) = cluster(5, &pairs, rule(12.0), &ev);
        assert_eq!(labels, vec![0, 0, 0, 3, 4]);
    }

    #[test]
    fn a_single_record_joins_through_a_majority_of_close_pairs() {
        // 0 to 3 are one cluster. Record 4 is close (13, above the average bound of 12) to
        // `close` of them and only weakly alike (1, above the veto) to the rest: the mean is
        // below the bound, but three close pairs of four take it in; two of four do not.
        let pairs = [
            sp(0, 1, 0.99),
            sp(1, 2, 0.99),
            sp(2, 3, 0.99),
            sp(0, 4, 0.8),
        ];
        for (close, joined) in [(3, true), (2, false)] {
            let ev = move |x: u32, y: u32| {
                let (lo, hi) = (x.min(y), x.max(y));
                if hi < 4 {
                    20.0
                } else if lo < close {
                    13.0
                } else {
                    1.0
                }
            };
            let (labels, _) = cluster(5, &pairs, rule(12.0), &ev);
            assert_eq!(labels[..4], [0, 0, 0, 0]);
            assert_eq!(labels[4] == 0, joined, "{close} close pairs");
        }
    }
}
