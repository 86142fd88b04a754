//! Read rate and time per image on generated documents.
//!
//! `cargo bench -p moei-mrz-image -- [PER_CELL]` generates PER_CELL images
//! (default 12) for every pair of format (TD1, TD2, TD3) and degradation
//! (seven kinds, see `generate::Degradation`), encodes each as it would
//! arrive (PNG, or JPEG where the degradation includes it), and reads it
//! with `read_image`. A read counts as right when the report is valid and
//! the text equals the printed zone character for character. Reads that
//! are valid but differ from the printed zone would be the dangerous kind;
//! they are counted separately. Time per image includes decoding, on one
//! thread, as wall time and as time actually spent on the CPU (from
//! `/proc/thread-self/schedstat`), because other work shares the machine.

use std::time::{Duration, Instant};

use moei_mrz::Format;
use moei_mrz_image::generate::{Degradation, sample};

#[derive(Default)]
struct Tally {
    images: usize,
    right: usize,
    reported_invalid: usize,
    wrong_but_valid: usize,
    wall: Duration,
    cpu_ns: u64,
    slowest: Duration,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.images += other.images;
        self.right += other.right;
        self.reported_invalid += other.reported_invalid;
        self.wrong_but_valid += other.wrong_but_valid;
        self.wall += other.wall;
        self.cpu_ns += other.cpu_ns;
        self.slowest = self.slowest.max(other.slowest);
    }

    fn print(&self, name: &str) {
        let n = self.images.max(1) as f64;
        println!(
            "| {name} | {} | {} ({:.1} %) | {} | {} | {:.0} | {:.0} | {:.0} |",
            self.images,
            self.right,
            100.0 * self.right as f64 / n,
            self.reported_invalid,
            self.wrong_but_valid,
            self.wall.as_secs_f64() * 1000.0 / n,
            self.cpu_ns as f64 / 1e6 / n,
            self.slowest.as_secs_f64() * 1000.0,
        );
    }
}

fn main() {
    // cargo bench passes `--bench`; the first number given is the count.
    let per_cell: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(12);
    let reference = jiff::civil::date(2026, 11, 25);
    let formats = [Format::Td1, Format::Td2, Format::Td3];
    println!("{per_cell} images per format and degradation, reference date {reference}");
    println!(
        "| degradation | images | right | reported invalid | wrong but valid | ms/image wall | ms/image CPU | slowest ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut total = Tally::default();
    let mut by_format: Vec<Tally> = formats.iter().map(|_| Tally::default()).collect();
    for (d, degradation) in Degradation::ALL.iter().enumerate() {
        let mut tally = Tally::default();
        for (f, format) in formats.iter().enumerate() {
            let mut cell = Tally::default();
            for i in 0..per_cell {
                let seed = 1_000_000 * d as u64 + 10_000 * f as u64 + i;
                let s = sample(seed, *format, *degradation);
                let bytes = s.encoded();
                let (start, cpu_start) = (Instant::now(), moei_mrz::thread_cpu_ns());
                let read = moei_mrz_image::read_image(&bytes, reference);
                let wall = start.elapsed();
                let cpu = moei_mrz::thread_cpu_ns()
                    .zip(cpu_start)
                    .map_or(0, |(b, a)| b - a);
                cell.images += 1;
                cell.wall += wall;
                cell.cpu_ns += cpu;
                cell.slowest = cell.slowest.max(wall);
                match read {
                    Ok(r) if r.report.is_valid() && r.text == s.zone => cell.right += 1,
                    Ok(r) if r.report.is_valid() => {
                        cell.wrong_but_valid += 1;
                        eprintln!(
                            "WRONG BUT VALID seed {seed}:\n{}\nread as\n{}",
                            s.zone, r.text
                        );
                    }
                    _ => {
                        cell.reported_invalid += 1;
                        eprintln!("not read: {degradation:?} {format} seed {seed}");
                    }
                }
            }
            tally.add(&cell);
            by_format[f].add(&cell);
        }
        tally.print(degradation.name());
        total.add(&tally);
    }
    for (f, format) in formats.iter().enumerate() {
        by_format[f].print(&format!("all, {format}"));
    }
    total.print("all");
}
