"""Passkeys verified in the extension (issue 11): the refusals of /wp-json/workos/v1/auth/passkey/*.

The ceremonies themselves run in a real browser with Chromium's virtual authenticator
(tests/browser/test_passkey.py); here, over HTTP, everything that must be refused is: a profile
without the method, a missing nonce, no signed-in or no linked user, an answer to another
challenge, a replayed answer, and a ceremony state belonging to another browser or session.

WebAuthn needs a secure context and a domain as relying-party id (an IP address is not one), so
these requests go to the stack as http://localhost:<port> (the stack's home URL follows the Host).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
import requests

from authkit import create_workos_user

AUTH = "/wp-json/workos/v1/auth/"
PK = AUTH + "passkey/"
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def base(env) -> str:
    return env["WP_URL"].replace("127.0.0.1", "localhost")


@pytest.fixture(autouse=True)
def fresh_limits(wp_eval):
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    """profile(methods) -> slug of a new Login Profile (deleted after the test)."""
    made: list[int] = []

    def _make(methods=("password", "passkey")) -> str:
        slug = "pk-" + uuid.uuid4().hex[:8]
        saved = wp_eval(
            """
            $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
            return $p->to_array();
            """,
            {"slug": slug, "title": "Passkey test", "methods": list(methods)},
        )
        made.append(saved["id"])
        return slug

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


@pytest.fixture
def signed_in(wp_eval, session_factory, base):
    """signed_in(login) -> a session signed in as `login` on `base`, with its REST nonce header."""

    def _make(login: str) -> requests.Session:
        cookies = wp_eval(
            """
            $u = get_user_by('login', $args['login']);
            $exp = time() + HOUR_IN_SECONDS;
            $hash = md5($args['site']);
            return [['wordpress_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                    ['wordpress_logged_in_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            {"login": login, "site": base},
        )
        s = session_factory(base)
        # No domain: Python's cookie jar does not send a cookie set for the dotless "localhost".
        for name, value in cookies:
            s.cookies.set(name, value, path="/")
        r = s.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
        assert r.status_code == 200 and r.text and r.text != "0", r.text[:200]
        s.headers["X-WP-Nonce"] = r.text.strip()
        return s

    return _make


@pytest.fixture
def linked_user(wp_user, emulator_url):
    def _make() -> dict:
        email = f"pk-{uuid.uuid4().hex[:10]}@example.com"
        workos = create_workos_user(emulator_url, email)
        return wp_user("pk" + uuid.uuid4().hex[:8], email, "Passw0rd!-pk", workos_id=workos["id"])

    return _make


def nonce(s: requests.Session, slug: str) -> str:
    r = s.get(AUTH + "nonce", params={"profile": slug})
    assert r.status_code == 200, r.text
    return r.json()["nonce"]


def attestation_object(rp_id: str = "localhost") -> bytes:
    """A well-formed CBOR attestation object ("none" format; authenticator data with UP|UV, no
    credential): webauthn-rs parses it before it compares the challenge and the origin."""
    auth_data = hashlib.sha256(rp_id.encode()).digest() + b"\x05" + b"\x00\x00\x00\x01"
    return (b"\xa3" + b"\x63fmt" + b"\x64none" + b"\x67attStmt" + b"\xa0"
            + b"\x68authData" + b"\x58" + bytes([len(auth_data)]) + auth_data)


def fake_registration(challenge: str, origin: str) -> dict:
    client = json.dumps({"type": "webauthn.create", "challenge": challenge, "origin": origin}).encode()
    return {
        "id": b64u(b"cred-x"),
        "rawId": b64u(b"cred-x"),
        "type": "public-key",
        "response": {"attestationObject": b64u(attestation_object()), "clientDataJSON": b64u(client)},
        "extensions": {},
    }


def fake_assertion(challenge: str, origin: str, handle: str | None = None) -> dict:
    client = json.dumps({"type": "webauthn.get", "challenge": challenge, "origin": origin}).encode()
    return {
        "id": b64u(b"unknown-cred"),
        "rawId": b64u(b"unknown-cred"),
        "type": "public-key",
        "response": {
            "authenticatorData": b64u(hashlib.sha256(b"localhost").digest() + b"\x05\x00\x00\x00\x01"),
            "clientDataJSON": b64u(client),
            "signature": b64u(b"\x30\x06\x02\x01\x01\x02\x01\x01"),
            "userHandle": b64u(uuid.UUID(handle or str(uuid.uuid4())).bytes),
        },
        "extensions": {},
    }


# --- sign-in routes ------------------------------------------------------------------------------


def test_login_refused_when_the_profile_does_not_offer_passkeys(session_factory, base, profile):
    slug = profile(("password",))
    s = session_factory(base)
    r = s.post(PK + "login/options", json={"profile": slug}, headers={"X-WorkOS-Nonce": nonce(s, slug)})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "workos_authkit_method_disabled"


def test_login_needs_this_browsers_nonce(session_factory, base, profile):
    slug = profile()
    s = session_factory(base)
    r = s.post(PK + "login/options", json={"profile": slug})
    assert r.status_code == 403 and r.json()["code"] == "workos_authkit_invalid_nonce", r.text
    # Another browser's nonce is no good either.
    other = session_factory(base)
    r = s.post(PK + "login/options", json={"profile": slug}, headers={"X-WorkOS-Nonce": nonce(other, slug)})
    assert r.status_code == 403 and r.json()["code"] == "workos_authkit_invalid_nonce", r.text


def test_login_options_keep_the_state_on_the_server(session_factory, base, profile):
    slug = profile()
    s = session_factory(base)
    r = s.post(PK + "login/options", json={"profile": slug}, headers={"X-WorkOS-Nonce": nonce(s, slug)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"options"}, body
    opts = body["options"]
    assert opts["rpId"] == "localhost"
    assert opts["userVerification"] == "required"
    assert not opts.get("allowCredentials")
    assert "no-store" in r.headers.get("Cache-Control", "")
    assert "state" not in r.text and "ast" not in body["options"]


def test_login_state_from_another_browser_and_replays_are_refused(session_factory, base, profile):
    slug = profile()
    a = session_factory(base)
    na = nonce(a, slug)
    opts = a.post(PK + "login/options", json={"profile": slug}, headers={"X-WorkOS-Nonce": na}).json()["options"]
    answer = fake_assertion(opts["challenge"], base)

    # Browser B has no ceremony of its own: A's state is not reachable from B.
    b = session_factory(base)
    r = b.post(PK + "login/verify", json={"profile": slug, "credential": answer}, headers={"X-WorkOS-Nonce": nonce(b, slug)})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_step_expired", r.text

    # A's own answer (for a credential nobody registered) fails, with the uniform answer...
    r = a.post(PK + "login/verify", json={"profile": slug, "credential": answer}, headers={"X-WorkOS-Nonce": na})
    assert r.status_code == 401 and r.json()["code"] == "workos_authkit_passkey_failed", r.text
    # ...and used its state up: sending it again finds no ceremony.
    r = a.post(PK + "login/verify", json={"profile": slug, "credential": answer}, headers={"X-WorkOS-Nonce": na})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_step_expired", r.text
    assert not any(c.name.startswith("wordpress_logged_in_") for c in a.cookies)


def test_login_verify_refuses_bad_input(session_factory, base, profile):
    slug = profile()
    s = session_factory(base)
    n = nonce(s, slug)
    s.post(PK + "login/options", json={"profile": slug}, headers={"X-WorkOS-Nonce": n})
    r = s.post(PK + "login/verify", json={"profile": slug, "credential": "nope"}, headers={"X-WorkOS-Nonce": n})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_invalid_input", r.text
    r = s.post(
        PK + "login/verify",
        json={"profile": slug, "credential": fake_assertion("x", base), "redirect_to": "https://evil.example/"},
        headers={"X-WorkOS-Nonce": n},
    )
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_invalid_input", r.text


# --- registration routes -------------------------------------------------------------------------


def test_register_needs_a_signed_in_user(session_factory, base, profile):
    profile()
    s = session_factory(base)
    r = s.post(PK + "register/options", json={})
    assert r.status_code == 401, r.text
    r = s.get(PK + "credentials")
    assert r.status_code == 401, r.text


def test_register_needs_a_linked_user(wp_user, signed_in, profile):
    profile()
    u = wp_user("pkplain" + uuid.uuid4().hex[:6], f"plain-{uuid.uuid4().hex[:8]}@example.com", "Passw0rd!-pk")
    s = signed_in(u["login"])
    r = s.post(PK + "register/options", json={})
    assert r.status_code == 403 and r.json()["code"] == "workos_passkey_not_linked", r.text


def test_register_refused_when_the_profile_does_not_offer_passkeys(linked_user, signed_in, profile):
    slug = profile(("password",))
    s = signed_in(linked_user()["login"])
    r = s.post(PK + "register/options", json={"profile": slug})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_method_disabled", r.text


def test_register_options_for_the_site(linked_user, signed_in, profile, base):
    profile()
    u = linked_user()
    s = signed_in(u["login"])
    r = s.post(PK + "register/options", json={})
    assert r.status_code == 200, r.text
    opts = r.json()["options"]
    assert set(r.json()) == {"options"}
    assert opts["rp"]["id"] == "localhost"
    assert opts["user"]["name"] == u["email"]
    assert opts["authenticatorSelection"]["residentKey"] == "required"
    assert opts["authenticatorSelection"]["userVerification"] == "required"
    # The handle is random, not the user id or email.
    handle = base64.urlsafe_b64decode(opts["user"]["id"] + "==")
    assert len(handle) == 16 and str(u["id"]).encode() not in handle


def test_register_wrong_challenge_then_replay_refused(linked_user, signed_in, profile, base, wp_eval):
    profile()
    u = linked_user()
    s = signed_in(u["login"])
    first = s.post(PK + "register/options", json={}).json()["options"]
    second = s.post(PK + "register/options", json={}).json()["options"]
    assert first["challenge"] != second["challenge"]
    # An answer to the earlier challenge: refused (the state kept is the latest).
    r = s.post(PK + "register/verify", json={"credential": fake_registration(first["challenge"], base), "name": "x"})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "workos_passkey_invalid"
    assert r.json()["data"]["reason"] == "challenge_mismatch"
    # The state was used up: the same answer again finds no ceremony.
    r = s.post(PK + "register/verify", json={"credential": fake_registration(second["challenge"], base), "name": "x"})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_step_expired", r.text
    assert wp_eval("return count(\\WorkOS_WP\\Passkeys\\Store::for_user($args));", u["id"]) == 0


def test_register_answer_for_another_origin_refused(linked_user, signed_in, profile):
    profile()
    s = signed_in(linked_user()["login"])
    opts = s.post(PK + "register/options", json={}).json()["options"]
    r = s.post(PK + "register/verify", json={"credential": fake_registration(opts["challenge"], "https://evil.example")})
    assert r.status_code == 400 and r.json()["data"]["reason"] == "origin_mismatch", r.text


def test_register_state_of_another_session_refused(linked_user, signed_in, profile, base):
    profile()
    u = linked_user()
    a = signed_in(u["login"])
    b = signed_in(u["login"])  # the same person, another browser (another WordPress session)
    opts = a.post(PK + "register/options", json={}).json()["options"]
    r = b.post(PK + "register/verify", json={"credential": fake_registration(opts["challenge"], base)})
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_step_expired", r.text


def test_cannot_remove_someone_elses_passkey(linked_user, signed_in, profile, wp_eval):
    profile()
    owner = linked_user()
    other = linked_user()
    cred = b64u(b"owners-credential")
    wp_eval(
        """
        add_user_meta($args['id'], \\WorkOS_WP\\Passkeys\\Store::key($args['cred']),
            ['id' => $args['cred'], 'name' => 'k', 'created' => time(), 'last_used' => 0,
             'workos_id' => 'user_x', 'passkey' => '{}'], true);
        return true;
        """,
        {"id": owner["id"], "cred": cred},
    )
    s = signed_in(other["login"])
    r = s.delete(PK + "credentials/" + cred)
    assert r.status_code == 404, r.text
    assert wp_eval("return count(\\WorkOS_WP\\Passkeys\\Store::for_user($args));", owner["id"]) == 1
    mine = signed_in(owner["login"])
    listed = mine.get(PK + "credentials").json()["passkeys"]
    assert [p["id"] for p in listed] == [cred] and "passkey" not in listed[0]
    assert mine.delete(PK + "credentials/" + cred).status_code == 200
    assert wp_eval("return count(\\WorkOS_WP\\Passkeys\\Store::for_user($args));", owner["id"]) == 0


def test_a_verified_passkey_still_needs_the_profiles_pinned_organization_with_the_gate_on(
        wp_eval, wp_settings, wp_user, emulator_url):
    """With the members-only gate on for the site's organization, a profile pinned to another one still
    admits only that one's members (the gate checks the pin, not only the site's organization)."""
    from authkit import create_org
    tag = uuid.uuid4().hex[:6]
    site_org, pinned = create_org(emulator_url, f"Site {tag}"), create_org(emulator_url, f"Pinned {tag}")
    email = f"pk-gate-{tag}@example.com"
    workos = create_workos_user(emulator_url, email, memberships=[{"organization_id": site_org["id"], "role_slug": "member"}])
    user = wp_user("pkgate" + tag, email, "local-Passw0rd-pk")
    wp_eval("update_user_meta($args[0], '_workos_user_id', $args[1]); return true;", [user["id"], workos["id"]])
    wp_settings(entitlement_gate=True, organization_id=site_org["id"])
    code = wp_eval(
        "WorkOS_WP\\SignIn\\SignIn::pin_organization($args[2]);"
        "$r = WorkOS_WP\\SignIn\\SignIn::complete_verified(get_user_by('id', $args[0]), $args[1], 'passkey');"
        "return is_wp_error($r) ? $r->get_error_code() : 'signed_in';",
        [user["id"], workos["id"], pinned["id"]])
    assert code in ("pinned_org_mismatch", "not_entitled"), code
    # Through the site's own organization (no profile pin) the same person is let in.
    code = wp_eval(
        "$r = WorkOS_WP\\SignIn\\SignIn::complete_verified(get_user_by('id', $args[0]), $args[1], 'passkey');"
        "return is_wp_error($r) ? $r->get_error_code() : 'signed_in';",
        [user["id"], workos["id"]])
    assert code == "signed_in", code


def test_adding_a_passkey_needs_a_recent_sign_in(linked_user, signed_in, profile, wp_eval):
    # A session that began an hour ago (left open, or stolen) cannot add a way in that lasts.
    profile()
    u = linked_user()
    s = signed_in(u["login"])
    assert s.post(PK + "register/options", json={}).status_code == 200
    wp_eval(
        """
        $sessions = get_user_meta($args['id'], 'session_tokens', true);
        foreach ($sessions as $k => $session) {
            $sessions[$k]['login'] = time() - HOUR_IN_SECONDS;
        }
        update_user_meta($args['id'], 'session_tokens', $sessions);
        return true;
        """,
        {"id": u["id"]},
    )
    r = s.post(PK + "register/options", json={})
    assert r.status_code == 403, r.text
    body = r.json()
    assert body["code"] == "workos_reauth_required"
    assert "reauth=1" in body["data"]["login_url"]
    r = s.post(PK + "register/verify", json={"credential": {"id": "x"}})
    assert r.status_code == 403 and r.json()["code"] == "workos_reauth_required", r.text
