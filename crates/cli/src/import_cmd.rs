//! `huella packet import FILE --server URL [--receipts DIR]` — delivers a kiosk's offline
//! queue export (design.md §5: re-posting a packet is idempotent, so import is exactly-once
//! and safe to re-run after an interruption).
//!
//! ```json
//! {"format":"huella-cola/1","exported_at":"…","kiosk":"…",
//!  "packets":[{"id":"<local id>","created_at":"…","packet":{ …wire packet… }}]}
//! ```
//!
//! Each packet is posted in file order to `URL/api/v1/packets`; one JSON line per packet
//! `{"id","status":"entregado"|"ya_entregado"|"rechazado","folio"?,"code"?,"message"?}`,
//! then `{"summary":{…}}`. Exit 0 when none was refused, 1 otherwise. A network failure (or
//! a server that stays busy) stops the import: what was delivered stays delivered, and
//! running it again continues.

use crate::error::{read, CliError};
use clap::Args;
use serde::Deserialize;
use server::client::Http;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The format tag of a kiosk queue export.
pub const QUEUE_FORMAT: &str = "huella-cola/1";

/// `huella packet import …`
#[derive(Args)]
pub struct ImportArgs {
    /// The kiosk's queue export (JSON, `huella-cola/1`).
    pub file: PathBuf,
    /// Server URL (packets go to URL/api/v1/packets).
    #[arg(long)]
    pub server: String,
    /// Write each receipt (acuse) to DIR/<id>.json.
    #[arg(long)]
    pub receipts: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Queue {
    format: String,
    #[serde(default)]
    kiosk: Option<String>,
    packets: Vec<Queued>,
}

#[derive(Deserialize)]
struct Queued {
    id: String,
    packet: serde_json::Value,
}

fn bad_file(message: impl Into<String>) -> CliError {
    CliError::new("bad_queue_file", message)
}

/// A local id usable as a file name: 1–128 of `[A-Za-z0-9._-]`, not starting with a dot.
fn id_ok(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn parse_queue(bytes: &[u8]) -> Result<Queue, CliError> {
    let q: Queue = serde_json::from_slice(bytes)
        .map_err(|e| bad_file(format!("no es una cola exportada válida: {e}")))?;
    if q.format != QUEUE_FORMAT {
        return Err(bad_file(format!(
            "formato `{}`, se esperaba `{QUEUE_FORMAT}`",
            q.format
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in q.packets.iter().enumerate() {
        if !id_ok(&p.id) {
            return Err(bad_file(format!("packets[{i}].id inválido")));
        }
        if !seen.insert(p.id.as_str()) {
            return Err(bad_file(format!("packets[{i}].id repetido: {}", p.id)));
        }
        if !p.packet.is_object() {
            return Err(bad_file(format!(
                "packets[{i}].packet no es un objeto JSON"
            )));
        }
    }
    Ok(q)
}

/// What the server said about one packet.
enum Delivery {
    Stored(Vec<u8>),
    Duplicate(Vec<u8>),
    Refused(String, String),
}

/// Statuses worth waiting for: rate limited, timed out, unavailable.
fn transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

async fn deliver(http: &Http, url: &str, body: Vec<u8>) -> Result<Delivery, CliError> {
    let mut wait = Duration::from_millis(250);
    for attempt in 0..6 {
        let (status, reply) = http
            .post(url, body.clone().into())
            .await
            .map_err(|e| CliError::new("network", format!("POST {url}: {e}")))?;
        match status {
            201 => return Ok(Delivery::Stored(reply.to_vec())),
            200 => return Ok(Delivery::Duplicate(reply.to_vec())),
            s if transient(s) && attempt < 5 => {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            s if (400..500).contains(&s) && !transient(s) => {
                let v: serde_json::Value = serde_json::from_slice(&reply).unwrap_or_default();
                let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                let code = match text("code") {
                    c if c.is_empty() => format!("http_{s}"),
                    c => c,
                };
                return Ok(Delivery::Refused(code, text("message")));
            }
            s => {
                return Err(CliError::new(
                    "server_error",
                    format!("POST {url}: HTTP {s}"),
                ))
            }
        }
    }
    Err(CliError::new(
        "server_busy",
        format!("POST {url}: el servidor sigue ocupado"),
    ))
}

fn folio(receipt: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(receipt).ok()?;
    v["folio"].as_str().map(str::to_string)
}

fn line(v: &serde_json::Value) {
    println!("{v}");
}

#[derive(Default)]
struct Tally {
    stored: usize,
    duplicate: usize,
    refused: usize,
}

impl Tally {
    fn print(&self, total: usize, complete: bool) {
        line(&serde_json::json!({"summary": {
            "total": total,
            "entregado": self.stored,
            "ya_entregado": self.duplicate,
            "rechazado": self.refused,
            "completo": complete,
        }}));
    }
}

fn write_receipt(dir: &Path, id: &str, receipt: &[u8]) -> Result<(), CliError> {
    let path = dir.join(format!("{id}.json"));
    let tmp = dir.join(format!(".{id}.json.tmp"));
    std::fs::write(&tmp, receipt).map_err(|e| CliError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| CliError::io(&path, e))
}

/// Runs the import.
pub fn import(a: ImportArgs) -> Result<(), CliError> {
    let queue = parse_queue(&read(&a.file)?)?;
    if let Some(dir) = &a.receipts {
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
    }
    let url = format!("{}/api/v1/packets", a.server.trim_end_matches('/'));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("internal", e.to_string()))?;
    let http = Http::new();
    let total = queue.packets.len();
    let mut tally = Tally::default();
    for q in &queue.packets {
        let body = serde_json::to_vec(&q.packet).map_err(|e| bad_file(e.to_string()))?;
        let delivery = match rt.block_on(deliver(&http, &url, body)) {
            Ok(d) => d,
            Err(e) => {
                tally.print(total, false);
                let done = tally.stored + tally.duplicate + tally.refused;
                return Err(CliError::new(
                    &e.code,
                    format!(
                        "{} — importación detenida en `{}` ({done} de {total} procesados); \
                         vuelva a ejecutarla: lo ya entregado no se duplica",
                        e.message, q.id
                    ),
                ));
            }
        };
        let (status, receipt) = match delivery {
            Delivery::Stored(r) => {
                tally.stored += 1;
                ("entregado", r)
            }
            Delivery::Duplicate(r) => {
                tally.duplicate += 1;
                ("ya_entregado", r)
            }
            Delivery::Refused(code, message) => {
                tally.refused += 1;
                line(&serde_json::json!({
                    "id": q.id, "status": "rechazado", "code": code, "message": message,
                }));
                continue;
            }
        };
        if let Some(dir) = &a.receipts {
            write_receipt(dir, &q.id, &receipt)?;
        }
        line(&serde_json::json!({"id": q.id, "status": status, "folio": folio(&receipt)}));
    }
    tally.print(total, true);
    if tally.refused > 0 {
        return Err(CliError::new(
            "refused",
            format!(
                "{} de {total} paquetes de la cola{} fueron rechazados",
                tally.refused,
                queue
                    .kiosk
                    .as_deref()
                    .map(|k| format!(" «{k}»"))
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_files_are_checked_before_anything_is_sent() {
        let ok = br#"{"format":"huella-cola/1","exported_at":"2026-11-27T10:00:00Z",
            "kiosk":"k","packets":[{"id":"a-1","created_at":"x","packet":{}}]}"#;
        assert_eq!(parse_queue(ok).unwrap().packets.len(), 1);
        for bad in [
            &b"not json"[..],
            br#"{"format":"huella-cola/2","packets":[]}"#,
            br#"{"format":"huella-cola/1"}"#,
            br#"{"format":"huella-cola/1","packets":[{"id":"../x","packet":{}}]}"#,
            br#"{"format":"huella-cola/1","packets":[{"id":"a","packet":{}},{"id":"a","packet":{}}]}"#,
            br#"{"format":"huella-cola/1","packets":[{"id":"a","packet":"p"}]}"#,
        ] {
            assert_eq!(parse_queue(bad).err().unwrap().code, "bad_queue_file");
        }
    }
}
