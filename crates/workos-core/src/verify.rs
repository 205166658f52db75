//! Verifying an access token issued for a WorkOS client, the whole way: the
//! token's `kid`, the key set by the cache policy ([`crate::jwks_cache`]:
//! worker memory, the per-host cache, WorkOS), the signature and claims
//! ([`crate::token`]), and one error type whose `reason()` is what PHP sees.
//! The binding only converts arguments and errors.

use std::path::PathBuf;

use serde_json::Value;

use crate::client::Client;
use crate::jwks_cache::{self, CacheError, Source};
use crate::token::{self, Expect};
use crate::token_error::TokenError;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum VerifyError {
    #[error(transparent)]
    Token(#[from] TokenError),
    /// No key set could be had (WorkOS unreachable, a recent failure, or a
    /// bad set), so nothing could be verified.
    #[error("no JWKS to verify the token with: {0}")]
    JwksUnavailable(String),
}

impl VerifyError {
    /// A stable machine-readable reason (`expired`, `unknown_kid`,
    /// `jwks_unavailable`, …).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Token(t) => t.reason(),
            Self::JwksUnavailable(_) => "jwks_unavailable",
        }
    }
}

/// Where a client's key set is cached, and under which site secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheSite {
    /// The per-host cache directory (absolute); None keeps keys per process.
    pub dir: Option<PathBuf>,
    /// Authenticates shared entries; at least [`jwks_cache::MIN_SECRET_LEN`] bytes.
    pub secret: Option<Vec<u8>>,
}

/// The token verifier of one WorkOS client (one key set).
#[derive(Debug, Clone)]
pub struct Verifier {
    /// Identifies the key set: the API base URL and the client id.
    source_key: String,
    site: CacheSite,
}

impl Verifier {
    /// The verifier of `client`'s tokens, caching keys at `site`.
    pub fn for_client(client: &Client, site: CacheSite) -> Self {
        let cfg = client.config();
        Self::new(format!("{}|{}", cfg.base_url, cfg.client_id), site)
    }

    pub fn new(source_key: impl Into<String>, site: CacheSite) -> Self {
        Self {
            source_key: source_key.into(),
            site,
        }
    }

    pub fn site(&self) -> &CacheSite {
        &self.site
    }

    /// Verifies `token` with keys from the cache or, when needed, from
    /// WorkOS through `client` (`GET /sso/jwks/{client_id}`).
    pub fn verify(
        &self,
        client: &Client,
        token: &str,
        expect: &Expect,
    ) -> Result<Value, VerifyError> {
        self.verify_with(token, expect, || {
            client
                .get_jwks()
                .map(|set| set.to_string())
                .map_err(|e| e.to_string())
        })
    }

    /// As [`Verifier::verify`], with the key set fetched by `fetch` (tests).
    pub fn verify_with(
        &self,
        token: &str,
        expect: &Expect,
        fetch: impl FnOnce() -> Result<String, String>,
    ) -> Result<Value, VerifyError> {
        let kid = token::peek_kid(token)?;
        let source = Source::new(&self.source_key)
            .with_file_cache(self.site.dir.as_deref(), self.site.secret.as_deref());
        let keys =
            jwks_cache::keys_for(&source, &kid, crate::now_secs(), fetch).map_err(|e| match e {
                CacheError::Token(t) => VerifyError::Token(t),
                CacheError::Fetch(m) => VerifyError::JwksUnavailable(m),
            })?;
        Ok(token::verify(token, &keys, expect)?)
    }
}
