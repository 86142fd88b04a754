//! Finding the zone: adaptive binarisation, connected components, text lines
//! chained from neighbouring glyphs (so each line carries its own skew), and
//! the lowest group of two or three long, evenly pitched lines.

use crate::raster::Raster;

/// Dark if darker than the local mean by this fraction (Bradley–Roth).
const DARKER_THAN_MEAN: f32 = 0.12;
/// A zone line has 30 to 44 glyphs; blur can merge a few fillers.
const MIN_GLYPHS_PER_LINE: usize = 20;

/// A connected set of dark pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blob {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Blob {
    pub fn width(&self) -> f32 {
        (self.x1 - self.x0 + 1) as f32
    }
    pub fn height(&self) -> f32 {
        (self.y1 - self.y0 + 1) as f32
    }
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) as f32 / 2.0
    }
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) as f32 / 2.0
    }
}

/// A text line: glyph blobs left to right and a straight line fitted
/// through the middles of its tall glyphs.
#[derive(Debug, Clone)]
pub(crate) struct TextLine {
    pub blobs: Vec<Blob>,
    /// Height of a capital (the upper quartile of blob heights).
    pub cap_height: f32,
    /// Middle of the capitals: y = intercept + slope · x.
    pub intercept: f32,
    pub slope: f32,
    /// Median distance between neighbouring glyph centres.
    pub pitch: f32,
}

impl TextLine {
    pub fn y_at(&self, x: f32) -> f32 {
        self.intercept + self.slope * x
    }
    pub fn first_x(&self) -> f32 {
        self.blobs.first().map_or(0.0, Blob::cx)
    }
    pub fn last_x(&self) -> f32 {
        self.blobs.last().map_or(0.0, Blob::cx)
    }
    fn mid_y(&self) -> f32 {
        self.y_at((self.first_x() + self.last_x()) / 2.0)
    }
}

/// Dark pixels (true) by comparison with the mean of a square window.
pub(crate) fn binarize(gray: &Raster, radius: usize) -> Vec<bool> {
    let (w, h) = (gray.width(), gray.height());
    // Integral image with a zero row and column in front.
    let mut integral = vec![0f64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0f64;
        for x in 0..w {
            row += f64::from(gray.get(x, y));
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let mut dark = vec![false; w * h];
    for y in 0..h {
        let (ya, yb) = (y.saturating_sub(radius), (y + radius + 1).min(h));
        for x in 0..w {
            let (xa, xb) = (x.saturating_sub(radius), (x + radius + 1).min(w));
            let sum = integral[yb * (w + 1) + xb]
                - integral[ya * (w + 1) + xb]
                - integral[yb * (w + 1) + xa]
                + integral[ya * (w + 1) + xa];
            let mean = sum / ((yb - ya) * (xb - xa)) as f64;
            dark[y * w + x] = f64::from(gray.get(x, y)) < mean * f64::from(1.0 - DARKER_THAN_MEAN);
        }
    }
    dark
}

/// 8-connected components of the dark pixels.
pub(crate) fn blobs(dark: &[bool], width: usize, height: usize) -> Vec<Blob> {
    let mut seen = vec![false; dark.len()];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..dark.len() {
        if !dark[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (sx, sy) = (start % width, start / width);
        let mut blob = Blob {
            x0: sx,
            y0: sy,
            x1: sx,
            y1: sy,
        };
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            blob.x0 = blob.x0.min(x);
            blob.x1 = blob.x1.max(x);
            blob.y0 = blob.y0.min(y);
            blob.y1 = blob.y1.max(y);
            for ny in y.saturating_sub(1)..(y + 2).min(height) {
                for nx in x.saturating_sub(1)..(x + 2).min(width) {
                    let j = ny * width + nx;
                    if dark[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push(blob);
    }
    out
}

/// Chains glyph-sized blobs into lines: each blob joins the line whose last
/// blob is just to its left at about the same height. Following neighbours
/// rather than a global row lets a tilted line stay one line.
pub(crate) fn text_lines(blobs: &[Blob], image_width: usize) -> Vec<TextLine> {
    let max_height = (image_width as f32 / 12.0).max(8.0);
    let mut glyphs: Vec<Blob> = blobs
        .iter()
        .copied()
        .filter(|b| b.height() >= 4.0 && b.height() <= max_height && b.width() <= 2.5 * b.height())
        .collect();
    glyphs.sort_by(|a, b| a.x0.cmp(&b.x0).then(a.y0.cmp(&b.y0)));

    let mut chains: Vec<Vec<Blob>> = Vec::new();
    // Chains whose right end is still near enough to grow.
    let mut open: Vec<usize> = Vec::new();
    for g in glyphs {
        open.retain(|&i| {
            chains[i]
                .last()
                .is_some_and(|last| last.x1 as f32 + 2.0 * max_height >= g.x0 as f32)
        });
        let best = open
            .iter()
            .filter_map(|&i| {
                let last = chains[i].last()?;
                let size = last.height().max(g.height());
                let gap = g.x0 as f32 - last.x1 as f32;
                let dy = (g.cy() - last.cy()).abs();
                let similar = last.height().min(g.height()) / size >= 0.35;
                (similar && gap > -0.3 * size && gap < 1.5 * size && dy < 0.3 * size)
                    .then_some((i, dy + gap.max(0.0) * 0.1))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => chains[i].push(g),
            None => {
                open.push(chains.len());
                chains.push(vec![g]);
            }
        }
    }
    chains
        .into_iter()
        .filter(|c| c.len() >= MIN_GLYPHS_PER_LINE)
        .filter_map(fit_line)
        .collect()
}

fn fit_line(mut blobs: Vec<Blob>) -> Option<TextLine> {
    let mut heights: Vec<f32> = blobs.iter().map(Blob::height).collect();
    heights.sort_by(f32::total_cmp);
    let cap_height = heights[heights.len() * 3 / 4];
    // Specks chained in by accident are much lower than the capitals.
    blobs.retain(|b| b.height() >= 0.4 * cap_height);
    let tall: Vec<&Blob> = blobs
        .iter()
        .filter(|b| b.height() >= 0.8 * cap_height)
        .collect();
    if tall.len() < 2 || blobs.len() < MIN_GLYPHS_PER_LINE {
        return None;
    }
    let n = tall.len() as f32;
    let mx = tall.iter().map(|b| b.cx()).sum::<f32>() / n;
    let my = tall.iter().map(|b| b.cy()).sum::<f32>() / n;
    let sxx: f32 = tall.iter().map(|b| (b.cx() - mx).powi(2)).sum();
    let sxy: f32 = tall.iter().map(|b| (b.cx() - mx) * (b.cy() - my)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    // A tilted glyph's box is taller than the glyph by about width × slope.
    let mut upright: Vec<f32> = blobs
        .iter()
        .map(|b| b.height() - slope.abs() * b.width())
        .collect();
    upright.sort_by(f32::total_cmp);
    let cap_height = upright[upright.len() * 3 / 4].max(1.0);
    let mut gaps: Vec<f32> = blobs.windows(2).map(|w| w[1].cx() - w[0].cx()).collect();
    gaps.sort_by(f32::total_cmp);
    let pitch = gaps[gaps.len() / 2];
    Some(TextLine {
        blobs,
        cap_height,
        intercept: my - slope * mx,
        slope,
        pitch,
    })
}

/// Groups of two or three lines that could be a zone: similar glyph size
/// and pitch, left ends aligned, regularly spaced. Lowest groups first.
pub(crate) fn zone_candidates(mut lines: Vec<TextLine>) -> Vec<Vec<TextLine>> {
    lines.sort_by(|a, b| a.mid_y().total_cmp(&b.mid_y()));
    let fits = |upper: &TextLine, lower: &TextLine| {
        let h = upper.cap_height.max(lower.cap_height);
        let spacing = lower.mid_y() - upper.mid_y();
        upper.cap_height.min(lower.cap_height) / h > 0.75
            && (upper.pitch - lower.pitch).abs() < 0.2 * upper.pitch.max(lower.pitch)
            && (upper.first_x() - lower.first_x()).abs() < 2.5 * upper.pitch.max(lower.pitch)
            && spacing > 1.1 * h
            && spacing < 3.5 * h
    };
    let mut groups = Vec::new();
    for end in (1..lines.len()).rev() {
        if fits(&lines[end - 1], &lines[end]) {
            if end >= 2 && fits(&lines[end - 2], &lines[end - 1]) {
                groups.push(lines[end - 2..=end].to_vec());
            }
            groups.push(lines[end - 1..=end].to_vec());
        }
    }
    groups
}
