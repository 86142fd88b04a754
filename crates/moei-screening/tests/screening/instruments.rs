use std::collections::{BTreeMap, BTreeSet};

use moei_screening::instrument::{InstrumentKind, Population, REQUIRED_LANGUAGES};
use moei_screening::{
    Dimension, Instrument, InstrumentError, Registry, ReviewState, Strength, Verification,
};

use crate::{instrument, registry};

/// REFERENCE.md §1.2, adult labour table: (dimension, strong, medium, weak), with the two
/// disputed D3 indicators counted as medium (the default).
const ADULT_TABLE: [(Dimension, usize, usize, usize); 6] = [
    (Dimension::D1, 1, 8, 1),
    (Dimension::D2, 1, 9, 0),
    (Dimension::D3, 0, 14, 2),
    (Dimension::D4, 1, 7, 1),
    (Dimension::D5, 4, 10, 1),
    (Dimension::D6, 0, 5, 2),
];

fn tiers(inst: &Instrument, d: Dimension) -> (usize, usize, usize) {
    let mut t = (0, 0, 0);
    for i in inst
        .indicators()
        .iter()
        .filter(|i| i.dimension == d && i.maps_to.is_none())
    {
        match i.strength {
            Strength::Strong => t.0 += 1,
            Strength::Medium => t.1 += 1,
            Strength::Weak => t.2 += 1,
        }
    }
    t
}

#[test]
fn adult_set_matches_reference_counts_per_dimension_and_tier() {
    let inst = instrument("ilo-adult-labour");
    assert_eq!(inst.indicators().len(), 67);
    for (d, s, m, w) in ADULT_TABLE {
        assert_eq!(tiers(&inst, d), (s, m, w), "{d}");
    }
    let per_dim: Vec<usize> = Dimension::ALL
        .iter()
        .map(|d| {
            inst.indicators()
                .iter()
                .filter(|i| i.dimension == *d)
                .count()
        })
        .collect();
    assert_eq!(per_dim, vec![10, 10, 16, 9, 15, 7]);
}

#[test]
fn disputed_indicators_are_medium_and_unverified() {
    let inst = instrument("ilo-adult-labour");
    let unverified: Vec<&str> = inst
        .indicators()
        .iter()
        .filter(|i| i.tier_verification == Verification::U)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        unverified,
        vec![
            "D3.difficulties_in_the_past",
            "D3.difficulty_to_organise_travel"
        ]
    );
    for id in unverified {
        let i = inst.indicator(id).unwrap();
        assert_eq!(i.strength, Strength::Medium);
        assert!(i.note.as_deref().unwrap_or("").contains("[U]"));
    }
    assert_eq!(inst.rule_verification(), Verification::U);
}

#[test]
fn every_indicator_has_all_languages_with_review_state() {
    for inst in registry().iter() {
        for ind in inst.indicators() {
            for lang in REQUIRED_LANGUAGES {
                let t = ind
                    .text
                    .get(lang)
                    .unwrap_or_else(|| panic!("{} {}: no {lang}", inst.id(), ind.id));
                assert!(!t.text.trim().is_empty());
                let want = if lang == "en" {
                    ReviewState::Source
                } else {
                    ReviewState::DraftUnreviewed
                };
                assert_eq!(t.review, want, "{} {} {lang}", inst.id(), ind.id);
            }
            // Translations must not be a copy of the English text.
            for lang in REQUIRED_LANGUAGES.iter().filter(|l| **l != "en") {
                assert_ne!(
                    ind.text[*lang].text, ind.text["en"].text,
                    "{} {lang}",
                    ind.id
                );
            }
        }
    }
}

#[test]
fn ids_are_unique_readable_and_name_their_dimension() {
    for inst in registry().iter() {
        let mut seen = BTreeSet::new();
        for ind in inst.indicators() {
            assert!(
                seen.insert(ind.id.clone()),
                "{} duplicated in {}",
                ind.id,
                inst.id()
            );
            assert!(ind.id.len() > 4 && ind.id.contains('.'), "{}", ind.id);
            if ind.maps_to.is_none() {
                assert!(ind.id.contains(ind.dimension.as_str()), "{}", ind.id);
            }
        }
    }
}

#[test]
fn every_instrument_has_identity_source_and_review() {
    let reg = registry();
    assert_eq!(
        reg.ids(),
        vec!["ilo-adult-labour", "ilo-child-labour", "forced-criminality"]
    );
    for inst in reg.iter() {
        assert!(!inst.id().is_empty());
        assert!(!inst.version().is_empty());
        assert!(!inst.source().citation.is_empty());
        assert!(!inst.source().note.is_empty());
        assert_eq!(inst.review().state, ReviewState::DraftUnreviewed);
        assert_eq!(inst.dimensions().len(), 6);
    }
}

#[test]
fn child_set_rule_and_marking() {
    let inst = instrument("ilo-child-labour");
    assert_eq!(inst.population(), Population::Child);
    assert_eq!(inst.overall_rule().to_string(), "D4");
    assert!(inst.rule_note().contains("Means"));
    assert_eq!(inst.source().verification, Verification::U);
    assert!(
        inst.indicators()
            .iter()
            .all(|i| i.tier_verification == Verification::U)
    );
    for d in Dimension::ALL {
        assert!(inst.indicators().iter().any(|i| i.dimension == d), "{d}");
    }
    // D4 can be positive on its own.
    let (s, m, _) = tiers(&inst, Dimension::D4);
    assert!(s >= 2 || m >= 3);
}

#[test]
fn forced_criminality_module_maps_to_adult_indicators() {
    let reg = registry();
    let fc = reg.get("forced-criminality").unwrap();
    let adult = reg.get("ilo-adult-labour").unwrap();
    assert_eq!(fc.kind(), InstrumentKind::Module);
    assert_eq!(fc.extends(), Some("ilo-adult-labour"));
    assert_eq!(fc.overall_rule(), adult.overall_rule());
    let own: Vec<_> = fc
        .indicators()
        .iter()
        .filter(|i| i.maps_to.is_some())
        .collect();
    assert!(own.len() >= 10);
    let mut targets = BTreeSet::new();
    for q in &own {
        assert!(q.id.starts_with("FC."));
        let t = adult.indicator(q.maps_to.as_deref().unwrap()).unwrap();
        assert_eq!(
            (q.dimension, q.strength),
            (t.dimension, t.strength),
            "{}",
            q.id
        );
        targets.insert(t.id.as_str());
    }
    // The situations the module must cover.
    for needed in [
        "D1.deceived_nature_of_job", // fake job offers, online recruitment
        "D5.violence_on_victim",     // punishments, violence
        "D5.forced_into_illicit_activities", // forced to defraud
        "D5.confiscation_of_documents", // passport taken
        "D5.isolation_confinement_surveillance", // phone taken, confinement
        "D5.debt_bondage",           // recruitment debts, sold between compounds
    ] {
        assert!(targets.contains(needed), "{needed}");
    }
}

#[test]
fn unknown_instrument_lists_known_ids() {
    let e = registry().get("ilo-adults").unwrap_err().to_string();
    assert!(e.contains("ilo-adults"));
    for id in ["ilo-adult-labour", "ilo-child-labour", "forced-criminality"] {
        assert!(e.contains(id), "{e}");
    }
}

#[test]
fn tier_overrides_are_checked() {
    let fc = instrument("forced-criminality");
    let e = fc
        .with_tier_overrides(&BTreeMap::from([(
            "FC.passport_taken".into(),
            Strength::Weak,
        )]))
        .unwrap_err();
    assert!(
        e.to_string().contains("D5.confiscation_of_documents"),
        "{e}"
    );
    let e = fc
        .with_tier_overrides(&BTreeMap::from([("D9.none".into(), Strength::Weak)]))
        .unwrap_err();
    assert!(matches!(e, InstrumentError::Override { .. }));
    // Overriding a target moves its module questions with it.
    let changed = fc
        .with_tier_overrides(&BTreeMap::from([(
            "D5.confiscation_of_documents".into(),
            Strength::Medium,
        )]))
        .unwrap();
    assert_eq!(
        changed.indicator("FC.passport_taken").unwrap().strength,
        Strength::Medium
    );
}

/// A small valid indicator set to mutate in the error tests.
fn small_set() -> serde_json::Value {
    let text = |s: &str| {
        let mut m = serde_json::Map::new();
        for l in REQUIRED_LANGUAGES {
            m.insert(
                l.into(),
                serde_json::json!({"text": format!("{s} ({l})"), "review": if l == "en" {"source"} else {"draft-unreviewed"}}),
            );
        }
        serde_json::Value::Object(m)
    };
    let dims: Vec<_> = Dimension::ALL
        .iter()
        .map(|d| serde_json::json!({"id": d.as_str(), "name": format!("dimension {d}")}))
        .collect();
    serde_json::json!({
        "format": 1, "id": "test-set", "version": "1", "title": "Test set",
        "kind": "indicator_set", "population": "adult",
        "source": {"citation": "test", "verification": "U"},
        "review": {"state": "draft-unreviewed"},
        "overall_rule": {"expression": "D1&D4", "verification": "U"},
        "dimensions": dims,
        "indicators": [
            {"id": "D1.a", "dimension": "D1", "strength": "strong", "tier_verification": "U", "label": "a", "text": text("a")},
            {"id": "D4.b", "dimension": "D4", "strength": "medium", "tier_verification": "U", "label": "b", "text": text("b")}
        ]
    })
}

fn load(v: &serde_json::Value) -> Result<Instrument, InstrumentError> {
    Instrument::from_json("test.json", &v.to_string())
}

#[test]
fn a_valid_file_loads() {
    let inst = load(&small_set()).unwrap();
    assert_eq!(inst.id(), "test-set");
    assert_eq!(inst.overall_rule().to_string(), "D1&D4");
}

#[test]
fn bad_files_are_rejected_naming_the_field() {
    type Edit = fn(&mut serde_json::Value);
    let cases: Vec<(Edit, &str)> = vec![
        (
            |v| {
                v["indicators"][0]["text"]
                    .as_object_mut()
                    .unwrap()
                    .remove("my");
            },
            "indicators[0].text",
        ),
        (
            |v| v["indicators"][1]["id"] = "D1.a".into(),
            "indicators[1].id",
        ),
        (
            |v| v["indicators"][1]["id"] = "D1.b".into(),
            "indicators[1].id",
        ),
        (
            |v| v["indicators"][0]["text"]["th"]["text"] = " ".into(),
            "indicators[0].text.th.text",
        ),
        (
            |v| v["overall_rule"]["expression"] = "D1 & D9".into(),
            "overall_rule.expression",
        ),
        (|v| v["format"] = 2.into(), "format"),
        (|v| v["id"] = "Bad Id".into(), "id"),
        (
            |v| {
                v["dimensions"].as_array_mut().unwrap().pop();
            },
            "dimensions",
        ),
        (
            |v| {
                v["indicators"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("strength");
            },
            "indicators[0].strength",
        ),
        (
            |v| v["indicators"][0]["maps_to"] = "D4.b".into(),
            "indicators[0].maps_to",
        ),
        (|v| v["indicators"] = serde_json::json!([]), "indicators"),
    ];
    for (edit, field) in cases {
        let mut v = small_set();
        edit(&mut v);
        match load(&v) {
            Err(InstrumentError::Invalid { errors, .. }) => {
                assert!(errors.has_field(field), "expected {field}, got {errors}")
            }
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
}

#[test]
fn malformed_json_and_unknown_fields_are_parse_errors() {
    let e = Instrument::from_json("x.json", "{").unwrap_err();
    assert!(matches!(e, InstrumentError::Parse { .. }), "{e}");
    let mut v = small_set();
    v["colour"] = "blue".into();
    let e = load(&v).unwrap_err().to_string();
    assert!(e.contains("colour") && e.contains("test.json"), "{e}");
    let mut v = small_set();
    v["indicators"][0]["strength"] = "huge".into();
    assert!(load(&v).unwrap_err().to_string().contains("huge"));
}

#[test]
fn modules_need_their_base_and_registry_rejects_duplicates() {
    let module = include_str!("../../instruments/forced-criminality.json");
    let mut reg = Registry::default();
    match reg.add_json("fc.json", module) {
        Err(InstrumentError::Invalid { errors, .. }) => assert!(errors.has_field("extends")),
        other => panic!("{other:?}"),
    }
    assert!(Instrument::from_json("fc.json", module).is_err());
    reg.add_json(
        "a.json",
        include_str!("../../instruments/ilo-adult-labour.json"),
    )
    .unwrap();
    reg.add_json("fc.json", module).unwrap();
    let e = reg.add_json("fc.json", module).unwrap_err();
    assert!(matches!(e, InstrumentError::Duplicate { .. }));
}

#[test]
fn instruments_load_from_a_path() {
    let dir = std::env::temp_dir().join(format!("moei-screening-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("test-set.json");
    std::fs::write(&path, small_set().to_string()).unwrap();
    let mut reg = registry();
    assert_eq!(reg.load_path(&path).unwrap().id(), "test-set");
    assert!(reg.get("test-set").is_ok());
    let missing = reg.load_path(&dir.join("missing.json")).unwrap_err();
    assert!(matches!(missing, InstrumentError::Read { .. }), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}
