//! Prints the fingerprint-quality report and the fusion model's inputs of every PNG given, one
//! JSON object a line. Used by `tools/finger_train_fusion.py` to train the fusion model.
//!
//! `cargo run --release -p capture --example finger_features -- IMAGE.png...`

use std::process::ExitCode;

use capture::finger::{fingerprint_quality, fusion_inputs, FUSION_INPUT_NAMES};

fn load_gray(path: &str) -> Result<(Vec<u8>, u32, u32), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| format!("{path}: {e}"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("image too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{path}: {e}"))?;
    let channels = info.color_type.samples();
    let gray = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match channels {
            1 | 2 => p[0],
            _ => {
                ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114 + 500)
                    / 1000) as u8
            }
        })
        .collect();
    Ok((gray, info.width, info.height))
}

fn main() -> ExitCode {
    for path in std::env::args().skip(1) {
        let result = load_gray(&path).and_then(|(gray, w, h)| {
            fingerprint_quality(&gray, w, h, 500).map_err(|e| format!("{path}: {e}"))
        });
        match result {
            Ok(q) => {
                let line = serde_json::json!({
                    "file": path,
                    "score": q.score,
                    "inputs": fusion_inputs(&q.features).to_vec(),
                    "input_names": FUSION_INPUT_NAMES.to_vec(),
                    "quality": q,
                });
                println!("{line}");
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
