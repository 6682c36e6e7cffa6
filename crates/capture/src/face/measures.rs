//! Per-face measures in the spirit of ISO/IEC 29794-5:2025 (OFIQ) and ICAO 9303 Part 3 /
//! ICAO "Portrait Quality" (TR 2018): geometry (inter-eye distance, centring, roll, yaw),
//! capture (sharpness, exposure, dynamic range, illumination uniformity), scene (background
//! uniformity, light behind the subject) and subject (eyes open).
//!
//! These are simple image statistics, not OFIQ's trained models: each is documented with what
//! it computes so that thresholds can be audited.

use serde::{Deserialize, Serialize};

use super::detect::DetectedFace;
use super::image::{mean_abs_laplacian, mean_std, quantile, Frame, Gray};

/// Every measured value. Per-face values are `None` when no face was found; with several
/// faces they describe the largest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FaceMeasures {
    /// Faces found by the detector.
    pub face_count: u32,
    /// Face box width, pixels.
    pub face_width_px: Option<f32>,
    /// Distance between eye centres, pixels (ICAO minimum 90).
    pub inter_eye_px: Option<f32>,
    /// Eyes found by the eye cascade (0–2); the rest were placed from the face box.
    pub eyes_detected: Option<u32>,
    /// (face centre x − frame centre x) / frame width; negative = face on the image left.
    pub centre_offset_x: Option<f32>,
    /// (face centre y − 0.45 · frame height) / frame height; negative = face too high.
    pub centre_offset_y: Option<f32>,
    /// Head roll from the eye line, degrees; positive = image-right eye lower.
    pub roll_deg: Option<f32>,
    /// Head yaw estimate, degrees, from where the eye midpoint sits between the cheek edges
    /// (cylinder model: sin yaw = (L − R)/(L + R)); positive = nose towards the image right.
    pub yaw_deg: Option<f32>,
    /// Mean |Laplacian| / standard deviation of the face resampled to 96×96 (scale and
    /// exposure independent; higher = sharper).
    pub sharpness: Option<f32>,
    /// Mean luma of the inner face, 0–255.
    pub brightness: Option<f32>,
    /// Fraction of inner-face pixels at ≥ 250 (clipped highlights).
    pub overexposed: Option<f32>,
    /// Fraction of inner-face pixels at ≤ 10 (crushed shadows).
    pub underexposed: Option<f32>,
    /// 97th − 3rd percentile of inner-face luma, levels.
    pub dynamic_range: Option<f32>,
    /// Standard deviation of inner-face luma, levels.
    pub contrast: Option<f32>,
    /// (mean left half − mean right half) / (sum), inner face split at the eye midpoint.
    pub illumination_lr: Option<f32>,
    /// Mean luma of the background strips beside and above the head.
    pub background_brightness: Option<f32>,
    /// Standard deviation of background luma (lower = more uniform).
    pub background_std: Option<f32>,
    /// Background minus face brightness, levels (large positive = light behind the subject).
    pub backlight: Option<f32>,
    /// Per eye, the fraction of the eye patch darker than 0.6 × the surrounding skin
    /// (iris, pupil and lashes; falls when the lid closes).
    pub eye_openness: Option<[f32; 2]>,
    /// Whether both eyes look open (openness ≥ [`EYE_OPEN_MIN`]).
    pub eyes_open: Option<bool>,
}

/// Openness below which an eye is reported closed.
pub const EYE_OPEN_MIN: f32 = 0.04;

/// Pixels of `g` inside a rectangle (clipped to the image; empty when outside).
pub fn region(g: &Gray, x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<u8> {
    let xa = x0.max(0.0) as usize;
    let ya = y0.max(0.0) as usize;
    let xb = (x1.max(0.0) as usize).min(g.w);
    let yb = (y1.max(0.0) as usize).min(g.h);
    let mut v = Vec::new();
    for y in ya..yb {
        if let Some(row) = g.px.get(y * g.w + xa..y * g.w + xb.max(xa)) {
            v.extend_from_slice(row);
        }
    }
    v
}

/// Eye openness: dark fraction of the eye patch (see [`FaceMeasures::eye_openness`]).
pub fn eye_openness(g: &Gray, ex: f32, ey: f32, ied: f32) -> f32 {
    let around = region(
        g,
        ex - 0.3 * ied,
        ey - 0.3 * ied,
        ex + 0.3 * ied,
        ey + 0.3 * ied,
    );
    let skin = quantile(&around, 0.85);
    let patch = region(
        g,
        ex - 0.18 * ied,
        ey - 0.1 * ied,
        ex + 0.18 * ied,
        ey + 0.1 * ied,
    );
    if patch.is_empty() {
        return 0.0;
    }
    let thr = 0.6 * skin;
    patch.iter().filter(|&&p| f32::from(p) < thr).count() as f32 / patch.len() as f32
}

/// Yaw estimate in degrees (see [`FaceMeasures::yaw_deg`]): the head is a cylinder whose
/// silhouette stays put while the eyes move across it. On a band of rows just below the eyes,
/// each side is scanned outwards from 0.6 IED for the first column whose colour matches the
/// background sampled at 2.4 IED on that side. `None` when the background cannot be told
/// apart from the face (face filling the frame, background of skin colour).
pub fn yaw_estimate(frame: &Frame<'_>, f: &DetectedFace) -> Option<f32> {
    let [l, r] = f.eyes;
    let ied = ((r.x - l.x).powi(2) + (r.y - l.y).powi(2)).sqrt().max(1.0);
    let mid_x = (l.x + r.x) / 2.0;
    let row = (l.y + r.y) / 2.0 + 0.3 * ied;
    let (r0, r1) = ((row - 0.15 * ied) as i64, (row + 0.15 * ied) as i64);
    let n = (r1 - r0 + 1).max(1) as f32;
    let column = |x: i64| -> [f32; 3] {
        let mut c = [0f32; 3];
        for y in r0..=r1 {
            let p = frame.rgb(x, y);
            for k in 0..3 {
                c[k] += f32::from(p[k]) / n;
            }
        }
        c
    };
    let dist = |a: [f32; 3], b: [f32; 3]| -> f32 { (0..3).map(|k| (a[k] - b[k]).abs()).sum() };
    let skin = column(mid_x as i64);
    let limit = (2.4 * ied) as i64;
    let start = (0.6 * ied) as i64;
    let mut side = [0f32; 2];
    for (k, dir) in [-1i64, 1].into_iter().enumerate() {
        let bx = mid_x as i64 + dir * limit;
        if bx < 0 || bx >= frame.gray.w as i64 {
            return None;
        }
        let bg = column(bx);
        if dist(bg, skin) < 0.05 * (skin[0] + skin[1] + skin[2]) {
            return None;
        }
        side[k] = (start..limit)
            .find(|&d| dist(column(mid_x as i64 + dir * d), bg) < 0.35 * dist(skin, bg))
            .unwrap_or(limit) as f32;
    }
    let [dl, dr] = side;
    Some(
        ((dl - dr) / (dl + dr).max(1.0))
            .clamp(-1.0, 1.0)
            .asin()
            .to_degrees(),
    )
}

/// Computes all measures for the largest face (`faces[0]`).
pub fn measure(frame: &Frame<'_>, faces: &[DetectedFace]) -> FaceMeasures {
    let g = &frame.gray;
    let mut m = FaceMeasures {
        face_count: faces.len() as u32,
        ..FaceMeasures::default()
    };
    let Some(f) = faces.first() else {
        return m;
    };
    let b = f.face;
    let [l, r] = f.eyes;
    let ied = ((r.x - l.x).powi(2) + (r.y - l.y).powi(2)).sqrt();
    let (fw, fh) = (g.w as f32, g.h as f32);
    m.face_width_px = Some(b.width);
    m.inter_eye_px = Some(ied);
    m.eyes_detected = Some(f.eyes_detected.iter().filter(|&&d| d).count() as u32);
    m.centre_offset_x = Some((b.x + b.width / 2.0 - fw / 2.0) / fw);
    m.centre_offset_y = Some((b.y + b.height / 2.0 - 0.45 * fh) / fh);
    m.roll_deg = Some((r.y - l.y).atan2(r.x - l.x).to_degrees());
    m.yaw_deg = yaw_estimate(frame, f);

    let crop = g.resample(
        b.x + 0.1 * b.width,
        b.y + 0.1 * b.height,
        0.8 * b.width,
        0.8 * b.height,
        96,
        96,
    );
    let (_, crop_std) = mean_std(&crop.px);
    m.sharpness = Some(mean_abs_laplacian(&crop) / crop_std.max(1.0));

    let inner = region(
        g,
        b.x + 0.15 * b.width,
        b.y + 0.2 * b.height,
        b.x + 0.85 * b.width,
        b.y + 0.9 * b.height,
    );
    let (mean, std) = mean_std(&inner);
    let n = inner.len().max(1) as f32;
    m.brightness = Some(mean);
    m.contrast = Some(std);
    m.overexposed = Some(inner.iter().filter(|&&p| p >= 250).count() as f32 / n);
    m.underexposed = Some(inner.iter().filter(|&&p| p <= 10).count() as f32 / n);
    m.dynamic_range = Some(quantile(&inner, 0.97) - quantile(&inner, 0.03));

    let mid = (l.x + r.x) / 2.0;
    let (y0, y1) = (b.y + 0.2 * b.height, b.y + 0.9 * b.height);
    let left = mean_std(&region(g, b.x + 0.15 * b.width, y0, mid, y1)).0;
    let right = mean_std(&region(g, mid, y0, b.x + 0.85 * b.width, y1)).0;
    m.illumination_lr = Some((left - right) / (left + right).max(1.0));

    let mut bg = region(
        g,
        b.x - 0.9 * b.width,
        b.y,
        b.x - 0.25 * b.width,
        b.y + b.height,
    );
    bg.extend(region(
        g,
        b.x + 1.25 * b.width,
        b.y,
        b.x + 1.9 * b.width,
        b.y + b.height,
    ));
    bg.extend(region(
        g,
        b.x,
        b.y - 0.6 * b.height,
        b.x + b.width,
        b.y - 0.3 * b.height,
    ));
    if !bg.is_empty() {
        let (bm, bs) = mean_std(&bg);
        m.background_brightness = Some(bm);
        m.background_std = Some(bs);
        m.backlight = Some(bm - mean);
    }

    let open = [
        eye_openness(g, l.x, l.y, ied),
        eye_openness(g, r.x, r.y, ied),
    ];
    m.eye_openness = Some(open);
    m.eyes_open = Some(open.iter().all(|&o| o >= EYE_OPEN_MIN));
    m
}
