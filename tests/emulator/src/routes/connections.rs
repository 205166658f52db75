//! SSO connections: `GET /connections`, `/connections/{id}` (`GET`,
//! `DELETE`). The customer's side of a connection is played by the control
//! API (`control::connections`).

use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use crate::model::Connection;
use crate::store::{page, ListParams};
use crate::util::now_ms;
use crate::webhooks;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

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
