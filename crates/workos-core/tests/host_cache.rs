//! The per-host cache: one fetcher at a time across threads and processes,
//! the negative cache, authenticated entries and private directories.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use workos_core::host_cache::{self, CacheDirError, HostCache, HostCacheError, Policy};

const SECRET: &[u8] = b"site-secret-for-the-host-cache-tests";

fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("{tag}-{}-{nanos}", std::process::id()))
}

fn private_dir(tag: &str) -> PathBuf {
    let dir = temp_dir(tag);
    host_cache::ensure_private_dir(&dir).unwrap();
    dir
}

fn now() -> i64 {
    workos_core::now_secs()
}

/// A fetch that takes a while, as a call to WorkOS does, and counts itself.
fn slow_fetch(calls: &AtomicUsize, value: &str) -> Result<String, String> {
    calls.fetch_add(1, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(300));
    Ok(value.to_string())
}

#[test]
fn one_fetcher_at_a_time_across_threads_with_their_own_connections() {
    let dir = private_dir("workos-hc-threads");
    let calls = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(16));
    let t = now();
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let (dir, calls, start) = (dir.clone(), Arc::clone(&calls), Arc::clone(&start));
            std::thread::spawn(move || {
                // Each thread has its own database handle, as each php-fpm
                // worker does.
                // Opened before the barrier but unwrapped after it, so a
                // failure fails the test instead of stranding the others.
                let cache = HostCache::open(&dir, SECRET);
                start.wait();
                let cache = cache.unwrap();
                cache
                    .get_or_fetch("ns", "k", &Policy::ttl(60), t, false, || {
                        slow_fetch(&calls, "v1")
                    })
                    .unwrap()
            })
        })
        .collect();
    let got: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "exactly one fetch");
    assert!(got.iter().all(|g| g.entry.value == "v1"));
    assert_eq!(got.iter().filter(|g| g.fetched).count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Fifty php-fpm workers can open a new database at the same moment; SQLite
/// then answers some of them "database is locked" without waiting (seen here
/// about once in three thousand opens), which must not lose them the cache.
#[test]
fn workers_opening_a_new_database_together_all_get_it() {
    for round in 0..100 {
        let dir = private_dir(&format!("workos-hc-open-{round}"));
        let start = Arc::new(Barrier::new(16));
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (dir, start) = (dir.clone(), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    HostCache::open(&dir, SECRET).err()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), None, "round {round}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn one_fetcher_at_a_time_across_threads_sharing_the_process_handle() {
    let dir = private_dir("workos-hc-shared");
    let calls = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(8));
    let t = now();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (dir, calls, start) = (dir.clone(), Arc::clone(&calls), Arc::clone(&start));
            std::thread::spawn(move || {
                let cache = host_cache::shared(&dir, SECRET);
                start.wait();
                let cache = cache.unwrap();
                cache
                    .get_or_fetch("ns", "k", &Policy::ttl(60), t, false, || {
                        slow_fetch(&calls, "v1")
                    })
                    .unwrap()
                    .entry
                    .value
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), "v1");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Run by `one_fetcher_at_a_time_across_processes` in child processes (the
/// test binary itself); does nothing when run as an ordinary test.
#[test]
fn child_process_fetcher() {
    let Ok(dir) = std::env::var("WORKOS_HC_CHILD_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let at: i64 = std::env::var("WORKOS_HC_CHILD_NOW")
        .unwrap()
        .parse()
        .unwrap();
    let cache = HostCache::open(&dir, SECRET).unwrap();
    // Start together: the parent touches this file when all children are up.
    let go = dir.join("go");
    while !go.exists() {
        std::thread::sleep(Duration::from_millis(2));
    }
    let got = cache
        .get_or_fetch("ns", "k", &Policy::ttl(60), at, false, || {
            let mut log = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(dir.join("fetches.log"))
                .unwrap();
            writeln!(log, "{}", std::process::id()).unwrap();
            std::thread::sleep(Duration::from_millis(400));
            Ok(format!("fetched-by-{}", std::process::id()))
        })
        .unwrap();
    println!("GOT:{}", got.entry.value);
}

#[test]
fn one_fetcher_at_a_time_across_processes() {
    let dir = private_dir("workos-hc-procs");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_process_fetcher",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("WORKOS_HC_CHILD_DIR", &dir)
                .env("WORKOS_HC_CHILD_NOW", now().to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Every child has opened the database (or is about to) before they go.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(dir.join("go"), "").unwrap();
    let mut values = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let value = text
            .lines()
            // The harness may print "test … ... " on the same line first.
            .find_map(|l| l.split_once("GOT:").map(|(_, v)| v.trim()))
            .unwrap_or_else(|| panic!("child printed no value: {text}"))
            .to_string();
        values.push(value);
    }
    let log = std::fs::read_to_string(dir.join("fetches.log")).unwrap();
    assert_eq!(log.lines().count(), 1, "one process fetched: {log}");
    let fetcher = log.trim();
    assert!(
        values.iter().all(|v| *v == format!("fetched-by-{fetcher}")),
        "every process got the one fetch's value: {values:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn while_one_refreshes_the_others_serve_the_stale_value_at_once() {
    let dir = private_dir("workos-hc-stale");
    let first = HostCache::open(&dir, SECRET).unwrap();
    first.put("ns", "k", "old", 10, 1000).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let fetcher = {
        let (dir, calls) = (dir.clone(), Arc::clone(&calls));
        std::thread::spawn(move || {
            let cache = HostCache::open(&dir, SECRET).unwrap();
            cache
                .get_or_fetch("ns", "k", &Policy::ttl(10), 1020, false, || {
                    calls.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(600));
                    Ok("new".into())
                })
                .unwrap()
        })
    };
    std::thread::sleep(Duration::from_millis(150));
    let started = Instant::now();
    let got = first
        .get_or_fetch("ns", "k", &Policy::ttl(10), 1020, false, || {
            panic!("another process holds the lease")
        })
        .unwrap();
    assert_eq!(got.entry.value, "old");
    assert!(started.elapsed() < Duration::from_millis(300), "no waiting");
    assert_eq!(fetcher.join().unwrap().entry.value, "new");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Without a usable value, a caller waits for the fetcher's result.
    let mut policy = Policy::ttl(10);
    policy.grace_secs = 0;
    let waiter = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            HostCache::open(&dir, SECRET)
                .unwrap()
                .get_or_fetch("ns", "k2", &policy, 1020, false, || panic!("waits instead"))
                .unwrap()
        })
    };
    first
        .get_or_fetch("ns", "k2", &Policy::ttl(10), 1020, false, || {
            std::thread::sleep(Duration::from_millis(400));
            Ok("waited-for".into())
        })
        .unwrap();
    assert_eq!(waiter.join().unwrap().entry.value, "waited-for");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_fetch_is_remembered_for_the_whole_host() {
    let dir = private_dir("workos-hc-negative");
    let a = HostCache::open(&dir, SECRET).unwrap();
    let b = HostCache::open(&dir, SECRET).unwrap();
    let err = a
        .get_or_fetch("ns", "k", &Policy::ttl(60), 1000, false, || {
            Err("connection refused".into())
        })
        .unwrap_err();
    assert_eq!(err, HostCacheError::Fetch("connection refused".into()));
    // Another worker, within the window: no fetch, a fast error naming the cause.
    let err = b
        .get_or_fetch("ns", "k", &Policy::ttl(60), 1009, false, || {
            panic!("negative cache")
        })
        .unwrap_err();
    assert!(
        matches!(&err, HostCacheError::RecentFailure { message, .. } if message == "connection refused"),
        "{err:?}"
    );
    let got = b
        .get_or_fetch("ns", "k", &Policy::ttl(60), 1010, false, || Ok("v".into()))
        .unwrap();
    assert!(got.fetched);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(host_cache::db_path(dir)).unwrap()
}

#[test]
fn tampered_or_foreign_entries_are_ignored() {
    let dir = private_dir("workos-hc-tamper");
    let cache = HostCache::open(&dir, SECRET).unwrap();
    let t = now();
    cache.put("ns", "k", "genuine", 60, t).unwrap();
    assert_eq!(
        cache.get_fresh("ns", "k", t).unwrap().as_deref(),
        Some("genuine")
    );
    // Another site (another secret) sharing the directory reads nothing.
    let other = HostCache::open(&dir, b"another-site-secret-0123456789").unwrap();
    assert_eq!(other.get("ns", "k", t).unwrap(), None);

    let id = host_cache::entry_id(SECRET, "ns", "k");
    for (what, sql) in [
        (
            "value",
            "UPDATE entries SET value = 'planted' WHERE id = ?1",
        ),
        (
            "expiry",
            "UPDATE entries SET expires_at = expires_at + 100000 WHERE id = ?1",
        ),
        ("mac", "UPDATE entries SET mac = 'zz' WHERE id = ?1"),
    ] {
        cache.put("ns", "k", "genuine", 60, t).unwrap();
        raw(&dir).execute(sql, [&id]).unwrap();
        assert_eq!(cache.get("ns", "k", t).unwrap(), None, "{what}");
    }
    // Sealed with a guessed secret: ignored too, and replaced by a fetch.
    let planted_mac = host_cache::entry_mac(b"attacker-guessed-secret!", &id, t, t + 60, "planted");
    raw(&dir)
        .execute(
            "UPDATE entries SET value = 'planted', stored_at = ?2, expires_at = ?3, mac = ?4 WHERE id = ?1",
            rusqlite::params![id, t, t + 60, planted_mac],
        )
        .unwrap();
    let got = cache
        .get_or_fetch("ns", "k", &Policy::ttl(60), t, false, || {
            Ok("fetched".into())
        })
        .unwrap();
    assert_eq!((got.entry.value.as_str(), got.fetched), ("fetched", true));
    // The format is what entry_mac documents: a row sealed with the site's
    // secret is read.
    let good = host_cache::entry_mac(SECRET, &id, t, t + 60, "sealed");
    raw(&dir)
        .execute(
            "UPDATE entries SET value = 'sealed', stored_at = ?2, expires_at = ?3, mac = ?4 WHERE id = ?1",
            rusqlite::params![id, t, t + 60, good],
        )
        .unwrap();
    assert_eq!(
        cache.get_fresh("ns", "k", t).unwrap().as_deref(),
        Some("sealed")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_database_is_private_and_in_wal_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = private_dir("workos-hc-mode");
    let cache = HostCache::open(&dir, SECRET).unwrap();
    cache.put("ns", "k", "v", 60, now()).unwrap();
    let mode = std::fs::metadata(host_cache::db_path(&dir))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let journal: String = raw(&dir)
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refused_directories_are_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let open = temp_dir("workos-hc-open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(matches!(
        HostCache::open(&open, SECRET),
        Err(HostCacheError::Dir(CacheDirError::TooOpen { .. }))
    ));
    // The site falls back to its per-process cache and writes nothing there.
    let cache = host_cache::for_site(Some(&open), Some(SECRET));
    assert!(cache.path().is_none());
    cache.put("ns", "k", "v", 60, now()).unwrap();
    assert_eq!(std::fs::read_dir(&open).unwrap().count(), 0);
    assert_eq!(
        HostCache::open(&open, b"short").err(),
        Some(HostCacheError::WeakSecret)
    );
    std::fs::remove_dir_all(&open).unwrap();

    // Owned by another user (only testable as root, as the CI runs).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let foreign = private_dir("workos-hc-foreign");
        let c = std::ffi::CString::new(foreign.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
        assert!(matches!(
            HostCache::open(&foreign, SECRET),
            Err(HostCacheError::Dir(CacheDirError::WrongOwner { .. }))
        ));
        assert!(host_cache::for_site(Some(&foreign), Some(SECRET))
            .path()
            .is_none());
        assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 0);
        std::fs::remove_dir_all(&foreign).unwrap();
    }
}

#[test]
fn a_directory_opened_up_after_first_use_is_not_used_any_more() {
    use std::os::unix::fs::PermissionsExt;
    let dir = private_dir("workos-hc-reopen");
    assert!(host_cache::shared(&dir, SECRET).is_ok());
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert!(matches!(
        host_cache::shared(&dir, SECRET).err(),
        Some(HostCacheError::Dir(CacheDirError::TooOpen { .. }))
    ));
    assert!(host_cache::for_site(Some(&dir), Some(SECRET))
        .path()
        .is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}
