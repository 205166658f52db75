//! HTTP transport: reqwest on the worker's tokio runtime (see `runtime.rs`),
//! with bounded retries on 429 and 5xx.
//!
//! A PHP request blocks on its call (`send`); bulk work runs many calls on
//! the same runtime at once (`bulk.rs`). Either way the connections come
//! from the worker's pool, kept alive from one PHP request to the next.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::pacing::{Limits, Pacing, RateInfo};
use super::{ApiError, Client};

/// A Retry-After longer than this is not worth keeping a visitor waiting for:
/// the error is returned at once instead (retrying sooner than WorkOS asked
/// would only be refused again).
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);

/// The largest answer read (as before with ureq): WorkOS's largest pages are
/// far smaller, and a broken proxy must not exhaust a PHP worker's memory.
pub const MAX_BODY: usize = 10 * 1024 * 1024;

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

/// One API request: what to send.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub url: url::Url,
    pub body: Option<&'a Value>,
    pub auth: bool,
    /// Lets WorkOS recognise a retried POST as the same request.
    pub idempotency_key: Option<&'a str>,
}

/// The pacing a bulk call takes part in: the shared state and the
/// documented limits the call counts against.
#[derive(Clone, Copy)]
pub(crate) struct Paced<'a> {
    pub pacing: &'a Mutex<Pacing>,
    pub limits: Limits,
}

impl Paced<'_> {
    fn with<R>(&self, f: impl FnOnce(&mut Pacing) -> R) -> R {
        f(&mut self.pacing.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A transport failure as one line: reqwest's own message names only the
/// step ("error sending request"), its sources say what went wrong.
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "timed out".into();
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Reads an answer's body, at most [`MAX_BODY`] bytes.
async fn read_body(mut resp: reqwest::Response) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(ApiError::BadResponse(format!(
                        "answer larger than {MAX_BODY} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) if e.is_timeout() => return Err(ApiError::Transport("timed out".into())),
            Err(e) => return Err(ApiError::BadResponse(describe(&e))),
        }
    }
}

fn parse_ok(body: &[u8]) -> Result<Value, ApiError> {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| ApiError::BadResponse(format!("invalid JSON: {e}")))
}

impl Client {
    /// Sends one request and waits for its answer: the PHP request blocks
    /// while the call runs as a task on the runtime's I/O thread, next to the
    /// connections' own tasks, so the connection is back in the pool before
    /// the next call asks for one (from the PHP thread, a quick next call
    /// could come first and open a second connection).
    pub(crate) fn send(&self, req: Request<'_>) -> Result<Value, ApiError> {
        let (runtime, http) = self.transport()?;
        let client = self.clone();
        let method = req.method.to_string();
        let (url, auth) = (req.url, req.auth);
        let body = req.body.cloned();
        let idempotency_key = req.idempotency_key.map(str::to_string);
        let task = runtime.spawn(async move {
            let req = Request {
                method: &method,
                url,
                body: body.as_ref(),
                auth,
                idempotency_key: idempotency_key.as_deref(),
            };
            client.send_on(&http, req, None).await
        });
        runtime
            .block_on(task)
            .unwrap_or_else(|e| Err(ApiError::Transport(format!("the request failed: {e}"))))
    }

    pub(crate) fn transport(
        &self,
    ) -> Result<(&'static tokio::runtime::Runtime, reqwest::Client), ApiError> {
        super::runtime::transport(self.config().connect_timeout, self.ca.as_ref())
    }

    /// One request with its retries, on the runtime. `paced` makes it wait
    /// its turn among the bulk calls in flight and report what WorkOS said
    /// about the rate limit.
    pub(crate) async fn send_on(
        &self,
        http: &reqwest::Client,
        req: Request<'_>,
        paced: Option<Paced<'_>>,
    ) -> Result<Value, ApiError> {
        let cfg = self.config();
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .map_err(|_| ApiError::InvalidInput(format!("unsupported method {}", req.method)))?;
        // Serialised once for every attempt.
        let body = match req.body {
            Some(v) => Some(
                serde_json::to_vec(v)
                    .map_err(|e| ApiError::InvalidInput(format!("body is not JSON: {e}")))?,
            ),
            None => None,
        };
        let auth = format!("Bearer {}", cfg.api_key);
        // Starts when the first attempt is sent: waiting for a bulk call's
        // turn is not the call taking long.
        let mut deadline: Option<Instant> = None;
        let mut attempt = 0;
        loop {
            // When this attempt counts against the rate limits (paced calls).
            let mut counted_at = None;
            if let Some(p) = paced {
                let at = p.with(|s| s.start(Instant::now(), p.limits));
                counted_at = Some(at);
                if deadline.is_some_and(|d| at >= d) {
                    p.with(Pacing::cancel);
                    return Err(ApiError::Transport(
                        "WorkOS asked to retry later than the request timeout allows".into(),
                    ));
                }
                tokio::time::sleep_until(at.into()).await;
            }
            let deadline = *deadline.get_or_insert_with(|| Instant::now() + cfg.timeout);
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                if let Some(p) = paced {
                    p.with(Pacing::cancel);
                }
                return Err(ApiError::Transport("timed out".into()));
            }
            let mut r = http
                .request(method.clone(), req.url.clone())
                .timeout(remaining)
                .header(reqwest::header::ACCEPT, "application/json");
            if req.auth {
                r = r.header(reqwest::header::AUTHORIZATION, &auth);
            }
            if let Some(key) = req.idempotency_key {
                r = r.header("Idempotency-Key", key);
            }
            if let Some(b) = &body {
                r = r
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.clone());
            }
            let wait = match r.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers();
                    let info = RateInfo::from_headers(
                        |name| headers.get(name).and_then(|v| v.to_str().ok()),
                        SystemTime::now(),
                    );
                    if let (Some(p), Some(at)) = (paced, counted_at) {
                        let now = Instant::now();
                        p.with(|s| {
                            s.observe(now, now.saturating_duration_since(at));
                            s.finish(now, status, p.limits, &info);
                        });
                    }
                    // As before: a 3xx (never followed) is not an error.
                    if status < 400 {
                        return parse_ok(&read_body(resp).await?);
                    }
                    let wait = info.retry_after;
                    let too_long = wait.is_some_and(|w| w > MAX_RETRY_WAIT);
                    if !retryable_status(status) || attempt >= cfg.max_retries || too_long {
                        let request_id = headers
                            .get("X-Request-ID")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string);
                        let text = read_body(resp)
                            .await
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                            .unwrap_or_default();
                        return Err(ApiError::from_response(status, &text, request_id));
                    }
                    wait
                }
                Err(e) => {
                    if let (Some(p), Some(at)) = (paced, counted_at) {
                        let now = Instant::now();
                        p.with(|s| {
                            s.observe(now, now.saturating_duration_since(at));
                            s.finish(now, 0, p.limits, &RateInfo::default());
                        });
                    }
                    // Only failures to connect are safe to retry: the request
                    // never reached WorkOS.
                    if !e.is_connect() || attempt >= cfg.max_retries {
                        return Err(ApiError::Transport(describe(&e)));
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
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}
