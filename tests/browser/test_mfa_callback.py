"""Issue 12 in a real browser: a social sign-in from a Login Profile with `mfa.enforce: always` comes back to
/workos/callback, which opens the shell on its MFA step (set up an authenticator app: QR code and key; the code
computed from the key, RFC 6238); the next social sign-in is challenged for the app's code. Also what the shell
shows around its steps: the page's "Lost your password?" link only on the email step (the password step has its
own "Forgot your password?" in the card: one reset link at a time), no "Use a
different email" on the MFA step, and a neutral card (not the email form) before the script renders another
first step. Screenshots at WIDTHS.

The HTTP side is tests/e2e/test_mfa_callback.py.
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_workos_user
from conftest import WIDTHS
# The shell is built and the site set to the hosted login, as for the password sign-ins.
from test_mfa_signin import (  # noqa: F401 (pytest fixtures, autouse)
    PASSWORD, built_shell, error_text, hosted_site, ready, signed_in, step, totp, unique_email)

TARGET = "/?after-social-mfa=1"
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]


@pytest.fixture
def profile(wp_eval):
    made: list[int] = []

    def _make(enforce: str) -> dict:
        data = {"slug": "social-mfa-" + uuid.uuid4().hex[:8], "title": "Social MFA",
                "methods": ["password", "oauth_github"], "mfa": {"enforce": enforce, "factors": ["totp"]},
                "branding": {"heading": "Team sign-in"}}
        saved = wp_eval("""$p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return $p->to_array();""", data)
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


def lost_password_shown(page) -> bool:
    return page.locator(".wa-page-links a", has_text="Lost your password?").is_visible()


def social_to_callback(page, p: dict, email: str, emulator_url: str) -> None:
    page.goto(f"/workos/login/{p['slug']}/?redirect_to=" + quote(TARGET, safe=""))
    ready(page)
    assert lost_password_shown(page), "the email step offers the lost-password link"
    page.get_by_role("button", name="Continue with GitHub").click()
    page.wait_for_url(emulator_url + "/user_management/authorize*")
    page.fill("input[name=email]", email)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/workos/callback*")
    ready(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_social_sign_in_under_always_sets_up_then_asks_for_the_app_code(
        width, profile, visitor_page, emulator_url, wp_url, shot, axe):
    p = profile("always")
    email = unique_email("social-always")
    page = visitor_page(width, allow_console=REFUSALS)
    social_to_callback(page, p, email, emulator_url)
    # The callback opened the shell on its MFA step: nobody signed in yet, nothing to go back to.
    step(page, ".wa-mfa-intro")
    assert not signed_in(page)
    assert page.locator(".wa-heading").inner_text() == "Team sign-in"
    assert page.locator(".wa-identity").count() == 0, "no 'Use a different email' on the MFA step"
    assert not lost_password_shown(page), "no lost-password link on the MFA step"
    shot(page, f"callback-enrol-intro-{width}")
    axe(page)
    page.get_by_role("button", name="Set up an authenticator app").click()
    step(page, "#wa-mfa-code")
    key = page.locator(".wa-secret").inner_text()
    assert page.locator("img.wa-qr").evaluate("img => img.complete && img.naturalWidth > 50")
    shot(page, f"callback-enrol-qr-{width}")
    axe(page)
    page.fill("#wa-mfa-code", totp(key))
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    assert page.url == wp_url + TARGET and signed_in(page)

    # Next time: the app's code, straight away.
    again = visitor_page(width, allow_console=REFUSALS)
    social_to_callback(again, p, email, emulator_url)
    step(again, "#wa-mfa-code")
    assert again.locator(".wa-secret").count() == 0 and again.locator(".wa-identity").count() == 0
    shot(again, f"callback-challenge-{width}")
    axe(again)
    again.fill("#wa-mfa-code", f"{(int(totp(key)) + 500_000) % 1_000_000:06d}")
    again.keyboard.press("Enter")
    assert "not right" in error_text(again)
    again.fill("#wa-mfa-code", totp(key, time.time() + 30))
    with again.expect_navigation(url=lambda u: u.endswith(TARGET)):
        again.keyboard.press("Enter")
    assert signed_in(again)


def test_password_mfa_step_hides_the_lost_password_link_and_the_address_switch(
        profile, visitor_page, emulator_url):
    p = profile("always")
    email = unique_email("pw-links")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(390, allow_console=REFUSALS)
    page.goto(f"/workos/login/{p['slug']}/")
    ready(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    # The password step: its address with the way to another, and one reset link — the card's.
    assert page.locator(".wa-identity").is_visible() and not lost_password_shown(page)
    assert page.get_by_role("button", name="Forgot your password?").is_visible()
    page.fill("#wa-password", PASSWORD)
    page.keyboard.press("Enter")
    step(page, ".wa-mfa-intro")
    assert page.locator(".wa-identity").count() == 0 and not lost_password_shown(page)


def test_another_first_step_starts_as_a_neutral_card(visitor_page, wp_url, wp_eval, emulator_url, env):
    """A reset link opens on its step: the server prints no email form the script would replace."""
    served = requests.get(wp_url + "/workos/login/default/", params={"workos_action": "reset", "token": "x" * 20},
                          timeout=30).text
    root = served[served.index('id="workos-authkit-root"'):]
    assert 'data-initial-step="reset_confirm"' in served
    assert 'id="wa-email"' not in root and "data-provider" not in root and "wa-step-loading" in root
    assert 'data-wa-steps="email" hidden' in served
    # The script is held back, as on a slow connection: what the server printed is what shows.
    page = visitor_page(390, allow_console=REFUSALS + [r"Failed to load resource: net::ERR_FAILED .*/js/login/build/"])
    page.route("**/js/login/build/index.js*", lambda route: route.abort())
    page.goto("/workos/login/default/?workos_action=reset&token=" + "x" * 20)
    page.wait_for_selector(".wa-step-loading")
    assert page.locator("#wa-email").count() == 0
    assert not lost_password_shown(page)
