//! `WorkOS\Native\ProfileException`: a Login Profile or routing rule was
//! refused. It is an `InvalidArgumentException`, so callers that catch that
//! keep working; it adds the stable code and the field at fault, which the
//! admin REST API answers with.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use workos_core::profile::ProfileError;

use super::exceptions::{self, InvalidArgumentException};

/// A Login Profile or routing rule was refused.
#[php_class]
#[php(name = "WorkOS\\Native\\ProfileException")]
#[php(extends(InvalidArgumentException))]
#[derive(Default)]
pub struct ProfileException {
    error_code: String,
    field: String,
}

#[php_impl]
impl ProfileException {
    /// The stable reason, e.g. `workos_profile_invalid_slug`,
    /// `workos_profile_path_reserved`, `workos_profile_invalid_methods`.
    pub fn get_error_code(&self) -> String {
        self.error_code.clone()
    }

    /// The field at fault in dotted form, e.g. `branding.primary_color`,
    /// `rules[2].matcher.type`.
    pub fn get_field(&self) -> String {
        self.field.clone()
    }
}

pub fn profile(err: ProfileError) -> PhpException {
    let code = err.code.as_str().to_string();
    let field = err.field.clone();
    exceptions::throw_filled::<ProfileException>(err.message, 0, |e| {
        e.error_code = code;
        e.field = field;
    })
}
