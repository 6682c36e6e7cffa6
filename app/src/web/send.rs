//! Signing and delivering: the manifest is signed in the page with the open e.firma, biometric
//! attachments are sealed to the server's published key first (so only the server can read
//! them, even from the kiosk queue), then the packet is posted — or, in a kiosk, queued and
//! posted by the drainer.

use super::ui::Problem;
use super::{js, queue, Ctx};
use crate::delivery::{classify, Outcome};
use leptos::prelude::*;
use packet::{BuildOptions, Manifest, NewAttachment, PublicKey, Rules};

const KEYS_SETTING: &str = "huella.serverKey";

/// The server's current HPKE key (cached for kiosks that sign while offline; it is public).
pub async fn server_key() -> Result<PublicKey, Problem> {
    let a = js::request("GET", "/api/v1/keys", None).await;
    if a.ok() {
        if let Ok(k) = serde_json::from_value::<PublicKey>(a.json()["current"].clone()) {
            if let Ok(s) = serde_json::to_string(&k) {
                js::set_setting(KEYS_SETTING, &s);
            }
            return Ok(k);
        }
    }
    js::setting(KEYS_SETTING)
        .and_then(|s| serde_json::from_str(&s).ok())
        .ok_or_else(|| Problem::code(a.code()))
}

/// Signs `manifest` with the session's e.firma; returns the wire JSON.
pub async fn sign(
    ctx: Ctx,
    manifest: Manifest,
    attachments: Vec<NewAttachment>,
) -> Result<String, Problem> {
    let cred = ctx
        .credential()
        .ok_or_else(|| Problem::code("unauthenticated"))?;
    sign_with(&cred, manifest, attachments).await
}

/// Signs with a given credential (a pensioner's at a kiosk).
pub async fn sign_with(
    cred: &efirma::Credential,
    manifest: Manifest,
    attachments: Vec<NewAttachment>,
) -> Result<String, Problem> {
    let key = if attachments.is_empty() {
        None
    } else {
        Some(server_key().await?)
    };
    let rules = Rules::default();
    let built = packet::build(
        manifest,
        &attachments,
        &BuildOptions {
            credential: cred,
            at: js::now(),
            server_key: key.as_ref(),
            rules: &rules,
        },
    )
    .map_err(|e| match e {
        packet::Error::InvalidManifest { field, reason } => {
            Problem::with("invalid_manifest", format!("{field}: {reason}"))
        }
        other => Problem::with(other.code(), other.to_string()),
    })?;
    String::from_utf8(built.packet.to_json())
        .map_err(|e| Problem::with("bad_format", e.to_string()))
}

/// What became of a signed packet.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Receipted now: the receipt JSON.
    Receipt(String),
    /// Waiting in the kiosk queue (delivered when the network returns).
    Queued(String),
}

/// Posts now (online use) or queues (kiosk).
pub async fn deliver(ctx: Ctx, label: String, packet_json: String) -> Result<Sent, Problem> {
    if ctx.kiosk.get_untracked() {
        let item = queue::enqueue(label, packet_json)
            .await
            .map_err(|e| Problem::with("storage", e))?;
        super::kiosk::wake(ctx);
        return Ok(Sent::Queued(item.id));
    }
    let a = js::request("POST", "/api/v1/packets", Some(&packet_json)).await;
    match classify(a.status, &a.body) {
        Outcome::Delivered { receipt, .. } => Ok(Sent::Receipt(receipt)),
        Outcome::Refused { code, message } => Err(Problem::with(code, message)),
        Outcome::Retry { code } => Err(Problem::code(code)),
    }
}
