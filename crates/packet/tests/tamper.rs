//! Property: flipping any byte of the payload, the signature or a sealed attachment makes
//! `verify` fail, with the code of the stage that owns those bytes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use packet::*;
use proptest::prelude::*;
use std::sync::OnceLock;
use test_pki::*;

struct Fixture {
    _pki: Pki,
    trust: TrustStore,
    ring: Keyring,
    packet: Packet,
    now: Timestamp,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let pki = Pki::new("tamper");
        let fiel = pki.credential(
            "PATRON",
            "PEXC850101Q31",
            "PEXC850101HDFXXR09",
            Profile::Fiel,
        );
        let mut ring = Keyring::new();
        ring.add_secret(&[3u8; 32]).unwrap();
        let key = ring.current().unwrap().clone();
        let now = Timestamp::now();
        let mut atts = vec![NewAttachment {
            name: "face".into(),
            bytes: (0..2000u32).map(|i| (i % 251) as u8).collect(),
            ..Default::default()
        }];
        for p in 1..=10u8 {
            atts.push(NewAttachment {
                name: format!("finger.{p}"),
                bytes: vec![p; 64],
                ..Default::default()
            });
        }
        let rules = Rules::default();
        let packet = build(
            template(Action::Biometria),
            &atts,
            &BuildOptions {
                credential: &fiel,
                at: now,
                server_key: Some(&key),
                rules: &rules,
            },
        )
        .unwrap()
        .packet;
        Fixture {
            trust: pki.trust(),
            _pki: pki,
            ring,
            packet,
            now,
        }
    })
}

fn run(p: &Packet, with_key: bool) -> &'static str {
    let f = fixture();
    let rules = Rules::default();
    let opts = VerifyOptions {
        trust: Some(&f.trust),
        keyring: with_key.then_some(&f.ring),
        rules: Some(&rules),
        ..VerifyOptions::at(f.now)
    };
    match verify(p, &opts) {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn untouched_fixture_verifies() {
    assert_eq!(run(&fixture().packet, true), "ok");
}

proptest! {
    // PROPTEST_CASES raises the count for long runs (default 96 keeps `cargo test` fast).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn payload_flip_is_bad_signature(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut p = fixture().packet.clone();
        let mut bytes = URL_SAFE_NO_PAD.decode(&p.payload).unwrap();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        p.payload = URL_SAFE_NO_PAD.encode(&bytes);
        prop_assert_eq!(run(&p, true), "bad_signature");
    }

    #[test]
    fn signature_flip_fails_at_the_signature_stage(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut p = fixture().packet.clone();
        let mut bytes = STANDARD.decode(&p.signature).unwrap();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        p.signature = STANDARD.encode(&bytes);
        let c = run(&p, true);
        // The embedded certificate is part of the signature: a flip there breaks the CA's
        // signature over it (untrusted_chain) or its validity dates (expired).
        prop_assert!(["bad_signature", "untrusted_chain", "expired"].contains(&c), "got {}", c);
    }

    #[test]
    fn attachment_flip_is_attachment_digest(which in 0usize..11, pos in any::<prop::sample::Index>(), bit in 0u8..8, in_enc: bool, with_key: bool) {
        let mut p = fixture().packet.clone();
        let name = p.attachments.keys().nth(which).unwrap().clone();
        let s = p.attachments.get_mut(&name).unwrap();
        let field = if in_enc { &mut s.enc } else { &mut s.ct };
        let mut bytes = STANDARD.decode(&*field).unwrap();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        *field = STANDARD.encode(&bytes);
        prop_assert_eq!(run(&p, with_key), "attachment_digest");
    }
}

/// Exhaustive, not sampled: every single-bit flip anywhere in the DER signature is refused
/// at the signature stage (this found that NULL algorithm parameters and a certificate's
/// outer signatureAlgorithm were not covered by any check).
#[test]
fn every_bit_of_the_signature_matters() {
    let f = fixture();
    let sig = STANDARD.decode(&f.packet.signature).unwrap();
    for i in 0..sig.len() {
        for bit in 0..8 {
            let mut s = sig.clone();
            s[i] ^= 1 << bit;
            let mut p = f.packet.clone();
            p.signature = STANDARD.encode(&s);
            let c = run(&p, false);
            assert!(
                ["bad_signature", "untrusted_chain", "expired"].contains(&c),
                "flip at byte {i} bit {bit}: {c}"
            );
        }
    }
}
