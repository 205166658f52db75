//! Session listing, revocation and the logout redirect.

use crate::app::{App, Shared};
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::Session;
use crate::store::{ListParams, Store};
use crate::util::now_ms;
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

/// Ends a session: its refresh tokens stop working at once.
pub fn revoke_session(app: &App, store: &mut Store, session_id: &str) -> Option<Session> {
    let now = now_ms();
    let session = store.sessions.get_mut(session_id)?;
    if session.status == "active" {
        session.status = "revoked".into();
        session.ended_at = Some(now);
        session.updated_at = now;
        let json = session.to_json();
        webhooks::emit(app, "session.revoked", json);
    }
    let session = session.clone();
    store.refresh_tokens.retain(|_, s| s != session_id);
    Some(session)
}

pub async fn list_for_user(
    State(app): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let store = app.store();
    store.user(&id)?;
    let mut sessions: Vec<&Session> = store
        .sessions
        .values()
        .filter(|s| s.user_id == id)
        .collect();
    sessions.sort_by_key(|s| s.seq);
    Ok(Json(crate::store::page(
        sessions,
        &params,
        |s| s.id.as_str(),
        |s| s.to_json(),
    )))
}

/// `GET /user_management/sessions/logout`: the browser lands here to end
/// its session, then goes on to `return_to`.
pub async fn logout(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(session_id) = q.get("session_id").filter(|s| !s.is_empty()) else {
        return ApiError::message(StatusCode::UNPROCESSABLE_ENTITY, "session_id is required.")
            .into_response();
    };
    let mut store = app.store();
    if revoke_session(&app, &mut store, session_id).is_none() {
        return ApiError::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Session not found: '{session_id}'."),
        )
        .into_response();
    }
    match q.get("return_to").filter(|s| !s.is_empty()) {
        Some(to) => super::authorize::redirect(to),
        None => Html("<!doctype html><title>Signed out</title><p>You have been signed out.</p>")
            .into_response(),
    }
}

/// `POST /user_management/sessions/revoke`.
pub async fn revoke(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let session_id =
        match body::parse(&headers, &bytes).and_then(|f| body::req_str(&f, "session_id")) {
            Ok(id) => id,
            Err(_) => {
                return ApiError::message(StatusCode::BAD_REQUEST, "session_id is required.")
                    .into_response()
            }
        };
    let mut store = app.store();
    match revoke_session(&app, &mut store, &session_id) {
        Some(_) => StatusCode::OK.into_response(),
        None => ApiError::message(
            StatusCode::BAD_REQUEST,
            format!("Session not found: '{session_id}'."),
        )
        .into_response(),
    }
}
