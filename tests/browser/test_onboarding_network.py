"""The setup wizard of a multisite network (Network Admin → Settings → WorkOS setup) in Chromium, at 1440 px and on
a phone (390 px).

A network without credentials: its super admin is pointed from a site's dashboard to the network's wizard, and the
Network Admin offers it in a notice. The first steps — credentials tested live (a wrong key refused, nothing saved)
and saved for every site, the organization (saved for the main site, the note says where the other sites set
theirs), the webhook secret with a test event shown as arrived — then a reload resumes on the roles step, whose note
says the map is the main site's. axe is clean on every step; nothing overflows the phone's width.

Screenshots: .run/<instance>/screenshots/test_onboarding_network/<step>-<width>.png.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from authkit import create_org
from conftest import WIDTHS
from e2e_conftest import run_wp_php

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def network(env):
    """The network's settings emptied (no credentials) and its wizard never started; both put back afterwards."""
    if not env.get("MS_URL"):
        pytest.skip("this instance serves no multisite network")
    net = dict(env, INSTANCE=env["MS_INSTANCE"], WP_URL=env["MS_URL"])
    saved = run_wp_php(net, "return [get_site_option('workos_settings', []), get_blog_option(1, 'workos_settings', [])];")
    run_wp_php(net, "update_site_option('workos_settings', []); delete_site_option('workos_onboarding'); return true;")
    # The test-only webhook probe (tests/wp/mu-plugins) records into a table the network's installer does not make.
    run_wp_php(net, "workos_test_probe_create_table(); return true;")
    yield net
    run_wp_php(
        net,
        """
        update_site_option('workos_settings', $args[0]);
        update_blog_option(1, 'workos_settings', $args[1]);
        delete_site_option('workos_onboarding');
        return true;
        """,
        saved,
    )


def fits(page) -> None:
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def heading(page, name: str):
    h = page.get_by_role("heading", name=name, level=2)
    h.wait_for()
    return h


def network_setting(net, key: str) -> str:
    return run_wp_php(net, "switch_to_blog(2); $v = WorkOS_WP\\Settings::get($args); restore_current_blog(); return $v;", key)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_network_admin_walks_the_first_steps_and_resumes(width, network, admin_page, shot, axe, emulator_url):
    org = create_org(emulator_url, f"Network onboarding {width} {uuid.uuid4().hex[:4]}")
    page = admin_page(width, multisite=True)

    # From a site of the network, the super admin is pointed to the network's wizard.
    page.goto("/site2/wp-admin/index.php")
    pointer = page.locator(".workos-notice-onboarding")
    assert "not connected to WorkOS yet" in pointer.inner_text()
    shot(page, f"site-pointer-{width}")
    pointer.get_by_role("link", name="Set up the network").click()
    heading(page, "Connect to WorkOS")
    assert "/wp-admin/network/" in page.url
    assert page.get_by_role("heading", name="Set up WorkOS for WordPress for the network", level=1).is_visible()
    assert "every site of the network signs in with them" in page.locator(".workos-onboarding__panel").inner_text()
    fits(page)
    shot(page, f"credentials-{width}")
    axe(page)

    # 1. Credentials: a wrong key is refused, nothing saved; the right ones are saved for every site.
    page.get_by_label("API key").fill("sk_test_wrong_" + uuid.uuid4().hex)
    page.get_by_label("Client ID").fill(network["CLIENT_ID"])
    page.locator("summary", has_text="Advanced").click()
    page.get_by_label("API base URL").fill(network["API_BASE_URL"])
    page.get_by_role("button", name="Test and save").click()
    page.locator(".workos-onboarding__checks li.is-failed").first.wait_for()
    assert network_setting(network, "api_key") == ""
    page.get_by_label("API key").fill(network["API_KEY"])
    page.get_by_role("button", name="Test and save").click()
    page.locator(".workos-onboarding__checks li.is-good").nth(2).wait_for()
    assert network_setting(network, "api_key") == network["API_KEY"], "site 2 signs in with the network's key"
    fits(page)
    shot(page, f"credentials-saved-{width}")
    page.get_by_role("button", name="Continue").click()

    # 2. Organization: the main site's; the note says where the other sites choose theirs.
    heading(page, "Choose the organization")
    note = page.locator(".workos-onboarding__network-note")
    assert "main site" in note.inner_text() and "Organization tab" in note.inner_text()
    assert note.get_by_role("link").get_attribute("href").endswith("/wp-admin/network/settings.php?page=workos-org-sites")
    page.wait_for_function("() => document.querySelectorAll('#workos-onboarding-org option').length > 1")
    # The organization was just made in WorkOS; the list the host caches for minutes may predate it (as for
    # an owner who just created it in the dashboard): "Refresh list" asks WorkOS again.
    page.get_by_role("button", name="Refresh list").click()
    page.wait_for_selector(f"#workos-onboarding-org option[value='{org['id']}']", state="attached")
    page.get_by_label("Organization", exact=True).select_option(org["id"])
    fits(page)
    shot(page, f"organization-{width}")
    axe(page)
    page.get_by_role("button", name="Save and continue").click()

    # 3. Webhook: the network's secret, and a signed test event shows as arrived.
    heading(page, "Receive webhooks")
    hook = page.get_by_label("Webhook endpoint").input_value()
    assert hook == network["MS_URL"] + "/wp-json/workos/v1/webhook"
    page.get_by_label("Webhook secret").fill(network["WEBHOOK_SECRET"])
    page.get_by_role("button", name="Save and wait for a test event").click()
    page.get_by_text("Waiting for an event from WorkOS").wait_for()
    r = requests.post(emulator_url + "/__emulator/webhooks", timeout=30, json={
        "event": "organization.updated", "url": hook, "secret": network["WEBHOOK_SECRET"], "data": dict(org)})
    assert r.status_code == 200 and r.json()["status"] == 200, r.text[:300]
    page.locator(".workos-onboarding__webhook-ok").wait_for(timeout=15000)
    fits(page)
    shot(page, f"webhook-received-{width}")
    axe(page)
    page.get_by_role("button", name="Continue").click()

    # Resumable: a reload lands on the roles step, whose note says the map is the main site's.
    heading(page, "Map roles")
    page.reload()
    heading(page, "Map roles")
    assert page.locator(".workos-onboarding__step.is-done").count() == 3
    assert "saved for the main site" in page.locator(".workos-onboarding__network-note").inner_text()
    fits(page)
    shot(page, f"roles-{width}")
    axe(page)
    assert run_wp_php(network, "return get_site_option('workos_onboarding')['step'];") == "roles"
