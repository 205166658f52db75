//! HTTP transport: a keep-alive connection pool per process, and requests
//! with bounded retries on 429 and 5xx.
//!
//! php-fpm loads the extension in its master and forks workers afterwards, so
//! nothing here is created at load time: the pool is built on first use, and
//! rebuilt if the process id changes (a pool inherited across `fork` would
//! share sockets with a sibling).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{ApiError, Client};

const USER_AGENT: &str = concat!("workos-wordpress-native/", env!("CARGO_PKG_VERSION"));
/// A Retry-After longer than this is not worth keeping a visitor waiting for:
/// the error is returned at once instead (retrying sooner than WorkOS asked
/// would only be refused again).
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

struct Pool {
    pid: u32,
    agents: HashMap<Duration, ureq::Agent>,
}

fn agent(connect_timeout: Duration) -> ureq::Agent {
    static POOL: OnceLock<Mutex<Pool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        Mutex::new(Pool {
            pid: std::process::id(),
            agents: HashMap::new(),
        })
    });
    let mut pool = pool.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if pool.pid != pid {
        pool.pid = pid;
        pool.agents.clear();
    }
    pool.agents
        .entry(connect_timeout)
        .or_insert_with(|| {
            ureq::AgentBuilder::new()
                .timeout_connect(connect_timeout)
                .max_idle_connections_per_host(4)
                .user_agent(USER_AGENT)
                .redirects(0)
                .build()
        })
        .clone()
}

fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Reads a `Retry-After` value in seconds (an HTTP date is not worth a
/// visitor's wait and is treated as absent). Whatever WorkOS or a proxy in
/// between sends, the result is at most [`RETRY_AFTER_CAP`]: huge, negative or
/// non-finite values can neither panic nor stall a PHP worker.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs = value.trim().parse::<f64>().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        secs.min(RETRY_AFTER_CAP.as_secs_f64()),
    ))
}

/// The largest `Retry-After` [`parse_retry_after`] reports; anything above
/// [`MAX_RETRY_WAIT`] ends the retries anyway.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(3600);

fn retry_after(resp: &ureq::Response) -> Option<Duration> {
    resp.header("Retry-After").and_then(parse_retry_after)
}

/// One API request: what to send.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub url: url::Url,
    pub body: Option<&'a Value>,
    pub auth: bool,
    /// Lets WorkOS recognise a retried POST as the same request.
    pub idempotency_key: Option<&'a str>,
}

impl Client {
    pub(crate) fn send(&self, req: Request<'_>) -> Result<Value, ApiError> {
        let cfg = self.config();
        let agent = agent(cfg.connect_timeout);
        let deadline = Instant::now() + cfg.timeout;
        let mut attempt = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(ApiError::Transport("timed out".into()));
            }
            let mut r = agent
                .request_url(req.method, &req.url)
                .timeout(remaining)
                .set("Accept", "application/json");
            if req.auth {
                r = r.set("Authorization", &format!("Bearer {}", cfg.api_key));
            }
            if let Some(key) = req.idempotency_key {
                r = r.set("Idempotency-Key", key);
            }
            let result = match req.body {
                Some(body) => r.send_json(body),
                None => r.call(),
            };
            let wait = match result {
                Ok(resp) => return parse_ok(resp),
                Err(ureq::Error::Status(status, resp)) => {
                    let wait = retry_after(&resp);
                    let too_long = wait.is_some_and(|w| w > MAX_RETRY_WAIT);
                    if !retryable_status(status) || attempt >= cfg.max_retries || too_long {
                        let request_id = resp.header("X-Request-ID").map(str::to_string);
                        let text = resp.into_string().unwrap_or_default();
                        return Err(ApiError::from_response(status, &text, request_id));
                    }
                    wait
                }
                Err(ureq::Error::Transport(t)) => {
                    // Only failures to connect are safe to retry: the request
                    // never reached WorkOS.
                    let connect_failed = matches!(
                        t.kind(),
                        ureq::ErrorKind::ConnectionFailed | ureq::ErrorKind::Dns
                    );
                    if !connect_failed || attempt >= cfg.max_retries {
                        return Err(ApiError::Transport(t.to_string()));
                    }
                    None
                }
            };
            let backoff = Duration::from_millis(100 << attempt.min(4));
            let wait = wait.unwrap_or(backoff);
            if Instant::now() + wait >= deadline {
                return Err(ApiError::Transport(
                    "WorkOS asked to retry later than the request timeout allows".into(),
                ));
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }
}

fn parse_ok(resp: ureq::Response) -> Result<Value, ApiError> {
    let text = resp
        .into_string()
        .map_err(|e| ApiError::BadResponse(e.to_string()))?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| ApiError::BadResponse(format!("invalid JSON: {e}")))
}
