//! An injected fault: what the next matching API requests get instead of
//! the real answer (see `routes::faults`).

use serde_json::{json, Map, Value};

#[derive(Clone, Debug)]
pub struct Fault {
    pub id: String,
    pub method: Option<String>,
    pub path: String,
    pub status: Option<u16>,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    pub delay_ms: u64,
    /// Close the connection without any answer (after the delay), as a
    /// crashed or unreachable server does.
    pub drop: bool,
    /// Only requests whose query or body has these top-level field values,
    /// e.g. one grant type of `POST /user_management/authenticate`.
    pub when: Map<String, Value>,
    /// None: applies until cleared.
    pub remaining: Option<u64>,
    /// Requests answered so far (counted on arrival, so a delayed answer
    /// shows too).
    pub hits: u64,
}

impl Fault {
    /// `fields`: the request's query parameters and body fields, merged.
    pub fn matches(&self, method: &str, path: &str, fields: &Map<String, Value>) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m == "*" || m.eq_ignore_ascii_case(method));
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        let fields_ok = self.when.iter().all(|(k, v)| fields.get(k) == Some(v));
        method_ok && path_ok && fields_ok
    }

    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "body": self.body,
            "headers": headers,
            "delay_ms": self.delay_ms,
            "drop": self.drop,
            "when": self.when,
            "remaining": self.remaining,
            "hits": self.hits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_exact_and_prefix_paths() {
        let mut f = Fault {
            id: "f".into(),
            method: Some("POST".into()),
            path: "/user_management/authenticate".into(),
            status: Some(503),
            body: None,
            headers: vec![],
            delay_ms: 0,
            drop: false,
            when: Map::new(),
            remaining: Some(1),
            hits: 0,
        };
        let none = Map::new();
        assert!(f.matches("post", "/user_management/authenticate", &none));
        assert!(!f.matches("GET", "/user_management/authenticate", &none));
        assert!(!f.matches("POST", "/user_management/authenticate/x", &none));
        f.path = "/user_management/*".into();
        f.method = None;
        assert!(f.matches("GET", "/user_management/users/user_1", &none));
        assert!(!f.matches("GET", "/organizations", &none));
    }

    #[test]
    fn faults_match_on_request_fields() {
        let mut when = Map::new();
        when.insert("grant_type".into(), json!("password"));
        let f = Fault {
            id: "f".into(),
            method: None,
            path: "/user_management/authenticate".into(),
            status: Some(503),
            body: None,
            headers: vec![],
            delay_ms: 0,
            drop: false,
            when,
            remaining: None,
            hits: 0,
        };
        let fields = |grant: &str| {
            let mut m = Map::new();
            m.insert("grant_type".into(), json!(grant));
            m.insert("client_id".into(), json!("client_1"));
            m
        };
        let path = "/user_management/authenticate";
        assert!(f.matches("POST", path, &fields("password")));
        assert!(!f.matches("POST", path, &fields("authorization_code")));
        assert!(!f.matches("POST", path, &Map::new()));
    }
}
