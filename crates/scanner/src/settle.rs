//! When to stop reading frames: the print's quality has settled. Used by every capture front
//! end (the web app, capture-wasm's `FingerprintScanner`) as the predicate of
//! [`crate::Scanner::capture`], fed with each frame's quality score.
//!
//! The reader streams frames while the finger rests on it; the first ones may show a finger still
//! pressing down (faint, partial). Each good frame is scored with
//! `capture::finger::fingerprint_quality` (NFIQ 2-style, 0–100) and the capture stops at the
//! first frame where either
//!
//! - the score is at least `good_score` (default 60: usable at once — NFIQ 2 levels 3–5 start
//!   around 35, so 60 is a clearly good print), or
//! - the score is at least `min_score` (default 20: there is a print) **and** differs from the
//!   previous frame's by at most `stable_delta` (default 3): pressing longer will not improve it,
//!   so further frames only cost time; the guidance then says what to change.
//!
//! Otherwise the driver stops after `max_frames` good frames (default 8, ≈ 1.2 s on a 4500) or
//! the capture timeout, and returns the last frame unsettled (`settled: false`).

use serde::Deserialize;

/// Settle rule parameters (all optional from JS: `{goodScore, minScore, stableDelta, maxFrames}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SettleRule {
    /// A frame scoring at least this is accepted at once.
    pub good_score: u8,
    /// A stable score below this is not accepted (no print yet).
    pub min_score: u8,
    /// Largest score change between consecutive frames that counts as stable.
    pub stable_delta: u8,
    /// Frame cap (≥ 1).
    pub max_frames: u32,
}

impl Default for SettleRule {
    fn default() -> Self {
        Self {
            good_score: 60,
            min_score: 20,
            stable_delta: 3,
            max_frames: 8,
        }
    }
}

/// Scores seen so far in one capture, and the decision.
#[derive(Debug, Clone, Default)]
pub struct Settler {
    rule: SettleRule,
    scores: Vec<u8>,
}

impl Settler {
    /// A fresh capture under `rule`.
    pub fn new(rule: SettleRule) -> Self {
        Self {
            rule,
            scores: Vec::new(),
        }
    }

    /// Records the next good frame's score; true when the capture can stop.
    pub fn push(&mut self, score: u8) -> bool {
        let previous = self.scores.last().copied();
        self.scores.push(score);
        if score >= self.rule.good_score {
            return true;
        }
        match previous {
            Some(p) => score >= self.rule.min_score && p.abs_diff(score) <= self.rule.stable_delta,
            None => false,
        }
    }

    /// Every frame's score, in order.
    pub fn scores(&self) -> &[u8] {
        &self.scores
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_frame_stops_at_once() {
        let mut s = Settler::new(SettleRule::default());
        assert!(s.push(75));
        assert_eq!(s.scores(), &[75]);
    }

    #[test]
    fn stable_mediocre_print_stops_on_the_second_equal_frame() {
        let mut s = Settler::new(SettleRule::default());
        assert!(!s.push(30));
        assert!(!s.push(40));
        assert!(s.push(42));
    }

    #[test]
    fn stable_empty_platen_never_settles() {
        let mut s = Settler::new(SettleRule::default());
        assert!(!s.push(0));
        assert!(!s.push(0));
        assert!(!s.push(1));
    }

    #[test]
    fn rule_reads_partial_camel_case_json() {
        let r: SettleRule = serde_json::from_str(r#"{"maxFrames": 3, "goodScore": 101}"#).unwrap();
        assert_eq!(r.max_frames, 3);
        assert_eq!(r.good_score, 101);
        assert_eq!(r.min_score, SettleRule::default().min_score);
        assert!(serde_json::from_str::<SettleRule>(r#"{"maxframes": 3}"#).is_err());
    }
}
