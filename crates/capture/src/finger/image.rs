//! Input checks and resampling to 500 ppi, the resolution NFIQ 2 (ISO/IEC 29794-4:2024 §6) is
//! defined for. Within ±10 ppi of 500 the image is used as is; otherwise it is shrunk by area
//! averaging or enlarged bilinearly.

use super::FingerError;

/// Nominal resolution of every measure in this module.
pub(crate) const PPI: u32 = 500;
const MIN_SIDE: usize = 64;
const MAX_INPUT_SIDE: u32 = 4096;
const MAX_SIDE: usize = 2048;

/// An 8-bit gray image at 500 ppi.
pub(crate) struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// Checks the caller's buffer and brings it to 500 ppi.
pub(crate) fn prepare(gray: &[u8], width: u32, height: u32, ppi: u32) -> Result<Gray, FingerError> {
    if width == 0 || height == 0 {
        return Err(FingerError::EmptyImage { width, height });
    }
    let expected = u64::from(width) * u64::from(height);
    if gray.len() as u64 != expected {
        return Err(FingerError::DimensionMismatch {
            expected,
            actual: gray.len() as u64,
        });
    }
    if !(250..=2000).contains(&ppi) {
        return Err(FingerError::UnsupportedResolution { ppi });
    }
    if width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE {
        return Err(FingerError::ImageTooLarge { width, height });
    }
    let (w, h) = (width as usize, height as usize);
    let img = if ppi.abs_diff(PPI) <= 10 {
        Gray {
            w,
            h,
            px: gray.to_vec(),
        }
    } else {
        let scale = f64::from(PPI) / f64::from(ppi);
        let nw = ((w as f64) * scale).round().max(1.0) as usize;
        let nh = ((h as f64) * scale).round().max(1.0) as usize;
        if scale < 1.0 {
            shrink(gray, w, h, nw, nh)
        } else {
            enlarge(gray, w, h, nw, nh)
        }
    };
    if img.w < MIN_SIDE || img.h < MIN_SIDE {
        return Err(FingerError::ImageTooSmall {
            width: img.w as u32,
            height: img.h as u32,
        });
    }
    if img.w > MAX_SIDE || img.h > MAX_SIDE {
        return Err(FingerError::ImageTooLarge { width, height });
    }
    Ok(img)
}

/// Area averaging: each output pixel is the mean of the input pixels its footprint covers.
fn shrink(src: &[u8], w: usize, h: usize, nw: usize, nh: usize) -> Gray {
    let span = |o: usize, n: usize, len: usize| {
        let a = o * len / n;
        let b = (((o + 1) * len).div_ceil(n)).clamp(a + 1, len);
        (a, b)
    };
    let mut px = Vec::with_capacity(nw * nh);
    for oy in 0..nh {
        let (y0, y1) = span(oy, nh, h);
        for ox in 0..nw {
            let (x0, x1) = span(ox, nw, w);
            let mut sum = 0u32;
            for row in src.chunks_exact(w).skip(y0).take(y1 - y0) {
                sum += row
                    .get(x0..x1)
                    .map_or(0, |r| r.iter().map(|&v| u32::from(v)).sum());
            }
            let n = ((y1 - y0) * (x1 - x0)) as u32;
            px.push(((sum + n / 2) / n.max(1)) as u8);
        }
    }
    Gray { w: nw, h: nh, px }
}

/// Bilinear interpolation with pixel centres aligned.
fn enlarge(src: &[u8], w: usize, h: usize, nw: usize, nh: usize) -> Gray {
    let get = |x: usize, y: usize| f32::from(src.get(y * w + x).copied().unwrap_or(0));
    let mut px = Vec::with_capacity(nw * nh);
    for oy in 0..nh {
        let fy = ((oy as f32 + 0.5) * h as f32 / nh as f32 - 0.5).clamp(0.0, (h - 1) as f32);
        let y0 = fy as usize;
        let y1 = (y0 + 1).min(h - 1);
        let ty = fy - y0 as f32;
        for ox in 0..nw {
            let fx = ((ox as f32 + 0.5) * w as f32 / nw as f32 - 0.5).clamp(0.0, (w - 1) as f32);
            let x0 = fx as usize;
            let x1 = (x0 + 1).min(w - 1);
            let tx = fx - x0 as f32;
            let top = get(x0, y0) * (1.0 - tx) + get(x1, y0) * tx;
            let bottom = get(x0, y1) * (1.0 - tx) + get(x1, y1) * tx;
            px.push((top * (1.0 - ty) + bottom * ty).round().clamp(0.0, 255.0) as u8);
        }
    }
    Gray { w: nw, h: nh, px }
}
