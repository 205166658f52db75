//! The WorkOS API client.
//!
//! One `Client` holds the credentials of a site; the HTTP connections behind it
//! come from a per-worker pool on a per-worker tokio runtime (`runtime`), so a
//! PHP worker keeps its keep-alive (TLS, HTTP/2 when offered) connection to
//! WorkOS from one request to the next.

mod audit_logs;
mod auth_factors;
mod authorize;
mod bulk;
mod call;
mod connections;
mod directories;
mod error;
mod http;
mod invitations;
mod magic_auth;
mod memberships;
mod organizations;
pub mod pacing;
mod params;
mod password_reset;
mod runtime;
mod sessions;
mod user_management;
mod users;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use authorize::AuthorizeParams;
pub use bulk::{BulkCall, MAX_CONCURRENCY};
pub use call::{parse, parse_list, Call, DeserializeOwned};
pub use error::{ApiError, HttpError};
pub use http::{parse_retry_after, MAX_BODY, MAX_RETRY_WAIT, RETRY_AFTER_CAP};
pub use invitations::NewInvitation;
pub use memberships::{MembershipFilters, MembershipStatus};
pub use organizations::OrganizationFilters;
pub use params::{check_email, check_id, prefix, Order, Page, MAX_PAGE_LIMIT};
pub use runtime::CaBundle;
pub use user_management::check_grant;
pub use users::{NewUser, UserChanges, UserFilters};

pub const DEFAULT_BASE_URL: &str = "https://api.workos.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_RETRIES: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub api_key: String,
    pub client_id: String,
    pub base_url: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_retries: u32,
    /// A PEM file of CA certificates trusted in addition to the built-in
    /// (webpki) roots, e.g. a test CA.
    pub ca_file: Option<PathBuf>,
}

impl Config {
    pub fn new(api_key: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            client_id: client_id.into(),
            base_url: DEFAULT_BASE_URL.into(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            ca_file: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    config: Config,
    base: url::Url,
    /// The certificates of `config.ca_file`, read when the client is built.
    ca: Option<Arc<CaBundle>>,
}

impl Client {
    pub fn new(mut config: Config) -> Result<Self, ApiError> {
        if config.api_key.trim().is_empty() {
            return Err(ApiError::InvalidConfig("api_key is required".into()));
        }
        if config.client_id.trim().is_empty() {
            return Err(ApiError::InvalidConfig("client_id is required".into()));
        }
        if config.timeout.is_zero() || config.timeout > Duration::from_secs(120) {
            return Err(ApiError::InvalidConfig(
                "timeout must be 1 ms to 120 s".into(),
            ));
        }
        if config.connect_timeout.is_zero() || config.connect_timeout > config.timeout {
            return Err(ApiError::InvalidConfig(
                "connect_timeout must be positive and not above timeout".into(),
            ));
        }
        if config.max_retries > 5 {
            return Err(ApiError::InvalidConfig("max_retries must be 0 to 5".into()));
        }
        let trimmed = config.base_url.trim().trim_end_matches('/').to_string();
        let base = url::Url::parse(&format!("{trimmed}/"))
            .map_err(|_| ApiError::InvalidConfig(format!("base_url {trimmed:?} is not a URL")))?;
        let loopback = matches!(
            base.host(),
            Some(url::Host::Ipv4(ip)) if ip.is_loopback()
        ) || matches!(base.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
            || base.host_str() == Some("localhost");
        // The API key must never cross a network in clear text.
        match base.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => {
                return Err(ApiError::InvalidConfig(
                    "base_url must be https (http only for loopback hosts)".into(),
                ))
            }
        }
        if base.query().is_some() || base.fragment().is_some() || !base.username().is_empty() {
            return Err(ApiError::InvalidConfig(
                "base_url must not carry a query, fragment or credentials".into(),
            ));
        }
        // The client id is a path segment of the JWKS URL.
        check_segment(&config.client_id)
            .map_err(|_| ApiError::InvalidConfig("client_id is not a valid id".into()))?;
        let ca = match &config.ca_file {
            Some(path) => Some(runtime::load_ca(path).map_err(|e| {
                ApiError::InvalidConfig(format!("ca_file {}: {e}", path.display()))
            })?),
            None => None,
        };
        config.base_url = trimmed;
        Ok(Self { config, base, ca })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Absolute URL of an API path built from segments, each percent-encoded
    /// so an id can never change which endpoint is called. Segments that a
    /// server or proxy could still read as path navigation are refused:
    /// `.`/`..` in any case and any depth of percent-encoding (`%2e%2E`,
    /// `%252e`), and anything that decodes to a `/`, `\` or control byte.
    pub fn url(&self, segments: &[&str]) -> Result<url::Url, ApiError> {
        for segment in segments {
            check_segment(segment)?;
        }
        let mut url = self.base.clone();
        {
            let mut path = url.path_segments_mut().expect("http(s) URLs have paths");
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        Ok(url)
    }
}

/// Percent-decoding rounds tried on a segment: each layer of encoding a
/// proxy might undo. Deeper nesting is refused outright.
const MAX_DECODE_ROUNDS: usize = 4;

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Whether one API path segment is safe to send (see [`Client::url`]).
pub fn check_segment(segment: &str) -> Result<(), ApiError> {
    let refuse = |why: &str| {
        Err(ApiError::InvalidInput(format!(
            "path segment {segment:?} {why}"
        )))
    };
    if segment.is_empty() {
        return refuse("is empty");
    }
    let mut current = segment.as_bytes().to_vec();
    for round in 0..=MAX_DECODE_ROUNDS {
        if current == b"." || current == b".." {
            return refuse("is a relative path step");
        }
        if current
            .iter()
            .any(|&b| b == b'/' || b == b'\\' || b.is_ascii_control())
        {
            return refuse("contains a slash or a control character");
        }
        let decoded = percent_decode(&current);
        if decoded == current {
            return Ok(());
        }
        if round == MAX_DECODE_ROUNDS {
            break;
        }
        current = decoded;
    }
    refuse("is percent-encoded too many times")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(base: &str) -> Config {
        let mut c = Config::new("sk_test", "client_1");
        c.base_url = base.into();
        c
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        assert!(Client::new(cfg("https://api.workos.com")).is_ok());
        assert!(Client::new(cfg("http://127.0.0.1:8484/")).is_ok());
        assert!(Client::new(cfg("http://localhost:1")).is_ok());
    }

    #[test]
    fn refuses_plain_http_to_remote_hosts_and_odd_urls() {
        for base in [
            "http://api.workos.com",
            "ftp://x",
            "nope",
            "https://u:p@x.com",
            "https://x.com/?a=1",
        ] {
            assert!(
                matches!(Client::new(cfg(base)), Err(ApiError::InvalidConfig(_))),
                "{base}"
            );
        }
    }

    #[test]
    fn refuses_missing_credentials_and_bad_timeouts() {
        assert!(Client::new(Config::new("", "c")).is_err());
        assert!(Client::new(Config::new("k", " ")).is_err());
        let mut c = Config::new("k", "c");
        c.timeout = Duration::ZERO;
        assert!(Client::new(c).is_err());
    }

    #[test]
    fn encodes_path_segments() {
        let client = Client::new(cfg("https://api.workos.com/base/")).unwrap();
        let url = client
            .url(&["user_management", "users", "user_1?x=1#y %"])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.workos.com/base/user_management/users/user_1%3Fx=1%23y%20%25"
        );
    }

    #[test]
    fn refuses_dot_segments_in_any_spelling() {
        let client = Client::new(cfg("https://api.workos.com")).unwrap();
        for bad in [
            ".",
            "..",
            "%2e",
            "%2E%2e",
            ".%2E",
            "%2e.",
            "%252e%252E",
            "%25252e%25252e",
            "../organizations",
            "..%2forganizations",
            "..%5C",
            "a\\b",
            "user\0",
            "%00",
            "",
            "%2525252525252e",
        ] {
            assert!(
                matches!(
                    client.url(&["user_management", "users", bad]),
                    Err(ApiError::InvalidInput(_))
                ),
                "{bad:?}"
            );
        }
        for good in ["...", "user_01H", "a.b", "%zz", "%2", "%"] {
            assert!(client.url(&["users", good]).is_ok(), "{good:?}");
        }
    }
}
