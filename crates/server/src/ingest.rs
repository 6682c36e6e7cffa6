//! `POST /api/v1/packets`: verify, store atomically, answer a sealed receipt (acuse).
//!
//! 201 with a new receipt; 200 with the original receipt when the same packet comes again
//! (kiosks retry safely); 409 `replay` for another packet reusing a nonce. Nothing is stored
//! before the packet verified, and the receipt leaves only after the commit.

use crate::commit::{stored_by_nonce, Outcome, Record};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use packet::VerifyOptions;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The sealed part of a receipt (field order is the sealed serialisation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReceiptContent {
    /// `huella.acuse/1`.
    pub format: String,
    /// Server folio.
    pub folio: String,
    /// When the server received it (RFC 3339).
    pub received_at: String,
    /// SHA-256 of the packet (payload + signature).
    pub packet_digest: String,
    /// The manifest's action.
    pub action: String,
    /// Who signed.
    pub signer_rfc: String,
}

/// A receipt: content, seal key id and Ed25519 seal (base64) over the content's JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Receipt {
    /// What is sealed.
    #[serde(flatten)]
    pub content: ReceiptContent,
    /// `ed25519:<hex of the first 8 bytes of the public key>`.
    pub seal_kid: String,
    /// base64 Ed25519 signature over `serde_json::to_vec(&content)`.
    pub seal: String,
}

/// Folio derived from the packet digest: the same packet gets the same folio everywhere.
pub fn folio_for(digest: &str) -> String {
    format!("HU-{}", digest.get(..20).unwrap_or(digest).to_uppercase())
}

/// The seal key id.
pub fn seal_kid(state: &AppState) -> String {
    let keys = state.keys();
    format!(
        "ed25519:{}",
        hex::encode(&keys.seal.verifying_key().to_bytes()[..8])
    )
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The handler.
pub async fn post_packet(State(state): State<AppState>, body: Bytes) -> Response {
    let started = Instant::now();
    let result = ingest(&state, body).await;
    state.metrics.observe_ingest(started.elapsed());
    match result {
        Ok((status, receipt, folio, action)) => {
            let dup = status == StatusCode::OK;
            state.metrics.count(if dup {
                "packets_duplicate"
            } else {
                "packets_stored"
            });
            tracing::info!(folio = %folio, action = %action, duplicate = dup, "packet receipted");
            json_response(status, receipt)
        }
        Err(e) => {
            state.metrics.rejected(e.code);
            tracing::info!(code = e.code, "packet refused");
            e.into_response()
        }
    }
}

async fn ingest(state: &AppState, body: Bytes) -> ApiResult<(StatusCode, String, String, String)> {
    let now = state.clock.now();
    let (trust, keys) = (state.trust(), state.keys());
    let (rules, cfg) = (state.rules.clone(), state.cfg.clone());
    let verified = tokio::task::spawn_blocking(move || {
        let packet = packet::Packet::from_json(&body)?;
        let opts = VerifyOptions {
            trust: Some(&trust),
            now,
            max_age_secs: cfg.max_age.as_secs() as i64,
            max_skew_secs: cfg.max_skew.as_secs() as i64,
            keyring: Some(&keys.keyring),
            rules: Some(&rules),
        };
        let v = packet::verify(&packet, &opts)?;
        Ok::<_, packet::Error>((v, !packet.attachments.is_empty(), body))
    })
    .await
    .map_err(ApiError::internal)?;
    let (v, has_attachments, body) = verified?;
    let m = &v.manifest;
    let action = m.action.as_str().to_string();
    // Fast path for retries and replays, before touching storage.
    if let Some((digest, receipt)) = stored_by_nonce(&state.db.pool, &m.nonce).await? {
        if digest == v.digest {
            let folio = folio_for(&digest);
            return Ok((StatusCode::OK, receipt, folio, action));
        }
        return Err(packet::Error::Replay.into());
    }
    let folio = folio_for(&v.digest);
    let content = ReceiptContent {
        format: "huella.acuse/1".into(),
        folio: folio.clone(),
        received_at: now.to_rfc3339(),
        packet_digest: v.digest.clone(),
        action: action.clone(),
        signer_rfc: v.identity.rfc.clone(),
    };
    let sealed_bytes = serde_json::to_vec(&content).map_err(ApiError::internal)?;
    let receipt = Receipt {
        seal: crate::keys::seal(&state.keys().seal, &sealed_bytes),
        seal_kid: seal_kid(state),
        content,
    };
    let receipt_json = serde_json::to_string(&receipt).map_err(ApiError::internal)?;
    let attachments_key = if !has_attachments {
        None
    } else {
        let store = state.store.clone();
        let key = v.digest.clone();
        tokio::task::spawn_blocking(move || store.put(&key, &body))
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::internal(format!("attachment store: {e}")))?;
        Some(v.digest.clone())
    };
    let rec = Record {
        folio: folio.clone(),
        nonce: m.nonce.clone(),
        digest: v.digest.clone(),
        signer_rfc: v.identity.rfc.clone(),
        signer_curp: v
            .identity
            .curp
            .clone()
            .or_else(|| v.identity.representative_curp.clone()),
        received_at: now.unix(),
        issued_at: v.issued_at.unix(),
        payload: v.payload.clone(),
        signature: v.signature.clone(),
        attachments_key: attachments_key.clone(),
        receipt: receipt_json,
        manifest: v.manifest.clone(),
    };
    match state.writer.submit(rec).await {
        Ok(Outcome::Stored(r)) => Ok((StatusCode::CREATED, r, folio, action)),
        Ok(Outcome::Duplicate(r)) => Ok((StatusCode::OK, r, folio, action)),
        Err(e) => {
            // Refused after the bundle was written: remove it (a duplicate keeps it: same key).
            if let Some(key) = attachments_key {
                let store = state.store.clone();
                let _ = tokio::task::spawn_blocking(move || store.delete(&key)).await;
            }
            Err(e)
        }
    }
}
