//! Biometric capture quality, in plain Rust (native and wasm32).
//!
//! - [`wsq`]: FBI WSQ v3.1 fingerprint image encoder and decoder, byte-compatible with NBIS.
//! - [`finger`]: NFIQ 2-style fingerprint quality (ISO/IEC 29794-4).
//! - [`face`]: face detection, ISO/IEC 29794-5 / ICAO 9303 measures, and liveness.
//!
//! No I/O: callers pass pixel buffers and get plain values back.
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]

pub mod face;
pub mod finger;
pub mod wsq;
