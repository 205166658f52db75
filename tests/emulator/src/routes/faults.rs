//! Fault injection: the next N matching API requests get a canned answer,
//! a delay, or no answer at all (the connection is closed), so clients'
//! retry and error handling can be tested. WorkOS's own failure modes are
//! all reachable: slow (a delay beyond the client's timeout), down (`drop`),
//! `429` with `Retry-After` (`headers`), `5xx`, and a malformed body (a
//! string `body` is sent verbatim, e.g. `200` with half a JSON document).

use crate::app::Shared;
use crate::body;
use crate::error::{ApiError, ApiResult};
use crate::model::Fault;
use crate::util::new_id;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Consumes one use of the first matching fault.
pub fn take(app: &Shared, method: &str, path: &str, fields: &Map<String, Value>) -> Option<Fault> {
    let mut store = app.store();
    let index = store
        .faults
        .iter()
        .position(|f| f.matches(method, path, fields))?;
    store.faults[index].hits += 1;
    let fault = store.faults[index].clone();
    if let Some(remaining) = &mut store.faults[index].remaining {
        *remaining -= 1;
        if *remaining == 0 {
            store.faults.remove(index);
        }
    }
    Some(fault)
}

pub fn response(fault: &Fault, status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match &fault.body {
        None | Some(Value::Null) => status.into_response(),
        // A string body is sent verbatim, e.g. an HTML error page from a proxy.
        Some(Value::String(text)) => (status, text.clone()).into_response(),
        Some(other) => (status, Json(other.clone())).into_response(),
    };
    for (name, value) in &fault.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

pub async fn add(
    State(app): State<Shared>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let fields = body::parse(&headers, &bytes)?;
    let Some(path) = fields.get("path").and_then(Value::as_str) else {
        return Err(ApiError::setup("path is required"));
    };
    let status = match fields.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().filter(|s| (100..=599).contains(s)) {
            Some(s) => Some(s as u16),
            None => return Err(ApiError::setup("status must be an HTTP status code")),
        },
    };
    let delay_ms = fields.get("delay_ms").and_then(Value::as_u64).unwrap_or(0);
    let drop = match fields.get("drop") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::setup("drop must be a boolean")),
    };
    if drop && status.is_some() {
        return Err(ApiError::setup("a dropped connection has no status"));
    }
    if status.is_none() && delay_ms == 0 && !drop {
        return Err(ApiError::setup(
            "a fault needs a status, a delay_ms, drop, or a combination",
        ));
    }
    let when = match fields.get("when") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return Err(ApiError::setup("when must be an object")),
    };
    let headers = match fields.get("headers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                let v = v
                    .as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string());
                (k.clone(), v)
            })
            .collect(),
        Some(_) => return Err(ApiError::setup("headers must be an object")),
    };
    // `times: 0` keeps the fault until it is cleared.
    let remaining = match fields.get("times").and_then(Value::as_u64) {
        Some(0) => None,
        Some(n) => Some(n),
        None => Some(1),
    };
    let fault = Fault {
        id: new_id("fault"),
        method: fields
            .get("method")
            .and_then(Value::as_str)
            .map(String::from),
        path: path.to_string(),
        status,
        body: fields.get("body").cloned(),
        headers,
        delay_ms,
        drop,
        when,
        remaining,
        hits: 0,
    };
    let json = fault.to_json();
    app.store().faults.push(fault);
    Ok((StatusCode::CREATED, Json(json)))
}

pub async fn list(State(app): State<Shared>) -> Json<Value> {
    let store = app.store();
    Json(json!({"data": store.faults.iter().map(Fault::to_json).collect::<Vec<_>>()}))
}

pub async fn clear(State(app): State<Shared>) -> StatusCode {
    app.store().faults.clear();
    StatusCode::NO_CONTENT
}

/// The panic payload that closes a connection on purpose: hyper serves each
/// connection in its own task, so unwinding out of the handler drops the
/// socket without writing a byte. `resume_unwind` skips the panic hook, so
/// nothing is printed.
pub struct DropConnection;

pub fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new(DropConnection))
}
