//! Multi-factor authentication: TOTP enrolment of a user
//! (`/user_management/users/{id}/auth_factors`), SMS factors of the MFA API
//! (`/auth/factors/enroll`), challenges and their verification
//! (`/auth/factors/{id}/challenge`, `/auth/challenges/{id}/verify`).
//! The hosted login's MFA steps and a user's own factor list use them.

use serde_json::{json, Map, Value};

use super::call::{expect_list, expect_object, Call};
use super::params::{check_id, check_text, invalid, prefix, Page};
use super::{ApiError, Client};

impl Call {
    /// `POST /user_management/users/{id}/auth_factors` with a TOTP factor.
    pub fn enroll_auth_factor(
        user_id: &str,
        totp_issuer: Option<&str>,
        totp_user: Option<&str>,
    ) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        let mut body = Map::new();
        // The only factor type this endpoint enrols.
        body.insert("type".into(), json!("totp"));
        if let Some(issuer) = totp_issuer {
            body.insert(
                "totp_issuer".into(),
                json!(check_text("totp_issuer", issuer)?),
            );
        }
        if let Some(user) = totp_user {
            body.insert("totp_user".into(), json!(check_text("totp_user", user)?));
        }
        Ok(Call::post(
            &["user_management", "users", id, "auth_factors"],
            Some(Value::Object(body)),
        ))
    }

    /// `POST /auth/factors/enroll` with an SMS factor for `phone_number`
    /// (E.164: `+`, then 8–15 digits), associated with `user_id` when given.
    pub fn enroll_sms_factor(phone_number: &str, user_id: Option<&str>) -> Result<Call, ApiError> {
        let phone = phone_number.trim();
        let digits = phone.strip_prefix('+').unwrap_or("");
        if !(8..=15).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(invalid(
                "phone_number must be in E.164 format: + and the country code, 8 to 15 digits",
            ));
        }
        let mut body = Map::new();
        body.insert("type".into(), json!("sms"));
        body.insert("phone_number".into(), json!(phone));
        if let Some(user_id) = user_id {
            body.insert(
                "user_id".into(),
                json!(check_id("user_id", prefix::USER, user_id)?),
            );
        }
        Ok(Call::post(
            &["auth", "factors", "enroll"],
            Some(Value::Object(body)),
        ))
    }

    /// `GET /auth/factors/{id}`.
    pub fn get_auth_factor(factor_id: &str) -> Result<Call, ApiError> {
        let id = check_id("factor_id", prefix::AUTH_FACTOR, factor_id)?;
        Ok(Call::get(&["auth", "factors", id]))
    }

    /// `GET /user_management/users/{id}/auth_factors`.
    pub fn list_auth_factors(user_id: &str, page: &Page) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        let mut query = Vec::new();
        page.push_to(&mut query)?;
        Ok(Call::get(&["user_management", "users", id, "auth_factors"]).with_query(query))
    }

    /// `DELETE /auth/factors/{id}`.
    pub fn delete_auth_factor(factor_id: &str) -> Result<Call, ApiError> {
        let id = check_id("factor_id", prefix::AUTH_FACTOR, factor_id)?;
        Ok(Call::new("DELETE", &["auth", "factors", id]))
    }

    /// `POST /auth/factors/{id}/challenge`.
    pub fn challenge_auth_factor(factor_id: &str) -> Result<Call, ApiError> {
        let id = check_id("factor_id", prefix::AUTH_FACTOR, factor_id)?;
        Ok(Call::post(
            &["auth", "factors", id, "challenge"],
            Some(json!({})),
        ))
    }

    /// `POST /auth/challenges/{id}/verify`.
    pub fn verify_auth_challenge(challenge_id: &str, code: &str) -> Result<Call, ApiError> {
        let id = check_id("challenge_id", prefix::AUTH_CHALLENGE, challenge_id)?;
        let code = check_text("code", code)?;
        if !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid("code must be digits"));
        }
        Ok(Call::post(
            &["auth", "challenges", id, "verify"],
            Some(json!({ "code": code })),
        ))
    }
}

impl Client {
    /// Enrols a TOTP factor: answers `{authentication_factor (with the
    /// QR code and secret), authentication_challenge}`.
    pub fn enroll_auth_factor(
        &self,
        user_id: &str,
        totp_issuer: Option<&str>,
        totp_user: Option<&str>,
    ) -> Result<Value, ApiError> {
        let answer = self.call(&Call::enroll_auth_factor(user_id, totp_issuer, totp_user)?)?;
        if answer
            .get("authentication_factor")
            .is_some_and(Value::is_object)
        {
            Ok(answer)
        } else {
            Err(ApiError::BadResponse(
                "enroll auth factor answered without a factor".into(),
            ))
        }
    }

    /// Enrols an SMS factor (MFA API): answers the factor
    /// (`{id, type: "sms", sms: {phone_number}, …}`). WorkOS texts nothing
    /// until the factor is challenged.
    pub fn enroll_sms_factor(
        &self,
        phone_number: &str,
        user_id: Option<&str>,
    ) -> Result<Value, ApiError> {
        expect_object(
            "enroll sms factor",
            self.call(&Call::enroll_sms_factor(phone_number, user_id)?)?,
            true,
        )
    }

    /// One factor (no secrets).
    pub fn get_auth_factor(&self, factor_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "get auth factor",
            self.call(&Call::get_auth_factor(factor_id)?)?,
            true,
        )
    }

    /// One page of the user's factors (`{data, list_metadata}`; no secrets).
    pub fn list_auth_factors(&self, user_id: &str, page: &Page) -> Result<Value, ApiError> {
        expect_list(
            "list auth factors",
            self.call(&Call::list_auth_factors(user_id, page)?)?,
        )
    }

    /// Removes a factor for good.
    pub fn delete_auth_factor(&self, factor_id: &str) -> Result<(), ApiError> {
        self.call(&Call::delete_auth_factor(factor_id)?).map(|_| ())
    }

    /// Starts a challenge of a factor; answers the challenge.
    pub fn challenge_auth_factor(&self, factor_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "challenge auth factor",
            self.call(&Call::challenge_auth_factor(factor_id)?)?,
            true,
        )
    }

    /// Checks a code against a challenge: answers `{challenge, valid}`.
    pub fn verify_auth_challenge(&self, challenge_id: &str, code: &str) -> Result<Value, ApiError> {
        let answer = self.call(&Call::verify_auth_challenge(challenge_id, code)?)?;
        if answer.get("valid").is_some_and(Value::is_boolean) {
            Ok(answer)
        } else {
            Err(ApiError::BadResponse(
                "verify challenge answered without valid".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    #[test]
    fn factor_calls_build_their_urls_and_bodies() {
        let enroll = Call::enroll_auth_factor("user_1", Some("My Site"), Some("a@b")).unwrap();
        assert_eq!(
            line(&enroll),
            "POST https://api.workos.com/user_management/users/user_1/auth_factors"
        );
        assert_eq!(
            enroll.body,
            Some(json!({"type": "totp", "totp_issuer": "My Site", "totp_user": "a@b"}))
        );
        let challenge = Call::challenge_auth_factor("auth_factor_01H").unwrap();
        assert_eq!(
            line(&challenge),
            "POST https://api.workos.com/auth/factors/auth_factor_01H/challenge"
        );
        let verify = Call::verify_auth_challenge("auth_challenge_01H", "123456").unwrap();
        assert_eq!(
            line(&verify),
            "POST https://api.workos.com/auth/challenges/auth_challenge_01H/verify"
        );
        assert_eq!(verify.body, Some(json!({"code": "123456"})));
        assert!(Call::enroll_auth_factor("org_1", None, None).is_err());
        let list = Call::list_auth_factors("user_1", &Page::default()).unwrap();
        assert_eq!(
            line(&list),
            "GET https://api.workos.com/user_management/users/user_1/auth_factors"
        );
        let delete = Call::delete_auth_factor("auth_factor_01H").unwrap();
        assert_eq!(
            line(&delete),
            "DELETE https://api.workos.com/auth/factors/auth_factor_01H"
        );
        assert!(Call::delete_auth_factor("auth_challenge_1").is_err());
        assert!(Call::list_auth_factors("auth_factor_1", &Page::default()).is_err());
        assert!(Call::challenge_auth_factor("auth_challenge_1").is_err());
        assert!(Call::verify_auth_challenge("auth_challenge_1", "12a456").is_err());
        assert!(Call::verify_auth_challenge("auth_factor_1", "123456").is_err());
    }

    #[test]
    fn sms_factor_calls() {
        let enroll = Call::enroll_sms_factor(" +15005550006 ", Some("user_1")).unwrap();
        assert_eq!(
            line(&enroll),
            "POST https://api.workos.com/auth/factors/enroll"
        );
        assert_eq!(
            enroll.body,
            Some(json!({"type": "sms", "phone_number": "+15005550006", "user_id": "user_1"}))
        );
        let alone = Call::enroll_sms_factor("+447700900123", None).unwrap();
        assert_eq!(
            alone.body,
            Some(json!({"type": "sms", "phone_number": "+447700900123"}))
        );
        for bad in [
            "15005550006",
            "+1 500 555",
            "+0123456789",
            "+1234567890123456",
            "",
        ] {
            assert!(Call::enroll_sms_factor(bad, None).is_err(), "{bad}");
        }
        assert!(Call::enroll_sms_factor("+15005550006", Some("org_1")).is_err());
        let get = Call::get_auth_factor("auth_factor_01H").unwrap();
        assert_eq!(
            line(&get),
            "GET https://api.workos.com/auth/factors/auth_factor_01H"
        );
        assert!(Call::get_auth_factor("user_1").is_err());
    }
}
