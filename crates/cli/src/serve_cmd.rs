//! `huella serve` — the backend (crate `server`, design.md §5).
//!
//! With no arguments: SQLite under `./data/`, SAT's production CAs as the trust store,
//! `http://127.0.0.1:8080` printed as `{"url": …}` on stdout, JSON logs on stderr. Every flag
//! has an environment variable (`DATABASE_URL=postgres://…` selects PostgreSQL). SIGHUP
//! reloads the trust store and the server keys; `--rotate-key` adds a new HPKE key first
//! (older keys stay, so queued packets still open). `--demo` adds fictitious demo e.firmas
//! and their CA (see `server::demo`); packets older than `--max-age-days` (30) are refused.

use crate::error::CliError;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Flags of `huella serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Listen address.
    #[arg(long, env = "HUELLA_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Data folder (SQLite database, keys, sealed attachments).
    #[arg(long, env = "HUELLA_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// postgres://… (or sqlite://…); default SQLite under the data folder.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Trust anchors: PEM files or folders of them (repeatable; default SAT's production CAs).
    #[arg(
        long = "trust-store",
        env = "HUELLA_TRUST_STORE",
        value_delimiter = ','
    )]
    pub trust_store: Vec<PathBuf>,
    /// Maximum request body in bytes.
    #[arg(long, env = "HUELLA_BODY_LIMIT", default_value_t = 4 * 1024 * 1024)]
    pub body_limit: usize,
    /// Requests per second per client IP (0 = no limit).
    #[arg(long, env = "HUELLA_RATE_LIMIT", default_value_t = 50)]
    pub rate_limit: u32,
    /// Burst per client IP.
    #[arg(long, env = "HUELLA_RATE_BURST", default_value_t = 100)]
    pub rate_burst: u32,
    /// Per-request timeout in seconds.
    #[arg(long, env = "HUELLA_TIMEOUT_SECS", default_value_t = 15)]
    pub timeout_secs: u64,
    /// Oldest acceptable packet, in days since issued_at (kiosk queues may arrive days late;
    /// replays are refused by nonce whatever the age).
    #[arg(long, env = "HUELLA_MAX_AGE_DAYS", default_value_t = 30)]
    pub max_age_days: u64,
    /// Oldest acceptable packet in hours (overrides --max-age-days).
    #[arg(long, env = "HUELLA_MAX_AGE_HOURS")]
    pub max_age_hours: Option<u64>,
    /// Days after an alta without biometrics before `restringido`.
    #[arg(long, env = "HUELLA_RESTRICTED_DAYS", default_value_t = 30)]
    pub restricted_days: i64,
    /// Database connections per process.
    #[arg(long, env = "HUELLA_DB_CONNECTIONS", default_value_t = 8)]
    pub db_connections: u32,
    /// Serve the static pages of this folder (e.g. `www`: browser modules and demos).
    #[arg(long, env = "HUELLA_WWW")]
    pub www: Option<PathBuf>,
    /// Serve demo fixtures from this folder under /testdata/ (development only).
    #[arg(long, env = "HUELLA_DEMO_TESTDATA")]
    pub demo_testdata: Option<PathBuf>,
    /// Add a new current HPKE key before starting.
    #[arg(long)]
    pub rotate_key: bool,
    /// Demo mode: create fictitious demo e.firmas under DATA_DIR/demo, trust their demo CA,
    /// serve them under /api/v1/demo/ and register the demo employer. Never in production.
    #[arg(long, env = "HUELLA_DEMO")]
    pub demo: bool,
}

/// Runs the server until SIGINT/SIGTERM.
pub fn serve(a: ServeArgs) -> Result<(), CliError> {
    server::init_logging();
    if a.rotate_key {
        server::keys::rotate_hpke(&a.data_dir).map_err(|e| CliError::io(&a.data_dir, e))?;
    }
    let cfg = server::ServeConfig {
        addr: a.addr,
        data_dir: a.data_dir,
        database_url: a.database_url,
        trust_store: a.trust_store,
        body_limit: a.body_limit,
        rate_per_sec: a.rate_limit,
        rate_burst: a.rate_burst,
        request_timeout: Duration::from_secs(a.timeout_secs),
        max_age: Duration::from_secs(
            a.max_age_hours
                .map_or(a.max_age_days.saturating_mul(86_400), |h| {
                    h.saturating_mul(3600)
                }),
        ),
        restricted_after_days: a.restricted_days,
        max_connections: a.db_connections,
        www_dir: a.www,
        testdata_dir: a.demo_testdata,
        demo: a.demo,
        ..Default::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("internal", e.to_string()))?;
    rt.block_on(server::serve(cfg, server::Clock::system()))
        .map_err(|e| CliError::new(e.code(), e.to_string()))
}
