//! Demo routes (registered only with `--demo`) and the demo employer's registration.
//!
//! | endpoint | what |
//! | --- | --- |
//! | `GET /api/v1/demo/credentials` | the demo credentials, with the (fictitious) password |
//! | `GET /api/v1/demo/credentials/{id}.cer` / `.key` | the files, `application/octet-stream` |
//! | `GET /api/v1/demo/ca.cer` | the demo CA certificate |

use super::{DemoError, EMPLOYER_NAME, PASSWORD, REGISTRO_PATRONAL};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use packet::{Action, BuildOptions, Employer};
use sqlx::Row;

const PREFIX: &str = "/api/v1/demo/credentials";

fn demo(state: &AppState) -> ApiResult<&super::Demo> {
    state
        .demo
        .as_deref()
        .ok_or_else(|| ApiError::not_found("modo demostración desactivado"))
}

/// `GET /api/v1/demo/credentials`.
pub async fn list(State(state): State<AppState>) -> ApiResult<Response> {
    let d = demo(&state)?;
    let creds: Vec<serde_json::Value> = d
        .credentials()
        .iter()
        .map(|c| {
            let mut v = serde_json::json!({
                "id": c.id,
                "label": c.label,
                "kind": c.kind,
                "rfc": c.rfc,
                "curp": c.curp,
                "name": c.name,
                "password": PASSWORD,
                "cer": format!("{PREFIX}/{}.cer", c.id),
                "key": format!("{PREFIX}/{}.key", c.id),
                "certificate_number": c.certificate_number,
                "not_after": c.not_after,
            });
            if let Some(rp) = &c.registro_patronal {
                v["registro_patronal"] = rp.clone().into();
                v["employer_name"] = EMPLOYER_NAME.into();
            }
            if let Some(nss) = &c.nss {
                v["nss"] = nss.clone().into();
            }
            v
        })
        .collect();
    let body = serde_json::json!({
        "notice": "Credenciales ficticias de demostración, emitidas por una AC de demostración \
                   que solo este servidor (--demo) reconoce. No son del SAT.",
        "ca": "/api/v1/demo/ca.cer",
        "credentials": creds,
    });
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

fn download(name: &str, bytes: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/v1/demo/credentials/{file}` with `file` = `<id>.cer` or `<id>.key`.
pub async fn credential_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> ApiResult<Response> {
    let d = demo(&state)?;
    let bytes = d
        .file(&file)
        .ok_or_else(|| ApiError::not_found("archivo de demostración desconocido"))?;
    Ok(download(&file, bytes))
}

/// `GET /api/v1/demo/ca.cer`.
pub async fn ca_file(State(state): State<AppState>) -> ApiResult<Response> {
    let d = demo(&state)?;
    Ok(download("ac-demo-huella.cer", d.ca_der().to_vec()))
}

/// Files the demo employer's `patron` packet (registro [`REGISTRO_PATRONAL`]) through the same
/// ingest path as any packet, unless the registro is already bound to the demo employer.
/// Returns the HTTP status the ingest answered (`None` when nothing had to be filed).
pub async fn seed(state: &AppState) -> Result<Option<StatusCode>, DemoError> {
    let Some(d) = state.demo.clone() else {
        return Ok(None);
    };
    let employer = d
        .credentials()
        .iter()
        .find(|c| c.registro_patronal.is_some())
        .cloned()
        .ok_or_else(|| DemoError::Seed("sin empleador de demostración".into()))?;
    let owner = sqlx::query("SELECT rfc FROM employers WHERE registro_patronal = $1")
        .bind(REGISTRO_PATRONAL.to_string())
        .fetch_optional(&state.db.pool)
        .await
        .map_err(|e| DemoError::Seed(e.to_string()))?
        .and_then(|r| r.try_get::<String, _>("rfc").ok());
    match owner {
        Some(rfc) if rfc == employer.rfc => return Ok(None),
        Some(_) => {
            return Err(DemoError::Seed(format!(
                "el registro patronal {REGISTRO_PATRONAL} pertenece a otro RFC"
            )))
        }
        None => {}
    }
    let mut m = packet::template(Action::Patron);
    m.employer = Some(Employer {
        registro_patronal: REGISTRO_PATRONAL.into(),
        name: Some(EMPLOYER_NAME.into()),
        zone: "general".into(),
    });
    let (at, rules, id) = (state.clock.now(), state.rules.clone(), employer.id);
    let built = tokio::task::spawn_blocking(move || {
        let cred = d.open(&id)?;
        packet::build(
            m,
            &[],
            &BuildOptions {
                credential: &cred,
                at,
                server_key: None,
                rules: &rules,
            },
        )
        .map_err(|e| DemoError::Seed(format!("{}: {e}", e.code())))
    })
    .await
    .map_err(|e| DemoError::Seed(e.to_string()))??;
    let resp =
        crate::ingest::post_packet(State(state.clone()), Bytes::from(built.packet.to_json())).await;
    let status = resp.status();
    if status == StatusCode::CREATED || status == StatusCode::OK {
        tracing::info!(
            registro_patronal = REGISTRO_PATRONAL,
            "demo employer registered"
        );
        return Ok(Some(status));
    }
    let body = axum::body::to_bytes(resp.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    Err(DemoError::Seed(format!(
        "HTTP {status}: {}",
        String::from_utf8_lossy(&body)
    )))
}
