//! Writes fake-webcam videos (`.y4m`, for Chromium's `--use-file-for-fake-video-capture`) made
//! from the sample portrait, for the real-browser liveness test (`tests/browser/face.test.mjs`):
//!
//! - `still.y4m`: the same frame over and over (a photo held still in front of the camera);
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

fn main() -> std::io::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir)?;
    let s = load_sample();
    write_y4m(&dir.join("still.y4m"), &vec![s.clone(); 30])?;

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
        .map(|(i, f)| noise(f, 3.0, 0x5eed + i as u64))
        .collect();
    write_y4m(&dir.join("live.y4m"), &frames)?;
    eprintln!(
        "wrote still.y4m (30 frames) and live.y4m ({} frames) in {}",
        frames.len(),
        dir.display()
    );
    Ok(())
}
