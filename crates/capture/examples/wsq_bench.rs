//! WSQ encode/decode timing, compression ratio and PSNR on the sample prints.
//!
//! ```text
//! cargo run --release -p capture --example wsq_bench -- [REPS] [PNG...]
//! .venv/bin/python tools/wsq_reference.py bench --reps REPS PNG...   # NBIS, same images
//! ```
//! Without PNG arguments it uses `shared/testdata/fingerprints/p*.png`. Grey = first channel.

use capture::wsq;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn load_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).expect("open PNG");
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("PNG size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    let ch = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .iter()
        .step_by(ch)
        .copied()
        .collect();
    (info.width, info.height, px)
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse).log10()
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

fn main() {
    let mut args = std::env::args().skip(1);
    let reps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if paths.is_empty() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/fingerprints");
        paths = std::fs::read_dir(&dir)
            .expect("testdata")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('p'))
            })
            .collect();
        paths.sort();
    }
    println!("image,width,height,bitrate,bytes,ratio,psnr_db,encode_ms_best,encode_ms_median,decode_ms_best,decode_ms_median");
    for path in &paths {
        let (w, h, px) = load_png(path);
        for bitrate in [0.75f32, 2.25] {
            let mut enc = Vec::new();
            let mut file = Vec::new();
            for _ in 0..reps {
                let t = Instant::now();
                file = wsq::encode(&px, w, h, 500, bitrate).expect("encode");
                enc.push(t.elapsed().as_secs_f64() * 1e3);
            }
            let mut dec = Vec::new();
            let mut img = None;
            for _ in 0..reps {
                let t = Instant::now();
                img = Some(wsq::decode(&file).expect("decode"));
                dec.push(t.elapsed().as_secs_f64() * 1e3);
            }
            let img = img.expect("at least one repetition");
            let (eb, em) = stats(enc);
            let (db, dm) = stats(dec);
            println!(
                "{},{w},{h},{bitrate},{},{:.2},{:.2},{eb:.2},{em:.2},{db:.2},{dm:.2}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                file.len(),
                px.len() as f64 / file.len() as f64,
                psnr(&px, &img.pixels),
            );
        }
    }
}
