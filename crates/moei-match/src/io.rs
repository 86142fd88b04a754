//! Reading registrations from CSV or XLSX (chosen by file extension; XLSX reads the first
//! sheet) and writing results safely for spreadsheets.
//!
//! Bad rows are reported (row number as a spreadsheet shows it, header = row 1, and column
//! name) and skipped; good rows are never lost. Fatal: unreadable file, empty file, no
//! `record_id` column.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use calamine::{Data, Reader};

use crate::record::Record;

/// Longest accepted value in a used column, in bytes. Longer values are hostile or broken.
pub const MAX_FIELD_BYTES: usize = 1024;

/// Columns we read, by canonical name.
const COLUMNS: [&str; 10] = [
    "record_id",
    "given_name",
    "family_name",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "phone",
    "place_of_origin",
];

fn canonical_column(h: &str) -> Option<usize> {
    let h = h
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_");
    let name = match h.as_str() {
        "id" | "rec_id" | "recordid" => "record_id",
        "first_name" | "given" | "forename" | "given_names" => "given_name",
        "surname" | "last_name" | "family" => "family_name",
        "name" | "fullname" => "full_name",
        "gender" => "sex",
        "dob" | "birth_date" | "birthdate" => "date_of_birth",
        "passport" | "passport_no" | "document_number" | "doc_number" => "passport_number",
        "phone_number" | "mobile" | "telephone" => "phone",
        "citizenship" | "country" => "nationality",
        "origin" | "hometown" | "place" => "place_of_origin",
        other => other,
    };
    COLUMNS.iter().position(|c| *c == name)
}

/// A record with the row it came from (1-based, header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub row: usize,
    pub record: Record,
}

/// What loading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub rows: Vec<Row>,
    /// Rows reported and skipped.
    pub rejected: usize,
}

fn set(rec: &mut Record, col: usize, v: String) {
    let slot = match col {
        0 => &mut rec.id,
        1 => &mut rec.given_name,
        2 => &mut rec.family_name,
        3 => &mut rec.full_name,
        4 => &mut rec.sex,
        5 => &mut rec.date_of_birth,
        6 => &mut rec.nationality,
        7 => &mut rec.passport_number,
        8 => &mut rec.phone,
        _ => &mut rec.place_of_origin,
    };
    *slot = v;
}

struct Builder<'a> {
    file: String,
    map: Vec<Option<usize>>,
    width: usize,
    seen: HashMap<String, usize>,
    out: Loaded,
    err: &'a mut dyn Write,
}

impl Builder<'_> {
    fn new<'a>(
        path: &Path,
        header: &[String],
        err: &'a mut dyn Write,
    ) -> anyhow::Result<Builder<'a>> {
        let map: Vec<Option<usize>> = header.iter().map(|h| canonical_column(h)).collect();
        if !map.contains(&Some(0)) {
            bail!(
                "{}: no record_id column in the header (found: {})",
                path.display(),
                header.join(", ")
            );
        }
        Ok(Builder {
            file: path.display().to_string(),
            map,
            width: header.len(),
            seen: HashMap::new(),
            out: Loaded::default(),
            err,
        })
    }

    fn reject(&mut self, row: usize, msg: &str) {
        self.out.rejected += 1;
        // A failed write to stderr must not stop the import.
        let _ = writeln!(self.err, "{}: row {row}: {msg}; row skipped", self.file);
    }

    /// `cells` yields each cell as text or an error message.
    fn row(&mut self, row: usize, cells: Vec<Result<String, String>>) {
        if cells
            .iter()
            .all(|c| matches!(c, Ok(s) if s.trim().is_empty()))
        {
            return;
        }
        if cells.len() != self.width {
            let msg = format!(
                "has {} fields but the header has {}",
                cells.len(),
                self.width
            );
            return self.reject(row, &msg);
        }
        let mut rec = Record::default();
        for (i, cell) in cells.into_iter().enumerate() {
            let Some(col) = self.map[i] else { continue };
            match cell {
                Ok(v) if v.len() > MAX_FIELD_BYTES => {
                    let msg = format!(
                        "column `{}`: value is {} bytes, more than {MAX_FIELD_BYTES}",
                        COLUMNS[col],
                        v.len()
                    );
                    return self.reject(row, &msg);
                }
                Ok(v) => set(&mut rec, col, v.trim().to_owned()),
                Err(e) => {
                    let msg = format!("column `{}`: {e}", COLUMNS[col]);
                    return self.reject(row, &msg);
                }
            }
        }
        if rec.id.is_empty() {
            return self.reject(row, "column `record_id`: empty");
        }
        if let Some(&first) = self.seen.get(&rec.id) {
            let msg = format!(
                "column `record_id`: {:?} repeats the id of row {first}",
                rec.id
            );
            return self.reject(row, &msg);
        }
        self.seen.insert(rec.id.clone(), row);
        self.out.rows.push(Row { row, record: rec });
    }
}

/// Read records from a `.csv` (or `.tsv`, `.txt`) or `.xlsx` file.
pub fn read_records(path: &Path, err: &mut dyn Write) -> anyhow::Result<Loaded> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path, err),
        "csv" | "txt" => read_csv(path, b',', err),
        "tsv" => read_csv(path, b'\t', err),
        other => bail!(
            "{}: unsupported file type {other:?} (use .csv or .xlsx)",
            path.display()
        ),
    }
}

fn read_csv(path: &Path, delimiter: u8, err: &mut dyn Write) -> anyhow::Result<Loaded> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(std::io::BufReader::new(file));
    let mut records = rdr.byte_records();
    let header = match records.next() {
        None => bail!(
            "{}: the file is empty (expected a header row with record_id)",
            path.display()
        ),
        Some(Err(e)) => bail!("{}: cannot read the header row: {e}", path.display()),
        Some(Ok(h)) => h
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>(),
    };
    let mut b = Builder::new(path, &header, err)?;
    let mut row = 1;
    for rec in records {
        row += 1;
        match rec {
            Ok(r) => {
                // Use the parser's line when it knows it (quoted fields can span lines).
                let line = r.position().map(|p| p.line() as usize).unwrap_or(row);
                row = line.max(row);
                let cells = r
                    .iter()
                    .map(|c| {
                        std::str::from_utf8(c)
                            .map(str::to_owned)
                            .map_err(|_| "not valid UTF-8 text".to_owned())
                    })
                    .collect();
                b.row(row, cells);
            }
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    bail!("{}: read failed at row {row}: {e}", path.display());
                }
                let msg = format!("malformed CSV: {e}");
                b.reject(row, &msg);
            }
        }
    }
    Ok(b.out)
}

/// A cell as text: whole numbers without a decimal point, dates as YYYY-MM-DD; spreadsheet
/// error values are an error.
pub fn cell_text(d: &Data) -> Result<String, String> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("spreadsheet error value {e:?}")),
    })
}

fn read_xlsx(path: &Path, err: &mut dyn Write) -> anyhow::Result<Loaded> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path)
        .with_context(|| format!("{}: cannot open as XLSX", path.display()))?;
    let range = match wb.worksheet_range_at(0) {
        None => bail!("{}: the workbook has no sheet", path.display()),
        Some(r) => r.with_context(|| format!("{}: cannot read the first sheet", path.display()))?,
    };
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let Some(h) = rows.next() else {
        bail!(
            "{}: the first sheet is empty (expected a header row with record_id)",
            path.display()
        );
    };
    let header: Vec<String> = h.iter().map(|c| cell_text(c).unwrap_or_default()).collect();
    let mut b = Builder::new(path, &header, err)?;
    for (i, r) in rows.enumerate() {
        let row = start_row as usize + i + 2;
        let cells = r.iter().map(cell_text).collect();
        b.row(row, cells);
    }
    Ok(b.out)
}

/// Make a value safe to open in a spreadsheet: text starting with `=`, `+`, `-`, `@`, tab or
/// carriage return would be run as a formula, so it gets a leading apostrophe.
pub fn spreadsheet_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}
