//! The `moei screening` subcommands, as plain functions the binary wires up.
//!
//! # `moei screening indicators [--instrument ID]`
//!
//! Prints a JSON array of `{"id","dimension","strength","text"}` with English text. For a
//! module the base indicators come first, then the module's questions.
//!
//! # `moei screening assess [FILE]`
//!
//! Reads `{"instrument": ID?, "answers": {ID: "yes"|"no"|"unknown"|"declined"}}` from FILE or
//! standard input. Optional fields: `overall_rule` (a rule text, see [`crate::rule`]) and
//! `tier_overrides` (`{ID: "strong"|"medium"|"weak"}`). Prints
//! `{"dimensions": {"D1": {"positive", "carried_by"}, ...}, "result"}`.
//!
//! Exit codes: 0 success; 2 bad input (unreadable file, bad JSON, unknown instrument or
//! indicator, bad answer, bad rule or override); 1 the output could not be written.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::assess::{Assessment, Outcome, assess};
use crate::instrument::{DEFAULT_INSTRUMENT, Instrument, Registry};
use crate::model::{Answer, Dimension, Strength};
use crate::rule::OverallRule;

pub const EXIT_OK: i32 = 0;
pub const EXIT_OUTPUT: i32 = 1;
pub const EXIT_INPUT: i32 = 2;

/// Largest assess input read, so a runaway pipe cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Serialize)]
struct IndicatorRow<'a> {
    id: &'a str,
    dimension: Dimension,
    strength: Strength,
    text: &'a str,
}

/// The rows `indicators` prints.
fn indicator_rows(inst: &Instrument) -> Vec<IndicatorRow<'_>> {
    inst.indicators()
        .iter()
        .map(|i| IndicatorRow {
            id: &i.id,
            dimension: i.dimension,
            strength: i.strength,
            text: i.english(),
        })
        .collect()
}

/// `moei screening indicators` with the built-in instruments.
pub fn run_indicators(
    instrument: Option<&str>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match Registry::builtin() {
        Ok(reg) => run_indicators_in(&reg, instrument, stdout, stderr),
        Err(e) => report(stderr, EXIT_OUTPUT, e),
    }
}

/// `moei screening indicators` against a given registry (e.g. with instruments loaded from files).
pub fn run_indicators_in(
    registry: &Registry,
    instrument: Option<&str>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let inst = match registry.get(instrument.unwrap_or(DEFAULT_INSTRUMENT)) {
        Ok(i) => i,
        Err(e) => return report(stderr, EXIT_INPUT, e),
    };
    write_json(&indicator_rows(inst), stdout, stderr)
}

/// A parsed `assess` request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssessRequest {
    pub instrument: Option<String>,
    pub answers: BTreeMap<String, Answer>,
    pub overall_rule: Option<OverallRule>,
    pub tier_overrides: BTreeMap<String, Strength>,
}

/// Why an assess input was rejected. The message names the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Instrument(#[from] crate::instrument::InstrumentError),
    #[error(transparent)]
    Assess(#[from] crate::assess::AssessError),
}

const FIELDS: &[&str] = &["instrument", "answers", "overall_rule", "tier_overrides"];

struct Answers(BTreeMap<String, Answer>);
struct Overrides(BTreeMap<String, Strength>);

fn describe(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Answers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object mapping indicator ids to answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Answers, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(id) = m.next_key::<String>()? {
                    let v: serde_json::Value = m.next_value()?;
                    let answer = match &v {
                        serde_json::Value::String(s) => s.parse::<Answer>().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        de::Error::custom(format!(
                            "answer for `{id}`: {} is not one of \"yes\", \"no\", \"unknown\", \"declined\"",
                            describe(&v)
                        ))
                    })?;
                    if out.insert(id.clone(), answer).is_some() {
                        return Err(de::Error::custom(format!(
                            "answers: `{id}` is answered twice"
                        )));
                    }
                }
                Ok(Answers(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Overrides {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Overrides;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object mapping indicator ids to strong, medium or weak")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Overrides, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(id) = m.next_key::<String>()? {
                    let v: serde_json::Value = m.next_value()?;
                    let s = match &v {
                        serde_json::Value::String(s) => s.parse::<Strength>().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        de::Error::custom(format!(
                            "tier_overrides for `{id}`: {} is not one of \"strong\", \"medium\", \"weak\"",
                            describe(&v)
                        ))
                    })?;
                    if out.insert(id.clone(), s).is_some() {
                        return Err(de::Error::custom(format!(
                            "tier_overrides: `{id}` appears twice"
                        )));
                    }
                }
                Ok(Overrides(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for AssessRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AssessRequest;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with `answers` and optionally `instrument`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<AssessRequest, A::Error> {
                let mut req = AssessRequest::default();
                let mut seen: Vec<String> = Vec::new();
                let mut has_answers = false;
                while let Some(key) = m.next_key::<String>()? {
                    if seen.contains(&key) {
                        return Err(de::Error::custom(format!("field `{key}` appears twice")));
                    }
                    seen.push(key.clone());
                    match key.as_str() {
                        "instrument" => {
                            let v: serde_json::Value = m.next_value()?;
                            match v {
                                serde_json::Value::String(s) => req.instrument = Some(s),
                                serde_json::Value::Null => {}
                                other => {
                                    return Err(de::Error::custom(format!(
                                        "field `instrument` must be a string, found {other}"
                                    )));
                                }
                            }
                        }
                        "answers" => {
                            req.answers = m.next_value::<Answers>()?.0;
                            has_answers = true;
                        }
                        "overall_rule" => {
                            let v: serde_json::Value = m.next_value()?;
                            match v {
                                serde_json::Value::String(s) => {
                                    req.overall_rule =
                                        Some(OverallRule::parse(&s).map_err(de::Error::custom)?);
                                }
                                serde_json::Value::Null => {}
                                other => {
                                    return Err(de::Error::custom(format!(
                                        "field `overall_rule` must be a string, found {other}"
                                    )));
                                }
                            }
                        }
                        "tier_overrides" => req.tier_overrides = m.next_value::<Overrides>()?.0,
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                if !has_answers {
                    return Err(de::Error::missing_field("answers"));
                }
                Ok(req)
            }
        }
        d.deserialize_map(V)
    }
}

impl AssessRequest {
    /// Parses request JSON, with errors that name the field and the problem.
    pub fn from_json(text: &str) -> Result<AssessRequest, RequestError> {
        serde_json::from_str(text).map_err(|e| RequestError::Input(format!("input: {e}")))
    }

    /// Runs the assessment against `registry`, applying any rule and tier overrides.
    pub fn run(&self, registry: &Registry) -> Result<Assessment, RequestError> {
        let base = registry.get(self.instrument.as_deref().unwrap_or(DEFAULT_INSTRUMENT))?;
        let mut inst = if self.tier_overrides.is_empty() {
            base.clone()
        } else {
            base.with_tier_overrides(&self.tier_overrides)?
        };
        if let Some(rule) = &self.overall_rule {
            inst = inst.with_overall_rule(rule.clone());
        }
        Ok(assess(&inst, &self.answers)?)
    }
}

/// What `assess` prints: only the dimensions and the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessOutput {
    pub dimensions: BTreeMap<Dimension, DimensionOutput>,
    pub result: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionOutput {
    pub positive: bool,
    pub carried_by: Vec<String>,
}

impl From<&Assessment> for AssessOutput {
    fn from(a: &Assessment) -> Self {
        AssessOutput {
            dimensions: a
                .dimensions
                .iter()
                .map(|(d, r)| {
                    (
                        *d,
                        DimensionOutput {
                            positive: r.positive,
                            carried_by: r.carried_by.clone(),
                        },
                    )
                })
                .collect(),
            result: a.result,
        }
    }
}

/// `moei screening assess` with the built-in instruments.
pub fn run_assess(
    file: Option<&Path>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match Registry::builtin() {
        Ok(reg) => run_assess_in(&reg, file, stdin, stdout, stderr),
        Err(e) => report(stderr, EXIT_OUTPUT, e),
    }
}

/// `moei screening assess` against a given registry.
pub fn run_assess_in(
    registry: &Registry,
    file: Option<&Path>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let text = match read_input(file, stdin) {
        Ok(t) => t,
        Err(msg) => return report(stderr, EXIT_INPUT, msg),
    };
    let assessment = match AssessRequest::from_json(&text).and_then(|r| r.run(registry)) {
        Ok(a) => a,
        Err(e) => return report(stderr, EXIT_INPUT, e),
    };
    write_json(&AssessOutput::from(&assessment), stdout, stderr)
}

fn read_input(file: Option<&Path>, stdin: &mut dyn Read) -> Result<String, String> {
    let (name, mut bytes) = (
        file.map_or_else(|| "standard input".to_string(), |p| p.display().to_string()),
        Vec::new(),
    );
    let read = match file {
        Some(p) => {
            std::fs::File::open(p).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        }
        None => stdin.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes),
    };
    read.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!("{name} is larger than {MAX_INPUT_BYTES} bytes"));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8 text: {e}"))
}

fn write_json<T: Serialize>(value: &T, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let result = serde_json::to_writer_pretty(&mut *stdout, value)
        .map_err(|e| e.to_string())
        .and_then(|()| writeln!(stdout).map_err(|e| e.to_string()))
        .and_then(|()| stdout.flush().map_err(|e| e.to_string()));
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => report(stderr, EXIT_OUTPUT, format!("cannot write output: {e}")),
    }
}

fn report(stderr: &mut dyn Write, code: i32, msg: impl fmt::Display) -> i32 {
    // Nothing more can be done if stderr itself fails; the exit code still tells.
    let _ = writeln!(stderr, "error: {msg}");
    code
}
