//! WorkOS's documented rate limits (workos.com/docs/reference/rate-limits),
//! off until a test or benchmark turns them on through the control API.
//!
//! Every rule that matches a request applies (the general limit too): a
//! client that stays within all of them stays within WorkOS's, whichever way
//! WorkOS combines them. Windows slide (the requests of the last `window_ms`
//! count), which no fixed-window limiter is stricter than. A request over a
//! limit gets 429 with the body the spec documents for that endpoint and a
//! `Retry-After` in seconds; WorkOS documents no `X-RateLimit-*` headers, so
//! none are sent. Rejected requests use no quota; every one is counted, as
//! is every request a count-only limiter (`enforce: false`) lets through.

use crate::error::ApiError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::collections::{HashMap, VecDeque};
use std::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Methods {
    Any,
    Get,
    /// Every method but GET: WorkOS's "writes".
    Writes,
    Post,
    Delete,
}

impl Methods {
    fn matches(self, method: &str) -> bool {
        match self {
            Methods::Any => true,
            Methods::Get => method == "GET",
            Methods::Writes => method != "GET" && method != "HEAD",
            Methods::Post => method == "POST",
            Methods::Delete => method == "DELETE",
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Methods::Any => "*",
            Methods::Get => "GET",
            Methods::Writes => "writes",
            Methods::Post => "POST",
            Methods::Delete => "DELETE",
        }
    }
}

/// What a limit is counted per.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Per {
    ApiKey,
    /// AuthKit's limits: one budget for the whole environment.
    Environment,
    /// The first of these query or body fields the request has (e.g. the
    /// email); a request with none of them is not subject to the rule.
    Field(&'static [&'static str]),
    /// The path itself, whose `*` segment names the subject (a user).
    Path,
}

impl Per {
    fn describe(self) -> String {
        match self {
            Per::ApiKey => "api_key".into(),
            Per::Environment => "environment".into(),
            Per::Field(names) => names.join("|"),
            Per::Path => "path".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub name: &'static str,
    pub methods: Methods,
    /// `*` as a middle segment matches one segment, as the last one any rest.
    pub path: &'static str,
    pub per: Per,
    pub limit: u64,
    pub window_ms: u64,
}

/// The table of WorkOS's rate-limit reference, in its order. Rows for
/// endpoints the emulator lacks stay, so the table reads like the page.
pub const DOCUMENTED: &[Rule] = &[
    Rule {
        name: "general",
        methods: Methods::Any,
        path: "*",
        per: Per::ApiKey,
        limit: 6_000,
        window_ms: 60_000,
    },
    Rule {
        name: "sso_authorize",
        methods: Methods::Get,
        path: "/sso/authorize",
        per: Per::Field(&["connection"]),
        limit: 1_000,
        window_ms: 60_000,
    },
    Rule {
        name: "directory_users",
        methods: Methods::Get,
        path: "/directory_users",
        // A listing by group names no directory; the group stands in.
        per: Per::Field(&["directory", "group"]),
        limit: 4,
        window_ms: 1_000,
    },
    Rule {
        name: "delete_organization",
        methods: Methods::Delete,
        path: "/organizations/*",
        per: Per::ApiKey,
        limit: 50,
        window_ms: 60_000,
    },
    Rule {
        name: "user_management_reads",
        methods: Methods::Get,
        path: "/user_management/*",
        per: Per::Environment,
        limit: 1_000,
        window_ms: 10_000,
    },
    Rule {
        name: "user_management_writes",
        methods: Methods::Writes,
        path: "/user_management/*",
        per: Per::Environment,
        limit: 500,
        window_ms: 10_000,
    },
    Rule {
        name: "authentication",
        methods: Methods::Post,
        path: "/user_management/authenticate",
        per: Per::Field(&["email", "authentication_challenge_id"]),
        limit: 10,
        window_ms: 60_000,
    },
    // The page names the older `/send` path; the current create endpoint
    // sends the same email, so it is held to the same limit.
    Rule {
        name: "magic_auth",
        methods: Methods::Post,
        path: "/user_management/magic_auth",
        per: Per::Field(&["email"]),
        limit: 3,
        window_ms: 60_000,
    },
    Rule {
        name: "magic_auth_send",
        methods: Methods::Post,
        path: "/user_management/magic_auth/send",
        per: Per::Field(&["email"]),
        limit: 3,
        window_ms: 60_000,
    },
    Rule {
        name: "email_verification",
        methods: Methods::Post,
        path: "/user_management/users/*/email_verification/send",
        per: Per::Path,
        limit: 3,
        window_ms: 60_000,
    },
    Rule {
        name: "password_reset",
        methods: Methods::Post,
        path: "/user_management/password_reset/send",
        per: Per::Field(&["email"]),
        limit: 3,
        window_ms: 60_000,
    },
];

fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("*"), Some(segment)) if !segment.is_empty() => {
                // A trailing `*` takes the rest of the path.
                if want.clone().next().is_none() {
                    return true;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

/// What the limiter needs to know of a request.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// The bearer API key (or the environment's when none was sent: the
    /// authenticate endpoint takes it in the body as `client_secret`).
    pub api_key: &'a str,
    /// Query and body fields, merged.
    pub fields: &'a Map<String, Value>,
}

impl Rule {
    fn key(&self, request: &Request) -> Option<String> {
        if !self.methods.matches(request.method) || !path_matches(self.path, request.path) {
            return None;
        }
        match self.per {
            Per::ApiKey => Some(request.api_key.to_string()),
            Per::Environment => Some(String::new()),
            Per::Path => Some(request.path.to_string()),
            Per::Field(names) => names
                .iter()
                .find_map(|name| match request.fields.get(*name) {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.to_lowercase()),
                    _ => None,
                }),
        }
    }
}

/// The limiter: its rules (the documented ones, possibly overridden by a
/// test), the recent requests of every (rule, subject) and the counters.
pub struct RateLimits {
    pub enabled: bool,
    /// False: requests over a limit are served anyway, only counted.
    pub enforce: bool,
    pub rules: Vec<Rule>,
    started: Instant,
    /// (rule index, subject) to the times (ms) of the requests let through
    /// within the rule's window, oldest first.
    recent: HashMap<(usize, String), VecDeque<u64>>,
    /// Requests checked while enabled.
    pub checked: u64,
    /// Requests that went over some limit, and per rule.
    pub over_limit: u64,
    over_by_rule: Vec<u64>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            enabled: false,
            enforce: true,
            rules: DOCUMENTED.to_vec(),
            started: Instant::now(),
            recent: HashMap::new(),
            checked: 0,
            over_limit: 0,
            over_by_rule: vec![0; DOCUMENTED.len()],
        }
    }
}

/// Beyond this many tracked subjects, idle ones are swept out.
const SWEEP_AT: usize = 10_000;

/// A request over a limit: the rule it broke and when to come back.
#[derive(Debug, PartialEq)]
pub struct Exceeded {
    pub rule: &'static str,
    pub retry_after_secs: u64,
}

impl RateLimits {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Judges one request; `Some` when it is over a limit and must be refused.
    pub fn check(&mut self, request: &Request) -> Option<Exceeded> {
        if !self.enabled {
            return None;
        }
        self.checked += 1;
        let now = self.now_ms();
        let applicable: Vec<(usize, String)> = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, rule)| rule.key(request).map(|key| (i, key)))
            .collect();
        // The rule whose window frees a slot last decides the wait.
        let mut exceeded: Option<(usize, u64)> = None;
        for (i, key) in &applicable {
            let rule = &self.rules[*i];
            let times = self.recent.entry((*i, key.clone())).or_default();
            while times.front().is_some_and(|t| t + rule.window_ms <= now) {
                times.pop_front();
            }
            if times.len() as u64 >= rule.limit {
                self.over_by_rule[*i] += 1;
                let wait = times.front().map_or(0, |t| t + rule.window_ms - now);
                if exceeded.is_none_or(|(_, w)| wait > w) {
                    exceeded = Some((*i, wait));
                }
            }
        }
        if exceeded.is_some() {
            self.over_limit += 1;
        }
        if exceeded.is_none() || !self.enforce {
            for (i, key) in applicable {
                self.recent.entry((i, key)).or_default().push_back(now);
            }
        }
        if self.recent.len() > SWEEP_AT {
            let rules = &self.rules;
            self.recent.retain(|(i, _), times| {
                times.back().is_some_and(|t| t + rules[*i].window_ms > now)
            });
        }
        let (i, wait_ms) = exceeded.filter(|_| self.enforce)?;
        Some(Exceeded {
            rule: self.rules[i].name,
            // Whole seconds, rounded up: coming back sooner is refused again.
            retry_after_secs: wait_ms.div_ceil(1000).max(1),
        })
    }

    /// Replaces the configuration; windows and counters start afresh.
    /// `overrides`: `{rule name: {limit?, window_ms?}}`.
    pub fn configure(
        &mut self,
        enabled: bool,
        enforce: bool,
        overrides: &Map<String, Value>,
    ) -> Result<(), String> {
        let mut rules = DOCUMENTED.to_vec();
        for (name, change) in overrides {
            let Some(rule) = rules.iter_mut().find(|r| r.name == name) else {
                return Err(format!("unknown rate limit rule '{name}'"));
            };
            let number = |key: &str| -> Result<Option<u64>, String> {
                match change.get(key) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => v
                        .as_u64()
                        .filter(|n| *n > 0)
                        .map(Some)
                        .ok_or(format!("{name}.{key} must be a positive integer")),
                }
            };
            if !change.is_object() {
                return Err(format!("{name} must be an object"));
            }
            if let Some(limit) = number("limit")? {
                rule.limit = limit;
            }
            if let Some(window) = number("window_ms")? {
                rule.window_ms = window;
            }
        }
        *self = RateLimits {
            enabled,
            enforce,
            rules,
            ..RateLimits::default()
        };
        Ok(())
    }

    pub fn to_json(&self) -> Value {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .zip(&self.over_by_rule)
            .map(|(r, over)| {
                json!({
                    "name": r.name,
                    "method": r.methods.as_str(),
                    "path": r.path,
                    "per": r.per.describe(),
                    "limit": r.limit,
                    "window_ms": r.window_ms,
                    "over_limit": over,
                })
            })
            .collect();
        json!({
            "enabled": self.enabled,
            "enforce": self.enforce,
            "checked": self.checked,
            "over_limit": self.over_limit,
            "rules": rules,
        })
    }
}

/// The 429 answer, in the shape the spec documents for the endpoint (the
/// audit log's `rate_limit_exceeded` where it documents none).
pub fn refusal(path: &str, exceeded: &Exceeded) -> Response {
    let status = StatusCode::TOO_MANY_REQUESTS;
    let error = match path {
        "/user_management/authenticate" => ApiError::OAuth {
            status,
            error: "too_many_requests".into(),
            description: "The request failed due to: too_many_requests.".into(),
        },
        "/directory_users" => ApiError::Body {
            status,
            body: json!("Ratelimited"),
        },
        // The only 429 the spec gives the endpoint that sends the email.
        "/user_management/magic_auth" => ApiError::code(
            status,
            "daily_quota_exceeded",
            "Request could not be processed.",
        ),
        _ => ApiError::code(status, "rate_limit_exceeded", "Too many requests."),
    };
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert("retry-after", HeaderValue::from(exceeded.retry_after_secs));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(method: &'a str, path: &'a str, fields: &'a Map<String, Value>) -> Request<'a> {
        Request {
            method,
            path,
            api_key: "sk_test",
            fields,
        }
    }

    fn limited(overrides: Value) -> RateLimits {
        let mut limits = RateLimits::default();
        limits
            .configure(true, true, overrides.as_object().unwrap())
            .unwrap();
        limits
    }

    #[test]
    fn paths_match_segments_and_trailing_rest() {
        assert!(path_matches("*", "/anything"));
        assert!(path_matches("/user_management/*", "/user_management/users"));
        assert!(path_matches(
            "/user_management/*",
            "/user_management/users/u/sessions"
        ));
        assert!(!path_matches("/user_management/*", "/user_management"));
        assert!(!path_matches("/user_management/*", "/organizations"));
        assert!(path_matches(
            "/user_management/users/*/email_verification/send",
            "/user_management/users/user_1/email_verification/send"
        ));
        assert!(!path_matches(
            "/user_management/users/*/email_verification/send",
            "/user_management/users/user_1/sessions"
        ));
        assert!(path_matches("/directory_users", "/directory_users"));
        assert!(!path_matches("/directory_users", "/directory_users/x"));
    }

    #[test]
    fn off_by_default() {
        let mut limits = RateLimits::default();
        let none = Map::new();
        for _ in 0..20 {
            assert_eq!(
                limits.check(&request("GET", "/directory_users", &none)),
                None
            );
        }
        assert_eq!(limits.checked, 0);
    }

    #[test]
    fn refuses_past_the_limit_and_counts() {
        let mut limits = limited(json!({}));
        let mut q = Map::new();
        q.insert("directory".into(), json!("directory_1"));
        for _ in 0..4 {
            assert_eq!(limits.check(&request("GET", "/directory_users", &q)), None);
        }
        let over = limits
            .check(&request("GET", "/directory_users", &q))
            .unwrap();
        assert_eq!(over.rule, "directory_users");
        assert_eq!(over.retry_after_secs, 1);
        // Another directory has its own budget.
        q.insert("directory".into(), json!("directory_2"));
        assert_eq!(limits.check(&request("GET", "/directory_users", &q)), None);
        assert_eq!(limits.over_limit, 1);
        assert_eq!(limits.checked, 6);
        assert_eq!(limits.to_json()["rules"][2]["over_limit"], json!(1));
    }

    #[test]
    fn every_matching_rule_applies() {
        let mut limits = limited(json!({"general": {"limit": 3}}));
        let none = Map::new();
        for _ in 0..3 {
            assert_eq!(
                limits.check(&request("GET", "/user_management/users", &none)),
                None
            );
        }
        // user_management_reads allows far more; general does not.
        let over = limits
            .check(&request("GET", "/organizations", &none))
            .unwrap();
        assert_eq!(over.rule, "general");
        assert_eq!(over.retry_after_secs, 60);
    }

    #[test]
    fn writes_and_reads_have_separate_budgets() {
        let mut limits =
            limited(json!({"user_management_writes": {"limit": 2, "window_ms": 5000}}));
        let none = Map::new();
        let write = || request("POST", "/user_management/users", &none);
        assert_eq!(limits.check(&write()), None);
        assert_eq!(limits.check(&write()), None);
        let over = limits.check(&write()).unwrap();
        assert_eq!(
            (over.rule, over.retry_after_secs),
            ("user_management_writes", 5)
        );
        assert_eq!(
            limits.check(&request("GET", "/user_management/users", &none)),
            None
        );
        assert_eq!(
            limits
                .check(&request("PUT", "/user_management/users/u", &none))
                .map(|e| e.rule),
            Some("user_management_writes")
        );
    }

    #[test]
    fn per_field_rules_skip_requests_without_the_field() {
        let mut limits = limited(json!({}));
        let mut body = Map::new();
        body.insert("email".into(), json!("A@example.com"));
        let path = "/user_management/authenticate";
        for _ in 0..10 {
            assert_eq!(limits.check(&request("POST", path, &body)), None);
        }
        // Emails compare without case.
        body.insert("email".into(), json!("a@EXAMPLE.com"));
        let over = limits.check(&request("POST", path, &body));
        assert_eq!(over.map(|e| e.rule), Some("authentication"));
        let code_grant = Map::new();
        assert_eq!(limits.check(&request("POST", path, &code_grant)), None);
    }

    #[test]
    fn windows_slide() {
        let mut limits = limited(json!({"general": {"limit": 2, "window_ms": 40}}));
        let none = Map::new();
        let get = || request("GET", "/organizations", &none);
        assert_eq!(limits.check(&get()), None);
        assert_eq!(limits.check(&get()), None);
        assert!(limits.check(&get()).is_some());
        std::thread::sleep(std::time::Duration::from_millis(60));
        assert_eq!(limits.check(&get()), None);
    }

    #[test]
    fn count_only_serves_but_counts() {
        let mut limits = RateLimits::default();
        let o = json!({"general": {"limit": 1}});
        limits
            .configure(true, false, o.as_object().unwrap())
            .unwrap();
        let none = Map::new();
        for _ in 0..3 {
            assert_eq!(limits.check(&request("GET", "/organizations", &none)), None);
        }
        assert_eq!(limits.over_limit, 2);
    }

    #[test]
    fn overrides_are_checked() {
        let mut limits = RateLimits::default();
        let mut bad = |v: Value| {
            limits
                .configure(true, true, v.as_object().unwrap())
                .is_err()
        };
        assert!(bad(json!({"nope": {"limit": 1}})));
        assert!(bad(json!({"general": {"limit": 0}})));
        assert!(bad(json!({"general": 5})));
    }

    #[test]
    fn refusals_take_the_documented_shapes() {
        let e = Exceeded {
            rule: "x",
            retry_after_secs: 7,
        };
        let r = refusal("/organizations", &e);
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()["retry-after"], "7");
        assert!(!r.headers().contains_key("x-ratelimit-limit"));
    }
}
