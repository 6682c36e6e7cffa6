//! Face quality on a set generated from the sample portrait: each degradation must move its
//! measure the right way, raise the matching instruction, and score below the original.

mod face_synth;

use capture::face::{face_quality, FaceError, FaceQuality};
use face_synth::*;

fn q(img: &Img) -> FaceQuality {
    face_quality(&img.rgba, img.w as u32, img.h as u32).unwrap()
}

fn m(r: &FaceQuality, f: impl Fn(&capture::face::FaceMeasures) -> Option<f32>) -> f32 {
    f(&r.measures).expect("measure present")
}

fn has(r: &FaceQuality, code: &str) -> bool {
    r.instructions.iter().any(|i| i.code == code)
}

fn variants(s: &Img) -> Vec<(&'static str, Img)> {
    vec![
        ("blur", blur(s, 1.6)),
        ("dark", gain(s, 0.3, 0.0)),
        ("overexposed", gain(s, 1.3, 40.0)),
        ("side_light", side_light(s)),
        ("backlight", backlight(s)),
        ("shrink", zoom(s, 0.7)),
        ("shift", shift(s, 190.0, 0.0)),
        ("rotate", rotate(s, 10.0)),
        ("two_faces", second_face(s, 420.0, 250.0, 0.9)),
        ("no_face", no_face(s)),
    ]
}

#[test]
fn original_is_found_with_both_eyes() {
    let s = load_sample();
    let r = q(&s);
    assert!(r.face_found);
    assert_eq!(r.measures.face_count, 1);
    let b = r.faces[0];
    // OpenCV's detectMultiScale with the same LBP cascade gives (171, 64, 104, 104).
    assert!(
        (b.x - 171.0).abs() < 10.0 && (b.y - 64.0).abs() < 10.0,
        "{b:?}"
    );
    assert!((b.width - 104.0).abs() < 15.0, "{b:?}");
    assert_eq!(r.measures.eyes_detected, Some(2));
    let ied = m(&r, |m| m.inter_eye_px);
    assert!((40.0..52.0).contains(&ied), "ied {ied}");
    assert!(m(&r, |m| m.roll_deg).abs() < 6.0);
    assert!(m(&r, |m| m.yaw_deg).abs() < 8.0);
    assert_eq!(r.measures.eyes_open, Some(true));
    // The sample's inter-eye distance is half the ICAO minimum.
    assert!(has(&r, "move_closer"));
    assert!(r.score > 0);
}

#[test]
fn every_degradation_moves_its_measure_and_ranks_below_the_original() {
    let s = load_sample();
    let o = q(&s);
    for (name, img) in variants(&s) {
        let r = q(&img);
        eprintln!(
            "{name}: score {} (original {}), instructions {:?}",
            r.score,
            o.score,
            r.instructions
                .iter()
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>()
        );
        assert!(r.score < o.score, "{name}: {} !< {}", r.score, o.score);
        match name {
            "blur" => {
                assert!(m(&r, |m| m.sharpness) < 0.5 * m(&o, |m| m.sharpness));
                assert!(has(&r, "blurry"));
            }
            "dark" => {
                assert!(m(&r, |m| m.brightness) < 0.5 * m(&o, |m| m.brightness));
                assert!(m(&r, |m| m.dynamic_range) < m(&o, |m| m.dynamic_range));
                assert!(has(&r, "too_dark"));
            }
            "overexposed" => {
                assert!(m(&r, |m| m.overexposed) > 0.1);
                assert!(m(&r, |m| m.brightness) > m(&o, |m| m.brightness));
                assert!(has(&r, "too_bright"));
            }
            "side_light" => {
                let (a, b) = (m(&r, |m| m.illumination_lr), m(&o, |m| m.illumination_lr));
                assert!(a < b - 0.15, "lit from the image right: {a} vs {b}");
                assert!(has(&r, "uneven_light"));
            }
            "backlight" => {
                assert!(m(&r, |m| m.backlight) > m(&o, |m| m.backlight) + 50.0);
                assert!(has(&r, "backlight"));
            }
            "shrink" => {
                let (a, b) = (m(&r, |m| m.inter_eye_px), m(&o, |m| m.inter_eye_px));
                assert!((a / b - 0.7).abs() < 0.1, "{a} vs {b}");
                assert!(has(&r, "move_closer"));
            }
            "shift" => {
                assert!(m(&r, |m| m.centre_offset_x) > m(&o, |m| m.centre_offset_x) + 0.3);
                assert!(has(&r, "centre_face"));
            }
            "rotate" => {
                let (a, b) = (m(&r, |m| m.roll_deg), m(&o, |m| m.roll_deg));
                assert!((a - b - 10.0).abs() < 4.0, "roll {a} vs {b}");
                assert!(has(&r, "straighten_head"));
            }
            "two_faces" => {
                assert_eq!(r.measures.face_count, 2);
                assert!(has(&r, "multiple_faces"));
            }
            "no_face" => {
                assert!(!r.face_found);
                assert_eq!(r.score, 0);
                assert_eq!(r.instructions[0].code, "no_face");
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn head_turn_moves_yaw_and_closed_eyes_lower_openness() {
    let s = load_sample();
    let o = m(&q(&s), |m| m.yaw_deg);
    let l = q(&turn(&s, (224.0, 118.0), 75.0, -20.0));
    let r = q(&turn(&s, (224.0, 118.0), 75.0, 20.0));
    eprintln!("{:?}\n{:?}", l.measures, r.measures);
    let (left, right) = (m(&l, |m| m.yaw_deg), m(&r, |m| m.yaw_deg));
    assert!(left < o - 6.0 && right > o + 6.0, "{left} {o} {right}");
    let open = q(&s).measures.eye_openness.unwrap();
    let shut = q(&blink(&s, [(201.7, 100.8), (246.9, 103.3)], 45.3, 0.8));
    if let Some(c) = shut.measures.eye_openness {
        assert!(
            c[0] < 0.7 * open[0] && c[1] < 0.7 * open[1],
            "{c:?} vs {open:?}"
        );
    }
}

#[test]
fn result_serialises_with_every_measure() {
    let r = q(&load_sample());
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    for k in ["face_found", "faces", "score", "measures", "instructions"] {
        assert!(v.get(k).is_some(), "{k}");
    }
    for k in [
        "inter_eye_px",
        "roll_deg",
        "yaw_deg",
        "sharpness",
        "brightness",
        "dynamic_range",
        "illumination_lr",
        "background_std",
        "backlight",
        "eyes_open",
    ] {
        assert!(!v["measures"][k].is_null(), "{k}");
    }
    assert!(v["instructions"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Acérquese"));
}

#[test]
fn bad_buffers_are_refused_with_codes() {
    let e = face_quality(&[0; 10], 2, 2).unwrap_err();
    assert_eq!(e.code(), "face_bad_length");
    assert!(matches!(
        face_quality(&[], 0, 5),
        Err(FaceError::BadSize { .. })
    ));
    // A blank frame has no face, and that is not an error.
    let r = face_quality(&vec![128; 64 * 48 * 4], 64, 48).unwrap();
    assert!(!r.face_found);
}
