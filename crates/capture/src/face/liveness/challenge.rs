//! Active liveness challenges (ISO/IEC 30107-1 "challenge-response"), derived from the
//! server's nonce so that a pre-recorded video cannot anticipate them, and judged from per-frame
//! observations (eye openness, yaw, eye-line height).

use serde::{Deserialize, Serialize};

/// One requested action. Left/right are the subject's own (an unmirrored frame shows a turn to
/// the subject's left as the nose moving to the image right).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Challenge {
    Blink,
    TurnLeft,
    TurnRight,
    Nod,
}

impl Challenge {
    const ALL: [Challenge; 4] = [
        Challenge::Blink,
        Challenge::TurnLeft,
        Challenge::TurnRight,
        Challenge::Nod,
    ];

    /// Spanish prompt for the person.
    pub fn prompt(self) -> &'static str {
        match self {
            Challenge::Blink => "Parpadee",
            Challenge::TurnLeft => "Gire la cabeza hacia su izquierda",
            Challenge::TurnRight => "Gire la cabeza hacia su derecha",
            Challenge::Nod => "Asienta con la cabeza (arriba y abajo)",
        }
    }
}

/// Two distinct challenges, in order, from the nonce: FNV-1a 64 of the bytes, then one
/// SplitMix64 round; 4 × 3 = 12 sequences. The nonce should be ≥ 16 random bytes from the
/// server; the mapping is only meant to be deterministic so the server can recompute it.
pub fn from_nonce(nonce: &[u8]) -> [Challenge; 2] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in nonce {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let first = (z % 4) as usize;
    let second = (first + 1 + ((z >> 8) % 3) as usize) % 4;
    [Challenge::ALL[first], Challenge::ALL[second]]
}

/// What one frame showed, as used by the challenge judge.
#[derive(Clone, Copy, Debug)]
pub struct Obs {
    pub index: u32,
    pub t_ms: u64,
    pub openness: f32,
    pub yaw: f32,
    /// Eye-line height in inter-eye distances.
    pub eye_y_ied: f32,
}

/// Thresholds (relative to the baseline rest pose).
pub const BLINK_CLOSED: f32 = 0.5;
pub const BLINK_REOPENED: f32 = 0.8;
pub const TURN_DEG: f32 = 8.0;
pub const NOD_IED: f32 = 0.2;

/// Baseline rest pose over the whole session: the median yaw and eye-line height, and the
/// upper-quartile eye openness (eyes are open most of the time). Taken over every observation
/// rather than the first few, so a session that starts mid-blink or mid-turn still has the
/// person's rest pose as reference (the first frames alone would make every later blink or
/// turn look like no change).
pub fn baseline(obs: &[Obs]) -> Option<Obs> {
    let first = obs.first()?;
    let quantile = |f: &dyn Fn(&Obs) -> f32, q: f32| {
        let mut v: Vec<f32> = obs.iter().map(f).collect();
        v.sort_by(f32::total_cmp);
        let i = ((v.len() - 1) as f32 * q).round() as usize;
        v.get(i).copied().unwrap_or(0.0)
    };
    Some(Obs {
        index: first.index,
        t_ms: first.t_ms,
        openness: quantile(&|o| o.openness, 0.75),
        yaw: quantile(&|o| o.yaw, 0.5),
        eye_y_ied: quantile(&|o| o.eye_y_ied, 0.5),
    })
}

/// Looks for `c` in `obs` (already past the previous step). Returns the frames that show it
/// (start, end) and the peak deviation from the baseline.
pub fn find(c: Challenge, obs: &[Obs], base: &Obs) -> (Option<(usize, usize)>, f32) {
    let dev = |o: &Obs| match c {
        Challenge::Blink => 1.0 - o.openness / base.openness.max(1e-3),
        Challenge::TurnLeft => o.yaw - base.yaw,
        Challenge::TurnRight => base.yaw - o.yaw,
        Challenge::Nod => o.eye_y_ied - base.eye_y_ied,
    };
    let (hit, back) = match c {
        Challenge::Blink => (1.0 - BLINK_CLOSED, 1.0 - BLINK_REOPENED),
        Challenge::TurnLeft | Challenge::TurnRight => (TURN_DEG, TURN_DEG / 3.0),
        Challenge::Nod => (NOD_IED, NOD_IED / 2.0),
    };
    let peak = obs.iter().map(dev).fold(0.0f32, f32::max);
    let Some(start) = obs.iter().position(|o| dev(o) >= hit) else {
        return (None, peak);
    };
    // The movement must end: the person returns to the baseline pose afterwards.
    let end = obs
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, o)| dev(o) <= back)
        .map(|(i, _)| i);
    (end.map(|e| (start, e)), peak)
}
