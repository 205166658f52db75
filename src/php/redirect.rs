// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use workos_core::redirect;

use super::{convert, exceptions, guard::guard};

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
    #[php(optional = "allowedHosts")]
    pub fn validate(
        target: &str,
        siteUrl: &str,
        fallback: &str,
        allowedHosts: Option<&ZendHashTable>,
    ) -> PhpResult<String> {
        guard(|| {
            let allowedHosts = match allowedHosts {
                Some(ht) => {
                    convert::string_list(ht, "allowedHosts").map_err(exceptions::invalid)?
                }
                None => Vec::new(),
            };
            let checked = redirect::validate(target, siteUrl, &allowedHosts)
                .map_err(|e| exceptions::invalid(e.to_string()))?;
            Ok(checked.unwrap_or_else(|| fallback.to_string()))
        })
    }
}
