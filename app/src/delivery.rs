//! Delivering signed packets, online or from the kiosk's offline queue.
//!
//! The server answers 201 with a receipt for a new packet and 200 with the *same* receipt when
//! the identical packet is posted again, so a queue can retry until it hears back: after a
//! dropped connection, a reload or a crash the packet is simply posted again and is stored once.
//! What must never be retried is a refusal (the packet itself is wrong); what must always be
//! retried is anything that says nothing about the packet (no network, timeouts, rate limits,
//! server faults).

use serde::{Deserialize, Serialize};

/// What to do with a queued packet after one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (201) or already stored (200): keep the receipt, never post again.
    Delivered {
        /// The receipt JSON as the server sent it.
        receipt: String,
        /// `true` when the server already had it.
        duplicate: bool,
    },
    /// The server refused the packet: keep it with the reason, do not retry.
    Refused {
        /// Stable code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// Nothing learned about the packet: keep it pending and try again later.
    Retry {
        /// Why (`network`, `timeout`, `rate_limited`, `internal`…).
        code: String,
    },
}

/// Classifies one attempt: `status` 0 means the request never got an answer.
pub fn classify(status: u16, body: &str) -> Outcome {
    match status {
        200 | 201 => Outcome::Delivered {
            receipt: body.to_string(),
            duplicate: status == 200,
        },
        0 => Outcome::Retry {
            code: "network".into(),
        },
        408 | 425 | 429 | 500..=599 => Outcome::Retry {
            code: error_code(body).unwrap_or_else(|| {
                match status {
                    408 => "timeout",
                    429 => "rate_limited",
                    _ => "internal",
                }
                .into()
            }),
        },
        _ => {
            let (code, message) = match serde_json::from_str::<ErrorBody>(body) {
                Ok(e) => (e.code, e.message),
                Err(_) => (format!("http_{status}"), body.chars().take(200).collect()),
            };
            Outcome::Refused { code, message }
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    message: String,
}

fn error_code(body: &str) -> Option<String> {
    serde_json::from_str::<ErrorBody>(body).ok().map(|e| e.code)
}

/// Format tag of an exported queue file.
pub const QUEUE_FORMAT: &str = "huella-cola/1";

/// One packet in an exported queue (what `huella packet import FILE` reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedPacket {
    /// The queue's local id.
    pub id: String,
    /// When it was queued (RFC 3339).
    pub created_at: String,
    /// The wire packet exactly as it is posted.
    pub packet: serde_json::Value,
}

/// An exported queue file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueFile {
    /// Always [`QUEUE_FORMAT`].
    pub format: String,
    /// When it was exported (RFC 3339).
    pub exported_at: String,
    /// Which kiosk.
    pub kiosk: String,
    /// The packets still pending, oldest first.
    pub packets: Vec<ExportedPacket>,
}

impl QueueFile {
    /// A queue file of `packets` (pairs of id, created_at, wire JSON).
    pub fn new(exported_at: String, kiosk: String, packets: Vec<ExportedPacket>) -> Self {
        QueueFile {
            format: QUEUE_FORMAT.into(),
            exported_at,
            kiosk,
            packets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_answers() {
        assert_eq!(
            classify(201, "{\"folio\":\"A\"}"),
            Outcome::Delivered {
                receipt: "{\"folio\":\"A\"}".into(),
                duplicate: false
            }
        );
        assert!(matches!(
            classify(200, "{}"),
            Outcome::Delivered {
                duplicate: true,
                ..
            }
        ));
        assert_eq!(
            classify(0, ""),
            Outcome::Retry {
                code: "network".into()
            }
        );
        assert_eq!(
            classify(503, "<html>"),
            Outcome::Retry {
                code: "internal".into()
            }
        );
        assert_eq!(
            classify(429, "{\"code\":\"rate_limited\",\"message\":\"x\"}"),
            Outcome::Retry {
                code: "rate_limited".into()
            }
        );
        assert_eq!(
            classify(409, "{\"code\":\"replay\",\"message\":\"nonce usado\"}"),
            Outcome::Refused {
                code: "replay".into(),
                message: "nonce usado".into()
            }
        );
        assert!(
            matches!(classify(400, "no json"), Outcome::Refused { code, .. } if code == "http_400")
        );
    }

    #[test]
    fn queue_file_round_trips() {
        let f = QueueFile::new(
            "2026-11-27T10:00:00Z".into(),
            "Clínica 1".into(),
            vec![ExportedPacket {
                id: "q1".into(),
                created_at: "2026-11-27T09:00:00Z".into(),
                packet: serde_json::json!({"format": "huella-packet/1"}),
            }],
        );
        let s = serde_json::to_string(&f).unwrap();
        assert!(s.starts_with("{\"format\":\"huella-cola/1\""));
        assert_eq!(serde_json::from_str::<QueueFile>(&s).unwrap(), f);
    }
}
