//! Text to positioned glyphs: bidirectional ordering, a font per run, shaping, and wrapping
//! into lines that fit a width.

use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use unicode_bidi::BidiInfo;
use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::FontSet;

/// Text style: size in points and weight.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) size: f32,
    pub(crate) bold: bool,
}

impl Style {
    pub(crate) const fn new(size: f32, bold: bool) -> Style {
        Style { size, bold }
    }
}

/// A run of glyphs in one font and one direction, ready to draw.
pub(crate) struct GlyphRun {
    pub(crate) font: usize,
    /// The characters the glyphs stand for; krilla writes them into the ToUnicode map.
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) width: f32,
}

/// One printed line: runs in visual order, left to right.
pub(crate) struct Line {
    pub(crate) runs: Vec<GlyphRun>,
    pub(crate) width: f32,
    /// Right-to-left paragraph (Urdu, Arabic): aligned to the right edge.
    pub(crate) rtl: bool,
    pub(crate) style: Style,
}

/// Removes control characters that have no printed form; newlines separate paragraphs.
fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Shapes `text` as one line (no wrapping).
pub(crate) fn line(fonts: &FontSet, text: &str, style: Style) -> Line {
    let bidi = BidiInfo::new(text, None);
    let mut runs = Vec::new();
    let mut rtl = false;
    for (index, paragraph) in bidi.paragraphs.iter().enumerate() {
        if index == 0 {
            rtl = paragraph.level.is_rtl();
        }
        let (levels, visual_runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for range in visual_runs {
            let run_rtl = levels[range.start].is_rtl();
            let mut shaped: Vec<GlyphRun> = font_runs(fonts, &text[range.clone()], style.bold)
                .into_iter()
                .map(|(font, sub)| {
                    let start = range.start + sub.start;
                    shape(
                        fonts,
                        font,
                        &text[start..range.start + sub.end],
                        style,
                        run_rtl,
                    )
                })
                .collect();
            if run_rtl {
                shaped.reverse();
            }
            runs.extend(shaped);
        }
    }
    let width = runs.iter().map(|run| run.width).sum();
    Line {
        runs,
        width,
        rtl,
        style,
    }
}

/// Splits `text` into maximal runs that print in one font, in logical order.
fn font_runs(fonts: &FontSet, text: &str, bold: bool) -> Vec<(usize, Range<usize>)> {
    let mut runs: Vec<(usize, Range<usize>)> = Vec::new();
    for (offset, c) in text.char_indices() {
        let current = runs.last().map(|(font, _)| *font);
        let font = fonts.font_for(c, current, bold);
        let end = offset + c.len_utf8();
        match runs.last_mut() {
            Some((last_font, range)) if *last_font == font => range.end = end,
            _ => runs.push((font, offset..end)),
        }
    }
    runs
}

fn shape(fonts: &FontSet, font: usize, text: &str, style: Style, rtl: bool) -> GlyphRun {
    let face = fonts.get(font);
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    let output = rustybuzz::shape(&face.shaper, &[], buffer);

    // A glyph stands for the characters from its cluster start to the next cluster start;
    // this holds in both directions and gives conjuncts and ligatures their whole text.
    let mut cluster_starts: Vec<usize> = output
        .glyph_infos()
        .iter()
        .map(|info| info.cluster as usize)
        .collect();
    cluster_starts.sort_unstable();
    cluster_starts.dedup();
    let cluster_end = |start: usize| {
        let next = cluster_starts.partition_point(|&s| s <= start);
        cluster_starts.get(next).copied().unwrap_or(text.len())
    };

    let em = face.units_per_em;
    let glyphs: Vec<KrillaGlyph> = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, position)| {
            let start = info.cluster as usize;
            KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                position.x_advance as f32 / em,
                position.x_offset as f32 / em,
                position.y_offset as f32 / em,
                position.y_advance as f32 / em,
                start..cluster_end(start),
                None,
            )
        })
        .collect();
    let mut glyphs = glyphs;
    if !rtl {
        join_clusters_ending_in_offset_marks(&mut glyphs);
    }
    let width = glyphs.iter().map(|g| g.x_advance).sum::<f32>() * style.size;
    GlyphRun {
        font,
        text: text.to_owned(),
        glyphs,
        width,
    }
}

/// A cluster that ends in a mark pulled back over its base (the Devanagari u-sign under its
/// consonant) ends, for a reader, where the mark sits, short of where the next letter starts;
/// poppler reads that gap as a space ("कु मार"). Such a cluster shares its text with the
/// next one, so krilla writes both as one ActualText span that ends on a full-width glyph.
fn join_clusters_ending_in_offset_marks(glyphs: &mut [KrillaGlyph]) {
    for i in 0..glyphs.len().saturating_sub(1) {
        let (mark, next) = (&glyphs[i], &glyphs[i + 1]);
        let pulled_back = mark.x_advance == 0.0 && mark.x_offset < 0.0;
        if !pulled_back || mark.text_range == next.text_range {
            continue;
        }
        let (own, following) = (mark.text_range.clone(), next.text_range.clone());
        let joined = own.start.min(following.start)..own.end.max(following.end);
        for glyph in glyphs.iter_mut() {
            if glyph.text_range == own || glyph.text_range == following {
                glyph.text_range = joined.clone();
            }
        }
    }
}

/// Breaks `text` into lines no wider than `max_width` points: at spaces where possible, and
/// between characters (never inside a grapheme such as a Thai syllable with its marks) where a
/// single word is wider than the space. Nothing is dropped.
pub(crate) fn wrap(fonts: &FontSet, text: &str, style: Style, max_width: f32) -> Vec<Line> {
    let text = printable(text);
    // Most cells are a short name or a date: one shaping pass decides.
    if !text.contains('\n') {
        let whole = line(fonts, &text, style);
        if whole.width <= max_width {
            return vec![whole];
        }
    }
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut current = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if line(fonts, &candidate, style).width <= max_width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(line(fonts, &current, style));
            }
            current = word.to_owned();
            if line(fonts, word, style).width > max_width {
                let mut pieces = break_word(fonts, word, style, max_width);
                current = pieces.pop().unwrap_or_default();
                lines.extend(pieces.iter().map(|piece| line(fonts, piece, style)));
            }
        }
        lines.push(line(fonts, &current, style));
    }
    lines
}

/// Cuts an over-long word between graphemes. Widths are summed grapheme by grapheme (linear
/// time even for a pathological input), which ignores kerning across the cuts: close enough
/// for the rare word that does not fit a column.
fn break_word(fonts: &FontSet, word: &str, style: Style, max_width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    for grapheme in word.graphemes(true) {
        let width = line(fonts, grapheme, style).width;
        if !piece.is_empty() && piece_width + width > max_width {
            pieces.push(std::mem::take(&mut piece));
            piece_width = 0.0;
        }
        piece.push_str(grapheme);
        piece_width += width;
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{self, BOLD, REGULAR};

    const BODY: Style = Style::new(9.0, false);

    fn fonts_of(text: &str, bold: bool) -> Vec<(usize, String)> {
        let set = fonts::fonts().unwrap();
        font_runs(set, text, bold)
            .into_iter()
            .map(|(font, range)| (font, text[range].to_owned()))
            .collect()
    }

    #[test]
    fn marks_and_joiners_stay_with_their_letter_and_latin_stays_latin() {
        // Virama, vowel signs and the space stay in the Devanagari run.
        let runs = fonts_of("प्रकाश कुमार", false);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_ne!(runs[0].0, REGULAR);

        let runs = fonts_of("王秀英 Wang", false);
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(runs[1], (REGULAR, "Wang".to_owned()));

        let runs = fonts_of("Nguyễn Thị Hương", true);
        assert_eq!(runs, vec![(BOLD, "Nguyễn Thị Hương".to_owned())]);

        // A lone mark with nothing before it still gets a font that has it.
        let runs = fonts_of("\u{0E48}", false);
        assert_ne!(runs[0].0, REGULAR);
    }

    #[test]
    fn right_to_left_lines_are_marked_and_ordered_visually() {
        let set = fonts::fonts().unwrap();
        let urdu = line(set, "محمد عمران", BODY);
        assert!(urdu.rtl);
        let latin_then_urdu = line(set, "Imran محمد", BODY);
        assert!(!latin_then_urdu.rtl);
        // Visual order: the Latin run first (left), then the Arabic-script run.
        assert_eq!(latin_then_urdu.runs.first().unwrap().font, REGULAR);
        assert_ne!(latin_then_urdu.runs.last().unwrap().font, REGULAR);
    }

    #[test]
    fn shaping_forms_conjuncts_and_joins_arabic() {
        let set = fonts::fonts().unwrap();
        // क्ष is three code points and one conjunct glyph in Noto Sans Devanagari.
        let conjunct = line(set, "क्ष", BODY);
        let glyphs: usize = conjunct.runs.iter().map(|r| r.glyphs.len()).sum();
        assert_eq!(glyphs, 1);
        assert_eq!(conjunct.runs[0].glyphs[0].text_range, 0.."क्ष".len());
        // Joined Arabic letters take other glyphs than the same letters alone.
        let joined = line(set, "مم", BODY);
        let alone = line(set, "م م", BODY);
        let ids = |l: &Line| -> Vec<u32> {
            l.runs
                .iter()
                .flat_map(|r| r.glyphs.iter().map(|g| g.glyph_id.to_u32()))
                .collect()
        };
        assert_ne!(ids(&joined)[0], ids(&alone)[0]);
    }

    #[test]
    fn wrapping_keeps_every_character() {
        let set = fonts::fonts().unwrap();
        let text = "สมชาย ใจดี 王秀英 प्रकाश कुमार Nguyễn Thị Hương";
        for width in [5.0, 20.0, 60.0, 200.0] {
            let lines = wrap(set, text, BODY, width);
            let rebuilt: String = lines
                .iter()
                .flat_map(|l| l.runs.iter().map(|r| r.text.as_str()))
                .collect::<Vec<_>>()
                .concat();
            let without_spaces = |s: &str| s.replace(' ', "");
            assert_eq!(
                without_spaces(&rebuilt),
                without_spaces(text),
                "width {width}"
            );
        }
    }
}
