// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::Value;
use workos_core::profile::routing::{self, Context, Rule};

use super::profile::{input, output};
use super::{convert, exceptions, guard::guard, profile_error};

fn rules_value(rules: &[Rule]) -> Value {
    Value::Array(rules.iter().map(Rule::to_value).collect())
}

/// Which Login Profile a login uses when none is named: rules shaped as the
/// reference's option `workos_profile_routing_rules`, `[{profile, matcher:
/// {type: redirect_to|referrer_host|user_role, value}}]`; first match wins.
#[php_class]
#[php(name = "WorkOS\\Native\\ProfileRouter")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct ProfileRouter;

#[php_impl]
impl ProfileRouter {
    /// The slug of the first rule matching `$context`, else `default`.
    /// Stored rules are read leniently (bad entries skipped). `$context`:
    /// `redirect_to` (URL or path), `referrer` (URL or host), `roles` (the
    /// visitor's WordPress roles), `profiles` (slugs that exist: rules
    /// naming others are skipped); all optional, other keys refused.
    ///
    /// @param array{redirect_to?: string, referrer?: string, roles?: list<string>, profiles?: list<string>} $context
    pub fn choose(rules: &ZendHashTable, context: &ZendHashTable) -> PhpResult<String> {
        guard(|| {
            let rules = routing::normalize_rules(&input(rules, "rules")?);
            let map = convert::options(
                Some(context),
                "context",
                &["redirect_to", "referrer", "roles", "profiles"],
            )
            .map_err(exceptions::invalid)?;
            let list = |key: &str| -> PhpResult<Option<Vec<String>>> {
                match map.get(key) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::Array(items)) => items
                        .iter()
                        .map(|v| {
                            v.as_str().map(str::to_string).ok_or_else(|| {
                                exceptions::invalid(format!("context[{key}] must list strings"))
                            })
                        })
                        .collect::<PhpResult<Vec<_>>>()
                        .map(Some),
                    Some(Value::Object(m)) => m
                        .values()
                        .map(|v| {
                            v.as_str().map(str::to_string).ok_or_else(|| {
                                exceptions::invalid(format!("context[{key}] must list strings"))
                            })
                        })
                        .collect::<PhpResult<Vec<_>>>()
                        .map(Some),
                    Some(_) => Err(exceptions::invalid(format!(
                        "context[{key}] must be a list of strings"
                    ))),
                }
            };
            let ctx = Context {
                redirect_to: convert::opt_string(&map, "redirect_to", "context")
                    .map_err(exceptions::invalid)?,
                referrer: convert::opt_string(&map, "referrer", "context")
                    .map_err(exceptions::invalid)?,
                roles: list("roles")?.unwrap_or_default(),
                profiles: list("profiles")?,
            };
            Ok(routing::choose(&rules, &ctx))
        })
    }

    /// The strict reading of rules an administrator submits: the rules,
    /// canonical, or a ProfileException naming the bad one
    /// (`rules[2].matcher.type`, code `workos_profile_invalid_rule`).
    ///
    /// @throws \WorkOS\Native\ProfileException
    pub fn validate_rules(rules: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let rules =
                routing::validate_rules(&input(rules, "rules")?).map_err(profile_error::profile)?;
            output(&rules_value(&rules))
        })
    }

    /// The lenient reading of stored rules: invalid entries dropped.
    pub fn normalize_rules(rules: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            output(&rules_value(&routing::normalize_rules(&input(
                rules, "rules",
            )?)))
        })
    }
}
