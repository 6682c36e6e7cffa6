//! FBI WSQ grey-scale fingerprint image codec (encoder and decoder), in pure Rust.
//!
//! Implements the *WSQ Gray-scale Fingerprint Image Compression Specification* (FBI CJIS
//! IAFIS-IC-0110, v3.1) as NIST's NBIS 5.0 does (`cwsq`/`dwsq`); section numbers in this
//! module's docs refer to Huella's implementer's reference `shared/wsq.md`.
//!
//! - [`encode`] writes, for the same pixels, bit rate and ppi, the same bytes as NBIS's
//!   `wsq_encode_mem` (it emulates NBIS's f32/f64 arithmetic step by step). The one
//!   deliberate exception: where NBIS would overflow its 16-bit quantised coefficients and
//!   write a damaged image (rare, high bit rates only), Huella widens that subband's bins.
//! - [`decode`] reads NBIS's files and those of other certified encoders, agreeing with NBIS's
//!   own decoder to ±1 grey level. It validates everything NBIS skips: truncated, corrupt or
//!   hostile input gives a [`WsqError`], never a panic, and allocation is capped by
//!   [`DEFAULT_MAX_PIXELS`] (or the limit given to [`decode_with_limit`]).
//!
//! Pipeline (§0): pixels → normalise → 20 wavelet splits (CDF 9/7) → 64 subbands → variances
//! → bit allocation → scalar quantisation → run/escape symbols → 2 Huffman tables → segments.
//!
//! Decisions where the text is loose:
//! - The encoder refuses images under 81 pixels on a side ([`MIN_ENCODE_SIDE`], §7.5); the
//!   decoder reads any size from 1×1 up.
//! - Restart intervals (DRT/RSTm) are rejected, as NBIS does; filters must be odd-length.
//! - A file must decode to exactly the number of coefficients its subbands hold.
//!
//! No I/O, no threads, no clocks: runs unchanged on wasm32.
//!
//! ```
//! use capture::wsq;
//! let (w, h) = (96u32, 96u32);
//! let gray: Vec<u8> = (0..w * h).map(|i| ((i % w) * 2 + (i / w)) as u8).collect();
//! let file = wsq::encode(&gray, w, h, 500, 2.25)?;
//! let img = wsq::decode(&file)?;
//! assert_eq!((img.width, img.height, img.ppi), (w, h, 500));
//! # Ok::<(), wsq::WsqError>(())
//! ```

mod decoder;
mod encoder;
mod entropy;
mod error;
mod huffman;
mod quant;
mod segments;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
mod tree;
mod wavelet;

pub use error::WsqError;

/// Smallest width and height [`encode`] accepts.
pub const MIN_ENCODE_SIDE: u32 = 81;

/// Largest image (width × height) encoded or decoded by default: 4096 × 4096, a full
/// ten-print card at 500 ppi. It bounds the decoder's allocation to about 130 MB.
pub const DEFAULT_MAX_PIXELS: u64 = 4096 * 4096;

/// A decoded WSQ image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Scan resolution from the file's NISTCOM comment, or -1 when the file does not say.
    pub ppi: i32,
    /// Row-major 8-bit grey levels, `width * height` bytes.
    pub pixels: Vec<u8>,
}

/// Compresses an 8-bit grey image (row-major, `width * height` bytes) to WSQ.
///
/// `bitrate` is the target in bits per pixel, in (0, 8]: 0.75 gives about 15:1 (the FBI's
/// usual setting), 2.25 about 5:1. `ppi` is recorded in the NISTCOM comment (use -1 when
/// unknown). Both sides must be at least [`MIN_ENCODE_SIDE`] pixels and the image at most
/// [`DEFAULT_MAX_PIXELS`].
///
/// The file is the one NBIS's `cwsq`/`wsq_encode_mem` writes for the same arguments and no
/// user comment: SOI, NISTCOM, DTT, DQT, SOF, DHT 0, block 1, DHT 1, blocks 2 and 3, EOI.
/// Exception: when a quantised coefficient would exceed ±32767 — NBIS silently wraps it,
/// damaging the image — that subband's bin width is widened instead (see `quant.rs`). In a
/// sweep of 2000 random print crops at 0.2–3.0 bpp this happened once (at 2.79 bpp).
pub fn encode(
    gray: &[u8],
    width: u32,
    height: u32,
    ppi: i32,
    bitrate: f32,
) -> Result<Vec<u8>, WsqError> {
    encoder::encode(gray, width, height, ppi, bitrate, MIN_ENCODE_SIDE)
}

/// Decompresses a WSQ file, allowing up to [`DEFAULT_MAX_PIXELS`] pixels.
pub fn decode(bytes: &[u8]) -> Result<DecodedImage, WsqError> {
    decoder::decode(bytes, DEFAULT_MAX_PIXELS)
}

/// Decompresses a WSQ file, refusing frames of more than `max_pixels` pixels before
/// allocating anything for them.
pub fn decode_with_limit(bytes: &[u8], max_pixels: u64) -> Result<DecodedImage, WsqError> {
    decoder::decode(bytes, max_pixels)
}
