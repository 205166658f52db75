//! Verification of WorkOS access tokens (RS256 JWTs).
//!
//! The algorithm is pinned to RS256 whatever the token's header claims, a
//! `kid` is required and must name a key of the given set, and time claims are
//! checked against an injectable clock so callers (and tests) control "now".

use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
use serde_json::Value;

use crate::jwks::Jwks;

pub const DEFAULT_LEEWAY_SECS: i64 = 60;

// The error lives in its own module so that `jwks` (which reports bad key
// sets with it) and this module (which uses `jwks`) do not point at each other.
pub use crate::token_error::TokenError;

/// What the caller expects of the token beyond a valid signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub issuer: Option<String>,
    /// Further issuers accepted besides `issuer` (WorkOS environments issue
    /// either `<api>/user_management/<client id>` or, older ones, `<api>`).
    pub other_issuers: Vec<String>,
    pub audience: Option<String>,
    /// A token without any `aud` passes the audience check (one that has an
    /// `aud` must still name `audience`). WorkOS's User Management access
    /// tokens carry no `aud`: they are bound to the client by the issuer
    /// (`…/user_management/<client id>`) and the client's own JWKS.
    pub audience_optional: bool,
    pub leeway_secs: i64,
    pub now_secs: i64,
}

impl Expect {
    pub fn at(now_secs: i64) -> Self {
        Self {
            issuer: None,
            other_issuers: Vec::new(),
            audience: None,
            audience_optional: false,
            leeway_secs: DEFAULT_LEEWAY_SECS,
            now_secs,
        }
    }
}

/// Reads the `kid` of a token without verifying it (to pick or fetch a JWKS).
pub fn peek_kid(token: &str) -> Result<String, TokenError> {
    let header = decode_header(token).map_err(|e| TokenError::Malformed(e.to_string()))?;
    header.kid.ok_or(TokenError::MissingKid)
}

pub fn verify(token: &str, jwks: &Jwks, expect: &Expect) -> Result<Value, TokenError> {
    if expect.leeway_secs < 0 || expect.leeway_secs > 3600 {
        return Err(TokenError::BadExpectation(
            "leeway must be between 0 and 3600 seconds".into(),
        ));
    }
    let header = decode_header(token).map_err(|e| TokenError::Malformed(e.to_string()))?;
    if header.alg != Algorithm::RS256 {
        return Err(TokenError::AlgorithmNotAllowed(format!("{:?}", header.alg)));
    }
    let kid = header.kid.ok_or(TokenError::MissingKid)?;
    let key = jwks.get(&kid).ok_or(TokenError::UnknownKid(kid))?;

    // jsonwebtoken checks the signature; time and issuer rules are ours so
    // they use the caller's clock.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = decode::<Value>(token, key, &validation).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenError::BadSignature,
        _ => TokenError::Malformed(e.to_string()),
    })?;
    let claims = data.claims;
    if !claims.is_object() {
        return Err(TokenError::Malformed("claims are not an object".into()));
    }
    check_times(&claims, expect)?;
    if let Some(issuer) = &expect.issuer {
        let iss = claims.get("iss").and_then(Value::as_str);
        if iss != Some(issuer.as_str()) && !expect.other_issuers.iter().any(|o| iss == Some(o)) {
            return Err(TokenError::IssuerMismatch);
        }
    }
    if let Some(audience) = &expect.audience {
        let ok = match claims.get("aud") {
            Some(Value::String(a)) => a == audience,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
            None => expect.audience_optional,
            _ => false,
        };
        if !ok {
            return Err(TokenError::AudienceMismatch);
        }
    }
    Ok(claims)
}

fn numeric(claims: &Value, name: &str) -> Result<Option<i64>, TokenError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| TokenError::Malformed(format!("{name} is not a number"))),
    }
}

fn check_times(claims: &Value, expect: &Expect) -> Result<(), TokenError> {
    let now = expect.now_secs;
    let leeway = expect.leeway_secs;
    let exp = numeric(claims, "exp")?.ok_or(TokenError::MissingExp)?;
    if now > exp.saturating_add(leeway) {
        return Err(TokenError::Expired);
    }
    if let Some(nbf) = numeric(claims, "nbf")? {
        if now.saturating_add(leeway) < nbf {
            return Err(TokenError::NotYetValid);
        }
    }
    if let Some(iat) = numeric(claims, "iat")? {
        if iat > now.saturating_add(leeway) {
            return Err(TokenError::IssuedInFuture);
        }
    }
    Ok(())
}
