//! PKCS#12 / `.pfx` files (RFC 7292) holding an RSA key and its certificate.
//!
//! Supported protections: PBES2 (what OpenSSL 3 writes by default: PBKDF2-HMAC-SHA256 +
//! AES-256-CBC) and the legacy `pbeWithSHAAnd3-KeyTripleDES-CBC` (RFC 7292 App. C, Windows
//! exports), whose key comes from the PKCS#12 KDF of App. B.2 with a BMPString password.
//! Bags encrypted with 40-bit RC2 are refused as `unsupported_algorithm`. The MAC is not
//! checked: a wrong password already fails decryption of the key bag.

use crate::key::{Opened, PrivateKey};
use crate::{password, Error, Result};
use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use const_oid::ObjectIdentifier;
use der::asn1::{Any, OctetString};
use der::{Decode, Encode, Sequence};
use sha1::{Digest, Sha1};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const X509_CERT: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const PBE_SHA1_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");

/// `PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData MacData OPTIONAL }`
#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: Option<Any>,
}

/// `SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }`
#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    bag_attributes: Option<Any>,
}

/// `CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT OCTET STRING }`
#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: OctetString,
}

/// `EncryptedPrivateKeyInfo` with any algorithm (PKCS#12 PBEs are not PKCS#5 schemes).
#[derive(Sequence)]
struct ShroudedKey {
    alg: AlgorithmIdentifierOwned,
    data: OctetString,
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`
#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: u32,
}

pub(crate) fn looks_like_pfx(bytes: &[u8]) -> bool {
    Pfx::from_der(bytes).is_ok()
}

pub(crate) fn open(bytes: &[u8], password: &str) -> Result<Opened> {
    let corrupt = |_| Error::CorruptKey("PKCS#12 inválido");
    let pfx = Pfx::from_der(bytes).map_err(corrupt)?;
    let _ = (&pfx.version, &pfx.mac_data);
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(Error::UnsupportedAlgorithm(
            "PKCS#12 con firma de llave pública".into(),
        ));
    }
    let safe = pfx
        .auth_safe
        .content
        .decode_as::<OctetString>()
        .map_err(corrupt)?;
    let contents: Vec<ContentInfo> = Vec::from_der(safe.as_bytes()).map_err(corrupt)?;
    let mut key = None;
    let mut certificate = None;
    let mut cert_error = None;
    for ci in contents {
        let bags_der: Zeroizing<Vec<u8>> = if ci.content_type == ID_DATA {
            Zeroizing::new(
                ci.content
                    .decode_as::<OctetString>()
                    .map_err(corrupt)?
                    .into_bytes()
                    .into_vec(),
            )
        } else if ci.content_type == ID_ENCRYPTED_DATA {
            let ed: EncryptedData = ci.content.decode_as().map_err(corrupt)?;
            let info = ed.enc_content_info;
            let data = info
                .encrypted_content
                .ok_or(Error::CorruptKey("PKCS#12 vacío"))?;
            match decrypt(&info.content_enc_alg, data.as_bytes(), password) {
                Ok(plain) => plain,
                // The certificate bag may use a cipher we lack (RC2); the key may still open.
                Err(e @ Error::UnsupportedAlgorithm(_)) => {
                    cert_error = Some(e);
                    continue;
                }
                Err(e) => return Err(e),
            }
        } else {
            continue;
        };
        // Garbage after a decryption that happened to end in valid padding: wrong password.
        let bags: Vec<SafeBag> = Vec::from_der(&bags_der).map_err(|_| match ci.content_type {
            ID_DATA => Error::CorruptKey("PKCS#12 inválido"),
            _ => Error::BadPassword,
        })?;
        for bag in bags {
            let _ = &bag.bag_attributes;
            match bag.bag_id {
                id if id == KEY_BAG => {
                    let der = Zeroizing::new(bag.bag_value.to_der().map_err(corrupt)?);
                    key = Some(PrivateKey::from_pkcs8_der(&der)?);
                }
                id if id == SHROUDED_KEY_BAG => {
                    let shrouded: ShroudedKey = bag.bag_value.decode_as().map_err(corrupt)?;
                    let plain = decrypt(&shrouded.alg, shrouded.data.as_bytes(), password)?;
                    key = Some(PrivateKey::from_pkcs8_der(&plain).map_err(|e| match e {
                        Error::UnsupportedAlgorithm(_) => e,
                        _ => Error::BadPassword,
                    })?);
                }
                id if id == CERT_BAG && certificate.is_none() => {
                    let cb: CertBag = bag.bag_value.decode_as().map_err(corrupt)?;
                    if cb.cert_id == X509_CERT {
                        certificate = Some(cb.cert_value.into_bytes().into_vec());
                    }
                }
                _ => {}
            }
        }
    }
    match key {
        Some(key) => Ok(Opened { key, certificate }),
        None => {
            Err(cert_error.unwrap_or(Error::CorruptKey("el PKCS#12 no contiene clave privada")))
        }
    }
}

/// Decrypts an EncryptedData body (PBES2 or PKCS#12 3DES).
fn decrypt(
    alg: &AlgorithmIdentifierOwned,
    data: &[u8],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    if alg.oid == PBES2 {
        let der = der::Encode::to_der(alg).map_err(|_| Error::CorruptKey("algoritmo"))?;
        let scheme = pkcs5::EncryptionScheme::from_der(&der)
            .map_err(|_| Error::CorruptKey("parámetros PBES2 inválidos"))?;
        for candidate in password::candidates(password) {
            let mut buf = Zeroizing::new(data.to_vec());
            if let Ok(plain) = scheme.decrypt_in_place(candidate.as_slice(), &mut buf) {
                let n = plain.len();
                buf.truncate(n);
                return Ok(buf);
            }
        }
        return Err(Error::BadPassword);
    }
    if alg.oid == PBE_SHA1_3DES {
        let params: Pkcs12PbeParams = alg
            .parameters
            .as_ref()
            .ok_or(Error::CorruptKey("faltan parámetros PBE"))?
            .decode_as()
            .map_err(|_| Error::CorruptKey("parámetros PBE inválidos"))?;
        if params.iterations == 0 || params.iterations > 10_000_000 {
            return Err(Error::CorruptKey("iteraciones PBE fuera de rango"));
        }
        let salt = params.salt.as_bytes();
        let pw = bmp_password(password);
        let key = pkcs12_kdf(&pw, salt, 1, params.iterations, 24);
        let iv = pkcs12_kdf(&pw, salt, 2, params.iterations, 8);
        let mut buf = Zeroizing::new(data.to_vec());
        let n = cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|_| Error::CorruptKey("clave 3DES"))?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| Error::BadPassword)?
            .len();
        buf.truncate(n);
        return Ok(buf);
    }
    Err(Error::UnsupportedAlgorithm(format!(
        "cifrado PKCS#12 {}",
        alg.oid
    )))
}

/// The password as a NUL-terminated BMPString (RFC 7292 App. B.1).
fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// PKCS#12 key derivation (RFC 7292 App. B.2) with SHA-1 (u = 20, v = 64).
fn pkcs12_kdf(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    const V: usize = 64;
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let n = V * src.len().div_ceil(V);
        src.iter().cycle().take(n).copied().collect()
    };
    let mut i = Zeroizing::new(fill(salt));
    i.extend_from_slice(&fill(password));
    let d = [id; V];
    let mut out = Zeroizing::new(Vec::with_capacity(len + 20));
    while out.len() < len {
        let mut a = Sha1::new()
            .chain_update(d)
            .chain_update(i.as_slice())
            .finalize();
        for _ in 1..iterations {
            a = Sha1::digest(a);
        }
        out.extend_from_slice(&a);
        let b: Vec<u8> = a.iter().cycle().take(V).copied().collect();
        for chunk in i.chunks_mut(V) {
            // chunk = (chunk + b + 1) mod 2^(8v)
            let mut carry = 1u16;
            for (x, y) in chunk.iter_mut().rev().zip(b.iter().rev()) {
                let s = *x as u16 + *y as u16 + carry;
                *x = s as u8;
                carry = s >> 8;
            }
        }
    }
    out.truncate(len);
    out
}
