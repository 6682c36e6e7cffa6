//! Credentials generated at test time: every key format, every bad case with its own code,
//! chains to a private CA, and Ñ in every X.509 string type.

mod support;

use der::Tag;
use efirma::{verify_cms, Credential, Kind, Timestamp, TrustStore, VerifyOptions};
use support::*;

const PW: &str = "contraseña con ñ";
const VALID_FROM: &str = "2020-01-01T00:00:00Z";
const VALID_TO: &str = "2030-01-01T00:00:00Z";

fn at(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

fn fiel(pki: &Pki, file: &str) -> (Vec<u8>, std::path::PathBuf) {
    let (der, key_path, _) = pki.issue(
        file,
        fisica_subject(Tag::Utf8String, "JUAN PEÑA NÚÑEZ".as_bytes()),
        Profile::Fiel,
        VALID_FROM,
        VALID_TO,
    );
    (der, key_path)
}

/// Encrypts a PEM key with openssl in the named format; returns the file bytes.
fn encrypt(pki: &Pki, key_path: &std::path::Path, how: &str, password: &str) -> Vec<u8> {
    let out = pki.dir.path(&format!("{how}.out"));
    let pass = format!("pass:{password}");
    let (k, o) = (key_path.to_str().unwrap(), out.to_str().unwrap());
    match how {
        "sat-3des-der" => openssl(&[
            "pkcs8",
            "-topk8",
            "-in",
            k,
            "-v2",
            "des3",
            "-v2prf",
            "hmacWithSHA1",
            "-outform",
            "DER",
            "-out",
            o,
            "-passout",
            &pass,
        ]),
        "aes128-pem" => openssl(&[
            "pkcs8",
            "-topk8",
            "-in",
            k,
            "-v2",
            "aes-128-cbc",
            "-v2prf",
            "hmacWithSHA256",
            "-out",
            o,
            "-passout",
            &pass,
        ]),
        "aes256-der" => openssl(&[
            "pkcs8",
            "-topk8",
            "-in",
            k,
            "-v2",
            "aes-256-cbc",
            "-outform",
            "DER",
            "-out",
            o,
            "-passout",
            &pass,
        ]),
        "traditional-3des" => openssl(&[
            "rsa",
            "-in",
            k,
            "-des3",
            "-traditional",
            "-out",
            o,
            "-passout",
            &pass,
        ]),
        "traditional-aes256" => openssl(&[
            "rsa",
            "-in",
            k,
            "-aes256",
            "-traditional",
            "-out",
            o,
            "-passout",
            &pass,
        ]),
        other => panic!("{other}"),
    };
    std::fs::read(out).unwrap()
}

#[test]
fn every_key_format_opens_and_wrong_password_is_told_apart() {
    let pki = Pki::new("formats");
    let (cer, key_path) = fiel(&pki, "fiel");
    let cer_pem = pem("CERTIFICATE", &cer);
    for how in [
        "sat-3des-der",
        "aes128-pem",
        "aes256-der",
        "traditional-3des",
        "traditional-aes256",
    ] {
        let key = encrypt(&pki, &key_path, how, PW);
        for cert in [&cer[..], cer_pem.as_bytes()] {
            let cred = Credential::open(cert, &key, PW).unwrap_or_else(|e| panic!("{how}: {e:?}"));
            assert_eq!(cred.identity().rfc, "PEXC850101Q31", "{how}");
            assert_eq!(cred.identity().kind, Kind::Fiel);
        }
        let err = Credential::open(&cer, &key, "otra").unwrap_err();
        assert_eq!(err.code(), "bad_password", "{how}");
    }
}

#[test]
fn pkcs12_with_key_and_certificate() {
    let pki = Pki::new("pfx");
    let (_, key_path) = fiel(&pki, "fiel");
    let cer_path = pki.dir.path("fiel.cer");
    let pfx = pki.dir.path("fiel.pfx");
    let cer_pem = pki.dir.path("fiel-cert.pem");
    openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        cer_path.to_str().unwrap(),
        "-out",
        cer_pem.to_str().unwrap(),
    ]);
    let pass = format!("pass:{PW}");
    for extra in [
        &[][..],
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "AES-128-CBC",
            "-macalg",
            "sha1",
        ][..],
    ] {
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            key_path.to_str().unwrap(),
            "-in",
            cer_pem.to_str().unwrap(),
            "-out",
            pfx.to_str().unwrap(),
            "-passout",
            &pass,
        ];
        args.extend_from_slice(extra);
        openssl(&args);
        let bytes = std::fs::read(&pfx).unwrap();
        let cred = Credential::open(&[], &bytes, PW).unwrap_or_else(|e| panic!("{extra:?}: {e:?}"));
        assert_eq!(cred.identity().rfc, "PEXC850101Q31");
        assert_eq!(
            Credential::open(&[], &bytes, "mala").unwrap_err().code(),
            "bad_password"
        );
    }
}

#[test]
fn windows_1252_password_bytes_are_tried() {
    let pki = Pki::new("latin1");
    let (cer, key_path) = fiel(&pki, "fiel");
    // Encrypt with the Latin-1 bytes of "contraseña" (what older Windows tools wrote).
    let out = pki.dir.path("latin1.der");
    let pwfile = pki.dir.path("pw.bin");
    write(&pwfile, b"contrase\xF1a");
    openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        key_path.to_str().unwrap(),
        "-v2",
        "des3",
        "-v2prf",
        "hmacWithSHA1",
        "-outform",
        "DER",
        "-out",
        out.to_str().unwrap(),
        "-passout",
        &format!("file:{}", pwfile.display()),
    ]);
    let key = std::fs::read(out).unwrap();
    Credential::open(&cer, &key, "contraseña").unwrap();
    assert_eq!(
        Credential::open(&cer, &key, "contrasena")
            .unwrap_err()
            .code(),
        "bad_password"
    );
}

#[test]
fn each_bad_case_has_its_own_code() {
    let pki = Pki::new("codes");
    let (cer, key_path) = fiel(&pki, "fiel");
    let key = encrypt(&pki, &key_path, "sat-3des-der", PW);
    let mut store = TrustStore::new();
    store.add(&pki.ca_der).unwrap();
    let cred = Credential::open(&cer, &key, PW).unwrap();

    // expired / not yet valid, at signing
    assert_eq!(
        cred.sign_cms(b"x", at("2031-01-01T00:00:00Z"))
            .unwrap_err()
            .code(),
        "expired"
    );
    assert_eq!(
        cred.sign_cms(b"x", at("2019-01-01T00:00:00Z"))
            .unwrap_err()
            .code(),
        "not_yet_valid"
    );

    // a good signature verifies with the chain
    let when = at("2024-05-01T10:00:00Z");
    let sig = cred.sign_cms(b"payload", when).unwrap();
    let v = verify_cms(
        &sig,
        b"payload",
        VerifyOptions {
            trust: Some(&store),
            at: None,
        },
    )
    .unwrap();
    assert!(v.chain_checked);
    assert_eq!(v.signing_time, Some(when));

    // foreign CA
    let other = Pki::new("foreign");
    let mut foreign = TrustStore::new();
    foreign.add(&other.ca_der).unwrap();
    assert_eq!(
        verify_cms(
            &sig,
            b"payload",
            VerifyOptions {
                trust: Some(&foreign),
                at: None
            }
        )
        .unwrap_err()
        .code(),
        "untrusted_chain"
    );
    // verification time after expiry
    assert_eq!(
        verify_cms(
            &sig,
            b"payload",
            VerifyOptions {
                trust: Some(&store),
                at: Some(at("2035-01-01T00:00:00Z"))
            }
        )
        .unwrap_err()
        .code(),
        "expired"
    );
    // tampered content and tampered signature bytes
    assert_eq!(
        verify_cms(&sig, b"payloaD", VerifyOptions::default())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
    let mut flipped = sig.clone();
    let n = flipped.len();
    flipped[n - 10] ^= 1;
    assert_eq!(
        verify_cms(&flipped, b"payload", VerifyOptions::default())
            .unwrap_err()
            .code(),
        "bad_signature"
    );

    // mismatched key/cert pair
    let (cer2, _) = fiel(&pki, "fiel2");
    assert_eq!(
        Credential::open(&cer2, &key, PW).unwrap_err().code(),
        "key_mismatch"
    );

    // CSD is not a FIEL
    let (csd, csd_key_path, _) = pki.issue(
        "csd",
        name(&[
            (CN, Tag::Utf8String, b"EMPRESA SA"),
            (UNIQUE_ID, Tag::PrintableString, b"ACM051024KL5"),
            (OU, Tag::Utf8String, b"CSD01"),
        ]),
        Profile::Csd,
        VALID_FROM,
        VALID_TO,
    );
    let csd_key = encrypt(&pki, &csd_key_path, "sat-3des-der", PW);
    let csd_cred = Credential::open(&csd, &csd_key, PW).unwrap();
    assert_eq!(csd_cred.identity().kind, Kind::Csd);
    assert_eq!(csd_cred.require_fiel().unwrap_err().code(), "not_fiel");

    // unsupported algorithm: an EC key
    let ec = pki.dir.path("ec.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        ec.to_str().unwrap(),
    ]);
    let ec_enc = encrypt(&pki, &ec, "aes256-der", PW);
    assert_eq!(
        Credential::open(&cer, &ec_enc, PW).unwrap_err().code(),
        "unsupported_algorithm"
    );
}

#[test]
fn enie_in_every_string_type_and_may_2023_printable_utf8() {
    let pki = Pki::new("strings");
    let cases: [(Tag, Vec<u8>); 4] = [
        (Tag::Utf8String, "MUÑOZ".as_bytes().to_vec()),
        (Tag::PrintableString, "MUÑOZ".as_bytes().to_vec()), // not strict: Ñ is not printable
        (Tag::TeletexString, b"MU\xD1OZ".to_vec()),
        (Tag::BmpString, b"\0M\0U\0\xD1\0O\0Z".to_vec()),
    ];
    for (i, (tag, bytes)) in cases.iter().enumerate() {
        let (der, key_path, _) = pki.issue(
            &format!("s{i}"),
            fisica_subject(*tag, bytes),
            Profile::Fiel,
            VALID_FROM,
            VALID_TO,
        );
        let key = encrypt(&pki, &key_path, "aes256-der", PW);
        let cred = Credential::open(&der, &key, PW).unwrap_or_else(|e| panic!("{tag:?}: {e:?}"));
        assert_eq!(cred.identity().name, "MUÑOZ", "{tag:?}");
        // Verification runs over the original bytes, so even the non-strict one verifies.
        assert_eq!(cred.certificate().der(), &der[..]);
        let sig = cred.sign_cms(b"x", at("2024-01-01T00:00:00Z")).unwrap();
        let mut store = TrustStore::new();
        store.add(&pki.ca_der).unwrap();
        verify_cms(
            &sig,
            b"x",
            VerifyOptions {
                trust: Some(&store),
                at: None,
            },
        )
        .unwrap();
    }
}

#[test]
fn issuer_with_printable_string_holding_utf8_like_sat_may_2023() {
    // A CA whose subject (so the leaf's issuer) carries unstructuredName typed PrintableString
    // holding UTF-8 "ó", as SAT issued in May 2023.
    let dir = TempDir::new("may2023");
    let (_, ca_key) = new_key(&dir, "ca");
    let ca_subject = name(&[
        (
            CN,
            Tag::PrintableString,
            b"AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA",
        ),
        (
            UNSTRUCTURED_NAME,
            Tag::PrintableString,
            "responsable: Administración Central".as_bytes(),
        ),
    ]);
    let ca = make_cert(
        &CertSpec {
            subject: ca_subject,
            serial_ascii: "00000000000000001234",
            not_before: "2023-01-01T00:00:00Z",
            not_after: "2031-01-01T00:00:00Z",
            profile: Profile::Ca,
        },
        &ca_key,
        None,
    );
    let (leaf_key_path, leaf_key) = new_key(&dir, "leaf");
    let leaf = make_cert(
        &CertSpec {
            subject: fisica_subject(Tag::Utf8String, "JOSÉ".as_bytes()),
            serial_ascii: "00001000000700000001",
            not_before: "2023-05-10T00:00:00Z",
            not_after: "2027-05-10T00:00:00Z",
            profile: Profile::Fiel,
        },
        &leaf_key,
        Some((&ca, &ca_key)),
    );
    let key = std::fs::read(leaf_key_path).unwrap();
    let cred = Credential::open(&leaf, &key, "").unwrap();
    assert_eq!(
        cred.identity().issuer,
        "AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA"
    );
    let mut store = TrustStore::new();
    store.add(&ca).unwrap();
    let sig = cred.sign_cms(b"datos", at("2024-01-01T00:00:00Z")).unwrap();
    let v = verify_cms(
        &sig,
        b"datos",
        VerifyOptions {
            trust: Some(&store),
            at: None,
        },
    )
    .unwrap();
    assert!(v.chain_checked);
    assert_eq!(v.signer.der(), &leaf[..]);
}
