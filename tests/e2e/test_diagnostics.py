"""Site Health: extension, tables, connectivity to WorkOS and the background backlog."""

from __future__ import annotations

import requests


def run_test(wp_eval, name):
    return wp_eval("require_once ABSPATH . 'wp-admin/includes/admin.php'; $r = WorkOS_WP\\Admin\\Diagnostics::{$args}(); return [$r['status'], $r['label'], wp_strip_all_tags($r['description'])];", name)


def test_all_good_on_a_healthy_site(wp_eval):
    for name in ("extension_test", "schema_test", "connectivity_test"):
        status, label, _ = run_test(wp_eval, name)
        assert status == "good", (name, label)


def test_unreachable_workos_is_critical(wp_eval, emulator_url, env):
    requests.post(emulator_url + "/__emulator/faults", timeout=10,
                  json={"path": "/sso/jwks/" + env["CLIENT_ID"], "status": 404, "times": 0})
    try:
        status, label, detail = run_test(wp_eval, "connectivity_test")
    finally:
        requests.delete(emulator_url + "/__emulator/faults", timeout=10)
    assert status == "critical" and "could not be reached" in label and detail


def test_backlog_counts_failed_events(wp_eval):
    import re

    _, _, before = run_test(wp_eval, "backlog_test")
    given_up = int(re.search(r"given up: (\d+)", before).group(1))
    out = wp_eval(
        """
        global $wpdb; $t = $wpdb->base_prefix . 'workos_events';
        $wpdb->query("INSERT INTO $t (event_id, event_type, status, payload, received_at, claimed_at) VALUES
          ('event_DIAG_FAILED', 'user.updated', 'failed', '', UTC_TIMESTAMP(), UTC_TIMESTAMP())");
        require_once ABSPATH . 'wp-admin/includes/admin.php';
        $r = WorkOS_WP\\Admin\\Diagnostics::backlog_test();
        $wpdb->query("DELETE FROM $t WHERE event_id = 'event_DIAG_FAILED'");
        return [$r['status'], wp_strip_all_tags($r['description'])];
        """
    )
    assert out[0] == "recommended"
    assert f"given up: {given_up + 1};" in out[1]


def test_site_health_lists_the_checks(wp_eval):
    tests = wp_eval("return array_keys(WorkOS_WP\\Admin\\Diagnostics::add_tests(['direct' => [], 'async' => []])['direct']);")
    assert {"workos_extension", "workos_schema", "workos_connectivity", "workos_backlog"} <= set(tests)


def test_site_health_says_when_the_signing_key_cache_directory_is_refused(wp_eval):
    check = r"""
        $dir = sys_get_temp_dir() . '/workos-jwks-diag-' . getmypid();
        @mkdir($dir); chmod($dir, $args);
        define('WORKOS_JWKS_CACHE_DIR', $dir);
        $r = WorkOS_WP\Admin\Diagnostics::jwks_cache_test();
        @array_map('unlink', glob($dir . '/*') ?: []); rmdir($dir);
        return [$r['status'], wp_strip_all_tags($r['description'])];
    """
    private = wp_eval(check, 0o700)
    shared = wp_eval(check, 0o1777)  # a planted key could be dropped into a world-writable directory
    assert private[0] == "good", private
    assert shared[0] == "recommended" and "WORKOS_JWKS_CACHE_DIR" in shared[1], shared
