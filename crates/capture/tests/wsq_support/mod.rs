//! Shared helpers of the NBIS conformance tests (`wsq_nbis_encoder.rs`,
//! `wsq_nbis_decoder.rs`): test images, and NBIS run through `tools/wsq_reference.py`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata");
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

pub struct Gray {
    pub name: String,
    pub w: u32,
    pub h: u32,
    pub px: Vec<u8>,
}

pub fn python() -> PathBuf {
    let p = Path::new(WORKSPACE).join(".venv/bin/python");
    assert!(
        p.exists(),
        "NBIS reference needs the Python venv at {} (run scripts/setup.sh); not found",
        p.display()
    );
    p
}

/// A fresh scratch directory, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("huella-wsq-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn reference(args: &[String]) {
    let out = Command::new(python())
        .arg(Path::new(WORKSPACE).join("tools/wsq_reference.py"))
        .args(args)
        .output()
        .expect("run tools/wsq_reference.py");
    assert!(
        out.status.success(),
        "wsq_reference.py {:?} failed: {}",
        args.first(),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn write_pgm(path: &Path, g: &Gray) {
    let mut b = format!("P5\n{} {}\n255\n", g.w, g.h).into_bytes();
    b.extend_from_slice(&g.px);
    std::fs::write(path, b).unwrap();
}

/// Reads the PGM `wsq_reference.py decode` writes: (w, h, ppi, pixels).
pub fn read_pgm(path: &Path) -> (u32, u32, i32, Vec<u8>) {
    let data = std::fs::read(path).unwrap();
    let mut lines = data.splitn(5, |&b| b == b'\n');
    assert_eq!(lines.next().unwrap(), b"P5");
    let ppi_line = std::str::from_utf8(lines.next().unwrap()).unwrap();
    let ppi: i32 = ppi_line.trim_start_matches("# ppi ").parse().unwrap();
    let dims = std::str::from_utf8(lines.next().unwrap()).unwrap();
    let (w, h) = dims.split_once(' ').unwrap();
    assert_eq!(lines.next().unwrap(), b"255");
    let px = lines.next().unwrap().to_vec();
    (w.parse().unwrap(), h.parse().unwrap(), ppi, px)
}

/// NBIS-encodes every image at `bitrate`, 500 ppi.
pub fn nbis_encode(images: &[Gray], bitrate: f32) -> Vec<Vec<u8>> {
    let dir = Scratch::new(&format!("enc{bitrate}-{}", images[0].name));
    let mut args = vec!["encode".into(), "--bitrate".into(), bitrate.to_string()];
    for (i, g) in images.iter().enumerate() {
        let src = dir.0.join(format!("{i}.pgm"));
        write_pgm(&src, g);
        args.push(src.display().to_string());
        args.push(dir.0.join(format!("{i}.wsq")).display().to_string());
    }
    reference(&args);
    (0..images.len())
        .map(|i| std::fs::read(dir.0.join(format!("{i}.wsq"))).unwrap())
        .collect()
}

/// NBIS-decodes every file.
pub fn nbis_decode(files: &[Vec<u8>], tag: &str) -> Vec<(u32, u32, i32, Vec<u8>)> {
    let dir = Scratch::new(&format!("dec-{tag}"));
    let mut args = vec!["decode".to_string()];
    for (i, f) in files.iter().enumerate() {
        let src = dir.0.join(format!("{i}.wsq"));
        std::fs::write(&src, f).unwrap();
        args.push(src.display().to_string());
        args.push(dir.0.join(format!("{i}.pgm")).display().to_string());
    }
    reference(&args);
    (0..files.len())
        .map(|i| read_pgm(&dir.0.join(format!("{i}.pgm"))))
        .collect()
}

/// Grey levels of a test PNG (first channel, as `wsq_reference.py` reads PNGs).
pub fn load_png(path: &Path) -> Gray {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let ch = info.color_type.samples();
    Gray {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        w: info.width,
        h: info.height,
        px: buf[..info.buffer_size()]
            .iter()
            .step_by(ch)
            .copied()
            .collect(),
    }
}

pub fn sample_prints() -> Vec<Gray> {
    let dir = Path::new(TESTDATA).join("fingerprints");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        13,
        "expected 13 sample prints in {}",
        dir.display()
    );
    paths.iter().map(|p| load_png(p)).collect()
}

/// Deterministic pseudo-random bytes (64-bit LCG).
pub fn lcg(seed: u64) -> impl FnMut() -> u8 {
    let mut s = seed;
    move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 56) as u8
    }
}

pub fn synthetic_images() -> Vec<Gray> {
    let mut v = Vec::new();
    let mut add = |name: &str, w: u32, h: u32, f: &mut dyn FnMut(u32, u32) -> u8| {
        let px = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        v.push(Gray {
            name: name.into(),
            w,
            h,
            px,
        });
    };
    let prints = sample_prints();
    let p = &prints[7]; // p1_1: crop odd-sized windows of a real print
    for (w, h, x0, y0) in [
        (81, 81, 150, 200),
        (83, 97, 10, 20),
        (255, 81, 100, 300),
        (399, 499, 1, 1),
    ] {
        add(&format!("crop{w}x{h}"), w, h, &mut |x, y| {
            p.px[((y + y0) * p.w + x + x0) as usize]
        });
    }
    add("flat128", 120, 90, &mut |_, _| 128);
    add("flat0", 81, 81, &mut |_, _| 0);
    add("two_levels", 100, 100, &mut |x, _| {
        if x == 50 {
            201
        } else {
            200
        }
    });
    let mut r = lcg(1);
    add("noise", 257, 181, &mut |_, _| r());
    let mut r = lcg(2);
    add("noise_odd", 131, 333, &mut |_, _| r());
    add("gradient", 301, 203, &mut |x, y| {
        ((x * 3 + y * 5) % 256) as u8
    });
    add("stripes", 640, 481, &mut |x, y| {
        if ((x / 3) + (y / 7)) % 2 == 0 {
            30
        } else {
            220
        }
    });
    v
}

/// First differing byte, for a readable failure.
pub fn first_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or((a.len() != b.len()).then(|| a.len().min(b.len())))
}

/// The raw (scale, value) Q entries of a file's DQT segment.
pub fn dqt_q(file: &[u8]) -> Vec<(u8, u16)> {
    let mut pos = 2;
    loop {
        let marker = u16::from_be_bytes([file[pos], file[pos + 1]]);
        let len = u16::from_be_bytes([file[pos + 2], file[pos + 3]]) as usize;
        if marker == 0xFFA5 {
            let t = &file[pos + 7..pos + 2 + len];
            return t
                .chunks(6)
                .map(|c| (c[0], u16::from_be_bytes([c[1], c[2]])))
                .collect();
        }
        pos += 2 + len;
    }
}

pub fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
}

/// Share of pixels within ±1 of the reference, and the largest difference.
pub fn agreement(a: &[u8], b: &[u8]) -> (f64, u8) {
    assert_eq!(a.len(), b.len());
    let close = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.abs_diff(**y) <= 1)
        .count();
    let max = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0);
    (close as f64 / a.len() as f64, max)
}
