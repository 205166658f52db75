//! AuthKit's users and what hangs off one user: the email verification and
//! Magic Auth codes WorkOS sends them.

use crate::util::{iso, new_id, now_ms};
use serde_json::{json, Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mfa {
    None,
    Enrollment,
    Challenge,
}

impl Mfa {
    pub fn parse(s: &str) -> Option<Mfa> {
        match s {
            "none" => Some(Mfa::None),
            "enrollment" => Some(Mfa::Enrollment),
            "challenge" => Some(Mfa::Challenge),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mfa::None => "none",
            Mfa::Enrollment => "enrollment",
            Mfa::Challenge => "challenge",
        }
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub seq: u64,
    pub id: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email_verified: bool,
    pub profile_picture_url: Option<String>,
    pub external_id: Option<String>,
    pub metadata: Map<String, Value>,
    pub locale: Option<String>,
    pub last_sign_in_at: Option<u64>,
    pub created_at: u64,
    pub updated_at: u64,
    pub password_hash: Option<String>,
    pub mfa: Mfa,
    /// The TOTP factor WorkOS would hold once MFA is enrolled.
    pub factor_id: Option<String>,
}

impl User {
    pub fn to_json(&self) -> Value {
        json!({
            "object": "user",
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email_verified": self.email_verified,
            "profile_picture_url": self.profile_picture_url,
            "external_id": self.external_id,
            "metadata": self.metadata,
            "locale": self.locale,
            "last_sign_in_at": self.last_sign_in_at.map(iso),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}

pub fn new_user(email: &str) -> User {
    let now = now_ms();
    User {
        seq: 0,
        id: new_id("user"),
        email: email.to_lowercase(),
        first_name: None,
        last_name: None,
        email_verified: false,
        profile_picture_url: None,
        external_id: None,
        metadata: Map::new(),
        locale: None,
        last_sign_in_at: None,
        created_at: now,
        updated_at: now,
        password_hash: None,
        mfa: Mfa::None,
        factor_id: None,
    }
}

#[derive(Clone, Debug)]
pub struct EmailVerification {
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub code: String,
    pub created_at: u64,
    pub expires_at: u64,
}

impl EmailVerification {
    pub fn to_json(&self) -> Value {
        json!({
            "object": "email_verification",
            "id": self.id,
            "user_id": self.user_id,
            "email": self.email,
            "code": self.code,
            "expires_at": iso(self.expires_at),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.created_at),
        })
    }
}

#[derive(Clone, Debug)]
pub struct MagicAuth {
    pub seq: u64,
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub code: String,
    pub created_at: u64,
    pub expires_at: u64,
    /// Codes are single use; a spent one is kept so a replay gets
    /// `one_time_code_previously_used` rather than `invalid_one_time_code`.
    pub used_at: Option<u64>,
}

impl MagicAuth {
    /// The webhook shape: everything but the code.
    pub fn event_json(&self) -> Value {
        json!({
            "object": "magic_auth",
            "id": self.id,
            "user_id": self.user_id,
            "email": self.email,
            "expires_at": iso(self.expires_at),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.used_at.unwrap_or(self.created_at)),
        })
    }

    pub fn to_json(&self) -> Value {
        let mut v = self.event_json();
        v["code"] = json!(self.code);
        v
    }
}
