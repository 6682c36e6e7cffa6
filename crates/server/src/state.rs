//! Shared application state: one `Arc` of everything handlers need.

use crate::commit::Writer;
use crate::config::{Clock, ServeConfig};
use crate::db::Db;
use crate::keys::ServerKeys;
use crate::limits::RateLimiter;
use crate::metrics::Metrics;
use crate::store::AttachmentStore;
use efirma::TrustStore;
use packet::Rules;
use std::sync::{Arc, RwLock};

/// Everything handlers share (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// The contents of [`AppState`].
pub struct Inner {
    /// Configuration.
    pub cfg: ServeConfig,
    /// Database.
    pub db: Db,
    /// "Now" (injectable).
    pub clock: Clock,
    /// Trust anchors (reloadable).
    pub trust: RwLock<Arc<TrustStore>>,
    /// Server keys (reloadable).
    pub keys: RwLock<Arc<ServerKeys>>,
    /// Sealed attachment storage.
    pub store: Arc<dyn AttachmentStore>,
    /// Domain rules (SBC limits…).
    pub rules: Rules,
    /// The group-commit writer.
    pub writer: Writer,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Per-client rate limiter.
    pub rate: RateLimiter,
    /// The demo credentials (`--demo` only).
    pub demo: Option<Arc<crate::demo::Demo>>,
}

impl core::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

impl AppState {
    /// Wraps the parts.
    pub fn new(inner: Inner) -> Self {
        AppState {
            inner: Arc::new(inner),
        }
    }

    /// The current trust store.
    pub fn trust(&self) -> Arc<TrustStore> {
        match self.trust.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The current keys.
    pub fn keys(&self) -> Arc<ServerKeys> {
        match self.keys.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Replaces the trust store and keys (SIGHUP).
    pub fn reload(&self) -> Vec<String> {
        let (store, warnings) =
            crate::trust::load_with_demo(&self.cfg.trust_store, self.demo.as_deref());
        if let Ok(mut g) = self.trust.write() {
            *g = Arc::new(store);
        }
        match crate::keys::load_or_create(&self.cfg.data_dir) {
            Ok(k) => {
                if let Ok(mut g) = self.keys.write() {
                    *g = Arc::new(k);
                }
            }
            Err(e) => tracing::error!(error = %e, "could not reload keys"),
        }
        warnings
    }
}
