//! The account lifecycle around a user: password resets, invitations, and
//! MFA (TOTP factors and their challenges), in WorkOS's shapes. TOTP is the
//! real RFC 6238 (SHA-1, 6 digits, 30 s), so a test computes codes from the
//! enrolled secret as an authenticator app would.

use crate::util::iso;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub struct PasswordReset {
    pub seq: u64,
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub token: String,
    pub url: String,
    pub created_at: u64,
    pub expires_at: u64,
    /// Tokens are single use.
    pub used_at: Option<u64>,
}

impl PasswordReset {
    pub fn to_json(&self) -> Value {
        json!({
            "object": "password_reset",
            "id": self.id,
            "user_id": self.user_id,
            "email": self.email,
            "password_reset_token": self.token,
            "password_reset_url": self.url,
            "expires_at": iso(self.expires_at),
            "created_at": iso(self.created_at),
        })
    }

    /// The `password_reset.created` event: no token.
    pub fn event_json(&self) -> Value {
        json!({
            "object": "password_reset",
            "id": self.id,
            "user_id": self.user_id,
            "email": self.email,
            "expires_at": iso(self.expires_at),
            "created_at": iso(self.created_at),
        })
    }
}

/// A pending change of a user's email address: the code goes to the new
/// address; one pending change per user (a new send replaces it).
#[derive(Clone, Debug)]
pub struct EmailChange {
    pub user_id: String,
    pub new_email: String,
    pub code: String,
    pub created_at: u64,
    pub expires_at: u64,
    pub used_at: Option<u64>,
    pub failed_attempts: u32,
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub seq: u64,
    pub id: String,
    pub email: String,
    pub organization_id: Option<String>,
    pub inviter_user_id: Option<String>,
    pub role_slug: Option<String>,
    pub token: String,
    pub url: String,
    pub accepted_at: Option<u64>,
    pub accepted_user_id: Option<String>,
    pub revoked_at: Option<u64>,
    pub created_at: u64,
    pub updated_at: u64,
    pub expires_at: u64,
}

impl Invitation {
    pub fn state(&self, now: u64) -> &'static str {
        if self.accepted_at.is_some() {
            "accepted"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at < now {
            "expired"
        } else {
            "pending"
        }
    }

    /// The invitation as the API answers it (with its token), or as its
    /// `invitation.*` events carry it (without).
    pub fn to_json(&self, now: u64, with_token: bool) -> Value {
        let mut v = json!({
            "object": "invitation",
            "id": self.id,
            "email": self.email,
            "state": self.state(now),
            "accepted_at": self.accepted_at.map(iso),
            "revoked_at": self.revoked_at.map(iso),
            "expires_at": iso(self.expires_at),
            "organization_id": self.organization_id,
            "inviter_user_id": self.inviter_user_id,
            "accepted_user_id": self.accepted_user_id,
            "role_slug": self.role_slug,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if with_token {
            v["token"] = json!(self.token);
            v["accept_invitation_url"] = json!(self.url);
        }
        v
    }
}

/// What a factor is: how its codes are made and reach the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactorKind {
    /// An authenticator app's shared secret: base32 (RFC 4648, no padding),
    /// as apps take it.
    Totp {
        issuer: String,
        account: String,
        secret: String,
    },
    /// A phone each challenge's code is texted to.
    Sms { phone_number: String },
    /// A code the caller delivers itself: the challenge answers it.
    GenericOtp,
}

#[derive(Clone, Debug)]
pub struct AuthFactor {
    pub seq: u64,
    pub id: String,
    /// The user the factor is for ("" for an MFA API factor enrolled without one).
    pub user_id: String,
    /// Enrolled through User Management (`/user_management/users/{id}/auth_factors`):
    /// one of the user's sign-in factors, listed there, offered by the
    /// `mfa_challenge` step-up and passed by the `mfa-totp` grant. A factor
    /// of the MFA API (`/auth/factors/enroll`) is not, even with a `user_id`:
    /// WorkOS documents those endpoints apart (our assumption where the spec
    /// is silent).
    pub user_management: bool,
    pub kind: FactorKind,
    pub created_at: u64,
    pub updated_at: u64,
}

impl AuthFactor {
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            FactorKind::Totp { .. } => "totp",
            FactorKind::Sms { .. } => "sms",
            FactorKind::GenericOtp => "generic_otp",
        }
    }

    /// The TOTP secret, for a TOTP factor.
    pub fn secret(&self) -> Option<&str> {
        match &self.kind {
            FactorKind::Totp { secret, .. } => Some(secret),
            _ => None,
        }
    }

    /// The otpauth URI an authenticator app takes, for a TOTP factor.
    pub fn uri(&self) -> Option<String> {
        let FactorKind::Totp {
            issuer,
            account,
            secret,
        } = &self.kind
        else {
            return None;
        };
        let enc = |s: &str| {
            url::form_urlencoded::byte_serialize(s.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        };
        Some(format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}",
            enc(issuer),
            enc(account),
            secret,
            enc(issuer),
        ))
    }

    /// AuthenticationFactor: a TOTP secret is shown once, at enrolment.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "object": "authentication_factor",
            "id": self.id,
            "type": self.type_name(),
        });
        if !self.user_id.is_empty() {
            v["user_id"] = json!(self.user_id);
        }
        match &self.kind {
            FactorKind::Totp {
                issuer, account, ..
            } => v["totp"] = json!({"issuer": issuer, "user": account}),
            FactorKind::Sms { phone_number } => v["sms"] = json!({"phone_number": phone_number}),
            FactorKind::GenericOtp => {}
        }
        v["created_at"] = json!(iso(self.created_at));
        v["updated_at"] = json!(iso(self.updated_at));
        v
    }

    /// AuthenticationFactorEnrolled: a TOTP factor with its secret, a real
    /// QR code of its URI (model::qr) and the URI.
    pub fn enrolled_json(&self) -> Value {
        let mut v = self.to_json();
        if let (Some(secret), Some(uri)) = (self.secret(), self.uri()) {
            let totp = &mut v["totp"];
            totp["secret"] = json!(secret);
            totp["qr_code"] = json!(super::qr::png_data_uri(&uri));
            totp["uri"] = json!(uri);
        }
        v
    }
}

#[derive(Clone, Debug)]
pub struct AuthChallenge {
    pub id: String,
    pub factor_id: String,
    pub created_at: u64,
    pub updated_at: u64,
    pub expires_at: u64,
    /// The code sent (SMS) or handed over (generic OTP); None for TOTP,
    /// whose codes the user's app makes.
    pub code: Option<String>,
    /// A challenge is passed once; a second verify is refused.
    pub verified_at: Option<u64>,
    pub failed_attempts: u32,
}

impl AuthChallenge {
    pub fn to_json(&self) -> Value {
        json!({
            "object": "authentication_challenge",
            "id": self.id,
            "authentication_factor_id": self.factor_id,
            "expires_at": iso(self.expires_at),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}

/// A text message the emulator "sent" (an SMS factor's challenge): read back
/// through the control API, as a test's phone.
#[derive(Clone, Debug)]
pub struct SmsMessage {
    pub phone_number: String,
    pub message: String,
    pub code: String,
    pub factor_id: String,
    pub challenge_id: String,
    pub sent_at: u64,
}

impl SmsMessage {
    pub fn to_json(&self) -> Value {
        json!({
            "phone_number": self.phone_number,
            "message": self.message,
            "code": self.code,
            "factor_id": self.factor_id,
            "challenge_id": self.challenge_id,
            "sent_at": iso(self.sent_at),
        })
    }
}

/// RFC 4648 base32 alphabet.
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = BASE32.iter().position(|&a| a == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    use sha1::{Digest, Sha1};
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha1::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha1::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The RFC 6238 code of a base32 secret at a Unix time (SHA-1, 6 digits,
/// 30-second steps), or None for a secret that is not base32.
pub fn totp(secret: &str, unix_secs: u64) -> Option<String> {
    let key = base32_decode(secret)?;
    let mac = hmac_sha1(&key, &(unix_secs / 30).to_be_bytes());
    let offset = usize::from(mac[19] & 0x0f);
    let value = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    Some(format!("{:06}", value % 1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc_6238() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (8 digits
        // there; the last 6 here).
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&secret).unwrap(), b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1111111109, "081804"),
            (1234567890, "005924"),
            (2000000000, "279037"),
        ] {
            assert_eq!(totp(&secret, t).unwrap(), code, "{t}");
        }
        assert!(totp("not base32!", 0).is_none());
    }
}
