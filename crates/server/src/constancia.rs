//! Constancia de Vigencia de Derechos (domain.md §10): `GET /api/v1/constancia/{nss}` issues
//! a printable HTML document with a folio, the server's Ed25519 seal over its canonical
//! content and a QR code to `GET /verify/{folio}`, which anyone can open to check it.
//!
//! Vigencia applies conservación de derechos (LSS 109): after a baja, a worker with at least
//! 8 weeks of contributions keeps rights for 8 weeks.

use crate::db::{opt_i64, opt_text};
use crate::error::{ApiError, ApiResult};
use crate::session::Session;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use efirma::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::Row;

const EIGHT_WEEKS: i64 = 56 * 86_400;

/// What the seal covers (field order is the sealed serialisation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConstanciaContent {
    /// `huella.constancia/1`.
    pub format: String,
    /// Folio.
    pub folio: String,
    /// Issue time.
    pub issued_at: String,
    /// NSS.
    pub nss: String,
    /// CURP.
    pub curp: String,
    /// Name.
    pub name: String,
    /// Whether medical rights are in force.
    pub vigente: bool,
    /// Until when (conservación de derechos), if after a baja.
    pub vigente_hasta: Option<String>,
    /// Last registro patronal.
    pub registro_patronal: Option<String>,
    /// Employer name.
    pub patron: Option<String>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    format!("{}://{}", if https { "https" } else { "http" }, host)
}

fn qr_svg(url: &str) -> ApiResult<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(ApiError::internal)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .build())
}

/// `GET /api/v1/constancia/{nss}`.
pub async fn issue(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(nss): Path<String>,
) -> ApiResult<Response> {
    let row = crate::workers::visible_worker(&state, &session, &nss).await?;
    let now = state.clock.now();
    let rp = opt_text(&row, "registro_patronal");
    let patron = match &rp {
        Some(rp) => sqlx::query("SELECT name FROM employers WHERE registro_patronal = $1")
            .bind(rp.clone())
            .fetch_optional(&state.db.pool)
            .await?
            .and_then(|r| r.try_get::<String, _>("name").ok()),
        None => None,
    };
    let (vigente, hasta) = match (opt_i64(&row, "baja_at"), opt_i64(&row, "alta_at")) {
        (Some(baja), Some(alta)) if baja - alta >= EIGHT_WEEKS => {
            (now.unix() <= baja + EIGHT_WEEKS, Some(baja + EIGHT_WEEKS))
        }
        (Some(baja), _) => (false, Some(baja)),
        (None, _) => (true, None),
    };
    let mut folio_bytes = [0u8; 10];
    getrandom::fill(&mut folio_bytes).map_err(ApiError::internal)?;
    let content = ConstanciaContent {
        format: "huella.constancia/1".into(),
        folio: format!("CV-{}", hex::encode_upper(folio_bytes)),
        issued_at: now.to_rfc3339(),
        nss: nss.clone(),
        curp: row.try_get("curp").unwrap_or_default(),
        name: row.try_get("name").unwrap_or_default(),
        vigente,
        vigente_hasta: hasta.map(|t| Timestamp::from_unix(t).to_rfc3339()),
        registro_patronal: rp,
        patron,
    };
    let json = serde_json::to_string(&content).map_err(ApiError::internal)?;
    let seal = crate::keys::seal(&state.keys().seal, json.as_bytes());
    sqlx::query("INSERT INTO constancias (folio, nss, issued_at, content, seal) VALUES ($1, $2, $3, $4, $5)")
        .bind(content.folio.clone())
        .bind(nss)
        .bind(now.unix())
        .bind(json)
        .bind(seal.clone())
        .execute(&state.db.pool)
        .await?;
    let url = format!("{}/verify/{}", base_url(&headers), content.folio);
    let svg = qr_svg(&url)?;
    let c = &content;
    let html = format!(
        "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\">\
<title>Constancia de Vigencia de Derechos {folio}</title>\
<style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;font-size:1.1rem}}\
table td{{padding:.3em .8em}}.seal{{font-family:monospace;word-break:break-all;font-size:.8rem}}\
@media print{{a{{color:inherit}}}}</style></head><body>\
<h1>Constancia de Vigencia de Derechos</h1>\
<table><tr><td>Folio</td><td><strong>{folio}</strong></td></tr>\
<tr><td>Emitida</td><td>{issued}</td></tr>\
<tr><td>Nombre</td><td>{name}</td></tr><tr><td>NSS</td><td>{nss}</td></tr>\
<tr><td>CURP</td><td>{curp}</td></tr>\
<tr><td>Derecho a atención médica</td><td><strong>{vig}</strong>{hasta}</td></tr>\
<tr><td>Registro patronal</td><td>{rp}</td></tr><tr><td>Patrón</td><td>{patron}</td></tr></table>\
<p>Verifique esta constancia en <a href=\"{url}\">{url}</a></p>{svg}\
<p class=\"seal\">Sello digital del servidor ({kid}): {seal}</p></body></html>",
        folio = esc(&c.folio),
        issued = esc(&c.issued_at),
        name = esc(&c.name),
        nss = esc(&c.nss),
        curp = esc(&c.curp),
        vig = if c.vigente { "VIGENTE" } else { "NO VIGENTE" },
        hasta = c
            .vigente_hasta
            .as_ref()
            .map(|h| format!(" (conservación de derechos hasta {})", esc(h)))
            .unwrap_or_default(),
        rp = esc(c.registro_patronal.as_deref().unwrap_or("—")),
        patron = esc(c.patron.as_deref().unwrap_or("—")),
        url = esc(&url),
        kid = esc(&crate::ingest::seal_kid(&state)),
        seal = esc(&seal),
    );
    Ok(Html(html).into_response())
}

/// Query of the verification page.
#[derive(Deserialize)]
pub struct VerifyQuery {
    /// `json` for a machine answer.
    pub format: Option<String>,
}

fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 >= n { c } else { '•' })
        .collect()
}

/// `GET /verify/{folio}` — open to anyone.
pub async fn verify(
    State(state): State<AppState>,
    Path(folio): Path<String>,
    Query(q): Query<VerifyQuery>,
) -> ApiResult<Response> {
    let row = sqlx::query("SELECT content, seal FROM constancias WHERE folio = $1")
        .bind(folio)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("folio inexistente"))?;
    let content: String = row.try_get("content").map_err(ApiError::from)?;
    let seal: String = row.try_get("seal").map_err(ApiError::from)?;
    let valid = crate::keys::check_seal(
        &state.keys().seal.verifying_key(),
        content.as_bytes(),
        &seal,
    );
    let c: ConstanciaContent = serde_json::from_str(&content).map_err(ApiError::internal)?;
    if q.format.as_deref() == Some("json") {
        return Ok(Json(serde_json::json!({
            "folio": c.folio, "seal_valid": valid, "issued_at": c.issued_at, "name": c.name,
            "nss": mask(&c.nss), "vigente": c.vigente, "vigente_hasta": c.vigente_hasta,
        }))
        .into_response());
    }
    let html = format!(
        "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>Verificación {f}</title></head>\
<body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\"><h1>{verdict}</h1>\
<p>Folio {f}, emitida {i}</p><p>{n} — NSS {nss}</p><p>Derecho a atención médica: <strong>{v}</strong></p></body></html>",
        verdict = if valid { "Constancia auténtica: el sello del servidor es válido" } else { "Sello NO válido" },
        f = esc(&c.folio),
        i = esc(&c.issued_at),
        n = esc(&c.name),
        nss = esc(&mask(&c.nss)),
        v = if c.vigente { "VIGENTE" } else { "NO VIGENTE" },
    );
    Ok(Html(html).into_response())
}
