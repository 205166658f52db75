//! A Login Profile's fields, their allowed values and defaults (the
//! reference's `Profile::from_array()`), and the lenient reading of stored
//! profiles.

use serde_json::{json, Map, Value};

use super::fields::{self, R};
use super::{ErrorCode as C, ProfileError};

/// The profile that always exists and takes over wp-login.php.
pub const DEFAULT_SLUG: &str = "default";

/// Sign-in methods, in the order the login shows them.
pub const METHODS: &[&str] = &[
    "password",
    "magic_code",
    "oauth_google",
    "oauth_microsoft",
    "oauth_github",
    "oauth_apple",
    "passkey",
];
/// Methods of a profile that names none (a stored profile; a submitted one
/// must name at least one).
pub const DEFAULT_METHODS: &[&str] = &["password", "magic_code"];
pub const MFA_ENFORCE: &[&str] = &["never", "if_required", "always"];
pub const MFA_FACTORS: &[&str] = &["totp", "sms", "webauthn"];
pub const DEFAULT_FACTORS: &[&str] = &["totp"];
pub const LOGO_MODES: &[&str] = &["default", "custom", "none"];
/// `custom`: the WordPress-hosted login; `authkit_redirect`: WorkOS's page.
pub const MODES: &[&str] = &["custom", "authkit_redirect"];

/// First segments a custom path may not take (besides every `wp-…` name and
/// dot-files, see `fields::reserved_path`): WordPress's own files and
/// routes (feeds, comments, trackbacks, embeds, the sitemap), this plugin's
/// `/workos/…` routes, and `default`.
pub const RESERVED_PATHS: &[&str] = &[
    "workos",
    "default",
    "feed",
    "rdf",
    "rss",
    "rss2",
    "atom",
    "comments",
    "trackback",
    "embed",
    "xmlrpc.php",
    "index.php",
    "robots.txt",
    "favicon.ico",
    "sitemap.xml",
];

/// Longest title, heading and subheading.
pub const TITLE_MAX: usize = 200;
pub const HEADING_MAX: usize = 200;
pub const SUBHEADING_MAX: usize = 500;

/// A profile with every default and the given slug: what a new profile
/// starts from.
pub fn defaults() -> Value {
    build(&json!({}), false).unwrap_or(Value::Null)
}

/// The lenient reading, for stored profiles and legacy rows: unknown keys
/// dropped, defaults filled, any unusable value replaced by its default.
/// Never fails; the result always passes `validate` except for an empty
/// slug (which the caller takes from the post).
pub fn normalize(input: &Value) -> Value {
    build(input, false).unwrap_or(Value::Null)
}

/// `strict`: any problem is an error; otherwise values that cannot be used
/// become their defaults.
pub(crate) fn build(input: &Value, strict: bool) -> Result<Value, ProfileError> {
    let pick = |r: R<Value>, lenient: &dyn Fn() -> Value| -> R<Value> {
        match r {
            Ok(v) => Ok(v),
            Err(e) if strict => Err(e),
            Err(_) => Ok(lenient()),
        }
    };
    let null = Value::Null;
    if strict && input.is_null() {
        return Err(ProfileError::new(
            C::Invalid,
            "profile",
            "profile must be an object",
        ));
    }
    let input = pick(
        fields::object(input, "profile", C::Invalid).map(Value::Object),
        &|| json!({}),
    )?;
    let get = |key: &str| input.get(key).unwrap_or(&null);
    let sub = |key: &str, code: C| -> R<Value> {
        pick(
            fields::object(get(key), key, code).map(Value::Object),
            &|| json!({}),
        )
    };

    let id = fields::id(get("id"), "id", C::InvalidField).unwrap_or(0);
    let slug = pick(fields::slug(get("slug"), "slug").map(Value::from), &|| {
        Value::from(fields::slugify(get("slug")))
    })?;
    let slug_str = slug.as_str().unwrap_or_default().to_string();
    let title = pick(
        fields::text(get("title"), "title", TITLE_MAX, C::InvalidTitle).map(Value::from),
        &|| Value::from(fields::text_lenient(get("title"), TITLE_MAX)),
    )?;
    let title = match title.as_str() {
        Some("") | None => Value::from(title_from_slug(&slug_str)),
        Some(_) => title,
    };

    let methods = match get("methods") {
        Value::Null => Value::from(DEFAULT_METHODS.to_vec()),
        v => pick(
            fields::subset(v, "methods", METHODS, C::InvalidMethods).and_then(|m| {
                if m.is_empty() {
                    Err(ProfileError::new(
                        C::InvalidMethods,
                        "methods",
                        "Choose at least one sign-in method.",
                    ))
                } else {
                    Ok(Value::from(m))
                }
            }),
            &|| {
                let m = fields::subset_lenient(v, METHODS);
                Value::from(if m.is_empty() {
                    DEFAULT_METHODS.to_vec()
                } else {
                    m
                })
            },
        )?,
    };

    let organization_id = pick(
        fields::organization_id(get("organization_id"), "organization_id").map(Value::from),
        &|| Value::from(""),
    )?;

    let signup = sub("signup", C::InvalidField)?;
    let flag = |obj: &Value, key: &str, field: &str, default: bool| -> R<Value> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(Value::Bool(default)),
            Some(v) => pick(fields::flag(v, field).map(Value::Bool), &|| {
                Value::Bool(default)
            }),
        }
    };
    let signup = json!({
        "enabled": flag(&signup, "enabled", "signup.enabled", false)?,
        "require_invite": flag(&signup, "require_invite", "signup.require_invite", false)?,
    });
    let invite_flow = flag(&input, "invite_flow", "invite_flow", true)?;
    let password_reset_flow = flag(&input, "password_reset_flow", "password_reset_flow", true)?;
    let auto_login_after_reset = flag(
        &input,
        "auto_login_after_reset",
        "auto_login_after_reset",
        true,
    )?;

    let mfa = sub("mfa", C::InvalidMfa)?;
    let enforce = match mfa.get("enforce") {
        None | Some(Value::Null) => Value::from("if_required"),
        Some(v) => pick(
            fields::choice(v, "mfa.enforce", MFA_ENFORCE, C::InvalidMfa).map(Value::from),
            &|| Value::from("if_required"),
        )?,
    };
    let factors = match mfa.get("factors") {
        None | Some(Value::Null) => Value::from(DEFAULT_FACTORS.to_vec()),
        Some(v) => pick(
            fields::subset(v, "mfa.factors", MFA_FACTORS, C::InvalidMfa).and_then(|f| {
                if f.is_empty() {
                    Err(ProfileError::new(
                        C::InvalidMfa,
                        "mfa.factors",
                        "Allow at least one MFA factor (totp, sms or webauthn).",
                    ))
                } else {
                    Ok(Value::from(f))
                }
            }),
            &|| {
                let f = fields::subset_lenient(v, MFA_FACTORS);
                Value::from(if f.is_empty() {
                    DEFAULT_FACTORS.to_vec()
                } else {
                    f
                })
            },
        )?,
    };

    let branding = sub("branding", C::InvalidField)?;
    let bget = |key: &str| branding.get(key).unwrap_or(&null);
    let btext = |key: &str, max: usize| -> R<Value> {
        pick(
            fields::text(bget(key), &format!("branding.{key}"), max, C::InvalidText)
                .map(Value::from),
            &|| Value::from(fields::text_lenient(bget(key), max)),
        )
    };
    let heading = btext("heading", HEADING_MAX)?;
    let subheading = btext("subheading", SUBHEADING_MAX)?;
    let primary_color = pick(
        fields::color(bget("primary_color"), "branding.primary_color").map(Value::from),
        &|| Value::from(""),
    )?;
    let attachment = pick(
        fields::id(
            bget("logo_attachment_id"),
            "branding.logo_attachment_id",
            C::InvalidLogo,
        )
        .map(Value::from),
        &|| Value::from(0),
    )?;
    let attachment_id = attachment.as_i64().unwrap_or(0);
    let logo_mode = match bget("logo_mode") {
        // Legacy rows have no mode: a chosen image meant a custom logo.
        Value::Null if attachment_id > 0 => "custom",
        Value::Null => "default",
        v => match fields::choice(v, "branding.logo_mode", LOGO_MODES, C::InvalidLogo) {
            Ok(m) => m,
            Err(e) if strict => return Err(e),
            Err(_) => "default",
        },
    };
    let logo_mode = if logo_mode == "custom" && attachment_id == 0 {
        if strict {
            return Err(ProfileError::new(
                C::LogoRequired,
                "branding.logo_attachment_id",
                "A custom logo needs an image: choose one, or use the default logo or none.",
            ));
        }
        "default"
    } else {
        logo_mode
    };

    let custom_path = pick(
        fields::custom_path(get("custom_path"), "custom_path").map(Value::from),
        &|| Value::from(""),
    )?;
    let post_login_redirect = pick(
        fields::redirect(get("post_login_redirect"), "post_login_redirect").map(Value::from),
        &|| Value::from(""),
    )?;
    let forward_query_args = flag(&input, "forward_query_args", "forward_query_args", false)?;
    let mode = match get("mode") {
        Value::Null => Value::from("custom"),
        v => pick(
            fields::choice(v, "mode", MODES, C::InvalidMode).map(Value::from),
            &|| Value::from("custom"),
        )?,
    };

    let mut out = Map::new();
    out.insert("id".into(), Value::from(id));
    out.insert("slug".into(), slug);
    out.insert("title".into(), title);
    out.insert("methods".into(), methods);
    out.insert("organization_id".into(), organization_id);
    out.insert("signup".into(), signup);
    out.insert("invite_flow".into(), invite_flow);
    out.insert("password_reset_flow".into(), password_reset_flow);
    out.insert("auto_login_after_reset".into(), auto_login_after_reset);
    out.insert(
        "mfa".into(),
        json!({ "enforce": enforce, "factors": factors }),
    );
    out.insert(
        "branding".into(),
        json!({
            "heading": heading,
            "subheading": subheading,
            "primary_color": primary_color,
            "logo_mode": logo_mode,
            "logo_attachment_id": attachment_id,
        }),
    );
    out.insert("custom_path".into(), custom_path);
    out.insert("post_login_redirect".into(), post_login_redirect);
    out.insert("forward_query_args".into(), forward_query_args);
    out.insert("mode".into(), mode);
    Ok(Value::Object(out))
}

/// The reference's default title: the slug with `-`/`_` as spaces, each
/// word capitalised; `Untitled` without a slug.
pub fn title_from_slug(slug: &str) -> String {
    let words: Vec<String> = slug
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "Untitled".into()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_reference() {
        let d = defaults();
        assert_eq!(d["id"], 0);
        assert_eq!(d["slug"], "");
        assert_eq!(d["title"], "Untitled");
        assert_eq!(d["methods"], json!(["password", "magic_code"]));
        assert_eq!(d["organization_id"], "");
        assert_eq!(
            d["signup"],
            json!({"enabled": false, "require_invite": false})
        );
        assert_eq!(d["invite_flow"], true);
        assert_eq!(d["password_reset_flow"], true);
        assert_eq!(d["auto_login_after_reset"], true);
        assert_eq!(
            d["mfa"],
            json!({"enforce": "if_required", "factors": ["totp"]})
        );
        assert_eq!(
            d["branding"],
            json!({"heading": "", "subheading": "", "primary_color": "",
                   "logo_mode": "default", "logo_attachment_id": 0})
        );
        assert_eq!(d["custom_path"], "");
        assert_eq!(d["post_login_redirect"], "");
        assert_eq!(d["forward_query_args"], false);
        assert_eq!(d["mode"], "custom");
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "slug",
                "title",
                "methods",
                "organization_id",
                "signup",
                "invite_flow",
                "password_reset_flow",
                "auto_login_after_reset",
                "mfa",
                "branding",
                "custom_path",
                "post_login_redirect",
                "forward_query_args",
                "mode"
            ]
        );
    }

    #[test]
    fn normalize_drops_unknown_keys_and_never_fails() {
        let n = normalize(&json!({"slug": "Members", "evil": 1, "branding": {"x": 2}}));
        assert_eq!(n["slug"], "members");
        assert_eq!(n["title"], "Members");
        assert!(n.get("evil").is_none());
        assert!(n["branding"].get("x").is_none());
        for junk in [
            json!(null),
            json!(5),
            json!("x"),
            json!([1, 2]),
            json!({"methods": 7, "mfa": "x", "branding": [1], "signup": "y"}),
        ] {
            let n = normalize(&junk);
            assert_eq!(n["methods"], json!(["password", "magic_code"]), "{junk}");
            assert_eq!(n["mfa"]["enforce"], "if_required");
        }
    }

    #[test]
    fn normalize_repairs_what_it_can() {
        let n = normalize(&json!({
            "slug": " Team Login! ",
            "methods": ["passkey", "nope", "password", "password"],
            "mfa": {"enforce": "sometimes", "factors": ["sms", "carrier-pigeon"]},
            "branding": {"primary_color": "red", "logo_mode": "custom", "heading": "Hi\u{0007} there"},
            "custom_path": "wp-admin",
            "organization_id": "acme",
            "post_login_redirect": "javascript:alert(1)",
            "mode": "other",
            "invite_flow": "maybe",
        }));
        assert_eq!(n["slug"], "team-login");
        assert_eq!(n["methods"], json!(["password", "passkey"]));
        assert_eq!(
            n["mfa"],
            json!({"enforce": "if_required", "factors": ["sms"]})
        );
        assert_eq!(n["branding"]["primary_color"], "");
        assert_eq!(n["branding"]["logo_mode"], "default"); // custom without an image
        assert_eq!(n["branding"]["heading"], "Hi there");
        assert_eq!(n["custom_path"], "");
        assert_eq!(n["organization_id"], "");
        assert_eq!(n["post_login_redirect"], "");
        assert_eq!(n["mode"], "custom");
        assert_eq!(n["invite_flow"], true);
    }

    #[test]
    fn legacy_rows_with_an_image_and_no_mode_use_it() {
        let n = normalize(&json!({"slug": "a", "branding": {"logo_attachment_id": 12}}));
        assert_eq!(n["branding"]["logo_mode"], "custom");
        assert_eq!(n["branding"]["logo_attachment_id"], 12);
        let n = normalize(
            &json!({"slug": "a", "branding": {"logo_attachment_id": "12", "logo_mode": "none"}}),
        );
        assert_eq!(n["branding"]["logo_mode"], "none");
    }

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_from_slug("team-login_page"), "Team Login Page");
        assert_eq!(title_from_slug(""), "Untitled");
        assert_eq!(title_from_slug("--"), "Untitled");
    }
}
