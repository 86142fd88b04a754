//! Export of determined cases in the Human Trafficking Case Data Standard (HTCDS v2.0).
//!
//! HTCDS has no forced-criminality value (its issue #28 is open), so forced criminality goes
//! out as `vic_TypeOfExploitation = Other` with Moei's sub-type in `moei_ExploitationSubType`.
//! Columns not defined by HTCDS carry the `moei_` prefix. Multi-select values are joined
//! with `;`.

use std::io::Write;
use std::path::Path;

use jiff::civil::Date;
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Invalid};
use crate::mdt::{Decision, Determination, Exploitation};
use crate::model::Sex;

/// The export columns, in order.
pub const HTCDS_HEADERS: [&str; 13] = [
    "moei_CaseId",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "moei_ExploitationSubType",
    "moei_Decision",
    "moei_DeterminationDate",
    "moei_ReviewDate",
];

/// One export row: (header, value) pairs in [`HTCDS_HEADERS`] order.
pub type HtcdsRow = Vec<(&'static str, String)>;

/// Who made the trafficking-status decision, in HTCDS terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionMakingOrg {
    Police,
    Ngo,
    CourtOrProsecution,
    NonPoliceGovernmentalOrganization,
    Other,
}

impl DecisionMakingOrg {
    pub fn htcds(self) -> &'static str {
        match self {
            DecisionMakingOrg::Police => "Police",
            DecisionMakingOrg::Ngo => "NGO",
            DecisionMakingOrg::CourtOrProsecution => "CourtOrProsecution",
            DecisionMakingOrg::NonPoliceGovernmentalOrganization => {
                "NonPoliceGovernmentalOrganization"
            }
            DecisionMakingOrg::Other => "Other",
        }
    }
}

/// A determined case, ready for export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtcdsCase {
    pub case_id: String,
    pub first_name: String,
    pub second_name: String,
    #[serde(default)]
    pub birthdate: Option<Date>,
    #[serde(default)]
    pub sex: Option<Sex>,
    /// ISO 3166 country codes (alpha-3 as read from travel documents, or alpha-2).
    #[serde(default)]
    pub citizenship: Vec<String>,
    pub decision_making_org: DecisionMakingOrg,
    pub determination: Determination,
}

/// HTCDS `prs_Gender` from document sex. `X` (unspecified) and missing map to
/// `NonSpecifiedUnknown`: a document marker says nothing about gender identity.
pub fn htcds_gender(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::F) => "Feminine",
        Some(Sex::M) => "Masculine",
        Some(Sex::X) | None => "NonSpecifiedUnknown",
    }
}

/// HTCDS `vic_TraffickingStatus`. A forced-labour victim is not an identified trafficking
/// victim, so it goes out as `PossibleVictimOfTrafficking`; `moei_Decision` keeps the detail.
pub fn htcds_trafficking_status(d: Decision) -> &'static str {
    match d {
        Decision::VictimOfTrafficking => "ActualVictimOfTrafficking",
        Decision::VictimOfForcedLabour => "PossibleVictimOfTrafficking",
        Decision::NotVictimIrregularMigrant | Decision::SuspectedOffender => {
            "NotAVictimOfTrafficking"
        }
    }
}

/// HTCDS `vic_TypeOfExploitation` value and Moei's sub-type where HTCDS has none.
pub fn htcds_exploitation(e: Exploitation) -> (&'static str, Option<&'static str>) {
    match e {
        Exploitation::ForcedLabour => ("ForcedLabour", None),
        Exploitation::ForcedCriminality => ("Other", Some("ForcedCriminality")),
        Exploitation::SexualExploitation => ("SexualExploitation", None),
        Exploitation::ChildLabour => ("ChildLabour", None),
        Exploitation::Servitude => ("Servitude", None),
        Exploitation::ForcedMarriage => ("ForcedMarriage", None),
        Exploitation::ForcedBegging => ("ForcedBegging", None),
    }
}

fn join_unique<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out.join(";")
}

/// Maps a determined case to an export row. Rejects an invalid determination, an empty
/// case id and malformed country codes, naming each field.
pub fn htcds_row(case: &HtcdsCase) -> Result<HtcdsRow, Invalid> {
    let mut errors = Vec::new();
    if case.case_id.trim().is_empty() {
        errors.push(FieldError::new("case_id", "must not be empty"));
    }
    for (i, c) in case.citizenship.iter().enumerate() {
        let ok = (c.len() == 2 || c.len() == 3) && c.chars().all(|ch| ch.is_ascii_uppercase());
        if !ok {
            errors.push(FieldError::new(
                format!("citizenship[{i}]"),
                format!("`{c}` is not an ISO 3166 code such as `MMR` or `TH`"),
            ));
        }
    }
    if let Err(Invalid(inner)) = case.determination.validate() {
        errors.extend(
            inner
                .into_iter()
                .map(|e| FieldError::new(format!("determination.{}", e.field), e.problem)),
        );
    }
    if !errors.is_empty() {
        return Err(Invalid(errors));
    }

    let d = &case.determination;
    let types = join_unique(d.exploitation.iter().map(|e| htcds_exploitation(*e).0));
    let subtypes = join_unique(
        d.exploitation
            .iter()
            .filter_map(|e| htcds_exploitation(*e).1),
    );
    let values = [
        case.case_id.clone(),
        case.first_name.clone(),
        case.second_name.clone(),
        case.birthdate.map(|b| b.to_string()).unwrap_or_default(),
        htcds_gender(case.sex).to_string(),
        case.citizenship.join(";"),
        htcds_trafficking_status(d.decision).to_string(),
        case.decision_making_org.htcds().to_string(),
        types,
        subtypes,
        d.decision.as_str().to_string(),
        d.decided_on.to_string(),
        d.review_on.to_string(),
    ];
    Ok(HTCDS_HEADERS.into_iter().zip(values).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("row {row}: {problem}")]
    Shape { row: usize, problem: String },
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
}

fn check_shape(rows: &[HtcdsRow]) -> Result<(), ExportError> {
    for (n, row) in rows.iter().enumerate() {
        let headers: Vec<&str> = row.iter().map(|(h, _)| *h).collect();
        if headers != HTCDS_HEADERS {
            return Err(ExportError::Shape {
                row: n + 1,
                problem: "columns differ from HTCDS_HEADERS; build rows with htcds_row".into(),
            });
        }
    }
    Ok(())
}

/// Stops spreadsheet programs from running a cell as a formula.
fn defuse(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// Writes rows as CSV with a UTF-8 byte-order mark (so spreadsheet programs show Thai and
/// Burmese names correctly) and formula-like values defused.
pub fn write_htcds_csv<W: Write>(rows: &[HtcdsRow], mut out: W) -> Result<(), ExportError> {
    check_shape(rows)?;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HTCDS_HEADERS)?;
    for row in rows {
        w.write_record(row.iter().map(|(_, v)| defuse(v)))?;
    }
    w.flush()?;
    Ok(())
}

fn workbook(rows: &[HtcdsRow]) -> Result<Workbook, ExportError> {
    check_shape(rows)?;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("HTCDS")?;
    for (c, h) in (0u16..).zip(HTCDS_HEADERS) {
        ws.write_string_with_format(0, c, h, &bold)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, (_, v)) in (0u16..).zip(row) {
            // Strings are written as text, never as formulas.
            ws.write_string(r, c, v)?;
        }
    }
    Ok(wb)
}

/// The rows as an XLSX workbook in memory (one sheet, `HTCDS`).
pub fn htcds_xlsx(rows: &[HtcdsRow]) -> Result<Vec<u8>, ExportError> {
    Ok(workbook(rows)?.save_to_buffer()?)
}

/// Writes the rows as an XLSX file.
pub fn write_htcds_xlsx(rows: &[HtcdsRow], path: &Path) -> Result<(), ExportError> {
    workbook(rows)?.save(path)?;
    Ok(())
}
