//! Moei's storage and application services over SQLite (embedded default) and PostgreSQL.
//!
//! One interface, [`Store`], serves both backends: the SQL is written once in the dialect both
//! accept (`$1` parameters, `RETURNING`, `ON CONFLICT`), with a [`Backend`] switch where they
//! differ. Every method takes the [`Actor`] on whose behalf it runs: it checks the authorization
//! policy, does the work in one transaction and appends to the hash-chained audit log in that same
//! transaction, so a change is never stored without its audit row (and never audited without
//! being stored).
//!
//! Layout:
//! - [`db`]: connecting, durability settings, migrations, backup.
//! - [`audit`]: the append-only, hash-chained audit log and its verification.
//! - [`accounts`]: users, agencies, API tokens, sessions.
//! - [`persons`]: arrival groups and persons: register, read, update, history, search, counts.
//! - [`identity`]: external lists, missing-person reports, the match review queue, merges.
//! - [`facilities`]: holding sites, occupancy, bulk movements, manifests, arrival checks.
//! - [`embassy`]: the embassy workspace: nominal rolls, consular findings, protection flags.
//! - [`departures`]: departure batches, exit formalities, the bottleneck view.
//! - [`screening`]: interviews (encrypted field by field), MDT case conferences, the
//!   non-punishment safeguard, the screening queue and the HTCDS export.

pub mod accounts;
pub mod audit;
pub mod db;
pub mod departures;
pub mod documents;
pub mod embassy;
mod error;
pub mod facilities;
pub mod identity;
pub mod persons;
mod row;
pub mod screening;

use std::sync::Arc;

use moei_crypto::field::FieldKey;
use moei_domain::{Clock, Principal};

pub use db::{Backend, DatabaseUrl};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who is acting, and from where (an IP address, or "cli").
#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    pub origin: String,
}

impl Actor {
    pub fn new(principal: Principal, origin: impl Into<String>) -> Self {
        Self {
            principal,
            origin: origin.into(),
        }
    }

    /// The command line, acting as the machine's administrator.
    pub fn cli() -> Self {
        Self::new(Principal::system(), "cli")
    }
}

/// A handle to the database plus the clock and site settings. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: sqlx::AnyPool,
    backend: Backend,
    clock: Arc<dyn Clock>,
    /// SQLite allows one writer at a time; queueing writers here instead of in SQLite's busy
    /// handler (which sleeps in steps of up to 100 ms) keeps write latency flat.
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Registrations waiting for the next group commit (see `persons::register_person`).
    pending: Arc<std::sync::Mutex<Vec<persons::Pending>>>,
    /// Set while a task drains `pending` (see `persons::register_person`).
    committing: Arc<std::sync::atomic::AtomicBool>,
    site: String,
    /// Seals the encrypted screening columns. Kept in a file outside the database; without it
    /// the screening methods refuse to run rather than store plaintext.
    field_key: Option<Arc<FieldKey>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .field("site", &self.site)
            .finish()
    }
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The same database seen through another clock (loading historical data, tests).
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Store {
        Store {
            clock,
            ..self.clone()
        }
    }

    /// The same database with the key for encrypted fields (loaded from the key file).
    pub fn with_field_key(&self, key: FieldKey) -> Store {
        Store {
            field_key: Some(Arc::new(key)),
            ..self.clone()
        }
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn site(&self) -> &str {
        &self.site
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.pool
    }

    /// Serialises writers on SQLite; on PostgreSQL the database's own locks do (see audit).
    async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
