//! `huella scanner emulate`: the real U.are.U 4500 driver against the device emulator.

use crate::error::{print_json, CliError};
use crate::imageio::{load_gray, save_gray_png};
use clap::Args;
use scanner::{emulate_capture, Fault, GrayImage};
use std::path::PathBuf;

#[derive(Args)]
pub struct EmulateArgs {
    /// The print the emulated finger presses (PNG/JPEG/BMP/WSQ); fitted to 384×290 by
    /// centre-cropping larger and white-padding smaller images.
    #[arg(long)]
    pub image: PathBuf,
    /// Where to write the captured image (PNG).
    #[arg(long)]
    pub out: PathBuf,
    /// Scramble frame blocks as the device firmware does.
    #[arg(long)]
    pub scramble: bool,
    /// Inject a fault: stall, short-frame, trouble, unplug or no-finger.
    #[arg(long)]
    pub fault: Option<Fault>,
}

pub fn emulate(a: EmulateArgs) -> Result<(), CliError> {
    let src = load_gray(&a.image)?;
    let img = GrayImage::new(src.width, src.height, src.pixels)
        .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let (captured, stats) = emulate_capture(img, a.scramble, a.fault)
        .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let out = &captured.image;
    save_gray_png(&a.out, out.width(), out.height(), out.pixels())?;
    print_json(&serde_json::json!({
        "captured": true,
        "out": a.out.display().to_string(),
        "width": out.width(),
        "height": out.height(),
        "ppi": captured.ppi,
        "scrambled": captured.scrambled,
        "flipped": captured.flipped,
        "frame_index": captured.frame_index,
        "stats": {
            "power_up_attempts": stats.power_up_attempts,
            "frames_read": stats.frames_read,
            "good_frames": stats.good_frames,
            "bad_frames": stats.bad_frames,
            "stalls": stats.stalls,
            "trouble_messages": stats.trouble_messages,
            "keys_fetched": stats.keys_fetched,
            "finger_to_image_ms": stats.finger_to_image_ms,
        }
    }))
}
