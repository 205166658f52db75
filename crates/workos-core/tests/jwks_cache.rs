//! The JWKS cache policy: memory, file, fetch; the refetch floor on unknown kids.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;
use workos_core::host_cache::{self, HostCache};
use workos_core::jwks_cache::{self, keys_for, CacheDirError, CacheError, Source};
use workos_core::token::{verify, Expect, TokenError};

const SECRET: &[u8] = b"site-secret-for-the-jwks-file-cache";

fn set(names: &[&str]) -> String {
    let keys: Vec<serde_json::Value> = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(format!("tests/fixtures/{n}-jwk.json")).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect();
    json!({ "keys": keys }).to_string()
}

fn source<'a>(key: &'a str, dir: Option<&'a Path>) -> Source<'a> {
    Source {
        key,
        ttl_secs: 3600,
        refetch_floor_secs: 60,
        retry_failed_secs: 10,
        cache_dir: dir,
        secret: Some(SECRET),
    }
}

fn now() -> i64 {
    workos_core::now_secs()
}

fn temp_dir(tag: &str) -> PathBuf {
    std::env::temp_dir().join(unique(tag))
}

/// A token for `kid` signed with the fixture's private key `name`.
fn token(name: &str, kid: &str) -> String {
    let pem = std::fs::read(format!("tests/fixtures/{name}-rsa.pem")).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    let claims = json!({"sub": "user_evil", "exp": now() + 300, "iat": now()});
    encode(&header, &claims, &EncodingKey::from_rsa_pem(&pem).unwrap()).unwrap()
}

/// The attacker's JWKS: their own key ("other") published under WorkOS's kid.
fn planted_set() -> String {
    let text = std::fs::read_to_string("tests/fixtures/other-jwk.json").unwrap();
    let mut key: serde_json::Value = serde_json::from_str(&text).unwrap();
    key["kid"] = json!("test-key");
    json!({ "keys": [key] }).to_string()
}

/// Where the cache file of a source lived before it was authenticated.
fn old_path(dir: &Path, key: &str) -> PathBuf {
    use sha2::{Digest, Sha256};
    dir.join(format!(
        "jwks-{}.json",
        hex::encode(&Sha256::digest(key.as_bytes())[..12])
    ))
}

fn unique(tag: &str) -> String {
    format!("{tag}-{}", rand_suffix())
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

#[test]
fn fetches_once_then_serves_from_memory() {
    let key = unique("memory");
    let calls = Cell::new(0);
    for now in [1000, 1001, 2000] {
        let keys = keys_for(&source(&key, None), "test-key", now, || {
            calls.set(calls.get() + 1);
            Ok(set(&["test"]))
        })
        .unwrap();
        assert!(keys.get("test-key").is_some());
    }
    assert_eq!(calls.get(), 1);
}

#[test]
fn unknown_kid_refetches_at_most_once_per_floor() {
    let key = unique("floor");
    let calls = Cell::new(0);
    let fetch = |names: &'static [&'static str]| {
        let calls = &calls;
        move || {
            calls.set(calls.get() + 1);
            Ok(set(names))
        }
    };
    keys_for(&source(&key, None), "test-key", 1000, fetch(&["test"])).unwrap();
    // A forged kid within a minute of the last fetch causes no fetch; once the
    // floor has passed, one.
    for now in [1001, 1002, 1030, 1060] {
        let keys = keys_for(&source(&key, None), "forged", now, fetch(&["test"])).unwrap();
        assert!(keys.get("forged").is_none());
    }
    assert_eq!(calls.get(), 2, "the initial fetch and one at 1060 only");
    // A real rotation is picked up on the next allowed refetch.
    let keys = keys_for(
        &source(&key, None),
        "other-key",
        1200,
        fetch(&["test", "other"]),
    )
    .unwrap();
    assert!(keys.get("other-key").is_some());
}

#[test]
fn expired_keys_are_refreshed_and_kept_when_workos_is_down() {
    let key = unique("ttl");
    keys_for(&source(&key, None), "test-key", 1000, || Ok(set(&["test"]))).unwrap();
    let keys = keys_for(&source(&key, None), "test-key", 1000 + 3600, || {
        Err("down".into())
    })
    .unwrap();
    assert!(keys.get("test-key").is_some(), "stale keys beat no keys");
}

#[test]
fn no_keys_and_no_workos_is_an_error() {
    let key = unique("none");
    let err = keys_for(&source(&key, None), "k", 1, || {
        Err("connection refused".into())
    })
    .err();
    assert_eq!(err, Some(CacheError::Fetch("connection refused".into())));
    let err = keys_for(&source(&key, None), "k", 1, || Ok("{}".into())).err();
    assert!(matches!(err, Some(CacheError::Fetch(_))));
}

#[test]
fn file_cache_survives_a_new_process() {
    let dir = temp_dir("workos-jwks-test");
    let key = unique("file");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    keys_for(&source(&key, Some(&dir)), "test-key", now, || {
        Ok(set(&["test"]))
    })
    .unwrap();
    // A restarted worker has an empty memory but finds the file.
    workos_core::jwks_cache::forget(&key);
    let keys = keys_for(&source(&key, Some(&dir)), "test-key", now + 5, || {
        panic!("must not fetch: the file cache is fresh")
    })
    .unwrap();
    assert!(keys.get("test-key").is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_fetch_is_not_repeated_within_the_window() {
    let key = unique("negative");
    let calls = Cell::new(0);
    let failing = || {
        calls.set(calls.get() + 1);
        Err::<String, String>("connection refused".into())
    };
    assert!(keys_for(&source(&key, None), "k", 1000, failing).is_err());
    // A burst of requests right after: no fetch at all, a fast error.
    for now in [1000, 1001, 1009] {
        let err = keys_for(&source(&key, None), "k", now, || {
            calls.set(calls.get() + 1);
            Ok(set(&["test"]))
        })
        .err();
        assert!(matches!(err, Some(CacheError::Fetch(m)) if m.contains("not retried")));
    }
    assert_eq!(calls.get(), 1);
    // After the window, WorkOS is asked again.
    let keys = keys_for(&source(&key, None), "test-key", 1010, || {
        calls.set(calls.get() + 1);
        Ok(set(&["test"]))
    })
    .unwrap();
    assert!(keys.get("test-key").is_some());
    assert_eq!(calls.get(), 2);
}

#[test]
fn a_failing_refresh_of_stale_keys_is_not_a_fetch_storm() {
    let key = unique("stale-storm");
    keys_for(&source(&key, None), "test-key", 1000, || Ok(set(&["test"]))).unwrap();
    let calls = Cell::new(0);
    for now in [4600, 4601, 4605, 4609] {
        let keys = keys_for(&source(&key, None), "test-key", now, || {
            calls.set(calls.get() + 1);
            Err("down".into())
        })
        .unwrap();
        assert!(keys.get("test-key").is_some());
    }
    assert_eq!(calls.get(), 1, "one refresh attempt per window");
}

/// Finding 9: a JWKS planted in the cache directory — as a file at the path
/// used before entries were authenticated, or as a row of the per-host
/// database without the site's HMAC — is ignored; the keys come from WorkOS
/// and the attacker's token fails.
#[test]
fn planted_jwks_entries_are_ignored() {
    let dir = temp_dir("workos-jwks-plant");
    jwks_cache::ensure_private_dir(&dir).unwrap();
    let key = unique("plant");
    std::fs::write(old_path(&dir, &key), planted_set()).unwrap();
    // The database exists once the site has used it.
    HostCache::open(&dir, SECRET).unwrap();
    let id = host_cache::entry_id(SECRET, jwks_cache::NAMESPACE, &key);
    let t = now();
    // Planted bare (no valid MAC) and sealed with a secret the attacker
    // guessed wrong.
    for mac in [
        "00".repeat(32),
        host_cache::entry_mac(
            b"attacker-guessed-secret!",
            &id,
            t,
            t + 3600,
            &planted_set(),
        ),
    ] {
        workos_core::jwks_cache::forget(&key);
        rusqlite::Connection::open(host_cache::db_path(&dir))
            .unwrap()
            .execute(
                "INSERT OR REPLACE INTO entries (id, value, stored_at, expires_at, mac) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![id, planted_set(), t, t + 3600, mac],
            )
            .unwrap();
        let calls = Cell::new(0);
        let keys = keys_for(&source(&key, Some(&dir)), "test-key", t, || {
            calls.set(calls.get() + 1);
            Ok(set(&["test"]))
        })
        .unwrap();
        assert_eq!(calls.get(), 1, "the planted entry must not be trusted");
        assert_eq!(
            verify(&token("other", "test-key"), &keys, &Expect::at(now())),
            Err(TokenError::BadSignature)
        );
        assert!(verify(&token("test", "test-key"), &keys, &Expect::at(now())).is_ok());
    }
    // What the cache wrote itself is authenticated and read back.
    let entry = HostCache::open(&dir, SECRET)
        .unwrap()
        .get(jwks_cache::NAMESPACE, &key, t)
        .unwrap()
        .unwrap();
    assert_eq!(entry.value, set(&["test"]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_cache_directory_is_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("workos-jwks-mode").join("nested");
    jwks_cache::ensure_private_dir(&dir).unwrap();
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn shared_or_foreign_directories_are_refused_and_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let open = temp_dir("workos-jwks-open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o1777)).unwrap();
    assert!(matches!(
        jwks_cache::ensure_private_dir(&open),
        Err(CacheDirError::TooOpen { .. })
    ));
    // Nothing is written to, or read from, a directory that is refused.
    let key = unique("open");
    keys_for(&source(&key, Some(&open)), "test-key", now(), || {
        Ok(set(&["test"]))
    })
    .unwrap();
    assert_eq!(std::fs::read_dir(&open).unwrap().count(), 0);
    std::fs::remove_dir_all(&open).unwrap();

    let target = temp_dir("workos-jwks-target");
    std::fs::create_dir(&target).unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o700)).unwrap();
    let link = temp_dir("workos-jwks-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(matches!(
        jwks_cache::ensure_private_dir(&link),
        Err(CacheDirError::NotADirectory(_))
    ));
    std::fs::remove_file(&link).unwrap();

    // Owned by someone else (only testable when running as root).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let c = std::ffi::CString::new(target.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
        assert!(matches!(
            jwks_cache::ensure_private_dir(&target),
            Err(CacheDirError::WrongOwner { .. })
        ));
    }
    std::fs::remove_dir_all(&target).unwrap();
    assert_eq!(
        jwks_cache::ensure_private_dir(Path::new("relative")),
        Err(CacheDirError::NotAbsolute)
    );
}

#[test]
fn without_a_secret_there_is_no_file_cache() {
    let dir = temp_dir("workos-jwks-nosecret");
    let key = unique("nosecret");
    let mut src = source(&key, Some(&dir));
    src.secret = None;
    keys_for(&src, "test-key", now(), || Ok(set(&["test"]))).unwrap();
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0);
    src.secret = Some(b"short");
    workos_core::jwks_cache::forget(&key);
    keys_for(&src, "test-key", now(), || Ok(set(&["test"]))).unwrap();
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The refetch floor and the negative cache hold for the whole host: a worker
/// that has never fetched (empty memory) does not refetch for an unknown kid
/// another worker's fetch already covered, nor retry a fetch that just failed.
#[test]
fn the_floor_and_the_negative_cache_are_host_wide() {
    let dir = temp_dir("workos-jwks-hostwide");
    let key = unique("hostwide");
    let t = now();
    keys_for(&source(&key, Some(&dir)), "test-key", t, || {
        Ok(set(&["test"]))
    })
    .unwrap();
    // Another worker: nothing in its memory.
    workos_core::jwks_cache::forget(&key);
    let keys = keys_for(&source(&key, Some(&dir)), "forged", t + 10, || {
        panic!("the host fetched 10 s ago: no refetch for an unknown kid")
    })
    .unwrap();
    assert!(keys.get("forged").is_none() && keys.get("test-key").is_some());

    let failing = unique("hostwide-failing");
    let err = keys_for(&source(&failing, Some(&dir)), "k", t, || {
        Err("connection refused".into())
    })
    .err();
    assert_eq!(err, Some(CacheError::Fetch("connection refused".into())));
    workos_core::jwks_cache::forget(&failing);
    let err = keys_for(&source(&failing, Some(&dir)), "k", t + 1, || {
        panic!("another worker's failure is remembered")
    })
    .err();
    assert!(matches!(err, Some(CacheError::Fetch(m)) if m.contains("not retried")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_verifier_names_why_a_token_was_refused() {
    use workos_core::verify::{CacheSite, Verifier, VerifyError};
    let verifier = Verifier::new(unique("verifier"), CacheSite::default());
    let good = token("test", "test-key");
    let claims = verifier
        .verify_with(&good, &Expect::at(now()), || Ok(set(&["test"])))
        .unwrap();
    assert_eq!(claims["sub"], "user_evil");
    let err = verifier
        .verify_with(&token("other", "test-key"), &Expect::at(now()), || {
            panic!("keys are held")
        })
        .unwrap_err();
    assert_eq!(
        (err.clone(), err.reason()),
        (
            VerifyError::Token(TokenError::BadSignature),
            "bad_signature"
        )
    );
    let down = Verifier::new(unique("verifier-down"), CacheSite::default());
    let err = down
        .verify_with(&good, &Expect::at(now()), || Err("refused".into()))
        .unwrap_err();
    assert_eq!(err.reason(), "jwks_unavailable");
    assert_eq!(err.to_string(), "no JWKS to verify the token with: refused");
    let err = down
        .verify_with("not-a-token", &Expect::at(now()), || {
            panic!("no kid, no fetch")
        })
        .unwrap_err();
    assert_eq!(err.reason(), "malformed");
}
