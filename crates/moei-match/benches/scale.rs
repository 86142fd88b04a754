//! Scale benchmark on deterministic synthetic registrations (release build).
//!
//! cargo bench -p moei-match --bench scale -- dedup 1000000
//! cargo bench -p moei-match --bench scale -- link 100000 1000000
//! cargo bench -p moei-match --bench scale -- query 1000000
//!
//! Prints wall time per stage, peak resident memory, and pairwise precision and recall
//! against the generator's person ids.

use std::collections::HashMap;
use std::time::Instant;

use indicatif::ProgressBar;
use moei_match::pipeline::{self, MatchConfig};
use moei_match::synth::{self, SplitMix64};
use moei_match::{Index, Model, Record};

fn peak_rss_mib() -> f64 {
    // Linux only; elsewhere the figure is reported as 0.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Process CPU time (user + system) in seconds, Linux only (0 elsewhere): the machine may be
/// shared, so wall time alone says little.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses and may hold spaces).
            let rest = s.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn phases(t: &pipeline::PhaseTimes) -> String {
    format!(
        "blocking {:.2}s, compare {:.2}s, fit {:.2}s, score {:.2}s, cluster {:.2}s",
        t.blocking.as_secs_f64(),
        t.compare.as_secs_f64(),
        t.fit.as_secs_f64(),
        t.score.as_secs_f64(),
        t.cluster.as_secs_f64()
    )
}

fn pairs_of(groups: &HashMap<u64, Vec<u32>>) -> u64 {
    groups
        .values()
        .map(|v| (v.len() as u64) * (v.len() as u64 - 1) / 2)
        .sum()
}

fn dedup(n: usize) {
    let t = Instant::now();
    let data = synth::generate(n, 0.25, 2025);
    println!("generate {n}: {:.2}s", t.elapsed().as_secs_f64());
    let persons: Vec<u64> = data.iter().map(|r| r.person).collect();
    let records: Vec<Record> = data.into_iter().map(|r| r.record).collect();
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let (prepared, issues) = pipeline::prepare_all(records);
    println!(
        "prepare: {:.2}s ({} field issues)",
        start.elapsed().as_secs_f64(),
        issues.len()
    );
    let t = Instant::now();
    let out = pipeline::dedup(&prepared, &MatchConfig::default(), &ProgressBar::hidden());
    let total = start.elapsed().as_secs_f64();
    println!(
        "block+compare+fit+cluster: {:.2}s",
        t.elapsed().as_secs_f64()
    );
    println!("blocks: {:?}", out.blocks);
    println!("phases: {}", phases(&out.times));
    println!(
        "fit: {:?} lambda={:.3e}",
        out.fit,
        out.model.params().lambda
    );
    println!(
        "m: {:.3?}\nu: {:.4?}",
        out.model.params().m,
        out.model.params().u
    );
    println!(
        "clusters: {:?}, matched pairs {}",
        out.clusters,
        out.matches.len()
    );
    let mut truth: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, &p) in persons.iter().enumerate() {
        truth.entry(p).or_default().push(i as u32);
    }
    let mut predicted: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, &l) in out.labels.iter().enumerate() {
        predicted.entry(u64::from(l)).or_default().push(i as u32);
    }
    let mut tp = 0u64;
    for members in predicted.values() {
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                tp += u64::from(persons[members[x] as usize] == persons[members[y] as usize]);
            }
        }
    }
    let (pp, tt) = (pairs_of(&predicted), pairs_of(&truth));
    println!(
        "DEDUP n={n}: total {total:.2}s (after generation; CPU {:.2}s, load {}), peak RSS {:.0} MiB, pairwise precision {:.4} recall {:.4} ({tp} of {tt} true pairs, {pp} predicted)",
        cpu_seconds() - cpu0,
        load_average(),
        peak_rss_mib(),
        tp as f64 / pp.max(1) as f64,
        tp as f64 / tt.max(1) as f64
    );
}

fn link(nl: usize, nr: usize) {
    let t = Instant::now();
    let (left, right) = synth::generate_link(nl, nr, 0.5, 7);
    println!("generate {nl} x {nr}: {:.2}s", t.elapsed().as_secs_f64());
    let lp_ids: Vec<u64> = left.iter().map(|r| r.person).collect();
    let rp_ids: Vec<u64> = right.iter().map(|r| r.person).collect();
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let (lp, _) = pipeline::prepare_all(left.into_iter().map(|r| r.record).collect());
    let (rp, _) = pipeline::prepare_all(right.into_iter().map(|r| r.record).collect());
    println!("prepare: {:.2}s", start.elapsed().as_secs_f64());
    let out = pipeline::link(&lp, &rp, &MatchConfig::default(), &ProgressBar::hidden());
    let total = start.elapsed().as_secs_f64();
    println!("blocks: {:?}", out.blocks);
    println!(
        "fit: {:?} lambda={:.3e}",
        out.fit,
        out.model.params().lambda
    );
    println!("phases: {}", phases(&out.times));
    let tp = out
        .matches
        .iter()
        .filter(|m| lp_ids[m.a as usize] == rp_ids[m.b as usize])
        .count();
    let true_links = lp_ids.iter().filter(|&&p| p < nr as u64).count();
    println!(
        "LINK {nl} x {nr}: total {total:.2}s (after generation; CPU {:.2}s, load {}), peak RSS {:.0} MiB, precision {:.4} recall {:.4} ({tp} of {true_links}, {} predicted)",
        cpu_seconds() - cpu0,
        load_average(),
        peak_rss_mib(),
        tp as f64 / out.matches.len().max(1) as f64,
        tp as f64 / true_links.max(1) as f64,
        out.matches.len()
    );
}

fn query(n: usize) {
    let data = synth::generate(n, 0.0, 11);
    let t = Instant::now();
    let (index, errors, _) = Index::build(
        data.iter().map(|r| r.record.clone()).collect(),
        Model::default(),
    );
    println!(
        "index build {n}: {:.2}s ({} errors), RSS {:.0} MiB",
        t.elapsed().as_secs_f64(),
        errors.len(),
        peak_rss_mib()
    );
    // Queries: noisy re-registrations of stored persons, as a clerk would type them.
    let noisy = synth::generate_link(2000, 0, 0.0, 99).0;
    let mut rng = SplitMix64::new(5);
    let mut times = Vec::new();
    let mut hits = 0;
    let queries = 2000;
    for (i, q) in noisy.iter().enumerate().take(queries) {
        // Half the queries are stored persons with errors, half are new people.
        let rec = if i % 2 == 0 {
            let target = &data[rng.below(n)].record;
            let mut r = target.clone();
            r.id = String::new();
            if !r.given_name.is_empty() {
                r.full_name = format!("{} {}", r.family_name, r.given_name);
                r.given_name.clear();
                r.family_name.clear();
            }
            r.passport_number.clear();
            (r, Some(target.id.clone()))
        } else {
            let mut r = q.record.clone();
            r.id = String::new();
            (r, None)
        };
        let s = Instant::now();
        let top = index.query(&rec.0, 5);
        times.push(s.elapsed().as_secs_f64() * 1000.0);
        if let Some(id) = rec.1 {
            hits += usize::from(
                top.first().is_some_and(|c| c.id == id)
                    || top.iter().any(|c| c.id == id && c.probability >= 0.5),
            );
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "QUERY n={n}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {queries} queries; known person found in top 5: {hits}/{}; peak RSS {:.0} MiB; load {}",
        pct(0.5),
        pct(0.99),
        pct(1.0),
        queries / 2,
        peak_rss_mib(),
        load_average()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    match args.first().map(String::as_str) {
        Some("dedup") => dedup(num(1, 1_000_000)),
        Some("link") => link(num(1, 100_000), num(2, 1_000_000)),
        Some("query") => query(num(1, 1_000_000)),
        _ => {
            dedup(num(1, 100_000));
            link(10_000, 100_000);
            query(100_000);
        }
    }
}
