//! Native timing of `face_quality` on 640×480 frames made from the sample portrait.
//!
//! `cargo run --release -p capture --example face_bench [ITERATIONS]`
//!
//! Prints the median and 90th percentile per frame for: the face filling ~40 % of the frame
//! width (a typical enrolment framing), a small face, and an empty frame (worst case: the
//! roll-retry searches run too). Also prints the process CPU time per frame, which is what to
//! compare on a loaded machine.

use std::time::Instant;

use capture::face::face_quality;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/faces/astronaut.png"
);

fn load() -> (usize, usize, Vec<u8>) {
    let dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(SAMPLE).expect("sample portrait"),
    ));
    let mut r = dec.read_info().expect("png header");
    let mut buf = vec![0; r.output_buffer_size().expect("size")];
    let info = r.next_frame(&mut buf).expect("png data");
    let ch = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut rgb = Vec::with_capacity(w * h * 3);
    for p in buf[..w * h * ch].chunks_exact(ch) {
        rgb.extend_from_slice(&p[..3]);
    }
    (w, h, rgb)
}

/// A 640×480 RGBA frame: the sample scaled by `s` about the face centre (223, 114), the face
/// placed at (320, 216).
fn frame(src: &(usize, usize, Vec<u8>), s: f32) -> Vec<u8> {
    let (w, h, rgb) = src;
    let mut out = Vec::with_capacity(640 * 480 * 4);
    for y in 0..480 {
        for x in 0..640 {
            let sx = (223.0 + (x as f32 - 320.0) / s).clamp(0.0, *w as f32 - 1.0) as usize;
            let sy = (114.0 + (y as f32 - 216.0) / s).clamp(0.0, *h as f32 - 1.0) as usize;
            let i = (sy * w + sx) * 3;
            out.extend_from_slice(&[rgb[i], rgb[i + 1], rgb[i + 2], 255]);
        }
    }
    out
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let src = load();
    let cases = [
        ("face ~250 px wide (IED ~110 px)", frame(&src, 2.4)),
        ("face ~100 px wide", frame(&src, 1.0)),
        ("no face (uniform grey)", vec![128u8; 640 * 480 * 4]),
    ];
    for (name, rgba) in &cases {
        let first = face_quality(rgba, 640, 480).expect("quality");
        let mut t = Vec::with_capacity(n);
        let cpu0 = cpu_ms();
        for _ in 0..n {
            let t0 = Instant::now();
            let q = face_quality(rgba, 640, 480).expect("quality");
            t.push(t0.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(q);
        }
        let cpu = cpu_ms().zip(cpu0).map(|(b, a)| (b - a) / n as f64);
        t.sort_by(f64::total_cmp);
        println!(
            "{name}: wall median {:.2} ms, p90 {:.2} ms, process CPU {} ms/frame over {n} frames; faces {}, score {}, IED {:?}",
            t[n / 2],
            t[n * 9 / 10],
            cpu.map_or("n/a".to_string(), |c| format!("{c:.2}")),
            first.faces.len(),
            first.score,
            first.measures.inter_eye_px.map(|v| v.round())
        );
    }
}

/// User + system CPU time of this process (Linux `/proc/self/stat`, 10 ms ticks): on a shared
/// machine the wall-clock median includes time spent waiting for a core, this does not.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}
