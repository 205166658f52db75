//! Directory Sync: `/directories`, `/directory_users`, `/directory_groups`.
//! The identity provider's side is played by the control API
//! (`control::directory_sync`).

use crate::app::{App, Shared};
use crate::error::{ApiError, ApiResult};
use crate::model::{Directory, DirectoryGroup, DirectoryUser};
use crate::store::{page, ListParams, Store};
use crate::util::now_ms;
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

fn directory(store: &Store, id: &str) -> ApiResult<Directory> {
    store
        .directories
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Directory", id))
}

fn directory_user(store: &Store, id: &str) -> ApiResult<DirectoryUser> {
    store
        .directory_users
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Directory user", id))
}

fn directory_group(store: &Store, id: &str) -> ApiResult<DirectoryGroup> {
    store
        .directory_groups
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Directory group", id))
}

fn filter<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a String> {
    q.get(key).filter(|s| !s.is_empty())
}

fn unprocessable(message: &str) -> ApiError {
    ApiError::message(StatusCode::UNPROCESSABLE_ENTITY, message)
}

// --- WorkOS API ---

pub async fn list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let search = filter(&q, "search").map(|s| s.to_lowercase());
    let store = app.store();
    let mut items: Vec<&Directory> = store
        .directories
        .values()
        .filter(|d| filter(&q, "organization_id").is_none_or(|o| &d.organization_id == o))
        .filter(|d| filter(&q, "domain").is_none_or(|x| d.domain.as_ref() == Some(x)))
        .filter(|d| {
            search
                .as_ref()
                .is_none_or(|s| d.name.to_lowercase().contains(s))
        })
        .collect();
    items.sort_by_key(|d| d.seq);
    Ok(Json(page(
        items,
        &params,
        |d| d.id.as_str(),
        |d| store.directory_json(d),
    )))
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.store();
    Ok(Json(store.directory_json(&directory(&store, &id)?)))
}

pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = app.store();
    directory(&store, &id)?;
    remove_directory(&app, &mut store, &id);
    Ok(StatusCode::OK)
}

/// `directory` or `group` is required; `idp_id` and `email` narrow a directory.
pub async fn list_users(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let dir = filter(&q, "directory");
    let group = filter(&q, "group");
    let idp_id = filter(&q, "idp_id");
    let email = filter(&q, "email").map(|e| e.to_lowercase());
    if dir.is_none() && group.is_none() {
        return Err(unprocessable("Either directory or group is required."));
    }
    if dir.is_none() && (idp_id.is_some() || email.is_some()) {
        return Err(unprocessable("idp_id and email require directory."));
    }
    let store = app.store();
    if let Some(d) = dir {
        directory(&store, d)?;
    }
    if let Some(g) = group {
        directory_group(&store, g)?;
    }
    let mut items: Vec<&DirectoryUser> = store
        .directory_users
        .values()
        .filter(|u| dir.is_none_or(|d| &u.directory_id == d))
        .filter(|u| group.is_none_or(|g| u.group_ids.contains(g)))
        .filter(|u| idp_id.is_none_or(|i| &u.idp_id == i))
        .filter(|u| {
            email
                .as_ref()
                .is_none_or(|e| u.primary_email().map(str::to_lowercase).as_ref() == Some(e))
        })
        .collect();
    items.sort_by_key(|u| u.seq);
    Ok(Json(page(
        items,
        &params,
        |u| u.id.as_str(),
        |u| store.directory_user_json(u),
    )))
}

pub async fn get_user(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.store();
    Ok(Json(
        store.directory_user_json(&directory_user(&store, &id)?),
    ))
}

/// `directory` or `user` is required.
pub async fn list_groups(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let dir = filter(&q, "directory");
    let user = filter(&q, "user");
    if dir.is_none() && user.is_none() {
        return Err(unprocessable("Either directory or user is required."));
    }
    let store = app.store();
    if let Some(d) = dir {
        directory(&store, d)?;
    }
    let member_of = match user {
        Some(u) => Some(directory_user(&store, u)?.group_ids),
        None => None,
    };
    let mut items: Vec<&DirectoryGroup> = store
        .directory_groups
        .values()
        .filter(|g| dir.is_none_or(|d| &g.directory_id == d))
        .filter(|g| member_of.as_ref().is_none_or(|ids| ids.contains(&g.id)))
        .collect();
    items.sort_by_key(|g| g.seq);
    Ok(Json(page(
        items,
        &params,
        |g| g.id.as_str(),
        |g| g.to_json(),
    )))
}

pub async fn get_group(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(directory_group(&app.store(), &id)?.to_json()))
}

/// Removes a directory with its users and groups. WorkOS sends only
/// `dsync.deleted` then, not an event per user or group.
pub fn remove_directory(app: &App, store: &mut Store, id: &str) {
    let Some(mut dir) = store.directories.remove(id) else {
        return;
    };
    store.directory_users.retain(|_, u| u.directory_id != id);
    store.directory_groups.retain(|_, g| g.directory_id != id);
    dir.state = "deleting".into();
    dir.updated_at = now_ms();
    webhooks::emit(app, "dsync.deleted", store.directory_event_json(&dir));
}
