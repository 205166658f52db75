//! MFA: TOTP enrolment of a user (`/user_management/users/{id}/auth_factors`),
//! the MFA API's factors (`/auth/factors/enroll`: SMS, TOTP, generic OTP),
//! challenges and their verification (`/auth/factors/{id}/challenge`,
//! `/auth/challenges/{id}/verify`), the `mfa-totp` grant's check, and the
//! control lookups that play the authenticator app (`/__emulator/auth_factors`)
//! and the phone (`/__emulator/sms`).

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::{totp, AuthChallenge, AuthFactor, FactorKind, Mfa, SmsMessage};
use crate::store::{page, ListParams, Store};
use crate::util::{new_id, now_ms, now_secs, random_digits};
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
/// What an SMS says when the caller gives no `sms_template`.
const DEFAULT_SMS: &str = "Your verification code is {{code}}.";
/// Longest `sms_template` taken (one SMS, give or take).
const MAX_SMS_TEMPLATE: usize = 300;

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
    let kind = FactorKind::Totp {
        issuer: issuer.unwrap_or_else(|| DEFAULT_ISSUER.to_string()),
        account: account.unwrap_or(email),
        secret: secret.unwrap_or_else(new_secret),
    };
    Ok(store_factor(store, id, user_id, true, kind))
}

fn store_factor(
    store: &mut Store,
    id: Option<String>,
    user_id: &str,
    user_management: bool,
    kind: FactorKind,
) -> AuthFactor {
    let now = now_ms();
    let factor = AuthFactor {
        seq: store.next_seq(),
        id: id.unwrap_or_else(|| new_id("auth_factor")),
        user_id: user_id.to_string(),
        user_management,
        kind,
        created_at: now,
        updated_at: now,
    };
    store.auth_factors.insert(factor.id.clone(), factor.clone());
    factor
}

fn new_challenge(store: &mut Store, factor_id: &str, code: Option<String>) -> AuthChallenge {
    let now = now_ms();
    let challenge = AuthChallenge {
        id: new_id("auth_challenge"),
        factor_id: factor_id.to_string(),
        created_at: now,
        updated_at: now,
        expires_at: now + CHALLENGE_TTL_MS,
        code,
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
        .filter(|f| f.user_id == user_id && f.user_management)
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
    let challenge = new_challenge(&mut store, &factor.id, None);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "authentication_factor": factor.enrolled_json(),
            "authentication_challenge": challenge.to_json(),
        })),
    )
        .into_response())
}

/// Whether `phone` is an E.164 number: `+`, then 8 to 15 digits, the first
/// not 0. (WorkOS refuses numbers it cannot text with a 422; the exact rule
/// is not in the spec.)
fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

/// `POST /auth/factors/enroll` (the MFA API): an `sms` factor (with
/// `phone_number`), a `totp` one (`totp_issuer` and `totp_user` required,
/// as the spec says) or a `generic_otp` one. `user_id`, when given, must be
/// a user's; the factor is then shown with it, but it is not one of the
/// user's sign-in factors (see AuthFactor::user_management).
pub async fn enroll_mfa(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let kind = body::req_str(&f, "type")?;
    let user_id = body::opt_str(&f, "user_id")?.unwrap_or_default();
    let kind = match kind.as_str() {
        "sms" => {
            let phone = body::opt_str(&f, "phone_number")?.unwrap_or_default();
            if phone.is_empty() {
                return Err(unprocessable(
                    "phone_number is required when type is 'sms'.",
                ));
            }
            if !is_e164(&phone) {
                return Err(unprocessable(format!(
                    "Phone number is invalid: '{phone}'. Use the E.164 format, e.g. +15005550006."
                )));
            }
            FactorKind::Sms {
                phone_number: phone,
            }
        }
        "totp" => {
            let issuer = body::opt_str(&f, "totp_issuer")?.unwrap_or_default();
            let account = body::opt_str(&f, "totp_user")?.unwrap_or_default();
            if issuer.is_empty() || account.is_empty() {
                return Err(unprocessable(
                    "totp_issuer and totp_user are required when type is 'totp'.",
                ));
            }
            FactorKind::Totp {
                issuer,
                account,
                secret: new_secret(),
            }
        }
        "generic_otp" => FactorKind::GenericOtp,
        other => {
            return Err(unprocessable(format!(
                "type must be one of generic_otp, sms, totp, not '{other}'."
            )))
        }
    };
    let mut store = app.store();
    if !user_id.is_empty() && store.user(&user_id).is_err() {
        return Err(unprocessable(format!("User not found: '{user_id}'.")));
    }
    let factor = store_factor(&mut store, None, &user_id, false, kind);
    Ok((StatusCode::CREATED, Json(factor.enrolled_json())).into_response())
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
/// user's app makes it. An SMS factor's phone is texted a 6-digit code
/// (`sms_template` with `{{code}}`, optional; read back via
/// `/__emulator/sms`); a generic OTP challenge answers its `code`.
pub async fn challenge(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let template = body::opt_str(&f, "sms_template")?;
    if let Some(t) = &template {
        if !t.contains("{{code}}") || t.len() > MAX_SMS_TEMPLATE {
            return Err(unprocessable(format!(
                "sms_template must contain {{{{code}}}} and be at most {MAX_SMS_TEMPLATE} characters."
            )));
        }
    }
    let mut store = app.store();
    let factor = store
        .auth_factors
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Authentication factor", id.clone()))?;
    let code = match factor.kind {
        FactorKind::Totp { .. } => None,
        FactorKind::Sms { .. } | FactorKind::GenericOtp => Some(random_digits(6)),
    };
    let challenge = new_challenge(&mut store, &id, code.clone());
    let mut answer = challenge.to_json();
    match (&factor.kind, code) {
        (FactorKind::Sms { phone_number }, Some(code)) => {
            let template = template.as_deref().unwrap_or(DEFAULT_SMS);
            store.sms_messages.push(SmsMessage {
                phone_number: phone_number.clone(),
                message: template.replace("{{code}}", &code),
                code,
                factor_id: id,
                challenge_id: challenge.id.clone(),
                sent_at: challenge.created_at,
            });
        }
        (FactorKind::GenericOtp, Some(code)) => answer["code"] = json!(code),
        _ => {}
    }
    Ok((StatusCode::CREATED, Json(answer)).into_response())
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
    let factor = store
        .auth_factors
        .get(&challenge.factor_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Authentication factor", &challenge.factor_id))?;
    let valid = match (&factor.kind, &challenge.code) {
        (FactorKind::Totp { secret, .. }, _) => {
            let t = now_secs();
            [t.saturating_sub(30), t, t + 30]
                .iter()
                .any(|&at| totp(secret, at).as_deref() == Some(code))
        }
        (_, Some(sent)) => {
            // A sent code lives as long as its challenge (TOTP's never expire).
            if now >= challenge.expires_at {
                return Err(ApiError::code(
                    StatusCode::BAD_REQUEST,
                    "authentication_challenge_expired",
                    "The authentication challenge has expired.",
                ));
            }
            sent == code
        }
        (_, None) => false,
    };
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

/// The user a challenge's factor belongs to, when it is one of their
/// sign-in factors (User Management): the only ones the `mfa-totp` grant
/// takes.
pub fn challenge_user(store: &Store, challenge_id: &str) -> Option<String> {
    let c = store.auth_challenges.get(challenge_id)?;
    store
        .auth_factors
        .get(&c.factor_id)
        .filter(|f| f.user_management)
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
                "type": f.type_name(),
                "secret": f.secret(),
                "uri": f.uri(),
                "code": f.secret().and_then(|s| totp(s, at)),
            })
        })
        .collect();
    Ok(Json(json!({"data": list})))
}

/// `GET /__emulator/sms?phone_number=…|factor_id=…`: the texts sent to a
/// phone (or for a factor), newest first, with their codes.
pub async fn control_sms(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (phone, factor) = (q.get("phone_number"), q.get("factor_id"));
    if phone.is_none() && factor.is_none() {
        return Err(ApiError::setup("phone_number or factor_id is required"));
    }
    let store = app.store();
    let list: Vec<Value> = store
        .sms_messages
        .iter()
        .rev()
        .filter(|m| phone.is_none_or(|p| &m.phone_number == p))
        .filter(|m| factor.is_none_or(|id| &m.factor_id == id))
        .map(SmsMessage::to_json)
        .collect();
    Ok(Json(json!({"data": list})))
}

#[cfg(test)]
mod tests {
    use super::is_e164;

    #[test]
    fn phone_numbers_are_e164() {
        assert!(is_e164("+15005550006"));
        assert!(is_e164("+447700900123"));
        for bad in [
            "15005550006",
            "+0123456789",
            "+1 500 555 0006",
            "+1234567",
            "+1234567890123456",
            "+",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }
}
