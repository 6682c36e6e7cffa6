//! `capture::finger` API: input checks, empty images, guidance, resolution handling,
//! thresholds and the serialised report, on the sample prints of ../shared/testdata.

use std::path::Path;

use capture::finger::{fingerprint_quality, FingerError, FingerQuality, GuidanceCode, Thresholds};

const PRINTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/testdata/fingerprints"
);

fn load(name: &str) -> (Vec<u8>, u32, u32) {
    let file = std::fs::File::open(Path::new(PRINTS).join(name)).unwrap();
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let gray = buf[..info.buffer_size()]
        .chunks_exact(ch)
        .map(|p| p[0])
        .collect();
    (gray, info.width, info.height)
}

fn codes(q: &FingerQuality) -> Vec<GuidanceCode> {
    q.guidance.iter().map(|g| g.code).collect()
}

#[test]
fn refuses_bad_input_with_stable_codes() {
    let cases: [(Vec<u8>, u32, u32, u32, &str); 6] = [
        (vec![], 0, 10, 500, "empty_image"),
        (vec![0; 99], 10, 10, 500, "dimension_mismatch"),
        (vec![0; 100 * 100], 100, 100, 100, "unsupported_resolution"),
        (vec![0; 100 * 100], 100, 100, 5000, "unsupported_resolution"),
        (vec![0; 40 * 100], 40, 100, 500, "image_too_small"),
        (vec![0; 5000], 5000, 1, 500, "image_too_large"),
    ];
    for (gray, w, h, ppi, code) in cases {
        let err = fingerprint_quality(&gray, w, h, ppi).unwrap_err();
        assert_eq!(err.code(), code, "{w}×{h} at {ppi}: {err}");
        assert!(!err.to_string().is_empty());
    }
    // 1000 ppi 100×100 is 50×50 at 500 ppi: too small.
    let err = fingerprint_quality(&[0; 100 * 100], 100, 100, 1000).unwrap_err();
    assert!(
        matches!(
            err,
            FingerError::ImageTooSmall {
                width: 50,
                height: 50
            }
        ),
        "{err:?}"
    );
}

#[test]
fn empty_platens_score_zero_with_sin_huella() {
    let (w, h) = (400u32, 500u32);
    let white = vec![245u8; (w * h) as usize];
    let mut noisy = white.clone();
    let mut state = 12345u32;
    for p in &mut noisy {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *p = 230 + ((state >> 16) % 20) as u8;
    }
    for (name, img) in [("white", white), ("sensor noise", noisy)] {
        let q = fingerprint_quality(&img, w, h, 500).unwrap();
        assert_eq!(q.score, 0, "{name}");
        assert_eq!(codes(&q), vec![GuidanceCode::SinHuella], "{name}");
        assert_eq!(q.foreground.area_px, 0, "{name}");
    }
}

#[test]
fn good_prints_score_well_and_are_accepted() {
    let thresholds = Thresholds::default();
    for name in ["p1_1.png", "p1_2.png", "p2_1.png", "nist_card0003_07.png"] {
        let (gray, w, h) = load(name);
        let q = fingerprint_quality(&gray, w, h, 500).unwrap();
        assert!(q.score >= 50, "{name}: score {}", q.score);
        assert!(q.features.minutiae_count >= 20, "{name}: {:?}", q.features);
        assert!(
            q.features.usable_area_mm2 > 150.0,
            "{name}: {:?}",
            q.features
        );
        let fg = q.foreground;
        assert!(
            fg.x + fg.width <= w && fg.y + fg.height <= h,
            "{name}: {fg:?}"
        );
        assert!(
            fg.area_px > w * h / 4 && fg.area_px <= fg.width * fg.height,
            "{name}: {fg:?}"
        );
        assert!(
            thresholds.accept(2, &q),
            "{name}: right index rejected: {q:?}"
        );
        assert!(!thresholds.accept(16, &q), "position 16 does not exist");
        assert_eq!(
            fingerprint_quality(&gray, w, h, 500).unwrap(),
            q,
            "{name}: not deterministic"
        );
    }
}

fn with(gray: &[u8], f: impl Fn(u8) -> u8) -> Vec<u8> {
    gray.iter().map(|&v| f(v)).collect()
}

#[test]
fn guidance_names_the_problem() {
    let (gray, w, h) = load("p1_1.png");
    let base = fingerprint_quality(&gray, w, h, 500).unwrap();

    let dark =
        fingerprint_quality(&with(&gray, |v| (u16::from(v) * 3 / 10) as u8), w, h, 500).unwrap();
    assert!(
        codes(&dark).contains(&GuidanceCode::MuyOscuro),
        "{:?}",
        dark.guidance
    );

    let light = fingerprint_quality(&with(&gray, |v| 255 - (255 - v) / 4), w, h, 500).unwrap();
    assert!(
        codes(&light).contains(&GuidanceCode::MuyClaro),
        "{:?}",
        light.guidance
    );
    assert!(
        light.score < base.score,
        "light {} vs {}",
        light.score,
        base.score
    );

    // Keep only a 150×160 piece near the top-left corner: a partial, off-centre print.
    let mut part = vec![255u8; gray.len()];
    for y in 40..200 {
        for x in 40..190 {
            part[y * w as usize + x] = gray[y * w as usize + x];
        }
    }
    let p = fingerprint_quality(&part, w, h, 500).unwrap();
    assert!(
        codes(&p).contains(&GuidanceCode::Parcial),
        "{:?} {:?}",
        p.guidance,
        p.features
    );
    assert!(
        codes(&p).contains(&GuidanceCode::Descentrado),
        "{:?} {:?}",
        p.guidance,
        p.foreground
    );
    assert!(
        p.score < base.score,
        "partial {} vs {}",
        p.score,
        base.score
    );
    assert!(
        !Thresholds::default().accept(1, &p),
        "a partial thumb must be refused"
    );

    // Box blur 9×9: ridges vanish.
    let (wu, hu) = (w as usize, h as usize);
    let mut blur = gray.clone();
    for y in 4..hu - 4 {
        for x in 4..wu - 4 {
            let mut s = 0u32;
            for dy in 0..9 {
                for dx in 0..9 {
                    s += u32::from(gray[(y + dy - 4) * wu + x + dx - 4]);
                }
            }
            blur[y * wu + x] = (s / 81) as u8;
        }
    }
    let b = fingerprint_quality(&blur, w, h, 500).unwrap();
    assert!(
        b.score + 30 < base.score,
        "blurred {} vs {}",
        b.score,
        base.score
    );
}

#[test]
fn other_resolutions_are_resampled() {
    let (gray, w, h) = load("p1_1.png");
    let base = fingerprint_quality(&gray, w, h, 500).unwrap();
    // The same print at 1000 ppi (pixel doubling) must score about the same.
    let (w2, h2) = (w * 2, h * 2);
    let mut big = vec![0u8; (w2 * h2) as usize];
    for y in 0..h2 as usize {
        for x in 0..w2 as usize {
            big[y * w2 as usize + x] = gray[(y / 2) * w as usize + x / 2];
        }
    }
    let q = fingerprint_quality(&big, w2, h2, 1000).unwrap();
    assert!(
        q.score.abs_diff(base.score) <= 10,
        "1000 ppi {} vs 500 ppi {}",
        q.score,
        base.score
    );
    // The foreground box is reported in the caller's pixels.
    assert!(
        q.foreground.width.abs_diff(base.foreground.width * 2) <= 32,
        "{:?} vs {:?}",
        q.foreground,
        base.foreground
    );
    assert!(q.foreground.x + q.foreground.width <= w2);
}

#[test]
fn thresholds_are_per_finger_and_configurable() {
    let t = Thresholds::default();
    assert!(
        t.get(1).unwrap().min_score >= t.get(5).unwrap().min_score,
        "thumb ≥ little"
    );
    assert!(t.get(15).is_some() && t.get(16).is_none());
    let (gray, w, h) = load("p2_1.png");
    let q = fingerprint_quality(&gray, w, h, 500).unwrap();
    let mut strict = t.clone();
    strict.positions[2].min_score = q.score + 1;
    assert!(t.accept(2, &q) && !strict.accept(2, &q));
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<Thresholds>(&json).unwrap(), t);
}

#[test]
fn report_serialises_plainly() {
    let (gray, w, h) = load("p2_3.png");
    let dark = with(&gray, |v| v / 4);
    let q = fingerprint_quality(&dark, w, h, 500).unwrap();
    let v = serde_json::to_value(&q).unwrap();
    assert!(v["score"].is_u64());
    for key in [
        "orientation_certainty",
        "local_clarity",
        "ridge_valley_uniformity",
        "frequency_domain",
        "orientation_flow",
        "minutiae_count",
        "usable_area_mm2",
    ] {
        assert!(v["features"][key].is_number(), "missing feature {key}: {v}");
    }
    for key in ["x", "y", "width", "height", "area_px"] {
        assert!(v["foreground"][key].is_u64(), "missing foreground.{key}");
    }
    let g = &v["guidance"][0];
    assert_eq!(g["code"], "muy_oscuro", "{v}");
    assert!(g["message"].as_str().unwrap().contains("oscura"));
    let back: FingerQuality = serde_json::from_value(v).unwrap();
    assert_eq!(back, q);
}

#[test]
fn odd_sizes_and_patterns_never_panic() {
    let mut state = 99u32;
    let mut rnd = move || {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 24) as u8
    };
    for &(w, h) in &[
        (64u32, 64u32),
        (65, 1000),
        (1000, 65),
        (97, 131),
        (257, 255),
        (2048, 70),
    ] {
        let n = (w * h) as usize;
        let patterns: Vec<Vec<u8>> = vec![
            vec![0; n],
            vec![255; n],
            (0..n).map(|_| rnd()).collect(),
            (0..n)
                .map(|i| {
                    if (i % w as usize / 4 + i / w as usize / 4).is_multiple_of(2) {
                        20
                    } else {
                        230
                    }
                })
                .collect(),
            // Straight stripes with a 9 px period: ridge-like but no minutiae.
            (0..n)
                .map(|i| if (i % w as usize) % 9 < 4 { 40 } else { 210 })
                .collect(),
        ];
        for (k, img) in patterns.iter().enumerate() {
            let q = fingerprint_quality(img, w, h, 500).unwrap();
            assert!(q.score <= 100, "{w}×{h} pattern {k}");
            assert!(
                q.foreground.x + q.foreground.width <= w
                    && q.foreground.y + q.foreground.height <= h
            );
            match fingerprint_quality(img, w, h, 333) {
                Ok(q2) => assert!(
                    q2.foreground.x + q2.foreground.width <= w,
                    "{:?}",
                    q2.foreground
                ),
                Err(e) => assert!(
                    matches!(e.code(), "image_too_small" | "image_too_large"),
                    "{e}"
                ),
            }
        }
    }
}
