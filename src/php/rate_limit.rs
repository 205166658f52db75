// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use workos_core::rate_limit;

use super::{convert, exceptions, guard::guard};

/// Rate-limit decisions (GCRA): the caller stores one number per key.
#[php_class]
#[php(name = "WorkOS\\Native\\RateLimit")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct RateLimit;

#[php_impl]
impl RateLimit {
    /// Decides one attempt: `$limit` per `$periodSeconds` (bursts up to
    /// `$limit`) for a key whose stored value is `$tatMs` (0 for a new key).
    /// Returns `['allowed' => bool, 'tat_ms' => int (store it when allowed),
    /// 'retry_after_ms' => int, 'remaining' => int]`.
    pub fn check(
        tatMs: i64,
        nowMs: i64,
        limit: i64,
        periodSeconds: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let limit =
                u32::try_from(limit).map_err(|_| exceptions::invalid("limit is out of range"))?;
            let period = u32::try_from(periodSeconds)
                .map_err(|_| exceptions::invalid("periodSeconds is out of range"))?;
            let d = rate_limit::check(tatMs, nowMs, limit, period)
                .map_err(|e| exceptions::invalid(e.to_string()))?;
            convert::to_array(&serde_json::json!({
                "allowed": d.allowed,
                "tat_ms": d.tat_ms,
                "retry_after_ms": d.retry_after_ms,
                "remaining": d.remaining,
            }))
            .map_err(exceptions::internal)
        })
    }
}
