//! Passive presentation-attack cues (ISO/IEC 30107-3 terms: "artefact species" photo print,
//! screen replay): micro-motion between frames, periodic screen/halftone patterns (moiré),
//! frame-to-frame brightness flicker, and fine skin texture.

use super::super::image::Gray;

/// Mean absolute grey difference between two frames inside a box (same coordinates on both),
/// or `None` when the frames differ in size.
pub fn motion(prev: &Gray, cur: &Gray, x0: usize, y0: usize, x1: usize, y1: usize) -> Option<f32> {
    if prev.w != cur.w || prev.h != cur.h {
        return None;
    }
    let (x1, y1) = (x1.min(cur.w), y1.min(cur.h));
    if x0 >= x1 || y0 >= y1 {
        return None;
    }
    let mut s = 0u64;
    for y in y0..y1 {
        let a = prev.px.get(y * cur.w + x0..y * cur.w + x1)?;
        let b = cur.px.get(y * cur.w + x0..y * cur.w + x1)?;
        s += a
            .iter()
            .zip(b)
            .map(|(&p, &q)| u64::from(p.abs_diff(q)))
            .sum::<u64>();
    }
    Some(s as f32 / ((x1 - x0) * (y1 - y0)) as f32)
}

/// Periodicity of the fine detail: the largest normalised autocorrelation of the 3×3
/// high-pass image at lags 3–12 px along rows or columns. Natural skin gives ≲ 0.2; a screen
/// or halftone grid beating with the camera sensor gives a strong peak at its period.
pub fn moire(g: &Gray) -> f32 {
    if g.w < 16 || g.h < 16 {
        return 0.0;
    }
    let (w, h) = (g.w, g.h);
    let mut hp = vec![0f32; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let mut s = 0i32;
            for dy in 0..3 {
                for dx in 0..3 {
                    s += i32::from(g.px[(y + dy - 1) * w + x + dx - 1]);
                }
            }
            hp[y * w + x] = f32::from(g.px[y * w + x]) - s as f32 / 9.0;
        }
    }
    let energy: f32 = hp.iter().map(|v| v * v).sum();
    if energy <= f32::EPSILON {
        return 0.0;
    }
    let mut best = 0f32;
    for lag in 3..=12usize {
        if lag + 2 >= w || lag + 2 >= h {
            break;
        }
        let (mut ax, mut ay) = (0f32, 0f32);
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let v = hp[y * w + x];
                if x + lag < w - 1 {
                    ax += v * hp[y * w + x + lag];
                }
                if y + lag < h - 1 {
                    ay += v * hp[(y + lag) * w + x];
                }
            }
        }
        best = best.max(ax / energy).max(ay / energy);
    }
    best
}

/// Flicker: median over frames of |b[i] − (b[i−1] + b[i+1]) / 2|, the frame-mean brightness
/// second difference (levels). Auto-exposure drifts smoothly; a screen replay beating with the
/// camera's frame rate alternates.
pub fn flicker(brightness: &[f32]) -> Option<f32> {
    let mut d: Vec<f32> = brightness
        .windows(3)
        .map(|w| (w[1] - (w[0] + w[2]) / 2.0).abs())
        .collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(f32::total_cmp);
    d.get(d.len() / 2).copied()
}

/// Median of a list (None when empty).
pub fn median(v: &[f32]) -> Option<f32> {
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    s.get(s.len() / 2).copied()
}
