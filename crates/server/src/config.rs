//! Server configuration and the injectable clock.

use efirma::Timestamp;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Everything `huella serve` can be told.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Listen address (`127.0.0.1:8080`; port 0 picks a free one).
    pub addr: SocketAddr,
    /// Data folder: SQLite database, server keys, attachments.
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; `None` = SQLite under `data_dir`.
    pub database_url: Option<String>,
    /// PEM files or folders of PEM files; empty = SAT's production CAs (embedded).
    pub trust_store: Vec<PathBuf>,
    /// Maximum request body (bytes).
    pub body_limit: usize,
    /// Requests per second per client (0 disables the limit).
    pub rate_per_sec: u32,
    /// Burst size per client.
    pub rate_burst: u32,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Oldest acceptable `issued_at` (offline kiosk queues drain late, e.g. through
    /// `huella packet import`; replay protection is the nonce table, not the age).
    pub max_age: Duration,
    /// Tolerated clock skew into the future.
    pub max_skew: Duration,
    /// Days after an alta without biometrics before the worker is `restringido`.
    pub restricted_after_days: i64,
    /// Session lifetime.
    pub session_ttl: Duration,
    /// Database connections.
    pub max_connections: u32,
    /// Static web pages served for every path no API route takes (the browser modules and
    /// demo pages under `www/`); `None` serves no files.
    pub www_dir: Option<PathBuf>,
    /// Demo fixtures (sample prints and face) served under `/testdata/`; `None` in production.
    pub testdata_dir: Option<PathBuf>,
    /// Demo mode: fictitious demo credentials and their CA (trusted only then), the
    /// `/api/v1/demo/…` routes and a registered demo employer (see [`crate::demo`]).
    pub demo: bool,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            trust_store: Vec::new(),
            body_limit: 4 * 1024 * 1024,
            rate_per_sec: 50,
            rate_burst: 100,
            request_timeout: Duration::from_secs(15),
            max_age: Duration::from_secs(30 * 86_400),
            max_skew: Duration::from_secs(300),
            restricted_after_days: 30,
            session_ttl: Duration::from_secs(8 * 3600),
            max_connections: 8,
            www_dir: None,
            testdata_dir: None,
            demo: false,
        }
    }
}

/// The server's notion of "now": the system clock, or a settable one in tests.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The operating system clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock stopped at `t`, movable with [`Clock::set`] / [`Clock::advance`].
    pub fn fixed(t: Timestamp) -> Self {
        Clock {
            fixed: Some(Arc::new(AtomicI64::new(t.unix()))),
        }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(t) => Timestamp::from_unix(t.load(Ordering::SeqCst)),
            None => Timestamp::now(),
        }
    }

    /// Sets a fixed clock (no effect on the system clock).
    pub fn set(&self, t: Timestamp) {
        if let Some(f) = &self.fixed {
            f.store(t.unix(), Ordering::SeqCst);
        }
    }

    /// Moves a fixed clock forward.
    pub fn advance(&self, secs: i64) {
        if let Some(f) = &self.fixed {
            f.fetch_add(secs, Ordering::SeqCst);
        }
    }
}
