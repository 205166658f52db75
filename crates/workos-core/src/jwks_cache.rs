//! Where a worker gets the JWKS that verifies a token: process memory first,
//! then an optional per-host file cache (survives worker restarts), then
//! WorkOS. An unknown `kid` triggers a refetch — but at most once per
//! `refetch_floor`, so a stream of forged tokens cannot turn every request
//! into a call to WorkOS.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::jwks::Jwks;
use crate::token::TokenError;

/// How long fetched keys are trusted before a routine refresh.
pub const DEFAULT_TTL_SECS: i64 = 3600;
/// The least time between two fetches caused by unknown `kid`s.
pub const DEFAULT_REFETCH_FLOOR_SECS: i64 = 60;

#[derive(Clone)]
struct Entry {
    set: Arc<Jwks>,
    fetched_at: i64,
    last_attempt: i64,
}

/// Policy and location of one key set (one WorkOS client id).
pub struct Source<'a> {
    /// Identifies the set (e.g. base URL + client id).
    pub key: &'a str,
    pub ttl_secs: i64,
    pub refetch_floor_secs: i64,
    /// Directory of the per-host file cache; `None` keeps keys in memory only.
    pub cache_dir: Option<&'a Path>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CacheError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("could not fetch the JWKS: {0}")]
    Fetch(String),
}

fn memory() -> &'static Mutex<HashMap<String, Entry>> {
    static MEMORY: OnceLock<Mutex<HashMap<String, Entry>>> = OnceLock::new();
    MEMORY.get_or_init(Default::default)
}

fn file_for(dir: &Path, key: &str) -> PathBuf {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(&Sha256::digest(key.as_bytes())[..12]);
    dir.join(format!("jwks-{digest}.json"))
}

fn read_file(dir: &Path, key: &str) -> Option<(String, i64)> {
    let path = file_for(dir, key);
    let text = std::fs::read_to_string(&path).ok()?;
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    let secs = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs() as i64;
    Some((text, secs))
}

/// Writes through a temporary file and a rename, so a reader in another
/// worker never sees half a file.
fn write_file(dir: &Path, key: &str, text: &str) {
    let path = file_for(dir, key);
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
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
    let mut entry = memory()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(source.key)
        .cloned();

    if entry.is_none() {
        if let Some(dir) = source.cache_dir {
            if let Some((text, fetched_at)) = read_file(dir, source.key) {
                if let Ok(set) = Jwks::parse(&text) {
                    entry = Some(Entry {
                        set: Arc::new(set),
                        fetched_at,
                        last_attempt: fetched_at,
                    });
                }
            }
        }
    }

    let fresh = |e: &Entry| now - e.fetched_at < source.ttl_secs;
    let must_fetch = match &entry {
        None => true,
        Some(e) if !fresh(e) => true,
        Some(e) if e.set.get(kid).is_none() => now - e.last_attempt >= source.refetch_floor_secs,
        Some(_) => false,
    };

    if must_fetch {
        // Record the attempt first: concurrent requests with the same unknown
        // kid see it and do not fetch again.
        if let Some(e) = entry.as_mut() {
            e.last_attempt = now;
            remember(source.key, e.clone());
        }
        match fetch().and_then(|text| {
            Jwks::parse(&text)
                .map(|s| (text, s))
                .map_err(|e| e.to_string())
        }) {
            Ok((text, set)) => {
                let fetched = Entry {
                    set: Arc::new(set),
                    fetched_at: now,
                    last_attempt: now,
                };
                if let Some(dir) = source.cache_dir {
                    write_file(dir, source.key, &text);
                }
                remember(source.key, fetched.clone());
                return Ok(fetched.set);
            }
            // Keys we already hold stay usable while WorkOS is unreachable.
            Err(err) => match entry {
                Some(e) => return Ok(e.set),
                None => return Err(CacheError::Fetch(err)),
            },
        }
    }
    let entry = entry.expect("an entry exists when no fetch is needed");
    remember(source.key, entry.clone());
    Ok(entry.set)
}

fn remember(key: &str, entry: Entry) {
    let mut map = memory().lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= 16 && !map.contains_key(key) {
        map.clear();
    }
    map.insert(key.to_string(), entry);
}

/// Forgets the in-memory copy of a set (tests, key rotation by hand).
pub fn forget(key: &str) {
    memory()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(key);
}
