"""WorkOS → Setup, the onboarding wizard, in Chromium (issue 13), at 1440 px and on a phone (390 px).

A site without credentials offers the wizard in a notice; the owner walks every real step — credentials tested
live (a wrong key first: refused, nothing saved), the organization picked from WorkOS, the webhook endpoint copied
and a test event signed and sent by the emulator (as WorkOS's dashboard does) shown as arrived, the role map, the
user sync with its progress bar — and the wizard resumes on the same step after a reload. Finished, the notice is
gone. axe is clean on every step; nothing overflows the phone's width.

Screenshots: .run/<instance>/screenshots/test_onboarding/<step>-<width>.png.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from authkit import create_org
from conftest import WIDTHS

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def site(wp_eval, wp_settings):
    """No credentials saved and a wizard never started; both put back afterwards."""
    wp_eval("delete_option('workos_onboarding'); return true;")
    wp_settings(api_key=None, client_id=None, api_base_url=None, webhook_secret=None, environments=None,
                role_map=None, default_role=None)
    yield
    wp_eval("delete_option('workos_onboarding'); return true;")


@pytest.fixture
def sync_role(wp_eval, wp_user):
    """A role of three unlinked users, so the sync touches only them."""
    role = "onboard_" + uuid.uuid4().hex[:6]
    wp_eval("add_role($args, 'Onboarding test'); return true;", role)
    for i in range(3):
        login = f"{role}_{i}"
        wp_user(login, login + "@example.com", "Passw0rd!-e2e", role=role)
    yield role
    wp_eval("""
        require_once ABSPATH . 'wp-admin/includes/user.php';
        foreach (get_users(['role' => $args]) as $u) { wp_delete_user($u->ID); }
        remove_role($args); return true;""", role)


def fits(page) -> None:
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def heading(page, name: str):
    h = page.get_by_role("heading", name=name, level=2)
    h.wait_for()
    return h


@pytest.mark.parametrize("width", WIDTHS)
def test_onboarding_walks_every_step_and_resumes(width, site, sync_role, admin_page, shot, axe, env, emulator_url,
                                                 wp_eval):
    org = create_org(emulator_url, f"Onboarding {width} {uuid.uuid4().hex[:4]}")
    page = admin_page(width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=env["WP_URL"])

    # The notice offers the wizard on an unconfigured site.
    page.goto("/wp-admin/index.php")
    notice = page.locator(".workos-notice-onboarding")
    assert notice.is_visible()
    notice.get_by_role("link", name="Start setup").click()
    heading(page, "Connect to WorkOS")
    assert page.get_by_role("navigation", name="Setup steps").is_visible()
    assert page.locator("[aria-current=step]").inner_text().endswith("Connect to WorkOS")
    fits(page)
    shot(page, f"credentials-{width}")
    axe(page)

    # 1. Credentials: a wrong key is refused with the reason, nothing saved; the right ones pass every check.
    page.get_by_label("API key").fill("sk_test_wrong_" + uuid.uuid4().hex)
    page.get_by_label("Client ID").fill(env["CLIENT_ID"])
    page.locator("summary", has_text="Advanced").click()
    page.get_by_label("API base URL").fill(env["API_BASE_URL"])
    page.get_by_role("button", name="Test and save").click()
    failed = page.locator(".workos-onboarding__checks li.is-failed")
    failed.first.wait_for()
    assert "rejected the API key" in failed.first.inner_text()
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key');") == ""
    assert page.get_by_role("button", name="Continue").count() == 0
    shot(page, f"credentials-refused-{width}")
    axe(page)
    page.get_by_label("API key").fill(env["API_KEY"])
    page.get_by_role("button", name="Test and save").click()
    page.locator(".workos-onboarding__checks li.is-good").nth(2).wait_for()
    assert page.locator(".workos-onboarding__checks li.is-failed").count() == 0
    assert wp_eval("return WorkOS_WP\\Settings::get('api_key');") == env["API_KEY"]
    page.get_by_role("button", name="Continue").click()

    # 2. Organization, from WorkOS's list.
    heading(page, "Choose the organization")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'workos-onboarding-heading'", timeout=5000)
    select = page.get_by_label("Organization", exact=True)
    page.wait_for_function("() => document.querySelectorAll('#workos-onboarding-org option').length > 1")
    select.select_option(org["id"])
    fits(page)
    shot(page, f"organization-{width}")
    axe(page)
    page.get_by_role("button", name="Save and continue").click()

    # 3. Webhook: the endpoint copies whole; a signed test event shows as arrived.
    heading(page, "Receive webhooks")
    url_field = page.get_by_label("Webhook endpoint")
    assert url_field.input_value() == env["WP_URL"] + "/wp-json/workos/v1/webhook"
    page.get_by_role("button", name="Copy Webhook endpoint").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == url_field.input_value()
    page.get_by_label("Webhook secret").fill(env["WEBHOOK_SECRET"])
    page.get_by_role("button", name="Save and wait for a test event").click()
    page.get_by_text("Waiting for an event from WorkOS").wait_for()
    shot(page, f"webhook-waiting-{width}")
    r = requests.post(emulator_url + "/__emulator/webhooks", timeout=30, json={
        "event": "organization.updated", "url": env["WP_URL"] + "/wp-json/workos/v1/webhook",
        "secret": env["WEBHOOK_SECRET"], "data": dict(org)})
    assert r.status_code == 200 and r.json()["status"] == 200, r.text[:300]
    ok = page.locator(".workos-onboarding__webhook-ok")
    ok.wait_for(timeout=15000)
    assert "Received organization." in ok.inner_text() and "Webhooks work" in ok.inner_text()
    fits(page)
    shot(page, f"webhook-received-{width}")
    axe(page)
    page.get_by_role("button", name="Continue").click()

    # Resumable: a reload lands on the same step.
    heading(page, "Map roles")
    page.reload()
    heading(page, "Map roles")
    assert page.locator("[aria-current=step]").inner_text().endswith("Map roles")
    assert page.locator(".workos-onboarding__step.is-done").count() == 3

    # 4. Role map.
    page.get_by_label("WordPress role, row 2").select_option("author")
    page.get_by_label("Default role").select_option("subscriber")
    fits(page)
    shot(page, f"roles-{width}")
    axe(page)
    page.get_by_role("button", name="Save and continue").click()
    heading(page, "Sync users")
    assert wp_eval("return WorkOS_WP\\Settings::map('role_map');") == {"admin": "administrator", "member": "author"}

    # 5. User sync, with its progress.
    page.get_by_label("Users to sync").select_option(sync_role)
    page.get_by_text("3 not linked yet, 0 already linked.").wait_for()
    page.get_by_role("button", name="Sync 3 users").click()
    page.get_by_text("3 of 3 handled, 3 linked").wait_for(timeout=30000)
    page.get_by_text("0 not linked yet, 3 already linked.").wait_for()
    assert page.locator("#workos-onboarding-sync-progress").get_attribute("value") == "3"
    fits(page)
    shot(page, f"sync-{width}")
    axe(page)
    page.get_by_role("button", name="Finish setup").click()
    heading(page, "This site is connected to WorkOS")
    fits(page)
    shot(page, f"finished-{width}")
    axe(page)

    # Finished: no notice, no menu item.
    page.goto("/wp-admin/index.php")
    assert page.locator(".workos-notice-onboarding").count() == 0
    assert page.locator("#adminmenu a[href*='page=workos-setup']").count() == 0
