//! Writes generated document images to a directory, to look at them or to
//! feed them to `moei mrz --image`:
//! `cargo run -p moei-mrz-image --example generate -- DIR [COUNT [--png]]`.
//! Each image `SEED-FORMAT-DEGRADATION.(png|jpg)` comes with a `.txt` of
//! the zone it shows.

use moei_mrz::Format;
use moei_mrz_image::generate::{Degradation, sample};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "mrz-images".into()));
    let count: u64 = args.next().and_then(|c| c.parse().ok()).unwrap_or(1);
    // `--png` writes every image as PNG, to look at JPEG-degraded ones too.
    let png = args.next().as_deref() == Some("--png");
    std::fs::create_dir_all(&dir)?;
    for seed in 0..count {
        for format in [Format::Td1, Format::Td2, Format::Td3] {
            for degradation in Degradation::ALL {
                let s = sample(seed, format, degradation);
                let bytes = if png {
                    moei_mrz_image::generate::encode_png(&s.image)
                } else {
                    s.encoded()
                };
                let ext = if bytes.starts_with(&[0xFF, 0xD8]) {
                    "jpg"
                } else {
                    "png"
                };
                let stem = format!("{seed}-{format}-{}", degradation.name());
                std::fs::write(dir.join(format!("{stem}.{ext}")), bytes)?;
                std::fs::write(dir.join(format!("{stem}.txt")), format!("{}\n", s.zone))?;
            }
        }
    }
    Ok(())
}
