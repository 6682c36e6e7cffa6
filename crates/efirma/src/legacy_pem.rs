//! OpenSSL's "traditional" encrypted PEM keys: `-----BEGIN RSA PRIVATE KEY-----` with
//! `Proc-Type: 4,ENCRYPTED` and `DEK-Info: <cipher>,<hex IV>` headers (the RFC 1421 layout).
//!
//! The key is OpenSSL's `EVP_BytesToKey` with MD5, one iteration, salt = the first 8 IV bytes:
//! `D1 = MD5(password ‖ salt)`, `Di = MD5(Di-1 ‖ password ‖ salt)`, key = D1 ‖ D2 ‖ … truncated.
//! The body is a PKCS#1 `RSAPrivateKey` encrypted in CBC mode with PKCS#7 padding.

use crate::key::PrivateKey;
use crate::pem::Block;
use crate::{password, Error, Result};
use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
use md5::{Digest, Md5};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::PrivateKey as RsaPrivateKey;
use zeroize::Zeroizing;

#[derive(Clone, Copy)]
enum Cipher {
    DesEde3,
    Aes128,
    Aes192,
    Aes256,
}

impl Cipher {
    fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_uppercase().as_str() {
            "DES-EDE3-CBC" => Ok(Cipher::DesEde3),
            "AES-128-CBC" => Ok(Cipher::Aes128),
            "AES-192-CBC" => Ok(Cipher::Aes192),
            "AES-256-CBC" => Ok(Cipher::Aes256),
            other => Err(Error::UnsupportedAlgorithm(format!("DEK-Info {other}"))),
        }
    }
    fn key_len(self) -> usize {
        match self {
            Cipher::DesEde3 | Cipher::Aes192 => 24,
            Cipher::Aes128 => 16,
            Cipher::Aes256 => 32,
        }
    }
    fn iv_len(self) -> usize {
        match self {
            Cipher::DesEde3 => 8,
            _ => 16,
        }
    }
}

/// Opens a `BEGIN RSA PRIVATE KEY` block, encrypted or not.
pub(crate) fn open(block: &Block, password: &str) -> Result<PrivateKey> {
    let header = |name: &str| {
        block
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let encrypted = header("Proc-Type").is_some_and(|v| v.contains("ENCRYPTED"));
    if !encrypted {
        let rsa = RsaPrivateKey::from_pkcs1_der(&block.der)
            .map_err(|_| Error::CorruptKey("RSAPrivateKey inválido"))?;
        return PrivateKey::from_rsa(rsa);
    }
    let dek = header("DEK-Info").ok_or(Error::CorruptKey("falta DEK-Info"))?;
    let (name, iv_hex) = dek
        .split_once(',')
        .ok_or(Error::CorruptKey("DEK-Info inválido"))?;
    let cipher = Cipher::parse(name.trim())?;
    let iv = decode_hex(iv_hex.trim()).ok_or(Error::CorruptKey("IV inválido"))?;
    if iv.len() != cipher.iv_len()
        || block.der.is_empty()
        || !block.der.len().is_multiple_of(cipher.iv_len())
    {
        return Err(Error::CorruptKey("longitud de IV o de datos inválida"));
    }
    for candidate in password::candidates(password) {
        let key = evp_bytes_to_key(&candidate, &iv[..8], cipher.key_len());
        let mut buf = Zeroizing::new(block.der.to_vec());
        if let Some(plain) = decrypt(cipher, &key, &iv, &mut buf) {
            if let Ok(rsa) = RsaPrivateKey::from_pkcs1_der(plain) {
                return PrivateKey::from_rsa(rsa);
            }
        }
    }
    Err(Error::BadPassword)
}

fn decrypt<'a>(cipher: Cipher, key: &[u8], iv: &[u8], buf: &'a mut [u8]) -> Option<&'a [u8]> {
    fn run<'a, C>(key: &[u8], iv: &[u8], buf: &'a mut [u8]) -> Option<&'a [u8]>
    where
        cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
        C: cbc::cipher::BlockCipherDecrypt,
    {
        cbc::Decryptor::<C>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(buf)
            .ok()
    }
    match cipher {
        Cipher::DesEde3 => run::<des::TdesEde3>(key, iv, buf),
        Cipher::Aes128 => run::<aes::Aes128>(key, iv, buf),
        Cipher::Aes192 => run::<aes::Aes192>(key, iv, buf),
        Cipher::Aes256 => run::<aes::Aes256>(key, iv, buf),
    }
}

/// OpenSSL `EVP_BytesToKey(cipher, EVP_md5(), salt, password, count = 1)`, key part only.
fn evp_bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut prev: Option<Zeroizing<Vec<u8>>> = None;
    while out.len() < len {
        let mut h = Md5::new();
        if let Some(p) = &prev {
            h.update(p.as_slice());
        }
        h.update(password);
        h.update(salt);
        let d = Zeroizing::new(h.finalize().to_vec());
        out.extend_from_slice(&d);
        prev = Some(d);
    }
    out.truncate(len);
    out
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
