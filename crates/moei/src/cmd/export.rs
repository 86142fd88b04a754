//! `moei export`: files produced from the command line, the same as the web offers.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use moei_store::Actor;

use super::{DbArgs, open, settings};
use crate::config::FileConfig;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RollFormat {
    Xlsx,
    Pdf,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The nominal roll of one nationality for its embassy (minimal identity data of those who
    /// may be disclosed; each person's disclosure is recorded with its legal basis).
    NominalRoll {
        /// ISO 3166 alpha-3 code, e.g. IND.
        #[arg(long)]
        nationality: String,
        #[arg(long, value_enum)]
        format: RollFormat,
        /// Where to write the file (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Include photos where the embassy's sharing agreement allows them (PDF only).
        #[arg(long)]
        photos: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: ExportCommand, file: &FileConfig) -> anyhow::Result<ExitCode> {
    match command {
        ExportCommand::NominalRoll {
            nationality,
            format,
            out,
            photos,
            db,
        } => {
            if out.exists() {
                bail!("{} already exists", out.display());
            }
            let store = open(&settings(&db, file), false).await?;
            let with_photos = photos && matches!(format, RollFormat::Pdf);
            let roll = store
                .nominal_roll(&Actor::cli(), &nationality, with_photos)
                .await?;
            let bytes = match format {
                RollFormat::Csv => moei_web::logistics_files::roll_csv(&roll)?,
                RollFormat::Xlsx => moei_web::logistics_files::roll_xlsx(&roll)?,
                RollFormat::Pdf => {
                    moei_web::logistics_files::roll_pdf(&roll, moei_web::logistics_files::Lang::En)?
                }
            };
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "nominal roll of {} persons ({}) written to {}",
                roll.entries.len(),
                roll.nationality,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
