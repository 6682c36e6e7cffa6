//! The demo PKI, made in pure Rust: a self-signed demo CA and SAT-like leaf certificates
//! issued by it (RFC 5280 §4.1), with their keys written as PKCS#8 `EncryptedPrivateKeyInfo`
//! (RFC 5958 §3) under PBES2 (RFC 8018 §6.2: PBKDF2-HMAC-SHA256 + AES-256-CBC).
//!
//! The subject follows SAT's layout as `efirma::identity` reads it (domain.md §9): the RFC in
//! `x500UniqueIdentifier` (2.5.4.45), the CURP in `serialNumber` (2.5.4.5), the name in CN,
//! the 20-digit certificate number as the ASCII bytes of the serial. FIEL and CSD differ as
//! SAT's do: a FIEL has no OU and a key usage beyond signing (dataEncipherment, keyAgreement);
//! a CSD has an OU (the branch) and digitalSignature + nonRepudiation only.

use super::DemoError;
use der::asn1::{Any, BitString, OctetString, SetOfVec, UintRef};
use der::{Decode, Encode, Sequence, Tag, ValueOrd};
use efirma::Timestamp;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;
use x509_cert::time::Time;

const OID_CN: &str = "2.5.4.3";
const OID_C: &str = "2.5.4.6";
const OID_O: &str = "2.5.4.10";
const OID_OU: &str = "2.5.4.11";
const OID_NAME: &str = "2.5.4.41";
const OID_UNIQUE_ID: &str = "2.5.4.45";
const OID_SERIAL: &str = "2.5.4.5";
const OID_EMAIL: &str = "1.2.840.113549.1.9.1";
const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";

/// PBKDF2 rounds of the demo keys: SAT's own keys use 2048, which the browser opens quickly.
const PBKDF2_ROUNDS: u32 = 2048;

fn err(what: &str, e: impl core::fmt::Display) -> DemoError {
    DemoError::Pki(format!("{what}: {e}"))
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence, ValueOrd)]
struct Atv {
    oid: ObjectIdentifier,
    value: Any,
}

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

/// One attribute of a distinguished name: OID, ASN.1 string type, text.
pub type Attr<'a> = (&'a str, Tag, &'a str);

/// An RDNSequence with one attribute per RDN, in the given order.
pub fn name(attrs: &[Attr<'_>]) -> Result<Vec<u8>, DemoError> {
    let mut rdns = Vec::with_capacity(attrs.len());
    for (oid, tag, text) in attrs {
        let atv = Atv {
            oid: ObjectIdentifier::new(oid).map_err(|e| err("OID", e))?,
            value: Any::new(*tag, text.as_bytes().to_vec()).map_err(|e| err("atributo", e))?,
        };
        rdns.push(SetOfVec::try_from(vec![atv]).map_err(|e| err("RDN", e))?);
    }
    rdns.to_der().map_err(|e| err("nombre", e))
}

/// The demo CA's subject (and issuer of every demo certificate).
pub fn ca_name() -> Result<Vec<u8>, DemoError> {
    name(&[
        (OID_CN, Tag::Utf8String, "AC DEMO HUELLA — NO ES DEL SAT"),
        (OID_O, Tag::Utf8String, "Huella (demostración, sin validez)"),
        (OID_C, Tag::PrintableString, "MX"),
    ])
}

/// Who a demo leaf certificate is for.
pub struct Holder<'a> {
    /// Full name (CN, name and O), accents allowed.
    pub name: &'a str,
    /// RFC (x500UniqueIdentifier).
    pub rfc: &'a str,
    /// CURP (serialNumber).
    pub curp: &'a str,
    /// e-mail in the subject.
    pub email: &'a str,
    /// The branch (OU): `Some` makes a CSD, `None` a FIEL.
    pub branch: Option<&'a str>,
}

/// The SAT subject layout for a persona física.
pub fn holder_name(h: &Holder<'_>) -> Result<Vec<u8>, DemoError> {
    let mut attrs: Vec<Attr<'_>> = vec![
        (OID_CN, Tag::Utf8String, h.name),
        (OID_NAME, Tag::Utf8String, h.name),
        (OID_O, Tag::Utf8String, h.name),
        (OID_C, Tag::PrintableString, "MX"),
        (OID_EMAIL, Tag::Ia5String, h.email),
        (OID_UNIQUE_ID, Tag::PrintableString, h.rfc),
        (OID_SERIAL, Tag::PrintableString, h.curp),
    ];
    if let Some(ou) = h.branch {
        attrs.push((OID_OU, Tag::Utf8String, ou));
    }
    name(&attrs)
}

/// What the certificate may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Certification authority: cA, keyCertSign, cRLSign.
    Ca,
    /// e.firma: digitalSignature, nonRepudiation, dataEncipherment, keyAgreement; EKU
    /// emailProtection + clientAuth.
    Fiel,
    /// Sello digital: digitalSignature + nonRepudiation only.
    Csd,
}

fn time(t: Timestamp) -> Result<Time, DemoError> {
    let secs = u64::try_from(t.unix()).map_err(|e| err("fecha", e))?;
    let dt = der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(|e| err("fecha", e))?;
    // UTCTime before 2050, GeneralizedTime after (RFC 5280 §4.1.2.5).
    Ok(Time::from(dt))
}

fn ext(oid: &str, critical: bool, value: Vec<u8>) -> Result<Extension, DemoError> {
    Ok(Extension {
        extn_id: ObjectIdentifier::new(oid).map_err(|e| err("OID", e))?,
        critical,
        extn_value: OctetString::new(value).map_err(|e| err("extensión", e))?,
    })
}

/// keyUsage BIT STRING from bit numbers (0 = digitalSignature … 6 = cRLSign), RFC 5280 §4.2.1.3.
fn key_usage(bits: &[u8]) -> Result<Vec<u8>, DemoError> {
    let mut v: u16 = 0;
    for b in bits {
        v |= 1 << (15 - u16::from(*b));
    }
    let bytes = v.to_be_bytes();
    let used = if bytes[1] == 0 { 1 } else { 2 };
    let last = bytes.get(used - 1).copied().unwrap_or(0);
    let unused = last.trailing_zeros().min(7) as u8;
    BitString::new(unused, bytes.get(..used).unwrap_or(&bytes))
        .and_then(|b| b.to_der())
        .map_err(|e| err("keyUsage", e))
}

fn extensions(profile: Profile) -> Result<Vec<Extension>, DemoError> {
    Ok(match profile {
        Profile::Ca => vec![
            // BasicConstraints { cA: TRUE }
            ext(
                OID_BASIC_CONSTRAINTS,
                true,
                vec![0x30, 0x03, 0x01, 0x01, 0xff],
            )?,
            ext(OID_KEY_USAGE, true, key_usage(&[5, 6])?)?,
        ],
        Profile::Fiel => vec![
            ext(OID_KEY_USAGE, true, key_usage(&[0, 1, 3, 4])?)?,
            // ExtKeyUsage: emailProtection, clientAuth
            ext(
                OID_EXT_KEY_USAGE,
                false,
                vec![
                    0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04, 0x06,
                    0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02,
                ],
            )?,
        ],
        Profile::Csd => vec![ext(OID_KEY_USAGE, true, key_usage(&[0, 1])?)?],
    })
}

/// A fresh RSA-2048 key from the operating system's generator.
pub fn new_key() -> Result<rsa::PrivateKey, DemoError> {
    rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).map_err(|e| err("RSA", e))
}

/// What to certify.
pub struct Spec<'a> {
    /// Subject Name DER (from [`name`], [`ca_name`] or [`holder_name`]).
    pub subject: Vec<u8>,
    /// Issuer Name DER (the subject itself for the CA).
    pub issuer: Vec<u8>,
    /// 20 ASCII digits: SAT's certificate number.
    pub serial_ascii: &'a str,
    /// Validity.
    pub not_before: Timestamp,
    /// Validity.
    pub not_after: Timestamp,
    /// CA, FIEL or CSD.
    pub profile: Profile,
}

/// Builds the certificate of `subject_key` and signs it with `issuer_key`
/// (sha256WithRSAEncryption, RFC 4055 §5).
pub fn certificate(
    spec: &Spec<'_>,
    subject_key: &rsa::PrivateKey,
    issuer_key: &rsa::PrivateKey,
) -> Result<Vec<u8>, DemoError> {
    let alg = AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new(OID_SHA256_RSA).map_err(|e| err("OID", e))?,
        parameters: Some(Any::null()),
    };
    let spki_der = subject_key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| err("SPKI", e))?;
    let serial = UintRef::new(spec.serial_ascii.as_bytes())
        .and_then(|s| s.to_der())
        .map_err(|e| err("serie", e))?;
    let any = |der: &[u8]| Any::from_der(der).map_err(|e| err("DER", e));
    let tbs = Tbs {
        version: 2,
        serial: any(&serial)?,
        signature: alg.clone(),
        issuer: any(&spec.issuer)?,
        validity: Validity {
            not_before: time(spec.not_before)?,
            not_after: time(spec.not_after)?,
        },
        subject: any(&spec.subject)?,
        spki: SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes())
            .map_err(|e| err("SPKI", e))?,
        extensions: extensions(spec.profile)?,
    };
    let tbs_der = tbs.to_der().map_err(|e| err("TBS", e))?;
    let digest = Sha256::digest(&tbs_der);
    let sig = issuer_key
        .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
        .map_err(|e| err("firma", e))?;
    Cert {
        tbs: any(&tbs_der)?,
        alg,
        sig: BitString::from_bytes(&sig).map_err(|e| err("firma", e))?,
    }
    .to_der()
    .map_err(|e| err("certificado", e))
}

/// The key as SAT-style `.key`: DER `EncryptedPrivateKeyInfo`, PBES2 with
/// PBKDF2-HMAC-SHA256 (2048 rounds, 16-byte salt) and AES-256-CBC.
pub fn encrypted_key(key: &rsa::PrivateKey, password: &str) -> Result<Vec<u8>, DemoError> {
    let plain = key.to_pkcs8_der().map_err(|e| err("PKCS#8", e))?;
    let (mut salt, mut iv) = ([0u8; 16], [0u8; 16]);
    getrandom::fill(&mut salt).map_err(|e| err("getrandom", e))?;
    getrandom::fill(&mut iv).map_err(|e| err("getrandom", e))?;
    let params =
        pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ROUNDS, &salt, iv)
            .map_err(|e| err("PBES2", e))?;
    let ct = params
        .encrypt(password.as_bytes(), plain.as_bytes())
        .map_err(|e| err("PBES2", e))?;
    pkcs8::EncryptedPrivateKeyInfoOwned {
        encryption_algorithm: params.into(),
        encrypted_data: OctetString::new(ct).map_err(|e| err("PKCS#8", e))?,
    }
    .to_der()
    .map_err(|e| err("PKCS#8", e))
}

/// 20 ASCII digits: `prefix` followed by random digits.
pub fn serial(prefix: &str) -> Result<String, DemoError> {
    let mut r = [0u8; 20];
    getrandom::fill(&mut r).map_err(|e| err("getrandom", e))?;
    let mut s: String = prefix.chars().take(20).collect();
    for b in r.iter().take(20usize.saturating_sub(s.len())) {
        s.push(char::from(b'0' + b % 10));
    }
    Ok(s)
}
