//! `best_frame`: the sharpest, best-exposed frame of a burst is kept and encoded as JPEG.

mod face_synth;

use capture::face::{best_frame, FaceError, JPEG_QUALITY};
use face_synth::*;

#[test]
fn keeps_the_best_frame_as_jpeg() {
    let s = load_sample();
    let burst = [blur(&s, 1.6), gain(&s, 0.3, 0.0), s.clone(), zoom(&s, 0.7)];
    let frames: Vec<&[u8]> = burst.iter().map(|i| i.rgba.as_slice()).collect();
    let b = best_frame(&frames, 512, 512).unwrap();
    assert_eq!(b.index, 2, "scores {:?}", b.scores);
    assert_eq!(b.scores.len(), 4);
    assert!(b
        .scores
        .iter()
        .enumerate()
        .all(|(i, &sc)| i == 2 || sc < b.scores[2]));
    assert_eq!(b.quality.score, b.scores[2]);
    // Baseline JPEG: SOI ... EOI, a JFIF frame of the right size.
    assert_eq!(&b.jpeg[..2], &[0xFF, 0xD8]);
    assert_eq!(&b.jpeg[b.jpeg.len() - 2..], &[0xFF, 0xD9]);
    let sof = b.jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    let h = u16::from_be_bytes([b.jpeg[sof + 5], b.jpeg[sof + 6]]);
    let w = u16::from_be_bytes([b.jpeg[sof + 7], b.jpeg[sof + 8]]);
    assert_eq!((w, h), (512, 512));
    assert!(
        b.jpeg.len() > 10_000 && b.jpeg.len() < 200_000,
        "{}",
        b.jpeg.len()
    );
    assert_eq!(JPEG_QUALITY, 90);
}

#[test]
fn empty_burst_is_an_error() {
    assert_eq!(best_frame(&[], 4, 4).unwrap_err(), FaceError::NoFrames);
    assert_eq!(FaceError::NoFrames.code(), "face_no_frames");
}
