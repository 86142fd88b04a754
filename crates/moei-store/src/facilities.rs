//! Holding sites and departure points with capacity per section, movements between them with
//! manifests, arrival checks and missing-person alerts.
//!
//! Bulk moves are set-based: one `INSERT ... SELECT` with the filter writes the manifest, and
//! the current locations, person versions and timelines follow from it in a few statements,
//! so moving 10,000 people costs a handful of statements, all in one transaction with one
//! audit row naming the count and the filter.

use jiff::Timestamp;
use moei_domain::clock::deployment_zone;
use moei_domain::logistics::{ArrivalCheck, FacilityKind, Section};
use moei_domain::validation::FieldError;
use moei_domain::{Action, CaseStatus, ValidationErrors};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

use crate::persons::{bind_all, scope_clause};
use crate::row::{int, new_id, opt_text, text, ts};
use crate::{Actor, Result, Store, StoreError};

/// Occupancy at or above this share of capacity raises a warning.
pub const NEAR_CAPACITY_PERCENT: i64 = 90;

/// Who a bulk action applies to. Criteria combine with AND; at least one is required so that
/// an empty form never moves everyone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonFilter {
    pub nationality: Option<String>,
    pub facility_id: Option<String>,
    pub section: Option<String>,
    pub case_status: Option<String>,
    pub arrival_group_id: Option<String>,
    /// Persons not placed in any site yet (new arrivals).
    #[serde(default)]
    pub unplaced: bool,
    /// Explicit registration numbers (ticked in a list), on top of the other criteria.
    #[serde(default)]
    pub registration_numbers: Vec<String>,
}

impl PersonFilter {
    /// The filter as audit detail: criteria as given, listed numbers as a count only.
    pub(crate) fn audit_summary(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["registration_numbers"] = self.registration_numbers.len().into();
        v
    }

    fn is_empty(&self) -> bool {
        self.nationality.is_none()
            && self.facility_id.is_none()
            && self.section.is_none()
            && self.case_status.is_none()
            && self.arrival_group_id.is_none()
            && !self.unplaced
            && self.registration_numbers.is_empty()
    }

    /// SQL conditions over `persons p LEFT JOIN person_locations l`, for persons still here
    /// (not departed) and inside the actor's nationality scope.
    pub(crate) fn where_clause(&self, actor: &Actor, params: &mut Vec<String>) -> Result<String> {
        let mut errors = ValidationErrors::default();
        if self.is_empty() {
            errors.push(FieldError::new(
                "filter",
                "empty_filter",
                "choose at least one criterion (nationality, facility, section, status, group or numbers)",
            ));
        }
        if let Some(s) = &self.section
            && let Err(e) = Section::parse_field("section", s)
        {
            errors.push(e);
        }
        if let Some(s) = &self.case_status
            && CaseStatus::parse(s).is_none()
        {
            errors.push(FieldError::new(
                "case_status",
                "unknown_value",
                "not a case status",
            ));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut sql = String::from(
            "NOT EXISTS (SELECT 1 FROM batch_persons bd WHERE bd.person_id = p.id AND bd.outcome = 'departed')",
        );
        let mut eq = |column: &str, value: &Option<String>, params: &mut Vec<String>| {
            if let Some(v) = value {
                params.push(v.trim().to_string());
                sql.push_str(&format!(" AND {column} = ${}", params.len()));
            }
        };
        eq("p.nationality", &self.nationality, params);
        eq("l.facility_id", &self.facility_id, params);
        eq("l.section", &self.section, params);
        eq("p.case_status", &self.case_status, params);
        eq("p.arrival_group_id", &self.arrival_group_id, params);
        if self.unplaced {
            sql.push_str(" AND l.person_id IS NULL");
        }
        if !self.registration_numbers.is_empty() {
            let mut marks = Vec::new();
            for n in &self.registration_numbers {
                params.push(n.trim().to_uppercase());
                marks.push(format!("${}", params.len()));
            }
            sql.push_str(&format!(
                " AND p.registration_number IN ({})",
                marks.join(", ")
            ));
        }
        sql.push_str(&scope_clause(&actor.principal, params, "p.nationality"));
        Ok(sql)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct FacilityInput {
    pub name: String,
    pub kind: String,
    /// Capacity per section ("men", "women", "families", "minors").
    pub capacities: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SectionOccupancy {
    pub section: String,
    pub capacity: i64,
    pub occupied: i64,
    /// "ok", "near_capacity" (at least 90 %) or "over_capacity".
    pub level: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Facility {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub sections: Vec<SectionOccupancy>,
    pub occupied: i64,
    pub capacity: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MoveInput {
    pub filter: PersonFilter,
    pub to_facility_id: String,
    /// Section at the destination; by default the person's current section, or for a first
    /// placement minors, women or men from age and sex.
    pub to_section: Option<String>,
    #[serde(default)]
    pub vehicle: String,
    #[serde(default)]
    pub escort: String,
    /// When the vehicle left, if not now: RFC 3339, or a form's `YYYY-MM-DDTHH:MM` in Bangkok
    /// time (see [`parse_departure_time`]). By default the store clock.
    #[serde(default)]
    pub departed_at: Option<String>,
}

/// How far ahead of the store clock a departure time may be (a bus booked for the morning).
const DEPARTURE_LEAD_HOURS: i64 = 24;

/// A caller-supplied departure time: RFC 3339 with an offset, or a `datetime-local` value
/// (no offset) read as Bangkok time; at most a day after `now`.
pub fn parse_departure_time(value: &str, now: Timestamp) -> Result<Timestamp, FieldError> {
    let v = value.trim();
    let parsed = v.parse::<Timestamp>().ok().or_else(|| {
        v.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(deployment_zone()).ok())
            .map(|z| z.timestamp())
    });
    let Some(t) = parsed else {
        return Err(FieldError::new(
            "departed_at",
            "invalid_timestamp",
            "must be an RFC 3339 time or YYYY-MM-DDTHH:MM in Bangkok time",
        ));
    };
    let latest = now
        .checked_add(jiff::SignedDuration::from_hours(DEPARTURE_LEAD_HOURS))
        .unwrap_or(now);
    if t > latest {
        return Err(FieldError::new(
            "departed_at",
            "too_far_ahead",
            "cannot be more than a day after now",
        ));
    }
    Ok(t)
}

/// Which movements to list, newest first.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MovementFilter {
    /// Only movements whose arrival check is still open (`true`) or closed (`false`).
    pub open: Option<bool>,
    pub to_facility_id: Option<String>,
    /// At most this many (1 to [`MAX_MOVEMENTS`]); by default [`DEFAULT_MOVEMENTS`].
    pub limit: Option<i64>,
}

pub const DEFAULT_MOVEMENTS: i64 = 50;
pub const MAX_MOVEMENTS: i64 = 500;

/// One movement with its counts (no individual in it). For an embassy officer the counts
/// are of their nationals only, and movements without any of them are not listed.
#[derive(Debug, Clone, Serialize)]
pub struct MovementSummary {
    pub movement_id: String,
    /// The sites people were taken from; empty for new arrivals only.
    pub from: Vec<String>,
    /// How many on board had no site yet (first placement).
    pub from_unplaced: i64,
    pub to_facility_id: String,
    pub to_facility: String,
    pub vehicle: String,
    pub escort: String,
    pub departed_at: String,
    pub arrived_at: Option<String>,
    pub on_board: i64,
    pub expected: i64,
    pub arrived: i64,
    pub missing: i64,
    /// The arrival check is still open.
    pub open: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoveResult {
    pub movement_id: String,
    pub moved: i64,
    /// Sections at the destination that are near or over capacity after the move.
    pub warnings: Vec<SectionOccupancy>,
}

/// The identity columns every list of persons in this area shows.
#[derive(Debug, Clone, Serialize)]
pub struct ListedPerson {
    pub person_id: String,
    pub registration_number: String,
    pub family_name: String,
    pub given_name: String,
    pub name_original_script: String,
    pub sex: String,
    pub nationality: String,
}

/// The SQL columns [`ListedPerson::from_row`] reads, over `persons p`.
pub(crate) const LISTED_COLUMNS: &str = "p.id, p.registration_number, p.family_name, p.given_name, \
     p.name_original_script, p.sex, p.nationality";

impl ListedPerson {
    pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> Result<Self> {
        Ok(ListedPerson {
            person_id: text(r, "id")?,
            registration_number: text(r, "registration_number")?,
            family_name: text(r, "family_name")?,
            given_name: text(r, "given_name")?,
            name_original_script: text(r, "name_original_script")?,
            sex: text(r, "sex")?,
            nationality: text(r, "nationality")?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ManifestEntry {
    #[serde(flatten)]
    pub person: ListedPerson,
    pub section: String,
    pub arrival: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub movement_id: String,
    pub to_facility: String,
    pub vehicle: String,
    pub escort: String,
    pub departed_at: String,
    pub arrived_at: Option<String>,
    pub filter: serde_json::Value,
    pub persons: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArrivalReport {
    pub checked: i64,
    /// Numbers given that are not on this manifest (or already checked).
    pub not_on_manifest: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocationEntry {
    pub movement_id: String,
    pub facility: String,
    pub section: String,
    pub departed_at: String,
    pub arrival: String,
}

fn level(capacity: i64, occupied: i64) -> &'static str {
    if occupied > capacity {
        "over_capacity"
    } else if capacity > 0 && occupied * 100 >= capacity * NEAR_CAPACITY_PERCENT {
        "near_capacity"
    } else {
        "ok"
    }
}

impl Store {
    pub async fn create_facility(&self, actor: &Actor, input: &FacilityInput) -> Result<Facility> {
        if !actor.principal.may(Action::ManageFacilities) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new(
                "name",
                "bad_length",
                "must be 1 to 120 characters",
            ));
        }
        let kind = FacilityKind::parse_field("kind", &input.kind);
        if let Err(e) = &kind {
            errors.push(e.clone());
        }
        let mut sections = Vec::new();
        for (s, cap) in &input.capacities {
            match Section::parse_field("capacities", s) {
                Ok(section) if *cap >= 0 && *cap <= 1_000_000 => sections.push((section, *cap)),
                Ok(_) => errors.push(FieldError::new(
                    "capacities",
                    "out_of_range",
                    "capacity must be between 0 and 1,000,000",
                )),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let now = self.clock.now();
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        if sqlx::query("SELECT id FROM facilities WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        {
            return Err(FieldError::new("name", "taken", "a facility has this name").into());
        }
        sqlx::query("INSERT INTO facilities (id, name, kind, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(name)
            .bind(kind.map(FacilityKind::as_str).unwrap_or_default())
            .bind(ts(now))
            .bind(&actor.principal.username)
            .execute(&mut *tx)
            .await?;
        for (section, cap) in &sections {
            sqlx::query("INSERT INTO facility_sections (facility_id, section, capacity) VALUES ($1, $2, $3) \
                 ON CONFLICT (facility_id, section) DO UPDATE SET capacity = excluded.capacity")
                .bind(&id)
                .bind(section.as_str())
                .bind(*cap)
                .execute(&mut *tx)
                .await?;
        }
        self.audit(&mut tx, actor, "facility.create", "facility", &id, name)
            .await?;
        tx.commit().await?;
        let facilities = self.facilities(actor).await?;
        facilities
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Every site with capacity and occupancy per section. Embassy officers get counts of
    /// their own nationals only.
    pub async fn facilities(&self, actor: &Actor) -> Result<Vec<Facility>> {
        if !actor.principal.may(Action::ReadLogisticsCounts) {
            return Err(StoreError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT f.id, f.name, f.kind, s.section, s.capacity FROM facilities f \
             LEFT JOIN facility_sections s ON s.facility_id = f.id ORDER BY f.name, s.section",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut params = Vec::new();
        let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
        let sql = format!(
            "SELECT l.facility_id, l.section, COUNT(*) AS n FROM person_locations l \
             JOIN persons p ON p.id = l.person_id WHERE 1 = 1{scope} GROUP BY l.facility_id, l.section"
        );
        let counts = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        let mut occupied = std::collections::HashMap::new();
        for r in &counts {
            occupied.insert((text(r, "facility_id")?, text(r, "section")?), int(r, "n")?);
        }
        let mut out: Vec<Facility> = Vec::new();
        for r in &rows {
            let id = text(r, "id")?;
            if out.last().is_none_or(|f| f.id != id) {
                out.push(Facility {
                    id: id.clone(),
                    name: text(r, "name")?,
                    kind: text(r, "kind")?,
                    sections: Vec::new(),
                    occupied: 0,
                    capacity: 0,
                });
            }
            let (Some(section), Some(f)) = (opt_text(r, "section")?, out.last_mut()) else {
                continue;
            };
            let capacity = int(r, "capacity")?;
            let n = occupied.remove(&(id, section.clone())).unwrap_or(0);
            f.sections.push(SectionOccupancy {
                level: level(capacity, n).into(),
                section,
                capacity,
                occupied: n,
            });
        }
        // People placed in a section that has no capacity set still count (over capacity).
        for ((facility_id, section), n) in occupied {
            if let Some(f) = out.iter_mut().find(|f| f.id == facility_id) {
                f.sections.push(SectionOccupancy {
                    level: level(0, n).into(),
                    section,
                    capacity: 0,
                    occupied: n,
                });
            }
        }
        for f in &mut out {
            f.occupied = f.sections.iter().map(|s| s.occupied).sum();
            f.capacity = f.sections.iter().map(|s| s.capacity).sum();
        }
        Ok(out)
    }

    /// Moves everyone the filter selects to a site, in one transaction and one audit row.
    pub async fn move_persons(&self, actor: &Actor, input: &MoveInput) -> Result<MoveResult> {
        if !actor.principal.may(Action::MovePersons) {
            return Err(StoreError::Forbidden);
        }
        let to_section = match &input.to_section {
            Some(s) if !s.trim().is_empty() => Some(Section::parse_field("to_section", s)?),
            _ => None,
        };
        for (field, value) in [("vehicle", &input.vehicle), ("escort", &input.escort)] {
            if value.chars().count() > 200 {
                return Err(
                    FieldError::new(field, "too_long", "must be at most 200 characters").into(),
                );
            }
        }
        let now = self.clock.now();
        let departed_at = match input.departed_at.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => parse_departure_time(v, now)?,
            _ => now,
        };
        let adult_born_before = self
            .clock
            .today()
            .checked_sub(jiff::Span::new().years(18))
            .map(|d| d.to_string())
            .unwrap_or_default();
        let mut params = vec![
            String::new(), // $1 movement id, filled below
            to_section
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            adult_born_before,
        ];
        let condition = input.filter.where_clause(actor, &mut params)?;
        let id = new_id(now);
        params[0] = id.clone();
        let filter_json = serde_json::to_value(&input.filter).unwrap_or_default();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let facility = sqlx::query("SELECT name FROM facilities WHERE id = $1")
            .bind(&input.to_facility_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::from(ValidationErrors::from(FieldError::new(
                    "to_facility_id",
                    "unknown_facility",
                    "no such facility",
                )))
            })?;
        let facility_name = text(&facility, "name")?;
        sqlx::query(
            "INSERT INTO movements (id, to_facility_id, vehicle, escort, departed_at, filter, person_count, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind(&id)
        .bind(&input.to_facility_id)
        .bind(input.vehicle.trim())
        .bind(input.escort.trim())
        .bind(ts(departed_at))
        .bind(filter_json.to_string())
        .bind(ts(now))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        // The manifest, written straight from the filter. The section is the one asked for, else
        // the current one, else minors / women / men (a bare birth year compares as its 1 January).
        let sql = format!(
            "INSERT INTO movement_persons (movement_id, person_id, from_facility_id, section, arrival) \
             SELECT $1, p.id, l.facility_id, COALESCE(NULLIF($2, ''), l.section, \
               CASE WHEN p.estimated_age < 18 OR p.date_of_birth > $3 THEN 'minors' \
                    WHEN p.sex = 'F' THEN 'women' ELSE 'men' END), 'expected' \
             FROM persons p LEFT JOIN person_locations l ON l.person_id = p.id WHERE {condition}"
        );
        let moved = bind_all(sqlx::query(&sql), &params)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        if moved == 0 {
            return Err(FieldError::new("filter", "no_match", "nobody matches this filter").into());
        }
        self.place_manifest(
            &mut tx,
            actor,
            &id,
            &input.to_facility_id,
            &facility_name,
            moved,
        )
        .await?;
        let detail = serde_json::json!({ "count": moved, "to": input.to_facility_id, "filter": filter_json });
        self.audit(
            &mut tx,
            actor,
            "movement.create",
            "movement",
            &id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        let warnings = self
            .facilities(&Actor::cli())
            .await?
            .into_iter()
            .filter(|f| f.id == input.to_facility_id)
            .flat_map(|f| f.sections)
            .filter(|s| s.level != "ok")
            .collect();
        Ok(MoveResult {
            movement_id: id,
            moved,
            warnings,
        })
    }

    /// Points the current location of everyone on a manifest at its destination and writes a
    /// timeline entry for each, set-based.
    async fn place_manifest(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        movement_id: &str,
        facility_id: &str,
        facility_name: &str,
        count: i64,
    ) -> Result<()> {
        let now = ts(self.clock.now());
        sqlx::query("UPDATE movements SET person_count = $1 WHERE id = $2")
            .bind(count)
            .bind(movement_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM person_locations WHERE person_id IN (SELECT person_id FROM movement_persons WHERE movement_id = $1)")
            .bind(movement_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO person_locations (person_id, facility_id, section, movement_id, since) \
             SELECT person_id, $2, section, movement_id, $3 FROM movement_persons WHERE movement_id = $1",
        )
        .bind(movement_id)
        .bind(facility_id)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        let change =
            serde_json::json!({ "location": { "to": facility_name, "movement": movement_id } });
        let members = "SELECT person_id FROM movement_persons WHERE movement_id = $1";
        self.bulk_history(tx, actor, members, movement_id, "moved", &change)
            .await
    }

    /// A new version and timeline entry for every person `members` selects (a query of
    /// person ids with `key` as its `$1`).
    pub(crate) async fn bulk_history(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        members: &str,
        key: &str,
        event: &str,
        change: &serde_json::Value,
    ) -> Result<()> {
        let now = ts(self.clock.now());
        sqlx::query(&format!(
            "UPDATE persons SET version = version + 1, updated_at = $2 WHERE id IN ({members})"
        ))
        .bind(key)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO person_history (person_id, version, changed_at, changed_by, event, changes) \
             SELECT p.id, p.version, $2, $3, $4, $5 FROM persons p WHERE p.id IN ({members})"
        ))
        .bind(key)
        .bind(&now)
        .bind(&actor.principal.username)
        .bind(event)
        .bind(change.to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A movement's manifest (personal data: audited).
    pub async fn manifest(&self, actor: &Actor, movement_id: &str) -> Result<Manifest> {
        if !actor.principal.may(Action::MovePersons) {
            return Err(StoreError::Forbidden);
        }
        let m = sqlx::query(
            "SELECT m.*, f.name AS facility_name FROM movements m JOIN facilities f ON f.id = m.to_facility_id WHERE m.id = $1",
        )
        .bind(movement_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let rows = sqlx::query(&format!(
            "SELECT {LISTED_COLUMNS}, mp.section, mp.arrival FROM movement_persons mp \
             JOIN persons p ON p.id = mp.person_id WHERE mp.movement_id = $1 ORDER BY p.registration_number"
        ))
        .bind(movement_id)
        .fetch_all(&self.pool)
        .await?;
        let persons = rows
            .iter()
            .map(|r| {
                Ok(ManifestEntry {
                    person: ListedPerson::from_row(r)?,
                    section: text(r, "section")?,
                    arrival: text(r, "arrival")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.audit_event(
            actor,
            "movement.manifest_read",
            "movement",
            movement_id,
            &format!("{{\"count\":{}}}", persons.len()),
        )
        .await?;
        Ok(Manifest {
            movement_id: movement_id.to_string(),
            to_facility: text(&m, "facility_name")?,
            vehicle: text(&m, "vehicle")?,
            escort: text(&m, "escort")?,
            departed_at: text(&m, "departed_at")?,
            arrived_at: opt_text(&m, "arrived_at")?,
            filter: serde_json::from_str(&text(&m, "filter")?).unwrap_or_default(),
            persons,
        })
    }

    /// Checks persons off on arrival, by registration number.
    pub async fn check_arrivals(
        &self,
        actor: &Actor,
        movement_id: &str,
        registration_numbers: &[String],
    ) -> Result<ArrivalReport> {
        if !actor.principal.may(Action::MovePersons) {
            return Err(StoreError::Forbidden);
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        self.open_movement(&mut tx, movement_id).await?;
        let mut checked = 0;
        let mut not_on_manifest = Vec::new();
        for number in registration_numbers {
            let n = sqlx::query(
                "UPDATE movement_persons SET arrival = $1, checked_at = $2, checked_by = $3 \
                 WHERE movement_id = $4 AND arrival = $5 AND person_id = \
                 (SELECT id FROM persons WHERE registration_number = $6)",
            )
            .bind(ArrivalCheck::Arrived.as_str())
            .bind(&now)
            .bind(&actor.principal.username)
            .bind(movement_id)
            .bind(ArrivalCheck::Expected.as_str())
            .bind(number.trim().to_uppercase())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                not_on_manifest.push(number.clone());
            }
            checked += n as i64;
        }
        let detail =
            serde_json::json!({ "checked": checked, "not_on_manifest": not_on_manifest.len() });
        self.audit(
            &mut tx,
            actor,
            "movement.arrival_check",
            "movement",
            movement_id,
            &detail.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(ArrivalReport {
            checked,
            not_on_manifest,
        })
    }

    async fn open_movement(
        &self,
        tx: &mut Transaction<'static, Any>,
        movement_id: &str,
    ) -> Result<()> {
        let row = sqlx::query("SELECT arrived_at FROM movements WHERE id = $1")
            .bind(movement_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if opt_text(&row, "arrived_at")?.is_some() {
            return Err(StoreError::Conflict(
                "this movement's arrival is already closed".into(),
            ));
        }
        Ok(())
    }

    /// Closes the arrival check: everyone not checked off is marked missing, leaves the
    /// site's occupancy and is returned as an alert.
    pub async fn close_arrival(
        &self,
        actor: &Actor,
        movement_id: &str,
    ) -> Result<Vec<ManifestEntry>> {
        if !actor.principal.may(Action::MovePersons) {
            return Err(StoreError::Forbidden);
        }
        let now = ts(self.clock.now());
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        self.open_movement(&mut tx, movement_id).await?;
        sqlx::query(
            "UPDATE movement_persons SET arrival = $1 WHERE movement_id = $2 AND arrival = $3",
        )
        .bind(ArrivalCheck::Missing.as_str())
        .bind(movement_id)
        .bind(ArrivalCheck::Expected.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM person_locations WHERE movement_id = $1 AND person_id IN \
             (SELECT person_id FROM movement_persons WHERE movement_id = $1 AND arrival = $2)",
        )
        .bind(movement_id)
        .bind(ArrivalCheck::Missing.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE movements SET arrived_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(movement_id)
            .execute(&mut *tx)
            .await?;
        let missing = sqlx::query(
            "SELECT COUNT(*) AS n FROM movement_persons WHERE movement_id = $1 AND arrival = $2",
        )
        .bind(movement_id)
        .bind(ArrivalCheck::Missing.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let missing = int(&missing, "n")?;
        let action = if missing > 0 {
            "movement.missing_alert"
        } else {
            "movement.arrived"
        };
        self.audit(
            &mut tx,
            actor,
            action,
            "movement",
            movement_id,
            &format!("{{\"missing\":{missing}}}"),
        )
        .await?;
        tx.commit().await?;
        // The manifest read below audits itself, which takes the write lock again.
        drop(_guard);
        Ok(self
            .manifest(actor, movement_id)
            .await?
            .persons
            .into_iter()
            .filter(|p| p.arrival == ArrivalCheck::Missing.as_str())
            .collect())
    }

    /// Where a person has been: every movement, oldest first (a person read: audited).
    pub async fn location_history(
        &self,
        actor: &Actor,
        person_id: &str,
    ) -> Result<Vec<LocationEntry>> {
        let person = self.person(actor, person_id).await?;
        let rows = sqlx::query(
            "SELECT m.id, f.name, mp.section, m.departed_at, mp.arrival FROM movement_persons mp \
             JOIN movements m ON m.id = mp.movement_id JOIN facilities f ON f.id = m.to_facility_id \
             WHERE mp.person_id = $1 ORDER BY m.departed_at, m.id",
        )
        .bind(&person.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LocationEntry {
                    movement_id: text(r, "id")?,
                    facility: text(r, "name")?,
                    section: text(r, "section")?,
                    departed_at: text(r, "departed_at")?,
                    arrival: text(r, "arrival")?,
                })
            })
            .collect()
    }

    /// Movements newest first, with counts on board, expected, arrived and missing (no
    /// individual in them). Embassy officers get counts of their own nationals only.
    pub async fn movements(
        &self,
        actor: &Actor,
        filter: &MovementFilter,
    ) -> Result<Vec<MovementSummary>> {
        if !actor.principal.may(Action::ReadLogisticsCounts)
            && !actor.principal.may(Action::MovePersons)
        {
            return Err(StoreError::Forbidden);
        }
        let limit = filter.limit.unwrap_or(DEFAULT_MOVEMENTS);
        if !(1..=MAX_MOVEMENTS).contains(&limit) {
            return Err(FieldError::new(
                "limit",
                "out_of_range",
                format!("must be between 1 and {MAX_MOVEMENTS}"),
            )
            .into());
        }
        let mut params = Vec::new();
        let mut condition = scope_clause(&actor.principal, &mut params, "p.nationality");
        if let Some(f) = filter.to_facility_id.as_deref().map(str::trim) {
            params.push(f.to_string());
            condition.push_str(&format!(" AND m.to_facility_id = ${}", params.len()));
        }
        match filter.open {
            Some(true) => condition.push_str(" AND m.arrived_at IS NULL"),
            Some(false) => condition.push_str(" AND m.arrived_at IS NOT NULL"),
            None => {}
        }
        // The join through persons keeps the counts (and the list) inside the caller's scope.
        let count = |state: ArrivalCheck| {
            format!(
                "COUNT(CASE WHEN mp.arrival = '{}' THEN 1 END) AS {}",
                state.as_str(),
                state.as_str()
            )
        };
        let sql = format!(
            "SELECT m.id, m.to_facility_id, f.name AS to_facility, m.vehicle, m.escort, m.departed_at, \
             m.arrived_at, COUNT(*) AS on_board, COUNT(CASE WHEN mp.from_facility_id IS NULL THEN 1 END) AS unplaced, \
             {}, {}, {} FROM movements m JOIN facilities f ON f.id = m.to_facility_id \
             JOIN movement_persons mp ON mp.movement_id = m.id JOIN persons p ON p.id = mp.person_id \
             WHERE 1 = 1{condition} \
             GROUP BY m.id, m.to_facility_id, f.name, m.vehicle, m.escort, m.departed_at, m.arrived_at \
             ORDER BY m.departed_at DESC, m.id DESC LIMIT {limit}",
            count(ArrivalCheck::Expected),
            count(ArrivalCheck::Arrived),
            count(ArrivalCheck::Missing),
        );
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let arrived_at = opt_text(r, "arrived_at")?;
            out.push(MovementSummary {
                movement_id: text(r, "id")?,
                from: Vec::new(),
                from_unplaced: int(r, "unplaced")?,
                to_facility_id: text(r, "to_facility_id")?,
                to_facility: text(r, "to_facility")?,
                vehicle: text(r, "vehicle")?,
                escort: text(r, "escort")?,
                departed_at: text(r, "departed_at")?,
                open: arrived_at.is_none(),
                arrived_at,
                on_board: int(r, "on_board")?,
                expected: int(r, "expected")?,
                arrived: int(r, "arrived")?,
                missing: int(r, "missing")?,
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        // Where the listed movements came from, in one query.
        let mut params = Vec::new();
        let scope = scope_clause(&actor.principal, &mut params, "p.nationality");
        let mut marks = Vec::new();
        for m in &out {
            params.push(m.movement_id.clone());
            marks.push(format!("${}", params.len()));
        }
        let sql = format!(
            "SELECT DISTINCT mp.movement_id, f.name FROM movement_persons mp \
             JOIN facilities f ON f.id = mp.from_facility_id JOIN persons p ON p.id = mp.person_id \
             WHERE mp.movement_id IN ({}){scope} ORDER BY f.name",
            marks.join(", ")
        );
        for r in &bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?
        {
            let id = text(r, "movement_id")?;
            if let Some(m) = out.iter_mut().find(|m| m.movement_id == id) {
                m.from.push(text(r, "name")?);
            }
        }
        Ok(out)
    }

    /// How many persons a bulk filter selects now: the same conditions and scope as a move
    /// or a batch assignment, so the number shown before acting is the one acted on. Audited
    /// as a count (the criteria and the number, never who).
    pub async fn count_filter(&self, actor: &Actor, filter: &PersonFilter) -> Result<i64> {
        let acts_on_persons = actor.principal.may(Action::MovePersons)
            || actor.principal.may(Action::ManageDepartures);
        if !acts_on_persons && !actor.principal.may(Action::ReadLogisticsCounts) {
            return Err(StoreError::Forbidden);
        }
        // A count over listed numbers tells whether each is here: only for those who move
        // or assign persons, not for readers of aggregates.
        if !acts_on_persons && !filter.registration_numbers.is_empty() {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let condition = filter.where_clause(actor, &mut params)?;
        let sql = format!(
            "SELECT COUNT(*) AS n FROM persons p LEFT JOIN person_locations l ON l.person_id = p.id \
             WHERE {condition}"
        );
        let n = int(
            &bind_all(sqlx::query(&sql), &params)
                .fetch_one(&self.pool)
                .await?,
            "n",
        )?;
        let detail = serde_json::json!({ "count": n, "filter": filter.audit_summary() });
        self.audit_event(
            actor,
            "persons.count_filter",
            "filter",
            "",
            &detail.to_string(),
        )
        .await?;
        Ok(n)
    }
}
