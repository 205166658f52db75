//! Checks shared by the typed endpoint methods: WorkOS ids, email addresses,
//! opaque tokens, and the paging parameters every WorkOS list endpoint takes.
//!
//! A malformed argument fails here, before any network trip, with a message
//! that names the argument; WorkOS would only answer 404 or 422 after a
//! round trip (and a wrong id in a path could name another endpoint, which
//! [`super::check_segment`] already refuses on top of this).

use serde::{Deserialize, Serialize};

use super::ApiError;

/// Longest id body accepted after the prefix (WorkOS ids are a 26-character
/// ULID; test fixtures use readable names).
pub const MAX_ID_BODY: usize = 64;
/// Longest email address (RFC 5321: 64 + 1 + 255).
pub const MAX_EMAIL_LEN: usize = 320;
/// Longest opaque token or cursor sent (codes, invitation tokens, pending
/// authentication tokens are far shorter).
pub const MAX_TOKEN_LEN: usize = 4096;
/// WorkOS lists return 1 to 100 objects per page.
pub const MAX_PAGE_LIMIT: u32 = 100;

pub(crate) fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::InvalidInput(msg.into())
}

/// The id prefixes of the WorkOS objects the client names.
pub mod prefix {
    pub const USER: &str = "user";
    pub const ORGANIZATION: &str = "org";
    pub const MEMBERSHIP: &str = "om";
    pub const DIRECTORY: &str = "directory";
    pub const SESSION: &str = "session";
    pub const INVITATION: &str = "invitation";
    pub const AUTH_FACTOR: &str = "auth_factor";
    pub const AUTH_CHALLENGE: &str = "auth_challenge";
    pub const CONNECTION: &str = "conn";
}

/// Checks that `value` is shaped like a WorkOS id of the given kind:
/// `{prefix}_` then 1 to [`MAX_ID_BODY`] ASCII letters, digits or `_`.
pub fn check_id<'a>(name: &str, prefix: &str, value: &'a str) -> Result<&'a str, ApiError> {
    // A value that would navigate the URL path is reported as such first:
    // that is an attack, not a typo.
    super::check_segment(value)?;
    let body = value
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('_'));
    let ok = body.is_some_and(|b| {
        !b.is_empty()
            && b.len() <= MAX_ID_BODY
            && b.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
    });
    if ok {
        Ok(value)
    } else {
        Err(invalid(format!(
            "{name} {:?} is not a WorkOS id ({prefix}_…)",
            shorten(value)
        )))
    }
}

/// Checks the shape of an email address WorkOS is asked about: one mailbox,
/// `local@domain`, no spaces or control characters. The address is sent as
/// given (WorkOS decides what it accepts); this only stops what cannot be one.
pub fn check_email<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    let refuse = |why: &str| Err(invalid(format!("{name} {why}")));
    if value.is_empty() {
        return refuse("must not be empty");
    }
    if value.len() > MAX_EMAIL_LEN {
        return refuse("is too long for an email address");
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == ';')
    {
        return refuse("must be one email address without spaces");
    }
    match value.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => Ok(value),
        _ => refuse("must be an email address (name@domain)"),
    }
}

/// Checks an opaque value (a code, a token, a cursor, a name): non-empty,
/// bounded, without control characters.
pub fn check_text<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if value.trim().is_empty() {
        return Err(invalid(format!("{name} must not be empty")));
    }
    if value.len() > MAX_TOKEN_LEN {
        return Err(invalid(format!("{name} is too long")));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(format!(
            "{name} must not contain control characters"
        )));
    }
    Ok(value)
}

/// An `external_id` as the spec allows it: 1 to 128 ASCII characters.
pub fn check_external_id<'a>(name: &str, value: &'a str) -> Result<&'a str, ApiError> {
    if value.is_empty() || value.len() > 128 || !value.is_ascii() {
        return Err(invalid(format!("{name} must be 1 to 128 ASCII characters")));
    }
    check_text(name, value)
}

fn shorten(value: &str) -> String {
    value.chars().take(80).collect()
}

/// Sort order of a WorkOS list (by creation time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    Asc,
    Desc,
    /// Newest first, with `before` fetching older objects.
    Normal,
}

impl Order {
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
            Order::Normal => "normal",
        }
    }
}

/// The paging parameters of every WorkOS list endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub limit: Option<u32>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub order: Option<Order>,
}

impl Page {
    /// Checks the values and appends them as query pairs.
    pub(crate) fn push_to(&self, query: &mut Vec<(String, String)>) -> Result<(), ApiError> {
        if let Some(limit) = self.limit {
            if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
                return Err(invalid(format!(
                    "limit must be 1 to {MAX_PAGE_LIMIT}, got {limit}"
                )));
            }
            query.push(("limit".into(), limit.to_string()));
        }
        if self.before.is_some() && self.after.is_some() {
            return Err(invalid("give before or after, not both"));
        }
        for (key, cursor) in [("before", &self.before), ("after", &self.after)] {
            if let Some(c) = cursor {
                query.push((key.into(), check_text(key, c)?.to_string()));
            }
        }
        if let Some(order) = self.order {
            query.push(("order".into(), order.as_str().into()));
        }
        Ok(())
    }
}

/// Appends an optional id filter after checking its shape.
pub(crate) fn push_id(
    query: &mut Vec<(String, String)>,
    name: &str,
    prefix: &str,
    value: &Option<String>,
) -> Result<(), ApiError> {
    if let Some(v) = value {
        query.push((name.into(), check_id(name, prefix, v)?.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_need_their_prefix_and_a_plain_body() {
        for good in [
            "user_01HXYZ123456789ABCDEFGHIJ",
            "user_SQL_NEW",
            "user_nobody",
        ] {
            assert!(check_id("user_id", prefix::USER, good).is_ok(), "{good}");
        }
        for navigates in ["", "..", "%2e%2E", "user_1/x", "user\0"] {
            let err = check_id("user_id", prefix::USER, navigates).unwrap_err();
            assert!(
                err.to_string().contains("path segment"),
                "{navigates:?}: {err}"
            );
        }
        for bad in [
            "user",
            "user_",
            "users_1",
            "org_1",
            "user_1 ",
            "user_é",
            "user_1%41",
            "USER_1",
            "user-1",
            &format!("user_{}", "a".repeat(MAX_ID_BODY + 1)),
        ] {
            let err = check_id("user_id", prefix::USER, bad).unwrap_err();
            assert!(
                err.to_string().contains("user_id") && err.to_string().contains("user_…"),
                "{bad}: {err}"
            );
        }
        // A prefix is matched whole: `org` does not accept `organization_1`.
        assert!(check_id("organization_id", prefix::ORGANIZATION, "organization_1").is_err());
        assert!(check_id("id", prefix::AUTH_FACTOR, "auth_factor_01H").is_ok());
        assert!(check_id("id", prefix::AUTH_FACTOR, "auth_challenge_01H").is_err());
    }

    #[test]
    fn emails_are_one_mailbox() {
        for good in [
            "a@b",
            "a+tag@example.com",
            "\"odd\"@example.com",
            "ü@exämple.de",
        ] {
            assert!(check_email("email", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a",
            "@b",
            "a@",
            "a b@c",
            "a@b,c@d",
            "a@b\n",
            &format!("{}@b", "a".repeat(MAX_EMAIL_LEN)),
        ] {
            assert!(
                check_email("email", bad)
                    .unwrap_err()
                    .to_string()
                    .starts_with("invalid argument: email"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn paging_is_checked_and_encoded_in_order() {
        let mut q = Vec::new();
        Page {
            limit: Some(100),
            after: Some("org_2".into()),
            order: Some(Order::Desc),
            ..Page::default()
        }
        .push_to(&mut q)
        .unwrap();
        assert_eq!(
            q,
            [("limit", "100"), ("after", "org_2"), ("order", "desc")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        for (page, msg) in [
            (
                Page {
                    limit: Some(0),
                    ..Page::default()
                },
                "limit must be 1 to 100",
            ),
            (
                Page {
                    limit: Some(101),
                    ..Page::default()
                },
                "limit must be 1 to 100",
            ),
            (
                Page {
                    before: Some("a".into()),
                    after: Some("b".into()),
                    ..Page::default()
                },
                "not both",
            ),
            (
                Page {
                    after: Some(" ".into()),
                    ..Page::default()
                },
                "after must not be empty",
            ),
        ] {
            let err = page.push_to(&mut Vec::new()).unwrap_err();
            assert!(err.to_string().contains(msg), "{err}");
        }
    }

    #[test]
    fn text_and_external_ids_are_bounded() {
        assert!(check_text("code", "123456").is_ok());
        assert!(check_text("code", "").is_err());
        assert!(check_text("code", "12\u{0}3").is_err());
        assert!(check_text("code", &"x".repeat(MAX_TOKEN_LEN + 1)).is_err());
        assert!(check_external_id("external_id", "wp-42").is_ok());
        assert!(check_external_id("external_id", "wp-ü").is_err());
        assert!(check_external_id("external_id", &"x".repeat(129)).is_err());
    }
}
