//! Group commit: verified packets are written in batches, one transaction per batch, and
//! every receipt is answered only after that transaction committed (SQLite WAL with
//! `synchronous=FULL`, or PostgreSQL's default durable commit).
//!
//! Inside the transaction each packet is checked against what is already stored — same
//! nonce and digest: the stored receipt again (idempotent); same nonce, other digest:
//! `replay`; registro patronal bound to another RFC, or a worker of another employer:
//! `not_authorized` — and only then inserted, relying on unique constraints so concurrent
//! processes on one PostgreSQL agree.

use crate::db::{opt_i64, opt_text, Db, Engine};
use crate::error::ApiError;
use packet::{Action, Manifest};
use sqlx::{Any, Row, Transaction};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

/// A verified packet ready to store.
#[derive(Debug, Clone)]
pub struct Record {
    /// Server folio.
    pub folio: String,
    /// Manifest nonce.
    pub nonce: String,
    /// Packet digest.
    pub digest: String,
    /// The manifest.
    pub manifest: Manifest,
    /// Signer's RFC and CURP.
    pub signer_rfc: String,
    /// Signer's CURP (holder, or representative for a moral).
    pub signer_curp: Option<String>,
    /// Receive time.
    pub received_at: i64,
    /// `issued_at`.
    pub issued_at: i64,
    /// Signed bytes.
    pub payload: Vec<u8>,
    /// CMS signature.
    pub signature: Vec<u8>,
    /// Key of the attachment bundle, if any.
    pub attachments_key: Option<String>,
    /// The receipt JSON to answer.
    pub receipt: String,
}

/// What happened to a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Newly stored; the receipt.
    Stored(String),
    /// Already stored; the original receipt.
    Duplicate(String),
}

type Reply = oneshot::Sender<Result<Outcome, ApiError>>;

/// Handle to the writer tasks.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<(Record, Reply)>,
}

const MAX_BATCH: usize = 128;

impl Writer {
    /// Starts the writer tasks (one for SQLite, a few for PostgreSQL).
    pub fn start(db: Db) -> Writer {
        let (tx, rx) = mpsc::channel::<(Record, Reply)>(1024);
        let rx = Arc::new(Mutex::new(rx));
        let n = if db.engine == Engine::Sqlite { 1 } else { 4 };
        for _ in 0..n {
            let (db, rx) = (db.clone(), rx.clone());
            tokio::spawn(async move {
                loop {
                    let mut batch = Vec::new();
                    {
                        let mut rx = rx.lock().await;
                        match rx.recv().await {
                            Some(j) => batch.push(j),
                            None => return,
                        }
                        while batch.len() < MAX_BATCH {
                            match rx.try_recv() {
                                Ok(j) => batch.push(j),
                                Err(_) => break,
                            }
                        }
                    }
                    run_batch(&db, batch).await;
                }
            });
        }
        Writer { tx }
    }

    /// Stores a record; resolves after the commit.
    pub async fn submit(&self, rec: Record) -> Result<Outcome, ApiError> {
        let (reply, wait) = oneshot::channel();
        self.tx
            .send((rec, reply))
            .await
            .map_err(|_| ApiError::internal("writer stopped"))?;
        wait.await
            .map_err(|_| ApiError::internal("writer dropped the reply"))?
    }
}

async fn try_batch(
    db: &Db,
    batch: &[(Record, Reply)],
) -> Result<Vec<Result<Outcome, ApiError>>, sqlx::Error> {
    let mut results = Vec::with_capacity(batch.len());
    let mut tx = db.pool.begin().await?;
    for (rec, _) in batch {
        results.push(apply(&mut tx, rec).await?);
    }
    tx.commit().await?;
    Ok(results)
}

/// Transient failures worth retrying: PostgreSQL deadlock (40P01) or serialization
/// failure (40001) between processes, SQLite busy.
fn retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            matches!(
                d.code().as_deref(),
                Some("40P01" | "40001" | "5" | "6" | "517")
            ) || d.message().contains("locked")
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => true,
        _ => false,
    }
}

async fn run_batch(db: &Db, mut batch: Vec<(Record, Reply)>) {
    // A stable order makes lock waits between processes less likely to cycle.
    batch.sort_by(|a, b| a.0.nonce.cmp(&b.0.nonce));
    let mut attempt = 0u32;
    let outcome = loop {
        match try_batch(db, &batch).await {
            Err(e) if retryable(&e) && attempt < 8 => {
                attempt += 1;
                tracing::warn!(attempt, error = %e, "batch retried");
                let mut jitter = [0u8; 1];
                let _ = getrandom::fill(&mut jitter);
                let ms = 5 * u64::from(attempt) + u64::from(jitter[0] % 20);
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            other => break other,
        }
    };
    match outcome {
        Ok(results) => {
            for ((_, reply), r) in batch.into_iter().zip(results) {
                let _ = reply.send(r);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for (_, reply) in batch {
                let _ = reply.send(Err(ApiError::internal(format!("commit: {msg}"))));
            }
        }
    }
}

fn refuse(why: &str) -> Result<Outcome, ApiError> {
    Err(packet::Error::NotAuthorized(why.into()).into())
}

/// Looks a nonce up: the stored (digest, receipt), if any.
pub async fn stored_by_nonce<'e, E>(
    ex: E,
    nonce: &str,
) -> Result<Option<(String, String)>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query("SELECT digest, receipt FROM packets WHERE nonce = $1")
        .bind(nonce.to_string())
        .fetch_optional(ex)
        .await?;
    Ok(row.map(|r| {
        (
            r.try_get::<String, _>("digest").unwrap_or_default(),
            r.try_get::<String, _>("receipt").unwrap_or_default(),
        )
    }))
}

fn known(digest: &str, stored: (String, String)) -> Result<Outcome, ApiError> {
    if stored.0 == digest {
        Ok(Outcome::Duplicate(stored.1))
    } else {
        Err(packet::Error::Replay.into())
    }
}

async fn employer_rfc(
    tx: &mut Transaction<'_, Any>,
    rp: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT rfc FROM employers WHERE registro_patronal = $1")
        .bind(rp.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.and_then(|r| r.try_get::<String, _>("rfc").ok()))
}

/// Authorisation against stored state; `Ok(None)` means go ahead.
async fn authorize(
    tx: &mut Transaction<'_, Any>,
    rec: &Record,
) -> Result<Option<&'static str>, sqlx::Error> {
    let m = &rec.manifest;
    let rp = m.registro_patronal().unwrap_or_default();
    match m.action {
        Action::Patron => {
            let owner = employer_rfc(tx, rp).await?;
            Ok(owner
                .filter(|o| *o != rec.signer_rfc)
                .map(|_| "el registro patronal pertenece a otro RFC"))
        }
        Action::Supervivencia => {
            let same = m
                .subject
                .as_ref()
                .map(|s| Some(s.curp.clone()) == rec.signer_curp);
            Ok((same != Some(true)).then_some("solo el pensionado puede firmar su supervivencia"))
        }
        _ => {
            match employer_rfc(tx, rp).await? {
                None => {
                    return Ok(Some(
                        "registro patronal no registrado (envíe primero el paquete patron)",
                    ))
                }
                Some(o) if o != rec.signer_rfc => {
                    return Ok(Some("el registro patronal pertenece a otro RFC"))
                }
                Some(_) => {}
            }
            let nss = m.nss().unwrap_or_default();
            let row = sqlx::query("SELECT registro_patronal, baja_at FROM workers WHERE nss = $1")
                .bind(nss.to_string())
                .fetch_optional(&mut **tx)
                .await?;
            let current = row.as_ref().and_then(|r| opt_text(r, "registro_patronal"));
            let active = row
                .as_ref()
                .is_some_and(|r| opt_i64(r, "baja_at").is_none());
            let ours = current.as_deref() == Some(rp);
            Ok(match m.action {
                Action::Alta if active && !ours && current.is_some() => {
                    Some("el trabajador está activo con otro patrón")
                }
                Action::Alta => None,
                _ if !ours => Some("el trabajador no pertenece a este registro patronal"),
                _ => None,
            })
        }
    }
}

async fn apply(
    tx: &mut Transaction<'_, Any>,
    rec: &Record,
) -> Result<Result<Outcome, ApiError>, sqlx::Error> {
    if let Some(stored) = stored_by_nonce(&mut **tx, &rec.nonce).await? {
        return Ok(known(&rec.digest, stored));
    }
    if let Some(why) = authorize(tx, rec).await? {
        return Ok(refuse(why));
    }
    let m = &rec.manifest;
    let inserted = sqlx::query(
        "INSERT INTO packets (folio, nonce, digest, action, signer_rfc, registro_patronal, nss, \
         received_at, issued_at, payload, signature, attachments_key, receipt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING",
    )
    .bind(rec.folio.clone())
    .bind(rec.nonce.clone())
    .bind(rec.digest.clone())
    .bind(m.action.as_str())
    .bind(rec.signer_rfc.clone())
    .bind(m.registro_patronal().map(str::to_string))
    .bind(m.nss().map(str::to_string))
    .bind(rec.received_at)
    .bind(rec.issued_at)
    .bind(rec.payload.clone())
    .bind(rec.signature.clone())
    .bind(rec.attachments_key.clone())
    .bind(rec.receipt.clone())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        // Another process stored this nonce meanwhile.
        return Ok(match stored_by_nonce(&mut **tx, &rec.nonce).await? {
            Some(stored) => known(&rec.digest, stored),
            None => Err(ApiError::internal("folio collision")),
        });
    }
    if !crate::effects::apply(tx, rec).await? {
        sqlx::query("DELETE FROM packets WHERE folio = $1")
            .bind(rec.folio.clone())
            .execute(&mut **tx)
            .await?;
        return Ok(refuse("el registro patronal pertenece a otro RFC"));
    }
    Ok(Ok(Outcome::Stored(rec.receipt.clone())))
}
