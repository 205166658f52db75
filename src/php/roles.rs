// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::Value;
use workos_core::roles;

use super::{convert, exceptions, guard::guard};

/// WorkOS role slugs → WordPress role.
#[php_class]
#[php(name = "WorkOS\\Native\\Roles")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Roles;

#[php_impl]
impl Roles {
    /// The WordPress role for the WorkOS roles a user holds.
    ///
    /// `$map` is `['workos-slug' => 'wp_role', …]` in priority order (the first
    /// entry the user holds wins). `$held` may be a slug, a list of slugs, the
    /// access token's claims (`role`/`roles`), or organization memberships
    /// (`role` is `{slug}`, `roles` a list of them). Returns `$default` when no
    /// held role is mapped, and null when `$default` is empty too.
    ///
    /// @param array<string, string> $map
    #[php(optional = "default")]
    pub fn resolve(
        map: &ZendHashTable,
        held: &Zval,
        default: Option<String>,
    ) -> PhpResult<Option<String>> {
        guard(|| {
            let pairs = match convert::from_hashtable(map, "map", 0).map_err(exceptions::invalid)? {
                Value::Object(m) => m
                    .into_iter()
                    .map(|(k, v)| match v {
                        Value::String(s) => Ok((k, s)),
                        _ => Err(exceptions::invalid(format!(
                            "map[{k}] must be a WordPress role name"
                        ))),
                    })
                    .collect::<PhpResult<Vec<_>>>()?,
                Value::Array(a) if a.is_empty() => Vec::new(),
                _ => return Err(exceptions::invalid("map must be an array of slug => role")),
            };
            let held = convert::from_zval(held, "held", 0).map_err(exceptions::invalid)?;
            roles::resolve(&pairs, &roles::slugs(&held), default.as_deref())
                .map_err(|e| exceptions::invalid(e.to_string()))
        })
    }

    /// The WorkOS role slugs found in claims, memberships or lists of them.
    ///
    /// @return list<string>
    pub fn slugs(held: &Zval) -> PhpResult<Vec<String>> {
        guard(|| {
            let held = convert::from_zval(held, "held", 0).map_err(exceptions::invalid)?;
            Ok(roles::slugs(&held))
        })
    }
}
