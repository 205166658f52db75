//! The API client against a scripted loopback HTTP server: request shape,
//! error decoding, retries on 429/5xx, keep-alive reuse.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use workos_core::client::{ApiError, Client, Config};

/// Scripted answers: status, extra header lines, body.
type Answer = (u16, &'static str, &'static str);
type Script = Arc<Mutex<std::vec::IntoIter<Answer>>>;

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
    connection: usize,
}

/// Serves the scripted `(status, extra headers, body)` answers in order,
/// keeping connections alive, and records each request.
fn server(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(script.into_iter()));
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { continue };
            let (seen, script) = (Arc::clone(&seen2), Arc::clone(&script));
            std::thread::spawn(move || serve(stream, n, seen, script));
        }
    });
    (format!("http://{addr}"), seen)
}

fn serve(stream: TcpStream, connection: usize, seen: Arc<Mutex<Vec<Seen>>>, script: Script) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        let mut length = 0;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap();
            }
            headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        seen.lock().unwrap().push(Seen {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into(),
            connection,
        });
        let (status, extra, body) = script.lock().unwrap().next().unwrap_or((500, "", "{}"));
        let reply = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
            body.len()
        );
        out.write_all(reply.as_bytes()).unwrap();
    }
}

fn client(base: &str) -> Client {
    let mut cfg = Config::new("sk_test_secret", "client_123");
    cfg.base_url = base.into();
    cfg.timeout = Duration::from_secs(5);
    Client::new(cfg).unwrap()
}

const AUTH_OK: &str = r#"{"user":{"object":"user","id":"user_1","email":"a@example.com"},"access_token":"x","refresh_token":"y"}"#;

#[test]
fn sends_code_grant_with_credentials_and_verifier() {
    let (base, seen) = server(vec![(200, "", AUTH_OK)]);
    let verifier = "v".repeat(43);
    let out = client(&base)
        .authenticate_with_code("code_1", Some(&verifier), None)
        .unwrap();
    assert_eq!(out["user"]["id"], "user_1");
    let req = seen.lock().unwrap()[0].clone();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/user_management/authenticate");
    let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(body["grant_type"], "authorization_code");
    assert_eq!(body["client_id"], "client_123");
    assert_eq!(body["client_secret"], "sk_test_secret");
    assert_eq!(body["code"], "code_1");
    assert_eq!(body["code_verifier"], verifier);
}

#[test]
fn decodes_workos_error_bodies() {
    let (base, _) = server(vec![(
        400,
        "X-Request-ID: req_1\r\n",
        r#"{"error":"invalid_grant","error_description":"The code has already been used."}"#,
    )]);
    let err = client(&base)
        .authenticate_with_code("used", None, None)
        .unwrap_err();
    match err {
        ApiError::Http(e) => {
            assert_eq!(e.status, 400);
            assert_eq!(e.code.as_deref(), Some("invalid_grant"));
            assert_eq!(e.message, "The code has already been used.");
            assert_eq!(e.request_id.as_deref(), Some("req_1"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn retries_429_and_503_then_succeeds() {
    let (base, seen) = server(vec![
        (429, "Retry-After: 0\r\n", r#"{"message":"slow down"}"#),
        (503, "", r#"{"message":"unavailable"}"#),
        (200, "", r#"{"object":"user","id":"user_9"}"#),
    ]);
    let user = client(&base).get_user("user_9").unwrap();
    assert_eq!(user["id"], "user_9");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    let auth = seen[0]
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap();
    assert_eq!(auth.1, "Bearer sk_test_secret");
}

#[test]
fn gives_up_after_max_retries() {
    let (base, seen) = server(vec![
        (503, "", "{}"),
        (503, "", "{}"),
        (503, "", "{}"),
        (200, "", "{}"),
    ]);
    let err = client(&base).get_user("user_u").unwrap_err();
    assert_eq!(err.status(), 503);
    assert_eq!(seen.lock().unwrap().len(), 3);
}

#[test]
fn does_not_retry_client_errors() {
    let (base, seen) = server(vec![(
        404,
        "",
        r#"{"code":"entity_not_found","message":"nope"}"#,
    )]);
    let err = client(&base).get_user("user_u").unwrap_err();
    assert_eq!(err.code(), Some("entity_not_found"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn reuses_one_keep_alive_connection() {
    // get_user() checks that the answer is a user (an object with an id).
    let user = r#"{"object":"user","id":"user_u"}"#;
    let (base, seen) = server(vec![(200, "", user), (200, "", user), (200, "", user)]);
    let c = client(&base);
    for _ in 0..3 {
        c.get_user("user_u").unwrap();
    }
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|s| s.connection == seen[0].connection));
}

#[test]
fn encodes_ids_in_paths() {
    let (base, seen) = server(vec![(200, "", "{}")]);
    // get_user() refuses an id that is not shaped like one before encoding
    // it; every typed call goes through request(), which encodes.
    client(&base)
        .request(
            "GET",
            &["user_management", "users", "user_1?x=1#y"],
            &[],
            None,
        )
        .unwrap();
    assert_eq!(
        seen.lock().unwrap()[0].path,
        "/user_management/users/user_1%3Fx=1%23y"
    );
}

#[test]
fn reports_unreachable_host_as_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut cfg = Config::new("k", "c");
    cfg.base_url = base;
    cfg.max_retries = 0;
    let err = Client::new(cfg).unwrap().get_user("user_u").unwrap_err();
    assert!(matches!(err, ApiError::Transport(_)), "{err:?}");
}

#[test]
fn rejects_invalid_json_on_success() {
    let (base, _) = server(vec![(200, "", "not json")]);
    assert!(matches!(
        client(&base).get_user("user_u"),
        Err(ApiError::BadResponse(_))
    ));
}

#[test]
fn request_many_keeps_order_runs_in_parallel_and_isolates_failures() {
    use workos_core::client::BulkCall;
    // Six answers: one refusal among them, whichever call gets it.
    let (base, seen) = server(vec![
        (200, "", r#"{"n":1}"#),
        (200, "", r#"{"n":2}"#),
        (
            422,
            "",
            r#"{"code":"user_exists","message":"Already exists."}"#,
        ),
        (200, "", r#"{"n":4}"#),
        (200, "", r#"{"n":5}"#),
        (200, "", r#"{"n":6}"#),
    ]);
    let calls: Vec<BulkCall> = (0..6)
        .map(|i| BulkCall {
            method: "POST".into(),
            path: vec!["user_management".into(), "users".into()],
            query: vec![],
            body: Some(serde_json::json!({"email": format!("u{i}@example.com")})),
        })
        .collect();
    let results = client(&base).request_many(&calls, 3);
    assert_eq!(results.len(), 6);
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6);
    // Every call was sent exactly once.
    let mut emails: Vec<String> = seen
        .iter()
        .map(|s| {
            serde_json::from_str::<serde_json::Value>(&s.body).unwrap()["email"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    emails.sort();
    assert_eq!(
        emails,
        (0..6)
            .map(|i| format!("u{i}@example.com"))
            .collect::<Vec<_>>()
    );
    // At most three connections for three workers, reused across calls.
    let connections: std::collections::HashSet<usize> = seen.iter().map(|s| s.connection).collect();
    assert!(connections.len() <= 3, "{connections:?}");
}

#[test]
fn request_many_with_nothing_to_do() {
    assert!(client("http://127.0.0.1:9").request_many(&[], 8).is_empty());
}

#[test]
fn a_retry_after_beyond_the_cap_returns_the_429_at_once() {
    // `1e300` once made Duration::from_secs_f64 panic; an hour is not worth a
    // visitor's wait either. Both end the retries with WorkOS's own answer.
    for asked in ["1e300", "3600", "6"] {
        let (base, seen) = server(vec![
            (
                429,
                Box::leak(format!("Retry-After: {asked}\r\n").into_boxed_str()),
                r#"{"message":"slow down"}"#,
            ),
            (200, "", r#"{"object":"user","id":"user_9"}"#),
        ]);
        let started = std::time::Instant::now();
        let err = client(&base).get_user("user_9").unwrap_err();
        assert_eq!(err.status(), 429, "{asked}");
        assert_eq!(seen.lock().unwrap().len(), 1, "{asked}: no retry");
        assert!(started.elapsed() < Duration::from_secs(2), "{asked}");
    }
}

#[test]
fn retry_after_values_are_parsed_and_capped() {
    use workos_core::client::{parse_retry_after, RETRY_AFTER_CAP};
    assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
    assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
    assert_eq!(parse_retry_after("1e300"), Some(RETRY_AFTER_CAP));
    for bad in ["-1", "NaN", "inf", "", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        assert_eq!(parse_retry_after(bad), None, "{bad}");
    }
}

#[test]
fn dot_segments_never_reach_the_wire() {
    let (base, seen) = server(vec![(200, "", r#"{"object":"user","id":"x"}"#)]);
    let c = client(&base);
    for id in ["..", ".", "%2e%2E", "%252e%252e", "../organizations"] {
        assert!(
            matches!(c.get_user(id), Err(ApiError::InvalidInput(_))),
            "{id}"
        );
        assert!(matches!(
            c.request("GET", &["organizations", id], &[], None),
            Err(ApiError::InvalidInput(_))
        ));
    }
    assert!(seen.lock().unwrap().is_empty());
}
