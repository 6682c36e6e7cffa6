//! A minimal HTTP/1.1 client (hyper) for the load generator, the CLI and the real-socket
//! tests. Plain `http://` only: TLS is terminated in front of the server.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// A pooled keep-alive client.
#[derive(Clone)]
pub struct Http {
    inner: Client<HttpConnector, Full<Bytes>>,
}

/// Why a request failed before an HTTP status came back.
#[derive(Debug, thiserror::Error)]
#[error("http: {0}")]
pub struct ClientError(pub String);

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

impl Http {
    /// A client with a connection pool.
    pub fn new() -> Self {
        let mut conn = HttpConnector::new();
        conn.set_nodelay(true);
        Http {
            inner: Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(256)
                .build(conn),
        }
    }

    async fn send(
        &self,
        method: &str,
        url: &str,
        body: Bytes,
        cookie: Option<&str>,
    ) -> Result<(u16, Bytes, Option<String>), ClientError> {
        let mut req = Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", "application/json");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let req = req
            .body(Full::new(body))
            .map_err(|e| ClientError(e.to_string()))?;
        let resp = self
            .inner
            .request(req)
            .await
            .map_err(|e| ClientError(e.to_string()))?;
        let status = resp.status().as_u16();
        let set_cookie = resp
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| ClientError(e.to_string()))?
            .to_bytes();
        Ok((status, body, set_cookie))
    }

    /// POST a JSON body; returns status and body.
    pub async fn post(&self, url: &str, body: Bytes) -> Result<(u16, Bytes), ClientError> {
        self.send("POST", url, body, None)
            .await
            .map(|(s, b, _)| (s, b))
    }

    /// POST with an optional cookie; returns status, body and the `name=value` of any
    /// `Set-Cookie`.
    pub async fn post_with_cookie(
        &self,
        url: &str,
        body: Bytes,
        cookie: Option<&str>,
    ) -> Result<(u16, Bytes, Option<String>), ClientError> {
        self.send("POST", url, body, cookie).await
    }

    /// GET with an optional cookie.
    pub async fn get(&self, url: &str, cookie: Option<&str>) -> Result<(u16, Bytes), ClientError> {
        self.send("GET", url, Bytes::new(), cookie)
            .await
            .map(|(s, b, _)| (s, b))
    }
}
