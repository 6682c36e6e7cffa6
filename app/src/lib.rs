//! Huella's web app (design.md §6): e.firma login, the employer's workers and movements, the
//! alta wizard with face and ten prints, the pensioner's proof of life, and clinic kiosks with
//! an offline queue. Leptos CSR over the cores (`efirma`, `packet`, `capture`, `scanner`).
//!
//! What can be tested natively lives in plain modules (`form`, `i18n`, `messages`, `deadline`,
//! `delivery`); the browser glue and the views are under `web` (wasm32 only).
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod deadline;
pub mod delivery;
pub mod form;
pub mod i18n;
pub mod messages;

#[cfg(target_arch = "wasm32")]
mod web;

/// Entry point: mounts the app on `<body>`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    web::mount();
}
