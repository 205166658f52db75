//! Sessions: `POST /user_management/sessions/revoke` (on WordPress logout).

use serde_json::{json, Value};

use super::call::Call;
use super::params::{check_id, prefix};
use super::{ApiError, Client};

impl Call {
    /// `POST /user_management/sessions/revoke`.
    pub fn revoke_session(session_id: &str) -> Result<Call, ApiError> {
        let id = check_id("session_id", prefix::SESSION, session_id)?;
        Ok(Call::post(
            &["user_management", "sessions", "revoke"],
            Some(json!({ "session_id": id })),
        ))
    }
}

impl Client {
    /// Ends a WorkOS session (its refresh token stops working). WorkOS
    /// answers with an empty body.
    pub fn revoke_session(&self, session_id: &str) -> Result<(), ApiError> {
        self.call(&Call::revoke_session(session_id)?)
            .map(|_: Value| ())
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    #[test]
    fn revoke_posts_the_session_id() {
        let call = Call::revoke_session("session_01H").unwrap();
        assert_eq!(
            line(&call),
            "POST https://api.workos.com/user_management/sessions/revoke"
        );
        assert_eq!(call.body, Some(json!({"session_id": "session_01H"})));
        assert!(Call::revoke_session("").is_err());
        assert!(Call::revoke_session("sess_1").is_err());
    }
}
