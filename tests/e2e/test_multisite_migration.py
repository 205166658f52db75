"""Issue 13, multisite migration: the reference plugin ("Integration with WorkOS") creates its tables with
each site's own prefix (§4.6: `{p}` = `$wpdb->prefix`, so `wp_2_workos_organizations` on site 2), where this
plugin's are the network's (base prefix). Migrating site 2 converts its reference tables in place (nothing
dropped) and copies their rows into the network's tables: a dry run first, idempotent, rows WorkOS never knew
left on the site, mappings arriving without a role (they grant nothing until a network admin gives one), activity
keeping its site. A migrated membership then counts for the organization → site mapping."""

from __future__ import annotations

import uuid

import pytest

from test_migration import REFERENCE_TABLES, SHARED
from test_security_multisite import ms, ms_eval  # noqa: F401  (fixtures)

BUILD = """
    global $wpdb;
    $p = $wpdb->get_blog_prefix(2);
    foreach ($args['tables'] as $t => $def) {
        $wpdb->query("DROP TABLE IF EXISTS {$p}workos_$t");
        if (false === $wpdb->query("CREATE TABLE {$p}workos_$t $def")) { throw new Exception($wpdb->last_error); }
    }
    $tag = $args['tag'];
    $user = wp_insert_user(['user_login' => 'refms' . $tag, 'user_email' => "refms-$tag@example.com", 'user_pass' => wp_generate_password(), 'role' => 'subscriber']);
    if (is_wp_error($user)) { throw new Exception($user->get_error_message()); }
    update_user_meta($user, '_workos_user_id', 'user_REFMS' . $tag);
    $now = gmdate('Y-m-d H:i:s');
    $wpdb->insert("{$p}workos_organizations", ['workos_org_id' => 'org_S2A' . $tag, 'name' => 'Site Two Org', 'slug' => 'site-two-org', 'domains' => '[]', 'settings' => '', 'created_at' => $now, 'updated_at' => $now]);
    $a = $wpdb->insert_id;
    $wpdb->insert("{$p}workos_organizations", ['workos_org_id' => '', 'name' => 'Local only', 'slug' => 'local-only', 'domains' => '[]', 'settings' => '', 'created_at' => $now, 'updated_at' => $now]);
    $l = $wpdb->insert_id;
    $wpdb->insert("{$p}workos_org_memberships", ['org_id' => $a, 'user_id' => $user, 'workos_membership_id' => 'om_S2' . $tag, 'workos_role' => 'member', 'wp_role' => 'author', 'joined_at' => $now]);
    $wpdb->insert("{$p}workos_org_memberships", ['org_id' => $l, 'user_id' => $user, 'workos_membership_id' => '', 'workos_role' => 'member', 'wp_role' => 'subscriber', 'joined_at' => $now]);
    $wpdb->insert("{$p}workos_org_sites", ['org_id' => $a, 'site_id' => 2, 'is_primary' => 1]);
    $wpdb->insert("{$p}workos_org_sites", ['org_id' => $l, 'site_id' => 2, 'is_primary' => 0]);
    foreach (['login', 'logout'] as $type) {
        $wpdb->insert("{$p}workos_activity_log", ['event_type' => $type, 'user_id' => $user, 'user_email' => "refms-$tag@example.com", 'workos_user_id' => 'user_REFMS' . $tag, 'ip_address' => '192.0.2.22', 'user_agent' => 'curl/8', 'metadata' => '{"via":"site2-' . $tag . '"}', 'created_at' => $now]);
    }
    return $user;
"""

NETWORK = """
    global $wpdb;
    $n = $wpdb->base_prefix . 'workos_';
    $tag = $args;
    return [
        'orgs' => $wpdb->get_col($wpdb->prepare("SELECT workos_id FROM {$n}organizations WHERE workos_id LIKE %s OR name = 'Local only' ORDER BY workos_id", '%' . $tag)),
        'memberships' => $wpdb->get_results($wpdb->prepare("SELECT workos_id, organization_id, status, wp_role FROM {$n}org_memberships WHERE workos_user_id = %s ORDER BY workos_id", 'user_REFMS' . $tag), ARRAY_A),
        'sites' => $wpdb->get_results($wpdb->prepare("SELECT organization_id, blog_id, role FROM {$n}org_sites WHERE organization_id LIKE %s", '%' . $tag), ARRAY_A),
        'activity' => (int) $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$n}activity_log WHERE blog_id = 2 AND metadata LIKE %s", '%site2-' . $tag . '%')),
        'kept' => (int) $wpdb->get_var("SELECT COUNT(*) FROM " . $wpdb->get_blog_prefix(2) . "workos_organizations WHERE workos_org_id = 'org_S2A$tag'"),
    ];
"""

RUN = """
    switch_to_blog(2);
    $rows = 'apply' === $args ? WorkOS_WP\\Migration\\Importer::apply() : WorkOS_WP\\Migration\\Importer::plan();
    $detected = WorkOS_WP\\Migration\\Importer::detected();
    restore_current_blog();
    $out = [];
    foreach ($rows as $r) { if ('table' === $r['area']) { $out[$r['item']] = $r['action']; } }
    return ['tables' => $out, 'detected' => $detected];
"""


@pytest.fixture
def site2_reference(ms_eval):
    tag = uuid.uuid4().hex[:8].upper()
    saved = ms_eval("return [get_blog_option(2, 'workos_migration_pending', null), get_blog_option(2, 'workos_migration_done', null)];")
    user_id = ms_eval(BUILD, {"tables": REFERENCE_TABLES, "tag": tag})
    yield {"tag": tag, "user": user_id}
    ms_eval(
        """
        global $wpdb;
        $p = $wpdb->get_blog_prefix(2);
        $n = $wpdb->base_prefix . 'workos_';
        foreach ($args['shared'] as $t) { $wpdb->query("DROP TABLE IF EXISTS {$p}workos_$t"); }
        $like = '%' . $args['tag'];
        $wpdb->query($wpdb->prepare("DELETE FROM {$n}organizations WHERE workos_id LIKE %s", $like));
        $wpdb->query($wpdb->prepare("DELETE FROM {$n}org_memberships WHERE workos_user_id LIKE %s", $like));
        $wpdb->query($wpdb->prepare("DELETE FROM {$n}org_sites WHERE organization_id LIKE %s", $like));
        $wpdb->query($wpdb->prepare("DELETE FROM {$n}activity_log WHERE metadata LIKE %s", '%site2-' . $args['tag'] . '%'));
        require_once ABSPATH . 'wp-admin/includes/ms.php';
        wpmu_delete_user((int) $args['user']);
        foreach (['workos_migration_pending', 'workos_migration_done'] as $i => $o) {
            null === $args['saved'][$i] ? delete_blog_option(2, $o) : update_blog_option(2, $o, $args['saved'][$i]);
        }
        return true;
        """,
        {"shared": list(SHARED), "tag": tag, "user": user_id, "saved": saved},
    )


def site_table(ms_eval, name: str) -> str:
    return ms_eval("return $GLOBALS['wpdb']->get_blog_prefix(2) . 'workos_' . $args;", name)


def test_a_sites_reference_tables_are_copied_into_the_networks(ms_eval, site2_reference):
    tag = site2_reference["tag"]
    tables = {name: site_table(ms_eval, name) for name in SHARED}
    empty = {"orgs": [], "memberships": [], "sites": [], "activity": 0, "kept": 1}

    # The dry run says what would move and moves nothing.
    plan = ms_eval(RUN, "plan")
    assert plan["detected"] is True
    assert {tables[n]: plan["tables"].get(tables[n]) for n in SHARED} == {tables[n]: "would move" for n in SHARED}
    assert ms_eval(NETWORK, tag) == empty

    done = ms_eval(RUN, "apply")
    assert {tables[n]: done["tables"].get(tables[n]) for n in SHARED} == {tables[n]: "moved" for n in SHARED}
    after = ms_eval(NETWORK, tag)
    assert after["orgs"] == ["org_S2A" + tag], "the organization WorkOS never knew stays on the site"
    assert after["memberships"] == [{"workos_id": "om_S2" + tag, "organization_id": "org_S2A" + tag, "status": "active", "wp_role": "author"}]
    assert after["sites"] == [{"organization_id": "org_S2A" + tag, "blog_id": "2", "role": ""}]
    assert after["activity"] == 2
    assert after["kept"] == 1, "the site's own table keeps its rows and columns"

    # Again: nothing more.
    again = ms_eval(RUN, "apply")
    assert {tables[n]: again["tables"].get(tables[n]) for n in SHARED} == {tables[n]: "already there" for n in SHARED}
    assert ms_eval(NETWORK, tag) == after

    # A mapping without a role grants nothing; once a role is chosen, the migrated membership counts.
    assert ms_eval("return WorkOS_WP\\Network\\OrgSites::desired((int) $args);", site2_reference["user"]) in ([], {})
    ms_eval("return WorkOS_WP\\Network\\OrgSites::map($args, 2, 'author');", "org_S2A" + tag)
    assert ms_eval("return array_values((new WP_User((int) $args, '', 2))->roles);", site2_reference["user"]) == ["author"]


def test_the_main_site_does_not_see_a_sites_tables_as_its_own(ms_eval, site2_reference):
    """The main site's migration looks at the network's tables only: site 2's are site 2's to move."""
    rows = ms_eval("""
        $out = [];
        foreach (WorkOS_WP\\Migration\\Importer::plan() as $r) { if ('table' === $r['area']) { $out[] = $r['item']; } }
        return $out;
    """)
    assert not [r for r in rows if r.startswith(site_table(ms_eval, ""))]
