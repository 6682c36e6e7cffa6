//! Ridge–valley signature of one 32 × 32 block: local clarity (LCS), ridge/valley uniformity
//! (RVU) and frequency domain analysis (FDA), after ISO/IEC 29794-4:2024 §7.4 (NFIQ 2 features
//! `LCS_Bin10`, `RVUP_Bin10`, `FDA_Bin10`).
//!
//! The block's pixels are projected onto the normal of the ridges (the dominant gradient
//! direction) and averaged per one-pixel bin, giving a 32-sample gray profile across the ridges.
//! A least-squares line through the profile is the ridge/valley threshold: bins below it are
//! ridge (dark), above it valley.
//! - LCS = 1 − (α + β)/2, where α is the share of valley pixels darker than the threshold and β
//!   the share of ridge pixels brighter, provided mean ridge and valley widths are plausible at
//!   500 ppi (ridge 3–10 px, valley 2–10 px); otherwise 0.
//! - RVU: mean ridge width over mean valley width (runs cut by the block edge ignored).
//! - FDA: with A(k) the DFT amplitude of the detrended profile and F the strongest frequency,
//!   (A(F) + 0.3·(A(F−1) + A(F+1))) / Σ A(k), k = 1..16.

/// Side of a local-analysis block, in pixels at 500 ppi.
pub(crate) const N: usize = 32;
const BINS: usize = 32;
const RIDGE_W: (f32, f32) = (3.0, 10.0);
const VALLEY_W: (f32, f32) = (2.0, 10.0);

/// Measures of one block.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RidgeBlock {
    /// Local clarity, 0–1.
    pub lcs: f32,
    /// FDA, 0–1.
    pub fda: f32,
    /// Mean ridge width / mean valley width, if both were seen.
    pub rvu: Option<f32>,
    /// Ridge period in pixels (ridge + valley width), if seen.
    pub period: Option<f32>,
    /// The strongest frequency lies in the ridge band (period 4.5–16 px).
    pub periodic: bool,
}

/// Analyses the 32 × 32 block at (x0, y0) of a `w`-wide image, ridges' normal at angle `phi`.
pub(crate) fn analyse(
    px: &[u8],
    w: usize,
    x0: usize,
    y0: usize,
    phi: f32,
    dft: &Dft,
) -> RidgeBlock {
    let (c, s) = (phi.cos(), phi.sin());
    let mut sum = [0f32; BINS];
    let mut cnt = [0u32; BINS];
    let mut bin_of = [u8::MAX; N * N];
    let half = N as f32 / 2.0 - 0.5;
    for y in 0..N {
        let row = (y0 + y) * w + x0;
        let Some(line) = px.get(row..row + N) else {
            return RidgeBlock::default();
        };
        let dy = y as f32 - half;
        for (x, &v) in line.iter().enumerate() {
            let d = (x as f32 - half) * c + dy * s + (BINS / 2) as f32;
            if d >= 0.0 && d < BINS as f32 {
                let b = d as usize;
                if let (Some(sm), Some(ct), Some(bo)) =
                    (sum.get_mut(b), cnt.get_mut(b), bin_of.get_mut(y * N + x))
                {
                    *sm += f32::from(v);
                    *ct += 1;
                    *bo = b as u8;
                }
            }
        }
    }
    let mut prof = [0f32; BINS];
    let mut last = None;
    for b in 0..BINS {
        if cnt[b] > 0 {
            prof[b] = sum[b] / cnt[b] as f32;
            last = Some(prof[b]);
        } else if let Some(l) = last {
            prof[b] = l;
        }
    }
    if last.is_none() {
        return RidgeBlock::default();
    }
    // Least-squares trend line: the threshold.
    let n = BINS as f32;
    let mx = (n - 1.0) / 2.0;
    let my = prof.iter().sum::<f32>() / n;
    let (mut sxy, mut sxx) = (0f32, 0f32);
    for (i, &p) in prof.iter().enumerate() {
        let dx = i as f32 - mx;
        sxy += dx * (p - my);
        sxx += dx * dx;
    }
    let slope = sxy / sxx;
    let trend = |i: usize| my + slope * (i as f32 - mx);
    let mut ridge = [false; BINS];
    let mut detr = [0f32; BINS];
    for i in 0..BINS {
        detr[i] = prof[i] - trend(i);
        ridge[i] = detr[i] < 0.0;
    }

    // Interior run lengths.
    let (mut rsum, mut rn, mut vsum, mut vn) = (0f32, 0u32, 0f32, 0u32);
    let mut start = 0;
    for i in 1..=BINS {
        if i == BINS || ridge[i] != ridge[start] {
            if start > 0 && i < BINS {
                let len = (i - start) as f32;
                if ridge[start] {
                    rsum += len;
                    rn += 1;
                } else {
                    vsum += len;
                    vn += 1;
                }
            }
            start = i;
        }
    }
    let wr = (rn > 0).then(|| rsum / rn as f32);
    let wv = (vn > 0).then(|| vsum / vn as f32);

    // Pixel misclassification against the threshold.
    let (mut rt, mut rb, mut vt, mut vb) = (0u32, 0u32, 0u32, 0u32);
    for y in 0..N {
        let row = (y0 + y) * w + x0;
        let Some(line) = px.get(row..row + N) else {
            break;
        };
        for (x, &v) in line.iter().enumerate() {
            let b = usize::from(bin_of[y * N + x]);
            if b >= BINS {
                continue;
            }
            let dark = f32::from(v) < trend(b);
            if ridge[b] {
                rt += 1;
                rb += u32::from(!dark);
            } else {
                vt += 1;
                vb += u32::from(dark);
            }
        }
    }
    let lcs = match (wr, wv) {
        (Some(r), Some(v))
            if (RIDGE_W.0..=RIDGE_W.1).contains(&r)
                && (VALLEY_W.0..=VALLEY_W.1).contains(&v)
                && rt > 0
                && vt > 0 =>
        {
            let alpha = vb as f32 / vt as f32;
            let beta = rb as f32 / rt as f32;
            1.0 - (alpha + beta) / 2.0
        }
        _ => 0.0,
    };

    let (fda, fmax) = dft.fda(&detr);
    RidgeBlock {
        lcs,
        fda,
        rvu: wr.zip(wv).map(|(r, v)| r / v),
        period: wr.zip(wv).map(|(r, v)| r + v),
        periodic: (2..=7).contains(&fmax),
    }
}

/// Cosine and sine of the 32 DFT phases, computed once per image.
pub(crate) struct Dft {
    cos: [f32; BINS],
    sin: [f32; BINS],
}

impl Dft {
    pub(crate) fn new() -> Self {
        let step = core::f32::consts::TAU / BINS as f32;
        let mut cos = [0f32; BINS];
        let mut sin = [0f32; BINS];
        for (i, (c, s)) in cos.iter_mut().zip(sin.iter_mut()).enumerate() {
            *c = (step * i as f32).cos();
            *s = (step * i as f32).sin();
        }
        Dft { cos, sin }
    }

    /// FDA and the index of the strongest frequency of a detrended profile.
    fn fda(&self, detr: &[f32; BINS]) -> (f32, usize) {
        const K: usize = BINS / 2;
        let mut amp = [0f32; K + 1];
        for (k, a) in amp.iter_mut().enumerate().skip(1) {
            let (mut re, mut im) = (0f32, 0f32);
            for (i, &v) in detr.iter().enumerate() {
                let j = (k * i) % BINS;
                re += v * self.cos[j];
                im -= v * self.sin[j];
            }
            *a = (re * re + im * im).sqrt();
        }
        let total: f32 = amp.iter().skip(1).sum();
        if total <= f32::EPSILON {
            return (0.0, 0);
        }
        let mut fmax = 1;
        for k in 2..=K {
            if amp[k] > amp[fmax] {
                fmax = k;
            }
        }
        let side = amp[fmax - 1] * f32::from(u8::from(fmax > 1))
            + amp.get(fmax + 1).copied().unwrap_or(0.0);
        (((amp[fmax] + 0.3 * side) / total).min(1.0), fmax)
    }
}
