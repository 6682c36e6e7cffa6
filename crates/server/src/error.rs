//! API errors: every failure is JSON `{code, message}` with the right HTTP status.
//!
//! Internal failures answer a generic message; their detail goes to the log (never personal
//! data: callers pass only codes and identifiers that are safe to log).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A failure answered to the client.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine code.
    pub code: &'static str,
    /// Human message (Spanish).
    pub message: String,
}

impl ApiError {
    /// Any error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 401: a session is required.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "se requiere una sesión con e.firma",
        )
    }

    /// 403: the session's RFC may not see or do this.
    pub fn forbidden(what: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, "not_authorized", what)
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 500 with the detail only in the log.
    pub fn internal(detail: impl core::fmt::Display) -> Self {
        tracing::error!(detail = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "error interno; intente de nuevo",
        )
    }
}

impl From<packet::Error> for ApiError {
    fn from(e: packet::Error) -> Self {
        let status = match e.code() {
            "bad_format" => StatusCode::BAD_REQUEST,
            "replay" => StatusCode::CONFLICT,
            "not_authorized" => StatusCode::FORBIDDEN,
            "build_failed" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"code": self.code, "message": self.message});
        (self.status, Json(body)).into_response()
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
