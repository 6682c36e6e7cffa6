//! Grey-level working images: RGBA → luma (ITU-R BT.601 weights), bilinear resampling, crops and
//! integral images (Viola & Jones 2001, §2.1) for the cascades.

use super::FaceError;

/// Largest frame side accepted (pixels); larger frames are refused, not silently cropped.
pub const MAX_SIDE: u32 = 8192;

/// An 8-bit grey image, row-major, `w * h` bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// An RGBA frame checked against its stated size, plus its luma plane.
pub struct Frame<'a> {
    pub rgba: &'a [u8],
    pub gray: Gray,
}

impl<'a> Frame<'a> {
    /// Checks the buffer length and converts to luma (BT.601: 0.299 R + 0.587 G + 0.114 B).
    pub fn new(rgba: &'a [u8], width: u32, height: u32) -> Result<Self, FaceError> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(FaceError::BadSize { width, height });
        }
        let (w, h) = (width as usize, height as usize);
        let expected = w * h * 4;
        if rgba.len() != expected {
            return Err(FaceError::BadLength {
                expected,
                actual: rgba.len(),
            });
        }
        let px = rgba
            .chunks_exact(4)
            .map(|p| {
                ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8)
                    as u8
            })
            .collect();
        Ok(Self {
            rgba,
            gray: Gray { w, h, px },
        })
    }

    /// RGB of pixel (x, y), clamped to the frame.
    pub fn rgb(&self, x: i64, y: i64) -> [u8; 3] {
        let x = x.clamp(0, self.gray.w as i64 - 1) as usize;
        let y = y.clamp(0, self.gray.h as i64 - 1) as usize;
        let i = (y * self.gray.w + x) * 4;
        match self.rgba.get(i..i + 3) {
            Some(p) => [p[0], p[1], p[2]],
            None => [0, 0, 0],
        }
    }
}

impl Gray {
    /// Pixel with coordinates clamped to the image (edge replication).
    #[inline]
    pub fn at(&self, x: i64, y: i64) -> u8 {
        let x = x.clamp(0, self.w as i64 - 1) as usize;
        let y = y.clamp(0, self.h as i64 - 1) as usize;
        self.px.get(y * self.w + x).copied().unwrap_or(0)
    }

    /// Bilinear sample at a real position (pixel centres at integer + 0.5).
    pub fn sample(&self, fx: f32, fy: f32) -> f32 {
        let x = fx - 0.5;
        let y = fy - 0.5;
        let x0 = x.floor();
        let y0 = y.floor();
        let ax = x - x0;
        let ay = y - y0;
        let (xi, yi) = (x0 as i64, y0 as i64);
        let p00 = f32::from(self.at(xi, yi));
        let p10 = f32::from(self.at(xi + 1, yi));
        let p01 = f32::from(self.at(xi, yi + 1));
        let p11 = f32::from(self.at(xi + 1, yi + 1));
        (p00 * (1.0 - ax) + p10 * ax) * (1.0 - ay) + (p01 * (1.0 - ax) + p11 * ax) * ay
    }

    /// Resamples the region `(x, y, w, h)` (real coordinates, may leave the image: edges are
    /// replicated) to `out_w × out_h`. Shrinking by more than 2× first crops the region and
    /// averages 2×2 blocks per octave so that the result does not alias.
    pub fn resample(&self, x: f32, y: f32, w: f32, h: f32, out_w: usize, out_h: usize) -> Gray {
        let out_w = out_w.max(1);
        let out_h = out_h.max(1);
        let sx = w / out_w as f32;
        let sy = h / out_h as f32;
        if sx >= 2.0 && sy >= 2.0 && self.w >= 2 && self.h >= 2 {
            let x0 = (x.floor() as i64 - 1).max(0);
            let y0 = (y.floor() as i64 - 1).max(0);
            let x1 = ((x + w).ceil() as i64 + 1).min(self.w as i64);
            let y1 = ((y + h).ceil() as i64 + 1).min(self.h as i64);
            if x1 - x0 >= 2 && y1 - y0 >= 2 {
                let (fx, fy) = ((x - x0 as f32) / 2.0, (y - y0 as f32) / 2.0);
                let whole = x0 == 0 && y0 == 0 && x1 == self.w as i64 && y1 == self.h as i64;
                let half = if whole {
                    self.halve()
                } else {
                    self.crop(x0 as usize, y0 as usize, x1 as usize, y1 as usize)
                        .halve()
                };
                return half.resample(fx, fy, w / 2.0, h / 2.0, out_w, out_h);
            }
        }
        // Bilinear with precomputed column taps.
        let cols: Vec<(usize, usize, f32)> = (0..out_w)
            .map(|i| self.taps(x + (i as f32 + 0.5) * sx, self.w))
            .collect();
        let mut px = Vec::with_capacity(out_w * out_h);
        for j in 0..out_h {
            let (y0, y1, ay) = self.taps(y + (j as f32 + 0.5) * sy, self.h);
            let (r0, r1) = (
                &self.px[y0 * self.w..][..self.w],
                &self.px[y1 * self.w..][..self.w],
            );
            for &(x0, x1, ax) in &cols {
                let top = f32::from(r0[x0]) * (1.0 - ax) + f32::from(r0[x1]) * ax;
                let bot = f32::from(r1[x0]) * (1.0 - ax) + f32::from(r1[x1]) * ax;
                px.push((top * (1.0 - ay) + bot * ay + 0.5) as u8);
            }
        }
        Gray {
            w: out_w,
            h: out_h,
            px,
        }
    }

    /// Bilinear taps (two clamped indices and the weight of the second) at real position `f`.
    fn taps(&self, f: f32, n: usize) -> (usize, usize, f32) {
        let p = f - 0.5;
        let p0 = p.floor();
        let a = p - p0;
        let last = n as i64 - 1;
        let i0 = (p0 as i64).clamp(0, last) as usize;
        let i1 = (p0 as i64 + 1).clamp(0, last) as usize;
        (i0, i1, a)
    }

    /// The pixels in `[x0, x1) × [y0, y1)` (bounds already inside the image).
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Gray {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let mut px = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            px.extend_from_slice(&self.px[y * self.w + x0..y * self.w + x1]);
        }
        Gray {
            w: x1 - x0,
            h: y1 - y0,
            px,
        }
    }

    /// 2×2 block average (odd last row/column dropped; a 1-pixel side is kept).
    pub fn halve(&self) -> Gray {
        if self.w < 2 || self.h < 2 {
            return self.clone();
        }
        let (w, h) = (self.w / 2, self.h / 2);
        let mut px = Vec::with_capacity(w * h);
        for j in 0..h {
            let r0 = &self.px[2 * j * self.w..][..self.w];
            let r1 = &self.px[(2 * j + 1) * self.w..][..self.w];
            for i in 0..w {
                let s = u32::from(r0[2 * i])
                    + u32::from(r0[2 * i + 1])
                    + u32::from(r1[2 * i])
                    + u32::from(r1[2 * i + 1]);
                px.push(((s + 2) / 4) as u8);
            }
        }
        Gray { w, h, px }
    }

    /// Whole image scaled by `f` (< 1 shrinks).
    pub fn scaled(&self, f: f32) -> Gray {
        let ow = ((self.w as f32 * f).round() as usize).max(1);
        let oh = ((self.h as f32 * f).round() as usize).max(1);
        self.resample(0.0, 0.0, self.w as f32, self.h as f32, ow, oh)
    }
}

/// Summed-area tables: `sum[(y) * stride + x]` is the sum of pixels above and left of (x, y);
/// `sq` holds squares (only built when asked, for the Haar variance normalisation).
pub struct Integral {
    pub stride: usize,
    pub sum: Vec<i32>,
    pub sq: Vec<f64>,
}

impl Integral {
    pub fn new(g: &Gray, squares: bool) -> Self {
        let stride = g.w + 1;
        let mut sum = vec![0i32; stride * (g.h + 1)];
        let mut sq = if squares {
            vec![0f64; stride * (g.h + 1)]
        } else {
            Vec::new()
        };
        for y in 0..g.h {
            let mut row = 0i32;
            let mut row_sq = 0f64;
            for x in 0..g.w {
                let v = g.px[y * g.w + x];
                row += i32::from(v);
                let i = (y + 1) * stride + x + 1;
                sum[i] = sum[i - stride] + row;
                if squares {
                    row_sq += f64::from(v) * f64::from(v);
                    sq[i] = sq[i - stride] + row_sq;
                }
            }
        }
        Self { stride, sum, sq }
    }
}

/// Mean and standard deviation of a slice of grey levels.
pub fn mean_std(v: &[u8]) -> (f32, f32) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let n = v.len() as f64;
    let s: f64 = v.iter().map(|&p| f64::from(p)).sum();
    let m = s / n;
    let var: f64 = v.iter().map(|&p| (f64::from(p) - m).powi(2)).sum::<f64>() / n;
    (m as f32, var.sqrt() as f32)
}

/// The `q`-quantile (0..=1) of grey levels via a histogram.
pub fn quantile(v: &[u8], q: f32) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mut hist = [0usize; 256];
    for &p in v {
        hist[usize::from(p)] += 1;
    }
    let target = ((v.len() - 1) as f32 * q.clamp(0.0, 1.0)).round() as usize;
    let mut acc = 0usize;
    for (level, &c) in hist.iter().enumerate() {
        acc += c;
        if acc > target {
            return level as f32;
        }
    }
    255.0
}

/// Mean absolute 4-neighbour Laplacian over the interior of `g`.
pub fn mean_abs_laplacian(g: &Gray) -> f32 {
    if g.w < 3 || g.h < 3 {
        return 0.0;
    }
    let mut s = 0f64;
    for y in 1..g.h - 1 {
        for x in 1..g.w - 1 {
            let c = i32::from(g.px[y * g.w + x]);
            let l = 4 * c
                - i32::from(g.px[y * g.w + x - 1])
                - i32::from(g.px[y * g.w + x + 1])
                - i32::from(g.px[(y - 1) * g.w + x])
                - i32::from(g.px[(y + 1) * g.w + x]);
            s += f64::from(l.abs());
        }
    }
    (s / ((g.w - 2) * (g.h - 2)) as f64) as f32
}
