//! One WorkOS API call as data. The typed methods of each area (users.rs,
//! organizations.rs, …) build and check a [`Call`], then send it alone
//! ([`Client::call`]) or many at once ([`Client::call_many`], for bulk sync).
//! Building is pure, so every endpoint's method, path, query and body are
//! unit-tested without a network.

/// The bound of [`parse`]: re-exported so the binding needs no serde of its own.
pub use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::bulk::BulkCall;
use super::params::{invalid, Page};
use super::{ApiError, Client};

/// A checked API call: its method, path segments (each percent-encoded when
/// sent), query pairs and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: &'static str,
    pub path: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Call {
    pub(crate) fn new(method: &'static str, path: &[&str]) -> Self {
        Self {
            method,
            path: path.iter().map(|s| s.to_string()).collect(),
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn get(path: &[&str]) -> Self {
        Self::new("GET", path)
    }

    pub(crate) fn post(path: &[&str], body: Option<Value>) -> Self {
        Self {
            body,
            ..Self::new("POST", path)
        }
    }

    pub(crate) fn put(path: &[&str], body: Value) -> Self {
        Self {
            body: Some(body),
            ..Self::new("PUT", path)
        }
    }

    pub(crate) fn with_query(mut self, query: Vec<(String, String)>) -> Self {
        self.query = query;
        self
    }

    /// The absolute URL this call goes to on `client`'s base URL.
    pub fn url(&self, client: &Client) -> Result<url::Url, ApiError> {
        let segments: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let mut url = client.url(&segments)?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    fn into_bulk(self) -> BulkCall {
        BulkCall {
            method: self.method.to_string(),
            path: self.path,
            query: self.query,
            body: self.body,
        }
    }
}

/// A typed body as JSON (`None` fields are left out by the types' serde
/// attributes, so WorkOS leaves those properties unchanged).
pub(crate) fn body_of(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Reads typed parameters from the JSON a caller gave (a PHP array): unknown
/// keys and wrong types are refused with the parameter's name.
pub fn parse<T: DeserializeOwned>(what: &str, value: Value) -> Result<T, ApiError> {
    let value = match value {
        // An empty PHP array is an empty list to JSON.
        Value::Array(a) if a.is_empty() => Value::Object(Map::new()),
        Value::Null => Value::Object(Map::new()),
        v @ Value::Object(_) => v,
        _ => return Err(invalid(format!("{what} must be an array with string keys"))),
    };
    serde_json::from_value(value).map_err(|e| invalid(format!("{what}: {e}")))
}

/// Splits list parameters into the endpoint's filters and the paging keys
/// (`limit`, `before`, `after`, `order`) that every list shares.
pub fn parse_list<T: DeserializeOwned>(what: &str, value: Value) -> Result<(T, Page), ApiError> {
    let mut map = parse::<Map<String, Value>>(what, value)?;
    let mut paging = Map::new();
    for key in ["limit", "before", "after", "order"] {
        if let Some(v) = map.remove(key) {
            paging.insert(key.into(), v);
        }
    }
    let page = parse::<PageParams>(what, Value::Object(paging))?;
    let filters = parse::<T>(what, Value::Object(map))?;
    Ok((filters, page.into()))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageParams {
    limit: Option<u32>,
    before: Option<String>,
    after: Option<String>,
    order: Option<super::params::Order>,
}

impl From<PageParams> for Page {
    fn from(p: PageParams) -> Self {
        Page {
            limit: p.limit,
            before: p.before,
            after: p.after,
            order: p.order,
        }
    }
}

/// Checks that a 2xx answer is a JSON object (with `id` when `with_id`).
pub(crate) fn expect_object(what: &str, value: Value, with_id: bool) -> Result<Value, ApiError> {
    let ok = value.is_object() && (!with_id || value.get("id").is_some_and(Value::is_string));
    if ok {
        Ok(value)
    } else {
        Err(ApiError::BadResponse(format!(
            "{what} answered without {}",
            if with_id { "an object id" } else { "an object" }
        )))
    }
}

/// Checks that a 2xx answer is a WorkOS list page (`data` is a list).
pub(crate) fn expect_list(what: &str, value: Value) -> Result<Value, ApiError> {
    if value.get("data").is_some_and(Value::is_array) {
        Ok(value)
    } else {
        Err(ApiError::BadResponse(format!(
            "{what} answered without a data list"
        )))
    }
}

impl Client {
    /// Sends one checked call.
    pub fn call(&self, call: &Call) -> Result<Value, ApiError> {
        let segments: Vec<&str> = call.path.iter().map(String::as_str).collect();
        self.request(call.method, &segments, &call.query, call.body.as_ref())
    }

    /// Sends many calls with up to `concurrency` in flight (see
    /// [`Client::request_many`]). A call that failed its checks keeps its
    /// error and is not sent; results come back in the order of `calls`, so
    /// one bad item of a batch never stops the others.
    pub fn call_many(
        &self,
        calls: Vec<Result<Call, ApiError>>,
        concurrency: usize,
    ) -> Vec<Result<Value, ApiError>> {
        let mut results: Vec<Option<Result<Value, ApiError>>> = Vec::with_capacity(calls.len());
        let mut batch = Vec::new();
        let mut slots = Vec::new();
        for (i, call) in calls.into_iter().enumerate() {
            match call {
                Ok(call) => {
                    batch.push(call.into_bulk());
                    slots.push(i);
                    results.push(None);
                }
                Err(e) => results.push(Some(Err(e))),
            }
        }
        if !batch.is_empty() {
            for (slot, outcome) in slots
                .into_iter()
                .zip(self.request_many(&batch, concurrency))
            {
                results[slot] = Some(outcome);
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(ApiError::Transport("not run".into()))))
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::client::{Config, Order};
    use serde_json::json;

    pub(crate) fn client() -> Client {
        let mut c = Config::new("sk_test", "client_1");
        c.base_url = "https://api.workos.com".into();
        Client::new(c).unwrap()
    }

    /// A loopback HTTP server answering each request in turn with one of
    /// `answers` (status, JSON), then closing; returns the base URL and the
    /// request lines it saw. Just enough HTTP/1.1 to test paging.
    pub(crate) fn serve(
        answers: Vec<(u16, &'static str)>,
    ) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for (status, body) in answers {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                let mut first = String::new();
                reader.read_line(&mut first).unwrap();
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    if header.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut sent = vec![0; length];
                reader.read_exact(&mut sent).unwrap();
                log.lock().unwrap().push(first.trim().to_string());
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (base, seen)
    }

    pub(crate) fn client_at(base: &str) -> Client {
        let mut c = Config::new("sk_test", "client_1");
        c.base_url = base.into();
        c.max_retries = 0;
        Client::new(c).unwrap()
    }

    /// `METHOD url` of a call, for compact assertions.
    pub(crate) fn line(call: &Call) -> String {
        format!("{} {}", call.method, call.url(&client()).unwrap())
    }

    #[test]
    fn query_values_are_form_encoded() {
        let call = Call::get(&["user_management", "users"])
            .with_query(vec![("email".into(), "a+b c&d=e@example.com".into())]);
        assert_eq!(
            line(&call),
            "GET https://api.workos.com/user_management/users?email=a%2Bb+c%26d%3De%40example.com"
        );
    }

    #[test]
    fn list_params_split_paging_from_filters() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields)]
        struct F {
            email: Option<String>,
        }
        let (f, page) = parse_list::<F>(
            "params",
            json!({"email": "a@b", "limit": 5, "order": "asc", "after": "user_1"}),
        )
        .unwrap();
        assert_eq!(f.email.as_deref(), Some("a@b"));
        assert_eq!(
            page,
            Page {
                limit: Some(5),
                before: None,
                after: Some("user_1".into()),
                order: Some(Order::Asc),
            }
        );
        let (_, empty) = parse_list::<F>("params", json!([])).unwrap();
        assert_eq!(empty, Page::default());
        for (bad, msg) in [
            (json!({"emial": "a@b"}), "unknown field `emial`"),
            (json!({"limit": "100"}), "invalid type"),
            (json!({"limit": -1}), "invalid value"),
            (json!({"order": "up"}), "unknown variant `up`"),
            (json!(["a"]), "params must be an array with string keys"),
        ] {
            let err = parse_list::<F>("params", bad).unwrap_err().to_string();
            assert!(err.contains(msg), "{err}");
        }
    }

    #[test]
    fn answers_are_shape_checked() {
        assert!(expect_object("x", json!({"id": "user_1"}), true).is_ok());
        assert!(expect_object("x", json!({"id": 1}), true).is_err());
        assert!(expect_object("x", json!([]), false).is_err());
        assert!(expect_list("x", json!({"data": [], "list_metadata": {}})).is_ok());
        assert!(matches!(
            expect_list("x", json!({"data": {}})),
            Err(ApiError::BadResponse(_))
        ));
    }

    #[test]
    fn a_bad_item_of_a_batch_is_not_sent_and_keeps_its_place() {
        // Nothing listens on port 9: the valid calls fail to connect.
        let mut c = Config::new("sk_test", "client_1");
        c.base_url = "http://127.0.0.1:9".into();
        c.max_retries = 0;
        let client = Client::new(c).unwrap();
        let results = client.call_many(
            vec![
                Ok(Call::get(&["organizations"])),
                Err(invalid("email must not be empty")),
                Ok(Call::get(&["organizations"])),
            ],
            2,
        );
        assert_eq!(results.len(), 3);
        assert!(matches!(results[0], Err(ApiError::Transport(_))));
        assert!(matches!(results[1], Err(ApiError::InvalidInput(_))));
        assert!(matches!(results[2], Err(ApiError::Transport(_))));
        assert!(client.call_many(Vec::new(), 4).is_empty());
    }
}
