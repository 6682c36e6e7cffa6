//! `huella wsq encode IN OUT [--bitrate 0.75] [--ppi 500]`, `huella wsq decode IN OUT.png`.

use crate::error::{print_json, CliError};
use crate::imageio::{load_gray, save_gray_png};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum WsqCommand {
    /// Compress an 8-bit grey image (PNG/JPEG/BMP) to WSQ.
    Encode(EncodeArgs),
    /// Decompress a WSQ file to PNG.
    Decode(DecodeArgs),
}

#[derive(Args)]
pub struct EncodeArgs {
    pub input: PathBuf,
    pub output: PathBuf,
    /// Target bits per pixel: 0.75 ≈ 15:1 (FBI usual), 2.25 ≈ 5:1.
    #[arg(long, default_value_t = 0.75)]
    pub bitrate: f32,
    #[arg(long, default_value_t = 500)]
    pub ppi: i32,
}

#[derive(Args)]
pub struct DecodeArgs {
    pub input: PathBuf,
    pub output: PathBuf,
}

fn wsq_err(e: capture::wsq::WsqError) -> CliError {
    CliError::new(e.code(), e.to_string())
}

pub fn run(cmd: WsqCommand) -> Result<(), CliError> {
    match cmd {
        WsqCommand::Encode(a) => {
            let img = load_gray(&a.input)?;
            let wsq = capture::wsq::encode(&img.pixels, img.width, img.height, a.ppi, a.bitrate)
                .map_err(wsq_err)?;
            std::fs::write(&a.output, &wsq).map_err(|e| CliError::io(&a.output, e))?;
            print_json(&serde_json::json!({
                "out": a.output.display().to_string(),
                "width": img.width, "height": img.height, "ppi": a.ppi, "bitrate": a.bitrate,
                "bytes": wsq.len(),
                "ratio": (img.pixels.len() as f64) / (wsq.len() as f64),
            }))
        }
        WsqCommand::Decode(a) => {
            let bytes = crate::error::read(&a.input)?;
            let img = capture::wsq::decode(&bytes).map_err(wsq_err)?;
            save_gray_png(&a.output, img.width, img.height, &img.pixels)?;
            print_json(&serde_json::json!({
                "out": a.output.display().to_string(),
                "width": img.width, "height": img.height, "ppi": img.ppi,
            }))
        }
    }
}
