//! The JWKS cache policy: memory, file, fetch; the refetch floor on unknown kids.

use std::cell::Cell;
use std::path::Path;

use serde_json::json;
use workos_core::jwks_cache::{keys_for, CacheError, Source};

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
        cache_dir: dir,
    }
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
    let dir = std::env::temp_dir().join(unique("workos-jwks-test"));
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
