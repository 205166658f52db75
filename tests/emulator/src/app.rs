//! The shared application state handed to every handler.

use crate::config::Config;
use crate::keys::SigningKey;
use crate::listener::Latency;
use crate::model::{Job, WebhookConfig};
use crate::rate_limit::RateLimits;
use crate::store::Store;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

pub struct App {
    pub config: Config,
    pub issuer: String,
    pub store: Mutex<Store>,
    pub key: RwLock<SigningKey>,
    /// Changeable at run time through the control API; reset restores it.
    pub webhook: Mutex<WebhookConfig>,
    pub webhook_jobs: Sender<Job>,
    /// Deliveries queued but not yet attempted, so tests can wait for quiet.
    pub webhook_pending: AtomicUsize,
    pub http: ureq::Agent,
    /// `https://127.0.0.1:PORT` when the HTTPS listener runs.
    pub tls_url: Option<String>,
    /// The network's round-trip time to WorkOS: each API request pays it,
    /// a new connection more (see `listener`).
    pub latency_ms: Latency,
    pub rate_limits: Mutex<RateLimits>,
}

pub type Shared = Arc<App>;

impl App {
    /// A poisoned lock only means a handler panicked mid-request; the data
    /// is still the best state there is, so keep serving.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn key(&self) -> RwLockReadGuard<'_, SigningKey> {
        self.key.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_key(&self, key: SigningKey) {
        *self.key.write().unwrap_or_else(|e| e.into_inner()) = key;
    }

    pub fn rate_limits(&self) -> MutexGuard<'_, RateLimits> {
        self.rate_limits.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn webhook_config(&self) -> WebhookConfig {
        self.webhook
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_webhook_config(&self, config: WebhookConfig) {
        *self.webhook.lock().unwrap_or_else(|e| e.into_inner()) = config;
    }
}
