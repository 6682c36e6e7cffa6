//! OpenSSL must accept what we sign: `openssl cms -verify` and `openssl dgst -verify`.
//! And what OpenSSL signs, we verify.

mod support;

use der::Tag;
use efirma::{verify_cms, Credential, Timestamp, TrustStore, VerifyOptions};
use support::*;

fn pki_fiel() -> (Pki, Credential) {
    let pki = Pki::new("interop");
    let (cer, key_path, _) = pki.issue(
        "fiel",
        fisica_subject(Tag::Utf8String, "MARÍA PEÑA".as_bytes()),
        Profile::Fiel,
        "2020-01-01T00:00:00Z",
        "2045-01-01T00:00:00Z",
    );
    let key = std::fs::read(key_path).unwrap();
    let cred = Credential::open(&cer, &key, "").unwrap();
    (pki, cred)
}

#[test]
fn openssl_cms_verify_accepts_our_cms_with_chain() {
    let (pki, cred) = pki_fiel();
    let data: Vec<u8> = (0..1024u32).map(|i| (i * 7) as u8).collect();
    let sig = cred.sign_cms(&data, Timestamp::now()).unwrap();
    let (d, s) = (pki.dir.path("data.bin"), pki.dir.path("sig.p7s"));
    write(&d, &data);
    write(&s, &sig);
    openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        s.to_str().unwrap(),
        "-content",
        d.to_str().unwrap(),
        "-CAfile",
        pki.ca_pem_path.to_str().unwrap(),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]);
}

#[test]
fn openssl_accepts_sat_fiel_cms_and_pkcs1() {
    let dir = TempDir::new("sat-interop");
    let cred = Credential::open(
        &sat("fiel_aaa010101aaa.cer"),
        &sat("fiel_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap();
    let at = Timestamp::parse_rfc3339("2019-06-01T12:00:00Z").unwrap();
    let data = b"Huella: alta de trabajador".to_vec();
    let (d, s, p, cer, pubkey) = (
        dir.path("d"),
        dir.path("s.p7s"),
        dir.path("s.sig"),
        dir.path("c.cer"),
        dir.path("pub.pem"),
    );
    write(&d, &data);
    write(&s, &cred.sign_cms(&data, at).unwrap());
    write(&p, &cred.sign_pkcs1(&data, at).unwrap());
    write(&cer, &sat("fiel_aaa010101aaa.cer"));
    // SAT's test CA is not published with the test files: the self-contained check is
    // signature + digest (-noverify skips only the chain), at a time inside the validity.
    openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        s.to_str().unwrap(),
        "-content",
        d.to_str().unwrap(),
        "-noverify",
        "-out",
        "/dev/null",
    ]);
    let pem = openssl(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        cer.to_str().unwrap(),
        "-pubkey",
        "-noout",
    ]);
    write(&pubkey, &pem);
    let out = openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        pubkey.to_str().unwrap(),
        "-signature",
        p.to_str().unwrap(),
        d.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out).contains("Verified OK"));
}

#[test]
fn we_verify_what_openssl_signs() {
    let (pki, cred) = pki_fiel();
    let d = pki.dir.path("data.bin");
    write(&d, b"firmado por openssl");
    let s = pki.dir.path("os.p7s");
    let cert_pem = pki.dir.path("leaf.pem");
    write(
        &cert_pem,
        pem("CERTIFICATE", cred.certificate().der()).as_bytes(),
    );
    let key_pem = pki.dir.path("fiel.pem");
    openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-in",
        d.to_str().unwrap(),
        "-signer",
        cert_pem.to_str().unwrap(),
        "-inkey",
        key_pem.to_str().unwrap(),
        "-outform",
        "DER",
        "-out",
        s.to_str().unwrap(),
        "-md",
        "sha256",
    ]);
    let sig = std::fs::read(&s).unwrap();
    let mut store = TrustStore::new();
    store.add(&pki.ca_der).unwrap();
    let v = verify_cms(
        &sig,
        b"firmado por openssl",
        VerifyOptions {
            trust: Some(&store),
            at: None,
        },
    )
    .unwrap();
    assert!(v.chain_checked);
    assert_eq!(v.signer.identity().rfc, "PEXC850101Q31");
    assert_eq!(
        verify_cms(&sig, b"otro", VerifyOptions::default())
            .unwrap_err()
            .code(),
        "bad_signature"
    );
}
