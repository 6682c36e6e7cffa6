//! Best frame of a burst, kept as JPEG (ITU-T T.81 baseline, via the pure-Rust `jpeg-encoder`).

use serde::{Deserialize, Serialize};

use super::quality::{face_quality, FaceQuality};
use super::FaceError;

/// JPEG quality of the kept frame (libjpeg scale 1–100). 90 keeps skin texture and eye detail
/// that OFIQ-style re-assessment needs, at roughly 60–90 KB for a 640×480 portrait.
pub const JPEG_QUALITY: u8 = 90;

/// The frame kept from a burst.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BestFrame {
    /// Index of the kept frame in the burst.
    pub index: usize,
    /// Scores of every frame, in burst order.
    pub scores: Vec<u8>,
    /// Quality of the kept frame.
    pub quality: FaceQuality,
    /// The kept frame, JPEG at [`JPEG_QUALITY`], full frame, no crop.
    #[serde(skip)]
    pub jpeg: Vec<u8>,
}

/// Scores each RGBA frame of a burst (all `width × height`), keeps the highest score (the
/// earliest on ties) and encodes it as JPEG.
pub fn best_frame(frames: &[&[u8]], width: u32, height: u32) -> Result<BestFrame, FaceError> {
    let mut best: Option<(usize, FaceQuality)> = None;
    let mut scores = Vec::with_capacity(frames.len());
    for (i, f) in frames.iter().enumerate() {
        let q = face_quality(f, width, height)?;
        scores.push(q.score);
        if best.as_ref().is_none_or(|(_, b)| q.score > b.score) {
            best = Some((i, q));
        }
    }
    let (index, quality) = best.ok_or(FaceError::NoFrames)?;
    let rgba = frames.get(index).ok_or(FaceError::NoFrames)?;
    let jpeg = encode_jpeg(rgba, width, height, JPEG_QUALITY)?;
    Ok(BestFrame {
        index,
        scores,
        quality,
        jpeg,
    })
}

/// Encodes an RGBA frame as baseline JPEG (alpha dropped, 4:2:0 chroma).
pub fn encode_jpeg(
    rgba: &[u8],
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>, FaceError> {
    let (w, h) = match (u16::try_from(width), u16::try_from(height)) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => (w, h),
        _ => return Err(FaceError::BadSize { width, height }),
    };
    let expected = usize::from(w) * usize::from(h) * 4;
    if rgba.len() != expected {
        return Err(FaceError::BadLength {
            expected,
            actual: rgba.len(),
        });
    }
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    enc.encode(rgba, w, h, jpeg_encoder::ColorType::Rgba)
        .map_err(|e| FaceError::Jpeg(e.to_string()))?;
    Ok(out)
}
