//! Liveness on synthetic sequences made from the sample portrait: a still image repeated, a
//! rendered blink / head turn / nod (warps of the sample with sensor noise), and the same live
//! sequence seen through a screen (moiré overlay).

mod face_synth;

use capture::face::{Challenge, LivenessDecision, LivenessResult, LivenessSession};
use face_synth::*;

const EYES: [(f32, f32); 2] = [(201.7, 100.8), (246.9, 103.3)];
const IED: f32 = 45.3;
const HEAD: (f32, f32) = (224.0, 118.0);

/// Frames acting out `c` (starting and ending in the neutral pose).
fn act(s: &Img, c: Challenge) -> Vec<Img> {
    match c {
        Challenge::Blink => [0.5, 1.0, 1.0, 0.5, 0.0]
            .iter()
            .map(|&t| blink(s, EYES, IED, t))
            .collect(),
        Challenge::TurnLeft | Challenge::TurnRight => {
            // The subject's left is the image right: the nose moves to +x.
            let sign = if c == Challenge::TurnLeft { 1.0 } else { -1.0 };
            [8.0, 14.0, 20.0, 14.0, 8.0, 0.0]
                .iter()
                .map(|&d| turn(s, HEAD, 75.0, sign * d))
                .collect()
        }
        Challenge::Nod => [6.0, 12.0, 16.0, 12.0, 6.0, 0.0]
            .iter()
            .map(|&d| nod(s, HEAD, 75.0, d))
            .collect(),
    }
}

/// Neutral frames, then each challenge in order, with per-frame sensor noise.
fn perform(s: &Img, steps: &[Challenge]) -> Vec<Img> {
    let mut frames: Vec<Img> = vec![s.clone(); 4];
    for &c in steps {
        frames.extend(act(s, c));
        frames.push(s.clone());
    }
    frames
        .iter()
        .enumerate()
        .map(|(i, f)| noise(f, 3.0, 0x9e37_79b9 + i as u64))
        .collect()
}

fn run(nonce: &[u8], frames: &[Img]) -> LivenessResult {
    let mut sess = LivenessSession::start(nonce);
    for (i, f) in frames.iter().enumerate() {
        sess.push(&f.rgba, f.w as u32, f.h as u32, 33 * i as u64)
            .unwrap();
    }
    let r = sess.result();
    eprintln!("{}", serde_json::to_string(&r).unwrap());
    for o in sess.observations() {
        eprintln!("  {o:?}");
    }
    r
}

#[test]
fn challenge_is_a_deterministic_function_of_the_nonce() {
    let a = LivenessSession::start(b"nonce-0123456789abcdef");
    let b = LivenessSession::start(b"nonce-0123456789abcdef");
    assert_eq!(a.challenge(), b.challenge());
    let mut seen = std::collections::HashSet::new();
    for i in 0u32..200 {
        let c = LivenessSession::start(&i.to_le_bytes())
            .challenge()
            .to_vec();
        assert_eq!(c.len(), 2);
        assert_ne!(c[0], c[1]);
        seen.insert(format!("{c:?}"));
    }
    assert_eq!(
        seen.len(),
        12,
        "every ordered pair of distinct actions is reachable"
    );
}

#[test]
fn performing_the_challenge_is_live_with_evidence() {
    let s = load_sample();
    for nonce in [&b"server-nonce-A"[..], b"server-nonce-B"] {
        let steps = LivenessSession::start(nonce).challenge().to_vec();
        let r = run(nonce, &perform(&s, &steps));
        assert_eq!(
            r.decision,
            LivenessDecision::Live,
            "{steps:?}: {:?}",
            r.reasons
        );
        assert!(r.steps.iter().all(|e| e.completed && e.frames.len() == 2));
        assert!(!r.cues.still_photo && !r.cues.screen_replay && !r.cues.flat_print);
        assert!(r.cues.motion_median.unwrap() > 0.5);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["decision"], "live");
        assert!(v["cues"]["moire_median"].is_number());
    }
}

/// A session can start at any moment: mid-blink or mid-turn. The person then does the
/// challenge; the reference pose must be their rest pose, not the first frames.
#[test]
fn a_session_that_starts_mid_movement_still_sees_the_challenge() {
    let s = load_sample();
    let nonce = b"server-nonce-A";
    let steps = LivenessSession::start(nonce).challenge().to_vec();
    for lead_in in [Challenge::Blink, Challenge::TurnLeft, Challenge::Nod] {
        // The first frames are the middle of an unrelated movement.
        let mut frames: Vec<Img> = act(&s, lead_in).into_iter().skip(1).collect();
        frames.extend(perform(&s, &steps));
        let r = run(nonce, &frames);
        assert_eq!(
            r.decision,
            LivenessDecision::Live,
            "started mid-{lead_in:?}, challenge {steps:?}: {:?}",
            r.reasons
        );
    }
}

#[test]
fn every_action_is_recognised() {
    let s = load_sample();
    // Find nonces whose first step is each action, and act only that step: the first step
    // completes, the second stays open.
    for want in [
        Challenge::Blink,
        Challenge::TurnLeft,
        Challenge::TurnRight,
        Challenge::Nod,
    ] {
        let nonce = (0u32..)
            .map(|i| i.to_le_bytes())
            .find(|n| LivenessSession::start(n).challenge()[0] == want)
            .unwrap();
        let r = run(&nonce, &perform(&s, &[want]));
        assert!(r.steps[0].completed, "{want:?} not seen: {:?}", r.steps[0]);
        assert!(!r.steps[1].completed);
        assert_eq!(r.decision, LivenessDecision::Inconclusive);
    }
}

#[test]
fn wrong_or_missing_action_is_not_live() {
    let s = load_sample();
    let nonce = b"server-nonce-A";
    let steps = LivenessSession::start(nonce).challenge().to_vec();
    let reversed: Vec<Challenge> = steps.iter().rev().copied().collect();
    let r = run(nonce, &perform(&s, &reversed[..1]));
    assert_ne!(r.decision, LivenessDecision::Live);
    let mut frames = perform(&s, &[]);
    frames.extend(perform(&s, &[]));
    let r = run(nonce, &frames);
    assert_eq!(r.decision, LivenessDecision::Inconclusive);
    assert!(r.reasons.contains(&"challenge_incomplete".to_string()));
}

#[test]
fn still_photo_is_spoof() {
    let s = load_sample();
    let frames = vec![s; 10];
    let r = run(b"still", &frames);
    assert_eq!(r.decision, LivenessDecision::Spoof);
    assert!(r.cues.still_photo);
    assert!(r.cues.static_fraction.unwrap() >= 0.99);
    assert!(r.reasons.contains(&"still_photo".to_string()));
}

#[test]
fn screen_replay_moire_is_spoof() {
    let s = load_sample();
    let nonce = b"server-nonce-A";
    let steps = LivenessSession::start(nonce).challenge().to_vec();
    let frames: Vec<Img> = perform(&s, &steps)
        .iter()
        .map(|f| moire(f, 6.0, 12.0, 0.12))
        .collect();
    let r = run(nonce, &frames);
    assert_eq!(r.decision, LivenessDecision::Spoof, "{:?}", r.cues);
    assert!(r.cues.screen_replay);
}

/// A printed photo held by hand: the print has lost the fine skin texture (blurred), shows paper
/// grain, and moves a little as a whole; it cannot blink or turn, so the active challenge fails,
/// and the texture cue reads lower than for the live sequence.
#[test]
fn printed_photo_is_not_live_and_reads_flatter() {
    let s = load_sample();
    let nonce = b"server-nonce-A";
    let steps = LivenessSession::start(nonce).challenge().to_vec();
    let live = run(nonce, &perform(&s, &steps));
    let print = blur(&s, 1.6);
    let frames: Vec<Img> = (0..24)
        .map(|i| {
            let jitter = shift(
                &print,
                (i % 5) as f32 * 0.6 - 1.2,
                (i % 3) as f32 * 0.5 - 0.5,
            );
            noise(&jitter, 2.0, 0xfeed + i as u64)
        })
        .collect();
    let r = run(nonce, &frames);
    assert_ne!(r.decision, LivenessDecision::Live, "{:?}", r.reasons);
    let (t_live, t_print) = (
        live.cues.texture_median.unwrap(),
        r.cues.texture_median.unwrap(),
    );
    eprintln!(
        "texture live {t_live:.3} print {t_print:.3} flat_print {}",
        r.cues.flat_print
    );
    assert!(
        t_print < t_live,
        "print texture {t_print} not below live {t_live}"
    );
    assert!(r.cues.flat_print && r.reasons.contains(&"flat_print".to_string()));
    assert!(!live.cues.flat_print);
}

/// A phone replaying a recording that performs the very challenge asked (the hardest replay):
/// the active check passes, so the bezel around the face must give it away.
#[test]
fn phone_replay_with_bezel_is_spoof_even_when_the_challenge_is_acted() {
    let s = load_sample();
    let nonce = b"server-nonce-A";
    let steps = LivenessSession::start(nonce).challenge().to_vec();
    let frames: Vec<Img> = perform(&s, &steps)
        .iter()
        .enumerate()
        .map(|(i, f)| on_phone(f, 1.0, (i % 3) as f32, (i % 2) as f32))
        .collect();
    let r = run(nonce, &frames);
    eprintln!("edges fraction {:?}", r.cues.screen_edges_fraction);
    assert!(r.frames_with_face > 10, "face on the phone not detected");
    assert!(r.cues.screen_replay, "{:?}", r.cues);
    assert_eq!(r.decision, LivenessDecision::Spoof);
    assert!(r.reasons.contains(&"screen_replay".to_string()));
}
