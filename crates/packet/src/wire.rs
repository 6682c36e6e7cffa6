//! The packet on the wire (design.md §4) and the strict CMS profile its signature must follow.
//!
//! ```json
//! { "format": "huella.packet/1",
//!   "payload": "<base64url of the exact signed bytes: a UTF-8 JSON manifest>",
//!   "signature": "<base64 DER detached CMS SignedData over those bytes>",
//!   "attachments": { "face": {"alg": "...", "kid": "...", "enc": "...", "ct": "..."}, ... } }
//! ```
//!
//! The profile (RFC 5652 §5 as `efirma` produces it): SignedData v1, exactly one digest
//! algorithm (SHA-256), detached `id-data` content, no CRLs, exactly one SignerInfo, and DER
//! that re-encodes to the very same bytes — so no byte of the signature can change unnoticed.

use crate::seal::Sealed;
use crate::{Error, Result};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::SignedData;
use const_oid::db::{rfc5911, rfc5912};
use der::{Decode, Encode, Tagged};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The format tag of this version.
pub const FORMAT: &str = "huella.packet/1";

/// A packet as JSON: exactly what `build` writes and `POST /api/v1/packets` takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packet {
    /// Always [`FORMAT`].
    pub format: String,
    /// base64url (no padding) of the signed manifest bytes.
    pub payload: String,
    /// base64 of the DER CMS signature.
    pub signature: String,
    /// Sealed attachments by slot name.
    #[serde(default)]
    pub attachments: BTreeMap<String, Sealed>,
}

/// The decoded envelope: raw payload and signature bytes.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The signed bytes, verbatim.
    pub payload: Vec<u8>,
    /// DER CMS SignedData.
    pub signature: Vec<u8>,
}

impl Packet {
    /// Parses packet JSON (`bad_format` if it is not one).
    pub fn from_json(bytes: &[u8]) -> Result<Packet> {
        serde_json::from_slice(bytes).map_err(|e| Error::BadFormat(format!("JSON: {e}")))
    }

    /// Serialises to JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Wraps payload and signature bytes.
    pub fn new(payload: &[u8], signature: &[u8], attachments: BTreeMap<String, Sealed>) -> Self {
        Packet {
            format: FORMAT.into(),
            payload: URL_SAFE_NO_PAD.encode(payload),
            signature: STANDARD.encode(signature),
            attachments,
        }
    }

    /// Checks the format tag and decodes payload and signature.
    pub fn envelope(&self) -> Result<Envelope> {
        if self.format != FORMAT {
            return Err(Error::BadFormat(format!(
                "formato `{}`, se esperaba `{FORMAT}`",
                self.format
            )));
        }
        let payload = URL_SAFE_NO_PAD
            .decode(self.payload.trim_end_matches('='))
            .map_err(|_| Error::BadFormat("payload no es base64url".into()))?;
        let signature = STANDARD
            .decode(&self.signature)
            .map_err(|_| Error::BadFormat("signature no es base64".into()))?;
        Ok(Envelope { payload, signature })
    }
}

impl Envelope {
    /// SHA-256 (hex) identifying the packet: over the payload and signature bytes (the
    /// manifest signs every attachment's sealed digest, so this covers them too).
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        h.update((self.payload.len() as u64).to_be_bytes());
        h.update(&self.payload);
        h.update(&self.signature);
        hex::encode(h.finalize())
    }
}

fn off(why: &str) -> Error {
    Error::BadSignature(format!("la firma no sigue el perfil CMS de Huella: {why}"))
}

/// Enforces the strict CMS profile described in the module docs.
pub fn check_cms_profile(sig: &[u8]) -> Result<()> {
    let ci = ContentInfo::from_der(sig).map_err(|_| off("ContentInfo ilegible"))?;
    if ci.to_der().ok().as_deref() != Some(sig) {
        return Err(off("DER no canónico"));
    }
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(off("no es SignedData"));
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|_| off("SignedData ilegible"))?;
    if sd.version != CmsVersion::V1 {
        return Err(off("versión"));
    }
    let mut algs = sd.digest_algorithms.iter();
    match (algs.next(), algs.next()) {
        (Some(a), None) if a.oid == rfc5912::ID_SHA_256 => {
            if a.parameters
                .as_ref()
                .is_some_and(|p| p.tag() != der::Tag::Null)
            {
                return Err(off("parámetros del digest"));
            }
        }
        _ => return Err(off("digestAlgorithms debe ser solo SHA-256")),
    }
    if sd.encap_content_info.econtent_type != rfc5911::ID_DATA
        || sd.encap_content_info.econtent.is_some()
    {
        return Err(off("contenido encapsulado"));
    }
    if sd.crls.is_some() || sd.signer_infos.0.len() != 1 {
        return Err(off("un solo firmante, sin CRL"));
    }
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| off("sin firmante"))?;
    if si.version != CmsVersion::V1 || si.unsigned_attrs.is_some() {
        return Err(off("SignerInfo"));
    }
    // Parameters nobody checks cryptographically must be exactly absent or NULL.
    if !null_or_absent(&si.digest_alg.parameters)
        || !null_or_absent(&si.signature_algorithm.parameters)
    {
        return Err(off("parámetros de algoritmo"));
    }
    // RFC 5280 §4.1.1.2: a certificate's outer signatureAlgorithm MUST equal the signed
    // `tbsCertificate.signature` (the outer copy is not covered by the issuer's signature).
    for choice in sd.certificates.iter().flat_map(|c| c.0.iter()) {
        match choice {
            CertificateChoices::Certificate(c)
                if c.signature_algorithm() == c.tbs_certificate().signature() => {}
            _ => return Err(off("certificado embebido")),
        }
    }
    Ok(())
}

fn null_or_absent(p: &Option<der::Any>) -> bool {
    p.as_ref()
        .is_none_or(|p| p.tag() == der::Tag::Null && p.value().is_empty())
}
