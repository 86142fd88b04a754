//! A registered person: what the desk records first ("token first, details later") and what
//! other roles add later. Names are kept as the person gives them, in the original script and
//! in Latin letters; nothing is "corrected" away.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::countries;
use crate::registration_number::RegistrationNumber;
use crate::validation::{FieldError, ValidationErrors};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 4000;
pub const MAX_LANGUAGES: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
    /// Unspecified or other, as ICAO 9303 allows.
    X,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::F => "F",
            Sex::M => "M",
            Sex::X => "X",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "F" | "f" => Some(Sex::F),
            "M" | "m" => Some(Sex::M),
            "X" | "x" => Some(Sex::X),
            _ => None,
        }
    }
}

/// People often know only their year of birth; some know nothing and an age is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthDate {
    Full(Date),
    Year(i16),
}

impl BirthDate {
    /// `YYYY-MM-DD` or `YYYY`.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            let year: i16 = s.parse().map_err(|_| "invalid_year")?;
            return Ok(BirthDate::Year(year));
        }
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err("invalid_date_format");
        }
        s.parse::<Date>()
            .map(BirthDate::Full)
            .map_err(|_| "impossible_date")
    }

    pub fn year(self) -> i16 {
        match self {
            BirthDate::Full(d) => d.year(),
            BirthDate::Year(y) => y,
        }
    }

    pub fn to_api_string(self) -> String {
        match self {
            BirthDate::Full(d) => d.to_string(),
            BirthDate::Year(y) => format!("{y:04}"),
        }
    }
}

impl Serialize for BirthDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_api_string())
    }
}

impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BirthDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Immediate needs flagged at the desk and referred to protection staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    Injured,
    Medical,
    Minor,
    Pregnant,
    Unaccompanied,
}

impl Need {
    pub const ALL: [Need; 5] = [
        Need::Injured,
        Need::Medical,
        Need::Minor,
        Need::Pregnant,
        Need::Unaccompanied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Need::Injured => "injured",
            Need::Medical => "medical",
            Need::Minor => "minor",
            Need::Pregnant => "pregnant",
            Need::Unaccompanied => "unaccompanied",
        }
    }

    pub fn parse(s: &str) -> Option<Need> {
        Need::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// What a client sends to register a person. Only sex and nationality are required at the desk:
/// a person who gives no name is still registered (and gets a number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[serde(default)]
    pub arrival_group_id: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
    #[serde(default)]
    pub name_original_script: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub estimated_age: Option<i64>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub has_identity_document: Option<bool>,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A validated registration, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    pub arrival_group_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub name_original_script: String,
    pub sex: Sex,
    pub date_of_birth: Option<BirthDate>,
    pub estimated_age: Option<u8>,
    pub nationality: String,
    pub languages: Vec<String>,
    pub has_identity_document: bool,
    pub needs: Vec<Need>,
    pub notes: String,
}

/// A stored person as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: String,
    pub registration_number: RegistrationNumber,
    pub arrival_group_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub name_original_script: String,
    pub sex: Sex,
    pub date_of_birth: Option<BirthDate>,
    pub estimated_age: Option<u8>,
    pub nationality: String,
    pub languages: Vec<String>,
    pub has_identity_document: bool,
    pub needs: Vec<Need>,
    pub has_photo: bool,
    pub photo_sha256: Option<String>,
    pub notes: String,
    pub version: i64,
    pub registered_at: jiff::Timestamp,
    pub registered_by: String,
    pub updated_at: jiff::Timestamp,
}

/// A partial update: a field that is absent is left as it is; `null` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    #[serde(default, with = "patch_field")]
    pub given_name: Option<Option<String>>,
    #[serde(default, with = "patch_field")]
    pub family_name: Option<Option<String>>,
    #[serde(default, with = "patch_field")]
    pub name_original_script: Option<Option<String>>,
    #[serde(default, with = "patch_field")]
    pub sex: Option<Option<String>>,
    #[serde(default, with = "patch_field")]
    pub date_of_birth: Option<Option<String>>,
    #[serde(default, with = "patch_field")]
    pub estimated_age: Option<Option<i64>>,
    #[serde(default, with = "patch_field")]
    pub nationality: Option<Option<String>>,
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    #[serde(default, with = "patch_field")]
    pub has_identity_document: Option<Option<bool>>,
    #[serde(default)]
    pub needs: Option<Vec<String>>,
    #[serde(default, with = "patch_field")]
    pub notes: Option<Option<String>>,
    /// Optimistic concurrency: the version the client last saw.
    #[serde(default)]
    pub expected_version: Option<i64>,
}

mod patch_field {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

fn clean_text(
    field: &str,
    value: Option<&str>,
    max: usize,
    errors: &mut ValidationErrors,
) -> String {
    let Some(v) = value else { return String::new() };
    let v = v.trim();
    if v.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        ));
        return String::new();
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors.push(FieldError::new(
            field,
            "control_characters",
            "contains control characters",
        ));
        return String::new();
    }
    v.to_string()
}

fn check_language(code: &str) -> bool {
    // ISO 639-1 (two letters) or 639-2/3 (three letters), optionally with a script or region
    // subtag (zh-Hans, my-MM): we store the tag the interpreter roster uses.
    let mut parts = code.split('-');
    let Some(lang) = parts.next() else {
        return false;
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub struct ValidatedFields {
    pub sex: Option<Sex>,
    pub date_of_birth: Option<Option<BirthDate>>,
    pub estimated_age: Option<Option<u8>>,
    pub nationality: Option<String>,
    pub languages: Option<Vec<String>>,
    pub needs: Option<Vec<Need>>,
}

fn validate_sex(v: &str, errors: &mut ValidationErrors) -> Option<Sex> {
    let s = Sex::parse(v);
    if s.is_none() {
        errors.push(FieldError::new("sex", "invalid_sex", "must be F, M or X"));
    }
    s
}

fn validate_dob(v: &str, today: Date, errors: &mut ValidationErrors) -> Option<BirthDate> {
    match BirthDate::parse(v) {
        Ok(d) => {
            let too_old = d.year() < today.year() - 120;
            let future = match d {
                BirthDate::Full(date) => date > today,
                BirthDate::Year(y) => y > today.year(),
            };
            if future {
                errors.push(FieldError::new(
                    "date_of_birth",
                    "date_in_future",
                    "is in the future",
                ));
                None
            } else if too_old {
                errors.push(FieldError::new(
                    "date_of_birth",
                    "date_too_old",
                    "is more than 120 years ago",
                ));
                None
            } else {
                Some(d)
            }
        }
        Err(code) => {
            errors.push(FieldError::new(
                "date_of_birth",
                code,
                "must be a real date as YYYY-MM-DD, or a year as YYYY",
            ));
            None
        }
    }
}

fn validate_age(v: i64, errors: &mut ValidationErrors) -> Option<u8> {
    if (0..=120).contains(&v) {
        Some(v as u8)
    } else {
        errors.push(FieldError::new(
            "estimated_age",
            "out_of_range",
            "must be between 0 and 120",
        ));
        None
    }
}

fn validate_nationality(v: &str, errors: &mut ValidationErrors) -> Option<String> {
    let code = v.trim().to_ascii_uppercase();
    if countries::is_known(&code) {
        Some(code)
    } else {
        errors.push(FieldError::new(
            "nationality",
            "unknown_nationality",
            "must be an ISO 3166-1 alpha-3 code or one of ICAO's XXA, XXB, XXC, XXX",
        ));
        None
    }
}

fn validate_languages(v: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    if v.len() > MAX_LANGUAGES {
        errors.push(FieldError::new(
            "languages",
            "too_many",
            "at most 12 languages",
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for l in v {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if !check_language(l) {
            errors.push(FieldError::new(
                "languages",
                "invalid_language",
                format!(
                    "'{}' is not a language tag such as en, th, my or zh-Hans",
                    l.chars().take(20).collect::<String>()
                ),
            ));
        } else if !out.iter().any(|o: &String| o == l) {
            out.push(l.to_string());
        }
    }
    out
}

fn validate_needs(v: &[String], errors: &mut ValidationErrors) -> Vec<Need> {
    let mut out = Vec::new();
    for n in v {
        match Need::parse(n.trim()) {
            Some(need) if !out.contains(&need) => out.push(need),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "needs",
                "invalid_need",
                "each need must be one of injured, medical, minor, pregnant, unaccompanied",
            )),
        }
    }
    out.sort();
    out
}

impl PersonInput {
    /// Checks every field and reports every problem at once, so a clerk fixes them in one pass.
    pub fn validate(&self, today: Date) -> Result<NewPerson, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let given_name = clean_text(
            "given_name",
            self.given_name.as_deref(),
            MAX_NAME_CHARS,
            &mut errors,
        );
        let family_name = clean_text(
            "family_name",
            self.family_name.as_deref(),
            MAX_NAME_CHARS,
            &mut errors,
        );
        let name_original_script = clean_text(
            "name_original_script",
            self.name_original_script.as_deref(),
            MAX_NAME_CHARS,
            &mut errors,
        );
        let notes = clean_text("notes", self.notes.as_deref(), MAX_NOTES_CHARS, &mut errors);
        let sex = match self.sex.as_deref() {
            Some(s) => validate_sex(s, &mut errors),
            None => {
                errors.push(FieldError::new(
                    "sex",
                    "required",
                    "is required (F, M or X)",
                ));
                None
            }
        };
        let date_of_birth = self
            .date_of_birth
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| validate_dob(s, today, &mut errors));
        let estimated_age = self
            .estimated_age
            .and_then(|a| validate_age(a, &mut errors));
        let nationality = match self.nationality.as_deref() {
            Some(n) => validate_nationality(n, &mut errors),
            None => {
                errors.push(FieldError::new(
                    "nationality",
                    "required",
                    "is required (use XXX when unknown)",
                ));
                None
            }
        };
        let languages = validate_languages(&self.languages, &mut errors);
        let needs = validate_needs(&self.needs, &mut errors);
        if let Some(g) = &self.arrival_group_id
            && g.len() > 64
        {
            errors.push(FieldError::new(
                "arrival_group_id",
                "invalid_id",
                "is not an id",
            ));
        }
        match (sex, nationality) {
            (Some(sex), Some(nationality)) if errors.is_empty() => Ok(NewPerson {
                arrival_group_id: self.arrival_group_id.clone().filter(|g| !g.is_empty()),
                given_name,
                family_name,
                name_original_script,
                sex,
                date_of_birth,
                estimated_age,
                nationality,
                languages,
                has_identity_document: self.has_identity_document.unwrap_or(false),
                needs,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

impl PersonPatch {
    pub fn is_empty(&self) -> bool {
        self.given_name.is_none()
            && self.family_name.is_none()
            && self.name_original_script.is_none()
            && self.sex.is_none()
            && self.date_of_birth.is_none()
            && self.estimated_age.is_none()
            && self.nationality.is_none()
            && self.languages.is_none()
            && self.has_identity_document.is_none()
            && self.needs.is_none()
            && self.notes.is_none()
    }

    /// Applies the patch to a copy of `person`, validating each changed field.
    pub fn apply(&self, person: &Person, today: Date) -> Result<Person, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut p = person.clone();
        let text = |field: &str,
                    v: &Option<Option<String>>,
                    max: usize,
                    cur: &mut String,
                    errors: &mut ValidationErrors| {
            if let Some(v) = v {
                *cur = clean_text(field, v.as_deref(), max, errors);
            }
        };
        text(
            "given_name",
            &self.given_name,
            MAX_NAME_CHARS,
            &mut p.given_name,
            &mut errors,
        );
        text(
            "family_name",
            &self.family_name,
            MAX_NAME_CHARS,
            &mut p.family_name,
            &mut errors,
        );
        text(
            "name_original_script",
            &self.name_original_script,
            MAX_NAME_CHARS,
            &mut p.name_original_script,
            &mut errors,
        );
        text(
            "notes",
            &self.notes,
            MAX_NOTES_CHARS,
            &mut p.notes,
            &mut errors,
        );
        if let Some(v) = &self.sex {
            match v {
                Some(s) => {
                    if let Some(s) = validate_sex(s, &mut errors) {
                        p.sex = s;
                    }
                }
                None => errors.push(FieldError::new(
                    "sex",
                    "required",
                    "cannot be cleared; use X",
                )),
            }
        }
        if let Some(v) = &self.date_of_birth {
            p.date_of_birth = match v.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => validate_dob(s, today, &mut errors),
                None => None,
            };
        }
        if let Some(v) = &self.estimated_age {
            p.estimated_age = v.and_then(|a| validate_age(a, &mut errors));
        }
        if let Some(v) = &self.nationality {
            match v {
                Some(n) => {
                    if let Some(n) = validate_nationality(n, &mut errors) {
                        p.nationality = n;
                    }
                }
                None => errors.push(FieldError::new(
                    "nationality",
                    "required",
                    "cannot be cleared; use XXX when unknown",
                )),
            }
        }
        if let Some(v) = &self.languages {
            p.languages = validate_languages(v, &mut errors);
        }
        if let Some(v) = &self.has_identity_document {
            p.has_identity_document = v.unwrap_or(false);
        }
        if let Some(v) = &self.needs {
            p.needs = validate_needs(v, &mut errors);
        }
        errors.into_result(p)
    }
}

/// The fields that differ between two versions of a person, for the history.
pub fn diff(before: &Person, after: &Person) -> serde_json::Map<String, serde_json::Value> {
    let b = serde_json::to_value(before).unwrap_or_default();
    let a = serde_json::to_value(after).unwrap_or_default();
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, av) in a {
            if matches!(k.as_str(), "version" | "updated_at") {
                continue;
            }
            let bv = b.get(k).cloned().unwrap_or(serde_json::Value::Null);
            if &bv != av {
                out.insert(k.clone(), serde_json::json!({ "from": bv, "to": av }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2025, 10, 24)
    }

    fn input() -> PersonInput {
        PersonInput {
            given_name: Some("Rajesh".into()),
            family_name: Some("Kumar".into()),
            name_original_script: Some("राजेश कुमार".into()),
            sex: Some("M".into()),
            date_of_birth: Some("1996-02-29".into()),
            nationality: Some("ind".into()),
            languages: vec!["hi".into(), "en".into()],
            needs: vec!["injured".into()],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_is_normalised() {
        let p = input().validate(today()).unwrap();
        assert_eq!(p.nationality, "IND");
        assert_eq!(
            p.date_of_birth,
            Some(BirthDate::Full(jiff::civil::date(1996, 2, 29)))
        );
        assert_eq!(p.needs, vec![Need::Injured]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = PersonInput {
            sex: Some("Q".into()),
            date_of_birth: Some("1995-02-29".into()),
            nationality: Some("ZZZ".into()),
            languages: vec!["English!".into()],
            needs: vec!["hungry".into()],
            estimated_age: Some(300),
            ..Default::default()
        };
        let errs = bad.validate(today()).unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "sex",
            "date_of_birth",
            "nationality",
            "languages",
            "needs",
            "estimated_age",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(errs.0.iter().any(|e| e.code == "impossible_date"));
    }

    #[test]
    fn future_and_year_only_dates() {
        let mut i = input();
        i.date_of_birth = Some("2030-01-01".into());
        assert_eq!(i.validate(today()).unwrap_err().0[0].code, "date_in_future");
        i.date_of_birth = Some("1990".into());
        assert_eq!(
            i.validate(today()).unwrap().date_of_birth,
            Some(BirthDate::Year(1990))
        );
    }

    proptest::proptest! {
        #[test]
        fn validation_never_panics(given in "\\PC{0,50}", dob in "\\PC{0,12}", nat in "\\PC{0,4}", sex in "\\PC{0,2}", age in proptest::num::i64::ANY) {
            let input = PersonInput {
                given_name: Some(given),
                date_of_birth: Some(dob),
                nationality: Some(nat),
                sex: Some(sex),
                estimated_age: Some(age),
                ..Default::default()
            };
            let _ = input.validate(today());
        }

        #[test]
        fn birth_dates_round_trip(y in 1900i16..2025, m in 1i8..=12, d in 1i8..=28) {
            let date = jiff::civil::date(y, m, d);
            let parsed = BirthDate::parse(&date.to_string()).unwrap();
            proptest::prop_assert_eq!(parsed, BirthDate::Full(date));
            proptest::prop_assert_eq!(BirthDate::parse(&parsed.to_api_string()).unwrap(), parsed);
        }
    }

    #[test]
    fn stateless_and_unknown_codes_are_accepted() {
        for code in ["XXA", "XXB", "XXC", "XXX"] {
            let mut i = input();
            i.nationality = Some(code.into());
            assert!(i.validate(today()).is_ok(), "{code}");
        }
    }
}
