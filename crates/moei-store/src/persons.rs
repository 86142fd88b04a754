//! Arrival groups and persons: register ("token first, details later"), read, enrich, history,
//! search and counts. Every read of a person, every search and every change is audited; embassy
//! officers only ever touch their own nationals, and anything outside their scope is "not found".

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use moei_domain::arrival::NewArrivalGroup;
use moei_domain::clock::deployment_zone;
use moei_domain::person::{NewPerson, diff};
use moei_domain::search::{PAIR_KEY_CHARS, pair_part};
use moei_domain::validation::FieldError;
use moei_domain::{
    Action, ArrivalGroup, ArrivalGroupInput, BirthDate, CrossingMode, Need, Person, PersonInput,
    PersonPatch, Principal, RegistrationNumber, Sex, ValidationErrors,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use crate::audit::AuditRecord;
use crate::identity::NewCandidate;
use crate::row::{int, new_id, opt_int, opt_text, parse_ts, split_list, text, ts, value_rows};
use crate::{Actor, Result, Store, StoreError};

pub const MAX_PAGE: i64 = 200;

/// Below this many matches the rarest name token drives the search; above it a lone token walks
/// persons newest first, since nearly every person walked is a hit (measured on 1,000,000
/// persons: docs/BENCHMARKS.md).
const TOKEN_DRIVE_CAP: i64 = 2_000;
/// With several common tokens, persons are walked newest first up to this many before the search
/// falls back to driving by the rarest token (the tokens rarely meet).
const WALK_WINDOW: i64 = 20_000;
/// The newest persons walked first, to judge whether the tokens meet often enough for the long
/// walk to fill a page.
const SAMPLE_WINDOW: i64 = 2_000;
/// A one- or two-letter prefix is looked up by pair key only if its tokens start in at most this
/// many ways ("li": li, lia, lin, liu); otherwise the token plans below serve it.
const MAX_PREFIX_PARTS: usize = 24;
/// At most this many pair keys are walked for one search (two short prefixes: "l w").
const MAX_PAIR_KEYS: usize = 48;
/// Every person query starts so; plans append their conditions.
const SELECT_PERSONS: &str = "SELECT p.* FROM persons p WHERE ";

/// A validated registration waiting for its group commit.
pub(crate) struct Pending {
    actor: Actor,
    person: NewPerson,
    /// Likely earlier registrations of this person, queued for review in the same commit.
    duplicates: Vec<NewCandidate>,
    reply: tokio::sync::oneshot::Sender<Result<Person>>,
}
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// A registration number, or name prefixes ("ngu van").
    pub q: Option<String>,
    pub nationality: Option<String>,
    pub arrival_group_id: Option<String>,
    /// Registration day (Bangkok), YYYY-MM-DD.
    pub day: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub version: i64,
    pub at: String,
    pub by: String,
    pub event: String,
    pub changes: serde_json::Value,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub today: i64,
    pub by_nationality: Vec<(String, i64)>,
    pub by_day: Vec<(String, i64)>,
    pub group: Option<i64>,
}

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 200;

/// The search tokens of a person's names.
fn person_tokens(person: &Person) -> Vec<String> {
    moei_domain::search::name_tokens(&[
        &person.given_name,
        &person.family_name,
        &person.name_original_script,
    ])
}

/// The query prefixes that each say something: one that starts a longer one of the query ("wan"
/// beside "wang") is implied by it, and one person token may match both.
fn independent_prefixes(tokens: Vec<String>) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| !tokens.iter().any(|o| o != *t && o.starts_with(t.as_str())))
        .cloned()
        .collect()
}

fn day_of(t: Timestamp) -> String {
    t.to_zoned(deployment_zone()).date().to_string()
}

fn is_token_char_ok(q: &str) -> bool {
    q.chars().count() <= 200
}

/// `AND nationality IN (...)` for embassy officers, with its parameters; an officer with no
/// nationality sees nothing.
pub(crate) fn scope_clause(
    principal: &Principal,
    params: &mut Vec<String>,
    column: &str,
) -> String {
    match principal.nationality_scope() {
        None => String::new(),
        Some([]) => " AND 1 = 0".into(),
        Some(scope) => {
            let mut marks = Vec::new();
            for code in scope {
                params.push(code.clone());
                marks.push(format!("${}", params.len()));
            }
            format!(" AND {column} IN ({})", marks.join(", "))
        }
    }
}

/// For embassy officers, `AND` the person whose id is `id_column` may be disclosed to their
/// embassy (a legal basis recorded, no fear-of-return flag: embassy.rs); empty for everyone else.
/// A person who may not be disclosed is "not found" for the embassy, in lists and in reads.
pub(crate) fn disclosure_clause(principal: &Principal, id_column: &str) -> String {
    match principal.nationality_scope() {
        None => String::new(),
        Some(_) => format!(" AND {}", crate::embassy::disclosable(id_column)),
    }
}

pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    params: &'q [String],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for p in params {
        q = q.bind(p.as_str());
    }
    q
}

pub(crate) fn person_from_row(r: &AnyRow) -> Result<Person> {
    let sex = text(r, "sex")?;
    let reg = text(r, "registration_number")?;
    let dob = opt_text(r, "date_of_birth")?;
    Ok(Person {
        id: text(r, "id")?,
        registration_number: RegistrationNumber::parse_lenient(&reg)
            .map_err(|_| StoreError::corrupt(format!("bad registration number {reg}")))?,
        arrival_group_id: opt_text(r, "arrival_group_id")?,
        given_name: text(r, "given_name")?,
        family_name: text(r, "family_name")?,
        name_original_script: text(r, "name_original_script")?,
        sex: Sex::parse(&sex).ok_or_else(|| StoreError::corrupt(format!("bad sex {sex}")))?,
        date_of_birth: match dob {
            Some(d) => Some(BirthDate::parse(&d).map_err(StoreError::corrupt)?),
            None => None,
        },
        estimated_age: opt_int(r, "estimated_age")?.map(|a| a.clamp(0, 255) as u8),
        nationality: text(r, "nationality")?,
        languages: split_list(&text(r, "languages")?),
        has_identity_document: int(r, "has_identity_document")? != 0,
        needs: split_list(&text(r, "needs")?)
            .iter()
            .filter_map(|n| Need::parse(n))
            .collect(),
        photo_sha256: opt_text(r, "photo_sha256")?,
        has_photo: opt_text(r, "photo_sha256")?.is_some(),
        notes: text(r, "notes")?,
        version: int(r, "version")?,
        registered_at: parse_ts(&text(r, "registered_at")?)?,
        registered_by: text(r, "registered_by")?,
        updated_at: parse_ts(&text(r, "updated_at")?)?,
    })
}

fn group_from_row(r: &AnyRow) -> Result<ArrivalGroup> {
    let mode = text(r, "mode")?;
    Ok(ArrivalGroup {
        id: text(r, "id")?,
        crossing_point: text(r, "crossing_point")?,
        arrived_at: parse_ts(&text(r, "arrived_at")?)?,
        mode: CrossingMode::parse(&mode)
            .ok_or_else(|| StoreError::corrupt(format!("bad mode {mode}")))?,
        officer: text(r, "officer")?,
        headcount: opt_int(r, "headcount")?,
        notes: text(r, "notes")?,
        registered_count: int(r, "registered_count")?,
        created_at: parse_ts(&text(r, "created_at")?)?,
    })
}

const GROUP_SELECT: &str = "SELECT g.*, (SELECT COUNT(*) FROM persons p WHERE p.arrival_group_id = g.id) \
     AS registered_count FROM arrival_groups g";

impl Store {
    pub async fn create_arrival_group(
        &self,
        actor: &Actor,
        input: &ArrivalGroupInput,
    ) -> Result<ArrivalGroup> {
        if !actor.principal.may(Action::CreateArrivalGroup) {
            return Err(StoreError::Forbidden);
        }
        let now = self.clock.now();
        let g: NewArrivalGroup = input.validate(now, &actor.principal.username)?;
        let id = new_id(now);
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO arrival_groups (id, crossing_point, arrived_at, mode, officer, headcount, notes, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&g.crossing_point)
        .bind(ts(g.arrived_at))
        .bind(g.mode.as_str())
        .bind(&g.officer)
        .bind(g.headcount)
        .bind(&g.notes)
        .bind(&actor.principal.user_id)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            actor,
            "arrival_group.create",
            "arrival_group",
            &id,
            g.mode.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(ArrivalGroup {
            id,
            crossing_point: g.crossing_point,
            arrived_at: g.arrived_at,
            mode: g.mode,
            officer: g.officer,
            headcount: g.headcount,
            notes: g.notes,
            registered_count: 0,
            created_at: now,
        })
    }

    pub async fn arrival_group(&self, actor: &Actor, id: &str) -> Result<ArrivalGroup> {
        if !actor.principal.may(Action::ReadArrivalGroups) {
            return Err(StoreError::Forbidden);
        }
        let row = sqlx::query(&format!("{GROUP_SELECT} WHERE g.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        group_from_row(&row)
    }

    /// The most recent arrival groups, newest first.
    pub async fn arrival_groups(&self, actor: &Actor, limit: i64) -> Result<Vec<ArrivalGroup>> {
        if !actor.principal.may(Action::ReadArrivalGroups) {
            return Err(StoreError::Forbidden);
        }
        let rows = sqlx::query(&format!(
            "{GROUP_SELECT} ORDER BY g.arrived_at DESC, g.id DESC LIMIT $1"
        ))
        .bind(limit.clamp(1, MAX_PAGE))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(group_from_row).collect()
    }

    /// Inserts validated persons in the caller's transaction with a fixed number of statements
    /// whatever their number: one group commit or one bulk load costs a few multi-row INSERTs,
    /// not several statements a person (measured in docs/BENCHMARKS.md).
    async fn insert_people(
        &self,
        tx: &mut Transaction<'static, Any>,
        people: &[(&Actor, &NewPerson)],
        now: Timestamp,
    ) -> Result<Vec<Person>> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        self.check_groups_exist(tx, people).await?;
        let count = i64::try_from(people.len()).unwrap_or(i64::MAX);
        let seq_row = sqlx::query(
            "UPDATE counters SET value = value + $1 WHERE name = 'registration' RETURNING value",
        )
        .bind(count)
        .fetch_one(&mut **tx)
        .await?;
        let first_seq = int(&seq_row, "value")? - count + 1;
        let mut persons = Vec::with_capacity(people.len());
        for (offset, (actor, p)) in (0_i64..).zip(people) {
            let seq = u32::try_from(first_seq + offset).unwrap_or(u32::MAX);
            let number = RegistrationNumber::new(&self.site, seq).map_err(|e| {
                StoreError::Conflict(format!("registration numbers exhausted for this site: {e}"))
            })?;
            persons.push(Person {
                id: new_id(now),
                registration_number: number,
                arrival_group_id: p.arrival_group_id.clone(),
                given_name: p.given_name.clone(),
                family_name: p.family_name.clone(),
                name_original_script: p.name_original_script.clone(),
                sex: p.sex,
                date_of_birth: p.date_of_birth,
                estimated_age: p.estimated_age,
                nationality: p.nationality.clone(),
                languages: p.languages.clone(),
                has_identity_document: p.has_identity_document,
                needs: p.needs.clone(),
                has_photo: false,
                photo_sha256: None,
                notes: p.notes.clone(),
                version: 1,
                registered_at: now,
                registered_by: actor.principal.username.clone(),
                updated_at: now,
            });
        }
        let at = ts(now);
        let day = day_of(now);
        for chunk in persons.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO persons (id, registration_number, arrival_group_id, given_name, family_name, \
                 name_original_script, sex, date_of_birth, estimated_age, nationality, languages, \
                 has_identity_document, needs, photo_sha256, notes, version, registered_at, registered_day, \
                 registered_by, updated_at) VALUES {}",
                value_rows(self.backend, chunk.len(), 20)
            );
            let mut q = sqlx::query(&sql);
            for person in chunk {
                q = q
                    .bind(person.id.as_str())
                    .bind(person.registration_number.as_str())
                    .bind(person.arrival_group_id.as_deref())
                    .bind(person.given_name.as_str())
                    .bind(person.family_name.as_str())
                    .bind(person.name_original_script.as_str())
                    .bind(person.sex.as_str())
                    .bind(person.date_of_birth.map(BirthDate::to_api_string))
                    .bind(person.estimated_age.map(i64::from))
                    .bind(person.nationality.as_str())
                    .bind(person.languages.join(","))
                    .bind(i64::from(person.has_identity_document))
                    .bind(
                        person
                            .needs
                            .iter()
                            .map(|n| n.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                    )
                    .bind(None::<String>)
                    .bind(person.notes.as_str())
                    .bind(person.version)
                    .bind(at.as_str())
                    .bind(day.as_str())
                    .bind(person.registered_by.as_str())
                    .bind(at.as_str());
            }
            q.execute(&mut **tx).await?;
        }
        let refs: Vec<&Person> = persons.iter().collect();
        self.insert_name_keys(tx, &refs).await?;
        for chunk in persons.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO person_history (person_id, version, changed_at, changed_by, event, changes) \
                 VALUES {}",
                value_rows(self.backend, chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for person in chunk {
                q = q
                    .bind(person.id.as_str())
                    .bind(1_i64)
                    .bind(at.as_str())
                    .bind(person.registered_by.as_str())
                    .bind("registered")
                    .bind("{}");
            }
            q.execute(&mut **tx).await?;
        }
        let records: Vec<AuditRecord<'_>> = people
            .iter()
            .zip(&persons)
            .map(|((actor, _), person)| AuditRecord {
                actor,
                action: "person.create",
                target_kind: "person",
                target_id: &person.id,
                detail: person.registration_number.as_str(),
            })
            .collect();
        self.audit_many(tx, &records).await?;
        Ok(persons)
    }

    /// Every arrival group named by `people` exists (one query for the whole group).
    async fn check_groups_exist(
        &self,
        tx: &mut Transaction<'static, Any>,
        people: &[(&Actor, &NewPerson)],
    ) -> Result<()> {
        let mut wanted: Vec<&str> = people
            .iter()
            .filter_map(|(_, p)| p.arrival_group_id.as_deref())
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT id FROM arrival_groups WHERE id IN ({})",
            crate::row::placeholders(self.backend, wanted.len())
        );
        let mut q = sqlx::query(&sql);
        for id in &wanted {
            q = q.bind(*id);
        }
        let found: Vec<String> = q
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| text(row, "id"))
            .collect::<Result<_>>()?;
        if wanted.iter().any(|w| !found.iter().any(|f| f == w)) {
            return Err(FieldError::new(
                "arrival_group_id",
                "unknown_group",
                "no such arrival group",
            )
            .into_err());
        }
        Ok(())
    }

    /// One entry of a person's timeline, in the transaction of the change it describes.
    pub(crate) async fn record_history(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        person_id: &str,
        version: i64,
        event: &str,
        changes: &serde_json::Value,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO person_history (person_id, version, changed_at, changed_by, event, changes) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(person_id)
        .bind(version)
        .bind(ts(self.clock.now()))
        .bind(&actor.principal.username)
        .bind(event)
        .bind(changes.to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Replaces a person's name tokens and pair keys (after a name changed).
    async fn write_tokens(
        &self,
        tx: &mut Transaction<'static, Any>,
        person: &Person,
    ) -> Result<()> {
        // The old pair keys come from the stored tokens, so that they are found even if the
        // tokenisation changed since they were written.
        let stored: Vec<String> =
            sqlx::query("SELECT token FROM person_tokens WHERE person_id = $1")
                .bind(&person.id)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| text(r, "token"))
                .collect::<Result<_>>()?;
        let old_pairs = moei_domain::search::name_pairs(&stored);
        if !old_pairs.is_empty() {
            let list = (2..old_pairs.len() + 2)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("DELETE FROM person_name_pairs WHERE person_id = $1 AND pair IN ({list})");
            let mut q = sqlx::query(&sql).bind(&person.id);
            for pair in &old_pairs {
                q = q.bind(pair.as_str());
            }
            q.execute(&mut **tx).await?;
        }
        sqlx::query("DELETE FROM person_tokens WHERE person_id = $1")
            .bind(&person.id)
            .execute(&mut **tx)
            .await?;
        self.insert_name_keys(tx, &[person]).await
    }

    /// Inserts the name tokens and pair keys of new (or renamed) persons, many rows a statement.
    async fn insert_name_keys(
        &self,
        tx: &mut Transaction<'static, Any>,
        persons: &[&Person],
    ) -> Result<()> {
        let mut tokens: Vec<(String, &str)> = Vec::new();
        let mut pairs: Vec<(String, &str)> = Vec::new();
        for person in persons {
            let person_tokens = person_tokens(person);
            let id = person.id.as_str();
            pairs.extend(
                moei_domain::search::name_pairs(&person_tokens)
                    .into_iter()
                    .map(|p| (p, id)),
            );
            tokens.extend(person_tokens.into_iter().map(|t| (t, id)));
        }
        for (table, column, rows) in [
            ("person_tokens", "token", &tokens),
            ("person_name_pairs", "pair", &pairs),
        ] {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let sql = format!(
                    "INSERT INTO {table} ({column}, person_id) VALUES {}",
                    value_rows(self.backend, chunk.len(), 2)
                );
                let mut q = sqlx::query(&sql);
                for (key, id) in chunk {
                    q = q.bind(key.as_str()).bind(*id);
                }
                q.execute(&mut **tx).await?;
            }
        }
        Ok(())
    }

    /// Registers one person. Concurrent registrations share commits ("group commit"): each
    /// caller queues its validated person, and one drain task at a time writes everything
    /// queued in one transaction and answers every caller after the fsync. Nothing is
    /// acknowledged before it is on disk; a group that fails is retried one by one, so one bad
    /// registration never sinks the others.
    pub async fn register_person(&self, actor: &Actor, input: &PersonInput) -> Result<Person> {
        self.register_person_with_duplicates(actor, input, |_| Vec::new())
            .await
    }

    /// Registers one person as `register_person` does, and queues for review the likely earlier
    /// registrations that `find_duplicates` finds for the validated person, in the same commit.
    /// The finder runs on the caller's task before queueing, so matching overlaps the fsync of
    /// the group ahead; `other_ref` of what it returns is set to the new person's id.
    pub async fn register_person_with_duplicates(
        &self,
        actor: &Actor,
        input: &PersonInput,
        find_duplicates: impl FnOnce(&NewPerson) -> Vec<NewCandidate>,
    ) -> Result<Person> {
        if !actor.principal.may(Action::RegisterPerson) {
            return Err(StoreError::Forbidden);
        }
        let person = input.validate(self.clock.today())?;
        let duplicates = find_duplicates(&person);
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pending_queue().push(Pending {
            actor: actor.clone(),
            person,
            duplicates,
            reply: tx,
        });
        if !self.committing.swap(true, Ordering::AcqRel) {
            tokio::spawn(self.clone().drain_pending());
        }
        rx.await
            .map_err(|_| StoreError::Conflict("the registration was not completed".into()))?
    }

    /// Commits queued registrations group by group until none is left. A caller waits only for
    /// the commit that holds its own registration, never for a later group's.
    async fn drain_pending(self) {
        /// Clears the flag however the drain ends, so a failed drain cannot stall registration.
        struct Draining(Arc<AtomicBool>);
        impl Drop for Draining {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let mut draining = Some(Draining(self.committing.clone()));
        loop {
            let group = std::mem::take(&mut *self.pending_queue());
            if !group.is_empty() {
                self.commit_group(group).await;
                continue;
            }
            drop(draining.take());
            // A registration queued between the take above and clearing the flag saw a drain
            // running and started none: take it up unless another drain already has.
            if self.pending_queue().is_empty() || self.committing.swap(true, Ordering::AcqRel) {
                return;
            }
            draining = Some(Draining(self.committing.clone()));
        }
    }

    fn pending_queue(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn commit_group(&self, group: Vec<Pending>) {
        let now = self.clock.now();
        let together = self.commit_pending(&group, now).await;
        match together {
            Ok(persons) => {
                for (p, person) in group.into_iter().zip(persons) {
                    let _ = p.reply.send(Ok(person));
                }
            }
            Err(_) if group.len() > 1 => {
                for p in group {
                    let one = self
                        .commit_pending(std::slice::from_ref(&p), now)
                        .await
                        .and_then(|mut persons| {
                            persons.pop().ok_or_else(|| {
                                StoreError::Conflict("the registration was not completed".into())
                            })
                        });
                    let _ = p.reply.send(one);
                }
            }
            Err(e) => {
                if let Some(p) = group.into_iter().next() {
                    let _ = p.reply.send(Err(e));
                }
            }
        }
    }

    /// Writes queued registrations and their duplicate candidates in one transaction.
    async fn commit_pending(&self, group: &[Pending], now: Timestamp) -> Result<Vec<Person>> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let people: Vec<(&Actor, &NewPerson)> =
            group.iter().map(|p| (&p.actor, &p.person)).collect();
        let persons = self.insert_people(&mut tx, &people, now).await?;
        let found: Vec<(&Actor, &Person, &[NewCandidate])> = group
            .iter()
            .zip(&persons)
            .map(|(p, person)| (&p.actor, person, p.duplicates.as_slice()))
            .collect();
        self.queue_duplicates_in(&mut tx, &found).await?;
        tx.commit().await?;
        Ok(persons)
    }

    /// Registers several persons in one transaction (all or none): used by bulk loads and the demo.
    pub async fn register_persons(
        &self,
        actor: &Actor,
        inputs: &[PersonInput],
    ) -> Result<Vec<Person>> {
        if !actor.principal.may(Action::RegisterPerson) {
            return Err(StoreError::Forbidden);
        }
        if inputs.is_empty() {
            return Err(StoreError::Conflict("nothing to register".into()));
        }
        let today = self.clock.today();
        let mut valid = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            match input.validate(today) {
                Ok(v) => valid.push(v),
                Err(mut e) if inputs.len() > 1 => {
                    for f in &mut e.0 {
                        f.field = format!("[{i}].{}", f.field);
                    }
                    return Err(e.into());
                }
                Err(e) => return Err(e.into()),
            }
        }
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let people: Vec<(&Actor, &NewPerson)> = valid.iter().map(|p| (actor, p)).collect();
        let out = self.insert_people(&mut tx, &people, now).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn load_person(&self, id: &str) -> Result<Option<Person>> {
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(person_from_row).transpose()
    }

    /// Refusals are audited too: probing for records is something auditors want to see.
    pub(crate) async fn refuse(
        &self,
        actor: &Actor,
        action: &str,
        id: &str,
        err: StoreError,
    ) -> StoreError {
        let _ = self
            .audit_event(actor, &format!("{action}.denied"), "person", id, "")
            .await;
        err
    }

    /// Whether `actor` may see this person at all: an embassy officer only their own nationals,
    /// and of those only the ones who may be disclosed to the embassy.
    pub(crate) async fn may_see(&self, actor: &Actor, p: &Person) -> Result<bool> {
        if !actor.principal.sees_nationality(&p.nationality) {
            return Ok(false);
        }
        if actor.principal.nationality_scope().is_none() {
            return Ok(true);
        }
        let sql = format!(
            "SELECT 1 AS ok FROM persons p WHERE p.id = $1{}",
            disclosure_clause(&actor.principal, "p.id")
        );
        let row = sqlx::query(&sql)
            .bind(p.id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    pub async fn person(&self, actor: &Actor, id: &str) -> Result<Person> {
        if !actor.principal.may(Action::ReadPerson) {
            return Err(self
                .refuse(actor, "person.read", id, StoreError::Forbidden)
                .await);
        }
        let person = match self.load_person(id).await? {
            Some(p) if self.may_see(actor, &p).await? => Some(p),
            _ => None,
        };
        match person {
            Some(p) => {
                self.audit_event(actor, "person.read", "person", &p.id, "")
                    .await?;
                Ok(p)
            }
            _ => Err(self
                .refuse(actor, "person.read", id, StoreError::NotFound)
                .await),
        }
    }

    pub async fn person_by_registration_number(
        &self,
        actor: &Actor,
        number: &str,
    ) -> Result<Person> {
        let rn = RegistrationNumber::parse_lenient(number).map_err(|_| StoreError::NotFound)?;
        let row = sqlx::query("SELECT id FROM persons WHERE registration_number = $1")
            .bind(rn.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => self.person(actor, &text(&r, "id")?).await,
            None => Err(StoreError::NotFound),
        }
    }

    pub async fn update_person(
        &self,
        actor: &Actor,
        id: &str,
        patch: &PersonPatch,
    ) -> Result<Person> {
        if !actor.principal.may(Action::UpdatePerson) {
            return Err(self
                .refuse(actor, "person.update", id, StoreError::Forbidden)
                .await);
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let before = match row.as_ref().map(person_from_row).transpose()? {
            Some(p) if actor.principal.sees_nationality(&p.nationality) => p,
            _ => {
                drop(tx);
                return Err(StoreError::NotFound);
            }
        };
        if let Some(v) = patch.expected_version
            && v != before.version
        {
            return Err(StoreError::Conflict(format!(
                "the record changed (version {} now, {v} expected): reload and try again",
                before.version
            )));
        }
        let mut after = patch.apply(&before, today)?;
        let changes = diff(&before, &after);
        if changes.is_empty() {
            tx.commit().await?;
            return Ok(before);
        }
        after.version = before.version + 1;
        after.updated_at = now;
        sqlx::query(
            "UPDATE persons SET given_name = $1, family_name = $2, name_original_script = $3, sex = $4, \
             date_of_birth = $5, estimated_age = $6, nationality = $7, languages = $8, \
             has_identity_document = $9, needs = $10, notes = $11, version = $12, updated_at = $13 \
             WHERE id = $14 AND version = $15",
        )
        .bind(&after.given_name)
        .bind(&after.family_name)
        .bind(&after.name_original_script)
        .bind(after.sex.as_str())
        .bind(after.date_of_birth.map(BirthDate::to_api_string))
        .bind(after.estimated_age.map(i64::from))
        .bind(&after.nationality)
        .bind(after.languages.join(","))
        .bind(i64::from(after.has_identity_document))
        .bind(after.needs.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(","))
        .bind(&after.notes)
        .bind(after.version)
        .bind(ts(now))
        .bind(&after.id)
        .bind(before.version)
        .execute(&mut *tx)
        .await?;
        self.write_tokens(&mut tx, &after).await?;
        let changes_json = serde_json::Value::Object(changes);
        self.record_history(
            &mut tx,
            actor,
            &after.id,
            after.version,
            "updated",
            &changes_json,
        )
        .await?;
        let fields: Vec<&String> = changes_json
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let detail = fields
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",");
        self.audit(
            &mut tx,
            actor,
            "person.update",
            "person",
            &after.id,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The record's timeline, oldest first (the read is audited with the person).
    pub async fn person_history(&self, actor: &Actor, id: &str) -> Result<Vec<HistoryEntry>> {
        let p = self.person(actor, id).await?;
        self.history_of(&p).await
    }

    /// The person page in one audited read: the record, its timeline and its documents.
    pub async fn person_record(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Person, Vec<HistoryEntry>, Vec<crate::documents::Document>)> {
        let p = self.person(actor, id).await?;
        let history = self.history_of(&p).await?;
        let documents = self.documents_of(actor, &p).await?;
        Ok((p, history, documents))
    }

    /// The timeline of a person the caller has already read (and so audited).
    async fn history_of(&self, p: &Person) -> Result<Vec<HistoryEntry>> {
        let rows =
            sqlx::query("SELECT * FROM person_history WHERE person_id = $1 ORDER BY version")
                .bind(&p.id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    version: int(r, "version")?,
                    at: text(r, "changed_at")?,
                    by: text(r, "changed_by")?,
                    event: text(r, "event")?,
                    changes: serde_json::from_str(&text(r, "changes")?)
                        .unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
    }

    /// Lists or searches persons, newest first, with keyset paging that stays fast at any depth.
    pub async fn search_persons(&self, actor: &Actor, query: &PersonQuery) -> Result<Page<Person>> {
        if !actor.principal.may(Action::ListPersons) {
            return Err(StoreError::Forbidden);
        }
        let limit = query.limit.unwrap_or(50).clamp(1, MAX_PAGE);
        let mut params: Vec<String> = Vec::new();
        // The conditions every plan applies; each plan adds its own on names.
        let mut sql = String::from("p.merged_into IS NULL");
        sql.push_str(&scope_clause(
            &actor.principal,
            &mut params,
            "p.nationality",
        ));
        sql.push_str(&disclosure_clause(&actor.principal, "p.id"));
        if let Some(n) = query.nationality.as_deref().filter(|n| !n.is_empty()) {
            params.push(n.trim().to_ascii_uppercase());
            sql.push_str(&format!(" AND p.nationality = ${}", params.len()));
        }
        if let Some(g) = query.arrival_group_id.as_deref().filter(|g| !g.is_empty()) {
            params.push(g.to_string());
            sql.push_str(&format!(" AND p.arrival_group_id = ${}", params.len()));
        }
        if let Some(d) = query.day.as_deref().filter(|d| !d.is_empty()) {
            if d.parse::<jiff::civil::Date>().is_err() {
                return Err(
                    FieldError::new("day", "invalid_date_format", "must be YYYY-MM-DD").into_err(),
                );
            }
            params.push(d.to_string());
            sql.push_str(&format!(" AND p.registered_day = ${}", params.len()));
        }
        let mut cursor_param = None;
        if let Some(c) = query.cursor.as_deref().filter(|c| !c.is_empty()) {
            if c.len() > 64 {
                return Err(FieldError::new(
                    "cursor",
                    "invalid_cursor",
                    "is not a cursor from this API",
                )
                .into_err());
            }
            params.push(c.to_string());
            sql.push_str(&format!(" AND p.id < ${}", params.len()));
            cursor_param = Some(params.len());
        }
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if !is_token_char_ok(q) {
                return Err(
                    FieldError::new("q", "too_long", "must be at most 200 characters").into_err(),
                );
            }
            match self.as_registration_number(q) {
                Some(rn) => {
                    params.push(rn);
                    sql.push_str(&format!(" AND p.registration_number = ${}", params.len()));
                }
                // Names have no digits; a query with digits is a document number.
                None if q.chars().any(|c| c.is_ascii_digit()) => {
                    params.push(moei_domain::document::number_key(q));
                    sql.push_str(&format!(
                        " AND p.id IN (SELECT person_id FROM person_documents WHERE number_key = ${})",
                        params.len()
                    ));
                }
                None => {
                    let tokens = moei_domain::search::name_tokens(&[q]);
                    if tokens.is_empty() {
                        return Ok(Page {
                            items: Vec::new(),
                            next: None,
                        });
                    }
                    // Two or more prefixes are looked up by pair key (above). Otherwise, and
                    // when a one-letter prefix has too many keys, three plans, chosen by capped
                    // token counts, because each is slow exactly where another is fast
                    // (docs/BENCHMARKS.md):
                    // - a rare token drives: its matches form a short IN list;
                    // - one common token: walk persons newest first; nearly every one is a hit;
                    // - several common tokens: walk a window of the newest persons, and only if
                    //   that does not fill the page (the tokens rarely meet) drive by the
                    //   rarest token, whose IN list is then long but the hits are few.
                    let tokens = independent_prefixes(tokens.into_iter().take(4).collect());
                    if tokens.len() >= 2
                        && let Some(keys) = self.pair_keys_of(&tokens).await?
                    {
                        return self
                            .search_by_pairs(
                                actor,
                                query,
                                &sql,
                                params,
                                cursor_param,
                                &tokens,
                                &keys,
                                limit,
                            )
                            .await;
                    }
                    let mut rarest: Option<(usize, i64)> = None;
                    for (i, t) in tokens.iter().enumerate() {
                        let n = self.token_matches_capped(t, TOKEN_DRIVE_CAP).await?;
                        if rarest.is_none_or(|(_, best)| n < best) {
                            rarest = Some((i, n));
                        }
                    }
                    let (rarest, rarest_count) = rarest.unwrap_or((0, 0));
                    let mut exists = Vec::new();
                    let mut drive = String::new();
                    for (i, t) in tokens.iter().enumerate() {
                        params.push(t.clone());
                        let lo = params.len();
                        params.push(format!("{t}\u{10FFFF}"));
                        let hi = params.len();
                        if i == rarest {
                            drive = format!(
                                " AND p.id IN (SELECT person_id FROM person_tokens WHERE token >= ${lo} AND token < ${hi})"
                            );
                        }
                        exists.push(format!(
                            " AND EXISTS (SELECT 1 FROM person_tokens t WHERE t.person_id = p.id AND t.token >= ${lo} AND t.token < ${hi})"
                        ));
                    }
                    let others = |skip: Option<usize>| -> String {
                        exists
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| Some(*i) != skip)
                            .map(|(_, e)| e.as_str())
                            .collect()
                    };
                    if rarest_count < TOKEN_DRIVE_CAP {
                        sql.push_str(&drive);
                        sql.push_str(&others(Some(rarest)));
                    } else if tokens.len() == 1 {
                        sql.push_str(&others(None));
                    } else {
                        // A window is bounded by the id of its last (oldest) person, found
                        // by an index-only walk, so the walk stops as soon as the page is full.
                        // A short window is walked first: when the tokens meet too rarely in it
                        // to fill a page in the long one, the long walk is skipped.
                        let before = cursor_param
                            .map(|n| format!(" WHERE id < ${n}"))
                            .unwrap_or_default();
                        let windowed = |size: i64| {
                            format!(
                                "{SELECT_PERSONS}{sql} AND p.id >= COALESCE((SELECT id FROM persons{before} \
                                 ORDER BY id DESC LIMIT 1 OFFSET {}), ''){} ORDER BY p.id DESC LIMIT {}",
                                size - 1,
                                others(None),
                                limit + 1
                            )
                        };
                        let rows = bind_all(sqlx::query(&windowed(SAMPLE_WINDOW)), &params)
                            .fetch_all(&self.pool)
                            .await?;
                        if rows.len() as i64 > limit {
                            return self.search_page(actor, query, &rows, limit).await;
                        }
                        let projected = rows.len() as i64 * (WALK_WINDOW / SAMPLE_WINDOW);
                        if projected > limit {
                            let rows = bind_all(sqlx::query(&windowed(WALK_WINDOW)), &params)
                                .fetch_all(&self.pool)
                                .await?;
                            if rows.len() as i64 > limit {
                                return self.search_page(actor, query, &rows, limit).await;
                            }
                        }
                        sql.push_str(&drive);
                        sql.push_str(&others(Some(rarest)));
                    }
                }
            }
        }
        let sql = format!(
            "{SELECT_PERSONS}{sql} ORDER BY p.id DESC LIMIT {}",
            limit + 1
        );
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        self.search_page(actor, query, &rows, limit).await
    }

    /// Pair keys that together find every person with a token starting with each of the two
    /// longest prefixes, or `None` when short prefixes have too many of them.
    async fn pair_keys_of(&self, tokens: &[String]) -> Result<Option<Vec<String>>> {
        let mut by_length: Vec<&String> = tokens.iter().collect();
        by_length.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        let mut parts = Vec::new();
        for token in by_length.into_iter().take(2) {
            match self.pair_parts_of_prefix(token).await? {
                Some(p) => parts.push(p),
                None => return Ok(None),
            }
        }
        let mut keys: Vec<String> = parts[0]
            .iter()
            .flat_map(|a| {
                parts[1]
                    .iter()
                    .map(move |b| moei_domain::search::pair_key(a, b))
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        // Two short prefixes multiply their starts; each key is one walk of the query.
        Ok((keys.len() <= MAX_PAIR_KEYS).then_some(keys))
    }

    /// The pair-key parts of the tokens that start with `prefix`. A prefix of at least
    /// [`PAIR_KEY_CHARS`] characters has one; a shorter one ("li") has one per distinct start of
    /// its tokens ("li", "lia", "lin", "liu"), found by skipping through the token index.
    async fn pair_parts_of_prefix(&self, prefix: &str) -> Result<Option<Vec<String>>> {
        if prefix.chars().count() >= PAIR_KEY_CHARS {
            return Ok(Some(vec![pair_part(prefix).to_string()]));
        }
        let upper = format!("{prefix}\u{10FFFF}");
        let mut parts: Vec<String> = Vec::new();
        let mut from = prefix.to_string();
        loop {
            let op = if parts.is_empty() { ">=" } else { ">" };
            let row = sqlx::query(&format!(
                "SELECT token FROM person_tokens WHERE token {op} $1 AND token < $2 \
                 ORDER BY token LIMIT 1"
            ))
            .bind(&from)
            .bind(&upper)
            .fetch_optional(&self.pool)
            .await?;
            let Some(row) = row else {
                return Ok(Some(parts));
            };
            if parts.len() == MAX_PREFIX_PARTS {
                return Ok(None);
            }
            let part = pair_part(&text(&row, "token")?).to_string();
            // Past every token that starts with this part: a whole short token is its own part.
            from = if part.chars().count() < PAIR_KEY_CHARS {
                part.clone()
            } else {
                format!("{part}\u{10FFFF}")
            };
            parts.push(part);
        }
    }

    /// Name search by pair keys: for each key, the newest persons holding it that pass every
    /// filter and match every prefix, walked down the (pair, person) index and stopped at a
    /// page; the page is the newest of their union. A common pair stops early, a rare one is
    /// short, so neither visits every person of a common token.
    #[allow(clippy::too_many_arguments)]
    async fn search_by_pairs(
        &self,
        actor: &Actor,
        query: &PersonQuery,
        filter: &str,
        mut params: Vec<String>,
        cursor_param: Option<usize>,
        tokens: &[String],
        keys: &[String],
        limit: i64,
    ) -> Result<Page<Person>> {
        let mut prefixes = String::new();
        for t in tokens {
            params.push(t.clone());
            let lo = params.len();
            params.push(format!("{t}\u{10FFFF}"));
            let hi = params.len();
            prefixes.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM person_tokens t WHERE t.person_id = p.id AND t.token >= ${lo} AND t.token < ${hi})"
            ));
        }
        // The cursor bounds the index walk itself, not only the joined person.
        let below_cursor = cursor_param
            .map(|n| format!(" AND k.person_id < ${n}"))
            .unwrap_or_default();
        let mut walks = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            params.push(key.clone());
            let n = params.len();
            // CROSS JOIN keeps the pair index as the outer loop in SQLite.
            walks.push(format!(
                "SELECT person_id FROM (SELECT k.person_id FROM person_name_pairs k CROSS JOIN persons p \
                 WHERE k.pair = ${n}{below_cursor} AND p.id = k.person_id AND {filter}{prefixes} \
                 ORDER BY k.person_id DESC LIMIT {}) AS walk{i}",
                limit + 1
            ));
        }
        let sql = format!(
            "{SELECT_PERSONS}p.id IN ({}) ORDER BY p.id DESC LIMIT {}",
            walks.join(" UNION "),
            limit + 1
        );
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        self.search_page(actor, query, &rows, limit).await
    }

    /// A page of search results (`limit + 1` rows fetched tell whether there is a next page),
    /// audited as one search.
    async fn search_page(
        &self,
        actor: &Actor,
        query: &PersonQuery,
        rows: &[AnyRow],
        limit: i64,
    ) -> Result<Page<Person>> {
        let mut items = rows
            .iter()
            .map(person_from_row)
            .collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|p| p.id.clone())
        } else {
            None
        };
        let detail = serde_json::json!({
            "q": query.q, "nationality": query.nationality, "group": query.arrival_group_id,
            "day": query.day, "hits": items.len(),
        });
        self.audit_event(actor, "person.search", "person", "", &detail.to_string())
            .await?;
        Ok(Page { items, next })
    }

    /// How many name tokens start with `prefix`, counted up to `cap`.
    async fn token_matches_capped(&self, prefix: &str, cap: i64) -> Result<i64> {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM person_tokens WHERE token >= $1 AND token < $2 LIMIT {cap}) t"
        ))
        .bind(prefix)
        .bind(format!("{prefix}\u{10FFFF}"))
        .fetch_one(&self.pool)
        .await?;
        int(&row, "n")
    }

    /// A full registration number, or the digits alone at this site.
    fn as_registration_number(&self, q: &str) -> Option<String> {
        if let Ok(rn) = RegistrationNumber::parse_lenient(q) {
            return Some(rn.to_string());
        }
        let digits: String = q
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return RegistrationNumber::parse_lenient(&format!("{}-{digits}", self.site))
                .ok()
                .map(|r| r.to_string());
        }
        None
    }

    /// Counts for the desk and the dashboard: aggregates only, within the actor's scope.
    pub async fn counts(&self, actor: &Actor, group: Option<&str>) -> Result<Counts> {
        if !actor.principal.may(Action::CountPersons) {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let scope = scope_clause(&actor.principal, &mut params, "nationality");
        let base = format!("FROM persons WHERE merged_into IS NULL{scope}");
        let total = int(
            &bind_all(
                sqlx::query(&format!("SELECT COUNT(*) AS n {base}")),
                &params,
            )
            .fetch_one(&self.pool)
            .await?,
            "n",
        )?;
        let mut today_params = params.clone();
        today_params.push(self.clock.today().to_string());
        let today = int(
            &bind_all(
                sqlx::query(&format!(
                    "SELECT COUNT(*) AS n {base} AND registered_day = ${}",
                    today_params.len()
                )),
                &today_params,
            )
            .fetch_one(&self.pool)
            .await?,
            "n",
        )?;
        let by_nationality = bind_all(
            sqlx::query(&format!("SELECT nationality AS k, COUNT(*) AS n {base} GROUP BY nationality ORDER BY n DESC, k")),
            &params,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((text(r, "k")?, int(r, "n")?)))
        .collect::<Result<Vec<_>>>()?;
        let by_day = bind_all(
            sqlx::query(&format!("SELECT registered_day AS k, COUNT(*) AS n {base} GROUP BY registered_day ORDER BY k")),
            &params,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((text(r, "k")?, int(r, "n")?)))
        .collect::<Result<Vec<_>>>()?;
        let group = match group {
            Some(g) => {
                let mut gp = params.clone();
                gp.push(g.to_string());
                Some(int(
                    &bind_all(
                        sqlx::query(&format!(
                            "SELECT COUNT(*) AS n {base} AND arrival_group_id = ${}",
                            gp.len()
                        )),
                        &gp,
                    )
                    .fetch_one(&self.pool)
                    .await?,
                    "n",
                )?)
            }
            None => None,
        };
        Ok(Counts {
            total,
            today,
            by_nationality,
            by_day,
            group,
        })
    }

    /// Every person, for building the in-memory matching index at start. This is a system read
    /// of all personal data, audited once as such.
    pub async fn all_persons_for_matching(&self) -> Result<Vec<Person>> {
        let rows = sqlx::query("SELECT * FROM persons WHERE merged_into IS NULL ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let persons = rows
            .iter()
            .map(person_from_row)
            .collect::<Result<Vec<_>>>()?;
        let detail = serde_json::json!({ "rows": persons.len() });
        self.audit_event(
            &Actor::new(Principal::system(), "matching"),
            "match.index",
            "person",
            "",
            &detail.to_string(),
        )
        .await?;
        Ok(persons)
    }

    /// The persons among `ids` that the actor may see, in the order given: the candidates of a
    /// duplicate check. Audited as one search.
    pub async fn persons_by_ids(&self, actor: &Actor, ids: &[String]) -> Result<Vec<Person>> {
        if !actor.principal.may(Action::ListPersons) {
            return Err(StoreError::Forbidden);
        }
        let mut out = Vec::new();
        for id in ids.iter().take(MAX_PAGE as usize) {
            if let Some(p) = self.load_person(id).await?
                && self.may_see(actor, &p).await?
            {
                out.push(p);
            }
        }
        let detail = serde_json::json!({ "candidates": out.len() });
        self.audit_event(actor, "person.match", "person", "", &detail.to_string())
            .await?;
        Ok(out)
    }

    /// Every person within the actor's scope (optionally one nationality), oldest first, for an
    /// export file. The export itself is audited with its size.
    pub async fn export_persons(
        &self,
        actor: &Actor,
        nationality: Option<&str>,
    ) -> Result<Vec<Person>> {
        if !actor.principal.may(Action::ExportPersons) {
            return Err(StoreError::Forbidden);
        }
        let mut params = Vec::new();
        let mut sql = String::from("SELECT * FROM persons p WHERE p.merged_into IS NULL");
        sql.push_str(&scope_clause(
            &actor.principal,
            &mut params,
            "p.nationality",
        ));
        sql.push_str(&disclosure_clause(&actor.principal, "p.id"));
        if let Some(n) = nationality.filter(|n| !n.is_empty()) {
            params.push(n.trim().to_ascii_uppercase());
            sql.push_str(&format!(" AND p.nationality = ${}", params.len()));
        }
        sql.push_str(" ORDER BY p.id");
        let rows = bind_all(sqlx::query(&sql), &params)
            .fetch_all(&self.pool)
            .await?;
        let persons = rows
            .iter()
            .map(person_from_row)
            .collect::<Result<Vec<_>>>()?;
        let detail = serde_json::json!({ "nationality": nationality, "rows": persons.len() });
        self.audit_event(actor, "person.export", "person", "", &detail.to_string())
            .await?;
        Ok(persons)
    }

    /// Stores a JPEG or PNG photo with its SHA-256, as a new version of the record.
    pub async fn set_photo(&self, actor: &Actor, id: &str, bytes: &[u8]) -> Result<Person> {
        if !actor.principal.may(Action::UpdatePerson) {
            return Err(StoreError::Forbidden);
        }
        let content_type = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            "image/jpeg"
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else {
            return Err(FieldError::new(
                "photo",
                "unsupported_image",
                "must be a JPEG or PNG image",
            )
            .into_err());
        };
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(FieldError::new("photo", "too_large", "must be at most 5 MiB").into_err());
        }
        let digest = moei_crypto::sha256_hex(bytes);
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let mut p = match row.as_ref().map(person_from_row).transpose()? {
            Some(p) if actor.principal.sees_nationality(&p.nationality) => p,
            _ => return Err(StoreError::NotFound),
        };
        sqlx::query("DELETE FROM person_photos WHERE person_id = $1")
            .bind(&p.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO person_photos (person_id, content_type, sha256, data, uploaded_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&p.id)
            .bind(content_type)
            .bind(&digest)
            .bind(bytes.to_vec())
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        p.version += 1;
        p.updated_at = now;
        sqlx::query(
            "UPDATE persons SET photo_sha256 = $1, version = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&digest)
        .bind(p.version)
        .bind(ts(now))
        .bind(&p.id)
        .execute(&mut *tx)
        .await?;
        let change =
            serde_json::json!({ "photo_sha256": { "from": p.photo_sha256, "to": digest } });
        self.record_history(&mut tx, actor, &p.id, p.version, "photo", &change)
            .await?;
        self.audit(&mut tx, actor, "person.photo", "person", &p.id, &digest)
            .await?;
        tx.commit().await?;
        p.photo_sha256 = Some(digest);
        p.has_photo = true;
        Ok(p)
    }

    /// (content type, bytes) of a person's photo; reading it is audited.
    pub async fn photo(&self, actor: &Actor, id: &str) -> Result<(String, Vec<u8>)> {
        let p = self.person(actor, id).await?;
        // An embassy receives photos only where its sharing agreement allows them.
        if actor.principal.nationality_scope().is_some() {
            let allowed = self
                .embassies()
                .await?
                .iter()
                .any(|e| e.nationality == p.nationality && e.photos_allowed);
            if !allowed {
                return Err(StoreError::NotFound);
            }
        }
        let row = sqlx::query("SELECT content_type, data FROM person_photos WHERE person_id = $1")
            .bind(&p.id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        use sqlx::Row;
        Ok((
            text(&row, "content_type")?,
            row.try_get::<Vec<u8>, _>("data")?,
        ))
    }
}

pub(crate) trait IntoStoreError {
    fn into_err(self) -> StoreError;
}

impl IntoStoreError for FieldError {
    fn into_err(self) -> StoreError {
        StoreError::Invalid(ValidationErrors::from(self))
    }
}
