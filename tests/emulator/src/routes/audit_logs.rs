//! `POST /audit_logs/events` and the control view of what it received.

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::AuditLogEvent;
use crate::util::{is_date_time, new_id, now_ms};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// WorkOS forgets idempotency keys after a day.
const KEY_TTL_MS: u64 = 24 * 3600 * 1000;

/// Request-shape problems, reported together as the spec's 422
/// `{"message", "errors": [{"field", "code"}]}`.
#[derive(Default)]
struct Problems(Vec<Value>);

impl Problems {
    fn add(&mut self, field: &str, code: &str) {
        self.0.push(json!({"field": field, "code": code}));
    }

    /// Checks a string field; returns it when present and well typed.
    fn string<'a>(
        &mut self,
        v: &'a Value,
        key: &str,
        field: &str,
        required: bool,
    ) -> Option<&'a str> {
        match v.get(key) {
            None | Some(Value::Null) if required => {
                self.add(field, "required");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() && required => {
                self.add(field, "required");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.add(field, "invalid_type");
                None
            }
        }
    }

    fn object<'a>(&mut self, v: &'a Value, key: &str, field: &str) -> Option<&'a Value> {
        match v.get(key) {
            None | Some(Value::Null) => {
                self.add(field, "required");
                None
            }
            Some(o @ Value::Object(_)) => Some(o),
            Some(_) => {
                self.add(field, "invalid_type");
                None
            }
        }
    }

    /// An actor or target: `id` and `type` required, `name` optional.
    fn entity(&mut self, v: &Value, field: &str) {
        self.string(v, "id", &format!("{field}.id"), true);
        self.string(v, "type", &format!("{field}.type"), true);
        self.string(v, "name", &format!("{field}.name"), false);
    }
}

fn check_shape(f: &Map<String, Value>) -> Result<(), ApiError> {
    let root = Value::Object(f.clone());
    let mut p = Problems::default();
    p.string(&root, "organization_id", "organization_id", true);
    if let Some(event) = p.object(&root, "event", "event") {
        p.string(event, "action", "event.action", true);
        if let Some(at) = p.string(event, "occurred_at", "event.occurred_at", true) {
            if !is_date_time(at) {
                p.add("event.occurred_at", "invalid_date");
            }
        }
        if let Some(actor) = p.object(event, "actor", "event.actor") {
            p.entity(actor, "event.actor");
        }
        match event.get("targets") {
            None | Some(Value::Null) => p.add("event.targets", "required"),
            Some(Value::Array(targets)) => {
                for (i, t) in targets.iter().enumerate() {
                    let field = format!("event.targets.{i}");
                    if t.is_object() {
                        p.entity(t, &field);
                    } else {
                        p.add(&field, "invalid_type");
                    }
                }
            }
            Some(_) => p.add("event.targets", "invalid_type"),
        }
        if let Some(context) = p.object(event, "context", "event.context") {
            p.string(context, "location", "event.context.location", true);
            p.string(context, "user_agent", "event.context.user_agent", false);
        }
        if event
            .get("version")
            .is_some_and(|v| !v.is_null() && !v.is_i64())
        {
            p.add("event.version", "invalid_type");
        }
    }
    if p.0.is_empty() {
        return Ok(());
    }
    Err(ApiError::Body {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: json!({"message": "Validation failed.", "errors": p.0}),
    })
}

/// The spec's metadata rule: at most 50 keys matching `[a-zA-Z0-9_-]{0,40}`,
/// values strings of at most 500 characters, numbers or booleans.
fn metadata_ok(v: Option<&Value>) -> bool {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return true;
    };
    let Some(map) = v.as_object() else {
        return false;
    };
    map.len() <= 50
        && map.iter().all(|(k, v)| {
            k.len() <= 40
                && k.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                && match v {
                    Value::String(s) => s.chars().count() <= 500,
                    Value::Number(_) | Value::Bool(_) => true,
                    _ => false,
                }
        })
}

/// Rules WorkOS checks against the event itself once the request is well
/// formed, reported as 400 `invalid_audit_log_event` with JSON pointers.
fn check_event(event: &Value) -> Result<(), ApiError> {
    let mut paths: Vec<String> = Vec::new();
    let mut check = |owner: &Value, pointer: String| {
        if !metadata_ok(owner.get("metadata")) {
            paths.push(format!("{pointer}/metadata"));
        }
    };
    check(event, String::new());
    check(&event["actor"], "/actor".into());
    for (i, t) in event["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        check(t, format!("/targets/{i}"));
    }
    if paths.is_empty() {
        return Ok(());
    }
    let errors: Vec<Value> = paths.iter().map(|p| json!({"instancePath": p})).collect();
    let mut extra = Map::new();
    extra.insert("errors".into(), json!(errors));
    Err(ApiError::code_with(
        StatusCode::BAD_REQUEST,
        "invalid_audit_log_event",
        "Invalid Audit Log event.",
        extra,
    ))
}

/// `POST /audit_logs/events`. A repeated `Idempotency-Key` (within a day)
/// gets the first success back and stores nothing, as the spec promises
/// "the same response" for every request matching the key.
pub async fn create(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let f = body::parse(&headers, &bytes)?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from);
    let now = now_ms();
    let mut store = app.store();
    if let Some(key) = &key {
        let replayed =
            store.audit_log_events.iter_mut().rev().find(|e| {
                e.idempotency_key.as_ref() == Some(key) && e.received_at + KEY_TTL_MS > now
            });
        if let Some(original) = replayed {
            original.replays += 1;
            return Ok(Json(json!({"success": true})));
        }
    }
    check_shape(&f)?;
    let organization_id = body::req_str(&f, "organization_id")?;
    store.org(&organization_id)?;
    let event = f.get("event").cloned().unwrap_or_default();
    check_event(&event)?;
    store.audit_log_events.push(AuditLogEvent {
        id: new_id("audit_log_event"),
        organization_id,
        event,
        idempotency_key: key,
        received_at: now,
        replays: 0,
    });
    Ok(Json(json!({"success": true})))
}

/// `GET /__emulator/audit_logs[?organization_id=…&action=…]`, oldest first.
pub async fn control_list(
    State(app): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let store = app.store();
    let data: Vec<Value> = store
        .audit_log_events
        .iter()
        .filter(|e| {
            q.get("organization_id")
                .is_none_or(|o| &e.organization_id == o)
        })
        .filter(|e| {
            q.get("action")
                .is_none_or(|a| e.event["action"].as_str() == Some(a))
        })
        .map(AuditLogEvent::to_json)
        .collect();
    Json(json!({"data": data}))
}

pub async fn control_clear(State(app): State<Shared>) -> Response {
    app.store().audit_log_events.clear();
    StatusCode::NO_CONTENT.into_response()
}
