//! Directory Sync: `/directories`, `/directory_users`, `/directory_groups`,
//! and the control API that plays the identity provider. Unlike the rest
//! of the control API it announces its changes (`dsync.*`), because a
//! directory change is exactly what WorkOS tells its customers about.

use super::control::{error, parse, strings, text};
use crate::app::{App, Shared};
use crate::error::{ApiError, ApiResult};
use crate::store::{page, ListParams, Store};
use crate::util::{iso, new_id, now_ms, random_token};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

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

#[derive(Clone, Debug)]
pub struct Directory {
    pub seq: u64,
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: String,
    /// As events spell it (`active`, `inactive`, …); the API object says
    /// `linked`/`unlinked` for the first two.
    pub state: String,
    pub domain: Option<String>,
    pub external_key: String,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Directory {
    fn api_state(&self) -> &str {
        match self.state.as_str() {
            "active" => "linked",
            "inactive" => "unlinked",
            other => other,
        }
    }

    fn to_json(&self, store: &Store) -> Value {
        let users = store
            .directory_users
            .values()
            .filter(|u| u.directory_id == self.id);
        let (active, inactive) = users.fold((0, 0), |(a, i), u| {
            if u.state == "active" {
                (a + 1, i)
            } else {
                (a, i + 1)
            }
        });
        let groups = store
            .directory_groups
            .values()
            .filter(|g| g.directory_id == self.id)
            .count();
        let mut v = json!({
            "object": "directory",
            "id": self.id,
            "organization_id": self.organization_id,
            "external_key": self.external_key,
            "type": self.kind,
            "state": self.api_state(),
            "name": self.name,
            "metadata": {"users": {"active": active, "inactive": inactive}, "groups": groups},
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(domain) = &self.domain {
            v["domain"] = json!(domain);
        }
        v
    }

    /// `dsync.activated` / `dsync.deleted`: the organization's domains ride along.
    fn event_json(&self, store: &Store) -> Value {
        let domains: Vec<Value> = store
            .orgs
            .get(&self.organization_id)
            .map(|o| o.domains.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|d| json!({"object": "organization_domain", "id": d.id, "domain": d.domain}))
            .collect();
        json!({
            "object": "directory",
            "id": self.id,
            "organization_id": self.organization_id,
            "type": self.kind,
            "state": self.state,
            "name": self.name,
            "external_key": self.external_key,
            "domains": domains,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}

#[derive(Clone, Debug)]
pub struct DirectoryUser {
    pub seq: u64,
    pub id: String,
    pub directory_id: String,
    pub organization_id: String,
    pub idp_id: String,
    /// `{primary, type, value}` entries, as the spec lists them.
    pub emails: Vec<Value>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub job_title: Option<String>,
    pub state: String,
    pub custom_attributes: Map<String, Value>,
    pub raw_attributes: Map<String, Value>,
    pub group_ids: Vec<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

impl DirectoryUser {
    fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e["primary"] == json!(true))
            .or(self.emails.first())
            .and_then(|e| e["value"].as_str())
    }

    /// The DirectoryUser shape, which events carry.
    fn to_json(&self) -> Value {
        json!({
            "object": "directory_user",
            "id": self.id,
            "directory_id": self.directory_id,
            "organization_id": self.organization_id,
            "idp_id": self.idp_id,
            "email": self.primary_email(),
            "first_name": self.first_name,
            "last_name": self.last_name,
            "emails": self.emails,
            "username": self.username,
            "job_title": self.job_title,
            "state": self.state,
            "raw_attributes": self.raw_attributes,
            "custom_attributes": self.custom_attributes,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }

    /// DirectoryUserWithGroups, which the API answers.
    fn with_groups(&self, store: &Store) -> Value {
        let groups: Vec<Value> = self
            .group_ids
            .iter()
            .filter_map(|g| store.directory_groups.get(g))
            .map(DirectoryGroup::to_json)
            .collect();
        let mut v = self.to_json();
        v["groups"] = json!(groups);
        v
    }
}

#[derive(Clone, Debug)]
pub struct DirectoryGroup {
    pub seq: u64,
    pub id: String,
    pub idp_id: String,
    pub directory_id: String,
    pub organization_id: String,
    pub name: String,
    pub raw_attributes: Map<String, Value>,
    pub created_at: u64,
    pub updated_at: u64,
}

impl DirectoryGroup {
    fn to_json(&self) -> Value {
        json!({
            "object": "directory_group",
            "id": self.id,
            "idp_id": self.idp_id,
            "directory_id": self.directory_id,
            "organization_id": self.organization_id,
            "name": self.name,
            "raw_attributes": self.raw_attributes,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}

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
        |d| d.to_json(&store),
    )))
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.store();
    Ok(Json(directory(&store, &id)?.to_json(&store)))
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
        |u| u.with_groups(&store),
    )))
}

pub async fn get_user(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let store = app.store();
    Ok(Json(directory_user(&store, &id)?.with_groups(&store)))
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

// --- Control API: the identity provider's side ---

type Outcome = Result<(StatusCode, Value), (StatusCode, String)>;

fn respond(outcome: Outcome) -> Response {
    match outcome {
        Ok((status, body)) => (status, Json(body)).into_response(),
        Err((status, message)) => error(status, message),
    }
}

fn bad(message: impl Into<String>) -> (StatusCode, String) {
    (StatusCode::BAD_REQUEST, message.into())
}

fn gone(kind: &str, id: &str) -> (StatusCode, String) {
    (StatusCode::NOT_FOUND, format!("{kind} {id} does not exist"))
}

fn fields(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, (StatusCode, String)> {
    parse(headers, bytes).map(Value::Object).map_err(bad)
}

fn object(v: &Value, key: &str) -> Result<Option<Map<String, Value>>, (StatusCode, String)> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(bad(format!("{key} must be an object"))),
    }
}

fn fresh_id(
    v: &Value,
    prefix: &str,
    taken: impl Fn(&str) -> bool,
) -> Result<String, (StatusCode, String)> {
    match text(v, "id") {
        Some(id) if taken(&id) => Err(bad(format!("{id} already exists"))),
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

/// Removes a directory with its users and groups. WorkOS sends only
/// `dsync.deleted` then, not an event per user or group.
fn remove_directory(app: &App, store: &mut Store, id: &str) {
    let Some(mut dir) = store.directories.remove(id) else {
        return;
    };
    store.directory_users.retain(|_, u| u.directory_id != id);
    store.directory_groups.retain(|_, g| g.directory_id != id);
    dir.state = "deleting".into();
    dir.updated_at = now_ms();
    webhooks::emit(app, "dsync.deleted", dir.event_json(store));
}

fn directory_state(v: &Value) -> Result<Option<String>, (StatusCode, String)> {
    match text(v, "state") {
        Some(s)
            if ["active", "inactive", "validating", "invalid_credentials"]
                .contains(&s.as_str()) =>
        {
            Ok(Some(s))
        }
        Some(_) => Err(bad(
            "state must be active, inactive, validating or invalid_credentials",
        )),
        None => Ok(None),
    }
}

/// `POST /__emulator/directories`: `{organization_id, name?, type?, state?
/// (active), domain?, id?, external_key?}`; an active one sends `dsync.activated`.
pub async fn control_create_directory(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let org = text(&v, "organization_id").ok_or(bad("organization_id is required"))?;
        let kind = text(&v, "type").unwrap_or_else(|| "generic scim v2.0".into());
        if !TYPES.contains(&kind.as_str()) {
            return Err(bad(format!("unknown directory type '{kind}'")));
        }
        let state = directory_state(&v)?.unwrap_or_else(|| "active".into());
        let mut store = app.store();
        let org_name = match store.orgs.get(&org) {
            Some(o) => o.name.clone(),
            None => return Err(bad(format!("organization {org} does not exist"))),
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
            webhooks::emit(&app, "dsync.activated", dir.event_json(&store));
        }
        Ok((StatusCode::CREATED, dir.to_json(&store)))
    })())
}

/// `PUT /__emulator/directories/{id}`: `{name?, state?, domain?}`; becoming
/// active sends `dsync.activated`.
pub async fn control_update_directory(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let state = directory_state(&v)?;
        let mut store = app.store();
        let Some(dir) = store.directories.get_mut(&id) else {
            return Err(gone("directory", &id));
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
            webhooks::emit(&app, "dsync.activated", dir.event_json(&store));
        }
        Ok((StatusCode::OK, dir.to_json(&store)))
    })())
}

pub async fn control_delete_directory(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> Response {
    let mut store = app.store();
    if !store.directories.contains_key(&id) {
        let (status, message) = gone("directory", &id);
        return error(status, message);
    }
    remove_directory(&app, &mut store, &id);
    StatusCode::NO_CONTENT.into_response()
}

/// `emails: [{value, primary?, type?}]`, or a single `email`.
fn parse_emails(v: &Value) -> Result<Option<Vec<Value>>, (StatusCode, String)> {
    if let Some(list) = v.get("emails").filter(|l| !l.is_null()) {
        let items = list.as_array().ok_or(bad("emails must be a list"))?;
        let any_primary = items.iter().any(|e| e["primary"] == json!(true));
        return items
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let value = text(e, "value").ok_or(bad("each email needs a value"))?;
                let primary = e["primary"].as_bool().unwrap_or(!any_primary && i == 0);
                let kind = text(e, "type").unwrap_or_else(|| "work".into());
                Ok(json!({"primary": primary, "type": kind, "value": value}))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some);
    }
    Ok(text(v, "email").map(|e| vec![json!({"primary": true, "type": "work", "value": e})]))
}

fn user_state(v: &Value) -> Result<Option<String>, (StatusCode, String)> {
    match text(v, "state") {
        Some(s) if ["active", "inactive", "suspended"].contains(&s.as_str()) => Ok(Some(s)),
        Some(_) => Err(bad("state must be active, inactive or suspended")),
        None => Ok(None),
    }
}

/// Group ids, each of which must be a group of `directory_id`.
fn parse_groups(
    store: &Store,
    v: &Value,
    directory_id: &str,
) -> Result<Option<Vec<String>>, (StatusCode, String)> {
    if v.get("groups").is_none_or(Value::is_null) {
        return Ok(None);
    }
    let ids = strings(v, "groups").map_err(bad)?;
    for id in &ids {
        if store
            .directory_groups
            .get(id)
            .is_none_or(|g| g.directory_id != directory_id)
        {
            return Err(bad(format!(
                "group {id} is not in directory {directory_id}"
            )));
        }
    }
    Ok(Some(ids))
}

/// Sets the fields a create or update may carry.
fn apply_user_fields(u: &mut DirectoryUser, v: &Value) -> Result<(), (StatusCode, String)> {
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
pub async fn control_create_user(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let dir_id = text(&v, "directory_id").ok_or(bad("directory_id is required"))?;
        let mut store = app.store();
        let dir = store
            .directories
            .get(&dir_id)
            .cloned()
            .ok_or(bad(format!("directory {dir_id} does not exist")))?;
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
            return Err(bad("emails (or email) is required"));
        }
        if user.username.is_none() {
            user.username = user.primary_email().map(String::from);
        }
        store.directory_users.insert(user.id.clone(), user.clone());
        webhooks::emit(&app, "dsync.user.created", user.to_json());
        for g in &groups {
            membership_event(&app, &store, "dsync.group.user_added", &user.id, g);
        }
        Ok((StatusCode::CREATED, user.with_groups(&store)))
    })())
}

/// `PUT /__emulator/directory_users/{id}`: the create fields but
/// `directory_id`; sends `dsync.user.updated` with `previous_attributes`,
/// and `dsync.group.user_added`/`user_removed` for a changed `groups`.
pub async fn control_update_user(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let mut store = app.store();
        let mut user = store
            .directory_users
            .get(&id)
            .cloned()
            .ok_or(gone("directory user", &id))?;
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
        Ok((StatusCode::OK, user.with_groups(&store)))
    })())
}

pub async fn control_delete_user(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let mut store = app.store();
    let Some(mut user) = store.directory_users.remove(&id) else {
        let (status, message) = gone("directory user", &id);
        return error(status, message);
    };
    user.updated_at = now_ms();
    webhooks::emit(&app, "dsync.user.deleted", user.to_json());
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /__emulator/directory_groups`: `{directory_id, name, idp_id?, id?,
/// raw_attributes?}` → `dsync.group.created`.
pub async fn control_create_group(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let dir_id = text(&v, "directory_id").ok_or(bad("directory_id is required"))?;
        let name = text(&v, "name").ok_or(bad("name is required"))?;
        let raw_attributes = object(&v, "raw_attributes")?.unwrap_or_default();
        let mut store = app.store();
        let dir = store
            .directories
            .get(&dir_id)
            .cloned()
            .ok_or(bad(format!("directory {dir_id} does not exist")))?;
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
        Ok((StatusCode::CREATED, group.to_json()))
    })())
}

/// `PUT /__emulator/directory_groups/{id}`: `{name?, raw_attributes?}` →
/// `dsync.group.updated` with `previous_attributes`.
pub async fn control_update_group(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let raw_attributes = object(&v, "raw_attributes")?;
        let mut store = app.store();
        let group = store
            .directory_groups
            .get_mut(&id)
            .ok_or(gone("directory group", &id))?;
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
        Ok((StatusCode::OK, group.to_json()))
    })())
}

/// Members lose the group silently: WorkOS sends `dsync.group.deleted` alone.
pub async fn control_delete_group(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    let mut store = app.store();
    let Some(mut group) = store.directory_groups.remove(&id) else {
        let (status, message) = gone("directory group", &id);
        return error(status, message);
    };
    for u in store.directory_users.values_mut() {
        u.group_ids.retain(|g| g != &id);
    }
    group.updated_at = now_ms();
    webhooks::emit(&app, "dsync.group.deleted", group.to_json());
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /__emulator/directory_groups/{id}/users`: `{user_id}` →
/// `dsync.group.user_added` (nothing when already a member).
pub async fn control_add_member(
    State(app): State<Shared>,
    Path(group_id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    respond((|| {
        let v = fields(&headers, &bytes)?;
        let user_id = text(&v, "user_id").ok_or(bad("user_id is required"))?;
        let mut store = app.store();
        let group = store
            .directory_groups
            .get(&group_id)
            .cloned()
            .ok_or(gone("directory group", &group_id))?;
        let user = store
            .directory_users
            .get_mut(&user_id)
            .ok_or(gone("directory user", &user_id))?;
        if user.directory_id != group.directory_id {
            return Err(bad("the user and the group are in different directories"));
        }
        if !user.group_ids.contains(&group_id) {
            user.group_ids.push(group_id.clone());
            membership_event(&app, &store, "dsync.group.user_added", &user_id, &group_id);
        }
        let user =
            directory_user(&store, &user_id).map_err(|_| gone("directory user", &user_id))?;
        Ok((StatusCode::OK, user.with_groups(&store)))
    })())
}

/// `DELETE /__emulator/directory_groups/{id}/users/{user_id}` →
/// `dsync.group.user_removed`.
pub async fn control_remove_member(
    State(app): State<Shared>,
    Path((group_id, user_id)): Path<(String, String)>,
) -> Response {
    respond((|| {
        let mut store = app.store();
        let user = store
            .directory_users
            .get(&user_id)
            .ok_or(gone("directory user", &user_id))?;
        if !user.group_ids.contains(&group_id) {
            return Err(gone("membership of group", &group_id));
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
        let user =
            directory_user(&store, &user_id).map_err(|_| gone("directory user", &user_id))?;
        Ok((StatusCode::OK, user.with_groups(&store)))
    })())
}
