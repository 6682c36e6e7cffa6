//! WSQ encoder conformance against NIST's NBIS (5.0, PyPI `wsq`, driven at test time by
//! `tools/wsq_reference.py` from `<workspace>/.venv`): Huella's file is byte-for-byte
//! NBIS's for the 13 sample prints at 0.75 and 2.25 bpp, for random crops at other bit
//! rates, and for odd-sized, flat and noisy synthetic images. The only allowed difference
//! is where NBIS overflows its 16-bit coefficients (see `encoder_avoids_nbis_coefficient_overflow`).

mod wsq_support;

use capture::wsq;
use wsq_support::*;

/// Compares Huella's and NBIS's files byte for byte. Returns the number of images where they
/// differ because NBIS overflowed its 16-bit coefficients (Huella widened those subbands'
/// bins; NBIS's own decode must then be worse than Huella's); any other difference fails.
fn check_bytes(images: &[Gray], bitrate: f32) -> usize {
    let reference = nbis_encode(images, bitrate);
    let mut bad = Vec::new();
    let mut widened = Vec::new();
    for (i, (g, nbis)) in images.iter().zip(&reference).enumerate() {
        let ours = match wsq::encode(&g.px, g.w, g.h, 500, bitrate) {
            Ok(f) => f,
            Err(e) => {
                bad.push(format!("{} ({}x{}) @ {bitrate}: {e}", g.name, g.w, g.h));
                continue;
            }
        };
        let Some(at) = first_diff(&ours, nbis) else {
            continue;
        };
        let (qo, qn) = (dqt_q(&ours), dqt_q(nbis));
        let changed: Vec<usize> = (0..64).filter(|&k| qo[k] != qn[k]).collect();
        let wider = |k: usize| {
            let v = |(e, m): (u8, u16)| f64::from(m) / 10f64.powi(i32::from(e));
            v(qo[k]) > v(qn[k])
        };
        if !changed.is_empty() && changed.iter().all(|&k| wider(k)) {
            widened.push((i, ours));
            continue;
        }
        bad.push(format!(
            "{} ({}x{}) @ {bitrate}: {} vs NBIS {} bytes, first difference at byte {at}",
            g.name,
            g.w,
            g.h,
            ours.len(),
            nbis.len()
        ));
    }
    assert!(
        bad.is_empty(),
        "encoder differs from NBIS:\n{}",
        bad.join("\n")
    );
    if !widened.is_empty() {
        let theirs: Vec<Vec<u8>> = widened.iter().map(|(i, _)| reference[*i].clone()).collect();
        let decoded = nbis_decode(&theirs, &format!("widened{bitrate}"));
        for ((i, ours), (_, _, _, nbis_px)) in widened.iter().zip(&decoded) {
            let g = &images[*i];
            let ours_px = wsq::decode(ours).unwrap().pixels;
            let (po, pn) = (psnr(&g.px, &ours_px), psnr(&g.px, nbis_px));
            eprintln!(
                "{} @ {bitrate}: NBIS overflows; PSNR Huella {po:.2} dB, NBIS {pn:.2} dB",
                g.name
            );
            assert!(
                po >= pn,
                "{} @ {bitrate}: widened bins but PSNR {po} < NBIS {pn}",
                g.name
            );
        }
    }
    widened.len()
}

#[test]
fn encoder_matches_nbis_on_sample_prints_075() {
    assert_eq!(check_bytes(&sample_prints(), 0.75), 0);
}

#[test]
fn encoder_matches_nbis_on_sample_prints_225() {
    assert_eq!(check_bytes(&sample_prints(), 2.25), 0);
}

/// Odd sizes, flat, noisy, gradient and striped images: byte-identical at 0.75, 1.0 and
/// 2.25 except "two_levels" (a one-grey-level step) at 2.25, where NBIS overflows.
#[test]
fn encoder_matches_nbis_on_synthetic_images() {
    let images = synthetic_images();
    assert_eq!(check_bytes(&images, 0.75), 0);
    assert_eq!(check_bytes(&images, 1.0), 0);
    assert!(check_bytes(&images, 2.25) <= 1);
    check_bytes(&images, 4.0);
}

/// A pure texture (two sinusoids) puts its energy in a few subbands; from about 2 bpp NBIS
/// wraps coefficients and its file decodes badly. Huella's must decode well, also with NBIS.
#[test]
fn encoder_avoids_nbis_coefficient_overflow() {
    let (w, h) = (400u32, 500u32);
    let px: Vec<u8> = (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            (128.0 + 60.0 * (x * 0.7).sin() + 50.0 * (y * 0.45).cos()) as u8
        })
        .collect();
    let g = Gray {
        name: "texture".into(),
        w,
        h,
        px,
    };
    let images = [g];
    assert_eq!(check_bytes(&images, 6.0), 1);
    let ours = wsq::encode(&images[0].px, w, h, 500, 6.0).unwrap();
    let nbis = nbis_decode(&[ours], "texture");
    assert!(psnr(&images[0].px, &nbis[0].3) > 40.0);
}

/// `groups` batches of `per_group` random windows of the sample prints, of random sizes
/// (81 px up), each batch at its own bit rate from `rates`.
fn random_crops(seed: u64, rates: &[f32], per_group: usize) -> Vec<(f32, Vec<Gray>)> {
    let prints = sample_prints();
    let mut r = lcg(seed);
    let mut rnd = move |n: u32| (u32::from(r()) << 8 | u32::from(r())) % n.max(1);
    let mut groups = Vec::new();
    for &bitrate in rates {
        let mut crops = Vec::new();
        for i in 0..per_group {
            let p = &prints[rnd(13) as usize];
            let w = 81 + rnd(p.w - 80);
            let h = 81 + rnd(p.h - 80);
            let (x0, y0) = (rnd(p.w - w + 1), rnd(p.h - h + 1));
            let px = (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| p.px[((y + y0) * p.w + x + x0) as usize])
                .collect();
            crops.push(Gray {
                name: format!("{}-crop{i}", p.name),
                w,
                h,
                px,
            });
        }
        groups.push((bitrate, crops));
    }
    groups
}

#[test]
fn encoder_matches_nbis_on_random_crops() {
    for (bitrate, crops) in &random_crops(7, &[0.3, 0.9, 1.6, 2.6], 12) {
        assert_eq!(check_bytes(crops, *bitrate), 0);
    }
}

/// Long sweep, outside CI: `WSQ_SWEEP_GROUPS` (default 20) batches of 25 random crops at
/// bit rates spread over 0.2–3.0, byte-identical to NBIS except where NBIS overflows its
/// 16-bit coefficients (rare, from about 2.5 bpp; checked by `check_bytes`).
/// `cargo test --release -p capture --test wsq_nbis_encoder -- --ignored sweep`
#[test]
#[ignore = "long NBIS sweep; run on demand"]
fn encoder_matches_nbis_sweep() {
    let groups: usize = std::env::var("WSQ_SWEEP_GROUPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let rates: Vec<f32> = (0..groups)
        .map(|g| 0.2 + 2.8 * g as f32 / groups.max(2).saturating_sub(1) as f32)
        .collect();
    let (mut total, mut widened) = (0, 0);
    for (bitrate, crops) in &random_crops(99, &rates, 25) {
        widened += check_bytes(crops, *bitrate);
        total += crops.len();
    }
    eprintln!(
        "{total} random crops: {} byte-identical to NBIS, {widened} where NBIS overflows",
        total - widened
    );
}
