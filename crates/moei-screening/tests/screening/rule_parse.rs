use moei_screening::OverallRule;
use moei_screening::rule::{DEFAULT_ADULT_RULE, MAX_RULE_DEPTH, MAX_RULE_LEN};

fn holds(rule: &str, positive: &[u8]) -> bool {
    let mut p = [false; 6];
    for d in positive {
        p[usize::from(*d) - 1] = true;
    }
    OverallRule::parse(rule).unwrap().holds(&p)
}

#[test]
fn valid_rules_parse_to_canonical_form() {
    let cases = [
        ("(D1|D2|D3)&D4&(D5|D6)", "(D1|D2|D3)&D4&(D5|D6)"),
        (
            "  ( d1 or D2 OR d3 ) and D4 AND (D5 || D6) ",
            "(D1|D2|D3)&D4&(D5|D6)",
        ),
        ("D4", "D4"),
        ("((D4))", "D4"),
        ("D1&&D2", "D1&D2"),
        ("(D1|D2)&D4&D5", "(D1|D2)&D4&D5"),
        ("D1|(D2|D3)", "D1|D2|D3"),
        ("D1|D2&D3", "D1|D2&D3"),
    ];
    for (text, canonical) in cases {
        let rule = OverallRule::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(rule.to_string(), canonical, "{text}");
        assert_eq!(
            OverallRule::parse(canonical).unwrap(),
            rule,
            "round trip of {text}"
        );
    }
    assert_eq!(
        OverallRule::parse(DEFAULT_ADULT_RULE).unwrap(),
        OverallRule::default_adult()
    );
}

#[test]
fn and_binds_tighter_than_or() {
    // D1|D2&D3 is D1|(D2&D3), not (D1|D2)&D3.
    assert!(holds("D1|D2&D3", &[1]));
    assert!(!holds("D1|D2&D3", &[2]));
    assert!(holds("D1|D2&D3", &[2, 3]));
    assert!(!holds("(D1|D2)&D3", &[1]));
    assert!(holds("D1&D2|D3", &[3]));
}

#[test]
fn default_rule_truth_table() {
    let r = DEFAULT_ADULT_RULE;
    assert!(holds(r, &[1, 4, 5]));
    assert!(holds(r, &[3, 4, 6]));
    assert!(!holds(r, &[1, 2, 3, 5, 6]), "D4 is required");
    assert!(!holds(r, &[4, 5, 6]), "a recruitment dimension is required");
    assert!(!holds(r, &[1, 4]), "D5 or D6 is required");
    assert!(!holds(r, &[]));
}

#[test]
fn invalid_rules_are_rejected_with_position() {
    let cases = [
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("D7", 1, "unknown name `D7`"),
        ("D1 & D7", 6, "unknown name `D7`"),
        ("D1&", 4, "end of the rule"),
        ("(D1|D2", 7, "never closed"),
        ("D1)", 3, "without a matching"),
        ("D1 D2", 4, "expected `&` or `|`"),
        ("!D1", 1, "negation"),
        ("not D1", 1, "negation"),
        ("D1 & (D2 | )", 12, "found `)`"),
        ("&D1", 1, "found `&`"),
        ("D1 ^ D2", 4, "unexpected character"),
    ];
    for (text, pos, fragment) in cases {
        let e = OverallRule::parse(text).unwrap_err();
        assert_eq!(e.position, pos, "{text:?}: {e}");
        assert!(e.message.contains(fragment), "{text:?}: {e}");
        assert!(e.to_string().contains("overall rule"), "{e}");
    }
}

#[test]
fn limits_are_enforced() {
    let long = "D1|".repeat(MAX_RULE_LEN / 3 + 1) + "D2";
    assert!(
        OverallRule::parse(&long)
            .unwrap_err()
            .message
            .contains("longer")
    );
    let deep = "(".repeat(MAX_RULE_DEPTH + 1) + "D1" + &")".repeat(MAX_RULE_DEPTH + 1);
    assert!(
        OverallRule::parse(&deep)
            .unwrap_err()
            .message
            .contains("nested")
    );
    let ok = "(".repeat(MAX_RULE_DEPTH) + "D1" + &")".repeat(MAX_RULE_DEPTH);
    assert!(OverallRule::parse(&ok).is_ok());
}

#[test]
fn rule_serialises_as_text() {
    let r = OverallRule::default_adult();
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        "\"(D1|D2|D3)&D4&(D5|D6)\""
    );
    let back: OverallRule = serde_json::from_str("\"D1 and D4\"").unwrap();
    assert_eq!(back.to_string(), "D1&D4");
    assert!(serde_json::from_str::<OverallRule>("\"D1 and\"").is_err());
}
