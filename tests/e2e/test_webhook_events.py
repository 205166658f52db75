"""Every webhook event type, applied exactly once and in order (issue: Directory Sync, organizations, logs)."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from webhooks import (connection, deliver, directory, directory_group, directory_user, envelope, membership, organization,
                      uid, workos_user)


def fired(wp_eval, event_id):
    return wp_eval(
        "global $wpdb; $t = $wpdb->prefix . 'workos_test_fired';"
        "if (!$wpdb->get_var(\"SHOW TABLES LIKE '$t'\")) return [];"
        "return $wpdb->get_col($wpdb->prepare(\"SELECT hook FROM $t WHERE event_id = %s ORDER BY id\", $args));",
        event_id,
    )


def user_row(wp_eval, user_id):
    return wp_eval(
        """clean_user_cache($args); $u = get_userdata($args);
        return $u ? ['email' => $u->user_email, 'first' => $u->first_name, 'last' => $u->last_name,
          'roles' => array_values($u->roles), 'workos' => get_user_meta($u->ID, '_workos_user_id', true),
          'directory' => get_user_meta($u->ID, '_workos_directory_user_id', true),
          'deactivated' => get_user_meta($u->ID, '_workos_deactivated', true)] : null;""",
        user_id,
    )


def by_directory_id(wp_eval, du_id):
    return wp_eval("$u = get_users(['meta_key' => '_workos_directory_user_id', 'meta_value' => $args, 'fields' => 'ID']);"
                   "return $u ? (int) $u[0] : null;", du_id)


def email(tag, domain="example.com"):
    return f"{tag}-{uuid.uuid4().hex[:8]}@{domain}"


class TestExactlyOnce:
    def test_a_redelivered_event_is_acknowledged_and_not_applied_again(self, hook, wp_user, wp_eval):
        workos_id = uid("user")
        local = wp_user("once" + uuid.uuid4().hex[:6], email("once"), "x-Passw0rd-1", workos_id=workos_id)
        data = workos_user(workos_id, local["email"], first="Once")
        event_id = uid("event")
        first = hook("user.updated", data, event_id=event_id)
        assert first["outcome"] == "updated"
        again = hook("user.updated", data, event_id=event_id)
        assert again["duplicate"] is True
        # Both actions fired once, for the one application.
        assert sorted(fired(wp_eval, event_id)) == ["workos_webhook", "workos_webhook_user.updated"]
        assert wp_eval("global $wpdb; return $wpdb->get_var($wpdb->prepare('SELECT status FROM ' . $wpdb->base_prefix . 'workos_events WHERE event_id = %s', $args));", event_id) == "applied"

    def test_an_older_event_never_overwrites_newer_state(self, hook, wp_user, wp_eval):
        workos_id = uid("user")
        local = wp_user("order" + uuid.uuid4().hex[:6], email("order"), "x-Passw0rd-2", workos_id=workos_id)
        now = int(time.time() * 1000)
        newer = hook("user.updated", workos_user(workos_id, local["email"], first="Newer", updated_ms=now))
        older_id = uid("event")
        older = hook("user.updated", workos_user(workos_id, local["email"], first="Older", updated_ms=now - 5000), event_id=older_id)
        assert newer["outcome"] == "updated" and older["outcome"] == "stale"
        assert user_row(wp_eval, local["id"])["first"] == "Newer"
        assert fired(wp_eval, older_id) == []  # stale events are not announced as applied

    def test_a_late_update_cannot_bring_back_a_deleted_user(self, hook, wp_user, wp_eval, wp_settings):
        wp_settings(deprovision_action="deactivate")
        workos_id = uid("user")
        local = wp_user("late" + uuid.uuid4().hex[:6], email("late"), "x-Passw0rd-3", workos_id=workos_id)
        now = int(time.time() * 1000)
        hook("user.deleted", workos_user(workos_id, local["email"], updated_ms=now - 10000))
        assert hook("user.updated", workos_user(workos_id, local["email"], first="Zombie", updated_ms=now - 8000))["outcome"] == "stale"
        row = user_row(wp_eval, local["id"])
        assert row["deactivated"] and row["first"] != "Zombie"

    def test_a_delivery_whose_php_died_is_recovered(self, wp_eval, wp_user):
        """The ledger row exists (claimed, payload stored) but was never finished: the sweeper applies it."""
        workos_id = uid("user")
        local = wp_user("crash" + uuid.uuid4().hex[:6], email("crash"), "x-Passw0rd-4", workos_id=workos_id)
        event = envelope("user.updated", workos_user(workos_id, local["email"], first="Recovered"))
        out = wp_eval(
            """
            global $wpdb;
            $info = WorkOS\\Native\\Webhook::describe($args);
            WorkOS_WP\\Webhooks\\Ledger::claim($info, wp_json_encode($args));
            $wpdb->query($wpdb->prepare('UPDATE ' . $wpdb->base_prefix . "workos_events SET claimed_at = UTC_TIMESTAMP() - INTERVAL 5 MINUTE WHERE event_id = %s", $args['id']));
            return WorkOS_WP\\Maintenance::run();
            """,
            event,
        )
        assert out["events_recovered"] >= 1
        assert user_row(wp_eval, local["id"])["first"] == "Recovered"

    def test_finished_events_are_pruned_after_the_retention_period(self, wp_eval):
        left = wp_eval(
            """
            global $wpdb; $t = $wpdb->base_prefix . 'workos_events';
            $wpdb->query("INSERT INTO $t (event_id, event_type, status, payload, received_at, claimed_at) VALUES
              ('event_OLD_PRUNE', 'user.updated', 'applied', '', UTC_TIMESTAMP() - INTERVAL 40 DAY, UTC_TIMESTAMP()),
              ('event_NEW_KEEP', 'user.updated', 'applied', '', UTC_TIMESTAMP(), UTC_TIMESTAMP())");
            WorkOS_WP\\Webhooks\\Ledger::prune();
            $left = $wpdb->get_col("SELECT event_id FROM $t WHERE event_id IN ('event_OLD_PRUNE', 'event_NEW_KEEP')");
            $wpdb->query("DELETE FROM $t WHERE event_id = 'event_NEW_KEEP'");
            return $left;
            """
        )
        assert left == ["event_NEW_KEEP"]


class TestUsers:
    def test_user_created_links_an_existing_account_only_by_verified_email(self, hook, wp_user, wp_eval):
        verified = wp_user("v" + uuid.uuid4().hex[:6], email("verified"), "x-Passw0rd-5")
        unverified = wp_user("u" + uuid.uuid4().hex[:6], email("unverified"), "x-Passw0rd-6")
        assert hook("user.created", workos_user(uid("user"), verified["email"]))["outcome"] == "updated"
        assert hook("user.created", workos_user(uid("user"), unverified["email"], verified=False))["outcome"] == "no_linked_user"
        assert user_row(wp_eval, verified["id"])["workos"].startswith("user_")
        assert user_row(wp_eval, unverified["id"])["workos"] == ""

    @pytest.mark.parametrize("action", ["deactivate", "demote", "delete"])
    def test_user_deleted_deprovisions_as_configured(self, hook, wp_user, wp_eval, wp_settings, action, admin_credentials):
        heir = wp_eval("return get_user_by('login', $args)->ID;", admin_credentials[0])
        wp_settings(deprovision_action=action, deprovision_role="subscriber", deprovision_reassign=str(heir))
        workos_id = uid("user")
        local = wp_user("gone" + uuid.uuid4().hex[:6], email("gone"), "x-Passw0rd-7", role="editor", workos_id=workos_id)
        post_id = wp_eval("return wp_insert_post(['post_title' => 'Theirs', 'post_status' => 'publish', 'post_author' => $args]);", local["id"])
        outcome = hook("user.deleted", workos_user(workos_id, local["email"]))["outcome"]
        row = user_row(wp_eval, local["id"])
        if action == "deactivate":
            # Roles are withdrawn with the deactivation, kept for reactivation (test_security_deactivation).
            assert outcome == "deactivated" and row["deactivated"] and row["roles"] == []
        elif action == "demote":
            assert outcome == "demoted" and row["roles"] == ["subscriber"] and not row["deactivated"]
        else:
            assert outcome == "deleted" and row is None
            assert wp_eval("return (int) get_post($args)->post_author;", post_id) == heir


class TestDirectorySync:
    @pytest.fixture
    def org(self, hook, wp_settings):
        org_id = uid("org")
        hook("organization.created", organization(org_id, "Acme " + org_id[-6:], domains=["acme.test"]))
        # Only directories of the site's organization change users (issue 8, finding 2): pin the
        # organization, and announce the test directory as its own, as WorkOS does.
        wp_settings(organization_id=org_id)
        assert hook("dsync.activated", directory("directory_01TEST", org_id))["outcome"] == "recorded"
        return org_id

    def test_directory_user_is_created_updated_and_deprovisioned(self, hook, org, wp_eval, wp_settings):
        wp_settings(deprovision_action="deactivate")
        du = uid("directory_user")
        addr = email("dee", "acme.test")
        now = int(time.time() * 1000)
        assert hook("dsync.user.created", directory_user(du, addr, org, updated_ms=now - 3000))["outcome"] == "created"
        wp_id = by_directory_id(wp_eval, du)
        assert user_row(wp_eval, wp_id)["email"] == addr
        new_addr = email("dee.new", "acme.test")
        assert hook("dsync.user.updated", directory_user(du, new_addr, org, first="Deedee", updated_ms=now - 2000))["outcome"] == "updated"
        row = user_row(wp_eval, wp_id)
        assert (row["email"], row["first"]) == (new_addr, "Deedee")
        assert hook("dsync.user.updated", directory_user(du, new_addr, org, state="inactive", updated_ms=now - 1000))["outcome"] == "deactivated"
        assert user_row(wp_eval, wp_id)["deactivated"] == "directory"
        # Active again: the directory lifts its own deactivation.
        assert hook("dsync.user.updated", directory_user(du, new_addr, org, updated_ms=now))["outcome"] == "updated"
        assert user_row(wp_eval, wp_id)["deactivated"] == ""
        assert hook("dsync.user.deleted", directory_user(du, new_addr, org, updated_ms=now))["outcome"] == "deactivated"

    def test_existing_account_is_matched_only_on_a_verified_domain(self, hook, org, wp_user, wp_eval):
        on_domain = wp_user("acme" + uuid.uuid4().hex[:6], email("staff", "acme.test"), "x-Passw0rd-8")
        elsewhere = wp_user("else" + uuid.uuid4().hex[:6], email("someone", "gmail.test"), "x-Passw0rd-9")
        assert hook("dsync.user.created", directory_user(uid("directory_user"), on_domain["email"], org))["outcome"] == "linked"
        assert hook("dsync.user.created", directory_user(uid("directory_user"), elsewhere["email"], org))["outcome"] == "email_not_verified"
        assert user_row(wp_eval, elsewhere["id"])["directory"] == ""

    def test_a_directory_id_never_replaces_the_workos_user_link(self, hook, org, wp_user, wp_eval):
        workos_id = uid("user")
        local = wp_user("both" + uuid.uuid4().hex[:6], email("both", "acme.test"), "x-Passw0rd-10", workos_id=workos_id)
        du = uid("directory_user")
        hook("dsync.user.created", directory_user(du, local["email"], org))
        row = user_row(wp_eval, local["id"])
        assert (row["workos"], row["directory"]) == (workos_id, du)

    def test_group_membership_sets_the_mapped_role(self, hook, org, wp_eval, wp_settings):
        wp_settings(role_map={"Editors": "editor", "Authors": "author"}, default_role="subscriber")
        du = uid("directory_user")
        hook("dsync.user.created", directory_user(du, email("grp", "acme.test"), org))
        wp_id = by_directory_id(wp_eval, du)
        editors, authors = directory_group(uid("directory_group"), "Editors", org), directory_group(uid("directory_group"), "Authors", org)
        user = directory_user(du, "ignored@acme.test", org)
        assert hook("dsync.group.user_added", {"directory_id": "directory_01TEST", "user": user, "group": authors})["outcome"] == "group_added"
        assert user_row(wp_eval, wp_id)["roles"] == ["author"]
        hook("dsync.group.user_added", {"directory_id": "directory_01TEST", "user": user, "group": editors})
        assert user_row(wp_eval, wp_id)["roles"] == ["editor"]  # the map's first line wins
        hook("dsync.group.user_removed", {"directory_id": "directory_01TEST", "user": user, "group": editors})
        assert user_row(wp_eval, wp_id)["roles"] == ["author"]
        hook("dsync.group.user_removed", {"directory_id": "directory_01TEST", "user": user, "group": authors})
        assert user_row(wp_eval, wp_id)["roles"] == ["subscriber"]

    def test_emulator_directory_events_reach_wordpress(self, emulator_url, wp_eval, env, wp_settings):
        """The emulator's own dsync.* deliveries (signed by it) create the user."""
        org = requests.post(emulator_url + "/__emulator/organizations", json={"name": "Dir Co", "domains": ["dirco.test"]}, timeout=10).json()
        wp_settings(organization_id=org["id"])
        directory = requests.post(emulator_url + "/__emulator/directories", json={"organization_id": org["id"]}, timeout=10).json()
        addr = email("emu", "dirco.test")
        du = requests.post(emulator_url + "/__emulator/directory_users", timeout=10,
                           json={"directory_id": directory["id"], "emails": [{"value": addr, "primary": True}],
                                 "first_name": "Emu", "last_name": "Lated"}).json()
        deadline = time.monotonic() + 15
        while by_directory_id(wp_eval, du["id"]) is None and time.monotonic() < deadline:
            time.sleep(0.3)
        wp_id = by_directory_id(wp_eval, du["id"])
        assert wp_id and user_row(wp_eval, wp_id)["email"] == addr


class TestOrganizations:
    def tables(self, wp_eval, sql, *args):
        return wp_eval("global $wpdb; $p = $wpdb->base_prefix; return $wpdb->get_results($wpdb->prepare(str_replace('{p}', $p, $args[0]), ...array_slice($args, 1)), ARRAY_A);",
                       [sql, *args])

    def test_organization_lifecycle(self, hook, wp_eval):
        org_id = uid("org")
        hook("organization.created", organization(org_id, "Initech", domains=["initech.test"]))
        hook("organization.updated", organization(org_id, "Initech Global", domains=["initech.test"]))
        [row] = self.tables(wp_eval, "SELECT name, slug, domains FROM {p}workos_organizations WHERE workos_id = %s", org_id)
        assert (row["name"], row["slug"]) == ("Initech Global", "initech-global")
        assert "initech.test" in row["domains"]
        hook("organization.deleted", organization(org_id, "Initech Global"))
        assert self.tables(wp_eval, "SELECT id FROM {p}workos_organizations WHERE workos_id = %s", org_id) == []

    def test_memberships_change_roles_only_for_this_sites_organization(self, hook, wp_user, wp_eval, wp_settings):
        site_org, other_org = uid("org"), uid("org")
        wp_settings(organization_id=site_org, role_map={"admin": "editor", "member": "author"})
        workos_id = uid("user")
        local = wp_user("mem" + uuid.uuid4().hex[:6], email("mem"), "x-Passw0rd-11", workos_id=workos_id)
        now = int(time.time() * 1000)
        assert hook("organization_membership.created", membership(uid("om"), workos_id, other_org, role="admin"))["outcome"] == "stored"
        assert user_row(wp_eval, local["id"])["roles"] == ["subscriber"]
        om = uid("om")
        assert hook("organization_membership.created", membership(om, workos_id, site_org, role="member", updated_ms=now - 1000))["outcome"] == "role_applied"
        assert user_row(wp_eval, local["id"])["roles"] == ["author"]
        hook("organization_membership.updated", membership(om, workos_id, site_org, role="admin", updated_ms=now))
        assert user_row(wp_eval, local["id"])["roles"] == ["editor"]
        rows = self.tables(wp_eval, "SELECT organization_id, role_slug, wp_role, user_id FROM {p}workos_org_memberships WHERE workos_user_id = %s ORDER BY id", workos_id)
        assert [(r["organization_id"], r["role_slug"], r["wp_role"], int(r["user_id"])) for r in rows] == [
            (other_org, "admin", "", local["id"]), (site_org, "admin", "editor", local["id"])]
        hook("organization_membership.deleted", membership(om, workos_id, site_org, role="admin", updated_ms=now + 1))
        assert len(self.tables(wp_eval, "SELECT id FROM {p}workos_org_memberships WHERE workos_user_id = %s", workos_id)) == 1


class TestOtherEvents:
    def test_connections_are_tracked(self, hook, wp_eval):
        conn = uid("conn")
        hook("connection.activated", connection(conn, uid("org")))
        assert wp_eval("return get_option('workos_connections')[$args]['state'];", conn) == "active"
        hook("connection.deactivated", connection(conn, uid("org"), state="inactive"))
        assert wp_eval("return get_option('workos_connections')[$args]['state'];", conn) == "inactive"
        hook("connection.deleted", connection(conn, uid("org"), state="inactive"))
        assert wp_eval("return isset(get_option('workos_connections')[$args]);", conn) is False

    def test_email_verification_succeeded_is_noted(self, hook, wp_user, wp_eval):
        workos_id = uid("user")
        local = wp_user("ver" + uuid.uuid4().hex[:6], email("ver"), "x-Passw0rd-12", workos_id=workos_id)
        out = hook("authentication.email_verification_succeeded",
                   {"type": "email_verification", "status": "succeeded", "user_id": workos_id, "email": local["email"],
                    "ip_address": "203.0.113.1", "user_agent": "x"})
        assert out["outcome"] == "recorded"
        assert wp_eval("return (bool) get_user_meta($args, '_workos_email_verified_at', true);", local["id"]) is True

    def test_unknown_types_are_acknowledged_and_ignored(self, hook):
        assert hook("something.new", {"id": "x_1"})["outcome"] == "ignored"

    def test_an_event_without_id_is_a_400(self, wp_url, env):
        r = deliver(wp_url, env["WEBHOOK_SECRET"], {"event": "user.updated", "data": {}})
        assert r.status_code == 400 and r.json()["code"] == "workos_invalid_event"
