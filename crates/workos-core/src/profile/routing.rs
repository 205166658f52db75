//! Which profile a login uses when none is named: the routing rules (option
//! `workos_profile_routing_rules`, the reference's shape).
//!
//! A rule is `{"profile": slug, "matcher": {"type": t, "value": v}}`; the
//! first rule that matches wins, else `default`. Types:
//!
//! - `redirect_to`: the path of the login's `redirect_to` matches `v` as a
//!   case-insensitive full-string glob (`*` is any run of characters,
//!   slashes included), e.g. `/shop/*`;
//! - `referrer_host`: the host of the page the visitor came from equals `v`
//!   (case-insensitive; `*` globs too, e.g. `*.example.com`);
//! - `user_role`: the signed-in visitor holds the WordPress role `v`.

use serde_json::{json, Value};
use url::Url;

use super::fields;
use super::model::DEFAULT_SLUG;
use super::{ErrorCode, ProfileError};

pub const MATCHER_TYPES: &[&str] = &["redirect_to", "referrer_host", "user_role"];
/// The most rules kept, and the longest matcher value.
pub const RULES_MAX: usize = 100;
pub const VALUE_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    RedirectTo(String),
    ReferrerHost(String),
    UserRole(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub profile: String,
    pub matcher: Matcher,
}

impl Rule {
    pub fn to_value(&self) -> Value {
        let (kind, value) = match &self.matcher {
            Matcher::RedirectTo(v) => ("redirect_to", v),
            Matcher::ReferrerHost(v) => ("referrer_host", v),
            Matcher::UserRole(v) => ("user_role", v),
        };
        json!({"profile": self.profile, "matcher": {"type": kind, "value": value}})
    }
}

/// What is known about the login being routed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The login's `redirect_to` (absolute URL or path).
    pub redirect_to: Option<String>,
    /// The referring page's URL (or just its host).
    pub referrer: Option<String>,
    /// The signed-in visitor's WordPress roles.
    pub roles: Vec<String>,
    /// When given, the slugs that exist: a rule naming another profile is
    /// skipped (it was deleted after the rule was written).
    pub profiles: Option<Vec<String>>,
}

fn rule_error(i: usize, field: &str, message: String) -> ProfileError {
    ProfileError::new(
        ErrorCode::InvalidRule,
        format!("rules[{i}]{field}"),
        message,
    )
}

fn parse_rule(i: usize, v: &Value) -> Result<Rule, ProfileError> {
    let Value::Object(rule) = v else {
        return Err(rule_error(
            i,
            "",
            format!(
                "Rule {} must be an object with a profile and a matcher.",
                i + 1
            ),
        ));
    };
    let profile = fields::slug(rule.get("profile").unwrap_or(&Value::Null), "profile")
        .map_err(|e| rule_error(i, ".profile", format!("Rule {}: {}", i + 1, e.message)))?;
    let Some(Value::Object(matcher)) = rule.get("matcher") else {
        return Err(rule_error(
            i,
            ".matcher",
            format!("Rule {} needs a matcher {{type, value}}.", i + 1),
        ));
    };
    let kind = fields::choice(
        matcher.get("type").unwrap_or(&Value::Null),
        "matcher.type",
        MATCHER_TYPES,
        ErrorCode::InvalidRule,
    )
    .map_err(|e| rule_error(i, ".matcher.type", format!("Rule {}: {}", i + 1, e.message)))?;
    let value = fields::text(
        matcher.get("value").unwrap_or(&Value::Null),
        "matcher.value",
        VALUE_MAX,
        ErrorCode::InvalidRule,
    )
    .map_err(|e| {
        rule_error(
            i,
            ".matcher.value",
            format!("Rule {}: {}", i + 1, e.message),
        )
    })?;
    if value.is_empty() {
        return Err(rule_error(
            i,
            ".matcher.value",
            format!(
                "Rule {}: say what to match (e.g. /shop/*, partner.example or editor).",
                i + 1
            ),
        ));
    }
    let matcher = match kind {
        "redirect_to" => Matcher::RedirectTo(value),
        "referrer_host" => Matcher::ReferrerHost(value.to_ascii_lowercase()),
        _ => Matcher::UserRole(value),
    };
    Ok(Rule { profile, matcher })
}

/// The strict reading of rules an administrator submits: any bad rule is an
/// error naming it (`rules[2].matcher.type`). `{}` (PHP's `[]`) is no rules.
pub fn validate_rules(v: &Value) -> Result<Vec<Rule>, ProfileError> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        Value::Object(m) if m.is_empty() => Vec::new(),
        _ => {
            return Err(ProfileError::new(
                ErrorCode::InvalidRule,
                "rules",
                "The routing rules must be a list.",
            ))
        }
    };
    if items.len() > RULES_MAX {
        return Err(ProfileError::new(
            ErrorCode::InvalidRule,
            "rules",
            format!("At most {RULES_MAX} routing rules."),
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, r)| parse_rule(i, r))
        .collect()
}

/// The lenient reading (stored rules): invalid entries dropped, as the
/// reference does on save.
pub fn normalize_rules(v: &Value) -> Vec<Rule> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| parse_rule(i, r).ok())
        .take(RULES_MAX)
        .collect()
}

/// The slug of the first rule matching `ctx`, else `default`.
pub fn choose(rules: &[Rule], ctx: &Context) -> String {
    let path = ctx.redirect_to.as_deref().and_then(path_of);
    let host = ctx.referrer.as_deref().and_then(host_of);
    rules
        .iter()
        .filter(|r| {
            ctx.profiles
                .as_ref()
                .is_none_or(|known| known.iter().any(|p| p == &r.profile))
        })
        .find(|r| match &r.matcher {
            Matcher::RedirectTo(glob) => path.as_deref().is_some_and(|p| glob_match(glob, p)),
            Matcher::ReferrerHost(glob) => host.as_deref().is_some_and(|h| glob_match(glob, h)),
            Matcher::UserRole(role) => ctx.roles.iter().any(|r| r.eq_ignore_ascii_case(role)),
        })
        .map_or_else(|| DEFAULT_SLUG.to_string(), |r| r.profile.clone())
}

/// The decoded path of a URL or path; `None` for nothing usable.
fn path_of(target: &str) -> Option<String> {
    let target = target.trim();
    if target.is_empty() || target.chars().any(char::is_control) {
        return None;
    }
    let base = Url::parse("http://routing.invalid/").ok()?;
    let url = base.join(target).ok()?;
    Some(percent_decode(url.path()))
}

/// The host of a URL (or a bare host), lower-cased.
fn host_of(referrer: &str) -> Option<String> {
    let referrer = referrer.trim();
    if referrer.is_empty() {
        return None;
    }
    let url = Url::parse(referrer)
        .ok()
        .or_else(|| Url::parse(&format!("http://{referrer}")).ok())?;
    url.host_str()
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Case-insensitive full-string glob: `*` matches any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(v: Value) -> Vec<Rule> {
        validate_rules(&v).unwrap()
    }

    fn ctx(redirect_to: &str, referrer: &str, roles: &[&str]) -> Context {
        Context {
            redirect_to: (!redirect_to.is_empty()).then(|| redirect_to.into()),
            referrer: (!referrer.is_empty()).then(|| referrer.into()),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            profiles: None,
        }
    }

    fn sample() -> Vec<Rule> {
        rules(json!([
            {"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}},
            {"profile": "partners", "matcher": {"type": "referrer_host", "value": "Partner.Example"}},
            {"profile": "staff", "matcher": {"type": "user_role", "value": "editor"}},
            {"profile": "any-sub", "matcher": {"type": "referrer_host", "value": "*.example.org"}},
        ]))
    }

    #[test]
    fn nothing_matches_default() {
        assert_eq!(choose(&sample(), &Context::default()), "default");
        assert_eq!(choose(&[], &ctx("/shop/x", "", &[])), "default");
        assert_eq!(
            choose(
                &sample(),
                &ctx("/blog/", "https://other.example/", &["subscriber"])
            ),
            "default"
        );
    }

    #[test]
    fn redirect_to_globs_on_the_path() {
        let r = sample();
        assert_eq!(
            choose(&r, &ctx("https://site.example/shop/cart?x=1", "", &[])),
            "shop"
        );
        assert_eq!(choose(&r, &ctx("/SHOP/Cart", "", &[])), "shop");
        assert_eq!(choose(&r, &ctx("/shop/a/b/c", "", &[])), "shop");
        assert_eq!(choose(&r, &ctx("/shop%2Fx/", "", &[])), "shop");
        assert_eq!(choose(&r, &ctx("/shop", "", &[])), "default"); // full-string match
        assert_eq!(choose(&r, &ctx("/myshop/x", "", &[])), "default");
        assert_eq!(choose(&r, &ctx("/blog/?next=/shop/x", "", &[])), "default");
        // the path only
    }

    #[test]
    fn referrer_host_and_role() {
        let r = sample();
        assert_eq!(
            choose(&r, &ctx("", "https://partner.example/page", &[])),
            "partners"
        );
        assert_eq!(choose(&r, &ctx("", "partner.example", &[])), "partners");
        assert_eq!(
            choose(&r, &ctx("", "https://evil.partner.example.com/", &[])),
            "default"
        );
        assert_eq!(
            choose(&r, &ctx("", "https://a.b.example.org/", &[])),
            "any-sub"
        );
        assert_eq!(choose(&r, &ctx("", "https://example.org/", &[])), "default");
        assert_eq!(choose(&r, &ctx("", "", &["subscriber", "Editor"])), "staff");
    }

    #[test]
    fn first_match_wins() {
        let r = sample();
        // redirect_to (rule 1) and role (rule 3) both match: rule 1 wins.
        assert_eq!(
            choose(&r, &ctx("/shop/x", "https://partner.example/", &["editor"])),
            "shop"
        );
        assert_eq!(
            choose(&r, &ctx("/blog", "https://partner.example/", &["editor"])),
            "partners"
        );
    }

    #[test]
    fn rules_for_missing_profiles_are_skipped() {
        let r = sample();
        let mut c = ctx("/shop/x", "", &["editor"]);
        c.profiles = Some(vec!["default".into(), "staff".into()]);
        assert_eq!(choose(&r, &c), "staff");
        c.profiles = Some(vec![]);
        assert_eq!(choose(&r, &c), "default");
    }

    #[test]
    fn strict_rules_name_the_bad_entry() {
        let cases = [
            (json!("x"), "rules"),
            (json!([1]), "rules[0]"),
            (
                json!([{"profile": "Bad Slug", "matcher": {"type": "user_role", "value": "x"}}]),
                "rules[0].profile",
            ),
            (json!([{"profile": "a"}]), "rules[0].matcher"),
            (
                json!([{"profile": "a", "matcher": {"type": "user_role", "value": "x"}},
                    {"profile": "a", "matcher": {"type": "cookie", "value": "x"}}]),
                "rules[1].matcher.type",
            ),
            (
                json!([{"profile": "a", "matcher": {"type": "user_role", "value": " "}}]),
                "rules[0].matcher.value",
            ),
            (
                json!([{"profile": "a", "matcher": {"type": "user_role", "value": "a\nb"}}]),
                "rules[0].matcher.value",
            ),
        ];
        for (input, field) in cases {
            let e = validate_rules(&input).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_str()),
                (ErrorCode::InvalidRule, field),
                "{input}"
            );
        }
        let many: Vec<Value> = (0..101)
            .map(|_| json!({"profile": "a", "matcher": {"type": "user_role", "value": "x"}}))
            .collect();
        assert_eq!(
            validate_rules(&Value::Array(many)).unwrap_err().field,
            "rules"
        );
        assert!(validate_rules(&json!({})).unwrap().is_empty());
        assert!(validate_rules(&json!(null)).unwrap().is_empty());
    }

    #[test]
    fn lenient_rules_drop_bad_entries_and_round_trip() {
        let stored = json!([
            {"profile": "shop", "matcher": {"type": "redirect_to", "value": " /shop/* "}},
            {"profile": "x", "matcher": {"type": "cookie", "value": "y"}},
            "junk",
            {"profile": "staff", "matcher": {"type": "user_role", "value": "editor"}},
        ]);
        let r = normalize_rules(&stored);
        assert_eq!(r.len(), 2);
        let back: Vec<Value> = r.iter().map(Rule::to_value).collect();
        assert_eq!(
            back[0],
            json!({"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}})
        );
        assert_eq!(validate_rules(&Value::Array(back)).unwrap(), r);
        assert!(normalize_rules(&json!("nope")).is_empty());
    }

    #[test]
    fn glob() {
        assert!(glob_match("*", ""));
        assert!(glob_match("/a/*/c", "/a/b/x/c"));
        assert!(glob_match("*.EXAMPLE.com", "www.example.com"));
        assert!(!glob_match("/a/*/c", "/a/b/c/d"));
        assert!(glob_match("a**b", "ab"));
        assert!(!glob_match("abc", "ab"));
        assert!(glob_match("/ünï/*", "/ÜNÏ/x"));
    }

    #[test]
    fn hostile_context_values_do_not_match_or_panic() {
        let r = sample();
        for v in [
            "\0",
            "http://[::1",
            "%",
            "%zz",
            "/%e2%28%a1",
            "\u{202e}/shop/x",
        ] {
            let _ = choose(&r, &ctx(v, v, &[v]));
        }
        assert_eq!(choose(&r, &ctx("/shop/%e2%28%a1", "", &[])), "shop");
    }
}
