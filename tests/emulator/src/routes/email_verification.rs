//! Email verification by code outside a sign-in
//! (`/user_management/users/{id}/email_verification/send|confirm`), and the
//! control lookup that stands in for the user's inbox. The codes are the
//! same ones the `email-verification:code` grant redeems.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, Issued, OneTimeCode, Refusal, Secret};
use crate::model::EmailVerification;
use crate::store::Store;
use crate::util::{iso, new_id, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const CODE_TTL_MS: u64 = 10 * 60 * 1000;

/// Issues a new code for the user (earlier ones stay valid until they
/// expire, as with Magic Auth) and announces it without the code.
pub fn issue(
    app: &crate::app::App,
    store: &mut Store,
    user_id: &str,
) -> ApiResult<EmailVerification> {
    let email = store.user(user_id)?.email.clone();
    let verification = new_verification(user_id, email);
    store
        .email_verifications
        .insert(verification.id.clone(), verification.clone());
    let mut event = verification.to_json();
    if let Value::Object(m) = &mut event {
        m.remove("code");
    }
    webhooks::emit(app, "email_verification.created", event);
    Ok(verification)
}

/// A new code for the user at `email` (not yet stored nor announced): also
/// the one a sign-in's `email_verification_required` step-up sends.
pub fn new_verification(user_id: &str, email: String) -> EmailVerification {
    let code = Issued::new(Secret::Digits(6), now_ms(), CODE_TTL_MS);
    EmailVerification {
        id: new_id("email_verification"),
        user_id: user_id.to_string(),
        email,
        code: code.value,
        created_at: code.created_at,
        expires_at: code.expires_at,
    }
}

/// `POST /user_management/users/{id}/email_verification/send`.
pub async fn send(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    if store.user(&id)?.email_verified {
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_already_verified",
            "The user's email address is already verified.",
        ));
    }
    issue(&app, &mut store, &id)?;
    Ok(Json(json!({"user": store.user(&id)?.to_json()})))
}

/// `POST /user_management/users/{id}/email_verification/confirm`.
pub async fn confirm(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let code = body::req_str(&f, "code")?;
    let mut store = app.store();
    if store.user(&id)?.email_verified {
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_previously_verified",
            "The user's email address was already verified.",
        ));
    }
    let now = now_ms();
    let found = store
        .email_verifications
        .values()
        .filter(|v| v.user_id == id && v.matches(&code))
        .max_by_key(|v| v.created_at)
        .cloned();
    match one_time_code::judge(found.as_ref(), now) {
        // Verification codes are not marked spent (a success removes them all).
        Err(Refusal::Unknown | Refusal::Used) => Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_verification_code_incorrect",
            "The code is incorrect.",
        )),
        Err(Refusal::Expired) => Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_verification_code_expired",
            "The code has expired.",
        )),
        Ok(()) => {
            store.email_verifications.retain(|_, v| v.user_id != id);
            let user = store.user_mut(&id)?;
            user.email_verified = true;
            user.updated_at = now;
            let json = user.to_json();
            webhooks::emit(&app, "user.updated", json.clone());
            Ok(Json(json!({"user": json})))
        }
    }
}

/// `GET /__emulator/email_verification?email=…`: the newest code sent to
/// that address.
pub async fn control_latest(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let email = q
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .ok_or_else(|| ApiError::setup("email is required"))?;
    let store = app.store();
    let v = one_time_code::newest_sent_to(store.email_verifications.values(), &email).ok_or_else(
        || {
            ApiError::control(
                StatusCode::NOT_FOUND,
                format!("no verification code was sent to {email}"),
            )
        },
    )?;
    Ok(Json(json!({
        "id": v.id,
        "user_id": v.user_id,
        "email": v.email,
        "code": v.code,
        "expires_at": iso(v.expires_at),
    })))
}
