"""uninstall.php removes every table, option and usermeta key the plugin wrote; activation brings the tables back."""

from __future__ import annotations

import uuid


def test_uninstall_removes_everything_and_activation_restores_tables(wp_eval, wp_user):
    local = wp_user("un" + uuid.uuid4().hex[:6], f"un-{uuid.uuid4().hex[:6]}@example.com", "x-Passw0rd-77",
                    workos_id="user_UNINSTALL")
    out = wp_eval(
        """
        global $wpdb;
        $saved = get_option('workos_settings');
        foreach (WorkOS_WP\\Users\\UserMeta::ALL as $k) { update_user_meta($args, $k, 'x'); }
        update_option('workos_connections', ['conn_1' => ['state' => 'active']]);
        add_option('workos_flow_used_' . str_repeat('a', 32), '1');
        // Issue 11: Login Profiles, their routing rules and path index, passkeys.
        WorkOS_WP\\Profiles\\ProfileRepository::save(['slug' => 'uninstall-me', 'custom_path' => 'uninstall-me']);
        update_option('workos_profile_routing_rules', [['profile' => 'uninstall-me', 'matcher' => ['type' => 'user_role', 'value' => 'editor']]]);
        add_user_meta($args, '_workos_passkey_c_' . str_repeat('b', 16), 'x');
        $tables = fn() => $wpdb->get_col($wpdb->prepare('SHOW TABLES LIKE %s', $wpdb->esc_like($wpdb->base_prefix . 'workos_') . '%'));
        $before = $tables();

        define('WP_UNINSTALL_PLUGIN', 'workos/workos.php');
        include WP_CONTENT_DIR . '/plugins/workos/uninstall.php';

        wp_cache_flush();
        $after = [
          'tables' => array_values(array_filter($tables(), fn($t) => !str_ends_with($t, 'workos_test_fired'))),
          'options' => $wpdb->get_col("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE 'workos\\\\_%'"),
          'meta' => $wpdb->get_col($wpdb->prepare("SELECT meta_key FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key LIKE %s", $args, $wpdb->esc_like('_workos_') . '%')),
          'cron' => (bool) wp_next_scheduled('workos_maintenance'),
          'profiles' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'workos_login_profile'"),
        ];
        // Put the test site back: settings, tables, chores.
        update_option('workos_settings', $saved);
        WorkOS_WP\\Maintenance::activate();
        return ['before' => $before, 'after' => $after, 'restored' => $tables()];
        """,
        local["id"],
    )
    prefix = "wp_workos_"
    expected = {prefix + t for t in ("organizations", "org_memberships", "org_sites", "activity_log", "events",
                                     "object_versions", "audit_queue", "links")}
    assert expected <= set(out["before"])
    assert out["after"] == {"tables": [], "options": [], "meta": [], "cron": False, "profiles": 0}
    assert expected <= set(out["restored"])
