// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{json, Value};
use workos_core::state;

use super::{convert, exceptions, guard::guard};

/// Signed, browser-bound OAuth `state` values.
#[php_class]
#[php(name = "WorkOS\\Native\\State")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct State;

#[php_impl]
impl State {
    /// Issues a state carrying `$data`, signed with `$secret` (≥ 16 bytes),
    /// bound to `$binding` (a secret the browser holds, e.g. in a cookie) and
    /// valid for `$ttlSeconds`.
    #[php(defaults(ttlSeconds = 600))]
    #[php(optional = "data")]
    pub fn issue(
        secret: &str,
        binding: &str,
        data: Option<&ZendHashTable>,
        ttlSeconds: i64,
    ) -> PhpResult<String> {
        guard(|| {
            let data = match data {
                Some(ht) => convert::from_hashtable(ht, "data", 0).map_err(exceptions::invalid)?,
                None => Value::Null,
            };
            let data = match data {
                Value::Array(a) if a.is_empty() => Value::Null,
                other => other,
            };
            state::issue(
                secret.as_bytes(),
                binding,
                data,
                ttlSeconds,
                workos_core::now_secs(),
            )
            .map_err(exceptions::state)
        })
    }

    /// Verifies a state against the same secret and binding and returns
    /// `['nonce' => string, 'expires_at' => int, 'data' => array]`.
    ///
    /// @throws \WorkOS\Native\StateException when tampered, expired, or bound
    ///         to another browser.
    #[php(optional = "now")]
    pub fn verify(
        secret: &str,
        state: &str,
        binding: &str,
        now: Option<i64>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let now = now.unwrap_or_else(workos_core::now_secs);
            let v =
                state::verify(secret.as_bytes(), state, binding, now).map_err(exceptions::state)?;
            convert::to_array(&json!({
                "nonce": v.nonce,
                "expires_at": v.expires_at,
                "data": v.data,
            }))
            .map_err(exceptions::internal)
        })
    }
}
