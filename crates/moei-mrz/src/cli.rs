//! `moei mrz [FILE]`: one JSON object per zone on standard output.

use std::io::{Read, Write};
use std::path::Path;

use jiff::civil::Date;

use crate::parse::parse;

/// Exit status when every zone is valid.
pub const EXIT_VALID: i32 = 0;
/// Exit status when at least one zone is invalid.
pub const EXIT_INVALID: i32 = 1;
/// Exit status when the input cannot be read.
pub const EXIT_UNREADABLE: i32 = 2;

/// Splits text into zones at blank lines.
pub fn split_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Runs `moei mrz`: reads zones separated by blank lines from `input` (or
/// `stdin` when `None` or `-`), prints one JSON object per zone on `stdout`
/// and returns the exit status: 0 when every zone is valid (or there were
/// none), 1 when any is invalid, 2 when the input cannot be read or the
/// output cannot be written. Messages for people go to `stderr`.
pub fn run_cli(
    input: Option<&Path>,
    reference_date: Date,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let mut bytes = Vec::new();
    let (source, read) = match input {
        Some(path) if path != Path::new("-") => (
            path.display().to_string(),
            std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)),
        ),
        _ => ("standard input".to_owned(), stdin.read_to_end(&mut bytes)),
    };
    // Failing to report to stderr leaves nothing else to do, so those results are ignored.
    if let Err(e) = read {
        let _ = writeln!(stderr, "moei mrz: cannot read {source}: {e}");
        return EXIT_UNREADABLE;
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.strip_prefix('\u{FEFF}').unwrap_or(t),
        Err(e) => {
            let _ = writeln!(
                stderr,
                "moei mrz: {source} is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            );
            return EXIT_UNREADABLE;
        }
    };

    let blocks = split_blocks(text);
    if blocks.is_empty() {
        let _ = writeln!(stderr, "moei mrz: no zone found in {source}");
    }
    let mut all_valid = true;
    for block in &blocks {
        let report = parse(block, reference_date);
        all_valid &= report.is_valid();
        let written = serde_json::to_writer(&mut *stdout, &report.to_json())
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"));
        if let Err(e) = written {
            let _ = writeln!(stderr, "moei mrz: cannot write output: {e}");
            return EXIT_UNREADABLE;
        }
    }
    if let Err(e) = stdout.flush() {
        let _ = writeln!(stderr, "moei mrz: cannot write output: {e}");
        return EXIT_UNREADABLE;
    }
    if all_valid { EXIT_VALID } else { EXIT_INVALID }
}
