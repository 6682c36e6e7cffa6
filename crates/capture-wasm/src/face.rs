//! `faceQuality`, the liveness session and the best-frame burst.

use crate::convert::{coded, to_object, JsResult};
use capture::face;
use wasm_bindgen::prelude::*;

fn face_err(e: face::FaceError) -> JsValue {
    coded(e.code(), &e.to_string())
}

/// Face detection and ICAO/ISO quality measures of one RGBA frame.
#[wasm_bindgen(js_name = faceQuality)]
pub fn face_quality(rgba: &[u8], width: u32, height: u32) -> JsResult<JsValue> {
    to_object(&face::face_quality(rgba, width, height).map_err(face_err)?)
}

/// The kept frame of a burst as JPEG (quality `JPEG_QUALITY`), with every frame's score.
/// `frames` is an array of RGBA `Uint8Array`s, all `width × height`.
#[wasm_bindgen(js_name = bestFrame)]
pub fn best_frame(frames: js_sys::Array, width: u32, height: u32) -> JsResult<JsValue> {
    let owned: Vec<Vec<u8>> = frames
        .iter()
        .map(|f| js_sys::Uint8Array::new(&f).to_vec())
        .collect();
    let refs: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    let best = face::best_frame(&refs, width, height).map_err(face_err)?;
    let obj = to_object(&best)?;
    js_sys::Reflect::set(
        &obj,
        &"jpeg".into(),
        &js_sys::Uint8Array::from(best.jpeg.as_slice()),
    )?;
    Ok(obj)
}

/// Proof-of-life session: a challenge drawn from the server's nonce, judged over frames.
#[wasm_bindgen]
pub struct LivenessSession {
    inner: face::LivenessSession,
}

#[wasm_bindgen]
impl LivenessSession {
    /// Starts a session; the challenge steps are derived from `challengeNonce`.
    pub fn start(challenge_nonce: &[u8]) -> LivenessSession {
        LivenessSession {
            inner: face::LivenessSession::start(challenge_nonce),
        }
    }

    /// The steps to perform, e.g. `[{code: "blink", prompt: "Parpadee"}, …]`.
    #[wasm_bindgen(getter)]
    pub fn challenge(&self) -> JsResult<JsValue> {
        let steps: Vec<serde_json::Value> = self
            .inner
            .challenge()
            .iter()
            .map(|c| serde_json::json!({ "code": c, "prompt": c.prompt() }))
            .collect();
        to_object(&steps)
    }

    /// Adds one RGBA frame taken at `tMs` (ms); returns that frame's face quality.
    pub fn push(&mut self, rgba: &[u8], width: u32, height: u32, t_ms: f64) -> JsResult<JsValue> {
        let t = if t_ms.is_finite() && t_ms >= 0.0 {
            t_ms as u64
        } else {
            0
        };
        to_object(&self.inner.push(rgba, width, height, t).map_err(face_err)?)
    }

    /// The decision with its evidence (never a bare boolean).
    pub fn result(&self) -> JsResult<JsValue> {
        to_object(&self.inner.result())
    }
}
