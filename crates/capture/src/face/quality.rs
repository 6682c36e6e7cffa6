//! The per-frame face quality result: measures → 0–100 score and instructions.
//!
//! Score: the product of one factor in 0–1 per measure (1 inside the ICAO/OFIQ-inspired
//! acceptable band, decaying smoothly outside it), times 100. A product means any one bad
//! measure pulls the frame down; the factors are all reported in `factors`.

use serde::{Deserialize, Serialize};

use super::detect::{detect_faces, FaceBox};
use super::image::Frame;
use super::measures::{measure, FaceMeasures};
use super::FaceError;

/// ICAO 9303 minimum inter-eye distance in the capture, pixels.
pub const MIN_INTER_EYE_PX: f32 = 90.0;

/// A human instruction: a stable code and its Spanish text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    pub code: String,
    pub text: String,
}

/// Result of [`face_quality`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaceQuality {
    pub face_found: bool,
    /// Face boxes, largest first.
    pub faces: Vec<FaceBox>,
    /// Eye centres of the largest face (image-left first), if any.
    pub eyes: Option<[super::Point; 2]>,
    /// 0–100; 0 when no face.
    pub score: u8,
    pub measures: FaceMeasures,
    /// The factor (0–1) each measure contributed to the score, by name.
    pub factors: Vec<(String, f32)>,
    /// What the person should do, most important first; empty when the frame is good.
    pub instructions: Vec<Instruction>,
}

fn band(v: f32, lo: f32, hi: f32, soft: f32) -> f32 {
    let d = if v < lo {
        lo - v
    } else if v > hi {
        v - hi
    } else {
        0.0
    };
    (-(d / soft).powi(2)).exp()
}

fn ins(code: &str, text: &str) -> Instruction {
    Instruction {
        code: code.to_string(),
        text: text.to_string(),
    }
}

/// Score factors for a set of measures (empty when there is no face).
pub fn factors(m: &FaceMeasures, frame_w: f32) -> Vec<(String, f32)> {
    let mut f: Vec<(String, f32)> = Vec::new();
    let mut push = |k: &str, v: Option<f32>| {
        if let Some(v) = v {
            f.push((k.to_string(), v.clamp(0.0, 1.0)));
        }
    };
    push(
        "single_face",
        Some(if m.face_count > 1 { 0.4 } else { 1.0 }),
    );
    push(
        "size",
        m.inter_eye_px.zip(m.face_width_px).map(|(ied, w)| {
            (ied / MIN_INTER_EYE_PX).min(1.0).powf(0.7) * band(w / frame_w, 0.0, 0.75, 0.15)
        }),
    );
    push(
        "centring",
        m.centre_offset_x
            .zip(m.centre_offset_y)
            .map(|(x, y)| band(x.hypot(y), 0.0, 0.15, 0.2)),
    );
    push("roll", m.roll_deg.map(|r| band(r.abs(), 0.0, 8.0, 10.0)));
    push("yaw", m.yaw_deg.map(|y| band(y.abs(), 0.0, 8.0, 15.0)));
    push("sharpness", m.sharpness.map(|s| band(s, 0.2, 10.0, 0.1)));
    push(
        "brightness",
        m.brightness.map(|b| band(b, 90.0, 190.0, 45.0)),
    );
    push(
        "exposure_clipping",
        m.overexposed
            .zip(m.underexposed)
            .map(|(o, u)| (-(o + u) / 0.08).exp()),
    );
    push(
        "dynamic_range",
        m.dynamic_range.map(|d| band(d, 110.0, 256.0, 60.0)),
    );
    push(
        "illumination_uniformity",
        m.illumination_lr.map(|u| band(u.abs(), 0.0, 0.08, 0.15)),
    );
    push(
        "backlight",
        m.backlight.map(|b| band(b, -255.0, 40.0, 50.0)),
    );
    push(
        "background_uniformity",
        m.background_std.map(|s| band(s, 0.0, 25.0, 40.0).powf(0.3)),
    );
    push("eyes_open", m.eyes_open.map(|o| if o { 1.0 } else { 0.5 }));
    f
}

/// Instructions for a set of measures, most important first.
pub fn instructions(m: &FaceMeasures, frame_w: f32) -> Vec<Instruction> {
    let mut v = Vec::new();
    if m.face_count == 0 {
        v.push(ins(
            "no_face",
            "No se ve su rostro; colóquese frente a la cámara",
        ));
        return v;
    }
    if m.face_count > 1 {
        v.push(ins("multiple_faces", "Sólo debe aparecer una persona"));
    }
    if let (Some(ied), Some(w)) = (m.inter_eye_px, m.face_width_px) {
        if ied < MIN_INTER_EYE_PX {
            v.push(ins("move_closer", "Acérquese a la cámara"));
        } else if w > 0.8 * frame_w {
            v.push(ins("move_back", "Aléjese de la cámara"));
        }
    }
    if let (Some(x), Some(y)) = (m.centre_offset_x, m.centre_offset_y) {
        if x.hypot(y) > 0.2 {
            v.push(ins("centre_face", "Centre su rostro en el recuadro"));
        }
    }
    if m.yaw_deg.is_some_and(|y| y.abs() > 12.0) {
        v.push(ins("look_straight", "Mire de frente a la cámara"));
    }
    if m.roll_deg.is_some_and(|r| r.abs() > 8.0) {
        v.push(ins("straighten_head", "Enderece la cabeza"));
    }
    if m.backlight.is_some_and(|b| b > 60.0) {
        v.push(ins("backlight", "Hay demasiada luz detrás de usted"));
    }
    if m.brightness.is_some_and(|b| b < 70.0) || m.underexposed.is_some_and(|u| u > 0.1) {
        v.push(ins(
            "too_dark",
            "Hay poca luz; busque un lugar más iluminado",
        ));
    }
    if m.brightness.is_some_and(|b| b > 200.0) || m.overexposed.is_some_and(|o| o > 0.05) {
        v.push(ins("too_bright", "Hay demasiada luz sobre su rostro"));
    }
    if m.illumination_lr.is_some_and(|u| u.abs() > 0.12) {
        v.push(ins(
            "uneven_light",
            "La luz le llega de un lado; colóquese de frente a la luz",
        ));
    }
    if m.dynamic_range.is_some_and(|d| d < 60.0) {
        v.push(ins("low_contrast", "La imagen tiene poco contraste"));
    }
    if m.sharpness.is_some_and(|s| s < 0.12) {
        v.push(ins("blurry", "La imagen está borrosa; quédese quieto"));
    }
    if m.eyes_open == Some(false) {
        v.push(ins("open_eyes", "Abra los ojos"));
    }
    if m.background_std.is_some_and(|s| s > 60.0) {
        v.push(ins(
            "plain_background",
            "Colóquese delante de un fondo liso",
        ));
    }
    v
}

/// Measures one RGBA frame (`width * height * 4` bytes, row-major, unmirrored).
pub fn face_quality(rgba: &[u8], width: u32, height: u32) -> Result<FaceQuality, FaceError> {
    let frame = Frame::new(rgba, width, height)?;
    let faces = detect_faces(&frame.gray)?;
    let measures = measure(&frame, &faces);
    Ok(assemble(&faces, measures, width as f32))
}

/// Builds the result from detections and measures (shared with liveness and bursts).
pub fn assemble(
    faces: &[super::DetectedFace],
    measures: FaceMeasures,
    frame_w: f32,
) -> FaceQuality {
    let factors = if faces.is_empty() {
        Vec::new()
    } else {
        factors(&measures, frame_w)
    };
    let score = if faces.is_empty() {
        0
    } else {
        (100.0 * factors.iter().map(|(_, v)| v).product::<f32>()).round() as u8
    };
    FaceQuality {
        face_found: !faces.is_empty(),
        faces: faces.iter().map(|f| f.face).collect(),
        eyes: faces.first().map(|f| f.eyes),
        score,
        instructions: instructions(&measures, frame_w),
        measures,
        factors,
    }
}
