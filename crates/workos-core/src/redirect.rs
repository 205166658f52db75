//! Which redirect targets are safe after sign-in.
//!
//! Only URLs on the site's own origin (scheme, host and port) or on hosts the
//! site explicitly allows are accepted. Everything is resolved against the
//! site URL first, so tricks such as `//evil.example`, `/\evil.example`,
//! `https:evil.example` or embedded credentials are judged by where a browser
//! would really go.

use url::Url;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RedirectError {
    #[error("site URL is not an absolute http(s) URL")]
    BadSiteUrl,
}

/// Returns the absolute URL to redirect to, or `None` when `target` is unsafe.
pub fn validate(
    target: &str,
    site_url: &str,
    allowed_hosts: &[String],
) -> Result<Option<String>, RedirectError> {
    let site = Url::parse(site_url).map_err(|_| RedirectError::BadSiteUrl)?;
    if !matches!(site.scheme(), "http" | "https") || site.host_str().is_none() {
        return Err(RedirectError::BadSiteUrl);
    }
    let target = target.trim_matches(|c: char| c == ' ');
    if target.is_empty() || target.chars().any(|c| c.is_control()) {
        return Ok(None);
    }
    let Ok(resolved) = site.join(target) else {
        return Ok(None);
    };
    if !matches!(resolved.scheme(), "http" | "https")
        || !resolved.username().is_empty()
        || resolved.password().is_some()
    {
        return Ok(None);
    }
    let Some(host) = resolved.host_str() else {
        return Ok(None);
    };
    let same_origin = resolved.scheme() == site.scheme()
        && host.eq_ignore_ascii_case(site.host_str().unwrap_or_default())
        && resolved.port_or_known_default() == site.port_or_known_default();
    let allowed = allowed_hosts
        .iter()
        .any(|h| !h.is_empty() && h.eq_ignore_ascii_case(host) && resolved.port().is_none());
    Ok((same_origin || allowed).then(|| resolved.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "http://127.0.0.1:8080/";

    fn check(target: &str) -> Option<String> {
        validate(target, SITE, &["docs.example.com".to_string()]).unwrap()
    }

    #[test]
    fn accepts_paths_and_same_origin_urls() {
        assert_eq!(
            check("/wp-admin/").as_deref(),
            Some("http://127.0.0.1:8080/wp-admin/")
        );
        assert_eq!(
            check("http://127.0.0.1:8080/a?b=c#d").as_deref(),
            Some("http://127.0.0.1:8080/a?b=c#d")
        );
        assert_eq!(
            check("https://docs.example.com/x").as_deref(),
            Some("https://docs.example.com/x")
        );
    }

    #[test]
    fn refuses_other_origins_and_tricks() {
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
            "http://127.0.0.1:9999/",
            "https://127.0.0.1:8080/",
            "http://user:pw@127.0.0.1:8080/",
            "http://127.0.0.1:8080@evil.example/",
            "javascript:alert(1)",
            "data:text/html,hi",
            "/ok\r\nLocation: https://evil.example",
            "https://docs.example.com:8443/",
            "",
        ] {
            assert_eq!(check(bad), None, "{bad}");
        }
    }

    #[test]
    fn rejects_bad_site_url() {
        assert_eq!(
            validate("/", "not a url", &[]),
            Err(RedirectError::BadSiteUrl)
        );
        assert_eq!(
            validate("/", "ftp://x/", &[]),
            Err(RedirectError::BadSiteUrl)
        );
    }
}
