//! Writes the generated face test set (the degradations used by `tests/face_quality.rs`, the
//! liveness warps, and 640×480 framings) as PNGs plus `truth.json` (true face boxes) and
//! `huella.json` (our detections and per-frame time), for `tools/face_detect_compare.py`.
//!
//! `cargo run --release -p capture --example face_set -- OUT_DIR [REPEATS]`

#[path = "../tests/face_synth/mod.rs"]
mod face_synth;

use std::time::Instant;

use capture::face::face_quality;
use face_synth::*;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "face_set".to_string());
    let reps: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    std::fs::create_dir_all(&out).expect("output folder");
    let s = load_sample();
    let (cx, cy) = FACE_CENTRE;
    let one = |x: f32, y: f32, side: f32| vec![[x - side / 2.0, y - side / 2.0, side, side]];
    let base = one(cx, cy, FACE_SIDE);
    let eyes = [(201.7, 100.8), (246.9, 103.3)];
    let mut set: Vec<(String, Img, Vec<[f32; 4]>)> = vec![
        ("original".into(), s.clone(), base.clone()),
        ("blur".into(), blur(&s, 1.6), base.clone()),
        ("dark".into(), gain(&s, 0.3, 0.0), base.clone()),
        ("overexposed".into(), gain(&s, 1.3, 40.0), base.clone()),
        ("side_light".into(), side_light(&s), base.clone()),
        ("backlight".into(), backlight(&s), base.clone()),
        ("shrink".into(), zoom(&s, 0.7), one(cx, cy, 0.7 * FACE_SIDE)),
        (
            "shift".into(),
            shift(&s, 190.0, 0.0),
            one(cx + 190.0, cy, FACE_SIDE),
        ),
        ("rotate".into(), rotate(&s, 10.0), base.clone()),
        ("two_faces".into(), second_face(&s, 420.0, 250.0, 0.9), {
            let mut b = base.clone();
            b.extend(one(420.0, 250.0, 0.9 * FACE_SIDE));
            b
        }),
        ("no_face".into(), no_face(&s), vec![]),
        (
            "blink_closed".into(),
            blink(&s, eyes, 45.3, 1.0),
            base.clone(),
        ),
        (
            "turn_left_20".into(),
            turn(&s, (224.0, 118.0), 75.0, 20.0),
            base.clone(),
        ),
        (
            "turn_right_20".into(),
            turn(&s, (224.0, 118.0), 75.0, -20.0),
            base.clone(),
        ),
        (
            "nod_16".into(),
            nod(&s, (224.0, 118.0), 75.0, 16.0),
            base.clone(),
        ),
        ("moire".into(), moire(&s, 6.0, 12.0, 0.12), base.clone()),
        ("noise".into(), noise(&s, 3.0, 7), base.clone()),
    ];
    for (name, k) in [("frame640_face100", 1.0f32), ("frame640_face250", 2.4)] {
        let img = frame(&s, 640, 480, k);
        set.push((name.into(), img, one(320.0, 0.45 * 480.0, FACE_SIDE * k)));
    }
    set.push((
        "frame640_grey".into(),
        Img {
            w: 640,
            h: 480,
            rgba: vec![128; 640 * 480 * 4],
        },
        vec![],
    ));
    let mut truth = serde_json::Map::new();
    let mut ours = serde_json::Map::new();
    for (name, img, gt) in &set {
        save(img, &format!("{out}/{name}.png"));
        truth.insert(name.clone(), serde_json::json!(gt));
        let q = face_quality(&img.rgba, img.w as u32, img.h as u32).expect("quality");
        let mut t = Vec::new();
        for _ in 0..reps {
            let t0 = Instant::now();
            std::hint::black_box(face_quality(&img.rgba, img.w as u32, img.h as u32).expect("q"));
            t.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        t.sort_by(f64::total_cmp);
        let boxes: Vec<[f32; 4]> = q
            .faces
            .iter()
            .map(|f| [f.x, f.y, f.width, f.height])
            .collect();
        ours.insert(
            name.clone(),
            serde_json::json!({"boxes": boxes, "ms": t[t.len() / 2], "score": q.score, "w": img.w, "h": img.h}),
        );
    }
    let write = |f: &str, v: serde_json::Map<String, serde_json::Value>| {
        std::fs::write(
            format!("{out}/{f}"),
            serde_json::to_string_pretty(&v).expect("json"),
        )
        .expect("write json");
    };
    write("truth.json", truth);
    write("huella.json", ours);
    println!("wrote {} images to {out}", set.len());
}
