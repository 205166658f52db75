use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use workos_core::webhook;

use super::{convert, exceptions, guard::guard};

/// Verification of WorkOS webhook deliveries.
#[php_class]
#[php(name = "WorkOS\\Native\\Webhook")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Webhook;

#[php_impl]
impl Webhook {
    /// Checks a `WorkOS-Signature` header (`t=<unix ms>, v1=<hex>`; several
    /// `v1` values allowed) against the raw request body with a constant-time
    /// compare, refuses timestamps further than `$toleranceSeconds` from now,
    /// and returns the decoded event.
    ///
    /// @throws \WorkOS\Native\SignatureException saying which check failed:
    ///         missing, malformed, stale, mismatch or bad JSON.
    #[php(defaults(tolerance_seconds = 180))]
    #[php(optional = "tolerance_seconds")]
    pub fn verify(
        payload: BinarySlice<u8>,
        signature_header: &str,
        secret: &str,
        tolerance_seconds: i64,
        now_ms: Option<i64>,
    ) -> PhpResult<Zval> {
        guard(|| {
            let now = now_ms.unwrap_or_else(workos_core::now_ms);
            webhook::verify(&payload, signature_header, secret, tolerance_seconds, now)
                .map(|event| convert::to_zval(&event))
                .map_err(exceptions::signature)
        })
    }

    /// The `WorkOS-Signature` header WorkOS would send for `$payload` at
    /// `$timestampMs` (for tests and for replaying deliveries).
    pub fn sign(payload: BinarySlice<u8>, secret: &str, timestamp_ms: i64) -> PhpResult<String> {
        guard(|| {
            if secret.is_empty() {
                return Err(exceptions::invalid("secret must not be empty"));
            }
            let sig = webhook::sign(&payload, secret, timestamp_ms);
            Ok(format!("t={timestamp_ms}, v1={sig}"))
        })
    }
}
