//! Guidance for the person at the scanner, derived from the features. Codes are stable
//! identifiers; messages are Spanish (the app's first language) and say what to do.
//!
//! ISO/IEC 29794-4:2024 §9 recommends "actionable feedback" (NFIQ 2's `UniformImage`,
//! `EmptyImageOrContrastTooLow`, `FingerprintImageWithMinutiae`,
//! `SufficientFingerprintForeground`); Huella's codes refine those into instructions.

use serde::{Deserialize, Serialize};

use super::features::{FingerFeatures, Foreground};
use super::fusion::is_fingerprint;

/// What is wrong with a capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GuidanceCode {
    /// No fingerprint in the image (empty platen, not a finger).
    SinHuella,
    /// The print is too dark.
    MuyOscuro,
    /// The print is too light.
    MuyClaro,
    /// Ridges and valleys barely differ.
    BajoContraste,
    /// Ridges are blurred (moved finger, dirty platen).
    Borroso,
    /// Ridges merge: too much pressure or a wet finger.
    PresioneMenos,
    /// Ridges are thin and broken: too little pressure or a dry finger.
    PresioneMas,
    /// Part of the print is smeared.
    Manchado,
    /// Too little of the finger was captured.
    Parcial,
    /// The finger is off the centre of the capture area.
    Descentrado,
}

impl GuidanceCode {
    /// The instruction shown to the user, in Spanish.
    pub fn message(self) -> &'static str {
        match self {
            GuidanceCode::SinHuella => "No se detecta una huella: coloque el dedo sobre el lector.",
            GuidanceCode::MuyOscuro => "La huella está muy oscura: limpie el lector y presione con suavidad.",
            GuidanceCode::MuyClaro => "La huella está muy clara: presione el dedo con un poco más de firmeza.",
            GuidanceCode::BajoContraste => "La huella tiene poco contraste: limpie el lector y el dedo e intente de nuevo.",
            GuidanceCode::Borroso => "La huella está borrosa: no mueva el dedo hasta que termine la captura.",
            GuidanceCode::PresioneMenos => "Las crestas se juntan: presione con menos fuerza o seque el dedo.",
            GuidanceCode::PresioneMas => "Las crestas se ven cortadas: presione con más fuerza o humedezca ligeramente el dedo.",
            GuidanceCode::Manchado => "La huella está manchada: limpie el lector y el dedo.",
            GuidanceCode::Parcial => "Solo se capturó una parte de la huella: apoye toda la yema del dedo.",
            GuidanceCode::Descentrado => "El dedo no está centrado: colóquelo en el centro del lector.",
        }
    }
}

/// One instruction: a stable code and its Spanish text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guidance {
    /// Stable identifier, e.g. `muy_oscuro`.
    pub code: GuidanceCode,
    /// Text for the user.
    pub message: String,
}

impl From<GuidanceCode> for Guidance {
    fn from(code: GuidanceCode) -> Self {
        Guidance {
            code,
            message: code.message().to_owned(),
        }
    }
}

/// A plain fingertip at 500 ppi covers at least about 150 mm² of usable ridges.
const PARTIAL_MM2: f32 = 120.0;

/// Derives the guidance, most important first. `w`, `h`: image size at 500 ppi.
pub(crate) fn derive(f: &FingerFeatures, fg: &Foreground, w: u32, h: u32) -> Vec<Guidance> {
    use GuidanceCode::*;
    if !is_fingerprint(f) {
        return vec![SinHuella.into()];
    }
    let mut out: Vec<GuidanceCode> = Vec::new();
    // Ridge (dark) and valley (light) levels, estimated as mean ∓ one standard deviation.
    let (ridge, valley) = (f.mean_gray - f.contrast, f.mean_gray + f.contrast);
    if valley < 100.0 {
        out.push(MuyOscuro);
    } else if ridge > 165.0 {
        out.push(MuyClaro);
    }
    if f.contrast < 18.0 {
        out.push(BajoContraste);
    }
    if f.local_clarity < 0.4 || (f.local_clarity < 0.65 && f.contrast < 20.0) {
        out.push(Borroso);
    }
    if f.ridge_valley_ratio > 1.5 {
        out.push(PresioneMenos);
    } else if f.ridge_valley_ratio > 0.0 && f.ridge_valley_ratio < 0.8 {
        out.push(PresioneMas);
    }
    if f.usable_fraction < 0.6 && !out.contains(&Borroso) {
        out.push(Manchado);
    }
    if f.usable_area_mm2 < PARTIAL_MM2 {
        out.push(Parcial);
    }
    if w > 0 && h > 0 && fg.width > 0 {
        let cx = (fg.x + fg.width / 2) as f32 / w as f32;
        let cy = (fg.y + fg.height / 2) as f32 / h as f32;
        if (cx - 0.5).abs() > 0.2 || (cy - 0.5).abs() > 0.2 {
            out.push(Descentrado);
        }
    }
    out.into_iter().map(Guidance::from).collect()
}
