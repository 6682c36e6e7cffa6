//! The CDF 9/7 wavelet transform of WSQ: analysis splits (encoder) and synthesis merges
//! (decoder), applied in place over the 20-node split tree.
//!
//! WSQ reference §2.1–2.4; FBI IAFIS-IC-0110 §3.2 (filters, symmetric extension). The
//! encoder side reproduces NBIS's `get_lets` bit for bit: f32 products accumulated in tap
//! order starting from the first tap, whole-sample symmetric extension. The decoder side
//! works for any band length and any odd-length filter pair read from the DTT segment.

use super::tree::{half, Region, Trees};

/// NBIS's analysis lowpass filter `lofilt` (9 taps, f32 as in NBIS). The literals are
/// NBIS's, digit for digit, rounded to f64 and then to f32 as its C compiler does.
#[allow(clippy::excessive_precision)]
pub(crate) const LOFILT: [f32; 9] = [
    0.037_828_455_506_995_46_f64 as f32,
    -0.023_849_465_019_380_00_f64 as f32,
    -0.110_624_404_418_423_42_f64 as f32,
    0.377_402_855_612_653_80_f64 as f32,
    0.852_698_679_009_403_44_f64 as f32,
    0.377_402_855_612_653_80_f64 as f32,
    -0.110_624_404_418_423_42_f64 as f32,
    -0.023_849_465_019_380_00_f64 as f32,
    0.037_828_455_506_995_46_f64 as f32,
];

/// NBIS's analysis highpass filter `hifilt` (7 taps, f32 as in NBIS).
#[allow(clippy::excessive_precision)]
pub(crate) const HIFILT: [f32; 7] = [
    0.064_538_882_628_938_45_f64 as f32,
    -0.040_689_417_609_558_44_f64 as f32,
    -0.418_092_273_222_212_21_f64 as f32,
    0.788_485_616_405_664_39_f64 as f32,
    -0.418_092_273_222_212_21_f64 as f32,
    -0.040_689_417_609_558_44_f64 as f32,
    0.064_538_882_628_938_45_f64 as f32,
];

/// Index of x̃\[i\] (whole-sample symmetric extension) in a line of `n` samples.
fn reflect_ws(i: isize, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let period = 2 * (n as isize - 1);
    let mut r = i.rem_euclid(period);
    if r >= n as isize {
        r = period - r;
    }
    r as usize
}

/// Forward transform of the whole tree (encoder), in place on `data` (row-major, `width` wide).
pub(crate) fn decompose(data: &mut [f32], width: usize, trees: &Trees, scratch: &mut Vec<f32>) {
    let mut line = Vec::new();
    for node in &trees.w {
        split_rows(data, width, node, &mut line);
        split_columns(data, width, node, scratch);
    }
}

/// One analysis step on every row of `r`: L then H (or H then L when `inv_x`).
fn split_rows(data: &mut [f32], width: usize, r: &Region, ext: &mut Vec<f32>) {
    let n = r.w;
    if n == 0 || r.h == 0 {
        return;
    }
    let (nl, nh) = (n.div_ceil(2), n / 2);
    ext.clear();
    ext.resize(n + 8, 0.0);
    for y in r.y..r.y + r.h {
        let row = &mut data[y * width + r.x..y * width + r.x + n];
        for (j, e) in ext.iter_mut().enumerate() {
            *e = row[reflect_ws(j as isize - 4, n)];
        }
        let (lo_out, hi_out) = if r.inv_x {
            let (h, l) = row.split_at_mut(nh);
            (l, h)
        } else {
            row.split_at_mut(nl)
        };
        // L[k] = Σ lofilt[i]·x̃[2k−4+i], H[k] = Σ hifilt[i]·x̃[2k−2+i]; x̃[j] = ext[j+4].
        for (out, t) in lo_out.iter_mut().zip(ext.windows(9).step_by(2)) {
            *out = fir(t, &LOFILT);
        }
        for (out, t) in hi_out.iter_mut().zip(ext[2..].windows(7).step_by(2)) {
            *out = fir(t, &HIFILT);
        }
    }
}

/// Σ t[i]·f[i], accumulated in tap order from the first product (NBIS's order, in f32).
#[inline(always)]
fn fir<const N: usize>(t: &[f32], f: &[f32; N]) -> f32 {
    let Ok(t) = <&[f32; N]>::try_from(t) else {
        return 0.0;
    };
    let mut acc = t[0] * f[0];
    for i in 1..N {
        acc += t[i] * f[i];
    }
    acc
}

/// One analysis step on every column of `r`, a whole row of outputs at a time: each output
/// row receives the first tap's products, then each further tap's in order, which is the
/// per-sample order of [`fir`].
fn split_columns(data: &mut [f32], width: usize, r: &Region, tmp: &mut Vec<f32>) {
    let (w, n) = (r.w, r.h);
    if w == 0 || n == 0 {
        return;
    }
    copy_out(data, width, r, tmp);
    let (nl, nh) = (n.div_ceil(2), n / 2);
    let bands = (0..nl)
        .map(|k| {
            (
                if r.inv_y { nh + k } else { k },
                2 * k as isize - 4,
                &LOFILT[..],
            )
        })
        .chain((0..nh).map(|k| {
            (
                if r.inv_y { k } else { nl + k },
                2 * k as isize - 2,
                &HIFILT[..],
            )
        }));
    for (out_row, first, filt) in bands {
        let y = r.y + out_row;
        let dst = &mut data[y * width + r.x..y * width + r.x + w];
        for (i, &c) in filt.iter().enumerate() {
            let s = reflect_ws(first + i as isize, n) * w;
            let src = &tmp[s..s + w];
            if i == 0 {
                for (d, &v) in dst.iter_mut().zip(src) {
                    *d = v * c;
                }
            } else {
                for (d, &v) in dst.iter_mut().zip(src) {
                    *d += v * c;
                }
            }
        }
    }
}

/// Copies region `r` of `data` into `tmp` as a contiguous `r.w`-wide block.
fn copy_out(data: &[f32], width: usize, r: &Region, tmp: &mut Vec<f32>) {
    tmp.clear();
    for y in r.y..r.y + r.h {
        tmp.extend_from_slice(&data[y * width + r.x..y * width + r.x + r.w]);
    }
}

/// Synthesis filters in polyphase form, derived from the analysis pair of a DTT segment.
#[derive(Debug, Clone)]
pub(crate) struct Synthesis {
    /// For output parity p: (offset k − m into the low band, coefficient).
    lo: [Vec<(isize, f32)>; 2],
    /// For output parity p: (offset k − m into the high band, coefficient).
    hi: [Vec<(isize, f32)>; 2],
    /// Margin added on both sides of the extended bands.
    pad: usize,
}

impl Synthesis {
    /// `h0`, `h1`: analysis lowpass/highpass, odd lengths, centre tap in the middle.
    /// Synthesis lowpass g0\[j\] = (−1)^j·h1\[j\], highpass g1\[j\] = (−1)^j·h0\[j\] (§2.1).
    pub(crate) fn new(h0: &[f32], h1: &[f32]) -> Synthesis {
        let a0 = (h0.len() / 2) as isize;
        let a1 = (h1.len() / 2) as isize;
        let sign = |j: isize| if j.rem_euclid(2) == 0 { 1.0 } else { -1.0 };
        let mut lo: [Vec<(isize, f32)>; 2] = [Vec::new(), Vec::new()];
        let mut hi: [Vec<(isize, f32)>; 2] = [Vec::new(), Vec::new()];
        for p in 0..2isize {
            // x[2m+p] gets L̃[k]·g0[2m+p−2k] and H̃[k]·g1[2m+p−2k−1].
            for (idx, &h) in h1.iter().enumerate() {
                let j = idx as isize - a1;
                if (j - p).rem_euclid(2) == 0 {
                    lo[p as usize].push((-(j - p) / 2, sign(j) * h));
                }
            }
            for (idx, &h) in h0.iter().enumerate() {
                let j = idx as isize - a0;
                if (j - p + 1).rem_euclid(2) == 0 {
                    hi[p as usize].push((-(j - p + 1) / 2, sign(j) * h));
                }
            }
        }
        let pad = (a0.max(a1) / 2 + 2) as usize;
        Synthesis { lo, hi, pad }
    }
}

/// Extension of a band for synthesis: `left_half`/`right_half` choose half-sample (mirror
/// between samples) rather than whole-sample symmetry at each end; reflects repeatedly.
fn reflect_band(i: isize, len: usize, left_half: bool, right_half: bool) -> Option<usize> {
    if len == 0 {
        return None;
    }
    if len == 1 {
        return Some(0);
    }
    let n = len as isize;
    let mut i = i;
    for _ in 0..64 {
        if i < 0 {
            i = if left_half { -1 - i } else { -i };
        } else if i >= n {
            i = if right_half {
                2 * n - 1 - i
            } else {
                2 * (n - 1) - i
            };
        } else {
            return Some(i as usize);
        }
    }
    None
}

/// Index map of the extended low and high bands of a line of `n` samples (§2.3):
/// positions −pad.. of L̃ and H̃ to stored band indices (None = zero).
fn band_maps(n: usize, pad: usize) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let (nl, nh) = (n.div_ceil(2), n / 2);
    let odd = n % 2 == 1;
    let lmap = (0..nl + 2 * pad)
        .map(|i| reflect_band(i as isize - pad as isize, nl, false, !odd))
        .collect();
    let hmap = (0..nh + 2 * pad)
        .map(|i| reflect_band(i as isize - pad as isize, nh, true, odd))
        .collect();
    (lmap, hmap)
}

/// Inverse transform of the whole tree (decoder), in place.
pub(crate) fn reconstruct(data: &mut [f32], width: usize, trees: &Trees, syn: &Synthesis) {
    let mut tmp = Vec::new();
    let mut ext = Vec::new();
    for node in trees.w.iter().rev() {
        merge_columns(data, width, node, syn, &mut tmp);
        merge_rows(data, width, node, syn, &mut ext);
    }
}

fn merge_rows(data: &mut [f32], width: usize, r: &Region, syn: &Synthesis, ext: &mut Vec<f32>) {
    let n = r.w;
    if n == 0 || r.h == 0 {
        return;
    }
    let (nl, nh) = (n.div_ceil(2), n / 2);
    let (lmap, hmap) = band_maps(n, syn.pad);
    let (le, he) = (lmap.len(), hmap.len());
    // Layout: extended low band, extended high band, even outputs, odd outputs.
    ext.clear();
    ext.resize(le + he + nl + nh, 0.0);
    for y in r.y..r.y + r.h {
        let row = &mut data[y * width + r.x..y * width + r.x + n];
        let (lext, rest) = ext.split_at_mut(le);
        let (hext, rest) = rest.split_at_mut(he);
        let (even, odd) = rest.split_at_mut(nl);
        {
            let (lo_band, hi_band) = if r.inv_x {
                let (h, l) = row.split_at(nh);
                (l, h)
            } else {
                row.split_at(nl)
            };
            for (e, m) in lext.iter_mut().zip(&lmap) {
                *e = m.and_then(|i| lo_band.get(i).copied()).unwrap_or(0.0);
            }
            for (e, m) in hext.iter_mut().zip(&hmap) {
                *e = m.and_then(|i| hi_band.get(i).copied()).unwrap_or(0.0);
            }
        }
        // Output 2m+p sums its low-band taps, then its high-band taps, in filter order;
        // one tap at a time over all m so that the loops vectorise.
        for (p, out) in [&mut *even, &mut *odd].into_iter().enumerate() {
            out.fill(0.0);
            let taps = syn.lo[p]
                .iter()
                .map(|&(dk, c)| (&*lext, dk, c))
                .chain(syn.hi[p].iter().map(|&(dk, c)| (&*hext, dk, c)));
            for (band, dk, c) in taps {
                let start = (syn.pad as isize + dk) as usize;
                let Some(src) = band.get(start..start + out.len()) else {
                    continue;
                };
                for (o, &v) in out.iter_mut().zip(src) {
                    *o += c * v;
                }
            }
        }
        for (pair, (&e, &o)) in row
            .chunks_mut(2)
            .zip(even.iter().zip(odd.iter().chain([0.0].iter())))
        {
            pair[0] = e;
            if let Some(x) = pair.get_mut(1) {
                *x = o;
            }
        }
    }
}

fn merge_columns(data: &mut [f32], width: usize, r: &Region, syn: &Synthesis, tmp: &mut Vec<f32>) {
    let (w, n) = (r.w, r.h);
    if w == 0 || n == 0 {
        return;
    }
    copy_out(data, width, r, tmp);
    let (first, _) = half(n, r.inv_y);
    // Row offsets (within the region) of the stored low and high bands.
    let (lo_off, hi_off) = if r.inv_y { (first, 0) } else { (0, first) };
    let (lmap, hmap) = band_maps(n, syn.pad);
    let pad = syn.pad as isize;
    for i in 0..n {
        let dst = &mut data[(r.y + i) * width + r.x..(r.y + i) * width + r.x + w];
        let mut assigned = false;
        let (m, p) = ((i / 2) as isize + pad, i % 2);
        let taps = syn.lo[p]
            .iter()
            .map(|&(dk, c)| (lmap.get((m + dk) as usize).copied().flatten(), lo_off, c))
            .chain(
                syn.hi[p]
                    .iter()
                    .map(|&(dk, c)| (hmap.get((m + dk) as usize).copied().flatten(), hi_off, c)),
            );
        for (band_row, off, c) in taps {
            let Some(b) = band_row else { continue };
            let s = (off + b) * w;
            let Some(src) = tmp.get(s..s + w) else {
                continue;
            };
            if assigned {
                for (d, &v) in dst.iter_mut().zip(src) {
                    *d += c * v;
                }
            } else {
                for (d, &v) in dst.iter_mut().zip(src) {
                    *d = c * v;
                }
                assigned = true;
            }
        }
        if !assigned {
            dst.fill(0.0);
        }
    }
}
