"""What visitors see when signing in goes wrong, the `?fallback=1` form's way back to single sign-on,
and the profile of an account WorkOS manages — in Chromium at desktop and phone widths (issue 10)."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import WIDTHS

from authkit import create_workos_user

ADMIN = "contact your site administrator"
PASSWORD = "Passw0rd!-browser-visitor"


def visible_text(page) -> str:
    return " ".join(page.locator("body").inner_text().split())


def assert_fits(page, selector: str, width: int) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not visible"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box, width)


# ---------------------------------------------------------------------------------------------
# The callback's error page
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name,params,expected",
    [
        ("misconfigured", {"error": "unauthorized_client", "error_description": "client_secret mismatch"}, ADMIN),
        ("cancelled", {"error": "access_denied"}, "sign in again"),
        ("forged", {"error": "zz_forged", "error_description": "Call +1 555 0100"}, "sign in again"),
        ("incomplete", {}, "sign in again"),
    ],
)
def test_callback_error_page(visitor_page, shot, axe, width, name, params, expected):
    page = visitor_page(width)
    response = page.goto("/workos/callback" + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""))
    assert response.status == 400
    shot(page, f"callback-{name}-{width}")
    axe(page)
    text = visible_text(page)
    assert expected in text.lower(), text
    for raw in list(params.values()) + ["missing_parameters", "provider_error", "555 0100"]:
        assert raw not in page.content(), raw
    # The ways on are real buttons that fit the screen.
    again = page.get_by_role("link", name="Sign in again")
    assert again.is_visible() and "wp-login.php" in again.get_attribute("href")
    assert_fits(page, ".workos-next", width)


# ---------------------------------------------------------------------------------------------
# wp-login.php's error box
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_login_screen_when_single_sign_on_is_broken(visitor_page, wp_settings, shot, axe, width):
    wp_settings(login_mode="redirect", allow_password_fallback=True, api_base_url="ftp://misconfigured.invalid")
    page = visitor_page(width)
    page.goto("/wp-login.php")
    shot(page, f"login-sso-broken-{width}")
    axe(page)
    message = " ".join(page.locator("#login_error").inner_text().split())
    assert ADMIN in message.lower() and "password" in message.lower(), message
    assert "base_url" not in page.content()
    # AuthKit is what failed: no link to it.
    assert page.get_by_role("link", name="Sign in with single sign-on").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_headless_refusal_only_an_administrator_can_lift(visitor_page, wp_settings, emulator_url, shot, axe, width):
    wp_settings(login_mode="headless", allow_password_fallback=False, entitlement_gate=True, organization_id=None)
    email = f"vis-browser-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(width)
    page.goto("/wp-login.php")
    page.fill("#user_login", email)
    page.fill("#user_pass", PASSWORD)
    page.click("#wp-submit")
    page.wait_for_selector("#login_error")
    shot(page, f"login-gate-misconfigured-{width}")
    axe(page)
    message = " ".join(page.locator("#login_error").inner_text().split())
    assert ADMIN in message.lower(), message
    assert "gate_misconfigured" not in page.content()


# ---------------------------------------------------------------------------------------------
# ?fallback=1
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", WIDTHS)
def test_fallback_form_links_back_to_single_sign_on(visitor_page, wp_settings, wp_url, shot, axe, width):
    wp_settings(login_mode="redirect", allow_password_fallback=True)
    page = visitor_page(width)
    target = wp_url + "/sample-page/"
    page.goto(f"/wp-login.php?fallback=1&redirect_to={target}")
    shot(page, f"fallback-form-{width}")
    axe(page)
    link = page.get_by_role("link", name="Sign in with single sign-on")
    assert link.count() == 1 and link.is_visible()
    assert_fits(page, ".workos-sso-link", width)
    href = link.get_attribute("href")
    assert "fallback" not in href and parse_qs(urlparse(href).query)["redirect_to"] == [target]
    # Keyboard: from the password field, Tab reaches the link (after WordPress's own controls).
    page.focus("#user_pass")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('workos-sso-link')"):
            break
    else:
        pytest.fail("Tab from the password field never reached 'Sign in with single sign-on'")
    shot(page, f"fallback-form-link-focused-{width}")


# ---------------------------------------------------------------------------------------------
# The profile of an account WorkOS manages
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def managed_login(wp_user, wp_eval, wp_settings):
    org_id = "org_visb" + uuid.uuid4().hex[:10]
    wp_eval("global $wpdb; $wpdb->replace(\\WorkOS_WP\\Schema::table('organizations'), ['workos_id' => $args, "
            "'name' => 'Acme Widgets', 'slug' => 'acme-widgets', 'domains' => '[]', 'updated_at' => gmdate('Y-m-d H:i:s')]);"
            " return true;", org_id)
    wp_settings(organization_id=org_id, entitlement_gate=False)
    login = "visb" + uuid.uuid4().hex[:8]
    wp_user(login, f"{login}@example.com", "Local-Passw0rd-1", role="author", workos_id="user_visb" + uuid.uuid4().hex[:10])
    yield login
    wp_eval("global $wpdb; $wpdb->delete(\\WorkOS_WP\\Schema::table('organizations'), ['workos_id' => $args]); return true;",
            org_id)


@pytest.mark.parametrize("width", WIDTHS)
def test_managed_profile(admin_page, managed_login, shot, axe, width):
    page = admin_page(width, user=managed_login)
    page.goto("/wp-admin/profile.php")
    shot(page, f"profile-managed-{width}")
    axe(page)
    notice = page.locator(".workos-managed-notice")
    assert notice.is_visible()
    assert "This account is managed by Acme Widgets through WorkOS." in notice.inner_text()
    assert page.locator("#pass1").count() == 0
    assert page.get_by_role("button", name="Set New Password").count() == 0
    email = page.locator("#email")
    assert email.get_attribute("readonly") is not None
    assert "Acme Widgets" in page.locator("#workos-email-description").inner_text()
    assert_fits(page, ".workos-managed-notice", width)
