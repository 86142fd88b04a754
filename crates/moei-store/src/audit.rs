//! The audit log: who did what, to what, when and from where: append-only and hash-chained.
//!
//! Each row's hash covers the previous row's hash and the row's own fields, and `audit_head`
//! keeps the newest link. Altering, deleting or reordering any row, or cutting off the tail,
//! breaks the chain, and [`Store::verify_audit`] names the first broken link. The chain proves
//! integrity only against someone who cannot also rewrite every later row and the head: export
//! the head (`moei audit head`) to somewhere else regularly to anchor it.

use moei_crypto::{CHAIN_GENESIS, chain_link};
use serde::Serialize;
use sqlx::{Any, Transaction};

use crate::row::{int, text, ts, value_rows};
use crate::{Actor, Backend, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor_id: String,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub detail: String,
    pub origin: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VerifyReport {
    pub rows: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub first_broken: Option<BrokenLink>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Rows per multi-row audit INSERT (12 values a row, far below the parameter limits).
const AUDIT_ROWS_PER_STATEMENT: usize = 200;

/// One audit row to append: who did what to which record.
pub(crate) struct AuditRecord<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: &'a str,
    pub detail: &'a str,
}

fn link_fields(e: &AuditEntry) -> [String; 10] {
    [
        e.seq.to_string(),
        e.at.clone(),
        e.actor_id.clone(),
        e.actor_name.clone(),
        e.actor_role.clone(),
        e.action.clone(),
        e.target_kind.clone(),
        e.target_id.clone(),
        e.detail.clone(),
        e.origin.clone(),
    ]
}

fn hash_of(prev: &str, e: &AuditEntry) -> String {
    let fields = link_fields(e);
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    chain_link(prev, &refs)
}

impl Store {
    /// Appends one audit row inside the caller's transaction. On PostgreSQL the head row is
    /// locked until commit, which orders concurrent writers on the chain.
    pub(crate) async fn audit(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        action: &str,
        target_kind: &str,
        target_id: &str,
        detail: &str,
    ) -> Result<()> {
        let record = AuditRecord {
            actor,
            action,
            target_kind,
            target_id,
            detail,
        };
        self.audit_many(tx, &[record]).await
    }

    /// Appends several audit rows, chained in order, with three statements whatever their number
    /// (read the head, insert the rows, move the head).
    pub(crate) async fn audit_many(
        &self,
        tx: &mut Transaction<'static, Any>,
        records: &[AuditRecord<'_>],
    ) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let head_sql = match self.backend {
            Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
            Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        };
        let head = sqlx::query(head_sql).fetch_one(&mut **tx).await?;
        let mut seq = int(&head, "seq")?;
        let mut prev_hash = text(&head, "hash")?;
        let at = ts(self.clock.now());
        let mut rows: Vec<(String, AuditEntry)> = Vec::with_capacity(records.len());
        for r in records {
            seq += 1;
            let p = &r.actor.principal;
            let mut entry = AuditEntry {
                seq,
                at: at.clone(),
                actor_id: p.user_id.clone(),
                actor_name: p.username.clone(),
                actor_role: if p.user_id.is_empty() {
                    "anonymous".into()
                } else {
                    p.role.as_str().to_string()
                },
                action: r.action.to_string(),
                target_kind: r.target_kind.to_string(),
                target_id: r.target_id.to_string(),
                detail: r.detail.to_string(),
                origin: r.actor.origin.clone(),
                hash: String::new(),
            };
            entry.hash = hash_of(&prev_hash, &entry);
            let link = std::mem::replace(&mut prev_hash, entry.hash.clone());
            rows.push((link, entry));
        }
        for chunk in rows.chunks(AUDIT_ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO audit_log (seq, at, actor_id, actor_name, actor_role, action, target_kind, \
                 target_id, detail, origin, prev_hash, hash) VALUES {}",
                value_rows(self.backend, chunk.len(), 12)
            );
            let mut q = sqlx::query(&sql);
            for (link, e) in chunk {
                q = q
                    .bind(e.seq)
                    .bind(e.at.as_str())
                    .bind(e.actor_id.as_str())
                    .bind(e.actor_name.as_str())
                    .bind(e.actor_role.as_str())
                    .bind(e.action.as_str())
                    .bind(e.target_kind.as_str())
                    .bind(e.target_id.as_str())
                    .bind(e.detail.as_str())
                    .bind(e.origin.as_str())
                    .bind(link.as_str())
                    .bind(e.hash.as_str());
            }
            q.execute(&mut **tx).await?;
        }
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev_hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Records an event that changes nothing else (a read, a search, an export, a refusal).
    pub async fn audit_event(
        &self,
        actor: &Actor,
        action: &str,
        target_kind: &str,
        target_id: &str,
        detail: &str,
    ) -> Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        self.audit(&mut tx, actor, action, target_kind, target_id, detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest audit rows (admins only), newest first; `before` pages backwards.
    pub async fn audit_entries(
        &self,
        actor: &Actor,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        if !actor.principal.may(moei_domain::Action::ReadAudit) {
            return Err(StoreError::Forbidden);
        }
        let rows = sqlx::query("SELECT * FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2")
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit.clamp(1, 500))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Walks the whole chain and reports the first link that does not hold.
    pub async fn verify_audit(&self) -> Result<VerifyReport> {
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head_seq = int(&head, "seq")?;
        let head_hash = text(&head, "hash")?;
        let mut expected_seq = 1i64;
        let mut prev_hash = CHAIN_GENESIS.to_string();
        let mut rows = 0i64;
        let mut last_seq = 0i64;
        let broken = |seq: i64, reason: String| BrokenLink { seq, reason };
        loop {
            let page =
                sqlx::query("SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 5000")
                    .bind(last_seq + 1)
                    .fetch_all(&self.pool)
                    .await?;
            if page.is_empty() {
                break;
            }
            for row in &page {
                let e = entry_from_row(row)?;
                let stored_prev = text(row, "prev_hash")?;
                rows += 1;
                last_seq = e.seq;
                let report = |b: BrokenLink| VerifyReport {
                    rows,
                    head_seq,
                    head_hash: head_hash.clone(),
                    first_broken: Some(b),
                };
                if e.seq != expected_seq {
                    return Ok(report(broken(
                        expected_seq,
                        format!("row {expected_seq} is missing (next row is {})", e.seq),
                    )));
                }
                if stored_prev != prev_hash {
                    return Ok(report(broken(
                        e.seq,
                        "does not link to the previous row (a row before it was changed, removed or moved)".into(),
                    )));
                }
                if hash_of(&prev_hash, &e) != e.hash {
                    return Ok(report(broken(e.seq, "its contents were altered".into())));
                }
                prev_hash = e.hash;
                expected_seq += 1;
            }
        }
        let first_broken = if last_seq != head_seq || prev_hash != head_hash {
            Some(broken(
                last_seq + 1,
                format!(
                    "the log ends at row {last_seq} but the head records row {head_seq}: rows were removed from the end"
                ),
            ))
        } else {
            None
        };
        Ok(VerifyReport {
            rows,
            head_seq,
            head_hash,
            first_broken,
        })
    }
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: int(r, "seq")?,
        at: text(r, "at")?,
        actor_id: text(r, "actor_id")?,
        actor_name: text(r, "actor_name")?,
        actor_role: text(r, "actor_role")?,
        action: text(r, "action")?,
        target_kind: text(r, "target_kind")?,
        target_id: text(r, "target_id")?,
        detail: text(r, "detail")?,
        origin: text(r, "origin")?,
        hash: text(r, "hash")?,
    })
}
