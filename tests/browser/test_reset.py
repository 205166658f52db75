"""Issue 12: a password reset in the hosted login, in a real browser — from "Forgot your password?" to the
link WorkOS emails (its token read from the emulator, the inbox's stand-in), a new password, and signing in
with it. Also: the link opened on a profile's own path without sign-in afterwards, a spent link, and
wp-login.php's lost-password screen when WordPress passwords are off. Screenshots of each step at WIDTHS.

The API behind it is tests/e2e/test_reset_api.py's; here it is driven only as a visitor would.
"""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_workos_user, workos_password_works
from conftest import REPO, WIDTHS

OLD = "Passw0rd!-before"
NEW = "Brand-new-passw0rd"
TARGET = "/?after-reset=1"
# Chromium logs every 4xx answer of fetch(); the refusals these tests provoke are expected.
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
RESET_DEFAULT = """
    $d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
    WorkOS_WP\\Profiles\\ProfileRepository::save(WorkOS_WP\\Profiles\\ProfileRepository::seed(), $d->get_id());
    delete_option('workos_profile_routing_rules');
    return true;
"""


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    if not (REPO / "php-shim" / "js" / "login" / "build" / "index.js").is_file():
        subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def hosted_site(wp_eval, wp_settings):
    """The hosted login on (custom mode), WordPress passwords off, a short floor, no limits hit."""
    wp_settings(login_mode="custom", allow_password_fallback=False)
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)


@pytest.fixture
def profile(wp_eval):
    """profile(methods, **fields) -> a saved Login Profile (deleted after the test)."""
    made: list[int] = []

    def _make(methods, **fields) -> dict:
        data = {"slug": "reset-" + uuid.uuid4().hex[:8], "title": "Reset test", "methods": list(methods)}
        data.update(fields)
        saved = wp_eval("""$p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return $p->to_array();""", data)
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def ready(page) -> None:
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def step(page, selector: str) -> None:
    """Waits for the shell's next step; fails with the shell's own message when it shows one instead."""
    page.wait_for_function(
        "(sel) => document.querySelector(sel) || document.getElementById('wa-error').textContent.length > 0",
        arg=selector, timeout=20000)
    assert page.locator(selector).count() == 1, "the shell said: " + page.locator("#wa-error").inner_text()


def error_text(page) -> str:
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0", timeout=10000)
    return page.locator("#wa-error").inner_text()


def status_text(page) -> str:
    page.wait_for_function("() => document.querySelector('.wa-status').textContent.length > 0", timeout=10000)
    return page.locator(".wa-status").inner_text()


def focused(page, element_id: str) -> None:
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{element_id}'",
                           timeout=5000)


def signed_in(page) -> bool:
    return any(c["name"].startswith("wordpress_logged_in_") for c in page.context.cookies())


def reset_link(emulator_url: str, email: str) -> dict:
    r = requests.get(emulator_url + "/__emulator/password_reset", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def sign_in_with_password(page, url: str, email: str, password: str, wp_url: str) -> None:
    page.goto(url)
    ready(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.fill("#wa-password", password)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    assert page.url == wp_url + TARGET and signed_in(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_forgot_password_then_sign_in_with_the_new_one(width, visitor_page, emulator_url, env, wp_url, shot, axe):
    """wp-login.php (the default profile): password step → "Forgot your password?" → link sent → the link
    (opened in another tab, as from a mail client) → new password → signed in where the visitor was going;
    then, in a fresh browser, signed in with the new password."""
    email = unique_email("forgot")
    create_workos_user(emulator_url, email, OLD)
    login = "/wp-login.php?redirect_to=" + quote(TARGET, safe="")
    page = visitor_page(width, allow_console=REFUSALS)
    page.goto(login)
    ready(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.get_by_role("button", name="Forgot your password?").click()
    step(page, "#wa-reset-email")
    focused(page, "wa-reset-email")
    assert page.input_value("#wa-reset-email") == email, "the address typed comes along"
    shot(page, f"reset-{width}")
    axe(page)
    page.keyboard.press("Enter")
    assert "a link to choose a new password is on its way" in status_text(page)
    step(page, ".wa-form .wa-button-secondary")
    shot(page, f"reset-sent-{width}")
    axe(page)

    # The email's link (WorkOS links to the URL set in its dashboard; here wp-login.php's form of it).
    link = reset_link(emulator_url, email)
    mail = visitor_page(width, allow_console=REFUSALS)
    mail.goto(f"/wp-login.php?workos_action=reset-password&token={link['token']}")
    ready(mail)
    step(mail, "#wa-new-password")
    assert "token=" not in mail.url, "the token leaves the address bar"
    shot(mail, f"reset-confirm-{width}")
    axe(mail)
    mail.fill("#wa-new-password", NEW)
    mail.fill("#wa-new-password-again", NEW + "x")
    mail.keyboard.press("Enter")
    assert "do not match" in error_text(mail)
    mail.fill("#wa-new-password", "short")
    mail.fill("#wa-new-password-again", "short")
    mail.keyboard.press("Enter")
    assert "not strong enough" in error_text(mail)
    shot(mail, f"reset-confirm-weak-{width}")
    mail.fill("#wa-new-password", NEW)
    mail.fill("#wa-new-password-again", NEW)
    # Signed in (auto_login_after_reset, the default), back where the reset started from.
    with mail.expect_navigation(url=lambda u: u.endswith(TARGET)):
        mail.keyboard.press("Enter")
    assert mail.url == wp_url + TARGET and signed_in(mail)
    assert workos_password_works(emulator_url, env, email, NEW)
    assert not workos_password_works(emulator_url, env, email, OLD)

    # Another browser: the new password signs in, the old one does not.
    again = visitor_page(width, allow_console=REFUSALS)
    again.goto(login)
    ready(again)
    again.fill("#wa-email", email)
    again.keyboard.press("Enter")
    step(again, "#wa-password")
    again.fill("#wa-password", OLD)
    again.keyboard.press("Enter")
    assert "incorrect" in error_text(again)
    sign_in_with_password(again, login, email, NEW, wp_url)


def test_link_on_a_profile_path_without_auto_login(profile, visitor_page, emulator_url, wp_url, shot, axe):
    """A profile that does not sign in after a reset: the link (`?token=` on its own path) sets the password,
    then its password step says so, with the address filled in; the new password signs in."""
    path = "team-" + uuid.uuid4().hex[:6]
    p = profile(["password"], custom_path=path, auto_login_after_reset=False,
                post_login_redirect=TARGET, branding={"heading": "Team sign-in", "primary_color": "#3858e9"})
    email = unique_email("noauto")
    create_workos_user(emulator_url, email, OLD)
    page = visitor_page(390, allow_console=REFUSALS)
    page.goto(f"/workos/login/{p['slug']}/")
    ready(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.get_by_role("button", name="Forgot your password?").click()
    step(page, "#wa-reset-email")
    page.keyboard.press("Enter")
    status_text(page)

    page.goto(f"/{path}/?token={reset_link(emulator_url, email)['token']}")
    ready(page)
    step(page, "#wa-new-password")
    page.fill("#wa-new-password", NEW)
    page.fill("#wa-new-password-again", NEW)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    assert "Your password has been changed" in status_text(page)
    assert email in page.locator(".wa-identity").inner_text()
    assert not signed_in(page)
    shot(page, "changed-then-password-390")
    axe(page)
    page.fill("#wa-password", NEW)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    assert signed_in(page)


def test_a_spent_link_and_the_lost_password_screen(visitor_page, emulator_url, wp_url, shot, axe):
    """A link used once already says so and offers a new one; wp-login.php?action=lostpassword opens the
    reset step (WordPress passwords off), which sends one."""
    email = unique_email("spent")
    create_workos_user(emulator_url, email, OLD)
    page = visitor_page(1440, allow_console=REFUSALS)
    page.goto("/wp-login.php?action=lostpassword")
    ready(page)
    step(page, "#wa-reset-email")
    assert page.locator("#lostpasswordform").count() == 0
    page.fill("#wa-reset-email", email)
    page.keyboard.press("Enter")
    status_text(page)
    token = reset_link(emulator_url, email)["token"]
    # Used once (as by a first click on the link) …
    first = visitor_page(1440)
    first.goto(f"/wp-login.php?workos_action=reset-password&token={token}")
    ready(first)
    step(first, "#wa-new-password")
    first.fill("#wa-new-password", NEW)
    first.fill("#wa-new-password-again", NEW)
    with first.expect_navigation():
        first.keyboard.press("Enter")
    # … then again.
    page.goto(f"/wp-login.php?workos_action=reset-password&token={token}")
    ready(page)
    step(page, "#wa-new-password")
    page.fill("#wa-new-password", "Yet-another-passw0rd")
    page.fill("#wa-new-password-again", "Yet-another-passw0rd")
    page.keyboard.press("Enter")
    assert "already used" in error_text(page)
    ask = page.get_by_role("button", name="Ask for a new link")
    ask.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.textContent === 'Ask for a new link'")
    shot(page, "spent-link-1440")
    axe(page)
    ask.click()
    step(page, "#wa-reset-email")
    # A link that is not one at all: the same way on, without asking WorkOS.
    page.goto("/wp-login.php?workos_action=reset-password&token=%3Cb%3E")
    ready(page)
    assert "not valid" in error_text(page)
    assert page.get_by_role("button", name="Ask for a new link").count() == 1
