//! Identity documents a person holds, or held until traffickers took them. A machine-readable
//! zone, typed or read by a keyboard-wedge scanner, fills the fields and is checked (ICAO 9303),
//! and every disagreement with what the person stated is shown, never silently "corrected".

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::person::{BirthDate, Person};
use crate::search::normalise;
use crate::validation::{FieldError, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    NationalId,
    SeafarerBook,
    Visa,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    OriginalSeen,
    CopyOrPhotoOnly,
    /// Taken by the employer or trafficker.
    Confiscated,
    Lost,
    None,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Passport,
        DocumentKind::NationalId,
        DocumentKind::SeafarerBook,
        DocumentKind::Visa,
        DocumentKind::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Passport => "passport",
            DocumentKind::NationalId => "national_id",
            DocumentKind::SeafarerBook => "seafarer_book",
            DocumentKind::Visa => "visa",
            DocumentKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 5] = [
        DocumentStatus::OriginalSeen,
        DocumentStatus::CopyOrPhotoOnly,
        DocumentStatus::Confiscated,
        DocumentStatus::Lost,
        DocumentStatus::None,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::OriginalSeen => "original_seen",
            DocumentStatus::CopyOrPhotoOnly => "copy_or_photo_only",
            DocumentStatus::Confiscated => "confiscated",
            DocumentStatus::Lost => "lost",
            DocumentStatus::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    pub kind: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub issuing_state: Option<String>,
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// The machine-readable zone, as typed, pasted or scanned (any line breaks).
    #[serde(default)]
    pub mrz: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A difference between the document and what the person said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub field: String,
    pub stated: String,
    pub document: String,
}

/// A validated document, with the MRZ checks when there was one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedDocument {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub number: String,
    pub issuing_state: String,
    pub expiry_date: Option<Date>,
    pub mrz: String,
    /// The `moei mrz` report of the zone (checks, warnings, errors, proposed corrections).
    pub mrz_report: Option<serde_json::Value>,
    pub mrz_valid: Option<bool>,
    pub expired: bool,
    pub disagreements: Vec<Disagreement>,
    pub notes: String,
}

/// Upper case, no spaces, fillers or dashes: the form document numbers are compared and searched in.
pub fn number_key(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn name_tokens(s: &str) -> Vec<String> {
    let mut t: Vec<String> = normalise(s)
        .split(' ')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    t.sort();
    t
}

impl DocumentInput {
    pub fn check(&self, person: &Person, today: Date) -> Result<CheckedDocument, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = match self.kind.as_deref().map(str::trim) {
            Some(k) => DocumentKind::parse(k).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "kind",
                    "invalid_kind",
                    "must be passport, national_id, seafarer_book, visa or other",
                ));
                DocumentKind::Other
            }),
            None => {
                errors.push(FieldError::new("kind", "required", "is required"));
                DocumentKind::Other
            }
        };
        let status = match self.status.as_deref().map(str::trim) {
            Some(s) => DocumentStatus::parse(s).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "status",
                    "invalid_status",
                    "must be original_seen, copy_or_photo_only, confiscated, lost or none",
                ));
                DocumentStatus::None
            }),
            None => {
                errors.push(FieldError::new("status", "required", "is required"));
                DocumentStatus::None
            }
        };
        let mut number = self.number.as_deref().unwrap_or("").trim().to_string();
        let mut issuing_state = self
            .issuing_state
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        let mut expiry_date = match self
            .expiry_date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => match s.parse::<Date>() {
                Ok(d) if s.len() == 10 => Some(d),
                _ => {
                    errors.push(FieldError::new(
                        "expiry_date",
                        "invalid_date_format",
                        "must be YYYY-MM-DD",
                    ));
                    None
                }
            },
            None => None,
        };
        if number.chars().count() > 40 {
            errors.push(FieldError::new(
                "number",
                "too_long",
                "must be at most 40 characters",
            ));
        }
        let notes: String = self
            .notes
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(2000)
            .collect();
        let mrz = self.mrz.as_deref().unwrap_or("").trim().to_string();
        if mrz.len() > 400 {
            errors.push(FieldError::new(
                "mrz",
                "too_long",
                "is longer than any machine-readable zone",
            ));
        }
        let mut disagreements = Vec::new();
        let (mut mrz_report, mut mrz_valid) = (None, None);
        if !mrz.is_empty() && mrz.len() <= 400 {
            let report = moei_mrz::parse(&mrz, today);
            mrz_valid = Some(report.is_valid());
            mrz_report = Some(report.to_json());
            if report.format().is_none() {
                errors.push(FieldError::new(
                    "mrz",
                    "unreadable_mrz",
                    "is not a machine-readable zone of any ICAO format",
                ));
            }
            // The zone fills what the officer left empty; typed values are kept and compared.
            if let Some(n) = report.document_number().filter(|n| !n.is_empty()) {
                if number.is_empty() {
                    number = n.to_string();
                } else if number_key(&number) != number_key(n) {
                    disagreements.push(Disagreement {
                        field: "number".into(),
                        stated: number.clone(),
                        document: n.to_string(),
                    });
                }
            }
            if let Some(s) = report.issuing_state().filter(|s| !s.is_empty())
                && issuing_state.is_empty()
            {
                issuing_state = s.to_string();
            }
            if expiry_date.is_none() {
                expiry_date = report.expiry_date;
            }
            let doc_name: Vec<String> = {
                let mut all = report.primary_identifier().unwrap_or_default();
                for s in report.secondary_identifiers().unwrap_or_default() {
                    all.push(' ');
                    all.push_str(&s);
                }
                name_tokens(&all)
            };
            let stated_name = name_tokens(&format!("{} {}", person.given_name, person.family_name));
            if !doc_name.is_empty() && !stated_name.is_empty() && doc_name != stated_name {
                disagreements.push(Disagreement {
                    field: "name".into(),
                    stated: format!("{} {}", person.given_name, person.family_name)
                        .trim()
                        .to_string(),
                    document: doc_name.join(" ").to_uppercase(),
                });
            }
            if let (Some(doc_dob), Some(stated)) = (report.birth_date, person.date_of_birth) {
                let agrees = match stated {
                    BirthDate::Full(d) => d == doc_dob,
                    BirthDate::Year(y) => y == doc_dob.year(),
                };
                if !agrees {
                    disagreements.push(Disagreement {
                        field: "date_of_birth".into(),
                        stated: stated.to_api_string(),
                        document: doc_dob.to_string(),
                    });
                }
            }
            if let Some(nat) = report.nationality().filter(|n| !n.is_empty())
                && nat != person.nationality
            {
                disagreements.push(Disagreement {
                    field: "nationality".into(),
                    stated: person.nationality.clone(),
                    document: nat.to_string(),
                });
            }
            if let Some(sex) = report.sex {
                let doc_sex = sex.as_str();
                if doc_sex != person.sex.as_str() && doc_sex != "X" {
                    disagreements.push(Disagreement {
                        field: "sex".into(),
                        stated: person.sex.as_str().into(),
                        document: doc_sex.into(),
                    });
                }
            }
        }
        if !issuing_state.is_empty()
            && !crate::countries::is_known(&issuing_state)
            && issuing_state != "D"
        {
            errors.push(FieldError::new(
                "issuing_state",
                "unknown_nationality",
                "is not a known state code",
            ));
        }
        let expired = expiry_date.is_some_and(|d| d < today);
        errors.into_result(CheckedDocument {
            kind,
            status,
            number,
            issuing_state,
            expiry_date,
            mrz,
            mrz_report,
            mrz_valid,
            expired,
            disagreements,
            notes,
        })
    }
}
