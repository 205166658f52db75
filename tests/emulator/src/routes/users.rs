//! `/user_management/users` and the email verification lookup.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::{new_user, User};
use crate::store::{page, ListParams};
use crate::util::{hash_password, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

/// WorkOS scores password strength; the emulator keeps one simple rule so
/// the error path exists and is predictable.
pub fn check_password_strength(password: &str) -> ApiResult<()> {
    if password.chars().count() >= 8 {
        return Ok(());
    }
    let mut extra = serde_json::Map::new();
    extra.insert(
        "errors".into(),
        json!([{"code": "password_too_short", "message": "Password must be at least 8 characters."}]),
    );
    Err(ApiError::code_with(
        StatusCode::BAD_REQUEST,
        "password_strength_error",
        "Password does not meet strength requirements.",
        extra,
    ))
}

fn reject_password_hash(f: &body::Fields) -> ApiResult<()> {
    if f.contains_key("password_hash") || f.contains_key("password_hash_type") {
        return Err(ApiError::invalid_field(
            "password_hash",
            "The WorkOS emulator does not import password hashes; send password.",
        ));
    }
    Ok(())
}

fn valid_email(f: &body::Fields) -> ApiResult<Option<String>> {
    match body::opt_str(f, "email")? {
        None => Ok(None),
        Some(e) if body::looks_like_email(e.trim()) => Ok(Some(e.trim().to_lowercase())),
        Some(_) => Err(ApiError::invalid_field(
            "email",
            "email must be a valid email address.",
        )),
    }
}

fn external_id(f: &body::Fields) -> ApiResult<Option<Option<String>>> {
    match f.get("external_id") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.len() <= 128 && s.is_ascii() && !s.is_empty() => {
            Ok(Some(Some(s.clone())))
        }
        Some(_) => Err(ApiError::invalid_field(
            "external_id",
            "external_id must be an ASCII string of at most 128 characters.",
        )),
    }
}

pub async fn list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let store = app.store();
    let email = q.get("email").map(|e| e.to_lowercase());
    let org = q
        .get("organization_id")
        .or_else(|| q.get("organization"))
        .filter(|o| !o.is_empty());
    let mut users: Vec<&User> = store
        .users
        .values()
        .filter(|u| email.as_ref().is_none_or(|e| &u.email == e))
        .filter(|u| {
            org.is_none_or(|o| {
                store
                    .memberships
                    .values()
                    .any(|m| m.user_id == u.id && &m.organization_id == o)
            })
        })
        .collect();
    users.sort_by_key(|u| u.seq);
    Ok(Json(page(
        users,
        &params,
        |u| u.id.as_str(),
        |u| u.to_json(),
    )))
}

pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let Some(email) = valid_email(&f)? else {
        return Err(ApiError::invalid_field("email", "email is required."));
    };
    reject_password_hash(&f)?;
    let password = body::opt_str(&f, "password")?;
    if let Some(p) = &password {
        check_password_strength(p)?;
    }
    let metadata = body::opt_metadata(&f, "metadata")?;
    let external_id = external_id(&f)?.flatten();
    let mut store = app.store();
    let conflict = |code: &str, message: &str| {
        let mut extra = serde_json::Map::new();
        extra.insert("errors".into(), json!([{"code": code, "message": message}]));
        ApiError::code_with(
            StatusCode::BAD_REQUEST,
            "user_creation_error",
            "Could not create user.",
            extra,
        )
    };
    if store.user_by_email(&email).is_some() {
        return Err(conflict(
            "email_not_available",
            "This email is not available.",
        ));
    }
    if external_id.is_some() && store.users.values().any(|u| u.external_id == external_id) {
        return Err(conflict(
            "external_id_already_used",
            "This external_id is already in use.",
        ));
    }
    let mut user = new_user(&email);
    user.first_name = body::opt_str(&f, "first_name")?;
    user.last_name = body::opt_str(&f, "last_name")?;
    user.email_verified = body::opt_bool(&f, "email_verified")?.unwrap_or(false);
    user.password_hash = password.as_deref().map(hash_password);
    user.metadata = metadata.unwrap_or_default();
    user.external_id = external_id;
    let user = store.insert_user(user);
    webhooks::emit(&app, "user.created", user.to_json());
    Ok((StatusCode::CREATED, Json(user.to_json())).into_response())
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    Ok(Json(app.store().user(&id)?.to_json()))
}

pub async fn get_by_external_id(
    State(app): State<Shared>,
    Path(external_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.store();
    store
        .users
        .values()
        .find(|u| u.external_id.as_deref() == Some(external_id.as_str()))
        .map(|u| Json(u.to_json()))
        .ok_or_else(|| ApiError::not_found("User", external_id))
}

pub async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let mut store = app.store();
    store.user(&id)?;
    let email = valid_email(&f)?;
    reject_password_hash(&f)?;
    let password = body::opt_str(&f, "password")?;
    if let Some(p) = &password {
        check_password_strength(p)?;
    }
    let metadata = body::opt_metadata(&f, "metadata")?;
    let external_id = external_id(&f)?;
    let first_name = body::opt_str(&f, "first_name")?;
    let last_name = body::opt_str(&f, "last_name")?;
    let email_verified = body::opt_bool(&f, "email_verified")?;
    let locale = body::opt_str(&f, "locale")?;
    if let Some(e) = &email {
        if store.users.values().any(|u| &u.email == e && u.id != id) {
            return Err(ApiError::code(
                StatusCode::BAD_REQUEST,
                "email_not_available",
                "This email is not available.",
            ));
        }
    }
    if let Some(Some(x)) = &external_id {
        if store
            .users
            .values()
            .any(|u| u.external_id.as_ref() == Some(x) && u.id != id)
        {
            return Err(ApiError::code(
                StatusCode::BAD_REQUEST,
                "external_id_already_used",
                "This external_id is already in use.",
            ));
        }
    }
    let user = store.user_mut(&id)?;
    if let Some(e) = email {
        user.email = e;
    }
    if let Some(v) = first_name {
        user.first_name = Some(v);
    }
    if let Some(v) = last_name {
        user.last_name = Some(v);
    }
    if let Some(v) = email_verified {
        user.email_verified = v;
    }
    if let Some(p) = password {
        user.password_hash = Some(hash_password(&p));
    }
    if let Some(m) = metadata {
        user.metadata = m;
    }
    if let Some(x) = external_id {
        user.external_id = x;
    }
    if locale.is_some() {
        user.locale = locale;
    }
    user.updated_at = now_ms();
    let json = user.to_json();
    webhooks::emit(&app, "user.updated", json.clone());
    Ok(Json(json))
}

pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = app.store();
    let Some((user, memberships)) = store.remove_user(&id) else {
        return Err(ApiError::not_found("User", id));
    };
    for m in memberships {
        webhooks::emit(&app, "organization_membership.deleted", m.event_json());
    }
    webhooks::emit(&app, "user.deleted", user.to_json());
    Ok(StatusCode::OK)
}

pub async fn get_email_verification(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.store();
    store
        .email_verifications
        .get(&id)
        .map(|v| Json(v.to_json()))
        .ok_or_else(|| ApiError::not_found("Email verification", id))
}
