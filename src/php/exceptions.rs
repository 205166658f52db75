//! The extension's exception classes. All extend `WorkOS\Native\Exception`,
//! which extends `\RuntimeException`, so callers can catch one base class.

use std::ffi::c_char;

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendClassObject;
use ext_php_rs::zend::{ce, ClassEntry, ExecutorGlobals};
use workos_core::client::ApiError;

use super::convert;

/// `\RuntimeException` comes from SPL, which `ce::` does not cover, and the
/// executor's class table is not ready while modules start; the compiler's
/// class table already holds it.
fn runtime_exception() -> &'static ClassEntry {
    const NAME: &str = "runtimeexception";
    // SAFETY: the compiler globals are static and their class table is live
    // during module start-up; the entry found is a persistent class.
    unsafe {
        let globals = ext_php_rs::ffi::ext_php_rs_compiler_globals();
        let found = globals.as_ref().and_then(|g| {
            ext_php_rs::ffi::zend_hash_str_find_ptr_lc(
                g.class_table,
                NAME.as_ptr().cast::<c_char>(),
                NAME.len(),
            )
            .cast::<ClassEntry>()
            .as_ref()
        });
        found.unwrap_or_else(ce::exception)
    }
}

/// Base class of every exception the extension throws.
#[php_class]
#[php(name = "WorkOS\\Native\\Exception")]
#[php(extends(ce = runtime_exception, stub = "\\RuntimeException"))]
#[derive(Default)]
pub struct Exception;

/// A webhook failed verification: the message says which check (missing,
/// malformed, stale, mismatch, bad JSON).
#[php_class]
#[php(name = "WorkOS\\Native\\SignatureException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct SignatureException;

/// An access token or JWKS was refused.
#[php_class]
#[php(name = "WorkOS\\Native\\TokenException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct TokenException {
    reason: String,
}

#[php_impl]
impl TokenException {
    /// A stable machine-readable reason, e.g. `expired`, `unknown_kid`,
    /// `bad_signature`, `algorithm_not_allowed`, `malformed`, `bad_jwks`.
    pub fn get_reason(&self) -> String {
        self.reason.clone()
    }
}

/// An OAuth state value was refused (tampered, expired, other browser).
#[php_class]
#[php(name = "WorkOS\\Native\\StateException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct StateException;

/// An argument was invalid (wrong type, missing key, out of range).
#[php_class]
#[php(name = "WorkOS\\Native\\InvalidArgumentException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct InvalidArgumentException;

/// WorkOS answered with an error, or could not be reached. `getCode()` is the
/// HTTP status (0 when WorkOS was not reached).
#[php_class]
#[php(name = "WorkOS\\Native\\ApiException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct ApiException {
    status: i64,
    error_code: Option<String>,
    body: serde_json::Value,
    request_id: Option<String>,
    transient: bool,
}

#[php_impl]
impl ApiException {
    /// HTTP status WorkOS answered with; 0 when it was not reached.
    pub fn get_status(&self) -> i64 {
        self.status
    }

    /// WorkOS's error code (`code`, or `error` on the authenticate endpoint),
    /// e.g. `invalid_grant`, `email_verification_required`; for failures on
    /// our side `transport_error`, `bad_response`, `invalid_config`.
    pub fn get_error_code(&self) -> Option<String> {
        self.error_code.clone()
    }

    /// The decoded error body (step-up errors carry
    /// `pending_authentication_token` and more here).
    pub fn get_body(&self) -> ext_php_rs::types::Zval {
        convert::to_zval(&self.body)
    }

    /// WorkOS's `X-Request-ID`, for support requests.
    pub fn get_request_id(&self) -> Option<String> {
        self.request_id.clone()
    }

    /// Whether WorkOS is unavailable and the same call may work later (it
    /// was unreachable, timed out, failed with a 5xx, rate-limited with a
    /// 429, or an answer was not WorkOS's JSON), as opposed to WorkOS
    /// refusing the call (4xx): decided once, in the core.
    pub fn is_transient(&self) -> bool {
        self.transient
    }
}

/// PHP keeps exception messages as C strings: a message with a NUL byte (an
/// error quoting hostile input, e.g. `"1.2.3.4\0"`) cannot be thrown at all,
/// and the caller would get a plain `\Error` instead of our class. Every
/// message goes through here, so NULs are spelt out as `\0` instead.
pub fn throwable(message: String) -> String {
    if message.contains('\0') {
        message.replace('\0', "\\0")
    } else {
        message
    }
}

/// An exception of class `T` whose message can always be thrown.
fn of<T: ext_php_rs::class::RegisteredClass>(message: String) -> PhpException {
    PhpException::from_class::<T>(throwable(message))
}

/// Throws an exception of class `T` and lets `fill` set its Rust fields; the
/// returned error is then ignored by ext-php-rs because one is pending.
pub(super) fn throw_filled<T: ext_php_rs::class::RegisteredClass>(
    message: String,
    code: i32,
    fill: impl FnOnce(&mut T),
) -> PhpException {
    let message = throwable(message);
    let class = T::get_metadata().ce();
    if ext_php_rs::exception::throw_with_code(class, code, &message).is_ok() {
        let globals = ExecutorGlobals::get_mut();
        // SAFETY: the pending exception was just created from class `T`.
        if let Some(obj) = unsafe { globals.exception.as_mut() } {
            if let Some(obj) = ZendClassObject::<T>::from_zend_obj_mut(obj) {
                fill(obj);
            }
        }
    }
    PhpException::new(message, code, class)
}

pub fn api(err: ApiError) -> PhpException {
    let status = err.status();
    let message = err.to_string();
    match err {
        ApiError::InvalidInput(_) | ApiError::InvalidConfig(_) => {
            of::<InvalidArgumentException>(message)
        }
        err => throw_filled::<ApiException>(message, status as i32, |e| {
            e.status = status as i64;
            e.error_code = err.code().map(str::to_string);
            e.body = err.body();
            e.transient = err.is_transient();
            if let ApiError::Http(http) = &err {
                e.request_id = http.request_id.clone();
            }
        }),
    }
}

pub fn token(err: workos_core::token::TokenError) -> PhpException {
    use workos_core::token::TokenError as E;
    let reason = match &err {
        E::Malformed(_) => "malformed",
        E::AlgorithmNotAllowed(_) => "algorithm_not_allowed",
        E::MissingKid => "missing_kid",
        E::UnknownKid(_) => "unknown_kid",
        E::BadSignature => "bad_signature",
        E::MissingExp => "missing_exp",
        E::Expired => "expired",
        E::NotYetValid => "not_yet_valid",
        E::IssuedInFuture => "issued_in_future",
        E::IssuerMismatch => "issuer_mismatch",
        E::AudienceMismatch => "audience_mismatch",
        E::BadJwks(_) => "bad_jwks",
        E::BadExpectation(_) => "bad_expectation",
    };
    throw_filled::<TokenException>(err.to_string(), 0, |e| e.reason = reason.to_string())
}

pub fn jwks_unavailable(message: String) -> PhpException {
    throw_filled::<TokenException>(
        format!("no JWKS to verify the token with: {message}"),
        0,
        |e| e.reason = "jwks_unavailable".into(),
    )
}

pub fn signature(err: workos_core::webhook::WebhookError) -> PhpException {
    of::<SignatureException>(err.to_string())
}

pub fn state(err: workos_core::state::StateError) -> PhpException {
    of::<StateException>(err.to_string())
}

pub fn invalid(message: impl Into<String>) -> PhpException {
    of::<InvalidArgumentException>(message.into())
}

pub fn internal(message: impl Into<String>) -> PhpException {
    of::<Exception>(message.into())
}
