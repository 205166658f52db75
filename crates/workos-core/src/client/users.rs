//! User Management users: get, list, create, update (`/user_management/users`),
//! and the per-user email steps the hosted login will use (email
//! verification, email change).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::call::{body_of, expect_list, expect_object, Call};
use super::params::{
    check_email, check_external_id, check_id, check_text, invalid, prefix, push_id, Page,
};
use super::{ApiError, Client};

const USERS: [&str; 2] = ["user_management", "users"];

/// Filters of `GET /user_management/users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserFilters {
    pub email: Option<String>,
    pub organization_id: Option<String>,
}

/// Body of `POST /user_management/users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// Body of `PUT /user_management/users/{id}`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

fn check_password(password: &Option<String>) -> Result<(), ApiError> {
    match password {
        Some(p) if p.is_empty() => Err(invalid("password must not be empty")),
        _ => Ok(()),
    }
}

impl Call {
    /// `GET /user_management/users/{id}`.
    pub fn get_user(user_id: &str) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        Ok(Call::get(&[USERS[0], USERS[1], id]))
    }

    /// `GET /user_management/users` (one page).
    pub fn list_users(filters: &UserFilters, page: &Page) -> Result<Call, ApiError> {
        let mut query = Vec::new();
        if let Some(email) = &filters.email {
            query.push(("email".into(), check_email("email", email)?.to_string()));
        }
        push_id(
            &mut query,
            "organization_id",
            prefix::ORGANIZATION,
            &filters.organization_id,
        )?;
        page.push_to(&mut query)?;
        Ok(Call::get(&USERS).with_query(query))
    }

    /// `POST /user_management/users`.
    pub fn create_user(user: &NewUser) -> Result<Call, ApiError> {
        check_email("email", &user.email)?;
        check_password(&user.password)?;
        if let Some(e) = &user.external_id {
            check_external_id("external_id", e)?;
        }
        Ok(Call::post(&USERS, Some(body_of(user))))
    }

    /// `PUT /user_management/users/{id}`.
    pub fn update_user(user_id: &str, changes: &UserChanges) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        if changes == &UserChanges::default() {
            return Err(invalid("changes must name at least one field to update"));
        }
        if let Some(email) = &changes.email {
            check_email("email", email)?;
        }
        check_password(&changes.password)?;
        if let Some(e) = &changes.external_id {
            check_external_id("external_id", e)?;
        }
        if let Some(l) = &changes.locale {
            check_text("locale", l)?;
        }
        Ok(Call::put(&[USERS[0], USERS[1], id], body_of(changes)))
    }

    /// `POST /user_management/users/{id}/email_verification/send`.
    pub fn send_verification_email(user_id: &str) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        Ok(Call::post(
            &[USERS[0], USERS[1], id, "email_verification", "send"],
            None,
        ))
    }

    /// `POST /user_management/users/{id}/email_verification/confirm`.
    pub fn verify_email(user_id: &str, code: &str) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        let code = check_text("code", code)?;
        Ok(Call::post(
            &[USERS[0], USERS[1], id, "email_verification", "confirm"],
            Some(json!({ "code": code })),
        ))
    }

    /// `POST /user_management/users/{id}/email_change/send`.
    pub fn send_email_change(user_id: &str, new_email: &str) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        let email = check_email("new_email", new_email)?;
        Ok(Call::post(
            &[USERS[0], USERS[1], id, "email_change", "send"],
            Some(json!({ "new_email": email })),
        ))
    }

    /// `POST /user_management/users/{id}/email_change/confirm`.
    pub fn confirm_email_change(user_id: &str, code: &str) -> Result<Call, ApiError> {
        let id = check_id("user_id", prefix::USER, user_id)?;
        let code = check_text("code", code)?;
        Ok(Call::post(
            &[USERS[0], USERS[1], id, "email_change", "confirm"],
            Some(json!({ "code": code })),
        ))
    }
}

impl Client {
    /// A user (`UserlandUser`).
    pub fn get_user(&self, user_id: &str) -> Result<Value, ApiError> {
        expect_object("get user", self.call(&Call::get_user(user_id)?)?, true)
    }

    /// One page of users: `{data: [user…], list_metadata: {before, after}}`.
    pub fn list_users(&self, filters: &UserFilters, page: &Page) -> Result<Value, ApiError> {
        expect_list("list users", self.call(&Call::list_users(filters, page)?)?)
    }

    /// Creates a user; answers the new user.
    pub fn create_user(&self, user: &NewUser) -> Result<Value, ApiError> {
        expect_object("create user", self.call(&Call::create_user(user)?)?, true)
    }

    /// Updates the given fields of a user (a password given is set as the
    /// user's password); answers the updated user.
    pub fn update_user(&self, user_id: &str, changes: &UserChanges) -> Result<Value, ApiError> {
        expect_object(
            "update user",
            self.call(&Call::update_user(user_id, changes)?)?,
            true,
        )
    }

    /// Emails the user a verification code. Not used by the plugin yet (the
    /// hosted login will).
    pub fn send_verification_email(&self, user_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "send verification email",
            self.call(&Call::send_verification_email(user_id)?)?,
            false,
        )
    }

    /// Confirms a user's email with the emailed code. Not used yet.
    pub fn verify_email(&self, user_id: &str, code: &str) -> Result<Value, ApiError> {
        expect_object(
            "verify email",
            self.call(&Call::verify_email(user_id, code)?)?,
            false,
        )
    }

    /// Emails a code to the user's new address. Not used yet.
    pub fn send_email_change(&self, user_id: &str, new_email: &str) -> Result<Value, ApiError> {
        expect_object(
            "send email change",
            self.call(&Call::send_email_change(user_id, new_email)?)?,
            false,
        )
    }

    /// Confirms an email change with the code sent to the new address. Not
    /// used yet.
    pub fn confirm_email_change(&self, user_id: &str, code: &str) -> Result<Value, ApiError> {
        expect_object(
            "confirm email change",
            self.call(&Call::confirm_email_change(user_id, code)?)?,
            false,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;
    use crate::client::Order;

    const API: &str = "https://api.workos.com/user_management/users";

    #[test]
    fn get_and_list_build_their_urls() {
        assert_eq!(
            line(&Call::get_user("user_01H").unwrap()),
            format!("GET {API}/user_01H")
        );
        let call = Call::list_users(
            &UserFilters {
                email: Some("a+b@example.com".into()),
                organization_id: Some("org_1".into()),
            },
            &Page {
                limit: Some(1),
                order: Some(Order::Desc),
                ..Page::default()
            },
        )
        .unwrap();
        assert_eq!(
            line(&call),
            format!("GET {API}?email=a%2Bb%40example.com&organization_id=org_1&limit=1&order=desc")
        );
        assert_eq!(
            line(&Call::list_users(&UserFilters::default(), &Page::default()).unwrap()),
            format!("GET {API}")
        );
        assert!(Call::get_user("org_1").is_err());
        assert!(Call::get_user("..").is_err());
        let bad_org = UserFilters {
            organization_id: Some("acme".into()),
            ..UserFilters::default()
        };
        assert!(Call::list_users(&bad_org, &Page::default())
            .unwrap_err()
            .to_string()
            .contains("organization_id"));
        let bad_email = UserFilters {
            email: Some("nobody".into()),
            ..UserFilters::default()
        };
        assert!(Call::list_users(&bad_email, &Page::default()).is_err());
    }

    #[test]
    fn create_sends_only_the_fields_given() {
        let user = NewUser {
            email: "a@example.com".into(),
            first_name: Some("".into()),
            last_name: Some("B".into()),
            ..NewUser::default()
        };
        let call = Call::create_user(&user).unwrap();
        assert_eq!(line(&call), format!("POST {API}"));
        assert_eq!(
            call.body,
            Some(json!({"email": "a@example.com", "first_name": "", "last_name": "B"}))
        );
        for (bad, msg) in [
            (
                NewUser {
                    email: "".into(),
                    ..NewUser::default()
                },
                "email must not be empty",
            ),
            (
                NewUser {
                    email: "a@b".into(),
                    password: Some("".into()),
                    ..NewUser::default()
                },
                "password must not be empty",
            ),
            (
                NewUser {
                    email: "a@b".into(),
                    external_id: Some("é".into()),
                    ..NewUser::default()
                },
                "external_id",
            ),
        ] {
            assert!(
                Call::create_user(&bad)
                    .unwrap_err()
                    .to_string()
                    .contains(msg),
                "{msg}"
            );
        }
        let parsed: NewUser = super::super::call::parse(
            "user",
            json!({"email": "a@b", "password": "pw", "email_verified": false}),
        )
        .unwrap();
        assert_eq!(
            Call::create_user(&parsed).unwrap().body,
            Some(json!({"email": "a@b", "password": "pw", "email_verified": false}))
        );
        assert!(super::super::call::parse::<NewUser>("user", json!({"emial": "a@b"})).is_err());
        assert!(super::super::call::parse::<NewUser>("user", json!({})).is_err());
    }

    #[test]
    fn update_sends_the_changes_and_refuses_none() {
        let changes = UserChanges {
            password: Some("correct horse".into()),
            ..UserChanges::default()
        };
        let call = Call::update_user("user_1", &changes).unwrap();
        assert_eq!(line(&call), format!("PUT {API}/user_1"));
        assert_eq!(call.body, Some(json!({"password": "correct horse"})));
        assert!(Call::update_user("user_1", &UserChanges::default())
            .unwrap_err()
            .to_string()
            .contains("at least one field"));
        assert!(Call::update_user("om_1", &changes).is_err());
        let bad_email = UserChanges {
            email: Some("x".into()),
            ..UserChanges::default()
        };
        assert!(Call::update_user("user_1", &bad_email).is_err());
    }

    #[test]
    fn email_steps_build_their_urls_and_bodies() {
        let send = Call::send_verification_email("user_1").unwrap();
        assert_eq!(
            line(&send),
            format!("POST {API}/user_1/email_verification/send")
        );
        assert_eq!(send.body, None);
        let confirm = Call::verify_email("user_1", "123456").unwrap();
        assert_eq!(
            line(&confirm),
            format!("POST {API}/user_1/email_verification/confirm")
        );
        assert_eq!(confirm.body, Some(json!({"code": "123456"})));
        let change = Call::send_email_change("user_1", "new@example.com").unwrap();
        assert_eq!(
            line(&change),
            format!("POST {API}/user_1/email_change/send")
        );
        assert_eq!(change.body, Some(json!({"new_email": "new@example.com"})));
        let done = Call::confirm_email_change("user_1", "654321").unwrap();
        assert_eq!(
            line(&done),
            format!("POST {API}/user_1/email_change/confirm")
        );
        assert!(Call::verify_email("user_1", "").is_err());
        assert!(Call::send_email_change("user_1", "not an email").is_err());
        assert!(Call::confirm_email_change("org_1", "1").is_err());
    }
}
