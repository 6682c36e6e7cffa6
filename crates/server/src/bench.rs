//! Load generator behind `huella bench`: distinct valid signed packets, each with ten
//! WSQ-sized prints and a face, posted by N concurrent clients; reports packets/s, latency
//! percentiles, errors and lost receipts.
//!
//! Packets are built and signed before the clock starts (signing is client work). With
//! [`Target::InProcess`] the server runs in this process on a port of 127.0.0.1 (same 2
//! cores as the clients, like a real box behind a proxy) and lost receipts are checked in
//! its database: every 201 must name a stored folio.

use crate::client::Http;
use crate::config::{Clock, ServeConfig};
use crate::state::AppState;
use axum::body::Bytes;
use packet::{Action, BuildOptions, Manifest, NewAttachment, PublicKey, Rules, Timestamp};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Where the packets go.
pub enum Target {
    /// A running server.
    Url(String),
    /// A server started here with this configuration (rate limit off).
    InProcess(Box<ServeConfig>),
}

/// Load parameters.
pub struct BenchOptions {
    /// Server.
    pub target: Target,
    /// The signer (must chain to the server's trust store).
    pub credential: efirma::Credential,
    /// Signing time (inside the credential's validity); `None` = now.
    pub at: Option<Timestamp>,
    /// Packets to post.
    pub packets: usize,
    /// Concurrent clients.
    pub concurrency: usize,
    /// Offered load in packets/s (open loop: packet i is due at i/rate and its latency is
    /// counted from then); `None` = as fast as the clients go (closed loop, saturation).
    pub rate: Option<f64>,
    /// Bytes per fingerprint (WSQ-sized).
    pub finger_bytes: usize,
    /// Bytes of the face image.
    pub face_bytes: usize,
    /// Registro patronal to use (registered by the bench with a `patron` packet).
    pub registro_patronal: String,
}

/// What was measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// `sqlite`, `postgres` or `url`.
    pub backend: String,
    /// Packets posted.
    pub packets: usize,
    /// Concurrent clients.
    pub concurrency: usize,
    /// Offered load (packets/s), if open loop.
    pub offered_rate: Option<f64>,
    /// Average packet JSON size.
    pub bytes_per_packet: usize,
    /// Seconds to build and sign (not timed in the rate).
    pub build_seconds: f64,
    /// Wall time of the timed phase.
    pub seconds: f64,
    /// Receipted packets per second.
    pub packets_per_sec: f64,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// Worst latency.
    pub max_ms: f64,
    /// Non-201 answers or transport errors.
    pub errors: usize,
    /// Receipts whose folio is not stored (in-process only; `None` otherwise).
    pub lost_receipts: Option<usize>,
}

fn filler(len: usize, seed: u64) -> Vec<u8> {
    // xorshift: incompressible-looking bytes, cheap.
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn bio_manifest(rp: &str) -> Manifest {
    let mut m = packet::template(Action::Biometria);
    if let Some(e) = m.employer.as_mut() {
        e.registro_patronal = rp.into();
    }
    m
}

fn with_rp(action: Action, rp: &str) -> Manifest {
    let mut m = packet::template(action);
    if let Some(e) = m.employer.as_mut() {
        e.registro_patronal = rp.into();
    }
    m
}

fn build_one(
    o: &BenchOptions,
    key: &PublicKey,
    m: Manifest,
    i: usize,
    with_bio: bool,
) -> Result<Bytes, String> {
    let mut atts = Vec::new();
    if with_bio {
        atts.push(NewAttachment {
            name: "face".into(),
            media_type: "image/jpeg".into(),
            bytes: filler(o.face_bytes, i as u64 * 11 + 1),
            ..Default::default()
        });
        for p in 1..=10u64 {
            atts.push(NewAttachment {
                name: format!("finger.{p}"),
                media_type: "image/x-wsq".into(),
                bytes: filler(o.finger_bytes, i as u64 * 11 + 1 + p),
                ppi: Some(500),
                ..Default::default()
            });
        }
    }
    let rules = Rules::default();
    let built = packet::build(
        m,
        &atts,
        &BuildOptions {
            credential: &o.credential,
            at: o.at.unwrap_or_else(Timestamp::now),
            server_key: Some(key),
            rules: &rules,
        },
    )
    .map_err(|e| format!("{}: {e}", e.code()))?;
    Ok(Bytes::from(built.packet.to_json()))
}

async fn start_in_process(cfg: ServeConfig, clock: Clock) -> Result<(String, AppState), String> {
    let state = crate::build_state(cfg, clock)
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = crate::app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok((format!("http://{addr}"), state))
}

/// Runs the benchmark.
pub async fn run(o: BenchOptions) -> Result<BenchReport, String> {
    let http = Http::new();
    let at = o.at.unwrap_or_else(Timestamp::now);
    let (url, state, backend) = match &o.target {
        Target::Url(u) => (u.trim_end_matches('/').to_string(), None, "url".to_string()),
        Target::InProcess(cfg) => {
            let cfg = ServeConfig {
                rate_per_sec: 0,
                ..(**cfg).clone()
            };
            let backend = if cfg
                .database_url
                .as_deref()
                .is_some_and(|u| u.starts_with("postgres"))
            {
                "postgres"
            } else {
                "sqlite"
            };
            let (u, s) = start_in_process(cfg, Clock::fixed(at)).await?;
            (u, Some(s), backend.to_string())
        }
    };
    let (status, body) = http
        .get(&format!("{url}/api/v1/keys"), None)
        .await
        .map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("GET /api/v1/keys: {status}"));
    }
    let keys: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let key: PublicKey =
        serde_json::from_value(keys["current"].clone()).map_err(|e| e.to_string())?;

    // Setup: the employer and the worker.
    for action in [Action::Patron, Action::Alta] {
        let p = build_one(&o, &key, with_rp(action, &o.registro_patronal), 0, false)?;
        let (s, b) = http
            .post(&format!("{url}/api/v1/packets"), p)
            .await
            .map_err(|e| e.to_string())?;
        if s != 201 && s != 200 {
            return Err(format!(
                "setup {}: {s} {}",
                action.as_str(),
                String::from_utf8_lossy(&b)
            ));
        }
    }

    // Build and sign everything first, on all cores.
    let t0 = Instant::now();
    let o = Arc::new(o);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let mut handles = Vec::new();
    for t in 0..threads {
        let (o, key) = (o.clone(), key.clone());
        handles.push(std::thread::spawn(move || {
            (t..o.packets)
                .step_by(threads)
                .map(|i| {
                    build_one(&o, &key, bio_manifest(&o.registro_patronal), i + 1, true)
                        .map(|b| (i, b))
                })
                .collect::<Result<Vec<_>, String>>()
        }));
    }
    let mut packets: Vec<(usize, Bytes)> = Vec::with_capacity(o.packets);
    for h in handles {
        packets.extend(
            h.join()
                .map_err(|_| "builder thread panicked".to_string())??,
        );
    }
    packets.sort_by_key(|p| p.0);
    let packets: Arc<Vec<Bytes>> = Arc::new(packets.into_iter().map(|p| p.1).collect());
    let build_seconds = t0.elapsed().as_secs_f64();
    let bytes_per_packet = packets.iter().map(|p| p.len()).sum::<usize>() / packets.len().max(1);

    // Timed phase.
    let next = Arc::new(AtomicUsize::new(0));
    let t1 = Instant::now();
    let mut clients = Vec::new();
    let rate = o.rate.filter(|r| *r > 0.0);
    for _ in 0..o.concurrency {
        let (http, url, packets, next) = (http.clone(), url.clone(), packets.clone(), next.clone());
        let t1 = tokio::time::Instant::from_std(t1);
        clients.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut folios = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = packets.get(i) else { break };
                let start = match rate {
                    Some(r) => {
                        let due = t1 + std::time::Duration::from_secs_f64(i as f64 / r);
                        tokio::time::sleep_until(due).await;
                        due.into_std()
                    }
                    None => Instant::now(),
                };
                match http.post(&format!("{url}/api/v1/packets"), p.clone()).await {
                    Ok((201, body)) => {
                        lat.push(start.elapsed().as_secs_f64() * 1000.0);
                        let v: serde_json::Value =
                            serde_json::from_slice(&body).unwrap_or_default();
                        folios.push(v["folio"].as_str().unwrap_or_default().to_string());
                    }
                    _ => errors += 1,
                }
            }
            (lat, folios, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut folios = Vec::new();
    let mut errors = 0;
    for c in clients {
        let (l, f, e) = c.await.map_err(|e| e.to_string())?;
        lat.extend(l);
        folios.extend(f);
        errors += e;
    }
    let seconds = t1.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |q: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let idx = ((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1;
        lat[idx]
    };
    let lost_receipts = match &state {
        Some(s) => {
            let rows = sqlx::query("SELECT folio FROM packets")
                .fetch_all(&s.db.pool)
                .await
                .map_err(|e| e.to_string())?;
            let stored: HashSet<String> = rows
                .iter()
                .filter_map(|r| r.try_get::<String, _>("folio").ok())
                .collect();
            Some(folios.iter().filter(|f| !stored.contains(*f)).count())
        }
        None => None,
    };
    Ok(BenchReport {
        backend,
        packets: packets.len(),
        concurrency: o.concurrency,
        offered_rate: rate,
        bytes_per_packet,
        build_seconds,
        seconds,
        packets_per_sec: lat.len() as f64 / seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: lat.last().copied().unwrap_or(0.0),
        errors,
        lost_receipts,
    })
}

/// A temporary data folder for an in-process bench server.
pub fn temp_data_dir() -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("huella-bench-{}-{stamp}", std::process::id()))
}
