//! Invitations (`/user_management/invitations`): sent by a site's admin,
//! looked up by the hosted login from the emailed token, revoked, accepted.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::call::{expect_object, Call};
use super::params::{check_email, check_id, check_text, invalid, prefix};
use super::{ApiError, Client};

/// The body of `POST /user_management/invitations`
/// (CreateUserlandUserInviteOptionsDto); unknown keys are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub email: String,
    pub organization_id: Option<String>,
    pub role_slug: Option<String>,
    /// 1 to 30; WorkOS's default is 7.
    pub expires_in_days: Option<i64>,
    pub inviter_user_id: Option<String>,
    pub locale: Option<String>,
}

const INVITATIONS: [&str; 2] = ["user_management", "invitations"];

impl Call {
    /// `POST /user_management/invitations`: WorkOS emails the invitation.
    pub fn send_invitation(invitation: &NewInvitation) -> Result<Call, ApiError> {
        let mut body = Map::new();
        body.insert(
            "email".into(),
            json!(check_email("email", &invitation.email)?),
        );
        if let Some(org) = &invitation.organization_id {
            body.insert(
                "organization_id".into(),
                json!(check_id("organization_id", prefix::ORGANIZATION, org)?),
            );
        }
        if let Some(role) = &invitation.role_slug {
            if invitation.organization_id.is_none() {
                return Err(invalid("role_slug needs an organization_id"));
            }
            body.insert("role_slug".into(), json!(check_text("role_slug", role)?));
        }
        if let Some(days) = invitation.expires_in_days {
            if !(1..=30).contains(&days) {
                return Err(invalid("expires_in_days must be 1 to 30"));
            }
            body.insert("expires_in_days".into(), json!(days));
        }
        if let Some(inviter) = &invitation.inviter_user_id {
            body.insert(
                "inviter_user_id".into(),
                json!(check_id("inviter_user_id", prefix::USER, inviter)?),
            );
        }
        if let Some(locale) = &invitation.locale {
            let ok = (2..=6).contains(&locale.len())
                && locale
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !ok {
                return Err(invalid("locale must be a language tag such as en or fr-CA"));
            }
            body.insert("locale".into(), json!(locale));
        }
        Ok(Call::post(&INVITATIONS, Some(Value::Object(body))))
    }

    /// `POST /user_management/invitations/{id}/revoke`.
    pub fn revoke_invitation(invitation_id: &str) -> Result<Call, ApiError> {
        let id = check_id("invitation_id", prefix::INVITATION, invitation_id)?;
        Ok(Call::post(
            &[INVITATIONS[0], INVITATIONS[1], id, "revoke"],
            None,
        ))
    }

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
    /// Sends an invitation; answers it (with its `token` and
    /// `accept_invitation_url`).
    pub fn send_invitation(&self, invitation: &NewInvitation) -> Result<Value, ApiError> {
        expect_object(
            "send invitation",
            self.call(&Call::send_invitation(invitation)?)?,
            true,
        )
    }

    /// Revokes a pending invitation; answers it (state `revoked`).
    pub fn revoke_invitation(&self, invitation_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "revoke invitation",
            self.call(&Call::revoke_invitation(invitation_id)?)?,
            true,
        )
    }

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
        let revoke = Call::revoke_invitation("invitation_01H").unwrap();
        assert_eq!(line(&revoke), format!("POST {API}/invitation_01H/revoke"));
        assert_eq!(revoke.body, None);
        assert!(Call::revoke_invitation("org_1").is_err());
        for navigates in ["..", "%2e%2e", "a/b", ""] {
            assert!(
                Call::find_invitation_by_token(navigates).is_err(),
                "{navigates:?}"
            );
        }
    }

    #[test]
    fn send_invitation_posts_the_spec_fields() {
        let invitation = NewInvitation {
            email: "a@example.com".into(),
            organization_id: Some("org_01H".into()),
            role_slug: Some("admin".into()),
            expires_in_days: Some(3),
            inviter_user_id: Some("user_01H".into()),
            locale: Some("fr-CA".into()),
        };
        let call = Call::send_invitation(&invitation).unwrap();
        assert_eq!(line(&call), format!("POST {API}"));
        assert_eq!(
            call.body,
            Some(json!({
                "email": "a@example.com", "organization_id": "org_01H", "role_slug": "admin",
                "expires_in_days": 3, "inviter_user_id": "user_01H", "locale": "fr-CA",
            }))
        );
        let bare = NewInvitation {
            email: "b@example.com".into(),
            ..Default::default()
        };
        assert_eq!(
            Call::send_invitation(&bare).unwrap().body,
            Some(json!({"email": "b@example.com"}))
        );
        for bad in [
            NewInvitation {
                email: "nobody".into(),
                ..Default::default()
            },
            NewInvitation {
                organization_id: Some("user_1".into()),
                ..invitation.clone()
            },
            NewInvitation {
                inviter_user_id: Some("org_1".into()),
                ..invitation.clone()
            },
            NewInvitation {
                expires_in_days: Some(0),
                ..invitation.clone()
            },
            NewInvitation {
                expires_in_days: Some(31),
                ..invitation.clone()
            },
            NewInvitation {
                organization_id: None,
                ..invitation.clone()
            },
            NewInvitation {
                locale: Some("../x".into()),
                ..invitation.clone()
            },
        ] {
            assert!(Call::send_invitation(&bad).is_err(), "{bad:?}");
        }
        // The PHP array is read with unknown keys refused.
        let parsed: Result<NewInvitation, _> =
            super::super::call::parse("invitation", json!({"email": "a@b", "org": "x"}));
        assert!(parsed.is_err());
    }
}
