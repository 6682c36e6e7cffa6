//! Fingerprint scanners for Huella: a model-independent [`Scanner`] trait, a sans-I/O driver
//! for the DigitalPersona / HID U.are.U 4500 family ([`uru4000`]), a faithful software emulator
//! of that device ([`emulator`]) and, on wasm32, a WebUSB transport (`webusb`).
//!
//! ```text
//!  Scanner trait ── Uru4000<T: Transport> ──┬── WebUsbTransport (wasm32, navigator.usb)
//!                                          └── EmulatedTransport ── emulator::Device
//! ```
//!
//! The driver is written from the protocol sheet `shared/scanner-uru4500.md` (facts gathered from
//! the public behaviour of libfprint's `uru4000` driver; no libfprint code is used). Native code
//! runs the async driver with [`block_on`]; see [`transport`] for why the transport is an async
//! trait. [`emulate_capture`] runs the real driver against the emulator (for `huella scanner
//! emulate`).
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod emulator;
pub mod error;
pub mod image;
pub mod scanner;
pub mod settle;
pub mod transport;
pub mod uru4000;
#[cfg(target_arch = "wasm32")]
pub mod webusb;

pub use emulator::{emulate_capture, Fault};
pub use error::{ScannerError, TransferError};
pub use image::{CapturedImage, GrayImage};
pub use scanner::{CaptureOptions, CaptureStats, DeviceInfo, Scanner};
pub use transport::{block_on, ControlSetup, Recipient, RequestType, Transport};
pub use uru4000::Uru4000;
