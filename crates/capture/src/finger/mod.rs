//! NFIQ 2-style fingerprint image quality (ISO/IEC 29794-4:2024, NIST NFIQ 2).
//!
//! [`fingerprint_quality`] takes an 8-bit gray image (one byte a pixel, row-major) and its
//! resolution, and returns a [`FingerQuality`]: a 0–100 score, every feature it was fused from,
//! the foreground box and area, and guidance with Spanish text for the person at the scanner.
//! [`Thresholds`] holds per-finger acceptance rules.
//!
//! Pipeline (all at 500 ppi; other resolutions are resampled first):
//! 1. [`segment`]: 16 × 16 block statistics, Sobel gradient covariance, foreground mask (§7.2).
//! 2. [`features`]: on 32 × 32 foreground blocks, orientation certainty, orientation flow,
//!    coherence, and ([`ridge`]) local clarity, ridge/valley uniformity and frequency domain
//!    analysis (§7.4); minutiae count and quality in the foreground ([`minutiae`], §7.5).
//! 3. [`fusion`]: a small model trained offline to rank images like NFIQ 2 (§8).
//! 4. [`guidance`]: actionable feedback (§9).
//!
//! No threads, no clock, no I/O: the same code runs natively and in wasm32.

mod error;
mod features;
mod fusion;
mod guidance;
mod image;
mod minutiae;
mod model;
mod ridge;
mod segment;
mod thresholds;

pub use error::FingerError;
pub use features::{FingerFeatures, Foreground};
pub use fusion::fusion_inputs;
pub use guidance::{Guidance, GuidanceCode};
pub use model::{INPUT_NAMES as FUSION_INPUT_NAMES, TRAINED_ON};
pub use thresholds::{FingerThreshold, Thresholds};

use serde::{Deserialize, Serialize};

/// Quality report of one fingerprint image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FingerQuality {
    /// 0 (unusable or no fingerprint) to 100 (excellent), ranking images like NFIQ 2.
    pub score: u8,
    /// Every feature the score was fused from.
    pub features: FingerFeatures,
    /// Foreground (the finger) in the caller's pixels.
    pub foreground: Foreground,
    /// Foreground area in mm².
    pub foreground_area_mm2: f32,
    /// What to fix, most important first; empty for a good capture.
    pub guidance: Vec<Guidance>,
}

/// Measures the quality of a fingerprint image.
///
/// `gray` holds `width × height` 8-bit gray pixels, row-major, dark ridges on a light
/// background; `ppi` is the resolution (250–2000; 500 is native).
///
/// # Errors
/// Only for unusable input: empty or mismatched buffer, unsupported resolution, image smaller
/// than 64 × 64 or larger than 4096 × 4096 pixels. An image without a fingerprint is not an
/// error: it scores 0 with the guidance `sin_huella`.
pub fn fingerprint_quality(
    gray: &[u8],
    width: u32,
    height: u32,
    ppi: u32,
) -> Result<FingerQuality, FingerError> {
    let img = image::prepare(gray, width, height, ppi)?;
    let blocks = segment::analyse(&img);
    let (features, fg500) = features::measure(&img, &blocks);
    let score = fusion::score(&features);
    let guidance = guidance::derive(&features, &fg500, img.w as u32, img.h as u32);

    // Back to the caller's pixels.
    let k = ppi as f32 / image::PPI as f32;
    let k = if ppi.abs_diff(image::PPI) <= 10 {
        1.0
    } else {
        k
    };
    let scale = |v: u32| (v as f32 * k).round() as u32;
    let foreground = Foreground {
        x: scale(fg500.x).min(width),
        y: scale(fg500.y).min(height),
        width: scale(fg500.width).min(width),
        height: scale(fg500.height).min(height),
        area_px: (fg500.area_px as f32 * k * k).round() as u32,
    };
    let px_per_mm = features::PX_PER_MM;
    Ok(FingerQuality {
        score,
        features,
        foreground,
        foreground_area_mm2: fg500.area_px as f32 / (px_per_mm * px_per_mm),
        guidance,
    })
}
