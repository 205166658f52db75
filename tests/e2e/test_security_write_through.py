"""Security (issue 8, finding 10): a WordPress password reaches WorkOS only from the interactive
login form, and only for the WorkOS user whose verified email is the WordPress account's email.
XML-RPC and application passwords never send a password, a password grant or a Magic Auth email to
WorkOS."""

from __future__ import annotations

import uuid
import xmlrpc.client

import pytest
import requests

from authkit import create_workos_user, emulator_requests, logged_in_cookie, workos_password_works
from test_headless import post_login, unique_email

WORKOS_PASSWORD = "Passw0rd!-workos-only"
LOCAL_PASSWORD = "Local-Passw0rd-55"
TIMEOUT = 30


@pytest.fixture
def fallback(wp_settings, emulator_url):
    requests.delete(emulator_url + "/__emulator/requests", timeout=TIMEOUT)

    def _set(confirmation: bool) -> None:
        wp_settings(login_mode="headless", allow_password_fallback=True, fallback_confirmation=confirmation)

    return _set


def sent_to_workos(emulator_url, email, workos_id):
    """Every call that carried this person's email or password to WorkOS, or sent them a code."""
    calls = []
    calls += [c for c in emulator_requests(emulator_url, "/user_management/authenticate")
              if c["body"].get("email", "").lower() == email.lower()]
    calls += emulator_requests(emulator_url, "/user_management/magic_auth", "POST")
    calls += [c for c in emulator_requests(emulator_url, "/user_management/users", "POST")
              if c["body"].get("email", "").lower() == email.lower()]
    calls += emulator_requests(emulator_url, f"/user_management/users/{workos_id}", "PUT")
    return calls


def xmlrpc_profile(wp_url, login, password):
    proxy = xmlrpc.client.ServerProxy(wp_url + "/xmlrpc.php")
    try:
        return proxy.wp.getProfile(1, login, password)
    except xmlrpc.client.Fault as fault:
        return fault
    except xmlrpc.client.ProtocolError as err:
        return err


@pytest.fixture
def person(emulator_url, wp_user, wp_eval):
    """A WorkOS user and a WordPress account with the same verified email, each with its own password,
    not linked yet; the WordPress account also has an application password."""
    email = unique_email("wt")
    workos = create_workos_user(emulator_url, email, WORKOS_PASSWORD)
    local = wp_user("wt" + uuid.uuid4().hex[:8], email, LOCAL_PASSWORD, role="editor")
    app = wp_eval("return WP_Application_Passwords::create_new_application_password($args, ['name' => 'e2e'])[0];",
                  local["id"])
    return dict(local, workos=workos, app=app)


@pytest.mark.parametrize("confirmation", [False, True], ids=["write-through", "confirmation"])
@pytest.mark.parametrize("which", ["wordpress", "application"])
def test_xmlrpc_sends_nothing_to_workos(fallback, person, wp_url, emulator_url, env, wp_eval, confirmation, which):
    fallback(confirmation)
    password = LOCAL_PASSWORD if which == "wordpress" else person["app"]
    xmlrpc_profile(wp_url, person["login"], password)
    assert sent_to_workos(emulator_url, person["email"], person["workos"]["id"]) == []
    assert not workos_password_works(emulator_url, env, person["email"], password)
    assert workos_password_works(emulator_url, env, person["email"], WORKOS_PASSWORD)
    assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", person["id"]) == ""


def test_xmlrpc_application_password_still_works_in_headless_mode(wp_settings, person, wp_url):
    wp_settings(login_mode="headless", allow_password_fallback=False)
    profile = xmlrpc_profile(wp_url, person["login"], person["app"])
    assert isinstance(profile, dict) and profile["email"] == person["email"], profile
    # A WordPress password is not a WorkOS one: refused without asking WorkOS.
    assert isinstance(xmlrpc_profile(wp_url, person["login"], LOCAL_PASSWORD), xmlrpc.client.Fault)


def test_application_password_on_rest_sends_nothing_to_workos(fallback, person, wp_url, emulator_url):
    fallback(False)
    r = requests.get(wp_url + "/wp-json/wp/v2/users/me", auth=(person["login"], person["app"]), timeout=TIMEOUT)
    assert r.status_code == 200, r.text[:300]
    assert sent_to_workos(emulator_url, person["email"], person["workos"]["id"]) == []


@pytest.mark.parametrize("other", ["another address", "unverified"])
def test_password_is_not_written_to_a_linked_workos_user_with_another_or_unverified_email(
    fallback, wp_user, session_factory, wp_url, emulator_url, env, other
):
    """A WordPress account linked (by whatever path) to a WorkOS user whose verified email is not the
    account's own: its WordPress password must not become that WorkOS user's password."""
    fallback(False)
    email = unique_email("wt-victim")
    if other == "another address":
        victim = create_workos_user(emulator_url, email, WORKOS_PASSWORD)
        local_email = unique_email("wt-local")
    else:
        victim = create_workos_user(emulator_url, email, WORKOS_PASSWORD, email_verified=False)
        local_email = email
    local = wp_user("wtl" + uuid.uuid4().hex[:8], local_email, LOCAL_PASSWORD, workos_id=victim["id"])
    s = session_factory(wp_url)
    post_login(s, wp_url, local["login"], LOCAL_PASSWORD)
    assert emulator_requests(emulator_url, f"/user_management/users/{victim['id']}", "PUT") == []
    r = requests.get(f"{emulator_url}/__emulator/state", timeout=TIMEOUT).json()
    [stored] = [u for u in r["users"] if u["id"] == victim["id"]]
    assert stored["email"] == email
    if other == "another address":
        assert workos_password_works(emulator_url, env, email, WORKOS_PASSWORD)
        assert not workos_password_works(emulator_url, env, email, LOCAL_PASSWORD)


def test_interactive_form_still_writes_through_for_the_same_verified_email(fallback, person, session_factory,
                                                                            wp_url, emulator_url, env, wp_eval):
    fallback(False)
    s = session_factory(wp_url)
    assert post_login(s, wp_url, person["login"], LOCAL_PASSWORD).status_code == 302
    assert logged_in_cookie(s)
    assert workos_password_works(emulator_url, env, person["email"], LOCAL_PASSWORD)
    assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", person["id"]) == person["workos"]["id"]
