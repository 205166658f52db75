"""The activity log (table, viewer, retention), WorkOS Audit Logs forwarding, and role changes pushed to WorkOS."""

from __future__ import annotations

import re
import time
import uuid

import pytest
import requests

from authkit import create_org, create_workos_user, emulator_requests
from test_headless import PASSWORD, unique_email
from test_roles_and_gate import redirect_sign_in
from test_settings import admin  # noqa: F401  (fixture)


def activity(wp_eval, where, *args):
    return wp_eval(
        "global $wpdb; return $wpdb->get_results($wpdb->prepare('SELECT * FROM ' . $wpdb->base_prefix . 'workos_activity_log WHERE ' . $args[0] . ' ORDER BY id', ...array_slice($args, 1)), ARRAY_A);",
        [where, *args],
    )


def audit_events(emulator_url, org_id):
    r = requests.get(emulator_url + "/__emulator/audit_logs", params={"organization_id": org_id}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    return predicate()


class TestActivityLog:
    def test_sign_in_is_recorded_with_user_ip_and_agent(self, session_factory, wp_url, emulator_url, wp_eval):
        email = unique_email("act")
        workos = create_workos_user(emulator_url, email, PASSWORD)
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).status_code == 302
        [row] = activity(wp_eval, "type = %s AND workos_id = %s", "login", workos["id"])
        assert int(row["user_id"]) > 0
        assert (row["ip"], row["user_agent"]) == ("127.0.0.1", "workos-e2e")
        assert '"method":"authkit"' in row["metadata"]

    def test_viewer_filters_and_pages(self, admin, wp_eval):  # noqa: F811
        tag = "e2e_bulk_" + uuid.uuid4().hex[:6]
        wp_eval("for ($i = 0; $i < 120; $i++) { WorkOS_WP\\Log::event($args, ['n' => $i]); } return true;", tag)
        page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": tag}).text
        assert "120 entries" in page
        assert len(re.findall(r'<tr data-id="', page)) == 50
        last = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": tag, "paged": 3}).text
        assert len(re.findall(r'<tr data-id="', last)) == 20
        assert "&quot;n&quot;:0}" in last or '"n":0}' in last  # oldest entries on the last page
        future = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": tag, "from": "2999-01-01"}).text
        assert "No activity matches." in future
        nobody = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": tag, "user": "no-such-user"}).text
        assert "0 entries" in nobody

    def test_retention_prunes_old_rows(self, wp_eval, wp_settings):
        wp_settings(log_retention_days="90")
        kept = wp_eval(
            """
            global $wpdb; $t = $wpdb->base_prefix . 'workos_activity_log';
            foreach ([100, 10] as $days) {
              $wpdb->insert($t, ['type' => 'e2e_retention', 'metadata' => '{}', 'created_at' => gmdate('Y-m-d H:i:s', time() - $days * DAY_IN_SECONDS)]);
            }
            WorkOS_WP\\Log::prune();
            $left = $wpdb->get_var("SELECT COUNT(*) FROM $t WHERE type = 'e2e_retention'");
            $wpdb->query("DELETE FROM $t WHERE type = 'e2e_retention'");
            return (int) $left;
            """
        )
        assert kept == 1


class TestAuditLogs:
    @pytest.fixture
    def org(self, emulator_url, wp_settings):
        org = create_org(emulator_url, "Audited " + uuid.uuid4().hex[:6])
        wp_settings(audit_logs=True, organization_id=org["id"])
        return org

    def test_sign_in_is_forwarded_off_the_request_path(self, org, session_factory, wp_url, emulator_url, wp_eval):
        email = unique_email("audit")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "member"}])
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).status_code == 302
        wp_id = wp_eval("return get_user_by('email', $args)->ID;", email)
        events = wait_for(lambda: [e for e in audit_events(emulator_url, org["id"]) if e["event"]["action"] == "user.signed_in"])
        [signed_in] = events
        ev = signed_in["event"]
        assert ev["actor"]["id"] == str(wp_id) and ev["actor"]["type"] == "user"
        assert ev["targets"] == [{"id": str(wp_id), "type": "user", "name": "Ada Lovelace"}]
        assert ev["context"]["location"] == "127.0.0.1"
        assert re.fullmatch(r"[0-9a-f-]{36}", signed_in["idempotency_key"])
        assert wp_eval("global $wpdb; return (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . $wpdb->base_prefix . 'workos_audit_queue');") == 0

    def test_post_events_and_retry_with_the_same_key(self, org, emulator_url, wp_eval):
        requests.post(emulator_url + "/__emulator/faults", timeout=10,
                      json={"method": "POST", "path": "/audit_logs/events", "status": 503, "times": 0})
        try:
            post_id = wp_eval("return wp_insert_post(['post_title' => 'Audited post', 'post_status' => 'publish']);")
            queued = wp_eval("global $wpdb; return $wpdb->get_results('SELECT idempotency_key, attempts, last_error FROM ' . $wpdb->base_prefix . 'workos_audit_queue', ARRAY_A);")
            assert len(queued) == 1 and int(queued[0]["attempts"]) >= 1 and queued[0]["last_error"]
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)
        sent = wp_eval("global $wpdb; $wpdb->query('UPDATE ' . $wpdb->base_prefix . 'workos_audit_queue SET next_attempt_at = UTC_TIMESTAMP()'); return WorkOS_WP\\Maintenance::run()['audit_sent'];")
        assert sent == 1
        [published] = [e for e in audit_events(emulator_url, org["id"]) if e["event"]["action"] == "post.published"]
        assert published["idempotency_key"] == queued[0]["idempotency_key"]
        assert published["event"]["targets"][0] == {"id": str(post_id), "type": "post", "name": "Audited post"}
        assert published["event"]["actor"]["type"] == "system"
        attempts = [c for c in emulator_requests(emulator_url, "/audit_logs/events", "POST")
                    if c["headers"].get("idempotency-key") == queued[0]["idempotency_key"]]
        assert len(attempts) >= 2  # the failed tries and the success, all with one key

    def test_sign_out_failed_sign_in_user_and_post_changes_are_forwarded(self, org, wp_settings, session_factory, wp_url,
                                                                          emulator_url, wp_eval):
        from test_headless import post_login
        from test_redirects_and_logout import logout_url

        wp_settings(allow_password_fallback=True)
        post_login(session_factory(wp_url), wp_url, "nobody-" + uuid.uuid4().hex[:6], "wrong-password")
        wp_eval(
            """
            require_once ABSPATH . 'wp-admin/includes/user.php';
            $id = wp_insert_user(['user_login' => $args, 'user_email' => $args . '@example.com', 'user_pass' => 'x-Passw0rd-1']);
            (new WP_User($id))->set_role('editor');
            wp_update_user(['ID' => $id, 'first_name' => 'Changed']);
            $post = wp_insert_post(['post_title' => 'Audit trail', 'post_status' => 'publish']);
            wp_update_post(['ID' => $post, 'post_title' => 'Audit trail, edited']);
            wp_delete_post($post, true);
            wp_delete_user($id);
            return true;
            """,
            "audited-" + uuid.uuid4().hex[:6],
        )
        email = unique_email("signout")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        redirect_sign_in(s, wp_url, emulator_url, email)
        s.get(logout_url(s), allow_redirects=False)
        wanted = {"user.sign_in_failed", "user.created", "user.role_changed", "user.updated", "user.deleted",
                  "post.published", "post.updated", "post.deleted", "user.signed_in", "user.signed_out"}
        seen = wait_for(lambda: wanted <= {e["event"]["action"] for e in audit_events(emulator_url, org["id"])})
        assert seen, wanted - {e["event"]["action"] for e in audit_events(emulator_url, org["id"])}

    def test_nothing_is_sent_when_off(self, emulator_url, wp_eval, wp_settings):
        org = create_org(emulator_url, "Quiet " + uuid.uuid4().hex[:6])
        wp_settings(audit_logs=False, organization_id=org["id"])
        wp_eval("return wp_insert_post(['post_title' => 'Unaudited', 'post_status' => 'publish']);")
        assert audit_events(emulator_url, org["id"]) == []


def test_admin_role_change_is_pushed_to_workos_but_workos_changes_are_not_echoed(emulator_url, wp_eval, wp_settings, env):
    org = create_org(emulator_url, "Push " + uuid.uuid4().hex[:6])
    wp_settings(push_role_changes=True, organization_id=org["id"], role_map={"admin": "editor", "member": "author"})
    email = unique_email("push")
    user = create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "member"}])
    wp_id = wp_eval(
        "$id = wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'], 'user_pass' => 'x-Passw0rd-55', 'role' => 'author']);"
        "update_user_meta($id, '_workos_user_id', $args['workos']); return $id;",
        {"login": "push" + uuid.uuid4().hex[:6], "email": email, "workos": user["id"]},
    )
    wp_eval("(new WP_User($args))->set_role('editor'); return true;", wp_id)  # pushed after the "response" (shutdown)
    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    [m] = [m for m in state["organization_memberships"] if m["user_id"] == user["id"]]
    assert m["role"]["slug"] == "admin"

    # A role set from WorkOS's own word (sign-in, webhook) is not sent back.
    before = len(emulator_requests(emulator_url, f"/user_management/organization_memberships/{m['id']}", "PUT"))
    wp_eval("WorkOS_WP\\Users\\RoleMap::apply(get_user_by('id', $args), 'author'); return true;", wp_id)
    assert len(emulator_requests(emulator_url, f"/user_management/organization_memberships/{m['id']}", "PUT")) == before
