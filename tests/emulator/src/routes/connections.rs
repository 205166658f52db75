//! SSO connections: `/connections` and the control routes that stand in
//! for a customer finishing (or breaking) their identity provider set-up,
//! which WorkOS announces as `connection.activated` / `connection.deactivated`.

use super::control::{error, parse, strings, text};
use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use crate::store::{page, ListParams};
use crate::util::{iso, new_id, now_ms, random_token};
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The `connection_type` values the spec's Connection object allows, but `Pending`.
const TYPES: &[&str] = &[
    "ADFSSAML",
    "AdpOidc",
    "AppleOAuth",
    "Auth0Migration",
    "Auth0SAML",
    "AzureSAML",
    "BitbucketOAuth",
    "CasSAML",
    "ClassLinkSAML",
    "CleverOIDC",
    "CloudflareSAML",
    "CyberArkSAML",
    "DiscordOAuth",
    "DuoSAML",
    "EntraIdOIDC",
    "GenericOIDC",
    "GenericSAML",
    "GitHubOAuth",
    "GitLabOAuth",
    "GoogleOAuth",
    "GoogleOIDC",
    "GoogleSAML",
    "GrokOAuth",
    "XOAuth",
    "IntuitOAuth",
    "JumpCloudSAML",
    "KeycloakSAML",
    "LastPassSAML",
    "LinkedInOAuth",
    "LoginGovOidc",
    "MagicLink",
    "MicrosoftOAuth",
    "MiniOrangeSAML",
    "NetIqSAML",
    "OktaOIDC",
    "OktaSAML",
    "OneLoginSAML",
    "OracleSAML",
    "PingFederateSAML",
    "PingOneSAML",
    "RipplingSAML",
    "SalesforceSAML",
    "ShibbolethGenericSAML",
    "ShibbolethSAML",
    "SimpleSamlPhpSAML",
    "SalesforceOAuth",
    "SlackOAuth",
    "TestIdp",
    "VercelMarketplaceOAuth",
    "VercelOAuth",
    "VMwareSAML",
    "XeroOAuth",
];

#[derive(Clone, Debug)]
pub struct Connection {
    pub seq: u64,
    pub id: String,
    pub organization_id: Option<String>,
    pub connection_type: String,
    pub name: String,
    pub state: String,
    /// `(id, domain)` pairs.
    pub domains: Vec<(String, String)>,
    pub external_key: String,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Connection {
    pub fn to_json(&self) -> Value {
        let domains: Vec<Value> = self
            .domains
            .iter()
            .map(|(id, d)| json!({"object": "connection_domain", "id": id, "domain": d}))
            .collect();
        let mut v = json!({
            "object": "connection",
            "id": self.id,
            "connection_type": self.connection_type,
            "name": self.name,
            "state": self.state,
            // The deprecated `status` follows the state, as WorkOS keeps it.
            "status": if self.state == "active" { "linked" } else { "unlinked" },
            "domains": domains,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(org) = &self.organization_id {
            v["organization_id"] = json!(org);
        }
        v
    }

    /// Events also carry the `external_key`.
    fn event_json(&self) -> Value {
        let mut v = self.to_json();
        v["external_key"] = json!(self.external_key);
        v
    }
}

pub async fn list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let params = ListParams::from_query(&q)?;
    let filter = |k: &str| q.get(k).filter(|s| !s.is_empty());
    let domain = filter("domain").map(|d| d.to_lowercase());
    let search = filter("search").map(|s| s.to_lowercase());
    let store = app.store();
    let mut items: Vec<&Connection> = store
        .connections
        .values()
        .filter(|c| filter("connection_type").is_none_or(|t| &c.connection_type == t))
        .filter(|c| filter("organization_id").is_none_or(|o| c.organization_id.as_ref() == Some(o)))
        .filter(|c| {
            domain
                .as_ref()
                .is_none_or(|d| c.domains.iter().any(|(_, x)| x == d))
        })
        .filter(|c| {
            search
                .as_ref()
                .is_none_or(|s| c.name.to_lowercase().contains(s))
        })
        .collect();
    items.sort_by_key(|c| c.seq);
    Ok(Json(page(
        items,
        &params,
        |c| c.id.as_str(),
        |c| c.to_json(),
    )))
}

pub async fn get(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    app.store()
        .connections
        .get(&id)
        .map(|c| Json(c.to_json()))
        .ok_or_else(|| ApiError::not_found("Connection", id))
}

pub async fn delete(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let Some(mut connection) = app.store().connections.remove(&id) else {
        return Err(ApiError::not_found("Connection", id));
    };
    connection.state = "deleting".into();
    connection.updated_at = now_ms();
    webhooks::emit(&app, "connection.deleted", connection.event_json());
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /__emulator/connections`: `{organization_id?, name?, connection_type?
/// (GenericSAML), state? (active|inactive|draft|validating; active), domains?,
/// id?, external_key?}`; an active one sends `connection.activated`.
pub async fn control_create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let v = match parse(&headers, &bytes) {
        Ok(f) => Value::Object(f),
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let connection_type = text(&v, "connection_type").unwrap_or_else(|| "GenericSAML".into());
    if !TYPES.contains(&connection_type.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("unknown connection_type '{connection_type}'"),
        );
    }
    let state = text(&v, "state").unwrap_or_else(|| "active".into());
    if !["active", "inactive", "draft", "validating"].contains(&state.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            "state must be active, inactive, draft or validating",
        );
    }
    let domains = match strings(&v, "domains") {
        Ok(d) => d,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let organization_id = text(&v, "organization_id");
    let mut store = app.store();
    if let Some(org) = &organization_id {
        if !store.orgs.contains_key(org) {
            return error(
                StatusCode::BAD_REQUEST,
                format!("organization {org} does not exist"),
            );
        }
    }
    let id = text(&v, "id").unwrap_or_else(|| new_id("conn"));
    if store.connections.contains_key(&id) {
        return error(
            StatusCode::BAD_REQUEST,
            format!("connection {id} already exists"),
        );
    }
    let now = now_ms();
    let connection = Connection {
        seq: store.next_seq(),
        id,
        organization_id,
        name: text(&v, "name").unwrap_or_else(|| connection_type.clone()),
        connection_type,
        state,
        domains: domains
            .into_iter()
            .map(|d| (new_id("conn_domain"), d.to_lowercase()))
            .collect(),
        external_key: text(&v, "external_key").unwrap_or_else(|| random_token(16)),
        created_at: now,
        updated_at: now,
    };
    store
        .connections
        .insert(connection.id.clone(), connection.clone());
    if connection.state == "active" {
        webhooks::emit(&app, "connection.activated", connection.event_json());
    }
    (StatusCode::CREATED, Json(connection.to_json())).into_response()
}

/// Moves a connection to `state`, announcing the change only when it is one.
fn set_state(app: &Shared, id: &str, state: &str, event: &str) -> Response {
    let mut store = app.store();
    let Some(connection) = store.connections.get_mut(id) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("connection {id} does not exist"),
        );
    };
    if connection.state != state {
        connection.state = state.to_string();
        connection.updated_at = now_ms();
        webhooks::emit(app, event, connection.event_json());
    }
    Json(connection.to_json()).into_response()
}

/// `POST /__emulator/connections/{id}/activate` → `connection.activated`.
pub async fn control_activate(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    set_state(&app, &id, "active", "connection.activated")
}

/// `POST /__emulator/connections/{id}/deactivate` → `connection.deactivated`.
pub async fn control_deactivate(State(app): State<Shared>, Path(id): Path<String>) -> Response {
    set_state(&app, &id, "inactive", "connection.deactivated")
}
