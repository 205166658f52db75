//! The strict reading of a profile an administrator submits, and partial
//! updates.

use serde_json::{Map, Value};

use super::{model, ProfileError};

pub use super::fields::reserved_path;

/// Checks every field of `input` and answers the complete profile (defaults
/// filled, unknown keys dropped, names canonical). Refuses, with the field
/// at fault and a stable code: a missing or malformed slug, a malformed or
/// reserved custom path, an unknown or missing sign-in method, an
/// organization id not shaped `org_…`, a colour not `#rgb`/`#rrggbb`, an
/// unknown MFA policy or factor (or none), a custom logo without an image,
/// text with control characters or too long, a destination that is not a
/// path or an http(s) URL, an unknown mode, and flags that are not flags.
pub fn validate(input: &Value) -> Result<Value, ProfileError> {
    model::build(input, true)
}

/// A partial update: `patch` deep-merged into `stored`. Objects merge key by
/// key; anything else — lists such as `methods` and `mfa.factors` included
/// — replaces the stored value whole; `null` removes the key (back to its
/// default). `[]` counts as an empty object where an object is stored (PHP
/// turns `{}` into `[]`). The result is not validated: pass it to
/// [`validate`], which names the field a bad patch broke.
pub fn merge(stored: &Value, patch: &Value) -> Value {
    match (stored, patch) {
        (Value::Object(s), Value::Object(p)) => Value::Object(merge_maps(s, p)),
        (Value::Object(_), Value::Array(a)) if a.is_empty() => stored.clone(),
        (_, Value::Array(a)) if a.is_empty() && stored.is_array() => patch.clone(),
        (Value::Array(s), Value::Object(p)) if s.is_empty() => {
            Value::Object(merge_maps(&Map::new(), p))
        }
        _ => patch.clone(),
    }
}

fn merge_maps(stored: &Map<String, Value>, patch: &Map<String, Value>) -> Map<String, Value> {
    let mut out = stored.clone();
    for (key, value) in patch {
        if value.is_null() {
            out.remove(key);
            continue;
        }
        let merged = match out.get(key) {
            Some(old @ Value::Object(_)) => merge(old, value),
            _ => value.clone(),
        };
        out.insert(key.clone(), merged);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::ErrorCode;
    use super::*;
    use serde_json::json;

    fn ok(input: Value) -> Value {
        validate(&input).unwrap_or_else(|e| panic!("{input} refused: {e:?}"))
    }

    /// `input` (merged into a valid profile) is refused with `code` on `field`.
    fn refused(patch: Value, code: ErrorCode, field: &str) -> String {
        let input = merge(&json!({"slug": "members"}), &patch);
        match validate(&input) {
            Ok(v) => panic!("{patch} accepted as {v}"),
            Err(e) => {
                assert_eq!((e.code, e.field.as_str()), (code, field), "{patch}: {e}");
                assert!(!e.message.is_empty());
                e.message
            }
        }
    }

    #[test]
    fn a_slug_alone_is_a_profile() {
        let p = ok(json!({"slug": "members"}));
        assert_eq!(p["slug"], "members");
        assert_eq!(p["title"], "Members");
        assert_eq!(p["methods"], json!(["password", "magic_code"]));
    }

    #[test]
    fn a_full_profile_round_trips() {
        let full = json!({
            "id": 7, "slug": "team", "title": "Team sign-in",
            "methods": ["password", "magic_code", "oauth_google", "oauth_microsoft",
                        "oauth_github", "oauth_apple", "passkey"],
            "organization_id": "org_01HXYZ",
            "signup": {"enabled": true, "require_invite": true},
            "invite_flow": false, "password_reset_flow": false, "auto_login_after_reset": false,
            "mfa": {"enforce": "always", "factors": ["totp", "sms", "webauthn"]},
            "branding": {"heading": "Welcome", "subheading": "Team only", "primary_color": "#2271b1",
                         "logo_mode": "custom", "logo_attachment_id": 42},
            "custom_path": "team/login", "post_login_redirect": "/account/",
            "forward_query_args": true, "mode": "authkit_redirect"
        });
        assert_eq!(ok(full.clone()), full);
        assert_eq!(ok(ok(full.clone())), full); // idempotent
    }

    #[test]
    fn names_are_made_canonical() {
        let p = ok(json!({
            "slug": "  Members ", "custom_path": "/Team/Login/ ",
            "methods": ["passkey", "password", "passkey"],
            "branding": {"primary_color": "#ABC"}, "unknown": true,
            "signup": {"enabled": "1", "require_invite": 0}
        }));
        assert_eq!(p["slug"], "members");
        assert_eq!(p["custom_path"], "team/login");
        assert_eq!(p["methods"], json!(["password", "passkey"]));
        assert_eq!(p["branding"]["primary_color"], "#abc");
        assert!(p.get("unknown").is_none());
        assert_eq!(
            p["signup"],
            json!({"enabled": true, "require_invite": false})
        );
    }

    #[test]
    fn the_profile_must_be_an_object() {
        for bad in [json!(null), json!("members"), json!([1]), json!(3)] {
            let e = validate(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::Invalid, "{bad}");
        }
        // What PHP makes of `{}`: an object without a slug.
        assert_eq!(
            validate(&json!([])).unwrap_err().code,
            ErrorCode::InvalidSlug
        );
    }

    #[test]
    fn slug_shape() {
        refused(json!({"slug": ""}), ErrorCode::InvalidSlug, "slug");
        refused(json!({"slug": null}), ErrorCode::InvalidSlug, "slug");
        refused(json!({"slug": 5}), ErrorCode::InvalidSlug, "slug");
        refused(
            json!({"slug": "team login"}),
            ErrorCode::InvalidSlug,
            "slug",
        );
        refused(json!({"slug": "-team"}), ErrorCode::InvalidSlug, "slug");
        refused(json!({"slug": "team_"}), ErrorCode::InvalidSlug, "slug");
        refused(json!({"slug": "tëam"}), ErrorCode::InvalidSlug, "slug");
        refused(json!({"slug": "a/b"}), ErrorCode::InvalidSlug, "slug");
        refused(
            json!({"slug": "x".repeat(65)}),
            ErrorCode::InvalidSlug,
            "slug",
        );
        assert_eq!(ok(json!({"slug": "x".repeat(64)}))["slug"], "x".repeat(64));
        assert_eq!(ok(json!({"slug": "a"}))["slug"], "a");
        assert_eq!(ok(json!({"slug": "team_2-b"}))["slug"], "team_2-b");
        validate(&json!({"title": "No slug"})).unwrap_err();
    }

    #[test]
    fn title_rules() {
        assert_eq!(ok(json!({"slug": "a", "title": "  Hi  "}))["title"], "Hi");
        assert_eq!(ok(json!({"slug": "b-c", "title": ""}))["title"], "B C");
        refused(json!({"title": "a\nb"}), ErrorCode::InvalidTitle, "title");
        refused(
            json!({"title": "x".repeat(201)}),
            ErrorCode::InvalidTitle,
            "title",
        );
        refused(json!({"title": ["x"]}), ErrorCode::InvalidTitle, "title");
    }

    #[test]
    fn custom_paths_must_be_paths() {
        for bad in ["a b", "a//b", "team/lo?gin", "ü", "a\\b", "x.html", "a/./b"] {
            let code = if bad.contains("/.") {
                ErrorCode::PathReserved
            } else {
                ErrorCode::PathInvalid
            };
            refused(json!({"custom_path": bad}), code, "custom_path");
        }
        refused(
            json!({"custom_path": 3}),
            ErrorCode::PathInvalid,
            "custom_path",
        );
        refused(
            json!({"custom_path": ("a/".repeat(8) + "a")}),
            ErrorCode::PathInvalid,
            "custom_path",
        );
        refused(
            json!({"custom_path": "a".repeat(201)}),
            ErrorCode::PathInvalid,
            "custom_path",
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": "/"}))["custom_path"],
            ""
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": null}))["custom_path"],
            ""
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": "Members"}))["custom_path"],
            "members"
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": "login"}))["custom_path"],
            "login"
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": "feeds"}))["custom_path"],
            "feeds"
        );
        assert_eq!(
            ok(json!({"slug": "a", "custom_path": "my/wp-admin"}))["custom_path"],
            "my/wp-admin"
        );
    }

    #[test]
    fn reserved_wordpress_paths_are_refused() {
        for path in [
            "wp-admin",
            "wp-admin/x",
            "wp-admin2",
            "wp-login.php",
            "WP-JSON",
            "wp-json/workos/v1",
            "wp-content",
            "wp-includes",
            "wp-cron.php",
            "wp-signup.php",
            "wp-sitemap.xml",
            "xmlrpc.php",
            "index.php",
            "feed",
            "feed/rss2",
            "rss2",
            "atom",
            "comments",
            "trackback",
            "embed",
            "workos",
            "workos/login",
            "default",
            "/default/",
            "robots.txt",
            "favicon.ico",
            "sitemap.xml",
            ".well-known/x",
            "a/.git",
        ] {
            let msg = refused(
                json!({"custom_path": path}),
                ErrorCode::PathReserved,
                "custom_path",
            );
            assert!(msg.contains("WordPress"), "{msg}");
        }
        assert!(reserved_path("wp-login.php"));
        assert!(!reserved_path("members"));
    }

    #[test]
    fn methods_rules() {
        let msg = refused(
            json!({"methods": ["password", "carrier"]}),
            ErrorCode::InvalidMethods,
            "methods",
        );
        assert!(
            msg.contains("\"carrier\"") && msg.contains("oauth_google"),
            "{msg}"
        );
        let msg = refused(json!({"methods": []}), ErrorCode::InvalidMethods, "methods");
        assert!(msg.contains("at least one"), "{msg}");
        refused(
            json!({"methods": "password"}),
            ErrorCode::InvalidMethods,
            "methods",
        );
        refused(
            json!({"methods": [["password"]]}),
            ErrorCode::InvalidMethods,
            "methods",
        );
        refused(
            json!({"methods": ["Password"]}),
            ErrorCode::InvalidMethods,
            "methods",
        );
        // A PHP list with holes arrives as an object.
        let p = ok(json!({"slug": "a", "methods": {"0": "passkey", "3": "oauth_apple"}}));
        assert_eq!(p["methods"], json!(["oauth_apple", "passkey"]));
    }

    #[test]
    fn organization_id_shape() {
        for bad in [
            "acme",
            "org_",
            "org_01H!",
            "ORG_01H",
            "org_01H x",
            "conn_01H",
        ] {
            refused(
                json!({"organization_id": bad}),
                ErrorCode::InvalidOrganization,
                "organization_id",
            );
        }
        refused(
            json!({"organization_id": 12}),
            ErrorCode::InvalidOrganization,
            "organization_id",
        );
        assert_eq!(
            ok(json!({"slug": "a", "organization_id": " org_01HABC "}))["organization_id"],
            "org_01HABC"
        );
        assert_eq!(
            ok(json!({"slug": "a", "organization_id": ""}))["organization_id"],
            ""
        );
    }

    #[test]
    fn mfa_rules() {
        refused(
            json!({"mfa": {"enforce": "sometimes"}}),
            ErrorCode::InvalidMfa,
            "mfa.enforce",
        );
        refused(
            json!({"mfa": {"enforce": 1}}),
            ErrorCode::InvalidMfa,
            "mfa.enforce",
        );
        refused(
            json!({"mfa": {"factors": ["email"]}}),
            ErrorCode::InvalidMfa,
            "mfa.factors",
        );
        refused(
            json!({"mfa": {"factors": []}}),
            ErrorCode::InvalidMfa,
            "mfa.factors",
        );
        refused(
            json!({"mfa": {"factors": "totp"}}),
            ErrorCode::InvalidMfa,
            "mfa.factors",
        );
        refused(json!({"mfa": "always"}), ErrorCode::InvalidMfa, "mfa");
        for e in ["never", "if_required", "always"] {
            assert_eq!(
                ok(json!({"slug": "a", "mfa": {"enforce": e}}))["mfa"]["enforce"],
                e
            );
        }
        let p = ok(json!({"slug": "a", "mfa": {"factors": ["webauthn", "totp"]}}));
        assert_eq!(
            p["mfa"],
            serde_json::json!({"enforce": "if_required", "factors": ["totp", "webauthn"]})
        );
    }

    #[test]
    fn colour_rules() {
        for bad in [
            "red",
            "#12",
            "#1234",
            "#12345",
            "#1234567",
            "#ggg",
            "2271b1",
            "#2271b1ff",
        ] {
            refused(
                json!({"branding": {"primary_color": bad}}),
                ErrorCode::InvalidColor,
                "branding.primary_color",
            );
        }
        for good in ["#fff", "#2271B1", ""] {
            let p = ok(json!({"slug": "a", "branding": {"primary_color": good}}));
            assert_eq!(p["branding"]["primary_color"], good.to_ascii_lowercase());
        }
    }

    #[test]
    fn logo_rules() {
        let msg = refused(
            json!({"branding": {"logo_mode": "custom"}}),
            ErrorCode::LogoRequired,
            "branding.logo_attachment_id",
        );
        assert!(msg.contains("image"), "{msg}");
        refused(
            json!({"branding": {"logo_mode": "custom", "logo_attachment_id": 0}}),
            ErrorCode::LogoRequired,
            "branding.logo_attachment_id",
        );
        refused(
            json!({"branding": {"logo_mode": "big"}}),
            ErrorCode::InvalidLogo,
            "branding.logo_mode",
        );
        refused(
            json!({"branding": {"logo_attachment_id": -1}}),
            ErrorCode::InvalidLogo,
            "branding.logo_attachment_id",
        );
        refused(
            json!({"branding": {"logo_attachment_id": "x"}}),
            ErrorCode::InvalidLogo,
            "branding.logo_attachment_id",
        );
        refused(
            json!({"branding": {"logo_attachment_id": 1.5}}),
            ErrorCode::InvalidLogo,
            "branding.logo_attachment_id",
        );
        let p = ok(
            json!({"slug": "a", "branding": {"logo_mode": "custom", "logo_attachment_id": "9"}}),
        );
        assert_eq!(
            (
                p["branding"]["logo_mode"].as_str(),
                p["branding"]["logo_attachment_id"].as_i64()
            ),
            (Some("custom"), Some(9))
        );
        // An image kept while the logo is hidden stays chosen for later.
        let p =
            ok(json!({"slug": "a", "branding": {"logo_mode": "none", "logo_attachment_id": 9}}));
        assert_eq!(p["branding"]["logo_mode"], "none");
    }

    #[test]
    fn branding_text_rules() {
        refused(
            json!({"branding": {"heading": "a\u{0000}b"}}),
            ErrorCode::InvalidText,
            "branding.heading",
        );
        refused(
            json!({"branding": {"subheading": "x".repeat(501)}}),
            ErrorCode::InvalidText,
            "branding.subheading",
        );
        refused(
            json!({"branding": {"heading": 3}}),
            ErrorCode::InvalidText,
            "branding.heading",
        );
        refused(
            json!({"branding": "blue"}),
            ErrorCode::InvalidField,
            "branding",
        );
        let p = ok(
            json!({"slug": "a", "branding": {"heading": " Welcome ", "subheading": "Ünïcode ✓"}}),
        );
        assert_eq!(
            (
                p["branding"]["heading"].as_str(),
                p["branding"]["subheading"].as_str()
            ),
            (Some("Welcome"), Some("Ünïcode ✓"))
        );
    }

    #[test]
    fn redirect_rules() {
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "/\\evil",
            "ftp://x.example/",
            "a b",
            "account",
            "http://",
        ] {
            refused(
                json!({"post_login_redirect": bad}),
                ErrorCode::InvalidRedirect,
                "post_login_redirect",
            );
        }
        for good in ["/account/", "https://example.com/x?y=1", ""] {
            assert_eq!(
                ok(json!({"slug": "a", "post_login_redirect": good}))["post_login_redirect"],
                good
            );
        }
    }

    #[test]
    fn mode_and_flags() {
        refused(json!({"mode": "redirect"}), ErrorCode::InvalidMode, "mode");
        refused(json!({"mode": ["custom"]}), ErrorCode::InvalidMode, "mode");
        refused(
            json!({"forward_query_args": "maybe"}),
            ErrorCode::InvalidField,
            "forward_query_args",
        );
        refused(
            json!({"invite_flow": 2}),
            ErrorCode::InvalidField,
            "invite_flow",
        );
        refused(
            json!({"signup": {"enabled": []}}),
            ErrorCode::InvalidField,
            "signup.enabled",
        );
        refused(json!({"signup": true}), ErrorCode::InvalidField, "signup");
        let p = ok(json!({"slug": "a", "forward_query_args": "true", "password_reset_flow": "0"}));
        assert_eq!(
            (
                p["forward_query_args"].as_bool(),
                p["password_reset_flow"].as_bool()
            ),
            (Some(true), Some(false))
        );
    }

    #[test]
    fn merge_is_deep_and_replaces_lists_whole() {
        let stored = ok(json!({
            "slug": "team", "methods": ["password", "magic_code", "passkey"],
            "mfa": {"enforce": "always", "factors": ["totp", "sms"]},
            "branding": {"heading": "Hi", "primary_color": "#000"}
        }));
        let merged = merge(
            &stored,
            &json!({
                "methods": ["oauth_google"],
                "mfa": {"factors": ["webauthn"]},
                "branding": {"primary_color": "#fff"},
            }),
        );
        let p = validate(&merged).unwrap();
        assert_eq!(p["methods"], json!(["oauth_google"]));
        assert_eq!(
            p["mfa"],
            json!({"enforce": "always", "factors": ["webauthn"]})
        );
        assert_eq!(p["branding"]["heading"], "Hi");
        assert_eq!(p["branding"]["primary_color"], "#fff");
        assert_eq!(p["slug"], "team");
        // null puts a field back to its default; {} (PHP's []) changes nothing.
        let p = validate(&merge(&stored, &json!({"mfa": null, "branding": []}))).unwrap();
        assert_eq!(
            p["mfa"],
            json!({"enforce": "if_required", "factors": ["totp"]})
        );
        assert_eq!(p["branding"]["heading"], "Hi");
        assert_eq!(validate(&merge(&stored, &json!([]))).unwrap(), stored);
        // A patch that breaks a field is refused by validate, naming it.
        let e = validate(&merge(&stored, &json!({"methods": []}))).unwrap_err();
        assert_eq!(e.field, "methods");
        let e = validate(&merge(&stored, &json!({"mfa": {"enforce": "x"}}))).unwrap_err();
        assert_eq!(e.field, "mfa.enforce");
    }

    #[test]
    fn validate_and_normalize_agree_on_valid_profiles() {
        let p = ok(json!({"slug": "a", "methods": ["passkey"], "custom_path": "x/y"}));
        assert_eq!(model::normalize(&p), p);
    }
}

/// Random profiles: validate and normalize never panic, and whatever the
/// lenient reading makes of anything is a profile the strict reading accepts
/// unchanged (once it has a slug), so stored profiles always re-save.
#[cfg(test)]
mod properties {
    use super::super::{model, routing};
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<String>().prop_map(Value::from),
            "[ -~]{0,24}".prop_map(Value::from),
            prop_oneof![
                Just("password"),
                Just("passkey"),
                Just("custom"),
                Just("never"),
                Just("sms"),
                Just("#abc"),
                Just("wp-admin"),
                Just("team/login"),
                Just("org_01H"),
                Just("/x/"),
                Just("none"),
                Just("authkit_redirect"),
                Just("1"),
                Just(""),
            ]
            .prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("slug".to_string()),
                        Just("methods".to_string()),
                        Just("mfa".to_string()),
                        Just("enforce".to_string()),
                        Just("factors".to_string()),
                        Just("branding".to_string()),
                        Just("logo_mode".to_string()),
                        Just("logo_attachment_id".to_string()),
                        Just("custom_path".to_string()),
                        Just("primary_color".to_string()),
                        Just("profile".to_string()),
                        Just("matcher".to_string()),
                        Just("type".to_string()),
                        Just("value".to_string()),
                        any::<String>(),
                    ],
                    inner,
                    0..6,
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn lenient_output_always_validates(input in value()) {
            let _ = validate(&input);
            let mut n = model::normalize(&input);
            n["slug"] = json!("x");
            let strict = validate(&n);
            prop_assert_eq!(strict, Ok(n.clone()));
            let merged = merge(&n, &input);
            let _ = validate(&merged);
        }

        #[test]
        fn routing_never_panics(rules in value(), a in any::<String>(), b in any::<String>()) {
            let r = routing::normalize_rules(&rules);
            let _ = routing::validate_rules(&rules);
            let ctx = routing::Context { redirect_to: Some(a.clone()), referrer: Some(b), roles: vec![a], profiles: None };
            let chosen = routing::choose(&r, &ctx);
            prop_assert!(chosen == "default" || r.iter().any(|x| x.profile == chosen));
        }
    }
}
