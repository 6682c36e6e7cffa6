//! Huella's fingerprint score against NFIQ 2 on the graded set.
//!
//! `tools/finger_graded_set.py` (run with the workspace's `.venv`) builds ~330 images from the
//! 13 sample prints (blur, noise, contrast, dark/light, smudge, dry/wet, partial, rotation) plus
//! background-only and non-fingerprint images, and scores them with NFIQ 2 (`nbis-py`). This
//! test scores the same files with `fingerprint_quality` and requires Spearman's ρ ≥ 0.8 over the
//! whole set, ρ ≥ 0.7 on the prints the fusion model never saw in training, a score near 0 for
//! every image without a fingerprint, and the obvious guidance (too dark, too light, partial,
//! blurred) on the variants made that way. The set is cached under the target dir, keyed by a
//! hash of the generator and its inputs.

use std::path::{Path, PathBuf};
use std::process::Command;

use capture::finger::{fingerprint_quality, GuidanceCode, TRAINED_ON};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load_gray(path: &Path) -> (Vec<u8>, u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(
        info.color_type.samples(),
        1,
        "{}: generator writes 8-bit gray",
        path.display()
    );
    buf.truncate(info.buffer_size());
    (buf, info.width, info.height)
}

/// Ranks with ties averaged.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            r[k] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn spearman_against_nfiq2_on_graded_set() {
    let root = workspace();
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh to install the Python reference tools (nbis-py for NFIQ 2)",
        python.display()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("finger-graded");
    let status = Command::new(&python)
        .arg(root.join("tools/finger_graded_set.py"))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run tools/finger_graded_set.py");
    assert!(status.success(), "tools/finger_graded_set.py failed");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let images = manifest["images"].as_array().unwrap();
    assert!(images.len() > 300, "graded set too small: {}", images.len());

    let (mut nfiq, mut huella, mut held_n, mut held_h) = (vec![], vec![], vec![], vec![]);
    let mut worst_background = (0u8, String::new());
    for e in images {
        let file = e["file"].as_str().unwrap();
        let (gray, w, h) = load_gray(&out.join(file));
        let q = fingerprint_quality(&gray, w, h, 500).unwrap();
        let reference = e["nfiq2"].as_f64().unwrap_or(0.0); // NFIQ 2 refusal = 0
        nfiq.push(reference);
        huella.push(f64::from(q.score));
        let source = e["source"].as_str().unwrap();
        let variant = e["variant"].as_str().unwrap();
        let has = |c: GuidanceCode| q.guidance.iter().any(|g| g.code == c);
        let expected: &[GuidanceCode] = match variant {
            "dark" => &[GuidanceCode::MuyOscuro],
            "light" => &[GuidanceCode::MuyClaro],
            "partial0.15" => &[GuidanceCode::Parcial, GuidanceCode::SinHuella],
            "blur4.0" => &[GuidanceCode::Borroso, GuidanceCode::SinHuella],
            _ => &[],
        };
        assert!(
            expected.is_empty() || expected.iter().any(|&c| has(c)),
            "{file}: expected one of {expected:?}, got {:?}",
            q.guidance
        );
        if variant == "orig" {
            assert!(
                !has(GuidanceCode::SinHuella) && q.score > 0,
                "{file}: {q:?}"
            );
        }
        if e["kind"] == "background" {
            if q.score >= worst_background.0 {
                worst_background = (q.score, file.to_owned());
            }
            if q.score == 0 {
                assert!(
                    q.guidance.iter().any(|g| g.code == GuidanceCode::SinHuella),
                    "{file}: empty image without sin_huella"
                );
            }
        } else if !TRAINED_ON.contains(&source) {
            held_n.push(reference);
            held_h.push(f64::from(q.score));
        }
    }
    let rho = spearman(&huella, &nfiq);
    let rho_held = spearman(&held_h, &held_n);
    println!(
        "Spearman vs NFIQ 2: all {rho:.3} ({} images), held-out prints {rho_held:.3} ({} images); \
         worst background {} ({})",
        nfiq.len(),
        held_n.len(),
        worst_background.0,
        worst_background.1
    );
    assert!(rho >= 0.8, "Spearman {rho:.3} < 0.8 over the graded set");
    assert!(
        !held_n.is_empty(),
        "the model was trained on every print: nothing held out"
    );
    assert!(
        rho_held >= 0.7,
        "Spearman {rho_held:.3} < 0.7 on held-out prints"
    );
    assert!(
        worst_background.0 <= 10,
        "background/non-fingerprint image {} scored {}",
        worst_background.1,
        worst_background.0
    );
}

#[test]
fn spearman_helper_is_right() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    assert_eq!(ranks(&[5.0, 1.0, 5.0]), vec![2.5, 1.0, 2.5]);
}
