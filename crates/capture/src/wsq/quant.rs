//! Subband variances, bit allocation and scalar (de)quantisation.
//!
//! WSQ reference §4; FBI IAFIS-IC-0110 §3.3 and Annex A (bit allocation). The encoder side
//! follows NBIS's `variance` and `quantize` operation by operation, including which steps run
//! in f64, so that the same Q and Z values (and so the same file bytes) come out.

use super::tree::{Region, MAX_SUBBANDS, NUM_SUBBANDS};

/// Subbands whose variance is below this are not transmitted.
const VARIANCE_THRESH: f32 = 1.01;

/// Per-subband bin widths Q and zero-bin widths Z (0 = subband dropped).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuantTable {
    pub q: [f32; MAX_SUBBANDS],
    pub z: [f32; MAX_SUBBANDS],
}

/// NBIS `variance`: central windows, or whole subbands when the four lowest are quiet.
pub(crate) fn variances(data: &[f32], width: usize, q: &[Region; MAX_SUBBANDS]) -> [f32; 60] {
    let mut var = [0.0f32; NUM_SUBBANDS];
    let mut vsum = 0.0f32;
    for k in 0..4 {
        var[k] = window_variance(data, width, &q[k], true);
        vsum += var[k];
    }
    // A NaN sum (flat image) takes the windowed branch, as NBIS's `vsum < 20000.0` does.
    let whole = vsum < 20000.0;
    let first = if whole { 0 } else { 4 };
    for k in first..NUM_SUBBANDS {
        var[k] = window_variance(data, width, &q[k], !whole);
    }
    var
}

fn window_variance(data: &[f32], width: usize, r: &Region, central: bool) -> f32 {
    let (x, y, lx, ly) = if central {
        (
            r.x + r.w / 8,
            r.y + (9 * r.h) / 32,
            (3 * r.w) / 4,
            (7 * r.h) / 16,
        )
    } else {
        (r.x, r.y, r.w, r.h)
    };
    let mut sum = 0.0f32;
    let mut ssq = 0.0f32;
    for row in y..y + ly {
        for &v in &data[row * width + x..row * width + x + lx] {
            sum += v;
            ssq += v * v;
        }
    }
    let n = (lx * ly) as i32;
    let sum2 = (sum * sum) / n as f32;
    ((ssq - sum2) as f64 / (n as f64 - 1.0)) as f32
}

/// NBIS `quantize`'s bit allocation for a target of `r` bits per pixel.
pub(crate) fn allocate(var: &[f32; NUM_SUBBANDS], r: f32) -> QuantTable {
    let mut a = [1.0f32; NUM_SUBBANDS];
    a[52..60].copy_from_slice(&[1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08]);
    let m = |k: usize| -> f32 {
        if k < 4 {
            (1.0f64 / 1024.0) as f32
        } else if k < 51 {
            (1.0f64 / 256.0) as f32
        } else {
            (1.0f64 / 16.0) as f32
        }
    };
    let mut qp = [0.0f32; MAX_SUBBANDS];
    for k in 0..NUM_SUBBANDS {
        // NaN variances (flat image) are not below the threshold, as in NBIS.
        if var[k] >= VARIANCE_THRESH || var[k].is_nan() {
            qp[k] = if k < 4 {
                1.0
            } else {
                (10.0f64 / (a[k] * ((var[k] as f64).ln() as f32)) as f64) as f32
            };
        }
    }
    let mut sigma = [0.0f32; NUM_SUBBANDS];
    let mut k0 = [false; NUM_SUBBANDS];
    let mut kset: Vec<usize> = Vec::with_capacity(NUM_SUBBANDS);
    for k in 0..NUM_SUBBANDS {
        if var[k] >= VARIANCE_THRESH {
            k0[k] = true;
            kset.push(k);
            sigma[k] = (var[k] as f64).sqrt() as f32;
        }
    }
    let mut q: f32;
    loop {
        let mut s = 0.0f32;
        for &k in &kset {
            s += m(k);
        }
        let mut p = 1.0f32;
        for &k in &kset {
            p = (p as f64 * ((sigma[k] / qp[k]) as f64).powf(m(k) as f64)) as f32;
        }
        q = ((2.0f64.powf((r / s) as f64 - 1.0) / 2.5) / (p as f64).powf(1.0 / s as f64)) as f32;
        let before = kset.len();
        // NBIS drops k when `Q'/q >= 5σ`; NaN comparisons keep it, as in C.
        kset.retain(|&k| {
            let (lhs, rhs) = ((qp[k] / q) as f64, 5.0 * sigma[k] as f64);
            lhs < rhs || lhs.is_nan() || rhs.is_nan()
        });
        if kset.len() == before {
            break;
        }
    }
    let mut table = QuantTable {
        q: [0.0; MAX_SUBBANDS],
        z: [0.0; MAX_SUBBANDS],
    };
    for k in 0..NUM_SUBBANDS {
        if k0[k] {
            table.q[k] = qp[k] / q;
        }
        table.z[k] = (1.2f64 * table.q[k] as f64) as f32;
        // NBIS refuses to write a Q or Z of 65535 or more (error -84/-85: low bit rates on
        // images with little detail). Such a zero bin (|a| ≤ 0.6·Q, at least 32767) takes
        // in practice every coefficient (the DC gain of the five low-pass levels is 32, so
        // image bands stay near ±4096), so the subband is dropped instead and the file
        // stays valid.
        if !(table.q[k] < 65535.0 && table.z[k] < 65535.0) {
            table.q[k] = 0.0;
            table.z[k] = 0.0;
        }
    }
    table
}

/// Largest quantised magnitude NBIS can hold (it stores them as C `short`).
const MAX_QUANTIZED: f64 = 32767.0;

/// Quantises the transmitted subbands, in subband order and row order, appending to `out`.
///
/// Operation for operation NBIS's `quantize`, with one deliberate difference: NBIS converts
/// with C's `(short)`, which silently wraps values beyond ±32767 and corrupts the image. That
/// only happens at high bit rates on images whose energy sits in a few subbands (bins far
/// narrower than 1). For such a subband the bin width is widened (Q = max|a|/32000, Z = 1.2·Q)
/// so every value fits; the file then differs from NBIS's, which would be damaged. Whenever
/// no value overflows, the result is NBIS's exactly.
pub(crate) fn quantize(
    data: &[f32],
    width: usize,
    qt: &[Region; MAX_SUBBANDS],
    table: &mut QuantTable,
    out: &mut Vec<i32>,
) {
    for (k, r) in qt.iter().enumerate().take(NUM_SUBBANDS) {
        if table.q[k] == 0.0 {
            continue;
        }
        let rows = || (r.y..r.y + r.h).map(|y| &data[y * width + r.x..y * width + r.x + r.w]);
        let max_abs = rows().flatten().fold(0.0f32, |m, v| m.max(v.abs()));
        let zbin = (table.z[k] as f64 / 2.0) as f32;
        if ((max_abs - zbin) / table.q[k]) as f64 + 1.0 > MAX_QUANTIZED {
            table.q[k] = (f64::from(max_abs) / 32000.0) as f32;
            table.z[k] = (1.2f64 * table.q[k] as f64) as f32;
        }
        let qk = table.q[k];
        let zbin = (table.z[k] as f64 / 2.0) as f32;
        for row in rows() {
            for &v in row {
                let p = if -zbin <= v && v <= zbin {
                    0.0
                } else if v > 0.0 {
                    ((v - zbin) / qk) as f64 + 1.0
                } else {
                    ((v + zbin) / qk) as f64 - 1.0
                };
                out.push(p.clamp(-MAX_QUANTIZED, MAX_QUANTIZED) as i32);
            }
        }
    }
}

/// Dequantises one coefficient with the table read from the file (§4.3).
#[inline]
pub(crate) fn dequantize(p: i32, q: f32, half_z: f32, c: f32) -> f32 {
    if p > 0 {
        q * (p as f32 - c) + half_z
    } else if p < 0 {
        q * (p as f32 + c) - half_z
    } else {
        0.0
    }
}
