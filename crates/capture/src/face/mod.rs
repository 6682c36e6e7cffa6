//! Face capture quality and liveness, in plain Rust (native and wasm32).
//!
//! - [`face_quality`]: detects faces in an RGBA frame with OpenCV's LBP frontal-face cascade
//!   and Haar eye cascade (compiled in from `data/face/`, ~41 KB, BSD-licensed; no model is
//!   fetched at run time) and measures what ISO/IEC 29794-5:2025 (OFIQ) and the ICAO 9303 /
//!   ICAO Portrait Quality guidance ask of a portrait: a single face, inter-eye distance
//!   (ICAO ≥ 90 px), centring, head roll and yaw, sharpness, exposure, dynamic range,
//!   left/right illumination, background uniformity and light behind the subject, eyes open.
//!   It returns every value, a 0–100 score and instructions in Spanish.
//! - [`best_frame`]: picks the best frame of a burst and encodes it as JPEG.
//! - [`liveness`]: a nonce-derived active challenge judged over a frame sequence, plus passive
//!   cues (still photo, screen moiré and flicker, flat print texture), with the evidence.
//!
//! Frames are unmirrored camera frames: the subject's left is on the image's right.

mod burst;
mod cascade;
mod detect;
mod image;
pub mod liveness;
mod measures;
mod quality;

pub use burst::{best_frame, encode_jpeg, BestFrame, JPEG_QUALITY};
pub use detect::{DetectedFace, FaceBox, Point};
pub use liveness::{Challenge, LivenessDecision, LivenessResult, LivenessSession};
pub use measures::FaceMeasures;
pub use quality::{face_quality, FaceQuality, Instruction};

/// Errors of the face module. Each has a stable [`FaceError::code`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FaceError {
    /// Width or height is zero or larger than [`image::MAX_SIDE`] (8192).
    #[error("frame size {width}x{height} is not supported (1..=8192 per side)")]
    BadSize { width: u32, height: u32 },
    /// The RGBA buffer does not hold `width * height * 4` bytes.
    #[error("RGBA buffer has {actual} bytes, expected {expected} (width * height * 4)")]
    BadLength { expected: usize, actual: usize },
    /// The compiled-in cascade data is damaged (a build problem, never caused by input).
    #[error("face model data is invalid: {0}")]
    Model(&'static str),
    /// `best_frame` was given no frame.
    #[error("no frame was given")]
    NoFrames,
    /// The JPEG encoder refused the frame.
    #[error("JPEG encoding failed: {0}")]
    Jpeg(String),
}

impl FaceError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            FaceError::BadSize { .. } => "face_bad_size",
            FaceError::BadLength { .. } => "face_bad_length",
            FaceError::Model(_) => "face_model",
            FaceError::NoFrames => "face_no_frames",
            FaceError::Jpeg(_) => "face_jpeg",
        }
    }
}

/// Detects faces (largest first) with their eyes, without measuring quality.
pub fn detect(rgba: &[u8], width: u32, height: u32) -> Result<Vec<DetectedFace>, FaceError> {
    let frame = image::Frame::new(rgba, width, height)?;
    detect::detect_faces(&frame.gray)
}
