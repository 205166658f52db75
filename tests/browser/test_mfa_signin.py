"""Issue 12: MFA at a hosted sign-in, in a real browser — a Login Profile with `mfa.enforce: always` has a
person without a factor set up an authenticator app (QR code + key; the code computed from the key, RFC 6238,
as the app would), then challenges them on the next sign-in; an SMS factor's code; five wrong codes and the
person must wait; `if_required` and `never`. Screenshots of each step at WIDTHS.

The API behind it is tests/e2e/test_mfa_api.py's; here it is driven only as a visitor would.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_workos_user, totp
from conftest import REPO, WIDTHS

PASSWORD = "Passw0rd!-mfa-browser"
TARGET = "/?after-mfa=1"
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    if not (REPO / "php-shim" / "js" / "login" / "build" / "index.js").is_file():
        subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def hosted_site(wp_eval, wp_settings):
    wp_settings(login_mode="custom", allow_password_fallback=False)
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    """profile(enforce, factors) -> a saved password-only Login Profile with that MFA policy."""
    made: list[int] = []

    def _make(enforce: str, factors=("totp",)) -> dict:
        data = {"slug": "mfa-" + uuid.uuid4().hex[:8], "title": "MFA test", "methods": ["password"],
                "mfa": {"enforce": enforce, "factors": list(factors)},
                "branding": {"heading": "Staff sign-in"}}
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


def signed_in(page) -> bool:
    return any(c["name"].startswith("wordpress_logged_in_") for c in page.context.cookies())


def login_url(p: dict) -> str:
    return f"/workos/login/{p['slug']}/?redirect_to=" + quote(TARGET, safe="")


def password_step(page, p: dict, email: str) -> None:
    page.goto(login_url(p))
    ready(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.fill("#wa-password", PASSWORD)


def finish_with(page, code: str, wp_url: str) -> None:
    page.fill("#wa-mfa-code", code)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    assert page.url == wp_url + TARGET and signed_in(page)


def authenticator(emulator_url: str, email: str) -> dict:
    r = requests.get(emulator_url + "/__emulator/auth_factors", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    [factor] = r.json()["data"]
    return factor


@pytest.mark.parametrize("width", WIDTHS)
def test_always_enrols_totp_then_challenges_next_time(width, profile, visitor_page, emulator_url, wp_url, shot, axe):
    p = profile("always")
    email = unique_email("always")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(width, allow_console=REFUSALS)
    password_step(page, p, email)
    page.keyboard.press("Enter")
    # No factor yet: set one up — nobody is refused for lacking one, and nobody is signed in yet.
    step(page, ".wa-mfa-intro")
    assert not signed_in(page)
    shot(page, f"always-enrol-intro-{width}")
    axe(page)
    page.get_by_role("button", name="Set up an authenticator app").click()
    step(page, "#wa-mfa-code")
    qr = page.locator("img.wa-qr")
    assert qr.get_attribute("src").startswith("data:image/png;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 50"), "the QR code is a real image"
    key = page.locator(".wa-secret").inner_text()
    assert key.replace(" ", "") == authenticator(emulator_url, email)["secret"]
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-mfa-code'",
                           timeout=5000)
    shot(page, f"always-enrol-qr-{width}")
    axe(page)
    page.fill("#wa-mfa-code", f"{(int(totp(key)) + 500_000) % 1_000_000:06d}")
    page.keyboard.press("Enter")
    assert "not right" in error_text(page)
    assert page.get_attribute("#wa-mfa-code", "aria-invalid") == "true"
    shot(page, f"always-enrol-wrong-{width}")
    assert not signed_in(page)
    finish_with(page, totp(key), wp_url)

    # Next time (another browser): challenged for the app's code, straight after the password.
    again = visitor_page(width, allow_console=REFUSALS)
    password_step(again, p, email)
    again.keyboard.press("Enter")
    step(again, "#wa-mfa-code")
    assert again.locator("img.wa-qr").count() == 0 and again.locator(".wa-secret").count() == 0
    assert "authenticator app" in again.locator("label[for=wa-mfa-code]").inner_text()
    shot(again, f"always-challenge-{width}")
    axe(again)
    finish_with(again, totp(key, time.time() + 30), wp_url)


def test_sms_code(profile, visitor_page, emulator_url, wp_url, wp_user, wp_eval, env, shot, axe):
    """A linked user's SMS factor (added on their profile screen) under `always` with SMS allowed."""
    p = profile("always", factors=("totp", "sms"))
    email = unique_email("sms")
    workos = create_workos_user(emulator_url, email, PASSWORD)
    phone = "+1555" + str(uuid.uuid4().int)[:7]
    enrolled = requests.post(emulator_url + "/auth/factors/enroll", json={"type": "sms", "phone_number": phone},
                             headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10)
    assert enrolled.status_code in (200, 201), enrolled.text
    factor = enrolled.json()
    user = wp_user("sms" + uuid.uuid4().hex[:6], email, "unused-Passw0rd", workos_id=workos["id"])
    wp_eval("update_user_meta($args[0], 'workos_sms_factors', array(array('id' => $args[1], 'phone' => $args[2], "
            "'created' => time()))); return true;", [user["id"], factor["id"], phone])
    page = visitor_page(390, allow_console=REFUSALS)
    password_step(page, p, email)
    page.keyboard.press("Enter")
    step(page, "input[name=factor]")
    assert page.locator(".wa-choice").inner_text().strip() == "Text message (SMS)"
    shot(page, "sms-choose-390")
    axe(page)
    page.get_by_role("button", name="Continue").click()
    step(page, "#wa-mfa-code")
    page.wait_for_function("() => document.querySelector('.wa-status').textContent.includes('text message')",
                           timeout=10000)
    sms = requests.get(emulator_url + "/__emulator/sms", params={"factor_id": factor["id"]}, timeout=10).json()["data"]
    shot(page, "sms-code-390")
    axe(page)
    finish_with(page, sms[0]["code"], wp_url)


def test_five_wrong_codes_then_wait(profile, visitor_page, emulator_url, shot):
    p = profile("if_required")
    email = unique_email("limit")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    page = visitor_page(390, allow_console=REFUSALS)
    password_step(page, p, email)
    page.keyboard.press("Enter")
    step(page, "#wa-mfa-code")
    code = totp(authenticator(emulator_url, email)["secret"])
    bad = f"{(int(code) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        page.evaluate("() => { document.getElementById('wa-error').textContent = ''; }")
        page.fill("#wa-mfa-code", bad)
        page.keyboard.press("Enter")
        assert "not right" in error_text(page)
    page.evaluate("() => { document.getElementById('wa-error').textContent = ''; }")
    page.fill("#wa-mfa-code", code)
    page.keyboard.press("Enter")
    assert "Too many" in error_text(page)
    shot(page, "limited-390")
    assert not signed_in(page)


def test_if_required_and_never(profile, visitor_page, emulator_url, wp_url, shot):
    """`if_required`: no step unless WorkOS asks (a person with a factor is asked for its code);
    `never`: a person without a factor goes straight in."""
    plain = unique_email("plain")
    create_workos_user(emulator_url, plain, PASSWORD)
    for enforce in ("if_required", "never"):
        p = profile(enforce)
        page = visitor_page(1440, allow_console=REFUSALS)
        password_step(page, p, plain)
        with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
            page.keyboard.press("Enter")
        assert signed_in(page)

    guarded = unique_email("guarded")
    create_workos_user(emulator_url, guarded, PASSWORD, mfa="challenge")
    p = profile("if_required")
    page = visitor_page(1440, allow_console=REFUSALS)
    password_step(page, p, guarded)
    page.keyboard.press("Enter")
    step(page, "#wa-mfa-code")
    shot(page, "if-required-challenge-1440")
    finish_with(page, totp(authenticator(emulator_url, guarded)["secret"]), wp_url)
