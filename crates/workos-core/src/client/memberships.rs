//! Organization memberships (`/user_management/organization_memberships`):
//! list, create (enrolment into the pinned organization), and role updates
//! (role push).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::call::{expect_list, expect_object, Call};
use super::params::{check_id, check_text, invalid, prefix, push_id, Page};
use super::{ApiError, Client};

const MEMBERSHIPS: [&str; 2] = ["user_management", "organization_memberships"];

/// A membership's status, as the `statuses` filter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MembershipStatus {
    Active,
    Inactive,
    Pending,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Active => "active",
            MembershipStatus::Inactive => "inactive",
            MembershipStatus::Pending => "pending",
        }
    }
}

/// Filters of `GET /user_management/organization_memberships`. WorkOS needs
/// a user or an organization, and lists only active memberships unless
/// `statuses` says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipFilters {
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    #[serde(default)]
    pub statuses: Vec<MembershipStatus>,
}

fn check_slug(slug: &str) -> Result<&str, ApiError> {
    let slug = check_text("role_slug", slug)?;
    if slug.chars().any(char::is_whitespace) {
        return Err(invalid("role_slug must not contain spaces"));
    }
    Ok(slug)
}

impl Call {
    /// `GET /user_management/organization_memberships` (one page).
    pub fn list_organization_memberships(
        filters: &MembershipFilters,
        page: &Page,
    ) -> Result<Call, ApiError> {
        if filters.user_id.is_none() && filters.organization_id.is_none() {
            return Err(invalid("give user_id or organization_id (or both)"));
        }
        let mut query = Vec::new();
        push_id(&mut query, "user_id", prefix::USER, &filters.user_id)?;
        push_id(
            &mut query,
            "organization_id",
            prefix::ORGANIZATION,
            &filters.organization_id,
        )?;
        if !filters.statuses.is_empty() {
            // `style: form, explode: false`: one comma-separated value.
            let list: Vec<&str> = filters.statuses.iter().map(|s| s.as_str()).collect();
            query.push(("statuses".into(), list.join(",")));
        }
        page.push_to(&mut query)?;
        Ok(Call::get(&MEMBERSHIPS).with_query(query))
    }

    /// `POST /user_management/organization_memberships`.
    pub fn create_organization_membership(
        user_id: &str,
        organization_id: &str,
        role_slug: Option<&str>,
    ) -> Result<Call, ApiError> {
        let mut body = Map::new();
        body.insert(
            "user_id".into(),
            json!(check_id("user_id", prefix::USER, user_id)?),
        );
        body.insert(
            "organization_id".into(),
            json!(check_id(
                "organization_id",
                prefix::ORGANIZATION,
                organization_id
            )?),
        );
        if let Some(slug) = role_slug {
            body.insert("role_slug".into(), json!(check_slug(slug)?));
        }
        Ok(Call::post(&MEMBERSHIPS, Some(Value::Object(body))))
    }

    /// `PUT /user_management/organization_memberships/{id}` with a role slug.
    pub fn update_organization_membership(
        membership_id: &str,
        role_slug: &str,
    ) -> Result<Call, ApiError> {
        let id = check_id("membership_id", prefix::MEMBERSHIP, membership_id)?;
        Ok(Call::put(
            &[MEMBERSHIPS[0], MEMBERSHIPS[1], id],
            json!({ "role_slug": check_slug(role_slug)? }),
        ))
    }

    /// `DELETE /user_management/organization_memberships/{id}`.
    pub fn delete_organization_membership(membership_id: &str) -> Result<Call, ApiError> {
        let id = check_id("membership_id", prefix::MEMBERSHIP, membership_id)?;
        Ok(Call::new("DELETE", &[MEMBERSHIPS[0], MEMBERSHIPS[1], id]))
    }
}

impl Client {
    /// Ends a membership (WorkOS answers 202 with no body).
    pub fn delete_organization_membership(&self, membership_id: &str) -> Result<(), ApiError> {
        self.call(&Call::delete_organization_membership(membership_id)?)
            .map(|_| ())
    }

    /// One page of memberships: `{data: [membership…], list_metadata}`.
    pub fn list_organization_memberships(
        &self,
        filters: &MembershipFilters,
        page: &Page,
    ) -> Result<Value, ApiError> {
        expect_list(
            "list organization memberships",
            self.call(&Call::list_organization_memberships(filters, page)?)?,
        )
    }

    /// Makes a user a member of an organization; answers the membership.
    pub fn create_organization_membership(
        &self,
        user_id: &str,
        organization_id: &str,
        role_slug: Option<&str>,
    ) -> Result<Value, ApiError> {
        expect_object(
            "create organization membership",
            self.call(&Call::create_organization_membership(
                user_id,
                organization_id,
                role_slug,
            )?)?,
            true,
        )
    }

    /// Sets a membership's role; answers the membership.
    pub fn update_organization_membership(
        &self,
        membership_id: &str,
        role_slug: &str,
    ) -> Result<Value, ApiError> {
        expect_object(
            "update organization membership",
            self.call(&Call::update_organization_membership(
                membership_id,
                role_slug,
            )?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::line;
    use super::*;

    const API: &str = "https://api.workos.com/user_management/organization_memberships";

    #[test]
    fn delete_names_the_membership_and_checks_its_id() {
        let call = Call::delete_organization_membership("om_01H").unwrap();
        assert_eq!(line(&call), format!("DELETE {API}/om_01H"));
        assert!(Call::delete_organization_membership("user_1").is_err());
    }

    #[test]
    fn list_needs_a_user_or_an_organization_and_joins_statuses() {
        let call = Call::list_organization_memberships(
            &MembershipFilters {
                user_id: Some("user_1".into()),
                organization_id: Some("org_1".into()),
                statuses: vec![MembershipStatus::Active, MembershipStatus::Pending],
            },
            &Page::default(),
        )
        .unwrap();
        assert_eq!(
            line(&call),
            format!("GET {API}?user_id=user_1&organization_id=org_1&statuses=active%2Cpending")
        );
        assert!(Call::list_organization_memberships(
            &MembershipFilters::default(),
            &Page::default()
        )
        .unwrap_err()
        .to_string()
        .contains("user_id or organization_id"));
        let wrong = MembershipFilters {
            user_id: Some("org_1".into()),
            ..MembershipFilters::default()
        };
        assert!(Call::list_organization_memberships(&wrong, &Page::default()).is_err());
        let parsed: (MembershipFilters, Page) = super::super::call::parse_list(
            "params",
            json!({"organization_id": "org_1", "statuses": ["inactive"], "limit": 1}),
        )
        .unwrap();
        assert_eq!(parsed.0.statuses, vec![MembershipStatus::Inactive]);
        assert!(super::super::call::parse_list::<MembershipFilters>(
            "params",
            json!({"user_id": "user_1", "statuses": ["gone"]}),
        )
        .is_err());
    }

    #[test]
    fn create_and_update_build_their_bodies() {
        let call = Call::create_organization_membership("user_1", "org_1", None).unwrap();
        assert_eq!(line(&call), format!("POST {API}"));
        assert_eq!(
            call.body,
            Some(json!({"user_id": "user_1", "organization_id": "org_1"}))
        );
        let with_role =
            Call::create_organization_membership("user_1", "org_1", Some("admin")).unwrap();
        assert_eq!(with_role.body.unwrap()["role_slug"], "admin");
        assert!(Call::create_organization_membership("user_1", "acme", None).is_err());
        let update = Call::update_organization_membership("om_01H", "editor").unwrap();
        assert_eq!(line(&update), format!("PUT {API}/om_01H"));
        assert_eq!(update.body, Some(json!({"role_slug": "editor"})));
        assert!(Call::update_organization_membership("om_1", "").is_err());
        assert!(Call::update_organization_membership("om_1", "an admin").is_err());
        assert!(Call::update_organization_membership("user_1", "admin").is_err());
    }
}
