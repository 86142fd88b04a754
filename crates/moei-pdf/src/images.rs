//! Photos in cells: checked completely before the PDF is written, so a damaged file is
//! reported with its row and column instead of failing (or printing garbage) later.

use std::io::Cursor;

use krilla::image::Image;

/// Largest photo accepted, in pixels; a passport photo is well under one megapixel, and the
/// limit keeps a hostile file from making us allocate gigabytes.
const MAX_PIXELS: u64 = 40_000_000;

/// A checked photo and its size in pixels.
pub(crate) struct Photo {
    pub(crate) image: Image,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Decodes the whole image (not only its header) and hands the original bytes to krilla,
/// which embeds JPEGs as they are.
pub(crate) fn photo(bytes: &[u8]) -> Result<Photo, String> {
    let (width, height) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        decode_jpeg(bytes)?
    } else {
        return Err("not a JPEG or PNG file".to_owned());
    };
    if width == 0 || height == 0 {
        return Err("the image is empty".to_owned());
    }
    let data = krilla::Data::from(bytes.to_vec());
    let image = if bytes.starts_with(&[0xFF, 0xD8]) {
        Image::from_jpeg(data, true)
    } else {
        Image::from_png(data, true)
    }?;
    Ok(Photo {
        image,
        width,
        height,
    })
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "the image is too large ({width} x {height} pixels)"
        ));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Result<(u32, u32), String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_size(width, height)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "the image is too large".to_owned())?;
    let mut pixels = vec![0; size];
    reader.next_frame(&mut pixels).map_err(|e| e.to_string())?;
    Ok((width, height))
}

fn decode_jpeg(bytes: &[u8]) -> Result<(u32, u32), String> {
    let mut decoder = zune_jpeg::JpegDecoder::new(Cursor::new(bytes));
    decoder.decode_headers().map_err(|e| e.to_string())?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| "the image has no size".to_owned())?;
    let (width, height) = (width as u32, height as u32);
    check_size(width, height)?;
    decoder.decode().map_err(|e| e.to_string())?;
    Ok((width, height))
}
