//! The control routes that stand in for a customer finishing (or breaking)
//! their identity provider set-up, which WorkOS announces as
//! `connection.activated` / `connection.deactivated`.

use super::{fields, strings, text};
use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use crate::model::Connection;
use crate::util::{new_id, now_ms, random_token};
use crate::webhooks;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::Value;

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

/// `POST /__emulator/connections`: `{organization_id?, name?, connection_type?
/// (GenericSAML), state? (active|inactive|draft|validating; active), domains?,
/// id?, external_key?}`; an active one sends `connection.activated`.
pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let v = fields(&headers, &bytes)?;
    let connection_type = text(&v, "connection_type").unwrap_or_else(|| "GenericSAML".into());
    if !TYPES.contains(&connection_type.as_str()) {
        return Err(ApiError::setup(format!(
            "unknown connection_type '{connection_type}'"
        )));
    }
    let state = text(&v, "state").unwrap_or_else(|| "active".into());
    if !["active", "inactive", "draft", "validating"].contains(&state.as_str()) {
        return Err(ApiError::setup(
            "state must be active, inactive, draft or validating",
        ));
    }
    let domains = strings(&v, "domains").map_err(ApiError::setup)?;
    let organization_id = text(&v, "organization_id");
    let mut store = app.store();
    if let Some(org) = &organization_id {
        if !store.orgs.contains_key(org) {
            return Err(ApiError::setup(format!(
                "organization {org} does not exist"
            )));
        }
    }
    let id = text(&v, "id").unwrap_or_else(|| new_id("conn"));
    if store.connections.contains_key(&id) {
        return Err(ApiError::setup(format!("connection {id} already exists")));
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
    Ok((StatusCode::CREATED, Json(connection.to_json())))
}

/// Moves a connection to `state`, announcing the change only when it is one.
fn set_state(app: &Shared, id: &str, state: &str, event: &str) -> ApiResult<Json<Value>> {
    let mut store = app.store();
    let connection = store
        .connections
        .get_mut(id)
        .ok_or_else(|| ApiError::no_such("connection", id))?;
    if connection.state != state {
        connection.state = state.to_string();
        connection.updated_at = now_ms();
        webhooks::emit(app, event, connection.event_json());
    }
    Ok(Json(connection.to_json()))
}

/// `POST /__emulator/connections/{id}/activate` → `connection.activated`.
pub async fn activate(State(app): State<Shared>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    set_state(&app, &id, "active", "connection.activated")
}

/// `POST /__emulator/connections/{id}/deactivate` → `connection.deactivated`.
pub async fn deactivate(
    State(app): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_state(&app, &id, "inactive", "connection.deactivated")
}
