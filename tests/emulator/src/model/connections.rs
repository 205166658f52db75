//! SSO connections.

use crate::util::iso;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub struct Connection {
    pub seq: u64,
    pub id: String,
    pub organization_id: Option<String>,
    pub connection_type: String,
    pub name: String,
    pub state: String,
    /// `(id, domain)` pairs.
    pub domains: Vec<(String, String)>,
    pub external_key: String,
    pub created_at: u64,
    pub updated_at: u64,
}

impl Connection {
    pub fn to_json(&self) -> Value {
        let domains: Vec<Value> = self
            .domains
            .iter()
            .map(|(id, d)| json!({"object": "connection_domain", "id": id, "domain": d}))
            .collect();
        let mut v = json!({
            "object": "connection",
            "id": self.id,
            "connection_type": self.connection_type,
            "name": self.name,
            "state": self.state,
            // The deprecated `status` follows the state, as WorkOS keeps it.
            "status": if self.state == "active" { "linked" } else { "unlinked" },
            "domains": domains,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        });
        if let Some(org) = &self.organization_id {
            v["organization_id"] = json!(org);
        }
        v
    }

    /// Events also carry the `external_key`.
    pub fn event_json(&self) -> Value {
        let mut v = self.to_json();
        v["external_key"] = json!(self.external_key);
        v
    }
}
