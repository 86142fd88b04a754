//! Connecting to SQLite or PostgreSQL, durability settings, embedded migrations and backup.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use moei_domain::Clock;
use sqlx::any::AnyPoolOptions;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the data lives: a SQLite file (a plain path or `sqlite://PATH`) or a `postgres://` URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // Never print a PostgreSQL password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.redacted())
    }
}

impl DatabaseUrl {
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(s.to_string()))
        } else if let Some(path) = s.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if s.contains("://") {
            Err(StoreError::Unsupported(
                "database URL must be a file path, sqlite://PATH or postgres://...".into(),
            ))
        } else if s.is_empty() {
            Err(StoreError::Unsupported("database path is empty".into()))
        } else {
            Ok(DatabaseUrl::Sqlite(PathBuf::from(s)))
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => {
                    let userinfo = &u[scheme + 3..at];
                    let user = userinfo.split(':').next().unwrap_or("");
                    format!("{}{}:***@{}", &u[..scheme + 3], user, &u[at + 1..])
                }
                _ => u.clone(),
            },
        }
    }

    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite(p) => Some(p),
            DatabaseUrl::Postgres(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Create a SQLite file that does not exist yet (demo, init); `serve` refuses by default so a
    /// mistyped path cannot silently start an empty register.
    pub create_if_missing: bool,
    pub migrate: bool,
    /// Registration-post site code, the prefix of registration numbers.
    pub site: String,
    pub max_connections: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            create_if_missing: false,
            migrate: true,
            site: "MS".into(),
            max_connections: 8,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    pub async fn open(
        url: &DatabaseUrl,
        options: &OpenOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Store> {
        sqlx::any::install_default_drivers();
        if !moei_domain::registration_number::valid_site(&options.site) {
            return Err(StoreError::Unsupported(
                "site code must be 2 to 4 letters A-Z".into(),
            ));
        }
        let (conn_str, backend) = match url {
            DatabaseUrl::Sqlite(path) => {
                if !path.exists() {
                    if !options.create_if_missing {
                        return Err(StoreError::Unsupported(format!(
                            "no database at {}; run `moei migrate --create` (or `moei demo`) to create one",
                            path.display()
                        )));
                    }
                    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            StoreError::Unsupported(format!(
                                "cannot create {}: {e}",
                                parent.display()
                            ))
                        })?;
                    }
                }
                let mode = if options.create_if_missing {
                    "rwc"
                } else {
                    "rw"
                };
                (
                    format!("sqlite://{}?mode={mode}", path.display()),
                    Backend::Sqlite,
                )
            }
            DatabaseUrl::Postgres(u) => (u.clone(), Backend::Postgres),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            // Testing a connection costs a round trip to its worker thread on every acquire. A
            // SQLite connection is a file handle that no server can close under us; a
            // PostgreSQL one can be, after a restart, so it is still tested.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL with full synchronous commits: an acknowledged registration has
                        // reached the disk and survives kill -9 and power loss.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                            // A multi-row INSERT inside a transaction keeps a statement journal;
                            // in memory it costs no temporary file writes.
                            "PRAGMA temp_store = MEMORY",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&conn_str)
            .await?;
        let store = Store {
            pool,
            backend,
            clock,
            write_lock: Arc::default(),
            pending: Arc::default(),
            committing: Arc::default(),
            site: options.site.clone(),
            field_key: None,
        };
        if options.migrate {
            store.migrate().await?;
        }
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// A consistent online copy of a SQLite database (`VACUUM INTO`), safe while serving.
    pub async fn backup(&self, dest: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Unsupported(
                "on PostgreSQL, back up with pg_dump; moei backup copies the embedded database"
                    .into(),
            ));
        }
        if dest.exists() {
            return Err(StoreError::Unsupported(format!(
                "{} already exists",
                dest.display()
            )));
        }
        let dest = dest
            .to_str()
            .ok_or_else(|| StoreError::Unsupported("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Column names per table, for the schema-parity test between backends.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                 ORDER BY 1, 2"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((crate::row::text(r, "t")?, crate::row::text(r, "c")?)))
            .collect()
    }
}
