//! Minutiae count and quality in the foreground, in the spirit of NFIQ 2's
//! `FingerJetFX_MinutiaeCount`, `FingerJetFX_MinCount_COMMinRect200x200` and
//! `FJFXPos_*_MinutiaeQuality` features (ISO/IEC 29794-4:2024 §7.5).
//!
//! NFIQ 2 uses the FingerJet FX extractor; this is a lighter classic pipeline: 3 × 3 binomial
//! smoothing, binarisation against the 15 × 15 local mean, Zhang–Suen thinning, and the
//! crossing number (1 = ridge ending, 3 = bifurcation) on the skeleton. Minutiae within one
//! block of the foreground border, and pairs closer than 8 px (typical of broken ridges and
//! bridges, i.e. noise), are discarded.

use super::image::Gray;
use super::segment::{Blocks, B};

/// Half side of the local-mean window.
const R: usize = 7;
/// Pairs of minutiae closer than this (pixels) are both dropped.
const PAIR_DIST: i32 = 8;

/// A minutia position, in pixels of the 500 ppi image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Minutia {
    pub x: usize,
    pub y: usize,
}

/// Zhang–Suen deletion table: bit 0 for the first sub-iteration, bit 1 for the second.
/// Neighbour bits 0..7 are P2 (north) clockwise to P9 (north-west).
const ZS: [u8; 256] = zs_table();

const fn bit(c: usize, i: u32) -> usize {
    (c >> (i % 8)) & 1
}

const fn zs_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = (c as u32).count_ones();
        let mut a = 0;
        let mut i = 0;
        while i < 8 {
            if bit(c, i) == 0 && bit(c, i + 1) == 1 {
                a += 1;
            }
            i += 1;
        }
        let (p2, p4, p6, p8) = (bit(c, 0), bit(c, 2), bit(c, 4), bit(c, 6));
        if b >= 2 && b <= 6 && a == 1 {
            if p2 * p4 * p6 == 0 && p4 * p6 * p8 == 0 {
                t[c] |= 1;
            }
            if p2 * p4 * p8 == 0 && p2 * p6 * p8 == 0 {
                t[c] |= 2;
            }
        }
        c += 1;
    }
    t
}

/// Extracts minutiae inside the foreground of `img`.
pub(crate) fn extract(img: &Gray, blocks: &Blocks) -> Vec<Minutia> {
    // Bounding box of the foreground, in pixels.
    let (mut bx0, mut by0, mut bx1, mut by1) = (usize::MAX, usize::MAX, 0, 0);
    for by in 0..blocks.nby {
        for bx in 0..blocks.nbx {
            if blocks.is_fg(bx as isize, by as isize) {
                bx0 = bx0.min(bx);
                by0 = by0.min(by);
                bx1 = bx1.max(bx + 1);
                by1 = by1.max(by + 1);
            }
        }
    }
    if bx0 >= bx1 || by0 >= by1 {
        return Vec::new();
    }
    let (x0, y0) = (bx0 * B, by0 * B);
    let (w, h) = ((bx1 - bx0) * B, (by1 - by0) * B);

    // Smoothed region (3 × 3 binomial, ×16), rows and columns clamped at the image edge.
    let row_of = |y: usize| {
        let y = y.min(img.h - 1);
        img.px.get(y * img.w..(y + 1) * img.w).unwrap_or(&[])
    };
    let mut hs = vec![0u32; w * (h + 2)]; // horizontal pass, one extra row above and below
    for r in 0..h + 2 {
        let src = row_of((y0 + r).saturating_sub(1));
        let out = hs.get_mut(r * w..(r + 1) * w).unwrap_or(&mut []);
        for (x, o) in out.iter_mut().enumerate() {
            let c = x0 + x;
            let g = |i: usize| u32::from(src.get(i).copied().unwrap_or(0));
            *o = g(c.saturating_sub(1)) + 2 * g(c) + g((c + 1).min(img.w - 1));
        }
    }
    let mut sm = vec![0u32; w * h];
    for (y, out) in sm.chunks_exact_mut(w).enumerate() {
        let (a, b, c) = (
            hs.get(y * w..(y + 1) * w).unwrap_or(&[]),
            hs.get((y + 1) * w..(y + 2) * w).unwrap_or(&[]),
            hs.get((y + 2) * w..(y + 3) * w).unwrap_or(&[]),
        );
        for (o, ((a, b), c)) in out.iter_mut().zip(a.iter().zip(b).zip(c)) {
            *o = a + 2 * b + c;
        }
    }

    // Local mean over (2R+1)² by running box sums: horizontal then vertical.
    let mut hbox = vec![0u32; w * h];
    for (src, out) in sm.chunks_exact(w).zip(hbox.chunks_exact_mut(w)) {
        let mut acc: u32 = src.iter().take(R + 1).sum();
        for (x, o) in out.iter_mut().enumerate() {
            *o = acc;
            acc += src.get(x + R + 1).copied().unwrap_or(0);
            acc -= if x >= R {
                src.get(x - R).copied().unwrap_or(0)
            } else {
                0
            };
        }
    }
    // Vertical pass row by row: `acc` holds the window sums of row y.
    let mut mean_sum = vec![0u32; w * h];
    let mut acc = vec![0u32; w];
    for row in hbox.chunks_exact(w).take(R + 1) {
        for (a, v) in acc.iter_mut().zip(row) {
            *a += v;
        }
    }
    for (y, out) in mean_sum.chunks_exact_mut(w).enumerate() {
        out.copy_from_slice(&acc);
        if let Some(add) = hbox.get((y + R + 1) * w..(y + R + 2) * w) {
            for (a, v) in acc.iter_mut().zip(add) {
                *a += v;
            }
        }
        if y >= R {
            if let Some(sub) = hbox.get((y - R) * w..(y - R + 1) * w) {
                for (a, v) in acc.iter_mut().zip(sub) {
                    *a -= v;
                }
            }
        }
    }

    // Binary ridge map (darker than the local mean, inside the foreground), one-pixel frame.
    let pw = w + 2;
    let mut bin = vec![0u8; pw * (h + 2)];
    for y in 0..h {
        let by = ((y0 + y) / B) as isize;
        let fg_row: Vec<bool> = (bx0..bx1).map(|bx| blocks.is_fg(bx as isize, by)).collect();
        let out = bin
            .get_mut((y + 1) * pw + 1..(y + 1) * pw + 1 + w)
            .unwrap_or(&mut []);
        let ny = ((y + R + 1).min(h) - y.saturating_sub(R)) as u32;
        let (s, m) = (
            sm.get(y * w..(y + 1) * w).unwrap_or(&[]),
            mean_sum.get(y * w..(y + 1) * w).unwrap_or(&[]),
        );
        for (x, (o, (&s, &m))) in out.iter_mut().zip(s.iter().zip(m)).enumerate() {
            let inside = fg_row.get(x / B).copied().unwrap_or(false);
            let nx = ((x + R + 1).min(w) - x.saturating_sub(R)) as u32;
            *o = u8::from(inside && s * nx * ny < m);
        }
    }
    thin(&mut bin, pw, h + 2);

    // Crossing number on the skeleton.
    let mut found = Vec::new();
    for y in 1..=h {
        for x in 1..=w {
            let p = y * pw + x;
            if bin.get(p).copied().unwrap_or(0) == 0 {
                continue;
            }
            let code = neighbours(&bin, p, pw);
            let mut cn = 0;
            for i in 0..8 {
                cn += u32::from(((code >> i) & 1) != ((code >> ((i + 1) % 8)) & 1));
            }
            if cn != 2 && cn != 6 {
                continue; // cn/2 == 1 (ending) or 3 (bifurcation) wanted
            }
            let (ix, iy) = (x0 + x - 1, y0 + y - 1);
            let (bx, by) = ((ix / B) as isize, (iy / B) as isize);
            let inner = (-1..=1).all(|dy| (-1..=1).all(|dx| blocks.is_fg(bx + dx, by + dy)));
            if inner {
                found.push(Minutia { x: ix, y: iy });
            }
        }
    }
    drop_close_pairs(found)
}

/// The 8-neighbourhood of `p` as bits P2..P9 (north, clockwise); 0 at the frame.
#[inline]
fn neighbours(bin: &[u8], p: usize, pw: usize) -> u8 {
    let row = |c: usize| -> [u8; 3] {
        match c.checked_sub(1).and_then(|a| bin.get(a..a + 3)) {
            Some(&[a, b, c]) => [a & 1, b & 1, c & 1],
            _ => [0; 3],
        }
    };
    let [nw, n, ne] = row(p.wrapping_sub(pw));
    let [w, _, e] = row(p);
    let [sw, s, se] = row(p + pw);
    n | ne << 1 | e << 2 | se << 3 | s << 4 | sw << 5 | w << 6 | nw << 7
}

/// Zhang–Suen thinning in place; `bin` has an empty one-pixel frame. Only contour pixels
/// can be deleted, so each sub-iteration examines the current contour: first every ridge pixel
/// with a background 4-neighbour, then the survivors plus the neighbours of deleted pixels.
fn thin(bin: &mut [u8], pw: usize, ph: usize) {
    const QUEUED: u8 = 2;
    let on = |b: &[u8], q: usize| b.get(q).copied().unwrap_or(0) & 1 != 0;
    let mut contour: Vec<usize> = Vec::new();
    for p in pw..pw * (ph - 1) {
        if on(bin, p)
            && (!on(bin, p - 1) || !on(bin, p + 1) || !on(bin, p - pw) || !on(bin, p + pw))
        {
            contour.push(p);
            if let Some(b) = bin.get_mut(p) {
                *b |= QUEUED;
            }
        }
    }
    let mut del = Vec::new();
    let mut next = Vec::new();
    let mut idle = 0;
    let mut sub = 1u8;
    while idle < 2 && !contour.is_empty() {
        del.clear();
        for &p in &contour {
            if ZS
                .get(usize::from(neighbours(bin, p, pw)))
                .copied()
                .unwrap_or(0)
                & sub
                != 0
            {
                del.push(p);
            }
        }
        for &p in &del {
            if let Some(b) = bin.get_mut(p) {
                *b = 0;
            }
        }
        next.clear();
        for &p in &contour {
            if on(bin, p) {
                next.push(p);
            }
        }
        for &p in &del {
            for q in [
                p - pw - 1,
                p - pw,
                p - pw + 1,
                p - 1,
                p + 1,
                p + pw - 1,
                p + pw,
                p + pw + 1,
            ] {
                if let Some(b) = bin.get_mut(q) {
                    if *b == 1 {
                        *b |= QUEUED;
                        next.push(q);
                    }
                }
            }
        }
        std::mem::swap(&mut contour, &mut next);
        idle = if del.is_empty() { idle + 1 } else { 0 };
        sub = 3 - sub;
    }
    for b in bin.iter_mut() {
        *b &= 1;
    }
}

/// Drops both members of every pair closer than [`PAIR_DIST`].
fn drop_close_pairs(m: Vec<Minutia>) -> Vec<Minutia> {
    let mut keep = vec![true; m.len()];
    for i in 0..m.len() {
        for j in i + 1..m.len() {
            let (a, b) = (m[i], m[j]);
            let dy = b.y as i32 - a.y as i32;
            if dy > PAIR_DIST {
                break; // found in raster order: later ones are further down
            }
            let dx = b.x as i32 - a.x as i32;
            if dx * dx + dy * dy < PAIR_DIST * PAIR_DIST {
                keep[i] = false;
                keep[j] = false;
            }
        }
    }
    m.into_iter()
        .zip(keep)
        .filter_map(|(m, k)| k.then_some(m))
        .collect()
}
