//! MFA: TOTP enrolment of a user (`/user_management/users/{id}/auth_factors`),
//! challenges and their verification (`/auth/factors/{id}/challenge`,
//! `/auth/challenges/{id}/verify`), the `mfa-totp` grant's check, and the
//! control lookup that plays the authenticator app.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::{totp, AuthChallenge, AuthFactor, Mfa};
use crate::store::{page, ListParams, Store};
use crate::util::{new_id, now_ms, now_secs};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const GRANT: &str = "urn:workos:oauth:grant-type:mfa-totp";
const CHALLENGE_TTL_MS: u64 = 10 * 60 * 1000;
/// Wrong codes a challenge takes before WorkOS refuses it outright.
pub const MAX_ATTEMPTS: u32 = 5;
const DEFAULT_ISSUER: &str = "WorkOS";

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::message(StatusCode::UNPROCESSABLE_ENTITY, message)
}

fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    crate::model::base32_encode(&bytes)
}

pub fn insert_factor(
    store: &mut Store,
    id: Option<String>,
    user_id: &str,
    issuer: Option<String>,
    account: Option<String>,
    secret: Option<String>,
) -> ApiResult<AuthFactor> {
    let email = store.user(user_id)?.email.clone();
    let now = now_ms();
    let factor = AuthFactor {
        seq: store.next_seq(),
        id: id.unwrap_or_else(|| new_id("auth_factor")),
        user_id: user_id.to_string(),
        issuer: issuer.unwrap_or_else(|| DEFAULT_ISSUER.to_string()),
        account: account.unwrap_or(email),
        secret: secret.unwrap_or_else(new_secret),
        created_at: now,
        updated_at: now,
    };
    store.auth_factors.insert(factor.id.clone(), factor.clone());
    Ok(factor)
}

fn new_challenge(store: &mut Store, factor_id: &str) -> AuthChallenge {
    let now = now_ms();
    let challenge = AuthChallenge {
        id: new_id("auth_challenge"),
        factor_id: factor_id.to_string(),
        created_at: now,
        updated_at: now,
        expires_at: now + CHALLENGE_TTL_MS,
        verified_at: None,
        failed_attempts: 0,
    };
    store
        .auth_challenges
        .insert(challenge.id.clone(), challenge.clone());
    challenge
}

/// The user's factors, oldest first. A user the control API marked
/// `mfa: challenge` gets the factor it stands for made real on first use.
pub fn factors_of(store: &mut Store, user_id: &str) -> ApiResult<Vec<AuthFactor>> {
    let user = store.user(user_id)?.clone();
    let mut list: Vec<AuthFactor> = store
        .auth_factors
        .values()
        .filter(|f| f.user_id == user_id)
        .cloned()
        .collect();
    if list.is_empty() && user.mfa == Mfa::Challenge {
        list.push(insert_factor(
            store,
            user.factor_id.clone(),
            user_id,
            None,
            None,
            None,
        )?);
    }
    list.sort_by_key(|f| f.seq);
    Ok(list)
}

/// `POST /user_management/users/{id}/auth_factors`.
pub async fn enroll(
    State(app): State<Shared>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let kind = body::req_str(&f, "type")?;
    if kind != "totp" {
        return Err(unprocessable(format!("type must be 'totp', not '{kind}'.")));
    }
    let issuer = body::opt_str(&f, "totp_issuer")?;
    let account = body::opt_str(&f, "totp_user")?;
    let secret = body::opt_str(&f, "totp_secret")?;
    if let Some(s) = &secret {
        let ok = crate::model::base32_decode(s).is_some_and(|b| b.len() >= 10);
        if !ok {
            return Err(unprocessable(
                "totp_secret must be a Base32 secret of at least 80 bits.",
            ));
        }
    }
    let mut store = app.store();
    if store.user(&user_id).is_err() {
        return Err(unprocessable(format!("User not found: '{user_id}'.")));
    }
    let factor = insert_factor(&mut store, None, &user_id, issuer, account, secret)?;
    let challenge = new_challenge(&mut store, &factor.id);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "authentication_factor": factor.enrolled_json(),
            "authentication_challenge": challenge.to_json(),
        })),
    )
        .into_response())
}

/// `GET /user_management/users/{id}/auth_factors`.
pub async fn list(
    State(app): State<Shared>,
    Path(user_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let mut store = app.store();
    if store.user(&user_id).is_err() {
        return Err(unprocessable(format!("User not found: '{user_id}'.")));
    }
    let factors = factors_of(&mut store, &user_id)?;
    Ok(Json(page(factors, &params, |f| &f.id, AuthFactor::to_json)))
}

/// `GET /auth/factors/{id}`.
pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    app.store()
        .auth_factors
        .get(&id)
        .map(|f| Json(f.to_json()))
        .ok_or_else(|| ApiError::not_found("Authentication factor", id))
}

/// `DELETE /auth/factors/{id}`.
pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = app.store();
    if store.auth_factors.remove(&id).is_none() {
        return Err(ApiError::not_found("Authentication factor", id));
    }
    store.auth_challenges.retain(|_, c| c.factor_id != id);
    Ok(StatusCode::OK)
}

/// `POST /auth/factors/{id}/challenge`. TOTP challenges carry no code: the
/// user's app makes it.
pub async fn challenge(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Response> {
    let mut store = app.store();
    if !store.auth_factors.contains_key(&id) {
        return Err(ApiError::not_found("Authentication factor", id));
    }
    let challenge = new_challenge(&mut store, &id);
    Ok((StatusCode::CREATED, Json(challenge.to_json())).into_response())
}

/// Why a code does not pass a challenge, in WorkOS's terms, or Ok(valid).
/// A code from the previous, current or next 30-second step passes (clock
/// drift); a passed challenge cannot be used again.
pub fn check_code(store: &mut Store, challenge_id: &str, code: &str) -> ApiResult<bool> {
    let now = now_ms();
    let challenge = store
        .auth_challenges
        .get(challenge_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Authentication challenge", challenge_id))?;
    if challenge.failed_attempts >= MAX_ATTEMPTS {
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "one_time_code_too_many_attempts",
            "Too many wrong codes were tried for this challenge.",
        ));
    }
    if challenge.verified_at.is_some() {
        return Err(unprocessable(
            "The authentication challenge was already verified.",
        ));
    }
    let secret = store
        .auth_factors
        .get(&challenge.factor_id)
        .map(|f| f.secret.clone())
        .ok_or_else(|| ApiError::not_found("Authentication factor", &challenge.factor_id))?;
    let t = now_secs();
    let valid = [t.saturating_sub(30), t, t + 30]
        .iter()
        .any(|&at| totp(&secret, at).as_deref() == Some(code));
    if let Some(c) = store.auth_challenges.get_mut(challenge_id) {
        c.updated_at = now;
        if valid {
            c.verified_at = Some(now);
        } else {
            c.failed_attempts += 1;
        }
    }
    Ok(valid)
}

/// `POST /auth/challenges/{id}/verify`: a wrong code is `valid: false`.
pub async fn verify(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let code = body::req_str(&f, "code")?;
    let mut store = app.store();
    let valid = check_code(&mut store, &id, &code)?;
    let challenge = store.auth_challenges.get(&id).map(AuthChallenge::to_json);
    Ok((
        StatusCode::CREATED,
        Json(json!({"challenge": challenge, "valid": valid})),
    )
        .into_response())
}

/// The user a challenge's factor belongs to.
pub fn challenge_user(store: &Store, challenge_id: &str) -> Option<String> {
    let c = store.auth_challenges.get(challenge_id)?;
    store
        .auth_factors
        .get(&c.factor_id)
        .map(|f| f.user_id.clone())
}

/// `GET /__emulator/auth_factors?email=…|user_id=…[&at=UNIX]`: the user's
/// factors with their secrets and the code an authenticator app would show.
pub async fn control_list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    let user_id = match (q.get("user_id"), q.get("email")) {
        (Some(id), _) => id.clone(),
        (None, Some(email)) => store
            .user_by_email(email)
            .map(|u| u.id.clone())
            .ok_or_else(|| ApiError::no_such("user", email))?,
        _ => return Err(ApiError::setup("user_id or email is required")),
    };
    if store.user(&user_id).is_err() {
        return Err(ApiError::no_such("user", &user_id));
    }
    let at = match q.get("at") {
        Some(t) => t
            .parse::<u64>()
            .map_err(|_| ApiError::setup("at must be a Unix time in seconds"))?,
        None => now_secs(),
    };
    let factors = factors_of(&mut store, &user_id)?;
    let list: Vec<Value> = factors
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "user_id": f.user_id,
                "type": "totp",
                "secret": f.secret,
                "uri": f.uri(),
                "code": totp(&f.secret, at),
            })
        })
        .collect();
    Ok(Json(json!({"data": list})))
}
