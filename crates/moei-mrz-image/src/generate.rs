//! Synthetic document images for tests and the read-rate measurement: a
//! data page with a photo area, security-print background, labelled text
//! in several sizes and the zone in OCR-B at ICAO's 10 characters per inch,
//! then one of several degradations. Everything is drawn from a seed, so
//! the same seed gives the same image on every machine.

use jiff::civil::Date;
use moei_mrz::{Format, MrzFields, Sex, compose};

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::font;
use crate::raster::Raster;

/// Resolution pages are drawn at before any degradation.
const PAGE_DPI: f32 = 300.0;
/// ICAO Doc 9303 Part 3: 10 characters per inch.
const ZONE_PITCH_MM: f32 = 2.54;

/// The generator's random source: ChaCha8, whose stream for a seed is
/// fixed by its specification, so images do not change between versions.
#[derive(Debug, Clone)]
pub struct Rng(ChaCha8Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f32 {
        let u1 = self.unit().max(1e-7);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
    }
}

/// What is done to a clean page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Degradation {
    /// 300 dpi, straight, no noise.
    Clean,
    /// Gaussian sensor noise (σ 10–18 grey levels) and salt-and-pepper specks.
    Noise,
    /// Gaussian blur, σ 1.2–2.2 pixels at 300 dpi.
    Blur,
    /// Rotated 2–5 degrees either way on a scanner bed.
    Rotation,
    /// Scanned at 150 or 120 dpi and saved as JPEG (quality 75).
    LowResolution,
    /// Rotation up to 5°, blur, 150 dpi, noise and JPEG together.
    Combined,
    /// Phone-photo-like: the page on a textured table, perspective tilt,
    /// uneven light with a shadow, slight blur, noise and JPEG.
    PhonePhoto,
}

impl Degradation {
    pub const ALL: [Degradation; 7] = [
        Degradation::Clean,
        Degradation::Noise,
        Degradation::Blur,
        Degradation::Rotation,
        Degradation::LowResolution,
        Degradation::Combined,
        Degradation::PhonePhoto,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Degradation::Clean => "clean",
            Degradation::Noise => "noise",
            Degradation::Blur => "blur",
            Degradation::Rotation => "rotation",
            Degradation::LowResolution => "low-resolution",
            Degradation::Combined => "combined",
            Degradation::PhonePhoto => "phone-photo",
        }
    }
}

/// One generated image and the zone it shows.
#[derive(Debug, Clone)]
pub struct Sample {
    pub format: Format,
    pub degradation: Degradation,
    /// The zone as printed, lines joined by `\n`.
    pub zone: String,
    /// The degraded image, grey.
    pub image: Raster,
}

impl Sample {
    /// The image encoded as it would arrive: JPEG for the degradations that
    /// include JPEG compression, PNG otherwise.
    pub fn encoded(&self) -> Vec<u8> {
        match self.degradation {
            Degradation::LowResolution => encode_jpeg(&self.image, 75),
            Degradation::Combined => encode_jpeg(&self.image, 70),
            Degradation::PhonePhoto => encode_jpeg(&self.image, 80),
            _ => encode_png(&self.image),
        }
    }
}

pub fn encode_png(raster: &Raster) -> Vec<u8> {
    encode(raster, |buf, pixels, w, h| {
        image::codecs::png::PngEncoder::new(buf).write_image(
            pixels,
            w,
            h,
            image::ExtendedColorType::L8,
        )
    })
}

pub fn encode_jpeg(raster: &Raster, quality: u8) -> Vec<u8> {
    encode(raster, |buf, pixels, w, h| {
        image::codecs::jpeg::JpegEncoder::new_with_quality(buf, quality).write_image(
            pixels,
            w,
            h,
            image::ExtendedColorType::L8,
        )
    })
}

use image::ImageEncoder;

fn encode(
    raster: &Raster,
    write: impl FnOnce(&mut Vec<u8>, &[u8], u32, u32) -> image::ImageResult<()>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let pixels = raster.to_luma8();
    // Encoding an in-memory grey buffer of valid size cannot fail; an empty
    // result would make the reader report a decode error, not a false read.
    if write(
        &mut out,
        &pixels,
        raster.width() as u32,
        raster.height() as u32,
    )
    .is_err()
    {
        out.clear();
    }
    out
}

const STATES: &[&str] = &[
    "MMR", "THA", "CHN", "IND", "VNM", "IDN", "PHL", "LAO", "KHM", "ETH", "KEN", "UGA", "NPL",
    "LKA", "BGD", "PAK", "MYS", "UTO", "D",
];
const SURNAMES: &[&str] = &[
    "AUNG",
    "NGUYEN",
    "WANG",
    "SHARMA",
    "SANTOS",
    "KIPRONO",
    "TESFAYE",
    "SOMCHAI",
    "OKELLO",
    "RAHMAN",
    "PERERA",
    "GURUNG",
    "SUKARNO",
    "PHOMMAVONG",
    "CHEA",
    "DE LA CRUZ",
    "BIN ABDULLAH",
    "MUKHERJEE-ROY",
    "OQUENDO",
    "ZAW",
];
const GIVEN: &[&str] = &[
    "THIHA",
    "MINH ANH",
    "LI",
    "PRIYA",
    "JOSE MARIA",
    "WANJIRU",
    "ABEBE",
    "NARONG",
    "GRACE",
    "MD KARIM",
    "NIMAL",
    "BISHNU",
    "SITI",
    "KHAMLA",
    "SOPHEAP",
    "MARIA CLARA",
    "AHMAD",
    "ROHIT",
    "QUYEN",
    "HLA HLA",
];

/// Random but well-formed zone fields of the given format.
pub fn random_fields(rng: &mut Rng, format: Format) -> MrzFields {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut number = String::new();
    for _ in 0..1 + rng.below(2) {
        number.push(char::from(*rng.pick(letters)));
    }
    while number.len() < 9 {
        number.push(char::from(b'0' + rng.below(10) as u8));
    }
    let birth = date_between(rng, 1960, 2008);
    let expiry = date_between(rng, 2024, 2036);
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect()
    };
    let optional_data = match format {
        Format::Td3 if rng.below(2) == 0 => String::new(),
        Format::Td3 => digits(rng, 10),
        Format::Td1 => format!("{}{}", char::from(*rng.pick(letters)), digits(rng, 6)),
        _ => {
            let n = rng.below(5);
            digits(rng, n)
        }
    };
    let document_code = match format {
        Format::Td3 => "P",
        Format::Td1 => *rng.pick(&["I", "ID", "AC"]),
        _ => *rng.pick(&["I", "C"]),
    };
    let state = rng.pick(STATES).to_string();
    MrzFields {
        format,
        document_code: document_code.into(),
        issuing_state: state.clone(),
        primary_identifier: rng.pick(SURNAMES).to_string(),
        secondary_identifiers: rng.pick(GIVEN).to_string(),
        document_number: number,
        nationality: if rng.below(4) == 0 {
            rng.pick(STATES).to_string()
        } else {
            state
        },
        birth_date: birth,
        sex: *rng.pick(&[Sex::Female, Sex::Male, Sex::Unspecified]),
        expiry_date: expiry,
        optional_data,
        optional_data_2: if format == Format::Td1 {
            let n = rng.below(6);
            digits(rng, n)
        } else {
            String::new()
        },
    }
}

fn date_between(rng: &mut Rng, from_year: i16, to_year: i16) -> Date {
    let year = from_year + rng.below((to_year - from_year) as usize) as i16;
    let month = 1 + rng.below(12) as i8;
    let day = 1 + rng.below(28) as i8;
    Date::new(year, month, day).unwrap_or_default()
}

/// Page size in millimetres: passport page, TD2 card, ID-1 card.
fn page_mm(format: Format) -> (f32, f32) {
    match format {
        Format::Td1 => (85.6, 54.0),
        Format::Td2 | Format::MrvB => (105.0, 74.0),
        Format::Td3 | Format::MrvA => (125.0, 88.0),
    }
}

/// A clean page at 300 dpi showing `fields` and their zone.
pub fn render_page(fields: &MrzFields, zone: &str, rng: &mut Rng) -> Raster {
    let mm = PAGE_DPI / 25.4;
    let (w_mm, h_mm) = page_mm(fields.format);
    let (w, h) = ((w_mm * mm) as usize, (h_mm * mm) as usize);
    let mut page = Raster::new(w, h, 238.0);
    let Some(font) = font::ocr_b() else {
        return page;
    };
    let lines: Vec<&str> = zone.lines().collect();
    let line_gap = 4.2 * mm;
    let zone_bottom = h as f32 - 3.6 * mm;
    let zone_top = zone_bottom - line_gap * lines.len() as f32;

    // Security print: faint waves above the zone's clear area.
    let phase = rng.range(0.0, 6.0);
    page.fill_rect(0, 0, w, zone_top as usize, |x, y| {
        let wave = ((x as f32 * 0.045 + 7.0 * (y as f32 * 0.012 + phase).sin()).sin() + 1.0) / 2.0;
        238.0 - 16.0 * wave
    });
    // Photo area: a shaded ellipse on a grey ground.
    let (px0, py0) = ((5.0 * mm) as usize, (11.0 * mm) as usize);
    let (pw, ph) = (
        (w_mm * 0.25 * mm) as usize,
        ((zone_top / mm - 14.0) * mm) as usize,
    );
    let tone = rng.range(90.0, 170.0);
    page.fill_rect(px0, py0, px0 + pw, py0 + ph, |x, y| {
        let dx = (x as f32 - (px0 + pw / 2) as f32) / (pw as f32 * 0.35);
        let dy = (y as f32 - (py0 + ph / 2) as f32) / (ph as f32 * 0.4);
        if dx * dx + dy * dy < 1.0 {
            tone - 40.0 * dy
        } else {
            200.0 - 30.0 * (y - py0) as f32 / ph as f32
        }
    });

    let title = match fields.format {
        Format::Td3 => "PASSPORT  PASSEPORT",
        _ => "IDENTITY CARD  CARTE D'IDENTITE",
    };
    font::draw_text(&mut page, font, title, 5.0 * mm, 7.5 * mm, 3.6 * mm, 60.0);
    let birth = fields
        .birth_date
        .strftime("%d %b %Y")
        .to_string()
        .to_uppercase();
    let expiry = fields
        .expiry_date
        .strftime("%d %b %Y")
        .to_string()
        .to_uppercase();
    let rows = [
        ("Surname / Nom", fields.primary_identifier.clone()),
        (
            "Given names / Prenoms",
            fields.secondary_identifiers.clone(),
        ),
        ("Nationality", fields.nationality.clone()),
        ("Date of birth", birth),
        ("Sex", fields.sex.as_str().to_string()),
        ("Date of expiry", expiry),
        ("Document no.", fields.document_number.clone()),
    ];
    let x = (px0 + pw) as f32 + 4.0 * mm;
    let mut y = 13.0 * mm;
    for (label, value) in rows {
        if y + 5.5 * mm > zone_top - 2.0 * mm {
            break;
        }
        font::draw_text(&mut page, font, label, x, y, 1.7 * mm, 90.0);
        font::draw_text(&mut page, font, &value, x, y + 3.2 * mm, 2.8 * mm, 25.0);
        y += 5.6 * mm;
    }

    let pitch = ZONE_PITCH_MM * mm;
    let px = font::px_for_pitch(font, pitch);
    let left = (w as f32 - pitch * lines.first().map_or(0, |l| l.len()) as f32) / 2.0;
    for (k, line) in lines.iter().enumerate() {
        let baseline = zone_top + line_gap * (k as f32 + 1.0) - 0.6 * mm;
        font::draw_text(&mut page, font, line, left, baseline, px, 15.0);
    }
    page
}

/// Solves the 8 unknowns of the homography that maps each `from` point
/// onto the matching `to` point.
fn homography(from: [(f32, f32); 4], to: [(f32, f32); 4]) -> Option<[f64; 9]> {
    let mut a = [[0f64; 9]; 8];
    for (k, ((x, y), (u, v))) in from.iter().zip(to.iter()).enumerate() {
        let (x, y, u, v) = (f64::from(*x), f64::from(*y), f64::from(*u), f64::from(*v));
        a[2 * k] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * k + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (value, p) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *value -= f * p;
                }
            }
        }
    }
    let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
    Some([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0])
}

/// An image of `w` × `h` showing `page` with its corners at `corners`
/// (top-left, top-right, bottom-right, bottom-left) on `background`.
fn place(
    page: &Raster,
    w: usize,
    h: usize,
    corners: [(f32, f32); 4],
    background: impl Fn(usize, usize) -> f32,
) -> Raster {
    let (pw, ph) = (page.width() as f32 - 1.0, page.height() as f32 - 1.0);
    let mut out = Raster::new(w, h, 0.0);
    out.fill_rect(0, 0, w, h, &background);
    let Some(m) = homography(corners, [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)]) else {
        return out;
    };
    let data = out.data_mut();
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f64, y as f64);
            let d = m[6] * fx + m[7] * fy + m[8];
            let sx = (m[0] * fx + m[1] * fy + m[2]) / d;
            let sy = (m[3] * fx + m[4] * fy + m[5]) / d;
            if let Some(v) = page.sample(sx as f32, sy as f32) {
                data[y * w + x] = v;
            }
        }
    }
    out
}

/// The page rotated by `degrees` about its centre on a plain ground with a margin.
fn rotate_on_ground(page: &Raster, degrees: f32, ground: f32) -> Raster {
    let margin = page.width() as f32 * 0.08;
    let (w, h) = (
        page.width() as f32 + 2.0 * margin,
        page.height() as f32 + 2.0 * margin,
    );
    let (cx, cy) = (w / 2.0, h / 2.0);
    let (s, c) = degrees.to_radians().sin_cos();
    let (hw, hh) = (page.width() as f32 / 2.0, page.height() as f32 / 2.0);
    let corner = |dx: f32, dy: f32| (cx + dx * c - dy * s, cy + dx * s + dy * c);
    let corners = [
        corner(-hw, -hh),
        corner(hw, -hh),
        corner(hw, hh),
        corner(-hw, hh),
    ];
    place(page, w as usize, h as usize, corners, |_, _| ground)
}

fn add_noise(image: &mut Raster, rng: &mut Rng, sigma: f32, specks: f32) {
    for v in image.data_mut() {
        *v += sigma * rng.normal();
        if rng.unit() < specks {
            *v = if rng.unit() < 0.5 { 0.0 } else { 255.0 };
        }
    }
}

/// The page photographed on a table by a hand-held phone.
fn phone_photo(page: &Raster, rng: &mut Rng) -> Raster {
    let (w, h) = (1600usize, 1200usize);
    let scale = w as f32 * rng.range(0.68, 0.8) / page.width() as f32;
    let (pw, ph) = (page.width() as f32 * scale, page.height() as f32 * scale);
    let (cx, cy) = (
        w as f32 / 2.0 + rng.range(-60.0, 60.0),
        h as f32 / 2.0 + rng.range(-60.0, 60.0),
    );
    let (s, c) = rng.range(-4.0, 4.0).to_radians().sin_cos();
    let mut jitter = || (rng.range(-0.05, 0.05) * pw, rng.range(-0.05, 0.05) * ph);
    let corners =
        [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(sx, sy): (f32, f32)| {
            let (jx, jy) = jitter();
            let (dx, dy) = (sx * pw / 2.0 + jx, sy * ph / 2.0 + jy);
            (cx + dx * c - dy * s, cy + dx * s + dy * c)
        });
    let grain = rng.range(0.0, 10.0);
    let table = rng.range(70.0, 130.0);
    let mut photo = place(page, w, h, corners, |x, y| {
        table + 18.0 * ((x as f32 * 0.02 + grain + (y as f32 * 0.004).sin() * 3.0).sin())
    });
    // Light falling off across the frame, and a soft shadow over one side.
    let (lx, ly) = (rng.range(-1.0, 1.0), rng.range(-1.0, 1.0));
    let shadow_edge = rng.range(0.2, 0.8) * w as f32;
    let shadow_slope = rng.range(-0.5, 0.5);
    let shadow_depth = rng.range(0.25, 0.45);
    let data = photo.data_mut();
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = (x as f32 / w as f32 - 0.5, y as f32 / h as f32 - 0.5);
            let light = 0.85 + 0.25 * (lx * nx + ly * ny);
            let edge = shadow_edge + shadow_slope * y as f32;
            let t = ((edge - x as f32) / 60.0).clamp(0.0, 1.0);
            data[y * w + x] *= light * (1.0 - shadow_depth * t);
        }
    }
    let mut photo = photo.gaussian_blur(rng.range(0.6, 1.2));
    add_noise(&mut photo, rng, 6.0, 0.0);
    photo
}

/// Applies a degradation to a clean 300 dpi page.
pub fn degrade(page: &Raster, degradation: Degradation, rng: &mut Rng) -> Raster {
    let signed = |rng: &mut Rng, lo: f32, hi: f32| {
        let v = rng.range(lo, hi);
        if rng.below(2) == 0 { v } else { -v }
    };
    match degradation {
        Degradation::Clean => page.clone(),
        Degradation::Noise => {
            let mut out = page.clone();
            let sigma = rng.range(10.0, 18.0);
            add_noise(&mut out, rng, sigma, 0.002);
            out
        }
        Degradation::Blur => page.gaussian_blur(rng.range(1.2, 2.2)),
        Degradation::Rotation => rotate_on_ground(page, signed(rng, 2.0, 5.0), 250.0),
        Degradation::LowResolution => {
            let factor = if rng.below(2) == 0 { 2.0 } else { 2.5 };
            page.downscale(factor)
        }
        Degradation::Combined => {
            let rotated = rotate_on_ground(page, signed(rng, 0.0, 5.0), 250.0);
            let mut out = rotated.gaussian_blur(rng.range(0.8, 1.4)).downscale(2.0);
            add_noise(&mut out, rng, 8.0, 0.0);
            out
        }
        Degradation::PhonePhoto => phone_photo(page, rng),
    }
}

/// The image for `seed`: random fields of `format`, rendered and degraded.
pub fn sample(seed: u64, format: Format, degradation: Degradation) -> Sample {
    let mut rng = Rng::new(seed);
    let fields = random_fields(&mut rng, format);
    let zone = compose(&fields)
        .map(|mrz| mrz.lines().collect::<Vec<_>>().join("\n"))
        .unwrap_or_default();
    let page = render_page(&fields, &zone, &mut rng);
    let image = degrade(&page, degradation, &mut rng);
    Sample {
        format,
        degradation,
        zone,
        image,
    }
}
