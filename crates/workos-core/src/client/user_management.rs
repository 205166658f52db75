//! User Management: the authentication grants of
//! `POST /user_management/authenticate` (each checked against its schema in
//! the OpenAPI spec before it is sent), and the JWKS.

use serde_json::{json, Map, Value};

use super::http::Request;
use super::params::{check_email, check_id, check_text, invalid, prefix};
use super::{ApiError, Client};

pub const GRANT_AUTHORIZATION_CODE: &str = "authorization_code";
pub const GRANT_PASSWORD: &str = "password";
pub const GRANT_REFRESH_TOKEN: &str = "refresh_token";
pub const GRANT_MAGIC_AUTH: &str = "urn:workos:oauth:grant-type:magic-auth:code";
pub const GRANT_EMAIL_VERIFICATION: &str = "urn:workos:oauth:grant-type:email-verification:code";
pub const GRANT_MFA_TOTP: &str = "urn:workos:oauth:grant-type:mfa-totp";
pub const GRANT_ORGANIZATION_SELECTION: &str = "urn:workos:oauth:grant-type:organization-selection";

/// One grant of `POST /user_management/authenticate`: its fields besides
/// `grant_type` and the client credentials (which the client adds).
struct GrantSchema {
    grant_type: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
}

/// Fields every grant may carry (for Radar and the session's metadata).
const CONTEXT: &[&str] = &["ip_address", "user_agent", "device_id"];

/// The grants the plugin and the hosted login use, as the OpenAPI spec
/// defines them (radar challenges and the device flow are left out: nothing
/// here runs them).
const GRANTS: &[GrantSchema] = &[
    GrantSchema {
        grant_type: GRANT_AUTHORIZATION_CODE,
        required: &["code"],
        optional: &["code_verifier", "invitation_token", "signals_id"],
    },
    GrantSchema {
        grant_type: GRANT_PASSWORD,
        required: &["email", "password"],
        optional: &["invitation_token", "signals_id", "radar_auth_attempt_id"],
    },
    GrantSchema {
        grant_type: GRANT_REFRESH_TOKEN,
        required: &["refresh_token"],
        optional: &["organization_id"],
    },
    GrantSchema {
        grant_type: GRANT_MAGIC_AUTH,
        required: &["code", "email"],
        optional: &["invitation_token", "radar_auth_attempt_id"],
    },
    GrantSchema {
        grant_type: GRANT_EMAIL_VERIFICATION,
        required: &["code", "pending_authentication_token"],
        optional: &[],
    },
    GrantSchema {
        grant_type: GRANT_MFA_TOTP,
        required: &[
            "code",
            "pending_authentication_token",
            "authentication_challenge_id",
        ],
        optional: &[],
    },
    GrantSchema {
        grant_type: GRANT_ORGANIZATION_SELECTION,
        required: &["pending_authentication_token", "organization_id"],
        optional: &[],
    },
];

/// Checks a grant's shape against its schema: a known `grant_type`, every
/// required field present, no field the grant does not define, every value a
/// string. Optional fields given as null or "" are left out (absent, as
/// WorkOS reads them). The values themselves (a typed email, a code) are the
/// visitor's and WorkOS's to judge: a wrong one is WorkOS's `invalid_grant`
/// or `invalid_credentials`, which callers already turn into a message.
pub fn check_grant(grant: Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    let grant_type = match grant.get("grant_type") {
        Some(Value::String(t)) if !t.trim().is_empty() => t.clone(),
        _ => return Err(invalid("grant_type is required")),
    };
    let Some(schema) = GRANTS.iter().find(|g| g.grant_type == grant_type) else {
        return Err(invalid(format!(
            "grant_type {grant_type:?} is not supported"
        )));
    };
    let mut out = Map::new();
    for (key, value) in grant {
        let required = key == "grant_type" || schema.required.contains(&key.as_str());
        let known =
            required || schema.optional.contains(&key.as_str()) || CONTEXT.contains(&key.as_str());
        if !known {
            return Err(invalid(format!(
                "{key} is not a field of the {grant_type} grant"
            )));
        }
        match value {
            Value::String(s) if !required && s.is_empty() => {}
            Value::Null if !required => {}
            Value::String(s) => {
                out.insert(key, Value::String(s));
            }
            _ => return Err(invalid(format!("{key} must be a string"))),
        }
    }
    if let Some(missing) = schema.required.iter().find(|k| !out.contains_key(**k)) {
        return Err(invalid(format!(
            "{missing} is required for the {grant_type} grant"
        )));
    }
    Ok(out)
}

fn insert_invitation(
    grant: &mut Map<String, Value>,
    invitation_token: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(token) = invitation_token {
        grant.insert(
            "invitation_token".into(),
            json!(check_text("invitation_token", token)?),
        );
    }
    Ok(())
}

fn password_grant(
    email: &str,
    password: &str,
    invitation_token: Option<&str>,
) -> Result<Map<String, Value>, ApiError> {
    let mut grant = Map::new();
    grant.insert("grant_type".into(), json!(GRANT_PASSWORD));
    grant.insert("email".into(), json!(non_empty("email", email)?));
    grant.insert("password".into(), json!(non_empty("password", password)?));
    insert_invitation(&mut grant, invitation_token)?;
    Ok(grant)
}

/// A one-time code as WorkOS sends them: digits only (checked here so a
/// typo costs no round trip and no failed-attempt count).
fn one_time_code(code: &str) -> Result<&str, ApiError> {
    let code = check_text("code", code)?;
    if code.len() > 16 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("code must be the digits that were sent"));
    }
    Ok(code)
}

fn magic_auth_grant(
    code: &str,
    email: &str,
    invitation_token: Option<&str>,
) -> Result<Map<String, Value>, ApiError> {
    let mut grant = Map::new();
    grant.insert("grant_type".into(), json!(GRANT_MAGIC_AUTH));
    grant.insert("code".into(), json!(one_time_code(code)?));
    grant.insert("email".into(), json!(check_email("email", email)?));
    insert_invitation(&mut grant, invitation_token)?;
    Ok(grant)
}

fn email_verification_grant(
    code: &str,
    pending_authentication_token: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut grant = Map::new();
    grant.insert("grant_type".into(), json!(GRANT_EMAIL_VERIFICATION));
    grant.insert("code".into(), json!(one_time_code(code)?));
    grant.insert(
        "pending_authentication_token".into(),
        json!(check_text(
            "pending_authentication_token",
            pending_authentication_token
        )?),
    );
    Ok(grant)
}

fn totp_grant(
    code: &str,
    pending_authentication_token: &str,
    authentication_challenge_id: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut grant = Map::new();
    grant.insert("grant_type".into(), json!(GRANT_MFA_TOTP));
    grant.insert("code".into(), json!(one_time_code(code)?));
    grant.insert(
        "pending_authentication_token".into(),
        json!(check_text(
            "pending_authentication_token",
            pending_authentication_token
        )?),
    );
    grant.insert(
        "authentication_challenge_id".into(),
        json!(check_id(
            "authentication_challenge_id",
            prefix::AUTH_CHALLENGE,
            authentication_challenge_id
        )?),
    );
    Ok(grant)
}

fn organization_selection_grant(
    pending_authentication_token: &str,
    organization_id: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut grant = Map::new();
    grant.insert("grant_type".into(), json!(GRANT_ORGANIZATION_SELECTION));
    grant.insert(
        "pending_authentication_token".into(),
        json!(check_text(
            "pending_authentication_token",
            pending_authentication_token
        )?),
    );
    grant.insert(
        "organization_id".into(),
        json!(check_id(
            "organization_id",
            prefix::ORGANIZATION,
            organization_id
        )?),
    );
    Ok(grant)
}

fn non_empty<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::InvalidInput(format!("{name} must not be empty")))
    } else {
        Ok(value)
    }
}

impl Client {
    /// `POST /user_management/authenticate` with any grant; the client's
    /// credentials are added here so callers never handle the API key.
    pub fn authenticate(&self, grant: Map<String, Value>) -> Result<Value, ApiError> {
        let mut body = check_grant(grant)?;
        body.insert("client_id".into(), json!(self.config().client_id));
        body.insert("client_secret".into(), json!(self.config().api_key));
        let response = self.send(Request {
            method: "POST",
            url: self.url(&["user_management", "authenticate"])?,
            body: Some(&Value::Object(body)),
            auth: false,
            idempotency_key: None,
        })?;
        if response.get("user").and_then(|u| u.get("id")).is_none() {
            return Err(ApiError::BadResponse(
                "authenticate answered without a user".into(),
            ));
        }
        Ok(response)
    }

    /// The authorization-code grant (with its PKCE verifier, if any);
    /// `invitation_token` accepts an invitation with the sign-in, which then
    /// belongs to the invitation's organization.
    pub fn authenticate_with_code(
        &self,
        code: &str,
        code_verifier: Option<&str>,
        invitation_token: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut grant = Map::new();
        grant.insert("grant_type".into(), json!(GRANT_AUTHORIZATION_CODE));
        grant.insert("code".into(), json!(non_empty("code", code)?));
        if let Some(v) = code_verifier {
            if !crate::pkce::is_valid_verifier(v) {
                return Err(ApiError::InvalidInput(
                    "code_verifier must be 43-128 unreserved characters".into(),
                ));
            }
            grant.insert("code_verifier".into(), json!(v));
        }
        insert_invitation(&mut grant, invitation_token)?;
        self.authenticate(grant)
    }

    /// The password grant; `invitation_token` accepts an invitation with the
    /// sign-in, which then belongs to the invitation's organization.
    pub fn authenticate_with_password(
        &self,
        email: &str,
        password: &str,
        invitation_token: Option<&str>,
    ) -> Result<Value, ApiError> {
        self.authenticate(password_grant(email, password, invitation_token)?)
    }

    /// The magic-auth grant: the code emailed by `create_magic_auth`.
    pub fn authenticate_with_magic_auth(
        &self,
        code: &str,
        email: &str,
        invitation_token: Option<&str>,
    ) -> Result<Value, ApiError> {
        self.authenticate(magic_auth_grant(code, email, invitation_token)?)
    }

    /// The email-verification grant: the code sent when a sign-in answered
    /// `email_verification_required`, with that answer's pending token.
    pub fn authenticate_with_email_verification(
        &self,
        code: &str,
        pending_authentication_token: &str,
    ) -> Result<Value, ApiError> {
        self.authenticate(email_verification_grant(
            code,
            pending_authentication_token,
        )?)
    }

    /// The MFA TOTP grant: the code of the user's authenticator for a
    /// challenge, after `mfa_enrollment` or `mfa_challenge`.
    pub fn authenticate_with_totp(
        &self,
        code: &str,
        pending_authentication_token: &str,
        authentication_challenge_id: &str,
    ) -> Result<Value, ApiError> {
        self.authenticate(totp_grant(
            code,
            pending_authentication_token,
            authentication_challenge_id,
        )?)
    }

    /// The organization-selection grant, after
    /// `organization_selection_required`.
    pub fn authenticate_with_organization_selection(
        &self,
        pending_authentication_token: &str,
        organization_id: &str,
    ) -> Result<Value, ApiError> {
        self.authenticate(organization_selection_grant(
            pending_authentication_token,
            organization_id,
        )?)
    }

    pub fn authenticate_with_refresh_token(
        &self,
        refresh_token: &str,
        organization_id: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut grant = Map::new();
        grant.insert("grant_type".into(), json!(GRANT_REFRESH_TOKEN));
        grant.insert(
            "refresh_token".into(),
            json!(non_empty("refresh_token", refresh_token)?),
        );
        if let Some(org) = organization_id {
            grant.insert(
                "organization_id".into(),
                json!(non_empty("organization_id", org)?),
            );
        }
        self.authenticate(grant)
    }

    /// The raw JWKS text for this client id (`GET /sso/jwks/{client_id}`).
    pub fn get_jwks(&self) -> Result<Value, ApiError> {
        self.send(Request {
            method: "GET",
            url: self.url(&["sso", "jwks", &self.config().client_id])?,
            body: None,
            auth: false,
            idempotency_key: None,
        })
    }

    /// The one way out for every typed call ([`Client::call`], and each call
    /// of a bulk batch): `path` is a list of segments (each encoded, none
    /// navigating), `query` pairs are appended. Not exported to PHP: PHP
    /// names endpoints only through the typed methods.
    pub fn request(
        &self,
        method: &str,
        path: &[&str],
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let (method, url) = self.raw_target(method, path, query)?;
        self.send(Request {
            method: &method,
            url,
            body,
            auth: true,
            idempotency_key: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(v: Value) -> Result<Map<String, Value>, ApiError> {
        match v {
            Value::Object(map) => check_grant(map),
            _ => unreachable!(),
        }
    }

    #[test]
    fn typed_grants_build_schema_valid_bodies() {
        let body = |m: Map<String, Value>| Value::Object(check_grant(m).unwrap());
        assert_eq!(
            body(magic_auth_grant("123456", "a@example.com", Some("inv_tok")).unwrap()),
            json!({"grant_type": GRANT_MAGIC_AUTH, "code": "123456", "email": "a@example.com", "invitation_token": "inv_tok"})
        );
        assert_eq!(
            body(email_verification_grant("654321", "pat_1").unwrap()),
            json!({"grant_type": GRANT_EMAIL_VERIFICATION, "code": "654321", "pending_authentication_token": "pat_1"})
        );
        assert_eq!(
            body(totp_grant("000111", "pat_1", "auth_challenge_01H").unwrap()),
            json!({"grant_type": GRANT_MFA_TOTP, "code": "000111", "pending_authentication_token": "pat_1", "authentication_challenge_id": "auth_challenge_01H"})
        );
        assert_eq!(
            body(organization_selection_grant("pat_1", "org_01H").unwrap()),
            json!({"grant_type": GRANT_ORGANIZATION_SELECTION, "pending_authentication_token": "pat_1", "organization_id": "org_01H"})
        );
        assert_eq!(
            body(password_grant("a@b", "pw", Some("tok")).unwrap()),
            json!({"grant_type": GRANT_PASSWORD, "email": "a@b", "password": "pw", "invitation_token": "tok"})
        );
        assert!(!password_grant("a@b", "pw", None)
            .unwrap()
            .contains_key("invitation_token"));
        for bad in [
            magic_auth_grant("12 34", "a@b", None),
            magic_auth_grant("123456", "nobody", None),
            magic_auth_grant("123456", "a@b", Some("")),
            email_verification_grant("abc", "pat"),
            email_verification_grant("123456", " "),
            totp_grant("123456", "pat", "auth_factor_1"),
            totp_grant("1234567890123456789", "pat", "auth_challenge_1"),
            organization_selection_grant("pat", "user_1"),
            organization_selection_grant("", "org_1"),
            password_grant("a@b", "pw", Some("tok\n")),
        ] {
            assert!(matches!(bad, Err(ApiError::InvalidInput(_))), "{bad:?}");
        }
    }

    #[test]
    fn grants_are_checked_against_their_schema() {
        let ok = grant(json!({
            "grant_type": GRANT_MAGIC_AUTH, "code": "123456", "email": "a@b",
            "ip_address": "", "user_agent": "ua", "invitation_token": null,
        }))
        .unwrap();
        // Empty and null optional fields are left out.
        assert_eq!(
            Value::Object(ok),
            json!({"grant_type": GRANT_MAGIC_AUTH, "code": "123456", "email": "a@b", "user_agent": "ua"})
        );
        assert!(grant(json!({
            "grant_type": GRANT_ORGANIZATION_SELECTION,
            "pending_authentication_token": "p", "organization_id": "org_1",
        }))
        .is_ok());
        // A typed value is WorkOS's to judge, even an empty code.
        assert!(grant(json!({
            "grant_type": GRANT_EMAIL_VERIFICATION, "code": "", "pending_authentication_token": "p",
        }))
        .is_ok());
        for (bad, msg) in [
            (json!({}), "grant_type is required"),
            (json!({"grant_type": "magic"}), "not supported"),
            (
                json!({"grant_type": GRANT_MAGIC_AUTH, "code": "1"}),
                "email is required for the urn:workos:oauth:grant-type:magic-auth:code grant",
            ),
            (
                json!({"grant_type": GRANT_PASSWORD, "email": "a@b", "password": "p", "code": "1"}),
                "code is not a field of the password grant",
            ),
            (
                json!({"grant_type": GRANT_MFA_TOTP, "code": 123456, "pending_authentication_token": "p", "authentication_challenge_id": "auth_challenge_1"}),
                "code must be a string",
            ),
            (
                json!({"grant_type": GRANT_REFRESH_TOKEN, "refresh_token": null}),
                "refresh_token must be a string",
            ),
        ] {
            let err = grant(bad).unwrap_err().to_string();
            assert!(err.contains(msg), "{err}");
        }
    }
}
