//! Private keys as SAT and other tools write them.
//!
//! Accepted, DER or PEM:
//! - PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3) with PBES2 (RFC 8018 §6.2): what SAT issues
//!   (PBKDF2-HMAC-SHA1 with no PRF field + DES-EDE3-CBC), and the AES-128/256-CBC +
//!   HMAC-SHA256 variants modern OpenSSL writes;
//! - unencrypted PKCS#8 `PrivateKeyInfo` and PKCS#1 `RSAPrivateKey`;
//! - OpenSSL's traditional encrypted PEM (`BEGIN RSA PRIVATE KEY` + `DEK-Info`, RFC 1421 style,
//!   key from `EVP_BytesToKey` with MD5): see [`crate::legacy_pem`];
//! - PKCS#12 / `.pfx` holding the key (and usually the certificate): see [`crate::pfx`].
//!
//! A wrong password is told apart from a damaged file as far as each format allows: if the
//! container parses but decryption fails (bad padding) or yields no valid key, the answer is
//! `bad_password`; if the container itself does not parse, `corrupt_key`.

use crate::{password, Error, Result};
use der::Decode;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::PrivateKey as RsaPrivateKey;
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// A decrypted RSA private key. Its memory is wiped on drop; `Debug` never shows it.
///
/// Opening only checks the structure and keeps the PKCS#8 bytes plus the public half: the
/// RSA precomputation (CRT values), costly in WASM, happens on the first pure-Rust signature.
/// The WebCrypto path never needs it.
pub struct PrivateKey {
    pkcs8: Zeroizing<Vec<u8>>,
    /// Modulus and public exponent, big-endian without leading zeros.
    modulus: Vec<u8>,
    exponent: Vec<u8>,
    rsa: OnceLock<RsaPrivateKey>,
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey([redacted])")
    }
}

/// What a key file turned out to hold.
pub(crate) struct Opened {
    pub key: PrivateKey,
    /// A certificate found next to the key (PKCS#12 only).
    pub certificate: Option<Vec<u8>>,
}

pub(crate) fn strip_zeros(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&x| x == 0).count();
    &b[n..]
}

impl PrivateKey {
    pub(crate) fn from_rsa(rsa: RsaPrivateKey) -> Result<Self> {
        let doc = rsa
            .to_pkcs8_der()
            .map_err(|_| Error::CorruptKey("no se pudo codificar la clave"))?;
        let key = Self::from_pkcs8_der(doc.as_bytes())?;
        let _ = key.rsa.set(rsa);
        Ok(key)
    }

    /// From unencrypted PKCS#8 `PrivateKeyInfo` DER.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        let info = PrivateKeyInfoRef::from_der(der)
            .map_err(|_| Error::CorruptKey("PrivateKeyInfo inválido"))?;
        if info.algorithm.oid != const_oid::db::rfc5912::RSA_ENCRYPTION {
            return Err(Error::UnsupportedAlgorithm(format!(
                "clave {} (solo RSA)",
                info.algorithm.oid
            )));
        }
        let rsa = pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes())
            .map_err(|_| Error::CorruptKey("clave RSA inválida"))?;
        Ok(PrivateKey {
            pkcs8: Zeroizing::new(der.to_vec()),
            modulus: strip_zeros(rsa.modulus.as_bytes()).to_vec(),
            exponent: strip_zeros(rsa.public_exponent.as_bytes()).to_vec(),
            rsa: OnceLock::new(),
        })
    }

    /// The RSA key, for signing (precomputed on first use).
    pub(crate) fn rsa(&self) -> Result<&RsaPrivateKey> {
        if let Some(k) = self.rsa.get() {
            return Ok(k);
        }
        let k = RsaPrivateKey::from_pkcs8_der(&self.pkcs8)
            .map_err(|_| Error::CorruptKey("clave RSA inválida"))?;
        Ok(self.rsa.get_or_init(|| k))
    }

    /// Unencrypted PKCS#8 DER, for importing into WebCrypto as a non-extractable key.
    /// The caller must wipe its copy at once.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// Modulus and public exponent (big-endian, no leading zeros).
    pub(crate) fn public_parts(&self) -> (&[u8], &[u8]) {
        (&self.modulus, &self.exponent)
    }
}

/// Opens a key file in any supported format with `password`.
pub(crate) fn open(bytes: &[u8], password: &str) -> Result<Opened> {
    if crate::pem::looks_like_pem(bytes) {
        return open_pem(bytes, password);
    }
    if let Ok(epki) = EncryptedPrivateKeyInfoRef::from_der(bytes) {
        return decrypt_pkcs8(&epki, password).map(only_key);
    }
    if PrivateKeyInfoRef::from_der(bytes).is_ok() {
        return PrivateKey::from_pkcs8_der(bytes).map(only_key);
    }
    if let Ok(rsa) = RsaPrivateKey::from_pkcs1_der(bytes) {
        return PrivateKey::from_rsa(rsa).map(only_key);
    }
    if crate::pfx::looks_like_pfx(bytes) {
        return crate::pfx::open(bytes, password);
    }
    Err(Error::CorruptKey("formato no reconocido"))
}

fn only_key(key: PrivateKey) -> Opened {
    Opened {
        key,
        certificate: None,
    }
}

fn open_pem(bytes: &[u8], password: &str) -> Result<Opened> {
    let block = crate::pem::parse(bytes).map_err(|_| Error::CorruptKey("PEM ilegible"))?;
    match block.label.as_str() {
        "ENCRYPTED PRIVATE KEY" => {
            let epki = EncryptedPrivateKeyInfoRef::from_der(&block.der)
                .map_err(|_| Error::CorruptKey("EncryptedPrivateKeyInfo inválido"))?;
            decrypt_pkcs8(&epki, password).map(only_key)
        }
        "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&block.der).map(only_key),
        "RSA PRIVATE KEY" => crate::legacy_pem::open(&block, password).map(only_key),
        "PKCS12" => crate::pfx::open(&block.der, password),
        other => Err(Error::CorruptKey(if other.contains("CERTIFICATE") {
            "el archivo contiene un certificado, no una clave"
        } else {
            "PEM sin clave privada"
        })),
    }
}

/// Decrypts PBES2 trying each password encoding (see [`crate::password`]).
pub(crate) fn decrypt_pkcs8(
    epki: &EncryptedPrivateKeyInfoRef<'_>,
    password: &str,
) -> Result<PrivateKey> {
    let scheme = &epki.encryption_algorithm;
    let ciphertext = epki.encrypted_data.as_bytes();
    for candidate in password::candidates(password) {
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        match scheme.decrypt_in_place(candidate.as_slice(), &mut buf) {
            Ok(plain) => {
                // Padding can come out valid by chance with a wrong password (1 in 256):
                // only a key that parses counts as success.
                match PrivateKey::from_pkcs8_der(plain) {
                    Ok(key) => return Ok(key),
                    Err(e @ Error::UnsupportedAlgorithm(_)) => return Err(e),
                    Err(_) => {}
                }
            }
            Err(pkcs5::Error::UnsupportedAlgorithm { oid }) => {
                return Err(Error::UnsupportedAlgorithm(format!("cifrado {oid}")))
            }
            Err(pkcs5::Error::NoPbes1CryptSupport) => {
                return Err(Error::UnsupportedAlgorithm("PBES1".into()))
            }
            Err(pkcs5::Error::AlgorithmParametersInvalid { .. }) => {
                return Err(Error::CorruptKey("parámetros de cifrado inválidos"))
            }
            Err(_) => {}
        }
    }
    Err(Error::BadPassword)
}
