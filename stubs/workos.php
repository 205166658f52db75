<?php

// Stubs for workos

namespace WorkOS\Native {
    /**
     * Verification of WorkOS access tokens (RS256 JWTs).
     */
    class AccessToken {
        public function __construct() {}

        /**
         * The `kid` of a token's header, read without verifying anything (to
         * decide whether a cached JWKS can verify it).
         *
         * @param string $token
         * @return string
         */
        public static function peekKid(string $token): string {}

        /**
         * Verifies `$token` against the JSON Web Key Set `$jwksJson` (the body of
         * `GET /sso/jwks/{client_id}`) and returns its claims.
         *
         * RS256 only, whatever the token header says; `kid` required and found in
         * the set; `exp` required, `nbf`/`iat` checked, with a leeway.
         * `$expect` may hold `issuer`, `audience`, `leeway` (seconds, default 60)
         * and `now` (unix seconds, for tests). Parsed keys are cached in process
         * memory, so a warm worker does not re-parse the set.
         *
         * @param array{issuer?: string, audience?: string, leeway?: int, now?: int} $expect
         * @throws \WorkOS\Native\TokenException with getReason() such as
         *         `expired`, `unknown_kid`, `bad_signature`.
         *
         * @param string $token
         * @param string $jwksJson
         * @param array|null $expect
         * @return array
         */
        public static function verify(string $token, string $jwksJson, ?array $expect = null): array {}
    }

    /**
     * WorkOS answered with an error, or could not be reached. `getCode()` is the
     * HTTP status (0 when WorkOS was not reached).
     */
    class ApiException extends \WorkOS\Native\Exception {
        public function __construct() {}

        /**
         * The decoded error body (step-up errors carry
         * `pending_authentication_token` and more here).
         *
         * @return mixed
         */
        public function getBody(): mixed {}

        /**
         * WorkOS's error code (`code`, or `error` on the authenticate endpoint),
         * e.g. `invalid_grant`, `email_verification_required`; for failures on
         * our side `transport_error`, `bad_response`, `invalid_config`.
         *
         * @return string|null
         */
        public function getErrorCode(): ?string {}

        /**
         * WorkOS's `X-Request-ID`, for support requests.
         *
         * @return string|null
         */
        public function getRequestId(): ?string {}

        /**
         * HTTP status WorkOS answered with; 0 when it was not reached.
         *
         * @return int
         */
        public function getStatus(): int {}

        /**
         * Whether WorkOS is unavailable and the same call may work later (it
         * was unreachable, timed out, failed with a 5xx, rate-limited with a
         * 429, or an answer was not WorkOS's JSON), as opposed to WorkOS
         * refusing the call (4xx): decided once, in the core.
         *
         * @return bool
         */
        public function isTransient(): bool {}
    }

    /**
     * A WorkOS API client. Connections come from a keep-alive pool owned by the
     * PHP worker process, so they outlive the request that built the client.
     * The API key is never exposed back to PHP (not in `var_dump` either).
     */
    class Client {
        /**
         * @param array{api_key: string, client_id: string, base_url?: string,
         *              timeout?: float, connect_timeout?: float, max_retries?: int,
         *              ca_file?: string, jwks_cache_dir?: string,
         *              jwks_cache_secret?: string} $options
         *        `base_url` defaults to https://api.workos.com; plain http is
         *        accepted only for loopback hosts. Timeouts are in seconds.
         *        `ca_file` (default: the WORKOS_CA_FILE environment variable) is
         *        an absolute path to PEM CA certificates trusted in addition to
         *        the built-in roots, e.g. a test CA.
         *        The JWKS file cache is used only with both `jwks_cache_dir`
         *        (absolute; a private 0700 directory of the PHP user, created if
         *        missing, ignored otherwise) and `jwks_cache_secret` (a site
         *        secret of at least 16 bytes that authenticates every entry).
         * @throws \WorkOS\Native\InvalidArgumentException on a bad option.
         *
         * @param array $options
         */
        public function __construct(array $options) {}

        /**
         * Accepts an invitation for the user its address belongs to
         * (`POST /user_management/invitations/{id}/accept`); answers it.
         *
         * @param string $invitationId
         * @return array
         */
        public function acceptInvitation(string $invitationId): array {}

        /**
         * Any grant of `POST /user_management/authenticate` (e.g. magic-auth
         * code, email verification, MFA TOTP, organization selection); the client
         * credentials are added by the extension.
         *
         * @param array $grant
         * @return array
         */
        public function authenticate(array $grant): array {}

        /**
         * Exchanges an authorization code (with its PKCE verifier) for the user
         * and tokens: `['user' => [...], 'access_token' => ..., 'refresh_token'
         * => ..., 'organization_id' => ..., 'authentication_method' => ...]`.
         *
         * @throws \WorkOS\Native\ApiException with WorkOS's status, code and body.
         * `$invitationToken` accepts an invitation with the sign-in.
         *
         * @param string $code
         * @param string|null $codeVerifier
         * @param string|null $invitationToken
         * @return array
         */
        public function authenticateWithCode(string $code, ?string $codeVerifier = null, ?string $invitationToken = null): array {}

        /**
         * The email-verification grant, after `email_verification_required`
         * (its body has the `pending_authentication_token`).
         *
         * @param string $code
         * @param string $pendingAuthenticationToken
         * @return array
         */
        public function authenticateWithEmailVerification(string $code, string $pendingAuthenticationToken): array {}

        /**
         * The magic-auth grant: the code createMagicAuth() emailed.
         *
         * @param string $code
         * @param string $email
         * @param string|null $invitationToken
         * @return array
         */
        public function authenticateWithMagicAuth(string $code, string $email, ?string $invitationToken = null): array {}

        /**
         * The organization-selection grant, after
         * `organization_selection_required`.
         *
         * @param string $pendingAuthenticationToken
         * @param string $organizationId
         * @return array
         */
        public function authenticateWithOrganizationSelection(string $pendingAuthenticationToken, string $organizationId): array {}

        /**
         * The password grant. Step-up answers (`email_verification_required`,
         * `mfa_enrollment`, `mfa_challenge`, `organization_selection_required`)
         * are thrown as ApiException with the pending token in getBody().
         * `$invitationToken` accepts an invitation with the sign-in.
         *
         * @param string $email
         * @param string $password
         * @param string|null $invitationToken
         * @return array
         */
        public function authenticateWithPassword(string $email, string $password, ?string $invitationToken = null): array {}

        /**
         * The refresh-token grant; refresh tokens rotate, so store the new one.
         *
         * @param string $refreshToken
         * @param string|null $organizationId
         * @return array
         */
        public function authenticateWithRefreshToken(string $refreshToken, ?string $organizationId = null): array {}

        /**
         * The MFA TOTP grant, after `mfa_enrollment` (enrollAuthFactor()'s
         * challenge) or `mfa_challenge` (challengeAuthFactor()'s).
         *
         * @param string $code
         * @param string $pendingAuthenticationToken
         * @param string $authenticationChallengeId
         * @return array
         */
        public function authenticateWithTotp(string $code, string $pendingAuthenticationToken, string $authenticationChallengeId): array {}

        /**
         * The AuthKit authorization URL (`GET /user_management/authorize`).
         *
         * @param array{redirect_uri: string, state?: string, provider?: string,
         *              organization_id?: string, connection_id?: string,
         *              login_hint?: string, screen_hint?: string, domain_hint?: string,
         *              code_challenge?: string, code_challenge_method?: string,
         *              prompt?: string, max_age?: string} $params
         *        `provider` defaults to `authkit` unless an organization or
         *        connection is pinned; a `code_challenge` is always sent as S256;
         *        `max_age` (seconds, `0` forces a fresh sign-in) only with AuthKit.
         *
         * @param array $params
         * @return string
         */
        public function authorizationUrl(array $params): string {}

        /**
         * Starts a challenge of a factor (`POST /auth/factors/{id}/challenge`);
         * answers the challenge (its `id` goes to authenticateWithTotp()).
         *
         * @param string $factorId
         * @return array
         */
        public function challengeAuthFactor(string $factorId): array {}

        /**
         * Confirms an email change with the code sent to the new address
         * (`POST /user_management/users/{id}/email_change/confirm`); answers
         * `['object' => 'email_change_confirmation', 'user' => …]`.
         *
         * @param string $userId
         * @param string $code
         * @return array
         */
        public function confirmEmailChange(string $userId, string $code): array {}

        /**
         * Records an event in WorkOS Audit Logs (`POST /audit_logs/events`).
         * `$event` needs `action`, `occurred_at` (RFC 3339), `actor` {id, type},
         * `targets` [{id, type}…] and `context` {location}; it is checked before
         * anything is sent. Reuse `$idempotencyKey` when retrying the same event.
         *
         * @throws \WorkOS\Native\InvalidArgumentException for a malformed event.
         * @throws \WorkOS\Native\ApiException when WorkOS refuses or is unreachable.
         *
         * @param string $organizationId
         * @param array $event
         * @param string|null $idempotencyKey
         * @return void
         */
        public function createAuditLogEvent(string $organizationId, array $event, ?string $idempotencyKey = null): void {}

        /**
         * Emails a one-time code (`POST /user_management/magic_auth`); answers
         * the Magic Auth object. With `$invitationToken` (a pending
         * invitation's) the code may sign up the invitee.
         *
         * @param string $email
         * @param string|null $invitationToken
         * @return array
         */
        public function createMagicAuth(string $email, ?string $invitationToken = null): array {}

        /**
         * Creates an organization (`POST /organizations`); answers it.
         *
         * @param string $name
         * @return array
         */
        public function createOrganization(string $name): array {}

        /**
         * Makes a user a member of an organization
         * (`POST /user_management/organization_memberships`); answers the membership.
         *
         * @param string $userId
         * @param string $organizationId
         * @param string|null $roleSlug
         * @return array
         */
        public function createOrganizationMembership(string $userId, string $organizationId, ?string $roleSlug = null): array {}

        /**
         * Emails a password reset link (`POST /user_management/password_reset`);
         * answers the PasswordReset (`password_reset_token`, `password_reset_url`, …).
         *
         * @param string $email
         * @return array
         */
        public function createPasswordReset(string $email): array {}

        /**
         * Creates a user (`POST /user_management/users`); answers the user.
         *
         * @param array{email: string, password?: string, first_name?: string,
         *              last_name?: string, email_verified?: bool, external_id?: string} $user
         *
         * @param array $user
         * @return array
         */
        public function createUser(array $user): array {}

        /**
         * createUser() for many users at once, as getUsersMany().
         *
         * @param list<array{email: string, password?: string, first_name?: string,
         *              last_name?: string, email_verified?: bool, external_id?: string}> $users
         *
         * @param array $users
         * @param int $concurrency
         * @return array
         */
        public function createUsersMany(array $users, int $concurrency = 8): array {}

        /**
         * Removes a factor (`DELETE /auth/factors/{id}`). Check that it is the
         * signed-in user's (listAuthFactors()) before calling.
         *
         * @param string $factorId
         * @return void
         */
        public function deleteAuthFactor(string $factorId): void {}

        /**
         * Ends a membership
         * (`DELETE /user_management/organization_memberships/{id}`).
         *
         * @param string $membershipId
         * @return void
         */
        public function deleteOrganizationMembership(string $membershipId): void {}

        /**
         * Enrols a TOTP factor (`POST /user_management/users/{id}/auth_factors`):
         * `['authentication_factor' => [… 'totp' => ['secret', 'qr_code', 'uri', …]],
         * 'authentication_challenge' => […]]`. The secret is shown only here.
         *
         * @param string $userId
         * @param string|null $totpIssuer
         * @param string|null $totpUser
         * @return array
         */
        public function enrollAuthFactor(string $userId, ?string $totpIssuer = null, ?string $totpUser = null): array {}

        /**
         * Enrols an SMS factor (MFA API, `POST /auth/factors/enroll`) for an
         * E.164 phone number, tied to the WorkOS user when `$userId` is given:
         * `['id' => 'auth_factor_…', 'type' => 'sms', 'sms' => ['phone_number' => …], …]`.
         * Nothing is texted until challengeAuthFactor().
         *
         * @param string $phoneNumber
         * @param string|null $userId
         * @return array
         */
        public function enrollSmsFactor(string $phoneNumber, ?string $userId = null): array {}

        /**
         * The invitation an emailed token stands for
         * (`GET /user_management/invitations/by_token/{token}`).
         *
         * @param string $token
         * @return array
         */
        public function findInvitationByToken(string $token): array {}

        /**
         * Forgets every organization list listOrganizationsCached() keeps for
         * this client, so the next one shows changes at once.
         *
         * @return void
         */
        public function forgetCachedOrganizations(): void {}

        /**
         * One factor (`GET /auth/factors/{id}`; no secrets).
         *
         * @param string $factorId
         * @return array
         */
        public function getAuthFactor(string $factorId): array {}

        /**
         * The API base URL, without a trailing slash.
         *
         * @return string
         */
        public function getBaseUrl(): string {}

        /**
         * The client id this client authenticates as.
         *
         * @return string
         */
        public function getClientId(): string {}

        /**
         * An SSO connection (`GET /connections/{id}`), with its
         * `organization_id`, `connection_type` and `state`.
         *
         * @param string $connectionId
         * @return array
         */
        public function getConnection(string $connectionId): array {}

        /**
         * A Directory Sync directory (`GET /directories/{id}`), with its
         * `organization_id`.
         *
         * @param string $directoryId
         * @return array
         */
        public function getDirectory(string $directoryId): array {}

        /**
         * An invitation (`GET /user_management/invitations/{id}`).
         *
         * @param string $invitationId
         * @return array
         */
        public function getInvitation(string $invitationId): array {}

        /**
         * The JWKS for this client id as JSON text, ready for
         * AccessToken::verify() and for caching.
         *
         * @return string
         */
        public function getJwks(): string {}

        /**
         * An organization (`GET /organizations/{id}`), with its `domains`.
         *
         * @param string $organizationId
         * @return array
         */
        public function getOrganization(string $organizationId): array {}

        /**
         * `GET /user_management/users/{id}`.
         *
         * @param string $userId
         * @return array
         */
        public function getUser(string $userId): array {}

        /**
         * getUser() for many users with up to `$concurrency` (1–32) in flight
         * (bulk sync). Each result, in the order of `$userIds`, is
         * `['ok' => true, 'body' => user]` or `['ok' => false, 'status' => int,
         * 'code' => ?string, 'message' => string, 'body' => …, 'transient' =>
         * bool]` (`transient` as ApiException::isTransient()); an id that fails
         * its checks is such a failure (status 0, code `invalid_input`) and is
         * not sent, the others are. The calls run on the worker's runtime and
         * share one pacing: WorkOS's documented rate limits are kept on this
         * side, a 429 holds every call back until its `Retry-After`, and
         * `X-RateLimit-*` headers, when sent, slow the calls down before the
         * limit. Retries on 429 and 5xx honour `Retry-After`, as for single calls.
         *
         * @param list<string> $userIds
         *
         * @param array $userIds
         * @param int $concurrency
         * @return array
         */
        public function getUsersMany(array $userIds, int $concurrency = 8): array {}

        /**
         * Why `$dir` would not be used as the JWKS file cache (it must be an
         * absolute path to a directory owned by the PHP user with mode 0700,
         * not a symlink; it is created so when missing), or null when it is
         * fine. For Site Health.
         *
         * @param string $dir
         * @return string|null
         */
        public static function jwksCacheDirProblem(string $dir): ?string {}

        /**
         * Every organization matching `$params` (100 a page unless `limit` says
         * otherwise), following the `after` cursor until WorkOS has no more or
         * `$max` are collected: a list of organizations. A failed first page
         * throws; a later failure ends the walk with what was collected.
         *
         * @param array{domains?: list<string>, search?: string, limit?: int,
         *              after?: string, order?: 'asc'|'desc'|'normal'} $params
         *
         * @param array|null $params
         * @param int $max
         * @return array
         */
        public function listAllOrganizations(?array $params = null, int $max = 1000): array {}

        /**
         * One page of a user's factors
         * (`GET /user_management/users/{id}/auth_factors`; no secrets).
         *
         * @param array{limit?: int, before?: string, after?: string,
         *              order?: 'asc'|'desc'|'normal'} $params
         *
         * @param string $userId
         * @param array|null $params
         * @return array
         */
        public function listAuthFactors(string $userId, ?array $params = null): array {}

        /**
         * One page of organization memberships
         * (`GET /user_management/organization_memberships`); a user or an
         * organization is required, and WorkOS lists only active memberships
         * unless `statuses` says otherwise.
         *
         * @param array{user_id?: string, organization_id?: string,
         *              statuses?: list<'active'|'inactive'|'pending'>, limit?: int,
         *              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
         *
         * @param array $params
         * @return array
         */
        public function listOrganizationMemberships(array $params): array {}

        /**
         * One page of organizations (`GET /organizations`).
         *
         * @param array{domains?: list<string>, search?: string, limit?: int,
         *              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
         *
         * @param array|null $params
         * @return array
         */
        public function listOrganizations(?array $params = null): array {}

        /**
         * As listAllOrganizations(), from the per-host cache every PHP worker of
         * the machine shares (see verifyAccessToken()) when a list at most
         * `$ttlSeconds` (1–3600) old is there: for admin pickers, which need
         * not be exact to the second. When it expires one worker asks WorkOS
         * while the others show the previous list; a failure is remembered for
         * 5 seconds. Call forgetCachedOrganizations() after changing one.
         *
         * @param array{domains?: list<string>, search?: string, limit?: int,
         *              after?: string, order?: 'asc'|'desc'|'normal'} $params
         * @throws \WorkOS\Native\ApiException as listAllOrganizations() (transient
         *         when another worker's attempt just failed).
         *
         * @param array|null $params
         * @param int $max
         * @param int $ttlSeconds
         * @return array
         */
        public function listOrganizationsCached(?array $params = null, int $max = 1000, int $ttlSeconds = 300): array {}

        /**
         * One page of users (`GET /user_management/users`):
         * `['data' => [user…], 'list_metadata' => ['before' => ?, 'after' => ?]]`.
         *
         * @param array{email?: string, organization_id?: string, limit?: int,
         *              before?: string, after?: string, order?: 'asc'|'desc'|'normal'} $params
         *
         * @param array|null $params
         * @return array
         */
        public function listUsers(?array $params = null): array {}

        /**
         * listUsers() for many filters at once (e.g. one email each), as
         * getUsersMany(); each `body` is a page.
         *
         * @param list<array{email?: string, organization_id?: string, limit?: int,
         *              before?: string, after?: string, order?: string}> $params
         *
         * @param array $params
         * @param int $concurrency
         * @return array
         */
        public function listUsersMany(array $params, int $concurrency = 8): array {}

        /**
         * Sets a new password with a reset token
         * (`POST /user_management/password_reset/confirm`); answers `['user' => …]`.
         *
         * @param string $token
         * @param string $newPassword
         * @return array
         */
        public function resetPassword(string $token, string $newPassword): array {}

        /**
         * Revokes a pending invitation
         * (`POST /user_management/invitations/{id}/revoke`); answers it.
         *
         * @param string $invitationId
         * @return array
         */
        public function revokeInvitation(string $invitationId): array {}

        /**
         * Ends a WorkOS session (`POST /user_management/sessions/revoke`).
         *
         * @param string $sessionId
         * @return void
         */
        public function revokeSession(string $sessionId): void {}

        /**
         * Emails a code to a user's new address
         * (`POST /user_management/users/{id}/email_change/send`); answers the
         * EmailChange (`new_email`, `expires_at`, …). The address changes only
         * once confirmEmailChange() gets the code.
         *
         * @param string $userId
         * @param string $newEmail
         * @return array
         */
        public function sendEmailChange(string $userId, string $newEmail): array {}

        /**
         * Sends an invitation (`POST /user_management/invitations`); answers it
         * with its `token` and `accept_invitation_url`.
         *
         * @param array{email: string, organization_id?: string, role_slug?: string,
         *              expires_in_days?: int, inviter_user_id?: string, locale?: string} $invitation
         *
         * @param array $invitation
         * @return array
         */
        public function sendInvitation(array $invitation): array {}

        /**
         * Emails the user a verification code
         * (`POST /user_management/users/{id}/email_verification/send`); answers `['user' => …]`.
         *
         * @param string $userId
         * @return array
         */
        public function sendVerificationEmail(string $userId): array {}

        /**
         * Sets a membership's role
         * (`PUT /user_management/organization_memberships/{id}`); answers the membership.
         *
         * @param string $membershipId
         * @param string $roleSlug
         * @return array
         */
        public function updateOrganizationMembership(string $membershipId, string $roleSlug): array {}

        /**
         * Updates the given fields of a user (`PUT /user_management/users/{id}`;
         * a `password` given becomes the user's WorkOS password); answers the user.
         *
         * @param array{email?: string, password?: string, first_name?: string,
         *              last_name?: string, email_verified?: bool, external_id?: string,
         *              locale?: string} $changes
         *
         * @param string $userId
         * @param array $changes
         * @return array
         */
        public function updateUser(string $userId, array $changes): array {}

        /**
         * Verifies an access token issued for this client: the JWKS comes from
         * worker memory, then the per-host cache in `jwks_cache_dir` (a SQLite
         * database every worker of the machine shares; entries authenticated
         * with `jwks_cache_secret`), then WorkOS (`GET /sso/jwks/{client_id}`),
         * fetched by one worker at a time; an unknown `kid` refetches at most
         * once a minute per host, and a failed fetch is not retried for 10
         * seconds. `$expect` is as for AccessToken::verify().
         *
         * @param array{issuer?: string, audience?: string, leeway?: int, now?: int} $expect
         * @throws \WorkOS\Native\TokenException (reason `jwks_unavailable` when no
         *         keys could be had).
         *
         * @param string $token
         * @param array|null $expect
         * @return array
         */
        public function verifyAccessToken(string $token, ?array $expect = null): array {}

        /**
         * Checks a code against a challenge outside a sign-in
         * (`POST /auth/challenges/{id}/verify`): `['challenge' => …, 'valid' => bool]`.
         *
         * @param string $challengeId
         * @param string $code
         * @return array
         */
        public function verifyAuthChallenge(string $challengeId, string $code): array {}

        /**
         * Verifies the user's address with the emailed code
         * (`POST /user_management/users/{id}/email_verification/confirm`); answers `['user' => …]`.
         *
         * @param string $userId
         * @param string $code
         * @return array
         */
        public function verifyEmail(string $userId, string $code): array {}
    }

    /**
     * The visitor's IP address behind trusted proxies.
     */
    class ClientIp {
        public function __construct() {}

        /**
         * Validates a trusted-proxy list and returns it in canonical form;
         * throws InvalidArgumentException naming the first bad entry.
         *
         * @param array $trustedProxies
         * @return array
         */
        public static function normalizeProxies(array $trustedProxies): array {}

        /**
         * The client address: `$remoteAddr`, or the rightmost `X-Forwarded-For`
         * hop not added by one of `$trustedProxies` (IPs or CIDR ranges). With no
         * trusted proxies the header is ignored.
         *
         * @param string $remoteAddr
         * @param string $forwardedFor
         * @param array|null $trustedProxies
         * @return string
         */
        public static function resolve(string $remoteAddr, string $forwardedFor = '', ?array $trustedProxies = null): string {}
    }

    /**
     * The one form in which email addresses are compared when accounts are
     * linked: lower case, the domain in IDNA ASCII form. Never repairs an address.
     */
    class Email {
        public function __construct() {}

        /**
         * The canonical form of exactly this address; throws
         * InvalidArgumentException (saying why) for an address that is not a
         * plain mailbox or that would change when normalised.
         *
         * @param string $address
         * @return string
         */
        public static function canonical(string $address): string {}

        /**
         * Whether both addresses are usable and name the same mailbox.
         *
         * @param string $a
         * @param string $b
         * @return bool
         */
        public static function same(string $a, string $b): bool {}
    }

    /**
     * Base class of every exception the extension throws.
     */
    class Exception extends \RuntimeException {
        public function __construct() {}
    }

    /**
     * An argument was invalid (wrong type, missing key, out of range).
     */
    class InvalidArgumentException extends \WorkOS\Native\Exception {
        public function __construct() {}
    }

    /**
     * Login Profiles: their fields, defaults and validation
     * (crates/workos-core/src/profile). A profile is an array shaped as the
     * reference plugin's `Profile::to_array()`.
     */
    class LoginProfile {
        public function __construct() {}

        /**
         * The allowed values, for editors: `methods`, `mfa_enforce`,
         * `mfa_factors`, `logo_modes`, `modes`, `matcher_types`,
         * `reserved_paths`, `default_slug`.
         *
         * @return array<string, list<string>|string>
         *
         * @return array
         */
        public static function choices(): array {}

        /**
         * A profile with every default (empty slug, title `Untitled`).
         *
         * @return array
         */
        public static function defaults(): array {}

        /**
         * Whether a custom path would shadow WordPress or this plugin
         * (`wp-admin`, `wp-login.php`, `wp-json`, `feed`, `workos/…`, …).
         *
         * @param string $path
         * @return bool
         */
        public static function isReservedPath(string $path): bool {}

        /**
         * A partial update: `$patch` deep-merged into `$stored` (lists such as
         * `methods` and `mfa.factors` replaced whole; null resets a field to
         * its default). Not validated: pass the result to validate().
         *
         * @param array $stored
         * @param array $patch
         * @return array
         */
        public static function merge(array $stored, array $patch): array {}

        /**
         * The lenient reading, for stored profiles: unknown keys dropped,
         * defaults filled, unusable values replaced by their defaults. Never
         * refuses an array.
         *
         * @param array $profile
         * @return array
         */
        public static function normalize(array $profile): array {}

        /**
         * The strict reading, for what an administrator submits: the complete
         * profile (defaults filled, unknown keys dropped, names canonical), or
         * a ProfileException naming the field and a stable code.
         *
         * @throws \WorkOS\Native\ProfileException
         *
         * @param array $profile
         * @return array
         */
        public static function validate(array $profile): array {}
    }

    /**
     * A passkey ceremony was refused. `getReason()` is a stable code:
     * `invalid_config`, `malformed`, `challenge_mismatch`, `origin_mismatch`,
     * `user_not_verified`, `possible_clone`, `credential_mismatch`,
     * `already_registered`, `verification_failed`, `internal`.
     */
    class PasskeyException extends \WorkOS\Native\Exception {
        public function __construct() {}

        /**
         * The stable machine-readable reason.
         *
         * @return string
         */
        public function getReason(): string {}
    }

    /**
     * Passkey (WebAuthn) registration and sign-in, verified in the extension.
     */
    class Passkeys {
        public function __construct() {}

        /**
         * Verifies a sign-in answer against the kept `$state` and the stored
         * `$passkey` JSON of the credential identify() named. A counter that
         * did not move forward is refused (reason `possible_clone`).
         *
         * @return array{credential_id: string, counter: int, backup_state: bool, updated_passkey: ?string}
         *         store `updated_passkey` back when it is not null.
         * @throws \WorkOS\Native\PasskeyException
         *
         * @param string $origin
         * @param string $rpName
         * @param string $state
         * @param string $response
         * @param string $passkey
         * @return mixed
         */
        public static function finishAuthentication(string $origin, string $rpName, string $state, string $response, string $passkey): mixed {}

        /**
         * Verifies the browser's registration answer (`$response`, the
         * credential as JSON) against the kept `$state`.
         *
         * @return array{credential_id: string, passkey: string, backup_eligible: bool}
         *         `passkey` is the JSON to store for the user.
         * @throws \WorkOS\Native\PasskeyException
         *
         * @param string $origin
         * @param string $rpName
         * @param string $state
         * @param string $response
         * @return mixed
         */
        public static function finishRegistration(string $origin, string $rpName, string $state, string $response): mixed {}

        /**
         * Which user handle and credential a sign-in answer names, NOT
         * verified: only to look the stored credential up.
         *
         * @return array{user_handle: string, credential_id: string}
         * @throws \WorkOS\Native\PasskeyException
         *
         * @param string $response
         * @return mixed
         */
        public static function identify(string $response): mixed {}

        /**
         * Starts a username-less sign-in.
         *
         * @return array{options: array, state: string} `options` for
         *         `navigator.credentials.get({publicKey})`; `state` stays on the server.
         * @throws \WorkOS\Native\PasskeyException
         *
         * @param string $origin
         * @param string $rpName
         * @return mixed
         */
        public static function startAuthentication(string $origin, string $rpName): mixed {}

        /**
         * Starts registering a passkey. `$exclude` lists the base64url ids of
         * the user's existing credentials.
         *
         * @return array{options: array, state: string} `options` for the
         *         browser's `navigator.credentials.create({publicKey})` (binary
         *         fields base64url); `state` stays on the server.
         * @throws \WorkOS\Native\PasskeyException
         * @throws \WorkOS\Native\InvalidArgumentException for a non-string id.
         *
         * @param string $origin
         * @param string $rpName
         * @param string $userHandle
         * @param string $userName
         * @param string $displayName
         * @param array $exclude
         * @return mixed
         */
        public static function startRegistration(string $origin, string $rpName, string $userHandle, string $userName, string $displayName, array $exclude): mixed {}

        /**
         * A fresh random WebAuthn user handle (a UUID) for a user who has none
         * yet; store it with the user, it never changes.
         *
         * @return string
         */
        public static function userHandle(): string {}
    }

    /**
     * PKCE (RFC 7636), S256 only.
     */
    class Pkce {
        public function __construct() {}

        /**
         * The S256 code challenge of `$verifier`.
         *
         * @param string $verifier
         * @return string
         */
        public static function challenge(string $verifier): string {}

        /**
         * The PKCE verifier of a sign-in flow, derived from the site's `$key`,
         * the browser's `$binding` secret and the `$flow` id carried in the
         * state: recomputed at the callback, never stored nor put in a URL.
         *
         * @throws \WorkOS\Native\InvalidArgumentException for an empty key, or
         *         a binding or flow that contains `|`.
         *
         * @param string $key
         * @param string $binding
         * @param string $flow
         * @return string
         */
        public static function derive(string $key, string $binding, string $flow): string {}

        /**
         * A fresh random code verifier (43 characters).
         *
         * @return string
         */
        public static function verifier(): string {}
    }

    /**
     * A Login Profile or routing rule was refused.
     */
    class ProfileException extends \WorkOS\Native\InvalidArgumentException {
        public function __construct() {}

        /**
         * The stable reason, e.g. `workos_profile_invalid_slug`,
         * `workos_profile_path_reserved`, `workos_profile_invalid_methods`.
         *
         * @return string
         */
        public function getErrorCode(): string {}

        /**
         * The field at fault in dotted form, e.g. `branding.primary_color`,
         * `rules[2].matcher.type`.
         *
         * @return string
         */
        public function getField(): string {}
    }

    /**
     * Which Login Profile a login uses when none is named: rules shaped as the
     * reference's option `workos_profile_routing_rules`, `[{profile, matcher:
     * {type: redirect_to|referrer_host|user_role, value}}]`; first match wins.
     */
    class ProfileRouter {
        public function __construct() {}

        /**
         * The slug of the first rule matching `$context`, else `default`.
         * Stored rules are read leniently (bad entries skipped). `$context`:
         * `redirect_to` (URL or path), `referrer` (URL or host), `roles` (the
         * visitor's WordPress roles), `profiles` (slugs that exist: rules
         * naming others are skipped); all optional, other keys refused.
         *
         * @param array{redirect_to?: string, referrer?: string, roles?: list<string>, profiles?: list<string>} $context
         *
         * @param array $rules
         * @param array $context
         * @return string
         */
        public static function choose(array $rules, array $context): string {}

        /**
         * The lenient reading of stored rules: invalid entries dropped.
         *
         * @param array $rules
         * @return array
         */
        public static function normalizeRules(array $rules): array {}

        /**
         * The strict reading of rules an administrator submits: the rules,
         * canonical, or a ProfileException naming the bad one
         * (`rules[2].matcher.type`, code `workos_profile_invalid_rule`).
         *
         * @throws \WorkOS\Native\ProfileException
         *
         * @param array $rules
         * @return array
         */
        public static function validateRules(array $rules): array {}
    }

    /**
     * Rate-limit decisions (GCRA): the caller stores one number per key.
     */
    class RateLimit {
        public function __construct() {}

        /**
         * Decides one attempt: `$limit` per `$periodSeconds` (bursts up to
         * `$limit`) for a key whose stored value is `$tatMs` (0 for a new key).
         * Returns `['allowed' => bool, 'tat_ms' => int (store it when allowed),
         * 'retry_after_ms' => int, 'remaining' => int]`.
         *
         * @param int $tatMs
         * @param int $nowMs
         * @param int $limit
         * @param int $periodSeconds
         * @return array
         */
        public static function check(int $tatMs, int $nowMs, int $limit, int $periodSeconds): array {}
    }

    /**
     * Redirect-target rules.
     */
    class Redirect {
        public function __construct() {}

        /**
         * Returns `$target` as an absolute URL when it stays on the origin of
         * `$siteUrl` (or on one of `$allowedHosts`), otherwise `$fallback`.
         * Tricks like `//evil.example`, `/\evil.example` and credentials in the
         * URL are judged by where a browser would really go.
         *
         * @param string $target
         * @param string $siteUrl
         * @param string $fallback
         * @param array|null $allowedHosts
         * @return string
         */
        public static function validate(string $target, string $siteUrl, string $fallback, ?array $allowedHosts = null): string {}
    }

    /**
     * WorkOS role slugs → WordPress role.
     */
    class Roles {
        public function __construct() {}

        /**
         * The WordPress role for the WorkOS roles a user holds.
         *
         * `$map` is `['workos-slug' => 'wp_role', …]` in priority order (the first
         * entry the user holds wins). `$held` may be a slug, a list of slugs, the
         * access token's claims (`role`/`roles`), or organization memberships
         * (`role` is `{slug}`, `roles` a list of them). Returns `$default` when no
         * held role is mapped, and null when `$default` is empty too.
         *
         * @param array<string, string> $map
         *
         * @param array $map
         * @param mixed $held
         * @param string|null $default
         * @return string|null
         */
        public static function resolve(array $map, mixed $held, ?string $default = null): ?string {}

        /**
         * The WorkOS role slugs found in claims, memberships or lists of them.
         *
         * @return list<string>
         *
         * @param mixed $held
         * @return array
         */
        public static function slugs(mixed $held): array {}
    }

    /**
     * A webhook failed verification: the message says which check (missing,
     * malformed, stale, mismatch, bad JSON).
     */
    class SignatureException extends \WorkOS\Native\Exception {
        public function __construct() {}
    }

    /**
     * Signed, browser-bound OAuth `state` values.
     */
    class State {
        public function __construct() {}

        /**
         * Issues a state carrying `$data`, signed with `$secret` (≥ 16 bytes),
         * bound to `$binding` (a secret the browser holds, e.g. in a cookie) and
         * valid for `$ttlSeconds`.
         *
         * @param string $secret
         * @param string $binding
         * @param array|null $data
         * @param int $ttlSeconds
         * @return string
         */
        public static function issue(string $secret, string $binding, ?array $data = null, int $ttlSeconds = 600): string {}

        /**
         * Verifies a state against the same secret and binding and returns
         * `['nonce' => string, 'expires_at' => int, 'data' => array]`.
         *
         * @throws \WorkOS\Native\StateException when tampered, expired, or bound
         *         to another browser.
         *
         * @param string $secret
         * @param string $state
         * @param string $binding
         * @param int|null $now
         * @return array
         */
        public static function verify(string $secret, string $state, string $binding, ?int $now = null): array {}
    }

    /**
     * An OAuth state value was refused (tampered, expired, other browser).
     */
    class StateException extends \WorkOS\Native\Exception {
        public function __construct() {}
    }

    /**
     * An access token or JWKS was refused.
     */
    class TokenException extends \WorkOS\Native\Exception {
        public function __construct() {}

        /**
         * A stable machine-readable reason, e.g. `expired`, `unknown_kid`,
         * `bad_signature`, `algorithm_not_allowed`, `malformed`, `bad_jwks`.
         *
         * @return string
         */
        public function getReason(): string {}
    }

    /**
     * Verification of WorkOS webhook deliveries.
     */
    class Webhook {
        public function __construct() {}

        /**
         * What a verified event is about, for applying it once and in order:
         * `['id', 'event', 'object_key' => 'user:user_…'|null, 'version' => unix ms]`.
         * Events about the same `object_key` must be applied only when their
         * `version` is not older than the last one applied.
         *
         * @throws \WorkOS\Native\InvalidArgumentException naming what is missing.
         *
         * @param array $event
         * @return array
         */
        public static function describe(array $event): array {}

        /**
         * The `WorkOS-Signature` header WorkOS would send for `$payload` at
         * `$timestampMs` (for tests and for replaying deliveries).
         *
         * @param string $payload
         * @param string $secret
         * @param int $timestampMs
         * @return string
         */
        public static function sign(string $payload, string $secret, int $timestampMs): string {}

        /**
         * Checks a `WorkOS-Signature` header (`t=<unix ms>, v1=<hex>`; several
         * `v1` values allowed) against the raw request body with a constant-time
         * compare, refuses timestamps further than `$toleranceSeconds` from now,
         * and returns the decoded event.
         *
         * @throws \WorkOS\Native\SignatureException saying which check failed:
         *         missing, malformed, stale, mismatch or bad JSON.
         *
         * @param string $payload
         * @param string $signatureHeader
         * @param string $secret
         * @param int $toleranceSeconds
         * @param int|null $nowMs
         * @return array
         */
        public static function verify(string $payload, string $signatureHeader, string $secret, int $toleranceSeconds = 180, ?int $nowMs = null): array {}

        /**
         * Verifies a delivery (as verify()) and describes its event (as
         * describe()) in one call: `['event' => [...decoded event],
         * 'info' => ['id', 'event', 'object_key' => 'user:user_…'|null,
         * 'version' => unix ms]]`.
         *
         * @throws \WorkOS\Native\SignatureException when the signature does not
         *         verify (missing, malformed, stale or mismatch).
         * @throws \WorkOS\Native\InvalidArgumentException when a signed body is
         *         not a JSON object or its event lacks what orders it (naming
         *         what is wrong): WorkOS sent it, so it is not a signature
         *         failure, and retrying will not help.
         *
         * @param string $payload
         * @param string $signatureHeader
         * @param string $secret
         * @param int $toleranceSeconds
         * @param int|null $nowMs
         * @return array
         */
        public static function verifyEvent(string $payload, string $signatureHeader, string $secret, int $toleranceSeconds = 180, ?int $nowMs = null): array {}
    }

    /**
     * The version of the loaded `workos` extension (for diagnostics and for
     * plugins that need a minimum version).
     *
     * @return string
     */
    function version(): string {}
}
