//! Identity documents: recorded per person with their status (seen, copy, confiscated, lost),
//! checked against an MRZ when there is one, searchable by number. The same number on two
//! persons is flagged for review.

use moei_domain::Action;
use moei_domain::document::{CheckedDocument, DocumentInput, number_key};
use serde::Serialize;

use crate::persons::person_from_row;
use crate::row::{new_id, opt_int, opt_text, text, ts};
use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub person_id: String,
    pub kind: String,
    pub status: String,
    pub number: String,
    pub issuing_state: String,
    pub expiry_date: Option<String>,
    pub expired: bool,
    pub mrz: String,
    pub mrz_valid: Option<bool>,
    /// The MRZ report and the disagreements found when the document was recorded.
    pub checks: serde_json::Value,
    /// Registration numbers of other persons (that the caller may see) holding the same number.
    pub same_number_persons: Vec<String>,
    pub notes: String,
    pub created_at: String,
    pub created_by: String,
}

fn checks_json(doc: &CheckedDocument) -> serde_json::Value {
    serde_json::json!({ "mrz": doc.mrz_report, "disagreements": doc.disagreements })
}

impl Store {
    pub async fn add_document(
        &self,
        actor: &Actor,
        person_id: &str,
        input: &DocumentInput,
    ) -> Result<Document> {
        if !actor.principal.may(Action::UpdatePerson) {
            return Err(StoreError::Forbidden);
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        let mut person = match row.as_ref().map(person_from_row).transpose()? {
            Some(p) if actor.principal.sees_nationality(&p.nationality) => p,
            _ => return Err(StoreError::NotFound),
        };
        let doc = input.check(&person, today)?;
        let id = new_id(now);
        let key = number_key(&doc.number);
        let checks = checks_json(&doc);
        sqlx::query(
            "INSERT INTO person_documents (id, person_id, kind, status, number, number_key, issuing_state, \
             expiry_date, mrz, mrz_valid, checks, notes, created_at, created_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
        )
        .bind(&id)
        .bind(&person.id)
        .bind(doc.kind.as_str())
        .bind(doc.status.as_str())
        .bind(&doc.number)
        .bind(&key)
        .bind(&doc.issuing_state)
        .bind(doc.expiry_date.map(|d| d.to_string()))
        .bind(&doc.mrz)
        .bind(doc.mrz_valid.map(i64::from))
        .bind(checks.to_string())
        .bind(&doc.notes)
        .bind(ts(now))
        .bind(&actor.principal.username)
        .execute(&mut *tx)
        .await?;
        // Holding an original (or a copy) of a document is what the person record summarises.
        let holds = matches!(
            doc.status,
            moei_domain::document::DocumentStatus::OriginalSeen
                | moei_domain::document::DocumentStatus::CopyOrPhotoOnly
        );
        person.version += 1;
        sqlx::query("UPDATE persons SET version = $1, updated_at = $2, has_identity_document = CASE WHEN $3 = 1 THEN 1 ELSE has_identity_document END WHERE id = $4")
            .bind(person.version)
            .bind(ts(now))
            .bind(i64::from(holds))
            .bind(&person.id)
            .execute(&mut *tx)
            .await?;
        let change = serde_json::json!({ "document": { "from": null, "to": format!("{} {} {}", doc.kind.as_str(), doc.status.as_str(), doc.number) } });
        self.record_history(
            &mut tx,
            actor,
            &person.id,
            person.version,
            "document",
            &change,
        )
        .await?;
        self.audit(
            &mut tx,
            actor,
            "document.create",
            "person",
            &person.id,
            doc.kind.as_str(),
        )
        .await?;
        let same = if key.is_empty() {
            Vec::new()
        } else {
            self.holders(&mut *tx, actor, &key, &person.id).await?
        };
        if !same.is_empty() {
            self.audit(
                &mut tx,
                actor,
                "document.duplicate_number",
                "person",
                &person.id,
                &same.join(","),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Document {
            id,
            person_id: person.id,
            kind: doc.kind.as_str().into(),
            status: doc.status.as_str().into(),
            number: doc.number,
            issuing_state: doc.issuing_state,
            expiry_date: doc.expiry_date.map(|d| d.to_string()),
            expired: doc.expired,
            mrz: doc.mrz,
            mrz_valid: doc.mrz_valid,
            checks,
            same_number_persons: same,
            notes: doc.notes,
            created_at: ts(now),
            created_by: actor.principal.username.clone(),
        })
    }

    /// Other persons in the actor's scope with a document of this number.
    async fn holders<'c, E>(
        &self,
        exec: E,
        actor: &Actor,
        key: &str,
        except: &str,
    ) -> Result<Vec<String>>
    where
        E: sqlx::Executor<'c, Database = sqlx::Any>,
    {
        let rows = sqlx::query(
            "SELECT DISTINCT p.registration_number, p.nationality FROM person_documents d JOIN persons p ON p.id = d.person_id \
             WHERE d.number_key = $1 AND d.person_id <> $2",
        )
        .bind(key)
        .bind(except)
        .fetch_all(exec)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            if actor.principal.sees_nationality(&text(r, "nationality")?) {
                out.push(text(r, "registration_number")?);
            }
        }
        out.sort();
        Ok(out)
    }

    /// A person's documents, newest first (the person read is audited).
    pub async fn documents(&self, actor: &Actor, person_id: &str) -> Result<Vec<Document>> {
        let person = self.person(actor, person_id).await?;
        self.documents_of(actor, &person).await
    }

    /// The documents of a person the caller has already read (and so audited).
    pub(crate) async fn documents_of(
        &self,
        actor: &Actor,
        person: &moei_domain::Person,
    ) -> Result<Vec<Document>> {
        let rows =
            sqlx::query("SELECT * FROM person_documents WHERE person_id = $1 ORDER BY id DESC")
                .bind(&person.id)
                .fetch_all(&self.pool)
                .await?;
        let today = self.clock.today().to_string();
        let mut out = Vec::new();
        for r in &rows {
            let key = text(r, "number_key")?;
            let expiry = opt_text(r, "expiry_date")?;
            out.push(Document {
                id: text(r, "id")?,
                person_id: person.id.clone(),
                kind: text(r, "kind")?,
                status: text(r, "status")?,
                number: text(r, "number")?,
                issuing_state: text(r, "issuing_state")?,
                expired: expiry.as_deref().is_some_and(|e| e < today.as_str()),
                expiry_date: expiry,
                mrz: text(r, "mrz")?,
                mrz_valid: opt_int(r, "mrz_valid")?.map(|v| v != 0),
                checks: serde_json::from_str(&text(r, "checks")?)
                    .unwrap_or(serde_json::Value::Null),
                same_number_persons: if key.is_empty() {
                    Vec::new()
                } else {
                    self.holders(&self.pool, actor, &key, &person.id).await?
                },
                notes: text(r, "notes")?,
                created_at: text(r, "created_at")?,
                created_by: text(r, "created_by")?,
            });
        }
        Ok(out)
    }
}

/// Reading zones from images of documents, for a person's record or before
/// the holder is registered.
impl Store {
    /// A photo of a document is personal data: only those who may record
    /// documents may have one read, only for a person in their scope (others
    /// answer NotFound), and refusals are audited like any probe.
    pub async fn authorize_mrz_image_read(
        &self,
        actor: &Actor,
        person_id: Option<&str>,
    ) -> Result<()> {
        let target = person_id.unwrap_or("");
        if !actor.principal.may(Action::UpdatePerson) {
            self.audit_event(actor, "mrz.image_read.denied", "person", target, "")
                .await?;
            return Err(StoreError::Forbidden);
        }
        let Some(id) = person_id else {
            return Ok(());
        };
        let row = sqlx::query("SELECT nationality FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let visible = match &row {
            Some(r) => actor.principal.sees_nationality(&text(r, "nationality")?),
            None => false,
        };
        if !visible {
            self.audit_event(actor, "mrz.image_read.denied", "person", id, "")
                .await?;
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Records that a zone was read from an image, with its outcome (format
    /// and validity, never the zone itself). The image is not stored.
    pub async fn audit_mrz_image_read(
        &self,
        actor: &Actor,
        person_id: Option<&str>,
        outcome: &str,
    ) -> Result<()> {
        self.audit_event(
            actor,
            "mrz.image_read",
            "person",
            person_id.unwrap_or(""),
            outcome,
        )
        .await
    }
}
