//! Signed, browser-bound OAuth `state` values.
//!
//! A state is `<payload>.<mac>`, both base64url. The payload carries a random
//! nonce, an expiry, caller data, and the SHA-256 of a *binding* — a secret the
//! browser holds in a cookie — so a state copied into another browser, or
//! altered in any byte, is refused. Single use is the caller's job (it stores
//! the nonce and forgets it on first use); this module only proves origin.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::b64;

type HmacSha256 = Hmac<Sha256>;

/// Domain separation so a state MAC can never be replayed as another MAC.
const CONTEXT: &[u8] = b"workos-state.v1.";
/// Longest state we accept; WorkOS echoes it in a URL.
pub const MAX_LEN: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StateError {
    #[error("state secret must be at least 16 bytes")]
    WeakSecret,
    #[error("state binding must not be empty")]
    EmptyBinding,
    #[error("state lifetime must be between 1 and 86400 seconds")]
    BadTtl,
    #[error("state is malformed")]
    Malformed,
    #[error("state signature is invalid (tampered or signed with another secret)")]
    BadSignature,
    #[error("state has expired")]
    Expired,
    #[error("state belongs to another browser session")]
    BindingMismatch,
    #[error("state data must be a JSON object")]
    BadData,
    #[error("the clock is out of range")]
    BadClock,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    v: u8,
    n: String,
    b: String,
    e: i64,
    #[serde(default)]
    d: serde_json::Value,
}

/// What a verified state tells the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub nonce: String,
    pub expires_at: i64,
    pub data: serde_json::Value,
}

fn binding_hash(binding: &str) -> String {
    b64::encode(Sha256::digest(binding.as_bytes()))
}

fn mac(secret: &[u8], payload_b64: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any size");
    mac.update(CONTEXT);
    mac.update(payload_b64.as_bytes());
    mac
}

pub fn issue(
    secret: &[u8],
    binding: &str,
    data: serde_json::Value,
    ttl_secs: i64,
    now_secs: i64,
) -> Result<String, StateError> {
    if secret.len() < 16 {
        return Err(StateError::WeakSecret);
    }
    if binding.is_empty() {
        return Err(StateError::EmptyBinding);
    }
    if !(1..=86_400).contains(&ttl_secs) {
        return Err(StateError::BadTtl);
    }
    let data = match data {
        serde_json::Value::Null => serde_json::Value::Object(Default::default()),
        v @ serde_json::Value::Object(_) => v,
        _ => return Err(StateError::BadData),
    };
    let payload = Payload {
        v: 1,
        n: b64::encode(rand::random::<[u8; 16]>()),
        b: binding_hash(binding),
        e: now_secs.checked_add(ttl_secs).ok_or(StateError::BadClock)?,
        d: data,
    };
    let json = serde_json::to_vec(&payload).map_err(|_| StateError::BadData)?;
    let payload_b64 = b64::encode(json);
    let sig = b64::encode(mac(secret, &payload_b64).finalize().into_bytes());
    let state = format!("{payload_b64}.{sig}");
    if state.len() > MAX_LEN {
        return Err(StateError::BadData);
    }
    Ok(state)
}

pub fn verify(
    secret: &[u8],
    state: &str,
    binding: &str,
    now_secs: i64,
) -> Result<Verified, StateError> {
    if secret.len() < 16 {
        return Err(StateError::WeakSecret);
    }
    if state.len() > MAX_LEN {
        return Err(StateError::Malformed);
    }
    let (payload_b64, sig_b64) = state.split_once('.').ok_or(StateError::Malformed)?;
    let sig = b64::decode(sig_b64).ok_or(StateError::Malformed)?;
    // The MAC is checked before the payload is even parsed.
    mac(secret, payload_b64)
        .verify_slice(&sig)
        .map_err(|_| StateError::BadSignature)?;
    let json = b64::decode(payload_b64).ok_or(StateError::Malformed)?;
    let payload: Payload = serde_json::from_slice(&json).map_err(|_| StateError::Malformed)?;
    if payload.v != 1 {
        return Err(StateError::Malformed);
    }
    if now_secs > payload.e {
        return Err(StateError::Expired);
    }
    if binding.is_empty()
        || !bool::from(binding_hash(binding).as_bytes().ct_eq(payload.b.as_bytes()))
    {
        return Err(StateError::BindingMismatch);
    }
    Ok(Verified {
        nonce: payload.n,
        expires_at: payload.e,
        data: payload.d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const NOW: i64 = 1_700_000_000;

    fn fresh() -> String {
        issue(SECRET, "cookie-1", json!({"redirect_to": "/x"}), 600, NOW).unwrap()
    }

    #[test]
    fn round_trips_data_and_nonce() {
        let v = verify(SECRET, &fresh(), "cookie-1", NOW + 10).unwrap();
        assert_eq!(v.data["redirect_to"], "/x");
        assert_eq!(v.expires_at, NOW + 600);
        assert!(!v.nonce.is_empty());
    }

    #[test]
    fn nonces_differ_between_states() {
        let a = verify(SECRET, &fresh(), "cookie-1", NOW).unwrap();
        let b = verify(SECRET, &fresh(), "cookie-1", NOW).unwrap();
        assert_ne!(a.nonce, b.nonce);
    }

    #[test]
    fn rejects_other_browser() {
        assert_eq!(
            verify(SECRET, &fresh(), "cookie-2", NOW),
            Err(StateError::BindingMismatch)
        );
        assert_eq!(
            verify(SECRET, &fresh(), "", NOW),
            Err(StateError::BindingMismatch)
        );
    }

    #[test]
    fn rejects_expired() {
        assert_eq!(
            verify(SECRET, &fresh(), "cookie-1", NOW + 601),
            Err(StateError::Expired)
        );
    }

    #[test]
    fn rejects_tampering_anywhere() {
        let state = fresh();
        for i in 0..state.len() {
            let mut bytes = state.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            if tampered == state {
                continue;
            }
            assert!(
                verify(SECRET, &tampered, "cookie-1", NOW).is_err(),
                "byte {i}"
            );
        }
    }

    #[test]
    fn rejects_other_secret() {
        let other = b"ffffffffffffffffffffffffffffffff";
        assert_eq!(
            verify(other, &fresh(), "cookie-1", NOW),
            Err(StateError::BadSignature)
        );
    }

    #[test]
    fn rejects_garbage_and_weak_inputs() {
        assert_eq!(
            verify(SECRET, "nodot", "c", NOW),
            Err(StateError::Malformed)
        );
        assert_eq!(
            verify(SECRET, "a.!!!", "c", NOW),
            Err(StateError::Malformed)
        );
        assert_eq!(
            issue(b"short", "c", json!({}), 60, NOW),
            Err(StateError::WeakSecret)
        );
        assert_eq!(
            issue(SECRET, "", json!({}), 60, NOW),
            Err(StateError::EmptyBinding)
        );
        assert_eq!(
            issue(SECRET, "c", json!({}), 0, NOW),
            Err(StateError::BadTtl)
        );
        assert_eq!(
            issue(SECRET, "c", json!([1]), 60, NOW),
            Err(StateError::BadData)
        );
    }
}
