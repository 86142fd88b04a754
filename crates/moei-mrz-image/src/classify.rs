//! Glyph classification: every cell of a zone line is resampled along the
//! line's own direction into a small patch and compared by normalised
//! cross-correlation with OCR-B templates rendered from the embedded font,
//! trying small shifts. Every character keeps its score, so the decoder can
//! fall back on second choices where a check digit disagrees.

use std::sync::OnceLock;

use crate::font;
use crate::raster::Raster;

/// Patch size in samples: one cell wide, 1.3 capital heights high.
const PATCH_W: usize = 16;
const PATCH_H: usize = 24;
/// Shifts tried in each direction, in patch samples.
const SHIFT: usize = 2;
const PATCH_HEIGHT_IN_CAPS: f32 = 1.3;
/// Pitch at which templates are rendered before being resampled.
const TEMPLATE_PITCH: f32 = 64.0;

pub(crate) const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/// Where a cell is and how it is oriented in the source image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    pub x: f32,
    pub y: f32,
    /// Unit vector along the line.
    pub ux: f32,
    pub uy: f32,
    /// Unit vector up the page (from one zone line to the next), which a
    /// tilted photograph shears away from the perpendicular.
    pub vx: f32,
    pub vy: f32,
    pub pitch: f32,
    pub cap_height: f32,
}

/// Ink (255 − luminance) sampled on a grid of `w` × `h` around the cell
/// centre, `supersample`² bilinear samples per grid point.
fn sample_patch(src: &Raster, cell: &Cell, w: usize, h: usize, supersample: usize) -> Vec<f32> {
    let step_u = cell.pitch / PATCH_W as f32;
    let step_v = cell.cap_height * PATCH_HEIGHT_IN_CAPS / PATCH_H as f32;
    let (vx, vy) = (cell.vx, cell.vy);
    let n = supersample as f32;
    let mut out = Vec::with_capacity(w * h);
    for j in 0..h {
        for i in 0..w {
            let mut acc = 0.0;
            for sj in 0..supersample {
                for si in 0..supersample {
                    let u = (i as f32 + (si as f32 + 0.5) / n - w as f32 / 2.0) * step_u;
                    let v = (j as f32 + (sj as f32 + 0.5) / n - h as f32 / 2.0) * step_v;
                    let x = cell.x + u * cell.ux + v * vx;
                    let y = cell.y + u * cell.uy + v * vy;
                    acc += 255.0 - src.sample(x, y).unwrap_or(255.0);
                }
            }
            out.push(acc / (n * n));
        }
    }
    out
}

/// Subtracts the mean and scales to unit length; a flat patch stays zero.
fn normalise(values: &mut [f32]) {
    let mean = values.iter().sum::<f32>() / values.len() as f32;
    let mut norm = 0.0;
    for v in values.iter_mut() {
        *v -= mean;
        norm += *v * *v;
    }
    let norm = norm.sqrt();
    if norm > 1e-3 {
        for v in values.iter_mut() {
            *v /= norm;
        }
    }
}

struct Templates {
    /// (character, normalised patch) in `ALPHABET` order.
    glyphs: Vec<(char, Vec<f32>)>,
    cap_height_per_pitch: f32,
}

fn templates() -> Option<&'static Templates> {
    static TEMPLATES: OnceLock<Option<Templates>> = OnceLock::new();
    TEMPLATES.get_or_init(build_templates).as_ref()
}

fn build_templates() -> Option<Templates> {
    let font = font::ocr_b()?;
    let px = font::px_for_pitch(font, TEMPLATE_PITCH);
    let metrics = font::metrics(font, px);
    let canvas_w = (metrics.pitch * 3.0) as usize;
    let canvas_h = (metrics.cap_height * 4.0) as usize;
    let baseline = metrics.cap_height * 2.5;
    let pen = metrics.pitch;
    let glyphs = ALPHABET
        .chars()
        .map(|c| {
            let mut canvas = Raster::new(canvas_w, canvas_h, 255.0);
            font::draw_text(&mut canvas, font, &c.to_string(), pen, baseline, px, 0.0);
            let centre = font::ink_centre(font, c, px).unwrap_or(metrics.pitch / 2.0);
            let cell = Cell {
                x: pen + centre,
                y: baseline - metrics.cap_height / 2.0,
                ux: 1.0,
                uy: 0.0,
                vx: 0.0,
                vy: 1.0,
                pitch: metrics.pitch,
                cap_height: metrics.cap_height,
            };
            let mut patch = sample_patch(&canvas, &cell, PATCH_W, PATCH_H, 4);
            normalise(&mut patch);
            (c, patch)
        })
        .collect();
    Some(Templates {
        glyphs,
        cap_height_per_pitch: metrics.cap_height / metrics.pitch,
    })
}

/// Scores of the characters in `allowed` for one cell, best first.
pub(crate) fn classify(src: &Raster, cell: &Cell, allowed: &str) -> Vec<(char, f32)> {
    let Some(templates) = templates() else {
        return Vec::new();
    };
    let (big_w, big_h) = (PATCH_W + 2 * SHIFT, PATCH_H + 2 * SHIFT);
    let big = sample_patch(src, cell, big_w, big_h, 1);
    let mut windows = Vec::with_capacity((2 * SHIFT + 1).pow(2));
    for dy in 0..=2 * SHIFT {
        for dx in 0..=2 * SHIFT {
            let mut window = Vec::with_capacity(PATCH_W * PATCH_H);
            for j in 0..PATCH_H {
                let row = (j + dy) * big_w + dx;
                window.extend_from_slice(&big[row..row + PATCH_W]);
            }
            normalise(&mut window);
            windows.push(window);
        }
    }
    let mut scores: Vec<(char, f32)> = templates
        .glyphs
        .iter()
        .filter(|(c, _)| allowed.contains(*c))
        .map(|(c, template)| {
            let best = windows
                .iter()
                .map(|w| w.iter().zip(template).map(|(a, b)| a * b).sum::<f32>())
                .fold(f32::MIN, f32::max);
            (*c, best)
        })
        .collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    scores
}

/// True when the templates could be built (the embedded font parses).
pub(crate) fn ready() -> bool {
    templates().is_some()
}

/// Capital height over pitch of the font. ICAO prints OCR-B size 1 at ten
/// characters per inch, so a zone's capitals follow from its pitch, which
/// is measured over a whole line and so far more exactly than the height
/// of blurred, binarised glyphs.
pub(crate) fn cap_height_per_pitch() -> Option<f32> {
    templates().map(|t| t.cap_height_per_pitch)
}
