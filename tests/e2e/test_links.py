"""The indexed link table mirrors the link usermeta, whoever writes it, and heals itself when it drifts."""

from __future__ import annotations

import uuid


def links_of(wp_eval, user_id):
    return wp_eval("global $wpdb; return $wpdb->get_results($wpdb->prepare('SELECT workos_id, kind FROM ' . $wpdb->base_prefix . 'workos_links WHERE user_id = %d ORDER BY kind', $args), ARRAY_A);", user_id)


def test_the_mirror_follows_usermeta(wp_user, wp_eval):
    local = wp_user("link" + uuid.uuid4().hex[:6], f"link-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-1")
    wp_eval("update_user_meta($args, '_workos_user_id', 'user_MIRROR_A'); update_user_meta($args, '_workos_directory_user_id', 'directory_user_MIRROR'); return true;", local["id"])
    assert links_of(wp_eval, local["id"]) == [{"workos_id": "directory_user_MIRROR", "kind": "directory"}, {"workos_id": "user_MIRROR_A", "kind": "user"}]
    wp_eval("update_user_meta($args, '_workos_user_id', 'user_MIRROR_B'); return true;", local["id"])
    assert wp_eval("return WorkOS_WP\\Users\\Users::find_linked('user_MIRROR_B')->ID;") == local["id"]
    assert wp_eval("return WorkOS_WP\\Users\\Users::find_linked('user_MIRROR_A');") is None
    assert wp_eval("return WorkOS_WP\\Directory\\Directory::find('directory_user_MIRROR')->ID;") == local["id"]
    wp_eval("delete_user_meta($args, '_workos_directory_user_id'); return true;", local["id"])
    assert links_of(wp_eval, local["id"]) == [{"workos_id": "user_MIRROR_B", "kind": "user"}]
    wp_eval("require_once ABSPATH . 'wp-admin/includes/user.php'; wp_delete_user($args); return true;", local["id"])
    assert links_of(wp_eval, local["id"]) == []


def test_usermeta_written_behind_wordpress_back_is_found_and_repaired(wp_user, wp_eval):
    local = wp_user("sql" + uuid.uuid4().hex[:6], f"sql-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-2")
    found = wp_eval(
        """
        global $wpdb;
        update_user_meta($args, '_workos_user_id', 'user_SQL_OLD');
        // Another tool rewrites the meta with SQL: no hooks run, the mirror is stale.
        $wpdb->update($wpdb->usermeta, ['meta_value' => 'user_SQL_NEW'], ['user_id' => $args, 'meta_key' => '_workos_user_id']);
        wp_cache_delete($args, 'user_meta');
        $old = WorkOS_WP\\Users\\Users::find_linked('user_SQL_OLD');       // stale row: checked, dropped
        $new = WorkOS_WP\\Users\\Users::find_linked('user_SQL_NEW');       // rebuilt from usermeta
        return [$old ? $old->ID : null, $new ? $new->ID : null];
        """,
        local["id"],
    )
    assert found == [None, local["id"]]


def test_maintenance_rebuild_picks_up_links_made_with_sql(wp_user, wp_eval):
    local = wp_user("reb" + uuid.uuid4().hex[:6], f"reb-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-3")
    out = wp_eval(
        """
        global $wpdb;
        $wpdb->insert($wpdb->usermeta, ['user_id' => $args, 'meta_key' => '_workos_user_id', 'meta_value' => 'user_SQL_ONLY']);
        $before = WorkOS_WP\\Users\\Users::find_linked('user_SQL_ONLY');
        $added = WorkOS_WP\\Users\\Links::rebuild();
        $after = WorkOS_WP\\Users\\Users::find_linked('user_SQL_ONLY');
        return [$before ? $before->ID : null, $added, $after ? $after->ID : null];
        """,
        local["id"],
    )
    assert out[0] is None and out[1] >= 1 and out[2] == local["id"]
