//! e.firma sessions: `GET /api/v1/session/challenge` → a nonce; the client signs the nonce's
//! UTF-8 bytes with its FIEL (detached CMS); `POST /api/v1/session {challenge, signature}` →
//! an `HttpOnly; SameSite=Strict` cookie (plus `Secure` behind https) bound to the RFC.
//!
//! Challenges and sessions live in the database (processes are stateless); a challenge works
//! once and for 5 minutes; the cookie holds a random token, the table only its SHA-256.
//!
//! `GET /api/v1/session` answers who the cookie belongs to — `{rfc, curp,
//! registros_patronales: [{registro_patronal, name, zone}]}`, the registros bound to the RFC
//! by its `patron` packets — or 401 `unauthenticated`. `DELETE /api/v1/session` logs out:
//! the session row is deleted and the cookie cleared (204, also when there was no session).

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use efirma::{verify_cms, Kind, VerifyOptions};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

const COOKIE: &str = "huella_session";
const CHALLENGE_TTL: i64 = 300;

fn random_token() -> ApiResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| ApiError::internal(format!("getrandom: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(b))
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `GET /api/v1/session/challenge`.
pub async fn challenge(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let nonce = format!("huella-login:{}", random_token()?);
    let expires = state.clock.now().unix() + CHALLENGE_TTL;
    sqlx::query("INSERT INTO challenges (nonce, expires_at, used) VALUES ($1, $2, 0)")
        .bind(nonce.clone())
        .bind(expires)
        .execute(&state.db.pool)
        .await?;
    Ok(Json(
        serde_json::json!({"challenge": nonce, "expires_in": CHALLENGE_TTL}),
    ))
}

/// Body of `POST /api/v1/session`.
#[derive(Deserialize)]
pub struct Login {
    /// The challenge as received.
    pub challenge: String,
    /// base64 DER detached CMS over the challenge's UTF-8 bytes.
    pub signature: String,
}

/// `POST /api/v1/session`.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let login: Login = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("se espera {challenge, signature}"))?;
    let sig = STANDARD
        .decode(&login.signature)
        .map_err(|_| ApiError::bad_request("signature no es base64"))?;
    let now = state.clock.now();
    let trust = state.trust();
    let verified = verify_cms(
        &sig,
        login.challenge.as_bytes(),
        VerifyOptions {
            trust: Some(&trust),
            at: Some(now),
        },
    )
    .map_err(|e| ApiError::new(StatusCode::UNAUTHORIZED, e.code(), e.to_string()))?;
    let id = verified.signer.identity();
    if id.kind != Kind::Fiel {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "not_fiel",
            "se requiere e.firma (FIEL)",
        ));
    }
    let used = sqlx::query(
        "UPDATE challenges SET used = 1 WHERE nonce = $1 AND used = 0 AND expires_at >= $2",
    )
    .bind(login.challenge.clone())
    .bind(now.unix())
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if used != 1 {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_challenge",
            "reto desconocido, usado o vencido",
        ));
    }
    let token = random_token()?;
    let ttl = state.cfg.session_ttl.as_secs() as i64;
    let curp = id.curp.clone().or_else(|| id.representative_curp.clone());
    sqlx::query("INSERT INTO sessions (token_hash, rfc, curp, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash(&token))
        .bind(id.rfc.clone())
        .bind(curp.clone())
        .bind(now.unix() + ttl)
        .execute(&state.db.pool)
        .await?;
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={ttl}{}",
        secure(&headers)
    );
    let body = serde_json::json!({"rfc": id.rfc, "curp": curp, "name": id.name, "expires_in": ttl});
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// `"; Secure"` behind https (as told by the proxy's `X-Forwarded-Proto`).
fn secure(headers: &HeaderMap) -> &'static str {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    if https {
        "; Secure"
    } else {
        ""
    }
}

/// `GET /api/v1/session`: the session's RFC, CURP and registros patronales.
pub async fn current(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<serde_json::Value>> {
    let rows = sqlx::query(
        "SELECT registro_patronal, name, zone FROM employers WHERE rfc = $1 \
         ORDER BY registro_patronal",
    )
    .bind(session.rfc.clone())
    .fetch_all(&state.db.pool)
    .await?;
    let mut rps = Vec::with_capacity(rows.len());
    for r in &rows {
        rps.push(serde_json::json!({
            "registro_patronal": r.try_get::<String, _>("registro_patronal")?,
            "name": r.try_get::<String, _>("name")?,
            "zone": r.try_get::<String, _>("zone")?,
        }));
    }
    Ok(Json(serde_json::json!({
        "rfc": session.rfc,
        "curp": session.curp,
        "registros_patronales": rps,
    })))
}

/// `DELETE /api/v1/session`: logout.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = cookie_token(&headers) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash(&token))
            .execute(&state.db.pool)
            .await?;
    }
    let cookie = format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        secure(&headers)
    );
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// A verified session, extracted from the cookie.
#[derive(Debug, Clone)]
pub struct Session {
    /// The RFC the session is bound to.
    pub rfc: String,
    /// The CURP (holder, or representative of a moral).
    pub curp: Option<String>,
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let row =
            sqlx::query("SELECT rfc, curp FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                .bind(hash(&token))
                .bind(state.clock.now().unix())
                .fetch_optional(&state.db.pool)
                .await?
                .ok_or_else(ApiError::unauthenticated)?;
        Ok(Session {
            rfc: row.try_get("rfc").map_err(ApiError::from)?,
            curp: crate::db::opt_text(&row, "curp"),
        })
    }
}
