//! The AuthKit authorization URL (`GET /user_management/authorize`).

use std::collections::BTreeMap;

use super::{ApiError, Client};

/// Parameters the caller may set; anything else is refused so that a typo is
/// an error rather than a silently ignored option.
const ALLOWED: &[&str] = &[
    "redirect_uri",
    "state",
    "provider",
    "organization_id",
    "connection_id",
    "login_hint",
    "screen_hint",
    "domain_hint",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "max_age",
];

const PROVIDERS: &[&str] = &[
    "authkit",
    "GoogleOAuth",
    "MicrosoftOAuth",
    "GitHubOAuth",
    "AppleOAuth",
];

pub type AuthorizeParams = BTreeMap<String, String>;

impl Client {
    pub fn authorization_url(&self, params: &AuthorizeParams) -> Result<String, ApiError> {
        let bad = |m: String| Err(ApiError::InvalidInput(m));
        if let Some(unknown) = params.keys().find(|k| !ALLOWED.contains(&k.as_str())) {
            return bad(format!("unknown authorization parameter {unknown:?}"));
        }
        let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let Some(redirect_uri) = get("redirect_uri") else {
            return bad("redirect_uri is required".into());
        };
        match url::Url::parse(redirect_uri) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.fragment().is_none() => {}
            _ => {
                return bad("redirect_uri must be an absolute http(s) URL without fragment".into())
            }
        }
        if let Some(p) = get("provider") {
            if !PROVIDERS.contains(&p) {
                return bad(format!("provider must be one of {}", PROVIDERS.join(", ")));
            }
        }
        if let Some(h) = get("screen_hint") {
            if !matches!(h, "sign-in" | "sign-up") {
                return bad("screen_hint must be sign-in or sign-up".into());
            }
        }
        // Seconds since the person last actively signed in; `0` forces a fresh sign-in.
        if let Some(age) = get("max_age") {
            if age.parse::<u32>().is_err() {
                return bad("max_age must be a whole number of seconds (0 or more)".into());
            }
        }
        if get("code_challenge_method").is_some_and(|m| m != "S256") {
            return bad("code_challenge_method must be S256".into());
        }
        if get("code_challenge_method").is_some() && get("code_challenge").is_none() {
            return bad("code_challenge_method given without code_challenge".into());
        }

        let mut url = self.url(&["user_management", "authorize"])?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &self.config().client_id);
            q.append_pair("redirect_uri", redirect_uri);
            q.append_pair("response_type", "code");
            // WorkOS needs one of provider / connection / organization.
            let pinned = get("organization_id").is_some() || get("connection_id").is_some();
            match get("provider") {
                Some(p) => {
                    q.append_pair("provider", p);
                }
                None if !pinned => {
                    q.append_pair("provider", "authkit");
                }
                None => {}
            }
            for key in [
                "organization_id",
                "connection_id",
                "login_hint",
                "screen_hint",
                "domain_hint",
                "prompt",
                "max_age",
                "state",
                "code_challenge",
            ] {
                if let Some(v) = get(key) {
                    q.append_pair(key, v);
                }
            }
            if get("code_challenge").is_some() {
                q.append_pair("code_challenge_method", "S256");
            }
        }
        Ok(url.into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    fn client() -> Client {
        Client::new(Config::new("sk_test", "client_1")).unwrap()
    }

    fn params(pairs: &[(&str, &str)]) -> AuthorizeParams {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn query(url: &str) -> BTreeMap<String, String> {
        url::Url::parse(url)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }

    #[test]
    fn builds_authkit_url_with_state_and_pkce() {
        let url = client()
            .authorization_url(&params(&[
                ("redirect_uri", "https://site.test/workos/callback"),
                ("state", "a.b&c"),
                (
                    "code_challenge",
                    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                ),
                ("login_hint", "a+b@example.com"),
            ]))
            .unwrap();
        assert!(url.starts_with("https://api.workos.com/user_management/authorize?"));
        let q = query(&url);
        assert_eq!(q["client_id"], "client_1");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["provider"], "authkit");
        assert_eq!(q["state"], "a.b&c");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["login_hint"], "a+b@example.com");
    }

    #[test]
    fn pinned_organization_needs_no_provider() {
        let url = client()
            .authorization_url(&params(&[
                ("redirect_uri", "https://site.test/cb"),
                ("organization_id", "org_1"),
            ]))
            .unwrap();
        let q = query(&url);
        assert_eq!(q["organization_id"], "org_1");
        assert!(!q.contains_key("provider"));
    }

    #[test]
    fn max_age_asks_for_a_fresh_sign_in() {
        let url = client()
            .authorization_url(&params(&[
                ("redirect_uri", "https://site.test/cb"),
                ("max_age", "0"),
            ]))
            .unwrap();
        assert_eq!(query(&url)["max_age"], "0");
        for bad in ["-1", "soon", "1.5"] {
            assert!(client()
                .authorization_url(&params(&[
                    ("redirect_uri", "https://site.test/cb"),
                    ("max_age", bad),
                ]))
                .is_err());
        }
    }

    #[test]
    fn refuses_bad_parameters() {
        let c = client();
        for p in [
            params(&[]),
            params(&[("redirect_uri", "/relative")]),
            params(&[("redirect_uri", "javascript:x")]),
            params(&[("redirect_uri", "https://s/cb"), ("provider", "Evil")]),
            params(&[("redirect_uri", "https://s/cb"), ("screen_hint", "x")]),
            params(&[
                ("redirect_uri", "https://s/cb"),
                ("code_challenge_method", "plain"),
            ]),
            params(&[("redirect_uri", "https://s/cb"), ("client_secret", "x")]),
        ] {
            assert!(
                matches!(c.authorization_url(&p), Err(ApiError::InvalidInput(_))),
                "{p:?}"
            );
        }
    }
}
