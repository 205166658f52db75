//! Where a worker gets the JWKS that verifies a token: its own memory first,
//! then the per-host cache every worker of the machine shares
//! ([`crate::host_cache`], SQLite), then WorkOS — fetched by one worker at a
//! time on the host while the others serve the keys they have or wait for
//! its result. An unknown `kid` triggers a refetch — but at most once per
//! `refetch_floor` on the whole host, so a stream of forged tokens cannot
//! turn requests into calls to WorkOS; a failed fetch is not retried for
//! `retry_failed_secs` either (a negative cache, host-wide too), so an outage
//! of WorkOS does not become a fetch storm.
//!
//! The shared cache holds signing keys, so whoever can write it can mint
//! tokens: it is used only in a private directory and with a site secret that
//! authenticates every entry (see [`crate::host_cache`]); without them the
//! same policy runs per process, in memory.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use once_cell::sync::Lazy;

use crate::host_cache::{self, HostCache, HostCacheError, Policy};
use crate::jwks::{self, Digest, Jwks};
use crate::token_error::TokenError;

pub use crate::host_cache::{ensure_private_dir, CacheDirError, MIN_SECRET_LEN};

/// How long fetched keys are trusted before a routine refresh.
pub const DEFAULT_TTL_SECS: i64 = 3600;
/// The least time between two fetches caused by unknown `kid`s.
pub const DEFAULT_REFETCH_FLOOR_SECS: i64 = 60;
/// How long a failed fetch is remembered: calls in that window fail fast (or
/// keep using the keys already held) without asking WorkOS again.
pub const DEFAULT_RETRY_FAILED_SECS: i64 = 10;
/// While one worker refreshes expired keys, the others keep verifying with
/// the old ones for this long (WorkOS rotates keys rarely and announces new
/// ones before use) rather than wait.
pub const GRACE_SECS: i64 = 300;
/// The host-cache namespace of key sets.
pub const NAMESPACE: &str = "jwks";

/// Policy and location of one key set (one WorkOS client id).
pub struct Source<'a> {
    /// Identifies the set (e.g. base URL + client id).
    pub key: &'a str,
    pub ttl_secs: i64,
    pub refetch_floor_secs: i64,
    /// After a failed fetch, how long to wait before fetching again.
    pub retry_failed_secs: i64,
    /// Directory of the per-host cache; `None` keeps keys in this process.
    pub cache_dir: Option<&'a Path>,
    /// The site secret that authenticates shared entries; the shared cache is
    /// used only with one (at least [`MIN_SECRET_LEN`] bytes).
    pub secret: Option<&'a [u8]>,
}

impl<'a> Source<'a> {
    /// A per-process source with the default policy.
    pub fn new(key: &'a str) -> Self {
        Self {
            key,
            ttl_secs: DEFAULT_TTL_SECS,
            refetch_floor_secs: DEFAULT_REFETCH_FLOOR_SECS,
            retry_failed_secs: DEFAULT_RETRY_FAILED_SECS,
            cache_dir: None,
            secret: None,
        }
    }

    /// The same source with the per-host cache in `dir`, authenticated by `secret`.
    pub fn with_file_cache(mut self, dir: Option<&'a Path>, secret: Option<&'a [u8]>) -> Self {
        self.cache_dir = dir;
        self.secret = secret;
        self
    }

    fn policy(&self) -> Policy {
        Policy {
            ttl_secs: self.ttl_secs,
            grace_secs: GRACE_SECS,
            retry_failed_secs: self.retry_failed_secs,
            min_refetch_secs: self.refetch_floor_secs,
            lease_secs: 30,
            wait: Duration::from_secs(3),
        }
    }

    fn host_cache(&self) -> Arc<HostCache> {
        host_cache::for_site(
            self.cache_dir,
            self.secret.filter(|s| s.len() >= MIN_SECRET_LEN),
        )
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CacheError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("could not fetch the JWKS: {0}")]
    Fetch(String),
}

/// A parsed set this worker holds, until it expires.
#[derive(Clone)]
struct Held {
    set: Arc<Jwks>,
    stored_at: i64,
    expires_at: i64,
}

/// Sets held by this worker, by a keyed hash of the source key (never the raw
/// text). Inherited across a fork only as plain memory, which is harmless.
static MEMORY: Lazy<Mutex<HashMap<Digest, Held>>> = Lazy::new(Default::default);

fn memory() -> MutexGuard<'static, HashMap<Digest, Held>> {
    MEMORY.lock().unwrap_or_else(|p| p.into_inner())
}

/// Returns a key set able to verify a token with `kid` when one can be had
/// within the policy; otherwise the best set known (verification will then
/// report the unknown `kid`).
pub fn keys_for(
    source: &Source<'_>,
    kid: &str,
    now: i64,
    fetch: impl FnOnce() -> Result<String, String>,
) -> Result<Arc<Jwks>, CacheError> {
    let id = jwks::keyed_digest(source.key.as_bytes());
    // The warm path: no database, no lock held for long.
    if let Some(held) = memory().get(&id) {
        if held.stored_at <= now && now < held.expires_at && held.set.get(kid).is_some() {
            return Ok(Arc::clone(&held.set));
        }
    }
    let mut fetch = Some(fetch);
    // A bad key set is a failed fetch (remembered as one), never a cached value.
    let mut checked = || match fetch.take() {
        Some(f) => f().and_then(|text| match Jwks::parse(&text) {
            Ok(_) => Ok(text),
            Err(e) => Err(e.to_string()),
        }),
        None => Err("the JWKS was already fetched once in this call".into()),
    };
    let cache = source.host_cache();
    let held = match lookup(&cache, source, kid, now, &mut checked) {
        // The shared database is unusable (disk full, locked too long): the
        // policy still holds, per process.
        Err(Lookup::Db(_)) if cache.path().is_some() => {
            lookup(&host_cache::memory(), source, kid, now, &mut checked)
        }
        other => other,
    }
    .map_err(|e| match e {
        Lookup::Token(t) => CacheError::Token(t),
        Lookup::Db(m) => CacheError::Fetch(m),
        Lookup::Cache(e) => CacheError::Fetch(e.to_string()),
    })?;
    let mut map = memory();
    if map.len() >= 16 && !map.contains_key(&id) {
        map.clear();
    }
    map.insert(id, held.clone());
    Ok(held.set)
}

enum Lookup {
    Token(TokenError),
    Db(String),
    Cache(HostCacheError),
}

impl From<HostCacheError> for Lookup {
    fn from(e: HostCacheError) -> Self {
        match e {
            HostCacheError::Db(m) => Self::Db(m),
            other => Self::Cache(other),
        }
    }
}

fn lookup(
    cache: &HostCache,
    source: &Source<'_>,
    kid: &str,
    now: i64,
    fetch: &mut dyn FnMut() -> Result<String, String>,
) -> Result<Held, Lookup> {
    let policy = source.policy();
    let got = cache.get_or_fetch(NAMESPACE, source.key, &policy, now, false, &mut *fetch)?;
    let mut held = parsed(&got.entry)?;
    if held.set.get(kid).is_none() && !got.fetched {
        // Keys rotate: a kid we do not know may be new. The host-wide floor
        // keeps forged kids from making this a fetch per request.
        let again = cache.get_or_fetch(NAMESPACE, source.key, &policy, now, true, &mut *fetch)?;
        held = parsed(&again.entry)?;
    }
    Ok(held)
}

fn parsed(entry: &host_cache::Entry) -> Result<Held, Lookup> {
    Ok(Held {
        set: jwks::cached(&entry.value).map_err(Lookup::Token)?,
        stored_at: entry.stored_at,
        expires_at: entry.expires_at,
    })
}

/// Forgets this worker's copy of a set and any failure its per-process cache
/// remembers (tests, key rotation by hand); the shared cache is left alone.
pub fn forget(key: &str) {
    memory().remove(&jwks::keyed_digest(key.as_bytes()));
    let _ = host_cache::memory().remove(NAMESPACE, key);
}
