//! Verifying a packet — the same code in the browser, the CLI and the server.
//!
//! Checks, in order, each with its own code (design.md §4):
//! 1. `bad_format` — envelope: format tag, base64 of payload and signature;
//! 2. `bad_signature` — strict CMS profile and the signature over the verbatim payload bytes;
//!    then the payload must be a manifest (`bad_format`);
//! 3. `untrusted_chain` / `expired` — chain to the trust store and validity at `issued_at`;
//! 4. `not_fiel` — a FIEL, not a CSD;
//! 5. `signer_mismatch` — the manifest's signer is the certificate's holder;
//! 6. `attachment_digest` — the attachment set and every sealed digest; with the server's
//!    keyring, every attachment is opened (`unseal_failed`) and its plaintext digest checked;
//! 7. `stale` — `issued_at` within the freshness window;
//! 8. `invalid_manifest` — the domain rules.
//!
//! `replay` and `not_authorized` need the server's database and are checked there.

use crate::manifest::Manifest;
use crate::seal::Keyring;
use crate::validate::{validate, Rules, Warning};
use crate::wire::{check_cms_profile, Packet};
use crate::{Error, Result};
use efirma::{verify_cms, Identity, Kind, Timestamp, TrustStore, VerifyOptions as CmsOptions};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What to check beyond the signature.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// Anchors; `None` skips the chain (the verdict says so).
    pub trust: Option<&'a TrustStore>,
    /// The verifier's current time (for freshness).
    pub now: Timestamp,
    /// Oldest acceptable `issued_at`, in seconds before `now` (offline queues drain late).
    pub max_age_secs: i64,
    /// Tolerated clock skew into the future, in seconds.
    pub max_skew_secs: i64,
    /// The server's private keys: when present, attachments are opened and checked.
    pub keyring: Option<&'a Keyring>,
    /// Domain rules; `None` skips them.
    pub rules: Option<&'a Rules>,
}

impl<'a> VerifyOptions<'a> {
    /// Defaults: no trust store, 72 h maximum age, 5 min skew, no keyring, default rules off.
    pub fn at(now: Timestamp) -> Self {
        VerifyOptions {
            trust: None,
            now,
            max_age_secs: 72 * 3600,
            max_skew_secs: 300,
            keyring: None,
            rules: None,
        }
    }
}

/// A packet that passed every check.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The manifest as signed.
    pub manifest: Manifest,
    /// The signed bytes, verbatim.
    pub payload: Vec<u8>,
    /// The DER signature.
    pub signature: Vec<u8>,
    /// Who signed.
    pub identity: Identity,
    /// SHA-256 (hex) identifying the packet.
    pub digest: String,
    /// `issued_at`, parsed.
    pub issued_at: Timestamp,
    /// Whether the chain to a trust anchor was checked.
    pub chain_checked: bool,
    /// Opened attachments (only with a keyring), by name.
    pub opened: BTreeMap<String, Vec<u8>>,
    /// Non-fatal findings.
    pub warnings: Vec<Warning>,
}

/// Verifies packet JSON bytes.
pub fn verify_json(bytes: &[u8], opts: &VerifyOptions<'_>) -> Result<Verified> {
    verify(&Packet::from_json(bytes)?, opts)
}

/// Verifies a parsed packet.
pub fn verify(packet: &Packet, opts: &VerifyOptions<'_>) -> Result<Verified> {
    // 1–2. Envelope, profile, signature over the verbatim bytes.
    let env = packet.envelope()?;
    check_cms_profile(&env.signature)?;
    let sig = verify_cms(
        &env.signature,
        &env.payload,
        CmsOptions {
            trust: None,
            at: None,
        },
    )
    .map_err(Error::from_efirma)?;
    let manifest: Manifest = serde_json::from_slice(&env.payload)
        .map_err(|e| Error::BadFormat(format!("manifiesto: {e}")))?;
    let issued_at = Timestamp::parse_rfc3339(&manifest.issued_at)
        .ok_or_else(|| Error::BadFormat("issued_at no es RFC 3339".into()))?;
    // 3. Chain and validity at issued_at.
    sig.signer
        .check_validity(issued_at)
        .map_err(Error::from_efirma)?;
    let chain_checked = match opts.trust {
        Some(trust) => {
            verify_cms(
                &env.signature,
                &env.payload,
                CmsOptions {
                    trust: Some(trust),
                    at: Some(issued_at),
                },
            )
            .map_err(Error::from_efirma)?;
            true
        }
        None => false,
    };
    // 4. FIEL.
    let identity = sig.signer.identity().clone();
    if identity.kind != Kind::Fiel {
        return Err(Error::NotFiel);
    }
    // 5. Signer.
    let curp = identity
        .curp
        .clone()
        .or_else(|| identity.representative_curp.clone());
    let s = &manifest.signer;
    if s.rfc != identity.rfc {
        return Err(Error::SignerMismatch("RFC".into()));
    }
    if s.curp.is_some() && s.curp != curp {
        return Err(Error::SignerMismatch("CURP".into()));
    }
    if s.certificate_number != identity.certificate_number {
        return Err(Error::SignerMismatch("número de certificado".into()));
    }
    // 6. Attachments.
    let opened = check_attachments(packet, &manifest, opts.keyring)?;
    // 7. Freshness.
    if issued_at.unix() < opts.now.unix() - opts.max_age_secs {
        return Err(Error::Stale(format!(
            "emitido {} , más antiguo que la ventana de {} h",
            issued_at,
            opts.max_age_secs / 3600
        )));
    }
    if issued_at.unix() > opts.now.unix() + opts.max_skew_secs {
        return Err(Error::Stale(format!("emitido {issued_at}, en el futuro")));
    }
    if base64_len(&manifest.nonce) < 16 {
        return Err(Error::BadFormat("nonce de menos de 128 bits".into()));
    }
    // 8. Domain rules.
    let warnings = match opts.rules {
        Some(r) => validate(&manifest, r)?,
        None => Vec::new(),
    };
    Ok(Verified {
        digest: env.digest(),
        manifest,
        payload: env.payload,
        signature: env.signature,
        identity,
        issued_at,
        chain_checked,
        opened,
        warnings,
    })
}

fn base64_len(s: &str) -> usize {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map(|v| v.len())
        .unwrap_or(0)
}

fn check_attachments(
    packet: &Packet,
    manifest: &Manifest,
    keyring: Option<&Keyring>,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut opened = BTreeMap::new();
    if packet.attachments.len() != manifest.attachments.len() {
        return Err(Error::AttachmentDigest(
            "los adjuntos no coinciden con el manifiesto".into(),
        ));
    }
    let mut decoded = Vec::with_capacity(manifest.attachments.len());
    for info in &manifest.attachments {
        let sealed = packet
            .attachments
            .get(&info.name)
            .ok_or_else(|| Error::AttachmentDigest(format!("falta `{}`", info.name)))?;
        let (enc, ct) = sealed
            .decode()
            .map_err(|_| Error::AttachmentDigest(format!("`{}` ilegible", info.name)))?;
        if crate::seal::digest_of(&enc, &ct) != info.sealed_sha256 {
            return Err(Error::AttachmentDigest(format!("`{}` alterado", info.name)));
        }
        decoded.push((info, sealed, enc, ct));
    }
    if let Some(ring) = keyring {
        let items: Vec<(&str, &crate::Sealed, &[u8], &[u8])> = decoded
            .iter()
            .map(|(i, s, e, c)| (i.name.as_str(), *s, e.as_slice(), c.as_slice()))
            .collect();
        let plains = ring.open_many(&items)?;
        for ((info, ..), plain) in decoded.iter().zip(plains) {
            if plain.len() as u64 != info.size || hex::encode(Sha256::digest(&plain)) != info.sha256
            {
                return Err(Error::AttachmentDigest(format!(
                    "`{}` no corresponde al digest firmado",
                    info.name
                )));
            }
            opened.insert(info.name.clone(), plain);
        }
    }
    Ok(opened)
}
