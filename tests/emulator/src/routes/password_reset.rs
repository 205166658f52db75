//! Password reset (`/user_management/password_reset`): a token WorkOS
//! emails, then the new password set with it; and the control lookup that
//! stands in for the user's inbox.

use super::users::check_password_strength;
use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, Issued, OneTimeCode, Refusal, Secret};
use crate::model::PasswordReset;
use crate::util::{hash_password, iso, new_id, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// How long a reset link works (WorkOS: 15 minutes; the spec does not say).
const TOKEN_TTL_MS: u64 = 15 * 60 * 1000;

/// The spec's 400 for a token that cannot be used: `password_reset_error`
/// with the reason in `errors`.
fn reset_error(code: &str, message: &str) -> ApiError {
    let mut extra = Map::new();
    extra.insert("errors".into(), json!([{"code": code, "message": message}]));
    ApiError::code_with(
        StatusCode::BAD_REQUEST,
        "password_reset_error",
        "The password could not be reset.",
        extra,
    )
}

/// `POST /user_management/password_reset`.
pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let email = body::req_str(&f, "email")?.trim().to_lowercase();
    if !body::looks_like_email(&email) {
        return Err(ApiError::invalid_field(
            "email",
            "email must be a valid email address.",
        ));
    }
    let mut store = app.store();
    let user_id = store
        .user_by_email(&email)
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            ApiError::message(StatusCode::NOT_FOUND, format!("User not found: '{email}'."))
        })?;
    let token = Issued::new(Secret::Token(32), now_ms(), TOKEN_TTL_MS);
    let reset = PasswordReset {
        seq: store.next_seq(),
        id: new_id("password_reset"),
        user_id,
        email,
        url: format!("{}/reset-password?token={}", app.issuer, token.value),
        token: token.value,
        created_at: token.created_at,
        expires_at: token.expires_at,
        used_at: None,
    };
    store
        .password_resets
        .insert(reset.id.clone(), reset.clone());
    webhooks::emit(&app, "password_reset.created", reset.event_json());
    Ok((StatusCode::CREATED, Json(reset.to_json())).into_response())
}

/// `GET /user_management/password_reset/{id}`.
pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    app.store()
        .password_resets
        .get(&id)
        .map(|r| Json(r.to_json()))
        .ok_or_else(|| ApiError::not_found("Password reset", id))
}

/// `POST /user_management/password_reset/confirm`: sets the password, and
/// verifies the address (the link proved the mailbox). Judged as the other
/// one-time tokens: unknown, then spent, then expired; then the password.
pub async fn confirm(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let token = body::req_str(&f, "token")?;
    let new_password = body::req_str(&f, "new_password")?;
    let mut store = app.store();
    let now = now_ms();
    let found = store
        .password_resets
        .values()
        .find(|r| r.matches(&token))
        .cloned();
    let reset = match (one_time_code::judge(found.as_ref(), now), found) {
        (Ok(()), Some(reset)) => reset,
        (Err(Refusal::Used), _) => {
            return Err(reset_error(
                "password_reset_token_previously_used",
                "The password reset token has already been used.",
            ))
        }
        (Err(Refusal::Expired), _) => {
            return Err(reset_error(
                "password_reset_token_expired",
                "The password reset token has expired.",
            ))
        }
        _ => {
            return Err(reset_error(
                "password_reset_token_invalid",
                "The password reset token is invalid.",
            ))
        }
    };
    check_password_strength(&new_password).map_err(|e| {
        let body = e.body();
        let first = &body["errors"][0];
        reset_error(
            first["code"].as_str().unwrap_or("password_strength_error"),
            first["message"]
                .as_str()
                .unwrap_or("The password is too weak."),
        )
    })?;
    if let Some(r) = store.password_resets.get_mut(&reset.id) {
        r.used_at = Some(now);
    }
    let user = store.user_mut(&reset.user_id)?;
    user.password_hash = Some(hash_password(&new_password));
    user.email_verified = true;
    user.updated_at = now;
    let user_json = user.to_json();
    webhooks::emit(&app, "user.updated", user_json.clone());
    webhooks::emit(&app, "password_reset.succeeded", reset.event_json());
    Ok(Json(json!({"user": user_json})))
}

/// `GET /__emulator/password_reset?email=…`: the newest reset sent to that
/// address, with its token, as the user's inbox would show it.
pub async fn control_latest(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let email = q
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .ok_or_else(|| ApiError::setup("email is required"))?;
    let store = app.store();
    let r =
        one_time_code::newest_sent_to(store.password_resets.values(), &email).ok_or_else(|| {
            ApiError::control(
                StatusCode::NOT_FOUND,
                format!("no password reset was sent to {email}"),
            )
        })?;
    Ok(Json(json!({
        "id": r.id,
        "user_id": r.user_id,
        "email": r.email,
        "token": r.token,
        "url": r.url,
        "expires_at": iso(r.expires_at),
        "used": r.used_at.is_some(),
    })))
}
