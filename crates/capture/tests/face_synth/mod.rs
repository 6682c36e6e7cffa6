//! Synthetic face test material made from the sample portrait
//! (`shared/testdata/faces/astronaut.png`, 512×512 RGB): degradations for the quality tests and
//! frame sequences for the liveness tests. Every image is produced here, none is stored.
#![allow(dead_code)]
// Per-channel pixel loops read more plainly with an index here.
#![allow(clippy::needless_range_loop)]

use std::f32::consts::PI;

pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/faces/astronaut.png"
);

/// Face box and eye centres of the sample portrait (OpenCV cascades, rounded).
pub const FACE_CENTRE: (f32, f32) = (223.0, 114.0);
pub const FACE_SIDE: f32 = 104.0;

#[derive(Clone)]
pub struct Img {
    pub w: usize,
    pub h: usize,
    pub rgba: Vec<u8>,
}

pub fn load_sample() -> Img {
    let dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(SAMPLE).expect("sample portrait missing (shared/testdata)"),
    ));
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let ch = info.color_type.samples();
    let mut rgba = Vec::with_capacity(w * h * 4);
    for p in buf[..w * h * ch].chunks_exact(ch) {
        rgba.extend_from_slice(&[p[0], p[1], p[2], 255]);
    }
    Img { w, h, rgba }
}

impl Img {
    pub fn get(&self, x: i64, y: i64) -> [f32; 3] {
        let x = x.clamp(0, self.w as i64 - 1) as usize;
        let y = y.clamp(0, self.h as i64 - 1) as usize;
        let i = (y * self.w + x) * 4;
        [
            self.rgba[i] as f32,
            self.rgba[i + 1] as f32,
            self.rgba[i + 2] as f32,
        ]
    }
    /// Bilinear sample, edge replicated.
    pub fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        let (x0, y0) = (x.floor(), y.floor());
        let (ax, ay) = (x - x0, y - y0);
        let (xi, yi) = (x0 as i64, y0 as i64);
        let (a, b, c, d) = (
            self.get(xi, yi),
            self.get(xi + 1, yi),
            self.get(xi, yi + 1),
            self.get(xi + 1, yi + 1),
        );
        let mut o = [0.0; 3];
        for k in 0..3 {
            o[k] =
                (a[k] * (1.0 - ax) + b[k] * ax) * (1.0 - ay) + (c[k] * (1.0 - ax) + d[k] * ax) * ay;
        }
        o
    }
    pub fn map(&self, f: impl Fn(usize, usize, [f32; 3]) -> [f32; 3]) -> Img {
        let mut out = self.clone();
        for y in 0..self.h {
            for x in 0..self.w {
                let v = f(x, y, self.get(x as i64, y as i64));
                let i = (y * self.w + x) * 4;
                for k in 0..3 {
                    out.rgba[i + k] = v[k].round().clamp(0.0, 255.0) as u8;
                }
            }
        }
        out
    }
    /// Output pixel (x, y) takes the source at `src(x, y)`.
    pub fn warp(&self, w: usize, h: usize, src: impl Fn(f32, f32) -> (f32, f32)) -> Img {
        let mut out = Img {
            w,
            h,
            rgba: vec![255; w * h * 4],
        };
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = src(x as f32, y as f32);
                let v = self.sample(sx, sy);
                let i = (y * w + x) * 4;
                for k in 0..3 {
                    out.rgba[i + k] = v[k].round().clamp(0.0, 255.0) as u8;
                }
            }
        }
        out
    }
}

pub fn blur(img: &Img, sigma: f32) -> Img {
    let r = (3.0 * sigma).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let s: f32 = k.iter().sum();
    let pass = |src: &Img, dx: i64, dy: i64| {
        src.map(|x, y, _| {
            let mut o = [0.0; 3];
            for (j, kv) in k.iter().enumerate() {
                let d = j as i64 - r;
                let p = src.get(x as i64 + d * dx, y as i64 + d * dy);
                for c in 0..3 {
                    o[c] += p[c] * kv / s;
                }
            }
            o
        })
    };
    pass(&pass(img, 1, 0), 0, 1)
}

pub fn gain(img: &Img, g: f32, offset: f32) -> Img {
    img.map(|_, _, p| p.map(|v| v * g + offset))
}

/// Light from the image right: gain 0.25 on the left edge of the face to 1.2 on the right.
pub fn side_light(img: &Img) -> Img {
    let (cx, _) = FACE_CENTRE;
    img.map(|x, _, p| {
        let t = ((x as f32 - (cx - 0.5 * FACE_SIDE)) / FACE_SIDE).clamp(0.0, 1.0);
        let g = 0.25 + 0.95 * t;
        p.map(|v| v * g)
    })
}

/// Background brightened, face darkened (ellipse around the face kept at 0.6 gain).
pub fn backlight(img: &Img) -> Img {
    let (cx, cy) = FACE_CENTRE;
    img.map(|x, y, p| {
        let dx = (x as f32 - cx) / (0.75 * FACE_SIDE);
        let dy = (y as f32 - cy) / (0.95 * FACE_SIDE);
        let inside = (1.2 - (dx * dx + dy * dy).sqrt()).clamp(0.0, 0.2) / 0.2;
        let g = 0.6 * inside + (1.0 - inside) * 1.9;
        p.map(|v| v * g + (1.0 - inside) * 60.0)
    })
}

/// Whole image scaled by `s` about the face centre (the canvas keeps its size).
pub fn zoom(img: &Img, s: f32) -> Img {
    let (cx, cy) = FACE_CENTRE;
    img.warp(img.w, img.h, |x, y| (cx + (x - cx) / s, cy + (y - cy) / s))
}

pub fn shift(img: &Img, dx: f32, dy: f32) -> Img {
    img.warp(img.w, img.h, |x, y| (x - dx, y - dy))
}

pub fn rotate(img: &Img, deg: f32) -> Img {
    let (cx, cy) = FACE_CENTRE;
    let (s, c) = (deg * PI / 180.0).sin_cos();
    img.warp(img.w, img.h, |x, y| {
        let (u, v) = (x - cx, y - cy);
        (cx + c * u + s * v, cy - s * u + c * v)
    })
}

/// Pastes a copy of the head (scaled by `s`) with its centre at (px, py).
pub fn second_face(img: &Img, px: f32, py: f32, s: f32) -> Img {
    let (cx, cy) = FACE_CENTRE;
    let half = 0.9 * FACE_SIDE * s;
    let mut out = img.clone();
    for y in 0..img.h {
        for x in 0..img.w {
            let (u, v) = (x as f32 - px, y as f32 - py);
            if u.abs() < half && v.abs() < half * 1.1 {
                let p = img.sample(cx + u / s, cy + v / s);
                let i = (y * img.w + x) * 4;
                for k in 0..3 {
                    out.rgba[i + k] = p[k].round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
    out
}

/// No face: the lower-left quarter (flag and suit) blown up to the full canvas.
pub fn no_face(img: &Img) -> Img {
    img.warp(img.w, img.h, |x, y| (x / 2.0, 256.0 + y / 2.0))
}

/// Centres the sample in a `w × h` frame, scaled by `s` (webcam-sized test frames).
pub fn frame(img: &Img, w: usize, h: usize, s: f32) -> Img {
    let (cx, cy) = FACE_CENTRE;
    img.warp(w, h, |x, y| {
        (
            cx + (x - w as f32 / 2.0) / s,
            cy + (y - 0.45 * h as f32) / s,
        )
    })
}

/// Closes the eyes by `t` (0 open – 1 shut): inside each eye's almond the upper lid (skin
/// sampled just above the eye) slides down, leaving a dark lash line where it meets the lower lid.
pub fn blink(img: &Img, eyes: [(f32, f32); 2], ied: f32, t: f32) -> Img {
    let mut out = img.clone();
    let (hw, hh) = (0.24 * ied, 0.12 * ied);
    for &(ex, ey) in &eyes {
        for y in (ey - hh - 1.0) as usize..=(ey + hh + 1.0) as usize {
            for x in (ex - hw) as usize..=(ex + hw) as usize {
                let u = (x as f32 - ex) / hw;
                let v = (y as f32 - ey) / hh;
                let half = (1.0 - u * u).max(0.0).sqrt();
                if v.abs() > half {
                    continue;
                }
                // Lid edge moves from the top of the almond (t = 0) to its bottom (t = 1); the
                // lashes are a thin dark band just above that edge.
                let edge = -half + t * 2.0 * half;
                let lid = img.sample(x as f32, ey - hh - 3.0).map(|c| c * 0.85);
                let orig = img.get(x as i64, y as i64);
                let i = (y * img.w + x) * 4;
                let (w, dark) = if v < edge - 0.3 {
                    (1.0, 1.0)
                } else if v < edge && t > 0.2 {
                    (1.0, 0.6)
                } else {
                    (0.0, 1.0)
                };
                for k in 0..3 {
                    out.rgba[i + k] = ((orig[k] * (1.0 - w) + lid[k] * w) * dark).round() as u8;
                }
            }
        }
    }
    out
}

/// Head yaw by `deg` (positive: nose to the image right) as a cylinder of radius `r` around
/// the face centre (orthographic), rows within the head only.
pub fn turn(img: &Img, centre: (f32, f32), r: f32, deg: f32) -> Img {
    let th = deg * PI / 180.0;
    let (cx, cy) = centre;
    img.warp(img.w, img.h, |x, y| {
        let u = (x - cx) / r;
        let v = (y - cy) / (1.3 * r);
        if u.abs() >= 1.0 || v.abs() >= 1.0 {
            return (x, y);
        }
        let fade = (1.0 - v * v).sqrt().min(1.0);
        let phi = u.asin() - th * fade;
        if phi.abs() >= PI / 2.0 {
            return (x, y);
        }
        (cx + r * phi.sin(), y)
    })
}

/// Head pitch as a vertical cylinder warp (positive: face moves down).
pub fn nod(img: &Img, centre: (f32, f32), r: f32, deg: f32) -> Img {
    let th = deg * PI / 180.0;
    let (cx, cy) = centre;
    img.warp(img.w, img.h, |x, y| {
        let u = (x - cx) / (1.1 * r);
        let v = (y - cy) / r;
        if u.abs() >= 1.0 || v.abs() >= 1.0 {
            return (x, y);
        }
        let fade = (1.0 - u * u).sqrt().min(1.0);
        let phi = v.asin() - th * fade;
        if phi.abs() >= PI / 2.0 {
            return (x, y);
        }
        (x, cy + r * phi.sin())
    })
}

/// Sensor noise: uniform ±`amp` levels from a fixed-seed xorshift.
pub fn noise(img: &Img, amp: f32, seed: u64) -> Img {
    let mut s = seed | 1;
    let mut out = img.clone();
    for (i, p) in out.rgba.iter_mut().enumerate() {
        if i % 4 == 3 {
            continue;
        }
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let n = ((s >> 11) as f32 / (1u64 << 53) as f32 * 2.0 - 1.0) * amp;
        *p = (*p as f32 + n).round().clamp(0.0, 255.0) as u8;
    }
    out
}

/// A screen seen by a camera: a sinusoidal grid of period `period` px at `angle` degrees,
/// multiplying luminance by 1 ± `depth`.
pub fn moire(img: &Img, period: f32, angle: f32, depth: f32) -> Img {
    let (s, c) = (angle * PI / 180.0).sin_cos();
    img.map(|x, y, p| {
        let t = (x as f32 * c + y as f32 * s) * 2.0 * PI / period;
        let g = 1.0 + depth * t.sin();
        p.map(|v| v * g)
    })
}

/// Writes a PNG (debugging aid for the generators).
pub fn save(img: &Img, path: &str) {
    let f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut e = png::Encoder::new(f, img.w as u32, img.h as u32);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    e.write_header()
        .unwrap()
        .write_image_data(&img.rgba)
        .unwrap();
}

/// The image shown on a phone held up to a 640×480 camera: a black bezel around a screen of
/// 200×300 showing `img` centred at scale `s`, on a textured grey room background.
pub fn on_phone(img: &Img, s: f32, dx: f32, dy: f32) -> Img {
    let screen = frame(img, 200, 300, s);
    let (w, h) = (640usize, 480usize);
    let (bx, by) = (208.0 + dx, 60.0 + dy);
    let mut out = Img {
        w,
        h,
        rgba: vec![255; w * h * 4],
    };
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 - bx, y as f32 - by);
            let v = if (12.0..212.0).contains(&fx) && (12.0..312.0).contains(&fy) {
                screen.sample(fx - 12.0, fy - 12.0)
            } else if (0.0..224.0).contains(&fx) && (0.0..324.0).contains(&fy) {
                [12.0, 12.0, 14.0]
            } else {
                let t = ((x * 7 + y * 13) % 23) as f32;
                [110.0 + t, 112.0 + t, 108.0 + t]
            };
            let i = (y * w + x) * 4;
            for k in 0..3 {
                out.rgba[i + k] = v[k].round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}
