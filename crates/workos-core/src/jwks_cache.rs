//! Where a worker gets the JWKS that verifies a token: process memory first,
//! then an optional per-host file cache (survives worker restarts), then
//! WorkOS. An unknown `kid` triggers a refetch — but at most once per
//! `refetch_floor`, so a stream of forged tokens cannot turn every request
//! into a call to WorkOS; a failed fetch is not retried for
//! `retry_failed_secs` either (a negative cache), so an outage of WorkOS does
//! not become a fetch storm.
//!
//! The file cache holds signing keys, so whoever can write it can mint tokens.
//! It is therefore used only in a private directory (owned by this process's
//! user, mode 0700, not a symlink; created so when missing, refused
//! otherwise), and every entry carries an HMAC under a key derived from a site
//! secret: a file planted by another local user — or copied from another
//! site — is ignored. Without a secret there is no file cache at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::jwks::Jwks;
use crate::token::TokenError;

type HmacSha256 = Hmac<Sha256>;

/// How long fetched keys are trusted before a routine refresh.
pub const DEFAULT_TTL_SECS: i64 = 3600;
/// The least time between two fetches caused by unknown `kid`s.
pub const DEFAULT_REFETCH_FLOOR_SECS: i64 = 60;
/// How long a failed fetch is remembered: calls in that window fail fast (or
/// keep using the keys already held) without asking WorkOS again.
pub const DEFAULT_RETRY_FAILED_SECS: i64 = 10;
/// The shortest site secret accepted for authenticating cache files.
pub const MIN_SECRET_LEN: usize = 16;
/// A cache file larger than this is not a JWKS we wrote.
const MAX_FILE_BYTES: u64 = 256 * 1024;

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
    /// After a failed fetch, how long to wait before fetching again.
    pub retry_failed_secs: i64,
    /// Directory of the per-host file cache; `None` keeps keys in memory only.
    pub cache_dir: Option<&'a Path>,
    /// The site secret that authenticates file entries; the file cache is
    /// used only with one (at least [`MIN_SECRET_LEN`] bytes).
    pub secret: Option<&'a [u8]>,
}

impl<'a> Source<'a> {
    /// A memory-only source with the default policy.
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

    /// The same source with a file cache in `dir`, authenticated by `secret`.
    pub fn with_file_cache(mut self, dir: Option<&'a Path>, secret: Option<&'a [u8]>) -> Self {
        self.cache_dir = dir;
        self.secret = secret;
        self
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CacheError {
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("could not fetch the JWKS: {0}")]
    Fetch(String),
}

/// Why a file-cache directory is not used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CacheDirError {
    #[error("JWKS cache directory {0} could not be created: {1}")]
    Create(String, String),
    #[error("JWKS cache directory {0} is not a directory (or is a symlink)")]
    NotADirectory(String),
    #[error("JWKS cache directory {path} is owned by uid {owner}, not by this process's uid {me}")]
    WrongOwner { path: String, owner: u32, me: u32 },
    #[error("JWKS cache directory {path} has mode {mode:o}; it must not be accessible to group or others (0700)")]
    TooOpen { path: String, mode: u32 },
    #[error("JWKS cache directory must be an absolute path")]
    NotAbsolute,
}

/// Process-wide maps are keyed by a keyed hash of the source key (never by
/// the raw text), with a key drawn once per process.
type Digest = [u8; 32];

fn process_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(rand::random)
}

/// HMAC-SHA256 of `data` under this process's random key: the identity of a
/// cache entry that outsiders can neither predict nor collide.
pub fn keyed_digest(data: &[u8]) -> Digest {
    let mut mac = HmacSha256::new_from_slice(process_key()).expect("HMAC accepts any key size");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[derive(Default)]
struct Memory {
    entries: HashMap<Digest, Entry>,
    /// Sources with no keys at all whose last fetch failed, and when.
    failures: HashMap<Digest, i64>,
}

fn memory() -> &'static Mutex<Memory> {
    static MEMORY: OnceLock<Mutex<Memory>> = OnceLock::new();
    MEMORY.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, Memory> {
    memory().lock().unwrap_or_else(|p| p.into_inner())
}

/// Checks that `dir` is a private directory of this process's user, creating
/// it (mode 0700) when missing.
#[cfg(unix)]
pub fn ensure_private_dir(dir: &Path) -> Result<(), CacheDirError> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};

    let shown = || dir.display().to_string();
    if !dir.is_absolute() {
        return Err(CacheDirError::NotAbsolute);
    }
    if std::fs::symlink_metadata(dir).is_err() {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| CacheDirError::Create(shown(), e.to_string()))?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            // Another worker created it first: it is checked below like any other.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(CacheDirError::Create(shown(), e.to_string())),
        }
    }
    // `symlink_metadata` so a symlink to somewhere else is refused, not followed.
    let meta = std::fs::symlink_metadata(dir)
        .map_err(|e| CacheDirError::Create(shown(), e.to_string()))?;
    if !meta.file_type().is_dir() {
        return Err(CacheDirError::NotADirectory(shown()));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(CacheDirError::WrongOwner {
            path: shown(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(CacheDirError::TooOpen {
            path: shown(),
            mode,
        });
    }
    Ok(())
}

/// Without unix ownership and modes the directory cannot be proven private,
/// so there is no file cache.
#[cfg(not(unix))]
pub fn ensure_private_dir(_dir: &Path) -> Result<(), CacheDirError> {
    Err(CacheDirError::NotADirectory("(no unix permissions)".into()))
}

/// The key that authenticates file entries: derived from the site secret
/// with a purpose label, so the secret itself is used for nothing else here.
fn file_key(secret: &[u8]) -> HmacSha256 {
    let mut derive = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key size");
    derive.update(b"workos-jwks-file-cache-v1");
    let key = derive.finalize().into_bytes();
    HmacSha256::new_from_slice(&key).expect("HMAC accepts any key size")
}

/// A file cache usable for this source: a private directory and a secret.
fn file_cache<'a>(source: &Source<'a>) -> Option<(&'a Path, HmacSha256)> {
    let dir = source.cache_dir?;
    let secret = source.secret.filter(|s| s.len() >= MIN_SECRET_LEN)?;
    ensure_private_dir(dir).ok()?;
    Some((dir, file_key(secret)))
}

fn file_for(dir: &Path, key: &HmacSha256, source_key: &str) -> PathBuf {
    // The name, too, comes from the secret: another user cannot tell which
    // file a site reads.
    let mut mac = key.clone();
    mac.update(b"name\n");
    mac.update(source_key.as_bytes());
    let digest = hex::encode(&mac.finalize().into_bytes()[..16]);
    dir.join(format!("jwks-{digest}.json"))
}

/// What a cache file holds: the JWKS text, when it was fetched, and an HMAC
/// over both and the source they belong to.
#[derive(Serialize, Deserialize)]
struct FileEntry {
    fetched_at: i64,
    jwks: String,
    mac: String,
}

fn entry_mac(key: &HmacSha256, source_key: &str, fetched_at: i64, jwks: &str) -> HmacSha256 {
    let mut mac = key.clone();
    mac.update(b"entry\n");
    // Lengths first, so no two different triples feed the same bytes.
    for part in [
        source_key.as_bytes(),
        fetched_at.to_string().as_bytes(),
        jwks.as_bytes(),
    ] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac
}

/// Encodes a cache file for `jwks` (exposed for tests of the file format).
pub fn seal(secret: &[u8], source_key: &str, fetched_at: i64, jwks: &str) -> String {
    let mac = entry_mac(&file_key(secret), source_key, fetched_at, jwks);
    serde_json::to_string(&FileEntry {
        fetched_at,
        jwks: jwks.to_string(),
        mac: hex::encode(mac.finalize().into_bytes()),
    })
    .unwrap_or_default()
}

/// The JWKS text of a sealed file, when its HMAC is right for this source.
fn open(key: &HmacSha256, source_key: &str, text: &str) -> Option<(String, i64)> {
    let entry: FileEntry = serde_json::from_str(text).ok()?;
    let tag = hex::decode(&entry.mac).ok()?;
    // `verify_slice` compares in constant time.
    entry_mac(key, source_key, entry.fetched_at, &entry.jwks)
        .verify_slice(&tag)
        .ok()?;
    Some((entry.jwks, entry.fetched_at))
}

/// The cached file of a source, when one exists and authenticates.
pub fn read_sealed(dir: &Path, secret: &[u8], source_key: &str) -> Option<(String, i64)> {
    let key = file_key(secret);
    read_file(dir, &key, source_key)
}

/// Where the file of a source lives (for tests and diagnostics).
pub fn file_path(dir: &Path, secret: &[u8], source_key: &str) -> PathBuf {
    file_for(dir, &file_key(secret), source_key)
}

fn read_file(dir: &Path, key: &HmacSha256, source_key: &str) -> Option<(String, i64)> {
    use std::io::Read;
    let path = file_for(dir, key, source_key);
    let file = std::fs::File::open(&path).ok()?;
    let mut text = String::new();
    file.take(MAX_FILE_BYTES).read_to_string(&mut text).ok()?;
    open(key, source_key, &text)
}

/// Writes through a new private temporary file and a rename, so a reader in
/// another worker never sees half a file.
fn write_file(dir: &Path, key: &HmacSha256, source_key: &str, jwks: &str, fetched_at: i64) {
    use std::io::Write;
    let path = file_for(dir, key, source_key);
    let mac = entry_mac(key, source_key, fetched_at, jwks);
    let Ok(text) = serde_json::to_string(&FileEntry {
        fetched_at,
        jwks: jwks.to_string(),
        mac: hex::encode(mac.finalize().into_bytes()),
    }) else {
        return;
    };
    let tmp = path.with_extension(format!(
        "tmp{}-{:x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if written.is_err() || std::fs::rename(&tmp, &path).is_err() {
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
    let id = keyed_digest(source.key.as_bytes());
    let (mut entry, failed_at) = {
        let memory = lock();
        (
            memory.entries.get(&id).cloned(),
            memory.failures.get(&id).copied(),
        )
    };

    let files = if entry.is_none() {
        file_cache(source)
    } else {
        None
    };
    if let Some((dir, key)) = &files {
        if let Some((text, fetched_at)) = read_file(dir, key, source.key) {
            // A time ahead of ours would keep the entry fresh for ever.
            if fetched_at <= now {
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
    let since = |t: i64| now.saturating_sub(t);
    let must_fetch = match &entry {
        None => failed_at.is_none_or(|t| since(t) >= source.retry_failed_secs),
        // Stale keys are refreshed, but a refresh that just failed is not
        // retried on every request.
        Some(e) if !fresh(e) => since(e.last_attempt) >= source.retry_failed_secs,
        Some(e) if e.set.get(kid).is_none() => since(e.last_attempt) >= source.refetch_floor_secs,
        Some(_) => false,
    };

    if must_fetch {
        // Record the attempt first: concurrent requests with the same unknown
        // kid see it and do not fetch again.
        if let Some(e) = entry.as_mut() {
            e.last_attempt = now;
            remember(id, e.clone());
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
                if let Some((dir, key)) = files.or_else(|| file_cache(source)) {
                    write_file(dir, &key, source.key, &text, now);
                }
                remember(id, fetched.clone());
                return Ok(fetched.set);
            }
            // Keys we already hold stay usable while WorkOS is unreachable.
            Err(err) => match entry {
                Some(e) => return Ok(e.set),
                None => {
                    lock().failures.insert(id, now);
                    return Err(CacheError::Fetch(err));
                }
            },
        }
    }
    match entry {
        Some(entry) => {
            remember(id, entry.clone());
            Ok(entry.set)
        }
        None => Err(CacheError::Fetch(format!(
            "the last fetch failed less than {} s ago; not retried yet",
            source.retry_failed_secs
        ))),
    }
}

fn remember(id: Digest, entry: Entry) {
    let mut memory = lock();
    if memory.entries.len() >= 16 && !memory.entries.contains_key(&id) {
        memory.entries.clear();
    }
    memory.failures.remove(&id);
    memory.entries.insert(id, entry);
}

/// Forgets the in-memory copy of a set and any remembered failure (tests, key
/// rotation by hand).
pub fn forget(key: &str) {
    let id = keyed_digest(key.as_bytes());
    let mut memory = lock();
    memory.entries.remove(&id);
    memory.failures.remove(&id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_entries_open_only_with_the_same_secret_and_source() {
        let secret = b"0123456789abcdef-site-secret";
        let text = seal(secret, "src", 10, "{\"keys\":[]}");
        let key = file_key(secret);
        assert_eq!(
            open(&key, "src", &text),
            Some(("{\"keys\":[]}".to_string(), 10))
        );
        assert_eq!(open(&key, "other-src", &text), None);
        assert_eq!(
            open(&file_key(b"another-secret-of-16+"), "src", &text),
            None
        );
        let tampered = text.replace("\"fetched_at\":10", "\"fetched_at\":11");
        assert_eq!(open(&key, "src", &tampered), None);
        assert_eq!(open(&key, "src", "{\"keys\":[]}"), None);
    }

    #[test]
    fn keyed_digests_differ_from_plain_hashes_and_inputs() {
        assert_ne!(keyed_digest(b"a"), keyed_digest(b"b"));
        assert_eq!(keyed_digest(b"a"), keyed_digest(b"a"));
    }
}
