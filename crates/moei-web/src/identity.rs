//! Identity resolution runs: reading an uploaded list safely, linking lists and missing-person
//! reports against the registered persons, and finding duplicate registrations. Scores come from
//! moei-match; what is found goes to the review queue in moei-store.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use moei_domain::person::NewPerson;
use moei_domain::{FieldError, Person, PersonInput};
use moei_match::{Index, Model, Record};
use moei_store::identity::{
    Candidate, CandidateKind, Decision, ExternalList, ExternalRecord, ListRecord, MissingReport,
    NewCandidate, NewList,
};
use moei_store::{Actor, Store, StoreError};

use crate::AppState;

/// Probability at or above which a pair of registrations goes to the review queue. People
/// decide and the queue is ordered by score, so it errs on the side of showing a pair: on the
/// demo scenario (1,634 registrations, 39 of them second registrations) 0.1 queues 37 of the 39
/// with 233 candidates in all; 0.3 would queue 33 with 62, 0.5 only 29 with 49.
pub const QUEUE_THRESHOLD: f64 = 0.1;
/// The same for list records and missing-person reports. The model's prior is that of two
/// registrations picked at random; a report or a roll names someone who may well be here, and
/// families often know only a birth year, so a lower bar keeps their matches in the queue.
pub const REPORT_THRESHOLD: f64 = 0.05;
/// Candidates kept per record.
const PER_RECORD: usize = 3;
/// Largest list file accepted.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// An XLSX file is a zip archive: it may unpack to at most this much (a zip bomb unpacks to
/// gigabytes from a few kilobytes).
pub const MAX_XLSX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Most entries in an XLSX archive.
const MAX_XLSX_ENTRIES: usize = 1_000;
/// Most rows in one list (the largest known authority list had 7,141 names).
pub const MAX_LIST_ROWS: usize = 100_000;

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FileError(pub String);

/// What an uploaded list holds: the good rows and, by row and column, the problems.
#[derive(Debug, Default)]
pub struct ParsedList {
    pub records: Vec<ExternalRecord>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Csv,
    Xlsx,
}

impl ListFormat {
    pub fn from_content_type(ct: &str) -> Option<ListFormat> {
        let ct = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match ct.as_str() {
            "text/csv" | "application/csv" => Some(ListFormat::Csv),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Some(ListFormat::Xlsx)
            }
            _ => None,
        }
    }

    pub fn from_file_name(name: &str) -> Option<ListFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(ListFormat::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(ListFormat::Xlsx)
        } else {
            None
        }
    }
}

/// Unpacks every entry of an XLSX archive into nothing, counting bytes, and stops as soon as the
/// total passes the bound: the real sizes, not the sizes the archive claims.
fn check_xlsx_bounds(bytes: &[u8]) -> Result<(), FileError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| FileError("the file is not an XLSX workbook (not a zip archive)".into()))?;
    if archive.len() > MAX_XLSX_ENTRIES {
        return Err(FileError(format!(
            "the workbook has {} parts, more than {MAX_XLSX_ENTRIES}",
            archive.len()
        )));
    }
    let too_big = || {
        FileError(format!(
            "the workbook unpacks to more than {} MiB",
            MAX_XLSX_UNPACKED / (1024 * 1024)
        ))
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|_| FileError("the workbook is damaged (cannot read a part)".into()))?;
        let budget = MAX_XLSX_UNPACKED - total;
        let n = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|_| FileError("the workbook is damaged (a part does not unpack)".into()))?;
        total += n;
        if total > MAX_XLSX_UNPACKED {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A spreadsheet runs a cell starting with `=`, `@`, `+` or `-` as a formula; such a value in a
/// list is hostile or broken, never a name. Phone numbers (`+66 81 ...`) are let through.
fn formula_like(value: &str) -> bool {
    let phone_like = |v: &str| {
        v.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    };
    match value.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !phone_like(value),
        _ => false,
    }
}

fn external_of(row: usize, r: Record) -> ExternalRecord {
    ExternalRecord {
        row_number: row as i64,
        record_id: r.id,
        given_name: r.given_name,
        family_name: r.family_name,
        full_name: r.full_name,
        sex: r.sex,
        date_of_birth: r.date_of_birth,
        nationality: r.nationality,
        passport_number: r.passport_number,
        phone: r.phone,
        place_of_origin: r.place_of_origin,
    }
}

/// Reads an uploaded CSV or XLSX list with the columns of `moei link`. Bad rows are reported
/// ("row 7: column `phone`: ...") and left out; a file that cannot be read is an error.
pub fn parse_list(bytes: &[u8], format: ListFormat) -> Result<ParsedList, FileError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(FileError(format!(
            "the file is larger than {} MiB",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        )));
    }
    let ext = match format {
        ListFormat::Csv => "csv",
        ListFormat::Xlsx => {
            check_xlsx_bounds(bytes)?;
            "xlsx"
        }
    };
    let dir = tempfile::tempdir().map_err(|_| FileError("cannot store the upload".into()))?;
    let path = dir.path().join(format!("list.{ext}"));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|_| FileError("cannot store the upload".into()))?;
    let prefix = format!("{}: ", path.display());
    let mut report = Vec::new();
    let loaded = moei_match::io::read_records(&path, &mut report)
        .map_err(|e| FileError(e.to_string().replace(&prefix, "")))?;
    let mut parsed = ParsedList::default();
    for line in String::from_utf8_lossy(&report).lines() {
        let line = line.strip_prefix(&prefix).unwrap_or(line);
        parsed
            .problems
            .push(line.trim_end_matches("; row skipped").to_string());
    }
    if loaded.rows.len() > MAX_LIST_ROWS {
        return Err(FileError(format!(
            "the file has {} rows, more than {MAX_LIST_ROWS}",
            loaded.rows.len()
        )));
    }
    for row in loaded.rows {
        let r = &row.record;
        let fields = [
            ("record_id", &r.id),
            ("given_name", &r.given_name),
            ("family_name", &r.family_name),
            ("full_name", &r.full_name),
            ("sex", &r.sex),
            ("date_of_birth", &r.date_of_birth),
            ("nationality", &r.nationality),
            ("passport_number", &r.passport_number),
            ("phone", &r.phone),
            ("place_of_origin", &r.place_of_origin),
        ];
        if let Some((column, _)) = fields.iter().find(|(_, v)| formula_like(v)) {
            parsed.problems.push(format!(
                "row {}: column `{column}`: starts like a spreadsheet formula",
                row.row
            ));
            continue;
        }
        if let Some((column, _)) = fields.iter().find(|(_, v)| v.chars().any(char::is_control)) {
            parsed.problems.push(format!(
                "row {}: column `{column}`: contains control characters",
                row.row
            ));
            continue;
        }
        parsed.records.push(external_of(row.row, row.record));
    }
    Ok(parsed)
}

/// A stored list with what was left out and what linking found.
#[derive(Debug, serde::Serialize)]
pub struct ImportOutcome {
    pub list: ExternalList,
    pub rejected: Vec<String>,
    pub candidates_added: usize,
}

#[derive(Debug)]
pub enum ImportError {
    /// The file cannot be read at all.
    File(String),
    /// Some rows have problems and the user has not accepted leaving them out: nothing stored.
    Rejected {
        problems: Vec<String>,
        good: usize,
    },
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

/// Reads, stores and links a list file. Rows with problems are stored only if `accept_rejected`
/// (and then reported); the list and its rows are stored in one transaction.
pub async fn import_list(
    store: &Store,
    actor: &Actor,
    list: &NewList,
    bytes: &[u8],
    format: ListFormat,
    accept_rejected: bool,
) -> Result<ImportOutcome, ImportError> {
    if !actor.principal.may(moei_domain::Action::ImportLists) {
        return Err(StoreError::Forbidden.into());
    }
    let parsed = parse_list(bytes, format).map_err(|e| ImportError::File(e.0))?;
    if !parsed.problems.is_empty() && !accept_rejected {
        return Err(ImportError::Rejected {
            good: parsed.records.len(),
            problems: parsed.problems,
        });
    }
    let rejected = parsed.problems.len() as i64;
    let stored = store
        .import_list(actor, list, &parsed.records, rejected)
        .await?;
    let candidates_added = link_list(store, actor, &stored.id).await?;
    Ok(ImportOutcome {
        list: stored,
        rejected: parsed.problems,
        candidates_added,
    })
}

fn list_record(r: &ListRecord) -> Record {
    let e = &r.record;
    Record {
        id: r.id.clone(),
        given_name: e.given_name.clone(),
        family_name: e.family_name.clone(),
        full_name: e.full_name.clone(),
        sex: e.sex.clone(),
        date_of_birth: e.date_of_birth.clone(),
        nationality: e.nationality.clone(),
        passport_number: e.passport_number.clone(),
        phone: e.phone.clone(),
        place_of_origin: e.place_of_origin.clone(),
    }
}

fn report_record(r: &MissingReport) -> Record {
    Record {
        id: r.id.clone(),
        given_name: r.given_name.clone(),
        family_name: r.family_name.clone(),
        full_name: r.name_original_script.clone(),
        sex: r.sex.clone(),
        date_of_birth: r.date_of_birth.clone(),
        nationality: r.nationality.clone(),
        passport_number: String::new(),
        phone: r.phone.clone(),
        place_of_origin: r.place_of_origin.clone(),
    }
}

/// The matcher's index of every person not merged away, built now (for bulk runs).
async fn fresh_index(store: &Store, actor: &Actor) -> Result<Index, StoreError> {
    let persons = store.persons_for_linking(actor).await?;
    let records: Vec<Record> = persons.iter().map(crate::matching::person_record).collect();
    tokio::task::spawn_blocking(move || Index::build(records, Model::default()).0)
        .await
        .map_err(|_| StoreError::Unsupported("the matching run stopped".into()))
}

/// The best persons for each query record, at or above the queue threshold.
fn best(index: &Index, kind: CandidateKind, queries: &[Record]) -> Vec<NewCandidate> {
    let threshold = match kind {
        CandidateKind::Duplicate => QUEUE_THRESHOLD,
        CandidateKind::List | CandidateKind::Missing => REPORT_THRESHOLD,
    };
    let mut out = Vec::new();
    for q in queries {
        for c in index.query(q, PER_RECORD + 1) {
            if c.probability < threshold || c.id == q.id {
                continue;
            }
            out.push(NewCandidate {
                kind,
                person_id: c.id,
                other_ref: q.id.clone(),
                probability: c.probability,
                explanation: serde_json::to_value(&c.explanation)
                    .unwrap_or(serde_json::Value::Null),
            });
        }
    }
    out
}

async fn run_queries(
    store: &Store,
    actor: &Actor,
    kind: CandidateKind,
    queries: Vec<Record>,
) -> Result<usize, StoreError> {
    if queries.is_empty() {
        return Ok(0);
    }
    let index = fresh_index(store, actor).await?;
    let found = tokio::task::spawn_blocking(move || best(&index, kind, &queries))
        .await
        .map_err(|_| StoreError::Unsupported("the matching run stopped".into()))?;
    store.add_candidates(actor, &found).await
}

/// Links every record of a list against the persons; returns the candidates added.
pub async fn link_list(store: &Store, actor: &Actor, list_id: &str) -> Result<usize, StoreError> {
    let records = store.list_records_for_linking(actor, list_id).await?;
    let queries = records.iter().map(list_record).collect();
    run_queries(store, actor, CandidateKind::List, queries).await
}

/// Matches open missing-person reports (one, or all) against the persons.
pub async fn match_reports(
    store: &Store,
    actor: &Actor,
    only: Option<&str>,
) -> Result<usize, StoreError> {
    let reports = store.open_reports_for_matching(actor, only).await?;
    let queries = reports.iter().map(report_record).collect();
    run_queries(store, actor, CandidateKind::Missing, queries).await
}

/// Finds pairs of registered persons that may be one person; each pair is queued once, the
/// earlier registration first.
pub async fn dedup_persons(store: &Store, actor: &Actor) -> Result<usize, StoreError> {
    let persons = store.persons_for_linking(actor).await?;
    let records: Vec<Record> = persons.iter().map(crate::matching::person_record).collect();
    let order: HashMap<String, (jiff::Timestamp, String)> = persons
        .into_iter()
        .map(|p| (p.id, (p.registered_at, p.registration_number.to_string())))
        .collect();
    let found = tokio::task::spawn_blocking(move || {
        let index = Index::build(records.clone(), Model::default()).0;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for c in best(&index, CandidateKind::Duplicate, &records) {
            let (a, b) = if order.get(&c.person_id) <= order.get(&c.other_ref) {
                (c.person_id.clone(), c.other_ref.clone())
            } else {
                (c.other_ref.clone(), c.person_id.clone())
            };
            if seen.insert((a.clone(), b.clone())) {
                out.push(NewCandidate {
                    person_id: a,
                    other_ref: b,
                    ..c
                });
            }
        }
        out
    })
    .await
    .map_err(|_| StoreError::Unsupported("the matching run stopped".into()))?;
    store.add_candidates(actor, &found).await
}

/// Applies a reviewer's decision: `confirm`, `reject`, or `merge` (duplicates only: the later
/// registration is merged into the earlier one).
pub async fn decide(
    store: &Store,
    actor: &Actor,
    id: &str,
    decision: &str,
    reason: &str,
) -> Result<Candidate, StoreError> {
    let invalid = |code, message: &str| {
        StoreError::Invalid(FieldError::new("decision", code, message).into())
    };
    let decision = match decision {
        "confirm" => Decision::Confirm,
        "reject" => Decision::Reject,
        "merge" => {
            let c = store.candidate(actor, id).await?;
            let Some(other) = &c.other_person else {
                return Err(invalid(
                    "not_a_duplicate",
                    "only duplicate candidates can be merged",
                ));
            };
            store
                .merge_persons(actor, &c.person.id, &other.id, Some(id), reason)
                .await?;
            return store.candidate(actor, id).await;
        }
        _ => {
            return Err(invalid(
                "invalid_decision",
                "must be confirm, reject or merge",
            ));
        }
    };
    store.decide_candidate(actor, id, decision, reason).await
}

/// Registers a person and, in the same commit, queues for review their likely earlier
/// registrations found in the live index; then adds them to the index.
pub async fn register_person(
    state: &AppState,
    actor: &Actor,
    input: &PersonInput,
) -> Result<Person, StoreError> {
    let person = state
        .store
        .register_person_with_duplicates(actor, input, |p| duplicates_of_new(state, p))
        .await?;
    state.matcher.add(&person);
    Ok(person)
}

/// The likely earlier registrations of a validated person not yet stored.
fn duplicates_of_new(state: &AppState, p: &NewPerson) -> Vec<NewCandidate> {
    let record = crate::matching::new_person_record(p);
    state
        .matcher
        .candidates(&record, PER_RECORD, QUEUE_THRESHOLD)
        .into_iter()
        .map(|c| NewCandidate {
            kind: CandidateKind::Duplicate,
            // The earlier registration comes first; the store fills in the new person's id.
            person_id: c.id,
            other_ref: String::new(),
            probability: c.probability,
            explanation: serde_json::to_value(&c.explanation).unwrap_or(serde_json::Value::Null),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_caught_and_phone_numbers_are_not() {
        for hostile in [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd",
            "\tx",
        ] {
            assert!(formula_like(hostile), "{hostile}");
        }
        for fine in ["+66 81 234 5678", "-1", "Aung", "", "ဦး"] {
            assert!(!formula_like(fine), "{fine}");
        }
    }

    proptest! {
        /// Whatever bytes arrive, reading never panics and every kept row has an id.
        #[test]
        fn any_csv_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut input = b"record_id,given_name,phone\n".to_vec();
            input.extend(bytes);
            if let Ok(parsed) = parse_list(&input, ListFormat::Csv) {
                prop_assert!(parsed.records.iter().all(|r| !r.record_id.is_empty()));
            }
        }

        #[test]
        fn any_bytes_as_xlsx_are_refused_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_list(&bytes, ListFormat::Xlsx);
        }
    }
}
