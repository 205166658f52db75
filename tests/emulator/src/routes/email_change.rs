//! Change of a user's email address (`/user_management/users/{id}/email_change/send|confirm`):
//! a code goes to the new address and the address changes only once it is
//! typed back; and the control lookup standing in for the new inbox.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, Issued, OneTimeCode, Secret};
use crate::model::EmailChange;
use crate::util::{iso, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

const CODE_TTL_MS: u64 = 10 * 60 * 1000;
/// Wrong codes tried before the change is refused (429).
const MAX_ATTEMPTS: u32 = 5;

fn conflict(code: &str, message: &str) -> ApiError {
    ApiError::code(StatusCode::CONFLICT, code, message)
}

/// `POST /user_management/users/{id}/email_change/send`.
pub async fn send(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let new_email = body::req_str(&f, "new_email")?.trim().to_lowercase();
    if !body::looks_like_email(&new_email) {
        return Err(ApiError::code(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_email",
            "new_email must be a valid email address.",
        ));
    }
    let mut store = app.store();
    let user = store.user(&id)?.clone();
    if user.email == new_email {
        return Err(conflict(
            "email_change_not_needed",
            "The new email is the user's current email.",
        ));
    }
    if store.user_by_email(&new_email).is_some() {
        return Err(conflict(
            "email_not_available",
            "Another user has this email address.",
        ));
    }
    let code = Issued::new(Secret::Digits(6), now_ms(), CODE_TTL_MS);
    let change = EmailChange {
        user_id: id.clone(),
        new_email: new_email.clone(),
        code: code.value,
        created_at: code.created_at,
        expires_at: code.expires_at,
        used_at: None,
        failed_attempts: 0,
    };
    store.email_changes.insert(id, change.clone());
    Ok(Json(json!({
        "object": "email_change",
        "user": user.to_json(),
        "new_email": new_email,
        "expires_at": iso(change.expires_at),
        "created_at": iso(change.created_at),
    })))
}

/// `POST /user_management/users/{id}/email_change/confirm`.
pub async fn confirm(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let code = body::req_str(&f, "code")?;
    let mut store = app.store();
    store.user(&id)?;
    let now = now_ms();
    let Some(change) = store.email_changes.get(&id).cloned() else {
        return Err(conflict(
            "no_pending_email_change",
            "The user has no pending email change.",
        ));
    };
    // Judged in this route's own order: spent, too many tries, wrong, expired.
    if change.used_at().is_some() {
        return Err(conflict(
            "email_change_code_previously_used",
            "The code has already been used.",
        ));
    }
    if change.failed_attempts >= MAX_ATTEMPTS {
        return Err(ApiError::code(
            StatusCode::TOO_MANY_REQUESTS,
            "email_change_too_many_attempts",
            "Too many wrong codes were tried.",
        ));
    }
    if !change.matches(&code) {
        if let Some(c) = store.email_changes.get_mut(&id) {
            c.failed_attempts += 1;
        }
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_change_code_incorrect",
            "The code is incorrect.",
        ));
    }
    if change.is_expired(now) {
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "email_change_code_expired",
            "The code has expired.",
        ));
    }
    if store
        .user_by_email(&change.new_email)
        .is_some_and(|u| u.id != id)
    {
        return Err(conflict(
            "email_not_available",
            "Another user has this email address.",
        ));
    }
    if let Some(c) = store.email_changes.get_mut(&id) {
        c.used_at = Some(now);
    }
    let user = store.user_mut(&id)?;
    user.email = change.new_email;
    // The code proved the new mailbox.
    user.email_verified = true;
    user.updated_at = now;
    let json = user.to_json();
    webhooks::emit(&app, "user.updated", json.clone());
    Ok(Json(
        json!({"object": "email_change_confirmation", "user": json}),
    ))
}

/// `GET /__emulator/email_change?email=NEW`: the code sent to that address.
pub async fn control_latest(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let email = q
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .ok_or_else(|| ApiError::setup("email is required"))?;
    let store = app.store();
    one_time_code::newest_sent_to(store.email_changes.values(), &email)
        .map(|c| {
            Json(json!({
                "user_id": c.user_id,
                "new_email": c.new_email,
                "code": c.code,
                "expires_at": iso(c.expires_at),
                "used": c.used_at.is_some(),
            }))
        })
        .ok_or_else(|| {
            ApiError::control(
                StatusCode::NOT_FOUND,
                format!("no email change code was sent to {email}"),
            )
        })
}
