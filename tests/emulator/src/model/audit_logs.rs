//! Audit log events as received.

use crate::util::iso;
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub struct AuditLogEvent {
    pub id: String,
    pub organization_id: String,
    pub event: Value,
    pub idempotency_key: Option<String>,
    pub received_at: u64,
    /// Requests answered from the idempotency key instead of being stored.
    pub replays: u64,
}

impl AuditLogEvent {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "organization_id": self.organization_id,
            "event": self.event,
            "idempotency_key": self.idempotency_key,
            "received_at": iso(self.received_at),
            "replays": self.replays,
        })
    }
}
