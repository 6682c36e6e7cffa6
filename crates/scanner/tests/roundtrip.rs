//! Driver ↔ emulator: the captured image equals the source pixel for pixel.

mod common;

use common::*;
use scanner::emulator::{run_session, EmulatorConfig};
use scanner::{emulate_capture, CaptureOptions};

#[test]
fn carriable_image_round_trips_exactly_scrambled() {
    let src = carriable(W, H);
    let (img, stats) = emulate_capture(src.clone(), true, None).unwrap();
    assert!(img.scrambled);
    assert!(stats.keys_fetched >= 3, "several keys per frame: {stats:?}");
    assert_eq!(diff(img.image.pixels(), src.pixels()), 0);
    assert_eq!(img.image, src);
    assert_eq!(img.ppi, 500);
}

#[test]
fn carriable_image_round_trips_exactly_plain() {
    let src = carriable(W, H);
    let (img, stats) = emulate_capture(src.clone(), false, None).unwrap();
    assert!(!img.scrambled);
    assert_eq!(
        stats.keys_fetched, 0,
        "a plain frame needs no register access"
    );
    assert_eq!(img.image, src);
}

#[test]
fn equal_adjacent_rows_host_the_missing_row() {
    // No white row: the builder must put its not-present block on the equal pair (rows 200/201).
    let mut px = ridges(W, H);
    let w = W as usize;
    let row = px[200 * w..201 * w].to_vec();
    px[201 * w..202 * w].copy_from_slice(&row);
    for y in 0..H as usize {
        px[y * w] = 255; // white left column for the scrambled block ends
    }
    let src = scanner::GrayImage::new(W, H, px).unwrap();
    for scramble in [true, false] {
        let cfg = EmulatorConfig {
            scramble,
            ..EmulatorConfig::uru4500(src.clone())
        };
        let (img, _, t) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
        let frame = t.device.last_frame().unwrap();
        assert_eq!(frame.lost_pixels, 0);
        assert_eq!(u16::from_le_bytes([frame.bytes[4], frame.bytes[5]]), 289);
        assert_eq!(img.image, src, "scramble={scramble}");
    }
}

#[test]
fn arbitrary_image_loses_exactly_what_the_protocol_loses() {
    // Noise has no white pixel and no equal rows: one row is repeated (≤ 289 source rows) and
    // each scrambled block's last pixel decodes to white. The driver must still reproduce the
    // emulator's independent expectation exactly.
    let src = noise(W, H, 7);
    for scramble in [true, false] {
        let cfg = EmulatorConfig {
            scramble,
            ..EmulatorConfig::uru4500(src.clone())
        };
        let (img, _, t) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
        let expected = t.device.expected_image().unwrap();
        assert_eq!(img.image.pixels(), &expected[..]);
        let frame = t.device.last_frame().unwrap();
        let lost = diff(img.image.pixels(), src.pixels());
        assert_eq!(lost, frame.lost_pixels);
        let tails = if scramble { frame.blocks } else { 0 };
        assert!(lost > 300 && lost <= 384 + tails, "lost {lost}");
    }
}

#[test]
fn unturned_models_round_trip_too() {
    let src = {
        // For an unturned model the loss points are the bottom row and the right column.
        let mut px = ridges(W, H);
        let w = W as usize;
        for x in 0..w {
            px[(H as usize - 1) * w + x] = 255;
        }
        for y in 0..H as usize {
            px[y * w + w - 1] = 255;
        }
        scanner::GrayImage::new(W, H, px).unwrap()
    };
    let cfg = EmulatorConfig {
        ids: (0x05ba, 0x0007),
        flip_180: false,
        ..EmulatorConfig::uru4500(src.clone())
    };
    let (img, _, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
    assert!(!img.flipped);
    assert_eq!(img.image, src);
}

#[test]
fn smaller_source_is_padded_white_and_round_trips() {
    let small = carriable(200, 150);
    let (img, _) = emulate_capture(small.clone(), true, None).unwrap();
    let fitted = small.fit_to(W, H);
    assert_eq!(img.image, fitted);
    // The print sits centred: (384-200)/2 = 92, (290-150)/2 = 70.
    assert_eq!(img.image.get(92 + 5, 70 + 5), small.get(5, 5));
    assert_eq!(img.image.get(91, 100), Some(255));
}

#[test]
fn larger_source_is_centre_cropped() {
    let big = carriable(500, 400);
    let (img, stats) = emulate_capture(big.clone(), true, None).unwrap();
    let fitted = big.fit_to(W, H);
    // The crop keeps ridges everywhere, so only the protocol's losses may differ.
    let lost = diff(img.image.pixels(), fitted.pixels());
    assert!(lost <= 384 + 15, "lost {lost}");
    assert!(stats.good_frames == 1);
    // Offsets (500-384)/2 = 58, (400-290)/2 = 55: an interior pixel matches the source.
    assert_eq!(img.image.get(100, 20), big.get(158, 75));
}

#[test]
fn real_print_round_trips() {
    // p1_1: 400 × 500 with white margins; cropped to 384 × 290 its left column is white, so the
    // scrambled blocks lose nothing; the one missing source row is the only possible loss.
    let print = load_png("p1_1.png");
    let fitted = print.fit_to(W, H);
    for scramble in [true, false] {
        let cfg = EmulatorConfig {
            scramble,
            ..EmulatorConfig::uru4500(print.clone())
        };
        let (img, _, t) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
        assert_eq!(img.scrambled, scramble);
        assert_eq!(img.image.pixels(), &t.device.expected_image().unwrap()[..]);
        let lost = diff(img.image.pixels(), fitted.pixels());
        assert!(lost <= 384, "lost {lost}");
    }
    // With its top row blanked (the row a 289-line frame cannot carry) it is exact.
    let mut px = fitted.clone().into_pixels();
    px[..W as usize].fill(255);
    let blank_top = scanner::GrayImage::new(W, H, px).unwrap();
    let (img, _) = emulate_capture(blank_top.clone(), true, None).unwrap();
    assert_eq!(img.image, blank_top);
}

#[test]
fn nist_print_without_white_border() {
    // nist_card0001_01 has no white pixel: scrambled-block tails are lost as on a real device.
    let print = load_png("nist_card0001_01.png");
    let cfg = EmulatorConfig::uru4500(print);
    let (img, _, t) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
    assert_eq!(img.image.pixels(), &t.device.expected_image().unwrap()[..]);
}

#[test]
fn capture_reads_until_the_predicate_settles() {
    // The finger presses in over 4 frames; settle when the mean stops changing.
    let src = carriable(W, H);
    let cfg = EmulatorConfig {
        settle_frames: 4,
        ..EmulatorConfig::uru4500(src.clone())
    };
    let mut last_mean = f64::NAN;
    let mut means = Vec::new();
    let mut settled = |c: &scanner::CapturedImage| {
        let px = c.image.pixels();
        let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / px.len() as f64;
        means.push(mean);
        let stable = (mean - last_mean).abs() < 0.5;
        last_mean = mean;
        stable
    };
    let (img, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut settled).unwrap();
    assert!(stats.settled);
    assert_eq!(
        stats.good_frames, 5,
        "4 pressing frames + 1 confirming: {means:?}"
    );
    assert_eq!(img.frame_index, 4);
    assert_eq!(img.image, src);
    assert!(means[0] > means[3], "early frames are fainter: {means:?}");
}

#[test]
fn capture_stops_at_max_frames_without_settling() {
    let cfg = EmulatorConfig::uru4500(carriable(W, H));
    let opts = CaptureOptions {
        max_frames: 3,
        ..CaptureOptions::default()
    };
    let (img, stats, t) = run_session(cfg, &opts, &mut |_| false).unwrap();
    assert!(!stats.settled);
    assert_eq!((stats.good_frames, img.frame_index), (3, 2));
    assert_eq!(t.device.log.frames_sent, 3);
}

#[test]
fn plain_frame_with_ridge_rich_first_rows_is_not_descrambled() {
    // The variance heuristic misfires on ridge-rich rows (sheet: *Scrambling*). The first rows on
    // the wire are the image's bottom rows (180° turn): make them fine stripes.
    let mut src = carriable(W, H).into_pixels();
    let w = W as usize;
    for y in (H as usize - 4)..H as usize {
        for x in 1..w {
            src[y * w + x] = if (x / 2) % 2 == 0 { 10 } else { 245 };
        }
    }
    let src = scanner::GrayImage::new(W, H, src).unwrap();
    // Raw rows 0 and 1 = inverted, reversed image rows 289 and 288.
    let raw_row = |y: usize| -> Vec<u8> {
        src.pixels()[y * w..(y + 1) * w]
            .iter()
            .rev()
            .map(|p| 255 - p)
            .collect()
    };
    assert!(scanner::uru4000::scramble::looks_scrambled(
        &raw_row(289),
        &raw_row(288)
    ));
    let (img, stats) = emulate_capture(src.clone(), false, None).unwrap();
    assert!(!img.scrambled);
    assert_eq!(stats.keys_fetched, 0);
    assert_eq!(img.image, src);
}

#[test]
fn slower_power_up_and_timing_variants() {
    let src = carriable(W, H);
    for polls in [0, 5, 40] {
        let mut cfg = EmulatorConfig::uru4500(src.clone());
        cfg.timing.power_up_polls = polls;
        cfg.timing.bulk_bytes_per_ms = 300.0;
        let (img, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
        assert_eq!(stats.hwstat_reads, 2 + polls, "polls={polls}");
        assert_eq!(img.image, src);
        // 111,040 bytes at 300 B/ms + 30 ms exposure.
        assert!(stats.finger_to_image_ms > 400.0, "{stats:?}");
    }
}
