//! Per-finger acceptance thresholds.
//!
//! Finger positions follow ANSI/NIST-ITL and ISO/IEC 19794-4 (`0` unknown, `1`–`5` right thumb
//! to little, `6`–`10` left thumb to little, `11`/`12` plain thumbs, `13`–`15` slaps). IMSS's own
//! NFIQ threshold is not public, so the defaults follow common enrolment practice with NFIQ 2:
//! thumbs and index fingers, which matchers rely on most, must score higher than ring and little
//! fingers, whose prints are smaller and fainter. They are configuration: deployments may
//! replace them.

use serde::{Deserialize, Serialize};

use super::{FingerQuality, GuidanceCode};

/// What one finger position must reach.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FingerThreshold {
    /// Minimum 0–100 score.
    pub min_score: u8,
    /// Minimum usable ridge area, mm².
    pub min_usable_area_mm2: f32,
}

/// Thresholds for positions 0–15 (index = position).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// One entry per finger position 0–15.
    pub positions: [FingerThreshold; 16],
}

impl Default for Thresholds {
    fn default() -> Self {
        let t = |min_score, min_usable_area_mm2| FingerThreshold {
            min_score,
            min_usable_area_mm2,
        };
        let thumb = t(45, 150.0);
        let index = t(45, 120.0);
        let middle = t(40, 120.0);
        let ring = t(35, 100.0);
        let little = t(30, 80.0);
        Thresholds {
            positions: [
                t(40, 100.0), // 0 unknown
                thumb,
                index,
                middle,
                ring,
                little,
                thumb,
                index,
                middle,
                ring,
                little,
                thumb,        // 11 plain right thumb
                thumb,        // 12 plain left thumb
                t(40, 300.0), // 13 right four-finger slap
                t(40, 300.0), // 14 left four-finger slap
                t(45, 250.0), // 15 both thumbs
            ],
        }
    }
}

impl Thresholds {
    /// The threshold of a finger position, `None` beyond 15.
    pub fn get(&self, position: u8) -> Option<&FingerThreshold> {
        self.positions.get(usize::from(position))
    }

    /// Does `quality` meet the threshold of `position`? False for positions beyond 15 and for
    /// images without a fingerprint.
    pub fn accept(&self, position: u8, quality: &FingerQuality) -> bool {
        let Some(t) = self.get(position) else {
            return false;
        };
        let empty = quality
            .guidance
            .iter()
            .any(|g| g.code == GuidanceCode::SinHuella);
        !empty
            && quality.score >= t.min_score
            && quality.features.usable_area_mm2 >= t.min_usable_area_mm2
    }
}
