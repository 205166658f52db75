//! Why a passkey ceremony was refused.

use webauthn_rs::prelude::WebauthnError;

/// A passkey ceremony that did not succeed. [`PasskeyError::reason`] is a
/// stable machine-readable code for callers (and PHP exceptions).
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// The site's origin or name cannot make a relying party.
    #[error("passkeys are not available for this site: {0}")]
    Config(String),
    /// Input that is not what a ceremony produces (bad JSON, bad ids).
    #[error("malformed {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
    /// The answer is for another challenge (replayed, or another ceremony's).
    #[error("the passkey answer is for another challenge")]
    ChallengeMismatch,
    /// The answer was made for another site or origin.
    #[error("the passkey answer was made for another site")]
    OriginMismatch,
    /// The authenticator did not verify the person (PIN, biometrics).
    #[error("the authenticator did not verify the user")]
    UserNotVerified,
    /// The signature counter did not move forward: the authenticator may
    /// have been cloned.
    #[error("the passkey's signature counter went backwards: possible cloned authenticator")]
    PossibleClone,
    /// The answer is for another credential than the one looked up.
    #[error("the passkey answer is for another credential")]
    CredentialMismatch,
    /// The credential was already registered (excluded at registration).
    #[error("this passkey is already registered")]
    AlreadyRegistered,
    /// Any other verification failure (signature, flags, attestation).
    #[error("the passkey could not be verified: {0}")]
    Refused(WebauthnError),
    /// A bug on our side (serialisation).
    #[error("internal passkey error: {0}")]
    Internal(String),
}

impl PasskeyError {
    /// Maps webauthn-rs's errors onto the few the site distinguishes.
    pub(crate) fn from_webauthn(e: WebauthnError) -> Self {
        match e {
            WebauthnError::MismatchedChallenge | WebauthnError::ChallengeNotFound => {
                Self::ChallengeMismatch
            }
            WebauthnError::InvalidRPOrigin
            | WebauthnError::InvalidRPIDHash
            | WebauthnError::CredentialCrossOrigin => Self::OriginMismatch,
            WebauthnError::UserNotVerified | WebauthnError::UserNotPresent => Self::UserNotVerified,
            WebauthnError::CredentialPossibleCompromise => Self::PossibleClone,
            WebauthnError::CredentialExcludedFromRequest
            | WebauthnError::CredentialAlreadyExists => Self::AlreadyRegistered,
            WebauthnError::ParseJSONFailure(e) => Self::Malformed {
                what: "response",
                detail: e.to_string(),
            },
            WebauthnError::Configuration => Self::Config("invalid relying party".into()),
            other => Self::Refused(other),
        }
    }

    /// Stable machine-readable reason.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Config(_) => "invalid_config",
            Self::Malformed { .. } => "malformed",
            Self::ChallengeMismatch => "challenge_mismatch",
            Self::OriginMismatch => "origin_mismatch",
            Self::UserNotVerified => "user_not_verified",
            Self::PossibleClone => "possible_clone",
            Self::CredentialMismatch => "credential_mismatch",
            Self::AlreadyRegistered => "already_registered",
            Self::Refused(_) => "verification_failed",
            Self::Internal(_) => "internal",
        }
    }
}
