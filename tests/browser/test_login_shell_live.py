"""The hosted login's shell against the real API (issue 11): php-shim/js/login talking to
/wp-json/workos/v1/auth/* on the test instance, WorkOS played by the emulator. The shell is shown
for a saved Login Profile by the test mu-plugin (`/?workos_shell_preview=stored&profile={slug}`);
the entry points themselves (wp-login.php takeover, /workos/login/{slug}, the shortcode) are
tests/browser/test_hosted_signin.py's. Sign-in by password, by emailed code, with the
email-verification step, the MFA notice and a social provider, keyboard-only where a visitor would be."""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_org, create_workos_user
from conftest import REPO

PASSWORD = "Passw0rd!-shell"
# Chromium logs every 4xx answer of fetch(); the refusals these tests provoke are expected.
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def fast_floor(wp_eval):
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    made: list[int] = []

    def _make(methods, **fields) -> dict:
        data = {"slug": "shell-" + uuid.uuid4().hex[:8], "title": "Shell test", "methods": list(methods)}
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


def shell_url(slug: str, redirect_to: str = "/?signed-in=1") -> str:
    return f"/?workos_shell_preview=stored&profile={slug}&redirect_to={quote(redirect_to)}"


def hydrated(page) -> None:
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def focused(page, element_id: str) -> None:
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{element_id}'",
                           timeout=5000)


def error_text(page) -> str:
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0", timeout=10000)
    return page.locator("#wa-error").inner_text()


def signed_in(page) -> bool:
    return any(c["name"].startswith("wordpress_logged_in_") for c in page.context.cookies())


def latest_code(emulator_url: str, kind: str, email: str) -> str:
    r = requests.get(f"{emulator_url}/__emulator/{kind}", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["code"]


def test_password_sign_in_keyboard_only(visitor_page, profile, emulator_url, shot, axe):
    p = profile(["password", "magic_code"])
    email = unique_email("kbd")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(allow_console=REFUSALS)
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.keyboard.press("Tab")
    focused(page, "wa-email")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    focused(page, "wa-password")
    # A wrong password: a clear error, the typed address kept, the keyboard still in the field.
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    assert "incorrect" in error_text(page)
    assert page.locator(".wa-identity-email").inner_text() == email
    assert page.get_attribute("#wa-password", "aria-invalid") == "true"
    shot(page, "live-password-wrong-1440")
    axe(page)
    assert not signed_in(page)
    page.fill("#wa-password", "")
    page.focus("#wa-password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/?signed-in=1")
    assert signed_in(page)


def test_magic_code_with_resend_and_back_link(visitor_page, profile, emulator_url, shot, axe):
    p = profile(["magic_code"])
    email = unique_email("code")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(390, allow_console=REFUSALS)
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")  # a magic-code-only profile sends the code straight away
    page.wait_for_selector("#wa-code")
    focused(page, "wa-code")
    first = latest_code(emulator_url, "magic_auth", email)
    shot(page, "live-code-390")
    axe(page)
    # "Use a different email" goes back with the address kept and the keyboard in the field.
    page.get_by_role("button", name="Use a different email").click()
    focused(page, "wa-email")
    assert page.input_value("#wa-email") == email
    page.keyboard.press("Enter")
    page.wait_for_selector("#wa-code")
    # A wrong code is refused; "Send a new code" sends another.
    page.fill("#wa-code", "000000" if first != "000000" else "111111")
    page.keyboard.press("Enter")
    assert "not right" in error_text(page)
    shot(page, "live-code-wrong-390")
    page.get_by_role("button", name="Send a new code").click()
    # Sent once the buttons are usable again (they are disabled while a request runs).
    page.wait_for_function("() => document.getElementById('wa-error').textContent === ''"
                           " && !document.querySelector('.wa-button-primary').disabled")
    assert "on its way" in page.locator("[role=status]").inner_text()
    second = latest_code(emulator_url, "magic_auth", email)
    page.fill("#wa-code", second)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/?signed-in=1") and signed_in(page)


def test_email_verification_step(visitor_page, profile, emulator_url, shot, axe):
    p = profile(["password"])
    email = unique_email("verify")
    create_workos_user(emulator_url, email, PASSWORD, email_verified=False)
    page = visitor_page()
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    page.fill("#wa-password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#wa-code")
    focused(page, "wa-code")
    assert page.get_by_label("Verification code").count() == 1
    assert "verified" in page.locator("[role=status]").inner_text()
    shot(page, "live-verify-1440")
    axe(page)
    # "Send a new code" asks WorkOS again (a new code and a new pending step); the newest one works.
    first = latest_code(emulator_url, "email_verification", email)
    page.get_by_role("button", name="Send a new code").click()
    second = first
    for _ in range(50):
        second = latest_code(emulator_url, "email_verification", email)
        if second != first:
            break
        page.wait_for_timeout(200)
    assert second != first, "no new code was sent"
    page.wait_for_function("() => !document.querySelector('.wa-button-primary').disabled")
    assert page.input_value("#wa-code") == ""
    page.focus("#wa-code")
    page.keyboard.type(second)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert signed_in(page)


def test_mfa_is_explained_not_silently_dropped(visitor_page, profile, emulator_url, shot):
    p = profile(["password"])
    email = unique_email("mfa")
    create_workos_user(emulator_url, email, PASSWORD, mfa="enrollment")
    page = visitor_page()
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    page.fill("#wa-password", PASSWORD)
    page.keyboard.press("Enter")
    # Issue 12: the shell continues WorkOS's MFA step (here: setting up an app) instead of explaining it away.
    page.wait_for_selector(".wa-mfa-intro", timeout=20000)
    assert "second step" in page.locator(".wa-mfa-intro").inner_text()
    shot(page, "live-mfa-1440")
    assert not signed_in(page)


def test_a_member_of_several_organizations_picks_one_keyboard_only(visitor_page, profile, emulator_url, shot, axe):
    tag = uuid.uuid4().hex[:6]
    orgs = [create_org(emulator_url, f"{name} {tag}") for name in ("Acme", "Globex")]
    p = profile(["password"])
    email = unique_email("orgs")
    create_workos_user(emulator_url, email, PASSWORD,
                       memberships=[{"organization_id": o["id"], "role_slug": "member"} for o in orgs])
    page = visitor_page()
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    focused(page, "wa-password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # The organizations by name, the keyboard on the first; Continue without a choice says so.
    focused(page, "wa-org-0")
    assert page.locator(".wa-choice").all_inner_texts() == [f"Acme {tag}", f"Globex {tag}"]
    shot(page, "live-organization-1440")
    axe(page)
    assert not signed_in(page)
    page.keyboard.press("ArrowDown")  # radio group: the arrow moves to and selects Globex
    assert page.is_checked("#wa-org-1")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/?signed-in=1") and signed_in(page)


def test_social_button_signs_in_through_the_provider(visitor_page, profile, emulator_url, wp_url, shot):
    p = profile(["password", "oauth_github"], post_login_redirect="/?from=github")
    page = visitor_page()
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    page.get_by_role("button", name="Continue with GitHub").click()
    # The emulator's stand-in for GitHub.
    page.wait_for_url(emulator_url + "/user_management/authorize*")
    assert "GitHub" in page.locator("h1").inner_text()
    page.fill("input[name=email]", unique_email("gh"))
    with page.expect_navigation(url=lambda u: u.startswith(wp_url) and "from=github" in u):
        page.get_by_role("button", name="Continue").click()
    assert signed_in(page)


def test_a_method_the_profile_lacks_is_not_offered_and_refused(visitor_page, profile, emulator_url):
    p = profile(["password"])
    email = unique_email("nocode")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(allow_console=REFUSALS)
    page.goto(shell_url(p["slug"]))
    hydrated(page)
    assert page.locator("[data-provider]").count() == 0
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    page.wait_for_selector("#wa-password")
    assert page.get_by_role("button", name="Email me a sign-in code instead").count() == 0
    # Even a hand-made request from this very page is refused by the server.
    status = page.evaluate("""async (slug) => {
        const n = await (await fetch('/wp-json/workos/v1/auth/nonce?profile=' + slug)).json();
        const r = await fetch('/wp-json/workos/v1/auth/magic/send', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-WorkOS-Nonce': n.nonce},
            body: JSON.stringify({profile: slug, email: 'x@example.com'})});
        return [r.status, (await r.json()).code]; }""", p["slug"])
    assert status == [400, "workos_authkit_method_disabled"]
