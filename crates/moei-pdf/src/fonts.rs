//! The fonts embedded in the binary and the fallback chain that picks one for each character.

use std::sync::LazyLock;

use crate::PdfError;

macro_rules! font_file {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../fonts/", $name)).as_slice(),
        )
    };
}

/// Index of the regular Latin font in [`FONT_FILES`]; also the font for characters no font has.
pub(crate) const REGULAR: usize = 0;
/// Index of the bold Latin font, used for the title and the table heading.
pub(crate) const BOLD: usize = 1;

/// In fallback order: the first font that has a letter prints it. Latin comes first so that
/// Latin letters inside a Thai or Chinese name still print in the Latin font.
const FONT_FILES: [(&str, &[u8]); 12] = [
    font_file!("NotoSans-Regular.ttf"),
    font_file!("NotoSans-Bold.ttf"),
    font_file!("NotoSansThai-Regular.ttf"),
    font_file!("NotoSansDevanagari-Regular.ttf"),
    font_file!("NotoSansBengali-Regular.ttf"),
    font_file!("NotoSansMyanmar-Regular.ttf"),
    font_file!("NotoSansKhmer-Regular.ttf"),
    font_file!("NotoSansLao-Regular.ttf"),
    font_file!("NotoSansEthiopic-Regular.ttf"),
    font_file!("NotoNaskhArabic-Regular.ttf"),
    font_file!("NotoSansSinhala-Regular.ttf"),
    font_file!("DroidSansFallbackFull.ttf"),
];

pub(crate) struct LoadedFont {
    /// What krilla embeds (subset) in the PDF.
    pub(crate) pdf: krilla::text::Font,
    /// What the shaper reads; the same bytes.
    pub(crate) shaper: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
}

pub(crate) struct FontSet {
    fonts: Vec<LoadedFont>,
}

/// Parsed once per process: the files are static and parsing the Chinese font is not free.
static FONTS: LazyLock<Result<FontSet, String>> = LazyLock::new(FontSet::load);

pub(crate) fn fonts() -> Result<&'static FontSet, PdfError> {
    FONTS.as_ref().map_err(|e| PdfError::Write(e.clone()))
}

impl FontSet {
    fn load() -> Result<FontSet, String> {
        let mut fonts = Vec::with_capacity(FONT_FILES.len());
        for (name, bytes) in FONT_FILES {
            let pdf = krilla::text::Font::new(krilla::Data::from(bytes), 0)
                .ok_or_else(|| format!("embedded font {name} cannot be read"))?;
            let shaper = rustybuzz::Face::from_slice(bytes, 0)
                .ok_or_else(|| format!("embedded font {name} cannot be shaped"))?;
            let units_per_em = shaper.units_per_em() as f32;
            fonts.push(LoadedFont {
                pdf,
                shaper,
                units_per_em,
            });
        }
        Ok(FontSet { fonts })
    }

    pub(crate) fn get(&self, index: usize) -> &LoadedFont {
        // Indexes come only from `font_for`, which returns valid ones.
        &self.fonts[index.min(self.fonts.len() - 1)]
    }

    fn covers(&self, index: usize, c: char) -> bool {
        self.fonts[index].shaper.glyph_index(c).is_some()
    }

    /// The font to print `c` with, given the font of the character before it (if any).
    ///
    /// Combining marks and joiners stay with their base character (a Devanagari virama or a
    /// Thai tone mark must be shaped with its consonant); spaces, digits and punctuation stay
    /// in the current font when it has them, so runs are not cut needlessly; letters go to the
    /// first font in the chain that has them.
    pub(crate) fn font_for(&self, c: char, current: Option<usize>, bold: bool) -> usize {
        if let Some(current) = current {
            let joins_previous = unicode_normalization::char::is_combining_mark(c)
                || matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}');
            if joins_previous || (!c.is_alphabetic() && self.covers(current, c)) {
                return current;
            }
        }
        let chain_start = if bold { BOLD } else { REGULAR };
        std::iter::once(chain_start)
            .chain(BOLD + 1..self.fonts.len())
            .find(|&index| self.covers(index, c))
            .unwrap_or(chain_start)
    }
}
