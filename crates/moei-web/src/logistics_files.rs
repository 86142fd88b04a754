//! Files of the logistics area: the nominal roll (CSV, XLSX, PDF), movement manifests (XLSX,
//! PDF), the handover receipt (PDF), and reading an embassy's verification file (XLSX).
//!
//! Cells are always written as text, never as formulas; the CSV starts with a UTF-8 BOM.

pub use moei_i18n::Lang;
use moei_pdf::{Cell, Column, TableDocument};
use moei_store::departures::{Batch, BatchPerson};
use moei_store::embassy::{ConsularInput, ConsularRow, NominalRoll};
use moei_store::facilities::Manifest;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::export::formula_safe;

/// The roll's columns: the minimal identity data and the consular state, in this order.
pub const ROLL_COLUMNS: [&str; 13] = [
    "registration_number",
    "family_name",
    "given_name",
    "name_original_script",
    "sex",
    "date_of_birth",
    "nationality",
    "verification",
    "travel_document_kind",
    "travel_document_number",
    "travel_document_valid_until",
    "proposed_departure",
    "legal_basis",
];

/// The columns an embassy fills in and sends back (the roll's own columns are accepted too).
pub const IMPORT_COLUMNS: [&str; 6] = [
    "registration_number",
    "verification",
    "travel_document_kind",
    "travel_document_number",
    "travel_document_valid_until",
    "proposed_departure",
];

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the spreadsheet cannot be written: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("the CSV cannot be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Pdf(#[from] moei_pdf::PdfError),
    #[error("the file cannot be read as XLSX: {0}")]
    Read(String),
    #[error("the header row has no {0} column")]
    MissingColumn(&'static str),
}

fn roll_rows(roll: &NominalRoll) -> Vec<[String; 13]> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    roll.entries
        .iter()
        .map(|e| {
            [
                e.registration_number.clone(),
                e.family_name.clone(),
                e.given_name.clone(),
                e.name_original_script.clone(),
                e.sex.clone(),
                opt(&e.date_of_birth),
                e.nationality.clone(),
                e.verification.clone(),
                opt(&e.travel_document_kind),
                opt(&e.travel_document_number),
                opt(&e.travel_document_valid_until),
                opt(&e.proposed_departure),
                e.legal_basis.clone(),
            ]
        })
        .collect()
}

pub fn roll_csv(roll: &NominalRoll) -> Result<Vec<u8>, FileError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(ROLL_COLUMNS)?;
        for row in roll_rows(roll) {
            w.write_record(row.iter().map(|c| formula_safe(c)))?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

/// One sheet, a bold header row, every cell as text.
fn table_xlsx<const N: usize>(
    sheet: &str,
    header: &[&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, FileError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    for (c, h) in (0u16..).zip(header) {
        ws.write_string_with_format(0, c, *h, &bold)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, v) in (0u16..).zip(row.iter()) {
            ws.write_string(r, c, formula_safe(v))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

pub fn roll_xlsx(roll: &NominalRoll) -> Result<Vec<u8>, FileError> {
    table_xlsx(
        &roll.nationality,
        &ROLL_COLUMNS,
        roll_rows(roll).into_iter(),
    )
}

fn t(lang: Lang, key: &str) -> String {
    moei_i18n::t(lang, key)
}

fn columns(lang: Lang, keys: &[(&str, f32)]) -> Vec<Column> {
    keys.iter()
        .map(|(k, w)| Column {
            heading: t(lang, k),
            width: *w,
        })
        .collect()
}

/// The roll as a landscape table, with photos where the sharing agreement allowed them.
pub fn roll_pdf(roll: &NominalRoll, lang: Lang) -> Result<Vec<u8>, FileError> {
    let mut cols = vec![
        ("logistics-col-registration-number", 1.2),
        ("logistics-col-family-name", 1.5),
        ("logistics-col-given-name", 1.5),
        ("logistics-col-original-script", 1.5),
        ("logistics-col-sex", 0.4),
        ("logistics-col-date-of-birth", 0.9),
        ("logistics-col-verification", 1.0),
        ("logistics-col-travel-document", 1.3),
        ("logistics-col-legal-basis", 1.0),
    ];
    if roll.photos_included {
        cols.insert(0, ("logistics-col-photo", 0.8));
    }
    let rows = roll
        .entries
        .iter()
        .map(|e| {
            let mut row = vec![
                Cell::Text(e.registration_number.clone()),
                Cell::Text(e.family_name.clone()),
                Cell::Text(e.given_name.clone()),
                Cell::Text(e.name_original_script.clone()),
                Cell::Text(e.sex.clone()),
                Cell::Text(e.date_of_birth.clone().unwrap_or_default()),
                Cell::Text(e.verification.clone()),
                Cell::Text(e.travel_document_number.clone().unwrap_or_default()),
                Cell::Text(e.legal_basis.clone()),
            ];
            if roll.photos_included {
                row.insert(0, e.photo.clone().map_or(Cell::Empty, Cell::Image));
            }
            row
        })
        .collect();
    let doc = TableDocument {
        title: format!("{} {}", t(lang, "logistics-roll-title"), roll.nationality),
        subtitle: vec![
            format!(
                "{} {}",
                t(lang, "logistics-generated-by"),
                roll.generated_by
            ),
            format!(
                "{} {}",
                t(lang, "logistics-generated-at"),
                roll.generated_at
            ),
            t(lang, "logistics-roll-basis-note"),
        ],
        columns: columns(lang, &cols),
        rows,
        footer: vec![format!(
            "{} {}",
            t(lang, "logistics-total"),
            roll.entries.len()
        )],
        landscape: true,
    };
    Ok(moei_pdf::render(&doc)?)
}

const MANIFEST_COLUMNS: [&str; 8] = [
    "registration_number",
    "family_name",
    "given_name",
    "name_original_script",
    "sex",
    "nationality",
    "section",
    "arrival",
];

fn manifest_rows(m: &Manifest) -> impl Iterator<Item = [String; 8]> + '_ {
    m.persons.iter().map(|entry| {
        let p = &entry.person;
        [
            p.registration_number.clone(),
            p.family_name.clone(),
            p.given_name.clone(),
            p.name_original_script.clone(),
            p.sex.clone(),
            p.nationality.clone(),
            entry.section.clone(),
            entry.arrival.clone(),
        ]
    })
}

pub fn manifest_xlsx(m: &Manifest) -> Result<Vec<u8>, FileError> {
    table_xlsx("manifest", &MANIFEST_COLUMNS, manifest_rows(m))
}

pub fn manifest_pdf(m: &Manifest, lang: Lang) -> Result<Vec<u8>, FileError> {
    let doc = TableDocument {
        title: format!("{} {}", t(lang, "logistics-manifest-title"), m.to_facility),
        subtitle: vec![
            format!("{} {}", t(lang, "logistics-vehicle"), m.vehicle),
            format!("{} {}", t(lang, "logistics-escort"), m.escort),
            format!("{} {}", t(lang, "logistics-departed-at"), m.departed_at),
        ],
        columns: columns(
            lang,
            &[
                ("logistics-col-registration-number", 1.2),
                ("logistics-col-family-name", 1.5),
                ("logistics-col-given-name", 1.5),
                ("logistics-col-original-script", 1.5),
                ("logistics-col-sex", 0.4),
                ("logistics-col-nationality", 0.6),
                ("logistics-col-section", 0.8),
                ("logistics-col-arrival", 0.8),
            ],
        ),
        rows: manifest_rows(m)
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
        footer: vec![format!(
            "{} {}",
            t(lang, "logistics-total"),
            m.persons.len()
        )],
        landscape: true,
    };
    Ok(moei_pdf::render(&doc)?)
}

/// The receipt the receiving party signs when a batch is handed over.
pub fn handover_receipt_pdf(
    batch: &Batch,
    persons: &[BatchPerson],
    lang: Lang,
) -> Result<Vec<u8>, FileError> {
    let departed: Vec<&BatchPerson> = persons.iter().filter(|p| p.outcome == "departed").collect();
    let doc = TableDocument {
        title: t(lang, "logistics-receipt-title"),
        subtitle: vec![
            format!("{} {} {}", batch.carrier, batch.route, batch.departure_date),
            format!("{} {}", t(lang, "logistics-exit-record"), batch.exit_record),
            format!(
                "{} {}",
                t(lang, "logistics-handed-over-to"),
                batch.handed_over_to
            ),
        ],
        columns: columns(
            lang,
            &[
                ("logistics-col-registration-number", 1.2),
                ("logistics-col-family-name", 1.5),
                ("logistics-col-given-name", 1.5),
                ("logistics-col-original-script", 1.5),
                ("logistics-col-travel-document", 1.2),
            ],
        ),
        rows: departed
            .iter()
            .map(|b| {
                let p = &b.person;
                vec![
                    Cell::Text(p.registration_number.clone()),
                    Cell::Text(p.family_name.clone()),
                    Cell::Text(p.given_name.clone()),
                    Cell::Text(p.name_original_script.clone()),
                    Cell::Text(b.travel_document_number.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        footer: vec![
            format!("{} {}", t(lang, "logistics-total"), departed.len()),
            t(lang, "logistics-receipt-signature"),
        ],
        landscape: false,
    };
    Ok(moei_pdf::render(&doc)?)
}

fn cell_text(d: &calamine::Data) -> String {
    // Spreadsheet error values read as empty cells.
    moei_match::io::cell_text(d)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Reads an embassy's verification file: the first sheet, a header row naming at least
/// `registration_number`, then one person per row. Empty rows are skipped.
pub fn read_consular_xlsx(bytes: &[u8]) -> Result<Vec<ConsularRow>, FileError> {
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| FileError::Read(e.to_string()))?;
    let range = match wb.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| FileError::Read(e.to_string()))?,
        None => return Err(FileError::Read("the workbook has no sheet".into())),
    };
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|h| h.iter().map(|c| cell_text(c).to_lowercase()).collect())
        .unwrap_or_default();
    let index = |name: &str| header.iter().position(|h| h == name);
    let number_col =
        index("registration_number").ok_or(FileError::MissingColumn("registration_number"))?;
    let [verification, kind, number, until, proposed] = [
        IMPORT_COLUMNS[1],
        IMPORT_COLUMNS[2],
        IMPORT_COLUMNS[3],
        IMPORT_COLUMNS[4],
        IMPORT_COLUMNS[5],
    ]
    .map(index);
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        let get = |col: Option<usize>| -> Option<String> {
            col.and_then(|c| r.get(c))
                .map(cell_text)
                .filter(|s| !s.is_empty())
        };
        let row = ConsularRow {
            line: start_row as usize + i + 2,
            registration_number: get(Some(number_col)).unwrap_or_default(),
            input: ConsularInput {
                verification: get(verification),
                travel_document_kind: get(kind),
                travel_document_number: get(number),
                travel_document_valid_until: get(until),
                proposed_departure: get(proposed),
            },
        };
        if row.registration_number.is_empty() && r.iter().all(|c| cell_text(c).is_empty()) {
            continue;
        }
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn reading_garbage_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
            let _ = read_consular_xlsx(&bytes);
        }
    }

    #[test]
    fn header_without_registration_number_is_named() {
        let xlsx = table_xlsx(
            "s",
            &["verification"],
            [["confirmed".to_string()]].into_iter(),
        )
        .unwrap();
        let err = read_consular_xlsx(&xlsx).unwrap_err();
        assert!(err.to_string().contains("registration_number"), "{err}");
    }

    #[test]
    fn rows_are_read_with_their_line_numbers() {
        let xlsx = table_xlsx(
            "s",
            &[
                "REGISTRATION_NUMBER",
                "verification",
                "travel_document_valid_until",
            ],
            [
                ["MS-0000018".to_string(), "confirmed".into(), String::new()],
                [String::new(), String::new(), String::new()],
                [
                    "MS-0000026".to_string(),
                    "interview_needed".into(),
                    "2026-01-31".into(),
                ],
            ]
            .into_iter(),
        )
        .unwrap();
        let rows = read_consular_xlsx(&xlsx).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(
            rows[1].input.verification.as_deref(),
            Some("interview_needed")
        );
        assert_eq!(
            rows[1].input.travel_document_valid_until.as_deref(),
            Some("2026-01-31")
        );
        assert_eq!(rows[0].input.proposed_departure, None);
    }
}
