//! Identity resolution in the register: external lists (authority lists, embassy nominal rolls),
//! families' missing-person reports, the review queue of match candidates, and reversible merges
//! of two registrations of the same person.
//!
//! Scoring happens outside (moei-match, driven by the web layer); this module stores what was
//! found and what people decided. Embassy officers see a candidate only when every person in it
//! is of their nationalities, and a missing-person report only when the family consented to
//! share it with their embassy; both rules are in the SQL.

use moei_domain::{Action, BirthDate, FieldError, Person, Principal, ValidationErrors};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::persons::{IntoStoreError, bind_all, person_from_row};
use crate::row::{int, new_id, opt_int, opt_text, placeholders, text, ts};
use crate::{Actor, Result, Store, StoreError};

/// Longest accepted free-text field in a report or list, in characters.
pub const MAX_TEXT: usize = 1_000;
/// Candidate rows per INSERT statement (8 values each, well under every backend's limit).
const CANDIDATE_ROWS_PER_STATEMENT: usize = 200;
/// Most candidates in one page of the queue.
pub const MAX_QUEUE_PAGE: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    AuthorityList,
    EmbassyRoll,
    Other,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::AuthorityList => "authority_list",
            ListKind::EmbassyRoll => "embassy_roll",
            ListKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ListKind> {
        [
            ListKind::AuthorityList,
            ListKind::EmbassyRoll,
            ListKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What the candidate's second side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    /// Two registered persons who may be one.
    Duplicate,
    /// A registered person and a record of an external list.
    List,
    /// A registered person and a family's missing-person report.
    Missing,
}

impl CandidateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Duplicate => "duplicate",
            CandidateKind::List => "list",
            CandidateKind::Missing => "missing",
        }
    }

    pub fn parse(s: &str) -> Option<CandidateKind> {
        [
            CandidateKind::Duplicate,
            CandidateKind::List,
            CandidateKind::Missing,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

pub const CANDIDATE_STATUSES: [&str; 4] = ["open", "confirmed", "rejected", "merged"];

/// One row of an imported list, as read from the file (row 1 is the header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExternalRecord {
    pub row_number: i64,
    pub record_id: String,
    pub given_name: String,
    pub family_name: String,
    pub full_name: String,
    pub sex: String,
    pub date_of_birth: String,
    pub nationality: String,
    pub passport_number: String,
    pub phone: String,
    pub place_of_origin: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListRecord {
    pub id: String,
    pub list_id: String,
    #[serde(flatten)]
    pub record: ExternalRecord,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewList {
    pub name: String,
    pub source: String,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExternalList {
    pub id: String,
    pub name: String,
    pub source: String,
    pub kind: String,
    pub record_count: i64,
    pub rejected_count: i64,
    pub agency: String,
    pub created_at: String,
    pub created_by: String,
}

/// A family's report, as entered by an NGO or an embassy on the family's behalf.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingReportInput {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    /// The name as the family writes it, in any script.
    #[serde(default)]
    pub name_original_script: String,
    #[serde(default)]
    pub sex: String,
    /// `YYYY-MM-DD` or `YYYY`.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub estimated_age: Option<i64>,
    #[serde(default)]
    pub nationality: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub place_of_origin: String,
    /// When and how the family last heard from them (free text).
    #[serde(default)]
    pub last_contact: String,
    #[serde(default)]
    pub reporter_name: String,
    #[serde(default)]
    pub reporter_relationship: String,
    #[serde(default)]
    pub reporter_contact: String,
    /// The family agrees that the report may be shared with their country's embassy.
    #[serde(default)]
    pub consent_to_share: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingReport {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub name_original_script: String,
    pub sex: String,
    pub date_of_birth: String,
    pub estimated_age: Option<i64>,
    pub nationality: String,
    pub phone: String,
    pub place_of_origin: String,
    pub last_contact: String,
    pub reporter_name: String,
    pub reporter_relationship: String,
    pub reporter_contact: String,
    pub consent_to_share: bool,
    pub reporting_agency: String,
    /// `open`, or `found` once a candidate was confirmed.
    pub status: String,
    pub found_person_id: Option<String>,
    pub family_informed_at: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

/// A scored pair found by the matcher, for the queue.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub kind: CandidateKind,
    pub person_id: String,
    /// A person id, a list record id or a report id, by kind.
    pub other_ref: String,
    pub probability: f64,
    pub explanation: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListSummary {
    pub id: String,
    pub name: String,
    pub source: String,
    pub kind: String,
}

/// A candidate with both sides, for deciding.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub probability: f64,
    pub explanation: serde_json::Value,
    pub reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub person: Person,
    pub other_person: Option<Person>,
    pub list_record: Option<ListRecord>,
    pub list: Option<ListSummary>,
    pub report: Option<MissingReport>,
    /// The merge made from this candidate, while it stands (for undo).
    pub merge_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Confirm,
    Reject,
}

#[derive(Debug, Clone, Serialize)]
pub struct Merge {
    pub id: String,
    pub survivor_id: String,
    pub merged_id: String,
    pub candidate_id: Option<String>,
    pub reason: String,
    pub merged_at: String,
    pub merged_by: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
}

fn invalid(field: &str, code: &'static str, message: &str) -> StoreError {
    FieldError::new(field, code, message).into_err()
}

/// `column IN (...)` for an embassy officer's nationalities, `None` for everyone else.
fn scope_expr(principal: &Principal, params: &mut Vec<String>, column: &str) -> Option<String> {
    let scope = principal.nationality_scope()?;
    if scope.is_empty() {
        return Some("1 = 0".into());
    }
    let marks: Vec<String> = scope
        .iter()
        .map(|code| {
            params.push(code.clone());
            format!("${}", params.len())
        })
        .collect();
    Some(format!("{column} IN ({})", marks.join(", ")))
}

/// The organisation a report belongs to: the user's agency, or the user alone without one.
fn agency_key(principal: &Principal) -> String {
    principal
        .agency
        .clone()
        .unwrap_or_else(|| format!("user:{}", principal.username))
}

/// Who may read a missing-person report `r`: administrators; the organisation that entered it;
/// the embassy of the missing person's nationality when the family consented.
fn report_visible_expr(principal: &Principal, params: &mut Vec<String>) -> String {
    if principal.role == moei_domain::Role::Admin {
        return "1 = 1".into();
    }
    params.push(agency_key(principal));
    let own = format!("r.reporting_agency = ${}", params.len());
    match scope_expr(principal, params, "r.nationality") {
        Some(scope) => format!("({own} OR (r.consent_to_share = 1 AND {scope}))"),
        None => own,
    }
}

fn check_text(errors: &mut ValidationErrors, field: &str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, "required", "is required"));
    } else if value.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("must be at most {MAX_TEXT} characters"),
        ));
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        errors.push(FieldError::new(
            field,
            "control_characters",
            "must not contain control characters",
        ));
    }
}

impl MissingReportInput {
    /// Checks every field and returns the report's normalised nationality.
    fn validate(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (field, value) in [
            ("given_name", &self.given_name),
            ("family_name", &self.family_name),
            ("name_original_script", &self.name_original_script),
            ("phone", &self.phone),
            ("place_of_origin", &self.place_of_origin),
            ("last_contact", &self.last_contact),
        ] {
            check_text(&mut errors, field, value, false);
        }
        for (field, value) in [
            ("reporter_name", &self.reporter_name),
            ("reporter_relationship", &self.reporter_relationship),
            ("reporter_contact", &self.reporter_contact),
        ] {
            check_text(&mut errors, field, value, true);
        }
        if [
            &self.given_name,
            &self.family_name,
            &self.name_original_script,
        ]
        .iter()
        .all(|n| n.trim().is_empty())
        {
            errors.push(FieldError::new(
                "given_name",
                "name_required",
                "give at least one name (in any script)",
            ));
        }
        if !self.sex.is_empty() && moei_domain::Sex::parse(&self.sex).is_none() {
            errors.push(FieldError::new("sex", "invalid_sex", "must be M, F or X"));
        }
        if !self.date_of_birth.trim().is_empty()
            && let Err(code) = BirthDate::parse(&self.date_of_birth)
        {
            errors.push(FieldError::new(
                "date_of_birth",
                code,
                "must be YYYY-MM-DD or YYYY",
            ));
        }
        if let Some(age) = self.estimated_age
            && !(0..=120).contains(&age)
        {
            errors.push(FieldError::new(
                "estimated_age",
                "out_of_range",
                "must be between 0 and 120",
            ));
        }
        let nationality = self.nationality.trim().to_ascii_uppercase();
        if !moei_domain::countries::is_known(&nationality) {
            errors.push(FieldError::new(
                "nationality",
                "unknown_nationality",
                "must be an ISO 3166 alpha-3 code",
            ));
        }
        errors.into_result(nationality)
    }
}

fn list_from_row(r: &AnyRow) -> Result<ExternalList> {
    Ok(ExternalList {
        id: text(r, "id")?,
        name: text(r, "name")?,
        source: text(r, "source")?,
        kind: text(r, "kind")?,
        record_count: int(r, "record_count")?,
        rejected_count: int(r, "rejected_count")?,
        agency: text(r, "agency")?,
        created_at: text(r, "created_at")?,
        created_by: text(r, "created_by")?,
    })
}

fn list_record_from_row(r: &AnyRow) -> Result<ListRecord> {
    Ok(ListRecord {
        id: text(r, "id")?,
        list_id: text(r, "list_id")?,
        record: ExternalRecord {
            row_number: int(r, "row_number")?,
            record_id: text(r, "record_id")?,
            given_name: text(r, "given_name")?,
            family_name: text(r, "family_name")?,
            full_name: text(r, "full_name")?,
            sex: text(r, "sex")?,
            date_of_birth: text(r, "date_of_birth")?,
            nationality: text(r, "nationality")?,
            passport_number: text(r, "passport_number")?,
            phone: text(r, "phone")?,
            place_of_origin: text(r, "place_of_origin")?,
        },
    })
}

fn report_from_row(r: &AnyRow) -> Result<MissingReport> {
    Ok(MissingReport {
        id: text(r, "id")?,
        given_name: text(r, "given_name")?,
        family_name: text(r, "family_name")?,
        name_original_script: text(r, "name_original_script")?,
        sex: text(r, "sex")?,
        date_of_birth: text(r, "date_of_birth")?,
        estimated_age: opt_int(r, "estimated_age")?,
        nationality: text(r, "nationality")?,
        phone: text(r, "phone")?,
        place_of_origin: text(r, "place_of_origin")?,
        last_contact: text(r, "last_contact")?,
        reporter_name: text(r, "reporter_name")?,
        reporter_relationship: text(r, "reporter_relationship")?,
        reporter_contact: text(r, "reporter_contact")?,
        consent_to_share: int(r, "consent_to_share")? != 0,
        reporting_agency: text(r, "reporting_agency")?,
        status: text(r, "status")?,
        found_person_id: opt_text(r, "found_person_id")?,
        family_informed_at: opt_text(r, "family_informed_at")?,
        created_at: text(r, "created_at")?,
        created_by: text(r, "created_by")?,
    })
}

fn merge_from_row(r: &AnyRow) -> Result<Merge> {
    Ok(Merge {
        id: text(r, "id")?,
        survivor_id: text(r, "survivor_id")?,
        merged_id: text(r, "merged_id")?,
        candidate_id: opt_text(r, "candidate_id")?,
        reason: text(r, "reason")?,
        merged_at: text(r, "merged_at")?,
        merged_by: text(r, "merged_by")?,
        undone_at: opt_text(r, "undone_at")?,
        undone_by: opt_text(r, "undone_by")?,
    })
}

/// The SQL for candidates the actor may see; `params` receives the scope's values.
fn visible_candidates_sql(principal: &Principal, params: &mut Vec<String>) -> String {
    let mut sql = String::from(
        "SELECT c.* FROM match_candidates c JOIN persons p ON p.id = c.person_id \
         LEFT JOIN persons q ON c.kind = 'duplicate' AND q.id = c.other_ref \
         LEFT JOIN missing_reports r ON c.kind = 'missing' AND r.id = c.other_ref WHERE 1 = 1",
    );
    if let Some(scope) = scope_expr(principal, params, "p.nationality") {
        sql.push_str(&format!(" AND {scope}"));
    }
    if let Some(scope) = scope_expr(principal, params, "q.nationality") {
        sql.push_str(&format!(" AND (q.id IS NULL OR {scope})"));
    }
    // Embassy officers see only candidates whose persons may be disclosed to them.
    sql.push_str(&crate::persons::disclosure_clause(principal, "p.id"));
    let other = crate::persons::disclosure_clause(principal, "q.id");
    if let Some(other) = other.strip_prefix(" AND ") {
        sql.push_str(&format!(" AND (q.id IS NULL OR ({other}))"));
    }
    let report = report_visible_expr(principal, params);
    sql.push_str(&format!(" AND (c.kind <> 'missing' OR {report})"));
    sql
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Store {
    /// Runs a read of personal data and audits it with the number of rows it returned.
    async fn read_audited<T>(
        &self,
        actor: &Actor,
        query: AnyQuery<'_>,
        map: fn(&AnyRow) -> Result<T>,
        (action, kind, target): (&str, &str, &str),
    ) -> Result<Vec<T>> {
        let rows = query.fetch_all(&self.pool).await?;
        let items = rows.iter().map(map).collect::<Result<Vec<_>>>()?;
        let detail = serde_json::json!({ "rows": items.len() });
        self.audit_event(actor, action, kind, target, &detail.to_string())
            .await?;
        Ok(items)
    }
    /// Stores an imported list and its rows in one transaction (all or nothing).
    pub async fn import_list(
        &self,
        actor: &Actor,
        list: &NewList,
        records: &[ExternalRecord],
        rejected: i64,
    ) -> Result<ExternalList> {
        if !actor.principal.may(Action::ImportLists) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        check_text(&mut errors, "name", &list.name, true);
        check_text(&mut errors, "source", &list.source, true);
        let kind = ListKind::parse(&list.kind);
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                "invalid_kind",
                "must be authority_list, embassy_roll or other",
            ));
        }
        if records.is_empty() {
            errors.push(FieldError::new(
                "file",
                "no_records",
                "the file has no usable rows",
            ));
        }
        errors.into_result(())?;
        let now = self.clock.now();
        let out = ExternalList {
            id: new_id(now),
            name: list.name.trim().to_string(),
            source: list.source.trim().to_string(),
            kind: list.kind.clone(),
            record_count: records.len() as i64,
            rejected_count: rejected,
            agency: agency_key(&actor.principal),
            created_at: ts(now),
            created_by: actor.principal.username.clone(),
        };
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO external_lists (id, name, source, kind, record_count, rejected_count, agency, created_at, created_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        )
        .bind(&out.id)
        .bind(&out.name)
        .bind(&out.source)
        .bind(&out.kind)
        .bind(out.record_count)
        .bind(out.rejected_count)
        .bind(&out.agency)
        .bind(&out.created_at)
        .bind(&out.created_by)
        .execute(&mut *tx)
        .await?;
        for r in records {
            sqlx::query(
                "INSERT INTO list_records (id, list_id, row_number, record_id, given_name, family_name, full_name, sex, \
                 date_of_birth, nationality, passport_number, phone, place_of_origin) \
                 VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
            )
            .bind(new_id(now))
            .bind(&out.id)
            .bind(r.row_number)
            .bind(&r.record_id)
            .bind(&r.given_name)
            .bind(&r.family_name)
            .bind(&r.full_name)
            .bind(&r.sex)
            .bind(&r.date_of_birth)
            .bind(&r.nationality)
            .bind(&r.passport_number)
            .bind(&r.phone)
            .bind(&r.place_of_origin)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({ "kind": out.kind, "records": out.record_count, "rejected": rejected });
        self.audit(
            &mut tx,
            actor,
            "list.import",
            "list",
            &out.id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Every imported list (names and counts only: no personal data).
    pub async fn lists(&self, actor: &Actor) -> Result<Vec<ExternalList>> {
        if !actor.principal.may(Action::ReviewMatches) {
            return Err(StoreError::Forbidden);
        }
        let rows = sqlx::query("SELECT * FROM external_lists ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(list_from_row).collect()
    }

    /// The records of a list that the actor may see (embassy officers: their nationals), audited.
    pub async fn list_records(&self, actor: &Actor, list_id: &str) -> Result<Vec<ListRecord>> {
        if !actor.principal.may(Action::ReviewMatches) {
            return Err(StoreError::Forbidden);
        }
        let exists = sqlx::query("SELECT id FROM external_lists WHERE id = $1")
            .bind(list_id)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let mut params = vec![list_id.to_string()];
        let mut sql = String::from("SELECT * FROM list_records WHERE list_id = $1");
        if let Some(scope) = scope_expr(&actor.principal, &mut params, "nationality") {
            sql.push_str(&format!(" AND {scope}"));
        }
        sql.push_str(" ORDER BY row_number");
        let query = bind_all(sqlx::query(&sql), &params);
        self.read_audited(
            actor,
            query,
            list_record_from_row,
            ("list.read", "list", list_id),
        )
        .await
    }

    /// All records of a list, for linking them in bulk (the run is audited).
    pub async fn list_records_for_linking(
        &self,
        actor: &Actor,
        list_id: &str,
    ) -> Result<Vec<ListRecord>> {
        if !actor.principal.may(Action::ImportLists) {
            return Err(StoreError::Forbidden);
        }
        let query =
            sqlx::query("SELECT * FROM list_records WHERE list_id = $1 ORDER BY row_number")
                .bind(list_id);
        let records = self
            .read_audited(
                actor,
                query,
                list_record_from_row,
                ("list.link", "list", list_id),
            )
            .await?;
        if records.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(records)
    }

    /// Every person not merged into another, for a bulk matching run (audited as such). The
    /// persons' data goes to the matcher, not to the actor, who sees only what the queue allows.
    pub async fn persons_for_linking(&self, actor: &Actor) -> Result<Vec<Person>> {
        let p = &actor.principal;
        if !(p.may(Action::ImportLists) || p.may(Action::ReportMissing)) {
            return Err(StoreError::Forbidden);
        }
        let query = sqlx::query("SELECT * FROM persons WHERE merged_into IS NULL ORDER BY id");
        self.read_audited(actor, query, person_from_row, ("match.run", "person", ""))
            .await
    }

    /// Adds candidates to the queue; pairs already there (in any status) and persons merged
    /// away meanwhile are skipped. Returns how many were added.
    pub async fn add_candidates(&self, actor: &Actor, found: &[NewCandidate]) -> Result<usize> {
        let p = &actor.principal;
        if !(p.may(Action::ImportLists)
            || p.may(Action::ReportMissing)
            || p.may(Action::RegisterPerson))
        {
            return Err(StoreError::Forbidden);
        }
        if found.is_empty() {
            return Ok(0);
        }
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for c in found {
            let done = sqlx::query(
                "INSERT INTO match_candidates (id, kind, person_id, other_ref, probability, explanation, status, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6, 'open', $7 WHERE EXISTS \
                 (SELECT 1 FROM persons WHERE id = $8 AND merged_into IS NULL) \
                 ON CONFLICT (kind, person_id, other_ref) DO NOTHING",
            )
            .bind(new_id(now))
            .bind(c.kind.as_str())
            .bind(&c.person_id)
            .bind(&c.other_ref)
            .bind(c.probability)
            .bind(c.explanation.to_string())
            .bind(ts(now))
            .bind(&c.person_id)
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected() as usize;
        }
        let detail = serde_json::json!({ "found": found.len(), "added": added });
        self.audit(
            &mut tx,
            actor,
            "match.candidates",
            "match",
            "",
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Queues the likely earlier registrations found for people being registered, inside their
    /// registration's transaction, so a registration and its duplicate check share one commit.
    /// `other_ref` of each candidate is the new person's id; candidates pointing at a person who
    /// has since been merged away are dropped. A few statements whatever the group's size.
    pub(crate) async fn queue_duplicates_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        registrations: &[(&Actor, &Person, &[NewCandidate])],
    ) -> Result<()> {
        let mut earlier: Vec<&str> = registrations
            .iter()
            .flat_map(|(_, _, found)| found.iter().map(|c| c.person_id.as_str()))
            .collect();
        earlier.sort_unstable();
        earlier.dedup();
        if earlier.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT id FROM persons WHERE merged_into IS NULL AND id IN ({})",
            placeholders(self.backend, earlier.len())
        );
        let mut q = sqlx::query(&sql);
        for id in &earlier {
            q = q.bind(*id);
        }
        let alive: std::collections::HashSet<String> = q
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| text(r, "id"))
            .collect::<Result<_>>()?;
        let now = self.clock.now();
        let at = ts(now);
        let mut rows: Vec<(&NewCandidate, &str)> = Vec::new();
        let mut details: Vec<(&Actor, String)> = Vec::new();
        for (actor, person, found) in registrations {
            let kept: Vec<&NewCandidate> = found
                .iter()
                .filter(|c| alive.contains(&c.person_id))
                .collect();
            if found.is_empty() {
                continue;
            }
            let detail = serde_json::json!({ "found": found.len(), "added": kept.len() });
            details.push((actor, detail.to_string()));
            rows.extend(kept.into_iter().map(|c| (c, person.id.as_str())));
        }
        for chunk in rows.chunks(CANDIDATE_ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO match_candidates (id, kind, person_id, other_ref, probability, explanation, status, created_at) \
                 VALUES {} ON CONFLICT (kind, person_id, other_ref) DO NOTHING",
                crate::row::value_rows(self.backend, chunk.len(), 8)
            );
            let mut q = sqlx::query(&sql);
            for (c, new_person) in chunk {
                q = q
                    .bind(new_id(now))
                    .bind(c.kind.as_str())
                    .bind(c.person_id.as_str())
                    .bind(*new_person)
                    .bind(c.probability)
                    .bind(c.explanation.to_string())
                    .bind("open")
                    .bind(at.as_str());
            }
            q.execute(&mut **tx).await?;
        }
        let records: Vec<crate::audit::AuditRecord<'_>> = details
            .iter()
            .map(|(actor, detail)| crate::audit::AuditRecord {
                actor,
                action: "match.candidates",
                target_kind: "match",
                target_id: "",
                detail,
            })
            .collect();
        self.audit_many(tx, &records).await
    }

    /// The review queue, best score first, within what the actor may see; audited as one read.
    pub async fn candidates(
        &self,
        actor: &Actor,
        filter: &CandidateFilter,
    ) -> Result<Vec<Candidate>> {
        if !actor.principal.may(Action::ReviewMatches) {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let mut sql = visible_candidates_sql(&actor.principal, &mut params);
        if let Some(kind) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
            if CandidateKind::parse(kind).is_none() {
                return Err(invalid(
                    "kind",
                    "invalid_kind",
                    "must be duplicate, list or missing",
                ));
            }
            params.push(kind.to_string());
            sql.push_str(&format!(" AND c.kind = ${}", params.len()));
        }
        if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
            if !CANDIDATE_STATUSES.contains(&status) {
                return Err(invalid(
                    "status",
                    "invalid_status",
                    "must be open, confirmed, rejected or merged",
                ));
            }
            params.push(status.to_string());
            sql.push_str(&format!(" AND c.status = ${}", params.len()));
        }
        let limit = filter.limit.unwrap_or(50).clamp(1, MAX_QUEUE_PAGE);
        sql.push_str(&format!(" ORDER BY c.probability DESC, c.id LIMIT {limit}"));
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.candidate_from_row(r).await?);
        }
        let detail =
            serde_json::json!({ "kind": filter.kind, "status": filter.status, "rows": out.len() });
        self.audit_event(actor, "match.queue", "match", "", &detail.to_string())
            .await?;
        Ok(out)
    }

    /// One candidate with both sides (NotFound when outside the actor's scope); audited.
    pub async fn candidate(&self, actor: &Actor, id: &str) -> Result<Candidate> {
        if !actor.principal.may(Action::ReviewMatches) {
            return Err(StoreError::Forbidden);
        }
        let c = self.visible_candidate(&actor.principal, id).await?;
        match c {
            Some(c) => {
                self.audit_event(actor, "match.read", "match", id, "")
                    .await?;
                Ok(c)
            }
            None => {
                let _ = self
                    .audit_event(actor, "match.read.denied", "match", id, "")
                    .await;
                Err(StoreError::NotFound)
            }
        }
    }

    async fn visible_candidate(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<Option<Candidate>> {
        let mut params = Vec::new();
        let mut sql = visible_candidates_sql(principal, &mut params);
        params.push(id.to_string());
        sql.push_str(&format!(" AND c.id = ${}", params.len()));
        let row = bind_all(sqlx::query(&sql), &params)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(self.candidate_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    async fn person_row(&self, id: &str) -> Result<Person> {
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::corrupt(format!("candidate names missing person {id}")))?;
        person_from_row(&row)
    }

    async fn candidate_from_row(&self, r: &AnyRow) -> Result<Candidate> {
        let id = text(r, "id")?;
        let kind = text(r, "kind")?;
        let other_ref = text(r, "other_ref")?;
        let person = self.person_row(&text(r, "person_id")?).await?;
        let (mut other_person, mut list_record, mut list, mut report) = (None, None, None, None);
        match CandidateKind::parse(&kind) {
            Some(CandidateKind::Duplicate) => {
                other_person = Some(self.person_row(&other_ref).await?)
            }
            Some(CandidateKind::List) => {
                let row = sqlx::query(
                    "SELECT r.*, l.name AS l_name, l.source AS l_source, l.kind AS l_kind \
                     FROM list_records r JOIN external_lists l ON l.id = r.list_id WHERE r.id = $1",
                )
                .bind(&other_ref)
                .fetch_one(&self.pool)
                .await?;
                let rec = list_record_from_row(&row)?;
                list = Some(ListSummary {
                    id: rec.list_id.clone(),
                    name: text(&row, "l_name")?,
                    source: text(&row, "l_source")?,
                    kind: text(&row, "l_kind")?,
                });
                list_record = Some(rec);
            }
            Some(CandidateKind::Missing) => {
                let row = sqlx::query("SELECT * FROM missing_reports WHERE id = $1")
                    .bind(&other_ref)
                    .fetch_one(&self.pool)
                    .await?;
                report = Some(report_from_row(&row)?);
            }
            None => return Err(StoreError::corrupt(format!("candidate kind {kind:?}"))),
        }
        let merge = sqlx::query(
            "SELECT id FROM person_merges WHERE candidate_id = $1 AND undone_at IS NULL",
        )
        .bind(&id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(Candidate {
            id,
            kind,
            status: text(r, "status")?,
            probability: r.try_get::<f64, _>("probability")?,
            explanation: serde_json::from_str(&text(r, "explanation")?)
                .unwrap_or(serde_json::Value::Null),
            reason: text(r, "reason")?,
            decided_by: opt_text(r, "decided_by")?,
            decided_at: opt_text(r, "decided_at")?,
            created_at: text(r, "created_at")?,
            person,
            other_person,
            list_record,
            list,
            report,
            merge_id: merge.as_ref().map(|m| text(m, "id")).transpose()?,
        })
    }

    /// Confirms or rejects an open candidate. Confirming a missing-person candidate records that
    /// the family's relative was found. A rejection needs a reason.
    pub async fn decide_candidate(
        &self,
        actor: &Actor,
        id: &str,
        decision: Decision,
        reason: &str,
    ) -> Result<Candidate> {
        if !actor.principal.may(Action::DecideMatches) {
            let _ = self
                .audit_event(actor, "match.decide.denied", "match", id, "")
                .await;
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        check_text(&mut errors, "reason", reason, decision == Decision::Reject);
        errors.into_result(())?;
        let Some(before) = self.visible_candidate(&actor.principal, id).await? else {
            let _ = self
                .audit_event(actor, "match.decide.denied", "match", id, "")
                .await;
            return Err(StoreError::NotFound);
        };
        let now = ts(self.clock.now());
        let (status, action) = match decision {
            Decision::Confirm => ("confirmed", "match.confirm"),
            Decision::Reject => ("rejected", "match.reject"),
        };
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        // The status check is in the UPDATE so two reviewers cannot both decide.
        let done = sqlx::query(
            "UPDATE match_candidates SET status = $1, reason = $2, decided_by = $3, decided_at = $4 \
             WHERE id = $5 AND status = 'open'",
        )
        .bind(status)
        .bind(reason.trim())
        .bind(&actor.principal.username)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "this candidate was already decided ({})",
                before.status
            )));
        }
        if decision == Decision::Confirm
            && let Some(report) = &before.report
        {
            sqlx::query(
                "UPDATE missing_reports SET status = 'found', found_person_id = $1 WHERE id = $2",
            )
            .bind(&before.person.id)
            .bind(&report.id)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({ "kind": before.kind });
        self.audit(&mut tx, actor, action, "match", id, &detail.to_string())
            .await?;
        tx.commit().await?;
        self.visible_candidate(&actor.principal, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Merges `merged_id` into `survivor_id`: the merged record keeps all its history, documents
    /// and source records and stays readable, but lists, search and counts show only the
    /// survivor. `candidate_id` is the duplicate candidate this decides, if any.
    pub async fn merge_persons(
        &self,
        actor: &Actor,
        survivor_id: &str,
        merged_id: &str,
        candidate_id: Option<&str>,
        reason: &str,
    ) -> Result<Merge> {
        if !actor.principal.may(Action::MergePersons) {
            let _ = self
                .audit_event(actor, "person.merge.denied", "person", merged_id, "")
                .await;
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        check_text(&mut errors, "reason", reason, false);
        if survivor_id == merged_id {
            errors.push(FieldError::new(
                "merged_id",
                "same_person",
                "a person cannot be merged into itself",
            ));
        }
        errors.into_result(())?;
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let mut survivor = None;
        let mut merged = None;
        for (id, slot) in [(survivor_id, &mut survivor), (merged_id, &mut merged)] {
            let row = sqlx::query(self.lock_person_sql())
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            if opt_text(&row, "merged_into")?.is_some() {
                return Err(StoreError::Conflict(
                    "one of the two persons is already merged into another".into(),
                ));
            }
            *slot = Some(person_from_row(&row)?);
        }
        let (Some(survivor), Some(merged)) = (survivor, merged) else {
            return Err(StoreError::NotFound);
        };
        let into_merged = sqlx::query("SELECT COUNT(*) AS n FROM persons WHERE merged_into = $1")
            .bind(&merged.id)
            .fetch_one(&mut *tx)
            .await?;
        if int(&into_merged, "n")? > 0 {
            return Err(StoreError::Conflict(
                "other records are merged into this person: undo those merges first".into(),
            ));
        }
        let mut candidate_status = None;
        if let Some(cid) = candidate_id {
            let row = sqlx::query(
                "SELECT status FROM match_candidates WHERE id = $1 AND kind = 'duplicate' \
                 AND ((person_id = $2 AND other_ref = $3) OR (person_id = $3 AND other_ref = $2))",
            )
            .bind(cid)
            .bind(&survivor.id)
            .bind(&merged.id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Err(invalid(
                    "candidate_id",
                    "not_this_pair",
                    "is not a duplicate candidate for these two persons",
                ));
            };
            let status = text(&row, "status")?;
            if status == "rejected" || status == "merged" {
                return Err(StoreError::Conflict(format!(
                    "this candidate was already decided ({status})"
                )));
            }
            sqlx::query(
                "UPDATE match_candidates SET status = 'merged', reason = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
            )
            .bind(reason.trim())
            .bind(&actor.principal.username)
            .bind(ts(now))
            .bind(cid)
            .execute(&mut *tx)
            .await?;
            candidate_status = Some(status);
        }
        let merge = Merge {
            id: new_id(now),
            survivor_id: survivor.id.clone(),
            merged_id: merged.id.clone(),
            candidate_id: candidate_id.map(str::to_string),
            reason: reason.trim().to_string(),
            merged_at: ts(now),
            merged_by: actor.principal.username.clone(),
            undone_at: None,
            undone_by: None,
        };
        sqlx::query(
            "INSERT INTO person_merges (id, survivor_id, merged_id, candidate_id, candidate_status, reason, merged_at, merged_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&merge.id)
        .bind(&merge.survivor_id)
        .bind(&merge.merged_id)
        .bind(&merge.candidate_id)
        .bind(&candidate_status)
        .bind(&merge.reason)
        .bind(&merge.merged_at)
        .bind(&merge.merged_by)
        .execute(&mut *tx)
        .await?;
        self.set_merged_into(&mut tx, actor, &merged, Some(&survivor), "merge")
            .await?;
        self.note_on_survivor(&mut tx, actor, &survivor, &merged, "merge")
            .await?;
        self.audit(
            &mut tx,
            actor,
            "person.merge",
            "person",
            &merged.id,
            &merge.id,
        )
        .await?;
        tx.commit().await?;
        Ok(merge)
    }

    /// Reads a person for a merge or its undo; on PostgreSQL the row stays locked until commit,
    /// so two merges of the same persons cannot interleave (SQLite writers are serialised).
    fn lock_person_sql(&self) -> &'static str {
        match self.backend {
            crate::Backend::Sqlite => "SELECT * FROM persons WHERE id = $1",
            crate::Backend::Postgres => "SELECT * FROM persons WHERE id = $1 FOR UPDATE",
        }
    }

    /// Points `person` at `survivor` (or at nothing), with a history entry.
    async fn set_merged_into(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        person: &Person,
        survivor: Option<&Person>,
        event: &str,
    ) -> Result<()> {
        let version = person.version + 1;
        sqlx::query(
            "UPDATE persons SET merged_into = $1, version = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(survivor.map(|s| s.id.clone()))
        .bind(version)
        .bind(ts(self.clock.now()))
        .bind(&person.id)
        .execute(&mut **tx)
        .await?;
        let to = survivor.map(|s| s.registration_number.to_string());
        let from = match survivor {
            Some(_) => None,
            None => Some(event.to_string()),
        };
        let change = serde_json::json!({ "merged_into": { "from": from, "to": to } });
        self.record_history(tx, actor, &person.id, version, event, &change)
            .await
    }

    /// Records on the survivor's history which registration was merged into it (or taken out).
    async fn note_on_survivor(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        survivor: &Person,
        merged: &Person,
        event: &str,
    ) -> Result<()> {
        let version = survivor.version + 1;
        sqlx::query("UPDATE persons SET version = $1, updated_at = $2 WHERE id = $3")
            .bind(version)
            .bind(ts(self.clock.now()))
            .bind(&survivor.id)
            .execute(&mut **tx)
            .await?;
        let number = merged.registration_number.to_string();
        let change = match event {
            "merge" => serde_json::json!({ "merged_from": { "from": null, "to": number } }),
            _ => serde_json::json!({ "merged_from": { "from": number, "to": null } }),
        };
        self.record_history(tx, actor, &survivor.id, version, event, &change)
            .await
    }

    /// Undoes a merge: both persons are listed again with exactly the data they had, and the
    /// candidate (if any) goes back to the status it had before.
    pub async fn undo_merge(&self, actor: &Actor, merge_id: &str) -> Result<Merge> {
        if !actor.principal.may(Action::MergePersons) {
            let _ = self
                .audit_event(actor, "person.unmerge.denied", "merge", merge_id, "")
                .await;
            return Err(StoreError::Forbidden);
        }
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT * FROM person_merges WHERE id = $1")
            .bind(merge_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut merge = merge_from_row(&row)?;
        if merge.undone_at.is_some() {
            return Err(StoreError::Conflict("this merge was already undone".into()));
        }
        let load = self.lock_person_sql();
        let merged_row = sqlx::query(load)
            .bind(&merge.merged_id)
            .fetch_one(&mut *tx)
            .await?;
        let survivor_row = sqlx::query(load)
            .bind(&merge.survivor_id)
            .fetch_one(&mut *tx)
            .await?;
        let merged = person_from_row(&merged_row)?;
        let survivor = person_from_row(&survivor_row)?;
        if opt_text(&merged_row, "merged_into")?.as_deref() != Some(survivor.id.as_str()) {
            return Err(StoreError::Conflict(
                "the merged person no longer points at the survivor".into(),
            ));
        }
        self.set_merged_into(&mut tx, actor, &merged, None, "unmerge")
            .await?;
        self.note_on_survivor(&mut tx, actor, &survivor, &merged, "unmerge")
            .await?;
        if let Some(cid) = &merge.candidate_id {
            let previous: Option<String> = opt_text(&row, "candidate_status")?;
            let previous = previous.unwrap_or_else(|| "open".into());
            let reopened = previous == "open";
            sqlx::query(
                "UPDATE match_candidates SET status = $1, reason = CASE WHEN $2 = 1 THEN '' ELSE reason END, \
                 decided_by = CASE WHEN $2 = 1 THEN NULL ELSE decided_by END, \
                 decided_at = CASE WHEN $2 = 1 THEN NULL ELSE decided_at END WHERE id = $3",
            )
            .bind(&previous)
            .bind(i64::from(reopened))
            .bind(cid)
            .execute(&mut *tx)
            .await?;
        }
        merge.undone_at = Some(ts(now));
        merge.undone_by = Some(actor.principal.username.clone());
        sqlx::query("UPDATE person_merges SET undone_at = $1, undone_by = $2 WHERE id = $3")
            .bind(&merge.undone_at)
            .bind(&merge.undone_by)
            .bind(&merge.id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            actor,
            "person.unmerge",
            "person",
            &merged.id,
            &merge.id,
        )
        .await?;
        tx.commit().await?;
        Ok(merge)
    }

    /// Merges involving a person the actor may read (as survivor or as merged), newest first.
    pub async fn merges_of(&self, actor: &Actor, person_id: &str) -> Result<Vec<Merge>> {
        let person = self.person(actor, person_id).await?;
        let rows = sqlx::query(
            "SELECT * FROM person_merges WHERE survivor_id = $1 OR merged_id = $1 ORDER BY id DESC",
        )
        .bind(&person.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(merge_from_row).collect()
    }

    /// The survivor a person was merged into, if it was.
    pub async fn merged_into(&self, person_id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT merged_into FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| opt_text(&r, "merged_into"))
            .transpose()?
            .flatten())
    }

    /// Stores a family's report on behalf of the actor's organisation.
    pub async fn create_missing_report(
        &self,
        actor: &Actor,
        input: &MissingReportInput,
    ) -> Result<MissingReport> {
        if !actor.principal.may(Action::ReportMissing) {
            return Err(StoreError::Forbidden);
        }
        let nationality = input.validate()?;
        if !actor.principal.sees_nationality(&nationality) {
            return Err(invalid(
                "nationality",
                "outside_scope",
                "embassy officers report only for their own nationals",
            ));
        }
        let now = self.clock.now();
        let report = MissingReport {
            id: new_id(now),
            given_name: input.given_name.trim().into(),
            family_name: input.family_name.trim().into(),
            name_original_script: input.name_original_script.trim().into(),
            sex: input.sex.trim().to_ascii_uppercase(),
            date_of_birth: input.date_of_birth.trim().into(),
            estimated_age: input.estimated_age,
            nationality,
            phone: input.phone.trim().into(),
            place_of_origin: input.place_of_origin.trim().into(),
            last_contact: input.last_contact.trim().into(),
            reporter_name: input.reporter_name.trim().into(),
            reporter_relationship: input.reporter_relationship.trim().into(),
            reporter_contact: input.reporter_contact.trim().into(),
            consent_to_share: input.consent_to_share,
            reporting_agency: agency_key(&actor.principal),
            status: "open".into(),
            found_person_id: None,
            family_informed_at: None,
            created_at: ts(now),
            created_by: actor.principal.username.clone(),
        };
        let r = &report;
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO missing_reports (id, given_name, family_name, name_original_script, sex, date_of_birth, \
             estimated_age, nationality, phone, place_of_origin, last_contact, reporter_name, reporter_relationship, \
             reporter_contact, consent_to_share, reporting_agency, status, created_at, created_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
        )
        .bind(&r.id)
        .bind(&r.given_name)
        .bind(&r.family_name)
        .bind(&r.name_original_script)
        .bind(&r.sex)
        .bind(&r.date_of_birth)
        .bind(r.estimated_age)
        .bind(&r.nationality)
        .bind(&r.phone)
        .bind(&r.place_of_origin)
        .bind(&r.last_contact)
        .bind(&r.reporter_name)
        .bind(&r.reporter_relationship)
        .bind(&r.reporter_contact)
        .bind(i64::from(r.consent_to_share))
        .bind(&r.reporting_agency)
        .bind(&r.status)
        .bind(&r.created_at)
        .bind(&r.created_by)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "consent_to_share": r.consent_to_share });
        self.audit(
            &mut tx,
            actor,
            "missing.create",
            "missing_report",
            &r.id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    fn visible_reports_sql(principal: &Principal, params: &mut Vec<String>) -> String {
        format!(
            "SELECT r.* FROM missing_reports r WHERE {}",
            report_visible_expr(principal, params)
        )
    }

    /// Reports the actor may read (see [`report_visible_expr`]), newest first; audited.
    pub async fn missing_reports(
        &self,
        actor: &Actor,
        status: Option<&str>,
    ) -> Result<Vec<MissingReport>> {
        let p = &actor.principal;
        if !(p.may(Action::ReportMissing) || p.may(Action::ReviewMatches)) {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let mut sql = Self::visible_reports_sql(p, &mut params);
        if let Some(s) = status.filter(|s| !s.is_empty()) {
            if s != "open" && s != "found" {
                return Err(invalid("status", "invalid_status", "must be open or found"));
            }
            params.push(s.to_string());
            sql.push_str(&format!(" AND r.status = ${}", params.len()));
        }
        sql.push_str(" ORDER BY r.id DESC LIMIT 500");
        let query = bind_all(sqlx::query(&sql), &params);
        let target = ("missing.list", "missing_report", "");
        self.read_audited(actor, query, report_from_row, target)
            .await
    }

    /// One report, NotFound outside the actor's access; audited (refusals too).
    pub async fn missing_report(&self, actor: &Actor, id: &str) -> Result<MissingReport> {
        let p = &actor.principal;
        if !(p.may(Action::ReportMissing) || p.may(Action::ReviewMatches)) {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let mut sql = Self::visible_reports_sql(p, &mut params);
        params.push(id.to_string());
        sql.push_str(&format!(" AND r.id = ${}", params.len()));
        let row = bind_all(sqlx::query(&sql), &params)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => {
                self.audit_event(actor, "missing.read", "missing_report", id, "")
                    .await?;
                report_from_row(&r)
            }
            None => {
                let _ = self
                    .audit_event(actor, "missing.read.denied", "missing_report", id, "")
                    .await;
                Err(StoreError::NotFound)
            }
        }
    }

    /// Open reports to match against the persons (all of them, or one), for a matching run.
    pub async fn open_reports_for_matching(
        &self,
        actor: &Actor,
        only: Option<&str>,
    ) -> Result<Vec<MissingReport>> {
        let p = &actor.principal;
        if !(p.may(Action::ReportMissing) || p.may(Action::ImportLists)) {
            return Err(StoreError::Forbidden);
        }
        let query = match only {
            Some(id) => {
                sqlx::query("SELECT * FROM missing_reports WHERE id = $1 AND status = 'open'")
                    .bind(id)
            }
            None => sqlx::query("SELECT * FROM missing_reports WHERE status = 'open' ORDER BY id"),
        };
        let target = ("missing.match", "missing_report", only.unwrap_or(""));
        self.read_audited(actor, query, report_from_row, target)
            .await
    }

    /// Records that the family was told their relative was found. Only roles trained to deliver
    /// such news may (see `Action::NotifyFamily`), and only for reports they may read.
    pub async fn mark_family_informed(&self, actor: &Actor, id: &str) -> Result<MissingReport> {
        if !actor.principal.may(Action::NotifyFamily) {
            let _ = self
                .audit_event(actor, "missing.inform.denied", "missing_report", id, "")
                .await;
            return Err(StoreError::Forbidden);
        }
        let report = self.missing_report(actor, id).await?;
        if report.status != "found" {
            return Err(StoreError::Conflict(
                "the report has no confirmed match yet".into(),
            ));
        }
        if report.family_informed_at.is_some() {
            return Err(StoreError::Conflict(
                "the family was already informed".into(),
            ));
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE missing_reports SET family_informed_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            actor,
            "missing.family_informed",
            "missing_report",
            id,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(MissingReport {
            family_informed_at: Some(now),
            ..report
        })
    }
}
