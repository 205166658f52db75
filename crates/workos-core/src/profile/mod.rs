//! Login Profiles: what a hosted login page offers (methods, pinned
//! organization, flows, MFA policy, branding, URL), and which profile a
//! login is routed to.
//!
//! The shape and names follow the reference plugin's profile (`Profile::
//! to_array()`), so stored profiles and add-ons written for it keep working.
//! Everything here is pure: a profile is a JSON object in, a JSON object (or a
//! [`ProfileError`] with a stable code) out.
//!
//! - [`model`]: the fields, their defaults, and [`model::normalize`], the
//!   lenient reading used for stored profiles (never fails).
//! - [`validate`]: [`validate::validate`], the strict reading used for what
//!   an administrator submits, and [`validate::merge`] for partial updates.
//! - [`routing`]: the routing rules and [`routing::choose`].

pub mod model;
pub mod routing;
pub mod validate;

mod fields;

/// The stable, machine-readable reason a profile or rule was refused. The
/// strings are the REST error codes the admin API answers with (the
/// reference's where it has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The profile is not an object.
    Invalid,
    InvalidSlug,
    InvalidTitle,
    PathInvalid,
    PathReserved,
    InvalidMethods,
    InvalidOrganization,
    InvalidMfa,
    InvalidColor,
    InvalidLogo,
    LogoRequired,
    InvalidText,
    InvalidRedirect,
    InvalidMode,
    /// A flag or number of the wrong type.
    InvalidField,
    InvalidRule,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Invalid => "workos_profile_invalid",
            ErrorCode::InvalidSlug => "workos_profile_invalid_slug",
            ErrorCode::InvalidTitle => "workos_profile_invalid_title",
            ErrorCode::PathInvalid => "workos_profile_path_invalid",
            ErrorCode::PathReserved => "workos_profile_path_reserved",
            ErrorCode::InvalidMethods => "workos_profile_invalid_methods",
            ErrorCode::InvalidOrganization => "workos_profile_invalid_organization",
            ErrorCode::InvalidMfa => "workos_profile_invalid_mfa",
            ErrorCode::InvalidColor => "workos_profile_invalid_color",
            ErrorCode::InvalidLogo => "workos_profile_invalid_logo",
            ErrorCode::LogoRequired => "workos_profile_logo_required",
            ErrorCode::InvalidText => "workos_profile_invalid_text",
            ErrorCode::InvalidRedirect => "workos_profile_invalid_redirect",
            ErrorCode::InvalidMode => "workos_profile_invalid_mode",
            ErrorCode::InvalidField => "workos_profile_invalid_field",
            ErrorCode::InvalidRule => "workos_profile_invalid_rule",
        }
    }
}

/// Why a profile (or a routing rule) was refused: a stable `code`, the
/// `field` at fault in dotted form (`branding.primary_color`,
/// `rules[2].matcher.type`), and a sentence for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProfileError {
    pub code: ErrorCode,
    pub field: String,
    pub message: String,
}

impl ProfileError {
    pub fn new(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        ProfileError {
            code,
            field: field.into(),
            message: message.into(),
        }
    }
}
