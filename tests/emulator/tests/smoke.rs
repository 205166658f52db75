//! Starts the real binary and walks the main flow: hosted login with PKCE,
//! code exchange, JWKS verification, and a signed webhook. The exhaustive,
//! schema-checked suite is the Python one in tests/emulator_spec/.

use hmac::{Hmac, Mac};
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const API_KEY: &str = "sk_test_smoke";
const CLIENT_ID: &str = "client_smoke";
const SECRET: &str = "whsec_smoke";
const REDIRECT: &str = "http://127.0.0.1:9/callback";

struct Emulator {
    child: Child,
    base: String,
    /// The HTTPS listener's URL, when asked for.
    tls: Option<String>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(webhook_url: &str) -> Emulator {
    start_with(&["--webhook-url", webhook_url, "--webhook-secret", SECRET])
}

/// Starts the binary and waits for its ready lines: one per listener.
fn start_with(extra: &[&str]) -> Emulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_workos-emulator"))
        .args([
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--client-id",
            CLIENT_ID,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("emulator starts");
    let lines = if extra.contains(&"--tls-port") { 2 } else { 1 };
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        for _ in 0..lines {
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
        }
    });
    let mut urls = (0..lines).map(|_| {
        // Debug builds generate the RSA key slowly.
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("ready line");
        line.trim()
            .strip_prefix("workos-emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
            .to_string()
    });
    let base = urls.next().unwrap();
    let tls = urls.next();
    Emulator { child, base, tls }
}

/// Accepts one HTTP request and returns (headers, body).
fn receive_one(listener: TcpListener) -> (String, String) {
    let (mut stream, _) = listener.accept().unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        .unwrap();
    (head, String::from_utf8(body).unwrap())
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn status_and_json(result: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    let resp = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let status = resp.status();
    (status, resp.into_json().unwrap_or(Value::Null))
}

#[test]
fn login_exchange_verify_and_webhook() {
    let hooks = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook_url = format!("http://{}/hooks", hooks.local_addr().unwrap());
    let received = std::thread::spawn(move || receive_one(hooks));
    let emu = start(&hook_url);
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let url = |p: &str| format!("{}{p}", emu.base);

    let (status, body) = status_and_json(agent.get(&url("/health")).call());
    assert_eq!((status, body), (200, json!({"ok": true})));

    // A user created through the API announces itself with a signed event.
    let (status, user) = status_and_json(
        agent
            .post(&url("/user_management/users"))
            .set("Authorization", &format!("Bearer {API_KEY}"))
            .send_json(json!({"email": "smoke@example.com", "password": "long-enough-pw", "email_verified": true})),
    );
    assert_eq!(status, 201);
    let (head, raw) = received.join().unwrap();
    let header = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("WorkOS-Signature: ")
                .or_else(|| l.strip_prefix("workos-signature: "))
        })
        .expect("signature header")
        .to_string();
    let (t, v1) = header.split_once(", ").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.{raw}").as_bytes());
    assert_eq!(
        v1.strip_prefix("v1=").unwrap(),
        hex::encode(mac.finalize().into_bytes())
    );
    let event: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(event["event"], "user.created");
    assert_eq!(event["data"]["id"], user["id"]);

    // Hosted login with PKCE.
    let verifier = "smoke-test-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";
    let challenge = b64url(&Sha256::digest(verifier.as_bytes()));
    let params = [
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("provider", "authkit"),
        ("state", "s-1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let mut authorize = agent.get(&url("/user_management/authorize"));
    for (k, v) in params {
        authorize = authorize.query(k, v);
    }
    let page = authorize.call().unwrap().into_string().unwrap();
    assert!(page.contains("/__emulator/authkit/login"));
    let mut form: Vec<(&str, &str)> = params.to_vec();
    form.extend([
        ("email", "smoke@example.com"),
        ("password", "long-enough-pw"),
    ]);
    let resp = agent
        .post(&url("/__emulator/authkit/login"))
        .send_form(&form)
        .unwrap();
    assert_eq!(resp.status(), 302);
    let location = url::Url::parse(resp.header("location").unwrap()).unwrap();
    let query: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(query["state"], "s-1");
    let code = query["code"].clone();

    let exchange = json!({
        "client_id": CLIENT_ID,
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
    });
    let (status, auth) = status_and_json(
        agent
            .post(&url("/user_management/authenticate"))
            .send_json(exchange.clone()),
    );
    assert_eq!(status, 200, "{auth}");
    let (status, again) = status_and_json(
        agent
            .post(&url("/user_management/authenticate"))
            .send_json(exchange),
    );
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // The access token verifies against the published key.
    let token = auth["access_token"].as_str().unwrap();
    let kid = decode_header(token).unwrap().kid.unwrap();
    let (_, jwks) = status_and_json(agent.get(&url(&format!("/sso/jwks/{CLIENT_ID}"))).call());
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap();
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    // WorkOS names the client in the issuer and puts no `aud` in the token.
    validation.set_issuer(&[format!("{}/user_management/{CLIENT_ID}", emu.base)]);
    validation.validate_aud = false;
    let claims = decode::<Value>(token, &key, &validation).unwrap().claims;
    assert!(claims.get("aud").is_none());
    assert_eq!(claims["sub"], user["id"]);
    assert!(claims["sid"].as_str().unwrap().starts_with("session_"));

    // The management API wants the API key.
    let (status, body) = status_and_json(agent.get(&url("/user_management/users")).call());
    assert_eq!((status, body), (401, json!({"message": "Unauthorized"})));
}

/// An agent that trusts the emulator's test CA and nothing else.
fn trusting(ca_file: &std::path::Path) -> ureq::Agent {
    use tokio_rustls::rustls::{self, pki_types::pem::PemObject, pki_types::CertificateDer};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(ca_file).expect("the CA file"))
        .unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    ureq::AgentBuilder::new()
        .tls_config(std::sync::Arc::new(config))
        .build()
}

#[test]
fn https_with_the_test_ca_latency_and_rate_limits() {
    let dir = std::env::temp_dir().join(format!("emu-smoke-tls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let emu = start_with(&["--tls-port", "0", "--tls-dir", dir.to_str().unwrap()]);
    let tls = emu.tls.clone().expect("an https line");
    assert!(tls.starts_with("https://127.0.0.1:"), "{tls}");
    let ca_file = dir.join("ca.pem");
    let agent = trusting(&ca_file);
    let plain = ureq::AgentBuilder::new().build();
    let control = |p: &str| format!("{}{p}", emu.base);
    let api = |p: &str| {
        agent
            .get(&format!("{tls}{p}"))
            .set("Authorization", &format!("Bearer {API_KEY}"))
    };

    // The same API over TLS; a client that does not trust the CA is refused.
    let (status, body) = status_and_json(api("/organizations").call());
    assert_eq!((status, body["object"].as_str()), (200, Some("list")));
    assert!(plain.get(&format!("{tls}/health")).call().is_err());
    let (_, config) = status_and_json(plain.get(&control("/__emulator/config")).call());
    assert_eq!(config["tls_url"], json!(tls));
    assert_eq!(config["ca_file"], json!(ca_file.to_str().unwrap()));

    // Latency L: each API request pays it, a new TLS connection 2L more
    // (the TCP and TLS handshakes' round trips).
    let (status, _) = status_and_json(
        plain
            .put(&control("/__emulator/config"))
            .send_json(json!({"latency_ms": 200})),
    );
    assert_eq!(status, 200);
    let fresh = trusting(&ca_file);
    let timed = |agent: &ureq::Agent| {
        let started = std::time::Instant::now();
        let response = agent
            .get(&format!("{tls}/organizations"))
            .set("Authorization", &format!("Bearer {API_KEY}"))
            .call();
        assert_eq!(status_and_json(response).0, 200);
        started.elapsed()
    };
    let first = timed(&fresh);
    let reused = timed(&fresh);
    assert!(first >= Duration::from_millis(600), "{first:?}");
    assert!(reused >= Duration::from_millis(200), "{reused:?}");
    assert!(reused < Duration::from_millis(600), "{reused:?}");
    plain
        .put(&control("/__emulator/config"))
        .send_json(json!({"latency_ms": 0}))
        .unwrap();

    // Rate limits: off by default, then WorkOS's 429 with Retry-After.
    let (_, limits) = status_and_json(plain.get(&control("/__emulator/rate_limits")).call());
    assert_eq!(limits["enabled"], json!(false));
    let (status, limits) = status_and_json(
        plain
            .put(&control("/__emulator/rate_limits"))
            .send_json(json!({"rules": {"general": {"limit": 2}}})),
    );
    assert_eq!((status, &limits["enabled"]), (200, &json!(true)));
    for _ in 0..2 {
        assert_eq!(status_and_json(api("/organizations").call()).0, 200);
    }
    let refused = match api("/organizations").call() {
        Err(ureq::Error::Status(429, r)) => r,
        other => panic!("expected 429, got {other:?}"),
    };
    let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(
        refused.into_json::<Value>().unwrap(),
        json!({"code": "rate_limit_exceeded", "message": "Too many requests."})
    );
    let (_, limits) = status_and_json(plain.get(&control("/__emulator/rate_limits")).call());
    assert_eq!(limits["over_limit"], json!(1));
    assert_eq!(limits["checked"], json!(3));

    // A restart keeps the CA its clients trust.
    let ca = std::fs::read_to_string(&ca_file).unwrap();
    drop(emu);
    let again = start_with(&["--tls-port", "0", "--tls-dir", dir.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&ca_file).unwrap(), ca);
    let tls = again.tls.clone().unwrap();
    let (status, _) = status_and_json(trusting(&ca_file).get(&format!("{tls}/health")).call());
    assert_eq!(status, 200);
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}
