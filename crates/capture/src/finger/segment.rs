//! Block statistics and foreground segmentation.
//!
//! NFIQ 2 (ISO/IEC 29794-4:2024 §7.2, "ImgProcROI") separates the finger from the platen by
//! local gray-level variation, then cleans the mask morphologically. Here the image is cut into
//! 16 × 16 blocks (≈ 0.8 mm at 500 ppi); a block is foreground when its gray-level standard
//! deviation shows ridges. The mask is smoothed by a 3 × 3 majority vote, reduced to its largest
//! 8-connected component and its holes are filled.
//!
//! The same pass accumulates the Sobel gradient covariance of every block, from which the
//! orientation measures of [`super::orient`] are derived.

use super::image::Gray;

/// Side of a segmentation block, in pixels at 500 ppi.
pub(crate) const B: usize = 16;
/// Minimum gray-level standard deviation of a foreground block.
const STD_MIN: f32 = 7.0;

/// Per-block sums, row-major over a `nbx × nby` grid.
pub(crate) struct Blocks {
    pub nbx: usize,
    pub nby: usize,
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
    /// Gradient covariance sums: Σgx², Σgy², Σgx·gy.
    pub gxx: Vec<f32>,
    pub gyy: Vec<f32>,
    pub gxy: Vec<f32>,
    /// Foreground mask after cleaning.
    pub fg: Vec<bool>,
}

impl Blocks {
    /// Is block (bx, by) foreground? False outside the grid.
    #[inline]
    pub fn is_fg(&self, bx: isize, by: isize) -> bool {
        if bx < 0 || by < 0 || bx as usize >= self.nbx || by as usize >= self.nby {
            return false;
        }
        self.fg
            .get(by as usize * self.nbx + bx as usize)
            .copied()
            .unwrap_or(false)
    }
}

/// Computes block statistics and the foreground mask.
pub(crate) fn analyse(img: &Gray) -> Blocks {
    let (nbx, nby) = (img.w / B, img.h / B);
    let n = nbx * nby;
    let mut sum = vec![0f32; n];
    let mut sum2 = vec![0f32; n];
    let mut gxx = vec![0f32; n];
    let mut gyy = vec![0f32; n];
    let mut gxy = vec![0f32; n];
    let w = img.w;
    let rows: Vec<&[u8]> = img.px.chunks_exact(w).collect();
    for y in 0..nby * B {
        let bi = (y / B) * nbx;
        let Some(cur) = rows.get(y) else { break };
        for (bx, chunk) in cur.chunks_exact(B).take(nbx).enumerate() {
            let (s, s2) = chunk.iter().fold((0u32, 0u32), |(s, s2), &v| {
                (s + u32::from(v), s2 + u32::from(v) * u32::from(v))
            });
            if let (Some(a), Some(b)) = (sum.get_mut(bi + bx), sum2.get_mut(bi + bx)) {
                *a += s as f32;
                *b += s2 as f32;
            }
        }
        let (Some(up), Some(down)) = (y.checked_sub(1).and_then(|u| rows.get(u)), rows.get(y + 1))
        else {
            continue;
        };
        for bx in 0..nbx {
            let (mut xx, mut yy, mut xy) = (0i64, 0i64, 0i64);
            let xs = (bx * B).max(1)..(bx * B + B).min(w - 1);
            let (Some(u), Some(c), Some(d)) = (
                up.get(xs.start - 1..xs.end + 1),
                cur.get(xs.start - 1..xs.end + 1),
                down.get(xs.start - 1..xs.end + 1),
            ) else {
                continue;
            };
            for ((u, c), d) in u.windows(3).zip(c.windows(3)).zip(d.windows(3)) {
                let g = |s: &[u8], i: usize| i32::from(s.get(i).copied().unwrap_or(0));
                let gx = (g(u, 2) + 2 * g(c, 2) + g(d, 2)) - (g(u, 0) + 2 * g(c, 0) + g(d, 0));
                let gy = (g(d, 0) + 2 * g(d, 1) + g(d, 2)) - (g(u, 0) + 2 * g(u, 1) + g(u, 2));
                xx += i64::from(gx * gx);
                yy += i64::from(gy * gy);
                xy += i64::from(gx * gy);
            }
            let i = bi + bx;
            if let (Some(a), Some(b), Some(c)) = (gxx.get_mut(i), gyy.get_mut(i), gxy.get_mut(i)) {
                *a += xx as f32;
                *b += yy as f32;
                *c += xy as f32;
            }
        }
    }
    let area = (B * B) as f32;
    let mean: Vec<f32> = sum.iter().map(|s| s / area).collect();
    let std: Vec<f32> = sum2
        .iter()
        .zip(&mean)
        .map(|(s2, m)| (s2 / area - m * m).max(0.0).sqrt())
        .collect();
    let raw: Vec<bool> = std.iter().map(|&s| s >= STD_MIN).collect();
    let fg = clean_mask(&raw, nbx, nby);
    Blocks {
        nbx,
        nby,
        mean,
        std,
        gxx,
        gyy,
        gxy,
        fg,
    }
}

/// Majority vote, largest component, hole filling.
fn clean_mask(raw: &[bool], nbx: usize, nby: usize) -> Vec<bool> {
    let get = |m: &[bool], x: isize, y: isize| {
        x >= 0
            && y >= 0
            && (x as usize) < nbx
            && (y as usize) < nby
            && m.get(y as usize * nbx + x as usize)
                .copied()
                .unwrap_or(false)
    };
    let mut voted = vec![false; raw.len()];
    for y in 0..nby as isize {
        for x in 0..nbx as isize {
            let mut c = 0;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    c += usize::from(get(raw, x + dx, y + dy));
                }
            }
            if let Some(v) = voted.get_mut(y as usize * nbx + x as usize) {
                *v = c >= 5;
            }
        }
    }
    // Largest 8-connected component.
    let mut label = vec![0u32; raw.len()];
    let (mut best, mut best_size, mut next) = (0u32, 0usize, 0u32);
    let mut stack = Vec::new();
    for start in 0..raw.len() {
        if !voted.get(start).copied().unwrap_or(false)
            || label.get(start).copied().unwrap_or(1) != 0
        {
            continue;
        }
        next += 1;
        let mut size = 0;
        stack.push(start);
        if let Some(l) = label.get_mut(start) {
            *l = next;
        }
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = ((i % nbx) as isize, (i / nbx) as isize);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if get(&voted, nx, ny) {
                        let j = ny as usize * nbx + nx as usize;
                        if let Some(l) = label.get_mut(j) {
                            if *l == 0 {
                                *l = next;
                                stack.push(j);
                            }
                        }
                    }
                }
            }
        }
        if size > best_size {
            best_size = size;
            best = next;
        }
    }
    let comp: Vec<bool> = label.iter().map(|&l| l != 0 && l == best).collect();
    // Fill holes: background not 4-connected to the border becomes foreground.
    let mut outside = vec![false; raw.len()];
    for i in 0..raw.len() {
        let (x, y) = (i % nbx, i / nbx);
        let border = x == 0 || y == 0 || x + 1 == nbx || y + 1 == nby;
        if border && !comp.get(i).copied().unwrap_or(true) {
            if let Some(o) = outside.get_mut(i) {
                *o = true;
            }
            stack.push(i);
        }
    }
    while let Some(i) = stack.pop() {
        let (x, y) = ((i % nbx) as isize, (i / nbx) as isize);
        for (dx, dy) in [(-1isize, 0isize), (1, 0), (0, -1), (0, 1)] {
            let (nx, ny) = (x + dx, y + dy);
            if nx < 0 || ny < 0 || nx as usize >= nbx || ny as usize >= nby {
                continue;
            }
            let j = ny as usize * nbx + nx as usize;
            if !comp.get(j).copied().unwrap_or(true) && !outside.get(j).copied().unwrap_or(true) {
                if let Some(o) = outside.get_mut(j) {
                    *o = true;
                }
                stack.push(j);
            }
        }
    }
    outside.iter().map(|&o| !o).collect()
}
