//! The embassy workspace and the protection rules around it.
//!
//! An embassy officer sees only minimal identity data of the nationals in their scope, and only
//! of those who may be disclosed: a legal basis is recorded for them and they have no unreviewed
//! (or upheld) fear of return. Anyone else answers "not found". Every roll records one
//! disclosure row per person with the basis it relied on.

use moei_domain::logistics::{
    LegalBasis, ProtectionStatus, TravelDocumentKind, Verification, parse_date,
};
use moei_domain::validation::FieldError;
use moei_domain::{Action, ValidationErrors};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use crate::persons::{bind_all, scope_clause};
use crate::row::{int, new_id, opt_text, text, ts};
use crate::{Actor, Result, Store, StoreError};

/// SQL: identity data of the person whose id is `id_column` may go to the person's embassy.
pub(crate) fn disclosable(id_column: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM disclosure_bases db WHERE db.person_id = {id_column}) \
         AND NOT EXISTS (SELECT 1 FROM protection_flags pf WHERE pf.person_id = {id_column} \
         AND pf.status IN ('flagged', 'upheld'))"
    )
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Embassy {
    pub nationality: String,
    pub has_embassy: bool,
    pub photos_allowed: bool,
    pub source: String,
}

/// What an embassy records about one person; absent fields are left as they were.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsularInput {
    pub verification: Option<String>,
    pub travel_document_kind: Option<String>,
    pub travel_document_number: Option<String>,
    pub travel_document_valid_until: Option<String>,
    pub proposed_departure: Option<String>,
}

/// The validated form of [`ConsularInput`].
#[derive(Debug, Clone, Default)]
struct ConsularChange {
    verification: Option<Verification>,
    travel_document: Option<(TravelDocumentKind, String, Option<String>)>,
    proposed_departure: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ConsularInput {
    fn validate(&self, today: jiff::civil::Date) -> Result<ConsularChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut change = ConsularChange::default();
        if let Some(v) = given(&self.verification) {
            match Verification::parse_field("verification", v) {
                Ok(v) => change.verification = Some(v),
                Err(e) => errors.push(e),
            }
        }
        let kind = given(&self.travel_document_kind);
        let number = given(&self.travel_document_number);
        match (kind, number) {
            (Some(k), Some(n)) => {
                let kind = TravelDocumentKind::parse_field("travel_document_kind", k);
                if let Err(e) = &kind {
                    errors.push(e.clone());
                }
                if n.chars().count() > 40 {
                    errors.push(FieldError::new(
                        "travel_document_number",
                        "too_long",
                        "must be at most 40 characters",
                    ));
                }
                let until = match given(&self.travel_document_valid_until) {
                    Some(d) => match parse_date("travel_document_valid_until", d) {
                        Ok(d) if d < today => {
                            errors.push(FieldError::new(
                                "travel_document_valid_until",
                                "expired",
                                "the travel document has already expired",
                            ));
                            None
                        }
                        Ok(d) => Some(d.to_string()),
                        Err(e) => {
                            errors.push(e);
                            None
                        }
                    },
                    None => None,
                };
                if let Ok(kind) = kind {
                    change.travel_document = Some((kind, n.to_uppercase(), until));
                }
            }
            (None, None) => {
                if given(&self.travel_document_valid_until).is_some() {
                    errors.push(FieldError::new(
                        "travel_document_number",
                        "required",
                        "a validity date needs the document's kind and number",
                    ));
                }
            }
            (None, Some(_)) => errors.push(FieldError::new(
                "travel_document_kind",
                "required",
                "give the kind of travel document with its number",
            )),
            (Some(_), None) => errors.push(FieldError::new(
                "travel_document_number",
                "required",
                "give the number of the travel document",
            )),
        }
        if let Some(d) = given(&self.proposed_departure) {
            match parse_date("proposed_departure", d) {
                Ok(d) if d < today => errors.push(FieldError::new(
                    "proposed_departure",
                    "in_the_past",
                    "a proposed departure cannot be in the past",
                )),
                Ok(d) => change.proposed_departure = Some(d.to_string()),
                Err(e) => errors.push(e),
            }
        }
        errors.into_result(change)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsularRecord {
    pub person_id: String,
    pub verification: String,
    pub travel_document_kind: Option<String>,
    pub travel_document_number: Option<String>,
    pub travel_document_valid_until: Option<String>,
    pub proposed_departure: Option<String>,
}

/// One person on a nominal roll: minimal identity data and the consular state, nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct RollEntry {
    pub registration_number: String,
    pub family_name: String,
    pub given_name: String,
    pub name_original_script: String,
    pub sex: String,
    pub date_of_birth: Option<String>,
    pub nationality: String,
    pub verification: String,
    pub travel_document_kind: Option<String>,
    pub travel_document_number: Option<String>,
    pub travel_document_valid_until: Option<String>,
    pub proposed_departure: Option<String>,
    pub legal_basis: String,
    #[serde(skip)]
    pub photo: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NominalRoll {
    pub nationality: String,
    pub generated_at: String,
    pub generated_by: String,
    pub photos_included: bool,
    pub entries: Vec<RollEntry>,
}

/// A fear-of-return flag as it stands. The reason only reaches those who record protection.
#[derive(Debug, Clone, Serialize)]
pub struct ProtectionFlag {
    /// "flagged", "upheld" or "cleared".
    pub status: String,
    pub reason: Option<String>,
    pub flagged_at: String,
    pub flagged_by: String,
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisclosureBasis {
    pub basis: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A person's current protection state: the flag, the legal basis for disclosure, and
/// whether their identity data may therefore go to their embassy.
#[derive(Debug, Clone, Serialize)]
pub struct Protection {
    pub person_id: String,
    pub flag: Option<ProtectionFlag>,
    pub disclosure_basis: Option<DisclosureBasis>,
    pub disclosable: bool,
}

/// One row of an embassy's verification file (cells as read; empty means "not given").
#[derive(Debug, Clone, Default)]
pub struct ConsularRow {
    /// The spreadsheet row number, for the report.
    pub line: usize,
    pub registration_number: String,
    pub input: ConsularInput,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowReport {
    pub line: usize,
    pub registration_number: String,
    /// "ok", "not_matched" (no such person in the officer's scope) or "invalid".
    pub status: String,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub rows: Vec<RowReport>,
    pub valid: usize,
    pub rejected: usize,
    /// Rows written: all valid rows when the file was clean or the user accepted them, else 0.
    pub applied: usize,
}

fn consular_from_row(r: &sqlx::any::AnyRow) -> Result<ConsularRecord> {
    Ok(ConsularRecord {
        person_id: text(r, "person_id")?,
        verification: text(r, "verification")?,
        travel_document_kind: opt_text(r, "travel_document_kind")?,
        travel_document_number: opt_text(r, "travel_document_number")?,
        travel_document_valid_until: opt_text(r, "travel_document_valid_until")?,
        proposed_departure: opt_text(r, "proposed_departure")?,
    })
}

impl Store {
    pub async fn embassies(&self) -> Result<Vec<Embassy>> {
        let rows = sqlx::query("SELECT * FROM embassies ORDER BY nationality")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Embassy {
                    nationality: text(r, "nationality")?,
                    has_embassy: int(r, "has_embassy")? != 0,
                    photos_allowed: int(r, "photos_allowed")? != 0,
                    source: text(r, "source")?,
                })
            })
            .collect()
    }

    /// Adds or corrects one nationality's entry (admins only).
    pub async fn set_embassy(&self, actor: &Actor, e: &Embassy) -> Result<()> {
        if !actor.principal.may(Action::ManageEmbassyList) {
            return Err(StoreError::Forbidden);
        }
        let code = e.nationality.trim().to_uppercase();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FieldError::new(
                "nationality",
                "bad_code",
                "must be an ISO 3166 alpha-3 code",
            )
            .into());
        }
        if e.source.trim().is_empty() {
            return Err(FieldError::new(
                "source",
                "required",
                "say where this information comes from",
            )
            .into());
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO embassies (nationality, has_embassy, photos_allowed, source, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (nationality) DO UPDATE SET has_embassy = excluded.has_embassy, \
             photos_allowed = excluded.photos_allowed, source = excluded.source, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(&code)
        .bind(i64::from(e.has_embassy))
        .bind(i64::from(e.photos_allowed))
        .bind(e.source.trim())
        .bind(&now)
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        let detail =
            serde_json::json!({ "has_embassy": e.has_embassy, "photos_allowed": e.photos_allowed });
        self.audit(
            &mut tx,
            actor,
            "embassy.set",
            "embassy",
            &code,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Loads a person the actor may act on for `action`, inside `tx`; out of scope is NotFound.
    /// `disclosable` also hides persons who may not be disclosed to their embassy.
    async fn person_for(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        id: &str,
        disclosable: bool,
    ) -> Result<(String, String)> {
        let mut params = vec![id.to_string()];
        let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
        let extra = if disclosable {
            format!(" AND {}", self::disclosable("p.id"))
        } else {
            String::new()
        };
        let sql =
            format!("SELECT p.id, p.nationality FROM persons p WHERE p.id = $1{scope}{extra}");
        let row = bind_all(sqlx::query(&sql), &params)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((text(&row, "id")?, text(&row, "nationality")?))
    }

    /// The current protection state of one person (a personal-data read: audited). Protection
    /// staff see the reason of a flag; those who move or send people home see the rest, so
    /// that they know why someone may not leave.
    pub async fn protection_of(&self, actor: &Actor, person_id: &str) -> Result<Protection> {
        let with_reason = actor.principal.may(Action::RecordProtection);
        if !with_reason
            && !actor.principal.may(Action::MovePersons)
            && !actor.principal.may(Action::ManageDepartures)
        {
            return Err(StoreError::Forbidden);
        }
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let (id, _) = self.person_for(&mut tx, actor, person_id, false).await?;
        let flag = sqlx::query("SELECT * FROM protection_flags WHERE person_id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| -> Result<ProtectionFlag> {
                Ok(ProtectionFlag {
                    status: text(&r, "status")?,
                    reason: if with_reason {
                        Some(text(&r, "reason")?)
                    } else {
                        None
                    },
                    flagged_at: text(&r, "flagged_at")?,
                    flagged_by: text(&r, "flagged_by")?,
                    reviewed_at: opt_text(&r, "reviewed_at")?,
                    reviewed_by: opt_text(&r, "reviewed_by")?,
                })
            })
            .transpose()?;
        let disclosure_basis = sqlx::query("SELECT * FROM disclosure_bases WHERE person_id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| -> Result<DisclosureBasis> {
                Ok(DisclosureBasis {
                    basis: text(&r, "basis")?,
                    recorded_at: text(&r, "recorded_at")?,
                    recorded_by: text(&r, "recorded_by")?,
                })
            })
            .transpose()?;
        // The same rule as `disclosable`, on the rows just read.
        let blocked = flag
            .as_ref()
            .is_some_and(|f| f.status != ProtectionStatus::Cleared.as_str());
        let disclosable = disclosure_basis.is_some() && !blocked;
        let detail = serde_json::json!({ "reason": with_reason });
        self.audit(
            &mut tx,
            actor,
            "person.protection_read",
            "person",
            &id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(Protection {
            person_id: id,
            flag,
            disclosure_basis,
            disclosable,
        })
    }

    /// Records on what basis this person's identity data may go to their embassy.
    pub async fn record_disclosure_basis(
        &self,
        actor: &Actor,
        person_id: &str,
        basis: &str,
    ) -> Result<()> {
        if !actor.principal.may(Action::RecordProtection) {
            return Err(StoreError::Forbidden);
        }
        let basis = LegalBasis::parse_field("basis", basis)?;
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let (id, _) = self.person_for(&mut tx, actor, person_id, false).await?;
        sqlx::query(
            "INSERT INTO disclosure_bases (person_id, basis, recorded_at, recorded_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (person_id) DO UPDATE SET basis = excluded.basis, recorded_at = excluded.recorded_at, \
             recorded_by = excluded.recorded_by",
        )
        .bind(&id)
        .bind(basis.as_str())
        .bind(&now)
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            "person.disclosure_basis",
            "person",
            &id,
            basis.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Flags a fear of return (`flagged`), or records the review (`upheld` keeps the block,
    /// `cleared` lifts it). The reason stays in Moei and never reaches an embassy.
    pub async fn set_protection(
        &self,
        actor: &Actor,
        person_id: &str,
        status: &str,
        reason: &str,
    ) -> Result<()> {
        if !actor.principal.may(Action::RecordProtection) {
            return Err(StoreError::Forbidden);
        }
        let status = ProtectionStatus::parse_field("status", status)?;
        if reason.chars().count() > 2000 {
            return Err(
                FieldError::new("reason", "too_long", "must be at most 2,000 characters").into(),
            );
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let (id, _) = self.person_for(&mut tx, actor, person_id, false).await?;
        let existing = sqlx::query("SELECT status FROM protection_flags WHERE person_id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        match (status, existing) {
            (ProtectionStatus::Flagged, _) => {
                sqlx::query(
                    "INSERT INTO protection_flags (person_id, status, reason, flagged_at, flagged_by) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (person_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, \
                     flagged_at = excluded.flagged_at, flagged_by = excluded.flagged_by, reviewed_at = NULL, reviewed_by = NULL",
                )
                .bind(&id)
                .bind(status.as_str())
                .bind(reason.trim())
                .bind(&now)
                .bind(&actor.principal.username)
                .execute(&mut *tx)
                .await?;
            }
            (_, None) => {
                return Err(FieldError::new(
                    "status",
                    "not_flagged",
                    "there is no fear-of-return flag to review",
                )
                .into());
            }
            (_, Some(_)) => {
                sqlx::query("UPDATE protection_flags SET status = $1, reviewed_at = $2, reviewed_by = $3 WHERE person_id = $4")
                    .bind(status.as_str())
                    .bind(&now)
                    .bind(&actor.principal.username)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // A person under protection is taken off any departure not yet gone.
        if status != ProtectionStatus::Cleared {
            sqlx::query(
                "UPDATE batch_persons SET outcome = 'withdrawn' WHERE person_id = $1 AND outcome = 'assigned'",
            )
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        }
        self.audit(
            &mut tx,
            actor,
            "person.protection",
            "person",
            &id,
            status.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the embassy's findings for one person.
    pub async fn record_consular(
        &self,
        actor: &Actor,
        person_id: &str,
        input: &ConsularInput,
    ) -> Result<ConsularRecord> {
        if !actor.principal.may(Action::RecordConsular) {
            return Err(StoreError::Forbidden);
        }
        let change = input.validate(self.clock.today())?;
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let (id, _) = self.person_for(&mut tx, actor, person_id, true).await?;
        let record = self.apply_consular(&mut tx, actor, &id, &change).await?;
        self.audit(
            &mut tx,
            actor,
            "consular.record",
            "person",
            &id,
            &record.verification,
        )
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn apply_consular(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person_id: &str,
        change: &ConsularChange,
    ) -> Result<ConsularRecord> {
        let existing = sqlx::query("SELECT * FROM consular_records WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?;
        let mut record = match existing.as_ref().map(consular_from_row).transpose()? {
            Some(r) => r,
            None => ConsularRecord {
                person_id: person_id.to_string(),
                verification: Verification::Pending.as_str().into(),
                travel_document_kind: None,
                travel_document_number: None,
                travel_document_valid_until: None,
                proposed_departure: None,
            },
        };
        if let Some(v) = change.verification {
            record.verification = v.as_str().into();
        }
        if let Some((kind, number, until)) = &change.travel_document {
            record.travel_document_kind = Some(kind.as_str().into());
            record.travel_document_number = Some(number.clone());
            record.travel_document_valid_until = until.clone();
        }
        if let Some(d) = &change.proposed_departure {
            record.proposed_departure = Some(d.clone());
            sqlx::query("UPDATE persons SET planned_departure = $1 WHERE id = $2")
                .bind(d)
                .bind(person_id)
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO consular_records (person_id, verification, travel_document_kind, travel_document_number, \
             travel_document_valid_until, proposed_departure, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) \
             ON CONFLICT (person_id) DO UPDATE SET verification = excluded.verification, \
             travel_document_kind = excluded.travel_document_kind, travel_document_number = excluded.travel_document_number, \
             travel_document_valid_until = excluded.travel_document_valid_until, \
             proposed_departure = excluded.proposed_departure, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&record.person_id)
        .bind(&record.verification)
        .bind(&record.travel_document_kind)
        .bind(&record.travel_document_number)
        .bind(&record.travel_document_valid_until)
        .bind(&record.proposed_departure)
        .bind(ts(self.clock.now()))
        .bind(&actor.principal.username)
        .execute(&mut **tx)
        .await?;
        Ok(record)
    }

    /// Applies an embassy's verification file. Each row is matched by registration number
    /// within the officer's scope and checked; if any row fails, nothing is written unless
    /// `accept_valid_rows`, in which case the valid rows are, all in one transaction.
    pub async fn import_consular(
        &self,
        actor: &Actor,
        rows: &[ConsularRow],
        accept_valid_rows: bool,
    ) -> Result<ImportReport> {
        if !actor.principal.may(Action::RecordConsular) {
            return Err(StoreError::Forbidden);
        }
        let today = self.clock.today();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let mut reports = Vec::with_capacity(rows.len());
        let mut valid = Vec::new();
        for row in rows {
            let mut report = RowReport {
                line: row.line,
                registration_number: row.registration_number.trim().to_string(),
                status: "ok".into(),
                errors: Vec::new(),
            };
            let mut params = vec![row.registration_number.trim().to_uppercase()];
            let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
            let sql = format!(
                "SELECT p.id FROM persons p WHERE p.registration_number = $1{scope} AND {}",
                disclosable("p.id")
            );
            let found = bind_all(sqlx::query(&sql), &params)
                .fetch_optional(&mut *tx)
                .await?;
            match (found, row.input.validate(today)) {
                (None, _) => {
                    report.status = "not_matched".into();
                    report.errors.push(FieldError::new(
                        "registration_number",
                        "not_matched",
                        "no person with this registration number on your roll",
                    ));
                }
                (Some(_), Err(e)) => {
                    report.status = "invalid".into();
                    report.errors = e.0;
                }
                (Some(r), Ok(change)) => valid.push((r.try_get::<String, _>("id")?, change)),
            }
            reports.push(report);
        }
        let rejected = reports.iter().filter(|r| r.status != "ok").count();
        let apply = rejected == 0 || accept_valid_rows;
        if apply {
            for (id, change) in &valid {
                self.apply_consular(&mut tx, actor, id, change).await?;
            }
        }
        let applied = if apply { valid.len() } else { 0 };
        let detail = serde_json::json!({ "rows": rows.len(), "valid": valid.len(), "rejected": rejected, "applied": applied });
        self.audit(
            &mut tx,
            actor,
            "consular.import",
            "consular",
            "",
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(ImportReport {
            rows: reports,
            valid: valid.len(),
            rejected,
            applied,
        })
    }

    /// The nominal roll of one nationality for its embassy, recording the disclosure of every
    /// person on it with the legal basis relied on. Photos only where the sharing agreement
    /// allows them and `with_photos` asks for them.
    pub async fn nominal_roll(
        &self,
        actor: &Actor,
        nationality: &str,
        with_photos: bool,
    ) -> Result<NominalRoll> {
        if !actor.principal.may(Action::ReadNominalRoll) {
            return Err(StoreError::Forbidden);
        }
        let nationality = nationality.trim().to_uppercase();
        if !actor.principal.sees_nationality(&nationality) {
            return Err(StoreError::NotFound);
        }
        let photos_allowed = with_photos
            && self
                .embassies()
                .await?
                .iter()
                .any(|e| e.nationality == nationality && e.photos_allowed);
        let now = self.clock.now();
        let disclosure_id = new_id(now);
        let recipient = match &actor.principal.agency {
            Some(a) => format!("{} ({a})", actor.principal.username),
            None => actor.principal.username.clone(),
        };
        let present = "NOT EXISTS (SELECT 1 FROM batch_persons bd WHERE bd.person_id = p.id AND bd.outcome = 'departed')";
        let photo_column = if photos_allowed {
            ", ph.data AS photo"
        } else {
            ""
        };
        let photo_join = if photos_allowed {
            " LEFT JOIN person_photos ph ON ph.person_id = p.id"
        } else {
            ""
        };
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO disclosures (id, person_id, recipient, basis, disclosed_at) \
             SELECT $1, p.id, $2, db.basis, $3 FROM persons p JOIN disclosure_bases db ON db.person_id = p.id \
             WHERE p.nationality = $4 AND {present} AND {}",
            disclosable("p.id")
        ))
        .bind(&disclosure_id)
        .bind(&recipient)
        .bind(ts(now))
        .bind(&nationality)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(&format!(
            "SELECT p.registration_number, p.family_name, p.given_name, p.name_original_script, p.sex, \
             p.date_of_birth, p.nationality, COALESCE(c.verification, 'pending') AS verification, \
             c.travel_document_kind, c.travel_document_number, c.travel_document_valid_until, c.proposed_departure, \
             d.basis{photo_column} FROM disclosures d JOIN persons p ON p.id = d.person_id \
             LEFT JOIN consular_records c ON c.person_id = p.id{photo_join} \
             WHERE d.id = $1 ORDER BY p.family_name, p.given_name, p.registration_number"
        ))
        .bind(&disclosure_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for r in &rows {
            entries.push(RollEntry {
                registration_number: text(r, "registration_number")?,
                family_name: text(r, "family_name")?,
                given_name: text(r, "given_name")?,
                name_original_script: text(r, "name_original_script")?,
                sex: text(r, "sex")?,
                date_of_birth: opt_text(r, "date_of_birth")?,
                nationality: text(r, "nationality")?,
                verification: text(r, "verification")?,
                travel_document_kind: opt_text(r, "travel_document_kind")?,
                travel_document_number: opt_text(r, "travel_document_number")?,
                travel_document_valid_until: opt_text(r, "travel_document_valid_until")?,
                proposed_departure: opt_text(r, "proposed_departure")?,
                legal_basis: text(r, "basis")?,
                photo: if photos_allowed {
                    r.try_get::<Option<Vec<u8>>, _>("photo")?
                } else {
                    None
                },
            });
        }
        let detail = serde_json::json!({ "nationality": nationality, "count": entries.len(), "photos": photos_allowed, "disclosure": disclosure_id });
        self.audit(
            &mut tx,
            actor,
            "roll.disclose",
            "nationality",
            &nationality,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(NominalRoll {
            nationality,
            generated_at: ts(now),
            generated_by: recipient,
            photos_included: photos_allowed,
            entries,
        })
    }
}
