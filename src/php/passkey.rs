//! `WorkOS\Native\Passkeys`: the WebAuthn ceremonies (workos-core's
//! `passkey` module), and `WorkOS\Native\PasskeyException` for every refusal.
//!
//! Every method takes the site's origin and name (from the site's
//! configuration, never from request headers) and works on JSON strings:
//! the ceremony state returned by `start*` MUST stay on the server.
#![allow(non_snake_case)] // PHP parameter names are camelCase.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{json, Value};
use workos_core::passkey::{self, PasskeyError, RelyingParty};

use super::exceptions::{self, Exception};
use super::{convert, guard::guard};

/// A passkey ceremony was refused. `getReason()` is a stable code:
/// `invalid_config`, `malformed`, `challenge_mismatch`, `origin_mismatch`,
/// `user_not_verified`, `possible_clone`, `credential_mismatch`,
/// `already_registered`, `verification_failed`, `internal`.
#[php_class]
#[php(name = "WorkOS\\Native\\PasskeyException")]
#[php(extends(Exception))]
#[derive(Default)]
pub struct PasskeyException {
    reason: String,
}

#[php_impl]
impl PasskeyException {
    /// The stable machine-readable reason.
    pub fn get_reason(&self) -> String {
        self.reason.clone()
    }
}

fn refused(err: PasskeyError) -> PhpException {
    let reason = err.reason();
    exceptions::throw_filled::<PasskeyException>(err.to_string(), 0, |e| {
        e.reason = reason.to_string()
    })
}

fn rp(origin: &str, rp_name: &str) -> PhpResult<RelyingParty> {
    RelyingParty::new(origin, rp_name).map_err(refused)
}

fn array(value: Value) -> PhpResult<Zval> {
    Ok(convert::to_zval(&value))
}

/// Passkey (WebAuthn) registration and sign-in, verified in the extension.
#[php_class]
#[php(name = "WorkOS\\Native\\Passkeys")]
#[php(flags = ext_php_rs::flags::ClassFlags::Final)]
pub struct Passkeys;

#[php_impl]
impl Passkeys {
    /// A fresh random WebAuthn user handle (a UUID) for a user who has none
    /// yet; store it with the user, it never changes.
    pub fn user_handle() -> String {
        passkey::new_user_handle()
    }

    /// Starts registering a passkey. `$exclude` lists the base64url ids of
    /// the user's existing credentials.
    ///
    /// @return array{options: array, state: string} `options` for the
    ///         browser's `navigator.credentials.create({publicKey})` (binary
    ///         fields base64url); `state` stays on the server.
    /// @throws \WorkOS\Native\PasskeyException
    /// @throws \WorkOS\Native\InvalidArgumentException for a non-string id.
    pub fn start_registration(
        origin: &str,
        rpName: &str,
        userHandle: &str,
        userName: &str,
        displayName: &str,
        exclude: &ZendHashTable,
    ) -> PhpResult<Zval> {
        guard(|| {
            let exclude = convert::string_list(exclude, "exclude").map_err(exceptions::invalid)?;
            let started = rp(origin, rpName)?
                .start_registration(userHandle, userName, displayName, &exclude)
                .map_err(refused)?;
            array(json!({"options": started.options, "state": started.state}))
        })
    }

    /// Verifies the browser's registration answer (`$response`, the
    /// credential as JSON) against the kept `$state`.
    ///
    /// @return array{credential_id: string, passkey: string, backup_eligible: bool}
    ///         `passkey` is the JSON to store for the user.
    /// @throws \WorkOS\Native\PasskeyException
    pub fn finish_registration(
        origin: &str,
        rpName: &str,
        state: &str,
        response: &str,
    ) -> PhpResult<Zval> {
        guard(|| {
            let done = rp(origin, rpName)?
                .finish_registration(state, response)
                .map_err(refused)?;
            array(json!({
                "credential_id": done.credential_id,
                "passkey": done.passkey,
                "backup_eligible": done.backup_eligible,
            }))
        })
    }

    /// Starts a username-less sign-in.
    ///
    /// @return array{options: array, state: string} `options` for
    ///         `navigator.credentials.get({publicKey})`; `state` stays on the server.
    /// @throws \WorkOS\Native\PasskeyException
    pub fn start_authentication(origin: &str, rpName: &str) -> PhpResult<Zval> {
        guard(|| {
            let started = rp(origin, rpName)?
                .start_authentication()
                .map_err(refused)?;
            array(json!({"options": started.options, "state": started.state}))
        })
    }

    /// Which user handle and credential a sign-in answer names, NOT
    /// verified: only to look the stored credential up.
    ///
    /// @return array{user_handle: string, credential_id: string}
    /// @throws \WorkOS\Native\PasskeyException
    pub fn identify(response: &str) -> PhpResult<Zval> {
        guard(|| {
            let who = passkey::identify(response).map_err(refused)?;
            array(json!({"user_handle": who.user_handle, "credential_id": who.credential_id}))
        })
    }

    /// Verifies a sign-in answer against the kept `$state` and the stored
    /// `$passkey` JSON of the credential identify() named. A counter that
    /// did not move forward is refused (reason `possible_clone`).
    ///
    /// @return array{credential_id: string, counter: int, backup_state: bool, updated_passkey: ?string}
    ///         store `updated_passkey` back when it is not null.
    /// @throws \WorkOS\Native\PasskeyException
    pub fn finish_authentication(
        origin: &str,
        rpName: &str,
        state: &str,
        response: &str,
        passkey: &str,
    ) -> PhpResult<Zval> {
        guard(|| {
            let done = rp(origin, rpName)?
                .finish_authentication(state, response, passkey)
                .map_err(refused)?;
            array(json!({
                "credential_id": done.credential_id,
                "counter": done.counter,
                "backup_state": done.backup_state,
                "updated_passkey": done.updated_passkey,
            }))
        })
    }
}
