//! Integration tests for moei-screening, in one binary to keep link time down.

// Test helpers outside #[test] functions may unwrap too (clippy.toml allows it in tests).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod assess_rules;
mod cli;
mod htcds;
mod instruments;
mod interview;
mod mdt;
mod props;
mod rule_parse;
mod safeguard;
mod triage;

use std::collections::BTreeMap;

use moei_screening::{Answer, Instrument, Registry};

pub fn registry() -> Registry {
    Registry::builtin().unwrap()
}

pub fn instrument(id: &str) -> Instrument {
    registry().get(id).unwrap().clone()
}

pub fn answers(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Every counted indicator of `inst` answered `no`, then `pairs` applied on top.
pub fn all_no_except(inst: &Instrument, pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
    let mut m: BTreeMap<String, Answer> = inst
        .indicators()
        .iter()
        .filter(|i| i.maps_to.is_none())
        .map(|i| (i.id.clone(), Answer::No))
        .collect();
    for (k, v) in pairs {
        m.insert(k.to_string(), *v);
    }
    m
}
