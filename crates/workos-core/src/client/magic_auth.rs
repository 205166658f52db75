//! Magic Auth: `POST /user_management/magic_auth` emails a one-time code
//! (the fallback confirmation of a WordPress password sign-in).

use serde_json::{json, Map, Value};

use super::call::{expect_object, Call};
use super::params::{check_email, check_text};
use super::{ApiError, Client};

impl Call {
    /// `POST /user_management/magic_auth`.
    pub fn create_magic_auth(
        email: &str,
        invitation_token: Option<&str>,
    ) -> Result<Call, ApiError> {
        let mut body = Map::new();
        body.insert("email".into(), json!(check_email("email", email)?));
        if let Some(token) = invitation_token {
            body.insert(
                "invitation_token".into(),
                json!(check_text("invitation_token", token)?),
            );
        }
        Ok(Call::post(
            &["user_management", "magic_auth"],
            Some(Value::Object(body)),
        ))
    }
}

impl Client {
    /// Emails a one-time code to `email`; answers the Magic Auth object
    /// (`id`, `user_id`, `email`, `expires_at`, and the `code` itself, for
    /// sites that send their own emails).
    pub fn create_magic_auth(
        &self,
        email: &str,
        invitation_token: Option<&str>,
    ) -> Result<Value, ApiError> {
        expect_object(
            "create magic auth",
            self.call(&Call::create_magic_auth(email, invitation_token)?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    #[test]
    fn create_posts_the_email() {
        let call = Call::create_magic_auth("a@example.com", None).unwrap();
        assert_eq!(
            line(&call),
            "POST https://api.workos.com/user_management/magic_auth"
        );
        assert_eq!(call.body, Some(json!({"email": "a@example.com"})));
        let invited = Call::create_magic_auth("a@example.com", Some("tok")).unwrap();
        assert_eq!(invited.body.unwrap()["invitation_token"], "tok");
        assert!(Call::create_magic_auth("", None).is_err());
        assert!(Call::create_magic_auth("a@b", Some("")).is_err());
    }
}
