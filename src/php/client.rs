// PHP named arguments make parameter names part of the API: they are
// camelCase like the rest of the PHP surface.
#![allow(non_snake_case)]

use std::time::Duration;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use serde_json::{Map, Value};
use workos_core::client::{self as core, AuthorizeParams, MAX_CONCURRENCY};
use workos_core::jwks_cache;
use workos_core::verify::{CacheSite, Verifier, VerifyError};

use super::{convert, exceptions, guard::guard};

const OPTION_KEYS: &[&str] = &[
    "api_key",
    "client_id",
    "base_url",
    "timeout",
    "connect_timeout",
    "max_retries",
    "ca_file",
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
    /// Verifies this client's access tokens; holds the per-host cache
    /// directory and its secret (never exposed back to PHP).
    verifier: Verifier,
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
    ///              ca_file?: string, jwks_cache_dir?: string,
    ///              jwks_cache_secret?: string} $options
    ///        `base_url` defaults to https://api.workos.com; plain http is
    ///        accepted only for loopback hosts. Timeouts are in seconds.
    ///        `ca_file` (default: the WORKOS_CA_FILE environment variable) is
    ///        an absolute path to PEM CA certificates trusted in addition to
    ///        the built-in roots, e.g. a test CA.
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
            // A CA to trust besides the built-in roots (a test WorkOS over
            // TLS): the option, else WORKOS_CA_FILE from the environment.
            cfg.ca_file = text("ca_file")?
                .or_else(|| std::env::var("WORKOS_CA_FILE").ok())
                .filter(|f| !f.is_empty())
                .map(std::path::PathBuf::from);
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
            let site = CacheSite {
                dir: jwks_cache_dir,
                secret: jwks_cache_secret,
            };
            Ok(Self {
                verifier: Verifier::for_client(&inner, site),
                inner,
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
    ///              prompt?: string, max_age?: string} $params
    ///        `provider` defaults to `authkit` unless an organization or
    ///        connection is pinned; a `code_challenge` is always sent as S256;
    ///        `max_age` (seconds, `0` forces a fresh sign-in) only with AuthKit.
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
    /// `$invitationToken` accepts an invitation with the sign-in.
    #[php(optional = "codeVerifier")]
    pub fn authenticate_with_code(
        &self,
        code: &str,
        codeVerifier: Option<String>,
        invitationToken: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(code, "code")?;
            self.inner
                .authenticate_with_code(code, codeVerifier.as_deref(), invitationToken.as_deref())
                .map_err(exceptions::api)
                .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
        })
    }

    /// The password grant. Step-up answers (`email_verification_required`,
    /// `mfa_enrollment`, `mfa_challenge`, `organization_selection_required`)
    /// are thrown as ApiException with the pending token in getBody().
    /// `$invitationToken` accepts an invitation with the sign-in.
    #[php(optional = "invitationToken")]
    pub fn authenticate_with_password(
        &self,
        email: &str,
        password: &str,
        invitationToken: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            string_arg(email, "email")?;
            string_arg(password, "password")?;
            self.inner
                .authenticate_with_password(email, password, invitationToken.as_deref())
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
    /// worker memory, then the per-host cache in `jwks_cache_dir` (a SQLite
    /// database every worker of the machine shares; entries authenticated
    /// with `jwks_cache_secret`), then WorkOS (`GET /sso/jwks/{client_id}`),
    /// fetched by one worker at a time; an unknown `kid` refetches at most
    /// once a minute per host, and a failed fetch is not retried for 10
    /// seconds. `$expect` is as for AccessToken::verify().
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
            self.verifier
                .verify(&self.inner, token, &expect)
                .map_err(|e| match e {
                    VerifyError::Token(t) => exceptions::token(t),
                    VerifyError::JwksUnavailable(m) => exceptions::jwks_unavailable(m),
                })
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

    // ----- Typed WorkOS endpoints (crates/workos-core/src/client/*.rs). Ids
    // are checked for their WorkOS shape (`user_…`, `org_…`, `om_…`,
    // `directory_…`, `session_…`) and emails for one mailbox before anything
    // is sent; a bad argument is an InvalidArgumentException naming it. -----

    /// One page of users (`GET /user_management/users`):
    /// `['data' => [user…], 'list_metadata' => ['before' => ?, 'after' => ?]]`.
    ///
    /// @param array{email?: string, organization_id?: string, limit?: int,
    ///              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
    #[php(optional = "params")]
    pub fn list_users(&self, params: Option<&ZendHashTable>) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (filters, page) = list_params::<core::UserFilters>(params, "params")?;
            object(self.inner.list_users(&filters, &page))
        })
    }

    /// Creates a user (`POST /user_management/users`); answers the user.
    ///
    /// @param array{email: string, password?: string, first_name?: string,
    ///              last_name?: string, email_verified?: bool, external_id?: string} $user
    pub fn create_user(&self, user: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let user = typed::<core::NewUser>(Some(user), "user")?;
            object(self.inner.create_user(&user))
        })
    }

    /// Updates the given fields of a user (`PUT /user_management/users/{id}`;
    /// a `password` given becomes the user's WorkOS password); answers the user.
    ///
    /// @param array{email?: string, password?: string, first_name?: string,
    ///              last_name?: string, email_verified?: bool, external_id?: string,
    ///              locale?: string} $changes
    pub fn update_user(
        &self,
        userId: &str,
        changes: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let changes = typed::<core::UserChanges>(Some(changes), "changes")?;
            object(self.inner.update_user(userId, &changes))
        })
    }

    /// One page of organization memberships
    /// (`GET /user_management/organization_memberships`); a user or an
    /// organization is required, and WorkOS lists only active memberships
    /// unless `statuses` says otherwise.
    ///
    /// @param array{user_id?: string, organization_id?: string,
    ///              statuses?: list<'active'|'inactive'|'pending'>, limit?: int,
    ///              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
    pub fn list_organization_memberships(
        &self,
        params: &ZendHashTable,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (filters, page) = list_params::<core::MembershipFilters>(Some(params), "params")?;
            object(self.inner.list_organization_memberships(&filters, &page))
        })
    }

    /// Makes a user a member of an organization
    /// (`POST /user_management/organization_memberships`); answers the membership.
    #[php(optional = "roleSlug")]
    pub fn create_organization_membership(
        &self,
        userId: &str,
        organizationId: &str,
        roleSlug: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(self.inner.create_organization_membership(
                userId,
                organizationId,
                roleSlug.as_deref(),
            ))
        })
    }

    /// Sets a membership's role
    /// (`PUT /user_management/organization_memberships/{id}`); answers the membership.
    pub fn update_organization_membership(
        &self,
        membershipId: &str,
        roleSlug: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(
                self.inner
                    .update_organization_membership(membershipId, roleSlug),
            )
        })
    }

    /// Ends a membership
    /// (`DELETE /user_management/organization_memberships/{id}`).
    pub fn delete_organization_membership(&self, membershipId: &str) -> PhpResult<()> {
        guard(|| {
            self.inner
                .delete_organization_membership(membershipId)
                .map_err(exceptions::api)
        })
    }

    /// An organization (`GET /organizations/{id}`), with its `domains`.
    pub fn get_organization(&self, organizationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.get_organization(organizationId)))
    }

    /// One page of organizations (`GET /organizations`).
    ///
    /// @param array{domains?: list<string>, search?: string, limit?: int,
    ///              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
    #[php(optional = "params")]
    pub fn list_organizations(
        &self,
        params: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (filters, page) = list_params::<core::OrganizationFilters>(params, "params")?;
            object(self.inner.list_organizations(&filters, &page))
        })
    }

    /// Every organization matching `$params` (100 a page unless `limit` says
    /// otherwise), following the `after` cursor until WorkOS has no more or
    /// `$max` are collected: a list of organizations. A failed first page
    /// throws; a later failure ends the walk with what was collected.
    ///
    /// @param array{domains?: list<string>, search?: string, limit?: int,
    ///              after?: string, order?: 'asc'|'desc'|'normal'} $params
    #[php(optional = "params", defaults(max = 1000))]
    pub fn list_all_organizations(
        &self,
        params: Option<&ZendHashTable>,
        max: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (filters, page) = list_params::<core::OrganizationFilters>(params, "params")?;
            let max = usize::try_from(max)
                .ok()
                .filter(|m| (1..=MAX_LISTED).contains(m))
                .ok_or_else(|| exceptions::invalid(format!("max must be 1 to {MAX_LISTED}")))?;
            self.inner
                .list_all_organizations(&filters, &page, max)
                .map(list)
                .map_err(exceptions::api)
        })
    }

    /// As listAllOrganizations(), from the per-host cache every PHP worker of
    /// the machine shares (see verifyAccessToken()) when a list at most
    /// `$ttlSeconds` (1–3600) old is there: for admin pickers, which need
    /// not be exact to the second. When it expires one worker asks WorkOS
    /// while the others show the previous list; a failure is remembered for
    /// 5 seconds. Call forgetCachedOrganizations() after changing one.
    ///
    /// @param array{domains?: list<string>, search?: string, limit?: int,
    ///              after?: string, order?: 'asc'|'desc'|'normal'} $params
    /// @throws \WorkOS\Native\ApiException as listAllOrganizations() (transient
    ///         when another worker's attempt just failed).
    #[php(optional = "params", defaults(max = 1000, ttlSeconds = 300))]
    pub fn list_organizations_cached(
        &self,
        params: Option<&ZendHashTable>,
        max: i64,
        ttlSeconds: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (filters, page) = list_params::<core::OrganizationFilters>(params, "params")?;
            let max = usize::try_from(max)
                .ok()
                .filter(|m| (1..=MAX_LISTED).contains(m))
                .ok_or_else(|| exceptions::invalid(format!("max must be 1 to {MAX_LISTED}")))?;
            workos_core::org_cache::list_all_organizations(
                &self.inner,
                self.verifier.site(),
                &filters,
                &page,
                max,
                ttlSeconds,
                workos_core::now_secs(),
            )
            .map(list)
            .map_err(exceptions::api)
        })
    }

    /// Forgets every organization list listOrganizationsCached() keeps for
    /// this client, so the next one shows changes at once.
    pub fn forget_cached_organizations(&self) {
        workos_core::org_cache::forget(&self.inner, self.verifier.site(), workos_core::now_secs());
    }

    /// Creates an organization (`POST /organizations`); answers it.
    pub fn create_organization(&self, name: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.create_organization(name)))
    }

    /// Ends a WorkOS session (`POST /user_management/sessions/revoke`).
    pub fn revoke_session(&self, sessionId: &str) -> PhpResult<()> {
        guard(|| {
            self.inner
                .revoke_session(sessionId)
                .map_err(exceptions::api)
        })
    }

    /// Emails a one-time code (`POST /user_management/magic_auth`); answers
    /// the Magic Auth object. With `$invitationToken` (a pending
    /// invitation's) the code may sign up the invitee.
    #[php(optional = "invitationToken")]
    pub fn create_magic_auth(
        &self,
        email: &str,
        invitationToken: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(
                self.inner
                    .create_magic_auth(email, invitationToken.as_deref()),
            )
        })
    }

    // ----- The hosted login's account lifecycle (password reset, email
    // verification, invitations, MFA, the step-up grants). Step-up answers
    // and WorkOS's refusals are ApiException with getErrorCode() and the
    // whole answer in getBody(). -----

    /// The magic-auth grant: the code createMagicAuth() emailed.
    #[php(optional = "invitationToken")]
    pub fn authenticate_with_magic_auth(
        &self,
        code: &str,
        email: &str,
        invitationToken: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(
                self.inner
                    .authenticate_with_magic_auth(code, email, invitationToken.as_deref()),
            )
        })
    }

    /// The email-verification grant, after `email_verification_required`
    /// (its body has the `pending_authentication_token`).
    pub fn authenticate_with_email_verification(
        &self,
        code: &str,
        pendingAuthenticationToken: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(
                self.inner
                    .authenticate_with_email_verification(code, pendingAuthenticationToken),
            )
        })
    }

    /// The MFA TOTP grant, after `mfa_enrollment` (enrollAuthFactor()'s
    /// challenge) or `mfa_challenge` (challengeAuthFactor()'s).
    pub fn authenticate_with_totp(
        &self,
        code: &str,
        pendingAuthenticationToken: &str,
        authenticationChallengeId: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(self.inner.authenticate_with_totp(
                code,
                pendingAuthenticationToken,
                authenticationChallengeId,
            ))
        })
    }

    /// The organization-selection grant, after
    /// `organization_selection_required`.
    pub fn authenticate_with_organization_selection(
        &self,
        pendingAuthenticationToken: &str,
        organizationId: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(self.inner.authenticate_with_organization_selection(
                pendingAuthenticationToken,
                organizationId,
            ))
        })
    }

    /// Emails a password reset link (`POST /user_management/password_reset`);
    /// answers the PasswordReset (`password_reset_token`, `password_reset_url`, …).
    pub fn create_password_reset(&self, email: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.create_password_reset(email)))
    }

    /// Sets a new password with a reset token
    /// (`POST /user_management/password_reset/confirm`); answers `['user' => …]`.
    pub fn reset_password(&self, token: &str, newPassword: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.reset_password(token, newPassword)))
    }

    /// Emails the user a verification code
    /// (`POST /user_management/users/{id}/email_verification/send`); answers `['user' => …]`.
    pub fn send_verification_email(&self, userId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.send_verification_email(userId)))
    }

    /// Verifies the user's address with the emailed code
    /// (`POST /user_management/users/{id}/email_verification/confirm`); answers `['user' => …]`.
    pub fn verify_email(&self, userId: &str, code: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.verify_email(userId, code)))
    }

    /// Emails a code to a user's new address
    /// (`POST /user_management/users/{id}/email_change/send`); answers the
    /// EmailChange (`new_email`, `expires_at`, …). The address changes only
    /// once confirmEmailChange() gets the code.
    pub fn send_email_change(
        &self,
        userId: &str,
        newEmail: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.send_email_change(userId, newEmail)))
    }

    /// Confirms an email change with the code sent to the new address
    /// (`POST /user_management/users/{id}/email_change/confirm`); answers
    /// `['object' => 'email_change_confirmation', 'user' => …]`.
    pub fn confirm_email_change(&self, userId: &str, code: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.confirm_email_change(userId, code)))
    }

    /// Sends an invitation (`POST /user_management/invitations`); answers it
    /// with its `token` and `accept_invitation_url`.
    ///
    /// @param array{email: string, organization_id?: string, role_slug?: string,
    ///              expires_in_days?: int, inviter_user_id?: string, locale?: string} $invitation
    pub fn send_invitation(&self, invitation: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let invitation = typed::<core::NewInvitation>(Some(invitation), "invitation")?;
            object(self.inner.send_invitation(&invitation))
        })
    }

    /// An invitation (`GET /user_management/invitations/{id}`).
    pub fn get_invitation(&self, invitationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.get_invitation(invitationId)))
    }

    /// The invitation an emailed token stands for
    /// (`GET /user_management/invitations/by_token/{token}`).
    pub fn find_invitation_by_token(&self, token: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.find_invitation_by_token(token)))
    }

    /// Revokes a pending invitation
    /// (`POST /user_management/invitations/{id}/revoke`); answers it.
    pub fn revoke_invitation(&self, invitationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.revoke_invitation(invitationId)))
    }

    /// Accepts an invitation for the user its address belongs to
    /// (`POST /user_management/invitations/{id}/accept`); answers it.
    pub fn accept_invitation(&self, invitationId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.accept_invitation(invitationId)))
    }

    /// Enrols a TOTP factor (`POST /user_management/users/{id}/auth_factors`):
    /// `['authentication_factor' => [… 'totp' => ['secret', 'qr_code', 'uri', …]],
    /// 'authentication_challenge' => […]]`. The secret is shown only here.
    #[php(optional = "totpIssuer")]
    pub fn enroll_auth_factor(
        &self,
        userId: &str,
        totpIssuer: Option<String>,
        totpUser: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            object(self.inner.enroll_auth_factor(
                userId,
                totpIssuer.as_deref(),
                totpUser.as_deref(),
            ))
        })
    }

    /// Enrols an SMS factor (MFA API, `POST /auth/factors/enroll`) for an
    /// E.164 phone number, tied to the WorkOS user when `$userId` is given:
    /// `['id' => 'auth_factor_…', 'type' => 'sms', 'sms' => ['phone_number' => …], …]`.
    /// Nothing is texted until challengeAuthFactor().
    #[php(optional = "userId")]
    pub fn enroll_sms_factor(
        &self,
        phoneNumber: &str,
        userId: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.enroll_sms_factor(phoneNumber, userId.as_deref())))
    }

    /// One factor (`GET /auth/factors/{id}`; no secrets).
    pub fn get_auth_factor(&self, factorId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.get_auth_factor(factorId)))
    }

    /// One page of a user's factors
    /// (`GET /user_management/users/{id}/auth_factors`; no secrets).
    ///
    /// @param array{limit?: int, before?: string, after?: string,
    ///              order?: 'asc'|'desc'|'normal'} $params
    #[php(optional = "params")]
    pub fn list_auth_factors(
        &self,
        userId: &str,
        params: Option<&ZendHashTable>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let (extra, page) = list_params::<Map<String, Value>>(params, "params")?;
            if let Some(key) = extra.keys().next() {
                return Err(exceptions::invalid(format!(
                    "params: unknown key {key:?} (limit, before, after, order)"
                )));
            }
            object(self.inner.list_auth_factors(userId, &page))
        })
    }

    /// Removes a factor (`DELETE /auth/factors/{id}`). Check that it is the
    /// signed-in user's (listAuthFactors()) before calling.
    pub fn delete_auth_factor(&self, factorId: &str) -> PhpResult<()> {
        guard(|| {
            self.inner
                .delete_auth_factor(factorId)
                .map_err(exceptions::api)
        })
    }

    /// Starts a challenge of a factor (`POST /auth/factors/{id}/challenge`);
    /// answers the challenge (its `id` goes to authenticateWithTotp()).
    pub fn challenge_auth_factor(&self, factorId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.challenge_auth_factor(factorId)))
    }

    /// Checks a code against a challenge outside a sign-in
    /// (`POST /auth/challenges/{id}/verify`): `['challenge' => …, 'valid' => bool]`.
    pub fn verify_auth_challenge(
        &self,
        challengeId: &str,
        code: &str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.verify_auth_challenge(challengeId, code)))
    }

    /// A Directory Sync directory (`GET /directories/{id}`), with its
    /// `organization_id`.
    pub fn get_directory(&self, directoryId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.get_directory(directoryId)))
    }

    /// An SSO connection (`GET /connections/{id}`), with its
    /// `organization_id`, `connection_type` and `state`.
    pub fn get_connection(&self, connectionId: &str) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| object(self.inner.get_connection(connectionId)))
    }

    /// getUser() for many users with up to `$concurrency` (1–32) in flight
    /// (bulk sync). Each result, in the order of `$userIds`, is
    /// `['ok' => true, 'body' => user]` or `['ok' => false, 'status' => int,
    /// 'code' => ?string, 'message' => string, 'body' => …, 'transient' =>
    /// bool]` (`transient` as ApiException::isTransient()); an id that fails
    /// its checks is such a failure (status 0, code `invalid_input`) and is
    /// not sent, the others are. The calls run on the worker's runtime and
    /// share one pacing: WorkOS's documented rate limits are kept on this
    /// side, a 429 holds every call back until its `Retry-After`, and
    /// `X-RateLimit-*` headers, when sent, slow the calls down before the
    /// limit. Retries on 429 and 5xx honour `Retry-After`, as for single calls.
    ///
    /// @param list<string> $userIds
    #[php(defaults(concurrency = 8))]
    pub fn get_users_many(
        &self,
        userIds: &ZendHashTable,
        concurrency: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let calls = items(userIds, "userIds")?
                .into_iter()
                .map(|id| match id {
                    Value::String(id) => core::Call::get_user(&id),
                    _ => Err(core::ApiError::InvalidInput(
                        "user id must be a string".into(),
                    )),
                })
                .collect();
            Ok(many(self.inner.call_many(calls, workers(concurrency))))
        })
    }

    /// createUser() for many users at once, as getUsersMany().
    ///
    /// @param list<array{email: string, password?: string, first_name?: string,
    ///              last_name?: string, email_verified?: bool, external_id?: string}> $users
    #[php(defaults(concurrency = 8))]
    pub fn create_users_many(
        &self,
        users: &ZendHashTable,
        concurrency: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let calls = items(users, "users")?
                .into_iter()
                .map(|user| {
                    core::parse::<core::NewUser>("user", user)
                        .and_then(|u| core::Call::create_user(&u))
                })
                .collect();
            Ok(many(self.inner.call_many(calls, workers(concurrency))))
        })
    }

    /// listUsers() for many filters at once (e.g. one email each), as
    /// getUsersMany(); each `body` is a page.
    ///
    /// @param list<array{email?: string, organization_id?: string, limit?: int,
    ///              before?: string, after?: string, order?: string}> $params
    #[php(defaults(concurrency = 8))]
    pub fn list_users_many(
        &self,
        params: &ZendHashTable,
        concurrency: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let calls = items(params, "params")?
                .into_iter()
                .map(|p| {
                    core::parse_list::<core::UserFilters>("params", p)
                        .and_then(|(filters, page)| core::Call::list_users(&filters, &page))
                })
                .collect();
            Ok(many(self.inner.call_many(calls, workers(concurrency))))
        })
    }
}

// ----- Conversions of the typed endpoint methods. -----

/// The most organizations listAllOrganizations() collects.
const MAX_LISTED: usize = 10_000;

/// A typed answer (a JSON object) as a PHP array.
fn object(result: Result<Value, core::ApiError>) -> PhpResult<ZBox<ZendHashTable>> {
    result
        .map_err(exceptions::api)
        .and_then(|v| convert::to_array(&v).map_err(exceptions::internal))
}

fn json_arg(ht: Option<&ZendHashTable>, what: &str) -> PhpResult<Value> {
    match ht {
        Some(ht) => convert::from_hashtable(ht, what, 0).map_err(exceptions::invalid),
        None => Ok(Value::Null),
    }
}

/// Typed parameters from a PHP array (unknown keys and wrong types refused).
fn typed<T: core::DeserializeOwned>(ht: Option<&ZendHashTable>, what: &str) -> PhpResult<T> {
    core::parse(what, json_arg(ht, what)?).map_err(exceptions::api)
}

/// A list endpoint's filters and paging from one PHP array.
fn list_params<T: core::DeserializeOwned>(
    ht: Option<&ZendHashTable>,
    what: &str,
) -> PhpResult<(T, core::Page)> {
    core::parse_list(what, json_arg(ht, what)?).map_err(exceptions::api)
}

/// The items of a bulk method's list argument.
fn items(ht: &ZendHashTable, what: &str) -> PhpResult<Vec<Value>> {
    match convert::from_hashtable(ht, what, 0).map_err(exceptions::invalid)? {
        Value::Array(list) => Ok(list),
        _ => Err(exceptions::invalid(format!("{what} must be a list"))),
    }
}

fn workers(concurrency: i64) -> usize {
    usize::try_from(concurrency.clamp(1, MAX_CONCURRENCY as i64)).unwrap_or(1)
}

/// Bulk results as PHP arrays, in order: `['ok' => true, 'body' => …]` or
/// the failure's status, code, message, body and whether it is transient.
fn many(results: Vec<Result<Value, core::ApiError>>) -> ZBox<ZendHashTable> {
    let results: Vec<Value> = results
        .into_iter()
        .map(|r| match r {
            Ok(body) => serde_json::json!({"ok": true, "body": body}),
            Err(e) => serde_json::json!({
                "ok": false,
                "status": e.status(),
                "code": e.code(),
                "message": e.to_string(),
                "body": e.body(),
                "transient": e.is_transient(),
            }),
        })
        .collect();
    list(results)
}

/// A list of JSON values as a PHP list.
fn list(values: Vec<Value>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(values.len()).unwrap_or(u32::MAX));
    for value in &values {
        // Pushing to a fresh packed array cannot fail short of memory, which
        // PHP itself handles.
        let _ = ht.push(convert::to_zval(value));
    }
    ht
}
