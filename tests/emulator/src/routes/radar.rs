//! Radar: the client-side signals id (`signals_id`) that a sign-in forwards
//! with its grant, as `POST /user_management/authenticate` defines it for the
//! password and authorization-code grants. The emulator judges nothing (no
//! verdicts, every attempt is allowed); it records each attempt so that a
//! test can see the browser's Radar token reached WorkOS.

use crate::app::{App, Shared};
use crate::body::{self, Fields};
use crate::util::{iso, now_ms};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// Records one authenticate call that carried a `signals_id`.
pub fn record(app: &App, grant_type: &str, f: &Fields) {
    let text = |k: &str| body::opt_str(f, k).ok().flatten();
    let Some(signals_id) = text("signals_id") else {
        return;
    };
    let entry = json!({
        "object": "radar_attempt",
        "signals_id": signals_id,
        "grant_type": grant_type,
        "email": text("email"),
        "ip_address": text("ip_address"),
        "user_agent": text("user_agent"),
        "created_at": iso(now_ms()),
    });
    crate::store::push_capped(&mut app.store().radar_attempts, entry);
}

/// `GET /__emulator/radar/attempts`: every recorded attempt, oldest first.
pub async fn control_list(State(app): State<Shared>) -> Json<Value> {
    Json(json!({"data": app.store().radar_attempts}))
}
