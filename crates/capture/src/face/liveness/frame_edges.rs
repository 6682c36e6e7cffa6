//! Screen-edge cue: the bezel of a phone or tablet held up to the camera draws a closed
//! rectangle of long straight edges close around the face. A real head in a room rarely has a
//! straight edge on all four sides within about one face size.
//!
//! For each side we scan a band next to the face box and take the strongest line: the fraction
//! of pixels along it where the luma step across the line (two pixels apart) is at least
//! [`EDGE_STEP`] levels. A side counts as found when that fraction reaches [`LINE_FILL`]. Sides
//! whose band falls outside the frame count as "not visible" and are not required.

use super::super::detect::FaceBox;
use super::super::image::Gray;

/// Minimum luma step (levels) across a bezel edge.
pub const EDGE_STEP: i16 = 30;
/// Fraction of a line's pixels that must show the step.
pub const LINE_FILL: f32 = 0.85;

/// Sides found and sides visible, for one frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameEdges {
    pub found: u8,
    pub visible: u8,
}

impl FrameEdges {
    /// Every visible side found, and at least three visible.
    pub fn closed(self) -> bool {
        self.visible >= 3 && self.found == self.visible
    }
}

fn at(g: &Gray, x: usize, y: usize) -> i16 {
    g.px.get(y * g.w + x).copied().unwrap_or(0) as i16
}

/// Best fill of a horizontal line at rows `ys`, over columns `xs`.
fn best_row(g: &Gray, ys: (usize, usize), xs: (usize, usize)) -> f32 {
    let n = xs.1.saturating_sub(xs.0).max(1) as f32;
    (ys.0.max(2)..ys.1.min(g.h))
        .map(|y| {
            let hits = (xs.0..xs.1.min(g.w))
                .filter(|&x| (at(g, x, y) - at(g, x, y - 2)).abs() >= EDGE_STEP)
                .count();
            hits as f32 / n
        })
        .fold(0.0, f32::max)
}

/// Best fill of a vertical line at columns `xs`, over rows `ys`.
fn best_col(g: &Gray, xs: (usize, usize), ys: (usize, usize)) -> f32 {
    let n = ys.1.saturating_sub(ys.0).max(1) as f32;
    (xs.0.max(2)..xs.1.min(g.w))
        .map(|x| {
            let hits = (ys.0..ys.1.min(g.h))
                .filter(|&y| (at(g, x, y) - at(g, x - 2, y)).abs() >= EDGE_STEP)
                .count();
            hits as f32 / n
        })
        .fold(0.0, f32::max)
}

/// Looks for the four bezel sides around `b`.
pub fn frame_edges(g: &Gray, b: &FaceBox) -> FrameEdges {
    let (w, h) = (g.w as f32, g.h as f32);
    let clamp = |v: f32, max: f32| v.clamp(0.0, max) as usize;
    let (fx, fy, fw, fh) = (b.x, b.y, b.width, b.height);
    // The line must span the face and a margin: a bezel is wider than the face.
    let span_x = (clamp(fx - 0.2 * fw, w), clamp(fx + 1.2 * fw, w));
    let span_y = (clamp(fy - 0.2 * fh, h), clamp(fy + 1.2 * fh, h));
    let bands = [
        (fy - 1.0 * fh, fy - 0.05 * fh, true),  // top
        (fy + 1.1 * fh, fy + 2.6 * fh, true),   // bottom (phones are tall)
        (fx - 0.9 * fw, fx - 0.05 * fw, false), // left
        (fx + 1.05 * fw, fx + 1.9 * fw, false), // right
    ];
    let mut e = FrameEdges::default();
    for (lo, hi, horizontal) in bands {
        let limit = if horizontal { h } else { w };
        if hi <= 2.0 || lo >= limit - 1.0 {
            continue; // side outside the frame
        }
        e.visible += 1;
        let band = (clamp(lo, limit), clamp(hi, limit));
        let fill = if horizontal {
            best_row(g, band, span_x)
        } else {
            best_col(g, band, span_y)
        };
        if fill >= LINE_FILL {
            e.found += 1;
        }
    }
    e
}
