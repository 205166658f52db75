//! Passkeys (WebAuthn), verified here with `webauthn-rs` because WorkOS's
//! public API has no passkey ceremony.
//!
//! Each ceremony spans two requests: `start_*` returns the options for the
//! browser and an opaque ceremony state that the caller MUST keep on the
//! server (it holds the challenge; handing it to the browser would let a
//! visitor replay or forge ceremonies), `finish_*` takes that state back
//! with the browser's answer. The relying party is the site itself: its id
//! is the host of the site's origin and only that origin is accepted, both
//! given by the caller from configuration, never from request headers.
//!
//! Sign-in uses discoverable credentials (no username first): the browser
//! says which credential it used and whose it is ([`identify`]), the caller
//! looks that credential up in its own storage and hands it to
//! [`RelyingParty::finish_authentication`].

use serde::Serialize;
use serde_json::Value;
use url::Url;
use webauthn_rs::prelude::{
    CredentialID, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Uuid, Webauthn, WebauthnBuilder,
};

mod error;

pub use error::PasskeyError;

/// Most credentials one user may exclude at registration (the browser gets
/// their ids); a bound on the work one request can ask for.
pub const MAX_EXCLUDED: usize = 64;

/// A started ceremony: what the browser gets, and what the server keeps.
#[derive(Debug, Clone, Serialize)]
pub struct Started {
    /// `publicKey` options for `navigator.credentials.create()`/`get()`,
    /// binary fields as base64url strings.
    pub options: Value,
    /// The ceremony state (JSON). Server-side only.
    pub state: String,
}

/// A verified registration: the credential to store for the user.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    /// The credential id, base64url without padding (the lookup key).
    pub credential_id: String,
    /// The stored credential (public key, counter, flags) as JSON.
    pub passkey: String,
    /// Whether the credential may be synced between devices.
    pub backup_eligible: bool,
}

/// Who the browser says answered a sign-in, before anything is verified.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Identified {
    /// The user handle stored in the credential (a UUID).
    pub user_handle: String,
    /// The credential id, base64url without padding.
    pub credential_id: String,
}

/// A verified sign-in.
#[derive(Debug, Clone, Serialize)]
pub struct Authenticated {
    /// The credential used, base64url without padding.
    pub credential_id: String,
    /// The credential's signature counter after this sign-in.
    pub counter: u32,
    /// Whether the authenticator says the credential is backed up (synced).
    pub backup_state: bool,
    /// The credential to store back when it changed (counter, backup
    /// state), else `None`.
    pub updated_passkey: Option<String>,
}

/// The site as a WebAuthn relying party.
pub struct RelyingParty {
    webauthn: Webauthn,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty").finish_non_exhaustive()
    }
}

impl RelyingParty {
    /// The relying party of the site at `origin` (scheme, host and port of
    /// the site's home URL; a path is ignored). The RP id is its host.
    /// `name` is what authenticators show ("My Site").
    pub fn new(origin: &str, name: &str) -> Result<Self, PasskeyError> {
        let url = Url::parse(origin).map_err(|e| PasskeyError::Config(e.to_string()))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(PasskeyError::Config("origin must be http or https".into()));
        }
        let host = url
            .host_str()
            .ok_or_else(|| PasskeyError::Config("origin has no host".into()))?
            .to_string();
        // A relying-party id is a domain: browsers (and webauthn-rs) refuse
        // an IP address, so a site served by its IP cannot offer passkeys.
        if !matches!(url.host(), Some(url::Host::Domain(_))) {
            return Err(PasskeyError::Config(
                "passkeys need the site to be served under a domain name, not an IP address".into(),
            ));
        }
        // WebAuthn only runs in a secure context: HTTPS, or plain HTTP on
        // localhost (browsers treat it as potentially trustworthy).
        if url.scheme() == "http" && !is_localhost(&host) {
            return Err(PasskeyError::Config(
                "passkeys need HTTPS (plain HTTP only on localhost)".into(),
            ));
        }
        let origin_only = Url::parse(&url.origin().ascii_serialization())
            .map_err(|e| PasskeyError::Config(e.to_string()))?;
        let name = if name.trim().is_empty() {
            host.as_str()
        } else {
            name
        };
        let webauthn = WebauthnBuilder::new(&host, &origin_only)
            .and_then(|b| b.rp_name(name).build())
            .map_err(|e| PasskeyError::Config(e.to_string()))?;
        Ok(Self { webauthn })
    }

    /// Starts registering a passkey for the user whose handle is
    /// `user_handle` (from [`new_user_handle`]); `exclude` are the base64url
    /// ids of the credentials they already have (the authenticator refuses
    /// to register twice). The options ask for a discoverable credential so
    /// that sign-in needs no username.
    pub fn start_registration(
        &self,
        user_handle: &str,
        user_name: &str,
        display_name: &str,
        exclude: &[String],
    ) -> Result<Started, PasskeyError> {
        let handle = parse_handle(user_handle)?;
        if exclude.len() > MAX_EXCLUDED {
            return Err(PasskeyError::Malformed {
                what: "exclude list",
                detail: format!("more than {MAX_EXCLUDED} credentials"),
            });
        }
        let exclude = exclude
            .iter()
            .map(|id| decode_id(id).map(CredentialID::from))
            .collect::<Result<Vec<_>, _>>()?;
        let user_name = if user_name.is_empty() {
            display_name
        } else {
            user_name
        };
        let (ccr, state) = self
            .webauthn
            .start_passkey_registration(
                handle,
                user_name,
                display_name,
                (!exclude.is_empty()).then_some(exclude),
            )
            .map_err(PasskeyError::from_webauthn)?;
        // webauthn-rs asks for a non-resident credential; a username-less
        // sign-in needs the authenticator to keep it (registration itself
        // verifies the same either way).
        let mut options = to_value(&ccr.public_key)?;
        if let Some(sel) = options
            .get_mut("authenticatorSelection")
            .and_then(Value::as_object_mut)
        {
            sel.insert("residentKey".into(), Value::from("required"));
            sel.insert("requireResidentKey".into(), Value::from(true));
        }
        Ok(Started {
            options,
            state: to_json(&state)?,
        })
    }

    /// Verifies the browser's registration answer (`response`, the
    /// credential as JSON with base64url fields) against the kept `state`.
    pub fn finish_registration(
        &self,
        state: &str,
        response: &str,
    ) -> Result<Registered, PasskeyError> {
        let state: PasskeyRegistration = parse(state, "state")?;
        let reg: RegisterPublicKeyCredential = parse(response, "response")?;
        let passkey = self
            .webauthn
            .finish_passkey_registration(&reg, &state)
            .map_err(PasskeyError::from_webauthn)?;
        Ok(Registered {
            credential_id: encode_id(passkey.cred_id().as_ref()),
            backup_eligible: passkey_json_flag(&passkey, "backup_eligible"),
            passkey: to_json(&passkey)?,
        })
    }

    /// Starts a username-less sign-in (the browser offers the passkeys it
    /// holds for this site). Modal, not conditional (autofill) mediation:
    /// the visitor asked for it with a button.
    pub fn start_authentication(&self) -> Result<Started, PasskeyError> {
        let (rcr, state) = self
            .webauthn
            .start_discoverable_authentication()
            .map_err(PasskeyError::from_webauthn)?;
        Ok(Started {
            options: to_value(&rcr.public_key)?,
            state: to_json(&state)?,
        })
    }

    /// Verifies the browser's sign-in answer against the kept `state` and
    /// the stored credential `passkey` that [`identify`] pointed at. A
    /// signature counter that did not move forward (a cloned authenticator)
    /// is refused as [`PasskeyError::PossibleClone`].
    pub fn finish_authentication(
        &self,
        state: &str,
        response: &str,
        passkey: &str,
    ) -> Result<Authenticated, PasskeyError> {
        let state: DiscoverableAuthentication = parse(state, "state")?;
        let cred: PublicKeyCredential = parse(response, "response")?;
        let mut stored: Passkey = parse(passkey, "passkey")?;
        // The answer must be for the credential the caller looked up.
        if cred.get_credential_id() != stored.cred_id().as_ref() {
            return Err(PasskeyError::CredentialMismatch);
        }
        let key = DiscoverableKey::from(&stored);
        let result = self
            .webauthn
            .finish_discoverable_authentication(&cred, state, &[key])
            .map_err(PasskeyError::from_webauthn)?;
        let updated = match stored.update_credential(&result) {
            Some(true) => Some(to_json(&stored)?),
            _ => None,
        };
        Ok(Authenticated {
            credential_id: encode_id(result.cred_id().as_ref()),
            counter: result.counter(),
            backup_state: result.backup_state(),
            updated_passkey: updated,
        })
    }
}

/// Which credential and user a sign-in answer claims, unverified: only a
/// lookup key for [`RelyingParty::finish_authentication`].
pub fn identify(response: &str) -> Result<Identified, PasskeyError> {
    let cred: PublicKeyCredential = parse(response, "response")?;
    let handle = cred
        .get_user_unique_id()
        .and_then(|b| Uuid::from_slice(b).ok())
        .ok_or(PasskeyError::Malformed {
            what: "response",
            detail: "no valid user handle (not a discoverable credential)".into(),
        })?;
    Ok(Identified {
        user_handle: handle.hyphenated().to_string(),
        credential_id: encode_id(cred.get_credential_id()),
    })
}

/// A fresh random user handle (UUID v4): stored once per user, it says
/// nothing about who they are.
pub fn new_user_handle() -> String {
    let mut bytes = [0u8; 16];
    rand::Rng::fill(&mut rand::thread_rng(), &mut bytes);
    uuid_from_random(bytes).hyphenated().to_string()
}

/// The credential id a stored passkey (JSON) is for, base64url.
pub fn credential_id_of(passkey: &str) -> Result<String, PasskeyError> {
    let stored: Passkey = parse(passkey, "passkey")?;
    Ok(encode_id(stored.cred_id().as_ref()))
}

fn uuid_from_random(mut bytes: [u8; 16]) -> Uuid {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    Uuid::from_bytes(bytes)
}

fn is_localhost(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost")
}

fn parse_handle(handle: &str) -> Result<Uuid, PasskeyError> {
    Uuid::parse_str(handle).map_err(|e| PasskeyError::Malformed {
        what: "user handle",
        detail: e.to_string(),
    })
}

fn decode_id(id: &str) -> Result<Vec<u8>, PasskeyError> {
    let bytes = crate::b64::decode(id).ok_or_else(|| PasskeyError::Malformed {
        what: "credential id",
        detail: "not base64url".into(),
    })?;
    if bytes.is_empty() || bytes.len() > 1023 {
        return Err(PasskeyError::Malformed {
            what: "credential id",
            detail: "length out of range".into(),
        });
    }
    Ok(bytes)
}

fn encode_id(bytes: &[u8]) -> String {
    crate::b64::encode(bytes)
}

fn parse<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, PasskeyError> {
    serde_json::from_str(json).map_err(|e| PasskeyError::Malformed {
        what,
        detail: e.to_string(),
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String, PasskeyError> {
    serde_json::to_string(value).map_err(|e| PasskeyError::Internal(e.to_string()))
}

fn to_value<T: Serialize>(value: &T) -> Result<Value, PasskeyError> {
    serde_json::to_value(value).map_err(|e| PasskeyError::Internal(e.to_string()))
}

fn passkey_json_flag(passkey: &Passkey, flag: &str) -> bool {
    serde_json::to_value(passkey)
        .ok()
        .and_then(|v| {
            v.get("cred")
                .and_then(|c| c.get(flag))
                .and_then(Value::as_bool)
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests;
