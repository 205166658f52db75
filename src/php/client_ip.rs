// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use workos_core::client_ip::{self, TrustedProxies};

use super::{convert, exceptions, guard::guard};

/// The visitor's IP address behind trusted proxies.
#[php_class]
#[php(name = "WorkOS\\Native\\ClientIp")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct ClientIp;

fn parse(list: Option<&ZendHashTable>) -> PhpResult<TrustedProxies> {
    let list = match list {
        Some(ht) => convert::string_list(ht, "trustedProxies").map_err(exceptions::invalid)?,
        None => Vec::new(),
    };
    TrustedProxies::parse(&list).map_err(|e| exceptions::invalid(e.to_string()))
}

#[php_impl]
impl ClientIp {
    /// The client address: `$remoteAddr`, or the rightmost `X-Forwarded-For`
    /// hop not added by one of `$trustedProxies` (IPs or CIDR ranges). With no
    /// trusted proxies the header is ignored.
    #[php(defaults(forwardedFor = String::new()))]
    #[php(optional = "forwardedFor")]
    pub fn resolve(
        remoteAddr: &str,
        forwardedFor: String,
        trustedProxies: Option<&ZendHashTable>,
    ) -> PhpResult<String> {
        guard(|| {
            let trusted = parse(trustedProxies)?;
            client_ip::resolve(remoteAddr, &forwardedFor, &trusted)
                .map_err(|e| exceptions::invalid(e.to_string()))
        })
    }

    /// Validates a trusted-proxy list and returns it in canonical form;
    /// throws InvalidArgumentException naming the first bad entry.
    pub fn normalizeProxies(trustedProxies: &ZendHashTable) -> PhpResult<Vec<String>> {
        guard(|| Ok(parse(Some(trustedProxies))?.entries()))
    }
}
