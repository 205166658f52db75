//! Audit Logs: `POST /audit_logs/events`.

use serde_json::{json, Value};

use super::http::Request;
use super::{ApiError, Client};

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::InvalidInput(msg.into())
}

fn require_str(v: &Value, key: &str, at: &str) -> Result<(), ApiError> {
    match v.get(key).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => Ok(()),
        _ => Err(invalid(format!("{at}.{key} must be a non-empty string"))),
    }
}

/// Checks the fields WorkOS requires, so a malformed event fails here with
/// a clear message instead of as a 422 from WorkOS after a network trip.
pub fn validate_event(event: &Value) -> Result<(), ApiError> {
    if !event.is_object() {
        return Err(invalid("event must be an object"));
    }
    require_str(event, "action", "event")?;
    require_str(event, "occurred_at", "event")?;
    let occurred = event["occurred_at"].as_str().unwrap_or_default();
    if chrono::DateTime::parse_from_rfc3339(occurred).is_err() {
        return Err(invalid("event.occurred_at must be an RFC 3339 time"));
    }
    let actor = event
        .get("actor")
        .filter(|a| a.is_object())
        .ok_or_else(|| invalid("event.actor must be an object"))?;
    require_str(actor, "id", "event.actor")?;
    require_str(actor, "type", "event.actor")?;
    let targets = event
        .get("targets")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("event.targets must be a list"))?;
    for (i, target) in targets.iter().enumerate() {
        require_str(target, "id", &format!("event.targets[{i}]"))?;
        require_str(target, "type", &format!("event.targets[{i}]"))?;
    }
    let context = event
        .get("context")
        .filter(|c| c.is_object())
        .ok_or_else(|| invalid("event.context must be an object"))?;
    require_str(context, "location", "event.context")?;
    Ok(())
}

impl Client {
    /// Sends one audit-log event. The idempotency key makes a retry after a
    /// lost answer safe: WorkOS records the event once.
    pub fn create_audit_log_event(
        &self,
        organization_id: &str,
        event: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<(), ApiError> {
        if organization_id.is_empty() {
            return Err(invalid("organization_id must not be empty"));
        }
        validate_event(event)?;
        let body = json!({"organization_id": organization_id, "event": event});
        self.send(Request {
            method: "POST",
            url: self.url(&["audit_logs", "events"])?,
            body: Some(&body),
            auth: true,
            idempotency_key: idempotency_key.filter(|k| !k.is_empty()),
        })
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Value {
        json!({"action": "user.signed_in", "occurred_at": "2026-01-01T00:00:00Z",
               "actor": {"id": "1", "type": "user"}, "targets": [{"id": "1", "type": "user"}],
               "context": {"location": "127.0.0.1"}})
    }

    #[test]
    fn accepts_a_complete_event() {
        assert!(validate_event(&good()).is_ok());
    }

    #[test]
    fn names_the_first_missing_field() {
        for (path, expected) in [
            ("action", "event.action must be a non-empty string"),
            ("actor", "event.actor must be an object"),
            ("targets", "event.targets must be a list"),
            ("context", "event.context must be an object"),
        ] {
            let mut e = good();
            e.as_object_mut().unwrap().remove(path);
            assert_eq!(
                validate_event(&e).unwrap_err().to_string(),
                format!("invalid argument: {expected}")
            );
        }
        let mut e = good();
        e["targets"][0]["type"] = json!("");
        assert!(validate_event(&e)
            .unwrap_err()
            .to_string()
            .contains("event.targets[0].type"));
        e = good();
        e["occurred_at"] = json!("yesterday");
        assert!(validate_event(&e)
            .unwrap_err()
            .to_string()
            .contains("RFC 3339"));
    }
}
