//! Open operational endpoints, free of personal data: `/health`, `/metrics`, and the
//! public keys at `/api/v1/keys`.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// `GET /health`: database reachability, the trust anchors, and whether demo mode is on.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let db_ok = state.db.ping().await;
    let anchors = crate::trust::describe(&state.trust());
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "database": match state.db.engine { crate::db::Engine::Sqlite => "sqlite", crate::db::Engine::Postgres => "postgres" },
        "database_ok": db_ok,
        "trust_anchors": anchors,
        "demo": state.demo.is_some(),
        "hpke_keys": state.keys().keyring.public_keys().iter().map(|k| k.kid.clone()).collect::<Vec<_>>(),
    });
    let status = if db_ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

/// `GET /api/v1/keys`: the HPKE keys to seal attachments to (current first) and the
/// Ed25519 key that seals receipts and constancias.
pub async fn keys(State(state): State<AppState>) -> impl IntoResponse {
    let keys = state.keys();
    let hpke = keys.keyring.public_keys();
    Json(serde_json::json!({
        "current": hpke.first(),
        "hpke": hpke,
        "seal": {
            "kid": crate::ingest::seal_kid(&state),
            "alg": "Ed25519",
            "key": B64.encode(keys.seal.verifying_key().to_bytes()),
        },
    }))
}
