//! The `moei dedup` and `moei link` commands, as functions the binary calls.
//!
//! Output formats:
//! - dedup: `record_id,cluster_id` for every input record; `cluster_id` is the `record_id` of
//!   the cluster's first record in input order. With `--explain`, a side file next to the
//!   output (`<out stem>.explain.csv`) lists every pair at or above the threshold with
//!   `left_id,right_id,score,match_weight,same_cluster`, then `<field>_level,<field>_weight`
//!   for each field.
//! - link: `left_id,right_id,score` (match probability) for every pair at or above the
//!   threshold, plus the links the link rules add below it (a clearly outstanding best
//!   candidate; the same person's other right records: `cluster::extend_links`), each with its
//!   own probability, best first per left record. With `--explain`, the same extra columns
//!   (`match_weight` and each field's level and weight) are appended to each line.
//!
//! An age written in the date-of-birth column (`age 27`, `27 years`) is read as a birth year
//! counted back from the list's date, give or take [`crate::fields::AGE_TOLERANCE`] years: the
//! day the list's ages were stated, given as `list_date` (`--list-date`); when it is not
//! given, the day the file was last saved (its modification time, UTC).
//!
//! Every value written is made safe for spreadsheets (no formula injection).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::io::{Loaded, read_records, spreadsheet_safe};
use crate::model::{DEFAULT_THRESHOLD, Model};
use crate::pipeline::{self, MatchConfig, NameFrequencies};
use crate::record::{Field, Prepared, compare};

#[derive(Debug, Clone)]
pub struct DedupOptions {
    pub input: PathBuf,
    pub out: PathBuf,
    /// Match probability threshold (default [`DEFAULT_THRESHOLD`]).
    pub threshold: f64,
    pub explain: bool,
    /// The day the list's ages were stated (`--list-date`); `None`: the file's modification
    /// date.
    pub list_date: Option<jiff::civil::Date>,
}

impl DedupOptions {
    pub fn new(input: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        DedupOptions {
            input: input.into(),
            out: out.into(),
            threshold: DEFAULT_THRESHOLD,
            explain: false,
            list_date: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DedupSummary {
    pub records: usize,
    pub rejected_rows: usize,
    pub field_issues: usize,
    pub candidate_pairs: usize,
    pub matched_pairs: usize,
    pub clusters: usize,
    /// Clusters with more than one record.
    pub duplicate_clusters: usize,
    pub vetoed_merges: usize,
    pub explain_file: Option<PathBuf>,
    pub seconds: f64,
}

#[derive(Debug, Clone)]
pub struct LinkOptions {
    pub left: PathBuf,
    pub right: PathBuf,
    pub out: PathBuf,
    pub threshold: f64,
    pub explain: bool,
    /// The day both lists' ages were stated (`--list-date`); `None`: each file's modification
    /// date.
    pub list_date: Option<jiff::civil::Date>,
}

impl LinkOptions {
    pub fn new(
        left: impl Into<PathBuf>,
        right: impl Into<PathBuf>,
        out: impl Into<PathBuf>,
    ) -> Self {
        LinkOptions {
            left: left.into(),
            right: right.into(),
            out: out.into(),
            threshold: DEFAULT_THRESHOLD,
            explain: false,
            list_date: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkSummary {
    pub left_records: usize,
    pub right_records: usize,
    pub rejected_rows: usize,
    pub field_issues: usize,
    pub candidate_pairs: usize,
    pub matched_pairs: usize,
    pub seconds: f64,
}

fn progress_bar() -> ProgressBar {
    let pb = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb
}

fn load(path: &Path, stderr: &mut dyn Write) -> anyhow::Result<Loaded> {
    read_records(path, stderr)
}

fn prepare(
    loaded: Loaded,
    path: &Path,
    list_date: Option<jiff::civil::Date>,
    stderr: &mut dyn Write,
) -> (Vec<Prepared>, usize) {
    let rows: Vec<usize> = loaded.rows.iter().map(|r| r.row).collect();
    let (prepared, issues) = pipeline::prepare_all_on(
        loaded.rows.into_iter().map(|r| r.record).collect(),
        list_date.or_else(|| file_date(path)),
    );
    for (i, issue) in &issues {
        // Field problems do not drop the row: the field is treated as missing.
        let _ = writeln!(
            stderr,
            "{}: row {}: column `{}`: {}; field ignored",
            path.display(),
            rows[*i],
            issue.field,
            issue.message
        );
    }
    (prepared, issues.len())
}

/// Reads the value of `--list-date` (`YYYY-MM-DD`); the error names the option.
pub fn parse_list_date(s: &str) -> anyhow::Result<jiff::civil::Date> {
    s.trim()
        .parse::<jiff::civil::Date>()
        .with_context(|| format!("--list-date {s:?} is not a date as YYYY-MM-DD"))
}

/// The day a list was saved (its file's modification time, UTC): when no list date is given,
/// ages written in it ("age 27") count back from it. `None` when the file system does not say.
fn file_date(path: &Path) -> Option<jiff::civil::Date> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let t = jiff::Timestamp::try_from(modified).ok()?;
    Some(t.to_zoned(jiff::tz::TimeZone::UTC).date())
}

fn explain_header(w: &mut csv::Writer<std::fs::File>, lead: &[&str]) -> anyhow::Result<()> {
    let mut h: Vec<String> = lead.iter().map(|s| (*s).to_owned()).collect();
    h.push("match_weight".into());
    for f in Field::ALL {
        h.push(format!("{}_level", f.as_str()));
        h.push(format!("{}_weight", f.as_str()));
    }
    w.write_record(&h)?;
    Ok(())
}

fn explain_cells(
    model: &Model,
    names: &NameFrequencies,
    a: &Prepared,
    b: &Prepared,
) -> Vec<String> {
    let p = compare(a, b);
    let e = model.explain_tf(&p, names.share_for(&p, a, b));
    let mut v = vec![format!("{:.3}", e.match_weight)];
    for c in &e.contributions {
        v.push(c.level_name.to_owned());
        v.push(format!("{:.3}", c.weight));
    }
    v
}

fn create(path: &Path) -> anyhow::Result<csv::Writer<std::fs::File>> {
    let f = std::fs::File::create(path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    Ok(csv::Writer::from_writer(f))
}

fn check_threshold(t: f64) -> anyhow::Result<()> {
    anyhow::ensure!(
        t.is_finite() && (0.0..=1.0).contains(&t),
        "threshold must be a probability between 0 and 1, got {t}"
    );
    Ok(())
}

/// `moei dedup INPUT --out clusters.csv [--threshold T] [--explain] [--list-date D]`.
pub fn run_dedup(opts: &DedupOptions, stderr: &mut dyn Write) -> anyhow::Result<DedupSummary> {
    check_threshold(opts.threshold)?;
    let start = Instant::now();
    let loaded = load(&opts.input, stderr)?;
    let rejected_rows = loaded.rejected;
    let (prepared, field_issues) = prepare(loaded, &opts.input, opts.list_date, stderr);
    let cfg = MatchConfig {
        threshold: opts.threshold,
        ..MatchConfig::default()
    };
    let pb = progress_bar();
    pb.set_message("comparing");
    let outcome = pipeline::dedup(&prepared, &cfg, &pb);
    pb.finish_and_clear();

    let mut w = create(&opts.out)?;
    w.write_record(["record_id", "cluster_id"])?;
    for (i, p) in prepared.iter().enumerate() {
        let c = &prepared[outcome.labels[i] as usize];
        w.write_record([
            spreadsheet_safe(p.id()).as_ref(),
            spreadsheet_safe(c.id()).as_ref(),
        ])?;
    }
    w.flush()?;

    let explain_file = if opts.explain {
        let stem = opts
            .out
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("clusters");
        let path = opts.out.with_file_name(format!("{stem}.explain.csv"));
        let mut w = create(&path)?;
        explain_header(&mut w, &["left_id", "right_id", "score", "same_cluster"])?;
        let mut pairs = outcome.matches.clone();
        pairs.sort_by(|x, y| {
            y.probability
                .total_cmp(&x.probability)
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        for sp in &pairs {
            let (a, b) = (&prepared[sp.a as usize], &prepared[sp.b as usize]);
            let same = outcome.labels[sp.a as usize] == outcome.labels[sp.b as usize];
            let mut row = vec![
                spreadsheet_safe(a.id()).into_owned(),
                spreadsheet_safe(b.id()).into_owned(),
                format!("{:.6}", sp.probability),
                same.to_string(),
            ];
            row.extend(explain_cells(&outcome.model, &outcome.names, a, b));
            w.write_record(&row)?;
        }
        w.flush()?;
        Some(path)
    } else {
        None
    };

    let mut sizes = std::collections::HashMap::new();
    for &l in &outcome.labels {
        *sizes.entry(l).or_insert(0usize) += 1;
    }
    Ok(DedupSummary {
        records: prepared.len(),
        rejected_rows,
        field_issues,
        candidate_pairs: outcome.blocks.candidate_pairs,
        matched_pairs: outcome.matches.len(),
        clusters: sizes.len(),
        duplicate_clusters: sizes.values().filter(|&&n| n > 1).count(),
        vetoed_merges: outcome.clusters.vetoed,
        explain_file,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// `moei link LEFT RIGHT --out pairs.csv [--threshold T] [--explain] [--list-date D]`.
pub fn run_link(opts: &LinkOptions, stderr: &mut dyn Write) -> anyhow::Result<LinkSummary> {
    check_threshold(opts.threshold)?;
    let start = Instant::now();
    let left = load(&opts.left, stderr)?;
    let right = load(&opts.right, stderr)?;
    let rejected_rows = left.rejected + right.rejected;
    let (lp, li) = prepare(left, &opts.left, opts.list_date, stderr);
    let (rp, ri) = prepare(right, &opts.right, opts.list_date, stderr);
    let cfg = MatchConfig {
        threshold: opts.threshold,
        ..MatchConfig::default()
    };
    let pb = progress_bar();
    pb.set_message("comparing");
    let outcome = pipeline::link(&lp, &rp, &cfg, &pb);
    pb.finish_and_clear();

    let mut pairs = outcome.matches.clone();
    pairs.sort_by(|x, y| {
        x.a.cmp(&y.a)
            .then(y.probability.total_cmp(&x.probability))
            .then(x.b.cmp(&y.b))
    });
    let mut w = create(&opts.out)?;
    if opts.explain {
        explain_header(&mut w, &["left_id", "right_id", "score"])?;
    } else {
        w.write_record(["left_id", "right_id", "score"])?;
    }
    for sp in &pairs {
        let (a, b) = (&lp[sp.a as usize], &rp[sp.b as usize]);
        let mut row = vec![
            spreadsheet_safe(a.id()).into_owned(),
            spreadsheet_safe(b.id()).into_owned(),
            format!("{:.6}", sp.probability),
        ];
        if opts.explain {
            row.extend(explain_cells(&outcome.model, &outcome.names, a, b));
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(LinkSummary {
        left_records: lp.len(),
        right_records: rp.len(),
        rejected_rows,
        field_issues: li + ri,
        candidate_pairs: outcome.blocks.candidate_pairs,
        matched_pairs: pairs.len(),
        seconds: start.elapsed().as_secs_f64(),
    })
}
