//! User Management: authentication grants and users.

use serde_json::{json, Map, Value};

use super::http::Request;
use super::{ApiError, Client};

pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";

fn non_empty<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::InvalidInput(format!("{name} must not be empty")))
    } else {
        Ok(value)
    }
}

impl Client {
    /// `POST /user_management/authenticate` with any grant; the client's
    /// credentials are added here so callers never handle the API key.
    pub fn authenticate(&self, grant: Map<String, Value>) -> Result<Value, ApiError> {
        let Some(grant_type) = grant.get("grant_type").and_then(Value::as_str) else {
            return Err(ApiError::InvalidInput("grant_type is required".into()));
        };
        non_empty("grant_type", grant_type)?;
        let mut body = grant;
        body.insert("client_id".into(), json!(self.config().client_id));
        body.insert("client_secret".into(), json!(self.config().api_key));
        let response = self.send(Request {
            method: "POST",
            url: self.url(&["user_management", "authenticate"])?,
            body: Some(&Value::Object(body)),
            auth: false,
            idempotency_key: None,
        })?;
        if response.get("user").and_then(|u| u.get("id")).is_none() {
            return Err(ApiError::BadResponse(
                "authenticate answered without a user".into(),
            ));
        }
        Ok(response)
    }

    pub fn authenticate_with_code(
        &self,
        code: &str,
        code_verifier: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut grant = Map::new();
        grant.insert("grant_type".into(), json!(GRANT_AUTHORIZATION_CODE));
        grant.insert("code".into(), json!(non_empty("code", code)?));
        if let Some(v) = code_verifier {
            if !crate::pkce::is_valid_verifier(v) {
                return Err(ApiError::InvalidInput(
                    "code_verifier must be 43-128 unreserved characters".into(),
                ));
            }
            grant.insert("code_verifier".into(), json!(v));
        }
        self.authenticate(grant)
    }

    pub fn authenticate_with_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Value, ApiError> {
        let mut grant = Map::new();
        grant.insert("grant_type".into(), json!(GRANT_PASSWORD));
        grant.insert("email".into(), json!(non_empty("email", email)?));
        grant.insert("password".into(), json!(non_empty("password", password)?));
        self.authenticate(grant)
    }

    pub fn authenticate_with_refresh_token(
        &self,
        refresh_token: &str,
        organization_id: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut grant = Map::new();
        grant.insert("grant_type".into(), json!(GRANT_REFRESH_TOKEN));
        grant.insert(
            "refresh_token".into(),
            json!(non_empty("refresh_token", refresh_token)?),
        );
        if let Some(org) = organization_id {
            grant.insert(
                "organization_id".into(),
                json!(non_empty("organization_id", org)?),
            );
        }
        self.authenticate(grant)
    }

    pub fn get_user(&self, user_id: &str) -> Result<Value, ApiError> {
        self.send(Request {
            method: "GET",
            url: self.url(&["user_management", "users", non_empty("user_id", user_id)?])?,
            body: None,
            auth: true,
            idempotency_key: None,
        })
    }

    /// The raw JWKS text for this client id (`GET /sso/jwks/{client_id}`).
    pub fn get_jwks(&self) -> Result<Value, ApiError> {
        self.send(Request {
            method: "GET",
            url: self.url(&["sso", "jwks", &self.config().client_id])?,
            body: None,
            auth: false,
            idempotency_key: None,
        })
    }

    /// Any other API call, for features not yet wrapped: `path` is a list of
    /// segments (each encoded), `query` pairs are appended.
    pub fn request(
        &self,
        method: &str,
        path: &[&str],
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let method = method.to_ascii_uppercase();
        if !matches!(method.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE") {
            return Err(ApiError::InvalidInput(format!(
                "unsupported method {method}"
            )));
        }
        if path.is_empty() || path.iter().any(|s| s.is_empty()) {
            return Err(ApiError::InvalidInput(
                "path segments must not be empty".into(),
            ));
        }
        let mut url = self.url(path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        self.send(Request {
            method: &method,
            url,
            body,
            auth: true,
            idempotency_key: None,
        })
    }
}
