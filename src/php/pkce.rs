use ext_php_rs::prelude::*;
use workos_core::pkce;

use super::{exceptions, guard::guard};

/// PKCE (RFC 7636), S256 only.
#[php_class]
#[php(name = "WorkOS\\Native\\Pkce")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Pkce;

#[php_impl]
impl Pkce {
    /// A fresh random code verifier (43 characters).
    pub fn verifier() -> String {
        pkce::verifier()
    }

    /// The PKCE verifier of a sign-in flow, derived from the site's `$key`,
    /// the browser's `$binding` secret and the `$flow` id carried in the
    /// state: recomputed at the callback, never stored nor put in a URL.
    ///
    /// @throws \WorkOS\Native\InvalidArgumentException for an empty key, or
    ///         a binding or flow that contains `|`.
    pub fn derive(key: &str, binding: &str, flow: &str) -> PhpResult<String> {
        guard(|| {
            pkce::derive(key.as_bytes(), binding, flow)
                .map_err(|e| exceptions::invalid(e.to_string()))
        })
    }

    /// The S256 code challenge of `$verifier`.
    pub fn challenge(verifier: &str) -> PhpResult<String> {
        guard(|| {
            if !pkce::is_valid_verifier(verifier) {
                return Err(exceptions::invalid(
                    "code verifier must be 43-128 unreserved characters",
                ));
            }
            Ok(pkce::challenge(verifier))
        })
    }
}
