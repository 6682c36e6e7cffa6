//! The SAT's published test FIEL and CSD (../shared/testdata/efirma, expired in 2021).

use efirma::{verify_cms, Credential, Error, Kind, Timestamp, VerifyOptions};

fn testdata(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/testdata/efirma/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn in_validity() -> Timestamp {
    Timestamp::parse_rfc3339("2019-06-01T12:00:00Z").unwrap()
}

fn fiel() -> Credential {
    Credential::open(
        &testdata("fiel_aaa010101aaa.cer"),
        &testdata("fiel_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap()
}

#[test]
fn opens_sat_fiel_and_reads_identity() {
    let cred = fiel();
    let id = cred.identity();
    assert_eq!(id.rfc, "AAA010101AAA");
    assert!(id.persona_moral);
    assert_eq!(id.representative_rfc.as_deref(), Some("HEGT7610034S2"));
    assert_eq!(
        id.representative_curp.as_deref(),
        Some("HEGT761003MDFRNN09")
    );
    assert_eq!(id.curp, None);
    assert_eq!(id.certificate_number, "30001000000300023685");
    assert_eq!(id.kind, Kind::Fiel);
    assert_eq!(id.name, "ACCEM SERVICIOS EMPRESARIALES SC");
    assert!(id.issuer.contains("pruebas"), "{}", id.issuer);
    assert!(id.key_usage.contains(&"dataEncipherment"));
    assert_eq!(id.not_before.to_rfc3339()[..4], *"2017");
    assert_eq!(id.not_after.to_rfc3339()[..4], *"2021");
    cred.require_fiel().unwrap();
}

#[test]
fn opens_sat_csd_as_csd() {
    let cred = Credential::open(
        &testdata("csd01_aaa010101aaa.cer"),
        &testdata("csd01_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap();
    assert_eq!(cred.identity().kind, Kind::Csd);
    assert_eq!(cred.identity().certificate_number, "30001000000300023708");
    assert_eq!(cred.require_fiel().unwrap_err().code(), "not_fiel");
}

#[test]
fn wrong_password_is_bad_password() {
    let err = Credential::open(
        &testdata("fiel_aaa010101aaa.cer"),
        &testdata("fiel_aaa010101aaa.key"),
        "12345678b",
    )
    .unwrap_err();
    assert_eq!(err, Error::BadPassword);
    assert_eq!(err.code(), "bad_password");
}

#[test]
fn fiel_key_with_csd_certificate_is_mismatch() {
    let err = Credential::open(
        &testdata("csd01_aaa010101aaa.cer"),
        &testdata("fiel_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap_err();
    assert_eq!(err.code(), "key_mismatch");
}

#[test]
fn expired_today_but_signs_inside_validity() {
    let cred = fiel();
    let now = Timestamp::parse_rfc3339("2026-11-26T00:00:00Z").unwrap();
    assert_eq!(cred.sign_cms(b"x", now).unwrap_err().code(), "expired");
    assert_eq!(cred.sign_pkcs1(b"x", now).unwrap_err().code(), "expired");
    let early = Timestamp::parse_rfc3339("2010-01-01T00:00:00Z").unwrap();
    assert_eq!(
        cred.sign_cms(b"x", early).unwrap_err().code(),
        "not_yet_valid"
    );

    let sig = cred.sign_cms(b"hola mundo", in_validity()).unwrap();
    let v = verify_cms(&sig, b"hola mundo", VerifyOptions::default()).unwrap();
    assert_eq!(v.signer.identity().rfc, "AAA010101AAA");
    assert_eq!(v.signing_time, Some(in_validity()));
    assert_eq!(
        verify_cms(&sig, b"hola mundo!", VerifyOptions::default())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
}

#[test]
fn debug_output_never_shows_key_material() {
    let cred = fiel();
    let dbg = format!("{cred:?}");
    assert!(dbg.contains("redacted"), "{dbg}");
    assert!(!dbg.contains("12345678a"));
    // No long runs of digits/hex that could be key material.
    let der = cred.pkcs8_der();
    let hex: String = der[40..56].iter().map(|b| format!("{b:02x}")).collect();
    assert!(!dbg.to_lowercase().contains(&hex));
    assert!(dbg.len() < 300, "{dbg}");
}

#[test]
fn corrupt_inputs_give_codes_not_panics() {
    let cer = testdata("fiel_aaa010101aaa.cer");
    let key = testdata("fiel_aaa010101aaa.key");
    assert_eq!(
        Credential::open(&cer[..100], &key, "12345678a")
            .unwrap_err()
            .code(),
        "corrupt_certificate"
    );
    assert_eq!(
        Credential::open(&cer, &key[..200], "12345678a")
            .unwrap_err()
            .code(),
        "corrupt_key"
    );
    assert_eq!(
        Credential::open(&cer, b"hello", "12345678a")
            .unwrap_err()
            .code(),
        "corrupt_key"
    );
}
