//! The identity provider's side of Directory Sync: directories, their
//! users and groups, and group memberships, created and changed as an IdP
//! would. Unlike the rest of the control API it announces its changes
//! (`dsync.*`), because a directory change is exactly what WorkOS tells its
//! customers about.

use super::{fields, strings, text};
use crate::app::{App, Shared};
use crate::error::{ApiError, ApiResult};
use crate::model::{Directory, DirectoryGroup, DirectoryUser};
use crate::routes::directories::remove_directory;
use crate::store::Store;
use crate::util::{new_id, now_ms, random_token};
use crate::webhooks;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Map, Value};

/// The `type` values the spec's Directory object allows.
const TYPES: &[&str] = &[
    "azure scim v2.0",
    "bamboohr",
    "breathe hr",
    "cezanne hr",
    "cyberark scim v2.0",
    "fourth hr",
    "generic scim v2.0",
    "gsuite directory",
    "hibob",
    "sailpoint scim v2.0",
    "jump cloud scim v2.0",
    "okta scim v2.0",
    "onelogin scim v2.0",
    "people hr",
    "personio",
    "pingfederate scim v2.0",
    "rippling scim v2.0",
    "s3",
    "sftp",
    "sftp workday",
    "workday",
];

fn object(v: &Value, key: &str) -> ApiResult<Option<Map<String, Value>>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(ApiError::setup(format!("{key} must be an object"))),
    }
}

fn fresh_id(v: &Value, prefix: &str, taken: impl Fn(&str) -> bool) -> ApiResult<String> {
    match text(v, "id") {
        Some(id) if taken(&id) => Err(ApiError::setup(format!("{id} already exists"))),
        Some(id) => Ok(id),
        None => Ok(new_id(prefix)),
    }
}

/// What `dsync.user.updated` and `dsync.group.updated` report as changed.
fn previous_attributes(old: &Value, new: &Value) -> Map<String, Value> {
    old.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| *k != "updated_at" && new.get(k.as_str()) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn membership_event(app: &App, store: &Store, event: &str, user_id: &str, group_id: &str) {
    if let (Some(u), Some(g)) = (
        store.directory_users.get(user_id),
        store.directory_groups.get(group_id),
    ) {
        let data =
            json!({"directory_id": u.directory_id, "user": u.to_json(), "group": g.to_json()});
        webhooks::emit(app, event, data);
    }
}

fn directory_state(v: &Value) -> ApiResult<Option<String>> {
    match text(v, "state") {
        Some(s)
            if ["active", "inactive", "validating", "invalid_credentials"]
                .contains(&s.as_str()) =>
        {
            Ok(Some(s))
        }
        Some(_) => Err(ApiError::setup(
            "state must be active, inactive, validating or invalid_credentials",
        )),
        None => Ok(None),
    }
}

/// `POST /__emulator/directories`: `{organization_id, name?, type?, state?
/// (active), domain?, id?, external_key?}`; an active one sends `dsync.activated`.
pub async fn create_directory(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let org = text(&v, "organization_id").ok_or(ApiError::setup("organization_id is required"))?;
    let kind = text(&v, "type").unwrap_or_else(|| "generic scim v2.0".into());
    if !TYPES.contains(&kind.as_str()) {
        return Err(ApiError::setup(format!("unknown directory type '{kind}'")));
    }
    let state = directory_state(&v)?.unwrap_or_else(|| "active".into());
    let mut store = app.store();
    let org_name = match store.orgs.get(&org) {
        Some(o) => o.name.clone(),
        None => {
            return Err(ApiError::setup(format!(
                "organization {org} does not exist"
            )))
        }
    };
    let id = fresh_id(&v, "directory", |id| store.directories.contains_key(id))?;
    let now = now_ms();
    let dir = Directory {
        seq: store.next_seq(),
        id,
        organization_id: org,
        name: text(&v, "name").unwrap_or_else(|| format!("{org_name} Directory")),
        kind,
        state,
        domain: text(&v, "domain"),
        external_key: text(&v, "external_key").unwrap_or_else(|| random_token(16)),
        created_at: now,
        updated_at: now,
    };
    store.directories.insert(dir.id.clone(), dir.clone());
    if dir.state == "active" {
        webhooks::emit(&app, "dsync.activated", store.directory_event_json(&dir));
    }
    Ok((StatusCode::CREATED, Json(store.directory_json(&dir))))
}

/// `PUT /__emulator/directories/{id}`: `{name?, state?, domain?}`; becoming
/// active sends `dsync.activated`.
pub async fn update_directory(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let state = directory_state(&v)?;
    let mut store = app.store();
    let Some(dir) = store.directories.get_mut(&id) else {
        return Err(ApiError::no_such("directory", &id));
    };
    let was_active = dir.state == "active";
    if let Some(name) = text(&v, "name") {
        dir.name = name;
    }
    if let Some(domain) = text(&v, "domain") {
        dir.domain = Some(domain);
    }
    if let Some(s) = state {
        dir.state = s;
    }
    dir.updated_at = now_ms();
    let dir = dir.clone();
    if !was_active && dir.state == "active" {
        webhooks::emit(&app, "dsync.activated", store.directory_event_json(&dir));
    }
    Ok((StatusCode::OK, Json(store.directory_json(&dir))))
}

pub async fn delete_directory(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut store = app.store();
    if !store.directories.contains_key(&id) {
        return Err(ApiError::no_such("directory", &id));
    }
    remove_directory(&app, &mut store, &id);
    Ok(StatusCode::NO_CONTENT)
}

/// `emails: [{value, primary?, type?}]`, or a single `email`.
fn parse_emails(v: &Value) -> ApiResult<Option<Vec<Value>>> {
    if let Some(list) = v.get("emails").filter(|l| !l.is_null()) {
        let items = list
            .as_array()
            .ok_or(ApiError::setup("emails must be a list"))?;
        let any_primary = items.iter().any(|e| e["primary"] == json!(true));
        return items
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let value = text(e, "value").ok_or(ApiError::setup("each email needs a value"))?;
                let primary = e["primary"].as_bool().unwrap_or(!any_primary && i == 0);
                let kind = text(e, "type").unwrap_or_else(|| "work".into());
                Ok(json!({"primary": primary, "type": kind, "value": value}))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some);
    }
    Ok(text(v, "email").map(|e| vec![json!({"primary": true, "type": "work", "value": e})]))
}

fn user_state(v: &Value) -> ApiResult<Option<String>> {
    match text(v, "state") {
        Some(s) if ["active", "inactive", "suspended"].contains(&s.as_str()) => Ok(Some(s)),
        Some(_) => Err(ApiError::setup(
            "state must be active, inactive or suspended",
        )),
        None => Ok(None),
    }
}

/// Group ids, each of which must be a group of `directory_id`.
fn parse_groups(store: &Store, v: &Value, directory_id: &str) -> ApiResult<Option<Vec<String>>> {
    if v.get("groups").is_none_or(Value::is_null) {
        return Ok(None);
    }
    let ids = strings(v, "groups").map_err(ApiError::setup)?;
    for id in &ids {
        if store
            .directory_groups
            .get(id)
            .is_none_or(|g| g.directory_id != directory_id)
        {
            return Err(ApiError::setup(format!(
                "group {id} is not in directory {directory_id}"
            )));
        }
    }
    Ok(Some(ids))
}

/// Sets the fields a create or update may carry.
fn apply_user_fields(u: &mut DirectoryUser, v: &Value) -> ApiResult<()> {
    if let Some(emails) = parse_emails(v)? {
        u.emails = emails;
    }
    for (key, slot) in [
        ("first_name", &mut u.first_name),
        ("last_name", &mut u.last_name),
        ("username", &mut u.username),
        ("job_title", &mut u.job_title),
    ] {
        if let Some(value) = v.get(key) {
            *slot = value.as_str().map(String::from);
        }
    }
    if let Some(s) = user_state(v)? {
        u.state = s;
    }
    if let Some(m) = object(v, "custom_attributes")? {
        u.custom_attributes = m;
    }
    if let Some(m) = object(v, "raw_attributes")? {
        u.raw_attributes = m;
    }
    Ok(())
}

/// `POST /__emulator/directory_users`: `{directory_id, emails | email,
/// first_name?, last_name?, username?, job_title?, state? (active),
/// custom_attributes?, raw_attributes?, groups?: [group id], idp_id?, id?}`
/// → `dsync.user.created`, then `dsync.group.user_added` per group.
pub async fn create_user(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let dir_id = text(&v, "directory_id").ok_or(ApiError::setup("directory_id is required"))?;
    let mut store = app.store();
    let dir = store
        .directories
        .get(&dir_id)
        .cloned()
        .ok_or(ApiError::setup(format!(
            "directory {dir_id} does not exist"
        )))?;
    let groups = parse_groups(&store, &v, &dir_id)?.unwrap_or_default();
    let id = fresh_id(&v, "directory_user", |id| {
        store.directory_users.contains_key(id)
    })?;
    let now = now_ms();
    let mut user = DirectoryUser {
        seq: store.next_seq(),
        id,
        directory_id: dir_id,
        organization_id: dir.organization_id,
        idp_id: text(&v, "idp_id").unwrap_or_else(|| random_token(12)),
        emails: Vec::new(),
        first_name: None,
        last_name: None,
        username: None,
        job_title: None,
        state: "active".into(),
        custom_attributes: Map::new(),
        raw_attributes: Map::new(),
        group_ids: groups.clone(),
        created_at: now,
        updated_at: now,
    };
    apply_user_fields(&mut user, &v)?;
    if user.emails.is_empty() {
        return Err(ApiError::setup("emails (or email) is required"));
    }
    if user.username.is_none() {
        user.username = user.primary_email().map(String::from);
    }
    store.directory_users.insert(user.id.clone(), user.clone());
    webhooks::emit(&app, "dsync.user.created", user.to_json());
    for g in &groups {
        membership_event(&app, &store, "dsync.group.user_added", &user.id, g);
    }
    Ok((StatusCode::CREATED, Json(store.directory_user_json(&user))))
}

/// `PUT /__emulator/directory_users/{id}`: the create fields but
/// `directory_id`; sends `dsync.user.updated` with `previous_attributes`,
/// and `dsync.group.user_added`/`user_removed` for a changed `groups`.
pub async fn update_user(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let mut store = app.store();
    let mut user = store
        .directory_users
        .get(&id)
        .cloned()
        .ok_or(ApiError::no_such("directory user", &id))?;
    let before = user.to_json();
    let groups = parse_groups(&store, &v, &user.directory_id)?;
    apply_user_fields(&mut user, &v)?;
    let changed = previous_attributes(&before, &user.to_json());
    if !changed.is_empty() {
        user.updated_at = now_ms();
    }
    let old_groups = std::mem::take(&mut user.group_ids);
    user.group_ids = groups.clone().unwrap_or_else(|| old_groups.clone());
    store.directory_users.insert(id.clone(), user.clone());
    if !changed.is_empty() {
        let mut data = user.to_json();
        data["previous_attributes"] = Value::Object(changed);
        webhooks::emit(&app, "dsync.user.updated", data);
    }
    for g in old_groups.iter().filter(|g| !user.group_ids.contains(g)) {
        membership_event(&app, &store, "dsync.group.user_removed", &id, g);
    }
    for g in user.group_ids.iter().filter(|g| !old_groups.contains(g)) {
        membership_event(&app, &store, "dsync.group.user_added", &id, g);
    }
    Ok((StatusCode::OK, Json(store.directory_user_json(&user))))
}

pub async fn delete_user(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut store = app.store();
    let Some(mut user) = store.directory_users.remove(&id) else {
        return Err(ApiError::no_such("directory user", &id));
    };
    user.updated_at = now_ms();
    webhooks::emit(&app, "dsync.user.deleted", user.to_json());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /__emulator/directory_groups`: `{directory_id, name, idp_id?, id?,
/// raw_attributes?}` → `dsync.group.created`.
pub async fn create_group(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let dir_id = text(&v, "directory_id").ok_or(ApiError::setup("directory_id is required"))?;
    let name = text(&v, "name").ok_or(ApiError::setup("name is required"))?;
    let raw_attributes = object(&v, "raw_attributes")?.unwrap_or_default();
    let mut store = app.store();
    let dir = store
        .directories
        .get(&dir_id)
        .cloned()
        .ok_or(ApiError::setup(format!(
            "directory {dir_id} does not exist"
        )))?;
    let id = fresh_id(&v, "directory_group", |id| {
        store.directory_groups.contains_key(id)
    })?;
    let now = now_ms();
    let group = DirectoryGroup {
        seq: store.next_seq(),
        id,
        idp_id: text(&v, "idp_id").unwrap_or_else(|| random_token(12)),
        directory_id: dir_id,
        organization_id: dir.organization_id,
        name,
        raw_attributes,
        created_at: now,
        updated_at: now,
    };
    store
        .directory_groups
        .insert(group.id.clone(), group.clone());
    webhooks::emit(&app, "dsync.group.created", group.to_json());
    Ok((StatusCode::CREATED, Json(group.to_json())))
}

/// `PUT /__emulator/directory_groups/{id}`: `{name?, raw_attributes?}` →
/// `dsync.group.updated` with `previous_attributes`.
pub async fn update_group(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let raw_attributes = object(&v, "raw_attributes")?;
    let mut store = app.store();
    let group = store
        .directory_groups
        .get_mut(&id)
        .ok_or(ApiError::no_such("directory group", &id))?;
    let before = group.to_json();
    if let Some(name) = text(&v, "name") {
        group.name = name;
    }
    if let Some(raw) = raw_attributes {
        group.raw_attributes = raw;
    }
    let changed = previous_attributes(&before, &group.to_json());
    if !changed.is_empty() {
        group.updated_at = now_ms();
        let mut data = group.to_json();
        data["previous_attributes"] = Value::Object(changed);
        webhooks::emit(&app, "dsync.group.updated", data);
    }
    Ok((StatusCode::OK, Json(group.to_json())))
}

/// Members lose the group silently: WorkOS sends `dsync.group.deleted` alone.
pub async fn delete_group(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut store = app.store();
    let Some(mut group) = store.directory_groups.remove(&id) else {
        return Err(ApiError::no_such("directory group", &id));
    };
    for u in store.directory_users.values_mut() {
        u.group_ids.retain(|g| g != &id);
    }
    group.updated_at = now_ms();
    webhooks::emit(&app, "dsync.group.deleted", group.to_json());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /__emulator/directory_groups/{id}/users`: `{user_id}` →
/// `dsync.group.user_added` (nothing when already a member).
pub async fn add_member(
    State(app): State<Shared>,
    Path(group_id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let user_id = text(&v, "user_id").ok_or(ApiError::setup("user_id is required"))?;
    let mut store = app.store();
    let group = store
        .directory_groups
        .get(&group_id)
        .cloned()
        .ok_or(ApiError::no_such("directory group", &group_id))?;
    let user = store
        .directory_users
        .get_mut(&user_id)
        .ok_or(ApiError::no_such("directory user", &user_id))?;
    if user.directory_id != group.directory_id {
        return Err(ApiError::setup(
            "the user and the group are in different directories",
        ));
    }
    if !user.group_ids.contains(&group_id) {
        user.group_ids.push(group_id.clone());
        membership_event(&app, &store, "dsync.group.user_added", &user_id, &group_id);
    }
    let user = store
        .directory_users
        .get(&user_id)
        .ok_or_else(|| ApiError::no_such("directory user", &user_id))?;
    Ok((StatusCode::OK, Json(store.directory_user_json(user))))
}

/// `DELETE /__emulator/directory_groups/{id}/users/{user_id}` →
/// `dsync.group.user_removed`.
pub async fn remove_member(
    State(app): State<Shared>,
    Path((group_id, user_id)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut store = app.store();
    let user = store
        .directory_users
        .get(&user_id)
        .ok_or(ApiError::no_such("directory user", &user_id))?;
    if !user.group_ids.contains(&group_id) {
        return Err(ApiError::no_such("membership of group", &group_id));
    }
    // The event shows the user as it was, still a member.
    membership_event(
        &app,
        &store,
        "dsync.group.user_removed",
        &user_id,
        &group_id,
    );
    if let Some(u) = store.directory_users.get_mut(&user_id) {
        u.group_ids.retain(|g| g != &group_id);
    }
    let user = store
        .directory_users
        .get(&user_id)
        .ok_or_else(|| ApiError::no_such("directory user", &user_id))?;
    Ok((StatusCode::OK, Json(store.directory_user_json(user))))
}
