"""The first sign-in, end to end: wp-login.php → emulator AuthKit → /workos/callback → wp-admin."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_workos_user, logged_in_cookie, query, start, with_query

PASSWORD = "Passw0rd!-e2e"


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture
def browser(session_factory, wp_url):
    return session_factory(wp_url)


def sign_in(browser, wp_url, emulator_url, email, **params):
    flow = start(browser, wp_url, **params)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    return flow, callback, browser.get(callback, allow_redirects=False)


def linked_user(wp_eval, workos_id):
    return wp_eval(
        """
        $users = get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args, 'number' => 2]);
        return array_map(fn($u) => ['id' => $u->ID, 'email' => $u->user_email, 'first' => $u->first_name,
            'last' => $u->last_name, 'display' => $u->display_name, 'roles' => $u->roles], $users);
        """,
        workos_id,
    )


def test_login_page_redirects_to_authkit_with_signed_state_and_pkce(browser, wp_url, emulator_url, env):
    flow = start(browser, wp_url)
    assert flow.authorize_url.startswith(emulator_url + "/user_management/authorize?")
    p = flow.params
    assert p["client_id"] == env["CLIENT_ID"]
    assert p["redirect_uri"] == wp_url + "/workos/callback"
    assert p["response_type"] == "code"
    assert p["provider"] == "authkit"
    assert p["code_challenge_method"] == "S256"
    assert len(p["code_challenge"]) == 43
    assert p["state"].count(".") == 1
    binding = [c for c in browser.cookies if c.name == "workos_auth_binding"]
    # A random secret and this site's MAC of it (test_security_binding_cookie).
    assert binding and len(binding[0].value) == 129 and binding[0].value[64] == "."
    assert binding[0].has_nonstandard_attr("HttpOnly")
    # Every visit gets a fresh state and challenge.
    again = start(browser, wp_url)
    assert again.params["state"] != p["state"]
    assert again.params["code_challenge"] != p["code_challenge"]


def test_first_sign_in_creates_linked_user_and_opens_admin(browser, wp_url, emulator_url, wp_eval):
    email = unique_email("new")
    user = create_workos_user(emulator_url, email, first_name="Grace", last_name="Hopper")
    flow, callback, r = sign_in(browser, wp_url, emulator_url, email)
    assert r.status_code == 302, r.text[:500]
    assert r.headers["Location"] == wp_url + "/wp-admin/"
    assert logged_in_cookie(browser)

    profile = browser.get("/wp-admin/profile.php", allow_redirects=False)
    assert profile.status_code == 200
    assert email in profile.text

    [wp_user] = linked_user(wp_eval, user["id"])
    assert wp_user["email"] == email
    assert (wp_user["first"], wp_user["last"], wp_user["display"]) == ("Grace", "Hopper", "Grace Hopper")
    assert wp_user["roles"] == ["subscriber"]

    # The code was exchanged with the PKCE verifier matching the challenge sent.
    log = requests.get(emulator_url + "/__emulator/requests", timeout=30).json()
    entries = log.get("data", log) if isinstance(log, dict) else log
    exchanges = [e for e in entries if e.get("path") == "/user_management/authenticate"
                 and (e.get("body") or {}).get("code") == query(callback)["code"]]
    assert exchanges, "the code exchange was not seen by the emulator"
    verifier = exchanges[-1]["body"]["code_verifier"]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert challenge == flow.params["code_challenge"]


def test_second_sign_in_reuses_the_linked_user(session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("again")
    user = create_workos_user(emulator_url, email)
    for _ in range(2):
        b = session_factory(wp_url)
        _, _, r = sign_in(b, wp_url, emulator_url, email)
        assert r.status_code == 302 and logged_in_cookie(b)
    assert len(linked_user(wp_eval, user["id"])) == 1


def test_existing_user_is_linked_by_verified_email(browser, wp_url, emulator_url, wp_eval):
    email = unique_email("existing")
    wp_id = wp_eval(
        "return wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'], 'user_pass' => wp_generate_password(), 'role' => 'editor']);",
        {"login": "existing-" + uuid.uuid4().hex[:8], "email": email},
    )
    user = create_workos_user(emulator_url, email)
    _, _, r = sign_in(browser, wp_url, emulator_url, email)
    assert r.status_code == 302 and logged_in_cookie(browser)
    [wp_user] = linked_user(wp_eval, user["id"])
    assert wp_user["id"] == wp_id
    assert wp_user["roles"] == ["editor"], "linking must not change an existing user's role"


def test_unverified_email_never_signs_in_or_links(browser, wp_url, emulator_url, wp_eval):
    email = unique_email("unverified")
    wp_id = wp_eval(
        "return wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'], 'user_pass' => wp_generate_password()]);",
        {"login": "unverified-" + uuid.uuid4().hex[:8], "email": email},
    )
    user = create_workos_user(emulator_url, email, email_verified=False)
    flow = start(browser, wp_url)
    page = requests.get(flow.authorize_url, timeout=30)
    data = dict(flow.params, email=email, password=PASSWORD)
    r = requests.post(emulator_url + "/__emulator/authkit/login", data=data, allow_redirects=False, timeout=30)
    if r.status_code in (302, 303):
        r = browser.get(r.headers["Location"], allow_redirects=False)
        assert r.status_code >= 400
        assert "Sign-in failed" in r.text
    assert page.status_code == 200
    assert not logged_in_cookie(browser)
    assert linked_user(wp_eval, user["id"]) == []
    # The rule itself, whatever WorkOS's environment settings: an unverified
    # email neither links an existing account nor creates one.
    result = wp_eval(
        """
        $r = \\WorkOS_WP\\Users\\Users::resolve(['id' => $args['id'], 'email' => $args['email'], 'email_verified' => false]);
        return [is_wp_error($r) ? $r->get_error_code() : 'user', get_user_meta($args['wp'], '_workos_user_id', true)];
        """,
        {"id": "user_unverified_direct", "email": email, "wp": wp_id},
    )
    assert result == ["email_not_verified", ""]


def test_tampered_state_is_refused(browser, wp_url, emulator_url):
    email = unique_email("tamper")
    create_workos_user(emulator_url, email)
    flow = start(browser, wp_url)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    state = query(callback)["state"]
    payload, sig = state.split(".")
    forged = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + sig
    r = browser.get(with_query(callback, state=forged), allow_redirects=False)
    assert r.status_code == 400
    assert r.headers.get("X-WorkOS-Error") == "invalid_state"  # the code in a header, never on the page
    assert not logged_in_cookie(browser)


def test_state_from_another_browser_is_refused(session_factory, wp_url, emulator_url):
    email = unique_email("otherbrowser")
    create_workos_user(emulator_url, email)
    victim, attacker = session_factory(wp_url), session_factory(wp_url)
    flow = start(attacker, wp_url)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    start(victim, wp_url)  # the victim has a binding cookie of their own
    r = victim.get(callback, allow_redirects=False)
    assert r.status_code == 400
    assert r.headers.get("X-WorkOS-Error") == "invalid_state"  # the code in a header, never on the page
    assert not logged_in_cookie(victim)
    fresh = session_factory(wp_url)  # and a browser with no cookie at all
    r = fresh.get(callback, allow_redirects=False)
    assert r.status_code == 400 and r.headers.get("X-WorkOS-Error") == "no_session"


def test_replayed_state_is_refused(browser, session_factory, wp_url, emulator_url):
    email = unique_email("replay")
    create_workos_user(emulator_url, email)
    flow = start(browser, wp_url)
    binding_before = browser.cookies.get("workos_auth_binding")
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    assert browser.get(callback, allow_redirects=False).status_code == 302
    # Replay the very same callback from a browser holding the same binding.
    replay = session_factory(wp_url)
    replay.cookies.set("workos_auth_binding", binding_before, domain="127.0.0.1", path="/")
    r = replay.get(callback, allow_redirects=False)
    assert r.status_code == 400
    assert r.headers.get("X-WorkOS-Error") == "state_reused"
    assert not logged_in_cookie(replay)


def test_reused_code_is_refused(session_factory, wp_url, emulator_url):
    email = unique_email("code")
    create_workos_user(emulator_url, email)
    first = session_factory(wp_url)
    _, callback, r = sign_in(first, wp_url, emulator_url, email)
    assert r.status_code == 302
    second = session_factory(wp_url)
    flow = start(second, wp_url)  # a fresh, valid state ...
    r = second.get(with_query(callback, state=flow.params["state"]), allow_redirects=False)  # ... with a spent code
    assert r.status_code == 400
    assert r.headers.get("X-WorkOS-Error") == "invalid_grant"  # WorkOS's own reason, for support tools (not shown)
    assert not logged_in_cookie(second)


@pytest.mark.parametrize(
    "requested,expected_path",
    [
        ("/sample-page/?a=1", "/sample-page/?a=1"),
        ("https://evil.example/phish", "/wp-admin/"),
        ("//evil.example/phish", "/wp-admin/"),
        ("/\\evil.example/phish", "/wp-admin/"),
    ],
)
def test_redirect_to_is_honoured_only_inside_the_site(browser, wp_url, emulator_url, requested, expected_path):
    email = unique_email("redirect")
    create_workos_user(emulator_url, email)
    _, _, r = sign_in(browser, wp_url, emulator_url, email, redirect_to=requested)
    assert r.status_code == 302
    assert r.headers["Location"] == wp_url + expected_path


def test_provider_error_and_missing_parameters_show_clear_errors(browser, wp_url):
    r = browser.get("/workos/callback", params={"error": "access_denied", "error_description": "User cancelled"}, allow_redirects=False)
    assert r.status_code == 400
    assert "cancelled" in r.text and "User cancelled" not in r.text  # a sentence of ours; the URL's text is not echoed
    r = browser.get("/workos/callback", allow_redirects=False)
    assert r.status_code == 400
    assert r.headers.get("X-WorkOS-Error") == "missing_parameters"
    assert not logged_in_cookie(browser)


def test_logged_out_visitor_lands_on_home_not_back_in_authkit(browser, wp_url):
    r = browser.get("/wp-login.php", params={"loggedout": "true"}, allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"] == wp_url + "/"


def test_other_login_actions_stay_with_wordpress(browser, wp_url):
    r = browser.get("/wp-login.php", params={"action": "lostpassword"}, allow_redirects=False)
    assert r.status_code == 200
    assert 'id="lostpasswordform"' in r.text
