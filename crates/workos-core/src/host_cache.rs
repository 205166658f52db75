//! The per-host cache every PHP worker of a machine shares: one SQLite
//! database (WAL, so readers never wait for the writer) in a private
//! directory. It holds what is costly to fetch and the same for every worker —
//! the JWKS, the organization list the admin pickers show — with a negative
//! cache for failed fetches and ONE fetcher at a time on expiry: when fifty
//! workers see the same expired entry, one takes a lease (in a `BEGIN
//! IMMEDIATE` transaction, so taking it is atomic across processes) and
//! fetches; the others serve the stale value within a grace period, or wait
//! briefly for the fetcher's result.
//!
//! Whoever can write the database could plant signing keys, so it is used
//! only in a directory that is the PHP user's own and closed to everyone else
//! ([`ensure_private_dir`]), and every entry carries an HMAC under a key
//! derived from the site secret: a row planted by another local user, or
//! written by another site sharing the directory, is ignored. Row names are
//! keyed hashes too, so the database does not tell which site or key it
//! serves. Fetch bookkeeping (leases, failures) is not authenticated but is
//! bounded: a time in the future is ignored, so a planted row can delay a
//! fetch by at most one lease.
//!
//! Without a directory (or when it is refused) the same policy runs on a
//! per-process in-memory database ([`HostCache::memory`]), so callers have one
//! code path. A SQLite handle must never cross a `fork()` (php-fpm forks its
//! workers from a master that loaded the extension): handles are opened
//! lazily and the per-process registry is dropped — leaked, never closed,
//! as SQLite asks — when the process id changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use once_cell::sync::Lazy;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The shortest site secret accepted for authenticating entries.
pub const MIN_SECRET_LEN: usize = 16;
/// The database's file name inside the cache directory.
pub const DB_FILE: &str = "host-cache.sqlite3";
/// A value larger than this is not stored (nor read back): the cache is for
/// small documents, and the bound keeps a planted row from costing memory.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;
/// How long a writer waits for another process's transaction (they are a few
/// statements long) before the call falls back to working without the cache.
const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);
/// How often a waiting process looks for the fetcher's result.
const POLL: Duration = Duration::from_millis(10);

/// Why a cache directory is not used.
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

/// Why the cache could not be used or a value could not be had.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HostCacheError {
    #[error(transparent)]
    Dir(#[from] CacheDirError),
    #[error("the cache secret must be at least {MIN_SECRET_LEN} bytes")]
    WeakSecret,
    #[error("host cache database: {0}")]
    Db(String),
    /// The fetch just made failed, and nothing was cached.
    #[error("{0}")]
    Fetch(String),
    /// A fetch failed less than the policy's retry window ago (the negative
    /// cache), and nothing was cached.
    #[error("the last fetch failed less than {retry_secs} s ago; not retried yet ({message})")]
    RecentFailure { retry_secs: i64, message: String },
    /// Another process is fetching and did not finish within the wait.
    #[error("another process is fetching this value; it was not ready in time")]
    Busy,
}

impl From<rusqlite::Error> for HostCacheError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e.to_string())
    }
}

/// When a value is fresh, and how fetches of it are spaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// A stored value is fresh for this long.
    pub ttl_secs: i64,
    /// After expiry, while another process refreshes it, the stale value is
    /// still served for this long instead of waiting.
    pub grace_secs: i64,
    /// After a failed fetch, nobody on the host fetches again for this long.
    pub retry_failed_secs: i64,
    /// A refresh the caller asks for although the value is fresh (e.g. a key
    /// set without the token's `kid`) happens at most this often per host.
    pub min_refetch_secs: i64,
    /// A fetcher's lease lapses after this (a worker that died mid-fetch).
    pub lease_secs: i64,
    /// How long a caller with nothing usable waits for another's fetch.
    pub wait: Duration,
}

impl Policy {
    /// A policy for values fresh for `ttl_secs`.
    pub fn ttl(ttl_secs: i64) -> Self {
        Self {
            ttl_secs,
            grace_secs: 60,
            retry_failed_secs: 10,
            min_refetch_secs: 60,
            lease_secs: 30,
            wait: Duration::from_secs(3),
        }
    }
}

/// A value read from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub value: String,
    /// Unix seconds when it was stored.
    pub stored_at: i64,
    /// Unix seconds from which it is stale.
    pub expires_at: i64,
}

impl Entry {
    pub fn is_fresh(&self, now: i64) -> bool {
        now < self.expires_at
    }
}

/// What [`HostCache::get_or_fetch`] returned, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Got {
    pub entry: Entry,
    /// This call ran the fetch.
    pub fetched: bool,
}

/// A per-host (or, for [`HostCache::memory`], per-process) cache.
pub struct HostCache {
    conn: Mutex<Connection>,
    key: [u8; 32],
    path: Option<PathBuf>,
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
/// so there is no shared cache.
#[cfg(not(unix))]
pub fn ensure_private_dir(_dir: &Path) -> Result<(), CacheDirError> {
    Err(CacheDirError::NotADirectory("(no unix permissions)".into()))
}

/// Where the database of a cache directory lives.
pub fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

/// The key that authenticates entries: derived from the site secret with a
/// purpose label, so the secret itself is used for nothing else here.
fn derive_key(secret: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key size");
    mac.update(b"workos-host-cache-v1");
    mac.finalize().into_bytes().into()
}

fn hmac(key: &[u8; 32]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC accepts any key size")
}

/// The row name of `(namespace, key)` for a site: a keyed hash, so neither
/// is readable from the database and two sites never share a row.
pub fn entry_id(secret: &[u8], namespace: &str, key: &str) -> String {
    id_of(&derive_key(secret), namespace, key)
}

fn id_of(key: &[u8; 32], namespace: &str, name: &str) -> String {
    let mut mac = hmac(key);
    mac.update(b"name\n");
    mac.update(&(namespace.len() as u64).to_be_bytes());
    mac.update(namespace.as_bytes());
    mac.update(name.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn entry_mac_of(
    key: &[u8; 32],
    id: &str,
    stored_at: i64,
    expires_at: i64,
    value: &str,
) -> HmacSha256 {
    let mut mac = hmac(key);
    mac.update(b"entry\n");
    // Lengths first, so no two different tuples feed the same bytes.
    for part in [
        id.as_bytes(),
        stored_at.to_string().as_bytes(),
        expires_at.to_string().as_bytes(),
        value.as_bytes(),
    ] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac
}

/// The hex HMAC a row `(id, stored_at, expires_at, value)` must carry (for
/// tests that plant rows, and for documentation of the format).
pub fn entry_mac(secret: &[u8], id: &str, stored_at: i64, expires_at: i64, value: &str) -> String {
    hex::encode(
        entry_mac_of(&derive_key(secret), id, stored_at, expires_at, value)
            .finalize()
            .into_bytes(),
    )
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    stored_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    mac TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fetches (
    id TEXT PRIMARY KEY,
    lease_owner TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    attempted_at INTEGER NOT NULL DEFAULT 0,
    failed_at INTEGER NOT NULL DEFAULT 0,
    failure TEXT NOT NULL DEFAULT ''
);
";

/// What a fetch row says, with times from the future ignored.
#[derive(Default)]
struct FetchState {
    lease_until: i64,
    attempted_at: i64,
    failed_at: i64,
    failure: String,
}

enum Decision {
    /// This caller holds the lease and fetches.
    Fetch(String),
    /// Another process stored a value since this caller looked.
    Use(Entry),
    /// No fetch now (negative cache or refetch floor): serve what there is.
    NotNow(Option<String>),
    /// Another process holds the lease.
    Busy,
}

impl HostCache {
    /// Opens (creating when missing) the shared database in `dir`, which must
    /// be private ([`ensure_private_dir`]); entries are authenticated with a
    /// key derived from `secret`.
    pub fn open(dir: &Path, secret: &[u8]) -> Result<Self, HostCacheError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(HostCacheError::WeakSecret);
        }
        ensure_private_dir(dir)?;
        let path = db_path(dir);
        create_private_file(&path)?;
        let conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        set_up(&conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            key: derive_key(secret),
            path: Some(path),
        })
    }

    /// A cache private to this process, with the same policy (used when no
    /// shared directory is configured or it is refused).
    pub fn memory() -> Self {
        let conn = Connection::open_in_memory().expect("an in-memory SQLite database opens");
        conn.execute_batch(SCHEMA)
            .expect("the cache schema applies to an empty database");
        Self {
            conn: Mutex::new(conn),
            key: rand::random(),
            path: None,
        }
    }

    /// The database file, or None for a per-process cache.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn id(&self, namespace: &str, key: &str) -> String {
        id_of(&self.key, namespace, key)
    }

    /// The authenticated entry of `(namespace, key)`, fresh or not.
    pub fn get(
        &self,
        namespace: &str,
        key: &str,
        now: i64,
    ) -> Result<Option<Entry>, HostCacheError> {
        let id = self.id(namespace, key);
        read_entry(&self.lock(), &self.key, &id, now)
    }

    /// The fresh value of `(namespace, key)`, if any.
    pub fn get_fresh(
        &self,
        namespace: &str,
        key: &str,
        now: i64,
    ) -> Result<Option<String>, HostCacheError> {
        Ok(self
            .get(namespace, key, now)?
            .filter(|e| e.is_fresh(now))
            .map(|e| e.value))
    }

    /// Stores `value`, fresh for `ttl_secs` from `now`.
    pub fn put(
        &self,
        namespace: &str,
        key: &str,
        value: &str,
        ttl_secs: i64,
        now: i64,
    ) -> Result<(), HostCacheError> {
        let id = self.id(namespace, key);
        write_entry(
            &self.lock(),
            &self.key,
            &id,
            value,
            now,
            now.saturating_add(ttl_secs),
        )
    }

    /// Forgets `(namespace, key)`: its value and its fetch bookkeeping.
    pub fn remove(&self, namespace: &str, key: &str) -> Result<(), HostCacheError> {
        let id = self.id(namespace, key);
        let conn = self.lock();
        conn.execute("DELETE FROM entries WHERE id = ?1", [&id])?;
        conn.execute("DELETE FROM fetches WHERE id = ?1", [&id])?;
        Ok(())
    }

    /// The value of `(namespace, key)`: fresh from the cache, or fetched by
    /// exactly one caller on the host while the others serve the stale value
    /// (within `policy.grace_secs`) or wait for the result. `refresh` asks for
    /// a new fetch although the value is fresh (at most once per
    /// `policy.min_refetch_secs` on the host). A failed fetch is remembered
    /// for `policy.retry_failed_secs`; meanwhile callers get the stale value,
    /// or [`HostCacheError::RecentFailure`] when there is none.
    pub fn get_or_fetch(
        &self,
        namespace: &str,
        key: &str,
        policy: &Policy,
        now: i64,
        refresh: bool,
        fetch: impl FnOnce() -> Result<String, String>,
    ) -> Result<Got, HostCacheError> {
        let id = self.id(namespace, key);
        let known = read_entry(&self.lock(), &self.key, &id, now)?;
        if let Some(e) = known.as_ref().filter(|e| e.is_fresh(now) && !refresh) {
            return Ok(Got {
                entry: e.clone(),
                fetched: false,
            });
        }
        // The common "no fetch now" answers (negative cache, refetch floor)
        // come from plain reads: a stream of forged kids or an outage does
        // not take the write lock once per request.
        if let Some(not_now) = not_now(
            &read_fetch(&self.lock(), &id, now, policy)?,
            policy,
            now,
            refresh,
            known.as_ref(),
        ) {
            return serve(known, not_now, policy);
        }
        let started = Instant::now();
        let mut fetch = Some(fetch);
        loop {
            let decision = {
                let mut conn = self.lock();
                self.decide(&mut conn, &id, policy, now, refresh, known.as_ref())?
            };
            match decision {
                Decision::Use(entry) => {
                    return Ok(Got {
                        entry,
                        fetched: false,
                    })
                }
                Decision::Fetch(owner) => {
                    let fetch = fetch.take().expect("a caller takes the lease at most once");
                    return self.run_fetch(&id, policy, now, &owner, known, fetch);
                }
                Decision::NotNow(failure) => return serve(known, failure, policy),
                Decision::Busy => {
                    // Someone else is fetching: a value not too stale is
                    // served at once; otherwise wait for theirs.
                    if let Some(e) = known.as_ref() {
                        if now < e.expires_at.saturating_add(policy.grace_secs) {
                            return Ok(Got {
                                entry: e.clone(),
                                fetched: false,
                            });
                        }
                    }
                    if started.elapsed() >= policy.wait {
                        return known
                            .map(|entry| Got {
                                entry,
                                fetched: false,
                            })
                            .ok_or(HostCacheError::Busy);
                    }
                    // Poll with plain reads (WAL: they take no lock) until the
                    // fetcher's result is there or its lease is gone; only then
                    // decide again, in a write transaction.
                    loop {
                        std::thread::sleep(POLL);
                        let conn = self.lock();
                        if let Some(e) = read_entry(&conn, &self.key, &id, now)? {
                            let newer = known.as_ref().is_none_or(|k| e.stored_at > k.stored_at);
                            if newer && e.is_fresh(now) {
                                return Ok(Got {
                                    entry: e,
                                    fetched: false,
                                });
                            }
                        }
                        let leased = read_fetch(&conn, &id, now, policy)?.lease_until > now;
                        if !leased || started.elapsed() >= policy.wait {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// Decides, in one write transaction (so two processes never both take
    /// the lease), whether this caller fetches.
    fn decide(
        &self,
        conn: &mut Connection,
        id: &str,
        policy: &Policy,
        now: i64,
        refresh: bool,
        known: Option<&Entry>,
    ) -> Result<Decision, HostCacheError> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Stored by another process since we looked: newer than what the
        // caller has, and fresh, so it is what a fetch would have produced.
        if let Some(e) = read_entry(&tx, &self.key, id, now)? {
            let newer = known.is_none_or(|k| e.stored_at > k.stored_at);
            if e.is_fresh(now) && (newer || !refresh) {
                return Ok(Decision::Use(e));
            }
        }
        let state = read_fetch(&tx, id, now, policy)?;
        if state.lease_until > now {
            return Ok(Decision::Busy);
        }
        if let Some(failure) = not_now(&state, policy, now, refresh, known) {
            return Ok(Decision::NotNow(failure));
        }
        let owner = hex::encode(rand::random::<[u8; 16]>());
        tx.execute(
            "INSERT INTO fetches (id, lease_owner, lease_until, attempted_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET lease_owner = ?2, lease_until = ?3, attempted_at = ?4",
            params![id, owner, now.saturating_add(policy.lease_secs), now],
        )?;
        tx.commit()?;
        Ok(Decision::Fetch(owner))
    }

    fn run_fetch(
        &self,
        id: &str,
        policy: &Policy,
        now: i64,
        owner: &str,
        known: Option<Entry>,
        fetch: impl FnOnce() -> Result<String, String>,
    ) -> Result<Got, HostCacheError> {
        // The fetch runs outside any transaction and without the handle's
        // lock: other processes (and threads) keep reading meanwhile.
        let result = fetch().and_then(|v| {
            if v.len() > MAX_VALUE_BYTES {
                Err(format!(
                    "the fetched value is larger than {MAX_VALUE_BYTES} bytes"
                ))
            } else {
                Ok(v)
            }
        });
        let mut conn = self.lock();
        match result {
            Ok(value) => {
                let expires_at = now.saturating_add(policy.ttl_secs);
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                write_entry(&tx, &self.key, id, &value, now, expires_at)?;
                tx.execute(
                    "UPDATE fetches SET lease_until = 0, lease_owner = '', failed_at = 0, failure = '' WHERE id = ?1",
                    [id],
                )?;
                tx.commit()?;
                Ok(Got {
                    entry: Entry {
                        value,
                        stored_at: now,
                        expires_at,
                    },
                    fetched: true,
                })
            }
            Err(message) => {
                conn.execute(
                    "UPDATE fetches SET lease_until = 0, lease_owner = '', failed_at = ?2, failure = ?3
                     WHERE id = ?1 AND lease_owner = ?4",
                    params![id, now, truncate(&message, 500), owner],
                )?;
                // Values already held stay usable while the source is down.
                known
                    .map(|entry| Got {
                        entry,
                        fetched: false,
                    })
                    .ok_or(HostCacheError::Fetch(message))
            }
        }
    }
}

/// Whether the policy forbids a fetch now: `Some(Some(failure))` within the
/// negative-cache window, `Some(None)` for a refresh within the floor.
fn not_now(
    state: &FetchState,
    policy: &Policy,
    now: i64,
    refresh: bool,
    known: Option<&Entry>,
) -> Option<Option<String>> {
    let since = |t: i64| now.saturating_sub(t);
    if state.failed_at > 0 && since(state.failed_at) < policy.retry_failed_secs {
        return Some(Some(state.failure.clone()));
    }
    if refresh
        && known.is_some_and(|k| k.is_fresh(now))
        && state.attempted_at > 0
        && since(state.attempted_at) < policy.min_refetch_secs
    {
        return Some(None);
    }
    None
}

/// The answer when no fetch is made: the value held, else the failure.
fn serve(
    known: Option<Entry>,
    failure: Option<String>,
    policy: &Policy,
) -> Result<Got, HostCacheError> {
    match known {
        Some(entry) => Ok(Got {
            entry,
            fetched: false,
        }),
        None => Err(HostCacheError::RecentFailure {
            retry_secs: policy.retry_failed_secs,
            message: failure.unwrap_or_default(),
        }),
    }
}

fn truncate(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Puts a freshly opened handle in WAL mode and creates the tables.
///
/// When many workers open a new database at once, switching to WAL (and
/// creating the tables) can answer "database is locked" at once, without
/// SQLite's busy handler ever waiting: a handle holding a read lock that must
/// upgrade is told to back off rather than risk a deadlock. The steps are
/// idempotent, so they are retried until `BUSY_TIMEOUT` has passed.
fn set_up(conn: &Connection) -> Result<(), HostCacheError> {
    let started = Instant::now();
    loop {
        let attempt = (|| -> rusqlite::Result<()> {
            // WAL: readers never wait for the writer, and a writer commits
            // without rewriting the database; NORMAL sync is durable enough
            // for a cache. The mode is persistent, so it is set only once.
            let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
            }
            conn.execute_batch("PRAGMA synchronous=NORMAL;")?;
            conn.execute_batch(SCHEMA)
        })();
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(POLL);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Creates the database file 0600 before SQLite opens it (SQLite would use
/// the umask), refusing anything but a regular file of ours.
fn create_private_file(path: &Path) -> Result<(), HostCacheError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW: a symlink in place of the database is refused.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|e| HostCacheError::Db(format!("{}: {e}", path.display())))
}

fn read_entry(
    conn: &Connection,
    key: &[u8; 32],
    id: &str,
    now: i64,
) -> Result<Option<Entry>, HostCacheError> {
    let row = conn
        .query_row(
            "SELECT value, stored_at, expires_at, mac FROM entries WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional();
    let (value, stored_at, expires_at, mac) = match row {
        Ok(Some(row)) => row,
        Ok(None) => return Ok(None),
        // A row of the wrong types is not one we wrote: ignored like a bad MAC.
        Err(
            rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..),
        ) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if value.len() > MAX_VALUE_BYTES || stored_at > now {
        // A time ahead of ours would keep the entry fresh for ever.
        return Ok(None);
    }
    let Ok(tag) = hex::decode(&mac) else {
        return Ok(None);
    };
    // `verify_slice` compares in constant time.
    if entry_mac_of(key, id, stored_at, expires_at, &value)
        .verify_slice(&tag)
        .is_err()
    {
        return Ok(None);
    }
    Ok(Some(Entry {
        value,
        stored_at,
        expires_at,
    }))
}

fn write_entry(
    conn: &Connection,
    key: &[u8; 32],
    id: &str,
    value: &str,
    stored_at: i64,
    expires_at: i64,
) -> Result<(), HostCacheError> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(HostCacheError::Db(format!(
            "a value larger than {MAX_VALUE_BYTES} bytes is not cached"
        )));
    }
    let mac = hex::encode(
        entry_mac_of(key, id, stored_at, expires_at, value)
            .finalize()
            .into_bytes(),
    );
    conn.execute(
        "INSERT INTO entries (id, value, stored_at, expires_at, mac) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET value = ?2, stored_at = ?3, expires_at = ?4, mac = ?5",
        params![id, value, stored_at, expires_at, mac],
    )?;
    Ok(())
}

fn read_fetch(
    conn: &Connection,
    id: &str,
    now: i64,
    policy: &Policy,
) -> Result<FetchState, HostCacheError> {
    let row = conn
        .query_row(
            "SELECT lease_until, attempted_at, failed_at, failure FROM fetches WHERE id = ?1",
            [id],
            |r| {
                Ok(FetchState {
                    lease_until: r.get(0)?,
                    attempted_at: r.get(1)?,
                    failed_at: r.get(2)?,
                    failure: r.get(3)?,
                })
            },
        )
        .optional();
    let mut state = match row {
        Ok(state) => state.unwrap_or_default(),
        Err(
            rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..),
        ) => FetchState::default(),
        Err(e) => return Err(e.into()),
    };
    // Bookkeeping is not authenticated: a time no honest process could have
    // written is ignored, so a planted row delays a fetch by one lease at most.
    if state.lease_until > now.saturating_add(policy.lease_secs) {
        state.lease_until = 0;
    }
    if state.attempted_at > now {
        state.attempted_at = 0;
    }
    if state.failed_at > now {
        state.failed_at = 0;
    }
    Ok(state)
}

/// The caches of this process: one handle per (database, site key), plus the
/// process-private one.
struct Registry {
    pid: u32,
    shared: HashMap<(PathBuf, [u8; 32]), Arc<HostCache>>,
    memory: Option<Arc<HostCache>>,
}

static REGISTRY: Lazy<Mutex<Registry>> = Lazy::new(|| {
    Mutex::new(Registry {
        pid: std::process::id(),
        shared: HashMap::new(),
        memory: None,
    })
});

fn registry() -> MutexGuard<'static, Registry> {
    let mut reg = REGISTRY.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if reg.pid != pid {
        // Handles opened before a fork belong to the parent: closing them
        // here could release the parent's locks, so they are leaked.
        std::mem::forget(std::mem::take(&mut reg.shared));
        std::mem::forget(reg.memory.take());
        reg.pid = pid;
    }
    reg
}

/// This process's handle on the shared cache in `dir`, opened on first use.
pub fn shared(dir: &Path, secret: &[u8]) -> Result<Arc<HostCache>, HostCacheError> {
    if secret.len() < MIN_SECRET_LEN {
        return Err(HostCacheError::WeakSecret);
    }
    let id = (dir.to_path_buf(), derive_key(secret));
    if let Some(cache) = registry().shared.get(&id) {
        // The directory is checked again on every use, cheaply (one lstat):
        // a directory opened up after it was first used is not used any more.
        ensure_private_dir(dir)?;
        return Ok(Arc::clone(cache));
    }
    let cache = Arc::new(HostCache::open(dir, secret)?);
    let mut reg = registry();
    if reg.shared.len() >= 8 {
        reg.shared.clear();
    }
    Ok(Arc::clone(reg.shared.entry(id).or_insert(cache)))
}

/// This process's private cache.
pub fn memory() -> Arc<HostCache> {
    Arc::clone(
        registry()
            .memory
            .get_or_insert_with(|| Arc::new(HostCache::memory())),
    )
}

/// The shared cache when `dir` and `secret` make one usable, else this
/// process's private cache.
pub fn for_site(dir: Option<&Path>, secret: Option<&[u8]>) -> Arc<HostCache> {
    match (dir, secret) {
        (Some(dir), Some(secret)) => shared(dir, secret).unwrap_or_else(|_| memory()),
        _ => memory(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a-site-secret-of-enough-bytes";

    fn policy() -> Policy {
        Policy::ttl(100)
    }

    #[test]
    fn entries_round_trip_and_expire() {
        let c = HostCache::memory();
        c.put("ns", "k", "v", 10, 1000).unwrap();
        assert_eq!(c.get_fresh("ns", "k", 1009).unwrap().as_deref(), Some("v"));
        assert_eq!(c.get_fresh("ns", "k", 1010).unwrap(), None);
        assert_eq!(c.get("ns", "k", 1010).unwrap().unwrap().value, "v");
        assert_eq!(c.get_fresh("other", "k", 1000).unwrap(), None);
        // Stored "in the future" is not trusted.
        assert_eq!(c.get("ns", "k", 999).unwrap(), None);
    }

    #[test]
    fn fetches_once_then_serves_the_fresh_value() {
        let c = HostCache::memory();
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1000, false, || Ok("a".into()))
            .unwrap();
        assert!(got.fetched);
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1050, false, || {
                panic!("fresh: no fetch")
            })
            .unwrap();
        assert_eq!((got.entry.value.as_str(), got.fetched), ("a", false));
    }

    #[test]
    fn a_failure_is_remembered_and_stale_values_are_kept() {
        let c = HostCache::memory();
        let err = c
            .get_or_fetch("ns", "k", &policy(), 1000, false, || Err("down".into()))
            .unwrap_err();
        assert_eq!(err, HostCacheError::Fetch("down".into()));
        let err = c
            .get_or_fetch("ns", "k", &policy(), 1005, false, || {
                panic!("negative cache")
            })
            .unwrap_err();
        assert!(
            matches!(err, HostCacheError::RecentFailure { ref message, .. } if message == "down")
        );
        assert!(err.to_string().contains("not retried"));
        c.get_or_fetch("ns", "k", &policy(), 1010, false, || Ok("a".into()))
            .unwrap();
        // Stale, and the refresh fails: the stale value is served, and the
        // next call within the window does not fetch.
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1200, false, || Err("down".into()))
            .unwrap();
        assert_eq!(got.entry.value, "a");
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1205, false, || {
                panic!("negative cache")
            })
            .unwrap();
        assert_eq!(got.entry.value, "a");
    }

    #[test]
    fn forced_refreshes_are_spaced_by_the_floor() {
        let c = HostCache::memory();
        c.get_or_fetch("ns", "k", &policy(), 1000, false, || Ok("a".into()))
            .unwrap();
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1030, true, || {
                panic!("within the floor")
            })
            .unwrap();
        assert!(!got.fetched);
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1060, true, || Ok("b".into()))
            .unwrap();
        assert_eq!((got.entry.value.as_str(), got.fetched), ("b", true));
    }

    #[test]
    fn a_lease_from_the_future_is_ignored() {
        let c = HostCache::memory();
        let id = c.id("ns", "k");
        c.lock()
            .execute(
                "INSERT INTO fetches (id, lease_owner, lease_until) VALUES (?1, 'evil', ?2)",
                params![id, i64::MAX],
            )
            .unwrap();
        let got = c
            .get_or_fetch("ns", "k", &policy(), 1000, false, || Ok("a".into()))
            .unwrap();
        assert!(got.fetched);
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("abc", 10), "abc");
        let _ = SECRET;
    }
}
