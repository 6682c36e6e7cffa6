//! `GET /api/v1/workers[?status=…]` and `GET /api/v1/workers/{nss}` (with history).
//!
//! An employer (session RFC) sees the workers of the registros patronales bound to its RFC; a
//! pensioner (session CURP) sees only itself. Anything else answers 404, so an employer cannot
//! even learn that another employer's NSS exists.

use crate::db::{opt_i64, opt_text};
use crate::error::{ApiError, ApiResult};
use crate::session::Session;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use efirma::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A worker as listed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Worker {
    /// NSS.
    pub nss: String,
    /// CURP.
    pub curp: String,
    /// Name.
    pub name: String,
    /// Current registro patronal (none for a pensioner).
    pub registro_patronal: Option<String>,
    /// `sin_biometria` | `biometrico_registrado` | `restringido` | `dado_de_baja`.
    pub status: String,
    /// Alta date (movement).
    pub alta_date: Option<String>,
    /// Baja date (movement).
    pub baja_date: Option<String>,
    /// Current SBC.
    pub sbc: Option<String>,
    /// When biometrics were receipted.
    pub biometrics_at: Option<String>,
    /// Deadline for biometrics (alta + N days) while `sin_biometria`/`restringido`.
    pub biometrics_deadline: Option<String>,
}

/// Computes the status at `now`.
pub fn status(row: &AnyRow, now: i64, restricted_after_days: i64) -> (String, Option<i64>) {
    let deadline = opt_i64(row, "alta_at").map(|a| a + restricted_after_days * 86_400);
    let s = if opt_i64(row, "baja_at").is_some() {
        "dado_de_baja"
    } else if opt_i64(row, "biometrics_at").is_some() {
        "biometrico_registrado"
    } else if deadline.is_some_and(|d| now >= d) {
        "restringido"
    } else {
        "sin_biometria"
    };
    let pending = matches!(s, "sin_biometria" | "restringido");
    (s.to_string(), deadline.filter(|_| pending))
}

fn to_worker(row: &AnyRow, state: &AppState) -> Worker {
    let now = state.clock.now().unix();
    let (status, deadline) = status(row, now, state.cfg.restricted_after_days);
    let ts = |v: Option<i64>| v.map(|t| Timestamp::from_unix(t).to_rfc3339());
    Worker {
        nss: row.try_get("nss").unwrap_or_default(),
        curp: row.try_get("curp").unwrap_or_default(),
        name: row.try_get("name").unwrap_or_default(),
        registro_patronal: opt_text(row, "registro_patronal"),
        status,
        alta_date: opt_text(row, "alta_date"),
        baja_date: opt_text(row, "baja_date"),
        sbc: opt_text(row, "sbc"),
        biometrics_at: ts(opt_i64(row, "biometrics_at")),
        biometrics_deadline: ts(deadline),
    }
}

/// Rows visible to a session: `$1` = session RFC, `$2` = session CURP.
macro_rules! visible {
    () => {
        "(registro_patronal IN (SELECT registro_patronal FROM employers WHERE rfc = $1) OR curp = $2)"
    };
}

/// Query string of the list.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Only this status.
    pub status: Option<String>,
    /// Only this registro patronal.
    pub registro_patronal: Option<String>,
}

/// `GET /api/v1/workers`.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let rows = sqlx::query(concat!(
        "SELECT * FROM workers WHERE ",
        visible!(),
        " ORDER BY nss"
    ))
    .bind(session.rfc.clone())
    .bind(session.curp.clone().unwrap_or_default())
    .fetch_all(&state.db.pool)
    .await?;
    let workers: Vec<Worker> = rows
        .iter()
        .map(|r| to_worker(r, &state))
        .filter(|w| q.status.as_ref().is_none_or(|s| *s == w.status))
        .filter(|w| {
            q.registro_patronal
                .as_ref()
                .is_none_or(|rp| Some(rp) == w.registro_patronal.as_ref())
        })
        .collect();
    Ok(Json(serde_json::json!({"workers": workers})))
}

/// Loads one worker visible to `session`, or 404.
pub async fn visible_worker(state: &AppState, session: &Session, nss: &str) -> ApiResult<AnyRow> {
    sqlx::query(concat!(
        "SELECT * FROM workers WHERE nss = $3 AND ",
        visible!()
    ))
    .bind(session.rfc.clone())
    .bind(session.curp.clone().unwrap_or_default())
    .bind(nss.to_string())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("trabajador no encontrado"))
}

/// `GET /api/v1/workers/{nss}`.
pub async fn detail(
    State(state): State<AppState>,
    session: Session,
    Path(nss): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let row = visible_worker(&state, &session, &nss).await?;
    let worker = to_worker(&row, &state);
    let self_view = session.curp.as_deref() == Some(worker.curp.as_str());
    let events = sqlx::query(
        "SELECT folio, action, registro_patronal, at, detail FROM events WHERE nss = $1 AND \
         ($2 = 1 OR registro_patronal IN (SELECT registro_patronal FROM employers WHERE rfc = $3)) \
         ORDER BY seq",
    )
    .bind(nss)
    .bind(i64::from(self_view))
    .bind(session.rfc.clone())
    .fetch_all(&state.db.pool)
    .await?;
    let history: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            let detail: serde_json::Value = e
                .try_get::<String, _>("detail")
                .ok()
                .and_then(|d| serde_json::from_str(&d).ok())
                .unwrap_or_default();
            serde_json::json!({
                "folio": e.try_get::<String, _>("folio").unwrap_or_default(),
                "action": e.try_get::<String, _>("action").unwrap_or_default(),
                "registro_patronal": opt_text(e, "registro_patronal"),
                "at": opt_i64(e, "at").map(|t| Timestamp::from_unix(t).to_rfc3339()),
                "detail": detail,
            })
        })
        .collect();
    Ok(Json(
        serde_json::json!({"worker": worker, "history": history}),
    ))
}
