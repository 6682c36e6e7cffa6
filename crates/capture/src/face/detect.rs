//! Face and eye localisation with the compiled-in OpenCV cascades.
//!
//! Faces: LBP frontal-face cascade on a frame shrunk to at most [`DETECT_WIDTH`] pixels wide
//! (windows from [`MIN_FACE`] = 28 px, i.e. faces from 75 px in a 640×480 frame). Eyes: Haar
//! eye cascade in a window around each eye's mean position, the face resampled to
//! [`EYE_FACE_WIDTH`] pixels wide. An eye
//! the cascade misses (closed, glasses, glare) is placed at its mean position in the LBP box.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::cascade::{group, Cascade, Hit};
use super::image::Gray;
use super::FaceError;

static FACE_LBP: &[u8] = include_bytes!("../../data/face/face_lbp.cas");
static EYE_HAAR: &[u8] = include_bytes!("../../data/face/eye_haar.cas");

/// Width of the frame the face cascade scans (frames wider than this are shrunk first).
pub const DETECT_WIDTH: usize = 240;
/// Width the face is resampled to before the eye search.
pub const EYE_FACE_WIDTH: usize = 80;
/// Mean eye centres in the LBP face box (fractions of its side), image-left eye first,
/// measured on the sample portrait with OpenCV's eye cascade.
pub const EYE_PRIOR: [(f32, f32); 2] = [(0.30, 0.37), (0.70, 0.37)];

/// An axis-aligned box in frame pixels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaceBox {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    /// Number of overlapping cascade windows merged into this box (detector confidence).
    pub neighbours: u32,
}

/// A point in frame pixels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// One face with its eyes, image-left eye first (the subject's right eye in an unmirrored frame).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetectedFace {
    pub face: FaceBox,
    pub eyes: [Point; 2],
    /// Whether each eye was found by the eye cascade (`false`: placed from the face box).
    pub eyes_detected: [bool; 2],
}

fn cascades() -> Result<&'static (Cascade, Cascade), FaceError> {
    static C: OnceLock<Result<(Cascade, Cascade), FaceError>> = OnceLock::new();
    C.get_or_init(|| Ok((Cascade::parse(FACE_LBP)?, Cascade::parse(EYE_HAAR)?)))
        .as_ref()
        .map_err(Clone::clone)
}

/// Finds faces (largest first) and their eyes in a grey frame. When none is found upright,
/// the search is repeated on the frame rotated by ±[`ROLL_RETRY_DEG`] (the frontal cascade
/// tolerates only about ±10° of roll) and the results are rotated back.
pub fn detect_faces(g: &Gray) -> Result<Vec<DetectedFace>, FaceError> {
    let (face_c, eye_c) = cascades()?;
    let f = (DETECT_WIDTH as f32 / g.w as f32).min(1.0);
    let small = if f < 1.0 { g.scaled(f) } else { g.clone() };
    let sx = g.w as f32 / small.w as f32;
    let sy = g.h as f32 / small.h as f32;
    let to_frame = |h: &Hit| FaceBox {
        x: h.x * sx,
        y: h.y * sy,
        width: h.w * sx,
        height: h.h * sy,
        neighbours: h.neighbours,
    };
    let found: Vec<DetectedFace> = scan_faces(face_c, &small)
        .iter()
        .map(|h| locate_eyes(g, eye_c, to_frame(h)))
        .filter(verified)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let (cx, cy) = (small.w as f32 / 2.0, small.h as f32 / 2.0);
    for deg in [ROLL_RETRY_DEG, -ROLL_RETRY_DEG] {
        let (s, c) = deg.to_radians().sin_cos();
        let hits = scan_faces(face_c, &rotate(&small, s, c, cx, cy));
        let mut out = Vec::new();
        for h in &hits {
            // Window centre back in the upright small frame, then in the full frame.
            let (u, v) = (h.x + h.w / 2.0 - cx, h.y + h.h / 2.0 - cy);
            let (fx, fy) = ((cx + c * u + s * v) * sx, (cy - s * u + c * v) * sy);
            let fb = to_frame(h);
            // Rotate a square around the face so it is upright, find the eyes there.
            let side = 2.0 * fb.width;
            let patch = g.resample(
                fx - side / 2.0,
                fy - side / 2.0,
                side,
                side,
                side as usize,
                side as usize,
            );
            let pc = side / 2.0;
            let upright = rotate(&patch, s, c, pc, pc);
            let local = FaceBox {
                x: pc - fb.width / 2.0,
                y: pc - fb.height / 2.0,
                ..fb
            };
            let mut d = locate_eyes(&upright, eye_c, local);
            let back = |p: Point| {
                let (u, v) = (p.x - pc, p.y - pc);
                Point {
                    x: fx + c * u + s * v,
                    y: fy - s * u + c * v,
                }
            };
            d.eyes = d.eyes.map(back);
            d.face = FaceBox {
                x: fx - fb.width / 2.0,
                y: fy - fb.height / 2.0,
                ..fb
            };
            if verified(&d) {
                out.push(d);
            }
        }
        if !out.is_empty() {
            return Ok(out);
        }
    }
    Ok(Vec::new())
}

/// Raw face windows, grouped, largest first, in `small`'s pixels.
fn scan_faces(face_c: &Cascade, small: &Gray) -> Vec<Hit> {
    let max_side = small.w.min(small.h) as f32;
    let hits = face_c.scan(small, MIN_FACE, max_side, SCALE_STEP, 2);
    let mut faces = group(&hits, MIN_NEIGHBOURS);
    faces.sort_by(|a, b| b.w.total_cmp(&a.w));
    faces
}

/// Verification: a face window in which the eye cascade finds neither eye is kept only when
/// the face cascade itself was very sure (many merged windows).
fn verified(f: &DetectedFace) -> bool {
    f.eyes_detected.iter().any(|&e| e) || f.face.neighbours >= STRONG_FACE
}

/// Merged windows above which a face is kept even when no eye is found (closed eyes).
pub const STRONG_FACE: u32 = 8;

/// Pyramid ratio of the face search.
pub const SCALE_STEP: f32 = 1.1;

/// Face windows (scale step [`SCALE_STEP`], 2-pixel step on the fine levels) that must overlap for a
/// detection (OpenCV `minNeighbors`).
pub const MIN_NEIGHBOURS: u32 = 3;
/// Smallest face searched, pixels of the shrunk frame (28 px of 240 = 75 px of a 640 frame).
pub const MIN_FACE: f32 = 28.0;

/// Roll of the retry searches, degrees.
pub const ROLL_RETRY_DEG: f32 = 15.0;

/// `g` rotated by the angle whose sine and cosine are given, about (cx, cy); output pixel p
/// takes the source at R(-angle) p, so content turns by +angle (clockwise on screen).
fn rotate(g: &Gray, s: f32, c: f32, cx: f32, cy: f32) -> Gray {
    let mut px = Vec::with_capacity(g.w * g.h);
    for y in 0..g.h {
        for x in 0..g.w {
            let (u, v) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            let v = g.sample(cx + c * u + s * v, cy - s * u + c * v);
            px.push((v + 0.5) as u8);
        }
    }
    Gray { w: g.w, h: g.h, px }
}

fn locate_eyes(g: &Gray, eye_c: &Cascade, fb: FaceBox) -> DetectedFace {
    // Each eye is searched in its own window around its mean position, with the face
    // resampled to EYE_FACE_WIDTH px per box side.
    let n = EYE_FACE_WIDTH as f32;
    let k = fb.width / n;
    let (half_w, half_h) = (0.25 * n, 0.2 * n);
    let mut eyes = [Point { x: 0.0, y: 0.0 }; 2];
    let mut found = [false; 2];
    for (side, &(px, py)) in EYE_PRIOR.iter().enumerate() {
        let (prior_x, prior_y) = (px * n, py * n);
        let (x0, y0) = (prior_x - half_w, prior_y - half_h);
        let roi = g.resample(
            fb.x + x0 * k,
            fb.y + y0 * fb.height / n,
            2.0 * half_w * k,
            2.0 * half_h * fb.height / n,
            (2.0 * half_w) as usize,
            (2.0 * half_h) as usize,
        );
        let hits = eye_c.scan(&roi, eye_c.win_w as f32, 0.4 * n, 1.15, 1);
        let best = group(&hits, 1)
            .iter()
            .map(|c| (x0 + c.x + c.w / 2.0, y0 + c.y + c.h / 2.0, c.neighbours))
            .map(|(cx, cy, nb)| {
                let d = (cx - prior_x).hypot(cy - prior_y);
                (d - 2.0 * nb as f32, cx, cy)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let (cx, cy) = match best {
            Some((_, cx, cy)) => {
                found[side] = true;
                (cx, cy)
            }
            None => (prior_x, prior_y),
        };
        eyes[side] = Point {
            x: fb.x + cx * k,
            y: fb.y + cy * fb.height / n,
        };
    }
    DetectedFace {
        face: fb,
        eyes,
        eyes_detected: found,
    }
}
