"""Issue 10: the settings screen checks live what could lock people out, as the owner sees it.

Clicking Test connection shows each check (API key, client ID, signing keys) with the time WorkOS
took, for the values typed in the form; a made-up organization ID submitted on the Organization tab is
named beside the field, the value still in it. Screenshots at 1440 and 390 px, and the axe-core scan.
"""

from __future__ import annotations

import re

import pytest
from conftest import WIDTHS

MADE_UP_ORG = "org_01MADEUP" + "Y" * 14
WRONG_KEY = "sk_test_wrong_key_from_the_browser_4321"


@pytest.mark.parametrize("width", WIDTHS)
def test_test_connection_shows_each_check_with_its_time(admin_page, shot, axe, wp_eval, env, width):
    page = admin_page(width)
    page.goto("/wp-admin/options-general.php?page=workos")
    button = page.locator("#workos_production_test_connection")
    result = page.locator("#workos_production_test_connection-result")
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector("#workos_production_test_connection-result.is-ok", timeout=15000)
    text = result.inner_text()
    assert re.search(r"Connected: WorkOS accepted these settings in \d+ ms", text), text
    assert result.locator("li.is-good").count() == 3, text
    for label in ("API key", "Client ID", "Signing keys"):
        assert label in text
    result.scroll_into_view_if_needed()
    shot(page, f"test-connection-ok-{width}")
    axe(page)

    # A key typed but not saved is what is tested: WorkOS rejects it, nothing is stored.
    page.fill("#workos_production_api_key", WRONG_KEY)
    button.click()
    page.wait_for_selector("#workos_production_test_connection-result.is-failed", timeout=15000)
    text = result.inner_text()
    assert "Not connected" in text and "rejected the API key" in text, text
    assert WRONG_KEY not in text
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key');") == env["API_KEY"]  # tested, not saved
    result.scroll_into_view_if_needed()
    shot(page, f"test-connection-wrong-key-{width}")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_made_up_organization_is_refused_beside_the_field(admin_page, shot, axe, wp_eval, wp_settings, width):
    wp_settings()
    before = wp_eval("return WorkOS_WP\\Settings::get('organization_id');")
    page = admin_page(width)
    page.goto("/wp-admin/options-general.php?page=workos&tab=organization")
    page.fill("#workos_production_organization_id-manual", MADE_UP_ORG)
    with page.expect_navigation():
        page.click("#submit")
    # Beside the field: what is wrong; in the field: the value typed, to correct it.
    error = page.locator("#workos_production_organization_id-error")
    assert error.is_visible()
    assert MADE_UP_ORG in error.inner_text() and "WorkOS has no organization" in error.inner_text()
    assert page.locator("#workos_production_organization_id").input_value() == MADE_UP_ORG
    # At the top: what was and was not saved.
    notice = page.locator(".notice-error.settings-error").first
    assert re.search(r"^Nothing saved; 1 not saved: Organization — WorkOS has no organization", notice.inner_text()), notice.inner_text()
    # Its name there leads to the field.
    assert notice.locator("a", has_text="Organization").get_attribute("href") == "#workos_production_organization_id"
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == before
    shot(page, f"organization-refused-{width}")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_refused_settings_are_named_beside_their_fields(admin_page, shot, axe, wp_settings, width):
    """A wrong API key and an off-site redirect in one save: each is named beside its field (the
    key, a secret, is not printed back; the URL is), the rest is saved, the notice says which."""
    wp_settings(login_redirect_default="", login_mode="redirect")
    page = admin_page(width)
    page.goto("/wp-admin/options-general.php?page=workos")
    page.fill("#workos_production_api_key", WRONG_KEY)
    page.fill("#workos_login_redirect_default", "https://evil.example/welcome")
    page.select_option("#workos_login_mode", "headless")
    with page.expect_navigation():
        page.click("#submit")
    key_error = page.locator("#workos_production_api_key-error")
    assert "rejected the API key" in key_error.inner_text()
    assert page.locator("#workos_production_api_key").input_value() == ""
    redirect_error = page.locator("#workos_login_redirect_default-error")
    assert "is not on this site" in redirect_error.inner_text()
    assert page.locator("#workos_login_redirect_default").input_value() == "https://evil.example/welcome"
    assert page.locator("#workos_login_mode").input_value() == "headless"  # saved
    notice = page.locator(".notice-error.settings-error").first.inner_text()
    # One line each, in the order of the screen.
    lines = notice.splitlines()
    assert lines[0] == "1 setting saved; 2 not saved:", notice
    assert lines[1].startswith("API key — WorkOS rejected the API key") and lines[2].startswith("After sign-in, otherwise — "), notice
    assert WRONG_KEY not in page.content()
    shot(page, f"settings-refused-{width}")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_organization_tab_says_when_workos_rejects_the_key(admin_page, shot, axe, wp_settings, width):
    wp_settings(api_key=WRONG_KEY)
    page = admin_page(width)
    page.goto("/wp-admin/options-general.php?page=workos&tab=organization")
    notice = page.locator(".workos-organizations-error")
    assert notice.is_visible() and "WorkOS rejected the API key" in notice.inner_text()
    shot(page, f"organization-key-rejected-{width}")
    axe(page)
