use super::*;
use serde_json::json;

fn rp() -> RelyingParty {
    RelyingParty::new("https://example.test/blog/", "Example").unwrap()
}

const HANDLE: &str = "3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c";

fn b64(bytes: &[u8]) -> String {
    crate::b64::encode(bytes)
}

/// A well-formed "none" attestation object (authenticator data with UP|UV and
/// no credential): webauthn-rs parses it before it compares challenge and origin.
fn attestation_object(rp_id: &str) -> Vec<u8> {
    use sha2::Digest;
    let mut auth = sha2::Sha256::digest(rp_id.as_bytes()).to_vec();
    auth.extend_from_slice(&[0x05, 0, 0, 0, 1]);
    let mut out = vec![0xa3, 0x63];
    out.extend_from_slice(b"fmt");
    out.push(0x64);
    out.extend_from_slice(b"none");
    out.push(0x67);
    out.extend_from_slice(b"attStmt");
    out.push(0xa0);
    out.push(0x68);
    out.extend_from_slice(b"authData");
    out.extend_from_slice(&[0x58, auth.len() as u8]);
    out.extend_from_slice(&auth);
    out
}

/// A registration answer whose client data says `challenge` and `origin`.
fn fake_registration(challenge: &str, origin: &str, kind: &str) -> String {
    let client = json!({"type": kind, "challenge": challenge, "origin": origin}).to_string();
    json!({
        "id": b64(b"cred-1"),
        "rawId": b64(b"cred-1"),
        "type": "public-key",
        "response": {
            "attestationObject": b64(&attestation_object("example.test")),
            "clientDataJSON": b64(client.as_bytes()),
        },
        "extensions": {},
    })
    .to_string()
}

#[test]
fn relying_party_is_the_sites_host_and_origin() {
    let started = rp().start_registration(HANDLE, "ann", "Ann", &[]).unwrap();
    assert_eq!(started.options["rp"]["id"], "example.test");
    assert_eq!(started.options["rp"]["name"], "Example");
    assert_eq!(
        started.options["user"]["id"],
        b64(Uuid::parse_str(HANDLE).unwrap().as_bytes())
    );
    assert_eq!(started.options["user"]["name"], "ann");
    let sel = &started.options["authenticatorSelection"];
    assert_eq!(sel["residentKey"], "required");
    assert_eq!(sel["requireResidentKey"], true);
    assert_eq!(sel["userVerification"], "required");
}

#[test]
fn origins_need_a_secure_context() {
    assert!(RelyingParty::new("http://localhost:8080", "").is_ok());
    assert!(RelyingParty::new("http://app.localhost", "x").is_ok());
    for bad in [
        "http://example.test",
        "ftp://example.test",
        "not a url",
        "",
        "http://127.0.0.1:8080",
        "https://192.0.2.1",
        "https://[::1]",
    ] {
        let err = RelyingParty::new(bad, "x").unwrap_err();
        assert_eq!(err.reason(), "invalid_config", "{bad}");
    }
}

#[test]
fn the_state_is_not_in_the_options() {
    let started = rp().start_registration(HANDLE, "ann", "Ann", &[]).unwrap();
    let challenge = started.options["challenge"].as_str().unwrap().to_string();
    assert!(started.state.contains(&challenge) || !started.state.is_empty());
    let opts = started.options.to_string();
    assert!(
        !opts.contains("\"rs\""),
        "state leaked into options: {opts}"
    );
    // Each ceremony has its own challenge.
    let again = rp().start_registration(HANDLE, "ann", "Ann", &[]).unwrap();
    assert_ne!(again.options["challenge"], started.options["challenge"]);
}

#[test]
fn excluded_credentials_reach_the_browser() {
    let ids = vec![b64(b"one"), b64(b"two")];
    let started = rp().start_registration(HANDLE, "ann", "Ann", &ids).unwrap();
    let excluded: Vec<&str> = started.options["excludeCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(excluded, vec![ids[0].as_str(), ids[1].as_str()]);
}

#[test]
fn bad_inputs_are_malformed() {
    let r = rp();
    assert_eq!(
        r.start_registration("nope", "a", "A", &[])
            .unwrap_err()
            .reason(),
        "malformed"
    );
    assert_eq!(
        r.start_registration(HANDLE, "a", "A", &["***".into()])
            .unwrap_err()
            .reason(),
        "malformed"
    );
    let many = vec![b64(b"x"); MAX_EXCLUDED + 1];
    assert_eq!(
        r.start_registration(HANDLE, "a", "A", &many)
            .unwrap_err()
            .reason(),
        "malformed"
    );
    let started = r.start_registration(HANDLE, "a", "A", &[]).unwrap();
    assert_eq!(
        r.finish_registration("{}", "{}").unwrap_err().reason(),
        "malformed"
    );
    assert_eq!(
        r.finish_registration(&started.state, "not json")
            .unwrap_err()
            .reason(),
        "malformed"
    );
    assert_eq!(identify("{}").unwrap_err().reason(), "malformed");
}

#[test]
fn a_registration_for_another_challenge_is_refused() {
    let r = rp();
    let first = r.start_registration(HANDLE, "a", "A", &[]).unwrap();
    let second = r.start_registration(HANDLE, "a", "A", &[]).unwrap();
    // An answer to the first ceremony presented with the second's state
    // (a replay, or another browser's state).
    let answer = fake_registration(
        first.options["challenge"].as_str().unwrap(),
        "https://example.test",
        "webauthn.create",
    );
    assert_eq!(
        r.finish_registration(&second.state, &answer)
            .unwrap_err()
            .reason(),
        "challenge_mismatch"
    );
}

#[test]
fn a_registration_made_for_another_origin_is_refused() {
    let r = rp();
    let started = r.start_registration(HANDLE, "a", "A", &[]).unwrap();
    let answer = fake_registration(
        started.options["challenge"].as_str().unwrap(),
        "https://evil.test",
        "webauthn.create",
    );
    assert_eq!(
        r.finish_registration(&started.state, &answer)
            .unwrap_err()
            .reason(),
        "origin_mismatch"
    );
}

#[test]
fn a_sign_in_answer_is_not_a_registration() {
    let r = rp();
    let started = r.start_registration(HANDLE, "a", "A", &[]).unwrap();
    let answer = fake_registration(
        started.options["challenge"].as_str().unwrap(),
        "https://example.test",
        "webauthn.get",
    );
    assert!(r.finish_registration(&started.state, &answer).is_err());
}

#[test]
fn sign_in_is_username_less_and_modal() {
    let started = rp().start_authentication().unwrap();
    assert_eq!(started.options["rpId"], "example.test");
    assert_eq!(started.options["userVerification"], "required");
    let allow = &started.options["allowCredentials"];
    assert!(allow.is_null() || allow.as_array().is_some_and(|a| a.is_empty()));
    assert!(started.options.get("mediation").is_none());
}

#[test]
fn identify_reads_the_user_handle_and_credential() {
    let handle = Uuid::parse_str(HANDLE).unwrap();
    let answer = json!({
        "id": b64(b"cred-1"),
        "rawId": b64(b"cred-1"),
        "type": "public-key",
        "response": {
            "authenticatorData": b64(b"x"),
            "clientDataJSON": b64(b"{}"),
            "signature": b64(b"x"),
            "userHandle": b64(handle.as_bytes()),
        },
        "extensions": {},
    })
    .to_string();
    assert_eq!(
        identify(&answer).unwrap(),
        Identified {
            user_handle: HANDLE.into(),
            credential_id: b64(b"cred-1"),
        }
    );
    let mut v: Value = serde_json::from_str(&answer).unwrap();
    v["response"]["userHandle"] = Value::Null;
    assert_eq!(identify(&v.to_string()).unwrap_err().reason(), "malformed");
}

#[test]
fn user_handles_are_random_v4_uuids() {
    let a = new_user_handle();
    let b = new_user_handle();
    assert_ne!(a, b);
    let u = Uuid::parse_str(&a).unwrap();
    assert_eq!(u.get_version_num(), 4);
}

#[test]
fn finishing_a_sign_in_needs_a_stored_passkey() {
    let r = rp();
    let started = r.start_authentication().unwrap();
    let err = r
        .finish_authentication(&started.state, "{}", "{}")
        .unwrap_err();
    assert_eq!(err.reason(), "malformed");
    assert!(credential_id_of("{}").is_err());
}
