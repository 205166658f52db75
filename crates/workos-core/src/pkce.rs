//! PKCE (RFC 7636) with the S256 method, the only one we ever send.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::b64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PkceError {
    #[error("the PKCE derivation key must not be empty")]
    EmptyKey,
    #[error("the {0} must not contain '|'")]
    BadPart(&'static str),
}

/// A fresh verifier: 32 random bytes, base64url (43 characters).
pub fn verifier() -> String {
    b64::encode(rand::random::<[u8; 32]>())
}

/// The S256 challenge of a verifier.
pub fn challenge(verifier: &str) -> String {
    b64::encode(Sha256::digest(verifier.as_bytes()))
}

/// The PKCE verifier of a sign-in flow, derived rather than stored: only
/// the server (with its `key`) and the browser (with its binding cookie) can
/// recompute it, it never appears in a URL, and nothing has to be kept
/// between sending the visitor to WorkOS and the callback.
///
/// `base64url(HMAC-SHA256(key, "pkce|<binding>|<flow>"))`, 43 characters: the
/// same value the plugin's PHP computed before, so flows begun before an
/// upgrade still finish. Neither part may contain `|`, so no two (binding,
/// flow) pairs feed the HMAC the same bytes. An empty binding (a browser
/// without the cookie) is allowed: it yields a verifier WorkOS will not
/// accept for a challenge made with the real one, as before.
pub fn derive(key: &[u8], binding: &str, flow: &str) -> Result<String, PkceError> {
    if key.is_empty() {
        return Err(PkceError::EmptyKey);
    }
    for (name, part) in [("binding", binding), ("flow", flow)] {
        if part.contains('|') {
            return Err(PkceError::BadPart(name));
        }
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key size");
    mac.update(b"pkce|");
    mac.update(binding.as_bytes());
    mac.update(b"|");
    mac.update(flow.as_bytes());
    Ok(b64::encode(mac.finalize().into_bytes()))
}

/// RFC 7636 §4.1: 43–128 characters of the unreserved set.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn derived_verifiers_match_the_php_derivation() {
        // php -r 'echo rtrim(strtr(base64_encode(hash_hmac("sha256",
        //   "pkce|b1|f1", "site-key", true)), "+/", "-_"), "=");'
        let v = derive(b"site-key", "b1", "f1").unwrap();
        assert_eq!(v, "cJlv_H7r6s6uLGgdy9GYXyOsgW0QNc8Y77hfSQ7e1N0");
        assert!(is_valid_verifier(&v));
        assert_ne!(v, derive(b"site-key", "b1", "f2").unwrap());
        assert_ne!(v, derive(b"other-key", "b1", "f1").unwrap());
        assert_eq!(derive(b"", "b", "f"), Err(PkceError::EmptyKey));
        assert_eq!(derive(b"k", "b|x", "f"), Err(PkceError::BadPart("binding")));
        assert_eq!(derive(b"k", "b", "f|"), Err(PkceError::BadPart("flow")));
        assert!(derive(b"k", "", "f").is_ok());
    }

    #[test]
    fn verifiers_are_valid_and_unique() {
        let a = verifier();
        assert!(is_valid_verifier(&a));
        assert_ne!(a, verifier());
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
    }
}
