//! Many API calls at once, for bulk sync: a fixed number of worker threads
//! share one keep-alive pool and each call keeps the client's retry rules
//! (429 and 5xx honour `Retry-After`), so a burst slows down instead of
//! failing when WorkOS rate-limits it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::Value;

use super::{ApiError, Client};

/// One call of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkCall {
    pub method: String,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// The most workers a batch may use: WorkOS rate-limits per key anyway.
pub const MAX_CONCURRENCY: usize = 32;

impl Client {
    /// Runs every call with up to `concurrency` in flight; results come back
    /// in the order of `calls`. One failing call never stops the others.
    pub fn request_many(
        &self,
        calls: &[BulkCall],
        concurrency: usize,
    ) -> Vec<Result<Value, ApiError>> {
        let workers = concurrency
            .clamp(1, MAX_CONCURRENCY)
            .min(calls.len().max(1));
        let next = AtomicUsize::new(0);
        let results: Vec<Mutex<Option<Result<Value, ApiError>>>> =
            calls.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(call) = calls.get(i) else { break };
                    let segments: Vec<&str> = call.path.iter().map(String::as_str).collect();
                    let outcome =
                        self.request(&call.method, &segments, &call.query, call.body.as_ref());
                    *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
                });
            }
        });
        results
            .into_iter()
            .map(|slot| {
                slot.into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .unwrap_or_else(|| Err(ApiError::Transport("not run".into())))
            })
            .collect()
    }
}
