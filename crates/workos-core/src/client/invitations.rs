//! Invitations (`/user_management/invitations`). Not used by the plugin yet:
//! the hosted login's sign-up by invitation will.

use serde_json::Value;

use super::call::{expect_object, Call};
use super::params::{check_id, check_text, prefix};
use super::{ApiError, Client};

const INVITATIONS: [&str; 2] = ["user_management", "invitations"];

impl Call {
    /// `GET /user_management/invitations/{id}`.
    pub fn get_invitation(invitation_id: &str) -> Result<Call, ApiError> {
        let id = check_id("invitation_id", prefix::INVITATION, invitation_id)?;
        Ok(Call::get(&[INVITATIONS[0], INVITATIONS[1], id]))
    }

    /// `GET /user_management/invitations/by_token/{token}`: the token comes
    /// from an emailed link, so it is percent-encoded and may not navigate.
    pub fn find_invitation_by_token(token: &str) -> Result<Call, ApiError> {
        let token = check_text("token", token)?;
        super::check_segment(token)?;
        Ok(Call::get(&[
            INVITATIONS[0],
            INVITATIONS[1],
            "by_token",
            token,
        ]))
    }

    /// `POST /user_management/invitations/{id}/accept`.
    pub fn accept_invitation(invitation_id: &str) -> Result<Call, ApiError> {
        let id = check_id("invitation_id", prefix::INVITATION, invitation_id)?;
        Ok(Call::post(
            &[INVITATIONS[0], INVITATIONS[1], id, "accept"],
            None,
        ))
    }
}

impl Client {
    /// An invitation (`email`, `state`, `organization_id`, `token`, …).
    pub fn get_invitation(&self, invitation_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "get invitation",
            self.call(&Call::get_invitation(invitation_id)?)?,
            true,
        )
    }

    /// The invitation an emailed token stands for.
    pub fn find_invitation_by_token(&self, token: &str) -> Result<Value, ApiError> {
        expect_object(
            "find invitation by token",
            self.call(&Call::find_invitation_by_token(token)?)?,
            true,
        )
    }

    /// Accepts an invitation; answers it (state `accepted`).
    pub fn accept_invitation(&self, invitation_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "accept invitation",
            self.call(&Call::accept_invitation(invitation_id)?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    const API: &str = "https://api.workos.com/user_management/invitations";

    #[test]
    fn invitation_calls_encode_their_ids_and_tokens() {
        assert_eq!(
            line(&Call::get_invitation("invitation_01H").unwrap()),
            format!("GET {API}/invitation_01H")
        );
        assert_eq!(
            line(&Call::find_invitation_by_token("Z a?b#c").unwrap()),
            format!("GET {API}/by_token/Z%20a%3Fb%23c")
        );
        let accept = Call::accept_invitation("invitation_01H").unwrap();
        assert_eq!(line(&accept), format!("POST {API}/invitation_01H/accept"));
        assert_eq!(accept.body, None);
        assert!(Call::get_invitation("inv_1").is_err());
        for navigates in ["..", "%2e%2e", "a/b", ""] {
            assert!(
                Call::find_invitation_by_token(navigates).is_err(),
                "{navigates:?}"
            );
        }
    }
}
