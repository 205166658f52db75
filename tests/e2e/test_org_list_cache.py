"""The organization list pickers share through the host cache: kept, and refreshed when WorkOS says an organization changed."""

from __future__ import annotations

import uuid

import requests

from webhooks import organization

LISTED = """
    $names = array_map(fn($o) => $o['name'], WorkOS_WP\\Api::client()->listOrganizationsCached(['order' => 'desc'], 1000, 300));
    return in_array($args, $names, true);
"""


def test_a_cached_list_is_kept_until_an_organization_webhook_refreshes_it(wp_eval, wp_settings, emulator_url, hook):
    wp_settings()
    wp_eval("WorkOS_WP\\Api::client()->forgetCachedOrganizations(); return true;")
    first = "Cached " + uuid.uuid4().hex[:6]
    org = requests.post(emulator_url + "/__emulator/organizations", json={"name": first}, timeout=10).json()
    assert wp_eval(LISTED, first) is True  # fetched, and now kept

    later = "Later " + uuid.uuid4().hex[:6]
    new = requests.post(emulator_url + "/__emulator/organizations", json={"name": later}, timeout=10).json()
    assert wp_eval(LISTED, later) is False  # another PHP process: served from the host cache

    hook("organization.created", organization(new["id"], later))
    assert wp_eval(LISTED, later) is True  # the webhook made the next list a fresh one
    assert wp_eval(LISTED, first) is True and org["id"] != new["id"]


def test_an_organization_created_on_the_settings_screen_is_offered_by_cached_pickers(wp_eval, wp_settings):
    wp_settings()
    wp_eval("WorkOS_WP\\Api::client()->listOrganizationsCached(['order' => 'desc'], 1000, 300); return true;")
    name = "Screen " + uuid.uuid4().hex[:6]
    # The creation path of the Organization tab's sanitizer, as the screen runs it.
    wp_eval(
        "require_once ABSPATH . 'wp-admin/includes/template.php'; wp_set_current_user(1);"
        " return WorkOS_WP\\Admin\\SettingsPage::sanitize(['_organization_create' => $args]);",
        name,
    )
    assert wp_eval(LISTED, name) is True
