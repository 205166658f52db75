"""Issue 8, findings 2, 4 and the webhook half of 5: the organization(s) this site serves decide.

- Directory Sync: only directories of this site's organization create, update, link, deprovision or
  give roles to WordPress users; a directory is looked up (dsync.activated or WorkOS's API), never
  taken at the event's word; groups map by id, or by name only within this site's organization;
  without an organization, directory events change nobody (logged, and Site Health says why).
- Role map: only claims and memberships of this site's organization; without one, role claims are
  ignored (the default role applies) and the settings screen says so.
- Members-only sites: a membership removed or deactivated by the site's organization deprovisions
  like a deleted user; reactivated again when the membership is active again.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from authkit import create_org, create_workos_user, logged_in_cookie
from test_headless import PASSWORD, post_login, unique_email
from test_settings import admin  # noqa: F401  (fixture)
from webhooks import deliver, directory_group, directory_user, envelope, iso, membership, uid


def email(tag, domain):
    return f"{tag}-{uuid.uuid4().hex[:8]}@{domain}"


def domain():
    return f"d{uuid.uuid4().hex[:10]}.test"


def user_row(wp_eval, user_id):
    return wp_eval(
        """clean_user_cache($args); $u = get_userdata($args);
        return $u ? ['email' => $u->user_email, 'first' => $u->first_name, 'roles' => array_values($u->roles),
          'directory' => get_user_meta($u->ID, '_workos_directory_user_id', true),
          'deactivated' => get_user_meta($u->ID, '_workos_deactivated', true)] : null;""",
        user_id,
    )


def by_email(wp_eval, addr):
    return wp_eval("$u = get_user_by('email', $args); return $u ? $u->ID : null;", addr)


def by_directory_id(wp_eval, du_id):
    return wp_eval("$u = get_users(['meta_key' => '_workos_directory_user_id', 'meta_value' => $args, 'fields' => 'ID']);"
                   "return $u ? (int) $u[0] : null;", du_id)


def logged(wp_eval, kind, needle):
    """Activity-log rows of `kind` whose metadata mentions `needle`."""
    return wp_eval("global $wpdb; return (int) $wpdb->get_var($wpdb->prepare('SELECT COUNT(*) FROM ' . $wpdb->base_prefix"
                   " . 'workos_activity_log WHERE type = %s AND metadata LIKE %s', $args[0], '%' . $wpdb->esc_like($args[1]) . '%'));",
                   [kind, needle])


def emulator_directory(emulator_url, org_id, state="active"):
    """A directory of `org_id` in the emulator (GET /directories/{id} answers for it); an active one
    is announced to WordPress by dsync.activated, others only answer lookups."""
    r = requests.post(emulator_url + "/__emulator/directories", json={"organization_id": org_id, "state": state}, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


@pytest.fixture
def tenants(emulator_url, wp_settings):
    """This site's organization (pinned) with its directory, and another tenant with its own."""
    ours_domain, theirs_domain = domain(), domain()
    ours = create_org(emulator_url, "Ours " + uuid.uuid4().hex[:6], domains=[ours_domain])
    theirs = create_org(emulator_url, "Theirs " + uuid.uuid4().hex[:6], domains=[theirs_domain])
    wp_settings(organization_id=ours["id"], deprovision_action="deactivate", default_role="subscriber")
    return {
        "ours": ours["id"], "ours_domain": ours_domain, "ours_dir": emulator_directory(emulator_url, ours["id"]),
        "theirs": theirs["id"], "theirs_domain": theirs_domain, "theirs_dir": emulator_directory(emulator_url, theirs["id"]),
    }


class TestDirectoryScope:
    def test_a_directory_of_another_organization_creates_no_user(self, hook, tenants, wp_eval):
        addr = email("intruder", tenants["theirs_domain"])
        du = directory_user(uid("directory_user"), addr, tenants["theirs"], directory_id=tenants["theirs_dir"])
        out = hook("dsync.user.created", du)
        assert out["outcome"] == "foreign_organization", out
        assert by_email(wp_eval, addr) is None
        assert logged(wp_eval, "directory_event_refused", du["id"]) >= 1

    def test_an_event_naming_this_organization_for_a_foreign_directory_is_not_believed(self, hook, tenants, wp_eval):
        """The directory is looked up: its organization, not the event's word, decides."""
        addr = email("liar", tenants["ours_domain"])
        du = directory_user(uid("directory_user"), addr, tenants["ours"], directory_id=tenants["theirs_dir"])
        out = hook("dsync.user.created", du)
        assert out["outcome"] == "directory_organization_mismatch", out
        assert by_email(wp_eval, addr) is None

    def test_an_unknown_directory_is_not_trusted(self, hook, tenants, wp_eval):
        addr = email("ghost", tenants["ours_domain"])
        du = directory_user(uid("directory_user"), addr, tenants["ours"], directory_id=uid("directory"))
        assert hook("dsync.user.created", du)["outcome"] == "directory_organization_mismatch"
        assert by_email(wp_eval, addr) is None

    def test_a_foreign_directory_cannot_update_or_deprovision_our_users(self, hook, tenants, wp_eval):
        du_id = uid("directory_user")
        addr = email("staff", tenants["ours_domain"])
        ours = directory_user(du_id, addr, tenants["ours"], directory_id=tenants["ours_dir"])
        assert hook("dsync.user.created", ours)["outcome"] == "created"
        wp_id = by_directory_id(wp_eval, du_id)
        now = int(time.time() * 1000)
        # The other tenant's directory speaks about the same directory user id.
        forged = directory_user(du_id, email("stolen", tenants["theirs_domain"]), tenants["theirs"], first="Mallory",
                                directory_id=tenants["theirs_dir"], updated_ms=now)
        assert hook("dsync.user.updated", forged)["outcome"] == "foreign_organization"
        assert hook("dsync.user.updated", dict(forged, state="inactive", updated_at=iso(now + 1)))["outcome"] == "foreign_organization"
        assert hook("dsync.user.deleted", dict(forged, updated_at=iso(now + 2)))["outcome"] == "foreign_organization"
        row = user_row(wp_eval, wp_id)
        assert (row["email"], row["first"], row["deactivated"]) == (addr, "Dee", "")

    def test_a_group_named_admin_in_another_tenant_gives_no_role(self, hook, tenants, wp_eval, wp_settings):
        wp_settings(role_map={"admin": "administrator", "Editors": "editor"})
        du_id = uid("directory_user")
        ours = directory_user(du_id, email("grp", tenants["ours_domain"]), tenants["ours"], directory_id=tenants["ours_dir"])
        hook("dsync.user.created", ours)
        wp_id = by_directory_id(wp_eval, du_id)
        foreign_admin = directory_group(uid("directory_group"), "admin", tenants["theirs"], directory_id=tenants["theirs_dir"])
        # Announced under our directory, but the group is the other tenant's.
        out = hook("dsync.group.user_added", {"directory_id": tenants["ours_dir"], "user": ours, "group": foreign_admin})
        assert out["outcome"] in ("directory_organization_mismatch", "foreign_organization"), out
        out = hook("dsync.group.user_added", {"directory_id": tenants["theirs_dir"], "user": dict(ours, organization_id=tenants["theirs"], directory_id=tenants["theirs_dir"]), "group": foreign_admin})
        assert out["outcome"] == "foreign_organization", out
        assert user_row(wp_eval, wp_id)["roles"] == ["subscriber"]
        # Our own directory's groups still map, by name within our organization.
        editors = directory_group(uid("directory_group"), "Editors", tenants["ours"], directory_id=tenants["ours_dir"])
        assert hook("dsync.group.user_added", {"directory_id": tenants["ours_dir"], "user": ours, "group": editors})["outcome"] == "group_added"
        assert user_row(wp_eval, wp_id)["roles"] == ["editor"]

    def test_a_foreign_group_in_a_user_event_is_not_counted(self, hook, tenants, wp_eval, wp_settings):
        wp_settings(role_map={"admin": "administrator"})
        du_id = uid("directory_user")
        foreign_admin = directory_group(uid("directory_group"), "admin", tenants["theirs"], directory_id=tenants["theirs_dir"])
        du = directory_user(du_id, email("mixed", tenants["ours_domain"]), tenants["ours"], directory_id=tenants["ours_dir"],
                            groups=[foreign_admin])
        assert hook("dsync.user.created", du)["outcome"] == "created"
        assert user_row(wp_eval, by_directory_id(wp_eval, du_id))["roles"] == ["subscriber"]

    def test_a_group_is_matched_by_id_from_our_directory(self, hook, tenants, wp_eval, wp_settings):
        group_id = uid("directory_group")
        wp_settings(role_map={group_id: "author"})
        du_id = uid("directory_user")
        ours = directory_user(du_id, email("gid", tenants["ours_domain"]), tenants["ours"], directory_id=tenants["ours_dir"])
        hook("dsync.user.created", ours)
        group = directory_group(group_id, "Whatever", tenants["ours"], directory_id=tenants["ours_dir"])
        hook("dsync.group.user_added", {"directory_id": tenants["ours_dir"], "user": ours, "group": group})
        assert user_row(wp_eval, by_directory_id(wp_eval, du_id))["roles"] == ["author"]

    def test_a_directory_that_cannot_be_looked_up_is_retried_not_applied(self, hook, tenants, emulator_url, wp_eval):
        """WorkOS down during the directory lookup: nothing applied blind; the ledger applies it later."""
        directory = emulator_directory(emulator_url, tenants["ours"], state="validating")  # not announced: looked up
        addr = email("later", tenants["ours_domain"])
        du = directory_user(uid("directory_user"), addr, tenants["ours"], directory_id=directory)
        requests.post(emulator_url + "/__emulator/faults", timeout=10,
                      json={"method": "GET", "path": "/directories/" + directory, "status": 503, "times": 0})
        event = envelope("dsync.user.created", du)
        try:
            out = hook("dsync.user.created", du, event_id=event["id"])
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)
        assert out["outcome"] == "retry_later", out
        assert by_email(wp_eval, addr) is None
        recovered = wp_eval(
            """global $wpdb;
            $wpdb->query($wpdb->prepare('UPDATE ' . $wpdb->base_prefix . "workos_events SET claimed_at = UTC_TIMESTAMP() - INTERVAL 5 MINUTE WHERE event_id = %s", $args));
            return WorkOS_WP\\Webhooks\\Events::recover();""", event["id"])
        assert recovered >= 1
        assert by_email(wp_eval, addr) is not None

    def test_the_emulators_own_directory_of_our_organization_still_works(self, tenants, emulator_url, wp_eval):
        addr = email("emu", tenants["ours_domain"])
        du = requests.post(emulator_url + "/__emulator/directory_users", timeout=10,
                           json={"directory_id": tenants["ours_dir"], "emails": [{"value": addr, "primary": True}]}).json()
        deadline = time.monotonic() + 15
        while by_directory_id(wp_eval, du["id"]) is None and time.monotonic() < deadline:
            time.sleep(0.3)
        assert by_directory_id(wp_eval, du["id"]) is not None


class TestWithoutAnOrganization:
    def test_directory_events_change_no_user_and_site_health_says_why(self, hook, emulator_url, wp_eval, wp_settings):
        wp_settings(organization_id=None)
        dom = domain()
        org = create_org(emulator_url, "Unpinned " + uuid.uuid4().hex[:6], domains=[dom])
        directory = emulator_directory(emulator_url, org["id"])
        addr = email("nobody", dom)
        du = directory_user(uid("directory_user"), addr, org["id"], directory_id=directory)
        assert hook("dsync.user.created", du)["outcome"] == "no_organization_configured"
        assert by_email(wp_eval, addr) is None
        assert logged(wp_eval, "directory_event_ignored", du["id"]) >= 1
        status, label, detail = wp_eval(
            "require_once ABSPATH . 'wp-admin/includes/admin.php'; $r = WorkOS_WP\\Admin\\Diagnostics::organization_scope_test();"
            " return [$r['status'], $r['label'], wp_strip_all_tags($r['description'])];")
        assert status == "recommended"
        assert "organization" in label.lower() and "Directory Sync" in detail

    def test_a_passed_check_without_organization_reads_as_what_works(self, wp_eval, wp_settings):
        """Listed under "Passed tests", the label must not read like a problem."""
        wp_settings(organization_id=None, role_map="")
        wp_eval("global $wpdb; $wpdb->delete(WorkOS_WP\\Schema::table('events'), ['outcome' => WorkOS_WP\\Directory\\Directory::NO_ORGANIZATION]); return true;")
        status, label = wp_eval(
            "require_once ABSPATH . 'wp-admin/includes/admin.php'; $r = WorkOS_WP\\Admin\\Diagnostics::organization_scope_test();"
            " return [$r['status'], $r['label']];")
        assert status == "good"
        assert not label.startswith("No "), label
        assert "Directory Sync" in label

    def test_site_health_is_good_with_an_organization(self, wp_eval, wp_settings):
        wp_settings(organization_id=uid("org"))
        status = wp_eval("require_once ABSPATH . 'wp-admin/includes/admin.php'; return WorkOS_WP\\Admin\\Diagnostics::organization_scope_test()['status'];")
        assert status == "good"
        tests = wp_eval("return array_keys(WorkOS_WP\\Admin\\Diagnostics::add_tests(['direct' => [], 'async' => []])['direct']);")
        assert "workos_organization_scope" in tests

    def test_role_claims_in_tokens_are_ignored(self, emulator_url, wp_eval, wp_settings, session_factory, wp_url, wp_user):
        """A token scoped to any organization (WorkOS picks a user's only one) must not give a mapped role."""
        wp_settings(organization_id=None, login_mode="headless", allow_password_fallback=False,
                    role_map={"admin": "editor"}, default_role="contributor")
        org = create_org(emulator_url, "Anyone's " + uuid.uuid4().hex[:6])
        new = unique_email("claims")
        create_workos_user(emulator_url, new, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "admin"}])
        assert post_login(session_factory(wp_url), wp_url, new, PASSWORD).status_code == 302
        assert wp_eval("return array_values(get_user_by('email', $args)->roles);", new) == ["contributor"]
        # An existing user keeps their role.
        known = unique_email("claims-known")
        workos = create_workos_user(emulator_url, known, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "admin"}])
        local = wp_user("known" + uuid.uuid4().hex[:6], known, "x-Passw0rd-1", role="subscriber", workos_id=workos["id"])
        s = session_factory(wp_url)
        assert post_login(s, wp_url, known, PASSWORD).status_code == 302 and logged_in_cookie(s)
        assert user_row(wp_eval, local["id"])["roles"] == ["subscriber"]

    def test_membership_events_give_no_role(self, hook, wp_user, wp_eval, wp_settings):
        wp_settings(organization_id=None, role_map={"admin": "editor"})
        workos_id = uid("user")
        local = wp_user("nomap" + uuid.uuid4().hex[:6], email("nomap", "example.com"), "x-Passw0rd-2", workos_id=workos_id)
        assert hook("organization_membership.created", membership(uid("om"), workos_id, uid("org"), role="admin"))["outcome"] == "stored"
        assert user_row(wp_eval, local["id"])["roles"] == ["subscriber"]

    def test_the_settings_screen_says_role_claims_are_ignored(self, admin, wp_settings):  # noqa: F811
        wp_settings(organization_id=None, role_map={"admin": "editor"})
        page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "users"}).text
        assert "No organization is configured" in page
        wp_settings(organization_id=uid("org"))
        page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "users"}).text
        assert "No organization is configured" not in page


class TestMembershipDeprovisioning:
    @pytest.fixture
    def site(self, wp_settings):
        org = uid("org")
        wp_settings(organization_id=org, entitlement_gate=True, deprovision_action="deactivate",
                    deprovision_role="subscriber", role_map={"admin": "editor", "member": "author"})
        return org

    def member(self, wp_user, role="author"):
        workos_id = uid("user")
        local = wp_user("om" + uuid.uuid4().hex[:6], email("om", "example.com"), "x-Passw0rd-3", role=role, workos_id=workos_id)
        return workos_id, local["id"]

    def test_deactivated_membership_deprovisions_and_reactivation_restores(self, hook, site, wp_user, wp_eval):
        workos_id, wp_id = self.member(wp_user)
        om, now = uid("om"), int(time.time() * 1000)
        hook("organization_membership.created", membership(om, workos_id, site, updated_ms=now - 3000))
        out = hook("organization_membership.updated", membership(om, workos_id, site, status="inactive", updated_ms=now - 2000))
        assert out["outcome"] == "deactivated", out
        assert user_row(wp_eval, wp_id)["deactivated"] == "organization_membership"
        out = hook("organization_membership.updated", membership(om, workos_id, site, updated_ms=now - 1000))
        assert user_row(wp_eval, wp_id)["deactivated"] == ""
        assert out["outcome"] in ("role_applied", "stored", "reactivated")

    def test_deleted_membership_deprovisions(self, hook, site, wp_user, wp_eval):
        workos_id, wp_id = self.member(wp_user)
        om, now = uid("om"), int(time.time() * 1000)
        hook("organization_membership.created", membership(om, workos_id, site, updated_ms=now - 1000))
        assert hook("organization_membership.deleted", membership(om, workos_id, site, updated_ms=now))["outcome"] == "deactivated"
        assert user_row(wp_eval, wp_id)["deactivated"] == "organization_membership"

    def test_created_inactive_deprovisions_too(self, hook, site, wp_user, wp_eval):
        workos_id, wp_id = self.member(wp_user)
        assert hook("organization_membership.created", membership(uid("om"), workos_id, site, status="inactive"))["outcome"] == "deactivated"
        assert user_row(wp_eval, wp_id)["deactivated"] == "organization_membership"

    @pytest.mark.parametrize("action", ["demote", "delete"])
    def test_the_configured_action_applies(self, hook, site, wp_user, wp_eval, wp_settings, action):
        wp_settings(deprovision_action=action)
        workos_id, wp_id = self.member(wp_user, role="editor")
        out = hook("organization_membership.deleted", membership(uid("om"), workos_id, site))
        row = user_row(wp_eval, wp_id)
        if action == "demote":
            assert out["outcome"] == "demoted" and row["roles"] == ["subscriber"]
        else:
            assert out["outcome"] == "deleted" and row is None

    def test_nothing_happens_when_the_site_is_not_members_only(self, hook, site, wp_user, wp_eval, wp_settings):
        wp_settings(entitlement_gate=False)
        workos_id, wp_id = self.member(wp_user)
        hook("organization_membership.deleted", membership(uid("om"), workos_id, site))
        hook("organization_membership.created", membership(uid("om"), workos_id, site, status="inactive"))
        assert user_row(wp_eval, wp_id)["deactivated"] == ""

    def test_another_organizations_membership_changes_nothing(self, hook, site, wp_user, wp_eval):
        workos_id, wp_id = self.member(wp_user)
        other = uid("org")
        hook("organization_membership.deleted", membership(uid("om"), workos_id, other))
        hook("organization_membership.updated", membership(uid("om"), workos_id, other, status="inactive"))
        assert user_row(wp_eval, wp_id)["deactivated"] == ""

    def test_an_admins_own_deactivation_is_not_lifted(self, hook, site, wp_user, wp_eval):
        workos_id, wp_id = self.member(wp_user)
        wp_eval("update_user_meta($args, '_workos_deactivated', 'admin'); return true;", wp_id)
        hook("organization_membership.created", membership(uid("om"), workos_id, site))
        assert user_row(wp_eval, wp_id)["deactivated"] == "admin"

    def test_emulator_deactivation_reaches_wordpress(self, site, wp_settings, emulator_url, env, wp_eval, session_factory, wp_url):
        """End to end: WorkOS deactivates the membership, its signed event deprovisions the account."""
        org = create_org(emulator_url, "Members " + uuid.uuid4().hex[:6])
        wp_settings(organization_id=org["id"], login_mode="headless", allow_password_fallback=False)
        addr = unique_email("emu-member")
        create_workos_user(emulator_url, addr, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        assert post_login(s, wp_url, addr, PASSWORD).status_code == 302
        wp_id = by_email(wp_eval, addr)
        state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
        [m] = [m for m in state["organization_memberships"] if m["user"]["email"] == addr]
        r = requests.put(f"{emulator_url}/user_management/organization_memberships/{m['id']}/deactivate",
                         headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10)
        assert r.status_code == 200, r.text
        deadline = time.monotonic() + 15
        while user_row(wp_eval, wp_id)["deactivated"] == "" and time.monotonic() < deadline:
            time.sleep(0.3)
        assert user_row(wp_eval, wp_id)["deactivated"] == "organization_membership"
