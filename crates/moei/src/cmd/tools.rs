//! Data tools that work on files and need no database: `moei mrz`, `moei screening`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use moei_domain::{Clock, SystemClock};

#[derive(Debug, Args)]
pub struct MrzArgs {
    /// A file of MRZs separated by blank lines; standard input when absent or `-`.
    pub file: Option<PathBuf>,
    /// The date for century inference and expiry checks (default: today).
    #[arg(long)]
    pub reference_date: Option<String>,
}

pub fn mrz(args: MrzArgs) -> anyhow::Result<ExitCode> {
    let reference = match &args.reference_date {
        Some(d) => d
            .parse::<jiff::civil::Date>()
            .with_context(|| format!("--reference-date {d:?} is not a date as YYYY-MM-DD"))?,
        None => SystemClock.today(),
    };
    let code = moei_mrz::run_cli(
        args.file.as_deref(),
        reference,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

#[derive(Debug, Subcommand)]
pub enum ScreeningCommand {
    /// Print an instrument's indicators as a JSON array of {id, dimension, strength, text}.
    Indicators {
        /// Instrument id (default: ilo-adult-labour).
        #[arg(long)]
        instrument: Option<String>,
    },
    /// Assess answers ({"instrument", "answers": {ID: yes|no|unknown|declined}}) from FILE or
    /// standard input: which dimensions are positive, and the screening result.
    Assess {
        file: Option<PathBuf>,
    },
}

pub fn screening(cmd: ScreeningCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = match cmd {
        ScreeningCommand::Indicators { instrument } => {
            moei_screening::run_indicators(instrument.as_deref(), &mut out, &mut err)
        }
        ScreeningCommand::Assess { file } => {
            moei_screening::run_assess(file.as_deref(), &mut std::io::stdin().lock(), &mut out, &mut err)
        }
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}
