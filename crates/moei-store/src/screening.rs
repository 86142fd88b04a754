//! Trafficking screening: interviews, MDT case conferences, the non-punishment safeguard, the
//! screening queue and the HTCDS export.
//!
//! Who sees what:
//! - interviews and assessments: screeners, and MDT members of a conference on that person
//!   (the membership is checked in the SQL); never embassy officers, investigators or analysts;
//! - investigators see only the interview parts an MDT determination shared with them by name;
//! - every read is audited (one row per read, never the content).
//!
//! Interview content (people, consent, answers, narrative, assessment) and MDT reasoning are
//! sealed field by field with the key from the key file, bound to their table, column and row.
//! The person's `case_status` follows the screening result and then the MDT decision.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::Date;
use moei_crypto::field::{Cell, FieldKey};
use moei_domain::validation::FieldError;
use moei_domain::{Action, CaseStatus, Person, Role, ValidationErrors};
use moei_screening::interview::InterviewRecord;
use moei_screening::mdt::{Decision, Determination, Dissent, Exploitation, MdtMember, Reviewer};
use moei_screening::safeguard::{
    Override, ProposedAction, SafeguardDecision, ScreeningState, SeniorRole, check_action,
};
use moei_screening::triage::{TriageInput, TriageReason, triage_order};
use moei_screening::{Instrument, Invalid, Registry};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::persons::person_from_row;
use crate::row::{int, new_id, opt_text, split_list, text, ts};
use crate::{Actor, Result, Store, StoreError};

/// The instruments shipped with Moei, parsed once.
fn registry() -> Result<&'static Registry> {
    static REGISTRY: OnceLock<std::result::Result<Registry, String>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| Registry::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| StoreError::corrupt(format!("built-in screening instruments: {e}")))
}

/// The instrument an interview names, at the version it names.
pub fn instrument(id: &str) -> Result<&'static Instrument> {
    registry()?.get(id).map_err(|e| {
        StoreError::Invalid(
            FieldError::new("instrument", "unknown_instrument", e.to_string()).into(),
        )
    })
}

/// Ids of the instruments an interview may use.
pub fn instrument_ids() -> Result<Vec<&'static str>> {
    Ok(registry()?.ids())
}

fn invalid(e: Invalid) -> StoreError {
    StoreError::Invalid(ValidationErrors(
        e.0.into_iter()
            .map(|f| FieldError::new(f.field, "invalid", f.problem))
            .collect(),
    ))
}

fn bad(field: &str, code: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code, message).into())
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::corrupt(e.to_string()))
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::corrupt(format!("{what}: {e}")))
}

/// Where a screening state puts the person's case (never used to undo a determination).
fn case_status_of(state: ScreeningState) -> CaseStatus {
    match state {
        ScreeningState::Unscreened => CaseStatus::Unscreened,
        ScreeningState::InterviewInProgress => CaseStatus::ScreeningInProgress,
        ScreeningState::PresumedVictim => CaseStatus::PresumedVictim,
        ScreeningState::FurtherInterview => CaseStatus::FurtherInterview,
        ScreeningState::ScreeningNotMet => CaseStatus::AwaitingMdt,
        ScreeningState::Determined(d) => case_status_of_decision(d),
    }
}

fn case_status_of_decision(d: Decision) -> CaseStatus {
    match d {
        Decision::VictimOfTrafficking => CaseStatus::VictimOfTrafficking,
        Decision::VictimOfForcedLabour => CaseStatus::VictimOfForcedLabour,
        Decision::NotVictimIrregularMigrant => CaseStatus::IrregularMigrant,
        Decision::SuspectedOffender => CaseStatus::SuspectedOffender,
    }
}

/// The safeguard's view of a case status.
fn screening_state_of(status: CaseStatus) -> ScreeningState {
    match status {
        CaseStatus::Unscreened => ScreeningState::Unscreened,
        CaseStatus::ScreeningInProgress => ScreeningState::InterviewInProgress,
        CaseStatus::FurtherInterview => ScreeningState::FurtherInterview,
        CaseStatus::PresumedVictim => ScreeningState::PresumedVictim,
        CaseStatus::AwaitingMdt => ScreeningState::ScreeningNotMet,
        CaseStatus::VictimOfTrafficking => {
            ScreeningState::Determined(Decision::VictimOfTrafficking)
        }
        CaseStatus::VictimOfForcedLabour => {
            ScreeningState::Determined(Decision::VictimOfForcedLabour)
        }
        CaseStatus::IrregularMigrant => {
            ScreeningState::Determined(Decision::NotVictimIrregularMigrant)
        }
        CaseStatus::SuspectedOffender => ScreeningState::Determined(Decision::SuspectedOffender),
    }
}

fn parse_case_status(s: &str) -> Result<CaseStatus> {
    CaseStatus::parse(s).ok_or_else(|| StoreError::corrupt(format!("bad case status {s}")))
}

/// Interview parts an MDT decision may share with investigators.
pub const SHAREABLE_PARTS: [&str; 3] = ["narrative", "responses", "assessment"];

/// A stored interview, decrypted for a reader allowed to see it.
#[derive(Debug, Clone, Serialize)]
pub struct Interview {
    pub id: String,
    pub person_id: String,
    pub record: InterviewRecord,
    /// Decision support, never the decision: `null` while in progress or without consent.
    pub assessment: Option<serde_json::Value>,
    /// `presumed_victim`, `further_interview`, `not_met`, or empty.
    pub result: String,
    /// The case status this interview put the person in (a determination is never undone).
    pub case_status: CaseStatus,
    pub created_at: String,
    pub created_by: String,
}

/// One member of a case conference. `username` links an account, which may then read the
/// person's interviews and record the determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConferenceMember {
    pub name: String,
    pub agency: String,
    pub role: String,
    #[serde(default)]
    pub username: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MdtCaseInput {
    pub person_id: String,
    pub conference_on: Date,
    pub members: Vec<ConferenceMember>,
}

/// The MDT's decision on a case; the members come from the case conference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeterminationInput {
    pub decision: Decision,
    #[serde(default)]
    pub exploitation: Vec<Exploitation>,
    pub reasons: Vec<String>,
    #[serde(default)]
    pub dissent: Vec<Dissent>,
    pub reviewer: Reviewer,
    #[serde(default)]
    pub second_reviewer: Option<Reviewer>,
    pub decided_on: Date,
    /// Review and appeal date. A review or appeal is a new conference on the same person.
    pub review_on: Date,
    /// Interview parts shared with investigators (see [`SHAREABLE_PARTS`]).
    #[serde(default)]
    pub share_with_investigators: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MdtCase {
    pub id: String,
    pub person_id: String,
    pub conference_on: String,
    pub members: Vec<ConferenceMember>,
    pub opened_at: String,
    pub opened_by: String,
    pub determination: Option<Determination>,
    pub decided_by: Option<String>,
    pub share_with_investigators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    /// The office the overriding account acts for.
    pub office: SeniorRole,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunitiveActionInput {
    pub person_id: String,
    pub kind: ProposedAction,
    pub reason: String,
    #[serde(rename = "override", default)]
    pub override_by: Option<OverrideInput>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PunitiveAction {
    pub id: String,
    pub person_id: String,
    pub registration_number: String,
    pub kind: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    /// The case status when the request was made.
    pub case_status: String,
    /// `allowed`, `allowed_by_override` or `refused`.
    pub status: String,
    pub refused_because: String,
    pub override_by: Option<String>,
    pub override_office: Option<String>,
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SafeguardCounts {
    pub requested: i64,
    pub allowed: i64,
    pub refused: i64,
    pub overridden: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SafeguardDashboard {
    pub counts: SafeguardCounts,
    /// Every override, newest first.
    pub overrides: Vec<PunitiveAction>,
    /// The latest refusals, newest first (at most 50).
    pub refusals: Vec<PunitiveAction>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningFlags {
    #[serde(default)]
    pub signs_of_violence: bool,
    #[serde(default)]
    pub appears_minor: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterpreterInput {
    pub name: String,
    pub agency: String,
    pub languages: Vec<String>,
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize)]
pub struct Interpreter {
    pub id: String,
    pub name: String,
    pub agency: String,
    pub languages: Vec<String>,
    pub available: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueEntry {
    pub person_id: String,
    pub registration_number: String,
    pub given_name: String,
    pub family_name: String,
    pub sex: String,
    pub nationality: String,
    pub languages: Vec<String>,
    pub case_status: CaseStatus,
    pub score: u32,
    pub reasons: Vec<TriageReason>,
    pub planned_departure: Option<String>,
    pub registered_at: String,
    /// Available interpreters who speak one of the person's languages.
    pub interpreters: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayCount {
    pub day: String,
    pub arrived: i64,
    pub screened: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ScreeningStats {
    /// Persons not yet screened to a result (unscreened, in progress, further interview).
    pub waiting: i64,
    /// Persons with a finished interview with consent.
    pub screened: i64,
    pub determined: i64,
    pub by_day: Vec<DayCount>,
}

/// Statuses that still need a screening interview.
const WAITING_SQL: &str = "('unscreened','screening_in_progress','further_interview')";

fn punitive_from_row(r: &AnyRow) -> Result<PunitiveAction> {
    Ok(PunitiveAction {
        id: text(r, "id")?,
        person_id: text(r, "person_id")?,
        registration_number: text(r, "registration_number")?,
        kind: text(r, "kind")?,
        reason: text(r, "reason")?,
        requested_by: text(r, "requested_by")?,
        requested_at: text(r, "requested_at")?,
        case_status: text(r, "case_status")?,
        status: text(r, "status")?,
        refused_because: text(r, "refused_because")?,
        override_by: opt_text(r, "override_by")?,
        override_office: opt_text(r, "override_office")?,
        override_reason: opt_text(r, "override_reason")?,
    })
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Store {
    fn field_key(&self) -> Result<&FieldKey> {
        self.field_key.as_deref().ok_or_else(|| {
            StoreError::Unsupported(
                "screening data is encrypted and no key file is loaded; set MOEI_KEY_FILE or create \
                 the key with `moei migrate --create`"
                    .into(),
            )
        })
    }

    fn seal(&self, table: &str, column: &str, row_id: &str, plain: &str) -> Result<String> {
        let cell = Cell {
            table,
            column,
            row_id,
        };
        self.field_key()?
            .encrypt(cell, plain)
            .map_err(|e| StoreError::Unsupported(e.to_string()))
    }

    fn open_field(&self, r: &AnyRow, table: &str, column: &str, row_id: &str) -> Result<String> {
        let cell = Cell {
            table,
            column,
            row_id,
        };
        self.field_key()?
            .decrypt(cell, &text(r, column)?)
            .map_err(|e| StoreError::corrupt(e.to_string()))
    }

    /// Checks the role, auditing a refusal.
    async fn require(&self, actor: &Actor, action: Action, name: &str, id: &str) -> Result<()> {
        if actor.principal.may(action) {
            Ok(())
        } else {
            Err(self.refuse(actor, name, id, StoreError::Forbidden).await)
        }
    }

    /// Loads a person inside a transaction, as "not found" when outside the actor's scope.
    async fn person_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person_id: &str,
    ) -> Result<Person> {
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?;
        match row.as_ref().map(person_from_row).transpose()? {
            Some(p) if actor.principal.sees_nationality(&p.nationality) => Ok(p),
            _ => Err(StoreError::NotFound),
        }
    }

    async fn case_status_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        person_id: &str,
    ) -> Result<CaseStatus> {
        let row = sqlx::query("SELECT case_status FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_one(&mut **tx)
            .await?;
        parse_case_status(&text(&row, "case_status")?)
    }

    /// Moves the case status (with a history entry naming only the status, not the content).
    async fn set_case_status(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person: &Person,
        from: CaseStatus,
        to: CaseStatus,
        event: &str,
    ) -> Result<()> {
        if from == to {
            return Ok(());
        }
        let version = person.version + 1;
        sqlx::query(
            "UPDATE persons SET case_status = $1, version = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(to.as_str())
        .bind(version)
        .bind(ts(self.clock.now()))
        .bind(&person.id)
        .execute(&mut **tx)
        .await?;
        let change =
            serde_json::json!({ "case_status": { "from": from.as_str(), "to": to.as_str() } });
        self.record_history(tx, actor, &person.id, version, event, &change)
            .await
    }

    /// SQL condition (on `person_id` column `col`) limiting MDT members to their conferences.
    /// Binds the username as `$2`.
    fn member_clause(actor: &Actor, col: &str) -> String {
        if actor.principal.role == Role::MdtMember {
            format!(
                " AND EXISTS (SELECT 1 FROM mdt_case_members m WHERE m.person_id = {col} AND m.username = $2)"
            )
        } else {
            " AND $2 = $2".into()
        }
    }

    // ----- interviews -------------------------------------------------------------------

    /// Records an interview (finished, in progress, or with consent refused) and moves the
    /// person's case status to what it shows, unless the MDT has already decided.
    pub async fn record_interview(
        &self,
        actor: &Actor,
        person_id: &str,
        record: &InterviewRecord,
    ) -> Result<Interview> {
        self.require(
            actor,
            Action::ConductScreening,
            "screening.interview.create",
            person_id,
        )
        .await?;
        self.field_key()?;
        let instrument = instrument(&record.instrument)?;
        record.validate(instrument).map_err(invalid)?;
        let state = record
            .screening_state(instrument)
            .map_err(|e| bad("responses", "unknown_indicator", e.to_string()))?;
        let assessment = match state {
            ScreeningState::Unscreened | ScreeningState::InterviewInProgress => None,
            _ => Some(
                serde_json::to_value(
                    moei_screening::assess(instrument, &record.answers())
                        .map_err(|e| bad("responses", "unknown_indicator", e.to_string()))?,
                )
                .map_err(|e| StoreError::corrupt(e.to_string()))?,
            ),
        };
        let result = assessment
            .as_ref()
            .and_then(|a| a.get("result"))
            .and_then(|r| r.as_str())
            .unwrap_or("")
            .to_string();

        let now = self.clock.now();
        let id = new_id(now);
        let t = "screening_interviews";
        let people = serde_json::json!({ "interviewer": record.interviewer, "interpreter": record.interpreter });
        let consent = serde_json::json!({ "explained": record.consent.explained, "recorded_at": record.consent.recorded_at });
        let people_enc = self.seal(t, "people_enc", &id, &people.to_string())?;
        let consent_enc = self.seal(t, "consent_enc", &id, &consent.to_string())?;
        let responses_enc = self.seal(t, "responses_enc", &id, &to_json(&record.responses)?)?;
        let narrative_enc = self.seal(t, "narrative_enc", &id, &record.narrative)?;
        let assessment_enc = self.seal(t, "assessment_enc", &id, &to_json(&assessment)?)?;

        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let person = self.person_in_tx(&mut tx, actor, person_id).await?;
        sqlx::query(
            "INSERT INTO screening_interviews (id, person_id, instrument, instrument_version, language, \
             consent_decision, started_at, ended_at, result, people_enc, consent_enc, responses_enc, \
             narrative_enc, assessment_enc, created_at, created_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
        )
        .bind(&id)
        .bind(&person.id)
        .bind(&record.instrument)
        .bind(&record.instrument_version)
        .bind(&record.language)
        .bind(enum_str(&record.consent.decision))
        .bind(ts(record.started_at))
        .bind(record.ended_at.map(ts))
        .bind(&result)
        .bind(&people_enc)
        .bind(&consent_enc)
        .bind(&responses_enc)
        .bind(&narrative_enc)
        .bind(&assessment_enc)
        .bind(ts(now))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        let before = self.case_status_in_tx(&mut tx, &person.id).await?;
        // A screening supports the MDT; it never undoes the MDT's determination.
        let after = if before.is_determined() {
            before
        } else {
            case_status_of(state)
        };
        self.set_case_status(&mut tx, actor, &person, before, after, "screening")
            .await?;
        self.audit(
            &mut tx,
            actor,
            "screening.interview.create",
            "person",
            &person.id,
            &format!("{} {}", id, after.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(Interview {
            id,
            person_id: person.id,
            record: record.clone(),
            assessment,
            result,
            case_status: after,
            created_at: ts(now),
            created_by: actor.principal.username.clone(),
        })
    }

    fn interview_from_row(&self, r: &AnyRow) -> Result<Interview> {
        let id = text(r, "id")?;
        let t = "screening_interviews";
        let people: serde_json::Value =
            from_json(&self.open_field(r, t, "people_enc", &id)?, "people")?;
        let consent: serde_json::Value =
            from_json(&self.open_field(r, t, "consent_enc", &id)?, "consent")?;
        let record = InterviewRecord {
            instrument: text(r, "instrument")?,
            instrument_version: text(r, "instrument_version")?,
            interviewer: serde_json::from_value(people["interviewer"].clone())
                .map_err(|e| StoreError::corrupt(e.to_string()))?,
            interpreter: serde_json::from_value(people["interpreter"].clone())
                .map_err(|e| StoreError::corrupt(e.to_string()))?,
            language: text(r, "language")?,
            consent: moei_screening::interview::Consent {
                explained: serde_json::from_value(consent["explained"].clone())
                    .map_err(|e| StoreError::corrupt(e.to_string()))?,
                decision: from_json(
                    &format!("\"{}\"", text(r, "consent_decision")?),
                    "consent decision",
                )?,
                recorded_at: serde_json::from_value(consent["recorded_at"].clone())
                    .map_err(|e| StoreError::corrupt(e.to_string()))?,
            },
            started_at: parse_time(&text(r, "started_at")?)?,
            ended_at: opt_text(r, "ended_at")?
                .map(|s| parse_time(&s))
                .transpose()?,
            responses: from_json(&self.open_field(r, t, "responses_enc", &id)?, "responses")?,
            narrative: self.open_field(r, t, "narrative_enc", &id)?,
        };
        Ok(Interview {
            person_id: text(r, "person_id")?,
            assessment: from_json(&self.open_field(r, t, "assessment_enc", &id)?, "assessment")?,
            result: text(r, "result")?,
            case_status: parse_case_status(&text(r, "case_status")?)?,
            created_at: text(r, "created_at")?,
            created_by: text(r, "created_by")?,
            record,
            id,
        })
    }

    /// One interview, for a screener or an MDT member of a conference on that person.
    pub async fn interview(&self, actor: &Actor, id: &str) -> Result<Interview> {
        self.require(actor, Action::ReadScreening, "screening.interview.read", id)
            .await?;
        let sql = format!(
            "SELECT i.*, p.case_status, p.nationality FROM screening_interviews i \
             JOIN persons p ON p.id = i.person_id WHERE i.id = $1{}",
            Self::member_clause(actor, "i.person_id")
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(&actor.principal.username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row
            .filter(|r| text(r, "nationality").is_ok_and(|n| actor.principal.sees_nationality(&n)))
        else {
            return Err(self
                .refuse(actor, "screening.interview.read", id, StoreError::NotFound)
                .await);
        };
        let interview = self.interview_from_row(&row)?;
        self.audit_event(
            actor,
            "screening.interview.read",
            "person",
            &interview.person_id,
            id,
        )
        .await?;
        Ok(interview)
    }

    /// A person's interviews, oldest first.
    pub async fn interviews_of(&self, actor: &Actor, person_id: &str) -> Result<Vec<Interview>> {
        self.require(
            actor,
            Action::ReadScreening,
            "screening.interview.list",
            person_id,
        )
        .await?;
        let visible = self.screening_visible(actor, person_id).await?;
        if !visible {
            return Err(self
                .refuse(
                    actor,
                    "screening.interview.list",
                    person_id,
                    StoreError::NotFound,
                )
                .await);
        }
        let rows = sqlx::query(
            "SELECT i.*, p.case_status FROM screening_interviews i JOIN persons p ON p.id = i.person_id \
             WHERE i.person_id = $1 ORDER BY i.id",
        )
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?;
        let out = rows
            .iter()
            .map(|r| self.interview_from_row(r))
            .collect::<Result<Vec<_>>>()?;
        self.audit_event(
            actor,
            "screening.interview.list",
            "person",
            person_id,
            &out.len().to_string(),
        )
        .await?;
        Ok(out)
    }

    /// Whether the actor may see this person's screening (exists, in scope, and for MDT members
    /// listed on one of the person's conferences).
    async fn screening_visible(&self, actor: &Actor, person_id: &str) -> Result<bool> {
        let sql = format!(
            "SELECT p.nationality FROM persons p WHERE p.id = $1{}",
            Self::member_clause(actor, "p.id")
        );
        let row = sqlx::query(&sql)
            .bind(person_id)
            .bind(&actor.principal.username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => actor.principal.sees_nationality(&text(&r, "nationality")?),
            None => false,
        })
    }

    /// What the MDT shared with investigators from a person's latest interview: only the named
    /// parts, and only after a determination that shares them.
    pub async fn shared_screening(
        &self,
        actor: &Actor,
        person_id: &str,
    ) -> Result<serde_json::Value> {
        if !(actor.principal.role == Role::Investigator || actor.principal.role == Role::Admin) {
            return Err(self
                .refuse(
                    actor,
                    "screening.shared.read",
                    person_id,
                    StoreError::Forbidden,
                )
                .await);
        }
        let case = sqlx::query(
            "SELECT id, decision, shared_parts FROM mdt_cases WHERE person_id = $1 AND decision IS NOT NULL \
             ORDER BY decided_at DESC, id DESC LIMIT 1",
        )
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await?;
        let interview = sqlx::query(
            "SELECT i.*, p.case_status FROM screening_interviews i JOIN persons p ON p.id = i.person_id \
             WHERE i.person_id = $1 AND i.ended_at IS NOT NULL ORDER BY i.id DESC LIMIT 1",
        )
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await?;
        let (Some(case), Some(row)) = (case, interview) else {
            return Err(self
                .refuse(
                    actor,
                    "screening.shared.read",
                    person_id,
                    StoreError::NotFound,
                )
                .await);
        };
        let parts: Vec<String> = from_json(&text(&case, "shared_parts")?, "shared parts")?;
        if parts.is_empty() {
            return Err(self
                .refuse(
                    actor,
                    "screening.shared.read",
                    person_id,
                    StoreError::NotFound,
                )
                .await);
        }
        let interview = self.interview_from_row(&row)?;
        let mut shared = serde_json::Map::new();
        for part in &parts {
            let value = match part.as_str() {
                "narrative" => serde_json::json!(interview.record.narrative),
                "responses" => serde_json::to_value(&interview.record.responses)
                    .map_err(|e| StoreError::corrupt(e.to_string()))?,
                "assessment" => interview.assessment.clone().unwrap_or_default(),
                _ => continue,
            };
            shared.insert(part.clone(), value);
        }
        self.audit_event(
            actor,
            "screening.shared.read",
            "person",
            person_id,
            &parts.join(","),
        )
        .await?;
        Ok(serde_json::json!({
            "person_id": person_id,
            "mdt_case_id": text(&case, "id")?,
            "decision": text(&case, "decision")?,
            "interview_id": interview.id,
            "parts": shared,
        }))
    }

    // ----- MDT case conferences -----------------------------------------------------------

    /// Opens a case conference on a person, naming its members and their agencies.
    pub async fn open_mdt_case(&self, actor: &Actor, input: &MdtCaseInput) -> Result<MdtCase> {
        self.require(
            actor,
            Action::OpenMdtCase,
            "mdt.case.open",
            &input.person_id,
        )
        .await?;
        let mut errors = ValidationErrors::default();
        if input.members.is_empty() {
            errors.push(FieldError::new(
                "members",
                "required",
                "a case conference needs its members",
            ));
        }
        for (i, m) in input.members.iter().enumerate() {
            for (field, value) in [("name", &m.name), ("agency", &m.agency), ("role", &m.role)] {
                if value.trim().is_empty() {
                    errors.push(FieldError::new(
                        format!("members[{i}].{field}"),
                        "required",
                        "must not be empty",
                    ));
                }
            }
        }
        let mut agencies: Vec<String> = input
            .members
            .iter()
            .map(|m| m.agency.trim().to_lowercase())
            .filter(|a| !a.is_empty())
            .collect();
        agencies.sort();
        agencies.dedup();
        if !input.members.is_empty() && agencies.len() < 2 {
            errors.push(FieldError::new(
                "members",
                "single_agency",
                "members must come from at least two agencies (a multi-disciplinary team)",
            ));
        }
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        for (i, m) in input.members.iter().enumerate() {
            let Some(username) = m.username.as_deref().filter(|u| !u.trim().is_empty()) else {
                continue;
            };
            let found = sqlx::query("SELECT role FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                errors.push(FieldError::new(
                    format!("members[{i}].username"),
                    "unknown_user",
                    format!("no account named `{username}`"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let person = self.person_in_tx(&mut tx, actor, &input.person_id).await?;
        sqlx::query(
            "INSERT INTO mdt_cases (id, person_id, conference_on, members, opened_at, opened_by) \
             VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(&id)
        .bind(&person.id)
        .bind(input.conference_on.to_string())
        .bind(to_json(&input.members)?)
        .bind(ts(now))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        let mut usernames: Vec<&str> = input
            .members
            .iter()
            .filter_map(|m| m.username.as_deref())
            .filter(|u| !u.trim().is_empty())
            .collect();
        usernames.sort();
        usernames.dedup();
        for username in usernames {
            sqlx::query(
                "INSERT INTO mdt_case_members (case_id, person_id, username) VALUES ($1,$2,$3)",
            )
            .bind(&id)
            .bind(&person.id)
            .bind(username)
            .execute(&mut *tx)
            .await?;
        }
        self.audit(&mut tx, actor, "mdt.case.open", "person", &person.id, &id)
            .await?;
        tx.commit().await?;
        Ok(MdtCase {
            id,
            person_id: person.id,
            conference_on: input.conference_on.to_string(),
            members: input.members.clone(),
            opened_at: ts(now),
            opened_by: actor.principal.username.clone(),
            determination: None,
            decided_by: None,
            share_with_investigators: Vec::new(),
        })
    }

    fn mdt_case_from_row(&self, r: &AnyRow) -> Result<MdtCase> {
        let id = text(r, "id")?;
        let determination = match opt_text(r, "determination_enc")? {
            Some(_) => Some(from_json(
                &self.open_field(r, "mdt_cases", "determination_enc", &id)?,
                "determination",
            )?),
            None => None,
        };
        Ok(MdtCase {
            person_id: text(r, "person_id")?,
            conference_on: text(r, "conference_on")?,
            members: from_json(&text(r, "members")?, "members")?,
            opened_at: text(r, "opened_at")?,
            opened_by: text(r, "opened_by")?,
            determination,
            decided_by: opt_text(r, "decided_by")?,
            share_with_investigators: from_json(&text(r, "shared_parts")?, "shared parts")?,
            id,
        })
    }

    /// A person's case conferences, oldest first (same visibility as interviews).
    pub async fn mdt_cases_of(&self, actor: &Actor, person_id: &str) -> Result<Vec<MdtCase>> {
        self.require(actor, Action::ReadScreening, "mdt.case.list", person_id)
            .await?;
        if !self.screening_visible(actor, person_id).await? {
            return Err(self
                .refuse(actor, "mdt.case.list", person_id, StoreError::NotFound)
                .await);
        }
        let rows = sqlx::query("SELECT * FROM mdt_cases WHERE person_id = $1 ORDER BY id")
            .bind(person_id)
            .fetch_all(&self.pool)
            .await?;
        let out = rows
            .iter()
            .map(|r| self.mdt_case_from_row(r))
            .collect::<Result<Vec<_>>>()?;
        self.audit_event(actor, "mdt.case.list", "person", person_id, "")
            .await?;
        Ok(out)
    }

    /// Records the MDT's determination on a case; the person's case status follows it. Only
    /// members of that conference (or an admin) may record it, once per conference.
    pub async fn decide_mdt_case(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &DeterminationInput,
    ) -> Result<MdtCase> {
        self.require(actor, Action::DecideMdt, "mdt.decide", case_id)
            .await?;
        self.field_key()?;
        for (i, part) in input.share_with_investigators.iter().enumerate() {
            if !SHAREABLE_PARTS.contains(&part.as_str()) {
                return Err(bad(
                    &format!("share_with_investigators[{i}]"),
                    "unknown_part",
                    format!(
                        "`{part}` is not a shareable part ({})",
                        SHAREABLE_PARTS.join(", ")
                    ),
                ));
            }
        }
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        // Members decide their own conference only; an admin may record any.
        let sql = if actor.principal.role == Role::MdtMember {
            "SELECT * FROM mdt_cases c WHERE c.id = $1 AND EXISTS \
             (SELECT 1 FROM mdt_case_members m WHERE m.case_id = c.id AND m.username = $2)"
        } else {
            "SELECT * FROM mdt_cases c WHERE c.id = $1 AND $2 = $2"
        };
        let row = sqlx::query(sql)
            .bind(case_id)
            .bind(&actor.principal.username)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            drop(tx);
            drop(_guard);
            return Err(self
                .refuse(actor, "mdt.decide", case_id, StoreError::NotFound)
                .await);
        };
        let mut case = self.mdt_case_from_row(&row)?;
        if case.determination.is_some() {
            return Err(StoreError::Conflict(
                "this conference has decided already; a review or appeal is a new conference"
                    .into(),
            ));
        }
        let determination = Determination {
            decision: input.decision,
            exploitation: input.exploitation.clone(),
            reasons: input.reasons.clone(),
            dissent: input.dissent.clone(),
            members: case
                .members
                .iter()
                .map(|m| MdtMember {
                    name: m.name.clone(),
                    agency: m.agency.clone(),
                    role: m.role.clone(),
                })
                .collect(),
            reviewer: input.reviewer.clone(),
            second_reviewer: input.second_reviewer.clone(),
            decided_on: input.decided_on,
            review_on: input.review_on,
        };
        determination.validate().map_err(invalid)?;
        let person = self.person_in_tx(&mut tx, actor, &case.person_id).await?;
        let sealed = self.seal(
            "mdt_cases",
            "determination_enc",
            case_id,
            &to_json(&determination)?,
        )?;
        sqlx::query(
            "UPDATE mdt_cases SET decision = $1, decided_on = $2, review_on = $3, decided_at = $4, \
             decided_by = $5, shared_parts = $6, determination_enc = $7 WHERE id = $8",
        )
        .bind(determination.decision.as_str())
        .bind(determination.decided_on.to_string())
        .bind(determination.review_on.to_string())
        .bind(ts(now))
        .bind(&actor.principal.username)
        .bind(to_json(&input.share_with_investigators)?)
        .bind(&sealed)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        let before = self.case_status_in_tx(&mut tx, &person.id).await?;
        let after = case_status_of_decision(determination.decision);
        self.set_case_status(&mut tx, actor, &person, before, after, "mdt_decision")
            .await?;
        self.audit(
            &mut tx,
            actor,
            "mdt.decide",
            "person",
            &person.id,
            &format!("{case_id} {}", determination.decision.as_str()),
        )
        .await?;
        if !input.share_with_investigators.is_empty() {
            self.audit(
                &mut tx,
                actor,
                "mdt.share",
                "person",
                &person.id,
                &input.share_with_investigators.join(","),
            )
            .await?;
        }
        tx.commit().await?;
        case.determination = Some(determination);
        case.decided_by = Some(actor.principal.username.clone());
        case.share_with_investigators = input.share_with_investigators.clone();
        Ok(case)
    }

    // ----- the non-punishment safeguard ---------------------------------------------------

    /// Asks for a punitive action. While the person is protected (unscreened, being screened,
    /// presumed or determined a victim) it is refused with [`StoreError::Safeguard`], unless an
    /// account allowed to override gives an office and a reason. Refusals are stored and
    /// audited too, so the dashboard counts them.
    pub async fn request_punitive_action(
        &self,
        actor: &Actor,
        input: &PunitiveActionInput,
    ) -> Result<PunitiveAction> {
        let action = if input.override_by.is_some() {
            Action::OverrideSafeguard
        } else {
            Action::RequestPunitiveAction
        };
        self.require(actor, action, "safeguard.request", &input.person_id)
            .await?;
        if !input.kind.is_punitive() {
            return Err(bad(
                "kind",
                "not_punitive",
                "only punitive actions go through the safeguard (refer_for_prosecution, \
                 prosecute_immigration_offence, immigration_fine, deport, detain_as_offender)",
            ));
        }
        if input.reason.trim().is_empty() {
            return Err(bad("reason", "required", "must not be empty"));
        }
        if let Some(o) = &input.override_by
            && o.reason.trim().is_empty()
        {
            return Err(bad(
                "override.reason",
                "required",
                "an override needs a reason",
            ));
        }
        let override_by = input.override_by.as_ref().map(|o| Override {
            name: actor.principal.username.clone(),
            role: o.office,
            reason: o.reason.clone(),
        });
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let person = self.person_in_tx(&mut tx, actor, &input.person_id).await?;
        let status = self.case_status_in_tx(&mut tx, &person.id).await?;
        let decision = check_action(screening_state_of(status), input.kind, override_by.as_ref());
        let (outcome, refused_because) = match &decision {
            SafeguardDecision::Allowed => ("allowed", String::new()),
            SafeguardDecision::AllowedByOverride {
                refused_because, ..
            } => ("allowed_by_override", refused_because.clone()),
            SafeguardDecision::Refused { reason } => ("refused", reason.clone()),
        };
        let o = override_by
            .as_ref()
            .filter(|_| outcome == "allowed_by_override");
        sqlx::query(
            "INSERT INTO punitive_actions (id, person_id, kind, reason, requested_by, requested_at, \
             case_status, status, refused_because, override_by, override_office, override_reason) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
        )
        .bind(&id)
        .bind(&person.id)
        .bind(enum_str(&input.kind))
        .bind(input.reason.trim())
        .bind(&actor.principal.username)
        .bind(ts(now))
        .bind(status.as_str())
        .bind(outcome)
        .bind(&refused_because)
        .bind(o.map(|o| o.name.clone()))
        .bind(o.map(|o| enum_str(&o.role)))
        .bind(o.map(|o| o.reason.clone()))
        .execute(&mut *tx)
        .await?;
        if outcome != "refused" && input.kind == ProposedAction::ReferForProsecution {
            sqlx::query("UPDATE persons SET held_for_prosecution = 1 WHERE id = $1")
                .bind(&person.id)
                .execute(&mut *tx)
                .await?;
        }
        let audit_action = match outcome {
            "allowed" => "safeguard.allowed",
            "allowed_by_override" => "safeguard.override",
            _ => "safeguard.refused",
        };
        self.audit(
            &mut tx,
            actor,
            audit_action,
            "person",
            &person.id,
            &format!("{} {}", enum_str(&input.kind), id),
        )
        .await?;
        tx.commit().await?;
        if outcome == "refused" {
            return Err(StoreError::Safeguard(refused_because));
        }
        Ok(PunitiveAction {
            id,
            person_id: person.id,
            registration_number: person.registration_number.as_str().to_string(),
            kind: enum_str(&input.kind),
            reason: input.reason.trim().to_string(),
            requested_by: actor.principal.username.clone(),
            requested_at: ts(now),
            case_status: status.as_str().into(),
            status: outcome.into(),
            refused_because,
            override_by: o.map(|o| o.name.clone()),
            override_office: o.map(|o| enum_str(&o.role)),
            override_reason: o.map(|o| o.reason.clone()),
        })
    }

    /// Counts of punitive requests, every override and the latest refusals.
    pub async fn safeguard_dashboard(&self, actor: &Actor) -> Result<SafeguardDashboard> {
        self.require(actor, Action::ReadSafeguard, "safeguard.dashboard", "")
            .await?;
        let rows =
            sqlx::query("SELECT status, COUNT(*) AS n FROM punitive_actions GROUP BY status")
                .fetch_all(&self.pool)
                .await?;
        let mut counts = SafeguardCounts::default();
        for r in &rows {
            let n = int(r, "n")?;
            counts.requested += n;
            match text(r, "status")?.as_str() {
                "allowed" => counts.allowed += n,
                "allowed_by_override" => counts.overridden += n,
                _ => counts.refused += n,
            }
        }
        let list = |status: &'static str, limit: i64| {
            sqlx::query(
                "SELECT a.*, p.registration_number FROM punitive_actions a JOIN persons p ON p.id = a.person_id \
                 WHERE a.status = $1 ORDER BY a.id DESC LIMIT $2",
            )
            .bind(status)
            .bind(limit)
            .fetch_all(&self.pool)
        };
        let overrides = list("allowed_by_override", i64::MAX).await?;
        let refusals = list("refused", 50).await?;
        let dashboard = SafeguardDashboard {
            counts,
            overrides: overrides
                .iter()
                .map(punitive_from_row)
                .collect::<Result<_>>()?,
            refusals: refusals
                .iter()
                .map(punitive_from_row)
                .collect::<Result<_>>()?,
        };
        self.audit_event(actor, "safeguard.dashboard", "safeguard", "", "")
            .await?;
        Ok(dashboard)
    }

    // ----- triage -------------------------------------------------------------------------

    /// Records what staff saw that raises a person's screening priority.
    pub async fn set_screening_flags(
        &self,
        actor: &Actor,
        person_id: &str,
        flags: &ScreeningFlags,
    ) -> Result<ScreeningFlags> {
        self.require(
            actor,
            Action::ConductScreening,
            "screening.flags",
            person_id,
        )
        .await?;
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let person = self.person_in_tx(&mut tx, actor, person_id).await?;
        sqlx::query(
            "INSERT INTO screening_flags (person_id, signs_of_violence, appears_minor, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5) ON CONFLICT (person_id) DO UPDATE SET \
             signs_of_violence = excluded.signs_of_violence, appears_minor = excluded.appears_minor, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&person.id)
        .bind(i64::from(flags.signs_of_violence))
        .bind(i64::from(flags.appears_minor))
        .bind(ts(self.clock.now()))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            "screening.flags",
            "person",
            &person.id,
            &to_json(flags)?,
        )
        .await?;
        tx.commit().await?;
        Ok(flags.clone())
    }

    pub async fn add_interpreter(
        &self,
        actor: &Actor,
        input: &InterpreterInput,
    ) -> Result<Interpreter> {
        self.require(
            actor,
            Action::ConductScreening,
            "screening.interpreter.add",
            "",
        )
        .await?;
        let mut errors = ValidationErrors::default();
        for (field, value) in [("name", &input.name), ("agency", &input.agency)] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required", "must not be empty"));
            }
        }
        if input.languages.is_empty() {
            errors.push(FieldError::new(
                "languages",
                "required",
                "name at least one language",
            ));
        }
        for (i, l) in input.languages.iter().enumerate() {
            let ok = !l.is_empty()
                && l.len() <= 35
                && l.split('-').all(|p| {
                    !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !ok {
                errors.push(FieldError::new(
                    format!("languages[{i}]"),
                    "invalid_language",
                    format!("`{l}` is not a language tag such as `my` or `hi`"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO interpreters (id, name, agency, languages, available, created_at) \
             VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(&id)
        .bind(input.name.trim())
        .bind(input.agency.trim())
        .bind(input.languages.join(","))
        .bind(i64::from(input.available))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            "screening.interpreter.add",
            "interpreter",
            &id,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(Interpreter {
            id,
            name: input.name.trim().into(),
            agency: input.agency.trim().into(),
            languages: input.languages.clone(),
            available: input.available,
        })
    }

    pub async fn interpreters(&self, actor: &Actor) -> Result<Vec<Interpreter>> {
        self.require(
            actor,
            Action::ReadScreeningQueue,
            "screening.interpreters",
            "",
        )
        .await?;
        self.load_interpreters().await
    }

    async fn load_interpreters(&self) -> Result<Vec<Interpreter>> {
        let rows = sqlx::query("SELECT * FROM interpreters ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Interpreter {
                    id: text(r, "id")?,
                    name: text(r, "name")?,
                    agency: text(r, "agency")?,
                    languages: split_list(&text(r, "languages")?),
                    available: int(r, "available")? != 0,
                })
            })
            .collect()
    }

    /// Who to screen next, highest priority first: minors, near departures, injured, signs of
    /// violence, women. `language` keeps persons who speak it; each entry names the available
    /// interpreters for the person's languages.
    pub async fn screening_queue(
        &self,
        actor: &Actor,
        language: Option<&str>,
        limit: usize,
    ) -> Result<Vec<QueueEntry>> {
        self.require(actor, Action::ReadScreeningQueue, "screening.queue", "")
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT p.*, f.signs_of_violence, f.appears_minor FROM persons p \
             LEFT JOIN screening_flags f ON f.person_id = p.id \
             WHERE p.case_status IN {WAITING_SQL}"
        ))
        .fetch_all(&self.pool)
        .await?;
        let today = self.clock.today();
        let now = self.clock.now();
        let mut persons = Vec::new();
        let mut inputs = Vec::new();
        for r in &rows {
            let person = person_from_row(r)?;
            if !actor.principal.sees_nationality(&person.nationality) {
                continue;
            }
            if let Some(lang) = language.filter(|l| !l.is_empty())
                && !person.languages.iter().any(|l| l == lang)
            {
                continue;
            }
            let planned = opt_text(r, "planned_departure")?;
            inputs.push(TriageInput {
                person: person.id.clone(),
                age_years: age_lower_bound(&person, today),
                appears_minor: r.try_get_flag("appears_minor")?
                    || person.needs.contains(&moei_domain::Need::Minor),
                injured: person.needs.contains(&moei_domain::Need::Injured),
                sex: screening_sex(person.sex.as_str()),
                signs_of_violence: r.try_get_flag("signs_of_violence")?,
                planned_departure: planned.as_deref().and_then(parse_departure),
                arrived_at: person.registered_at,
            });
            persons.push((
                person,
                planned,
                parse_case_status(&text(r, "case_status")?)?,
            ));
        }
        let interpreters: Vec<Interpreter> = self
            .load_interpreters()
            .await?
            .into_iter()
            .filter(|i| i.available)
            .collect();
        let mut out = Vec::new();
        for entry in triage_order(&inputs, now).into_iter().take(limit) {
            let Some((p, planned, status)) = persons.iter().find(|(p, _, _)| p.id == entry.person)
            else {
                continue;
            };
            out.push(QueueEntry {
                person_id: p.id.clone(),
                registration_number: p.registration_number.as_str().to_string(),
                given_name: p.given_name.clone(),
                family_name: p.family_name.clone(),
                sex: p.sex.as_str().into(),
                nationality: p.nationality.clone(),
                languages: p.languages.clone(),
                case_status: *status,
                score: entry.score,
                reasons: entry.reasons,
                planned_departure: planned.clone(),
                registered_at: ts(p.registered_at),
                interpreters: interpreters
                    .iter()
                    .filter(|i| i.languages.iter().any(|l| p.languages.contains(l)))
                    .map(|i| i.name.clone())
                    .collect(),
            });
        }
        self.audit_event(
            actor,
            "screening.queue",
            "screening",
            "",
            &format!("{} {}", out.len(), language.unwrap_or("")),
        )
        .await?;
        Ok(out)
    }

    /// Screened and waiting counts, and per day how many arrived and how many were screened,
    /// so the team sees whether it keeps up with arrivals.
    pub async fn screening_stats(&self, actor: &Actor) -> Result<ScreeningStats> {
        self.require(actor, Action::ReadScreeningQueue, "screening.stats", "")
            .await?;
        let count = |sql: String| async move {
            let row = sqlx::query(&sql).fetch_one(&self.pool).await?;
            int(&row, "n")
        };
        let waiting = count(format!(
            "SELECT COUNT(*) AS n FROM persons WHERE case_status IN {WAITING_SQL}"
        ))
        .await?;
        let determined = count(format!(
            "SELECT COUNT(*) AS n FROM persons WHERE case_status IN ({})",
            CaseStatus::cleared_sql_list()
        ))
        .await?;
        let screened = count(
            "SELECT COUNT(DISTINCT person_id) AS n FROM screening_interviews \
             WHERE ended_at IS NOT NULL AND consent_decision = 'given'"
                .into(),
        )
        .await?;
        let arrived = sqlx::query(
            "SELECT registered_day AS day, COUNT(*) AS n FROM persons GROUP BY registered_day",
        )
        .fetch_all(&self.pool)
        .await?;
        // Screened per day: each person counts once, on the day their first finished interview
        // ended (days in the deployment's time zone).
        let first_ends = sqlx::query(
            "SELECT person_id, MIN(ended_at) AS ended FROM screening_interviews \
             WHERE ended_at IS NOT NULL AND consent_decision = 'given' GROUP BY person_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut days: std::collections::BTreeMap<String, DayCount> = Default::default();
        for r in &arrived {
            let day = text(r, "day")?;
            days.entry(day.clone())
                .or_insert(DayCount {
                    day,
                    arrived: 0,
                    screened: 0,
                })
                .arrived += int(r, "n")?;
        }
        for r in &first_ends {
            let ended = parse_time(&text(r, "ended")?)?;
            let day = ended
                .to_zoned(moei_domain::clock::deployment_zone())
                .date()
                .to_string();
            days.entry(day.clone())
                .or_insert(DayCount {
                    day,
                    arrived: 0,
                    screened: 0,
                })
                .screened += 1;
        }
        let stats = ScreeningStats {
            waiting,
            screened,
            determined,
            by_day: days.into_values().collect(),
        };
        self.audit_event(actor, "screening.stats", "screening", "", "")
            .await?;
        Ok(stats)
    }

    // ----- HTCDS export -------------------------------------------------------------------

    /// Determined cases (each person's latest determination) for the HTCDS export.
    pub async fn htcds_cases(&self, actor: &Actor) -> Result<Vec<moei_screening::HtcdsCase>> {
        self.require(actor, Action::ExportHtcds, "screening.htcds.export", "")
            .await?;
        let rows = sqlx::query(
            "SELECT c.*, p.registration_number, p.given_name, p.family_name, p.date_of_birth, p.sex, \
             p.nationality FROM mdt_cases c JOIN persons p ON p.id = c.person_id \
             WHERE c.decision IS NOT NULL ORDER BY p.registration_number, c.decided_at DESC, c.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<moei_screening::HtcdsCase> = Vec::new();
        for r in &rows {
            let reg = text(r, "registration_number")?;
            if out.last().is_some_and(|c| c.case_id == reg) {
                continue; // an older determination of the same person
            }
            if !actor.principal.sees_nationality(&text(r, "nationality")?) {
                continue;
            }
            let case = self.mdt_case_from_row(r)?;
            let Some(determination) = case.determination else {
                continue;
            };
            out.push(moei_screening::HtcdsCase {
                case_id: reg,
                first_name: text(r, "given_name")?,
                second_name: text(r, "family_name")?,
                // Only a full date goes out; a year or year-month stays home.
                birthdate: opt_text(r, "date_of_birth")?.and_then(|d| d.parse().ok()),
                sex: screening_sex(&text(r, "sex")?),
                citizenship: vec![text(r, "nationality")?],
                decision_making_org:
                    moei_screening::htcds::DecisionMakingOrg::NonPoliceGovernmentalOrganization,
                determination,
            });
        }
        self.audit_event(
            actor,
            "screening.htcds.export",
            "screening",
            "",
            &out.len().to_string(),
        )
        .await?;
        Ok(out)
    }
}

/// The youngest the person can be, from the birth date or estimated age (benefit of the doubt:
/// a birth year alone counts as the later birthday).
fn age_lower_bound(person: &Person, today: Date) -> Option<u8> {
    if let Some(dob) = person.date_of_birth {
        let years = i32::from(today.year()) - i32::from(dob.year()) - 1;
        return u8::try_from(years.max(0)).ok();
    }
    person.estimated_age
}

fn screening_sex(letter: &str) -> Option<moei_screening::Sex> {
    match letter {
        "F" => Some(moei_screening::Sex::F),
        "M" => Some(moei_screening::Sex::M),
        "X" => Some(moei_screening::Sex::X),
        _ => None,
    }
}

fn parse_time(s: &str) -> Result<Timestamp> {
    s.parse()
        .map_err(|_| StoreError::corrupt(format!("bad timestamp {s:?}")))
}

/// A planned departure is a timestamp or a date (taken as that day's start, Bangkok time).
fn parse_departure(s: &str) -> Option<Timestamp> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let date: Date = s.get(..10)?.parse().ok()?;
    date.to_zoned(moei_domain::clock::deployment_zone())
        .ok()
        .map(|z| z.timestamp())
}

trait FlagColumn {
    fn try_get_flag(&self, col: &str) -> Result<bool>;
}

impl FlagColumn for AnyRow {
    /// A 0/1 column from a LEFT JOIN (absent counts as 0).
    fn try_get_flag(&self, col: &str) -> Result<bool> {
        use sqlx::Row;
        Ok(self.try_get::<Option<i64>, _>(col)?.unwrap_or(0) != 0)
    }
}
