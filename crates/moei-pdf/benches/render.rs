//! Renders a 5,000-person nominal roll and prints the time per render and the file size.
//!
//!     cargo bench -p moei-pdf --bench render [-- --persons N --runs N --photos --out FILE]
//!
//! Names cycle through every script the crate prints, so each page shapes Thai, Chinese,
//! Devanagari, Myanmar, Arabic and the rest. With `--photos` every row carries a small photo.

use std::time::Instant;

use moei_pdf::{Cell, TableDocument, render};

#[path = "../tests/pdf/sample.rs"]
#[allow(dead_code)]
mod sample;

fn argument(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn roll(persons: usize, with_photos: bool) -> TableDocument {
    let photo = sample::png_photo(90, 120);
    TableDocument {
        title: format!("Nominal roll: {persons} persons"),
        subtitle: vec!["Benchmark roll".to_owned()],
        columns: sample::roll_columns(),
        rows: (0..persons)
            .map(|i| {
                let photo = if with_photos {
                    Cell::Image(photo.clone())
                } else {
                    Cell::Empty
                };
                sample::roll_row(i, sample::NAMES[i % sample::NAMES.len()].1, photo)
            })
            .collect(),
        footer: vec!["End of roll".to_owned()],
        landscape: false,
    }
}

fn main() {
    let persons: usize = argument("--persons")
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let runs: usize = argument("--runs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let with_photos = std::env::args().any(|a| a == "--photos");
    let doc = roll(persons, with_photos);

    // The first render also parses the embedded fonts (once per process); report it apart.
    let mut times = Vec::new();
    let mut last = Vec::new();
    for _ in 0..=runs {
        let start = Instant::now();
        match render(&doc) {
            Ok(pdf) => last = pdf,
            Err(e) => {
                eprintln!("render failed: {e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed().as_secs_f64());
    }
    let size = last.len();
    if let Some(path) = argument("--out")
        && let Err(e) = std::fs::write(&path, &last)
    {
        eprintln!("cannot write {path}: {e}");
        std::process::exit(1);
    }
    let first = times.remove(0);
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "persons {persons}, photos {with_photos}: first render {first:.2} s, median of {runs} further renders {median:.2} s, PDF {size} bytes ({:.2} MB)",
        size as f64 / 1_000_000.0
    );
}
