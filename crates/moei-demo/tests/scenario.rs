//! Properties of the generated demo scenario against the modelled figures.

// Test helpers may unwrap like the tests themselves (workspace policy).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use moei_demo::{
    Birth, CROSSED, DAYS, DEFAULT_SEED, DemoPerson, FIRST_DAY, MEN, Mode, NATIONALITY_TARGETS,
    Need, Scenario, Sex, UTC_OFFSET_HOURS, WOMEN, generate,
};

fn scenario() -> Scenario {
    generate(DEFAULT_SEED)
}

fn seeds() -> [u64; 4] {
    [DEFAULT_SEED, 1, 42, 0xDEAD_BEEF]
}

fn bangkok() -> TimeZone {
    TimeZone::fixed(tz::offset(UTC_OFFSET_HOURS))
}

fn unique(s: &Scenario) -> impl Iterator<Item = &DemoPerson> {
    s.persons.iter().filter(|p| p.duplicate_of.is_none())
}

fn group_date(s: &Scenario, key: u32) -> Date {
    let g = s.groups.iter().find(|g| g.key == key).unwrap();
    g.arrived_at.to_zoned(bangkok()).date()
}

#[test]
fn same_seed_same_scenario_and_different_seed_different() {
    let a = generate(DEFAULT_SEED);
    let b = generate(DEFAULT_SEED);
    assert_eq!(a, b);
    let c = generate(DEFAULT_SEED + 1);
    assert_ne!(a.persons, c.persons);
    assert_ne!(a.groups, c.groups);
}

#[test]
fn default_seed_output_is_pinned() {
    // Guards against accidental changes to the generator or the name data:
    // the shipped demo must stay the same unless changed on purpose.
    let s = scenario();
    let first = &s.persons[0];
    let last = s.persons.last().unwrap();
    let fingerprint = format!(
        "{} {} {}|{} {}|{}|{}",
        s.groups.len(),
        s.persons.len(),
        first.given_name,
        last.given_name,
        last.family_name,
        s.groups[0].arrived_at,
        s.persons.iter().filter(|p| p.has_document).count()
    );
    assert_eq!(
        fingerprint, PINNED,
        "update PINNED only for an intended change"
    );
}

const PINNED: &str = "73 1634 Praveen|Shakil Sarker|2025-10-22T02:29:00Z|358";

#[test]
fn totals_match_the_reported_figures() {
    for seed in seeds() {
        let s = generate(seed);
        let total = s.persons.len();
        assert!(
            (1_550..=1_650).contains(&total),
            "seed {seed}: {total} records"
        );
        assert_eq!(unique(&s).count() as u32, CROSSED);
        let men = unique(&s).filter(|p| p.sex == Sex::M).count() as u32;
        let women = unique(&s).filter(|p| p.sex == Sex::F).count() as u32;
        assert_eq!((men, women), (MEN, WOMEN), "seed {seed}");

        let mut by_nat: BTreeMap<&str, u32> = BTreeMap::new();
        for p in unique(&s) {
            *by_nat.entry(p.nationality.as_str()).or_default() += 1;
        }
        for (code, n) in NATIONALITY_TARGETS {
            assert_eq!(
                by_nat.get(code).copied().unwrap_or(0),
                n,
                "seed {seed}: {code}"
            );
        }
        assert_eq!(by_nat.len(), NATIONALITY_TARGETS.len());
        // The reported big five and twenty other countries plus stateless.
        assert_eq!(by_nat.get("IND"), Some(&465));
        assert_eq!(by_nat.get("PHL"), Some(&220));
        assert_eq!(by_nat.get("CHN"), Some(&185));
        assert_eq!(by_nat.get("VNM"), Some(&151));
        assert_eq!(by_nat.get("ETH"), Some(&130));
        assert_eq!(by_nat.keys().filter(|k| **k != "XXA").count(), 25);
    }
}

#[test]
fn arrivals_span_ten_days_and_peak_early() {
    for seed in seeds() {
        let s = generate(seed);
        let last_day = FIRST_DAY
            .checked_add(jiff::Span::new().days(DAYS as i64 - 1))
            .unwrap();
        let mut days = BTreeSet::new();
        for g in &s.groups {
            let d = g.arrived_at.to_zoned(bangkok()).date();
            assert!(d >= FIRST_DAY && d <= last_day, "seed {seed}: group on {d}");
            days.insert(d);
        }
        assert_eq!(
            days.len() as u32,
            DAYS,
            "seed {seed}: a day without arrivals"
        );

        let third_day = FIRST_DAY.checked_add(jiff::Span::new().days(2)).unwrap();
        let first_three = unique(&s)
            .filter(|p| group_date(&s, p.group_key) <= third_day)
            .count();
        assert!(first_three >= 1_000, "seed {seed}: {first_three}");

        // "1,049 in custody by the morning of 24 Oct (India 399, China 147)".
        let cutoff = third_day
            .at(8, 0, 0, 0)
            .to_zoned(bangkok())
            .unwrap()
            .timestamp();
        let early: Vec<&DemoPerson> = unique(&s)
            .filter(|p| s.groups[p.group_key as usize - 1].arrived_at < cutoff)
            .collect();
        assert!(
            (1_000..=1_100).contains(&early.len()),
            "seed {seed}: {}",
            early.len()
        );
        let ind = early.iter().filter(|p| p.nationality == "IND").count();
        let chn = early.iter().filter(|p| p.nationality == "CHN").count();
        assert_eq!((ind, chn), (399, 147), "seed {seed}");
    }
}

#[test]
fn groups_are_ordered_keyed_and_counted() {
    for seed in seeds() {
        let s = generate(seed);
        for (i, g) in s.groups.iter().enumerate() {
            assert_eq!(g.key as usize, i + 1);
            assert!(g.headcount > 0, "seed {seed}: empty group {}", g.key);
            assert!(!g.officer.is_empty());
        }
        for w in s.groups.windows(2) {
            assert!(w[0].arrived_at <= w[1].arrived_at);
        }
        let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
        for p in &s.persons {
            assert!(
                s.groups.iter().any(|g| g.key == p.group_key),
                "seed {seed}: person in missing group {}",
                p.group_key
            );
            *counts.entry(p.group_key).or_default() += 1;
        }
        for g in &s.groups {
            assert_eq!(counts.get(&g.key).copied().unwrap_or(0), g.headcount);
        }
        // Persons are in group order.
        for w in s.persons.windows(2) {
            assert!(w[0].group_key <= w[1].group_key);
        }
    }
}

#[test]
fn group_sizes_and_places_fit_the_mode() {
    let s = scenario();
    let mut bridge_people = 0;
    let mut modes = BTreeSet::new();
    for g in &s.groups {
        // Headcounts include re-registrations, so allow a little over.
        let (lo, hi) = match g.mode {
            Mode::Bridge => (1, 210),
            Mode::Boat | Mode::Raft => (1, 45),
            Mode::Wading => (1, 16),
            Mode::Other => (1, 10),
        };
        assert!(
            (lo..=hi).contains(&g.headcount),
            "{:?} group of {}",
            g.mode,
            g.headcount
        );
        match g.mode {
            Mode::Bridge => {
                assert_eq!(g.crossing_point, "Friendship Bridge 2");
                bridge_people += g.headcount;
            }
            Mode::Other => assert_eq!(g.crossing_point, "Mae Sot police station"),
            _ => assert!(g.crossing_point.starts_with("Moei River, ")),
        }
        modes.insert(format!("{:?}", g.mode));
    }
    assert_eq!(modes.len(), 5, "{modes:?}");
    // Reported: 860 handled at Friendship Bridge 2.
    assert!((800..=920).contains(&bridge_people), "{bridge_people}");
    let big_bridge = s
        .groups
        .iter()
        .filter(|g| g.mode == Mode::Bridge && g.headcount >= 100)
        .count();
    assert!(big_bridge >= 2);
}

#[test]
fn most_arrive_without_documents() {
    for seed in seeds() {
        let s = generate(seed);
        let n = unique(&s).count() as f64;
        let without = unique(&s).filter(|p| !p.has_document).count() as f64;
        let share = without / n;
        assert!((0.70..=0.80).contains(&share), "seed {seed}: {share}");
        for p in &s.persons {
            if let Some(no) = &p.passport_number {
                assert!(no.len() >= 8 && no.len() <= 9, "{no}");
                assert!(
                    no.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                );
            }
            if p.nationality == "XXA" {
                assert!(!p.has_document && p.passport_number.is_none());
            }
            if p.has_document && p.duplicate_of.is_none() {
                assert!(
                    matches!(p.birth, Birth::Full(_)),
                    "documented birth must be full"
                );
            }
        }
        // Some undocumented people still know their number from a photo.
        assert!(unique(&s).any(|p| !p.has_document && p.passport_number.is_some()));
    }
}

fn age_on_arrival(p: &DemoPerson) -> i64 {
    match p.birth {
        Birth::Full(d) => {
            let mut age = 2025 - i64::from(d.year());
            if (d.month(), d.day()) > (10, 22) {
                age -= 1;
            }
            age
        }
        Birth::Year(y) => 2025 - i64::from(y),
        Birth::EstimatedAge(a) => i64::from(a),
    }
}

#[test]
fn births_and_needs_are_plausible() {
    for seed in seeds() {
        let s = generate(seed);
        let mut minors = 0;
        let mut pregnant = 0;
        let mut injured = 0;
        let mut kinds = std::collections::HashSet::new();
        for p in unique(&s) {
            let age = age_on_arrival(p);
            assert!((10..=72).contains(&age), "age {age}");
            kinds.insert(std::mem::discriminant(&p.birth));
            if p.needs.contains(&Need::Minor) {
                minors += 1;
                assert!(age < 20, "minor aged {age}");
            }
            if p.needs.contains(&Need::Unaccompanied) {
                assert!(p.needs.contains(&Need::Minor));
            }
            if p.needs.contains(&Need::Pregnant) {
                pregnant += 1;
                assert_eq!(p.sex, Sex::F);
                assert!(p.notes.as_deref().unwrap_or("").contains("pregnant"));
            }
            if p.needs.contains(&Need::Injured) {
                injured += 1;
            }
        }
        assert_eq!(kinds.len(), 3, "seed {seed}: all three kinds of birth");
        assert!((5..=45).contains(&minors), "seed {seed}: {minors} minors");
        assert!(
            (1..=20).contains(&pregnant),
            "seed {seed}: {pregnant} pregnant"
        );
        assert!(
            (15..=100).contains(&injured),
            "seed {seed}: {injured} injured"
        );
    }
}

/// Letters with their diacritics removed, for Vietnamese only.
fn fold_vietnamese(s: &str) -> String {
    const GROUPS: [(&str, char); 12] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
        ("Đ", 'D'),
    ];
    s.chars()
        .map(|c| {
            GROUPS
                .iter()
                .find(|(set, _)| set.contains(c))
                .map_or(c, |(_, base)| *base)
        })
        .collect()
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    ranges
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&(c as u32)))
}

/// Unicode blocks a nationality's original-script names may use.
fn script_ranges(nationality: &str) -> Option<Vec<(u32, u32)>> {
    const DEVANAGARI: (u32, u32) = (0x0900, 0x097F);
    const BENGALI: (u32, u32) = (0x0980, 0x09FF);
    const GURMUKHI: (u32, u32) = (0x0A00, 0x0A7F);
    const TAMIL: (u32, u32) = (0x0B80, 0x0BFF);
    const TELUGU: (u32, u32) = (0x0C00, 0x0C7F);
    const MALAYALAM: (u32, u32) = (0x0D00, 0x0D7F);
    const SINHALA: (u32, u32) = (0x0D80, 0x0DFF);
    const THAI: (u32, u32) = (0x0E00, 0x0E7F);
    const LAO: (u32, u32) = (0x0E80, 0x0EFF);
    const MYANMAR: (u32, u32) = (0x1000, 0x109F);
    const ETHIOPIC: (u32, u32) = (0x1200, 0x139F);
    const KHMER: (u32, u32) = (0x1780, 0x17FF);
    const HAN: (u32, u32) = (0x4E00, 0x9FFF);
    const ARABIC: (u32, u32) = (0x0600, 0x06FF);
    Some(match nationality {
        "IND" => vec![DEVANAGARI, GURMUKHI, TAMIL, TELUGU, MALAYALAM],
        "NPL" => vec![DEVANAGARI],
        "BGD" => vec![BENGALI],
        "LKA" => vec![SINHALA, TAMIL],
        "THA" => vec![THAI],
        "LAO" => vec![LAO],
        "MMR" => vec![MYANMAR],
        "ETH" => vec![ETHIOPIC],
        "KHM" => vec![KHMER],
        "CHN" | "TWN" | "MYS" => vec![HAN],
        "PAK" | "EGY" => vec![ARABIC],
        _ => return None,
    })
}

#[test]
fn original_scripts_match_nationality() {
    let s = scenario();
    let mut with_script: BTreeMap<&str, usize> = BTreeMap::new();
    for p in unique(&s) {
        let nat = p.nationality.as_str();
        let Some(orig) = &p.name_original_script else {
            assert!(
                matches!(
                    nat,
                    "PHL"
                        | "KEN"
                        | "UGA"
                        | "NGA"
                        | "TZA"
                        | "GHA"
                        | "CMR"
                        | "BDI"
                        | "BRA"
                        | "IDN"
                        | "XXA"
                        | "ETH"
                        | "MYS"
                ),
                "{nat} person without original-script name: {p:?}"
            );
            continue;
        };
        *with_script.entry(nat).or_default() += 1;
        if nat == "VNM" {
            // Latin with diacritics; the Latin fields are the same name without them.
            assert!(orig.chars().all(|c| c.is_alphabetic() || c == ' '));
            assert!(!orig.is_ascii() || fold_vietnamese(orig) == *orig);
            let expected = format!("{} {}", p.family_name, p.given_name);
            assert_eq!(fold_vietnamese(orig), expected);
            assert!(p.given_name.is_ascii() && p.family_name.is_ascii());
            continue;
        }
        let ranges = script_ranges(nat).unwrap_or_else(|| panic!("{nat} has an original script"));
        // Letters, combining marks, spaces; Sinhala/Indic scripts may use ZWJ.
        for c in orig.chars() {
            assert!(
                c == ' ' || c == '\u{200D}' || in_ranges(c, &ranges),
                "{nat}: {orig:?} has {c:?}"
            );
        }
        assert!(orig.chars().any(|c| in_ranges(c, &ranges)));
        if matches!(nat, "CHN" | "TWN" | "MYS") {
            // Han names: family name first, no space, two to four characters.
            assert!(!orig.contains(' '));
            let n = orig.chars().count();
            assert!((2..=4).contains(&n), "{orig}");
        }
    }
    // Every non-Latin nationality shows up with its script.
    for nat in [
        "IND", "CHN", "VNM", "ETH", "PAK", "THA", "LKA", "BGD", "NPL", "TWN", "MMR", "LAO", "KHM",
        "EGY",
    ] {
        assert!(with_script.get(nat).copied().unwrap_or(0) > 0, "{nat}");
    }
    // Most Ethiopians are Amharic speakers written in Ethiopic.
    let eth: Vec<&DemoPerson> = unique(&s).filter(|p| p.nationality == "ETH").collect();
    let ethi = eth
        .iter()
        .filter(|p| p.name_original_script.is_some())
        .count();
    assert!(ethi * 2 > eth.len());
}

#[test]
fn simplified_and_traditional_han_are_not_mixed() {
    let s = scenario();
    const TRADITIONAL_ONLY: &str = "陳張劉黃楊鄭謝許吳傑";
    const SIMPLIFIED_ONLY: &str = "陈张刘黄杨郑谢许吴杰";
    for p in unique(&s) {
        let Some(orig) = &p.name_original_script else {
            continue;
        };
        match p.nationality.as_str() {
            "CHN" | "MYS" => assert!(
                !orig.chars().any(|c| TRADITIONAL_ONLY.contains(c)),
                "{orig}"
            ),
            "TWN" => assert!(!orig.chars().any(|c| SIMPLIFIED_ONLY.contains(c)), "{orig}"),
            _ => {}
        }
    }
}

#[test]
fn single_names_appear_where_customary() {
    let s = scenario();
    for p in unique(&s) {
        if matches!(p.nationality.as_str(), "MMR" | "XXA") {
            assert!(p.family_name.is_empty(), "{p:?}");
            assert!(p.given_name.contains(' '));
        }
    }
    let idn: Vec<&DemoPerson> = unique(&s).filter(|p| p.nationality == "IDN").collect();
    let mono = idn.iter().filter(|p| p.family_name.is_empty()).count();
    assert!(mono > 0 && mono < idn.len(), "{mono} of {}", idn.len());
    for p in unique(&s).filter(|p| !matches!(p.nationality.as_str(), "MMR" | "XXA" | "IDN")) {
        assert!(!p.family_name.is_empty(), "{p:?}");
    }
}

fn bigrams(p: &DemoPerson) -> BTreeSet<(char, char)> {
    let mut tokens: Vec<String> = format!("{} {}", p.given_name, p.family_name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect();
    tokens.sort();
    let mut out = BTreeSet::new();
    for t in tokens {
        let cs: Vec<char> = t.chars().collect();
        for w in cs.windows(2) {
            out.insert((w[0], w[1]));
        }
    }
    out
}

#[test]
fn duplicates_point_back_and_look_like_the_same_person() {
    for seed in seeds() {
        let s = generate(seed);
        let dups: Vec<(usize, &DemoPerson)> = s
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| p.duplicate_of.is_some())
            .collect();
        let share = dups.len() as f64 / (s.persons.len() - dups.len()) as f64;
        assert!((0.02..=0.03).contains(&share), "seed {seed}: {share}");
        let mut originals = BTreeSet::new();
        let mut year_only = 0;
        let mut swapped = 0;
        let mut dice_sum = 0.0;
        for (i, d) in &dups {
            let o_idx = d.duplicate_of.unwrap();
            assert!(o_idx < *i, "seed {seed}: duplicate points forward");
            assert!(originals.insert(o_idx), "two duplicates of one record");
            let o = &s.persons[o_idx];
            assert!(o.duplicate_of.is_none());
            assert_eq!(o.nationality, d.nationality);
            assert_eq!(o.sex, d.sex);
            assert!(
                s.groups[o.group_key as usize - 1].arrived_at
                    <= s.groups[d.group_key as usize - 1].arrived_at
            );
            assert!(
                (&o.given_name, &o.family_name) != (&d.given_name, &d.family_name),
                "seed {seed}: duplicate spelled identically: {d:?}"
            );
            assert!((age_on_arrival(o) - age_on_arrival(d)).abs() <= 3);
            if matches!(o.birth, Birth::Full(_)) && matches!(d.birth, Birth::Year(_)) {
                year_only += 1;
            }
            if !o.family_name.is_empty()
                && o.given_name == d.family_name
                && o.family_name == d.given_name
            {
                swapped += 1;
            }
            // Still recognisably the same name.
            let (a, b) = (bigrams(o), bigrams(d));
            let common = a.intersection(&b).count() as f64;
            let dice = 2.0 * common / (a.len() + b.len()).max(1) as f64;
            // Short names with two changes ("Anil Goud" / "Anli Gowd") share
            // few bigrams, so the floor per pair is low and the mean is high.
            assert!(dice >= 0.25, "seed {seed}: {o:?} vs {d:?} ({dice})");
            dice_sum += dice;
        }
        let mean = dice_sum / dups.len() as f64;
        assert!(mean >= 0.6, "seed {seed}: mean similarity {mean}");
        assert!(year_only > 0, "seed {seed}: no year-only re-registration");
        assert!(swapped > 0, "seed {seed}: no swapped-order re-registration");
    }
}

#[test]
fn languages_are_codes() {
    let s = scenario();
    for p in &s.persons {
        assert!(!p.languages.is_empty());
        for l in &p.languages {
            assert!(
                (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()),
                "{l}"
            );
        }
        assert_eq!(p.nationality.len(), 3);
        assert!(p.nationality.chars().all(|c| c.is_ascii_uppercase()));
    }
}

#[test]
fn scenario_round_trips_through_json() {
    let s = scenario();
    let json = serde_json::to_string(&s).unwrap();
    let back: Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
}
