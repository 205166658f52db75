"""Role-based redirects after sign-in and sign-out (item 9), and logout ending the WorkOS session
without making the visitor wait for WorkOS (item 10)."""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
import requests

from authkit import create_workos_user, logged_in_cookie
from test_headless import PASSWORD, post_login, unique_email
from test_roles_and_gate import redirect_sign_in


def logout_url(browser) -> str:
    page = browser.get("/wp-admin/profile.php", allow_redirects=False)
    assert page.status_code == 200
    match = re.search(r'href="([^"]*wp-login\.php\?action=logout[^"]*)"', page.text)
    assert match, "no logout link on the profile page"
    return html.unescape(match.group(1))


def sessions_of(emulator_url, workos_id):
    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    return [s for s in state["sessions"] if s["user_id"] == workos_id]


@pytest.fixture
def role_redirects(wp_settings):
    wp_settings(login_redirects={"editor": "/editors/", "subscriber": "/members/"},
                login_redirect_default="/welcome/", logout_redirects={"subscriber": "/goodbye/"})
    return wp_settings


def test_sign_in_lands_on_the_page_of_the_role(role_redirects, session_factory, wp_url, emulator_url):
    email = unique_email("landing")
    create_workos_user(emulator_url, email, PASSWORD)
    r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    assert r.status_code == 302 and r.headers["Location"] == wp_url + "/members/"


def test_unmapped_role_gets_the_default_and_wordpress_form_too(role_redirects, session_factory, wp_url, wp_user):
    role_redirects(allow_password_fallback=True)
    local = wp_user("author" + uuid.uuid4().hex[:6], unique_email("author"), "Auth0r-Passw0rd", role="author")
    r = post_login(session_factory(wp_url), wp_url, local["login"], "Auth0r-Passw0rd")
    assert r.status_code == 302 and r.headers["Location"] == wp_url + "/welcome/"


def test_explicit_redirect_to_wins(role_redirects, session_factory, wp_url, emulator_url):
    from authkit import authkit_sign_in, start

    email = unique_email("explicit")
    create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    flow = start(s, wp_url, redirect_to="/sample-page/")
    r = s.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)
    assert r.headers["Location"] == wp_url + "/sample-page/"


def test_first_login_only(role_redirects, session_factory, wp_url, emulator_url):
    role_redirects(login_redirect_first_only=True)
    email = unique_email("firsttime")
    create_workos_user(emulator_url, email, PASSWORD)
    first = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    assert first.headers["Location"] == wp_url + "/members/"
    again = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    assert again.headers["Location"] == wp_url + "/wp-admin/"


def test_logout_redirects_by_role(role_redirects, session_factory, wp_url, emulator_url):
    email = unique_email("bye")
    create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    redirect_sign_in(s, wp_url, emulator_url, email)
    r = s.get(logout_url(s), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == wp_url + "/goodbye/"
    assert not any(c.name.startswith("wordpress_logged_in_") and c.value for c in s.cookies)


def test_logout_revokes_the_workos_session_after_answering(session_factory, wp_url, emulator_url):
    email = unique_email("revoke")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    assert redirect_sign_in(s, wp_url, emulator_url, email).status_code == 302
    [session] = sessions_of(emulator_url, user["id"])
    assert session["status"] == "active"
    url = logout_url(s)

    # WorkOS is slow to revoke: the visitor must have their answer before it finishes.
    requests.post(emulator_url + "/__emulator/faults", timeout=10,
                  json={"method": "POST", "path": "/user_management/sessions/revoke", "delay_ms": 3000})
    r = s.get(url, allow_redirects=False)
    assert r.status_code == 302
    assert not logged_in_cookie(s) or not s.cookies.get("wordpress_logged_in_")
    assert sessions_of(emulator_url, user["id"])[0]["status"] == "active"  # revocation still in flight

    deadline = time.monotonic() + 20
    while sessions_of(emulator_url, user["id"])[0]["status"] == "active" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sessions_of(emulator_url, user["id"])[0]["status"] != "active"
    revoke_calls = [c for c in requests.get(emulator_url + "/__emulator/requests", timeout=10).json()["data"]
                    if c["path"] == "/user_management/sessions/revoke"]
    assert revoke_calls[-1]["body"]["session_id"] == session["id"]
