//! Clustering that resists chaining.
//!
//! Edges above the threshold are taken strongest first; two clusters merge only if every
//! cross pair's evidence (match weight without the prior, computed even for pairs blocking
//! never proposed) is at least the veto bound. So A~B and B~C do not put A with C when A and
//! C clearly differ: the weaker of the two edges is refused.

/// A scored pair of record indexes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub probability: f32,
}

/// Cross pairs checked per merge at most; beyond this the merge is refused as unverifiable.
pub const MAX_CROSS_CHECKS: usize = 20_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterStats {
    pub merges: usize,
    pub vetoed: usize,
    pub too_large: usize,
}

/// Cluster `n` records. `pairs` must already be filtered to those at or above the threshold.
/// `evidence(x, y)` returns the evidence of any two records. Returns a cluster label per
/// record: the smallest record index in its cluster.
pub fn cluster(
    n: usize,
    pairs: &[ScoredPair],
    veto: f64,
    evidence: &(dyn Fn(u32, u32) -> f64 + Sync),
) -> (Vec<u32>, ClusterStats) {
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
        let ScoredPair { a, b, .. } = pairs[e];
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
        let ok = ma.iter().all(|&x| {
            mb.iter()
                .all(|&y| (x == a && y == b) || evidence(x, y) >= veto)
        });
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let (labels, stats) = cluster(3, &pairs, 0.0, &ev);
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
        let (labels, _) = cluster(3, &pairs, 0.0, &ev);
        assert_eq!(labels, vec![0, 0, 0]);
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
        let (labels, _) = cluster(3, &pairs, 0.0, &ev);
        assert_eq!(labels, vec![0, 1, 1]);
    }
}
