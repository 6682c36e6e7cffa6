//! `huella quality finger IMAGE`, `huella quality face IMAGE`.

use crate::error::{print_json, CliError};
use crate::imageio::{load_gray, load_rgba};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum QualityCommand {
    /// NFIQ 2-style fingerprint quality (PNG/JPEG/BMP/WSQ, 8-bit grey).
    Finger(FingerArgs),
    /// Face detection and ICAO/ISO quality measures (PNG/JPEG/BMP).
    Face(FaceArgs),
}

#[derive(Args)]
pub struct FingerArgs {
    pub image: PathBuf,
    /// Resolution when the file does not state it.
    #[arg(long, default_value_t = 500)]
    pub ppi: u32,
}

#[derive(Args)]
pub struct FaceArgs {
    pub image: PathBuf,
}

pub fn run(cmd: QualityCommand) -> Result<(), CliError> {
    match cmd {
        QualityCommand::Finger(a) => {
            let img = load_gray(&a.image)?;
            let q = capture::finger::fingerprint_quality(
                &img.pixels,
                img.width,
                img.height,
                img.ppi.unwrap_or(a.ppi),
            )
            .map_err(|e| CliError::new(e.code(), e.to_string()))?;
            print_json(&q)
        }
        QualityCommand::Face(a) => {
            let (w, h, rgba) = load_rgba(&a.image)?;
            let q = capture::face::face_quality(&rgba, w, h)
                .map_err(|e| CliError::new(e.code(), e.to_string()))?;
            print_json(&q)
        }
    }
}
