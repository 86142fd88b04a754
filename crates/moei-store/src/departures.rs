//! Departure batches (a flight or a bus) and the bottleneck view.
//!
//! Who may leave is decided in SQL, once, by [`block_conditions`]: the batch assignment inserts
//! everyone the filter selects for whom no condition holds, and reports the others per person
//! and per reason; the bottleneck view counts the same conditions per nationality.

use jiff::civil::{Date, Weekday};
use moei_domain::logistics::{BatchKind, BlockReason, Outcome, parse_date};
use moei_domain::validation::FieldError;
use moei_domain::{Action, CaseStatus, ValidationErrors};
use serde::{Deserialize, Serialize};

use crate::facilities::{LISTED_COLUMNS, ListedPerson, PersonFilter};
use crate::persons::{bind_all, scope_clause};
use crate::row::{int, new_id, opt_text, text, ts};
use crate::{Actor, Result, Store, StoreError};

pub const DEFAULT_RATE_PER_WEEKDAY: i64 = 300;
const RATE_KEY: &str = "departure_rate_per_weekday";

fn status_list(statuses: &[CaseStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Each reason with the SQL (over `persons p`) that holds when it blocks a departure on the date
/// bound as `date_param`. `NoEmbassy` is context only: an embassy abroad can still clear people.
fn block_conditions(date_param: &str) -> Vec<(BlockReason, String)> {
    use CaseStatus::*;
    vec![
        (
            BlockReason::NoEmbassy,
            "NOT EXISTS (SELECT 1 FROM embassies e WHERE e.nationality = p.nationality AND e.has_embassy = 1)".into(),
        ),
        (
            BlockReason::FearsReturn,
            "EXISTS (SELECT 1 FROM protection_flags pf WHERE pf.person_id = p.id AND pf.status IN ('flagged', 'upheld'))".into(),
        ),
        (
            BlockReason::NationalityUnconfirmed,
            "NOT EXISTS (SELECT 1 FROM consular_records c WHERE c.person_id = p.id AND c.verification = 'confirmed')".into(),
        ),
        (
            BlockReason::NoTravelDocument,
            format!(
                "NOT EXISTS (SELECT 1 FROM consular_records c WHERE c.person_id = p.id AND c.travel_document_number IS NOT NULL \
                 AND (c.travel_document_valid_until IS NULL OR c.travel_document_valid_until >= {date_param}))"
            ),
        ),
        (
            BlockReason::Unscreened,
            format!(
                "p.case_status IN ({})",
                status_list(&[Unscreened, ScreeningInProgress, FurtherInterview])
            ),
        ),
        (
            BlockReason::AwaitingMdt,
            format!("p.case_status IN ({})", status_list(&[PresumedVictim, AwaitingMdt])),
        ),
        (BlockReason::HeldForProsecution, "p.held_for_prosecution <> 0".into()),
        (
            BlockReason::AlreadyAssigned,
            "EXISTS (SELECT 1 FROM batch_persons ba JOIN departure_batches b ON b.id = ba.batch_id \
             WHERE ba.person_id = p.id AND ba.outcome = 'assigned' AND b.status = 'planned')"
                .into(),
        ),
    ]
}

/// Everything that must hold for a person to be put on a departure.
fn eligible_sql(date_param: &str) -> String {
    let blocks: Vec<String> = block_conditions(date_param)
        .into_iter()
        .filter(|(r, _)| *r != BlockReason::NoEmbassy)
        .map(|(_, sql)| format!("NOT ({sql})"))
        .collect();
    format!(
        "p.case_status IN ({}) AND {}",
        CaseStatus::cleared_sql_list(),
        blocks.join(" AND ")
    )
}

#[derive(Debug, Clone, Deserialize)]
pub struct BatchInput {
    pub kind: String,
    pub carrier: String,
    pub route: String,
    pub departure_date: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub id: String,
    pub kind: String,
    pub carrier: String,
    pub route: String,
    pub departure_date: String,
    pub capacity: i64,
    pub status: String,
    pub exit_record: String,
    pub handed_over_to: String,
    pub departed_at: Option<String>,
    /// Persons assigned (or departed), within the caller's nationality scope.
    pub assigned: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub registration_number: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssignReport {
    pub assigned: i64,
    pub refused: Vec<Refusal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchPerson {
    #[serde(flatten)]
    pub person: ListedPerson,
    pub travel_document_number: Option<String>,
    pub outcome: String,
    pub reentry_ban: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NationalityBottleneck {
    pub nationality: String,
    pub has_embassy: bool,
    /// Still here (not departed).
    pub present: i64,
    /// On a planned batch.
    pub assigned: i64,
    /// Could be assigned today.
    pub ready: i64,
    pub blocked: i64,
    /// Blocked persons per reason; one person can have several reasons.
    pub reasons: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BottleneckReport {
    pub rate_per_weekday: i64,
    pub present: i64,
    /// The weekday by which everyone present could have left at the planned rate.
    pub projected_clear_date: Option<String>,
    pub nationalities: Vec<NationalityBottleneck>,
}

/// The date by which `people` have left at `rate` per weekday, starting `from`.
pub fn projected_date(from: Date, people: i64, rate: i64) -> Option<Date> {
    if people <= 0 || rate <= 0 {
        return None;
    }
    let mut day = from;
    let mut left = people;
    loop {
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= rate;
            if left <= 0 {
                return Some(day);
            }
        }
        day = day.tomorrow().ok()?;
    }
}

fn batch_from_row(r: &sqlx::any::AnyRow) -> Result<Batch> {
    Ok(Batch {
        id: text(r, "id")?,
        kind: text(r, "kind")?,
        carrier: text(r, "carrier")?,
        route: text(r, "route")?,
        departure_date: text(r, "departure_date")?,
        capacity: int(r, "capacity")?,
        status: text(r, "status")?,
        exit_record: text(r, "exit_record")?,
        handed_over_to: text(r, "handed_over_to")?,
        departed_at: opt_text(r, "departed_at")?,
        assigned: int(r, "assigned")?,
    })
}

impl Store {
    pub async fn create_batch(&self, actor: &Actor, input: &BatchInput) -> Result<Batch> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let kind = BatchKind::parse_field("kind", &input.kind);
        if let Err(e) = &kind {
            errors.push(e.clone());
        }
        for (field, value) in [("carrier", &input.carrier), ("route", &input.route)] {
            if value.trim().is_empty() || value.chars().count() > 200 {
                errors.push(FieldError::new(
                    field,
                    "bad_length",
                    "must be 1 to 200 characters",
                ));
            }
        }
        match parse_date("departure_date", &input.departure_date) {
            Ok(d) if d < self.clock.today() => errors.push(FieldError::new(
                "departure_date",
                "in_the_past",
                "a departure cannot be planned in the past",
            )),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
        if !(1..=10_000).contains(&input.capacity) {
            errors.push(FieldError::new(
                "capacity",
                "out_of_range",
                "must be between 1 and 10,000",
            ));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO departure_batches (id, kind, carrier, route, departure_date, capacity, status, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $8)",
        )
        .bind(&id)
        .bind(kind.map(BatchKind::as_str).unwrap_or_default())
        .bind(input.carrier.trim())
        .bind(input.route.trim())
        .bind(input.departure_date.trim())
        .bind(input.capacity)
        .bind(ts(now))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            "batch.create",
            "batch",
            &id,
            input.carrier.trim(),
        )
        .await?;
        tx.commit().await?;
        self.batch(actor, &id).await
    }

    async fn batches_where(
        &self,
        actor: &Actor,
        condition: &str,
        key: Option<&str>,
    ) -> Result<Vec<Batch>> {
        let mut params: Vec<String> = key.map(str::to_string).into_iter().collect();
        let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
        let sql = format!(
            "SELECT b.*, (SELECT COUNT(*) FROM batch_persons bp JOIN persons p ON p.id = bp.person_id \
             WHERE bp.batch_id = b.id AND bp.outcome IN ('assigned', 'departed'){scope}) AS assigned \
             FROM departure_batches b WHERE {condition} ORDER BY b.departure_date, b.id"
        );
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(batch_from_row).collect()
    }

    /// All batches with how many persons (of the caller's scope) are on each.
    pub async fn batches(&self, actor: &Actor) -> Result<Vec<Batch>> {
        if !actor.principal.may(Action::ReadLogisticsCounts) {
            return Err(StoreError::Forbidden);
        }
        self.batches_where(actor, "1 = 1", None).await
    }

    pub async fn batch(&self, actor: &Actor, id: &str) -> Result<Batch> {
        if !actor.principal.may(Action::ReadLogisticsCounts) {
            return Err(StoreError::Forbidden);
        }
        self.batches_where(actor, "b.id = $1", Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)
    }

    /// Assigns everyone the filter selects who is cleared to leave, set-based; refuses the
    /// others, naming every reason per person. Nothing is assigned if the eligible persons do
    /// not fit in the seats left.
    pub async fn assign_to_batch(
        &self,
        actor: &Actor,
        batch_id: &str,
        filter: &PersonFilter,
    ) -> Result<AssignReport> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        let now = ts(self.clock.now());
        // $1 batch id, $2 departure date, $3 now, $4 actor: then the filter's parameters.
        let mut params = vec![
            batch_id.to_string(),
            String::new(),
            now.clone(),
            actor.principal.username.clone(),
        ];
        let condition = filter.where_clause(actor, &mut params)?;
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let batch = sqlx::query(
            "SELECT departure_date, capacity, status, (SELECT COUNT(*) FROM batch_persons bp WHERE bp.batch_id = b.id \
             AND bp.outcome = 'assigned') AS assigned FROM departure_batches b WHERE b.id = $1",
        )
        .bind(batch_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if text(&batch, "status")? != "planned" {
            return Err(StoreError::Conflict(
                "this batch has already left or was cancelled".into(),
            ));
        }
        params[1] = text(&batch, "departure_date")?;
        let seats_left = int(&batch, "capacity")? - int(&batch, "assigned")?;
        let from = "FROM persons p LEFT JOIN person_locations l ON l.person_id = p.id";
        let eligible = eligible_sql("$2");
        // PostgreSQL must see every parameter used, hence the trivially true `<> ''` tests.
        let count_sql = format!(
            "SELECT COUNT(*) AS n {from} WHERE {condition} AND {eligible} AND $1 <> '' AND $3 <> '' AND $4 <> ''"
        );
        let n = int(
            &bind_all(sqlx::query(&count_sql), &params)
                .fetch_one(&mut *tx)
                .await?,
            "n",
        )?;
        if n > seats_left {
            return Err(StoreError::Conflict(format!(
                "{n} persons are cleared to leave but only {seats_left} seats are left on this batch"
            )));
        }
        let reasons = block_conditions("$2");
        let columns: Vec<String> = reasons
            .iter()
            .map(|(r, sql)| {
                format!(
                    "CAST(CASE WHEN {sql} THEN 1 ELSE 0 END AS BIGINT) AS r_{}",
                    r.as_str()
                )
            })
            .collect();
        let refused_sql = format!(
            "SELECT p.registration_number, {} {from} WHERE {condition} AND NOT ({eligible}) \
             AND $1 <> '' AND $3 <> '' AND $4 <> '' ORDER BY p.registration_number",
            columns.join(", ")
        );
        let rows = bind_all(sqlx::query(&refused_sql), &params)
            .fetch_all(&mut *tx)
            .await?;
        let mut refused = Vec::new();
        for r in &rows {
            let mut why = Vec::new();
            for (reason, _) in &reasons {
                if *reason != BlockReason::NoEmbassy
                    && int(r, &format!("r_{}", reason.as_str()))? != 0
                {
                    why.push(reason.as_str().to_string());
                }
            }
            refused.push(Refusal {
                registration_number: text(r, "registration_number")?,
                reasons: why,
            });
        }
        let insert = format!(
            "INSERT INTO batch_persons (batch_id, person_id, outcome, assigned_at, assigned_by) \
             SELECT $1, p.id, 'assigned', $3, $4 {from} WHERE {condition} AND {eligible}"
        );
        let assigned = bind_all(sqlx::query(&insert), &params)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        sqlx::query(
            "UPDATE persons SET planned_departure = $1 WHERE id IN \
             (SELECT person_id FROM batch_persons WHERE batch_id = $2 AND outcome = 'assigned')",
        )
        .bind(&params[1])
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
        let filter_json = serde_json::to_value(filter).unwrap_or_default();
        let detail = serde_json::json!({ "count": assigned, "refused": refused.len(), "filter": filter_json });
        self.audit(
            &mut tx,
            actor,
            "batch.assign",
            "batch",
            batch_id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(AssignReport { assigned, refused })
    }

    /// Who is on a batch, with their travel document (a personal-data read: audited).
    pub async fn batch_persons(&self, actor: &Actor, batch_id: &str) -> Result<Vec<BatchPerson>> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        self.batch(actor, batch_id).await?;
        let rows = sqlx::query(&format!(
            "SELECT {LISTED_COLUMNS}, c.travel_document_number, bp.outcome, bp.reentry_ban FROM batch_persons bp \
             JOIN persons p ON p.id = bp.person_id LEFT JOIN consular_records c ON c.person_id = p.id \
             WHERE bp.batch_id = $1 ORDER BY p.registration_number"
        ))
        .bind(batch_id)
        .fetch_all(&self.pool)
        .await?;
        let out = rows
            .iter()
            .map(|r| {
                Ok(BatchPerson {
                    person: ListedPerson::from_row(r)?,
                    travel_document_number: opt_text(r, "travel_document_number")?,
                    outcome: text(r, "outcome")?,
                    reentry_ban: int(r, "reentry_ban")? != 0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_event(
            actor,
            "batch.read",
            "batch",
            batch_id,
            &format!("{{\"count\":{}}}", out.len()),
        )
        .await?;
        Ok(out)
    }

    /// Records the outcome (no-show, withdrawn, or back to assigned) and the re-entry ban flag
    /// for the listed persons of a batch that has not left yet.
    pub async fn set_batch_outcome(
        &self,
        actor: &Actor,
        batch_id: &str,
        registration_numbers: &[String],
        outcome: &str,
        reentry_ban: bool,
    ) -> Result<i64> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        let outcome = Outcome::parse_field("outcome", outcome)?;
        if outcome == Outcome::Departed {
            return Err(FieldError::new(
                "outcome",
                "use_departure",
                "record the departure of the batch instead",
            )
            .into());
        }
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        self.planned_batch(&mut tx, batch_id).await?;
        let mut changed = 0;
        for number in registration_numbers {
            changed += sqlx::query(
                "UPDATE batch_persons SET outcome = $1, reentry_ban = $2 WHERE batch_id = $3 AND person_id = \
                 (SELECT id FROM persons WHERE registration_number = $4)",
            )
            .bind(outcome.as_str())
            .bind(i64::from(reentry_ban))
            .bind(batch_id)
            .bind(number.trim().to_uppercase())
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        }
        if outcome != Outcome::Assigned {
            sqlx::query(
                "UPDATE persons SET planned_departure = NULL WHERE id IN \
                 (SELECT person_id FROM batch_persons WHERE batch_id = $1 AND outcome = $2)",
            )
            .bind(batch_id)
            .bind(outcome.as_str())
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({ "outcome": outcome.as_str(), "count": changed, "reentry_ban": reentry_ban });
        self.audit(
            &mut tx,
            actor,
            "batch.outcome",
            "batch",
            batch_id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn planned_batch(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        batch_id: &str,
    ) -> Result<()> {
        let row = sqlx::query("SELECT status FROM departure_batches WHERE id = $1")
            .bind(batch_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if text(&row, "status")? != "planned" {
            return Err(StoreError::Conflict(
                "this batch has already left or was cancelled".into(),
            ));
        }
        Ok(())
    }

    /// The batch leaves: everyone still assigned departs (their location ends and their
    /// timeline records it), with the exit record and the receiving party of the handover.
    pub async fn depart_batch(
        &self,
        actor: &Actor,
        batch_id: &str,
        exit_record: &str,
        handed_over_to: &str,
    ) -> Result<Batch> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        for (field, value) in [
            ("exit_record", exit_record),
            ("handed_over_to", handed_over_to),
        ] {
            if value.trim().is_empty() || value.chars().count() > 200 {
                errors.push(FieldError::new(
                    field,
                    "bad_length",
                    "must be 1 to 200 characters",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        self.planned_batch(&mut tx, batch_id).await?;
        let departed = sqlx::query("UPDATE batch_persons SET outcome = 'departed' WHERE batch_id = $1 AND outcome = 'assigned'")
            .bind(batch_id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        if departed == 0 {
            return Err(StoreError::Conflict(
                "nobody is assigned to this batch".into(),
            ));
        }
        let members =
            "SELECT person_id FROM batch_persons WHERE batch_id = $1 AND outcome = 'departed'";
        sqlx::query(&format!(
            "DELETE FROM person_locations WHERE person_id IN ({members})"
        ))
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE departure_batches SET status = 'departed', departed_at = $1, exit_record = $2, handed_over_to = $3 WHERE id = $4",
        )
        .bind(&now)
        .bind(exit_record.trim())
        .bind(handed_over_to.trim())
        .bind(batch_id)
        .execute(&mut *tx)
        .await?;
        let change = serde_json::json!({ "departed": { "batch": batch_id } });
        self.bulk_history(&mut tx, actor, members, batch_id, "departed", &change)
            .await?;
        let detail = serde_json::json!({ "count": departed, "exit_record": exit_record.trim() });
        self.audit(
            &mut tx,
            actor,
            "batch.depart",
            "batch",
            batch_id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        self.batch(actor, batch_id).await
    }

    pub async fn departure_rate(&self) -> Result<i64> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(RATE_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => text(&r, "value")?
                .parse()
                .unwrap_or(DEFAULT_RATE_PER_WEEKDAY),
            None => DEFAULT_RATE_PER_WEEKDAY,
        })
    }

    /// Sets the planned departures per weekday used for the projection.
    pub async fn set_departure_rate(&self, actor: &Actor, rate: i64) -> Result<()> {
        if !actor.principal.may(Action::ManageDepartures) {
            return Err(StoreError::Forbidden);
        }
        if !(1..=100_000).contains(&rate) {
            return Err(
                FieldError::new("rate", "out_of_range", "must be between 1 and 100,000").into(),
            );
        }
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(RATE_KEY)
            .bind(rate.to_string())
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            actor,
            "settings.departure_rate",
            "settings",
            RATE_KEY,
            &rate.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Per nationality: present, assigned, ready, blocked and why; and when everyone could
    /// have left at the planned rate. Counts only; embassy officers see their nationalities.
    pub async fn bottlenecks(&self, actor: &Actor) -> Result<BottleneckReport> {
        if !actor.principal.may(Action::ReadLogisticsCounts) {
            return Err(StoreError::Forbidden);
        }
        let today = self.clock.today();
        let mut params = vec![today.to_string()];
        let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
        let reasons = block_conditions("$1");
        let eligible = eligible_sql("$1");
        let assigned = reasons
            .iter()
            .find(|(r, _)| *r == BlockReason::AlreadyAssigned)
            .map(|(_, sql)| sql.clone())
            .unwrap_or_default();
        let blocked = format!("NOT ({eligible}) AND NOT ({assigned})");
        let sum = |cond: &str, name: &str| {
            format!("CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS BIGINT) AS {name}")
        };
        let mut columns = vec![
            "COUNT(*) AS present".to_string(),
            sum(&assigned, "assigned"),
            sum(&eligible, "ready"),
            sum(&blocked, "blocked"),
        ];
        for (reason, sql) in &reasons {
            if *reason != BlockReason::AlreadyAssigned {
                columns.push(sum(
                    &format!("({blocked}) AND {sql}"),
                    &format!("r_{}", reason.as_str()),
                ));
            }
        }
        let sql = format!(
            "SELECT p.nationality, {} FROM persons p WHERE NOT EXISTS (SELECT 1 FROM batch_persons bd \
             WHERE bd.person_id = p.id AND bd.outcome = 'departed'){scope} GROUP BY p.nationality ORDER BY p.nationality",
            columns.join(", ")
        );
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        let embassies = self.embassies().await?;
        let mut nationalities = Vec::new();
        for r in &rows {
            let nationality = text(r, "nationality")?;
            let mut counts = Vec::new();
            for (reason, _) in &reasons {
                if *reason != BlockReason::AlreadyAssigned {
                    counts.push((
                        reason.as_str().to_string(),
                        int(r, &format!("r_{}", reason.as_str()))?,
                    ));
                }
            }
            nationalities.push(NationalityBottleneck {
                has_embassy: embassies
                    .iter()
                    .any(|e| e.nationality == nationality && e.has_embassy),
                nationality,
                present: int(r, "present")?,
                assigned: int(r, "assigned")?,
                ready: int(r, "ready")?,
                blocked: int(r, "blocked")?,
                reasons: counts,
            });
        }
        let rate = self.departure_rate().await?;
        let present = nationalities.iter().map(|n| n.present).sum();
        Ok(BottleneckReport {
            rate_per_weekday: rate,
            present,
            projected_clear_date: projected_date(today, present, rate).map(|d| d.to_string()),
            nationalities,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_counts_weekdays_only() {
        // Friday 24 October 2025: 300 leave Friday, 300 Monday 27, the last 100 Tuesday 28.
        let friday: Date = "2025-10-24".parse().unwrap();
        assert_eq!(
            projected_date(friday, 700, 300).unwrap().to_string(),
            "2025-10-28"
        );
        assert_eq!(
            projected_date(friday, 300, 300).unwrap().to_string(),
            "2025-10-24"
        );
        let saturday: Date = "2025-10-25".parse().unwrap();
        assert_eq!(
            projected_date(saturday, 1, 300).unwrap().to_string(),
            "2025-10-27"
        );
        assert_eq!(projected_date(friday, 0, 300), None);
    }
}
