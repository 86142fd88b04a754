//! Data tools that work on files and need no database: `moei mrz`, `moei screening`,
//! `moei dedup`, `moei link`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use moei_domain::{Clock, SystemClock};

#[derive(Debug, Args)]
pub struct MrzArgs {
    /// A file of MRZs separated by blank lines; standard input when absent or `-`.
    pub file: Option<PathBuf>,
    /// Read the zone from a PNG or JPEG image of the document instead.
    #[arg(long, conflicts_with = "file")]
    pub image: Option<PathBuf>,
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
    if let Some(path) = &args.image {
        return Ok(ExitCode::from(mrz_image(path, reference)));
    }
    let code = moei_mrz::run_cli(
        args.file.as_deref(),
        reference,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

/// `moei mrz --image FILE`: the same JSON object as for a text zone, and
/// the same exit statuses (0 valid, 1 invalid or no zone, 2 unreadable).
fn mrz_image(path: &std::path::Path, reference: jiff::civil::Date) -> u8 {
    let unreadable = |what: String| {
        eprintln!("{}: {what}", path.display());
        moei_mrz::EXIT_UNREADABLE as u8
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable(e.to_string()),
    };
    let read = match moei_mrz_image::read_image(&bytes, reference) {
        Ok(r) => r,
        Err(e) => return unreadable(e.to_string()),
    };
    if read.text.is_empty() {
        eprintln!("{}: no machine-readable zone found", path.display());
    }
    let line = read.report.to_json().to_string();
    if writeln!(std::io::stdout().lock(), "{line}").is_err() {
        return moei_mrz::EXIT_UNREADABLE as u8;
    }
    if read.report.is_valid() {
        moei_mrz::EXIT_VALID as u8
    } else {
        moei_mrz::EXIT_INVALID as u8
    }
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
    Assess { file: Option<PathBuf> },
}

pub fn screening(cmd: ScreeningCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = match cmd {
        ScreeningCommand::Indicators { instrument } => {
            moei_screening::run_indicators(instrument.as_deref(), &mut out, &mut err)
        }
        ScreeningCommand::Assess { file } => moei_screening::run_assess(
            file.as_deref(),
            &mut std::io::stdin().lock(),
            &mut out,
            &mut err,
        ),
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(2)))
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// CSV or XLSX with record_id and any of given_name, family_name, full_name, sex,
    /// date_of_birth, nationality, passport_number, phone, place_of_origin.
    pub input: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Match probability at or above which two records are the same person.
    #[arg(long, default_value_t = moei_match::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Also write each matched pair's per-field contributions (OUT.explain.csv).
    #[arg(long)]
    pub explain: bool,
    /// The day the list's ages ("age 27") were stated, as YYYY-MM-DD (default: the day the
    /// file was last modified).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub list_date: Option<String>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    pub left: PathBuf,
    pub right: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = moei_match::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Add per-field contributions to every pair.
    #[arg(long)]
    pub explain: bool,
    /// The day both lists' ages ("age 27") were stated, as YYYY-MM-DD (default: the day each
    /// file was last modified).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub list_date: Option<String>,
}

fn check_threshold(t: f64) -> anyhow::Result<()> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&t),
        "--threshold must be a probability between 0 and 1"
    );
    Ok(())
}

pub fn dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    check_threshold(args.threshold)?;
    let opts = moei_match::DedupOptions {
        input: args.input,
        out: args.out,
        threshold: args.threshold,
        explain: args.explain,
        list_date: args
            .list_date
            .as_deref()
            .map(moei_match::parse_list_date)
            .transpose()?,
    };
    let s = moei_match::run_dedup(&opts, &mut std::io::stderr().lock())?;
    eprintln!(
        "{} records, {} clusters ({} with duplicates), {} rows rejected",
        s.records, s.clusters, s.duplicate_clusters, s.rejected_rows
    );
    Ok(ExitCode::SUCCESS)
}

pub fn link(args: LinkArgs) -> anyhow::Result<ExitCode> {
    check_threshold(args.threshold)?;
    let opts = moei_match::LinkOptions {
        left: args.left,
        right: args.right,
        out: args.out,
        threshold: args.threshold,
        explain: args.explain,
        list_date: args
            .list_date
            .as_deref()
            .map(moei_match::parse_list_date)
            .transpose()?,
    };
    let s = moei_match::run_link(&opts, &mut std::io::stderr().lock())?;
    eprintln!(
        "{} x {} records, {} pairs at or above the threshold, {} rows rejected",
        s.left_records, s.right_records, s.matched_pairs, s.rejected_rows
    );
    Ok(ExitCode::SUCCESS)
}
