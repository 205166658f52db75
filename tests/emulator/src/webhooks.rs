//! Webhook events: signing, delivery (a background worker keeps API
//! responses fast and events in order) and the control endpoints.

use crate::app::{App, Shared};
use crate::body;
use crate::error::{ApiError, ApiResult};
pub use crate::model::{Job, WebhookConfig};
use crate::util::{iso, new_id, now_ms};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::time::Duration;

pub const SIGNATURE_HEADER: &str = "WorkOS-Signature";

/// `t=<unix ms>, v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as WorkOS signs.
pub fn signature_header(secret: &str, timestamp_ms: u64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(format!("{timestamp_ms}.{body}").as_bytes());
    format!(
        "t={timestamp_ms}, v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

pub fn event_payload(id: &str, event: &str, data: &Value, created_at_ms: u64) -> Value {
    json!({
        "object": "event",
        "id": id,
        "event": event,
        "data": data,
        "created_at": iso(created_at_ms),
    })
}

/// Announces a change. Never blocks: the worker thread does the HTTP.
pub fn emit(app: &App, event: &str, data: Value) {
    let config = app.webhook_config();
    let Some(url) = config.url else {
        return;
    };
    let now = now_ms();
    let id = new_id("event");
    let body = event_payload(&id, event, &data, now).to_string();
    let job = Job {
        event_id: id,
        event: event.to_string(),
        url,
        secret: config.secret,
        body,
        timestamp_ms: now,
        forced_signature: None,
    };
    app.webhook_pending.fetch_add(1, Ordering::SeqCst);
    // The worker lives as long as the process; a closed channel means shutdown.
    if app.webhook_jobs.send(job).is_err() {
        app.webhook_pending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sends one delivery and records it. Blocking: call from the worker or
/// from `spawn_blocking`.
pub fn deliver(app: &App, job: Job) -> Value {
    let signature = job
        .forced_signature
        .clone()
        .unwrap_or_else(|| signature_header(&job.secret, job.timestamp_ms, &job.body));
    let result = app
        .http
        .post(&job.url)
        .set("Content-Type", "application/json")
        .set("User-Agent", "workos-emulator")
        .set(SIGNATURE_HEADER, &signature)
        .send_string(&job.body);
    let (status, response_body, error) = match result {
        Ok(resp) => {
            let status = resp.status();
            (Some(status), resp.into_string().ok(), None)
        }
        Err(ureq::Error::Status(status, resp)) => (Some(status), resp.into_string().ok(), None),
        Err(e) => (None, None, Some(e.to_string())),
    };
    let record = json!({
        "id": job.event_id,
        "event": job.event,
        "url": job.url,
        "signature": signature,
        "payload": serde_json::from_str::<Value>(&job.body).unwrap_or(Value::Null),
        "status": status,
        "body": response_body,
        "error": error,
        "delivered_at": iso(now_ms()),
    });
    crate::store::push_capped(&mut app.store().deliveries, record.clone());
    record
}

pub fn run_worker(app: Shared, jobs: Receiver<Job>) {
    while let Ok(job) = jobs.recv() {
        deliver(&app, job);
        app.webhook_pending.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn http_agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .build()
}

/// `POST /__emulator/webhooks`: sends one event now and answers with what
/// the target said, for tests of a webhook receiver.
pub async fn control_send(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let fields = body::parse(&headers, &bytes)?;
    let Some(event) = fields
        .get("event")
        .and_then(Value::as_str)
        .map(String::from)
    else {
        return Err(ApiError::setup("event is required"));
    };
    let data = fields.get("data").cloned().unwrap_or_else(|| json!({}));
    let config = app.webhook_config();
    let text = |k: &str| fields.get(k).and_then(Value::as_str).map(String::from);
    let Some(url) = text("url").or(config.url) else {
        return Err(ApiError::setup(
            "no url given and no --webhook-url configured",
        ));
    };
    let id = text("id").unwrap_or_else(|| new_id("event"));
    let timestamp_ms = fields
        .get("timestamp_ms")
        .and_then(Value::as_u64)
        .unwrap_or_else(now_ms);
    let job = Job {
        body: event_payload(&id, &event, &data, now_ms()).to_string(),
        event_id: id,
        event,
        url,
        secret: text("secret").unwrap_or(config.secret),
        timestamp_ms,
        forced_signature: text("signature"),
    };
    let worker_app = app.clone();
    let record = tokio::task::spawn_blocking(move || deliver(&worker_app, job))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Json(json!({
        "id": record["id"],
        "status": record["status"],
        "body": record["body"],
        "error": record["error"],
        "signature": record["signature"],
    })))
}

pub async fn control_list(State(app): State<Shared>) -> Json<Value> {
    let pending = app.webhook_pending.load(Ordering::SeqCst);
    Json(json!({"data": app.store().deliveries, "pending": pending}))
}

pub async fn control_clear(State(app): State<Shared>) -> StatusCode {
    app.store().deliveries.clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_header_format_and_value() {
        let header = signature_header("secret", 1_700_000_000_123, r#"{"a":1}"#);
        // Computed independently: python3 -c 'import hmac,hashlib;
        // print(hmac.new(b"secret", b"1700000000123.{\"a\":1}", hashlib.sha256).hexdigest())'
        assert_eq!(
            header,
            "t=1700000000123, v1=d24a79557be8aaedc4e968ebe232194743ae3aeb70cde075bc72312c90fe2fb4"
        );
        let (t, v1) = header.split_once(", ").unwrap();
        assert_eq!(t, "t=1700000000123");
        let hex = v1.strip_prefix("v1=").unwrap();
        assert_eq!(hex.len(), 64);
        assert!(hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        // Milliseconds, not seconds: 13 digits for present-day times.
        assert_eq!(t.len() - 2, 13);
        assert_ne!(
            header,
            signature_header("other", 1_700_000_000_123, r#"{"a":1}"#)
        );
        assert_ne!(
            header,
            signature_header("secret", 1_700_000_000_124, r#"{"a":1}"#)
        );
    }

    #[test]
    fn payload_shape() {
        let p = event_payload("event_1", "user.created", &json!({"id": "user_1"}), 0);
        assert_eq!(p["object"], "event");
        assert_eq!(p["event"], "user.created");
        assert_eq!(p["data"]["id"], "user_1");
        assert_eq!(p["created_at"], "1970-01-01T00:00:00.000Z");
    }
}
