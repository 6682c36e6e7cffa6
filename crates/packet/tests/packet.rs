//! Build → verify round trips and every refusal with its own code, with a CA made at test
//! time and with SAT's public (expired) test FIEL signing inside its validity.

use packet::*;
use std::collections::BTreeMap;
use test_pki::*;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

struct World {
    pki: Pki,
    fiel: efirma::Credential,
    ring: Keyring,
}

fn world(tag: &str) -> World {
    let pki = Pki::new(tag);
    let fiel = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let mut ring = Keyring::new();
    ring.add_secret(&[7u8; 32]).unwrap();
    World { pki, fiel, ring }
}

fn attachments() -> Vec<NewAttachment> {
    let mut v = vec![NewAttachment {
        name: "face".into(),
        bytes: vec![0xFF, 0xD8, 1, 2, 3, 4, 0xFF, 0xD9],
        ..Default::default()
    }];
    for p in 1..=10u8 {
        v.push(NewAttachment {
            name: format!("finger.{p}"),
            bytes: vec![p; 300 + usize::from(p)],
            ppi: Some(500),
            ..Default::default()
        });
    }
    v
}

fn build_bio(w: &World, at: Timestamp) -> Built {
    let rules = Rules::default();
    let key = w.ring.current().unwrap().clone();
    build(
        template(Action::Biometria),
        &attachments(),
        &BuildOptions {
            credential: &w.fiel,
            at,
            server_key: Some(&key),
            rules: &rules,
        },
    )
    .unwrap()
}

/// Signs an arbitrary manifest as-is (to make packets `build` would refuse).
fn sign_raw(m: &Manifest, cred: &efirma::Credential, at: Timestamp) -> Packet {
    let payload = serde_json::to_vec(m).unwrap();
    let sig = cred.sign_cms(&payload, at).unwrap();
    Packet::new(&payload, &sig, BTreeMap::new())
}

fn signed_manifest(cred: &efirma::Credential, action: Action, issued: &str) -> Manifest {
    let mut m = template(action);
    let id = cred.identity();
    m.issued_at = issued.into();
    m.nonce = new_nonce().unwrap();
    m.signer = Signer {
        rfc: id.rfc.clone(),
        curp: id.curp.clone(),
        certificate_number: id.certificate_number.clone(),
    };
    m
}

fn code(r: Result<Verified>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn build_then_verify_opens_every_attachment() {
    let w = world("roundtrip");
    let now = Timestamp::now();
    let built = build_bio(&w, now);
    let json = built.packet.to_json();
    let trust = w.pki.trust();
    let rules = Rules::default();
    let opts = VerifyOptions {
        trust: Some(&trust),
        keyring: Some(&w.ring),
        rules: Some(&rules),
        ..VerifyOptions::at(now)
    };
    let v = verify_json(&json, &opts).unwrap();
    assert!(v.chain_checked);
    assert_eq!(v.identity.rfc, "PEXC850101Q31");
    assert_eq!(v.manifest.signer.rfc, "PEXC850101Q31");
    assert_eq!(v.opened.len(), 11);
    assert_eq!(v.opened["finger.3"], vec![3u8; 303]);
    assert_eq!(v.manifest.attachments.len(), 11);
    // Sealed: the JSON never holds the plaintext.
    let text = String::from_utf8(json).unwrap();
    assert!(!text.contains("AQIDBA"), "plaintext face bytes leaked");
    // Without the keyring, digests of the sealed form are still checked.
    let v2 = verify_json(text.as_bytes(), &VerifyOptions::at(now)).unwrap();
    assert!(v2.opened.is_empty() && !v2.chain_checked);
}

#[test]
fn sat_test_fiel_signs_inside_its_validity_and_does_not_chain_to_another_ca() {
    let w = world("satfiel");
    let at = ts("2019-06-01T12:00:00Z");
    let fiel = sat_fiel();
    let rules = Rules::default();
    let mut m = template(Action::Patron);
    m.employer.as_mut().unwrap().zone = "zlfn".into();
    let built = build(
        m,
        &[],
        &BuildOptions {
            credential: &fiel,
            at,
            server_key: None,
            rules: &rules,
        },
    )
    .unwrap();
    assert_eq!(built.manifest.signer.rfc, "AAA010101AAA");
    let ok = verify(&built.packet, &VerifyOptions::at(at)).unwrap();
    assert_eq!(ok.issued_at, at);
    let trust = w.pki.trust();
    let opts = VerifyOptions {
        trust: Some(&trust),
        ..VerifyOptions::at(at)
    };
    assert_eq!(code(verify(&built.packet, &opts)), "untrusted_chain");
}

#[test]
fn each_refusal_has_its_own_code() {
    let w = world("codes");
    let now = Timestamp::now();
    let trust = w.pki.trust();
    let rules = Rules::default();
    let opts = VerifyOptions {
        trust: Some(&trust),
        keyring: Some(&w.ring),
        rules: Some(&rules),
        ..VerifyOptions::at(now)
    };
    let good = build_bio(&w, now).packet;

    let mut p = good.clone();
    p.format = "huella.packet/0".into();
    assert_eq!(code(verify(&p, &opts)), "bad_format");
    assert_eq!(code(verify_json(b"{\"format\":1}", &opts)), "bad_format");

    // A CSD signs: not_fiel (and build refuses it up front).
    let csd = w
        .pki
        .credential("SELLO", "PEXC850101Q31", "PEXC850101HDFXXR09", Profile::Csd);
    let issued = now.to_rfc3339();
    let p = sign_raw(&signed_manifest(&csd, Action::Patron, &issued), &csd, now);
    assert_eq!(code(verify(&p, &opts)), "not_fiel");
    let refused = build(
        template(Action::Patron),
        &[],
        &BuildOptions {
            credential: &csd,
            at: now,
            server_key: None,
            rules: &rules,
        },
    );
    assert_eq!(refused.unwrap_err().code(), "not_fiel");

    // The manifest names someone else.
    let mut m = signed_manifest(&w.fiel, Action::Patron, &issued);
    m.signer.rfc = "LOMA900315H77".into();
    assert_eq!(
        code(verify(&sign_raw(&m, &w.fiel, now), &opts)),
        "signer_mismatch"
    );

    // issued_at outside the certificate's validity (signed at a valid time).
    let m = signed_manifest(&w.fiel, Action::Patron, "2045-01-01T00:00:00Z");
    assert_eq!(code(verify(&sign_raw(&m, &w.fiel, now), &opts)), "expired");

    // Freshness window.
    let old = VerifyOptions {
        now: Timestamp::from_unix(now.unix() + 73 * 3600),
        ..opts
    };
    assert_eq!(code(verify(&good, &old)), "stale");
    let early = VerifyOptions {
        now: Timestamp::from_unix(now.unix() - 600),
        ..opts
    };
    assert_eq!(code(verify(&good, &early)), "stale");

    // Missing and extra attachments.
    let mut p = good.clone();
    p.attachments.remove("finger.7");
    assert_eq!(code(verify(&p, &opts)), "attachment_digest");
    let mut p = good.clone();
    let face = p.attachments["face"].clone();
    p.attachments.insert("finger.7".into(), face);
    assert_eq!(code(verify(&p, &opts)), "attachment_digest");

    // Domain rules: a signed manifest with a wrong NSS check digit.
    let mut m = signed_manifest(&w.fiel, Action::Baja, &issued);
    m.subject.as_mut().unwrap().nss = "92919084432".into();
    assert_eq!(
        code(verify(&sign_raw(&m, &w.fiel, now), &opts)),
        "invalid_manifest"
    );
}

#[test]
fn rotated_server_key_still_opens_queued_packets() {
    let w = world("rotation");
    let now = Timestamp::now();
    let queued = build_bio(&w, now).packet; // sealed to the old key
    let mut rotated = Keyring::new();
    rotated.add_secret(&[9u8; 32]).unwrap(); // new current key
    rotated.add_secret(&[7u8; 32]).unwrap(); // old key kept
    assert_ne!(
        rotated.current().unwrap().kid,
        w.ring.current().unwrap().kid
    );
    let opts = VerifyOptions {
        keyring: Some(&rotated),
        ..VerifyOptions::at(now)
    };
    assert_eq!(verify(&queued, &opts).unwrap().opened.len(), 11);
    let mut forgot = Keyring::new();
    forgot.add_secret(&[9u8; 32]).unwrap();
    let opts = VerifyOptions {
        keyring: Some(&forgot),
        ..VerifyOptions::at(now)
    };
    assert_eq!(code(verify(&queued, &opts)), "unseal_failed");
}

#[test]
fn sealed_attachment_moved_to_another_slot_does_not_open() {
    let w = world("swap");
    let now = Timestamp::now();
    let built = build_bio(&w, now);
    let a = w
        .ring
        .open("finger.1", &built.packet.attachments["finger.1"]);
    assert!(a.is_ok());
    let b = w
        .ring
        .open("finger.2", &built.packet.attachments["finger.1"]);
    assert_eq!(b.unwrap_err().code(), "unseal_failed");
}

#[test]
fn build_refuses_invalid_manifests() {
    let w = world("invalid");
    let rules = Rules::default();
    let key = w.ring.current().unwrap().clone();
    let opts = BuildOptions {
        credential: &w.fiel,
        at: Timestamp::now(),
        server_key: Some(&key),
        rules: &rules,
    };
    let mut m = template(Action::Alta);
    m.movement.as_mut().unwrap().sbc = Some(100.0); // below the 2026 minimum wage
    assert_eq!(build(m, &[], &opts).unwrap_err().code(), "invalid_manifest");
    let mut m = template(Action::Alta);
    m.movement.as_mut().unwrap().sbc = Some(3000.0); // above 25 UMA
    assert_eq!(build(m, &[], &opts).unwrap_err().code(), "invalid_manifest");
    // Biometrics without the fingers' images.
    let face = vec![NewAttachment {
        name: "face".into(),
        bytes: vec![1, 2, 3],
        ..Default::default()
    }];
    let m = template(Action::Biometria);
    assert_eq!(
        build(m, &face, &opts).unwrap_err().code(),
        "invalid_manifest"
    );
    // Exceptions for missing fingers are fine, with a reason.
    let mut m = template(Action::Biometria);
    let f = &mut m.biometrics.as_mut().unwrap().fingers[9];
    f.attachment = None;
    f.exception = Some("XX".into());
    f.reason = Some("amputación".into());
    let atts: Vec<NewAttachment> = attachments()
        .into_iter()
        .filter(|a| a.name != "finger.10")
        .collect();
    m.attachments.retain(|a| a.name != "finger.10");
    assert!(build(m.clone(), &atts, &opts).is_ok());
    m.biometrics.as_mut().unwrap().fingers[9].exception = Some("ZZ".into());
    assert_eq!(
        build(m, &atts, &opts).unwrap_err().code(),
        "invalid_manifest"
    );
}
