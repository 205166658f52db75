// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use workos_core::{jwks, token};

use super::{convert, exceptions, guard::guard};

/// Verification of WorkOS access tokens (RS256 JWTs).
#[php_class]
#[php(name = "WorkOS\\Native\\AccessToken")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct AccessToken;

const EXPECT_KEYS: &[&str] = &["issuer", "audience", "audience_optional", "leeway", "now"];

#[php_impl]
impl AccessToken {
    /// Verifies `$token` against the JSON Web Key Set `$jwksJson` (the body of
    /// `GET /sso/jwks/{client_id}`) and returns its claims.
    ///
    /// RS256 only, whatever the token header says; `kid` required and found in
    /// the set; `exp` required, `nbf`/`iat` checked, with a leeway.
    /// `$expect` may hold `issuer`, `audience`, `leeway` (seconds, default 60)
    /// and `now` (unix seconds, for tests). Parsed keys are cached in process
    /// memory, so a warm worker does not re-parse the set.
    ///
    /// @param array{issuer?: string, audience?: string, leeway?: int, now?: int} $expect
    /// @throws \WorkOS\Native\TokenException with getReason() such as
    ///         `expired`, `unknown_kid`, `bad_signature`.
    #[php(optional = "expect")]
    pub fn verify(
        token: &str,
        jwksJson: &str,
        expect: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let expect = read_expect(expect)?;
            let set = jwks::cached(jwksJson).map_err(exceptions::token)?;
            token::verify(token, &set, &expect)
                .map_err(exceptions::token)
                .and_then(|claims| convert::to_array(&claims).map_err(exceptions::internal))
        })
    }

    /// The `kid` of a token's header, read without verifying anything (to
    /// decide whether a cached JWKS can verify it).
    pub fn peek_kid(token: &str) -> PhpResult<String> {
        guard(|| token::peek_kid(token).map_err(exceptions::token))
    }
}

pub(super) fn read_expect(ht: Option<&ZendHashTable>) -> PhpResult<token::Expect> {
    let map = convert::options(ht, "expect", EXPECT_KEYS).map_err(exceptions::invalid)?;
    let now = convert::opt_int(&map, "now", "expect").map_err(exceptions::invalid)?;
    let mut expect = token::Expect::at(now.unwrap_or_else(workos_core::now_secs));
    // `issuer`: one string, or a list of the issuers accepted (first = main).
    match map.get("issuer") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(s)) => expect.issuer = Some(s.clone()),
        Some(serde_json::Value::Array(list)) if !list.is_empty() => {
            let mut all = Vec::with_capacity(list.len());
            for item in list {
                match item.as_str() {
                    Some(s) => all.push(s.to_owned()),
                    None => {
                        return Err(exceptions::invalid(
                            "expect[issuer] must be a string or a list of strings",
                        ))
                    }
                }
            }
            expect.issuer = Some(all.remove(0));
            expect.other_issuers = all;
        }
        Some(_) => {
            return Err(exceptions::invalid(
                "expect[issuer] must be a string or a non-empty list of strings",
            ))
        }
    }
    expect.audience =
        convert::opt_string(&map, "audience", "expect").map_err(exceptions::invalid)?;
    expect.audience_optional = match map.get("audience_optional") {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => {
            return Err(exceptions::invalid(
                "expect[audience_optional] must be a boolean",
            ))
        }
    };
    if let Some(leeway) = convert::opt_int(&map, "leeway", "expect").map_err(exceptions::invalid)? {
        if !(0..=3600).contains(&leeway) {
            return Err(exceptions::invalid(
                "expect[leeway] must be 0 to 3600 seconds",
            ));
        }
        expect.leeway_secs = leeway;
    }
    Ok(expect)
}
