//! Organizations, their domains, and users' memberships in them.

use crate::util::iso;
use serde_json::{json, Map, Value};

#[derive(Clone, Debug)]
pub struct Domain {
    pub id: String,
    pub domain: String,
    pub state: String,
    pub created_at: u64,
    pub updated_at: u64,
}

#[derive(Clone, Debug)]
pub struct Organization {
    pub seq: u64,
    pub id: String,
    pub name: String,
    pub domains: Vec<Domain>,
    pub metadata: Map<String, Value>,
    pub external_id: Option<String>,
    pub stripe_customer_id: Option<String>,
    pub allow_profiles_outside_organization: bool,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Organization {
    pub fn to_json(&self) -> Value {
        let domains: Vec<Value> = self
            .domains
            .iter()
            .map(|d| {
                json!({
                    "object": "organization_domain",
                    "id": d.id,
                    "organization_id": self.id,
                    "domain": d.domain,
                    "state": d.state,
                    "verification_strategy": "manual",
                    "created_at": iso(d.created_at),
                    "updated_at": iso(d.updated_at),
                })
            })
            .collect();
        let mut v = json!({
            "object": "organization",
            "id": self.id,
            "name": self.name,
            "domains": domains,
            "metadata": self.metadata,
            "external_id": self.external_id,
            "allow_profiles_outside_organization": self.allow_profiles_outside_organization,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(stripe) = &self.stripe_customer_id {
            v["stripe_customer_id"] = json!(stripe);
        }
        v
    }
}

#[derive(Clone, Debug)]
pub struct Membership {
    pub seq: u64,
    pub id: String,
    pub user_id: String,
    pub organization_id: String,
    pub status: String,
    pub role_slugs: Vec<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Membership {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    pub fn role(&self) -> &str {
        self.role_slugs
            .first()
            .map(String::as_str)
            .unwrap_or("member")
    }

    /// The shape of webhook events: the membership without embedded objects.
    pub fn event_json(&self) -> Value {
        let roles: Vec<Value> = self.role_slugs.iter().map(|s| json!({"slug": s})).collect();
        json!({
            "object": "organization_membership",
            "id": self.id,
            "user_id": self.user_id,
            "organization_id": self.organization_id,
            "status": self.status,
            "role": {"slug": self.role()},
            "roles": roles,
            "custom_attributes": {},
            "directory_managed": false,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}
