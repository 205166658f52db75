//! Parsing of a WorkOS JSON Web Key Set into ready-to-use RSA keys, with a
//! small process-wide cache so a warm PHP worker never re-parses the same set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use jsonwebtoken::DecodingKey;
use once_cell::sync::Lazy;
use serde::Deserialize;
use sha2::Sha256;

use crate::token_error::TokenError;

/// A parsed key set: RS256 signing keys by `kid`.
pub struct Jwks {
    keys: HashMap<String, DecodingKey>,
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<RawKey>,
}

#[derive(Deserialize)]
struct RawKey {
    kty: Option<String>,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl Jwks {
    pub fn parse(json: &str) -> Result<Self, TokenError> {
        let raw: RawSet =
            serde_json::from_str(json).map_err(|e| TokenError::BadJwks(e.to_string()))?;
        let mut keys = HashMap::new();
        for key in raw.keys {
            // Only keys that can verify RS256 signatures are kept; anything else
            // in the set (encryption keys, other algorithms) is ignored.
            let usable = key.kty.as_deref() == Some("RSA")
                && key.alg.as_deref().is_none_or(|a| a == "RS256")
                && key.use_.as_deref().is_none_or(|u| u == "sig");
            let (Some(kid), Some(n), Some(e)) = (key.kid, key.n, key.e) else {
                continue;
            };
            if !usable {
                continue;
            }
            let decoding = DecodingKey::from_rsa_components(&n, &e)
                .map_err(|err| TokenError::BadJwks(format!("key {kid}: {err}")))?;
            keys.insert(kid, decoding);
        }
        if keys.is_empty() {
            return Err(TokenError::BadJwks(
                "no RS256 signing key with a kid".into(),
            ));
        }
        Ok(Self { keys })
    }

    pub fn get(&self, kid: &str) -> Option<&DecodingKey> {
        self.keys.get(kid)
    }

    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

/// Sets remembered per process; WorkOS has one set per client id and rotates
/// rarely, so a handful is plenty and the bound keeps memory flat.
const CACHE_CAPACITY: usize = 8;

pub type Digest = [u8; 32];

static CACHE: Lazy<Mutex<HashMap<Digest, Arc<Jwks>>>> = Lazy::new(Default::default);

fn cache() -> &'static Mutex<HashMap<Digest, Arc<Jwks>>> {
    &CACHE
}

/// A key drawn once per process for [`keyed_digest`].
static PROCESS_KEY: Lazy<[u8; 32]> = Lazy::new(rand::random);

/// HMAC-SHA256 of `data` under this process's random key: the identity of an
/// in-memory cache entry that outsiders can neither predict nor collide.
pub fn keyed_digest(data: &[u8]) -> Digest {
    let mut mac = Hmac::<Sha256>::new_from_slice(&*PROCESS_KEY).expect("HMAC accepts any key size");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Parses `json`, or returns the set parsed earlier from the same text.
///
/// Entries are found by a keyed hash (HMAC-SHA256 under a per-process random
/// key) of the text: a 64-bit unkeyed hash could be collided by someone who
/// chooses the text, and would then hand out another set's keys.
pub fn cached(json: &str) -> Result<Arc<Jwks>, TokenError> {
    let key = keyed_digest(json.as_bytes());
    if let Some(set) = cache().lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(Arc::clone(set));
    }
    let set = Arc::new(Jwks::parse(json)?);
    let mut map = cache().lock().unwrap_or_else(|p| p.into_inner());
    if map.len() >= CACHE_CAPACITY {
        map.clear();
    }
    map.insert(key, Arc::clone(&set));
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real 2048-bit modulus is not needed to test parsing rules; jsonwebtoken
    // accepts any base64url components here and fails only when verifying.
    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    #[test]
    fn keeps_rs256_signing_keys_by_kid() {
        let json = format!(
            r#"{{"keys":[
              {{"kty":"RSA","kid":"a","alg":"RS256","use":"sig","n":"{N}","e":"AQAB"}},
              {{"kty":"RSA","kid":"enc","use":"enc","n":"{N}","e":"AQAB"}},
              {{"kty":"RSA","kid":"hs","alg":"RS512","n":"{N}","e":"AQAB"}},
              {{"kty":"EC","kid":"ec","crv":"P-256","x":"a","y":"b"}},
              {{"kty":"RSA","n":"{N}","e":"AQAB"}}
            ]}}"#
        );
        let set = Jwks::parse(&json).unwrap();
        let kids: Vec<_> = set.kids().collect();
        assert_eq!(kids, vec!["a"]);
    }

    #[test]
    fn rejects_sets_without_usable_keys() {
        assert!(matches!(Jwks::parse("{}"), Err(TokenError::BadJwks(_))));
        assert!(matches!(
            Jwks::parse(r#"{"keys":[]}"#),
            Err(TokenError::BadJwks(_))
        ));
        assert!(matches!(Jwks::parse("nope"), Err(TokenError::BadJwks(_))));
    }

    #[test]
    fn cache_returns_the_same_parsed_set() {
        let json = format!(r#"{{"keys":[{{"kty":"RSA","kid":"c","n":"{N}","e":"AQAB"}}]}}"#);
        let a = cached(&json).unwrap();
        let b = cached(&json).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }
}
