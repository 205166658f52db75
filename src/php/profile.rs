// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{json, Value};
use workos_core::profile::{model, routing, validate};

use super::{convert, exceptions, guard::guard, profile_error};

/// A PHP array as JSON for the profile rules (objects are refused).
pub(super) fn input(ht: &ZendHashTable, what: &str) -> PhpResult<Value> {
    convert::from_hashtable(ht, what, 0).map_err(exceptions::invalid)
}

pub(super) fn output(value: &Value) -> PhpResult<ZBox<ZendHashTable>> {
    match value {
        Value::Array(items) => {
            let mut ht = ZendHashTable::with_capacity(items.len() as u32);
            for item in items {
                ht.push(convert::to_zval(item))
                    .map_err(|e| exceptions::internal(e.to_string()))?;
            }
            Ok(ht)
        }
        other => convert::to_array(other).map_err(exceptions::internal),
    }
}

/// Login Profiles: their fields, defaults and validation
/// (crates/workos-core/src/profile). A profile is an array shaped as the
/// reference plugin's `Profile::to_array()`.
#[php_class]
#[php(name = "WorkOS\\Native\\LoginProfile")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct LoginProfile;

#[php_impl]
impl LoginProfile {
    /// A profile with every default (empty slug, title `Untitled`).
    pub fn defaults() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| output(&model::defaults()))
    }

    /// The lenient reading, for stored profiles: unknown keys dropped,
    /// defaults filled, unusable values replaced by their defaults. Never
    /// refuses an array.
    pub fn normalize(profile: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| output(&model::normalize(&input(profile, "profile")?)))
    }

    /// The strict reading, for what an administrator submits: the complete
    /// profile (defaults filled, unknown keys dropped, names canonical), or
    /// a ProfileException naming the field and a stable code.
    ///
    /// @throws \WorkOS\Native\ProfileException
    pub fn validate(profile: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let valid =
                validate::validate(&input(profile, "profile")?).map_err(profile_error::profile)?;
            output(&valid)
        })
    }

    /// A partial update: `$patch` deep-merged into `$stored` (lists such as
    /// `methods` and `mfa.factors` replaced whole; null resets a field to
    /// its default). Not validated: pass the result to validate().
    pub fn merge(stored: &ZendHashTable, patch: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let merged = validate::merge(&input(stored, "stored")?, &input(patch, "patch")?);
            match merged {
                Value::Array(a) if a.is_empty() => output(&json!({})),
                other => output(&other),
            }
        })
    }

    /// Whether a custom path would shadow WordPress or this plugin
    /// (`wp-admin`, `wp-login.php`, `wp-json`, `feed`, `workos/…`, …).
    pub fn is_reserved_path(path: &str) -> bool {
        let path = path.trim().trim_matches('/').trim().to_lowercase();
        validate::reserved_path(&path)
    }

    /// The allowed values, for editors: `methods`, `mfa_enforce`,
    /// `mfa_factors`, `logo_modes`, `modes`, `matcher_types`,
    /// `reserved_paths`, `default_slug`.
    ///
    /// @return array<string, list<string>|string>
    pub fn choices() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            output(&json!({
                "methods": model::METHODS,
                "mfa_enforce": model::MFA_ENFORCE,
                "mfa_factors": model::MFA_FACTORS,
                "logo_modes": model::LOGO_MODES,
                "modes": model::MODES,
                "matcher_types": routing::MATCHER_TYPES,
                "reserved_paths": model::RESERVED_PATHS,
                "default_slug": model::DEFAULT_SLUG,
            }))
        })
    }
}
