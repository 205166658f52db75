//! The RSA signing key, its JWKS entry and RS256 access tokens.

use crate::util::{b64url, now_secs, sha256, utc_parts};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::Rng;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey as Pkcs1Signer;
use rsa::pkcs8::EncodePublicKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;

pub const KEY_BITS: usize = 2048;

pub struct SigningKey {
    pub kid: String,
    encoding: EncodingKey,
    jwk: Value,
}

impl SigningKey {
    pub fn generate() -> Result<Self, String> {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), KEY_BITS)
            .map_err(|e| format!("RSA key generation failed: {e}"))?;
        Self::from_private(private)
    }

    /// The key in `path` (PKCS#1 PEM) if there is one; otherwise a new key,
    /// saved there. WorkOS's signing key does not change when anything
    /// restarts, so neither does the emulator's when given a file.
    pub fn load_or_generate(path: Option<&std::path::Path>) -> Result<Self, String> {
        use rsa::pkcs1::{DecodeRsaPrivateKey, LineEnding};
        let Some(path) = path else {
            return Self::generate();
        };
        if let Ok(pem) = std::fs::read_to_string(path) {
            let private = RsaPrivateKey::from_pkcs1_pem(&pem)
                .map_err(|e| format!("cannot read key file {}: {e}", path.display()))?;
            return Self::from_private(private);
        }
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), KEY_BITS)
            .map_err(|e| format!("RSA key generation failed: {e}"))?;
        let pem = private
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| format!("cannot encode key: {e}"))?;
        std::fs::write(path, pem.as_bytes())
            .map_err(|e| format!("cannot write key file {}: {e}", path.display()))?;
        Self::from_private(private)
    }

    pub fn from_private(private: RsaPrivateKey) -> Result<Self, String> {
        // Derived from the key, so a reloaded key keeps its kid.
        let digest = sha256(&private.to_public_key().n().to_bytes_be());
        let kid = format!("key_{}", hex::encode(&digest[..13]).to_uppercase());
        let der = private
            .to_pkcs1_der()
            .map_err(|e| format!("cannot encode key: {e}"))?;
        let encoding = EncodingKey::from_rsa_der(der.as_bytes());
        let cert = self_signed_certificate(&private, "workos-emulator", now_secs())?;
        let public = private.to_public_key();
        let jwk = json!({
            "alg": "RS256",
            "kty": "RSA",
            "use": "sig",
            "x5c": [STANDARD.encode(&cert)],
            "n": b64url(&public.n().to_bytes_be()),
            "e": b64url(&public.e().to_bytes_be()),
            "kid": kid,
            "x5t#S256": b64url(&sha256(&cert)),
        });
        Ok(SigningKey { kid, encoding, jwk })
    }

    pub fn jwk(&self) -> &Value {
        &self.jwk
    }

    /// `kid` is overridable so tests can present a token whose key id is unknown.
    pub fn sign(&self, claims: &Value, kid: Option<&str>) -> Result<String, String> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.unwrap_or(&self.kid).to_string());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(|e| e.to_string())
    }
}

// --- Minimal DER writer: just enough for one self-signed X.509 certificate. ---
// The JWKS schema requires `x5c` and `x5t#S256`, so the key needs a certificate.

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn der_seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = if trimmed.is_empty() { vec![0] } else { trimmed };
    if content[0] & 0x80 != 0 {
        content.insert(0, 0);
    }
    der(0x02, &content)
}

fn der_oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut chunk = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.insert(0, 0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        content.extend(chunk);
    }
    der(0x06, &content)
}

fn der_time(secs: u64) -> Vec<u8> {
    let (y, mo, d, h, mi, s) = utc_parts(secs);
    if (1950..2050).contains(&y) {
        der(
            0x17,
            format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100).as_bytes(),
        )
    } else {
        der(
            0x18,
            format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z").as_bytes(),
        )
    }
}

fn der_name(common_name: &str) -> Vec<u8> {
    let attribute = der_seq(&[der_oid(&[2, 5, 4, 3]), der(0x0C, common_name.as_bytes())]);
    der_seq(&[der(0x31, &attribute)])
}

pub fn self_signed_certificate(
    key: &RsaPrivateKey,
    common_name: &str,
    now: u64,
) -> Result<Vec<u8>, String> {
    let sha256_with_rsa = der_seq(&[der_oid(&[1, 2, 840, 113_549, 1, 1, 11]), vec![0x05, 0x00]]);
    let mut serial: [u8; 16] = rand::thread_rng().gen();
    serial[0] &= 0x7F;
    let spki = key
        .to_public_key()
        .to_public_key_der()
        .map_err(|e| format!("cannot encode public key: {e}"))?;
    let tbs = der_seq(&[
        der(0xA0, &der_uint(&[2])),
        der_uint(&serial),
        sha256_with_rsa.clone(),
        der_name(common_name),
        der_seq(&[
            der_time(now.saturating_sub(3600)),
            der_time(now + 10 * 365 * 86_400),
        ]),
        der_name(common_name),
        spki.as_bytes().to_vec(),
    ]);
    let signature = Pkcs1Signer::<Sha256>::new(key.clone()).sign(&tbs).to_vec();
    let mut bit_string = vec![0u8];
    bit_string.extend(signature);
    Ok(der_seq(&[tbs, sha256_with_rsa, der(0x03, &bit_string)]))
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
    use std::sync::OnceLock;

    /// Key generation is slow in debug builds: the tests share one key.
    pub fn shared_key() -> &'static SigningKey {
        static KEY: OnceLock<SigningKey> = OnceLock::new();
        KEY.get_or_init(|| SigningKey::generate().expect("key"))
    }

    #[test]
    fn der_lengths_and_integers() {
        assert_eq!(der(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = der(0x04, &[0u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2C]);
        assert_eq!(der_uint(&[0x80]), vec![0x02, 2, 0x00, 0x80]);
        assert_eq!(der_uint(&[0, 0, 5]), vec![0x02, 1, 5]);
        // 1.2.840.113549.1.1.11, as printed by any ASN.1 dumper.
        assert_eq!(
            hex::encode(der_oid(&[1, 2, 840, 113_549, 1, 1, 11])),
            "06092a864886f70d01010b"
        );
    }

    #[test]
    fn jwk_matches_its_certificate() {
        let key = shared_key();
        let jwk = key.jwk();
        assert_eq!(jwk["kid"], key.kid.as_str());
        let cert = STANDARD.decode(jwk["x5c"][0].as_str().unwrap()).unwrap();
        assert_eq!(cert[0], 0x30);
        assert_eq!(jwk["x5t#S256"], b64url(&sha256(&cert)).as_str());
        // The certificate embeds the same modulus the JWK publishes.
        let n = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jwk["n"].as_str().unwrap())
            .unwrap();
        assert!(cert.windows(n.len()).any(|w| w == n.as_slice()));
    }

    #[test]
    fn tokens_verify_against_the_published_jwk() {
        let key = shared_key();
        let exp = now_secs() + 300;
        let token = key
            .sign(
                &json!({"sub": "user_1", "exp": exp, "iss": "http://x"}),
                None,
            )
            .unwrap();
        assert_eq!(
            decode_header(&token).unwrap().kid.as_deref(),
            Some(key.kid.as_str())
        );
        let jwk = key.jwk();
        let decoding = DecodingKey::from_rsa_components(
            jwk["n"].as_str().unwrap(),
            jwk["e"].as_str().unwrap(),
        )
        .unwrap();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&["http://x"]);
        let data = decode::<Value>(&token, &decoding, &validation).unwrap();
        assert_eq!(data.claims["sub"], "user_1");

        let overridden = key.sign(&json!({"exp": exp}), Some("key_other")).unwrap();
        assert_eq!(
            decode_header(&overridden).unwrap().kid.as_deref(),
            Some("key_other")
        );
    }
}
