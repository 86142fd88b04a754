//! moei-pdf checked from the outside: every PDF is read back with poppler (`pdftotext`,
//! `pdfinfo`, `pdfimages`), an independent reader, so the tests see what a printer or a
//! search box would see.

// Helpers outside #[test] functions unwrap too: a failed setup should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use moei_pdf::{Cell, Column, PdfError, TableDocument, render};
use proptest::prelude::*;
use sample::{NAMES, png_photo, roll_columns, roll_row, text};

mod sample;

fn tmp_path(extension: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("moei-pdf-{}-{n}.{extension}", std::process::id()))
}

/// Runs a poppler tool on the PDF and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let path = tmp_path("pdf");
    std::fs::write(&path, pdf).unwrap();
    let path_arg = path.to_str().unwrap();
    let mut full: Vec<&str> = args.to_vec();
    full.push(path_arg);
    if tool == "pdftotext" {
        full.push("-");
    }
    let output = Command::new(tool)
        .args(&full)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    std::fs::remove_file(&path).unwrap();
    assert!(
        output.status.success(),
        "{tool} rejected the PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn page_count(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

fn roll(rows: usize, landscape: bool) -> TableDocument {
    TableDocument {
        title: "Nominal roll — ทะเบียนรายชื่อ".to_owned(),
        subtitle: vec![
            "Produced at Mae Sot registration desk for the embassy".to_owned(),
            "Disclosure under the referral agreement".to_owned(),
        ],
        columns: roll_columns(),
        rows: (0..rows)
            .map(|i| roll_row(i, NAMES[i % NAMES.len()].1, Cell::Empty))
            .collect(),
        footer: vec!["Received by: ____________________".to_owned()],
        landscape,
    }
}

/// pdftotext ends each page with a form feed.
fn pages(extracted: &str) -> Vec<&str> {
    let mut pages: Vec<&str> = extracted.split('\u{c}').collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn every_script_extracts_exactly_over_several_pages() {
    let doc = roll(120, false);
    let pdf = render(&doc).unwrap();
    // Kept for a person to look at (pdftoppm -png) after the test run.
    std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("moei-pdf-sample-roll.pdf"),
        &pdf,
    )
    .unwrap();
    let extracted = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    for (script, name) in NAMES {
        assert!(
            extracted.contains(name),
            "{script} name {name:?} is not in the extracted text"
        );
    }
    for i in 0..120 {
        assert!(
            extracted.contains(&format!("MSOT-{i:06}")),
            "row {i} missing"
        );
    }

    let count = page_count(&pdf);
    assert!(
        count >= 3,
        "120 rows should take several pages, took {count}"
    );
    let pages = pages(&extracted);
    assert_eq!(pages.len(), count);
    for (index, page) in pages.iter().enumerate() {
        // Printed "n / N"; poppler drops the spaces around the slash when it extracts.
        let number = format!("{}/{count}", index + 1);
        assert!(
            page.lines().any(|l| l.replace(' ', "") == number),
            "page {} has no page number: {page}",
            index + 1
        );
        assert!(
            page.contains("Family name") && page.contains("Name in original script"),
            "page {} does not repeat the heading row",
            index + 1
        );
    }
    assert!(pages[0].contains("Nominal roll — ทะเบียนรายชื่อ"));
    assert!(pages[count - 1].contains("Received by:"));
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let pdf = render(&roll(NAMES.len(), false)).unwrap();
    let fonts = poppler("pdffonts", &[], &pdf);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        embedded.len() >= 10,
        "one font per script expected:\n{fonts}"
    );
    for line in embedded {
        // Columns: name, type, encoding, emb, sub, uni, object ID.
        let flags: Vec<&str> = line.split_whitespace().rev().skip(2).take(3).collect();
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "not embedded, subset, with ToUnicode: {line}"
        );
    }
    assert!(
        pdf.len() < 400_000,
        "subsetting should keep a one-page roll small, it is {} bytes",
        pdf.len()
    );
}

#[test]
fn landscape_is_a4_landscape_and_portrait_a4_portrait() {
    let landscape = poppler("pdfinfo", &[], &render(&roll(3, true)).unwrap());
    assert!(landscape.contains("841.89 x 595.28 pts"), "{landscape}");
    let portrait = poppler("pdfinfo", &[], &render(&roll(3, false)).unwrap());
    assert!(portrait.contains("595.28 x 841.89 pts"), "{portrait}");
}

#[test]
fn long_text_wraps_in_its_cell_and_a_row_taller_than_a_page_continues_overleaf() {
    let words: Vec<String> = (0..900).map(|i| format!("w{i}")).collect();
    let mut doc = roll(2, false);
    doc.rows[1][3] = Cell::Text(words.join(" "));
    let pdf = render(&doc).unwrap();
    assert!(page_count(&pdf) >= 2);
    let extracted = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    let found: Vec<&str> = extracted
        .split_whitespace()
        .filter(|w| w.starts_with('w') && w[1..].parse::<u32>().is_ok())
        .collect();
    assert_eq!(found, words, "every word, once, in order");
}

#[test]
fn a_word_wider_than_its_column_is_broken_not_lost() {
    // About four times the width of the page.
    let long = "ABCDEFGHIJ".repeat(40);
    let doc = TableDocument {
        columns: vec![Column {
            heading: "Name".to_owned(),
            width: 1.0,
        }],
        rows: vec![vec![text(&long)]],
        ..TableDocument::default()
    };
    let pdf = render(&doc).unwrap();
    let extracted = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    let lines: Vec<&str> = extracted
        .lines()
        .filter(|l| !l.is_empty() && l.chars().all(|c| ('A'..='J').contains(&c)))
        .collect();
    assert!(lines.len() >= 4, "{extracted}");
    assert_eq!(lines.concat(), long);
}

fn photo_png() -> Vec<u8> {
    png_photo(24, 32)
}

const PHOTO_JPEG: &[u8] = include_bytes!("photo.jpg");

#[test]
fn photos_print_in_their_cells() {
    let mut doc = roll(3, false);
    doc.rows[0][7] = Cell::Image(photo_png());
    doc.rows[2][7] = Cell::Image(PHOTO_JPEG.to_vec());
    let pdf = render(&doc).unwrap();
    let list = poppler("pdfimages", &["-list"], &pdf);
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(images.len(), 2, "{list}");
    assert!(
        images
            .iter()
            .any(|l| l.contains(" 24 ") && l.contains(" 32 ")),
        "{list}"
    );
    assert!(images.iter().any(|l| l.contains(" jpeg ")), "{list}");
}

fn bad_image_error(bytes: Vec<u8>) -> (usize, usize, String) {
    let mut doc = roll(5, false);
    doc.rows[3][7] = Cell::Image(bytes);
    match render(&doc) {
        Err(PdfError::BadImage {
            row,
            column,
            reason,
        }) => (row, column, reason),
        other => panic!("expected BadImage, got {:?}", other.map(|b| b.len())),
    }
}

#[test]
fn a_bad_image_names_its_row_and_column() {
    let (row, column, reason) = bad_image_error(b"not an image at all".to_vec());
    assert_eq!((row, column), (3, 7));
    assert!(reason.contains("not a JPEG or PNG"), "{reason}");

    let png = photo_png();
    let (row, column, _) = bad_image_error(png[..png.len() / 2].to_vec());
    assert_eq!((row, column), (3, 7));

    let (row, column, _) = bad_image_error(PHOTO_JPEG[..PHOTO_JPEG.len() / 2].to_vec());
    assert_eq!((row, column), (3, 7));

    let (row, column, _) = bad_image_error(PHOTO_JPEG[..20].to_vec());
    assert_eq!((row, column), (3, 7));

    let error = PdfError::BadImage {
        row,
        column,
        reason: "x".to_owned(),
    };
    assert_eq!(
        error.to_string(),
        "row 3, column 7: the image cannot be read: x"
    );
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_refused() {
    let mut doc = roll(4, false);
    doc.rows[2].pop();
    match render(&doc) {
        Err(PdfError::RowWidth {
            row,
            expected,
            found,
        }) => assert_eq!((row, expected, found), (2, 8, 7)),
        other => panic!("expected RowWidth, got {:?}", other.map(|b| b.len())),
    }
}

#[test]
fn an_empty_document_is_still_a_pdf() {
    let pdf = render(&TableDocument::default()).unwrap();
    assert_eq!(page_count(&pdf), 1);
    let pdf = render(&roll(0, true)).unwrap();
    let extracted = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    assert!(extracted.contains("Family name"));
}

/// Text from every script Moei prints, plus controls, marks alone, and characters no font has.
fn any_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        prop::sample::select(NAMES.iter().map(|(_, n)| n.to_string()).collect::<Vec<_>>()),
        "\\PC{0,30}",
        ".{0,12}",
        prop::sample::select(vec![
            "\u{094D}\u{094D}".to_owned(),
            "\u{0E48}".to_owned(),
            "\u{200D}\u{200C}".to_owned(),
            "\n\n\t\r".to_owned(),
            "\u{202E}abc\u{202C}".to_owned(),
            "ழ𐀀🙂".to_owned(),
        ]),
    ];
    prop::collection::vec(pieces, 0..4).prop_map(|v| v.concat())
}

fn any_cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        8 => any_text().prop_map(Cell::Text),
        1 => Just(Cell::Empty),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Cell::Image),
    ]
}

fn any_document() -> impl Strategy<Value = TableDocument> {
    (1usize..6).prop_flat_map(|columns| {
        (
            any_text(),
            prop::collection::vec(any_text(), 0..3),
            prop::collection::vec(
                (
                    any_text(),
                    prop_oneof![Just(-1.0f32), Just(f32::NAN), 0.0f32..5.0],
                ),
                columns,
            ),
            prop::collection::vec(prop::collection::vec(any_cell(), columns), 0..40),
            prop::collection::vec(any_text(), 0..3),
            any::<bool>(),
        )
            .prop_map(|(title, subtitle, columns, rows, footer, landscape)| {
                TableDocument {
                    title,
                    subtitle,
                    columns: columns
                        .into_iter()
                        .map(|(heading, width)| Column { heading, width })
                        .collect(),
                    rows,
                    footer,
                    landscape,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_documents_never_panic_and_always_parse(doc in any_document()) {
        match render(&doc) {
            Ok(pdf) => {
                prop_assert!(page_count(&pdf) >= 1);
                poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
            }
            // Random bytes are almost never an image; nothing else may fail.
            Err(PdfError::BadImage { row, column, .. }) => {
                prop_assert!(matches!(doc.rows[row][column], Cell::Image(_)));
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}
