//! Native timing of `capture::finger::fingerprint_quality` on the 400 × 500 sample prints.
//!
//! `cargo run --release -p capture --example finger_bench [-- ROUNDS]`
//!
//! Prints the median and spread per image and overall, in milliseconds, as JSON. NFIQ 2's time
//! on the same images is measured by `tools/finger_nfiq2_bench.py` (run both in one session:
//! this machine's timings vary about 2× between runs).

use std::time::Instant;

use capture::finger::fingerprint_quality;

const PRINTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/fingerprints"
);

fn load_gray(path: &std::path::Path) -> (Vec<u8>, u32, u32) {
    let file = std::fs::File::open(path).expect("open print");
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png data");
    let ch = info.color_type.samples();
    let gray = buf[..info.buffer_size()]
        .chunks_exact(ch)
        .map(|p| p[0])
        .collect();
    (gray, info.width, info.height)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let mut all = Vec::new();
    let mut per_image = Vec::new();
    for name in ["p1_1", "p1_2", "p1_3", "p2_1", "p2_2", "p2_3"] {
        let (gray, w, h) = load_gray(&std::path::Path::new(PRINTS).join(format!("{name}.png")));
        let mut times = Vec::with_capacity(rounds);
        let mut score = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let q = fingerprint_quality(&gray, w, h, 500).expect("quality");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            score = q.score;
        }
        all.extend_from_slice(&times);
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let med = median(&mut times);
        per_image.push(serde_json::json!({"image": name, "width": w, "height": h, "score": score,
            "median_ms": (med * 1000.0).round() / 1000.0, "min_ms": (min * 1000.0).round() / 1000.0}));
    }
    let med = median(&mut all);
    let out = serde_json::json!({"what": "fingerprint_quality, native release", "rounds": rounds,
        "median_ms": (med * 1000.0).round() / 1000.0, "images": per_image});
    println!("{}", serde_json::to_string_pretty(&out).expect("json"));
}
