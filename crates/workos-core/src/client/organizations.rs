//! Organizations (`/organizations`): get, list (one page or every page up to
//! a bound, for the admin picker), create.

use serde::Deserialize;
use serde_json::{json, Value};

use super::call::{expect_list, expect_object, Call};
use super::params::{check_id, check_text, invalid, prefix, Page, MAX_PAGE_LIMIT};
use super::{ApiError, Client};

const ORGANIZATIONS: &str = "organizations";
/// Longest organization name sent (WorkOS's own limit is not published;
/// this only bounds what a form can send).
pub const MAX_NAME_LEN: usize = 255;

/// Filters of `GET /organizations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationFilters {
    /// Organizations with any of these domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Organizations whose name matches.
    pub search: Option<String>,
}

impl Call {
    /// `GET /organizations/{id}`.
    pub fn get_organization(organization_id: &str) -> Result<Call, ApiError> {
        let id = check_id("organization_id", prefix::ORGANIZATION, organization_id)?;
        Ok(Call::get(&[ORGANIZATIONS, id]))
    }

    /// `GET /organizations` (one page).
    pub fn list_organizations(
        filters: &OrganizationFilters,
        page: &Page,
    ) -> Result<Call, ApiError> {
        let mut query = Vec::new();
        if !filters.domains.is_empty() {
            for d in &filters.domains {
                let d = check_text("domains", d)?;
                if d.contains(',') || d.chars().any(char::is_whitespace) {
                    return Err(invalid(format!("domains: {d:?} is not a domain")));
                }
            }
            // `style: form, explode: false`: one comma-separated value.
            query.push(("domains".into(), filters.domains.join(",")));
        }
        if let Some(s) = &filters.search {
            query.push(("search".into(), check_text("search", s)?.to_string()));
        }
        page.push_to(&mut query)?;
        Ok(Call::get(&[ORGANIZATIONS]).with_query(query))
    }

    /// `POST /organizations` with a name.
    pub fn create_organization(name: &str) -> Result<Call, ApiError> {
        let name = check_text("name", name)?;
        if name.chars().count() > MAX_NAME_LEN {
            return Err(invalid(format!(
                "name must be at most {MAX_NAME_LEN} characters"
            )));
        }
        Ok(Call::post(&[ORGANIZATIONS], Some(json!({ "name": name }))))
    }
}

impl Client {
    /// An organization (with its `domains` and their `state`).
    pub fn get_organization(&self, organization_id: &str) -> Result<Value, ApiError> {
        expect_object(
            "get organization",
            self.call(&Call::get_organization(organization_id)?)?,
            true,
        )
    }

    /// One page of organizations: `{data: [organization…], list_metadata}`.
    pub fn list_organizations(
        &self,
        filters: &OrganizationFilters,
        page: &Page,
    ) -> Result<Value, ApiError> {
        expect_list(
            "list organizations",
            self.call(&Call::list_organizations(filters, page)?)?,
        )
    }

    /// Every organization matching, page after page (100 a page unless
    /// `page.limit` says otherwise), following `list_metadata.after` until
    /// WorkOS has no more or `max` are collected. A failure of the first page
    /// is an error; a failure of a later page ends the walk with what was
    /// collected (an admin picker with most organizations beats none).
    pub fn list_all_organizations(
        &self,
        filters: &OrganizationFilters,
        page: &Page,
        max: usize,
    ) -> Result<Vec<Value>, ApiError> {
        if page.before.is_some() {
            return Err(invalid("list all pages forward: before is not allowed"));
        }
        let mut page = Page {
            limit: Some(page.limit.unwrap_or(MAX_PAGE_LIMIT)),
            ..page.clone()
        };
        let mut all = Vec::new();
        while all.len() < max {
            let answer = match self.list_organizations(filters, &page) {
                Ok(answer) => answer,
                Err(e) if all.is_empty() && page.after.is_none() => return Err(e),
                Err(_) => break,
            };
            if let Some(data) = answer["data"].as_array() {
                all.extend(data.iter().take(max - all.len()).cloned());
            }
            match answer["list_metadata"]["after"].as_str() {
                // A cursor that does not move would loop for ever.
                Some(after) if !after.is_empty() && page.after.as_deref() != Some(after) => {
                    page.after = Some(after.to_string());
                }
                _ => break,
            }
        }
        Ok(all)
    }

    /// Creates an organization; answers it.
    pub fn create_organization(&self, name: &str) -> Result<Value, ApiError> {
        expect_object(
            "create organization",
            self.call(&Call::create_organization(name)?)?,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::call::tests::{client_at, line, serve};
    use super::*;
    use crate::client::Order;

    #[test]
    fn get_list_and_create_build_their_calls() {
        assert_eq!(
            line(&Call::get_organization("org_01H").unwrap()),
            "GET https://api.workos.com/organizations/org_01H"
        );
        assert!(Call::get_organization("directory_1").is_err());
        assert!(Call::get_organization("%2e%2e")
            .unwrap_err()
            .to_string()
            .contains("path segment"));
        let call = Call::list_organizations(
            &OrganizationFilters {
                domains: vec!["a.com".into(), "b.org".into()],
                search: Some("Acme & Co".into()),
            },
            &Page {
                limit: Some(100),
                order: Some(Order::Desc),
                after: Some("org_2".into()),
                ..Page::default()
            },
        )
        .unwrap();
        assert_eq!(
            line(&call),
            "GET https://api.workos.com/organizations?domains=a.com%2Cb.org&search=Acme+%26+Co&limit=100&after=org_2&order=desc"
        );
        let smuggled = OrganizationFilters {
            domains: vec!["a.com,b.com".into()],
            ..OrganizationFilters::default()
        };
        assert!(Call::list_organizations(&smuggled, &Page::default()).is_err());
        let create = Call::create_organization("Acme").unwrap();
        assert_eq!(line(&create), "POST https://api.workos.com/organizations");
        assert_eq!(create.body, Some(json!({"name": "Acme"})));
        assert!(Call::create_organization(" ").is_err());
        assert!(Call::create_organization(&"x".repeat(MAX_NAME_LEN + 1)).is_err());
    }

    #[test]
    fn listing_all_follows_the_after_cursor_up_to_max() {
        let (base, seen) = serve(vec![
            (
                200,
                r#"{"data":[{"id":"org_3"},{"id":"org_2"}],"list_metadata":{"after":"org_2"}}"#,
            ),
            (
                200,
                r#"{"data":[{"id":"org_1"}],"list_metadata":{"after":null}}"#,
            ),
        ]);
        let page = Page {
            order: Some(Order::Desc),
            ..Page::default()
        };
        let all = client_at(&base)
            .list_all_organizations(&OrganizationFilters::default(), &page, 10)
            .unwrap();
        assert_eq!(
            all,
            vec![
                json!({"id": "org_3"}),
                json!({"id": "org_2"}),
                json!({"id": "org_1"})
            ]
        );
        assert_eq!(
            *seen.lock().unwrap(),
            [
                "GET /organizations?limit=100&order=desc HTTP/1.1",
                "GET /organizations?limit=100&after=org_2&order=desc HTTP/1.1",
            ]
        );
    }

    #[test]
    fn listing_all_stops_at_max_and_keeps_pages_before_a_failure() {
        let (base, seen) = serve(vec![(
            200,
            r#"{"data":[{"id":"org_3"},{"id":"org_2"}],"list_metadata":{"after":"org_2"}}"#,
        )]);
        let all = client_at(&base)
            .list_all_organizations(&OrganizationFilters::default(), &Page::default(), 1)
            .unwrap();
        assert_eq!(all, vec![json!({"id": "org_3"})]);
        assert_eq!(seen.lock().unwrap().len(), 1);

        let (base, _) = serve(vec![
            (
                200,
                r#"{"data":[{"id":"org_3"}],"list_metadata":{"after":"org_3"}}"#,
            ),
            (500, r#"{"message":"down"}"#),
        ]);
        let all = client_at(&base)
            .list_all_organizations(&OrganizationFilters::default(), &Page::default(), 10)
            .unwrap();
        assert_eq!(all, vec![json!({"id": "org_3"})]);

        let (base, _) = serve(vec![(500, r#"{"message":"down"}"#)]);
        let err = client_at(&base)
            .list_all_organizations(&OrganizationFilters::default(), &Page::default(), 10)
            .unwrap_err();
        assert_eq!(err.status(), 500);

        // A cursor that does not move ends the walk.
        let (base, seen) = serve(vec![
            (
                200,
                r#"{"data":[{"id":"org_1"}],"list_metadata":{"after":"org_1"}}"#,
            ),
            (
                200,
                r#"{"data":[{"id":"org_1"}],"list_metadata":{"after":"org_1"}}"#,
            ),
        ]);
        client_at(&base)
            .list_all_organizations(&OrganizationFilters::default(), &Page::default(), 10)
            .unwrap();
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[test]
    fn listing_all_pages_refuses_a_backward_walk() {
        let page = Page {
            before: Some("org_1".into()),
            ..Page::default()
        };
        assert!(super::super::call::tests::client()
            .list_all_organizations(&OrganizationFilters::default(), &page, 10)
            .is_err());
    }
}
