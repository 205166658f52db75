// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use std::time::Duration;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Value};
use workos_core::client::{self as core, AuthorizeParams, BulkCall, MAX_CONCURRENCY};
use workos_core::jwks_cache;

use super::{convert, exceptions, guard::guard};

const OPTION_KEYS: &[&str] = &[
    "api_key",
    "client_id",
    "base_url",
    "timeout",
    "connect_timeout",
    "max_retries",
    "jwks_cache_dir",
    "jwks_cache_secret",
];

/// A WorkOS API client. Connections come from a keep-alive pool owned by the
/// PHP worker process, so they outlive the request that built the client.
/// The API key is never exposed back to PHP (not in `var_dump` either).
#[php_class]
#[php(name = "WorkOS\\Native\\Client")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Client {
    inner: core::Client,
    jwks_cache_dir: Option<std::path::PathBuf>,
    /// Authenticates the JWKS file cache; never exposed back to PHP.
    jwks_cache_secret: Option<Vec<u8>>,
}

fn seconds(map: &Map<String, Value>, key: &str, default: Duration) -> PhpResult<Duration> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_f64()
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= 120.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| {
                exceptions::invalid(format!("options[{key}] must be seconds in (0, 120]"))
            }),
    }
}

fn string_arg(value: &str, name: &str) -> PhpResult<()> {
    if value.trim().is_empty() {
        Err(exceptions::invalid(format!("{name} must not be empty")))
    } else {
        Ok(())
    }
}

#[php_impl]
impl Client {
    /// @param array{api_key: string, client_id: string, base_url?: string,
    ///              timeout?: float, connect_timeout?: float, max_retries?: int,
    ///              jwks_cache_dir?: string, jwks_cache_secret?: string} $options
    ///        `base_url` defaults to https://api.workos.com; plain http is
    ///        accepted only for loopback hosts. Timeouts are in seconds.
    ///        The JWKS file cache is used only with both `jwks_cache_dir`
    ///        (absolute; a private 0700 directory of the PHP user, created if
    ///        missing, ignored otherwise) and `jwks_cache_secret` (a site
    ///        secret of at least 16 bytes that authenticates every entry).
    /// @throws \WorkOS\Native\InvalidArgumentException on a bad option.
    pub fn __construct(options: &ZendHashTable) -> PhpResult<Self> {
        guard(|| {
            let map = convert::options(Some(options), "options", OPTION_KEYS)
                .map_err(exceptions::invalid)?;
            let text =
                |k: &str| convert::opt_string(&map, k, "options").map_err(exceptions::invalid);
            let mut cfg = core::Config::new(
                text("api_key")?.unwrap_or_default(),
                text("client_id")?.unwrap_or_default(),
            );
            if let Some(base) = text("base_url")?.filter(|b| !b.is_empty()) {
                cfg.base_url = base;
            }
            cfg.timeout = seconds(&map, "timeout", core::DEFAULT_TIMEOUT)?;
            cfg.connect_timeout = seconds(
                &map,
                "connect_timeout",
                core::DEFAULT_CONNECT_TIMEOUT.min(cfg.timeout),
            )?;
            if let Some(r) =
                convert::opt_int(&map, "max_retries", "options").map_err(exceptions::invalid)?
            {
                cfg.max_retries = u32::try_from(r)
                    .map_err(|_| exceptions::invalid("options[max_retries] must be 0 to 5"))?;
            }
            let jwks_cache_dir = text("jwks_cache_dir")?
                .filter(|d| !d.is_empty())
                .map(std::path::PathBuf::from);
            if jwks_cache_dir.as_ref().is_some_and(|d| !d.is_absolute()) {
                return Err(exceptions::invalid(
                    "options[jwks_cache_dir] must be an absolute path",
                ));
            }
            let jwks_cache_secret = text("jwks_cache_secret")?
                .filter(|s| !s.is_empty())
                .map(String::into_bytes);
            if jwks_cache_secret
                .as_ref()
                .is_some_and(|s| s.len() < jwks_cache::MIN_SECRET_LEN)
            {
                return Err(exceptions::invalid(format!(
                    "options[jwks_cache_secret] must be at least {} bytes",
                    jwks_cache::MIN_SECRET_LEN
                )));
            }
            let inner = core::Client::new(cfg).map_err(exceptions::api)?;
            Ok(Self {
                inner,
                jwks_cache_dir,
                jwks_cache_secret,
            })
        })
    }

    /// Why `$dir` would not be used as the JWKS file cache (it must be an
    /// absolute path to a directory owned by the PHP user with mode 0700,
    /// not a symlink; it is created so when missing), or null when it is
    /// fine. For Site Health.
    pub fn jwks_cache_dir_problem(dir: &str) -> PhpResult<Option<String>> {
        guard(|| {
            Ok(jwks_cache::ensure_private_dir(std::path::Path::new(dir))
                .err()
                .map(|e| e.to_string()))
        })
    }

    /// The client id this client authenticates as.
    pub fn get_client_id(&self) -> String {
        self.inner.config().client_id.clone()
    }

    /// The API base URL, without a trailing slash.
    pub fn get_base_url(&self) -> String {
        self.inner.config().base_url.clone()
    }

    /// The AuthKit authorization URL (`GET /user_management/authorize`).
    ///
    /// @param array{redirect_uri: string, state?: string, provider?: string,
    ///              organization_id?: string, connection_id?: string,
    ///              login_hint?: string, screen_hint?: string, domain_hint?: string,
    ///              code_challenge?: string, code_challenge_method?: string,
    ///              prompt?: string} $params
    ///        `provider` defaults to `authkit` unless an organization or
    ///        connection is pinned; a `code_challenge` is always sent as S256.
    pub fn authorization_url(&self, params: &ZendHashTable) -> PhpResult<String> {
        guard(|| {
            let value =
                convert::from_hashtable(params, "params", 0).map_err(exceptions::invalid)?;
            let mut out = AuthorizeParams::new();
            if let Value::Object(map) = value {
                for (k, v) in map {
                    match v {
                        Value::String(s) => {
                            out.insert(k, s);
                        }
                        Value::Null => {}
                        _ => {
                            return Err(exceptions::invalid(format!(
                                "params[{k}] must be a string"
                            )))
                        }
                    }
                }
            } else if !matches!(value, Value::Array(ref a) if a.is_empty()) {
                return Err(exceptions::invalid(
                    "params must be an array with string keys",
                ));
            }
            self.inner.authorization_url(&out).map_err(exceptions::api)
        })
    }

    /// Exchanges an authorization code (with its PKCE verifier) for the user
    /// and tokens: `['user' => [...], 'access_token' => ..., 'refresh_token'
    /// => ..., 'organization_id' => ..., 'authentication_method' => ...]`.
    ///
    /// @throws \WorkOS\Native\ApiException with WorkOS's status, code and body.
    #[php(optional = "codeVerifier")]
    pub fn authenticate_with_code(
        &self,
        code: &str,
        codeVerifier: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(code, "code")?;
            self.inner
                .authenticate_with_code(code, codeVerifier.as_deref())
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// The password grant. Step-up answers (`email_verification_required`,
    /// `mfa_enrollment`, `mfa_challenge`, `organization_selection_required`)
    /// are thrown as ApiException with the pending token in getBody().
    pub fn authenticate_with_password(
        &self,
        email: &str,
        password: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(email, "email")?;
            string_arg(password, "password")?;
            self.inner
                .authenticate_with_password(email, password)
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// The refresh-token grant; refresh tokens rotate, so store the new one.
    #[php(optional = "organizationId")]
    pub fn authenticate_with_refresh_token(
        &self,
        refreshToken: &str,
        organizationId: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(refreshToken, "refresh_token")?;
            self.inner
                .authenticate_with_refresh_token(refreshToken, organizationId.as_deref())
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// Any grant of `POST /user_management/authenticate` (e.g. magic-auth
    /// code, email verification, MFA TOTP, organization selection); the client
    /// credentials are added by the extension.
    pub fn authenticate(&self, grant: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let map =
                match convert::from_hashtable(grant, "grant", 0).map_err(exceptions::invalid)? {
                    Value::Object(map) => map,
                    _ => {
                        return Err(exceptions::invalid(
                            "grant must be an array with string keys",
                        ))
                    }
                };
            if map.contains_key("client_secret") || map.contains_key("client_id") {
                return Err(exceptions::invalid(
                    "grant must not carry client credentials",
                ));
            }
            self.inner
                .authenticate(map)
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// `GET /user_management/users/{id}`.
    pub fn get_user(&self, userId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(userId, "userId")?;
            self.inner
                .get_user(userId)
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// The JWKS for this client id as JSON text, ready for
    /// AccessToken::verify() and for caching.
    pub fn get_jwks(&self) -> PhpResult<String> {
        guard(|| {
            let set = self.inner.get_jwks().map_err(exceptions::api)?;
            serde_json::to_string(&set).map_err(|e| exceptions::internal(e.to_string()))
        })
    }

    /// Verifies an access token issued for this client: the JWKS comes from
    /// process memory, then the `jwks_cache_dir` file cache (entries
    /// authenticated with `jwks_cache_secret`), then WorkOS
    /// (`GET /sso/jwks/{client_id}`); an unknown `kid` refetches at most once a
    /// minute, and a failed fetch is not retried for 10 seconds. `$expect` is
    /// as for AccessToken::verify().
    ///
    /// @param array{issuer?: string, audience?: string, leeway?: int, now?: int} $expect
    /// @throws \WorkOS\Native\TokenException (reason `jwks_unavailable` when no
    ///         keys could be had).
    #[php(optional = "expect")]
    pub fn verify_access_token(
        &self,
        token: &str,
        expect: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let expect = super::access_token::read_expect(expect)?;
            let kid = workos_core::token::peek_kid(token).map_err(exceptions::token)?;
            let cfg = self.inner.config();
            let key = format!("{}|{}", cfg.base_url, cfg.client_id);
            let source = jwks_cache::Source::new(&key).with_file_cache(
                self.jwks_cache_dir.as_deref(),
                self.jwks_cache_secret.as_deref(),
            );
            let fetch = || {
                self.inner
                    .get_jwks()
                    .map(|v| v.to_string())
                    .map_err(|e| e.to_string())
            };
            let keys = jwks_cache::keys_for(&source, &kid, workos_core::now_secs(), fetch)
                .map_err(|e| match e {
                    jwks_cache::CacheError::Token(t) => exceptions::token(t),
                    jwks_cache::CacheError::Fetch(m) => exceptions::jwks_unavailable(m),
                })?;
            workos_core::token::verify(token, &keys, &expect)
                .map_err(exceptions::token)
                .and_then(|claims| convert::to_array(&claims).map_err(exceptions::internal))
        })
    }

    /// Records an event in WorkOS Audit Logs (`POST /audit_logs/events`).
    /// `$event` needs `action`, `occurred_at` (RFC 3339), `actor` {id, type},
    /// `targets` [{id, type}…] and `context` {location}; it is checked before
    /// anything is sent. Reuse `$idempotencyKey` when retrying the same event.
    ///
    /// @throws \WorkOS\Native\InvalidArgumentException for a malformed event.
    /// @throws \WorkOS\Native\ApiException when WorkOS refuses or is unreachable.
    pub fn create_audit_log_event(
        &self,
        organizationId: &str,
        event: &ZendHashTable,
        idempotencyKey: Option<String>,
    ) -> PhpResult<()> {
        guard(|| {
            let event = convert::from_hashtable(event, "event", 0).map_err(exceptions::invalid)?;
            self.inner
                .create_audit_log_event(organizationId, &event, idempotencyKey.as_deref())
                .map_err(exceptions::api)
        })
    }

    /// Many raw API calls with up to `$concurrency` (1–32) in flight, for
    /// bulk work. Each call is `['method' => 'POST', 'path' => [...segments],
    /// 'query' => [...]?, 'body' => [...]?]`; each result, in the same order,
    /// is `['ok' => true, 'body' => …]` or `['ok' => false, 'status' => int,
    /// 'code' => ?string, 'message' => string, 'body' => …]`. Retries on 429
    /// and 5xx honour `Retry-After`, as for single calls.
    ///
    /// @param list<array{method: string, path: list<string>, query?: array, body?: array}> $calls
    /// @throws \WorkOS\Native\InvalidArgumentException for a malformed call (nothing is sent).
    #[php(defaults(concurrency = 8))]
    pub fn request_many(&self, calls: &ZendHashTable, concurrency: i64) -> PhpResult<Zval> {
        guard(|| {
            let parsed = convert::from_hashtable(calls, "calls", 0).map_err(exceptions::invalid)?;
            let Value::Array(list) = parsed else {
                return Err(exceptions::invalid("calls must be a list"));
            };
            let mut batch = Vec::with_capacity(list.len());
            for (i, call) in list.into_iter().enumerate() {
                batch.push(
                    bulk_call(call).map_err(|e| exceptions::invalid(format!("calls[{i}]: {e}")))?,
                );
            }
            let workers =
                usize::try_from(concurrency.clamp(1, MAX_CONCURRENCY as i64)).unwrap_or(1);
            let results: Vec<Value> = self
                .inner
                .request_many(&batch, workers)
                .into_iter()
                .map(|r| match r {
                    Ok(body) => serde_json::json!({"ok": true, "body": body}),
                    Err(e) => serde_json::json!({
                        "ok": false,
                        "status": e.status(),
                        "code": e.code(),
                        "message": e.to_string(),
                        "body": e.body(),
                    }),
                })
                .collect();
            Ok(convert::to_zval(&Value::Array(results)))
        })
    }

    /// A raw API call for endpoints without a dedicated method. `$path` is a
    /// list of segments, each URL-encoded (an id can never change which
    /// endpoint is called).
    ///
    /// @param list<string> $path e.g. ['user_management', 'users', $id]
    #[php(optional = "query")]
    pub fn request(
        &self,
        method: &str,
        path: &ZendHashTable,
        query: Option<&ZendHashTable>,
        body: Option<&ZendHashTable>,
    ) -> PhpResult<Zval> {
        guard(|| {
            let mut pairs = Vec::new();
            if let Some(q) = query {
                if let Value::Object(map) =
                    convert::from_hashtable(q, "query", 0).map_err(exceptions::invalid)?
                {
                    for (k, v) in map {
                        let v = match v {
                            Value::String(s) => s,
                            Value::Number(n) => n.to_string(),
                            Value::Bool(b) => b.to_string(),
                            _ => {
                                return Err(exceptions::invalid(format!(
                                    "query[{k}] must be scalar"
                                )))
                            }
                        };
                        pairs.push((k, v));
                    }
                }
            }
            let body = match body {
                Some(b) => {
                    Some(convert::from_hashtable(b, "body", 0).map_err(exceptions::invalid)?)
                }
                None => None,
            };
            let path = convert::string_list(path, "path").map_err(exceptions::invalid)?;
            let segments: Vec<&str> = path.iter().map(String::as_str).collect();
            self.inner
                .request(method, &segments, &pairs, body.as_ref())
                .map(|v| convert::to_zval(&v))
                .map_err(exceptions::api)
        })
    }
}

/// One call of a requestMany() batch, from its PHP array.
fn bulk_call(call: Value) -> Result<BulkCall, String> {
    let Value::Object(mut map) = call else {
        return Err("must be an array with method and path".into());
    };
    let method = match map.remove("method") {
        Some(Value::String(m)) => m,
        _ => return Err("method must be a string".into()),
    };
    let path = match map.remove("path") {
        Some(Value::Array(segments)) => segments
            .into_iter()
            .map(|s| match s {
                Value::String(s) if !s.is_empty() => Ok(s),
                _ => Err("path segments must be non-empty strings".to_string()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err("path must be a list of segments".into()),
    };
    let query = match map.remove("query") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(q)) => q
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                Value::Number(n) => Ok((k, n.to_string())),
                Value::Bool(b) => Ok((k, b.to_string())),
                _ => Err(format!("query[{k}] must be scalar")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Array(a)) if a.is_empty() => Vec::new(),
        _ => return Err("query must be an array of scalars".into()),
    };
    let body = match map.remove("body") {
        None | Some(Value::Null) => None,
        Some(b @ (Value::Object(_) | Value::Array(_))) => Some(b),
        _ => return Err("body must be an array".into()),
    };
    if let Some(extra) = map.keys().next() {
        return Err(format!("unknown key '{extra}'"));
    }
    Ok(BulkCall {
        method,
        path,
        query,
        body,
    })
}
