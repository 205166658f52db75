// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::prelude::*;
use workos_core::redirect;

use super::{exceptions, guard::guard};

/// Redirect-target rules.
#[php_class]
#[php(name = "WorkOS\\Native\\Redirect")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Redirect;

#[php_impl]
impl Redirect {
    /// Returns `$target` as an absolute URL when it stays on the origin of
    /// `$siteUrl` (or on one of `$allowedHosts`), otherwise `$fallback`.
    /// Tricks like `//evil.example`, `/\evil.example` and credentials in the
    /// URL are judged by where a browser would really go.
    #[php(defaults(allowedHosts = Vec::<String>::new()))]
    pub fn validate(
        target: &str,
        siteUrl: &str,
        fallback: &str,
        allowedHosts: Vec<String>,
    ) -> PhpResult<String> {
        guard(|| {
            let checked = redirect::validate(target, siteUrl, &allowedHosts)
                .map_err(|e| exceptions::invalid(e.to_string()))?;
            Ok(checked.unwrap_or_else(|| fallback.to_string()))
        })
    }
}
