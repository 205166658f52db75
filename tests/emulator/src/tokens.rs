//! Access-token claims and session token issuance.

use crate::app::App;
use crate::store::Store;
use crate::util::{now_secs, random_token, ulid};
use serde_json::{json, Value};

pub const ACCESS_TOKEN_TTL_SECS: u64 = 300;

/// The claims WorkOS puts in an AuthKit access token. Role and permissions
/// are read from the membership at issue time, so a role change shows up
/// on the next refresh, as it does with WorkOS. The issuer is the per-client
/// one of environments created since mid-2025
/// (`<issuer>/user_management/<client id>`). Like WorkOS's User Management
/// access tokens, they carry no `aud`.
pub fn access_claims(
    app: &App,
    store: &Store,
    user_id: &str,
    session_id: &str,
    organization_id: Option<&str>,
) -> Value {
    let iat = now_secs();
    let mut claims = json!({
        "iss": format!("{}/user_management/{}", app.issuer, app.config.client_id),
        "sub": user_id,
        "sid": session_id,
        "jti": ulid(),
        "iat": iat,
        "exp": iat + ACCESS_TOKEN_TTL_SECS,
    });
    if let Some(org_id) = organization_id {
        claims["org_id"] = json!(org_id);
        if let Some(m) = store.membership_of(user_id, org_id) {
            claims["role"] = json!(m.role());
            claims["roles"] = json!(m.role_slugs);
            claims["permissions"] = json!(store.permissions_for(&m.role_slugs));
        }
    }
    claims
}

pub fn sign(app: &App, claims: &Value) -> Result<String, String> {
    app.key().sign(claims, None)
}

/// A fresh refresh token bound to a session.
pub fn new_refresh_token(store: &mut Store, session_id: &str) -> String {
    let token = random_token(40);
    store
        .refresh_tokens
        .insert(token.clone(), session_id.to_string());
    token
}
