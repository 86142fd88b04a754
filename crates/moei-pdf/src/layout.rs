//! The table laid out on A4 pages: first every page's content is placed (so the number of
//! pages is known), then the pages are drawn with "n / N" at the foot.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use crate::fonts::FontSet;
use crate::images::{Photo, photo};
use crate::text::{Line, Style, line, wrap};
use crate::{Cell, PdfError, TableDocument};

const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
const MARGIN: f32 = 36.0;
/// Space kept at the foot of each page for the page number.
const FOOT: f32 = 18.0;
const CELL_PADDING: f32 = 3.0;
/// Generous, because Myanmar and Thai stack marks well above and below Latin letters.
const LINE_SPACING: f32 = 1.6;
const PHOTO_MAX_HEIGHT: f32 = 42.0;
const GAP: f32 = 6.0;

/// Type sizes in points, and whether bold.
const TITLE: Style = Style::new(14.0, true);
const BODY: Style = Style::new(9.0, false);
const HEADING: Style = Style::new(8.5, true);
const TABLE: Style = Style::new(8.5, false);
const PAGE_NUMBER: Style = Style::new(8.0, false);

fn line_height(style: Style) -> f32 {
    style.size * LINE_SPACING
}

enum Op {
    /// `top` is the top of the line box; `x` and `width` the box the line is aligned in.
    Text {
        line: Line,
        x: f32,
        top: f32,
        width: f32,
    },
    Shade(Rect),
    Border(Rect),
    Photo {
        photo: Photo,
        rect: Rect,
    },
}

/// One table cell, wrapped to its column.
struct CellLayout {
    lines: Vec<Line>,
    photo: Option<(Photo, f32, f32)>,
}

struct Pager {
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Rows (not only the heading) placed on the current page.
    rows_on_page: usize,
}

impl Pager {
    fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOT
    }

    fn remaining(&self) -> f32 {
        self.bottom() - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
        self.rows_on_page = 0;
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Places full-width lines (title, subtitle, footer), breaking pages between lines.
    fn lines(&mut self, lines: Vec<Line>) {
        for line in lines {
            let height = line_height(line.style);
            if height > self.remaining() {
                self.new_page();
            }
            let (x, top, width) = (MARGIN, self.y, self.width - 2.0 * MARGIN);
            self.push(Op::Text {
                line,
                x,
                top,
                width,
            });
            self.y += height;
        }
    }
}

struct Table<'a> {
    fonts: &'a FontSet,
    left: f32,
    widths: Vec<f32>,
}

impl Table<'_> {
    fn text_width(&self, column: usize) -> f32 {
        (self.widths[column] - 2.0 * CELL_PADDING).max(1.0)
    }

    fn heading(&self, doc: &TableDocument) -> Vec<CellLayout> {
        doc.columns
            .iter()
            .enumerate()
            .map(|(column, c)| CellLayout {
                lines: wrap(self.fonts, &c.heading, HEADING, self.text_width(column)),
                photo: None,
            })
            .collect()
    }

    fn row(&self, row: usize, cells: &[Cell]) -> Result<Vec<CellLayout>, PdfError> {
        cells
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let text_width = self.text_width(column);
                Ok(match cell {
                    Cell::Text(text) => CellLayout {
                        lines: wrap(self.fonts, text, TABLE, text_width),
                        photo: None,
                    },
                    Cell::Empty => CellLayout {
                        lines: Vec::new(),
                        photo: None,
                    },
                    Cell::Image(bytes) => {
                        let photo = photo(bytes).map_err(|reason| PdfError::BadImage {
                            row,
                            column,
                            reason,
                        })?;
                        let scale = (PHOTO_MAX_HEIGHT / photo.height as f32)
                            .min(text_width / photo.width as f32);
                        let size = (photo.width as f32 * scale, photo.height as f32 * scale);
                        CellLayout {
                            lines: Vec::new(),
                            photo: Some((photo, size.0, size.1)),
                        }
                    }
                })
            })
            .collect()
    }

    /// Places the next `count` lines of each cell (and the photos on the first band of a row)
    /// as one band across the table, taking them out of `cells`.
    fn band(&self, pager: &mut Pager, cells: &mut [CellLayout], count: usize, first: bool) {
        let height = band_height(cells, count, first);
        let top = pager.y;
        let mut x = self.left;
        for (column, cell) in cells.iter_mut().enumerate() {
            let width = self.widths[column];
            if let Some(rect) = Rect::from_xywh(x, top, width, height) {
                pager.push(Op::Border(rect));
            }
            let mut line_top = top + CELL_PADDING;
            for line in cell.lines.drain(..count.min(cell.lines.len())) {
                pager.push(Op::Text {
                    line,
                    x: x + CELL_PADDING,
                    top: line_top,
                    width: width - 2.0 * CELL_PADDING,
                });
                line_top += line_height(TABLE);
            }
            if first
                && let Some((photo, w, h)) = cell.photo.take()
                && let Some(rect) = Rect::from_xywh(x + CELL_PADDING, top + CELL_PADDING, w, h)
            {
                pager.push(Op::Photo { photo, rect });
            }
            x += width;
        }
        pager.y += height;
    }
}

fn band_height(cells: &[CellLayout], lines: usize, with_photos: bool) -> f32 {
    let mut height = line_height(TABLE) * lines.max(1) as f32;
    if with_photos {
        for cell in cells {
            if let Some((_, _, photo_height)) = cell.photo {
                height = height.max(photo_height);
            }
        }
    }
    height + 2.0 * CELL_PADDING
}

pub(crate) fn render(doc: &TableDocument, fonts: &FontSet) -> Result<Vec<u8>, PdfError> {
    let (width, height) = if doc.landscape {
        (A4_LONG, A4_SHORT)
    } else {
        (A4_SHORT, A4_LONG)
    };
    let content_width = width - 2.0 * MARGIN;
    let mut pager = Pager {
        width,
        height,
        pages: Vec::new(),
        y: MARGIN,
        rows_on_page: 0,
    };
    pager.new_page();

    let paragraphs = |texts: &[String], style: Style| -> Vec<Line> {
        texts
            .iter()
            .flat_map(|text| wrap(fonts, text, style, content_width))
            .collect()
    };
    pager.lines(paragraphs(std::slice::from_ref(&doc.title), TITLE));
    pager.lines(paragraphs(&doc.subtitle, BODY));
    pager.y += GAP;

    let table = Table {
        fonts,
        left: MARGIN,
        widths: column_widths(doc, content_width),
    };
    if !doc.columns.is_empty() {
        place_table(doc, &table, &mut pager)?;
    }

    pager.y += GAP;
    pager.lines(paragraphs(&doc.footer, BODY));

    draw(doc, fonts, pager)
}

/// Scales the relative widths to the page; nonsense widths (negative, NaN) count as zero and
/// if nothing is left every column gets the same share.
fn column_widths(doc: &TableDocument, content_width: f32) -> Vec<f32> {
    let relative: Vec<f32> = doc
        .columns
        .iter()
        .map(|c| {
            if c.width.is_finite() && c.width > 0.0 {
                c.width
            } else {
                0.0
            }
        })
        .collect();
    let total: f32 = relative.iter().sum();
    if total > 0.0 && total.is_finite() {
        relative.iter().map(|w| w / total * content_width).collect()
    } else {
        let share = content_width / doc.columns.len().max(1) as f32;
        vec![share; doc.columns.len()]
    }
}

fn place_table(doc: &TableDocument, table: &Table, pager: &mut Pager) -> Result<(), PdfError> {
    let heading_lines = table
        .heading(doc)
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(1);
    let heading_height = band_height(&[], heading_lines, false);
    let place_heading = |pager: &mut Pager| {
        let top = pager.y;
        let mut heading = table.heading(doc);
        let mut x = table.left;
        for width in &table.widths {
            if let Some(rect) = Rect::from_xywh(x, top, *width, heading_height) {
                pager.push(Op::Shade(rect));
            }
            x += width;
        }
        table.band(pager, &mut heading, heading_lines, false);
    };

    if doc.rows.is_empty() {
        if heading_height > pager.remaining() {
            pager.new_page();
        }
        place_heading(pager);
        return Ok(());
    }
    for (index, cells) in doc.rows.iter().enumerate() {
        let mut cells = table.row(index, cells)?;
        let mut first = true;
        loop {
            let lines = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
            if pager.rows_on_page == 0
                && heading_height + band_height(&cells, 1, first) > pager.remaining()
            {
                pager.new_page();
            }
            if pager.rows_on_page == 0 {
                place_heading(pager);
            }
            if band_height(&cells, lines, first) <= pager.remaining() {
                table.band(pager, &mut cells, lines, first);
                pager.rows_on_page += 1;
                break;
            }
            if pager.rows_on_page > 0 {
                pager.new_page();
                continue;
            }
            // A row taller than a whole page: print as many lines as fit, go on overleaf.
            let fit = ((pager.remaining() - 2.0 * CELL_PADDING) / line_height(TABLE)).floor();
            let count = (fit.max(1.0) as usize).min(lines);
            table.band(pager, &mut cells, count, first);
            first = false;
            if count == lines {
                pager.rows_on_page += 1;
                break;
            }
            pager.new_page();
        }
    }
    Ok(())
}

fn draw(doc: &TableDocument, fonts: &FontSet, pager: Pager) -> Result<Vec<u8>, PdfError> {
    let settings = PageSettings::from_wh(pager.width, pager.height)
        .ok_or_else(|| PdfError::Write("invalid page size".to_owned()))?;
    let mut document = Document::new();
    let mut metadata = Metadata::new().creator("Moei".to_owned());
    if !doc.title.trim().is_empty() {
        metadata = metadata.title(doc.title.clone());
    }
    document.set_metadata(metadata);
    let count = pager.pages.len();
    for (index, ops) in pager.pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw_op(&mut surface, fonts, op);
        }
        let number = line(fonts, &format!("{} / {count}", index + 1), PAGE_NUMBER);
        let top = pager.height - MARGIN - line_height(PAGE_NUMBER) + FOOT / 2.0;
        let x = (pager.width - number.width) / 2.0;
        draw_line(&mut surface, fonts, &number, x, top);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}

fn draw_op(surface: &mut Surface, fonts: &FontSet, op: Op) {
    match op {
        Op::Text {
            line,
            x,
            top,
            width,
        } => {
            let x = if line.rtl { x + width - line.width } else { x };
            draw_line(surface, fonts, &line, x, top);
        }
        Op::Shade(rect) => {
            let fill = Fill {
                paint: rgb::Color::new(225, 225, 225).into(),
                ..Fill::default()
            };
            draw_rect(surface, rect, Some(fill), None);
        }
        Op::Border(rect) => {
            let stroke = Stroke {
                paint: rgb::Color::new(120, 120, 120).into(),
                width: 0.5,
                ..Stroke::default()
            };
            draw_rect(surface, rect, None, Some(stroke));
        }
        Op::Photo { photo, rect } => {
            if let Some(size) = Size::from_wh(rect.width(), rect.height()) {
                surface.push_transform(&Transform::from_translate(rect.left(), rect.top()));
                surface.draw_image(photo.image, size);
                surface.pop();
            }
        }
    }
}

fn draw_rect(surface: &mut Surface, rect: Rect, fill: Option<Fill>, stroke: Option<Stroke>) {
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    if let Some(path) = path.finish() {
        surface.set_fill(fill);
        surface.set_stroke(stroke);
        surface.draw_path(&path);
        surface.set_fill(None);
        surface.set_stroke(None);
    }
}

/// Draws a line whose box starts at (`x`, `top`); the baseline sits in the box like the
/// font's ascent would put it.
fn draw_line(surface: &mut Surface, fonts: &FontSet, line: &Line, x: f32, top: f32) {
    let size = line.style.size;
    let baseline = top + size * 1.2;
    let mut x = x;
    surface.set_fill(None);
    surface.set_stroke(None);
    for run in &line.runs {
        surface.draw_glyphs(
            Point::from_xy(x, baseline),
            &run.glyphs,
            fonts.get(run.font).pdf.clone(),
            &run.text,
            size,
            false,
        );
        x += run.width;
    }
}
