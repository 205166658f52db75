//! Directory Sync: directories and the users and groups an identity
//! provider pushes into them. Views that join collections (a directory's
//! user counts, a user's groups) are the store's.

use crate::util::iso;
use serde_json::{json, Map, Value};

#[derive(Clone, Debug)]
pub struct Directory {
    pub seq: u64,
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: String,
    /// As events spell it (`active`, `inactive`, …); the API object says
    /// `linked`/`unlinked` for the first two.
    pub state: String,
    pub domain: Option<String>,
    pub external_key: String,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Directory {
    pub fn api_state(&self) -> &str {
        match self.state.as_str() {
            "active" => "linked",
            "inactive" => "unlinked",
            other => other,
        }
    }

    /// `metadata`: the user and group counts, which the store knows.
    pub fn to_json(&self, metadata: Value) -> Value {
        let mut v = json!({
            "object": "directory",
            "id": self.id,
            "organization_id": self.organization_id,
            "external_key": self.external_key,
            "type": self.kind,
            "state": self.api_state(),
            "name": self.name,
            "metadata": metadata,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(domain) = &self.domain {
            v["domain"] = json!(domain);
        }
        v
    }

    /// `dsync.activated` / `dsync.deleted`: the organization's domains
    /// ride along.
    pub fn event_json(&self, domains: Vec<Value>) -> Value {
        json!({
            "object": "directory",
            "id": self.id,
            "organization_id": self.organization_id,
            "type": self.kind,
            "state": self.state,
            "name": self.name,
            "external_key": self.external_key,
            "domains": domains,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}

#[derive(Clone, Debug)]
pub struct DirectoryUser {
    pub seq: u64,
    pub id: String,
    pub directory_id: String,
    pub organization_id: String,
    pub idp_id: String,
    /// `{primary, type, value}` entries, as the spec lists them.
    pub emails: Vec<Value>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub job_title: Option<String>,
    pub state: String,
    pub custom_attributes: Map<String, Value>,
    pub raw_attributes: Map<String, Value>,
    pub group_ids: Vec<String>,
    pub created_at: u64,
    pub updated_at: u64,
}

impl DirectoryUser {
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e["primary"] == json!(true))
            .or(self.emails.first())
            .and_then(|e| e["value"].as_str())
    }

    /// The DirectoryUser shape, which events carry.
    pub fn to_json(&self) -> Value {
        json!({
            "object": "directory_user",
            "id": self.id,
            "directory_id": self.directory_id,
            "organization_id": self.organization_id,
            "idp_id": self.idp_id,
            "email": self.primary_email(),
            "first_name": self.first_name,
            "last_name": self.last_name,
            "emails": self.emails,
            "username": self.username,
            "job_title": self.job_title,
            "state": self.state,
            "raw_attributes": self.raw_attributes,
            "custom_attributes": self.custom_attributes,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }

    /// DirectoryUserWithGroups, which the API answers.
    pub fn with_groups(&self, groups: &[&DirectoryGroup]) -> Value {
        let mut v = self.to_json();
        v["groups"] = groups.iter().map(|g| g.to_json()).collect();
        v
    }
}

#[derive(Clone, Debug)]
pub struct DirectoryGroup {
    pub seq: u64,
    pub id: String,
    pub idp_id: String,
    pub directory_id: String,
    pub organization_id: String,
    pub name: String,
    pub raw_attributes: Map<String, Value>,
    pub created_at: u64,
    pub updated_at: u64,
}

impl DirectoryGroup {
    pub fn to_json(&self) -> Value {
        json!({
            "object": "directory_group",
            "id": self.id,
            "idp_id": self.idp_id,
            "directory_id": self.directory_id,
            "organization_id": self.organization_id,
            "name": self.name,
            "raw_attributes": self.raw_attributes,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        })
    }
}
