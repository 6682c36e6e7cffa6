//! `huella quality`, `huella wsq`, `huella scanner emulate` as a user runs them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn print(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/../../../shared/testdata/fingerprints/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn huella(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huella"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn tmp(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("huella-cli-cap-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[test]
fn quality_finger_png_and_wsq_agree_roughly_and_face_is_found() {
    let dir = tmp("q");
    let png = print("p1_1.png");
    let q = json(&huella(&["quality", "finger", png.to_str().unwrap()]));
    let score = q["score"].as_u64().unwrap();
    assert!(score > 40, "{q}");
    let wsq = dir.join("p.wsq");
    let e = json(&huella(&[
        "wsq",
        "encode",
        png.to_str().unwrap(),
        wsq.to_str().unwrap(),
        "--bitrate",
        "2.25",
    ]));
    assert!(e["ratio"].as_f64().unwrap() > 4.0);
    let q2 = json(&huella(&["quality", "finger", wsq.to_str().unwrap()]));
    let s2 = q2["score"].as_u64().unwrap();
    assert!(s2.abs_diff(score) <= 10, "{score} vs {s2}");
    let back = dir.join("back.png");
    let d = json(&huella(&[
        "wsq",
        "decode",
        wsq.to_str().unwrap(),
        back.to_str().unwrap(),
    ]));
    assert_eq!(
        (d["width"].as_u64(), d["height"].as_u64(), d["ppi"].as_i64()),
        (Some(400), Some(500), Some(500))
    );
    let face = PathBuf::from(format!(
        "{}/../../../shared/testdata/faces/astronaut.png",
        env!("CARGO_MANIFEST_DIR")
    ));
    let f = json(&huella(&["quality", "face", face.to_str().unwrap()]));
    assert_eq!(f["face_found"], true);
    for k in ["faces", "score", "measures", "instructions"] {
        assert!(f.get(k).is_some(), "{k}");
    }
    let bad = huella(&[
        "wsq",
        "decode",
        png.to_str().unwrap(),
        back.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn scanner_emulate_round_trip_and_faults() {
    let dir = tmp("s");
    let out = dir.join("cap.png");
    let v = json(&huella(&[
        "scanner",
        "emulate",
        "--image",
        print("p1_1.png").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--scramble",
    ]));
    assert_eq!(v["captured"], true);
    assert_eq!(
        (v["width"].as_u64(), v["height"].as_u64()),
        (Some(384), Some(290))
    );
    assert!(out.exists());
    for (fault, code) in [
        ("unplug", "device_disconnected"),
        ("no-finger", "finger_timeout"),
    ] {
        let o = huella(&[
            "scanner",
            "emulate",
            "--image",
            print("p1_1.png").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--fault",
            fault,
        ]);
        assert_eq!(o.status.code(), Some(1), "{fault}");
        let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
        assert_eq!(e["code"], code, "{fault}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
