//! WorkOS role slugs → a WordPress role.
//!
//! Roles reach us in several shapes: the access token's `role` (a slug) and
//! `roles` (slugs), and organization memberships whose `role` is `{"slug": …}`
//! and `roles` a list of those. All are reduced to an ordered list of slugs;
//! the admin's map is ordered by priority, so when a user holds several
//! mapped roles the one listed first in the map wins.

use serde_json::Value;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RolesError {
    #[error("role map entry {0:?} must map a non-empty WorkOS slug to a non-empty WordPress role")]
    BadEntry(String),
}

/// The slugs found in a token's claims, a membership, or lists of either.
pub fn slugs(source: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(source, &mut out, 0);
    out
}

fn collect(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::String(s) => {
            let s = s.trim();
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(slug) = map.get("slug") {
                collect(slug, out, depth + 1);
            } else {
                for key in ["role", "roles"] {
                    if let Some(inner) = map.get(key) {
                        collect(inner, out, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The WordPress role for `held` slugs under `map` (ordered by priority),
/// or `default` when none is mapped; `None` when there is no default either.
pub fn resolve(
    map: &[(String, String)],
    held: &[String],
    default: Option<&str>,
) -> Result<Option<String>, RolesError> {
    for (slug, role) in map {
        if slug.trim().is_empty() || role.trim().is_empty() {
            return Err(RolesError::BadEntry(slug.clone()));
        }
    }
    let mapped = map
        .iter()
        .find(|(slug, _)| held.iter().any(|h| h == slug.trim()))
        .map(|(_, role)| role.trim().to_string());
    Ok(mapped.or_else(|| {
        default
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn reads_every_shape_of_roles() {
        assert_eq!(slugs(&json!("admin")), vec!["admin"]);
        assert_eq!(
            slugs(&json!({"role": "member", "roles": ["member", "billing"]})),
            vec!["member", "billing"]
        );
        let membership =
            json!({"role": {"slug": "admin"}, "roles": [{"slug": "admin"}, {"slug": "editor"}]});
        assert_eq!(slugs(&membership), vec!["admin", "editor"]);
        assert_eq!(
            slugs(&json!([membership, {"role": {"slug": "viewer"}}])),
            vec!["admin", "editor", "viewer"]
        );
        assert!(slugs(&json!(null)).is_empty());
        assert!(slugs(&json!({"role": 5})).is_empty());
    }

    #[test]
    fn first_mapped_role_in_map_order_wins() {
        let m = map(&[
            ("admin", "administrator"),
            ("editor", "editor"),
            ("member", "subscriber"),
        ]);
        let held = vec!["member".to_string(), "editor".to_string()];
        assert_eq!(
            resolve(&m, &held, Some("subscriber")).unwrap().as_deref(),
            Some("editor")
        );
    }

    #[test]
    fn falls_back_to_default_or_none() {
        let m = map(&[("admin", "administrator")]);
        assert_eq!(
            resolve(&m, &["member".into()], Some("subscriber"))
                .unwrap()
                .as_deref(),
            Some("subscriber")
        );
        assert_eq!(resolve(&m, &["member".into()], Some("  ")).unwrap(), None);
        assert_eq!(resolve(&m, &[], None).unwrap(), None);
    }

    #[test]
    fn refuses_blank_entries() {
        assert!(resolve(&map(&[("", "editor")]), &[], None).is_err());
        assert!(resolve(&map(&[("admin", " ")]), &[], None).is_err());
    }
}
