//! Why an access token (or the key set meant to verify it) was refused.
//!
//! A module of its own, below both `jwks` and `token`, so that neither has to
//! import the other to name its errors.

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("token is malformed: {0}")]
    Malformed(String),
    #[error("token algorithm {0} is not allowed (only RS256)")]
    AlgorithmNotAllowed(String),
    #[error("token header has no kid")]
    MissingKid,
    #[error("token kid {0} is not in the JWKS")]
    UnknownKid(String),
    #[error("token signature is invalid")]
    BadSignature,
    #[error("token has no exp claim")]
    MissingExp,
    #[error("token has expired")]
    Expired,
    #[error("token is not valid yet (nbf)")]
    NotYetValid,
    #[error("token was issued in the future (iat)")]
    IssuedInFuture,
    #[error("token issuer does not match")]
    IssuerMismatch,
    #[error("token audience does not match")]
    AudienceMismatch,
    #[error("JWKS is invalid: {0}")]
    BadJwks(String),
    #[error("invalid expectation: {0}")]
    BadExpectation(String),
}

impl TokenError {
    /// A stable machine-readable reason (what PHP's `TokenException::getReason()`
    /// returns), so every caller names a refusal the same way.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::AlgorithmNotAllowed(_) => "algorithm_not_allowed",
            Self::MissingKid => "missing_kid",
            Self::UnknownKid(_) => "unknown_kid",
            Self::BadSignature => "bad_signature",
            Self::MissingExp => "missing_exp",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::IssuedInFuture => "issued_in_future",
            Self::IssuerMismatch => "issuer_mismatch",
            Self::AudienceMismatch => "audience_mismatch",
            Self::BadJwks(_) => "bad_jwks",
            Self::BadExpectation(_) => "bad_expectation",
        }
    }
}
