//! Invitations (`/user_management/invitations`): send, look up (by id or by
//! the emailed token), revoke, accept; the `invitation_token` that the
//! authenticate grants accept; and the control lookup standing in for the
//! invitee's inbox.

use crate::app::{App, Shared};
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::one_time_code::{self, Issued, Secret};
use crate::model::Invitation;
use crate::store::Store;
use crate::util::{new_id, now_ms};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

const DEFAULT_DAYS: i64 = 7;
const DAY_MS: u64 = 24 * 3600 * 1000;

fn bad(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::code(StatusCode::BAD_REQUEST, code, message)
}

fn announce(app: &App, event: &str, inv: &Invitation) {
    webhooks::emit(app, event, inv.to_json(now_ms(), false));
}

/// `POST /user_management/invitations`.
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
    let organization_id = body::opt_str(&f, "organization_id")?;
    let role_slug = body::opt_str(&f, "role_slug")?;
    let inviter_user_id = body::opt_str(&f, "inviter_user_id")?;
    let days = match f.get("expires_in_days") {
        None | Some(Value::Null) => DEFAULT_DAYS,
        Some(v) => v.as_i64().ok_or_else(|| {
            ApiError::invalid_field("expires_in_days", "expires_in_days must be an integer.")
        })?,
    };
    if days < 1 {
        return Err(bad(
            "expires_in_days_too_short",
            "expires_in_days must be at least 1.",
        ));
    }
    if days > 30 {
        return Err(bad(
            "expires_in_days_too_long",
            "expires_in_days must be at most 30.",
        ));
    }
    let mut store = app.store();
    if let Some(org) = &organization_id {
        store.org(org)?;
    }
    if let Some(inviter) = &inviter_user_id {
        store.user(inviter)?;
    }
    if let Some(role) = &role_slug {
        if organization_id.is_none() {
            return Err(ApiError::invalid_field(
                "role_slug",
                "role_slug requires organization_id.",
            ));
        }
        store
            .check_roles(std::slice::from_ref(role))
            .map_err(|e| bad("invalid_role", e.message_text()))?;
    }
    let existing = store.user_by_email(&email).map(|u| u.id.clone());
    match (&existing, &organization_id) {
        (Some(user_id), Some(org))
            if store
                .membership_of(user_id, org)
                .is_some_and(|m| m.is_active()) =>
        {
            return Err(bad(
                "user_already_organization_member",
                "The user is already a member of the organization.",
            ))
        }
        (Some(_), None) => {
            return Err(bad(
                "user_already_exists",
                "A user with this email already exists.",
            ))
        }
        _ => {}
    }
    let now = now_ms();
    if store.invitations.values().any(|i| {
        i.email == email && i.organization_id == organization_id && i.state(now) == "pending"
    }) {
        return Err(match organization_id {
            Some(_) => bad(
                "email_already_invited_to_organization",
                "The email has already been invited to the organization.",
            ),
            None => bad(
                "email_already_invited",
                "The email has already been invited.",
            ),
        });
    }
    let token = Issued::new(Secret::Token(25), now, days as u64 * DAY_MS);
    let role_slug = organization_id
        .as_ref()
        .map(|_| role_slug.unwrap_or_else(|| crate::store::DEFAULT_ROLE.to_string()));
    let inv = Invitation {
        seq: store.next_seq(),
        id: new_id("invitation"),
        email,
        organization_id,
        inviter_user_id,
        role_slug,
        url: format!("{}/invite?invitation_token={}", app.issuer, token.value),
        token: token.value,
        accepted_at: None,
        accepted_user_id: None,
        revoked_at: None,
        created_at: token.created_at,
        updated_at: now,
        expires_at: token.expires_at,
    };
    store.invitations.insert(inv.id.clone(), inv.clone());
    announce(&app, "invitation.created", &inv);
    Ok((StatusCode::CREATED, Json(inv.to_json(now, true))).into_response())
}

fn by_id(store: &Store, id: &str) -> ApiResult<Invitation> {
    store
        .invitations
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Invitation", id))
}

/// `GET /user_management/invitations/{id}`.
pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let inv = by_id(&app.store(), &id)?;
    Ok(Json(inv.to_json(now_ms(), true)))
}

/// `GET /user_management/invitations/by_token/{token}`.
pub async fn get_by_token(
    State(app): State<Shared>,
    Path(token): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = app.store();
    store
        .invitations
        .values()
        .find(|i| i.token == token)
        .map(|i| Json(i.to_json(now_ms(), true)))
        .ok_or_else(|| ApiError::message(StatusCode::NOT_FOUND, "Invitation not found."))
}

/// `POST /user_management/invitations/{id}/revoke`.
pub async fn revoke(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    let now = now_ms();
    let mut inv = by_id(&store, &id)?;
    if inv.state(now) != "pending" {
        return Err(bad("invite_not_pending", "The invitation is not pending."));
    }
    inv.revoked_at = Some(now);
    inv.updated_at = now;
    store.invitations.insert(inv.id.clone(), inv.clone());
    announce(&app, "invitation.revoked", &inv);
    Ok(Json(inv.to_json(now, true)))
}

/// Marks a pending invitation accepted by `user_id` and makes them a member
/// of its organization (an inactive membership is reactivated).
fn accept_in(app: &App, store: &mut Store, inv: &mut Invitation, user_id: &str) -> ApiResult<()> {
    let now = now_ms();
    inv.accepted_at = Some(now);
    inv.accepted_user_id = Some(user_id.to_string());
    inv.updated_at = now;
    store.invitations.insert(inv.id.clone(), inv.clone());
    if let Some(org) = &inv.organization_id {
        let existing = store.membership_of(user_id, org).map(|m| m.id.clone());
        match existing {
            Some(id) => {
                if let Some(m) = store.memberships.get_mut(&id) {
                    if !m.is_active() {
                        m.status = "active".into();
                        m.updated_at = now;
                        let json = m.event_json();
                        webhooks::emit(app, "organization_membership.updated", json);
                    }
                }
            }
            None => {
                let roles = vec![inv
                    .role_slug
                    .clone()
                    .unwrap_or_else(|| crate::store::DEFAULT_ROLE.to_string())];
                let m = store.new_membership(user_id, org, roles);
                webhooks::emit(app, "organization_membership.created", m.event_json());
            }
        }
    }
    announce(app, "invitation.accepted", inv);
    Ok(())
}

/// `POST /user_management/invitations/{id}/accept`: by the user the
/// invitation's address belongs to.
pub async fn accept(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    let now = now_ms();
    let mut inv = by_id(&store, &id)?;
    if inv.state(now) != "pending" {
        return Err(bad("invite_not_pending", "The invitation is not pending."));
    }
    let Some(user_id) = store.user_by_email(&inv.email).map(|u| u.id.clone()) else {
        return Err(bad(
            "invalid_invite",
            "No user has the invitation's email address yet.",
        ));
    };
    accept_in(&app, &mut store, &mut inv, &user_id)?;
    Ok(Json(inv.to_json(now, true)))
}

/// The `invitation_token` of an authenticate grant: a pending invitation
/// for this user's address, accepted once the credentials are good. Answers
/// the organization the sign-in then belongs to.
pub fn redeem_token(
    app: &App,
    store: &mut Store,
    token: &str,
    user_id: &str,
) -> ApiResult<Option<String>> {
    let now = now_ms();
    let Some(mut inv) = store
        .invitations
        .values()
        .find(|i| i.token == token && i.state(now) == "pending")
        .cloned()
    else {
        return Err(ApiError::oauth(
            "invitation_invalid",
            "The request failed due to: invitation_invalid.",
        ));
    };
    if store.user(user_id)?.email != inv.email {
        return Err(ApiError::oauth(
            "invitation_cannot_be_used_for_email",
            "The request failed due to: invitation_cannot_be_used_for_email.",
        ));
    }
    accept_in(app, store, &mut inv, user_id)?;
    Ok(inv.organization_id)
}

/// Whether a token names a pending invitation (Magic Auth checks it before
/// sending a code).
pub fn is_pending(store: &Store, token: &str) -> bool {
    let now = now_ms();
    store
        .invitations
        .values()
        .any(|i| i.token == token && i.state(now) == "pending")
}

/// `GET /__emulator/invitations?email=…`: the newest invitation sent to that
/// address, with its token.
pub async fn control_latest(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let email = q
        .get("email")
        .map(|e| e.trim().to_lowercase())
        .ok_or_else(|| ApiError::setup("email is required"))?;
    let store = app.store();
    one_time_code::newest_sent_to(store.invitations.values(), &email)
        .map(|i| Json(i.to_json(now_ms(), true)))
        .ok_or_else(|| {
            ApiError::control(
                StatusCode::NOT_FOUND,
                format!("no invitation was sent to {email}"),
            )
        })
}
