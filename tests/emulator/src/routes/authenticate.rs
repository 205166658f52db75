//! `POST /user_management/authenticate`: every grant the emulator supports,
//! and the step-up errors WorkOS answers with before it issues a session.

use super::{auth_factors, email_verification, invitations, magic_auth, radar};
use crate::app::{App, Shared};
use crate::auth_events::Attempt;
use crate::body::{self, Fields};
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, OneTimeCode, Refusal};
use crate::model::{LoginState, Mfa, Pending, Session, Stage, SESSION_TTL_MS};
use crate::store::Store;
use crate::tokens;
use crate::util::{new_id, now_ms, pkce_s256_matches, random_token};
use crate::webhooks;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Map, Value};

pub const ORGANIZATION_SELECTION: &str = "urn:workos:oauth:grant-type:organization-selection";
pub const EMAIL_VERIFICATION: &str = "urn:workos:oauth:grant-type:email-verification:code";
const NOT_EMULATED: &[&str] = &[
    "urn:workos:oauth:grant-type:radar-email-challenge:code",
    "urn:workos:oauth:grant-type:radar-sms-challenge:code",
    "urn:ietf:params:oauth:grant-type:device_code",
];

const PENDING_TTL_MS: u64 = 10 * 60 * 1000;

pub async fn authenticate(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let client_id = body::req_str(&f, "client_id")?;
    let grant_type = body::req_str(&f, "grant_type")?;
    if client_id != app.config.client_id {
        return Err(ApiError::oauth("invalid_client", "Invalid client ID."));
    }
    // Public clients may omit the secret (PKCE); a wrong one is always refused.
    let client_secret = body::opt_str(&f, "client_secret")?;
    if client_secret
        .as_ref()
        .is_some_and(|s| *s != app.config.api_key)
    {
        return Err(ApiError::oauth("invalid_client", "Invalid client secret."));
    }
    let has_secret = client_secret.is_some();
    radar::record(&app, &grant_type, &f);
    let mut store = app.store();
    let result = match grant_type.as_str() {
        "authorization_code" => grant_code(&app, &mut store, &f, has_secret),
        "password" => grant_password(&app, &mut store, &f, has_secret),
        "refresh_token" => grant_refresh(&app, &mut store, &f),
        ORGANIZATION_SELECTION => grant_organization_selection(&app, &mut store, &f),
        EMAIL_VERIFICATION => grant_email_verification(&app, &mut store, &f),
        magic_auth::GRANT => grant_magic_auth(&app, &mut store, &f, has_secret),
        auth_factors::GRANT => grant_mfa_totp(&app, &mut store, &f),
        g if NOT_EMULATED.contains(&g) => Err(ApiError::oauth(
            "invalid_request",
            format!("The WorkOS emulator does not support grant_type '{g}'."),
        )),
        other => Err(ApiError::invalid_field(
            "grant_type",
            format!("Unsupported grant_type '{other}'."),
        )),
    };
    result.map(Json)
}

pub fn login_state(f: &Fields, user_id: &str, method: &str, org: Option<String>) -> LoginState {
    let text = |k: &str| body::opt_str(f, k).ok().flatten();
    LoginState {
        user_id: user_id.to_string(),
        method: method.to_string(),
        organization_id: org,
        email_checked: false,
        mfa_checked: false,
        ip_address: text("ip_address"),
        user_agent: text("user_agent"),
    }
}

fn invalid_grant(description: &str) -> ApiError {
    ApiError::oauth("invalid_grant", description)
}

fn grant_code(app: &App, store: &mut Store, f: &Fields, has_secret: bool) -> ApiResult<Value> {
    let code = body::req_str(f, "code")?;
    let verifier = body::opt_str(f, "code_verifier")?;
    // Single use: the code is spent by any attempt to redeem it.
    let Some(grant) = store.codes.remove(&code) else {
        return Err(invalid_grant(
            "The code is invalid or has already been used.",
        ));
    };
    if grant.expires_at < now_ms() {
        return Err(invalid_grant("The code has expired."));
    }
    if grant.client_id != app.config.client_id {
        return Err(invalid_grant("The code was issued to another client."));
    }
    match (&grant.code_challenge, &verifier) {
        (Some(challenge), Some(verifier)) => {
            if !pkce_s256_matches(verifier, challenge) {
                return Err(invalid_grant(
                    "The code_verifier does not match the code_challenge.",
                ));
            }
        }
        (Some(_), None) => {
            return Err(invalid_grant(
                "A code_verifier is required: the authorization used a code_challenge.",
            ))
        }
        (None, Some(_)) => {
            return Err(ApiError::code(
                StatusCode::BAD_REQUEST,
                "code_challenge_not_found",
                "No code_challenge was sent with the authorization request.",
            ))
        }
        (None, None) if !has_secret => {
            return Err(ApiError::oauth(
                "invalid_client",
                "client_secret is required without PKCE.",
            ))
        }
        (None, None) => {}
    }
    if !store.users.contains_key(&grant.user_id) {
        return Err(invalid_grant("The user no longer exists."));
    }
    let mut login = login_state(f, &grant.user_id, &grant.method, grant.organization_id);
    with_invitation(app, store, f, &mut login)?;
    finish(app, store, login)
}

/// The grant's `invitation_token`, when there is one: accepted for the user
/// whose credentials were just checked, and the sign-in then belongs to the
/// invitation's organization.
fn with_invitation(
    app: &App,
    store: &mut Store,
    f: &Fields,
    login: &mut LoginState,
) -> ApiResult<()> {
    if let Some(token) = body::opt_str(f, "invitation_token")? {
        if let Some(org) = invitations::redeem_token(app, store, &token, &login.user_id)? {
            login.organization_id = Some(org);
        }
    }
    Ok(())
}

fn grant_password(app: &App, store: &mut Store, f: &Fields, has_secret: bool) -> ApiResult<Value> {
    if !has_secret {
        return Err(ApiError::oauth(
            "invalid_client",
            "client_secret is required for the password grant.",
        ));
    }
    let email = body::req_str(f, "email")?;
    let password = body::req_str(f, "password")?;
    let attempt = Attempt::from_fields("password", f);
    let user_id = match store.user_by_email(&email) {
        Some(u) if u.password_hash.as_deref() == Some(&crate::util::hash_password(&password)) => {
            u.id.clone()
        }
        known => {
            let user_id = known.map(|u| u.id.as_str());
            return Err(attempt.by(user_id, Some(&email)).failed(
                app,
                ApiError::code(
                    StatusCode::BAD_REQUEST,
                    "invalid_credentials",
                    "Invalid credentials.",
                ),
            ));
        }
    };
    let email = store.user(&user_id)?.email.clone();
    attempt.by(Some(&user_id), Some(&email)).succeeded(app);
    let mut login = login_state(f, &user_id, "Password", None);
    with_invitation(app, store, f, &mut login)?;
    finish(app, store, login)
}

/// `grant_type=urn:workos:oauth:grant-type:magic-auth:code`. A correct code
/// proves the address, so the user comes out verified.
fn grant_magic_auth(
    app: &App,
    store: &mut Store,
    f: &Fields,
    has_secret: bool,
) -> ApiResult<Value> {
    if !has_secret {
        return Err(ApiError::oauth(
            "invalid_client",
            "client_secret is required for the magic auth grant.",
        ));
    }
    let code = body::req_str(f, "code")?;
    let email = body::req_str(f, "email")?.trim().to_lowercase();
    let user_id = store.user_by_email(&email).map(|u| u.id.clone());
    let attempt = Attempt::from_fields("magic_auth", f).by(user_id.as_deref(), Some(&email));
    if let Err(e) = magic_auth::redeem(store, user_id.as_deref(), &code) {
        return Err(attempt.failed(app, e));
    }
    let user_id = user_id.unwrap_or_default();
    let user = store.user_mut(&user_id)?;
    if !user.email_verified {
        user.email_verified = true;
        user.updated_at = now_ms();
        let json = user.to_json();
        webhooks::emit(app, "user.updated", json);
    }
    attempt.succeeded(app);
    let mut login = login_state(f, &user_id, "MagicAuth", None);
    login.email_checked = true;
    with_invitation(app, store, f, &mut login)?;
    finish(app, store, login)
}

fn grant_refresh(app: &App, store: &mut Store, f: &Fields) -> ApiResult<Value> {
    let token = body::req_str(f, "refresh_token")?;
    let requested_org = body::opt_str(f, "organization_id")?;
    let Some(session_id) = store.refresh_tokens.get(&token).cloned() else {
        return Err(invalid_grant(
            "The refresh token is invalid or has already been used.",
        ));
    };
    let now = now_ms();
    let session = match store.sessions.get(&session_id) {
        Some(s) if s.status == "active" && s.expires_at > now => s.clone(),
        _ => return Err(invalid_grant("The session has ended.")),
    };
    let user = store
        .users
        .get(&session.user_id)
        .cloned()
        .ok_or_else(|| invalid_grant("The user no longer exists."))?;
    let org = requested_org.or(session.organization_id.clone());
    if let Some(org_id) = &org {
        if !store.orgs.contains_key(org_id) {
            return Err(ApiError::oauth(
                "organization_not_found",
                format!("Organization not found: '{org_id}'."),
            ));
        }
        if !store
            .membership_of(&user.id, org_id)
            .is_some_and(|m| m.is_active())
        {
            return Err(ApiError::oauth(
                "organization_membership_not_found",
                "The user has no active membership in the organization.",
            ));
        }
    }
    // Rotation: the presented token is spent only once the refresh succeeds.
    store.refresh_tokens.remove(&token);
    let refresh_token = tokens::new_refresh_token(store, &session_id);
    if let Some(s) = store.sessions.get_mut(&session_id) {
        s.organization_id = org.clone();
        s.updated_at = now;
    }
    let claims = tokens::access_claims(app, store, &user.id, &session_id, org.as_deref());
    let access_token = tokens::sign(app, &claims).map_err(internal)?;
    Ok(auth_body(
        user.to_json(),
        org.as_deref(),
        access_token,
        refresh_token,
        &session.method,
    ))
}

fn take_pending(store: &mut Store, f: &Fields, stage: Stage) -> ApiResult<(String, Pending)> {
    let token = body::req_str(f, "pending_authentication_token")?;
    match store.pending.get(&token) {
        Some(p) if p.stage == stage && p.expires_at > now_ms() => Ok((token, p.clone())),
        _ => Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "invalid_pending_authentication_token",
            "The pending authentication token is invalid or has expired.",
        )),
    }
}

fn grant_organization_selection(app: &App, store: &mut Store, f: &Fields) -> ApiResult<Value> {
    let org_id = body::req_str(f, "organization_id")?;
    let (token, pending) = take_pending(store, f, Stage::OrganizationSelection)?;
    store.org(&org_id)?;
    if !store
        .membership_of(&pending.login.user_id, &org_id)
        .is_some_and(|m| m.is_active())
    {
        return Err(ApiError::oauth(
            "organization_membership_not_found",
            "The user has no active membership in the organization.",
        ));
    }
    store.pending.remove(&token);
    let mut login = pending.login;
    login.organization_id = Some(org_id);
    finish(app, store, login)
}

fn grant_email_verification(app: &App, store: &mut Store, f: &Fields) -> ApiResult<Value> {
    let code = body::req_str(f, "code")?;
    let (token, pending) = take_pending(store, f, Stage::EmailVerification)?;
    let user_id = pending.login.user_id.clone();
    let email = store.user(&user_id)?.email.clone();
    let attempt = Attempt::from_fields("email_verification", f).by(Some(&user_id), Some(&email));
    let now = now_ms();
    let matching = store
        .email_verifications
        .values()
        .find(|v| v.user_id == user_id && v.matches(&code))
        .cloned();
    let failure = match one_time_code::judge(matching.as_ref(), now) {
        Err(Refusal::Unknown | Refusal::Used) => {
            Some(("invalid_one_time_code", "The code is invalid."))
        }
        Err(Refusal::Expired) => Some(("one_time_code_expired", "The code has expired.")),
        Ok(()) => None,
    };
    if let Some((code, message)) = failure {
        let error = ApiError::code(StatusCode::BAD_REQUEST, code, message);
        return Err(attempt.failed(app, error));
    }
    store
        .email_verifications
        .retain(|_, v| v.user_id != user_id);
    store.pending.remove(&token);
    let user = store.user_mut(&user_id)?;
    user.email_verified = true;
    user.updated_at = now;
    let user_json = user.to_json();
    webhooks::emit(app, "user.updated", user_json);
    attempt.succeeded(app);
    let mut login = pending.login;
    login.email_checked = true;
    finish(app, store, login)
}

/// `grant_type=urn:workos:oauth:grant-type:mfa-totp`: the code the user's
/// authenticator shows for the challenge of one of their factors.
fn grant_mfa_totp(app: &App, store: &mut Store, f: &Fields) -> ApiResult<Value> {
    let code = body::req_str(f, "code")?;
    let challenge_id = body::req_str(f, "authentication_challenge_id")?;
    let (token, pending) = take_pending(store, f, Stage::Mfa)?;
    let user_id = pending.login.user_id.clone();
    let email = store.user(&user_id)?.email.clone();
    let attempt = Attempt::from_fields("mfa", f).by(Some(&user_id), Some(&email));
    if auth_factors::challenge_user(store, &challenge_id).as_deref() != Some(user_id.as_str()) {
        if !store.auth_challenges.contains_key(&challenge_id) {
            return Err(attempt.failed(
                app,
                ApiError::not_found("Authentication challenge", challenge_id),
            ));
        }
        let error = ApiError::code(
            StatusCode::BAD_REQUEST,
            "user_mismatch",
            "The challenge belongs to another user.",
        );
        return Err(attempt.failed(app, error));
    }
    match auth_factors::check_code(store, &challenge_id, &code) {
        Ok(true) => {}
        Ok(false) => {
            let error = ApiError::code(
                StatusCode::BAD_REQUEST,
                "invalid_one_time_code",
                "The code is invalid.",
            );
            return Err(attempt.failed(app, error));
        }
        Err(error) => return Err(attempt.failed(app, error)),
    }
    store.pending.remove(&token);
    attempt.succeeded(app);
    let mut login = pending.login;
    login.mfa_checked = true;
    finish(app, store, login)
}

fn park(store: &mut Store, stage: Stage, login: LoginState) -> String {
    let token = random_token(32);
    store.pending.insert(
        token.clone(),
        Pending {
            stage,
            login,
            expires_at: now_ms() + PENDING_TTL_MS,
        },
    );
    token
}

fn step_up(code: &str, message: &str, extra: Map<String, Value>) -> ApiError {
    ApiError::code_with(StatusCode::FORBIDDEN, code, message, extra)
}

fn internal(e: String) -> ApiError {
    ApiError::message(StatusCode::INTERNAL_SERVER_ERROR, e)
}

fn auth_body(
    user: Value,
    org: Option<&str>,
    access: String,
    refresh: String,
    method: &str,
) -> Value {
    let mut body = json!({
        "user": user,
        "access_token": access,
        "refresh_token": refresh,
        "authentication_method": method,
    });
    if let Some(org) = org {
        body["organization_id"] = json!(org);
    }
    body
}

/// Runs the checks WorkOS makes after the credentials are accepted (email
/// verification, MFA, organization choice), in that order, then opens a session.
pub fn finish(app: &App, store: &mut Store, mut login: LoginState) -> ApiResult<Value> {
    let user = store
        .users
        .get(&login.user_id)
        .cloned()
        .ok_or_else(|| invalid_grant("The user no longer exists."))?;
    let now = now_ms();

    if !login.email_checked && !user.email_verified {
        let verification = email_verification::new_verification(&user.id, user.email.clone());
        let verification_id = verification.id.clone();
        store
            .email_verifications
            .insert(verification.id.clone(), verification);
        let token = park(store, Stage::EmailVerification, login);
        let mut extra = Map::new();
        extra.insert("pending_authentication_token".into(), json!(token));
        extra.insert("email".into(), json!(user.email));
        extra.insert("email_verification_id".into(), json!(verification_id));
        return Err(step_up(
            "email_verification_required",
            "Email ownership must be verified before authentication.",
            extra,
        ));
    }
    login.email_checked = true;

    // A user with a factor is challenged; one without, where MFA is
    // required (`mfa: enrollment` in the control API), must enrol first.
    let factors = if login.mfa_checked {
        Vec::new()
    } else {
        auth_factors::factors_of(store, &user.id)?
    };
    if !login.mfa_checked && (!factors.is_empty() || user.mfa == Mfa::Enrollment) {
        let mut extra = Map::new();
        extra.insert("user".into(), user.to_json());
        let (code, message) = if factors.is_empty() {
            (
                "mfa_enrollment",
                "The user must enroll in MFA to finish authenticating.",
            )
        } else {
            let list: Vec<Value> = factors.iter().map(|f| f.to_json()).collect();
            extra.insert("authentication_factors".into(), json!(list));
            (
                "mfa_challenge",
                "The user must complete an MFA challenge to finish authenticating.",
            )
        };
        let token = park(store, Stage::Mfa, login);
        extra.insert("pending_authentication_token".into(), json!(token));
        return Err(step_up(code, message, extra));
    }
    login.mfa_checked = true;

    let memberships = store.active_memberships(&user.id);
    let organization_id = match &login.organization_id {
        Some(org_id) => {
            if !memberships.iter().any(|m| &m.organization_id == org_id) {
                return Err(ApiError::oauth(
                    "organization_membership_not_found",
                    "The user has no active membership in the organization.",
                ));
            }
            Some(org_id.clone())
        }
        None if memberships.len() == 1 => Some(memberships[0].organization_id.clone()),
        None if memberships.len() > 1 => {
            let organizations: Vec<Value> = memberships
                .iter()
                .filter_map(|m| store.orgs.get(&m.organization_id))
                .map(|o| json!({"id": o.id, "name": o.name}))
                .collect();
            let token = park(store, Stage::OrganizationSelection, login);
            let mut extra = Map::new();
            extra.insert("pending_authentication_token".into(), json!(token));
            extra.insert("organizations".into(), json!(organizations));
            extra.insert("user".into(), user.to_json());
            return Err(step_up(
                "organization_selection_required",
                "The user must choose an organization to finish their authentication.",
                extra,
            ));
        }
        None => None,
    };

    let session = Session {
        seq: store.next_seq(),
        id: new_id("session"),
        user_id: user.id.clone(),
        organization_id: organization_id.clone(),
        method: login.method.clone(),
        status: "active".into(),
        ip_address: login.ip_address.clone(),
        user_agent: login.user_agent.clone(),
        created_at: now,
        updated_at: now,
        expires_at: now + SESSION_TTL_MS,
        ended_at: None,
    };
    store.sessions.insert(session.id.clone(), session.clone());
    let refresh_token = tokens::new_refresh_token(store, &session.id);
    let claims = tokens::access_claims(
        app,
        store,
        &user.id,
        &session.id,
        organization_id.as_deref(),
    );
    let access_token = tokens::sign(app, &claims).map_err(internal)?;
    let user_json = {
        let u = store.user_mut(&user.id)?;
        u.last_sign_in_at = Some(now);
        u.to_json()
    };
    webhooks::emit(app, "session.created", session.to_json());
    Ok(auth_body(
        user_json,
        organization_id.as_deref(),
        access_token,
        refresh_token,
        &login.method,
    ))
}
