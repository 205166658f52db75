//! Access-token verification against real RS256 signatures made with fixture
//! keys (test-only keys, generated for this suite).

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use workos_core::jwks::Jwks;
use workos_core::token::{peek_kid, verify, Expect, TokenError};

const NOW: i64 = 1_800_000_000;

fn jwk(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}-jwk.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn jwks(keys: &[Value]) -> Jwks {
    Jwks::parse(&json!({ "keys": keys }).to_string()).unwrap()
}

fn sign_with(name: &str, kid: Option<&str>, claims: &Value) -> String {
    let pem = std::fs::read(format!("tests/fixtures/{name}-rsa.pem")).unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_string);
    encode(&header, claims, &EncodingKey::from_rsa_pem(&pem).unwrap()).unwrap()
}

fn claims() -> Value {
    json!({
        "iss": "https://api.workos.com/user_management/client_1",
        "sub": "user_01",
        "sid": "session_01",
        "jti": "jti_01",
        "org_id": "org_01",
        "role": "admin",
        "roles": ["admin"],
        "permissions": [],
        "iat": NOW - 10,
        "exp": NOW + 300,
    })
}

#[test]
fn accepts_valid_token_and_returns_claims() {
    let token = sign_with("test", Some("test-key"), &claims());
    let out = verify(&token, &jwks(&[jwk("test")]), &Expect::at(NOW)).unwrap();
    assert_eq!(out["sub"], "user_01");
    assert_eq!(out["roles"][0], "admin");
    assert_eq!(peek_kid(&token).unwrap(), "test-key");
}

#[test]
fn rejects_token_signed_by_another_key_with_same_kid() {
    let token = sign_with("other", Some("test-key"), &claims());
    assert_eq!(
        verify(&token, &jwks(&[jwk("test")]), &Expect::at(NOW)),
        Err(TokenError::BadSignature)
    );
}

#[test]
fn rejects_unknown_and_missing_kid() {
    let set = jwks(&[jwk("test")]);
    let token = sign_with("other", Some("other-key"), &claims());
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::UnknownKid("other-key".into()))
    );
    let token = sign_with("test", None, &claims());
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::MissingKid)
    );
}

#[test]
fn rejects_hs256_and_none_algorithms() {
    // An HS256 token "signed" with the public key bytes is the classic
    // algorithm-confusion attack; it must be refused before any key is used.
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("test-key".into());
    let token = encode(&header, &claims(), &EncodingKey::from_secret(b"public")).unwrap();
    let set = jwks(&[jwk("test")]);
    assert!(matches!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::AlgorithmNotAllowed(_))
    ));
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg":"none","kid":"test-key"})),
        b64(&claims())
    );
    assert!(verify(&none, &set, &Expect::at(NOW)).is_err());
}

#[test]
fn checks_expiry_with_leeway() {
    let token = sign_with("test", Some("test-key"), &claims());
    let set = jwks(&[jwk("test")]);
    assert!(verify(&token, &set, &Expect::at(NOW + 300 + 60)).is_ok());
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW + 361)),
        Err(TokenError::Expired)
    );
    let mut strict = Expect::at(NOW + 301);
    strict.leeway_secs = 0;
    assert_eq!(verify(&token, &set, &strict), Err(TokenError::Expired));
}

#[test]
fn requires_exp_and_checks_nbf_and_iat() {
    let set = jwks(&[jwk("test")]);
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    let token = sign_with("test", Some("test-key"), &c);
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::MissingExp)
    );

    let mut c = claims();
    c["nbf"] = json!(NOW + 120);
    let token = sign_with("test", Some("test-key"), &c);
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::NotYetValid)
    );

    let mut c = claims();
    c["iat"] = json!(NOW + 120);
    let token = sign_with("test", Some("test-key"), &c);
    assert_eq!(
        verify(&token, &set, &Expect::at(NOW)),
        Err(TokenError::IssuedInFuture)
    );
}

#[test]
fn checks_issuer_and_audience_when_asked() {
    let set = jwks(&[jwk("test")]);
    let mut c = claims();
    c["aud"] = json!(["client_1"]);
    let token = sign_with("test", Some("test-key"), &c);
    let mut expect = Expect::at(NOW);
    expect.issuer = Some("https://api.workos.com/user_management/client_1".into());
    expect.audience = Some("client_1".into());
    assert!(verify(&token, &set, &expect).is_ok());
    expect.issuer = Some("https://evil.example".into());
    assert_eq!(
        verify(&token, &set, &expect),
        Err(TokenError::IssuerMismatch)
    );
    expect.other_issuers = vec![
        "https://api.workos.com".into(),
        "https://api.workos.com/user_management/client_1".into(),
    ];
    assert!(verify(&token, &set, &expect).is_ok());
    expect.other_issuers = vec!["https://api.workos.com".into()];
    assert_eq!(
        verify(&token, &set, &expect),
        Err(TokenError::IssuerMismatch)
    );
    expect.issuer = None;
    expect.audience = Some("client_2".into());
    assert_eq!(
        verify(&token, &set, &expect),
        Err(TokenError::AudienceMismatch)
    );
}

#[test]
fn an_optional_audience_still_refuses_someone_elses() {
    let set = jwks(&[jwk("test")]);
    let mut expect = Expect::at(NOW);
    expect.audience = Some("client_1".into());
    let without = sign_with("test", Some("test-key"), &claims());
    assert_eq!(
        verify(&without, &set, &expect),
        Err(TokenError::AudienceMismatch)
    );
    expect.audience_optional = true;
    assert!(verify(&without, &set, &expect).is_ok());
    for aud in [
        json!("client_2"),
        json!(["client_2"]),
        json!(null),
        json!(7),
    ] {
        let mut c = claims();
        c["aud"] = aud.clone();
        let token = sign_with("test", Some("test-key"), &c);
        assert_eq!(
            verify(&token, &set, &expect),
            Err(TokenError::AudienceMismatch),
            "{aud}"
        );
    }
}

#[test]
fn rejects_garbage_tokens() {
    let set = jwks(&[jwk("test")]);
    for bad in ["", "abc", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.e30.sig"] {
        assert!(verify(bad, &set, &Expect::at(NOW)).is_err(), "{bad}");
    }
}

#[test]
fn rejects_out_of_range_leeway() {
    let token = sign_with("test", Some("test-key"), &claims());
    let mut expect = Expect::at(NOW);
    expect.leeway_secs = -1;
    assert!(matches!(
        verify(&token, &jwks(&[jwk("test")]), &expect),
        Err(TokenError::BadExpectation(_))
    ));
}
