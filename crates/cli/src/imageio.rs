//! Reading and writing images for the batch commands: PNG, JPEG, BMP (via `image`) and WSQ
//! (via Huella's own decoder).

use crate::error::{read, CliError};
use std::path::Path;

/// An 8-bit grey image with its resolution when the file states one.
pub struct Gray {
    pub width: u32,
    pub height: u32,
    pub ppi: Option<u32>,
    pub pixels: Vec<u8>,
}

fn is_wsq(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xA0])
}

/// Loads any supported file as 8-bit grey.
pub fn load_gray(path: &Path) -> Result<Gray, CliError> {
    let bytes = read(path)?;
    if is_wsq(&bytes) {
        let img =
            capture::wsq::decode(&bytes).map_err(|e| CliError::new(e.code(), e.to_string()))?;
        return Ok(Gray {
            width: img.width,
            height: img.height,
            ppi: u32::try_from(img.ppi).ok().filter(|&p| p > 0),
            pixels: img.pixels,
        });
    }
    let img = image::load_from_memory(&bytes)
        .map_err(|e| CliError::new("bad_image", format!("{}: {e}", path.display())))?
        .into_luma8();
    Ok(Gray {
        width: img.width(),
        height: img.height(),
        ppi: None,
        pixels: img.into_raw(),
    })
}

/// Loads any supported file as RGBA.
pub fn load_rgba(path: &Path) -> Result<(u32, u32, Vec<u8>), CliError> {
    let bytes = read(path)?;
    let img = image::load_from_memory(&bytes)
        .map_err(|e| CliError::new("bad_image", format!("{}: {e}", path.display())))?
        .into_rgba8();
    Ok((img.width(), img.height(), img.into_raw()))
}

/// Writes 8-bit grey as PNG.
pub fn save_gray_png(path: &Path, width: u32, height: u32, pixels: &[u8]) -> Result<(), CliError> {
    image::save_buffer(path, pixels, width, height, image::ExtendedColorType::L8)
        .map_err(|e| CliError::new("io", format!("{}: {e}", path.display())))
}
