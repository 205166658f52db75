// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use workos_core::{event, webhook};

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
    #[php(defaults(toleranceSeconds = 180))]
    #[php(optional = "toleranceSeconds")]
    pub fn verify(
        payload: BinarySlice<u8>,
        signatureHeader: &str,
        secret: &str,
        toleranceSeconds: i64,
        nowMs: Option<i64>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let now = nowMs.unwrap_or_else(workos_core::now_ms);
            webhook::verify(&payload, signatureHeader, secret, toleranceSeconds, now)
                .map_err(exceptions::signature)
                .and_then(|event| convert::to_array(&event).map_err(exceptions::internal))
        })
    }

    /// Verifies a delivery (as verify()) and describes its event (as
    /// describe()) in one call: `['event' => [...decoded event],
    /// 'info' => ['id', 'event', 'object_key' => 'user:user_…'|null,
    /// 'version' => unix ms]]`.
    ///
    /// @throws \WorkOS\Native\SignatureException when the signature does not
    ///         verify (missing, malformed, stale or mismatch).
    /// @throws \WorkOS\Native\InvalidArgumentException when a signed body is
    ///         not a JSON object or its event lacks what orders it (naming
    ///         what is wrong): WorkOS sent it, so it is not a signature
    ///         failure, and retrying will not help.
    #[php(defaults(toleranceSeconds = 180))]
    #[php(optional = "toleranceSeconds")]
    pub fn verify_event(
        payload: BinarySlice<u8>,
        signatureHeader: &str,
        secret: &str,
        toleranceSeconds: i64,
        nowMs: Option<i64>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let now = nowMs.unwrap_or_else(workos_core::now_ms);
            let delivery = webhook::open(&payload, signatureHeader, secret, toleranceSeconds, now)
                .map_err(|e| match e {
                    webhook::DeliveryError::Signature(webhook::WebhookError::BadJson(why)) => {
                        exceptions::invalid(format!("bad JSON payload: {why}"))
                    }
                    webhook::DeliveryError::Signature(s) => exceptions::signature(s),
                    webhook::DeliveryError::Event(e) => exceptions::invalid(e.to_string()),
                })?;
            let out = serde_json::json!({
                "event": delivery.event,
                "info": info_value(&delivery.info),
            });
            convert::to_array(&out).map_err(exceptions::internal)
        })
    }

    /// What a verified event is about, for applying it once and in order:
    /// `['id', 'event', 'object_key' => 'user:user_…'|null, 'version' => unix ms]`.
    /// Events about the same `object_key` must be applied only when their
    /// `version` is not older than the last one applied.
    ///
    /// @throws \WorkOS\Native\InvalidArgumentException naming what is missing.
    pub fn describe(event: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let value = convert::from_hashtable(event, "event", 0).map_err(exceptions::invalid)?;
            let info = event::describe(&value).map_err(|e| exceptions::invalid(e.to_string()))?;
            convert::to_array(&info_value(&info)).map_err(exceptions::internal)
        })
    }

    /// The `WorkOS-Signature` header WorkOS would send for `$payload` at
    /// `$timestampMs` (for tests and for replaying deliveries).
    pub fn sign(payload: BinarySlice<u8>, secret: &str, timestampMs: i64) -> PhpResult<String> {
        guard(|| {
            if secret.is_empty() {
                return Err(exceptions::invalid("secret must not be empty"));
            }
            let sig = webhook::sign(&payload, secret, timestampMs);
            Ok(format!("t={timestampMs}, v1={sig}"))
        })
    }
}

/// The PHP shape of an event's ordering info.
fn info_value(info: &event::EventInfo) -> serde_json::Value {
    serde_json::json!({
        "id": info.id,
        "event": info.event,
        "object_key": info.object_key,
        "version": info.version,
    })
}
