//! Reading machine-readable zones from images (photographs and scans of
//! passports and identity cards), in pure Rust.
//!
//! Steps: decode (PNG or JPEG) to grey; adaptive binarisation; connected
//! components chained into text lines, each with its own fitted slope (so
//! skew and mild perspective need no global rotation); the lowest group of
//! two or three long lines of equal pitch is the zone; every cell is
//! resampled along its line and matched against OCR-B templates rendered
//! from the embedded font, restricted to the characters its position
//! allows; check digits choose between close second choices. The result is
//! a `moei_mrz::Report`: a read that fails its checks is reported invalid,
//! never passed off as valid.
//!
//! Layout:
//! - `raster`: grey image type, blur, resampling.
//! - `font`: the embedded OCR-B font (public domain, `fonts/LICENSE`).
//! - `locate`: binarisation, components, lines, zone candidates.
//! - `classify`: templates and cell scoring.
//! - `decode`: check-digit-guided choice of characters.
//! - `generate`: synthetic document images for tests and measurement.

mod classify;
mod decode;
mod font;
pub mod generate;
mod locate;
mod raster;

use jiff::civil::Date;
use moei_mrz::{Format, Report, char_classes};

pub use raster::Raster;

/// Images wider than this are shrunk first: a zone needs no more, and the
/// reader's time grows with the pixel count.
const WORKING_WIDTH: usize = 1600;
/// Largest image accepted, in pixels per side.
pub const MAX_SIDE: u32 = 10_000;
/// Vertical scales tried against the one the pitch gives.
const VERTICAL_SCALES: [f32; 5] = [0.88, 0.94, 1.0, 1.06, 1.12];
/// Zone groups tried, lowest first.
const MAX_GROUPS: usize = 4;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("the image could not be decoded as PNG or JPEG: {0}")]
    Decode(String),
    #[error("the image is {width} × {height} pixels; at most {MAX_SIDE} per side are accepted")]
    TooLarge { width: u32, height: u32 },
    #[error("the embedded OCR-B font could not be loaded")]
    Font,
}

/// What was read from one image.
#[derive(Debug, Clone)]
pub struct ImageRead {
    /// The zone as read, lines joined by `\n`; empty when no zone was found.
    pub text: String,
    /// The parse of `text`. Not valid when no zone was found (a `shape`
    /// error) or when no choice of characters passes every check.
    pub report: Report,
    /// Characters for which the check digits made a second choice win.
    pub changed_by_checks: usize,
}

impl ImageRead {
    fn nothing_found(reference: Date) -> ImageRead {
        ImageRead {
            text: String::new(),
            report: moei_mrz::parse("", reference),
            changed_by_checks: 0,
        }
    }
}

/// Decodes a PNG or JPEG image and reads its zone.
pub fn read_image(bytes: &[u8], reference: Date) -> Result<ImageRead, ImageError> {
    let gray = decode_image(bytes)?;
    read_raster(&gray, reference)
}

/// Decodes a PNG or JPEG image to grey, refusing oversized images before
/// their pixels are allocated.
pub fn decode_image(bytes: &[u8]) -> Result<Raster, ImageError> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageError::TooLarge { width, height });
    }
    reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let luma = reader
        .decode()
        .map_err(|e| ImageError::Decode(e.to_string()))?
        .into_luma8();
    Ok(Raster::from_luma8(
        luma.width() as usize,
        luma.height() as usize,
        luma.as_raw(),
    ))
}

/// Reads the zone of a grey image.
pub fn read_raster(gray: &Raster, reference: Date) -> Result<ImageRead, ImageError> {
    if !classify::ready() {
        return Err(ImageError::Font);
    }
    if gray.width() < 16 || gray.height() < 16 {
        return Ok(ImageRead::nothing_found(reference));
    }
    let shrunk;
    let gray = if gray.width() > WORKING_WIDTH {
        shrunk = gray.downscale(gray.width() as f32 / WORKING_WIDTH as f32);
        &shrunk
    } else {
        gray
    };
    // A little smoothing keeps sensor noise from breaking glyphs into specks.
    let smooth = gray.gaussian_blur(0.7);
    let radius = (gray.width() / 50).max(5);
    let dark = locate::binarize(&smooth, radius);
    let blobs = locate::blobs(&dark, gray.width(), gray.height());
    let lines = locate::text_lines(&blobs, gray.width());

    let mut best: Option<(f32, decode::Decoded)> = None;
    for group in locate::zone_candidates(lines).into_iter().take(MAX_GROUPS) {
        for format in formats_for(&group) {
            let decoded = read_group(gray, &group, format, reference);
            if decoded.report.is_valid() {
                return Ok(finish(decoded));
            }
            if best.as_ref().is_none_or(|(c, _)| decoded.confidence > *c) {
                best = Some((decoded.confidence, decoded));
            }
        }
    }
    Ok(best.map_or_else(|| ImageRead::nothing_found(reference), |(_, d)| finish(d)))
}

fn finish(decoded: decode::Decoded) -> ImageRead {
    ImageRead {
        text: decoded.text,
        report: decoded.report,
        changed_by_checks: decoded.changed,
    }
}

/// Formats a group of lines could be, likeliest first: three lines are
/// TD1; two are TD2 or TD3, ordered by how many pitches the lines span.
fn formats_for(group: &[locate::TextLine]) -> Vec<Format> {
    if group.len() == 3 {
        return vec![Format::Td1];
    }
    let spans: Vec<f32> = group
        .iter()
        .map(|l| (l.last_x() - l.first_x()) / l.pitch.max(1.0) + 1.0)
        .collect();
    let cells = spans.iter().sum::<f32>() / spans.len().max(1) as f32;
    if (cells - 36.0).abs() <= (cells - 44.0).abs() {
        vec![Format::Td2, Format::Td3]
    } else {
        vec![Format::Td3, Format::Td2]
    }
}

fn read_group(
    gray: &Raster,
    group: &[locate::TextLine],
    format: Format,
    reference: Date,
) -> decode::Decoded {
    let n = format.line_len();
    let classes = char_classes(format);
    let placed: Vec<Vec<Placed>> = group.iter().map(|l| place_cells(l, n)).collect();
    let allowed = |k: usize, i: usize| {
        classes
            .get(k * n + i)
            .map_or(classify::ALPHABET, |c| c.characters())
    };
    let grid = cell_grid(group, &placed);
    // A tilted photograph shortens the page's height more or less than its
    // width: pick the vertical scale under which a sample of cells matches
    // best.
    let sampled = |scale: f32| -> f32 {
        let mut total = 0.0;
        for (k, row) in grid.iter().enumerate() {
            for (i, cell) in row.iter().enumerate().step_by(5) {
                let cell = classify::Cell {
                    cap_height: cell.cap_height * scale,
                    ..*cell
                };
                let best = classify::classify(gray, &cell, allowed(k, i));
                total += best.first().map_or(0.0, |(_, v)| *v);
            }
        }
        total
    };
    let scale = VERTICAL_SCALES
        .iter()
        .copied()
        .map(|s| (s, sampled(s)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(1.0, |(s, _)| s);
    let mut scores = Vec::with_capacity(format.total_len());
    for (k, row) in grid.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let cell = classify::Cell {
                cap_height: cell.cap_height * scale,
                ..*cell
            };
            scores.push(classify::classify(gray, &cell, allowed(k, i)));
        }
    }
    decode::decode(&scores, &classes, n, reference)
}

/// Every cell of every line, oriented along its line and up the page.
fn cell_grid(group: &[locate::TextLine], placed: &[Vec<Placed>]) -> Vec<Vec<classify::Cell>> {
    let ratio = classify::cap_height_per_pitch();
    group
        .iter()
        .zip(placed)
        .enumerate()
        .map(|(k, (line, cells))| {
            let norm = (1.0 + line.slope * line.slope).sqrt();
            let (ux, uy) = (1.0 / norm, line.slope / norm);
            cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let (vx, vy) = page_vertical(placed, k, i).unwrap_or((-uy, ux));
                    let pitch = cell.pitch * norm;
                    classify::Cell {
                        x: cell.x,
                        y: line.y_at(cell.x),
                        ux,
                        uy,
                        vx,
                        vy,
                        pitch,
                        cap_height: ratio.map_or(line.cap_height, |r| r * pitch),
                    }
                })
                .collect()
        })
        .collect()
}

/// A cell placed on its line: where the even spacing puts it, where its
/// glyph was found, and the local horizontal pitch.
struct Placed {
    fitted: (f32, f32),
    x: f32,
    pitch: f32,
}

/// The direction from cell `i` of line `k` to the same cell of the next
/// line (or from the previous line), made a unit vector; `None` when it
/// does not point down the image.
fn page_vertical(placed: &[Vec<Placed>], k: usize, i: usize) -> Option<(f32, f32)> {
    let (upper, lower) = if k + 1 < placed.len() {
        (placed.get(k)?, placed.get(k + 1)?)
    } else {
        (placed.get(k.checked_sub(1)?)?, placed.get(k)?)
    };
    let (a, b) = (upper.get(i)?.fitted, lower.get(i)?.fitted);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    (dy > 0.0 && dx.abs() < dy).then(|| (dx / len, dy / len))
}

/// The `n` cells of a line. Cells start evenly spaced from its first glyph
/// to its last; each moves onto a glyph found within a third of a pitch;
/// then a quadratic fitted through the glyphs found gives every cell its
/// place and its local pitch, which follows the gradual change of scale
/// across a tilted photograph.
fn place_cells(line: &locate::TextLine, n: usize) -> Vec<Placed> {
    let (x0, x1) = (line.first_x(), line.last_x());
    let step = (x1 - x0) / (n.max(2) - 1) as f32;
    let snap = |predicted: f32, pitch: f32| {
        line.blobs
            .iter()
            .filter(|b| b.width() <= 1.3 * pitch)
            .map(|b| b.cx())
            .filter(|cx| (cx - predicted).abs() < pitch / 3.0)
            .min_by(|a, b| (a - predicted).abs().total_cmp(&(b - predicted).abs()))
    };
    let found: Vec<(f32, f32)> = (0..n)
        .filter_map(|i| snap(x0 + step * i as f32, step).map(|x| (i as f32, x)))
        .collect();
    let fit = fit_quadratic(&found).unwrap_or([x0, step, 0.0]);
    (0..n)
        .map(|i| {
            let t = i as f32;
            let predicted = fit[0] + fit[1] * t + fit[2] * t * t;
            let pitch = (fit[1] + 2.0 * fit[2] * t).max(1.0);
            Placed {
                fitted: (predicted, line.y_at(predicted)),
                x: snap(predicted, pitch).unwrap_or(predicted),
                pitch,
            }
        })
        .collect()
}

/// Least-squares x = a + b·t + c·t² through the points (t, x); `None` with
/// fewer than six points or a singular system.
fn fit_quadratic(points: &[(f32, f32)]) -> Option<[f32; 3]> {
    if points.len() < 6 {
        return None;
    }
    // Normal equations in f64: sums of t^k and x·t^k.
    let mut s = [0f64; 5];
    let mut r = [0f64; 3];
    for &(t, x) in points {
        let (t, x) = (f64::from(t), f64::from(x));
        let mut p = 1.0;
        for k in 0..5 {
            s[k] += p;
            if k < 3 {
                r[k] += x * p;
            }
            p *= t;
        }
    }
    let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]];
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    if d.abs() < 1e-9 {
        return None;
    }
    // Cramer's rule: replace column k by the right-hand side.
    let mut out = [0f32; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let mut mk = m;
        for row in 0..3 {
            mk[row][k] = r[row];
        }
        *o = (det(&mk) / d) as f32;
    }
    Some(out)
}
