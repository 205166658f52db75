//! Magic Auth: one-time email codes (`/user_management/magic_auth`), their
//! redemption (the `magic-auth:code` grant of `authenticate` calls it), and
//! the control lookup that stands in for the user's inbox.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, Issued, OneTimeCode, Refusal, Secret};
use crate::model::{new_user, MagicAuth};
use crate::store::Store;
use crate::util::{iso, new_id, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

pub const GRANT: &str = "urn:workos:oauth:grant-type:magic-auth:code";
const CODE_TTL_MS: u64 = 10 * 60 * 1000;

/// `POST /user_management/magic_auth`. The MagicAuth object names its user,
/// so an unknown address gets its user now, as WorkOS signs people up by code.
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
    // A token must name a pending invitation; the grant accepts it.
    if let Some(token) = body::opt_str(&f, "invitation_token")? {
        if !super::invitations::is_pending(&store, &token) {
            return Err(ApiError::oauth(
                "invitation_invalid",
                "The request failed due to: invitation_invalid.",
            ));
        }
    }
    let user_id = match store.user_by_email(&email) {
        Some(u) => u.id.clone(),
        None => {
            let user = store.insert_user(new_user(&email));
            webhooks::emit(&app, "user.created", user.to_json());
            user.id
        }
    };
    let code = Issued::new(Secret::Digits(6), now_ms(), CODE_TTL_MS);
    let magic = MagicAuth {
        seq: store.next_seq(),
        id: new_id("magic_auth"),
        user_id,
        email,
        code: code.value,
        created_at: code.created_at,
        expires_at: code.expires_at,
        used_at: None,
    };
    store.magic_auths.insert(magic.id.clone(), magic.clone());
    webhooks::emit(&app, "magic_auth.created", magic.event_json());
    Ok((StatusCode::CREATED, Json(magic.to_json())).into_response())
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    app.store()
        .magic_auths
        .get(&id)
        .map(|m| Json(m.to_json()))
        .ok_or_else(|| ApiError::not_found("Magic Auth", id))
}

fn one_time_code_error(code: &str, message: &str) -> ApiError {
    ApiError::code(StatusCode::BAD_REQUEST, code, message)
}

/// The newest code the user holds that matches, judged as WorkOS does:
/// unknown, then spent, then expired.
pub fn redeem(store: &mut Store, user_id: Option<&str>, code: &str) -> ApiResult<()> {
    let now = now_ms();
    let found = store
        .magic_auths
        .values_mut()
        .filter(|m| Some(m.user_id.as_str()) == user_id && m.matches(code))
        .max_by_key(|m| m.seq);
    match one_time_code::judge(found.as_deref(), now) {
        Err(Refusal::Unknown) => Err(one_time_code_error(
            "invalid_one_time_code",
            "The code is invalid.",
        )),
        Err(Refusal::Used) => Err(one_time_code_error(
            "one_time_code_previously_used",
            "The code has already been used.",
        )),
        Err(Refusal::Expired) => Err(one_time_code_error(
            "one_time_code_expired",
            "The code has expired.",
        )),
        Ok(()) => {
            if let Some(m) = found {
                m.used_at = Some(now);
            }
            Ok(())
        }
    }
}

/// `GET /__emulator/magic_auth?email=…`: the newest code sent to that
/// address, which a test would otherwise read from the user's inbox.
pub async fn control_latest(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let email = q
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .ok_or_else(|| ApiError::setup("email is required"))?;
    let store = app.store();
    let m = one_time_code::newest_sent_to(store.magic_auths.values(), &email).ok_or_else(|| {
        ApiError::control(
            StatusCode::NOT_FOUND,
            format!("no magic auth code was sent to {email}"),
        )
    })?;
    Ok(Json(json!({
        "id": m.id,
        "user_id": m.user_id,
        "email": m.email,
        "code": m.code,
        "expires_at": iso(m.expires_at),
        "used": m.used_at.is_some(),
    })))
}
