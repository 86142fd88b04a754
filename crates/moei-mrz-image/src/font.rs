//! The OCR-B font (public domain, `fonts/LICENSE`): glyph rendering for the
//! test-image generator and the templates the reader matches against.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};

use crate::raster::Raster;

static OCR_B: &[u8] = include_bytes!("../fonts/OCRB.otf");

/// The embedded font. It is parsed once; a font that does not parse is a
/// build defect, and callers get `None` rather than a crash.
pub(crate) fn ocr_b() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(OCR_B).ok())
        .as_ref()
}

/// Sizes of the font at one pixel size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Metrics {
    /// Horizontal advance of every glyph (the font is monospaced).
    pub pitch: f32,
    /// Height of a capital letter's ink.
    pub cap_height: f32,
}

pub(crate) fn metrics(font: &FontRef<'_>, px: f32) -> Metrics {
    let scaled = font.as_scaled(PxScale::from(px));
    let pitch = scaled.h_advance(font.glyph_id('0'));
    let glyph = font
        .glyph_id('H')
        .with_scale_and_position(px, point(0.0, 0.0));
    let cap_height = font
        .outline_glyph(glyph)
        .map(|g| g.px_bounds().height())
        .unwrap_or(px * 0.7);
    Metrics { pitch, cap_height }
}

/// Pixel size at which the font's pitch is `pitch` pixels.
pub(crate) fn px_for_pitch(font: &FontRef<'_>, pitch: f32) -> f32 {
    let at_100 = metrics(font, 100.0).pitch;
    if at_100 > 0.0 {
        100.0 * pitch / at_100
    } else {
        pitch
    }
}

/// Draws `text` with its baseline at `baseline`, starting at `x`, darkening
/// the raster towards `ink` by each pixel's coverage. Returns the x after
/// the last glyph.
pub(crate) fn draw_text(
    raster: &mut Raster,
    font: &FontRef<'_>,
    text: &str,
    x: f32,
    baseline: f32,
    px: f32,
    ink: f32,
) -> f32 {
    let scaled = font.as_scaled(PxScale::from(px));
    let mut pen = x;
    for c in text.chars() {
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(px, point(pen, baseline));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let px_x = bounds.min.x as i64 + i64::from(gx);
                let px_y = bounds.min.y as i64 + i64::from(gy);
                raster.blend(px_x, px_y, ink, coverage);
            });
        }
        pen += scaled.h_advance(id);
    }
    pen
}

/// Horizontal centre of a glyph's ink relative to its pen position, in
/// pixels at size `px`; `None` for a glyph without ink.
pub(crate) fn ink_centre(font: &FontRef<'_>, c: char, px: f32) -> Option<f32> {
    let glyph = font
        .glyph_id(c)
        .with_scale_and_position(px, point(0.0, 0.0));
    font.outline_glyph(glyph).map(|g| {
        let b = g.px_bounds();
        (b.min.x + b.max.x) / 2.0
    })
}
