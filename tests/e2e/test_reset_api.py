"""Issue 12: the hosted login's password reset, /wp-json/workos/v1/auth/password/reset/{start,confirm}, and the
pages that open on it (a reset link's `?token=`, wp-login.php's `workos_action=reset-password&token=` and its
lost-password screen in the `custom` login mode).

`start` always answers the same, no sooner than the response floor; WorkOS emails the link (the emulator's control
API stands in for the inbox). `confirm` sets the password at WorkOS; the linked WordPress account's password follows
only when WordPress passwords are allowed; its sessions end; with the profile's `auto_login_after_reset` the person
is signed in through the one pipeline.
"""

from __future__ import annotations

import html
import json
import re
import uuid

import pytest
import requests

from authkit import create_workos_user, emulator_requests, logged_in_cookie, workos_password_works
# The hosted API's browser, profile factory and per-test floor/limits (autouse) of issue 11's suite.
from test_auth_api import Browser, browser, error_of, fast_floor, profile  # noqa: F401

OLD = "Passw0rd!-before"
NEW = "Brand-new-passw0rd"


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def reset_token(emulator_url: str, email: str) -> dict | None:
    """The newest reset link WorkOS sent to `email` (the inbox), or None."""
    r = requests.get(emulator_url + "/__emulator/password_reset", params={"email": email}, timeout=10)
    return r.json() if r.status_code == 200 else None


@pytest.fixture
def resetter(browser, profile):
    """A browser on a fresh profile that signs in by password (reset on), plus its slug."""
    def _make(**fields) -> Browser:
        p = profile(methods=["password"], **fields)
        return browser(p["slug"])
    return _make


def start(b: Browser, email: str, **extra) -> requests.Response:
    return b.post("password/reset/start", {"email": email, **extra})


def confirm(b: Browser, token: str, password: str = NEW, **extra) -> requests.Response:
    return b.post("password/reset/confirm", {"token": token, "new_password": password, **extra})


# --- start --------------------------------------------------------------------------------------------------------


def test_start_answers_the_same_for_known_and_unknown_addresses(resetter, emulator_url, wp_eval):
    known = unique_email("known")
    create_workos_user(emulator_url, known, OLD)
    unknown = unique_email("nobody")
    wp_eval("update_option('workos_test_auth_floor_ms', '300'); return true;")
    b = resetter()
    answers = []
    for email in (known, unknown):
        r = start(b, email)
        assert r.status_code == 200, r.text
        assert r.headers.get("X-WorkOS-Response-Floor") == "300"
        assert r.elapsed.total_seconds() >= 0.3, "no sooner than the floor"
        answers.append(r.json())
    assert answers[0] == answers[1] and answers[0]["ok"] is True and answers[0]["message"]
    # WorkOS was asked for both; only the known address got a link.
    asked = [e["body"].get("email") for e in emulator_requests(emulator_url, "/user_management/password_reset", "POST")]
    assert known in asked and unknown in asked
    assert reset_token(emulator_url, known) and reset_token(emulator_url, unknown) is None
    assert not logged_in_cookie(b.s)


def test_start_is_refused_where_the_profile_does_not_offer_it(resetter, browser, profile, emulator_url):
    email = unique_email("off")
    create_workos_user(emulator_url, email, OLD)
    # The flow off, or no password sign-in on this profile: refused by the server, nothing sent.
    for b in (resetter(password_reset_flow=False), browser(profile(methods=["magic_code"])["slug"])):
        error_of(start(b, email), 400, "workos_authkit_reset_disabled")
        error_of(confirm(b, "A" * 32), 400, "workos_authkit_reset_disabled")
    assert reset_token(emulator_url, email) is None
    # An authkit_redirect profile offers nothing here either.
    b = browser(profile(methods=["password"], mode="authkit_redirect")["slug"])
    error_of(start(b, email), 400, "workos_authkit_reset_disabled")


def test_start_and_confirm_need_the_browsers_nonce_and_valid_input(resetter, browser):
    b = resetter()
    error_of(b.post("password/reset/start", {"email": "a@example.com"}, nonce="forged"), 403, "workos_authkit_invalid_nonce")
    mallory = browser(b.slug)
    error_of(mallory.post("password/reset/confirm", {"token": "A" * 32, "new_password": NEW}, nonce=b.nonce()),
             403, "workos_authkit_invalid_nonce")
    error_of(start(b, "not-an-address"), 400, "workos_authkit_invalid_input")
    error_of(start(b, "a@example.com", redirect_url="https://evil.example/x"), 400, "workos_authkit_invalid_input")
    error_of(confirm(b, "A" * 32, ""), 400, "workos_authkit_invalid_input")
    error_of(confirm(b, "A" * 32, redirect_url="//evil.example/"), 400, "workos_authkit_invalid_input")
    # Not a token WorkOS could have sent: refused before WorkOS is asked.
    for bad in ("short", "has spaces in it", "<script>alert(1)</script>"):
        error_of(confirm(b, bad), 400, "workos_authkit_reset_token_invalid")


def test_start_is_rate_limited_per_address_and_client(resetter, emulator_url):
    email = unique_email("flood")
    create_workos_user(emulator_url, email, OLD)
    b = resetter()
    for _ in range(5):
        assert start(b, email).status_code == 200
    r = start(b, email)
    body = error_of(r, 429, "workos_rate_limited")
    assert int(r.headers["Retry-After"]) > 0 and body["data"]["retry_after"] > 0
    # Another address from the same client still may (the per-client bucket is 10).
    assert start(b, unique_email("other")).status_code == 200


# --- confirm ------------------------------------------------------------------------------------------------------


def test_reset_then_signed_in_with_the_new_password(resetter, browser, emulator_url, env, wp_url, wp_eval):
    email = unique_email("reset")
    create_workos_user(emulator_url, email, OLD)
    b = resetter()
    assert start(b, email, redirect_url="/sample-page/").status_code == 200
    link = reset_token(emulator_url, email)
    assert link and not link["used"]
    # The link opens in another browser (the mail client's): the page it started from is remembered.
    other = browser(b.slug)
    r = confirm(other, link["token"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["signed_in"] is True
    assert body["user"]["email"] == email and isinstance(body["user"]["id"], int)
    assert body["redirect_to"] == body["redirect_url"] == wp_url + "/sample-page/"
    assert logged_in_cookie(other.s)
    assert workos_password_works(emulator_url, env, email, NEW)
    assert not workos_password_works(emulator_url, env, email, OLD)
    assert reset_token(emulator_url, email)["used"] is True
    # A link works once.
    error_of(confirm(resetter(), link["token"], "Another-passw0rd"), 400, "workos_authkit_reset_token_invalid")
    logged = wp_eval("global $wpdb; return $wpdb->get_var($wpdb->prepare('SELECT COUNT(*) FROM '"
                     " . \\WorkOS_WP\\Schema::table('activity_log') . ' WHERE type = %s AND workos_id = %s',"
                     " 'password_reset', $args));", reset_token(emulator_url, email)["user_id"])
    assert int(logged) >= 1


def test_without_auto_login_the_password_changes_and_nobody_is_signed_in(resetter, emulator_url, env):
    email = unique_email("noauto")
    create_workos_user(emulator_url, email, OLD)
    b = resetter(auto_login_after_reset=False)
    start(b, email)
    r = confirm(b, reset_token(emulator_url, email)["token"])
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True, "signed_in": False, "redirect_url": "", "email": email}
    assert not logged_in_cookie(b.s)
    assert workos_password_works(emulator_url, env, email, NEW)


def test_weak_password_and_unknown_token_are_refused(resetter, emulator_url, env):
    email = unique_email("weak")
    create_workos_user(emulator_url, email, OLD)
    b = resetter()
    start(b, email)
    token = reset_token(emulator_url, email)["token"]
    body = error_of(confirm(b, token, "short"), 400, "workos_authkit_weak_password")
    assert "strong" in body["message"]
    assert workos_password_works(emulator_url, env, email, OLD), "nothing changed"
    error_of(confirm(b, "Z" * 32), 400, "workos_authkit_reset_token_invalid")
    # The link still works after a refused password.
    assert confirm(b, token).status_code == 200


def test_confirm_is_rate_limited_per_client(resetter):
    b = resetter()
    for _ in range(10):
        error_of(confirm(b, uuid.uuid4().hex), 400, "workos_authkit_reset_token_invalid")
    error_of(confirm(b, uuid.uuid4().hex), 429, "workos_rate_limited")


@pytest.mark.parametrize("fallback", [True, False])
def test_wordpress_password_follows_only_when_linked_and_allowed(resetter, emulator_url, wp_user, wp_eval,
                                                                 wp_settings, fallback):
    wp_settings(allow_password_fallback=fallback)
    email = unique_email("mirror")
    workos = create_workos_user(emulator_url, email, OLD)
    linked = wp_user("l" + uuid.uuid4().hex[:8], email, "wp-" + OLD, workos_id=workos["id"])
    # Someone else with a WordPress account, not linked to this WorkOS user.
    bystander_email = unique_email("bystander")
    create_workos_user(emulator_url, bystander_email, OLD)
    bystander = wp_user("b" + uuid.uuid4().hex[:8], bystander_email, "wp-" + OLD)
    # The linked account has a session somewhere.
    wp_eval("$m = WP_Session_Tokens::get_instance($args); $m->create(time() + 3600); return true;", linked["id"])

    b = resetter(auto_login_after_reset=False)
    start(b, email)
    assert confirm(b, reset_token(emulator_url, email)["token"]).status_code == 200
    check = "$u = get_userdata($args[0]); return wp_check_password($args[1], $u->user_pass, $u->ID);"
    assert wp_eval(check, [linked["id"], NEW]) is fallback
    assert wp_eval(check, [linked["id"], "wp-" + OLD]) is (not fallback)
    assert wp_eval(check, [bystander["id"], "wp-" + OLD]) is True
    # Its sessions ended either way.
    assert wp_eval("return count(WP_Session_Tokens::get_instance($args)->get_all());", linked["id"]) == 0


def test_auto_login_refused_by_the_pipeline_still_reports_the_reset(resetter, emulator_url, wp_user, wp_eval, env):
    email = unique_email("deact")
    workos = create_workos_user(emulator_url, email, OLD)
    user = wp_user("d" + uuid.uuid4().hex[:8], email, "x-" + OLD, workos_id=workos["id"])
    wp_eval("update_user_meta($args, '_workos_deactivated', 'test'); return true;", user["id"])
    b = resetter()
    start(b, email)
    r = confirm(b, reset_token(emulator_url, email)["token"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["signed_in"] is False
    assert body["sign_in_error"]["code"] == "account_deactivated" and body["sign_in_error"]["message"]
    assert not logged_in_cookie(b.s)
    assert workos_password_works(emulator_url, env, email, NEW)


# --- pages that open on the reset ---------------------------------------------------------------------------------


def shell_of(text: str) -> dict:
    m = re.search(r'<div id="workos-authkit-root"([^>]*)>', text)
    assert m, text[:500]
    attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', m.group(1)))
    data = json.loads(html.unescape(attrs["data-step-data"])) if "data-step-data" in attrs else None
    return {"step": attrs.get("data-initial-step"), "data": data}


def get(session_factory, url: str, **params) -> requests.Response:
    return session_factory().get(url, params=params, allow_redirects=False)


def test_a_reset_link_opens_the_new_password_step(profile, session_factory, wp_url, wp_settings):
    wp_settings(login_mode="custom", allow_password_fallback=False)
    p = profile(methods=["password", "magic_code"])
    page = f"{wp_url}/workos/login/{p['slug']}/"
    token = "Tok3n_" + uuid.uuid4().hex
    r = get(session_factory, page, token=token)
    assert r.status_code == 200 and shell_of(r.text) == {"step": "reset_confirm", "data": {"token": token}}
    assert "no-store" in r.headers.get("Cache-Control", "") or "no-cache" in r.headers.get("Cache-Control", "")
    # Not a token WorkOS could have sent: the step opens without it (it offers a new link).
    r = get(session_factory, page, token="<b>x</b>")
    assert shell_of(r.text) == {"step": "reset_confirm", "data": {"token": ""}}
    # wp-login.php: only with workos_action=reset-password (a bare `token` may be another screen's).
    login = wp_url + "/wp-login.php"
    r = get(session_factory, login, workos_action="reset-password", token=token)
    assert r.status_code == 200 and shell_of(r.text) == {"step": "reset_confirm", "data": {"token": token}}
    r = get(session_factory, login, token=token)
    assert r.status_code == 200 and shell_of(r.text)["step"] == "email"
    # A profile that does not offer the reset opens on sign-in.
    off = profile(methods=["password"], password_reset_flow=False)
    r = get(session_factory, f"{wp_url}/workos/login/{off['slug']}/", token=token)
    assert shell_of(r.text)["step"] == "email"


def test_lost_password_opens_the_reset_step_when_wordpress_passwords_are_off(profile, session_factory, wp_url,
                                                                              wp_settings, wp_eval):
    wp_settings(login_mode="custom", allow_password_fallback=False)
    login = wp_url + "/wp-login.php"
    r = get(session_factory, login, action="lostpassword")
    assert r.status_code == 200 and shell_of(r.text) == {"step": "reset", "data": {"email": ""}}
    assert 'id="lostpasswordform"' not in r.text
    r = get(session_factory, login, action="lostpassword", user_login="ada@example.com")
    assert shell_of(r.text) == {"step": "reset", "data": {"email": "ada@example.com"}}
    # The default profile at its own path: the request goes there, still on the reset step.
    assert wp_eval("$p = \\WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug('default'); $a = $p->to_array();"
                   " $a['custom_path'] = 'members-login';"
                   " $r = \\WorkOS_WP\\Profiles\\ProfileRepository::save($a, $p->get_id()); return !is_wp_error($r);")
    try:
        r = get(session_factory, login, action="lostpassword")
        assert r.status_code == 302 and "/members-login/" in r.headers["Location"], r.headers
        r = session_factory().get(r.headers["Location"])
        assert r.status_code == 200 and shell_of(r.text)["step"] == "reset"
    finally:
        wp_eval("$p = \\WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug('default'); $a = $p->to_array();"
                " $a['custom_path'] = '';"
                " \\WorkOS_WP\\Profiles\\ProfileRepository::save($a, $p->get_id()); return true;")
    # WordPress passwords allowed: WordPress's own lost-password form, as before.
    wp_settings(allow_password_fallback=True)
    r = get(session_factory, login, action="lostpassword")
    assert r.status_code == 200 and 'id="lostpasswordform"' in r.text and "workos-authkit-root" not in r.text
