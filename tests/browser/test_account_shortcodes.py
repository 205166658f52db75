"""`[workos:change-email]` and `[workos:password-reset]` on a theme's page, in Chromium (assignment B).

A linked subscriber opens a page with both shortcodes, types a new address, gets the code step, enters
the code WorkOS sent to the new address (the emulator's control API stands in for that inbox): the page
and, after a reload, WordPress show the new address. "Reset my password" has WorkOS email a reset link.

Screenshots: .run/<instance>/screenshots/test_account_shortcodes/shortcodes-<width>-{form,code,done,reloaded,reset}.png
"""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import create_workos_user

WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def member(wp_eval, wp_user, emulator_url):
    """A subscriber linked to a new WorkOS user."""
    tag = "acs" + uuid.uuid4().hex[:8]
    email = f"{tag}@example.com"
    workos = create_workos_user(emulator_url, email)
    user = wp_user(tag, email, "Passw0rd-acs-1", workos_id=workos["id"])
    wp_eval(WIPE_LIMITS)
    yield {**user, "tag": tag}
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def account_page(wp_eval):
    """A published page with both shortcodes; its path."""
    pid = wp_eval(
        "return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'My account',"
        " 'post_content' => \"[workos:change-email]\\n\\n[workos:password-reset]\"]);"
    )
    yield "/?page_id=%d" % pid
    wp_eval("wp_delete_post($args, true); return true;", pid)


@pytest.mark.parametrize("width", [390, 1440])
def test_a_member_changes_their_email_on_a_page(width, admin_page, shot, axe, member, account_page, emulator_url,
                                                wp_eval):
    page = admin_page(width, user=member["login"])
    assert page.goto(account_page).status == 200
    form = page.locator("form.workos-change-email-form")
    assert member["email"] in form.locator(".workos-change-email-address").inner_text()
    new = f"new-{member['tag']}@example.com"
    form.get_by_label("New email address").fill(new)
    assert page.evaluate(OVERFLOW)
    shot(page, f"shortcodes-{width}-form")
    axe(page)

    form.get_by_role("button", name="Change my email").click()
    code_field = form.get_by_label("Code", exact=True)
    code_field.wait_for()
    assert "n***@example.com" in form.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('workos-change-email-code')")
    shot(page, f"shortcodes-{width}-code")
    axe(page)

    r = requests.get(emulator_url + "/__emulator/email_change", params={"email": new}, timeout=30)
    assert r.status_code == 200, r.text
    code_field.fill(r.json()["code"])
    form.get_by_role("button", name="Confirm").click()
    form.locator(".workos-change-email-status").filter(has_text=new).wait_for()
    assert form.locator(".workos-change-email-address").inner_text() == new
    assert form.locator(".workos-change-email-code").count() == 0
    shot(page, f"shortcodes-{width}-done")

    page.reload()
    assert page.locator(".workos-change-email-address").inner_text() == new
    shot(page, f"shortcodes-{width}-reloaded")
    assert wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", member["id"]) == new

    # The reset button: WorkOS emails the (new) address a link.
    page.get_by_role("button", name="Reset my password").click()
    page.locator(".workos-pwreset-status").filter(has_text="n***@example.com").wait_for()
    shot(page, f"shortcodes-{width}-reset")
    axe(page)
    sent = requests.get(emulator_url + "/__emulator/password_reset", params={"email": new}, timeout=30)
    assert sent.status_code == 200 and sent.json()["used"] is False
