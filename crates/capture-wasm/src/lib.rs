//! Biometric capture in the browser: the JS API of `../shared/design.md` §3 over `capture`
//! and `scanner`. This layer only converts (typed arrays in, plain objects out); all logic
//! lives in the core crates.
//!
//! ```js
//! import init, { fingerprintQuality, encodeWsq, decodeWsq, faceQuality, LivenessSession } from "./capture_wasm.js";
//! await init();
//! const q = fingerprintQuality(gray, 400, 500, 500);     // { score, features, foreground, guidance, … }
//! const wsq = encodeWsq(gray, 400, 500, 500, 0.75);      // Uint8Array
//! const img = decodeWsq(wsq);                            // { width, height, ppi, pixels }
//! const f = faceQuality(rgba, 640, 480);                 // { face_found, faces, score, measures, instructions }
//! const s = LivenessSession.start(nonceBytes); s.push(rgba, w, h, performance.now()); s.result();
//! ```
//! Errors are JS `Error` objects with a `code` property.
#![forbid(unsafe_code)]

mod convert;
mod face;
mod finger;
mod scanner;

#[cfg(target_arch = "wasm32")]
pub use crate::scanner::FingerprintScanner;
pub use crate::scanner::UsbEmulator;
pub use face::{best_frame, face_quality, LivenessSession};
pub use finger::{decode_wsq, encode_wsq, fingerprint_quality};
