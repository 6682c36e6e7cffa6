//! Image-level features: NFIQ 2's quality features (ISO/IEC 29794-4:2024 §7) computed on
//! 32 × 32 blocks lying wholly in the foreground, summarised as means and deviations.
//!
//! - Orientation certainty level (OCL, §7.4.4): 1 − λmin/λmax of the block's gradient
//!   covariance.
//! - Orientation flow (OF, §7.4.5): mean angle between a block's ridge orientation and its
//!   foreground neighbours', less 4°, over 86°; 0 for smooth flow.
//! - Coherence (NFIQ 2 `OrientationMap_ROIFilter_CoherenceRel`): (λmax − λmin)/(λmax + λmin).
//! - LCS, RVU, FDA: see [`super::ridge`]. Minutiae: see [`super::minutiae`].

use serde::{Deserialize, Serialize};

use super::image::Gray;
use super::minutiae;
use super::ridge::{self, Dft, RidgeBlock, N};
use super::segment::{Blocks, B};

/// Pixels per millimetre at 500 ppi.
pub(crate) const PX_PER_MM: f32 = 500.0 / 25.4;
const OF_MIN: f32 = 4.0 * core::f32::consts::PI / 180.0;

/// Every measured feature. Fractions and certainties are 0–1; areas are mm² at the image's
/// resolution; gray levels are 0–255.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FingerFeatures {
    /// Foreground area over image area.
    pub foreground_fraction: f32,
    /// Area of foreground blocks showing a clear ridge pattern (mm²).
    pub usable_area_mm2: f32,
    /// Share of foreground blocks showing a clear ridge pattern.
    pub usable_fraction: f32,
    /// Mean orientation certainty level (OCL) of the foreground blocks.
    pub orientation_certainty: f32,
    /// Standard deviation of the OCL.
    pub orientation_certainty_sd: f32,
    /// Mean orientation coherence.
    pub coherence: f32,
    /// Mean orientation flow (0 = smooth; larger = ridge direction jumps between blocks).
    pub orientation_flow: f32,
    /// Mean local clarity score (LCS).
    pub local_clarity: f32,
    /// Standard deviation of the LCS.
    pub local_clarity_sd: f32,
    /// Mean frequency-domain-analysis value (FDA).
    pub frequency_domain: f32,
    /// Standard deviation of the FDA.
    pub frequency_domain_sd: f32,
    /// Mean ridge width / valley width (about 1 for a good print; < 1 dry, > 1 wet).
    pub ridge_valley_ratio: f32,
    /// Standard deviation of the ridge/valley width ratio (RVU; lower is more uniform).
    pub ridge_valley_uniformity: f32,
    /// Mean ridge period in pixels at 500 ppi (about 9 for adults).
    pub ridge_period_px: f32,
    /// Minutiae found in the foreground.
    pub minutiae_count: u32,
    /// Minutiae within the 200 × 200 px square centred on the foreground's centre of mass.
    pub minutiae_central_count: u32,
    /// Mean local clarity at the minutiae (0–1).
    pub minutiae_quality: f32,
    /// Mean gray level of the foreground.
    pub mean_gray: f32,
    /// Mean gray-level standard deviation of the foreground blocks.
    pub contrast: f32,
}

/// The foreground found by segmentation, in pixels of the caller's image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Foreground {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width of the bounding box.
    pub width: u32,
    /// Height of the bounding box.
    pub height: u32,
    /// Foreground area in pixels (not the box's).
    pub area_px: u32,
}

/// Mean and standard deviation.
fn stats(v: impl Iterator<Item = f32> + Clone) -> (f32, f32) {
    let n = v.clone().count() as f32;
    if n == 0.0 {
        return (0.0, 0.0);
    }
    let m = v.clone().sum::<f32>() / n;
    let var = v.map(|x| (x - m) * (x - m)).sum::<f32>() / n;
    (m, var.sqrt())
}

/// One 32 × 32 block.
#[derive(Clone, Copy, Default)]
struct Local {
    fg: bool,
    phi: f32,
    ocl: f32,
    coh: f32,
    ridge: RidgeBlock,
}

/// Computes every feature and the foreground box (in 500 ppi pixels).
pub(crate) fn measure(img: &Gray, blocks: &Blocks) -> (FingerFeatures, Foreground) {
    let step = N / B;
    let (nx, ny) = (blocks.nbx / step, blocks.nby / step);
    let dft = Dft::new();
    let mut local = vec![Local::default(); nx * ny];
    for by in 0..ny {
        for bx in 0..nx {
            let mut fg = true;
            let (mut xx, mut yy, mut xy) = (0f32, 0f32, 0f32);
            for sy in 0..step {
                for sx in 0..step {
                    let (cx, cy) = (bx * step + sx, by * step + sy);
                    fg &= blocks.is_fg(cx as isize, cy as isize);
                    let i = cy * blocks.nbx + cx;
                    xx += blocks.gxx.get(i).copied().unwrap_or(0.0);
                    yy += blocks.gyy.get(i).copied().unwrap_or(0.0);
                    xy += blocks.gxy.get(i).copied().unwrap_or(0.0);
                }
            }
            if !fg {
                continue;
            }
            let tr = xx + yy;
            let diff = ((xx - yy) * (xx - yy) + 4.0 * xy * xy).sqrt();
            let (l1, l2) = ((tr + diff) / 2.0, (tr - diff) / 2.0);
            let phi = 0.5 * (2.0 * xy).atan2(xx - yy);
            let ridge = ridge::analyse(&img.px, img.w, bx * N, by * N, phi, &dft);
            if let Some(l) = local.get_mut(by * nx + bx) {
                *l = Local {
                    fg,
                    phi,
                    ocl: if l1 > 0.0 { 1.0 - l2 / l1 } else { 0.0 },
                    coh: if tr > 0.0 { diff / tr } else { 0.0 },
                    ridge,
                };
            }
        }
    }

    // Orientation flow against the 8 neighbours.
    let get = |x: isize, y: isize| -> Option<&Local> {
        if x < 0 || y < 0 || x as usize >= nx || y as usize >= ny {
            return None;
        }
        local.get(y as usize * nx + x as usize).filter(|l| l.fg)
    };
    let mut flow = Vec::new();
    for by in 0..ny as isize {
        for bx in 0..nx as isize {
            let Some(c) = get(bx, by) else { continue };
            let (mut s, mut k) = (0f32, 0u32);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    if (dx, dy) == (0, 0) {
                        continue;
                    }
                    if let Some(n) = get(bx + dx, by + dy) {
                        let mut d = (c.phi - n.phi).abs() % core::f32::consts::PI;
                        if d > core::f32::consts::FRAC_PI_2 {
                            d = core::f32::consts::PI - d;
                        }
                        s += d;
                        k += 1;
                    }
                }
            }
            if k > 0 {
                let mean = s / k as f32;
                flow.push(((mean - OF_MIN) / (core::f32::consts::FRAC_PI_2 - OF_MIN)).max(0.0));
            }
        }
    }

    let fgl = local.iter().filter(|l| l.fg);
    let n_fg = fgl.clone().count();
    let usable = fgl
        .clone()
        .filter(|l| l.ridge.periodic && l.ridge.lcs > 0.0)
        .count();
    let (ocl, ocl_sd) = stats(fgl.clone().map(|l| l.ocl));
    let (coh, _) = stats(fgl.clone().map(|l| l.coh));
    let (lcs, lcs_sd) = stats(fgl.clone().map(|l| l.ridge.lcs));
    let (fda, fda_sd) = stats(fgl.clone().map(|l| l.ridge.fda));
    let (rvu, rvu_sd) = stats(fgl.clone().filter_map(|l| l.ridge.rvu));
    let (period, _) = stats(fgl.clone().filter_map(|l| l.ridge.period));
    let (of, _) = stats(flow.iter().copied());

    // Foreground extent and gray levels from the 16 × 16 mask.
    let (mut x0, mut y0, mut x1, mut y1, mut area) = (usize::MAX, usize::MAX, 0, 0, 0usize);
    let (mut sx, mut sy) = (0f32, 0f32);
    let mut fg16 = Vec::new();
    for by in 0..blocks.nby {
        for bx in 0..blocks.nbx {
            if blocks.is_fg(bx as isize, by as isize) {
                x0 = x0.min(bx);
                y0 = y0.min(by);
                x1 = x1.max(bx + 1);
                y1 = y1.max(by + 1);
                area += 1;
                sx += bx as f32 + 0.5;
                sy += by as f32 + 0.5;
                fg16.push(by * blocks.nbx + bx);
            }
        }
    }
    let (mean_gray, _) = stats(fg16.iter().filter_map(|&i| blocks.mean.get(i).copied()));
    let (contrast, _) = stats(fg16.iter().filter_map(|&i| blocks.std.get(i).copied()));
    let fore = if area == 0 {
        Foreground::default()
    } else {
        Foreground {
            x: (x0 * B) as u32,
            y: (y0 * B) as u32,
            width: ((x1 - x0) * B) as u32,
            height: ((y1 - y0) * B) as u32,
            area_px: (area * B * B) as u32,
        }
    };

    let minutiae = minutiae::extract(img, blocks);
    let (cx, cy) = if area > 0 {
        (sx / area as f32 * B as f32, sy / area as f32 * B as f32)
    } else {
        (0.0, 0.0)
    };
    let central = minutiae
        .iter()
        .filter(|m| (m.x as f32 - cx).abs() < 100.0 && (m.y as f32 - cy).abs() < 100.0)
        .count();
    let (mq, _) = stats(minutiae.iter().map(|m| {
        let (bx, by) = (m.x / N, m.y / N);
        if bx >= nx || by >= ny {
            return 0.0;
        }
        local
            .get(by * nx + bx)
            .filter(|l| l.fg)
            .map_or(0.0, |l| l.ridge.lcs)
    }));

    let block_mm2 = (N * N) as f32 / (PX_PER_MM * PX_PER_MM);
    let features = FingerFeatures {
        foreground_fraction: (area * B * B) as f32 / (img.w * img.h) as f32,
        usable_area_mm2: usable as f32 * block_mm2,
        usable_fraction: if n_fg > 0 {
            usable as f32 / n_fg as f32
        } else {
            0.0
        },
        orientation_certainty: ocl,
        orientation_certainty_sd: ocl_sd,
        coherence: coh,
        orientation_flow: of,
        local_clarity: lcs,
        local_clarity_sd: lcs_sd,
        frequency_domain: fda,
        frequency_domain_sd: fda_sd,
        ridge_valley_ratio: rvu,
        ridge_valley_uniformity: rvu_sd,
        ridge_period_px: period,
        minutiae_count: minutiae.len() as u32,
        minutiae_central_count: central as u32,
        minutiae_quality: mq,
        mean_gray,
        contrast,
    };
    (features, fore)
}
