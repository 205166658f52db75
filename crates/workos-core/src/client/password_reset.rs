//! Password reset (`/user_management/password_reset`). Not used by the
//! plugin yet: the hosted login's "forgot password" will.

use serde_json::{json, Value};

use super::call::{expect_object, Call};
use super::params::{check_email, check_text, invalid};
use super::{ApiError, Client};

impl Call {
    /// `POST /user_management/password_reset`.
    pub fn create_password_reset(email: &str) -> Result<Call, ApiError> {
        Ok(Call::post(
            &["user_management", "password_reset"],
            Some(json!({ "email": check_email("email", email)? })),
        ))
    }

    /// `POST /user_management/password_reset/confirm`.
    pub fn reset_password(token: &str, new_password: &str) -> Result<Call, ApiError> {
        let token = check_text("token", token)?;
        if new_password.is_empty() {
            return Err(invalid("new_password must not be empty"));
        }
        Ok(Call::post(
            &["user_management", "password_reset", "confirm"],
            Some(json!({ "token": token, "new_password": new_password })),
        ))
    }
}

impl Client {
    /// Starts a password reset for the user with `email`: answers the
    /// PasswordReset (`password_reset_token`, `password_reset_url`, …).
    pub fn create_password_reset(&self, email: &str) -> Result<Value, ApiError> {
        expect_object(
            "create password reset",
            self.call(&Call::create_password_reset(email)?)?,
            true,
        )
    }

    /// Sets a new password with a reset token: answers `{user}`.
    pub fn reset_password(&self, token: &str, new_password: &str) -> Result<Value, ApiError> {
        let answer = self.call(&Call::reset_password(token, new_password)?)?;
        if answer.get("user").is_some_and(Value::is_object) {
            Ok(answer)
        } else {
            Err(ApiError::BadResponse(
                "reset password answered without a user".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    #[test]
    fn create_and_confirm_build_their_calls() {
        let call = Call::create_password_reset("a@example.com").unwrap();
        assert_eq!(
            line(&call),
            "POST https://api.workos.com/user_management/password_reset"
        );
        assert_eq!(call.body, Some(json!({"email": "a@example.com"})));
        let confirm = Call::reset_password("tok_1", "n3w pass").unwrap();
        assert_eq!(
            line(&confirm),
            "POST https://api.workos.com/user_management/password_reset/confirm"
        );
        assert_eq!(
            confirm.body,
            Some(json!({"token": "tok_1", "new_password": "n3w pass"}))
        );
        assert!(Call::create_password_reset("nobody").is_err());
        assert!(Call::reset_password("", "x").is_err());
        assert!(Call::reset_password("t", "").is_err());
    }
}
