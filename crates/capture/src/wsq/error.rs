//! Errors of the WSQ encoder and decoder.

use thiserror::Error;

/// Why a WSQ image could not be encoded or decoded.
///
/// Encoder errors (`bad_*` input, `image_too_small`, `image_too_large`) are caused by the
/// caller's arguments; decoder errors describe what is wrong with the file. A hostile or
/// damaged file always ends in one of these, never in a panic.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum WsqError {
    /// Width or height is zero.
    #[error("image dimensions must be at least 1x1, got {width}x{height}")]
    EmptyImage {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The encoder refuses images below 81 pixels on a side: the wavelet tree then has
    /// bands shorter than 5 samples, where NBIS's edge reflection breaks (WSQ reference §7.5).
    #[error("image {width}x{height} is too small to WSQ-encode: both sides must be at least {min} pixels")]
    ImageTooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Smallest side accepted.
        min: u32,
    },
    /// The image exceeds the format's 65535-pixel sides or the codec's pixel budget.
    #[error(
        "image {width}x{height} is too large (sides at most 65535, at most {max_pixels} pixels)"
    )]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Pixel budget in force.
        max_pixels: u64,
    },
    /// The pixel buffer does not hold width × height bytes.
    #[error("pixel buffer holds {actual} bytes, expected {expected} (width x height, 8-bit grey)")]
    BadPixelBuffer {
        /// width × height.
        expected: u64,
        /// Buffer length.
        actual: usize,
    },
    /// The bit rate is not a finite number in (0, 8].
    #[error("bit rate must be a finite number of bits per pixel in (0, 8], got {0}")]
    BadBitrate(f32),
    /// The resolution is neither positive nor -1 (unknown).
    #[error("ppi must be positive, or -1 when unknown; got {0}")]
    BadPpi(i32),
    /// The file ends before a segment or the entropy-coded data is complete.
    #[error("WSQ data truncated: {0}")]
    Truncated(&'static str),
    /// A marker that is unknown or not allowed at this point.
    #[error("unexpected marker {marker:#06X} at byte {offset}: {context}")]
    UnexpectedMarker {
        /// The two marker bytes.
        marker: u16,
        /// Byte offset of the marker.
        offset: usize,
        /// What the decoder expected.
        context: &'static str,
    },
    /// A segment whose length or content breaks the WSQ specification.
    #[error("malformed {segment} segment: {reason}")]
    BadSegment {
        /// Segment name (SOF, DTT, DQT, DHT, SOB, COM).
        segment: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A table needed to decode is absent (no SOF, DTT, DQT, or the Huffman table named by a block).
    #[error("missing {0} before the compressed data")]
    MissingTable(&'static str),
    /// The entropy-coded data holds a bit pattern that is no code of its Huffman table,
    /// or a symbol WSQ does not define.
    #[error("corrupt entropy-coded data: {0}")]
    BadEntropyData(&'static str),
    /// The blocks decode to a different number of coefficients than the subbands hold.
    #[error("compressed data holds {found} coefficients, the frame needs {expected}")]
    CoefficientCount {
        /// Coefficients the transmitted subbands hold.
        expected: u64,
        /// Coefficients decoded (counting stops just past `expected`).
        found: u64,
    },
}

impl WsqError {
    /// Stable machine-readable code of the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            WsqError::EmptyImage { .. } => "wsq_empty_image",
            WsqError::ImageTooSmall { .. } => "wsq_image_too_small",
            WsqError::ImageTooLarge { .. } => "wsq_image_too_large",
            WsqError::BadPixelBuffer { .. } => "wsq_bad_pixel_buffer",
            WsqError::BadBitrate(_) => "wsq_bad_bitrate",
            WsqError::BadPpi(_) => "wsq_bad_ppi",
            WsqError::Truncated(_) => "wsq_truncated",
            WsqError::UnexpectedMarker { .. } => "wsq_unexpected_marker",
            WsqError::BadSegment { .. } => "wsq_bad_segment",
            WsqError::MissingTable(_) => "wsq_missing_table",
            WsqError::BadEntropyData(_) => "wsq_bad_entropy_data",
            WsqError::CoefficientCount { .. } => "wsq_coefficient_count",
        }
    }
}
