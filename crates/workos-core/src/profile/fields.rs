//! One parser per kind of profile field, shared by the strict reading
//! (`validate`: any problem is an error naming the field) and the lenient one
//! (`normalize`: the caller falls back to a default instead).

use serde_json::{Map, Value};
use url::Url;

use super::model::RESERVED_PATHS;
use super::{ErrorCode, ProfileError};

pub(crate) type R<T> = Result<T, ProfileError>;

fn err<T>(code: ErrorCode, field: &str, message: impl Into<String>) -> R<T> {
    Err(ProfileError::new(code, field, message))
}

/// The longest slug; WordPress keeps up to 200 bytes in `post_name`, but a
/// slug is part of URLs and CSS classes, so it stays short.
pub const SLUG_MAX: usize = 64;
/// The longest custom path, and the most segments it may have.
pub const PATH_MAX: usize = 200;
pub const PATH_SEGMENTS_MAX: usize = 8;

/// An object field. `[]` counts as an empty object (PHP's `json_decode(…,
/// true)` makes `{}` an empty array) and null as absent.
pub(crate) fn object(v: &Value, field: &str, code: ErrorCode) -> R<Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m.clone()),
        Value::Null => Ok(Map::new()),
        Value::Array(a) if a.is_empty() => Ok(Map::new()),
        _ => err(code, field, format!("{field} must be an object")),
    }
}

/// One line of text: trimmed; control characters and more than `max`
/// characters are refused.
pub(crate) fn text(v: &Value, field: &str, max: usize, code: ErrorCode) -> R<String> {
    let s = match v {
        Value::Null => return Ok(String::new()),
        Value::String(s) => s.trim(),
        _ => return err(code, field, format!("{field} must be text")),
    };
    if s.chars().any(char::is_control) {
        return err(
            code,
            field,
            format!("{field} must be a single line without control characters"),
        );
    }
    if s.chars().count() > max {
        return err(
            code,
            field,
            format!("{field} is too long (at most {max} characters)"),
        );
    }
    Ok(s.to_string())
}

/// What the lenient reading keeps of a text: control characters dropped,
/// cut at `max` characters.
pub(crate) fn text_lenient(v: &Value, max: usize) -> String {
    match v {
        Value::String(s) => s
            .chars()
            .filter(|c| !c.is_control())
            .take(max)
            .collect::<String>()
            .trim()
            .to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// A yes/no flag: a boolean, 0/1, or what an HTML form posts for one.
pub(crate) fn flag(v: &Value, field: &str) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            _ => err(
                ErrorCode::InvalidField,
                field,
                format!("{field} must be true or false"),
            ),
        },
        _ => err(
            ErrorCode::InvalidField,
            field,
            format!("{field} must be true or false"),
        ),
    }
}

fn slug_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
}

/// A slug: lower-case letters, digits, `-` and `_`, starting and ending with
/// a letter or digit. Surrounding spaces are trimmed and capitals lowered;
/// anything else is refused rather than rewritten, so the administrator sees
/// the URL they will get.
pub(crate) fn slug(v: &Value, field: &str) -> R<String> {
    let code = ErrorCode::InvalidSlug;
    let s = match v {
        Value::Null => String::new(),
        Value::String(s) => s.trim().to_lowercase(),
        _ => return err(code, field, format!("{field} must be text")),
    };
    if s.is_empty() {
        return err(code, field, "A slug is required (e.g. \"members\").");
    }
    if s.chars().count() > SLUG_MAX {
        return err(
            code,
            field,
            format!("The slug is too long (at most {SLUG_MAX} characters)."),
        );
    }
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !s.chars().all(slug_char) || !ends_ok(s.chars().next()) || !ends_ok(s.chars().last()) {
        return err(
            code,
            field,
            format!(
                "The slug {s:?} may only hold lower-case letters, digits, \"-\" and \"_\", \
                 and must start and end with a letter or digit."
            ),
        );
    }
    Ok(s)
}

/// The lenient slug: what `slug()` would accept, made from anything.
pub(crate) fn slugify(v: &Value) -> String {
    let text = text_lenient(v, 4 * SLUG_MAX).to_lowercase();
    let mut out = String::new();
    for c in text.chars() {
        if slug_char(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out
        .trim_matches(|c| c == '-' || c == '_')
        .chars()
        .take(SLUG_MAX)
        .collect();
    out.trim_matches(|c| c == '-' || c == '_').to_string()
}

/// Whether a (trimmed, lower-cased) custom path would shadow WordPress or
/// this plugin: the reserved names (and every `wp-…` file or folder) as
/// its first segment, or a dot-file anywhere.
pub fn reserved_path(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or_default();
    first.starts_with("wp-")
        || first.starts_with("wp_")
        || RESERVED_PATHS.contains(&first)
        || path.split('/').any(|s| s.starts_with('.'))
}

/// A custom path (`members`, `team/login`): surrounding `/` and spaces
/// trimmed, lower-cased; segments of slug characters; no reserved path.
pub(crate) fn custom_path(v: &Value, field: &str) -> R<String> {
    let raw = match v {
        Value::Null => return Ok(String::new()),
        Value::String(s) => s,
        _ => {
            return err(
                ErrorCode::PathInvalid,
                field,
                format!("{field} must be text"),
            )
        }
    };
    let path = raw
        .trim()
        .trim_matches('/')
        .trim()
        .to_lowercase()
        .to_string();
    if path.is_empty() {
        return Ok(path);
    }
    if reserved_path(&path) {
        return err(
            ErrorCode::PathReserved,
            field,
            format!(
                "The path /{path}/ belongs to WordPress or to this plugin; choose another \
                 (e.g. \"members\" or \"team/login\")."
            ),
        );
    }
    if path.chars().count() > PATH_MAX {
        return err(
            ErrorCode::PathInvalid,
            field,
            format!("The path is too long (at most {PATH_MAX} characters)."),
        );
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > PATH_SEGMENTS_MAX
        || segments
            .iter()
            .any(|s| s.is_empty() || !s.chars().all(slug_char))
    {
        return err(
            ErrorCode::PathInvalid,
            field,
            format!(
                "The path {raw:?} is not a usable URL path: use lower-case letters, digits, \
                 \"-\" and \"_\", with \"/\" between parts (e.g. \"team/login\")."
            ),
        );
    }
    Ok(path)
}

/// An organization id as WorkOS shapes them (`org_` and letters/digits), or
/// empty for "the site's organization".
pub(crate) fn organization_id(v: &Value, field: &str) -> R<String> {
    let s = text(v, field, 64, ErrorCode::InvalidOrganization)?;
    let ok = s.is_empty()
        || s.strip_prefix("org_").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !ok {
        return err(
            ErrorCode::InvalidOrganization,
            field,
            format!("{s:?} is not a WorkOS organization ID (they look like org_01H…)."),
        );
    }
    Ok(s)
}

/// A colour as `#rgb` or `#rrggbb` (lower-cased), or empty for the theme's.
pub(crate) fn color(v: &Value, field: &str) -> R<String> {
    let s = text(v, field, 16, ErrorCode::InvalidColor)?.to_ascii_lowercase();
    let ok = s.is_empty()
        || s.strip_prefix('#').is_some_and(|hex| {
            matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
    if !ok {
        return err(
            ErrorCode::InvalidColor,
            field,
            format!("{s:?} is not a colour: use #rgb or #rrggbb (e.g. #2271b1)."),
        );
    }
    Ok(s)
}

/// Where to go after signing in: empty, a path on this site (`/account/`),
/// or an absolute http(s) URL (whether its host is allowed is decided when
/// it is used, by the redirect rules).
pub(crate) fn redirect(v: &Value, field: &str) -> R<String> {
    let s = text(v, field, 2048, ErrorCode::InvalidRedirect)?;
    if s.is_empty() {
        return Ok(s);
    }
    let bad = || {
        err(
            ErrorCode::InvalidRedirect,
            field,
            format!("{s:?} is not a destination: use a path on this site (/account/) or a full http(s) URL."),
        )
    };
    if s.chars().any(char::is_whitespace) || s.contains('\\') {
        return bad();
    }
    if s.starts_with('/') {
        return if s.starts_with("//") { bad() } else { Ok(s) };
    }
    match Url::parse(&s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(s),
        _ => bad(),
    }
}

/// One of `allowed` (its canonical `&'static str`).
pub(crate) fn choice(
    v: &Value,
    field: &str,
    allowed: &'static [&'static str],
    code: ErrorCode,
) -> R<&'static str> {
    let s = match v {
        Value::String(s) => s.trim(),
        _ => "",
    };
    allowed.iter().copied().find(|a| *a == s).map_or_else(
        || {
            err(
                code,
                field,
                format!(
                    "{field} must be one of {} (got {}).",
                    allowed.join(", "),
                    short(v)
                ),
            )
        },
        Ok,
    )
}

/// A list of names from `allowed`: duplicates dropped, in the order of
/// `allowed`. A PHP list with holes (after `array_filter`) arrives as an
/// object and counts as its values.
pub(crate) fn subset(
    v: &Value,
    field: &str,
    allowed: &'static [&'static str],
    code: ErrorCode,
) -> R<Vec<&'static str>> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => return err(code, field, format!("{field} must be a list")),
    };
    let mut seen = Vec::new();
    for item in items {
        let name = item.as_str().map(str::trim).unwrap_or_default();
        match allowed.iter().copied().find(|a| *a == name) {
            Some(a) => seen.push(a),
            None => {
                return err(
                    code,
                    field,
                    format!(
                        "{} is not one of {field} ({}).",
                        short(item),
                        allowed.join(", ")
                    ),
                )
            }
        }
    }
    Ok(allowed
        .iter()
        .copied()
        .filter(|a| seen.contains(a))
        .collect())
}

/// The lenient subset: unknown names dropped.
pub(crate) fn subset_lenient(v: &Value, allowed: &'static [&'static str]) -> Vec<&'static str> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => Vec::new(),
    };
    allowed
        .iter()
        .copied()
        .filter(|a| items.iter().any(|i| i.as_str().map(str::trim) == Some(a)))
        .collect()
}

/// A non-negative integer (an attachment or post id); digits in a string
/// count.
pub(crate) fn id(v: &Value, field: &str, code: ErrorCode) -> R<i64> {
    let n = match v {
        Value::Null => Some(0),
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => Some(0),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match n {
        Some(n) if n >= 0 => Ok(n),
        _ => err(
            code,
            field,
            format!("{field} must be a whole number, 0 or more"),
        ),
    }
}

/// A value quoted for a message, cut short.
pub(crate) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}
