//! HTTP surface: the WorkOS API (behind the request log, fault injection and
//! API-key check) and the unauthenticated `/__emulator/` control API.

pub mod audit_logs;
pub mod auth_factors;
pub mod authenticate;
pub mod authorize;
pub mod connections;
pub mod control;
pub mod directories;
pub mod email_change;
pub mod email_verification;
pub mod faults;
pub mod invitations;
pub mod jwks;
pub mod magic_auth;
pub mod memberships;
pub mod organizations;
pub mod password_reset;
pub mod radar;
pub mod sessions;
pub mod users;

use crate::app::Shared;
use crate::body;
use crate::error::ApiError;
use crate::rate_limit;
use crate::util::{iso, now_ms};
use crate::webhooks;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;

const MAX_BODY: usize = 4 * 1024 * 1024;

/// Endpoints the spec marks `security: []`: they authenticate by other
/// means (client credentials in the body) or not at all.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/user_management/authorize"
            | "/user_management/authenticate"
            | "/user_management/sessions/logout"
    ) || path.starts_with("/sso/jwks/")
}

/// Fields whose values a request log must never show.
const REDACTED: &[&str] = &["client_secret", "password", "new_password", "api_key"];

fn redact(value: &mut Value) {
    if let Value::Object(map) = value {
        for (k, v) in map.iter_mut() {
            if REDACTED.contains(&k.as_str()) {
                *v = json!("[redacted]");
            } else {
                redact(v);
            }
        }
    }
}

fn header_map(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        if name == header::AUTHORIZATION {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match out.get_mut(name.as_str()) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                out.insert(name.as_str().to_string(), json!(value));
            }
        }
    }
    out
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

fn authorized(app: &Shared, headers: &HeaderMap) -> bool {
    bearer(headers).is_some_and(|key| key == app.config.api_key)
}

async fn api_layer(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let latency_ms = app.latency_ms.load(Ordering::Relaxed);
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return ApiError::message(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.")
            .into_response();
    };
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let mut query = Value::Object(
        parts
            .uri
            .query()
            .map(|q| body::parse_form(q.as_bytes()))
            .unwrap_or_default(),
    );
    redact(&mut query);
    let mut logged_body = body::parse_lenient(&parts.headers, &bytes).unwrap_or(Value::Null);
    redact(&mut logged_body);
    // Faults may match on a field of the query or the body (e.g. a grant type).
    let mut fields = query.as_object().cloned().unwrap_or_default();
    if let Value::Object(body) = &logged_body {
        fields.extend(body.clone());
    }
    let mut entry = json!({
        "method": method,
        "path": path,
        "query": query,
        "body": logged_body,
        "headers": header_map(&parts.headers),
        "authorized": authorized(&app, &parts.headers),
        "received_at": iso(now_ms()),
    });

    let fault = faults::take(&app, &method, &path, &fields);
    let response = 'respond: {
        if let Some(fault) = &fault {
            if fault.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            }
            if fault.drop {
                entry["status"] = json!(0);
                entry["fault_id"] = json!(fault.id);
                crate::store::push_capped(&mut app.store().requests, entry);
                faults::drop_connection();
            }
            if let Some(status) = fault.status {
                break 'respond faults::response(fault, status);
            }
        }
        // WorkOS limits at its edge, before looking at the key. Public
        // endpoints take the key as `client_secret`: the same budget.
        let exceeded = app.rate_limits().check(&rate_limit::Request {
            method: &method,
            path: &path,
            api_key: bearer(&parts.headers).unwrap_or(&app.config.api_key),
            fields: &fields,
        });
        if let Some(exceeded) = exceeded {
            entry["rate_limit"] = json!(exceeded.rule);
            break 'respond rate_limit::refusal(&path, &exceeded);
        }
        if !is_public(&path) && !authorized(&app, &parts.headers) {
            break 'respond ApiError::Unauthorized.into_response();
        }
        next.run(Request::from_parts(parts, Body::from(bytes)))
            .await
    };
    entry["status"] = json!(response.status().as_u16());
    entry["fault_id"] = json!(fault.map(|f| f.id));
    crate::store::push_capped(&mut app.store().requests, entry);
    response
}

async fn not_found() -> Response {
    ApiError::message(StatusCode::NOT_FOUND, "Not Found").into_response()
}

async fn health() -> Json<Value> {
    Json(json!({"ok": true}))
}

pub fn router(app: Shared) -> Router {
    let api = Router::new()
        .route("/user_management/authorize", get(authorize::authorize))
        .route(
            "/user_management/authenticate",
            post(authenticate::authenticate),
        )
        .route("/sso/jwks/{client_id}", get(jwks::jwks))
        .route("/audit_logs/events", post(audit_logs::create))
        .route("/connections", get(connections::list))
        .route(
            "/connections/{id}",
            get(connections::get).delete(connections::delete),
        )
        .route("/directories", get(directories::list))
        .route(
            "/directories/{id}",
            get(directories::get).delete(directories::delete),
        )
        .route("/directory_users", get(directories::list_users))
        .route("/directory_users/{id}", get(directories::get_user))
        .route("/directory_groups", get(directories::list_groups))
        .route("/directory_groups/{id}", get(directories::get_group))
        .route(
            "/user_management/users",
            get(users::list).post(users::create),
        )
        .route(
            "/user_management/users/{id}",
            get(users::get).put(users::update).delete(users::delete),
        )
        .route(
            "/user_management/users/external_id/{external_id}",
            get(users::get_by_external_id),
        )
        .route(
            "/user_management/users/{id}/sessions",
            get(sessions::list_for_user),
        )
        .route(
            "/user_management/email_verification/{id}",
            get(users::get_email_verification),
        )
        .route(
            "/user_management/password_reset",
            post(password_reset::create),
        )
        .route(
            "/user_management/password_reset/confirm",
            post(password_reset::confirm),
        )
        .route(
            "/user_management/password_reset/{id}",
            get(password_reset::get),
        )
        .route(
            "/user_management/users/{id}/email_change/send",
            post(email_change::send),
        )
        .route(
            "/user_management/users/{id}/email_change/confirm",
            post(email_change::confirm),
        )
        .route(
            "/user_management/users/{id}/email_verification/send",
            post(email_verification::send),
        )
        .route(
            "/user_management/users/{id}/email_verification/confirm",
            post(email_verification::confirm),
        )
        .route("/user_management/invitations", post(invitations::create))
        .route(
            "/user_management/invitations/by_token/{token}",
            get(invitations::get_by_token),
        )
        .route("/user_management/invitations/{id}", get(invitations::get))
        .route(
            "/user_management/invitations/{id}/revoke",
            post(invitations::revoke),
        )
        .route(
            "/user_management/invitations/{id}/accept",
            post(invitations::accept),
        )
        .route(
            "/user_management/users/{id}/auth_factors",
            get(auth_factors::list).post(auth_factors::enroll),
        )
        .route(
            "/auth/factors/{id}",
            get(auth_factors::get).delete(auth_factors::delete),
        )
        .route(
            "/auth/factors/{id}/challenge",
            post(auth_factors::challenge),
        )
        .route("/auth/factors/enroll", post(auth_factors::enroll_mfa))
        .route("/auth/challenges/{id}/verify", post(auth_factors::verify))
        .route("/user_management/magic_auth", post(magic_auth::create))
        .route("/user_management/magic_auth/{id}", get(magic_auth::get))
        .route("/user_management/sessions/logout", get(sessions::logout))
        .route("/user_management/sessions/revoke", post(sessions::revoke))
        .route(
            "/organizations",
            get(organizations::list).post(organizations::create),
        )
        .route(
            "/organizations/{id}",
            get(organizations::get)
                .put(organizations::update)
                .delete(organizations::delete),
        )
        .route(
            "/organizations/external_id/{external_id}",
            get(organizations::get_by_external_id),
        )
        .route(
            "/user_management/organization_memberships",
            get(memberships::list).post(memberships::create),
        )
        .route(
            "/user_management/organization_memberships/{id}",
            get(memberships::get)
                .put(memberships::update)
                .delete(memberships::delete),
        )
        .route(
            "/user_management/organization_memberships/{id}/deactivate",
            put(memberships::deactivate),
        )
        .route(
            "/user_management/organization_memberships/{id}/reactivate",
            put(memberships::reactivate),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), api_layer));

    let control = Router::new()
        .route("/health", get(health))
        .route("/__emulator/authkit/login", post(authorize::login))
        .route("/__emulator/reset", post(control::reset))
        .route("/__emulator/state", get(control::state))
        .route(
            "/__emulator/config",
            get(control::get_config).put(control::set_config),
        )
        .route("/__emulator/users", post(control::create_user))
        .route("/__emulator/users/{id}", put(control::update_user))
        .route(
            "/__emulator/organizations",
            post(control::create_organization),
        )
        .route("/__emulator/roles", post(control::upsert_role))
        .route("/__emulator/magic_auth", get(magic_auth::control_latest))
        .route(
            "/__emulator/password_reset",
            get(password_reset::control_latest),
        )
        .route(
            "/__emulator/email_change",
            get(email_change::control_latest),
        )
        .route(
            "/__emulator/email_verification",
            get(email_verification::control_latest),
        )
        .route("/__emulator/invitations", get(invitations::control_latest))
        .route("/__emulator/auth_factors", get(auth_factors::control_list))
        .route("/__emulator/radar/attempts", get(radar::control_list))
        .route("/__emulator/sms", get(auth_factors::control_sms))
        .route(
            "/__emulator/connections",
            post(control::connections::create),
        )
        .route(
            "/__emulator/connections/{id}/activate",
            post(control::connections::activate),
        )
        .route(
            "/__emulator/connections/{id}/deactivate",
            post(control::connections::deactivate),
        )
        .route(
            "/__emulator/directories",
            post(control::directory_sync::create_directory),
        )
        .route(
            "/__emulator/directories/{id}",
            put(control::directory_sync::update_directory)
                .delete(control::directory_sync::delete_directory),
        )
        .route(
            "/__emulator/directory_users",
            post(control::directory_sync::create_user),
        )
        .route(
            "/__emulator/directory_users/{id}",
            put(control::directory_sync::update_user).delete(control::directory_sync::delete_user),
        )
        .route(
            "/__emulator/directory_groups",
            post(control::directory_sync::create_group),
        )
        .route(
            "/__emulator/directory_groups/{id}",
            put(control::directory_sync::update_group)
                .delete(control::directory_sync::delete_group),
        )
        .route(
            "/__emulator/directory_groups/{id}/users",
            post(control::directory_sync::add_member),
        )
        .route(
            "/__emulator/directory_groups/{id}/users/{user_id}",
            delete(control::directory_sync::remove_member),
        )
        .route(
            "/__emulator/audit_logs",
            get(audit_logs::control_list).delete(audit_logs::control_clear),
        )
        .route(
            "/__emulator/rate_limits",
            get(control::get_rate_limits)
                .put(control::set_rate_limits)
                .delete(control::clear_rate_limits),
        )
        .route("/__emulator/rotate-key", post(control::rotate_key))
        .route("/__emulator/tokens", post(control::mint_token))
        .route(
            "/__emulator/faults",
            get(faults::list).post(faults::add).delete(faults::clear),
        )
        .route(
            "/__emulator/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .route(
            "/__emulator/webhooks",
            get(webhooks::control_list)
                .post(webhooks::control_send)
                .delete(webhooks::control_clear),
        );

    control.merge(api).with_state(app)
}
