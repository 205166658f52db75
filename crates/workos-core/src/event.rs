//! What a webhook event is about, so it can be applied exactly once and in
//! order: WorkOS delivers at least once and not necessarily in order.
//!
//! Each event names the object it changes (`object_key`) and a `version`
//! (unix ms) that only grows for that object. A receiver keeps the highest
//! version applied per object and drops anything older.

use chrono::DateTime;
use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EventError {
    #[error("the event has no {0}")]
    Missing(&'static str),
    #[error("the event's {0} is not an RFC 3339 time")]
    BadTime(&'static str),
}

/// The parts of an event that decide whether and in which order to apply it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInfo {
    pub id: String,
    pub event: String,
    /// `"<kind>:<id>"`, shared by every event about the same object; None
    /// for events that change nothing (e.g. `authentication.*`).
    pub object_key: Option<String>,
    /// Unix ms that orders events about `object_key`.
    pub version: i64,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn time_ms(v: &Value, key: &'static str) -> Result<Option<i64>, EventError> {
    match str_at(v, key) {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.timestamp_millis()))
            .map_err(|_| EventError::BadTime(key)),
    }
}

/// Describes a decoded event (`{id, event, data, created_at}`).
pub fn describe(event: &Value) -> Result<EventInfo, EventError> {
    let id = str_at(event, "id").ok_or(EventError::Missing("id"))?;
    let kind = str_at(event, "event").ok_or(EventError::Missing("event type"))?;
    let data = event
        .get("data")
        .filter(|d| d.is_object())
        .ok_or(EventError::Missing("data"))?;
    let created = time_ms(event, "created_at")?.unwrap_or(0);

    // Group membership has no object of its own: the pair is the object, and
    // the event's own time orders it.
    if kind.starts_with("dsync.group.user_") {
        let user = data.get("user").and_then(|u| str_at(u, "id"));
        let group = data.get("group").and_then(|g| str_at(g, "id"));
        let (user, group) = user
            .zip(group)
            .ok_or(EventError::Missing("user or group"))?;
        return Ok(EventInfo {
            id: id.into(),
            event: kind.into(),
            object_key: Some(format!("group_member:{group}:{user}")),
            version: created,
        });
    }

    let prefix = match kind.rsplit_once('.') {
        Some((prefix, _)) => prefix,
        None => kind,
    };
    let object_kind = match prefix {
        "user" => Some("user"),
        "dsync.user" => Some("directory_user"),
        "dsync.group" => Some("directory_group"),
        "dsync" => Some("directory"),
        "organization" => Some("organization"),
        "organization_membership" => Some("organization_membership"),
        "connection" => Some("connection"),
        "organization_domain" => Some("organization_domain"),
        _ => None,
    };
    let object_key = match (object_kind, str_at(data, "id")) {
        (Some(k), Some(obj)) => Some(format!("{k}:{obj}")),
        (Some(_), None) => return Err(EventError::Missing("data.id")),
        _ => None,
    };
    let updated = time_ms(data, "updated_at")?;
    // A deletion happened when the event was made, after the object's last
    // update: later-arriving older updates must not bring it back.
    let version = if kind.ends_with(".deleted") {
        updated.unwrap_or(0).max(created)
    } else {
        updated.unwrap_or(created)
    };
    Ok(EventInfo {
        id: id.into(),
        event: kind.into(),
        object_key,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(kind: &str, data: Value) -> Value {
        json!({"object": "event", "id": "event_1", "event": kind, "data": data,
               "created_at": "2026-01-01T00:00:10.000Z"})
    }

    #[test]
    fn user_events_are_ordered_by_the_object_updated_at() {
        let info = describe(&ev(
            "user.updated",
            json!({"id": "user_1", "updated_at": "2026-01-01T00:00:05.250Z"}),
        ))
        .unwrap();
        assert_eq!(info.object_key.as_deref(), Some("user:user_1"));
        assert_eq!(info.version, 1_767_225_605_250);
    }

    #[test]
    fn deletion_outranks_every_earlier_update() {
        let info = describe(&ev(
            "dsync.user.deleted",
            json!({"id": "directory_user_1", "updated_at": "2026-01-01T00:00:05Z"}),
        ))
        .unwrap();
        assert_eq!(
            info.object_key.as_deref(),
            Some("directory_user:directory_user_1")
        );
        assert_eq!(info.version, 1_767_225_610_000);
    }

    #[test]
    fn group_membership_is_keyed_by_the_pair() {
        let info = describe(&ev(
            "dsync.group.user_added",
            json!({"directory_id": "d", "user": {"id": "du_1"}, "group": {"id": "g_1"}}),
        ))
        .unwrap();
        assert_eq!(info.object_key.as_deref(), Some("group_member:g_1:du_1"));
        assert_eq!(info.version, 1_767_225_610_000);
    }

    #[test]
    fn events_without_objects_have_no_key() {
        let info = describe(&ev(
            "authentication.email_verification_succeeded",
            json!({"type": "email_verification", "status": "succeeded"}),
        ))
        .unwrap();
        assert_eq!(info.object_key, None);
    }

    #[test]
    fn malformed_events_are_errors() {
        assert_eq!(
            describe(&json!({"event": "user.updated", "data": {}})).unwrap_err(),
            EventError::Missing("id")
        );
        assert_eq!(
            describe(&ev("user.updated", json!({"updated_at": "x"}))).unwrap_err(),
            EventError::Missing("data.id")
        );
        assert_eq!(
            describe(&ev(
                "user.updated",
                json!({"id": "u", "updated_at": "yesterday"})
            ))
            .unwrap_err(),
            EventError::BadTime("updated_at")
        );
        assert_eq!(
            describe(&ev("dsync.group.user_added", json!({"user": {"id": "u"}}))).unwrap_err(),
            EventError::Missing("user or group")
        );
    }
}
