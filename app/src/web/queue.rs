//! The kiosk's offline queue (design.md §6): signed packets wait in IndexedDB while the network
//! is down and are delivered exactly once when it returns — the server stores a packet once and
//! answers the same receipt to every re-post, so the drainer simply retries until it hears a
//! definite answer (`crate::delivery::classify`). Progress is shown from [`Item::state`].

use crate::delivery::{classify, ExportedPacket, Outcome, QueueFile};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/queue.js")]
extern "C" {
    #[wasm_bindgen(js_name = queuePut)]
    fn queue_put(json: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = queueAll)]
    fn queue_all() -> js_sys::Promise;
}

/// Pending, delivered or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for the network.
    Pendiente,
    /// Receipted by the server.
    Entregado,
    /// Refused by the server (kept, with the reason).
    Rechazado,
}

/// One queued packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Local id.
    pub id: String,
    /// When it was queued.
    pub created_at: String,
    /// What it is, for people ("Alta — ANA LÓPEZ").
    pub label: String,
    /// State.
    pub state: State,
    /// The wire packet JSON.
    pub packet: String,
    /// The receipt JSON, once delivered.
    #[serde(default)]
    pub receipt: Option<String>,
    /// The folio, once delivered.
    #[serde(default)]
    pub folio: Option<String>,
    /// Refusal code.
    #[serde(default)]
    pub code: Option<String>,
    /// Refusal message.
    #[serde(default)]
    pub message: Option<String>,
}

async fn put(item: &Item) -> Result<(), String> {
    let json = serde_json::to_string(item).map_err(|e| e.to_string())?;
    JsFuture::from(queue_put(&json))
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// Every item, oldest first.
pub async fn all() -> Result<Vec<Item>, String> {
    let v = JsFuture::from(queue_all())
        .await
        .map_err(|e| format!("{e:?}"))?;
    let mut items: Vec<Item> =
        serde_json::from_str(&v.as_string().unwrap_or_default()).map_err(|e| e.to_string())?;
    items.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    Ok(items)
}

/// Queues a signed packet; it is on disk when this returns.
pub async fn enqueue(label: String, packet_json: String) -> Result<Item, String> {
    let mut rnd = [0u8; 12];
    getrandom::fill(&mut rnd).map_err(|e| e.to_string())?;
    let item = Item {
        id: format!("{:013}-{}", js_sys::Date::now() as u64, hex::encode(rnd)),
        created_at: super::js::now().to_rfc3339(),
        label,
        state: State::Pendiente,
        packet: packet_json,
        receipt: None,
        folio: None,
        code: None,
        message: None,
    };
    put(&item).await?;
    Ok(item)
}

thread_local! {
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

/// Posts pending items in order until one gets no definite answer. Returns whether the queue
/// is now empty of pending items. Runs one pass at a time.
pub async fn drain_once() -> Result<bool, String> {
    if DRAINING.with(|d| d.replace(true)) {
        return Ok(false);
    }
    let r = drain_pass().await;
    DRAINING.with(|d| d.set(false));
    r
}

async fn drain_pass() -> Result<bool, String> {
    for mut item in all().await? {
        if item.state != State::Pendiente {
            continue;
        }
        let answer = super::js::request("POST", "/api/v1/packets", Some(&item.packet)).await;
        match classify(answer.status, &answer.body) {
            Outcome::Delivered { receipt, .. } => {
                item.folio = serde_json::from_str::<serde_json::Value>(&receipt)
                    .ok()
                    .and_then(|r| r.get("folio").and_then(|f| f.as_str()).map(str::to_string));
                item.receipt = Some(receipt);
                item.state = State::Entregado;
            }
            Outcome::Refused { code, message } => {
                item.code = Some(code);
                item.message = Some(message);
                item.state = State::Rechazado;
            }
            Outcome::Retry { .. } => return Ok(false),
        }
        put(&item).await?;
    }
    Ok(true)
}

/// The pending items as an export file (for a USB stick when a clinic is offline for days).
pub fn export(items: &[Item], kiosk: &str) -> QueueFile {
    let packets = items
        .iter()
        .filter(|i| i.state == State::Pendiente)
        .filter_map(|i| {
            Some(ExportedPacket {
                id: i.id.clone(),
                created_at: i.created_at.clone(),
                packet: serde_json::from_str(&i.packet).ok()?,
            })
        })
        .collect();
    QueueFile::new(super::js::now().to_rfc3339(), kiosk.to_string(), packets)
}
