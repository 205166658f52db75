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
                  json={"path": "/sso/jwks/" + env["CLIENT_ID"], "status": 503, "times": 0})
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
    tests = wp_eval("$t = WorkOS_WP\\Admin\\Diagnostics::add_tests(['direct' => [], 'async' => []]); return array_merge(array_keys($t['direct']), array_keys($t['async']));")
    assert {"workos_extension", "workos_schema", "workos_connectivity", "workos_backlog"} <= set(tests)


def test_site_health_says_when_the_signing_key_cache_directory_is_refused(wp_eval):
    """The instance's own cache directory, opened to everyone for a moment (a planted key could be
    dropped into it): Site Health says it is refused, and how to fix it."""
    out = wp_eval(r"""
        $dir = WorkOS_WP\Api::jwks_cache_dir();
        if (!is_dir($dir)) { mkdir($dir, 0700, true); }
        $mode = fileperms($dir) & 07777;
        chmod($dir, 0700);
        $private = WorkOS_WP\Admin\Diagnostics::jwks_cache_test();
        chmod($dir, 01777);
        $shared = WorkOS_WP\Admin\Diagnostics::jwks_cache_test();
        chmod($dir, $mode);
        return [$private['status'], $shared['status'], wp_strip_all_tags($shared['description'])];
    """)
    assert out[0] == "good", out
    assert out[1] == "recommended" and "WORKOS_JWKS_CACHE_DIR" in out[2], out
