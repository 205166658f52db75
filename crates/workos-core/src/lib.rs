//! The pure Rust core of WorkOS for WordPress.
//!
//! Nothing in this crate knows about PHP: every module takes and returns plain
//! Rust and `serde_json` values and reports failures through its own typed
//! error, so each can be unit-tested with `cargo test` alone. The extension
//! crate (`src/` at the repository root) is the only place that converts these
//! into PHP values and exceptions.

pub mod b64;
pub mod client;
pub mod client_ip;
pub mod email;
pub mod event;
pub mod host_cache;
pub mod jwks;
pub mod jwks_cache;
pub mod org_cache;
pub mod passkey;
pub mod pkce;
pub mod profile;
pub mod rate_limit;
pub mod redirect;
pub mod roles;
pub mod state;
pub mod token;
pub mod token_error;
pub mod verify;
pub mod webhook;

/// Current wall-clock time in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Current wall-clock time in unix seconds.
pub fn now_secs() -> i64 {
    now_ms() / 1000
}
