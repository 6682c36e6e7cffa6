//! Unit tests across the WSQ modules: perfect reconstruction of the transform at every size,
//! tiny images through the whole codec, and the encoder's error codes.

use super::encoder;
use super::tree::Trees;
use super::wavelet::{decompose, reconstruct, Synthesis, HIFILT, LOFILT};
use super::{decode, encode, WsqError};

fn texture(w: usize, h: usize) -> Vec<u8> {
    (0..w * h)
        .map(|i| {
            let (x, y) = (i % w, i / w);
            (128.0 + 60.0 * ((x as f32) * 0.7).sin() + 50.0 * ((y as f32) * 0.45).cos()) as u8
        })
        .collect()
}

/// Analysis (§2.2) followed by synthesis (§2.3) over the whole tree restores the input for
/// every image size, including bands of one to four samples.
#[test]
fn transform_is_perfectly_reconstructing_at_every_size() {
    let syn = Synthesis::new(&LOFILT, &HIFILT);
    let mut scratch = Vec::new();
    for w in 1..=40 {
        for h in [1, 2, 3, 4, 5, 6, 7, 9, 16, 17, 31, 40] {
            let orig: Vec<f32> = texture(w, h)
                .iter()
                .map(|&p| f32::from(p) - 128.0)
                .collect();
            let mut data = orig.clone();
            let trees = Trees::new(w, h);
            decompose(&mut data, w, &trees, &mut scratch);
            reconstruct(&mut data, w, &trees, &syn);
            let err = orig
                .iter()
                .zip(&data)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(err < 2e-3, "{w}x{h}: max error {err}");
        }
    }
}

/// The decoder reads any size; tiny images (which the public encoder refuses) round-trip.
#[test]
fn tiny_images_round_trip() {
    for (w, h) in [
        (1, 1),
        (1, 7),
        (2, 2),
        (3, 5),
        (8, 1),
        (13, 21),
        (40, 33),
        (80, 80),
    ] {
        let px = texture(w, h);
        let file = encoder::encode(&px, w as u32, h as u32, -1, 6.0, 1).unwrap();
        let img = decode(&file).unwrap();
        assert_eq!((img.width, img.height, img.ppi), (w as u32, h as u32, -1));
        let worst = px
            .iter()
            .zip(&img.pixels)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        // Below about 64 pixels the variance windows of the low subbands are empty, so
        // those subbands are not coded and only the rest survives; from there on the
        // codec works as designed.
        if w >= 64 && h >= 64 {
            assert!(worst <= 32, "{w}x{h}: worst error {worst}");
        }
    }
}

#[test]
fn encoder_rejects_bad_arguments() {
    let px = vec![0u8; 100 * 100];
    let code = |r: Result<Vec<u8>, WsqError>| r.unwrap_err().code();
    assert_eq!(
        code(encode(&px[..80 * 100], 80, 100, 500, 0.75)),
        "wsq_image_too_small"
    );
    assert_eq!(
        code(encode(&px[..100 * 80], 100, 80, 500, 0.75)),
        "wsq_image_too_small"
    );
    assert_eq!(code(encode(&px, 0, 100, 500, 0.75)), "wsq_empty_image");
    assert_eq!(
        code(encode(&px, 100, 99, 500, 0.75)),
        "wsq_bad_pixel_buffer"
    );
    assert_eq!(
        code(encode(&px, 70000, 1, 500, 0.75)),
        "wsq_image_too_large"
    );
    for r in [0.0, -1.0, 8.5, f32::NAN, f32::INFINITY] {
        assert_eq!(code(encode(&px, 100, 100, 500, r)), "wsq_bad_bitrate");
    }
    assert_eq!(code(encode(&px, 100, 100, 0, 0.75)), "wsq_bad_ppi");
    assert_eq!(code(encode(&px, 100, 100, -2, 0.75)), "wsq_bad_ppi");
    let msg = encode(&px[..80 * 100], 80, 100, 500, 0.75)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("at least 81"), "{msg}");
}

#[test]
fn flat_image_decodes_to_its_level() {
    for level in [0u8, 1, 128, 255] {
        let px = vec![level; 90 * 85];
        let img = decode(&encode(&px, 90, 85, 500, 0.75).unwrap()).unwrap();
        assert!(img.pixels.iter().all(|&p| p == level), "level {level}");
    }
}

#[test]
fn ppi_is_carried() {
    let px = texture(100, 90);
    for ppi in [-1, 1, 500, 1000, i32::MAX] {
        assert_eq!(
            decode(&encode(&px, 100, 90, ppi, 1.0).unwrap())
                .unwrap()
                .ppi,
            ppi
        );
    }
}

/// Found by the `wsq_roundtrip` fuzz target: a periodic 203 x 208 image at 0.13 bpp asks
/// for a bin width above the DQT's 16-bit range; NBIS fails (error -86), Huella drops the
/// subband and writes a valid file.
#[test]
fn bin_width_beyond_dqt_range_drops_the_subband() {
    let pattern = [0xCD, 0x74, 0x02, 0xE2, 0x80];
    let (w, h) = (203u32, 208u32);
    let px: Vec<u8> = (0..(w * h) as usize).map(|i| pattern[i % 5]).collect();
    let bitrate = 0.1 + 1.0 / 255.0 * 7.9;
    let img = decode(&encode(&px, w, h, 500, bitrate).unwrap()).unwrap();
    assert_eq!((img.width, img.height), (w, h));
}
