//! Per-client rate limiting (token bucket by peer IP) and the middleware that turns every
//! non-JSON error (413 from the body limit, 408 from the timeout, 404/405 from routing)
//! into `{code, message}`.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

/// Token buckets by client address.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// `rate` tokens per second, up to `burst`; `rate == 0` disables limiting.
    pub fn new(rate: u32, burst: u32) -> Self {
        RateLimiter {
            rate: f64::from(rate),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; false when empty.
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let Ok(mut b) = self.buckets.lock() else {
            return true;
        };
        if b.len() > 100_000 {
            b.clear();
        }
        let now = Instant::now();
        let (tokens, last) = b.entry(ip).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.rate).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Rate limit, count responses, and give every error a JSON body.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    if !state.rate.allow(ip) {
        state.metrics.http(429);
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "demasiadas solicitudes; espere un momento",
        )
        .into_response();
    }
    let resp = next.run(req).await;
    let status = resp.status();
    state.metrics.http(status.as_u16());
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("too_large", "el cuerpo de la solicitud es demasiado grande")
        }
        StatusCode::REQUEST_TIMEOUT => ("timeout", "la solicitud tardó demasiado"),
        StatusCode::NOT_FOUND => ("not_found", "no existe"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "método no permitido"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "se espera JSON"),
        s if s.is_client_error() => ("bad_request", "solicitud inválida"),
        _ => ("internal", "error interno"),
    };
    ApiError::new(status, code, message).into_response()
}
