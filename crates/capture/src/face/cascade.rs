//! Boosted cascades of decision stumps (Viola & Jones 2001; LBP variant of Liao et al. 2007,
//! "Learning Multi-scale Block Local Binary Patterns"), evaluated exactly as OpenCV's
//! `CascadeClassifier` evaluates its `lbpcascade_*.xml` / `haarcascade_*.xml` files.
//!
//! The trained numbers come from a compact binary ("HCAS", see `tools/face_cascades_convert.py`)
//! compiled into the module with `include_bytes!`; nothing is fetched at run time.

use super::image::{Gray, Integral};
use super::FaceError;

/// Feature family of a cascade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Multi-block LBP: 3×3 cells, 8-bit code, categorical stump over a 256-bit subset.
    Lbp,
    /// Haar-like rectangle sums, variance-normalised, ordered stump.
    Haar,
}

struct HaarRect {
    x: u8,
    y: u8,
    w: u8,
    h: u8,
    weight: f32,
}

struct Weak {
    feature: usize,
    subset: [i32; 8],
    threshold: f32,
    left: f32,
    right: f32,
}

struct Stage {
    threshold: f32,
    weak: Vec<Weak>,
}

/// A parsed cascade.
pub struct Cascade {
    pub kind: Kind,
    pub win_w: usize,
    pub win_h: usize,
    lbp: Vec<[u8; 4]>,
    haar: Vec<Vec<HaarRect>>,
    stages: Vec<Stage>,
}

/// A detection rectangle in pixels of the image searched, with its neighbour count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub neighbours: u32,
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], FaceError> {
        let s = self
            .b
            .get(self.pos..self.pos + N)
            .ok_or(FaceError::Model("cascade data truncated"))?;
        self.pos += N;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, FaceError> {
        Ok(self.take::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, FaceError> {
        Ok(u16::from_le_bytes(self.take()?))
    }
    fn i32(&mut self) -> Result<i32, FaceError> {
        Ok(i32::from_le_bytes(self.take()?))
    }
    fn f32(&mut self) -> Result<f32, FaceError> {
        Ok(f32::from_le_bytes(self.take()?))
    }
}

impl Cascade {
    /// Parses an "HCAS" v1 buffer, checking every feature against the window.
    pub fn parse(b: &[u8]) -> Result<Self, FaceError> {
        let mut r = Reader { b, pos: 0 };
        if r.take::<4>()? != *b"HCAS" || r.u8()? != 1 {
            return Err(FaceError::Model("not an HCAS v1 cascade"));
        }
        let kind = match r.u8()? {
            0 => Kind::Lbp,
            1 => Kind::Haar,
            _ => return Err(FaceError::Model("unknown cascade kind")),
        };
        let win_w = usize::from(r.u16()?);
        let win_h = usize::from(r.u16()?);
        let n_feat = usize::from(r.u16()?);
        let n_stage = usize::from(r.u16()?);
        let mut lbp = Vec::new();
        let mut haar = Vec::new();
        for _ in 0..n_feat {
            match kind {
                Kind::Lbp => {
                    let f = r.take::<4>()?;
                    let fits = usize::from(f[0]) + 3 * usize::from(f[2]) <= win_w
                        && usize::from(f[1]) + 3 * usize::from(f[3]) <= win_h;
                    if !fits {
                        return Err(FaceError::Model("LBP feature outside window"));
                    }
                    lbp.push(f);
                }
                Kind::Haar => {
                    let n = r.u8()?;
                    let mut rects = Vec::new();
                    for _ in 0..n {
                        let [x, y, w, h] = r.take::<4>()?;
                        let weight = r.f32()?;
                        if usize::from(x) + usize::from(w) > win_w
                            || usize::from(y) + usize::from(h) > win_h
                        {
                            return Err(FaceError::Model("Haar rectangle outside window"));
                        }
                        rects.push(HaarRect { x, y, w, h, weight });
                    }
                    haar.push(rects);
                }
            }
        }
        let mut stages = Vec::with_capacity(n_stage);
        for _ in 0..n_stage {
            let n_weak = usize::from(r.u16()?);
            let threshold = r.f32()?;
            let mut weak = Vec::with_capacity(n_weak);
            for _ in 0..n_weak {
                let feature = usize::from(r.u16()?);
                if feature >= n_feat {
                    return Err(FaceError::Model("feature index out of range"));
                }
                let mut w = Weak {
                    feature,
                    subset: [0; 8],
                    threshold: 0.0,
                    left: 0.0,
                    right: 0.0,
                };
                if kind == Kind::Lbp {
                    for s in w.subset.iter_mut() {
                        *s = r.i32()?;
                    }
                } else {
                    w.threshold = r.f32()?;
                }
                w.left = r.f32()?;
                w.right = r.f32()?;
                weak.push(w);
            }
            stages.push(Stage { threshold, weak });
        }
        if r.pos != b.len() {
            return Err(FaceError::Model("trailing bytes after cascade"));
        }
        Ok(Self {
            kind,
            win_w,
            win_h,
            lbp,
            haar,
            stages,
        })
    }

    /// Per-image feature offsets into the integral image (16 corners per LBP feature;
    /// 4 corners + weight per Haar rectangle).
    fn offsets(&self, stride: usize) -> Offsets {
        let at = |x: usize, y: usize| y * stride + x;
        match self.kind {
            Kind::Lbp => Offsets::Lbp(
                self.lbp
                    .iter()
                    .map(|&[x, y, w, h]| {
                        let (x, y, w, h) = (x as usize, y as usize, w as usize, h as usize);
                        let mut o = [0usize; 16];
                        for j in 0..4 {
                            for i in 0..4 {
                                o[j * 4 + i] = at(x + i * w, y + j * h);
                            }
                        }
                        o
                    })
                    .collect(),
            ),
            Kind::Haar => Offsets::Haar(
                self.haar
                    .iter()
                    .map(|rects| {
                        rects
                            .iter()
                            .map(|r| {
                                let (x, y, w, h) =
                                    (r.x as usize, r.y as usize, r.w as usize, r.h as usize);
                                (
                                    [at(x, y), at(x + w, y), at(x, y + h), at(x + w, y + h)],
                                    r.weight,
                                )
                            })
                            .collect()
                    })
                    .collect(),
            ),
        }
    }

    /// Runs the cascade on the window whose top-left integral index is `base`.
    fn window_passes(&self, ii: &Integral, off: &Offsets, base: usize) -> bool {
        let s = &ii.sum;
        match off {
            Offsets::Lbp(o) => {
                for st in &self.stages {
                    let mut acc = 0f32;
                    for wk in &st.weak {
                        let f = &o[wk.feature];
                        let mut c = [0i32; 16];
                        for (v, &off) in c.iter_mut().zip(f.iter()) {
                            *v = s[base + off];
                        }
                        let cell = |a: usize| c[a] - c[a + 1] - c[a + 4] + c[a + 5];
                        let cv = cell(5);
                        let code = (usize::from(cell(0) >= cv) << 7)
                            | (usize::from(cell(1) >= cv) << 6)
                            | (usize::from(cell(2) >= cv) << 5)
                            | (usize::from(cell(6) >= cv) << 4)
                            | (usize::from(cell(10) >= cv) << 3)
                            | (usize::from(cell(9) >= cv) << 2)
                            | (usize::from(cell(8) >= cv) << 1)
                            | usize::from(cell(4) >= cv);
                        let bit = wk.subset[code >> 5] & (1i32 << (code & 31));
                        acc += if bit != 0 { wk.left } else { wk.right };
                    }
                    if acc < st.threshold {
                        return false;
                    }
                }
                true
            }
            Offsets::Haar(o) => {
                // Variance normalisation over the window shrunk by one pixel (OpenCV normrect).
                let n0 = base + ii.stride + 1;
                let n1 = base + ii.stride + self.win_w - 1;
                let n2 = base + (self.win_h - 1) * ii.stride + 1;
                let n3 = base + (self.win_h - 1) * ii.stride + self.win_w - 1;
                let area = ((self.win_w - 2) * (self.win_h - 2)) as f64;
                let sum = f64::from(s[n0] - s[n1] - s[n2] + s[n3]);
                let sq = ii.sq[n0] - ii.sq[n1] - ii.sq[n2] + ii.sq[n3];
                let nf = area * sq - sum * sum;
                let inv = if nf > 0.0 { 1.0 / nf.sqrt() } else { 1.0 };
                for st in &self.stages {
                    let mut acc = 0f32;
                    for wk in &st.weak {
                        let mut v = 0f64;
                        for (c, wgt) in &o[wk.feature] {
                            let r =
                                s[base + c[0]] - s[base + c[1]] - s[base + c[2]] + s[base + c[3]];
                            v += f64::from(*wgt) * f64::from(r);
                        }
                        acc += if ((v * inv) as f32) < wk.threshold {
                            wk.left
                        } else {
                            wk.right
                        };
                    }
                    if acc < st.threshold {
                        return false;
                    }
                }
                true
            }
        }
    }

    /// Multi-scale search of `img`: an image pyramid with ratio `scale_step`, windows from
    /// `min_side` to `max_side` pixels (of `img`), sliding by `step` pixels on each level while
    /// the level is less than half the size of `img`, by 1 pixel after (OpenCV's rule).
    /// Returns raw window hits in `img` coordinates (not grouped).
    pub fn scan(
        &self,
        img: &Gray,
        min_side: f32,
        max_side: f32,
        scale_step: f32,
        step: usize,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut factor = (min_side / self.win_w as f32).max(1.0);
        let step = step.max(1);
        while self.win_w as f32 * factor <= max_side {
            let lw = (img.w as f32 / factor) as usize;
            let lh = (img.h as f32 / factor) as usize;
            if lw < self.win_w || lh < self.win_h {
                break;
            }
            let level = if factor == 1.0 {
                img.clone()
            } else {
                img.resample(0.0, 0.0, lw as f32 * factor, lh as f32 * factor, lw, lh)
            };
            let ii = Integral::new(&level, self.kind == Kind::Haar);
            let off = self.offsets(ii.stride);
            let step = if factor > 2.0 { 1 } else { step };
            for y in (0..=lh - self.win_h).step_by(step) {
                for x in (0..=lw - self.win_w).step_by(step) {
                    if self.window_passes(&ii, &off, y * ii.stride + x) {
                        hits.push(Hit {
                            x: x as f32 * factor,
                            y: y as f32 * factor,
                            w: self.win_w as f32 * factor,
                            h: self.win_h as f32 * factor,
                            neighbours: 1,
                        });
                    }
                }
            }
            factor *= scale_step;
        }
        hits
    }
}

enum Offsets {
    Lbp(Vec<[usize; 16]>),
    Haar(Vec<Vec<([usize; 4], f32)>>),
}

/// OpenCV `groupRectangles(eps = 0.2)`: clusters of similar windows are averaged; clusters
/// with at most `min_neighbours` members are dropped, as are small clusters lying inside a
/// stronger one.
pub fn group(hits: &[Hit], min_neighbours: u32) -> Vec<Hit> {
    let n = hits.len();
    let mut label: Vec<usize> = (0..n).collect();
    fn root(l: &mut [usize], mut i: usize) -> usize {
        while l[i] != i {
            l[i] = l[l[i]];
            i = l[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&hits[i], &hits[j]);
            let d = 0.2 * (a.w.min(b.w) + a.h.min(b.h)) * 0.5;
            if (a.x - b.x).abs() <= d
                && (a.y - b.y).abs() <= d
                && (a.x + a.w - b.x - b.w).abs() <= d
                && (a.y + a.h - b.y - b.h).abs() <= d
            {
                let (ri, rj) = (root(&mut label, i), root(&mut label, j));
                if ri != rj {
                    label[ri] = rj;
                }
            }
        }
    }
    let mut acc: Vec<(usize, Hit)> = Vec::new();
    for (i, &h) in hits.iter().enumerate() {
        let r = root(&mut label, i);
        match acc.iter_mut().find(|(k, _)| *k == r) {
            Some((_, a)) => {
                a.x += h.x;
                a.y += h.y;
                a.w += h.w;
                a.h += h.h;
                a.neighbours += 1;
            }
            None => acc.push((r, h)),
        }
    }
    let clusters: Vec<Hit> = acc
        .into_iter()
        .map(|(_, a)| {
            let k = a.neighbours as f32;
            Hit {
                x: a.x / k,
                y: a.y / k,
                w: a.w / k,
                h: a.h / k,
                neighbours: a.neighbours,
            }
        })
        .filter(|c| c.neighbours > min_neighbours)
        .collect();
    clusters
        .iter()
        .filter(|r1| {
            !clusters.iter().any(|r2| {
                if std::ptr::eq(*r1, r2) || r2.neighbours <= r1.neighbours.max(3) {
                    return false;
                }
                let dx = r2.w * 0.2;
                let dy = r2.h * 0.2;
                r1.x >= r2.x - dx
                    && r1.y >= r2.y - dy
                    && r1.x + r1.w <= r2.x + r2.w + dx
                    && r1.y + r1.h <= r2.y + r2.h + dy
            })
        })
        .copied()
        .collect()
}

#[cfg(test)]
#[path = "cascade_tests.rs"]
mod tests;
