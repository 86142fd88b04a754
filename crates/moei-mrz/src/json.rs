//! The one-object-per-zone JSON shape of `moei mrz`.

use serde_json::{Map, Value, json};

use crate::report::{CheckDigit, Issue, Proposal, Report};

/// The keys of every object, in output order.
pub const JSON_KEYS: [&str; 16] = [
    "format",
    "document_code",
    "issuing_state",
    "primary_identifier",
    "secondary_identifiers",
    "document_number",
    "nationality",
    "birth_date",
    "expiry_date",
    "sex",
    "optional_data",
    "checks",
    "valid",
    "corrections",
    "warnings",
    "errors",
];

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_owned()))
}

fn check(c: Option<CheckDigit>) -> Value {
    c.map_or(Value::Null, |c| Value::Bool(c.ok))
}

fn issue(i: &Issue) -> Value {
    json!({
        "code": i.code.as_str(),
        "field": i.field.map(|f| f.as_str()),
        "line": i.position.map(|p| p.line),
        "column": i.position.map(|p| p.column),
        "message": i.message,
    })
}

fn proposal(p: &Proposal) -> Value {
    json!({
        "changes": p.changes.iter().map(|c| json!({
            "line": c.position.line,
            "column": c.position.column,
            "from": c.from.to_string(),
            "to": c.to.to_string(),
        })).collect::<Vec<_>>(),
        "mrz": p.mrz,
    })
}

impl Report {
    /// The JSON object printed by `moei mrz`: exactly the keys of [`JSON_KEYS`].
    /// Fields of a zone that could not be found are `null`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("format".into(), opt_str(self.format().map(|f| f.as_str())));
        m.insert("document_code".into(), opt_str(self.document_code()));
        m.insert("issuing_state".into(), opt_str(self.issuing_state()));
        m.insert(
            "primary_identifier".into(),
            self.primary_identifier().map_or(Value::Null, Value::String),
        );
        m.insert(
            "secondary_identifiers".into(),
            self.secondary_identifiers()
                .map_or(Value::Null, |s| Value::String(s.join(" "))),
        );
        m.insert("document_number".into(), opt_str(self.document_number()));
        m.insert("nationality".into(), opt_str(self.nationality()));
        m.insert(
            "birth_date".into(),
            self.birth_date
                .map_or(Value::Null, |d| Value::String(d.to_string())),
        );
        m.insert(
            "expiry_date".into(),
            self.expiry_date
                .map_or(Value::Null, |d| Value::String(d.to_string())),
        );
        m.insert("sex".into(), opt_str(self.sex.map(|s| s.as_str())));
        m.insert(
            "optional_data".into(),
            self.optional_data().map_or(Value::Null, Value::String),
        );
        m.insert(
            "checks".into(),
            json!({
                "document_number": check(self.checks.document_number),
                "birth_date": check(self.checks.birth_date),
                "expiry_date": check(self.checks.expiry_date),
                "optional_data": check(self.checks.optional_data),
                "composite": check(self.checks.composite),
            }),
        );
        m.insert("valid".into(), Value::Bool(self.is_valid()));
        m.insert(
            "corrections".into(),
            Value::Array(self.corrections.iter().map(proposal).collect()),
        );
        m.insert(
            "warnings".into(),
            Value::Array(self.warnings.iter().map(issue).collect()),
        );
        m.insert(
            "errors".into(),
            Value::Array(self.errors.iter().map(issue).collect()),
        );
        Value::Object(m)
    }
}
