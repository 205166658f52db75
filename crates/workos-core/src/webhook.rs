//! Verification of WorkOS webhook deliveries.
//!
//! WorkOS signs each delivery with `WorkOS-Signature: t=<unix ms>, v1=<hex>`,
//! where `v1` is HMAC-SHA256(secret, "<t>.<raw body>"). Several `v1` values may
//! appear while a secret is being rotated; any one matching is enough.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::event::{self, EventError, EventInfo};

type HmacSha256 = Hmac<Sha256>;

/// The official SDKs' default tolerance between the signed timestamp and now.
pub const DEFAULT_TOLERANCE_SECS: i64 = 180;

/// The largest delivery verified (1 MiB): WorkOS events are a few KiB, and a
/// bigger body is refused before any HMAC or JSON work is spent on it.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebhookError {
    #[error("missing WorkOS-Signature header")]
    Missing,
    #[error("malformed WorkOS-Signature header: {0}")]
    Malformed(&'static str),
    #[error("webhook secret is empty")]
    EmptySecret,
    #[error("tolerance must not be negative")]
    BadTolerance,
    #[error(
        "stale webhook: timestamp is {age_secs} s away from now (tolerance {tolerance_secs} s)"
    )]
    Stale { age_secs: i64, tolerance_secs: i64 },
    #[error("signature mismatch: no v1 signature matches the payload")]
    Mismatch,
    #[error("bad JSON payload: {0}")]
    BadJson(String),
    #[error("payload is larger than {MAX_PAYLOAD_BYTES} bytes")]
    TooLarge,
}

/// The parts of a `WorkOS-Signature` header.
#[derive(Debug, PartialEq, Eq)]
pub struct SignatureHeader {
    pub timestamp_ms: i64,
    pub signatures: Vec<Vec<u8>>,
}

pub fn parse_header(header: &str) -> Result<SignatureHeader, WebhookError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(WebhookError::Missing);
    }
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let Some((key, value)) = part.trim().split_once('=') else {
            return Err(WebhookError::Malformed(
                "expected comma-separated key=value pairs",
            ));
        };
        match key.trim() {
            "t" => {
                let t: i64 = value
                    .trim()
                    .parse()
                    .map_err(|_| WebhookError::Malformed("timestamp is not an integer"))?;
                if timestamp.replace(t).is_some() {
                    return Err(WebhookError::Malformed("more than one timestamp"));
                }
            }
            "v1" => {
                let sig = hex::decode(value.trim())
                    .map_err(|_| WebhookError::Malformed("v1 signature is not hex"))?;
                if sig.len() != 32 {
                    return Err(WebhookError::Malformed("v1 signature is not 32 bytes"));
                }
                signatures.push(sig);
            }
            // Unknown schemes are ignored so WorkOS can add new ones.
            _ => {}
        }
    }
    let timestamp_ms = timestamp.ok_or(WebhookError::Malformed("no timestamp (t=)"))?;
    if signatures.is_empty() {
        return Err(WebhookError::Malformed("no v1 signature"));
    }
    Ok(SignatureHeader {
        timestamp_ms,
        signatures,
    })
}

/// Hex HMAC-SHA256 signature of `"<t>.<payload>"`; what WorkOS puts in `v1`.
pub fn sign(payload: &[u8], secret: &str, timestamp_ms: i64) -> String {
    hex::encode(mac(payload, secret, timestamp_ms).finalize().into_bytes())
}

fn mac(payload: &[u8], secret: &str, timestamp_ms: i64) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any size");
    mac.update(timestamp_ms.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// Checks the header against the payload and returns the decoded event.
pub fn verify(
    payload: &[u8],
    header: &str,
    secret: &str,
    tolerance_secs: i64,
    now_ms: i64,
) -> Result<serde_json::Value, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    if tolerance_secs < 0 {
        return Err(WebhookError::BadTolerance);
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(WebhookError::TooLarge);
    }
    let parsed = parse_header(header)?;
    let age_ms = now_ms.saturating_sub(parsed.timestamp_ms);
    // Too far in the future is as suspicious as too old: both mean the
    // timestamp was not produced close to now.
    if age_ms.unsigned_abs() > (tolerance_secs as u64).saturating_mul(1000) {
        return Err(WebhookError::Stale {
            age_secs: age_ms / 1000,
            tolerance_secs,
        });
    }
    let expected = mac(payload, secret, parsed.timestamp_ms);
    // `verify_slice` compares in constant time.
    let matched = parsed
        .signatures
        .iter()
        .any(|sig| expected.clone().verify_slice(sig).is_ok());
    if !matched {
        return Err(WebhookError::Mismatch);
    }
    let event: serde_json::Value =
        serde_json::from_slice(payload).map_err(|e| WebhookError::BadJson(e.to_string()))?;
    if !event.is_object() {
        return Err(WebhookError::BadJson("event is not a JSON object".into()));
    }
    Ok(event)
}

/// A verified delivery: the event, and what decides whether and in which
/// order it is applied — found in one pass, so a delivery crosses from PHP
/// into Rust once.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub event: serde_json::Value,
    pub info: EventInfo,
}

/// Why a delivery was refused: its signature (the sender is not WorkOS, or
/// the body was changed), or — signed, yet — an event we cannot order.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeliveryError {
    #[error(transparent)]
    Signature(#[from] WebhookError),
    #[error(transparent)]
    Event(#[from] EventError),
}

/// Verifies a delivery as [`verify`] does and describes its event as
/// [`event::describe`] does.
pub fn open(
    payload: &[u8],
    header: &str,
    secret: &str,
    tolerance_secs: i64,
    now_ms: i64,
) -> Result<Delivery, DeliveryError> {
    let event = verify(payload, header, secret, tolerance_secs, now_ms)?;
    let info = event::describe(&event)?;
    Ok(Delivery { event, info })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"id":"event_1","event":"user.updated","data":{"id":"user_1"}}"#;
    const NOW: i64 = 1_700_000_000_000;

    fn header(t: i64) -> String {
        format!("t={t}, v1={}", sign(BODY, SECRET, t))
    }

    #[test]
    fn accepts_valid_signature_and_returns_event() {
        let event = verify(BODY, &header(NOW - 5_000), SECRET, 180, NOW).unwrap();
        assert_eq!(event["event"], "user.updated");
    }

    #[test]
    fn open_returns_the_event_with_its_ordering_info() {
        let body = br#"{"id":"event_1","event":"user.updated","data":{"id":"user_1","updated_at":"2026-01-01T00:00:05Z"},"created_at":"2026-01-01T00:00:10Z"}"#;
        let h = format!("t={NOW}, v1={}", sign(body, SECRET, NOW));
        let d = open(body, &h, SECRET, 180, NOW).unwrap();
        assert_eq!(d.event["data"]["id"], "user_1");
        assert_eq!(d.info.object_key.as_deref(), Some("user:user_1"));
        assert_eq!(d.info.version, 1_767_225_605_000);
        // The signature is checked first; a signed event we cannot order is
        // an event error, not a signature error.
        assert!(matches!(
            open(body, "t=1, v1=00", SECRET, 180, NOW),
            Err(DeliveryError::Signature(WebhookError::Malformed(_)))
        ));
        let unordered = br#"{"id":"event_2","event":"user.updated","data":{}}"#;
        let h = format!("t={NOW}, v1={}", sign(unordered, SECRET, NOW));
        assert_eq!(
            open(unordered, &h, SECRET, 180, NOW),
            Err(DeliveryError::Event(EventError::Missing("data.id")))
        );
    }

    #[test]
    fn accepts_any_of_several_v1_values() {
        let h = format!(
            "t={NOW}, v1={}, v1={}",
            "00".repeat(32),
            sign(BODY, SECRET, NOW)
        );
        assert!(verify(BODY, &h, SECRET, 180, NOW).is_ok());
    }

    #[test]
    fn rejects_missing_header() {
        assert_eq!(
            verify(BODY, "  ", SECRET, 180, NOW),
            Err(WebhookError::Missing)
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        for h in ["garbage", "t=abc, v1=00", "v1=zz", "t=1", "t=1, v1=abcd"] {
            assert!(
                matches!(
                    verify(BODY, h, SECRET, 180, NOW),
                    Err(WebhookError::Malformed(_))
                ),
                "{h}"
            );
        }
    }

    #[test]
    fn rejects_stale_signature() {
        let err = verify(BODY, &header(NOW - 181_000), SECRET, 180, NOW).unwrap_err();
        assert!(matches!(err, WebhookError::Stale { .. }));
        assert!(err.to_string().contains("stale"));
    }

    #[test]
    fn rejects_timestamp_far_in_the_future() {
        let err = verify(BODY, &header(NOW + 600_000), SECRET, 180, NOW).unwrap_err();
        assert!(matches!(err, WebhookError::Stale { .. }));
    }

    #[test]
    fn rejects_seconds_instead_of_milliseconds() {
        // A header signed with a seconds timestamp looks 50 years old.
        let t = NOW / 1000;
        assert!(matches!(
            verify(BODY, &header(t), SECRET, 180, NOW),
            Err(WebhookError::Stale { .. })
        ));
    }

    #[test]
    fn rejects_tampered_payload() {
        let h = header(NOW);
        let tampered = br#"{"id":"event_1","event":"user.deleted","data":{"id":"user_1"}}"#;
        assert_eq!(
            verify(tampered, &h, SECRET, 180, NOW),
            Err(WebhookError::Mismatch)
        );
    }

    #[test]
    fn rejects_wrong_secret() {
        assert_eq!(
            verify(BODY, &header(NOW), "whsec_other", 180, NOW),
            Err(WebhookError::Mismatch)
        );
    }

    #[test]
    fn rejects_empty_secret() {
        assert_eq!(
            verify(BODY, &header(NOW), "", 180, NOW),
            Err(WebhookError::EmptySecret)
        );
    }

    #[test]
    fn rejects_payloads_over_one_mib_even_when_signed() {
        let big = vec![b' '; MAX_PAYLOAD_BYTES + 1];
        let h = format!("t={NOW}, v1={}", sign(&big, SECRET, NOW));
        assert_eq!(
            verify(&big, &h, SECRET, 180, NOW),
            Err(WebhookError::TooLarge)
        );
    }

    #[test]
    fn rejects_valid_signature_over_bad_json() {
        let body = b"not json";
        let h = format!("t={NOW}, v1={}", sign(body, SECRET, NOW));
        assert!(matches!(
            verify(body, &h, SECRET, 180, NOW),
            Err(WebhookError::BadJson(_))
        ));
    }
}
