//! Error bodies in the shapes the WorkOS spec documents. WorkOS uses two
//! families: `{"code","message"}` for its own API errors and OAuth-style
//! `{"error","error_description"}` on the authenticate endpoint.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

#[derive(Debug)]
pub enum ApiError {
    /// Missing or wrong API key.
    Unauthorized,
    /// `{"code":"entity_not_found","message":"User not found: 'user_…'."}`
    NotFound { entity: &'static str, id: String },
    /// 422 `invalid_request_parameters`, with the offending field when known.
    Invalid {
        message: String,
        field: Option<String>,
    },
    /// `{"code", "message", ...extra}` with any status.
    Code {
        status: StatusCode,
        code: String,
        message: String,
        extra: Map<String, Value>,
    },
    /// OAuth-style `{"error", "error_description"}` (400 on authenticate).
    OAuth {
        status: StatusCode,
        error: String,
        description: String,
    },
    /// `{"message"}` alone, which several endpoints document.
    Message { status: StatusCode, message: String },
    /// A body one endpoint documents that fits none of the families above,
    /// such as the audit log's `{"message", "errors": [{"field", "code"}]}`.
    Body { status: StatusCode, body: Value },
}

impl ApiError {
    pub fn not_found(entity: &'static str, id: impl Into<String>) -> Self {
        ApiError::NotFound {
            entity,
            id: id.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    pub fn code(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError::Code {
            status,
            code: code.to_string(),
            message: message.into(),
            extra: Map::new(),
        }
    }

    pub fn code_with(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        extra: Map<String, Value>,
    ) -> Self {
        ApiError::Code {
            status,
            code: code.to_string(),
            message: message.into(),
            extra,
        }
    }

    pub fn oauth(error: &str, description: impl Into<String>) -> Self {
        ApiError::OAuth {
            status: StatusCode::BAD_REQUEST,
            error: error.to_string(),
            description: description.into(),
        }
    }

    pub fn message(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError::Message {
            status,
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Code { status, .. }
            | ApiError::OAuth { status, .. }
            | ApiError::Message { status, .. }
            | ApiError::Body { status, .. } => *status,
        }
    }

    pub fn body(&self) -> Value {
        match self {
            ApiError::Unauthorized => json!({"message": "Unauthorized"}),
            ApiError::NotFound { entity, id } => json!({
                "code": "entity_not_found",
                "message": format!("{entity} not found: '{id}'."),
            }),
            ApiError::Invalid { message, field } => {
                let mut errors = Vec::new();
                if let Some(field) = field {
                    errors.push(json!({"field": field, "code": "invalid", "message": message}));
                }
                json!({
                    "code": "invalid_request_parameters",
                    "message": message,
                    "errors": errors,
                })
            }
            ApiError::Code {
                code,
                message,
                extra,
                ..
            } => {
                let mut body = Map::new();
                body.insert("code".into(), json!(code));
                body.insert("message".into(), json!(message));
                body.extend(extra.clone());
                Value::Object(body)
            }
            ApiError::OAuth {
                error, description, ..
            } => json!({"error": error, "error_description": description}),
            ApiError::Message { message, .. } => json!({"message": message}),
            ApiError::Body { body, .. } => body.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            ApiError::not_found("User", "user_1").body(),
            json!({"code": "entity_not_found", "message": "User not found: 'user_1'."})
        );
        let oauth = ApiError::oauth("invalid_grant", "bad");
        assert_eq!(oauth.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            oauth.body(),
            json!({"error": "invalid_grant", "error_description": "bad"})
        );
        let mut extra = Map::new();
        extra.insert("email".into(), json!("a@b.c"));
        let step_up = ApiError::code_with(StatusCode::FORBIDDEN, "mfa_challenge", "m", extra);
        assert_eq!(
            step_up.body(),
            json!({"code": "mfa_challenge", "message": "m", "email": "a@b.c"})
        );
        assert_eq!(
            ApiError::invalid("x").status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
