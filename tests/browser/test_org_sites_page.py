"""Issue 13, multisite: Network Admin → Settings → WorkOS sites, the organization → site mapping. The network
admin picks an organization, ticks sites and a role, and maps it: its members on record get the site at once;
removing the mapping takes it back. Readable and usable at 1440 and 390 px, no serious axe finding."""

from __future__ import annotations

import uuid

import pytest
from conftest import WIDTHS
from e2e_conftest import run_wp_php

ROLE_ON_SITE2 = "return array_values((new WP_User((int) $args, '', 2))->roles);"


@pytest.fixture
def network(env):
    if not env.get("MS_URL"):
        pytest.skip("this instance serves no multisite network")
    return dict(env, INSTANCE=env["MS_INSTANCE"], WP_URL=env["MS_URL"])


@pytest.fixture
def member(network):
    """An organization known to the network (its local copy) and a user with an active membership of it."""
    tag = uuid.uuid4().hex[:8].upper()
    org = "org_UI" + tag
    user_id = run_wp_php(
        network,
        """
        global $wpdb;
        WorkOS_WP\\Organizations::upserted(['id' => $args['org'], 'name' => 'Umbrella ' . $args['tag'], 'domains' => []]);
        $id = wp_insert_user(['user_login' => 'ui' . $args['tag'], 'user_email' => 'ui' . $args['tag'] . '@example.com',
            'user_pass' => wp_generate_password(), 'role' => 'subscriber']);
        update_user_meta($id, '_workos_user_id', 'user_UI' . $args['tag']);
        WorkOS_WP\\Users\\Memberships::upserted(['id' => 'om_UI' . $args['tag'], 'user_id' => 'user_UI' . $args['tag'],
            'organization_id' => $args['org'], 'status' => 'active', 'role' => ['slug' => 'member']]);
        return $id;
        """,
        {"org": org, "tag": tag},
    )
    yield {"org": org, "name": "Umbrella " + tag, "user": user_id}
    run_wp_php(
        network,
        """
        global $wpdb;
        $wpdb->delete(WorkOS_WP\\Schema::table('org_sites'), ['organization_id' => $args['org']]);
        WorkOS_WP\\Organizations::deleted(['id' => $args['org']]);
        require_once ABSPATH . 'wp-admin/includes/ms.php';
        wpmu_delete_user((int) $args['user']);
        return true;
        """,
        {"org": org, "user": user_id},
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_network_admin_maps_an_organization_to_a_site_and_removes_it(admin_page, shot, axe, network, member, width):
    page = admin_page(width, multisite=True)
    r = page.goto("/wp-admin/network/settings.php?page=workos-org-sites")
    assert r.status == 200
    shot(page, f"org-sites-empty-{width}")
    axe(page)

    # Chosen by the labels a person reads.
    page.get_by_label("Organization").select_option(label=f"{member['name']} ({member['org']})")
    page.locator("input[name='blog_ids[]'][value='2']").check()
    page.get_by_label("Role").select_option("author")
    page.get_by_role("button", name="Map").click()
    page.wait_for_load_state()

    status = page.get_by_role("status")
    assert "The organization is mapped." in status.inner_text()
    assert "The access of 1 person changed." in status.inner_text()
    row = page.locator("table.workos-mappings tbody tr", has_text=member["name"])
    assert row.count() == 1 and "Author" in row.inner_text() and "/site2/" in row.inner_text()
    assert run_wp_php(network, ROLE_ON_SITE2, member["user"]) == ["author"]
    shot(page, f"org-sites-mapped-{width}")
    axe(page)
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    row.get_by_role("button", name=f"Remove the mapping of {member['name']}").click()
    page.wait_for_load_state()
    assert "The mapping is removed." in page.get_by_role("status").inner_text()
    assert page.locator("table.workos-mappings tbody tr", has_text=member["name"]).count() == 0
    assert run_wp_php(network, ROLE_ON_SITE2, member["user"]) == []


def test_nothing_chosen_says_what_is_missing(admin_page, network, member):
    page = admin_page(1440, multisite=True)
    page.goto("/wp-admin/network/settings.php?page=workos-org-sites")
    page.get_by_label("Organization").select_option(member["org"])
    page.get_by_role("button", name="Map").click()  # no site ticked
    page.wait_for_load_state()
    assert "choose an organization, at least one site and a role" in page.get_by_role("alert").inner_text()
