//! `moei user`, `moei token`, `moei audit`: administration from the machine itself.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use moei_domain::Role;
use moei_store::Actor;
use moei_store::accounts::NewUser;

use super::{DbArgs, open, settings};
use crate::config::FileConfig;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user account.
    Add {
        name: String,
        /// admin, registrar, screener, mdt_member, investigator, facility_manager,
        /// embassy_officer or analyst.
        #[arg(long)]
        role: String,
        #[arg(long)]
        agency: Option<String>,
        /// For embassy officers: a nationality they may see (repeat for several).
        #[arg(long = "nationality")]
        nationalities: Vec<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List user accounts.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints the token, and nothing else, once.
    Create {
        /// The user the token acts as.
        name: String,
        #[arg(long, default_value = "api")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; report the first broken link (exit 1) or that it holds.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the newest link (sequence and hash), to keep somewhere else as an anchor.
    Head {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn user(cmd: UserCommand, file: &FileConfig) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add {
            name,
            role,
            agency,
            nationalities,
            password_stdin,
            db,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role {role:?}; use one of: {}",
                    Role::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("reading the password from standard input")?;
                let line = s.lines().next().unwrap_or("").to_string();
                if line.is_empty() {
                    bail!("no password on standard input");
                }
                Some(line)
            } else {
                None
            };
            let store = open(&settings(&db, file), false).await?;
            let user = store
                .create_user(
                    &Actor::cli(),
                    &NewUser {
                        username: name,
                        role,
                        agency,
                        nationalities,
                        password,
                    },
                )
                .await?;
            println!("created {} ({})", user.username, user.role.as_str());
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::List { db } => {
            let store = open(&settings(&db, file), false).await?;
            for u in store.list_users(&Actor::cli()).await? {
                println!(
                    "{}\t{}\t{}\t{}{}",
                    u.username,
                    u.role.as_str(),
                    u.agency.unwrap_or_default(),
                    u.nationalities.join(","),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn token(cmd: TokenCommand, file: &FileConfig) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create { name, label, db } => {
            let store = open(&settings(&db, file), false).await?;
            let token = store.create_token(&Actor::cli(), &name, &label).await?;
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn audit(cmd: AuditCommand, file: &FileConfig) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCommand::Verify { db } => {
            let store = open(&settings(&db, file), false).await?;
            let report = store.verify_audit().await?;
            match &report.first_broken {
                None => {
                    println!(
                        "audit chain intact: {} rows, head {} {}",
                        report.rows, report.head_seq, report.head_hash
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!("audit chain BROKEN at row {}: {}", b.seq, b.reason);
                    Ok(ExitCode::from(1))
                }
            }
        }
        AuditCommand::Head { db } => {
            let store = open(&settings(&db, file), false).await?;
            let report = store.verify_audit().await?;
            println!("{}\t{}", report.head_seq, report.head_hash);
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
