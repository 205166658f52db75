//! `authentication.<factor>_succeeded|failed` events: WorkOS records every
//! factor it checks, whether or not a session follows.

use crate::app::App;
use crate::body::{self, Fields};
use crate::error::ApiError;
use crate::webhooks;
use serde_json::{json, Value};

pub struct Attempt {
    /// The factor: `password`, `magic_auth`, `email_verification`, `oauth`.
    pub kind: &'static str,
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

impl Attempt {
    /// Client details come from the authenticate body, where the server-side
    /// SDKs forward the end user's address and browser.
    pub fn from_fields(kind: &'static str, f: &Fields) -> Attempt {
        let text = |k: &str| body::opt_str(f, k).ok().flatten();
        Attempt {
            kind,
            user_id: None,
            email: None,
            ip_address: text("ip_address"),
            user_agent: text("user_agent"),
        }
    }

    pub fn by(mut self, user_id: Option<&str>, email: Option<&str>) -> Attempt {
        self.user_id = user_id.map(String::from);
        self.email = email.map(String::from);
        self
    }

    fn data(&self, status: &str) -> Value {
        json!({
            "type": self.kind,
            "status": status,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "user_id": self.user_id,
            "email": self.email,
        })
    }

    pub fn succeeded(&self, app: &App) {
        let event = format!("authentication.{}_succeeded", self.kind);
        webhooks::emit(app, &event, self.data("succeeded"));
    }

    /// Announces the failure and hands the error back for the response.
    pub fn failed(&self, app: &App, error: ApiError) -> ApiError {
        let body = error.body();
        let field = |a: &str, b: &str| body.get(a).or_else(|| body.get(b)).cloned();
        let mut data = self.data("failed");
        data["error"] = json!({
            "code": field("code", "error"),
            "message": field("message", "error_description"),
        });
        let event = format!("authentication.{}_failed", self.kind);
        webhooks::emit(app, &event, data);
        error
    }
}
