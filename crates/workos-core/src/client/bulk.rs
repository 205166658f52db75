//! Many API calls at once, for bulk sync: up to `concurrency` calls in
//! flight as futures of one task on the worker's runtime (no thread per
//! call), sharing its connection pool (one HTTP/2 connection when WorkOS
//! offers it). Each call keeps the client's retry rules, and all of them
//! share one pacing state (`pacing.rs`): WorkOS's documented limits are
//! kept on our side, a 429 holds every call back until its `Retry-After`,
//! and budget headers slow the calls down before the limit.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::task::Poll;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::http::{Paced, Request};
use super::pacing::{Limits, Pacing};
use super::{ApiError, Client};

/// One call of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkCall {
    pub method: String,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// The most calls a batch may have in flight: WorkOS rate-limits per key
/// anyway.
pub const MAX_CONCURRENCY: usize = 32;

/// The methods a raw call may use.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

impl Client {
    /// The method (upper-cased) and URL of a raw call, checked: a known
    /// method, non-empty path segments that cannot navigate, query pairs
    /// appended.
    pub(crate) fn raw_target(
        &self,
        method: &str,
        path: &[&str],
        query: &[(String, String)],
    ) -> Result<(String, url::Url), ApiError> {
        let method = method.to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(ApiError::InvalidInput(format!(
                "unsupported method {method}"
            )));
        }
        if path.is_empty() || path.iter().any(|s| s.is_empty()) {
            return Err(ApiError::InvalidInput(
                "path segments must not be empty".into(),
            ));
        }
        let mut url = self.url(path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok((method, url))
    }

    /// Whose budget bulk calls spend: WorkOS counts per API key (a hash of
    /// it: the key itself never sits in a map key).
    fn pacing_key(&self) -> String {
        let digest = Sha256::digest(self.config().api_key.as_bytes());
        format!("{}|{}", self.config().base_url, hex::encode(&digest[..12]))
    }

    /// Runs every call with up to `concurrency` in flight; results come back
    /// in the order of `calls`. One failing call never stops the others.
    pub fn request_many(
        &self,
        calls: &[BulkCall],
        concurrency: usize,
    ) -> Vec<Result<Value, ApiError>> {
        if calls.is_empty() {
            return Vec::new();
        }
        let (runtime, http) = match self.transport() {
            Ok(t) => t,
            Err(e) => return calls.iter().map(|_| Err(e.clone())).collect(),
        };
        let pacing = super::runtime::pacer(&self.pacing_key());
        let lanes = concurrency.clamp(1, MAX_CONCURRENCY).min(calls.len());
        let count = calls.len();
        let client = self.clone();
        let calls = calls.to_vec();
        // The batch runs as one task on the runtime's I/O thread, next to the
        // connections' own tasks: a connection is back in the pool before
        // the lane that used it asks for one again, so a batch uses one
        // connection per lane (from the PHP thread, a lane could come back
        // first and open another).
        let batch = runtime.spawn(async move {
            let next = AtomicUsize::new(0);
            let results: Vec<Mutex<Option<Result<Value, ApiError>>>> =
                calls.iter().map(|_| Mutex::new(None)).collect();
            // Each lane takes the next call when its previous one is done.
            let lane = || async {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(call) = calls.get(i) else { break };
                    let outcome = client.run_one(&http, call, &pacing).await;
                    *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
                }
            };
            join_all((0..lanes).map(|_| Box::pin(lane())).collect()).await;
            results
                .into_iter()
                .map(|slot| {
                    slot.into_inner()
                        .unwrap_or_else(|p| p.into_inner())
                        .unwrap_or_else(|| Err(ApiError::Transport("not run".into())))
                })
                .collect::<Vec<_>>()
        });
        runtime.block_on(batch).unwrap_or_else(|e| {
            (0..count)
                .map(|_| Err(ApiError::Transport(format!("the batch failed: {e}"))))
                .collect()
        })
    }

    async fn run_one(
        &self,
        http: &reqwest::Client,
        call: &BulkCall,
        pacing: &Mutex<Pacing>,
    ) -> Result<Value, ApiError> {
        let segments: Vec<&str> = call.path.iter().map(String::as_str).collect();
        let (method, url) = self.raw_target(&call.method, &segments, &call.query)?;
        let paced = Paced {
            pacing,
            limits: Limits::of(&method, &segments),
        };
        let req = Request {
            method: &method,
            url,
            body: call.body.as_ref(),
            auth: true,
            idempotency_key: None,
        };
        self.send_on(http, req, Some(paced)).await
    }
}

/// Drives every lane to completion within the batch's task (the lanes
/// borrow the batch's state, so they are not tasks of their own).
async fn join_all<F: Future<Output = ()>>(mut lanes: Vec<Pin<Box<F>>>) {
    let mut done = vec![false; lanes.len()];
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (lane, done) in lanes.iter_mut().zip(done.iter_mut()) {
            if !*done {
                if lane.as_mut().poll(cx).is_ready() {
                    *done = true;
                } else {
                    pending = true;
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await
}
