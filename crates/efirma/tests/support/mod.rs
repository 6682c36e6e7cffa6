//! The shared test PKI (crate `test-pki`).
pub use test_pki::*;
