//! Proof of life over a frame sequence: an active challenge (see [`Challenge`]) plus passive
//! cues, reported as a decision with its evidence (ISO/IEC 30107-3 vocabulary: a
//! presentation-attack detection outcome, never a bare boolean).
//!
//! ```text
//! LivenessSession::start(nonce) ──► challenge() shown to the person
//!        push(rgba, w, h, t_ms) × N  (each frame: detect, measure, record observations)
//!        result() ──► LivenessResult { decision, steps, cues, reasons, ... }
//! ```
//! Decision: `spoof` when a passive cue fires (still photo, screen moiré or flicker, flat
//! print texture); otherwise `live` when every challenge step was seen in order; otherwise
//! `inconclusive`.

mod challenge;
mod cues;
mod frame_edges;

use serde::{Deserialize, Serialize};

pub use challenge::Challenge;
use challenge::{baseline, find, from_nonce, Obs};

use super::detect::{detect_faces, DetectedFace};
use super::image::{mean_std, Frame, Gray};
use super::measures::{eye_openness, measure, yaw_estimate};
use super::quality::{assemble, FaceQuality};
use super::FaceError;

/// Frames kept for judging; later frames are counted but not analysed.
pub const MAX_FRAMES: usize = 900;
/// Frames a lost face is carried over from its last detection.
pub const TRACK_FRAMES: u32 = 3;
/// Fewest face frames for a decision (a baseline pose plus a movement).
pub const BASELINE_FRAMES: usize = 3;
/// Mean |difference| (levels) under which two consecutive face crops count as identical.
pub const STATIC_MOTION: f32 = 0.5;
/// Fraction of static frame pairs above which the sequence is a still picture.
pub const STATIC_FRACTION: f32 = 0.8;
/// Median moiré above which a screen or halftone is reported.
pub const MOIRE_MAX: f32 = 0.35;
/// Median flicker (levels) above which a screen replay is reported.
pub const FLICKER_MAX: f32 = 4.0;
/// Median texture below which a flat print is reported.
pub const TEXTURE_MIN: f32 = 0.1;
/// Fraction of frames with a closed bezel rectangle around the face above which a screen
/// (phone/tablet) replay is reported.
pub const SCREEN_EDGES_MIN: f32 = 0.5;

/// Outcome of the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LivenessDecision {
    Live,
    Spoof,
    Inconclusive,
}

/// Evidence for one challenge step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepEvidence {
    pub challenge: Challenge,
    pub completed: bool,
    /// Frame indices where the action started and where the pose came back.
    pub frames: Vec<u32>,
    pub t_ms: Vec<u64>,
    /// Largest deviation from the baseline seen (blink: 1 − openness ratio; turn: degrees;
    /// nod: inter-eye distances).
    pub peak: f32,
}

/// Passive cue values (medians over the frames with a face).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PassiveCues {
    /// Median mean-|difference| of the face region between consecutive frames, levels.
    pub motion_median: Option<f32>,
    /// Fraction of consecutive pairs below [`STATIC_MOTION`].
    pub static_fraction: Option<f32>,
    pub moire_median: Option<f32>,
    pub flicker: Option<f32>,
    pub texture_median: Option<f32>,
    /// Fraction of face frames where a closed bezel rectangle surrounds the face.
    pub screen_edges_fraction: Option<f32>,
    pub still_photo: bool,
    pub screen_replay: bool,
    pub flat_print: bool,
}

/// Everything the decision rests on; goes into the signed manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LivenessResult {
    pub decision: LivenessDecision,
    /// Codes explaining the decision (`still_photo`, `screen_replay`, `flat_print`,
    /// `challenge_completed`, `challenge_incomplete`, `too_few_faces`).
    pub reasons: Vec<String>,
    pub challenge: Vec<Challenge>,
    pub steps: Vec<StepEvidence>,
    pub cues: PassiveCues,
    pub frames_total: u32,
    pub frames_with_face: u32,
    pub first_t_ms: Option<u64>,
    pub last_t_ms: Option<u64>,
}

/// An active + passive liveness session.
pub struct LivenessSession {
    challenge: [Challenge; 2],
    obs: Vec<Obs>,
    motion: Vec<f32>,
    moire: Vec<f32>,
    texture: Vec<f32>,
    /// Per face frame: whether a closed bezel rectangle surrounds the face.
    edges: Vec<bool>,
    brightness: Vec<f32>,
    prev: Option<Gray>,
    /// Last detection and the frame it came from (tracking through closed-eye frames).
    last: Option<(DetectedFace, u32)>,
    frames_total: u32,
    first_t: Option<u64>,
    last_t: Option<u64>,
}

impl LivenessSession {
    /// Starts a session; the challenge sequence is a pure function of `nonce`.
    pub fn start(nonce: &[u8]) -> Self {
        Self {
            challenge: from_nonce(nonce),
            obs: Vec::new(),
            motion: Vec::new(),
            moire: Vec::new(),
            texture: Vec::new(),
            edges: Vec::new(),
            brightness: Vec::new(),
            prev: None,
            last: None,
            frames_total: 0,
            first_t: None,
            last_t: None,
        }
    }

    /// The actions to ask for, in order.
    pub fn challenge(&self) -> &[Challenge] {
        &self.challenge
    }

    /// Adds a frame taken at `t_ms`; returns its face quality (for live guidance).
    pub fn push(
        &mut self,
        rgba: &[u8],
        width: u32,
        height: u32,
        t_ms: u64,
    ) -> Result<FaceQuality, FaceError> {
        let frame = Frame::new(rgba, width, height)?;
        let mut faces = detect_faces(&frame.gray)?;
        let index = self.frames_total;
        match (faces.first(), &self.last) {
            (Some(f), _) => self.last = Some((f.clone(), index)),
            // The frontal cascade can lose a face with its eyes shut: keep the last box for up
            // to TRACK_FRAMES frames, on a frame of the same size.
            (None, Some((f, at)))
                if index - at <= TRACK_FRAMES
                    && self
                        .prev
                        .as_ref()
                        .is_some_and(|p| p.w == frame.gray.w && p.h == frame.gray.h) =>
            {
                faces.push(f.clone());
            }
            _ => {}
        }
        let m = measure(&frame, &faces);
        self.frames_total = self.frames_total.saturating_add(1);
        self.first_t.get_or_insert(t_ms);
        self.last_t = Some(t_ms);
        if self.brightness.len() < MAX_FRAMES {
            self.brightness.push(mean_std(&frame.gray.px).0);
        }
        if let (Some(f), true) = (faces.first(), self.obs.len() < MAX_FRAMES) {
            let b = f.face;
            let [l, r] = f.eyes;
            let ied = ((r.x - l.x).powi(2) + (r.y - l.y).powi(2)).sqrt().max(1.0);
            let g = &frame.gray;
            let x0 = b.x.max(0.0) as usize;
            let y0 = b.y.max(0.0) as usize;
            let x1 = (b.x + b.width).max(0.0) as usize;
            let y1 = (b.y + b.height).max(0.0) as usize;
            if let Some(mv) = self
                .prev
                .as_ref()
                .and_then(|p| cues::motion(p, g, x0, y0, x1, y1))
            {
                self.motion.push(mv);
            }
            let side = b.width.min(128.0);
            let cx = b.x + b.width / 2.0 - side / 2.0;
            let cy = b.y + b.height / 2.0 - side / 2.0;
            let native = g.resample(cx, cy, side, side, side as usize, side as usize);
            self.moire.push(cues::moire(&native));
            // The texture cue is the frame's sharpness measure (mean |Laplacian| / std of the
            // same 96×96 face crop), already computed by `measure`: not resampled twice a frame.
            if let Some(t) = m.sharpness {
                self.texture.push(t);
            }
            self.edges.push(frame_edges::frame_edges(g, &b).closed());
            let open = (eye_openness(g, l.x, l.y, ied) + eye_openness(g, r.x, r.y, ied)) / 2.0;
            self.obs.push(Obs {
                index,
                t_ms,
                openness: open,
                yaw: yaw_estimate(&frame, f).unwrap_or(f32::NAN),
                eye_y_ied: (l.y + r.y) / 2.0 / ied,
            });
        }
        let q = assemble(&faces, m, width as f32);
        self.prev = Some(frame.gray);
        Ok(q)
    }

    /// Per-frame observations with a face: (frame index, t_ms, eye openness, yaw degrees,
    /// eye-line height in inter-eye distances). For display and debugging; `result` carries
    /// the evidence that matters.
    pub fn observations(&self) -> Vec<(u32, u64, f32, f32, f32)> {
        self.obs
            .iter()
            .map(|o| (o.index, o.t_ms, o.openness, o.yaw, o.eye_y_ied))
            .collect()
    }

    /// The decision so far, with its evidence.
    pub fn result(&self) -> LivenessResult {
        let mut cues = PassiveCues {
            motion_median: cues::median(&self.motion),
            moire_median: cues::median(&self.moire),
            flicker: cues::flicker(&self.brightness),
            texture_median: cues::median(&self.texture),
            screen_edges_fraction: (!self.edges.is_empty()).then(|| {
                self.edges.iter().filter(|&&e| e).count() as f32 / self.edges.len() as f32
            }),
            ..PassiveCues::default()
        };
        if !self.motion.is_empty() {
            let s = self.motion.iter().filter(|&&m| m < STATIC_MOTION).count();
            let frac = s as f32 / self.motion.len() as f32;
            cues.static_fraction = Some(frac);
            cues.still_photo = self.motion.len() >= 2 && frac >= STATIC_FRACTION;
        }
        cues.screen_replay = cues.moire_median.is_some_and(|m| m > MOIRE_MAX)
            || cues.flicker.is_some_and(|f| f > FLICKER_MAX)
            || cues
                .screen_edges_fraction
                .is_some_and(|f| f >= SCREEN_EDGES_MIN);
        cues.flat_print = cues.texture_median.is_some_and(|t| t < TEXTURE_MIN);

        let mut steps = Vec::new();
        let mut from = 0usize;
        let base = baseline(&self.obs);
        for &c in &self.challenge {
            let mut ev = StepEvidence {
                challenge: c,
                completed: false,
                frames: Vec::new(),
                t_ms: Vec::new(),
                peak: 0.0,
            };
            if let (Some(b), Some(rest)) = (base.as_ref(), self.obs.get(from..)) {
                let (span, peak) = find(c, rest, b);
                ev.peak = peak;
                if let Some((s, e)) = span {
                    for o in [rest.get(s), rest.get(e)].into_iter().flatten() {
                        ev.frames.push(o.index);
                        ev.t_ms.push(o.t_ms);
                    }
                    ev.completed = true;
                    from += e + 1;
                } else {
                    from = self.obs.len();
                }
            }
            steps.push(ev);
        }
        let completed = steps.iter().all(|s| s.completed);
        let mut reasons = Vec::new();
        let with_face = self.obs.len() as u32;
        if cues.still_photo {
            reasons.push("still_photo".to_string());
        }
        if cues.screen_replay {
            reasons.push("screen_replay".to_string());
        }
        if cues.flat_print {
            reasons.push("flat_print".to_string());
        }
        let decision = if !reasons.is_empty() {
            LivenessDecision::Spoof
        } else if with_face < BASELINE_FRAMES as u32 + 2 || 2 * with_face < self.frames_total {
            reasons.push("too_few_faces".to_string());
            LivenessDecision::Inconclusive
        } else if completed {
            reasons.push("challenge_completed".to_string());
            LivenessDecision::Live
        } else {
            reasons.push("challenge_incomplete".to_string());
            LivenessDecision::Inconclusive
        };
        LivenessResult {
            decision,
            reasons,
            challenge: self.challenge.to_vec(),
            steps,
            cues,
            frames_total: self.frames_total,
            frames_with_face: with_face,
            first_t_ms: self.first_t,
            last_t_ms: self.last_t,
        }
    }
}
