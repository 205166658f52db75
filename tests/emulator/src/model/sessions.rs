//! Sign-in state: sessions, authorization codes, and authentications
//! parked behind a step-up.

use crate::util::iso;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub struct Session {
    pub seq: u64,
    pub id: String,
    pub user_id: String,
    pub organization_id: Option<String>,
    /// The `authentication_method` of the authenticate response.
    pub method: String,
    pub status: String,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: u64,
    pub updated_at: u64,
    pub expires_at: u64,
    pub ended_at: Option<u64>,
}

pub const SESSION_TTL_MS: u64 = 30 * 24 * 3600 * 1000;

impl Session {
    /// The session object's `auth_method` is a lower-case family of the
    /// response's `authentication_method`.
    pub fn auth_method(&self) -> &'static str {
        match self.method.as_str() {
            "Password" => "password",
            "SSO" => "sso",
            "MagicAuth" => "magic_code",
            "Passkey" => "passkey",
            "Impersonation" => "impersonation",
            "MigratedSession" => "migrated_session",
            m if m.ends_with("OAuth") => "oauth",
            _ => "unknown",
        }
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "object": "session",
            "id": self.id,
            "user_id": self.user_id,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "auth_method": self.auth_method(),
            "status": self.status,
            "expires_at": iso(self.expires_at),
            "ended_at": self.ended_at.map(iso),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(org) = &self.organization_id {
            v["organization_id"] = json!(org);
        }
        v
    }
}

/// A single-use authorization code from the hosted login.
#[derive(Clone, Debug)]
pub struct AuthCode {
    pub user_id: String,
    pub client_id: String,
    pub code_challenge: Option<String>,
    pub organization_id: Option<String>,
    pub method: String,
    pub expires_at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    EmailVerification,
    Mfa,
    OrganizationSelection,
}

/// What an authentication attempt has established so far; a step-up error
/// parks it behind a pending authentication token.
#[derive(Clone, Debug)]
pub struct LoginState {
    pub user_id: String,
    pub method: String,
    pub organization_id: Option<String>,
    pub email_checked: bool,
    pub mfa_checked: bool,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Pending {
    pub stage: Stage,
    pub login: LoginState,
    pub expires_at: u64,
}
