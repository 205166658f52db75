"""Issue 12: signing up in the hosted login, in a real browser.

"Create an account" on the first step (and wp-login.php?action=register) opens the sign-up step
(php-shim/js/login/src/steps/Signup.js); the new account's code, read from the emulator, is entered in the
card and the visitor lands signed in, a WordPress user created by the sign-in pipeline. A taken address
goes through the same screens and only ever meets "wrong code". Screenshots at WIDTHS, axe on each step.
The API is tests/e2e/test_signup_api.py's.
"""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import quote

import pytest
from authkit import create_workos_user
from conftest import REPO, WIDTHS
from test_hosted_signin import REFUSALS, WIPE_LIMITS, error_text, hydrated, latest_code, signed_in, step

PASSWORD = "Passw0rd!-signup"
TARGET = "/?signed-up=1"
SAVE_DEFAULT = """
    $d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
    $a = array_merge(WorkOS_WP\\Profiles\\ProfileRepository::seed(), $args);
    $p = WorkOS_WP\\Profiles\\ProfileRepository::save($a, $d->get_id());
    if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
    delete_option('workos_profile_routing_rules');
    return true;
"""


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    if not (REPO / "php-shim" / "js" / "login" / "build" / "index.js").is_file():
        subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def signup_site(wp_eval, wp_settings):
    """wp-login.php is the hosted login (custom mode, WordPress passwords off); the default profile lets
    anyone sign up by password; short response floor, no limits hit."""
    wp_settings(login_mode="custom", allow_password_fallback=False)
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(SAVE_DEFAULT, {"methods": ["password", "magic_code", "oauth_google"],
                           "signup": {"enabled": True, "require_invite": False},
                           "branding": {"heading": "Welcome", "subheading": "Members of the test site"}})
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(SAVE_DEFAULT, {})


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def fill_signup(page, email: str, first: str = "Grace", last: str = "Hopper", password: str = PASSWORD) -> None:
    page.fill("#wa-signup-email", email)
    page.fill("#wa-first-name", first)
    page.fill("#wa-last-name", last)
    page.fill("#wa-new-password", password)


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_verify_and_land_signed_in(width, visitor_page, emulator_url, wp_url, wp_eval, shot, axe):
    email = unique_email("signup")
    page = visitor_page(width, allow_console=REFUSALS)
    page.goto("/wp-login.php?redirect_to=" + quote(TARGET, safe=""))
    hydrated(page)
    shot(page, f"signup-0-email-step-{width}")
    # What was typed on the first step comes along.
    page.fill("#wa-email", email)
    page.get_by_role("button", name="Create an account").click()
    step(page, "#wa-signup-email")
    assert page.locator("#wa-signup-email").input_value() == email
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-signup-email'")
    assert page.locator(".wa-identity").count() == 0
    axe(page)
    shot(page, f"signup-1-form-{width}")
    # Too short a password is said before anything is sent.
    fill_signup(page, email, password="short")
    page.get_by_role("button", name="Create account").click()
    assert "at least 8 characters" in error_text(page)
    shot(page, f"signup-2-short-password-{width}")
    page.fill("#wa-new-password", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    step(page, "#wa-code")
    assert email in page.locator(".wa-status").inner_text()
    assert email in page.locator(".wa-identity").inner_text()
    axe(page)
    shot(page, f"signup-3-verify-{width}")
    code = latest_code(emulator_url, "email_verification", email)
    page.fill("#wa-code", "000000" if code != "000000" else "111111")
    page.keyboard.press("Enter")
    assert "not right" in error_text(page)
    assert not signed_in(page)
    shot(page, f"signup-4-wrong-code-{width}")
    page.fill("#wa-code", code)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.get_by_role("button", name="Verify and sign in").click()
    assert page.url == wp_url + TARGET and signed_in(page)
    user = wp_eval("$u = get_user_by('email', $args); return [$u->first_name, $u->last_name, "
                   "(bool) get_user_meta($u->ID, '_workos_user_id', true)];", email)
    assert user == ["Grace", "Hopper", True]


def test_register_opens_the_sign_up_step_and_back_to_sign_in(visitor_page, shot, axe):
    page = visitor_page(390)
    page.goto("/wp-login.php?action=register")
    hydrated(page)
    assert page.locator("#wa-signup-email").count() == 1
    axe(page)
    shot(page, "register-entry-390")
    page.get_by_role("button", name="Already have an account? Sign in").click()
    step(page, "#wa-email")
    assert page.get_by_role("button", name="Create an account").count() == 1


def test_no_sign_up_link_where_the_profile_does_not_allow_it(visitor_page, wp_eval):
    wp_eval(SAVE_DEFAULT, {"methods": ["password"], "signup": {"enabled": True, "require_invite": True}})
    page = visitor_page()
    page.goto("/wp-login.php")
    hydrated(page)
    assert page.get_by_role("button", name="Create an account").count() == 0
    page.goto("/wp-login.php?action=register")
    hydrated(page)
    assert page.locator("#wa-email").count() == 1 and page.locator("#wa-signup-email").count() == 0


def test_a_taken_address_only_meets_a_wrong_code(visitor_page, emulator_url, shot):
    email = unique_email("taken")
    create_workos_user(emulator_url, email, "Owner-pw-123")
    page = visitor_page(allow_console=REFUSALS)
    page.goto("/wp-login.php?action=register")
    hydrated(page)
    fill_signup(page, email)
    page.get_by_role("button", name="Create account").click()
    # The same screen as for a new address…
    step(page, "#wa-code")
    assert email in page.locator(".wa-status").inner_text()
    page.fill("#wa-code", "123456")
    page.keyboard.press("Enter")
    # … and any code is only ever wrong.
    assert "not right" in error_text(page)
    assert not signed_in(page)
    shot(page, "taken-address-wrong-code")
