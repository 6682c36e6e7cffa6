//! The signed packet — the contract the browser, the CLI and the server all speak
//! (design.md §4).
//!
//! A packet is a JSON envelope around a UTF-8 JSON [`Manifest`] signed as-is with a detached
//! CMS signature (RFC 5652) made with the signer's SAT e.firma, plus attachments sealed with
//! HPKE (RFC 9180) to the server's published key. The manifest signs each attachment's
//! plaintext SHA-256 (checked by the server after opening) and its sealed SHA-256 (checkable
//! by anyone).
//!
//! ```text
//!  manifest template ──build(credential, server key, time)──► Packet (JSON)
//!                                                              │
//!                      verify(trust, now, keyring, rules) ◄────┘  → Verified | Error::code()
//! ```
//!
//! No I/O and no clock: time is a parameter, so this crate compiles for `wasm32` and the
//! browser runs the very same verification as the server.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod build;
mod error;
pub mod ids;
mod manifest;
pub mod seal;
mod template;
mod validate;
mod verify;
mod wire;

pub use build::{build, new_nonce, BuildOptions, Built, NewAttachment};
pub use error::{Error, Result};
pub use manifest::{
    Action, AttachmentInfo, Biometrics, Device, Employer, Finger, Manifest, Movement, Operator,
    Signer, Subject,
};
pub use seal::{Keyring, PublicKey, Sealed};
pub use template::{template, ten_fingers, CURP, NSS, REGISTRO_PATRONAL};
pub use validate::{validate, DatedAmount, Rules, Warning};
pub use verify::{verify, verify_json, Verified, VerifyOptions};
pub use wire::{check_cms_profile, Envelope, Packet, FORMAT};

/// Re-exported so callers need not depend on `efirma` for the common types.
pub use efirma::{Timestamp, TrustStore};
