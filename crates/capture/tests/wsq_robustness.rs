//! The WSQ decoder against damaged and hostile input: truncations, random byte flips,
//! header fields rewritten to extremes, garbage. Every case must end in `Ok` or a
//! `WsqError`, never a panic, and allocation stays within the pixel budget.
//!
//! A quick deterministic fuzz for CI; `crates/capture/fuzz` has the cargo-fuzz target for
//! long runs.

use capture::wsq::{self, WsqError};
use std::path::Path;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata");

fn lcg(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s >> 33
    }
}

/// A small real print (128 x 120 window of p1_1) encoded by Huella at 1 bpp.
fn small_file() -> Vec<u8> {
    let f = std::fs::File::open(Path::new(TESTDATA).join("fingerprints/p1_1.png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(f))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let (w, h, x0, y0) = (128usize, 120usize, 140usize, 190usize);
    let px: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| buf[((y + y0) * info.width as usize + x + x0) * ch])
        .collect();
    wsq::encode(&px, w as u32, h as u32, 500, 1.0).unwrap()
}

fn third_party(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(TESTDATA).join("wsq").join(name)).unwrap()
}

#[test]
fn every_truncation_is_an_error() {
    let file = small_file();
    assert!(wsq::decode(&file).is_ok());
    for n in 0..file.len() - 1 {
        let r = wsq::decode(&file[..n]);
        assert!(r.is_err(), "prefix of {n} bytes decoded");
    }
}

#[test]
fn truncations_of_a_third_party_file() {
    let file = third_party("nist_512x512_9c18cdd0.wsq");
    let mut next = lcg(3);
    for _ in 0..40 {
        let n = next() as usize % file.len();
        assert!(
            wsq::decode(&file[..n]).is_err(),
            "prefix of {n} bytes decoded"
        );
    }
}

#[test]
fn random_byte_flips_never_panic() {
    let files = [small_file(), third_party("nist_512x512_9c18cdd0.wsq")];
    let mut next = lcg(11);
    let mut outcomes = [0usize; 2];
    for i in 0..1500 {
        let mut f = files[i % 10 / 9].clone();
        for _ in 0..1 + next() % 4 {
            let at = next() as usize % f.len();
            // Bias towards the headers, where flips reach the parser rather than the data.
            let at = if next().is_multiple_of(2) {
                at % 500.min(f.len())
            } else {
                at
            };
            f[at] = next() as u8;
        }
        match wsq::decode_with_limit(&f, 1 << 20) {
            Ok(img) => {
                assert_eq!(img.pixels.len(), (img.width * img.height) as usize);
                outcomes[0] += 1;
            }
            Err(e) => {
                assert!(!e.code().is_empty() && !e.to_string().is_empty());
                outcomes[1] += 1;
            }
        }
    }
    assert!(outcomes[1] > 0, "no flip was detected: {outcomes:?}");
}

#[test]
fn garbage_is_rejected() {
    let mut next = lcg(5);
    for len in [0usize, 1, 2, 3, 10, 100, 5000] {
        let mut g: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        assert!(wsq::decode(&g).is_err());
        if len >= 2 {
            g[0] = 0xFF;
            g[1] = 0xA0;
            assert!(wsq::decode(&g).is_err());
        }
    }
    assert_eq!(
        wsq::decode(&[0xFF, 0xA0, 0xFF, 0xA1]).unwrap_err().code(),
        "wsq_missing_table"
    );
}

/// Offset of the first segment with `marker` (after SOI).
fn find_segment(f: &[u8], marker: u16) -> usize {
    let mut pos = 2;
    while u16::from_be_bytes([f[pos], f[pos + 1]]) != marker {
        pos += 2 + u16::from_be_bytes([f[pos + 2], f[pos + 3]]) as usize;
    }
    pos
}

#[test]
fn hostile_headers_are_rejected() {
    let file = small_file();
    let sof = find_segment(&file, 0xFFA2);
    // 65535 x 65535: refused before any allocation.
    let mut f = file.clone();
    f[sof + 6..sof + 10].copy_from_slice(&[0xFF; 4]);
    let e = wsq::decode(&f).unwrap_err();
    assert!(matches!(e, WsqError::ImageTooLarge { .. }), "{e}");
    assert_eq!(e.code(), "wsq_image_too_large");
    // The limit is the caller's to choose.
    assert!(matches!(
        wsq::decode_with_limit(&file, 1000),
        Err(WsqError::ImageTooLarge { .. })
    ));
    // Zero width.
    let mut f = file.clone();
    f[sof + 8..sof + 10].copy_from_slice(&[0, 0]);
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_empty_image");
    // Another size: the blocks no longer fill the subbands.
    let mut f = file.clone();
    f[sof + 8..sof + 10].copy_from_slice(&[0, 200]);
    assert!(wsq::decode(&f).is_err());
    // Segment length running past the end of the file.
    let mut f = file.clone();
    f[sof + 2..sof + 4].copy_from_slice(&[0xFF, 0xF0]);
    assert!(wsq::decode(&f).is_err());
    // Even-length filters and Huffman tables with impossible counts.
    let dtt = find_segment(&file, 0xFFA4);
    let mut f = file.clone();
    f[dtt + 4] = 8;
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_bad_segment");
    let dht = find_segment(&file, 0xFFA6);
    let mut f = file.clone();
    f[dht + 5..dht + 21].copy_from_slice(&[255; 16]);
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_bad_segment");
    let mut f = file.clone();
    f[dht + 4] = 9;
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_bad_segment");
    // Restart markers are not supported (as in NBIS).
    let mut f = file.clone();
    f[dtt + 1] = 0xA7;
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_unexpected_marker");
}

#[test]
fn extra_coefficients_are_rejected() {
    // Append a block repeating block 3 before EOI: too many coefficients for the frame.
    let file = small_file();
    let mut sobs = Vec::new();
    let mut pos = 2;
    loop {
        let marker = u16::from_be_bytes([file[pos], file[pos + 1]]);
        if marker == 0xFFA1 {
            break;
        }
        if marker == 0xFFA3 {
            sobs.push(pos);
            pos += 5;
            while !(file[pos] == 0xFF && file[pos + 1] != 0) {
                pos += 1;
            }
            continue;
        }
        pos += 2 + u16::from_be_bytes([file[pos + 2], file[pos + 3]]) as usize;
    }
    let last = *sobs.last().unwrap();
    let mut f = file[..file.len() - 2].to_vec();
    f.extend_from_slice(&file[last..file.len() - 2]);
    f.extend_from_slice(&[0xFF, 0xA1]);
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_coefficient_count");
    // Dropping the last block leaves too few.
    let mut f = file[..last].to_vec();
    f.extend_from_slice(&[0xFF, 0xA1]);
    assert_eq!(wsq::decode(&f).unwrap_err().code(), "wsq_coefficient_count");
}

#[test]
fn trailing_bytes_after_eoi_are_ignored() {
    let mut f = small_file();
    let clean = wsq::decode(&f).unwrap();
    f.extend_from_slice(b"trailing junk \xFF\xA0");
    assert_eq!(wsq::decode(&f).unwrap(), clean);
}
