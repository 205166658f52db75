//! The `/__emulator/` control API: test set-up and inspection, the
//! network's latency and WorkOS's rate limits. No API key, and no webhooks:
//! set-up is not something a WorkOS customer would be told about. The
//! exceptions stand in for what WorkOS does report, the outside world
//! changing: an identity provider (`directory_sync`) and a customer's SSO
//! set-up (`connections`). Errors are `{"error": message}` (`ApiError::setup`,
//! `ApiError::no_such`).

pub mod connections;
pub mod directory_sync;

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::keys::SigningKey;
use crate::model::{new_user, Mfa};
use crate::rate_limit::RateLimits;
use crate::store::{Store, DEFAULT_ROLE};
use crate::tokens;
use crate::util::{hash_password, new_id, now_secs};
use crate::webhooks::WebhookConfig;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::atomic::Ordering;

/// The request body as a JSON object; a malformed one is a 400 `{"error"}`.
pub fn fields(headers: &HeaderMap, bytes: &[u8]) -> ApiResult<Value> {
    body::parse(headers, bytes)
        .map(Value::Object)
        .map_err(|e| ApiError::setup(e.message_text()))
}

pub fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(String::from)
}

pub fn strings(v: &Value, key: &str) -> Result<Vec<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(String::from)
                    .ok_or(format!("{key} must hold strings"))
            })
            .collect(),
        Some(_) => Err(format!("{key} must be a list of strings")),
    }
}

/// Creates an organization; shared by the control API and the seed file.
pub fn create_org_in(store: &mut Store, v: &Value) -> Result<Value, String> {
    let name = text(v, "name").ok_or("name is required")?;
    let id = text(v, "id");
    if let Some(id) = &id {
        if store.orgs.contains_key(id) {
            return Err(format!("organization {id} already exists"));
        }
    }
    let domains = strings(v, "domains")?;
    let mut org = super::organizations::insert_org(store, id, name);
    let now = crate::util::now_ms();
    org.domains = domains
        .into_iter()
        .map(|d| crate::model::Domain {
            id: new_id("org_domain"),
            domain: d.to_lowercase(),
            state: "verified".into(),
            created_at: now,
            updated_at: now,
        })
        .collect();
    org.external_id = text(v, "external_id");
    if let Some(Value::Object(m)) = v.get("metadata") {
        org.metadata = m.clone();
    }
    store.orgs.insert(org.id.clone(), org.clone());
    Ok(org.to_json())
}

/// Creates a user with what the public API cannot set (MFA flag, memberships
/// in one go); shared by the control API and the seed file.
pub fn create_user_in(store: &mut Store, v: &Value) -> Result<Value, String> {
    let email = text(v, "email").ok_or("email is required")?.to_lowercase();
    if !body::looks_like_email(&email) {
        return Err(format!("invalid email: {email}"));
    }
    if store.user_by_email(&email).is_some() {
        return Err(format!("a user with email {email} already exists"));
    }
    let mfa = match text(v, "mfa") {
        None => Mfa::None,
        Some(m) => Mfa::parse(&m).ok_or("mfa must be none, enrollment or challenge")?,
    };
    // Memberships: `organization_ids` (with one `role_slug`) and/or
    // `memberships: [{organization_id, role_slug | role_slugs}]`.
    let default_role = text(v, "role_slug").unwrap_or_else(|| DEFAULT_ROLE.to_string());
    let mut wanted: Vec<(String, Vec<String>)> = strings(v, "organization_ids")?
        .into_iter()
        .map(|o| (o, vec![default_role.clone()]))
        .collect();
    if let Some(list) = v.get("memberships").and_then(Value::as_array) {
        for m in list {
            let org = text(m, "organization_id").ok_or("memberships need organization_id")?;
            let mut roles = strings(m, "role_slugs")?;
            if roles.is_empty() {
                roles.push(text(m, "role_slug").unwrap_or_else(|| DEFAULT_ROLE.to_string()));
            }
            wanted.push((org, roles));
        }
    }
    for (org, roles) in &wanted {
        if !store.orgs.contains_key(org) {
            return Err(format!("organization {org} does not exist"));
        }
        store.check_roles(roles).map_err(|e| e.message_text())?;
    }
    let mut user = new_user(&email);
    if let Some(id) = text(v, "id") {
        if store.users.contains_key(&id) {
            return Err(format!("user {id} already exists"));
        }
        user.id = id;
    }
    user.first_name = text(v, "first_name");
    user.last_name = text(v, "last_name");
    user.email_verified = v
        .get("email_verified")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    user.password_hash = text(v, "password").map(|p| hash_password(&p));
    user.external_id = text(v, "external_id");
    user.profile_picture_url = text(v, "profile_picture_url");
    if let Some(Value::Object(m)) = v.get("metadata") {
        user.metadata = m.clone();
    }
    user.mfa = mfa;
    if mfa == Mfa::Challenge {
        user.factor_id = Some(new_id("auth_factor"));
    }
    let user = store.insert_user(user);
    let memberships: Vec<Value> = wanted
        .into_iter()
        .map(|(org, roles)| {
            let m = store.new_membership(&user.id, &org, roles);
            store.membership_json(&m)
        })
        .collect();
    let mut out = store
        .user(&user.id)
        .map_err(|e| e.body().to_string())?
        .to_json();
    out["mfa"] = json!(mfa.as_str());
    out["organization_memberships"] = json!(memberships);
    Ok(out)
}

pub fn upsert_role_in(store: &mut Store, v: &Value) -> Result<Value, String> {
    let slug = text(v, "slug").ok_or("slug is required")?;
    let permissions = strings(v, "permissions")?;
    store.roles.insert(slug.clone(), permissions.clone());
    Ok(json!({"slug": slug, "permissions": permissions}))
}

/// Loads `{"roles": [...], "organizations": [...], "users": [...]}`.
pub fn apply_seed(store: &mut Store, seed: &Value) -> Result<(), String> {
    let section = |key: &str| {
        seed.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for role in section("roles") {
        upsert_role_in(store, &role)?;
    }
    for org in section("organizations") {
        create_org_in(store, &org)?;
    }
    for user in section("users") {
        create_user_in(store, &user)?;
    }
    Ok(())
}

/// 201 with the object, or the set-up helper's complaint as a 400.
fn created(result: Result<Value, String>) -> ApiResult<(StatusCode, Json<Value>)> {
    result
        .map(|v| (StatusCode::CREATED, Json(v)))
        .map_err(ApiError::setup)
}

pub async fn create_user(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let f = fields(&headers, &bytes)?;
    created(create_user_in(&mut app.store(), &f))
}

/// Changes the switches only the control API has: `mfa`, `email_verified`,
/// `password`.
pub async fn update_user(
    State(app): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = fields(&headers, &bytes)?;
    let mfa = match text(&f, "mfa").map(|m| Mfa::parse(&m)) {
        Some(None) => return Err(ApiError::setup("mfa must be none, enrollment or challenge")),
        Some(Some(m)) => Some(m),
        None => None,
    };
    let mut store = app.store();
    let user = store
        .users
        .get_mut(&id)
        .ok_or_else(|| ApiError::no_such("user", &id))?;
    if let Some(m) = mfa {
        user.mfa = m;
        if m == Mfa::Challenge && user.factor_id.is_none() {
            user.factor_id = Some(new_id("auth_factor"));
        }
    }
    // `none` and `enrollment` both mean the user holds no factor (any
    // enrolled through the API are dropped); `challenge` keeps them.
    if matches!(mfa, Some(Mfa::None | Mfa::Enrollment)) {
        user.factor_id = None;
        let dropped: Vec<String> = store
            .auth_factors
            .values()
            .filter(|f| f.user_id == id)
            .map(|f| f.id.clone())
            .collect();
        store.auth_factors.retain(|_, f| f.user_id != id);
        store
            .auth_challenges
            .retain(|_, c| !dropped.contains(&c.factor_id));
    }
    let user = store.user_mut(&id)?;
    if let Some(v) = f.get("email_verified").and_then(Value::as_bool) {
        user.email_verified = v;
    }
    if let Some(p) = text(&f, "password") {
        user.password_hash = Some(hash_password(&p));
    }
    let mut out = user.to_json();
    out["mfa"] = json!(user.mfa.as_str());
    Ok(Json(out))
}

pub async fn create_organization(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let f = fields(&headers, &bytes)?;
    created(create_org_in(&mut app.store(), &f))
}

pub async fn upsert_role(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let f = fields(&headers, &bytes)?;
    created(upsert_role_in(&mut app.store(), &f))
}

/// Clears every object, fault, log and delivery, the latency and the rate
/// limits; keeps the signing key.
pub async fn reset(State(app): State<Shared>) -> StatusCode {
    *app.store() = Store::default();
    app.latency_ms.store(0, Ordering::Relaxed);
    *app.rate_limits() = RateLimits::default();
    app.set_webhook_config(WebhookConfig {
        url: app.config.webhook_url.clone(),
        secret: app.config.webhook_secret.clone(),
    });
    StatusCode::NO_CONTENT
}

pub async fn state(State(app): State<Shared>) -> Json<Value> {
    let store = app.store();
    let users: Vec<Value> = store
        .users
        .values()
        .map(|u| {
            let mut v = u.to_json();
            v["mfa"] = json!(u.mfa.as_str());
            v["has_password"] = json!(u.password_hash.is_some());
            v
        })
        .collect();
    Json(json!({
        "users": users,
        "organizations": store.orgs.values().map(|o| o.to_json()).collect::<Vec<_>>(),
        "organization_memberships": store.memberships.values().map(|m| store.membership_json(m)).collect::<Vec<_>>(),
        "sessions": store.sessions.values().map(|s| s.to_json()).collect::<Vec<_>>(),
        "email_verifications": store.email_verifications.values().map(|e| e.to_json()).collect::<Vec<_>>(),
        "roles": store.roles,
        "pending_authentications": store.pending.len(),
        "authorization_codes": store.codes.len(),
        "refresh_tokens": store.refresh_tokens.len(),
    }))
}

pub async fn get_config(State(app): State<Shared>) -> Json<Value> {
    let webhook = app.webhook_config();
    Json(json!({
        "client_id": app.config.client_id,
        "issuer": app.issuer,
        "jwks_url": format!("{}/sso/jwks/{}", app.issuer, app.config.client_id),
        "kid": app.key().kid,
        "webhook_url": webhook.url,
        "webhook_secret": webhook.secret,
        "redirect_uris": app.config.redirect_uris,
        "latency_ms": app.latency_ms.load(Ordering::Relaxed),
        "tls_url": app.tls_url,
        "ca_file": app.tls_url.as_ref().and(app.config.tls_dir.as_ref()).map(|d| d.join(crate::tls::CA_FILE)),
    }))
}

/// Points webhooks somewhere else at run time (`webhook_url: null` stops
/// them); `latency_ms` delays every API request (0: none).
pub async fn set_config(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = fields(&headers, &bytes)?;
    let latency_ms = match f.get("latency_ms") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| ApiError::setup("latency_ms must be a non-negative integer"))?,
        ),
    };
    let mut config = app.webhook_config();
    if let Some(url) = f.get("webhook_url") {
        config.url = url.as_str().map(String::from);
    }
    if let Some(secret) = f.get("webhook_secret").and_then(Value::as_str) {
        config.secret = secret.to_string();
    }
    if let Some(ms) = latency_ms {
        app.latency_ms.store(ms, Ordering::Relaxed);
    }
    app.set_webhook_config(config);
    Ok(get_config(State(app)).await)
}

/// A fresh signing key, made off the async threads (it takes a while).
async fn generate_key() -> ApiResult<SigningKey> {
    match tokio::task::spawn_blocking(SigningKey::generate).await {
        Ok(Ok(key)) => Ok(key),
        Ok(Err(e)) => Err(ApiError::internal(e)),
        Err(e) => Err(ApiError::internal(e.to_string())),
    }
}

pub async fn rotate_key(State(app): State<Shared>) -> ApiResult<Json<Value>> {
    let key = generate_key().await?;
    let kid = key.kid.clone();
    app.set_key(key);
    Ok(Json(json!({"kid": kid})))
}

const TOKEN_OPTIONS: &[&str] = &[
    "user_id",
    "session_id",
    "organization_id",
    "claims",
    "kid",
    "sign_with",
    "expires_in",
];

/// Mints an access token for token-verification tests:
/// `{"user_id", "session_id"?, "organization_id"?, "expires_in"?: seconds,
/// "claims"?: {…overrides, null removes}, "kid"?: header override,
/// "sign_with"?: "current"|"unknown", …any other key: a claim override}`.
pub async fn mint_token(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = fields(&headers, &bytes)?;
    // Claim overrides come in `claims` or as any other top-level key.
    let mut overrides = f
        .get("claims")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Value::Object(top) = &f {
        for (k, v) in top {
            if !TOKEN_OPTIONS.contains(&k.as_str()) {
                overrides.insert(k.clone(), v.clone());
            }
        }
    }
    let Some(user_id) =
        text(&f, "user_id").or_else(|| text(&Value::Object(overrides.clone()), "sub"))
    else {
        return Err(ApiError::setup("user_id is required"));
    };
    let session_id = text(&f, "session_id").unwrap_or_else(|| new_id("session"));
    let mut organization_id = text(&f, "organization_id");
    let mut claims = {
        let store = app.store();
        if organization_id.is_none() {
            // Like a login: a single membership scopes the token.
            let active = store.active_memberships(&user_id);
            if active.len() == 1 {
                organization_id = Some(active[0].organization_id.clone());
            }
        }
        tokens::access_claims(
            &app,
            &store,
            &user_id,
            &session_id,
            organization_id.as_deref(),
        )
    };
    if let Some(ttl) = f.get("expires_in").and_then(Value::as_i64) {
        claims["exp"] = json!(now_secs() as i64 + ttl);
    }
    if let Value::Object(map) = &mut claims {
        for (k, v) in overrides {
            if v.is_null() {
                map.remove(&k);
            } else {
                map.insert(k, v);
            }
        }
    }
    let kid = text(&f, "kid");
    let signed = match text(&f, "sign_with").as_deref() {
        None | Some("current") => app.key().sign(&claims, kid.as_deref()),
        Some("unknown") => generate_key().await?.sign(&claims, kid.as_deref()),
        Some(other) => return Err(ApiError::setup(format!("unknown sign_with '{other}'"))),
    };
    let token = signed.map_err(ApiError::internal)?;
    Ok(Json(json!({"access_token": token, "claims": claims})))
}

pub async fn requests(State(app): State<Shared>) -> Json<Value> {
    Json(json!({"data": app.store().requests}))
}

pub async fn clear_requests(State(app): State<Shared>) -> StatusCode {
    app.store().requests.clear();
    StatusCode::NO_CONTENT
}

/// `GET /__emulator/rate_limits`: whether they are on, the rules, and how
/// many requests went over each (`over_limit`: the benchmarks want 0).
pub async fn get_rate_limits(State(app): State<Shared>) -> Json<Value> {
    Json(app.rate_limits().to_json())
}

/// `PUT /__emulator/rate_limits`: `{enabled? (true), enforce? (true; false
/// serves requests over a limit and only counts them), rules?: {name:
/// {limit?, window_ms?}}}` (overrides of the documented values). Windows
/// and counters start afresh.
pub async fn set_rate_limits(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = fields(&headers, &bytes)?;
    let flag = |key: &str| match f.get(key) {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ApiError::setup(format!("{key} must be a boolean"))),
    };
    let (enabled, enforce) = (flag("enabled")?, flag("enforce")?);
    let overrides = match f.get("rules") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ApiError::setup("rules must be an object")),
    };
    let mut limits = app.rate_limits();
    limits
        .configure(enabled, enforce, &overrides)
        .map_err(ApiError::setup)?;
    Ok(Json(limits.to_json()))
}

/// `DELETE /__emulator/rate_limits`: off, documented values, counters zero.
pub async fn clear_rate_limits(State(app): State<Shared>) -> StatusCode {
    *app.rate_limits() = RateLimits::default();
    StatusCode::NO_CONTENT
}
