//! The per-worker state behind every API call: the tokio runtime that drives
//! reqwest, the reqwest clients (each with its keep-alive connection pool),
//! the trusted extra CAs and the pacing of bulk calls.
//!
//! A PHP worker serves many requests, and this state outlives each of them:
//! a warm worker reuses its TLS connections to WorkOS instead of paying a
//! handshake per page. php-fpm loads the extension in its master and forks
//! workers afterwards, so nothing here exists before a worker's first API
//! call, and all of it is rebuilt when the process id changes. State
//! inherited across `fork` is leaked, never dropped: its runtime threads do
//! not exist in the child (dropping the runtime would wait for them) and its
//! sockets are shared with the parent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use once_cell::sync::Lazy;
use tokio::runtime::Runtime;

use super::pacing::Pacing;
use super::ApiError;

const USER_AGENT: &str = concat!("workos-wordpress-native/", env!("CARGO_PKG_VERSION"));

/// Connections kept idle per host: enough for a bulk batch at full
/// concurrency over HTTP/1.1 (HTTP/2 needs one).
const MAX_IDLE_PER_HOST: usize = super::MAX_CONCURRENCY;

/// An idle connection is closed after this: below the idle timeouts of the
/// load balancers in front of APIs (60 s is common), so we close first and
/// never send on a connection the other side is closing.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// Beyond this many distinct client settings in one worker the cache starts
/// afresh (each holds a pool; real sites use one or two).
const MAX_CLIENTS: usize = 16;

/// Which reqwest client a call needs: everything that is fixed when a
/// client is built. The request timeout is set per request instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct HttpKey {
    connect_timeout: Duration,
    ca: Option<CaKey>,
}

/// A CA file as it was read: a changed file is a different CA.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CaKey {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// Extra root certificates to trust besides the built-in (webpki) roots,
/// e.g. a test CA.
#[derive(Clone)]
pub struct CaBundle {
    key: CaKey,
    certs: Vec<reqwest::Certificate>,
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaBundle")
            .field("path", &self.key.path)
            .field("certificates", &self.certs.len())
            .finish()
    }
}

struct Worker {
    pid: u32,
    runtime: Option<&'static Runtime>,
    clients: HashMap<HttpKey, reqwest::Client>,
    cas: HashMap<CaKey, Arc<CaBundle>>,
    pacers: HashMap<String, Arc<Mutex<Pacing>>>,
}

impl Worker {
    fn new(pid: u32) -> Self {
        Self {
            pid,
            runtime: None,
            clients: HashMap::new(),
            cas: HashMap::new(),
            pacers: HashMap::new(),
        }
    }
}

static WORKER: Lazy<Mutex<Worker>> = Lazy::new(|| Mutex::new(Worker::new(std::process::id())));

/// Runs `f` on this process's state, rebuilt after a fork.
fn with_worker<R>(f: impl FnOnce(&mut Worker) -> R) -> R {
    let mut worker = WORKER.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if worker.pid != pid {
        std::mem::forget(std::mem::replace(&mut *worker, Worker::new(pid)));
    }
    f(&mut worker)
}

fn build_runtime() -> Result<Runtime, ApiError> {
    // One I/O thread is plenty for 32 calls in flight; it also keeps the
    // pooled connections' state current between PHP requests (a connection
    // WorkOS closed is dropped from the pool, not reused). DNS lookups run
    // on short-lived blocking threads.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(8)
        .thread_name("workos-http")
        .enable_all()
        .build()
        .map_err(|e| ApiError::Transport(format!("could not start the HTTP runtime: {e}")))
}

fn build_client(key: &HttpKey, ca: Option<&CaBundle>) -> Result<reqwest::Client, ApiError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(USER_AGENT)
        .connect_timeout(key.connect_timeout)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        .pool_max_idle_per_host(MAX_IDLE_PER_HOST)
        .tcp_nodelay(true)
        // A 3xx is returned as it is: the API key must not follow a
        // redirect anywhere.
        .redirect(reqwest::redirect::Policy::none())
        // The API key goes to WorkOS directly, not through a proxy that the
        // environment happens to name.
        .no_proxy();
    if let Some(ca) = ca {
        for cert in &ca.certs {
            builder = builder.add_root_certificate(cert.clone());
        }
    }
    builder
        .build()
        .map_err(|e| ApiError::Transport(format!("could not build the HTTP client: {e}")))
}

/// The runtime of this worker and the HTTP client for these settings, both
/// built on first use.
pub(crate) fn transport(
    connect_timeout: Duration,
    ca: Option<&Arc<CaBundle>>,
) -> Result<(&'static Runtime, reqwest::Client), ApiError> {
    with_worker(|w| {
        let runtime = match w.runtime {
            Some(rt) => rt,
            None => {
                // Leaked on purpose: see the module comment.
                let rt: &'static Runtime = Box::leak(Box::new(build_runtime()?));
                w.runtime = Some(rt);
                rt
            }
        };
        let key = HttpKey {
            connect_timeout,
            ca: ca.map(|c| c.key.clone()),
        };
        if let Some(client) = w.clients.get(&key) {
            return Ok((runtime, client.clone()));
        }
        if w.clients.len() >= MAX_CLIENTS {
            w.clients.clear();
        }
        // hyper's pool binds to the runtime it is built in.
        let _entered = runtime.enter();
        let client = build_client(&key, ca.map(Arc::as_ref))?;
        w.clients.insert(key, client.clone());
        Ok((runtime, client))
    })
}

/// The shared pacing state of bulk calls made with one API key to one base
/// URL (WorkOS counts its limits per key or per environment).
pub(crate) fn pacer(key: &str) -> Arc<Mutex<Pacing>> {
    with_worker(|w| {
        if w.pacers.len() >= MAX_CLIENTS && !w.pacers.contains_key(key) {
            w.pacers.clear();
        }
        w.pacers.entry(key.to_string()).or_default().clone()
    })
}

/// Reads a PEM file of CA certificates to trust in addition to the built-in
/// roots. The file is read once per worker (again when it changes).
pub fn load_ca(path: &Path) -> Result<Arc<CaBundle>, String> {
    if !path.is_absolute() {
        return Err("must be an absolute path".into());
    }
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("is not a file".into());
    }
    let key = CaKey {
        path: path.to_path_buf(),
        len: meta.len(),
        modified: meta.modified().ok(),
    };
    if let Some(found) = with_worker(|w| w.cas.get(&key).cloned()) {
        return Ok(found);
    }
    let pem = std::fs::read(path).map_err(|e| e.to_string())?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("is not a PEM certificate bundle: {e}"))?;
    if certs.is_empty() {
        return Err("holds no PEM certificate".into());
    }
    let bundle = Arc::new(CaBundle {
        key: key.clone(),
        certs,
    });
    with_worker(|w| {
        if w.cas.len() >= MAX_CLIENTS {
            w.cas.clear();
        }
        w.cas.insert(key, bundle.clone());
    });
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_runtime_and_one_client_per_setting_for_the_life_of_the_worker() {
        let (rt1, _) = transport(Duration::from_secs(5), None).unwrap();
        let (rt2, _) = transport(Duration::from_secs(3), None).unwrap();
        assert!(std::ptr::eq(rt1, rt2));
        let clients = with_worker(|w| w.clients.len());
        transport(Duration::from_secs(5), None).unwrap();
        assert_eq!(with_worker(|w| w.clients.len()), clients);
    }

    #[test]
    fn state_inherited_across_a_fork_is_replaced() {
        transport(Duration::from_secs(5), None).unwrap();
        // Pretend this state was inherited from a parent process.
        with_worker(|w| w.pid = w.pid.wrapping_add(1));
        let fresh = with_worker(|w| (w.runtime.is_none(), w.clients.is_empty()));
        assert_eq!(fresh, (true, true));
        transport(Duration::from_secs(5), None).unwrap();
    }

    #[test]
    fn refuses_ca_files_that_are_not_pem_certificates() {
        let dir = std::env::temp_dir().join(format!("stack-ca-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let junk = dir.join("junk.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        assert!(load_ca(&junk).is_err());
        assert!(load_ca(&dir.join("missing.pem")).is_err());
        assert!(load_ca(Path::new("relative.pem")).is_err());
        assert!(load_ca(&dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
