//! Fusion of the features into the 0–100 score.
//!
//! NFIQ 2 fuses its features with a random forest trained on matcher scores (ISO/IEC
//! 29794-4:2024 §8). Huella uses a small model trained offline to rank images like NFIQ 2:
//! `tools/finger_train_fusion.py` builds the graded set (`tools/finger_graded_set.py`), reads
//! these inputs for every image through `cargo run --example finger_features`, fits the model
//! on the images of some source prints only, reports Spearman's ρ on the held-out prints, and
//! writes the coefficients into [`super::model`].
//!
//! An image that is not a fingerprint scores 0 whatever the model says: less than
//! [`MIN_USABLE_MM2`] of usable ridge pattern, or fewer than [`MIN_MINUTIAE`] minutiae (NFIQ 2's
//! actionable feedback `FingerprintImageWithMinutiae` uses the same count; it also catches
//! synthetic stripes and rings).

use super::model;
use super::FingerFeatures;

/// Below this usable ridge area (mm², about four 32 × 32 blocks) there is no fingerprint.
pub(crate) const MIN_USABLE_MM2: f32 = 10.0;
/// Below this many minutiae there is no fingerprint.
pub(crate) const MIN_MINUTIAE: u32 = 5;

/// Does the image hold a fingerprint at all?
pub(crate) fn is_fingerprint(f: &FingerFeatures) -> bool {
    f.usable_area_mm2 >= MIN_USABLE_MM2 && f.minutiae_count >= MIN_MINUTIAE
}

/// The model's inputs: monotone transforms of the features, in [`model::INPUT_NAMES`] order.
pub fn fusion_inputs(f: &FingerFeatures) -> [f32; model::INPUTS] {
    [
        (1.0 + f.usable_area_mm2).ln(),
        f.usable_fraction,
        f.foreground_fraction,
        f.orientation_certainty,
        f.orientation_certainty_sd,
        f.coherence,
        f.orientation_flow,
        f.local_clarity,
        f.local_clarity_sd,
        f.frequency_domain,
        f.frequency_domain_sd,
        (f.ridge_valley_ratio.max(0.05)).ln().abs(),
        f.ridge_valley_uniformity,
        (f.ridge_period_px - 9.0).abs(),
        (1.0 + f.minutiae_count as f32).ln(),
        (1.0 + f.minutiae_central_count as f32).ln(),
        f.minutiae_quality,
        f.mean_gray / 255.0,
        f.contrast / 128.0,
    ]
}

/// The 0–100 score.
pub(crate) fn score(f: &FingerFeatures) -> u8 {
    if !is_fingerprint(f) {
        return 0;
    }
    let x = fusion_inputs(f);
    let mut hidden = [0f32; model::HIDDEN];
    for (h, (row, b)) in hidden
        .iter_mut()
        .zip(model::W1.iter().zip(model::B1.iter()))
    {
        let mut acc = *b;
        for ((v, m), (s, w)) in x
            .iter()
            .zip(model::MEAN.iter())
            .zip(model::SCALE.iter().zip(row.iter()))
        {
            acc += (v - m) / s * w;
        }
        *h = acc.tanh();
    }
    let mut out = model::B2;
    for (h, w) in hidden.iter().zip(model::W2.iter()) {
        out += h * w;
    }
    (100.0 / (1.0 + (-out).exp())).round().clamp(0.0, 100.0) as u8
}
