//! `/user_management/organization_memberships`.

use crate::app::Shared;
use crate::body::{self, Fields};
use crate::error::{ApiError, ApiResult};
use crate::model::Membership;
use crate::store::{page, ListParams, DEFAULT_ROLE};
use crate::util::now_ms;
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

/// `role_slug` or `role_slugs`, never both; None when neither is given.
fn requested_roles(f: &Fields) -> ApiResult<Option<Vec<String>>> {
    let single = body::opt_str(f, "role_slug")?;
    let multiple = body::opt_str_list(f, "role_slugs")?;
    match (single, multiple) {
        (Some(_), Some(_)) => Err(ApiError::invalid(
            "role_slug and role_slugs are mutually exclusive.",
        )),
        (Some(s), None) => Ok(Some(vec![s])),
        (None, Some(list)) if list.is_empty() => Err(ApiError::invalid_field(
            "role_slugs",
            "role_slugs must not be empty.",
        )),
        (None, list) => Ok(list),
    }
}

pub async fn list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let user_id = q.get("user_id").filter(|s| !s.is_empty());
    let org_id = q.get("organization_id").filter(|s| !s.is_empty());
    if user_id.is_none() && org_id.is_none() {
        return Err(ApiError::code(
            StatusCode::BAD_REQUEST,
            "missing_user_id_or_organization_id",
            "Either user_id or organization_id is required.",
        ));
    }
    let statuses: Vec<&str> = q
        .get("statuses")
        .map(|s| s.split(',').filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    for s in &statuses {
        if !matches!(*s, "active" | "inactive" | "pending") {
            return Err(ApiError::invalid_field(
                "statuses",
                "statuses may contain active, inactive and pending.",
            ));
        }
    }
    let store = app.store();
    let mut items: Vec<&Membership> = store
        .memberships
        .values()
        .filter(|m| user_id.is_none_or(|u| &m.user_id == u))
        .filter(|m| org_id.is_none_or(|o| &m.organization_id == o))
        .filter(|m| statuses.is_empty() || statuses.contains(&m.status.as_str()))
        .collect();
    items.sort_by_key(|m| m.seq);
    Ok(Json(page(
        items,
        &params,
        |m| m.id.as_str(),
        |m| store.membership_json(m),
    )))
}

pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Response> {
    let f = body::parse(&headers, &bytes)?;
    let user_id = body::req_str(&f, "user_id")?;
    let org_id = body::req_str(&f, "organization_id")?;
    let roles = requested_roles(&f)?.unwrap_or_else(|| vec![DEFAULT_ROLE.to_string()]);
    let mut store = app.store();
    store.user(&user_id)?;
    store.org(&org_id)?;
    store.check_roles(&roles)?;
    if store.membership_of(&user_id, &org_id).is_some() {
        return Err(ApiError::invalid(
            "The user is already a member of the organization.",
        ));
    }
    let m = store.new_membership(&user_id, &org_id, roles);
    webhooks::emit(&app, "organization_membership.created", m.event_json());
    Ok((StatusCode::CREATED, Json(store.membership_json(&m))).into_response())
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.store();
    let m = store.membership(&id)?;
    Ok(Json(store.membership_json(m)))
}

/// Applies `change` and announces `organization_membership.updated`.
fn modify(
    app: &Shared,
    id: &str,
    change: impl FnOnce(&mut Membership) -> ApiResult<()>,
) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    store.membership(id)?;
    let Some(m) = store.memberships.get_mut(id) else {
        return Err(ApiError::not_found("Organization membership", id));
    };
    change(m)?;
    m.updated_at = now_ms();
    let m = m.clone();
    webhooks::emit(app, "organization_membership.updated", m.event_json());
    Ok(Json(store.membership_json(&m)))
}

pub async fn update(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let roles = requested_roles(&f)?;
    if let Some(r) = &roles {
        let store = app.store();
        store.membership(&id)?;
        store.check_roles(r)?;
    }
    modify(&app, &id, |m| {
        if let Some(r) = roles {
            m.role_slugs = r;
        }
        Ok(())
    })
}

pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = app.store();
    let Some(m) = store.memberships.remove(&id) else {
        return Err(ApiError::not_found("Organization membership", id));
    };
    webhooks::emit(&app, "organization_membership.deleted", m.event_json());
    Ok(StatusCode::OK)
}

pub async fn deactivate(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    modify(&app, &id, |m| {
        if m.status == "pending" {
            return Err(ApiError::code(
                StatusCode::BAD_REQUEST,
                "cannot_deactivate_pending_organization_membership",
                "A pending organization membership cannot be deactivated.",
            ));
        }
        m.status = "inactive".into();
        Ok(())
    })
}

pub async fn reactivate(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    modify(&app, &id, |m| {
        if m.status == "pending" {
            return Err(ApiError::code(
                StatusCode::BAD_REQUEST,
                "cannot_reactivate_pending_organization_membership",
                "A pending organization membership cannot be reactivated.",
            ));
        }
        m.status = "active".into();
        Ok(())
    })
}
