use std::collections::BTreeMap;

use moei_screening::cli::AssessRequest;
use moei_screening::{Answer, Dimension, OverallRule, assess};
use proptest::prelude::*;

use crate::instrument;

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        Just(Answer::Yes),
        Just(Answer::No),
        Just(Answer::Unknown),
        Just(Answer::Declined)
    ]
}

/// Random answers over the first `n` questions of an instrument.
fn answer_vec(n: usize) -> impl Strategy<Value = Vec<Option<Answer>>> {
    proptest::collection::vec(proptest::option::of(answer()), n)
}

fn to_map(ids: &[String], v: &[Option<Answer>]) -> BTreeMap<String, Answer> {
    ids.iter()
        .zip(v)
        .filter_map(|(id, a)| a.map(|a| (id.clone(), a)))
        .collect()
}

proptest! {
    #[test]
    fn assessment_never_panics(v in answer_vec(90), junk in proptest::collection::vec("\\PC{0,12}", 0..3)) {
        let inst = instrument("forced-criminality");
        let ids: Vec<String> = inst.indicators().iter().map(|i| i.id.clone()).collect();
        let mut m = to_map(&ids, &v);
        let clean = assess(&inst, &m);
        prop_assert!(clean.is_ok());
        for j in junk {
            m.insert(j, Answer::Yes);
        }
        let _ = assess(&inst, &m);
    }

    #[test]
    fn adding_a_yes_never_turns_a_positive_dimension_negative(
        v in answer_vec(67),
        pick in 0usize..67,
    ) {
        let inst = instrument("ilo-adult-labour");
        let ids: Vec<String> = inst.indicators().iter().map(|i| i.id.clone()).collect();
        let before_map = to_map(&ids, &v);
        let mut after_map = before_map.clone();
        after_map.insert(ids[pick].clone(), Answer::Yes);
        let before = assess(&inst, &before_map).unwrap();
        let after = assess(&inst, &after_map).unwrap();
        for d in Dimension::ALL {
            prop_assert!(!before.dimensions[&d].positive || after.dimensions[&d].positive, "{d}");
        }
        prop_assert!(!before.rule_holds || after.rule_holds);
    }

    #[test]
    fn module_yes_never_weakens_either(v in answer_vec(90), pick in any::<usize>()) {
        let inst = instrument("forced-criminality");
        let ids: Vec<String> = inst.indicators().iter().map(|i| i.id.clone()).collect();
        let base = inst.indicators().iter().filter(|i| i.maps_to.is_none()).count();
        let pick = base + pick % (ids.len() - base);
        let before_map = to_map(&ids, &v);
        let mut after_map = before_map.clone();
        after_map.insert(ids[pick].clone(), Answer::Yes);
        let before = assess(&inst, &before_map).unwrap();
        let after = assess(&inst, &after_map).unwrap();
        for d in Dimension::ALL {
            prop_assert!(!before.dimensions[&d].positive || after.dimensions[&d].positive, "{d}");
        }
    }

    #[test]
    fn rule_parser_never_panics(s in "\\PC{0,80}") {
        let _ = OverallRule::parse(&s);
    }

    #[test]
    fn rule_parser_never_panics_on_rule_like_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("D1"), Just("D4"), Just("d6"), Just("D9"), Just("&"), Just("|"), Just("("),
            Just(")"), Just(" and "), Just(" or "), Just("!"), Just(" "),
        ], 0..40)
    ) {
        let s: String = parts.concat();
        if let Ok(rule) = OverallRule::parse(&s) {
            // Canonical text parses back to the same rule.
            prop_assert_eq!(OverallRule::parse(&rule.to_string()).unwrap(), rule);
        }
    }

    #[test]
    fn assess_input_parser_never_panics(s in "\\PC{0,200}") {
        let _ = AssessRequest::from_json(&s);
    }

    #[test]
    fn assess_input_parser_handles_json_shaped_noise(
        key in "[a-zA-Z_.]{0,12}",
        val in prop_oneof![Just("\"yes\"".to_string()), Just("1".to_string()), Just("null".to_string()),
                           Just("[]".to_string()), "\"[a-z]{0,6}\""],
        top in prop_oneof![Just("answers"), Just("instrument"), Just("tier_overrides"), Just("x")],
    ) {
        let text = format!("{{\"{top}\": {{\"{key}\": {val}}}}}");
        let _ = AssessRequest::from_json(&text);
    }
}
