use serde_json::Value;

/// An error answer from WorkOS.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub status: u16,
    pub code: Option<String>,
    pub message: String,
    pub body: Value,
    pub request_id: Option<String>,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum ApiError {
    /// WorkOS answered with an error status.
    #[error("WorkOS API error {}{}: {}", .0.status, .0.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(), .0.message)]
    Http(Box<HttpError>),
    /// WorkOS could not be reached or did not answer in time.
    #[error("could not reach WorkOS: {0}")]
    Transport(String),
    /// WorkOS answered 2xx with something that is not the expected JSON.
    #[error("unexpected response from WorkOS: {0}")]
    BadResponse(String),
    #[error("invalid client configuration: {0}")]
    InvalidConfig(String),
    #[error("invalid argument: {0}")]
    InvalidInput(String),
}

impl ApiError {
    /// Builds the error for a non-2xx answer from its status and body text.
    /// WorkOS uses `{code, message}` on most endpoints and OAuth-style
    /// `{error, error_description}` on `/user_management/authenticate`.
    pub fn from_response(status: u16, text: &str, request_id: Option<String>) -> Self {
        let body: Value = serde_json::from_str(text).unwrap_or_else(|_| {
            if text.is_empty() {
                Value::Null
            } else {
                Value::String(text.chars().take(2000).collect())
            }
        });
        let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
        let code = field("code").or_else(|| field("error"));
        let message = field("message")
            .or_else(|| field("error_description"))
            .or_else(|| {
                // Validation errors carry a list of {field, code} entries.
                body.get("errors").and_then(Value::as_array).map(|errs| {
                    errs.iter()
                        .filter_map(|e| e.get("code").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
            })
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| format!("HTTP {status}"));
        ApiError::Http(Box::new(HttpError {
            status,
            code,
            message,
            body,
            request_id,
        }))
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Http(e) => e.status,
            _ => 0,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Http(e) => e.code.as_deref(),
            ApiError::Transport(_) => Some("transport_error"),
            ApiError::BadResponse(_) => Some("bad_response"),
            ApiError::InvalidConfig(_) => Some("invalid_config"),
            ApiError::InvalidInput(_) => Some("invalid_input"),
        }
    }

    /// Whether this means "WorkOS is unavailable, try later" rather than "WorkOS
    /// said no": it was not reached or did not answer in time, it failed
    /// (5xx), it rate-limited us (429), timed the request out (408), or
    /// something between us answered with what is not WorkOS's JSON. The one
    /// place this is decided; PHP asks `ApiException::isTransient()`.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Http(e) => matches!(e.status, 408 | 429 | 500..=599),
            ApiError::Transport(_) | ApiError::BadResponse(_) => true,
            ApiError::InvalidConfig(_) | ApiError::InvalidInput(_) => false,
        }
    }

    pub fn body(&self) -> Value {
        match self {
            ApiError::Http(e) => e.body.clone(),
            _ => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_and_message_shapes() {
        let e = ApiError::from_response(
            404,
            r#"{"code":"entity_not_found","message":"User not found"}"#,
            None,
        );
        assert_eq!(e.code(), Some("entity_not_found"));
        assert!(e.to_string().contains("User not found"));
        let e = ApiError::from_response(
            400,
            r#"{"error":"invalid_grant","error_description":"The code has expired."}"#,
            None,
        );
        assert_eq!(e.code(), Some("invalid_grant"));
        assert!(e.to_string().contains("The code has expired."));
        let e = ApiError::from_response(502, "<html>bad gateway</html>", None);
        assert_eq!(e.status(), 502);
        assert_eq!(e.code(), None);
        assert!(e.to_string().contains("HTTP 502"));
    }

    #[test]
    fn transient_means_try_again_later() {
        for status in [408, 429, 500, 502, 503, 504, 599] {
            assert!(
                ApiError::from_response(status, "", None).is_transient(),
                "{status}"
            );
        }
        for status in [300, 400, 401, 403, 404, 409, 422, 600] {
            assert!(
                !ApiError::from_response(status, "", None).is_transient(),
                "{status}"
            );
        }
        assert!(ApiError::Transport("timed out".into()).is_transient());
        assert!(ApiError::BadResponse("invalid JSON".into()).is_transient());
        assert!(!ApiError::InvalidInput("x".into()).is_transient());
        assert!(!ApiError::InvalidConfig("x".into()).is_transient());
    }
}
