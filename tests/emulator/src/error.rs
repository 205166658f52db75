//! Every route's errors, as one type: handlers return `ApiResult` and use
//! `?`. The WorkOS API's bodies take the shapes the spec documents, in two
//! families: `{"code","message"}` for its own API errors and OAuth-style
//! `{"error","error_description"}` on the authenticate endpoint. The control
//! API (`/__emulator/`) answers `{"error": message}`.

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
    /// The control API's `{"error": message}`.
    Control { status: StatusCode, message: String },
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

    /// A control API error with any status.
    pub fn control(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError::Control {
            status,
            message: message.into(),
        }
    }

    /// A control API request the emulator cannot carry out (400).
    pub fn setup(message: impl Into<String>) -> Self {
        Self::control(StatusCode::BAD_REQUEST, message)
    }

    /// A control API request naming something that does not exist (404).
    pub fn no_such(kind: &str, id: &str) -> Self {
        Self::control(StatusCode::NOT_FOUND, format!("{kind} {id} does not exist"))
    }

    /// The control API failing on its own side (500).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::control(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The human-readable message, whichever the family.
    pub fn message_text(&self) -> String {
        let body = self.body();
        ["message", "error_description", "error"]
            .iter()
            .find_map(|k| body.get(k).and_then(Value::as_str))
            .unwrap_or_default()
            .to_string()
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Code { status, .. }
            | ApiError::OAuth { status, .. }
            | ApiError::Message { status, .. }
            | ApiError::Body { status, .. }
            | ApiError::Control { status, .. } => *status,
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
            ApiError::Control { message, .. } => json!({"error": message}),
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
        let missing = ApiError::no_such("user", "user_1");
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            missing.body(),
            json!({"error": "user user_1 does not exist"})
        );
        assert_eq!(ApiError::setup("bad").message_text(), "bad");
        assert_eq!(ApiError::invalid("x").message_text(), "x");
    }
}
