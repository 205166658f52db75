//! Property tests ("fuzzing" on stable Rust) of every parser that takes
//! visitor or WorkOS input: none may panic, and none may accept what a
//! reference implementation rejects — redirect targets are checked against
//! the `url` crate, client IPs against std's parser, webhook signatures
//! against an HMAC computed here, tokens and states against their issuer's
//! claims. Case counts are modest so `cargo test` stays fast; raise them with
//! `PROPTEST_CASES=<n>` for a longer run.

use std::net::IpAddr;
use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::Sha256;

use workos_core::client::{self, parse_retry_after, ApiError, Client, Config, RETRY_AFTER_CAP};
use workos_core::client_ip::{self, TrustedProxies};
use workos_core::jwks::Jwks;
use workos_core::token::{self, Expect};
use workos_core::{event, pkce, rate_limit, redirect, roles, state, webhook};

fn config() -> ProptestConfig {
    cases(128)
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings biased towards what breaks parsers: delimiters, encodings, NULs,
/// non-ASCII, and fragments of valid input.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,64}",
        proptest::collection::vec(
            prop_oneof![
                Just("."),
                Just(".."),
                Just("/"),
                Just("\\"),
                Just("%"),
                Just("%2e"),
                Just("%2E"),
                Just("%25"),
                Just("%2f"),
                Just("%5c"),
                Just("%00"),
                Just("\0"),
                Just(":"),
                Just("@"),
                Just("["),
                Just("]"),
                Just(","),
                Just("="),
                Just(" "),
                Just("\t"),
                Just("\r\n"),
                Just("http://"),
                Just("https://"),
                Just("//"),
                Just("127.0.0.1"),
                Just("::1"),
                Just("10.0.0.0/8"),
                Just("t="),
                Just("v1="),
                Just("ä"),
                Just("\u{202e}"),
                Just("evil.example"),
                Just("0x7f.1"),
                Just("#"),
                Just("?"),
                Just("-"),
                Just("1"),
            ],
            0..12
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        hostile().prop_map(Value::from),
        prop_oneof![
            Just("admin"),
            Just("member"),
            Just("slug"),
            Just("role"),
            Just("roles")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_string()),
                        Just("event".to_string()),
                        Just("data".to_string()),
                        Just("object".to_string()),
                        Just("created_at".to_string()),
                        Just("updated_at".to_string()),
                        Just("role".to_string()),
                        Just("roles".to_string()),
                        Just("slug".to_string()),
                        Just("keys".to_string()),
                        Just("kid".to_string()),
                        Just("kty".to_string()),
                        Just("n".to_string()),
                        Just("e".to_string()),
                        hostile(),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------- webhooks

fn reference_hmac(secret: &str, t: i64, body: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn webhook_header_parser_never_panics(header in hostile()) {
        let _ = webhook::parse_header(&header);
    }

    /// Whatever the header says, a delivery is accepted only when one of its
    /// `v1` values is the HMAC of `t.body` under the secret (computed here).
    #[test]
    fn webhooks_are_accepted_only_with_the_right_hmac(
        body in proptest::collection::vec(any::<u8>(), 0..256),
        header in hostile(),
        secret in "[ -~]{1,40}",
        now in 0i64..4_000_000_000_000,
        tolerance in 0i64..100_000,
    ) {
        if let Ok(event) = webhook::verify(&body, &header, &secret, tolerance, now) {
            let parsed = webhook::parse_header(&header).unwrap();
            let expected = reference_hmac(&secret, parsed.timestamp_ms, &body);
            prop_assert!(parsed.signatures.contains(&expected));
            prop_assert!(event.is_object());
        }
    }

    #[test]
    fn a_signed_webhook_verifies_and_any_change_breaks_it(
        event in arbitrary_json(),
        secret in "[ -~]{1,40}",
        other_secret in "[ -~]{1,40}",
        flip in any::<prop::sample::Index>(),
        now in 1_000_000i64..4_000_000_000_000,
    ) {
        let body = serde_json::to_vec(&json!({"id": "event_1", "event": "x", "data": event})).unwrap();
        let header = format!("t={now}, v1={}", webhook::sign(&body, &secret, now));
        prop_assert!(webhook::verify(&body, &header, &secret, 180, now).is_ok());
        if other_secret != secret {
            prop_assert_eq!(
                webhook::verify(&body, &header, &other_secret, 180, now),
                Err(webhook::WebhookError::Mismatch)
            );
        }
        let mut tampered = body.clone();
        let i = flip.index(tampered.len());
        tampered[i] ^= 0x01;
        prop_assert!(webhook::verify(&tampered, &header, &secret, 180, now).is_err());
    }

    #[test]
    fn event_describe_never_panics(event in arbitrary_json()) {
        let _ = event::describe(&event);
    }
}

// ------------------------------------------------------------- JWT / JWKS

fn fixture_jwks() -> &'static Jwks {
    static SET: OnceLock<Jwks> = OnceLock::new();
    SET.get_or_init(|| {
        let key: Value =
            serde_json::from_str(&std::fs::read_to_string("tests/fixtures/test-jwk.json").unwrap())
                .unwrap();
        Jwks::parse(&json!({ "keys": [key] }).to_string()).unwrap()
    })
}

fn fixture_key() -> &'static EncodingKey {
    static KEY: OnceLock<EncodingKey> = OnceLock::new();
    KEY.get_or_init(|| {
        EncodingKey::from_rsa_pem(&std::fs::read("tests/fixtures/test-rsa.pem").unwrap()).unwrap()
    })
}

const NOW: i64 = 1_800_000_000;

fn signed_token(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key".into());
    encode(&header, claims, fixture_key()).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn jwks_parser_never_panics(text in hostile(), value in arbitrary_json()) {
        let _ = Jwks::parse(&text);
        let _ = Jwks::parse(&value.to_string());
        let _ = Jwks::parse(&json!({ "keys": [value] }).to_string());
    }

    /// A random string never verifies: only WorkOS's private key makes tokens.
    #[test]
    fn random_tokens_never_verify(text in hostile(), parts in proptest::collection::vec("[A-Za-z0-9_-]{0,40}", 3)) {
        let _ = token::peek_kid(&text);
        prop_assert!(token::verify(&text, fixture_jwks(), &Expect::at(NOW)).is_err());
        let joined = parts.join(".");
        prop_assert!(token::verify(&joined, fixture_jwks(), &Expect::at(NOW)).is_err());
    }

}

// RSA signing is slow in debug builds: fewer cases for the properties that sign.
proptest! {
    #![proptest_config(cases(24))]

    /// Changing any character of a valid token either breaks it or leaves
    /// exactly the claims that were signed (base64 can spell the same bytes
    /// twice); it never yields claims nobody signed.
    #[test]
    fn mutated_tokens_never_yield_unsigned_claims(
        sub in "[a-z0-9_]{1,20}",
        at in any::<prop::sample::Index>(),
        replacement in prop_oneof![Just('A'), Just('-'), Just('_'), Just('.'), Just('z'), Just('0'), Just('=')],
    ) {
        let claims = json!({"sub": sub, "exp": NOW + 300, "iat": NOW - 10});
        let token = signed_token(&claims);
        prop_assert_eq!(token::verify(&token, fixture_jwks(), &Expect::at(NOW)).unwrap(), claims.clone());
        let mut chars: Vec<char> = token.chars().collect();
        let i = at.index(chars.len());
        chars[i] = replacement;
        let mutated: String = chars.into_iter().collect();
        if let Ok(out) = token::verify(&mutated, fixture_jwks(), &Expect::at(NOW)) {
            prop_assert_eq!(out, claims);
        }
    }

    /// Time claims of any value (and any clock) never panic.
    #[test]
    fn extreme_time_claims_never_panic(exp in any::<i64>(), nbf in any::<i64>(), iat in any::<i64>(), now in any::<i64>(), leeway in 0i64..=3600) {
        let token = signed_token(&json!({"sub": "u", "exp": exp, "nbf": nbf, "iat": iat}));
        let mut expect = Expect::at(now);
        expect.leeway_secs = leeway;
        let _ = token::verify(&token, fixture_jwks(), &expect);
    }
}

// ------------------------------------------------------------------- state

const STATE_SECRET: &[u8] = b"0123456789abcdef-state-secret";

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_states_never_verify(text in hostile(), binding in hostile(), now in any::<i64>()) {
        prop_assert!(state::verify(STATE_SECRET, &text, &binding, now).is_err());
    }

    #[test]
    fn issued_states_verify_only_unchanged_and_in_their_browser(
        data in arbitrary_json(),
        binding in "[ -~]{1,40}",
        other in "[ -~]{1,40}",
        ttl in prop_oneof![1i64..=86_400, any::<i64>()],
        now in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MAX - 86_400), 0i64..4_000_000_000],
        at in any::<prop::sample::Index>(),
    ) {
        let data = json!({ "d": data });
        let Ok(issued) = state::issue(STATE_SECRET, &binding, data.clone(), ttl, now) else {
            return Ok(());
        };
        let ok = state::verify(STATE_SECRET, &issued, &binding, now).unwrap();
        // What JSON carries (floats are not bit-exact through text).
        let carried: Value = serde_json::from_str(&data.to_string()).unwrap();
        prop_assert_eq!(&ok.data, &carried);
        if other != binding {
            prop_assert!(state::verify(STATE_SECRET, &issued, &other, now).is_err());
        }
        prop_assert!(state::verify(b"another-secret-of-16-bytes", &issued, &binding, now).is_err());
        let mut bytes = issued.clone().into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        if let Ok(v) = state::verify(STATE_SECRET, &tampered, &binding, now) {
            prop_assert_eq!(v, ok);
        }
    }
}

// -------------------------------------------------------- redirect targets

proptest! {
    #![proptest_config(config())]

    /// An accepted target is what the `url` crate parses to an http(s) URL
    /// without credentials, on the site's origin or an allowed host.
    #[test]
    fn redirect_targets_stay_on_allowed_origins(
        target in hostile(),
        path in "[ -~]{0,30}",
        site in prop_oneof![Just("http://127.0.0.1:8080/"), Just("https://example.com/wp/"), Just("https://xn--exmple-cua.com/")],
        allowed in proptest::collection::vec(prop_oneof![Just("docs.example.com".to_string()), hostile()], 0..3),
    ) {
        let site_url = url::Url::parse(site).unwrap();
        for candidate in [target.clone(), format!("/{path}"), format!("{site}{path}")] {
            let Some(out) = redirect::validate(&candidate, site, &allowed).unwrap() else { continue };
            let parsed = url::Url::parse(&out).expect("an accepted target is a URL");
            prop_assert!(matches!(parsed.scheme(), "http" | "https"));
            prop_assert!(parsed.username().is_empty() && parsed.password().is_none());
            let host = parsed.host_str().unwrap_or_default();
            let same_origin = parsed.origin() == site_url.origin();
            let allowed_host = allowed.iter().any(|h| !h.is_empty() && h.eq_ignore_ascii_case(host));
            prop_assert!(same_origin || allowed_host, "{candidate:?} -> {out}");
            // And the browser lands where we said: resolving again is stable.
            prop_assert_eq!(site_url.join(&candidate).unwrap().origin(), parsed.origin());
        }
    }

    #[test]
    fn redirect_site_urls_never_panic(target in hostile(), site in hostile()) {
        let _ = redirect::validate(&target, &site, &[]);
    }
}

// -------------------------------------------- client IP / trusted proxies

fn std_parse_hop(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| raw.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

fn ip() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| IpAddr::from(o).to_string()),
        any::<[u16; 8]>().prop_map(|s| IpAddr::from(s).to_string()),
        any::<[u8; 4]>().prop_map(|o| format!("{}:{}", IpAddr::from(o), o[0])),
        hostile(),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// The resolved address is always one std parses, is the socket address
    /// unless that is a trusted proxy, and is otherwise one of the hops.
    #[test]
    fn client_ip_is_a_real_address_from_the_chain(
        remote in ip(),
        hops in proptest::collection::vec(ip(), 0..5),
        proxies in proptest::collection::vec(prop_oneof![Just("10.0.0.0/8".to_string()), Just("127.0.0.1".to_string()), Just("::1".to_string()), hostile()], 0..3),
    ) {
        let Ok(trusted) = TrustedProxies::parse(&proxies) else { return Ok(()) };
        let xff = hops.join(", ");
        match client_ip::resolve(&remote, &xff, &trusted) {
            Err(_) => prop_assert!(std_parse_hop(&remote).is_none()),
            Ok(out) => {
                let out_ip: IpAddr = out.parse().expect("std parses the result");
                let remote_ip = std_parse_hop(&remote).expect("an accepted remote parses");
                if trusted.entries().is_empty() || out_ip == remote_ip {
                    prop_assert_eq!(out_ip, remote_ip);
                } else {
                    prop_assert!(hops.iter().any(|h| std_parse_hop(h) == Some(out_ip)));
                }
            }
        }
    }

    /// Every accepted trusted-proxy entry is an address or range that std /
    /// ipnet parse on their own.
    #[test]
    fn trusted_proxy_entries_are_real_networks(entries in proptest::collection::vec(prop_oneof![ip(), hostile(), "[0-9./:a-f]{1,20}"], 0..4)) {
        if let Ok(parsed) = TrustedProxies::parse(&entries) {
            for canonical in parsed.entries() {
                prop_assert!(canonical.parse::<ipnet::IpNet>().is_ok());
            }
            for e in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
                prop_assert!(e.parse::<ipnet::IpNet>().is_ok() || e.parse::<IpAddr>().is_ok(), "{e:?}");
            }
        }
    }
}

// ------------------------------------------------------- roles, rate limit

proptest! {
    #![proptest_config(config())]

    #[test]
    fn roles_come_only_from_the_map_or_the_default(
        held in arbitrary_json(),
        map in proptest::collection::vec((hostile(), hostile()), 0..5),
        default in proptest::option::of(hostile()),
    ) {
        let slugs = roles::slugs(&held);
        if let Ok(Some(role)) = roles::resolve(&map, &slugs, default.as_deref()) {
            let from_map = map.iter().any(|(slug, r)| r.trim() == role && slugs.iter().any(|s| s == slug.trim()));
            let from_default = default.as_deref().map(str::trim) == Some(role.as_str());
            prop_assert!(from_map || from_default);
        }
    }

    #[test]
    fn rate_limit_decisions_are_sane_for_any_input(tat in any::<i64>(), now in any::<i64>(), limit in any::<u32>(), period in any::<u32>()) {
        if let Ok(d) = rate_limit::check(tat, now, limit, period) {
            prop_assert!(d.retry_after_ms >= 0);
            prop_assert!(d.remaining <= limit);
            if d.allowed {
                prop_assert!(d.tat_ms > now, "an allowed attempt moves the TAT past now");
                prop_assert_eq!(d.retry_after_ms, 0);
            } else {
                prop_assert_eq!(d.tat_ms, tat);
            }
        }
    }

    /// A key over its limit stays refused until time passes, however close
    /// to the ends of the accepted clock; times outside it are an error.
    #[test]
    fn a_limit_holds_near_the_ends_of_the_clock(
        now in prop_oneof![Just(rate_limit::MAX_TIME_MS), Just(0), Just(i64::MAX), Just(i64::MIN), any::<i64>(), 0..=rate_limit::MAX_TIME_MS],
        start in prop_oneof![Just(0), Just(i64::MAX), Just(i64::MIN), any::<i64>()],
        limit in 1u32..10,
        period in 1u32..100_000,
    ) {
        let mut tat = start;
        let mut allowed = 0;
        for _ in 0..(limit + 3) {
            match rate_limit::check(tat, now, limit, period) {
                Err(e) => {
                    prop_assert_eq!(e, rate_limit::RateLimitError::BadClock);
                    prop_assert!(!(0..=rate_limit::MAX_TIME_MS).contains(&now));
                    return Ok(());
                }
                Ok(d) if d.allowed => {
                    allowed += 1;
                    tat = d.tat_ms;
                }
                Ok(_) => {}
            }
        }
        prop_assert!(allowed <= limit, "{allowed} > {limit}");
    }
}

// --------------------------------------------------- API paths, Retry-After

fn api() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| Client::new(Config::new("sk_test", "client_1")).unwrap())
}

fn fully_decoded(segment: &str) -> Vec<Vec<u8>> {
    // Every intermediate decoding a server or proxy chain might see.
    let mut seen = vec![segment.as_bytes().to_vec()];
    for _ in 0..8 {
        let last = seen.last().unwrap();
        let next: Vec<u8> = percent_decode_reference(last);
        if &next == last {
            break;
        }
        seen.push(next);
    }
    seen
}

fn percent_decode_reference(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    // The `url` crate's form decoder treats '+' as space and '&' as the end of
    // the value; escape both first so only percent-escapes are decoded.
    let escaped = text.replace('+', "%2B").replace('&', "%26");
    url::form_urlencoded::parse(format!("x={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(config())]

    /// An accepted path segment can never be read as navigation, however
    /// many times it is decoded, and always stays one segment.
    #[test]
    fn api_path_segments_never_navigate(segment in hostile()) {
        match api().url(&["user_management", "users", &segment]) {
            Err(e) => prop_assert!(matches!(e, ApiError::InvalidInput(_))),
            Ok(url) => {
                for decoded in fully_decoded(&segment) {
                    prop_assert!(decoded != b"." && decoded != b"..", "{segment:?}");
                    prop_assert!(!decoded.contains(&b'/') && !decoded.contains(&b'\\'), "{segment:?}");
                }
                let segments: Vec<_> = url.path_segments().unwrap().collect();
                prop_assert_eq!(segments.len(), 3);
                prop_assert_eq!(&segments[..2], &["user_management", "users"]);
            }
        }
    }

    #[test]
    fn retry_after_is_capped_and_never_panics(value in prop_oneof![hostile(), any::<f64>().prop_map(|f| f.to_string()), any::<u64>().prop_map(|n| n.to_string())]) {
        if let Some(wait) = parse_retry_after(&value) {
            prop_assert!(wait <= RETRY_AFTER_CAP);
        }
    }

    #[test]
    fn pkce_and_client_config_never_panic(verifier in hostile(), base in hostile(), id in hostile()) {
        if pkce::is_valid_verifier(&verifier) {
            prop_assert!((43..=128).contains(&verifier.len()));
            prop_assert!(!pkce::challenge(&verifier).is_empty());
        }
        let mut cfg = Config::new("sk_test", id);
        cfg.base_url = base;
        let _ = Client::new(cfg);
        let _ = client::check_segment(&verifier);
    }
}
