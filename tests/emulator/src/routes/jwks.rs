//! `GET /sso/jwks/{clientId}`: the public key that verifies access tokens.

use crate::app::Shared;
use crate::error::{ApiError, ApiResult};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn jwks(
    State(app): State<Shared>,
    Path(client_id): Path<String>,
) -> ApiResult<Json<Value>> {
    if client_id != app.config.client_id {
        return Err(ApiError::message(
            StatusCode::NOT_FOUND,
            format!("Client not found: '{client_id}'."),
        ));
    }
    // Only the current key is published: a rotation drops the old one, so
    // tokens it signed stop verifying, as after a real key roll-over.
    Ok(Json(json!({"keys": [app.key().jwk()]})))
}
