//! Per-packet verification cost (not a test of correctness; run in release):
//! `cargo test -p packet --release --test timing -- --ignored --nocapture`

use packet::*;
use std::time::Instant;
use test_pki::*;

#[test]
#[ignore = "timing: run in release with --ignored --nocapture"]
fn verify_cost_of_a_ten_print_packet() {
    let pki = Pki::new("timing");
    let fiel = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let mut ring = Keyring::new();
    ring.add_secret(&[5u8; 32]).unwrap();
    let key = ring.current().unwrap().clone();
    let mut atts = vec![NewAttachment {
        name: "face".into(),
        bytes: vec![7; 60_000],
        ..Default::default()
    }];
    for p in 1..=10u8 {
        atts.push(NewAttachment {
            name: format!("finger.{p}"),
            bytes: vec![p; 25_000],
            ..Default::default()
        });
    }
    let now = Timestamp::now();
    let rules = Rules::default();
    let opts = BuildOptions {
        credential: &fiel,
        at: now,
        server_key: Some(&key),
        rules: &rules,
    };
    let t = Instant::now();
    let json = build(template(Action::Biometria), &atts, &opts)
        .unwrap()
        .packet
        .to_json();
    println!("build+sign: {:?}", t.elapsed());
    let trust = pki.trust();
    let v = VerifyOptions {
        trust: Some(&trust),
        keyring: Some(&ring),
        rules: Some(&rules),
        ..VerifyOptions::at(now)
    };
    let n = 50;
    let t = Instant::now();
    for _ in 0..n {
        let p = Packet::from_json(&json).unwrap();
        verify(&p, &v).unwrap();
    }
    println!("parse+verify+open: {:?}/packet", t.elapsed() / n);
    let p = Packet::from_json(&json).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        verify(&p, &VerifyOptions { keyring: None, ..v }).unwrap();
    }
    println!("verify without opening: {:?}/packet", t.elapsed() / n);
    let t = Instant::now();
    for _ in 0..n {
        Packet::from_json(&json).unwrap();
    }
    println!(
        "JSON parse: {:?}/packet ({} bytes)",
        t.elapsed() / n,
        json.len()
    );
}
