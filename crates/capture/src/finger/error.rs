//! Errors of [`fingerprint_quality`](super::fingerprint_quality).
//!
//! Only the input itself can be refused; a poor or empty image is not an error but a low score
//! with guidance (`sin_huella`, `muy_claro`, …).

use thiserror::Error;

/// Why an image could not be analysed. [`FingerError::code`] is stable for APIs and logs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FingerError {
    /// Width or height is zero.
    #[error("the image is empty (width {width}, height {height})")]
    EmptyImage {
        /// Width given by the caller.
        width: u32,
        /// Height given by the caller.
        height: u32,
    },
    /// The pixel buffer does not hold `width × height` bytes (8-bit gray, one byte a pixel).
    #[error("the buffer holds {actual} bytes but width × height is {expected}")]
    DimensionMismatch {
        /// `width × height`.
        expected: u64,
        /// `gray.len()`.
        actual: u64,
    },
    /// Resolution outside 250–2000 ppi (ISO/IEC 29794-4 defines NFIQ 2 for 500 ppi; other
    /// resolutions are resampled to 500 ppi first).
    #[error("unsupported resolution {ppi} ppi (accepted: 250 to 2000 ppi)")]
    UnsupportedResolution {
        /// Resolution given by the caller.
        ppi: u32,
    },
    /// At 500 ppi the image is smaller than 64 × 64 pixels (about 3 × 3 mm).
    #[error("the image is too small: {width}×{height} pixels at 500 ppi (minimum 64×64)")]
    ImageTooSmall {
        /// Width at 500 ppi.
        width: u32,
        /// Height at 500 ppi.
        height: u32,
    },
    /// The image is larger than 4096 × 4096 pixels, or than 2048 × 2048 at 500 ppi.
    #[error(
        "the image is too large: {width}×{height} pixels (maximum 4096×4096, 2048×2048 at 500 ppi)"
    )]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

impl FingerError {
    /// Stable machine-readable code, e.g. `"dimension_mismatch"`.
    pub fn code(&self) -> &'static str {
        match self {
            FingerError::EmptyImage { .. } => "empty_image",
            FingerError::DimensionMismatch { .. } => "dimension_mismatch",
            FingerError::UnsupportedResolution { .. } => "unsupported_resolution",
            FingerError::ImageTooSmall { .. } => "image_too_small",
            FingerError::ImageTooLarge { .. } => "image_too_large",
        }
    }
}
