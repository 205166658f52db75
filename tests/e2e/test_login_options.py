"""wp-login.php routing: provider / organization / connection pins, sign-up, lost password and
the `?fallback=1` escape hatch, each with password fallback allowed and not."""

from __future__ import annotations

import pytest
import requests

from authkit import query, start


@pytest.fixture
def browser(session_factory, wp_url):
    return session_factory(wp_url)


def test_provider_organization_and_login_hint_reach_the_authorize_url(browser, wp_url, wp_settings):
    wp_settings(provider="GoogleOAuth", organization_id="org_pinned_123")
    p = start(browser, wp_url, login_hint="ada@example.com").params
    assert p["provider"] == "GoogleOAuth"
    assert p["organization_id"] == "org_pinned_123"
    assert p["login_hint"] == "ada@example.com"
    assert "connection_id" not in p


def test_signing_in_again_asks_authkit_for_a_fresh_sign_in(browser, wp_url, wp_settings):
    """WordPress's re-authentication (`reauth=1`: "sign in again first" before changing an address, removing a
    factor, adding a passkey) must not be answered by AuthKit's own open session: `max_age=0` (AuthKit only)."""
    wp_settings(login_mode="redirect")
    fresh = start(browser, wp_url, reauth="1")
    assert fresh.params["max_age"] == "0" and fresh.params["provider"] == "authkit"
    assert requests.get(fresh.authorize_url, timeout=10).status_code == 200  # WorkOS (the emulator) takes it
    assert "max_age" not in start(browser, wp_url).params
    # An identity provider of its own decides how fresh a sign-in is: nothing to ask it.
    wp_settings(provider="GoogleOAuth")
    assert "max_age" not in start(browser, wp_url, reauth="1").params


def test_a_connection_replaces_the_provider(browser, wp_url, wp_settings):
    wp_settings(connection_id="conn_abc")
    p = start(browser, wp_url).params
    assert p["connection_id"] == "conn_abc"
    assert "provider" not in p


def test_registration_opens_authkit_sign_up_when_passwords_are_workos_only(browser, wp_url, wp_settings):
    wp_settings(allow_password_fallback=False)
    r = browser.get("/wp-login.php", params={"action": "register"}, allow_redirects=False)
    assert r.status_code == 302
    p = query(r.headers["Location"])
    assert p["screen_hint"] == "sign-up" and p["provider"] == "authkit"
    assert p["code_challenge_method"] == "S256" and p["state"]


def test_lost_password_goes_to_workos_when_passwords_are_workos_only(browser, wp_url, emulator_url, wp_settings):
    wp_settings(allow_password_fallback=False)
    r = browser.get("/wp-login.php", params={"action": "lostpassword"}, allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"].startswith(emulator_url + "/user_management/authorize?")
    assert "screen_hint" not in query(r.headers["Location"])


@pytest.mark.parametrize("action", ["lostpassword", "register"])
def test_lost_password_and_registration_stay_in_wordpress_with_fallback(browser, wp_url, wp_settings, action):
    wp_settings(allow_password_fallback=True)
    r = browser.get("/wp-login.php", params={"action": action}, allow_redirects=False)
    # WordPress's own handling: the lost-password form, or its "registration closed" redirect.
    if action == "lostpassword":
        assert r.status_code == 200 and 'id="lostpasswordform"' in r.text
    else:
        assert r.status_code == 302 and "registration=disabled" in r.headers["Location"]


def test_fallback_1_shows_the_wordpress_form_only_when_allowed(browser, wp_url, wp_settings, native_login,
                                                               session_factory, admin_credentials):
    wp_settings(allow_password_fallback=True)
    r = browser.get("/wp-login.php", params={"fallback": "1"}, allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text
    user, password = admin_credentials
    ok = native_login(session_factory(wp_url), wp_url, user, password)
    assert ok.status_code == 302 and "/wp-admin/" in ok.headers["Location"]

    wp_settings(allow_password_fallback=False)
    r = browser.get("/wp-login.php", params={"fallback": "1"}, allow_redirects=False)
    assert r.status_code == 302 and "/user_management/authorize?" in r.headers["Location"]
    # A posted WordPress password is refused too: WorkOS is the only way in.
    refused = native_login(session_factory(wp_url), wp_url, user, password)
    assert refused.status_code == 200
    assert "please sign in with WorkOS" in refused.text
    assert not any(c.name.startswith("wordpress_logged_in_") for c in refused.cookies)
