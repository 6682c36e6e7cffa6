//! Shared helpers for the driver ↔ emulator tests.
#![allow(dead_code)]

use scanner::GrayImage;

pub const W: u32 = 384;
pub const H: u32 = 290;

/// A synthetic "print": concentric ridges around a centre, values 20..235.
pub fn ridges(w: u32, h: u32) -> Vec<u8> {
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.3);
    (0..h)
        .flat_map(|y| {
            (0..w).map(move |x| {
                let r = ((x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)).sqrt();
                (127.5 + 107.5 * (r / 4.5).sin()) as u8
            })
        })
        .collect()
}

/// Ridges with a white top row and a white left column: every loss point of the protocol lands
/// on white, so this image must come back exactly.
pub fn carriable(w: u32, h: u32) -> GrayImage {
    let mut px = ridges(w, h);
    px[..w as usize].fill(255);
    for y in 0..h as usize {
        px[y * w as usize] = 255;
    }
    GrayImage::new(w, h, px).unwrap()
}

/// Deterministic noise: no white pixel, no equal rows.
pub fn noise(w: u32, h: u32, seed: u32) -> GrayImage {
    let mut x = seed | 1;
    let px = (0..w * h)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8 % 250
        })
        .collect();
    GrayImage::new(w, h, px).unwrap()
}

pub fn testdata(name: &str) -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/fingerprints/"
    )
    .to_string()
        + name
}

/// Loads a PNG as 8-bit gray (gray or RGB(A): the red channel; the prints are neutral gray).
pub fn load_png(name: &str) -> GrayImage {
    let file = std::fs::File::open(testdata(name)).expect("testdata print");
    let mut dec = png::Decoder::new(std::io::BufReader::new(file));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px: Vec<u8> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| c[0])
        .collect();
    GrayImage::new(info.width, info.height, px).unwrap()
}

/// Number of differing pixels.
pub fn diff(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}
