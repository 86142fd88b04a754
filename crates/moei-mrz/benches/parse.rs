//! TD3 parses per second on one core. Run with `cargo bench -p moei-mrz`;
//! `cargo bench -p moei-mrz -- clean` runs only the clean-zone case.

use std::hint::black_box;
use std::time::{Duration, Instant};

use jiff::civil::date;

/// Runs `f` repeatedly for about `target` of wall time. Returns calls per
/// second of wall time and, where available, per second of CPU time.
fn rate(target: Duration, mut f: impl FnMut() -> bool) -> (f64, Option<f64>) {
    // Warm up caches and the lazily loaded country table.
    for _ in 0..10_000 {
        black_box(f());
    }
    let mut calls = 0u64;
    let mut valid = 0u64;
    let cpu_start = moei_mrz::thread_cpu_ns();
    let start = Instant::now();
    while start.elapsed() < target {
        for _ in 0..10_000 {
            valid += u64::from(black_box(f()));
        }
        calls += 10_000;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_start
        .zip(moei_mrz::thread_cpu_ns())
        .map(|(a, b)| b.saturating_sub(a) as f64 / 1e9)
        .filter(|&s| s > 0.0);
    black_box(valid);
    (calls as f64 / wall, cpu.map(|s| calls as f64 / s))
}

fn report(name: &str, (wall, cpu): (f64, Option<f64>)) {
    match cpu {
        Some(cpu) => println!("{name:<28} {wall:>11.0} parses/s wall, {cpu:>11.0} parses/s on-CPU"),
        None => println!("{name:<28} {wall:>11.0} parses/s wall"),
    }
}

fn main() {
    let reference = date(2026, 11, 25);
    let clean = "P<MMRAUNG<<MIN<THU<<<<<<<<<<<<<<<<<<<<<<<<<<\n\
                 MB12345675MMR9503146M3001019<<<<<<<<<<<<<<04";
    let messy = "  scanned page 2\n\
                 p<mmraung<<min<thu«««««««««««««««««««««««««« \n\
                 MB12345675 MMR9503146M3001019<<<<<<<<<<<<<<04\n";
    let ocr_error = "P<MMRAUNG<<MIN<THU<<<<<<<<<<<<<<<<<<<<<<<<<<\n\
                     MB12345675MMR95O3146M3OO1O19<<<<<<<<<<<<<<04";
    let target = Duration::from_secs(2);
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));

    assert!(moei_mrz::parse(clean, reference).is_valid());
    assert!(moei_mrz::parse(messy, reference).is_valid());
    assert!(!moei_mrz::parse(ocr_error, reference).corrections.is_empty());

    if wanted("clean") {
        let r = rate(target, || {
            moei_mrz::parse(black_box(clean), reference).is_valid()
        });
        report("TD3 clean, valid", r);
    }
    if wanted("messy") {
        let r = rate(target, || {
            moei_mrz::parse(black_box(messy), reference).is_valid()
        });
        report("TD3 messy text, valid", r);
    }
    if wanted("ocr") {
        let r = rate(target, || {
            !moei_mrz::parse(black_box(ocr_error), reference)
                .corrections
                .is_empty()
        });
        report("TD3 OCR errors, corrected", r);
    }
}
