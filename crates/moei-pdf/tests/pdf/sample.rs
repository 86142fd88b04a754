//! The sample nominal roll shared by the tests and the benchmark.

use moei_pdf::{Cell, Column};

/// Names as the documents write them, one per script Moei prints.
pub const NAMES: &[(&str, &str)] = &[
    ("Thai", "สมชาย ใจดี"),
    ("Thai with marks", "กิ่งแก้ว ศรีสุวรรณ์"),
    ("Chinese", "王秀英"),
    ("Chinese", "欧阳建国"),
    ("Hindi conjunct", "क्षत्रिय"),
    ("Hindi", "प्रकाश कुमार"),
    ("Hindi", "श्रीनिवास द्विवेदी"),
    ("Burmese", "အောင်ဆန်းစုကြည်"),
    ("Burmese", "မြင့်မြတ်"),
    ("Vietnamese", "Nguyễn Thị Hương"),
    ("Vietnamese", "Trần Đức Thắng"),
    ("Bengali", "রবীন্দ্রনাথ ঠাকুর"),
    ("Khmer", "សុខ ស្រីពៅ"),
    ("Lao", "ສົມພອນ ແກ້ວມະນີ"),
    ("Amharic", "አበበ ቢቂላ"),
    ("Urdu", "محمد عمران"),
    ("Sinhala", "කුමාර පෙරේරා"),
];

pub fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

pub fn roll_columns() -> Vec<Column> {
    [
        ("Registration no.", 1.3),
        ("Family name", 1.2),
        ("Given name", 1.2),
        ("Name in original script", 2.4),
        ("Sex", 0.5),
        ("Date of birth", 1.0),
        ("Nationality", 0.9),
        ("Photo", 0.8),
    ]
    .into_iter()
    .map(|(heading, width)| Column {
        heading: heading.to_owned(),
        width,
    })
    .collect()
}

pub fn roll_row(index: usize, original: &str, photo: Cell) -> Vec<Cell> {
    vec![
        text(&format!("MSOT-{index:06}")),
        text(&format!("Family{index}")),
        text("Given"),
        text(original),
        text("F"),
        text("1990-04-12"),
        text("XXX"),
        photo,
    ]
}

/// A PNG of `width` x `height` pixels with a colour pattern, made here so no binary fixture is
/// needed.
pub fn png_photo(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels));
    assert!(written.is_ok(), "the sample photo cannot be encoded");
    bytes
}
