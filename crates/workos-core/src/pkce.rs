//! PKCE (RFC 7636) with the S256 method, the only one we ever send.

use sha2::{Digest, Sha256};

use crate::b64;

/// A fresh verifier: 32 random bytes, base64url (43 characters).
pub fn verifier() -> String {
    b64::encode(rand::random::<[u8; 32]>())
}

/// The S256 challenge of a verifier.
pub fn challenge(verifier: &str) -> String {
    b64::encode(Sha256::digest(verifier.as_bytes()))
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
    fn verifiers_are_valid_and_unique() {
        let a = verifier();
        assert!(is_valid_verifier(&a));
        assert_ne!(a, verifier());
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
    }
}
