//! The overall rule: a small boolean expression over D1..D6, kept as data.
//!
//! # Format
//!
//! ```text
//! rule   := or
//! or     := and ( ("|" | "||" | "or") and )*
//! and    := atom ( ("&" | "&&" | "and") atom )*
//! atom   := "D1" .. "D6" | "(" or ")"
//! ```
//!
//! `&` binds tighter than `|`, so `D1|D2&D3` means `D1|(D2&D3)`. Words and dimension names are
//! case-insensitive. Negation is deliberately not part of the language: with only `&` and `|`
//! one more positive dimension can never turn a presumed victim into anything less.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Dimension;

/// Longest rule text accepted; real rules are a few dozen characters.
pub const MAX_RULE_LEN: usize = 256;
/// Deepest parenthesis nesting accepted, so a hostile rule cannot exhaust the stack.
pub const MAX_RULE_DEPTH: usize = 16;

/// The default adult rule: (D1 or D2 or D3) and D4 and (D5 or D6).
pub const DEFAULT_ADULT_RULE: &str = "(D1|D2|D3)&D4&(D5|D6)";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    Dim(Dimension),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// A parsed overall rule. Displays in a canonical form, e.g. `(D1|D2|D3)&D4&(D5|D6)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverallRule {
    expr: Expr,
}

/// Why a rule text was rejected. `position` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("overall rule `{rule}`: at character {position}: {message}")]
pub struct RuleError {
    pub rule: String,
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Dim(Dimension),
    And,
    Or,
    Open,
    Close,
}

impl Tok {
    fn describe(self) -> String {
        match self {
            Tok::Dim(d) => d.to_string(),
            Tok::And => "`&`".into(),
            Tok::Or => "`|`".into(),
            Tok::Open => "`(`".into(),
            Tok::Close => "`)`".into(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, (usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push((pos, Tok::Open));
                i += 1;
            }
            ')' => {
                out.push((pos, Tok::Close));
                i += 1;
            }
            '&' | '|' => {
                let tok = if c == '&' { Tok::And } else { Tok::Or };
                // `&&` and `||` are accepted as the same operator.
                i += if chars.get(i + 1) == Some(&c) { 2 } else { 1 };
                out.push((pos, tok));
            }
            '!' | '~' | '-' => {
                return Err((
                    pos,
                    "negation is not supported: more evidence must never weaken a screening flag"
                        .into(),
                ));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let lower = word.to_lowercase();
                let tok = match lower.as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => {
                        return Err((
                            pos,
                            "negation is not supported: more evidence must never weaken a screening flag"
                                .into(),
                        ));
                    }
                    _ => match word.parse::<Dimension>() {
                        Ok(d) => Tok::Dim(d),
                        Err(_) => {
                            return Err((
                                pos,
                                format!("unknown name `{word}`; expected D1 to D6, `and` or `or`"),
                            ));
                        }
                    },
                };
                out.push((pos, tok));
            }
            other => {
                return Err((
                    pos,
                    format!("unexpected character `{other}`; use D1..D6, `&`, `|` and parentheses"),
                ));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.at).map(|t| t.1)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |t| t.0)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let mut items = vec![self.and(depth)?];
        while self.peek() == Some(Tok::Or) {
            self.at += 1;
            items.push(self.and(depth)?);
        }
        Ok(flatten(items, true))
    }

    fn and(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let mut items = vec![self.atom(depth)?];
        while self.peek() == Some(Tok::And) {
            self.at += 1;
            items.push(self.atom(depth)?);
        }
        Ok(flatten(items, false))
    }

    fn atom(&mut self, depth: usize) -> Result<Expr, (usize, String)> {
        let pos = self.pos();
        match self.peek() {
            Some(Tok::Dim(d)) => {
                self.at += 1;
                Ok(Expr::Dim(d))
            }
            Some(Tok::Open) => {
                if depth >= MAX_RULE_DEPTH {
                    return Err((
                        pos,
                        format!("parentheses nested deeper than {MAX_RULE_DEPTH}"),
                    ));
                }
                self.at += 1;
                let inner = self.or(depth + 1)?;
                match self.peek() {
                    Some(Tok::Close) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    Some(t) => Err((
                        self.pos(),
                        format!("expected `)` or an operator, found {}", t.describe()),
                    )),
                    None => Err((
                        self.pos(),
                        format!("`(` at character {pos} is never closed"),
                    )),
                }
            }
            Some(t) => Err((
                pos,
                format!("expected D1..D6 or `(`, found {}", t.describe()),
            )),
            None => Err((
                pos,
                "expected D1..D6 or `(`, found the end of the rule".into(),
            )),
        }
    }
}

/// Merges nested operators of the same kind so the canonical form has no redundant parentheses.
fn flatten(mut items: Vec<Expr>, is_or: bool) -> Expr {
    if items.len() == 1
        && let Some(only) = items.pop()
    {
        return only;
    }
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match (item, is_or) {
            (Expr::Or(inner), true) | (Expr::And(inner), false) => flat.extend(inner),
            (other, _) => flat.push(other),
        }
    }
    if is_or {
        Expr::Or(flat)
    } else {
        Expr::And(flat)
    }
}

impl OverallRule {
    /// Parses a rule, rejecting anything but D1..D6, `&`, `|`, words `and`/`or` and parentheses.
    pub fn parse(text: &str) -> Result<OverallRule, RuleError> {
        let err = |(position, message): (usize, String)| RuleError {
            rule: text.chars().take(MAX_RULE_LEN).collect(),
            position,
            message,
        };
        if text.chars().count() > MAX_RULE_LEN {
            return Err(err((
                MAX_RULE_LEN + 1,
                format!("rule is longer than {MAX_RULE_LEN} characters"),
            )));
        }
        let toks = tokenize(text).map_err(err)?;
        if toks.is_empty() {
            return Err(err((1, "the rule is empty".into())));
        }
        let end = text.chars().count() + 1;
        let mut p = Parser { toks, at: 0, end };
        let expr = p.or(0).map_err(err)?;
        if let Some(t) = p.peek() {
            let message = if t == Tok::Close {
                "`)` without a matching `(`".to_string()
            } else {
                format!("expected `&` or `|`, found {}", t.describe())
            };
            return Err(err((p.pos(), message)));
        }
        Ok(OverallRule { expr })
    }

    /// The default adult labour rule.
    pub fn default_adult() -> OverallRule {
        OverallRule {
            expr: Expr::And(vec![
                Expr::Or(vec![
                    Expr::Dim(Dimension::D1),
                    Expr::Dim(Dimension::D2),
                    Expr::Dim(Dimension::D3),
                ]),
                Expr::Dim(Dimension::D4),
                Expr::Or(vec![Expr::Dim(Dimension::D5), Expr::Dim(Dimension::D6)]),
            ]),
        }
    }

    /// Evaluates the rule given which dimensions are positive.
    pub fn holds(&self, positive: &[bool; 6]) -> bool {
        fn eval(e: &Expr, p: &[bool; 6]) -> bool {
            match e {
                Expr::Dim(d) => p[d.index()],
                Expr::And(items) => items.iter().all(|i| eval(i, p)),
                Expr::Or(items) => items.iter().any(|i| eval(i, p)),
            }
        }
        eval(&self.expr, positive)
    }
}

impl fmt::Display for OverallRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(e: &Expr, f: &mut fmt::Formatter<'_>, inside_and: bool) -> fmt::Result {
            match e {
                Expr::Dim(d) => write!(f, "{d}"),
                Expr::And(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            f.write_str("&")?;
                        }
                        write(item, f, true)?;
                    }
                    Ok(())
                }
                Expr::Or(items) => {
                    if inside_and {
                        f.write_str("(")?;
                    }
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            f.write_str("|")?;
                        }
                        write(item, f, false)?;
                    }
                    if inside_and {
                        f.write_str(")")?;
                    }
                    Ok(())
                }
            }
        }
        write(&self.expr, f, false)
    }
}

impl FromStr for OverallRule {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OverallRule::parse(s)
    }
}

impl Serialize for OverallRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OverallRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        OverallRule::parse(&text).map_err(serde::de::Error::custom)
    }
}
