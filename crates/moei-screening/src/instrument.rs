//! Screening instruments: versioned data files, validated on load.
//!
//! The built-in files live in `instruments/` and are embedded in the binary; a deployment can
//! load more from a path with [`Registry::load_path`]. An instrument is either an
//! `indicator_set` (its own indicators, dimensions and overall rule) or a `module` that
//! `extends` an indicator set: each module question counts as a yes to the indicator it
//! `maps_to`, so the module adds ways of asking without double-counting any indicator.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Invalid, Problems};
use crate::model::{Dimension, ReviewState, Strength, Verification};
use crate::rule::OverallRule;

/// The instrument used when none is named.
pub const DEFAULT_INSTRUMENT: &str = "ilo-adult-labour";

/// Every indicator must carry interview text in these languages (BCP 47 tags).
pub const REQUIRED_LANGUAGES: [&str; 6] = ["en", "th", "zh-Hans", "hi", "vi", "my"];

/// The only file format this version reads.
pub const FORMAT: u32 = 1;

/// Built-in instrument files, bases before the modules that extend them.
const BUILTIN: [(&str, &str); 3] = [
    (
        "instruments/ilo-adult-labour.json",
        include_str!("../instruments/ilo-adult-labour.json"),
    ),
    (
        "instruments/ilo-child-labour.json",
        include_str!("../instruments/ilo-child-labour.json"),
    ),
    (
        "instruments/forced-criminality.json",
        include_str!("../instruments/forced-criminality.json"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    IndicatorSet,
    Module,
}

/// Who the instrument is for. Children (under 18) need no Means element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Population {
    Adult,
    Child,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub citation: String,
    pub verification: Verification,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub state: ReviewState,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionInfo {
    pub id: Dimension,
    pub name: String,
}

/// Interview text in one language, with its review state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub text: String,
    pub review: ReviewState,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    expression: String,
    verification: Verification,
    #[serde(default)]
    note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    format: u32,
    id: String,
    version: String,
    title: String,
    kind: InstrumentKind,
    #[serde(default)]
    extends: Option<String>,
    population: Population,
    source: Source,
    review: Review,
    #[serde(default)]
    overall_rule: Option<RawRule>,
    #[serde(default)]
    dimensions: Option<Vec<DimensionInfo>>,
    indicators: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    #[serde(default)]
    dimension: Option<Dimension>,
    #[serde(default)]
    strength: Option<Strength>,
    #[serde(default)]
    tier_verification: Option<Verification>,
    #[serde(default)]
    maps_to: Option<String>,
    label: String,
    #[serde(default)]
    note: Option<String>,
    text: BTreeMap<String, LocalText>,
}

/// One indicator question. Module questions carry `maps_to` and take their dimension and
/// strength from the indicator they map to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub dimension: Dimension,
    pub strength: Strength,
    /// How well the tier is established. Module questions are `U`: the mapping is Moei's own.
    pub tier_verification: Verification,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Interview text by language tag.
    pub text: BTreeMap<String, LocalText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maps_to: Option<String>,
}

impl Indicator {
    /// English interview text (always present: checked on load).
    pub fn english(&self) -> &str {
        self.text.get("en").map_or("", |t| t.text.as_str())
    }
}

/// A validated instrument, ready to assess answers against.
#[derive(Debug, Clone, Serialize)]
pub struct Instrument {
    id: String,
    version: String,
    title: String,
    kind: InstrumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    extends: Option<String>,
    population: Population,
    source: Source,
    review: Review,
    overall_rule: OverallRule,
    rule_verification: Verification,
    rule_note: String,
    dimensions: Vec<DimensionInfo>,
    /// For a module: the base indicators first, then the module's own questions.
    indicators: Vec<Indicator>,
    /// Tiers changed from the data file, kept so every assessment can show them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tier_overrides: BTreeMap<String, Strength>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

/// Why an instrument could not be loaded, found or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error("{origin}: not a valid instrument file: {message}")]
    Parse { origin: String, message: String },
    #[error("{origin}: {errors}")]
    Invalid { origin: String, errors: Invalid },
    #[error("cannot read instrument file {path}: {message}")]
    Read { path: String, message: String },
    #[error("unknown instrument `{id}`; known instruments: {}", known.join(", "))]
    Unknown { id: String, known: Vec<String> },
    #[error("instrument `{id}` is already loaded; give a changed file a new id")]
    Duplicate { id: String },
    #[error("tier override for `{id}`: {problem}")]
    Override { id: String, problem: String },
}

fn valid_instrument_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn valid_indicator_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn valid_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

fn check_texts(p: &mut Problems, field: &str, text: &BTreeMap<String, LocalText>) {
    for lang in REQUIRED_LANGUAGES {
        if !text.contains_key(lang) {
            p.push(
                format!("{field}.text"),
                format!("interview text in `{lang}` is missing"),
            );
        }
    }
    for (lang, t) in text {
        if !valid_language_tag(lang) {
            p.push(
                format!("{field}.text"),
                format!("`{lang}` is not a language tag such as `th` or `zh-Hans`"),
            );
        }
        p.require_text(format!("{field}.text.{lang}.text"), &t.text);
    }
}

impl Instrument {
    /// Loads an indicator set from JSON. `origin` names the file in error messages.
    /// Modules need their base: load them through a [`Registry`].
    pub fn from_json(origin: &str, json: &str) -> Result<Instrument, InstrumentError> {
        let raw = parse_raw(origin, json)?;
        build(origin, raw, None)
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn version(&self) -> &str {
        &self.version
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn kind(&self) -> InstrumentKind {
        self.kind
    }
    /// The indicator set a module extends.
    pub fn extends(&self) -> Option<&str> {
        self.extends.as_deref()
    }
    pub fn population(&self) -> Population {
        self.population
    }
    pub fn source(&self) -> &Source {
        &self.source
    }
    pub fn review(&self) -> &Review {
        &self.review
    }
    pub fn overall_rule(&self) -> &OverallRule {
        &self.overall_rule
    }
    pub fn rule_verification(&self) -> Verification {
        self.rule_verification
    }
    pub fn rule_note(&self) -> &str {
        &self.rule_note
    }
    pub fn dimensions(&self) -> &[DimensionInfo] {
        &self.dimensions
    }
    /// All questions that can be answered, in instrument order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.index.get(id).and_then(|&i| self.indicators.get(i))
    }
    pub fn tier_overrides(&self) -> &BTreeMap<String, Strength> {
        &self.tier_overrides
    }

    /// A copy with some indicator tiers changed, e.g. the two disputed D3 indicators set to
    /// weak. Module questions cannot be overridden: override the indicator they map to.
    pub fn with_tier_overrides(
        &self,
        overrides: &BTreeMap<String, Strength>,
    ) -> Result<Instrument, InstrumentError> {
        let mut out = self.clone();
        for (id, &strength) in overrides {
            let Some(&i) = out.index.get(id) else {
                return Err(InstrumentError::Override {
                    id: id.clone(),
                    problem: format!("no such indicator in `{}`", self.id),
                });
            };
            let Some(ind) = out.indicators.get_mut(i) else {
                continue;
            };
            if let Some(target) = &ind.maps_to {
                return Err(InstrumentError::Override {
                    id: id.clone(),
                    problem: format!(
                        "this module question takes its tier from `{target}`; override that instead"
                    ),
                });
            }
            ind.strength = strength;
            out.tier_overrides.insert(id.clone(), strength);
        }
        // Module questions follow the (possibly changed) tier of their target.
        let tiers: BTreeMap<String, Strength> = out
            .indicators
            .iter()
            .filter(|i| i.maps_to.is_none())
            .map(|i| (i.id.clone(), i.strength))
            .collect();
        for ind in &mut out.indicators {
            if let Some(s) = ind.maps_to.as_ref().and_then(|t| tiers.get(t)) {
                ind.strength = *s;
            }
        }
        Ok(out)
    }

    /// A copy that uses another overall rule.
    pub fn with_overall_rule(&self, rule: OverallRule) -> Instrument {
        let mut out = self.clone();
        out.overall_rule = rule;
        out
    }
}

fn parse_raw(origin: &str, json: &str) -> Result<RawInstrument, InstrumentError> {
    serde_json::from_str(json).map_err(|e| InstrumentError::Parse {
        origin: origin.to_string(),
        message: e.to_string(),
    })
}

fn build(
    origin: &str,
    raw: RawInstrument,
    base: Option<&Instrument>,
) -> Result<Instrument, InstrumentError> {
    let mut p = Problems::default();
    let invalid = |errors| InstrumentError::Invalid {
        origin: origin.to_string(),
        errors,
    };
    if raw.format != FORMAT {
        p.push(
            "format",
            format!(
                "unsupported format {}; this version reads format {FORMAT}",
                raw.format
            ),
        );
    }
    if !valid_instrument_id(&raw.id) {
        p.push(
            "id",
            format!(
                "`{}` is not a valid id: use 1 to 64 lowercase letters, digits and `-`",
                raw.id
            ),
        );
    }
    p.require_text("version", &raw.version);
    p.require_text("title", &raw.title);
    p.require_text("source.citation", &raw.source.citation);
    if raw.indicators.is_empty() {
        p.push("indicators", "must list at least one indicator");
    }

    let (rule, dimensions) = match raw.kind {
        InstrumentKind::IndicatorSet => {
            if raw.extends.is_some() {
                p.push("extends", "only a module may extend another instrument");
            }
            let rule = match &raw.overall_rule {
                None => {
                    p.push("overall_rule", "an indicator set needs an overall rule");
                    None
                }
                Some(r) => match OverallRule::parse(&r.expression) {
                    Ok(rule) => Some((rule, r.verification, r.note.clone())),
                    Err(e) => {
                        p.push("overall_rule.expression", e.to_string());
                        None
                    }
                },
            };
            let dims = raw.dimensions.clone().unwrap_or_default();
            let listed: BTreeSet<Dimension> = dims.iter().map(|d| d.id).collect();
            if dims.len() != 6 || listed.len() != 6 {
                p.push("dimensions", "must list each of D1 to D6 exactly once");
            }
            for (i, d) in dims.iter().enumerate() {
                p.require_text(format!("dimensions[{i}].name"), &d.name);
            }
            (rule, dims)
        }
        InstrumentKind::Module => {
            if raw.overall_rule.is_some() {
                p.push(
                    "overall_rule",
                    "a module uses the overall rule of the instrument it extends",
                );
            }
            if raw.dimensions.is_some() {
                p.push(
                    "dimensions",
                    "a module uses the dimensions of the instrument it extends",
                );
            }
            match (&raw.extends, base) {
                (None, _) => {
                    p.push("extends", "a module must name the instrument it extends");
                    (None, Vec::new())
                }
                (Some(want), None) => {
                    p.push(
                        "extends",
                        format!("instrument `{want}` is not loaded; load it before this module"),
                    );
                    (None, Vec::new())
                }
                (Some(want), Some(b)) => {
                    if b.id != *want {
                        p.push(
                            "extends",
                            format!("expected base `{want}`, was given `{}`", b.id),
                        );
                    }
                    if b.kind != InstrumentKind::IndicatorSet {
                        p.push("extends", "a module can only extend an indicator set");
                    }
                    if b.population != raw.population {
                        p.push(
                            "population",
                            "must match the population of the instrument it extends",
                        );
                    }
                    (
                        Some((
                            b.overall_rule.clone(),
                            b.rule_verification,
                            b.rule_note.clone(),
                        )),
                        b.dimensions.clone(),
                    )
                }
            }
        }
    };

    // Base indicators first, so a module's assessment sees every answerable question.
    let mut indicators: Vec<Indicator> = match (raw.kind, base) {
        (InstrumentKind::Module, Some(b)) => b
            .indicators
            .iter()
            .filter(|i| i.maps_to.is_none())
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let mut seen: BTreeSet<String> = indicators.iter().map(|i| i.id.clone()).collect();
    let base_ids = seen.clone();

    for (n, r) in raw.indicators.into_iter().enumerate() {
        let field = format!("indicators[{n}]");
        if !valid_indicator_id(&r.id) {
            p.push(
                format!("{field}.id"),
                format!(
                    "`{}` is not a valid id: use letters, digits, `.`, `_` and `-`",
                    r.id
                ),
            );
        } else if !seen.insert(r.id.clone()) {
            p.push(format!("{field}.id"), format!("`{}` is used twice", r.id));
        }
        p.require_text(format!("{field}.label"), &r.label);
        check_texts(&mut p, &field, &r.text);

        let resolved = match raw.kind {
            InstrumentKind::IndicatorSet => {
                if r.maps_to.is_some() {
                    p.push(
                        format!("{field}.maps_to"),
                        "only module questions map to another indicator",
                    );
                }
                match (r.dimension, r.strength, r.tier_verification) {
                    (Some(d), Some(s), Some(v)) => {
                        // An id segment such as `D3` must agree with the dimension.
                        if let Some(seg) =
                            r.id.split('.')
                                .find(|seg| seg.parse::<Dimension>().is_ok() && seg.len() == 2)
                            && !seg.eq_ignore_ascii_case(d.as_str())
                        {
                            p.push(
                                format!("{field}.id"),
                                format!("`{}` names {seg} but its dimension is {d}", r.id),
                            );
                        }
                        Some((d, s, v))
                    }
                    (d, s, v) => {
                        for (name, missing) in [
                            ("dimension", d.is_none()),
                            ("strength", s.is_none()),
                            ("tier_verification", v.is_none()),
                        ] {
                            if missing {
                                p.push(format!("{field}.{name}"), "is required");
                            }
                        }
                        None
                    }
                }
            }
            InstrumentKind::Module => {
                if r.strength.is_some() || r.tier_verification.is_some() {
                    p.push(
                        format!("{field}.strength"),
                        "a module question takes its tier from the indicator it maps to",
                    );
                }
                if base_ids.contains(&r.id) {
                    p.push(
                        format!("{field}.id"),
                        format!("`{}` is already an indicator of the base instrument", r.id),
                    );
                }
                match (&r.maps_to, base) {
                    (None, _) => {
                        p.push(format!("{field}.maps_to"), "is required in a module");
                        None
                    }
                    (Some(_), None) => None,
                    (Some(t), Some(b)) => match b.indicator(t) {
                        Some(target) if target.maps_to.is_none() => {
                            if let Some(d) = r.dimension
                                && d != target.dimension
                            {
                                p.push(
                                    format!("{field}.dimension"),
                                    format!("is {d} but `{t}` belongs to {}", target.dimension),
                                );
                            }
                            Some((target.dimension, target.strength, Verification::U))
                        }
                        _ => {
                            p.push(
                                format!("{field}.maps_to"),
                                format!("`{t}` is not an indicator of `{}`", b.id),
                            );
                            None
                        }
                    },
                }
            }
        };
        if let Some((dimension, strength, tier_verification)) = resolved {
            indicators.push(Indicator {
                id: r.id,
                dimension,
                strength,
                tier_verification,
                label: r.label,
                note: r.note,
                text: r.text,
                maps_to: r.maps_to,
            });
        }
    }

    p.finish().map_err(invalid)?;
    let Some((overall_rule, rule_verification, rule_note)) = rule else {
        // Unreachable in practice: a missing rule was recorded as a problem above.
        return Err(invalid(Invalid(vec![crate::error::FieldError::new(
            "overall_rule",
            "no overall rule could be determined",
        )])));
    };
    let index = indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.id.clone(), i))
        .collect();
    Ok(Instrument {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        kind: raw.kind,
        extends: raw.extends,
        population: raw.population,
        source: raw.source,
        review: raw.review,
        overall_rule,
        rule_verification,
        rule_note,
        dimensions,
        indicators,
        tier_overrides: BTreeMap::new(),
        index,
    })
}

/// The instruments a deployment knows, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    instruments: Vec<Instrument>,
}

impl Registry {
    /// The built-in instruments: `ilo-adult-labour`, `ilo-child-labour`, `forced-criminality`.
    pub fn builtin() -> Result<Registry, InstrumentError> {
        let mut r = Registry::default();
        for (origin, json) in BUILTIN {
            r.add_json(origin, json)?;
        }
        Ok(r)
    }

    /// Adds an instrument from JSON text. A module's base must already be loaded.
    pub fn add_json(&mut self, origin: &str, json: &str) -> Result<&Instrument, InstrumentError> {
        let raw = parse_raw(origin, json)?;
        if self.instruments.iter().any(|i| i.id == raw.id) {
            return Err(InstrumentError::Duplicate { id: raw.id });
        }
        let base = match (&raw.kind, &raw.extends) {
            (InstrumentKind::Module, Some(b)) => self.instruments.iter().find(|i| i.id == *b),
            _ => None,
        };
        let inst = build(origin, raw, base)?;
        self.instruments.push(inst);
        self.instruments
            .last()
            .ok_or_else(|| InstrumentError::Unknown {
                id: String::new(),
                known: Vec::new(),
            })
    }

    /// Adds an instrument from a JSON file.
    pub fn load_path(&mut self, path: &Path) -> Result<&Instrument, InstrumentError> {
        let shown = path.display().to_string();
        let json = std::fs::read_to_string(path).map_err(|e| InstrumentError::Read {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        self.add_json(&shown, &json)
    }

    /// Finds an instrument; the error lists the known ids.
    pub fn get(&self, id: &str) -> Result<&Instrument, InstrumentError> {
        self.instruments
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| InstrumentError::Unknown {
                id: id.to_string(),
                known: self.ids().into_iter().map(String::from).collect(),
            })
    }

    /// Known ids, in loading order.
    pub fn ids(&self) -> Vec<&str> {
        self.instruments.iter().map(|i| i.id.as_str()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Instrument> {
        self.instruments.iter()
    }
}
