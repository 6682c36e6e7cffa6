//! Huella's backend (design.md §5), started by `huella serve`.
//!
//! | endpoint | what |
//! | --- | --- |
//! | `POST /api/v1/packets` | verify a signed packet (crate `packet`), store it atomically, answer a sealed receipt |
//! | `GET /api/v1/keys` | the HPKE keys attachments are sealed to, and the receipt seal key |
//! | `GET /api/v1/session/challenge`, `POST /api/v1/session` | e.firma login → `HttpOnly; SameSite=Strict` cookie |
//! | `GET /api/v1/session`, `DELETE /api/v1/session` | who is logged in (RFC, CURP, registros patronales); logout |
//! | `GET /api/v1/workers[?status=]`, `GET /api/v1/workers/{nss}` | the session's workers, status, history |
//! | `GET /api/v1/constancia/{nss}` | Constancia de Vigencia de Derechos (HTML, seal, QR) |
//! | `GET /verify/{folio}` | open check of a constancia |
//! | `GET /health`, `GET /metrics` | open, no personal data |
//! | `GET /api/v1/demo/…` | `--demo` only: fictitious demo credentials (see [`demo`]) |
//!
//! Storage: SQLite under the data folder (WAL, `synchronous=FULL`) or PostgreSQL
//! (`DATABASE_URL`), same migrations and queries; sealed attachments behind
//! [`store::AttachmentStore`]. Processes are stateless (sessions, challenges and nonces live
//! in the database), so several can share one PostgreSQL. SIGHUP reloads the trust store and
//! the server keys. Logs are JSON lines without personal data, biometrics or secrets.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

pub mod bench;
pub mod client;
pub mod commit;
pub mod config;
pub mod constancia;
pub mod db;
pub mod demo;
mod effects;
pub mod error;
pub mod ingest;
pub mod keys;
pub mod limits;
pub mod metrics;
pub mod ops;
pub mod session;
pub mod state;
pub mod store;
pub mod trust;
pub mod workers;

pub use config::{Clock, ServeConfig};
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data folder or key files could not be used.
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    /// The database could not be opened or migrated.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Demo mode could not be set up.
    #[error("{0}")]
    Demo(#[from] demo::DemoError),
}

impl ServeError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ServeError::Io(_) => "io",
            ServeError::Db(_) => "database",
            ServeError::Demo(e) => e.code(),
        }
    }
}

/// The router over a state (tests drive it with `tower::ServiceExt::oneshot`).
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    if let Some(dir) = &state.cfg.testdata_dir {
        router = router.nest_service("/testdata", tower_http::services::ServeDir::new(dir));
    }
    if let Some(dir) = &state.cfg.www_dir {
        router = router.fallback_service(static_pages(dir));
    }
    if state.demo.is_some() {
        router = router
            .route("/api/v1/demo/credentials", get(demo::list))
            .route(
                "/api/v1/demo/credentials/{file}",
                get(demo::credential_file),
            )
            .route("/api/v1/demo/ca.cer", get(demo::ca_file));
    }
    router
        .route("/health", get(ops::health))
        .route("/metrics", get(ops::metrics))
        .route("/api/v1/keys", get(ops::keys))
        .route("/api/v1/packets", post(ingest::post_packet))
        .route("/api/v1/session/challenge", get(session::challenge))
        .route(
            "/api/v1/session",
            post(session::login)
                .get(session::current)
                .delete(session::logout),
        )
        .route("/api/v1/workers", get(workers::list))
        .route("/api/v1/workers/{nss}", get(workers::detail))
        .route("/api/v1/constancia/{nss}", get(constancia::issue))
        .route("/verify/{folio}", get(constancia::verify))
        .layer(DefaultBodyLimit::max(state.cfg.body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            state.cfg.request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::guard,
        ))
        .with_state(state)
}

/// Content-Security-Policy of the pages: only this origin's scripts and WebAssembly, network
/// access only to this origin (design.md §7), no plug-ins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'; form-action 'self'";

/// Static files of `dir` with the page security headers.
fn static_pages(dir: &std::path::Path) -> axum::routing::MethodRouter {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;
    let service = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .service(tower_http::services::ServeDir::new(dir));
    axum::routing::get_service(service)
}

/// Opens the database, loads keys and trust anchors, starts the writer.
pub async fn build_state(cfg: ServeConfig, clock: Clock) -> Result<AppState, ServeError> {
    std::fs::create_dir_all(&cfg.data_dir)?;
    let url = cfg
        .database_url
        .clone()
        .unwrap_or_else(|| db::Db::sqlite_url(&cfg.data_dir));
    let db = db::Db::connect(&url, cfg.max_connections).await?;
    let keys = keys::load_or_create(&cfg.data_dir)?;
    let demo = if cfg.demo {
        let (dir, now) = (cfg.data_dir.clone(), clock.now());
        let d = tokio::task::spawn_blocking(move || demo::Demo::load_or_create(&dir, now))
            .await
            .map_err(|e| demo::DemoError::Pki(e.to_string()))??;
        tracing::warn!(folder = %d.dir().display(), "DEMO MODE: the demo CA is trusted and demo credentials are served");
        Some(Arc::new(d))
    } else {
        None
    };
    let (trust, warnings) = trust::load_with_demo(&cfg.trust_store, demo.as_deref());
    for w in warnings {
        tracing::warn!(anchor = %w, "trust anchor skipped");
    }
    for a in trust::describe(&trust) {
        tracing::info!(certificate_number = %a.certificate_number, subject = %a.subject, not_after = %a.not_after, "trust anchor");
    }
    let store = store::FsStore::new(&cfg.data_dir.join("attachments"))?;
    let state = AppState::new(state::Inner {
        writer: commit::Writer::start(db.clone()),
        rate: limits::RateLimiter::new(cfg.rate_per_sec, cfg.rate_burst),
        db,
        clock,
        trust: RwLock::new(Arc::new(trust)),
        keys: RwLock::new(Arc::new(keys)),
        store: Arc::new(store),
        rules: packet::Rules::default(),
        metrics: metrics::Metrics::default(),
        demo,
        cfg,
    });
    // A demo whose employer could not be registered still serves its credentials (the
    // `patron` packet can be filed by hand), so this is logged, not fatal.
    if let Err(e) = demo::seed(&state).await {
        tracing::error!(code = e.code(), error = %e, "demo employer not registered");
    }
    Ok(state)
}

/// JSON logs on stderr (`RUST_LOG` filters; default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Binds, prints `{"url": …}` on stdout, and serves until SIGINT/SIGTERM. SIGHUP reloads
/// the trust store and keys.
pub async fn serve(cfg: ServeConfig, clock: Clock) -> Result<(), ServeError> {
    let addr = cfg.addr;
    let state = build_state(cfg, clock).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("{}", serde_json::json!({"url": format!("http://{local}")}));
    tracing::info!(url = %format!("http://{local}"), "listening");
    let reload_state = state.clone();
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            return;
        };
        while hup.recv().await.is_some() {
            let warnings = reload_state.reload();
            tracing::info!(skipped = warnings.len(), "trust store and keys reloaded");
        }
    });
    let shutdown = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = tokio::signal::ctrl_c() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    };
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}
