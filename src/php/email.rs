// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::prelude::*;
use workos_core::email;

use super::{exceptions, guard::guard};

/// The one form in which email addresses are compared when accounts are
/// linked: lower case, the domain in IDNA ASCII form. Never repairs an address.
#[php_class]
#[php(name = "WorkOS\\Native\\Email")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Email;

#[php_impl]
impl Email {
    /// The canonical form of exactly this address; throws
    /// InvalidArgumentException (saying why) for an address that is not a
    /// plain mailbox or that would change when normalised.
    pub fn canonical(address: &str) -> PhpResult<String> {
        guard(|| email::canonical(address).map_err(|e| exceptions::invalid(e.to_string())))
    }

    /// Whether both addresses are usable and name the same mailbox.
    pub fn same(a: &str, b: &str) -> PhpResult<bool> {
        guard(|| Ok(email::same(a, b)))
    }
}
