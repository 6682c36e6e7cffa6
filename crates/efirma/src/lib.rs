//! SAT e.firma (FIEL) and CSD credentials in plain Rust: open, identify, sign, verify.
//!
//! This crate does no I/O, keeps no state and never stores a password: callers hand it
//! bytes and a time, and get values back. It compiles for native targets and `wasm32`,
//! so the browser, the CLI and the server run the same code.
//!
//! - [`Credential::open`] reads a `.cer` (DER/PEM) and a `.key` (SAT's encrypted PKCS#8 with
//!   3DES, AES variants, OpenSSL traditional PEM, or PKCS#12), checks they belong together,
//!   and exposes the [`Identity`] (RFC, CURP, name, certificate number, FIEL/CSD).
//! - [`Credential::sign_cms`] makes a detached CMS SignedData that `openssl cms -verify`
//!   accepts; [`Credential::sign_pkcs1`] a raw SAT-style "sello".
//! - [`verify_cms`] checks a signature, and optionally the chain to a [`TrustStore`].
//!
//! Errors are one [`Error`] enum with stable codes (`bad_password`, `expired`, …).
//!
//! ```no_run
//! # fn demo(cer: &[u8], key: &[u8]) -> Result<(), efirma::Error> {
//! use efirma::{Credential, Timestamp, verify_cms, VerifyOptions};
//! let cred = Credential::open(cer, key, "12345678a")?;
//! let at = Timestamp::parse_rfc3339("2019-06-01T12:00:00Z").unwrap();
//! let sig = cred.sign_cms(b"hola", at)?;
//! let ok = verify_cms(&sig, b"hola", VerifyOptions::default())?;
//! assert_eq!(ok.signer.identity().rfc, cred.identity().rfc);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod cer;
mod chain;
mod cms_sign;
mod cms_verify;
mod credential;
mod error;
mod identity;
mod key;
mod legacy_pem;
mod password;
mod pem;
mod pfx;
mod rsa_sig;
mod text;
mod time;

pub use cer::Certificate;
pub use chain::TrustStore;
pub use cms_sign::PreparedCms;
pub use cms_verify::{verify_cms, verify_pkcs1, Verified, VerifyOptions};
pub use credential::Credential;
pub use error::{Error, Result};
pub use identity::{Identity, Kind};
pub use key::PrivateKey;
pub use time::Timestamp;
