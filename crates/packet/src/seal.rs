//! Sealed attachments: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! export-only (suite 0x0020, 0x0001, 0xFFFF), plus ChaCha20-Poly1305 (RFC 8439).
//!
//! One encapsulation per packet (one X25519 for the sender and one for the server, instead
//! of one per attachment): each attachment's 256-bit key is the HPKE secret export (RFC 9180
//! §5.3) with context `"huella attachment key" || 0 || name`, used once with a zero nonce.
//!
//! Biometric attachments are encrypted to the server's published key before they are stored
//! or queued on a device. Each [`Sealed`] carries the key id (`kid`) it was sealed to, so the
//! server can rotate its key and still open packets queued under an older one (it keeps old
//! private keys in its [`Keyring`]). The attachment's name and the `kid` are the AEAD's
//! associated data, so a ciphertext cannot be moved to another slot unnoticed.

use crate::{Error, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use hpke::aead::ExportOnlyAead;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Name of the suite, as written in [`Sealed::alg`] and [`PublicKey::alg`].
pub const SUITE: &str = "HPKE-Base-X25519-SHA256-Export/ChaCha20Poly1305";
const INFO: &[u8] = b"huella.packet/1 sealed attachment";

type Kem = X25519HkdfSha256;

/// An attachment encrypted to the server (the JSON value under `attachments.NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// Always [`SUITE`].
    pub alg: String,
    /// Id of the server key it was sealed to.
    pub kid: String,
    /// HPKE encapsulated key, base64.
    pub enc: String,
    /// Ciphertext with the AEAD tag, base64.
    pub ct: String,
}

/// A server public key, as published at `GET /api/v1/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    /// Key id: the first 16 hex digits of SHA-256 of the raw public key.
    pub kid: String,
    /// Always [`SUITE`].
    pub alg: String,
    /// Raw X25519 public key, base64.
    pub key: String,
}

/// Private keys the server can open with (current first, then older ones).
#[derive(Default)]
pub struct Keyring {
    keys: Vec<(String, <Kem as hpke::Kem>::PrivateKey, PublicKey)>,
}

impl core::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|k| k.0.as_str()).collect();
        f.debug_struct("Keyring").field("kids", &kids).finish()
    }
}

fn kid_of(public: &[u8]) -> String {
    hex::encode(&Sha256::digest(public)[..8])
}

impl PublicKey {
    fn decode(&self) -> Result<<Kem as hpke::Kem>::PublicKey> {
        if self.alg != SUITE {
            return Err(Error::Build(format!("suite no soportada: {}", self.alg)));
        }
        let raw = B64
            .decode(&self.key)
            .map_err(|_| Error::Build("llave pública del servidor ilegible".into()))?;
        if kid_of(&raw) != self.kid {
            return Err(Error::Build("kid no corresponde a la llave".into()));
        }
        <Kem as hpke::Kem>::PublicKey::from_bytes(&raw)
            .map_err(|_| Error::Build("llave pública del servidor inválida".into()))
    }
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Generates a fresh 32-byte secret (to store) for [`Keyring::add_secret`].
    pub fn generate_secret() -> Result<Zeroizing<[u8; 32]>> {
        let mut ikm = Zeroizing::new([0u8; 32]);
        getrandom::fill(ikm.as_mut_slice())
            .map_err(|_| Error::Build("sin fuente de aleatoriedad".into()))?;
        Ok(ikm)
    }

    /// Adds a key derived from a 32-byte secret (RFC 9180 §7.1.3 `DeriveKeyPair`).
    /// The first key added is the current one (used by [`Keyring::current`]).
    pub fn add_secret(&mut self, secret: &[u8]) -> Result<PublicKey> {
        if secret.len() < 32 {
            return Err(Error::Build("secreto HPKE demasiado corto".into()));
        }
        let (sk, pk) = Kem::derive_keypair(secret);
        let raw = pk.to_bytes();
        let public = PublicKey {
            kid: kid_of(&raw),
            alg: SUITE.into(),
            key: B64.encode(raw.as_slice()),
        };
        self.keys.push((public.kid.clone(), sk, public.clone()));
        Ok(public)
    }

    /// The key new packets should be sealed to.
    pub fn current(&self) -> Option<&PublicKey> {
        self.keys.first().map(|k| &k.2)
    }

    /// Every public key, current first (what `GET /api/v1/keys` publishes).
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys.iter().map(|k| k.2.clone()).collect()
    }

    /// Opens a sealed attachment stored under `name`.
    pub fn open(&self, name: &str, sealed: &Sealed) -> Result<Vec<u8>> {
        let (enc, ct) = sealed
            .decode()
            .map_err(|_| Error::Unseal(format!("{name}: base64 inválido")))?;
        let mut out = self.open_many(&[(name, sealed, &enc, &ct)])?;
        out.pop().ok_or_else(|| Error::Unseal(name.into()))
    }

    /// Opens several already-decoded attachments `(name, sealed, enc, ct)`, decapsulating
    /// once per distinct `(kid, enc)` (one per packet).
    pub fn open_many(&self, items: &[(&str, &Sealed, &[u8], &[u8])]) -> Result<Vec<Vec<u8>>> {
        let mut contexts: Vec<(&str, &[u8], Ctx)> = Vec::new();
        let mut out = Vec::with_capacity(items.len());
        for (name, sealed, enc, ct) in items {
            if sealed.alg != SUITE {
                return Err(Error::Unseal(format!("{name}: suite no soportada")));
            }
            let idx = match contexts
                .iter()
                .position(|c| c.0 == sealed.kid && c.1 == *enc)
            {
                Some(i) => i,
                None => {
                    let (_, sk, _) =
                        self.keys
                            .iter()
                            .find(|k| k.0 == sealed.kid)
                            .ok_or_else(|| {
                                Error::Unseal(format!("{name}: llave {} desconocida", sealed.kid))
                            })?;
                    let encapped =
                        <Kem as hpke::Kem>::EncappedKey::from_bytes(enc).map_err(|_| {
                            Error::Unseal(format!("{name}: clave encapsulada inválida"))
                        })?;
                    let ctx = hpke::setup_receiver::<ExportOnlyAead, HkdfSha256, Kem>(
                        &OpModeR::Base,
                        sk,
                        &encapped,
                        INFO,
                    )
                    .map_err(|_| Error::Unseal(format!("{name}: no se pudo desencapsular")))?;
                    contexts.push((sealed.kid.as_str(), enc, Ctx::R(ctx)));
                    contexts.len() - 1
                }
            };
            let key = contexts[idx].2.key(name)?;
            let plain = chacha20poly1305::ChaCha20Poly1305::new_from_slice(key.as_slice())
                .map_err(|_| Error::Unseal(format!("{name}: llave inválida")))?
                .decrypt(
                    &chacha20poly1305::Nonce::default(),
                    Payload {
                        msg: ct,
                        aad: &aad(name, &sealed.kid),
                    },
                )
                .map_err(|_| Error::Unseal(format!("{name}: el cifrado no abre")))?;
            out.push(plain);
        }
        Ok(out)
    }
}

enum Ctx {
    R(hpke::aead::AeadCtxR<ExportOnlyAead, HkdfSha256, Kem>),
    S(hpke::aead::AeadCtxS<ExportOnlyAead, HkdfSha256, Kem>),
}

impl Ctx {
    fn key(&self, name: &str) -> Result<Zeroizing<[u8; 32]>> {
        let mut info = b"huella attachment key\0".to_vec();
        info.extend_from_slice(name.as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        let r = match self {
            Ctx::R(c) => c.export(&info, key.as_mut_slice()),
            Ctx::S(c) => c.export(&info, key.as_mut_slice()),
        };
        r.map_err(|_| Error::Unseal(format!("{name}: exportación HPKE")))?;
        Ok(key)
    }
}

fn aad(name: &str, kid: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + kid.len() + 1);
    v.extend_from_slice(name.as_bytes());
    v.push(0);
    v.extend_from_slice(kid.as_bytes());
    v
}

/// Seals `plaintext` for the attachment slot `name` to the server key `to`.
pub fn seal(name: &str, plaintext: &[u8], to: &PublicKey) -> Result<Sealed> {
    let mut v = seal_all(&[(name, plaintext)], to)?;
    v.pop()
        .ok_or_else(|| Error::Build("no se pudo cifrar el adjunto".into()))
}

/// Seals every `(name, plaintext)` of one packet with a single HPKE encapsulation.
pub fn seal_all(items: &[(&str, &[u8])], to: &PublicKey) -> Result<Vec<Sealed>> {
    let pk = to.decode()?;
    let (enc, ctx) =
        hpke::setup_sender::<ExportOnlyAead, HkdfSha256, Kem>(&OpModeS::Base, &pk, INFO)
            .map_err(|_| Error::Build("no se pudo encapsular la llave".into()))?;
    let enc_b64 = B64.encode(enc.to_bytes().as_slice());
    let ctx = Ctx::S(ctx);
    let mut out = Vec::with_capacity(items.len());
    for (name, plaintext) in items {
        let key = ctx.key(name).map_err(|e| Error::Build(e.to_string()))?;
        let ct = chacha20poly1305::ChaCha20Poly1305::new_from_slice(key.as_slice())
            .map_err(|_| Error::Build("llave inválida".into()))?
            .encrypt(
                &chacha20poly1305::Nonce::default(),
                Payload {
                    msg: plaintext,
                    aad: &aad(name, &to.kid),
                },
            )
            .map_err(|_| Error::Build("no se pudo cifrar el adjunto".into()))?;
        out.push(Sealed {
            alg: SUITE.into(),
            kid: to.kid.clone(),
            enc: enc_b64.clone(),
            ct: B64.encode(ct),
        });
    }
    Ok(out)
}

impl Sealed {
    /// The decoded `enc` and `ct`.
    pub fn decode(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let bad = |_| Error::BadFormat("adjunto: base64 inválido".into());
        Ok((
            B64.decode(&self.enc).map_err(bad)?,
            B64.decode(&self.ct).map_err(bad)?,
        ))
    }

    /// SHA-256 (hex) over `enc || ct` as decoded bytes: what the manifest's `sealed_sha256`
    /// signs, checkable by anyone without the server's key.
    pub fn digest(&self) -> Result<String> {
        let (enc, ct) = self.decode()?;
        Ok(digest_of(&enc, &ct))
    }
}

/// SHA-256 (hex) of `enc || ct`.
pub fn digest_of(enc: &[u8], ct: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(enc);
    h.update(ct);
    hex::encode(h.finalize())
}
