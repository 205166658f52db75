"""A deactivated user (`_workos_deactivated`) gets in by no path, and loses the sessions they had."""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import create_workos_user, logged_in_cookie
from test_bearer import ME, get_me, password_grant
from test_headless import login_error, post_login
from test_roles_and_gate import redirect_sign_in

PASSWORD = "Passw0rd!-headless"
LOCAL_PASSWORD = "Local-Passw0rd-77"


@pytest.fixture
def person(session_factory, wp_url, emulator_url, wp_eval, env):
    """A WorkOS user signed in through AuthKit, with a WordPress password, an application password and a token."""
    email = f"deact-{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(emulator_url, email, PASSWORD)
    browser = session_factory(wp_url)
    assert redirect_sign_in(browser, wp_url, emulator_url, email).status_code == 302
    info = wp_eval(
        """
        $u = get_user_by('email', $args['email']);
        wp_set_password($args['password'], $u->ID);
        [$app] = WP_Application_Passwords::create_new_application_password($u->ID, ['name' => 'e2e']);
        return ['id' => $u->ID, 'login' => $u->user_login, 'app' => $app];
        """,
        {"email": email, "password": LOCAL_PASSWORD},
    )
    # wp_set_password ends sessions; sign in again for a live one.
    browser = session_factory(wp_url)
    assert redirect_sign_in(browser, wp_url, emulator_url, email).status_code == 302
    token = password_grant(env, emulator_url, email, PASSWORD)["access_token"]
    return dict(info, email=email, workos=workos, browser=browser, token=token)


def deactivate(wp_eval, user_id):
    wp_eval("update_user_meta($args, '_workos_deactivated', time()); return true;", user_id)


def app_password_me(wp_url, login, app):
    return requests.get(wp_url + ME, auth=(login, app), timeout=30)


def test_every_path_works_before_and_none_after(person, wp_url, emulator_url, wp_eval, wp_settings, session_factory):
    assert person["browser"].get("/wp-admin/profile.php", allow_redirects=False).status_code == 200
    assert app_password_me(wp_url, person["login"], person["app"]).status_code == 200
    assert get_me(wp_url, person["token"]).status_code == 200

    deactivate(wp_eval, person["id"])

    # The session they had is gone.
    assert wp_eval("return count(WP_Session_Tokens::get_instance($args)->get_all());", person["id"]) == 0
    r = person["browser"].get("/wp-admin/profile.php", allow_redirects=False)
    assert r.status_code == 302 and "wp-login.php" in r.headers["Location"]

    # AuthKit redirect.
    fresh = session_factory(wp_url)
    r = redirect_sign_in(fresh, wp_url, emulator_url, person["email"])
    assert r.status_code == 403 and r.headers.get("X-WorkOS-Error") == "account_deactivated"
    assert not logged_in_cookie(fresh)

    # Application password and Bearer token.
    assert app_password_me(wp_url, person["login"], person["app"]).status_code == 401
    bearer = get_me(wp_url, person["token"])
    assert bearer.status_code == 401 and bearer.json()["code"] == "workos_user_deactivated"

    # WordPress's own form (fallback allowed).
    wp_settings(allow_password_fallback=True, login_mode="redirect")
    s = session_factory(wp_url)
    assert "deactivated" in login_error(post_login(s, wp_url, person["login"], LOCAL_PASSWORD))
    assert not logged_in_cookie(s)

    # Headless: WorkOS accepts the password, the site does not.
    wp_settings(login_mode="headless", allow_password_fallback=False)
    s = session_factory(wp_url)
    assert "deactivated" in login_error(post_login(s, wp_url, person["email"], PASSWORD))
    assert not logged_in_cookie(s)


def test_reactivated_user_can_sign_in_again(person, wp_url, emulator_url, wp_eval, session_factory):
    deactivate(wp_eval, person["id"])
    wp_eval("delete_user_meta($args, '_workos_deactivated'); return true;", person["id"])
    s = session_factory(wp_url)
    assert redirect_sign_in(s, wp_url, emulator_url, person["email"]).status_code == 302
    assert logged_in_cookie(s)
