//! Printable documents as PDF: a titled table that flows over as many pages as it needs, with
//! the fonts embedded so names in Thai, Chinese, Devanagari, Myanmar and other scripts print
//! and copy out correctly on any machine, offline.
//!
//! The interface is deliberately small: callers build a [`TableDocument`] and call [`render`].
//!
//! Text is shaped with rustybuzz (Devanagari conjuncts, Thai marks, Myanmar reordering, Arabic
//! joining), ordered for right-to-left scripts with the Unicode bidirectional algorithm, and
//! written with krilla, which subsets each font into the PDF and writes the ToUnicode maps that
//! make the text searchable and copyable. Each run of text takes the first embedded font that
//! covers it; see `fonts/README.md` for the fonts and the scripts they cover.

mod fonts;
mod images;
mod layout;
mod text;

/// A document made of a heading block and one table.
#[derive(Debug, Clone, Default)]
pub struct TableDocument {
    /// Printed at the top of the first page (and in the PDF's metadata).
    pub title: String,
    /// Lines under the title: who produced it, when, for whom, legal basis of disclosure.
    pub subtitle: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines after the table (signatures for a handover receipt, totals).
    pub footer: Vec<String>,
    /// Landscape A4 when true (wide rolls), portrait A4 otherwise.
    pub landscape: bool,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub heading: String,
    /// Relative width; widths are scaled to the page.
    pub width: f32,
}

#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// A photo (JPEG or PNG bytes), printed small.
    Image(Vec<u8>),
    Empty,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("row {row} has {found} cells, the table has {expected} columns")]
    RowWidth {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("row {row}, column {column}: the image cannot be read: {reason}")]
    BadImage {
        row: usize,
        column: usize,
        reason: String,
    },
    #[error("the PDF cannot be written: {0}")]
    Write(String),
}

/// Renders `doc` as PDF bytes.
pub fn render(doc: &TableDocument) -> Result<Vec<u8>, PdfError> {
    for (row, cells) in doc.rows.iter().enumerate() {
        if cells.len() != doc.columns.len() {
            return Err(PdfError::RowWidth {
                row,
                expected: doc.columns.len(),
                found: cells.len(),
            });
        }
    }
    layout::render(doc, fonts::fonts()?)
}
