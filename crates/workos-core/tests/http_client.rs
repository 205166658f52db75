//! The client against a tiny local HTTP/1.1 server: connections are reused
//! across clients (as across PHP requests of one worker), 429s are retried
//! after `Retry-After`, and bulk calls share one pacing state.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use workos_core::client::{BulkCall, Client, Config};

const CLOSE_AFTER_MS: &str = "close-after-ms";

/// What the server answers: status, extra headers, body, delay before it.
type Answer = (u16, Vec<(String, String)>, String, Duration);

struct Server {
    base: String,
    connections: Arc<AtomicUsize>,
    /// (arrival, method, path) of every request, in order of arrival.
    log: Arc<Mutex<Vec<(Instant, String, String)>>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

fn serve(handler: impl Fn(usize, &str, &str) -> Answer + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = Server {
        base,
        connections: Arc::default(),
        log: Arc::default(),
        in_flight: Arc::default(),
        max_in_flight: Arc::default(),
    };
    let handler = Arc::new(handler);
    let (connections, log, in_flight, max_in_flight) = (
        server.connections.clone(),
        server.log.clone(),
        server.in_flight.clone(),
        server.max_in_flight.clone(),
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            connections.fetch_add(1, Ordering::SeqCst);
            let (handler, log, in_flight, max_in_flight) = (
                handler.clone(),
                log.clone(),
                in_flight.clone(),
                max_in_flight.clone(),
            );
            std::thread::spawn(move || {
                let _ = connection(stream, &*handler, &log, &in_flight, &max_in_flight);
            });
        }
    });
    server
}

fn connection(
    stream: TcpStream,
    handler: &dyn Fn(usize, &str, &str) -> Answer,
    log: &Mutex<Vec<(Instant, String, String)>>,
    in_flight: &AtomicUsize,
    max_in_flight: &AtomicUsize,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let now_in_flight = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        max_in_flight.fetch_max(now_in_flight, Ordering::SeqCst);
        let n = {
            let mut log = log.lock().unwrap();
            log.push((Instant::now(), method.clone(), path.clone()));
            log.len() - 1
        };
        let (status, headers, body, delay) = handler(n, &method, &path);
        std::thread::sleep(delay);
        in_flight.fetch_sub(1, Ordering::SeqCst);
        let mut out = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        // Not a header: the server closes the idle connection this long
        // after answering, without saying so (as load balancers do).
        let mut close_after = None;
        for (k, v) in headers {
            if k == CLOSE_AFTER_MS {
                close_after = v.parse().ok().map(Duration::from_millis);
                continue;
            }
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&body);
        writer.write_all(out.as_bytes())?;
        if let Some(after) = close_after {
            std::thread::sleep(after);
            return writer.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn client(base: &str) -> Client {
    let mut c = Config::new("sk_test_local", "client_local");
    c.base_url = base.into();
    Client::new(c).unwrap()
}

fn ok() -> Answer {
    (200, vec![], r#"{"ok":true}"#.into(), Duration::ZERO)
}

fn create(i: usize) -> BulkCall {
    BulkCall {
        method: "POST".into(),
        path: vec!["organizations".into()],
        query: vec![],
        body: Some(json!({ "name": format!("org {i}") })),
    }
}

#[test]
fn a_new_client_reuses_the_workers_connection() {
    let server = serve(|_, _, _| ok());
    for _ in 0..50 {
        // A new client per call, as PHP builds one per request.
        let c = client(&server.base);
        assert_eq!(
            c.request("GET", &["organizations"], &[], None).unwrap()["ok"],
            true
        );
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_connection_closed_while_idle_is_not_reused() {
    // Between two PHP requests the server closed the kept-alive connection:
    // the next call goes out on a new one instead of failing.
    let server = serve(|_, _, _| {
        let close = vec![(CLOSE_AFTER_MS.to_string(), "50".to_string())];
        (200, close, r#"{"ok":true}"#.into(), Duration::ZERO)
    });
    let mut cfg = Config::new("sk_test_local", "client_local");
    cfg.base_url = server.base.clone();
    cfg.max_retries = 0;
    for _ in 0..3 {
        let value = Client::new(cfg.clone())
            .unwrap()
            .request("GET", &["organizations"], &[], None)
            .unwrap();
        assert_eq!(value["ok"], true);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[test]
fn a_429_is_retried_after_its_retry_after() {
    let server = serve(|n, _, _| {
        if n == 0 {
            let headers = vec![("Retry-After".to_string(), "0.3".to_string())];
            (
                429,
                headers,
                r#"{"code":"rate_limit_exceeded"}"#.into(),
                Duration::ZERO,
            )
        } else {
            ok()
        }
    });
    let started = Instant::now();
    let value = client(&server.base)
        .request("GET", &["organizations"], &[], None)
        .unwrap();
    assert_eq!(value["ok"], true);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.log.lock().unwrap().len(), 2);
}

#[test]
fn errors_say_whether_they_are_transient() {
    let server = serve(|_, _, path| match path {
        "/organizations/missing" => (
            404,
            vec![],
            r#"{"code":"entity_not_found","message":"Not found"}"#.into(),
            Duration::ZERO,
        ),
        _ => (503, vec![], "down".into(), Duration::ZERO),
    });
    let mut cfg = Config::new("sk_test_local", "client_local");
    cfg.base_url = server.base.clone();
    cfg.max_retries = 0;
    let c = Client::new(cfg).unwrap();
    let missing = c
        .request("GET", &["organizations", "missing"], &[], None)
        .unwrap_err();
    assert_eq!((missing.status(), missing.is_transient()), (404, false));
    let down = c.request("GET", &["organizations"], &[], None).unwrap_err();
    assert_eq!((down.status(), down.is_transient()), (503, true));
    let unreachable = client("http://127.0.0.1:9")
        .request("GET", &["organizations"], &[], None)
        .unwrap_err();
    assert_eq!(
        (unreachable.status(), unreachable.is_transient()),
        (0, true)
    );
}

#[test]
fn bulk_calls_run_concurrently_within_the_bound() {
    let server = serve(|_, _, _| (200, vec![], "{}".into(), Duration::from_millis(50)));
    let calls: Vec<BulkCall> = (0..40).map(create).collect();
    let started = Instant::now();
    let results = client(&server.base).request_many(&calls, 8);
    let took = started.elapsed();
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 8);
    // 40 calls of 50 ms, 8 at a time: 5 rounds, not 40.
    assert!(took < Duration::from_millis(1500), "{took:?}");
}

#[test]
fn a_429_in_a_batch_holds_back_every_call() {
    let throttled_at = Arc::new(Mutex::new(None::<Instant>));
    let seen = throttled_at.clone();
    let server = serve(move |n, _, _| {
        if n == 3 {
            *seen.lock().unwrap() = Some(Instant::now());
            let headers = vec![("Retry-After".to_string(), "1".to_string())];
            return (429, headers, "{}".into(), Duration::ZERO);
        }
        (200, vec![], "{}".into(), Duration::from_millis(20))
    });
    // A key of its own: the pacing state is shared per key and base URL.
    let mut cfg = Config::new("sk_test_hold", "client_local");
    cfg.base_url = server.base.clone();
    let calls: Vec<BulkCall> = (0..30).map(create).collect();
    let results = Client::new(cfg).unwrap().request_many(&calls, 4);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let at = throttled_at.lock().unwrap().expect("a call was throttled");
    // Calls already on their way may arrive just after the 429; none is
    // sent after the client saw it until the second has passed.
    let log = server.log.lock().unwrap();
    let early = log
        .iter()
        .filter(|(t, _, _)| {
            *t > at + Duration::from_millis(100) && *t < at + Duration::from_millis(950)
        })
        .count();
    assert_eq!(early, 0, "calls sent during the hold");
    assert_eq!(log.len(), 31);
}

#[test]
fn budget_headers_slow_calls_down_before_the_limit() {
    // A fixed window of 10 calls per second that says so in its headers;
    // refused calls are counted.
    let start = Instant::now();
    let refused = Arc::new(AtomicUsize::new(0));
    let counts = Arc::new(Mutex::new(std::collections::HashMap::<u64, u64>::new()));
    let (r, c) = (refused.clone(), counts.clone());
    let server = serve(move |_, _, _| {
        let elapsed = start.elapsed();
        let window = elapsed.as_secs();
        let reset = 1.0 - (elapsed.as_secs_f64() - window as f64);
        let mut counts = c.lock().unwrap();
        let used = counts.entry(window).or_default();
        let headers = |remaining: u64| {
            vec![
                ("X-RateLimit-Limit".to_string(), "10".to_string()),
                ("X-RateLimit-Remaining".to_string(), remaining.to_string()),
                ("X-RateLimit-Reset".to_string(), format!("{reset:.3}")),
            ]
        };
        if *used >= 10 {
            r.fetch_add(1, Ordering::SeqCst);
            let mut h = headers(0);
            h.push(("Retry-After".into(), format!("{reset:.3}")));
            return (429, h, "{}".into(), Duration::ZERO);
        }
        *used += 1;
        (
            200,
            headers(10 - *used),
            "{}".into(),
            Duration::from_millis(5),
        )
    });
    let mut cfg = Config::new("sk_test_headers", "client_local");
    cfg.base_url = server.base.clone();
    let calls: Vec<BulkCall> = (0..25).map(create).collect();
    let results = Client::new(cfg).unwrap().request_many(&calls, 4);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(refused.load(Ordering::SeqCst), 0, "calls over the limit");
}
