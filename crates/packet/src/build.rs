//! Building a packet: fill in `issued_at`, `nonce`, `signer` and the attachments' digests,
//! seal the attachments to the server's key, serialise the manifest once and sign those bytes.

use crate::manifest::{AttachmentInfo, Device, Manifest, Signer};
use crate::seal::{seal_all, PublicKey};
use crate::validate::{validate, Rules, Warning};
use crate::wire::Packet;
use crate::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use efirma::{Credential, Timestamp};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// An attachment to include, in plaintext (it is sealed by [`build`]).
#[derive(Debug, Clone, Default)]
pub struct NewAttachment {
    /// Slot name, e.g. `face` or `finger.1`.
    pub name: String,
    /// Media type; when empty, guessed from the name (`face` → JPEG, `finger.*` → WSQ).
    pub media_type: String,
    /// The plaintext bytes.
    pub bytes: Vec<u8>,
    /// Resolution (fingerprints).
    pub ppi: Option<u32>,
    /// Quality report.
    pub quality: Option<serde_json::Value>,
    /// Capture device.
    pub device: Option<Device>,
}

/// Everything `build` needs besides the manifest and the attachments.
pub struct BuildOptions<'a> {
    /// The signer's credential (a FIEL).
    pub credential: &'a Credential,
    /// Signing time, written as `issued_at` and as the CMS `signingTime`.
    pub at: Timestamp,
    /// The server key attachments are sealed to (required when there are attachments).
    pub server_key: Option<&'a PublicKey>,
    /// Domain rules to validate against.
    pub rules: &'a Rules,
}

/// A built packet and the warnings its manifest raised.
#[derive(Debug, Clone)]
pub struct Built {
    /// The packet, ready to post.
    pub packet: Packet,
    /// The manifest as signed.
    pub manifest: Manifest,
    /// Non-fatal findings (e.g. an RFC check digit mismatch).
    pub warnings: Vec<Warning>,
}

fn guess_media_type(name: &str) -> &'static str {
    if name.starts_with("finger") {
        "image/x-wsq"
    } else if name.starts_with("face") || name.starts_with("selfie") || name.starts_with("hand") {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

/// A fresh 128-bit nonce, base64url.
pub fn new_nonce() -> Result<String> {
    let mut n = [0u8; 16];
    getrandom::fill(&mut n).map_err(|_| Error::Build("sin fuente de aleatoriedad".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(n))
}

/// Builds a signed packet from a manifest template and plaintext attachments.
pub fn build(
    mut manifest: Manifest,
    attachments: &[NewAttachment],
    opts: &BuildOptions<'_>,
) -> Result<Built> {
    let cred = opts.credential;
    cred.require_fiel().map_err(|_| Error::NotFiel)?;
    let id = cred.identity();
    manifest.issued_at = opts.at.to_rfc3339();
    manifest.nonce = new_nonce()?;
    manifest.signer = Signer {
        rfc: id.rfc.clone(),
        curp: id.curp.clone().or_else(|| id.representative_curp.clone()),
        certificate_number: id.certificate_number.clone(),
    };
    let declared = std::mem::take(&mut manifest.attachments);
    let mut sealed = BTreeMap::new();
    let sealed_list = if attachments.is_empty() {
        Vec::new()
    } else {
        let key = opts
            .server_key
            .ok_or_else(|| Error::Build("los adjuntos requieren la llave del servidor".into()))?;
        let items: Vec<(&str, &[u8])> = attachments
            .iter()
            .map(|a| (a.name.as_str(), a.bytes.as_slice()))
            .collect();
        seal_all(&items, key)?
    };
    for (a, s) in attachments.iter().zip(sealed_list) {
        let template = declared.iter().find(|d| d.name == a.name);
        let media_type = if !a.media_type.is_empty() {
            a.media_type.clone()
        } else if let Some(t) = template.filter(|t| !t.media_type.is_empty()) {
            t.media_type.clone()
        } else {
            guess_media_type(&a.name).into()
        };
        manifest.attachments.push(AttachmentInfo {
            name: a.name.clone(),
            media_type,
            sha256: hex::encode(Sha256::digest(&a.bytes)),
            size: a.bytes.len() as u64,
            sealed_sha256: s.digest()?,
            ppi: a.ppi.or(template.and_then(|t| t.ppi)),
            quality: a
                .quality
                .clone()
                .or(template.and_then(|t| t.quality.clone())),
            device: a.device.clone().or(template.and_then(|t| t.device.clone())),
        });
        if sealed.insert(a.name.clone(), s).is_some() {
            return Err(Error::invalid(
                "attachments",
                "nombres de adjunto repetidos",
            ));
        }
    }
    let warnings = validate(&manifest, opts.rules)?;
    let payload = serde_json::to_vec(&manifest)
        .map_err(|e| Error::Build(format!("no se pudo serializar el manifiesto: {e}")))?;
    let signature = cred
        .sign_cms(&payload, opts.at)
        .map_err(|e| Error::Build(format!("{} ({})", e, e.code())))?;
    Ok(Built {
        packet: Packet::new(&payload, &signature, sealed),
        manifest,
        warnings,
    })
}
