//! Test PKI made at test time, shared by the efirma, packet and server test suites (a
//! dev-dependency only, never shipped): a private CA, SAT-like FIEL and CSD certificates (any
//! validity, any X.509 string type), and the keys in every format users bring, written with
//! `openssl`. Also opens SAT's published test credentials from `../shared/testdata/efirma`.
//!
//! Certificates are built here with `der` (not `openssl x509`) so tests control what OpenSSL's
//! CLI cannot: validity in the past, and non-strict strings such as a PrintableString that holds
//! UTF-8 (as in SAT certificates issued in May 2023).
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use der::asn1::{Any, BitString, SetOfVec, UintRef};
use der::{Decode, Encode, Sequence, Tag, ValueOrd};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};
use std::path::{Path, PathBuf};
use std::process::Command;
use x509_cert::ext::Extension;
use x509_cert::time::Time;

pub fn sat(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/testdata/efirma/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A temporary folder removed on drop.
pub struct TempDir(pub PathBuf);
impl TempDir {
    pub fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "huella-test-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs openssl, panicking with its stderr on failure.
pub fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl on PATH");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A fresh RSA-2048 key: (PKCS#8 PEM path, parsed key).
pub fn new_key(dir: &TempDir, name: &str) -> (PathBuf, rsa::PrivateKey) {
    let path = dir.path(&format!("{name}.pem"));
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        path.to_str().unwrap(),
    ]);
    let pem = std::fs::read_to_string(&path).unwrap();
    (path, rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap())
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence, ValueOrd)]
pub struct Atv {
    pub oid: ObjectIdentifier,
    pub value: Any,
}

/// One RDN per attribute, each value with an explicit tag and raw bytes.
pub fn name(attrs: &[(&str, Tag, &[u8])]) -> Vec<u8> {
    let rdns: Vec<SetOfVec<Atv>> = attrs
        .iter()
        .map(|(oid, tag, bytes)| {
            SetOfVec::try_from(vec![Atv {
                oid: ObjectIdentifier::new_unwrap(oid),
                value: Any::new(*tag, bytes.to_vec()).unwrap(),
            }])
            .unwrap()
        })
        .collect();
    rdns.to_der().unwrap()
}

pub const CN: &str = "2.5.4.3";
pub const O: &str = "2.5.4.10";
pub const OU: &str = "2.5.4.11";
pub const UNIQUE_ID: &str = "2.5.4.45";
pub const SERIAL: &str = "2.5.4.5";
pub const UNSTRUCTURED_NAME: &str = "1.2.840.113549.1.9.2";

#[derive(Sequence)]
struct Validity {
    not_before: Time,
    not_after: Time,
}

#[derive(Sequence)]
struct Tbs {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial: Any,
    signature: AlgorithmIdentifierOwned,
    issuer: Any,
    validity: Validity,
    subject: Any,
    spki: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
    extensions: Vec<Extension>,
}

#[derive(Sequence)]
struct Cert {
    tbs: Any,
    alg: AlgorithmIdentifierOwned,
    sig: BitString,
}

fn time(rfc3339: &str) -> Time {
    let t = efirma::Timestamp::parse_rfc3339(rfc3339).unwrap();
    let dt =
        der::DateTime::from_unix_duration(std::time::Duration::from_secs(t.unix() as u64)).unwrap();
    Time::UtcTime(der::asn1::UtcTime::from_date_time(dt).unwrap())
}

fn ext(oid: &str, critical: bool, value: Vec<u8>) -> Extension {
    Extension {
        extn_id: ObjectIdentifier::new_unwrap(oid),
        critical,
        extn_value: der::asn1::OctetString::new(value).unwrap(),
    }
}

/// keyUsage BIT STRING from bit numbers (0 = digitalSignature … 6 = cRLSign).
fn key_usage(bits: &[u8]) -> Vec<u8> {
    let mut v: u16 = 0;
    for b in bits {
        v |= 1 << (15 - b);
    }
    let bytes = v.to_be_bytes();
    let used = if bytes[1] == 0 { 1 } else { 2 };
    let last = bytes[used - 1];
    let unused = last.trailing_zeros().min(7) as u8;
    BitString::new(unused, &bytes[..used])
        .unwrap()
        .to_der()
        .unwrap()
}

pub enum Profile {
    Ca,
    /// e.firma: digitalSignature, nonRepudiation, dataEncipherment, keyAgreement + EKU.
    Fiel,
    /// sello: digitalSignature, nonRepudiation only.
    Csd,
}

pub struct CertSpec<'a> {
    pub subject: Vec<u8>,
    pub serial_ascii: &'a str,
    pub not_before: &'a str,
    pub not_after: &'a str,
    pub profile: Profile,
}

/// Builds and signs a certificate; `issuer = None` makes it self-signed.
pub fn make_cert(
    spec: &CertSpec<'_>,
    subject_key: &rsa::PrivateKey,
    issuer: Option<(&[u8], &rsa::PrivateKey)>,
) -> Vec<u8> {
    let sha256_rsa = AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
        parameters: Some(Any::null()),
    };
    let (issuer_name, issuer_key) = match issuer {
        Some((cert_der, key)) => (subject_of(cert_der), key),
        None => (spec.subject.clone(), subject_key),
    };
    let spki_der = subject_key.to_public_key().to_public_key_der().unwrap();
    let mut extensions = vec![];
    match spec.profile {
        Profile::Ca => {
            extensions.push(ext("2.5.29.19", true, vec![0x30, 0x03, 0x01, 0x01, 0xff]));
            extensions.push(ext("2.5.29.15", true, key_usage(&[5, 6])));
        }
        Profile::Fiel => {
            extensions.push(ext("2.5.29.15", true, key_usage(&[0, 1, 3, 4])));
            // EKU: emailProtection, clientAuth
            extensions.push(ext(
                "2.5.29.37",
                false,
                hex("301406082b0601050507030406082b06010505070302"),
            ));
        }
        Profile::Csd => extensions.push(ext("2.5.29.15", true, key_usage(&[0, 1]))),
    }
    let serial = UintRef::new(spec.serial_ascii.as_bytes())
        .unwrap()
        .to_der()
        .unwrap();
    let tbs = Tbs {
        version: 2,
        serial: Any::from_der(&serial).unwrap(),
        signature: sha256_rsa.clone(),
        issuer: Any::from_der(&issuer_name).unwrap(),
        validity: Validity {
            not_before: time(spec.not_before),
            not_after: time(spec.not_after),
        },
        subject: Any::from_der(&spec.subject).unwrap(),
        spki: SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes()).unwrap(),
        extensions,
    };
    let tbs_der = tbs.to_der().unwrap();
    let digest = sha2::Sha256::digest(&tbs_der);
    let sig = issuer_key
        .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
        .unwrap();
    Cert {
        tbs: Any::from_der(&tbs_der).unwrap(),
        alg: sha256_rsa,
        sig: BitString::from_bytes(&sig).unwrap(),
    }
    .to_der()
    .unwrap()
}

/// The raw subject Name DER of a certificate.
pub fn subject_of(cert_der: &[u8]) -> Vec<u8> {
    let c = Cert::from_der(cert_der).unwrap();
    let tbs = Tbs::from_der(&c.tbs.to_der().unwrap()).unwrap();
    tbs.subject.to_der().unwrap()
}

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

pub fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// A private CA with a FIEL-like leaf: everything on disk for openssl and in memory for us.
pub struct Pki {
    pub dir: TempDir,
    pub ca_der: Vec<u8>,
    pub ca_key: rsa::PrivateKey,
    pub ca_pem_path: PathBuf,
}

impl Pki {
    pub fn new(tag: &str) -> Self {
        let dir = TempDir::new(tag);
        let (_, ca_key) = new_key(&dir, "ca");
        let subject = name(&[
            (CN, Tag::Utf8String, "AC de PRUEBAS HUELLA".as_bytes()),
            (
                O,
                Tag::Utf8String,
                "Servicio de Administración Tributaria".as_bytes(),
            ),
        ]);
        let ca_der = make_cert(
            &CertSpec {
                subject,
                serial_ascii: "00000000000000000777",
                not_before: "2015-01-01T00:00:00Z",
                not_after: "2045-01-01T00:00:00Z",
                profile: Profile::Ca,
            },
            &ca_key,
            None,
        );
        let ca_pem_path = dir.path("ca.pem");
        std::fs::write(&ca_pem_path, pem("CERTIFICATE", &ca_der)).unwrap();
        Pki {
            dir,
            ca_der,
            ca_key,
            ca_pem_path,
        }
    }

    /// Issues a leaf with the SAT subject layout; returns (cert DER, key PEM path, key).
    pub fn issue(
        &self,
        file: &str,
        subject: Vec<u8>,
        profile: Profile,
        not_before: &str,
        not_after: &str,
    ) -> (Vec<u8>, PathBuf, rsa::PrivateKey) {
        let (key_path, key) = new_key(&self.dir, file);
        let der = make_cert(
            &CertSpec {
                subject,
                serial_ascii: "30001000000500003416",
                not_before,
                not_after,
                profile,
            },
            &key,
            Some((&self.ca_der, &self.ca_key)),
        );
        std::fs::write(self.dir.path(&format!("{file}.cer")), &der).unwrap();
        (der, key_path, key)
    }
}

/// A persona física subject: RFC, CURP, name with Ñ, all UTF8String.
pub fn fisica_subject(string_type: Tag, name_bytes: &[u8]) -> Vec<u8> {
    name(&[
        (CN, string_type, name_bytes),
        (UNIQUE_ID, Tag::PrintableString, b"PEXC850101Q31"),
        (SERIAL, Tag::PrintableString, b"PEXC850101HDFXXR09"),
    ])
}

pub fn modulus_eq(a: &rsa::PrivateKey, b: &rsa::PrivateKey) -> bool {
    a.n() == b.n()
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

// ---- Huella packet/server helpers (copied from crates/efirma/tests/support) ----

/// SAT's public test FIEL (expired in 2021: sign inside its validity).
pub fn sat_fiel() -> efirma::Credential {
    efirma::Credential::open(
        &sat("fiel_aaa010101aaa.cer"),
        &sat("fiel_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap()
}

/// SAT's public test CSD (a sello, not an e.firma).
pub fn sat_csd() -> efirma::Credential {
    efirma::Credential::open(
        &sat("csd01_aaa010101aaa.cer"),
        &sat("csd01_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap()
}

/// A subject with the given RFC and CURP (persona física layout).
pub fn person(cn: &str, rfc: &str, curp: &str) -> Vec<u8> {
    name(&[
        (CN, Tag::Utf8String, cn.as_bytes()),
        (UNIQUE_ID, Tag::PrintableString, rfc.as_bytes()),
        (SERIAL, Tag::PrintableString, curp.as_bytes()),
    ])
}

impl Pki {
    /// A FIEL (or CSD) credential for `rfc`/`curp`, valid 2020–2040, opened with efirma.
    pub fn credential(
        &self,
        file: &str,
        rfc: &str,
        curp: &str,
        profile: Profile,
    ) -> efirma::Credential {
        let (der, key_path, _) = self.issue(
            file,
            person(file, rfc, curp),
            profile,
            "2020-01-01T00:00:00Z",
            "2040-01-01T00:00:00Z",
        );
        let key = std::fs::read(key_path).unwrap();
        efirma::Credential::open(&der, &key, "").unwrap()
    }

    /// The CA as PEM text.
    pub fn ca_pem(&self) -> String {
        pem("CERTIFICATE", &self.ca_der)
    }

    /// A trust store holding this CA.
    pub fn trust(&self) -> efirma::TrustStore {
        let mut t = efirma::TrustStore::new();
        t.add(self.ca_pem().as_bytes()).unwrap();
        t
    }
}
