//! Writes fake-webcam videos (`.y4m`, for Chromium's `--use-file-for-fake-video-capture`) made
//! from the sample portrait, for the real-browser liveness test (`tests/browser/face.test.mjs`):
//!
//! - `still.y4m`: the same frame over and over (a photo held still in front of the camera);
//! - `portrait.y4m`: the sample framed as a webcam would for enrolment (the web app's alta test);
//! - `selfie.y4m`: `live.y4m` framed like `portrait.y4m` (the web app's proof-of-life test);
//! - `dark.y4m`: that portrait in a dark room (the web app's "face too dark" test);
//! - `live.y4m`: neutral, a blink, neutral, a head turn to the subject's left, neutral — warps
//!   of the sample with fresh sensor noise in every frame, each pose held 3 video frames.
//!
//! ```text
//! cargo run --release -p capture --example face_y4m -- OUT_DIR
//! ```
#[path = "../tests/face_synth/mod.rs"]
mod face_synth;

use face_synth::*;
use std::io::Write;

const EYES: [(f32, f32); 2] = [(201.7, 100.8), (246.9, 103.3)];
const IED: f32 = 45.3;
const HEAD: (f32, f32) = (224.0, 118.0);
const HOLD: usize = 3;

fn write_y4m(path: &std::path::Path, frames: &[Img]) -> std::io::Result<()> {
    let (w, h) = (frames[0].w, frames[0].h);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg")?;
    for f in frames {
        let px = |x: usize, y: usize| {
            let i = (y * w + x) * 4;
            (f.rgba[i] as f32, f.rgba[i + 1] as f32, f.rgba[i + 2] as f32)
        };
        let mut yp = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let (r, g, b) = px(x, y);
                yp.push(
                    (0.299 * r + 0.587 * g + 0.114 * b)
                        .round()
                        .clamp(0.0, 255.0) as u8,
                );
            }
        }
        let (mut up, mut vp) = (Vec::new(), Vec::new());
        for y in (0..h).step_by(2) {
            for x in (0..w).step_by(2) {
                let (mut r, mut g, mut b) = (0.0, 0.0, 0.0);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = px((x + dx).min(w - 1), (y + dy).min(h - 1));
                    r += p.0 / 4.0;
                    g += p.1 / 4.0;
                    b += p.2 / 4.0;
                }
                up.push(
                    (128.0 - 0.168736 * r - 0.331264 * g + 0.5 * b)
                        .round()
                        .clamp(0.0, 255.0) as u8,
                );
                vp.push(
                    (128.0 + 0.5 * r - 0.418688 * g - 0.081312 * b)
                        .round()
                        .clamp(0.0, 255.0) as u8,
                );
            }
        }
        out.write_all(b"FRAME\n")?;
        out.write_all(&yp)?;
        out.write_all(&up)?;
        out.write_all(&vp)?;
    }
    out.flush()
}

/// `s` enlarged 2× (bilinear) and cropped to `w × h` centred on `centre`.
fn zoom2(s: &Img, centre: (f32, f32), w: usize, h: usize) -> Img {
    let mut rgba = vec![0u8; w * h * 4];
    let (x0, y0) = (
        centre.0 * 2.0 - w as f32 / 2.0,
        centre.1 * 2.0 - h as f32 / 2.0,
    );
    for y in 0..h {
        for x in 0..w {
            let sx = ((x0 + x as f32) / 2.0).clamp(0.0, (s.w - 2) as f32);
            let sy = ((y0 + y as f32) / 2.0).clamp(0.0, (s.h - 2) as f32);
            let (ix, iy) = (sx as usize, sy as usize);
            let (fx, fy) = (sx - ix as f32, sy - iy as f32);
            for c in 0..4 {
                let p = |xx: usize, yy: usize| f32::from(s.rgba[(yy * s.w + xx) * 4 + c]);
                let v = p(ix, iy) * (1.0 - fx) * (1.0 - fy)
                    + p(ix + 1, iy) * fx * (1.0 - fy)
                    + p(ix, iy + 1) * (1.0 - fx) * fy
                    + p(ix + 1, iy + 1) * fx * fy;
                rgba[(y * w + x) * 4 + c] = v.round() as u8;
            }
        }
    }
    Img { w, h, rgba }
}

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let s = load_sample();
    write_y4m(&dir.join("still.y4m"), &vec![s.clone(); 30])?;
    // (Seeds step by 2: `noise` forces the seed odd, so seeds 2k and 2k+1 give the same noise.)
    // Webcam framing for enrolment: the sample enlarged 2× around the face (inter-eye distance
    // ≈ 90 px, the ICAO minimum) in a 640×480 frame, with fresh sensor noise in every frame.
    let portrait = zoom2(&s, HEAD, 640, 480);
    let frames: Vec<Img> = (0..30)
        .map(|i| noise(&portrait, 3.0, 0x9047 + 2 * i))
        .collect();
    write_y4m(&dir.join("portrait.y4m"), &frames)?;
    // A face in a dark room: the portrait at 12% brightness, with sensor noise.
    let mut dark = portrait.clone();
    for (i, v) in dark.rgba.iter_mut().enumerate() {
        if i % 4 != 3 {
            *v = (f32::from(*v) * 0.12).round() as u8;
        }
    }
    let dark: Vec<Img> = (0..30).map(|i| noise(&dark, 2.0, 0xda4c + 2 * i)).collect();
    write_y4m(&dir.join("dark.y4m"), &dark)?;

    let mut poses: Vec<Img> = vec![s.clone(); 4];
    poses.extend(
        [0.5, 1.0, 1.0, 0.5, 0.0]
            .iter()
            .map(|&t| blink(&s, EYES, IED, t)),
    );
    poses.extend(vec![s.clone(); 2]);
    poses.extend(
        [8.0, 14.0, 20.0, 14.0, 8.0, 0.0]
            .iter()
            .map(|&d| turn(&s, HEAD, 75.0, d)),
    );
    poses.extend(vec![s.clone(); 3]);
    let frames: Vec<Img> = poses
        .iter()
        .flat_map(|p| std::iter::repeat_n(p, HOLD))
        .enumerate()
        .map(|(i, f)| noise(f, 3.0, 0x5eed + 2 * i as u64))
        .collect();
    write_y4m(&dir.join("live.y4m"), &frames)?;
    // The same performance framed for a selfie (the web app's proof-of-life test).
    let selfie: Vec<Img> = poses
        .iter()
        .flat_map(|p| std::iter::repeat_n(p, HOLD))
        .enumerate()
        .map(|(i, f)| noise(&zoom2(f, HEAD, 640, 480), 3.0, 0x5e1f + 2 * i as u64))
        .collect();
    write_y4m(&dir.join("selfie.y4m"), &selfie)?;
    eprintln!(
        "wrote still.y4m (30 frames) and live.y4m ({} frames) in {}",
        frames.len(),
        dir.display()
    );
    Ok(())
}
