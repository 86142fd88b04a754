//! Subcommands. Every command that touches data uses the same database: `--database`, else
//! `MOEI_DATABASE`, else the configuration file, else `./moei-data/moei.db`.

mod admin;
mod demo;
mod demo_logistics;
mod demo_screening;
mod export;
mod serve;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use moei_crypto::field::FieldKey;
use moei_domain::{Clock, SystemClock};
use moei_store::db::OpenOptions;
use moei_store::{DatabaseUrl, Store};

use crate::config::{DEFAULT_DATABASE, DEFAULT_LISTEN, FileConfig, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "moei",
    version,
    about = "Registration, identity, screening and repatriation for mass arrivals"
)]
pub struct Cli {
    /// Configuration file (default: ./moei.toml when it exists).
    #[arg(long, global = true, env = "MOEI_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone, Default)]
pub struct DbArgs {
    /// A SQLite file path (or sqlite://PATH) or a postgres:// URL.
    #[arg(long, env = "MOEI_DATABASE")]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and the API.
    Serve(serve::ServeArgs),
    /// Create (or reuse) the database, load the October 2025 demo scenario, print the demo
    /// accounts and serve.
    Demo(demo::DemoArgs),
    /// Apply the embedded database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
        /// Create the SQLite database file if it does not exist.
        #[arg(long)]
        create: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// Check or anchor the audit log.
    #[command(subcommand)]
    Audit(admin::AuditCommand),
    /// Write a consistent copy of the embedded database (safe while serving).
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Where to write the copy (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Parse and check machine-readable zones (ICAO 9303), one JSON object per zone.
    Mrz(tools::MrzArgs),
    /// Find duplicate persons in a CSV or XLSX list; writes record_id,cluster_id.
    Dedup(tools::DedupArgs),
    /// Link two CSV or XLSX lists (e.g. an embassy roll and registrations); writes
    /// left_id,right_id,score.
    Link(tools::LinkArgs),
    /// Trafficking screening instruments and the indicator assessment.
    #[command(subcommand)]
    Screening(tools::ScreeningCommand),
    /// Write files for other agencies (the nominal roll for an embassy).
    #[command(subcommand)]
    Export(export::ExportCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let file = FileConfig::load(cli.config.as_deref())?;
    match cli.command {
        Command::Mrz(args) => tools::mrz(args),
        Command::Screening(c) => tools::screening(c),
        Command::Dedup(a) => tools::dedup(a),
        Command::Link(a) => tools::link(a),
        other => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(run_async(other, file))
        }
    }
}

async fn run_async(command: Command, file: FileConfig) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve::run(args, &file).await,
        Command::Demo(args) => demo::run(args, &file).await,
        Command::Migrate { db, create } => {
            let store = open(&settings(&db, &file), create).await?;
            store.migrate().await?;
            println!(
                "migrations applied to {}",
                describe(&settings(&db, &file).database)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User(c) => admin::user(c, &file).await,
        Command::Token(c) => admin::token(c, &file).await,
        Command::Audit(c) => admin::audit(c, &file).await,
        Command::Export(c) => export::run(c, &file).await,
        Command::Backup { db, out } => {
            let store = open(&settings(&db, &file), false).await?;
            store.backup(&out).await?;
            println!("backup written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Mrz(args) => tools::mrz(args),
        Command::Screening(c) => tools::screening(c),
        Command::Dedup(a) => tools::dedup(a),
        Command::Link(a) => tools::link(a),
    }
}

pub fn settings(db: &DbArgs, file: &FileConfig) -> Settings {
    Settings {
        database: db
            .database
            .clone()
            .or_else(|| file.database.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.into()),
        site: std::env::var("MOEI_SITE")
            .ok()
            .or_else(|| file.site.clone())
            .unwrap_or_else(|| "MS".into()),
        secure_cookies: file.secure_cookies.unwrap_or(false),
        key_file: key_file(db, file),
    }
}

/// `MOEI_KEY_FILE`, else the configuration file, else `keys/screening.key` beside a SQLite
/// database (or under `./moei-data` for PostgreSQL): outside the database either way.
fn key_file(db: &DbArgs, file: &FileConfig) -> PathBuf {
    if let Some(path) = std::env::var_os("MOEI_KEY_FILE").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    if let Some(path) = &file.key_file {
        return PathBuf::from(path);
    }
    let database = db
        .database
        .clone()
        .or_else(|| file.database.clone())
        .unwrap_or_else(|| DEFAULT_DATABASE.into());
    let dir = match DatabaseUrl::parse(&database) {
        Ok(DatabaseUrl::Sqlite(path)) => path
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
        _ => PathBuf::from("./moei-data"),
    };
    dir.join("keys").join("screening.key")
}

/// Serving without the key would leave every screening page broken: refuse to start instead.
pub fn require_key_file(settings: &Settings, create: bool) -> anyhow::Result<()> {
    if create || settings.key_file.exists() {
        return Ok(());
    }
    anyhow::bail!(
        "no key file for encrypted screening data at {} (create it with `moei migrate --create`, \
         or set MOEI_KEY_FILE to where it is kept)",
        settings.key_file.display()
    )
}

pub fn default_listen(cli: Option<String>, file: &FileConfig) -> String {
    cli.or_else(|| file.listen.clone())
        .unwrap_or_else(|| DEFAULT_LISTEN.into())
}

fn describe(database: &str) -> anyhow::Result<String> {
    Ok(DatabaseUrl::parse(database)?.redacted())
}

pub async fn open(settings: &Settings, create: bool) -> anyhow::Result<Store> {
    open_with_clock(settings, create, Arc::new(SystemClock)).await
}

pub async fn open_with_clock(
    settings: &Settings,
    create: bool,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Store> {
    let url = DatabaseUrl::parse(&settings.database)?;
    let options = OpenOptions {
        create_if_missing: create,
        site: settings.site.clone(),
        ..OpenOptions::default()
    };
    let store = Store::open(&url, &options, clock)
        .await
        .with_context(|| format!("opening {}", url.redacted()))?;
    // Commands that create the database create its key; the others load it when present (user
    // and audit administration do not need it; `serve` requires it, see `require_key_file`).
    let key = if create {
        Some(FieldKey::load_or_create(&settings.key_file)?)
    } else if settings.key_file.exists() {
        Some(FieldKey::load(&settings.key_file)?)
    } else {
        None
    };
    Ok(match key {
        Some(key) => store.with_field_key(key),
        None => store,
    })
}
