//! `GET /user_management/authorize` and the hosted login page behind it.
//!
//! WorkOS redirects the browser to AuthKit or to an identity provider; the
//! emulator answers with its own minimal login form instead, which posts to
//! `/__emulator/authkit/login` and then redirects back with a code, exactly
//! where WorkOS would.

use crate::app::{App, Shared};
use crate::auth_events::Attempt;
use crate::body::{self, Fields};
use crate::error::ApiError;
use crate::model::{new_user, AuthCode};
use crate::store::Store;
use crate::util::{hash_password, html_escape, now_ms, random_token};
use crate::webhooks;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use url::Url;

pub const CODE_TTL_MS: u64 = 10 * 60 * 1000;

/// The `provider` values the spec enumerates.
const PROVIDERS: &[&str] = &[
    "authkit",
    "AppleOAuth",
    "BitbucketOAuth",
    "GitHubOAuth",
    "GitLabOAuth",
    "GoogleOAuth",
    "IntuitOAuth",
    "LinkedInOAuth",
    "MicrosoftOAuth",
    "SalesforceOAuth",
    "SlackOAuth",
    "VercelMarketplaceOAuth",
    "VercelOAuth",
    "XeroOAuth",
];

/// Query parameters carried from the authorize URL through the login form.
const CARRIED: &[&str] = &[
    "client_id",
    "redirect_uri",
    "response_type",
    "state",
    "provider",
    "organization_id",
    "connection_id",
    "code_challenge",
    "code_challenge_method",
    "login_hint",
    "screen_hint",
    "domain_hint",
    "max_age",
];

#[derive(Clone, Debug)]
pub struct AuthorizeRequest {
    pub params: HashMap<String, String>,
    pub redirect_uri: Url,
    pub state: Option<String>,
    pub organization_id: Option<String>,
    pub code_challenge: Option<String>,
    /// The `authentication_method` the resulting session reports.
    pub method: String,
    pub sign_up: bool,
}

impl AuthorizeRequest {
    /// Identity-provider logins have no password: the provider vouches.
    pub fn is_federated(&self) -> bool {
        self.method != "Password"
    }
}

pub enum Rejection {
    /// Client or redirect URI unusable: the error is shown, never redirected.
    Direct(Box<ApiError>),
    /// Anything else goes back to the client, per RFC 6749 section 4.1.2.1.
    Redirect(String),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::Direct(e) => e.into_response(),
            Rejection::Redirect(location) => redirect(&location),
        }
    }
}

pub fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

fn with_query(base: &Url, pairs: &[(&str, &str)]) -> String {
    let mut url = base.clone();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

pub fn validate(
    app: &App,
    store: &Store,
    params: HashMap<String, String>,
) -> Result<AuthorizeRequest, Rejection> {
    let get = |k: &str| params.get(k).filter(|v| !v.is_empty()).cloned();
    let Some(client_id) = get("client_id") else {
        return Err(Rejection::Direct(Box::new(ApiError::oauth(
            "invalid_request",
            "client_id is required.",
        ))));
    };
    if client_id != app.config.client_id {
        return Err(Rejection::Direct(Box::new(ApiError::oauth(
            "invalid_client",
            format!("Invalid client ID '{client_id}'."),
        ))));
    }
    let Some(redirect_raw) = get("redirect_uri") else {
        return Err(Rejection::Direct(Box::new(ApiError::oauth(
            "invalid_request",
            "redirect_uri is required.",
        ))));
    };
    let redirect_uri = match Url::parse(&redirect_raw) {
        Ok(u) if !u.cannot_be_a_base() => u,
        _ => {
            return Err(Rejection::Direct(Box::new(ApiError::oauth(
                "invalid_request",
                format!("Invalid redirect_uri '{redirect_raw}'."),
            ))))
        }
    };
    if !app.config.redirect_uris.is_empty() && !app.config.redirect_uris.contains(&redirect_raw) {
        return Err(Rejection::Direct(Box::new(ApiError::oauth(
            "invalid_request",
            format!("redirect_uri '{redirect_raw}' is not an allowed redirect URI."),
        ))));
    }
    let state = get("state");
    let fail = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(s) = &state {
            pairs.push(("state", s.as_str()));
        }
        Rejection::Redirect(with_query(&redirect_uri, &pairs))
    };
    if get("response_type").as_deref() != Some("code") {
        return Err(fail(
            "unsupported_response_type",
            "response_type must be 'code'.",
        ));
    }
    let code_challenge = get("code_challenge");
    match (
        code_challenge.is_some(),
        get("code_challenge_method").as_deref(),
    ) {
        (_, Some(m)) if m != "S256" => {
            return Err(fail(
                "invalid_request",
                "The only valid code_challenge_method is S256.",
            ))
        }
        (true, None) => {
            return Err(fail(
                "invalid_request",
                "code_challenge_method is required with a code_challenge.",
            ))
        }
        _ => {}
    }
    let provider = get("provider");
    let organization_id = get("organization_id");
    let connection_id = get("connection_id");
    if provider.is_none() && organization_id.is_none() && connection_id.is_none() {
        return Err(fail(
            "invalid_request",
            "One of provider, organization_id or connection_id is required.",
        ));
    }
    if let Some(p) = &provider {
        if !PROVIDERS.contains(&p.as_str()) {
            return Err(fail("invalid_request", &format!("Unknown provider '{p}'.")));
        }
    }
    if let Some(org) = &organization_id {
        if !store.orgs.contains_key(org) {
            return Err(fail(
                "invalid_request",
                &format!("Organization not found: '{org}'."),
            ));
        }
    }
    let screen_hint = get("screen_hint");
    if let Some(hint) = &screen_hint {
        if hint != "sign-in" && hint != "sign-up" {
            return Err(fail(
                "invalid_request",
                "screen_hint must be sign-in or sign-up.",
            ));
        }
    }
    // `max_age`: seconds since the last active sign-in (0 forces one); the form is
    // always shown here, so only its shape is checked.
    if let Some(age) = get("max_age") {
        if age.parse::<u32>().is_err() {
            return Err(fail(
                "invalid_request",
                "max_age must be a non-negative integer.",
            ));
        }
    }
    let method = match (&connection_id, provider.as_deref()) {
        (Some(_), _) => "SSO".to_string(),
        (None, None | Some("authkit")) => "Password".to_string(),
        (None, Some(p)) => p.to_string(),
    };
    Ok(AuthorizeRequest {
        sign_up: screen_hint.as_deref() == Some("sign-up") && method == "Password",
        params,
        redirect_uri,
        state,
        organization_id,
        code_challenge,
        method,
    })
}

fn render(req: &AuthorizeRequest, email: &str, error: Option<&str>) -> Response {
    let mut hidden = String::new();
    for name in CARRIED {
        if let Some(v) = req.params.get(*name) {
            hidden.push_str(&format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                html_escape(v)
            ));
        }
    }
    let heading = match req.method.as_str() {
        "Password" if req.sign_up => "Create your account".to_string(),
        "Password" => "Sign in".to_string(),
        "SSO" => "Sign in with single sign-on".to_string(),
        provider => format!("Sign in with {}", provider.trim_end_matches("OAuth")),
    };
    let password = if req.is_federated() {
        String::new()
    } else {
        "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n".to_string()
    };
    let names = if req.sign_up {
        "<label>First name <input type=\"text\" name=\"first_name\"></label>\n<label>Last name <input type=\"text\" name=\"last_name\"></label>\n"
    } else {
        ""
    };
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>\n", html_escape(e)))
        .unwrap_or_default();
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - WorkOS emulator</title>\n\
<style>body{{font-family:sans-serif;max-width:24rem;margin:4rem auto}}label{{display:block;margin:.75rem 0}}input{{display:block;width:100%}}.error{{color:#b00020}}</style></head>\n\
<body><h1>{title}</h1>\n{error}<form method=\"post\" action=\"/__emulator/authkit/login\">\n{hidden}\
<label>Email <input type=\"email\" name=\"email\" value=\"{email}\" autocomplete=\"username\"></label>\n{names}{password}\
<button type=\"submit\">Continue</button>\n</form></body></html>\n",
        title = html_escape(&heading),
        email = html_escape(email),
    );
    Html(page).into_response()
}

pub async fn authorize(
    State(app): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let store = app.store();
    match validate(&app, &store, params) {
        Ok(req) => {
            let hint = req.params.get("login_hint").cloned().unwrap_or_default();
            render(&req, &hint, None)
        }
        Err(rejection) => rejection.into_response(),
    }
}

const INVALID_CREDENTIALS: &str = "Invalid credentials.";

/// Finds (or, for sign-up and identity providers, creates) the user the
/// login form names.
fn login_user(
    app: &App,
    store: &mut Store,
    req: &AuthorizeRequest,
    fields: &Fields,
    email: &str,
) -> Result<String, String> {
    let text = |k: &str| {
        body::opt_str(fields, k)
            .ok()
            .flatten()
            .filter(|s| !s.is_empty())
    };
    if let Some(user) = store.user_by_email(email) {
        if req.is_federated() {
            return Ok(user.id.clone());
        }
        let password = text("password").ok_or(INVALID_CREDENTIALS)?;
        return match &user.password_hash {
            Some(hash) if *hash == hash_password(&password) => Ok(user.id.clone()),
            _ => Err(INVALID_CREDENTIALS.into()),
        };
    }
    if !req.is_federated() && !req.sign_up {
        return Err(INVALID_CREDENTIALS.into());
    }
    if !body::looks_like_email(email) {
        return Err("Enter a valid email address.".into());
    }
    let mut user = new_user(email);
    // An identity provider vouches for the address; a sign-up must verify it.
    user.email_verified = req.is_federated();
    user.first_name = text("first_name");
    user.last_name = text("last_name");
    if req.sign_up {
        let password = text("password").ok_or("Enter a password.")?;
        super::users::check_password_strength(&password)
            .map_err(|_| "Password is too weak: use at least 8 characters.".to_string())?;
        user.password_hash = Some(hash_password(&password));
    }
    let user = store.insert_user(user);
    webhooks::emit(app, "user.created", user.to_json());
    Ok(user.id)
}

/// The hosted page is where WorkOS checks a password or hears back from an
/// identity provider, so that is where the `authentication.*` events start.
fn announce(
    app: &App,
    store: &Store,
    req: &AuthorizeRequest,
    headers: &HeaderMap,
    email: &str,
    outcome: &Result<String, String>,
) {
    let kind = match req.method.as_str() {
        "Password" => "password",
        m if m.ends_with("OAuth") => "oauth",
        _ => return,
    };
    let attempt = Attempt {
        kind,
        user_id: None,
        email: None,
        ip_address: None,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(String::from),
    };
    match outcome {
        Ok(id) => attempt.by(Some(id), Some(email)).succeeded(app),
        Err(message) if message == INVALID_CREDENTIALS => {
            let known = store.user_by_email(email).map(|u| u.id.as_str());
            let error = ApiError::code(StatusCode::BAD_REQUEST, "invalid_credentials", message);
            attempt.by(known, Some(email)).failed(app, error);
        }
        Err(_) => {}
    }
}

/// `POST /__emulator/authkit/login`: the login form's target. Takes the
/// form or the same fields as JSON, so tests need no browser.
pub async fn login(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Response {
    let json_mode = body::is_json(&headers);
    let fields = match body::parse(&headers, &bytes) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let params: HashMap<String, String> = CARRIED
        .iter()
        .filter_map(|k| {
            fields
                .get(*k)
                .and_then(Value::as_str)
                .map(|v| (k.to_string(), v.to_string()))
        })
        .collect();
    let mut store = app.store();
    let req = match validate(&app, &store, params) {
        Ok(req) => req,
        Err(rejection) => return rejection.into_response(),
    };
    let email = fields
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let outcome = login_user(&app, &mut store, &req, &fields, &email);
    announce(&app, &store, &req, &headers, &email, &outcome);
    let user_id = match outcome {
        Ok(id) => id,
        Err(message) if json_mode => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"code": "invalid_credentials", "message": message})),
            )
                .into_response()
        }
        Err(message) => return render(&req, &email, Some(&message)),
    };
    let code = random_token(32);
    store.codes.insert(
        code.clone(),
        AuthCode {
            user_id,
            client_id: app.config.client_id.clone(),
            code_challenge: req.code_challenge.clone(),
            organization_id: req.organization_id.clone(),
            method: req.method.clone(),
            expires_at: now_ms() + CODE_TTL_MS,
        },
    );
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        pairs.push(("state", s.as_str()));
    }
    let location = with_query(&req.redirect_uri, &pairs);
    let mut response = redirect(&location);
    if json_mode {
        *response.body_mut() = axum::body::Body::from(
            json!({"location": location, "code": code, "state": req.state}).to_string(),
        );
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
    }
    response
}
