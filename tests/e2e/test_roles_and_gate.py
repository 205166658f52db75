"""After WorkOS says yes: the role map (item 6) and the entitlement gate (item 7)."""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, emulator_requests, logged_in_cookie, start
from test_headless import PASSWORD, login_error, post_login, unique_email


def roles_of(wp_eval, email):
    return wp_eval("$u = get_user_by('email', $args); return $u ? array_values($u->roles) : null;", email)


def redirect_sign_in(session, wp_url, emulator_url, email):
    flow = start(session, wp_url)
    return session.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)


class TestRoleMap:
    @pytest.fixture
    def org(self, wp_settings, emulator_url):
        org = create_org(emulator_url, "Roles " + uuid.uuid4().hex[:6])
        wp_settings(organization_id=org["id"], role_map={"admin": "editor", "member": "author"},
                    default_role="contributor")
        return org

    def test_new_user_gets_the_mapped_role_of_the_pinned_org(self, org, session_factory, wp_url, emulator_url, wp_eval):
        email = unique_email("mapped")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "admin"}])
        r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
        assert r.status_code == 302, r.text[:800]
        assert roles_of(wp_eval, email) == ["editor"]

    def test_existing_user_role_follows_workos_at_each_sign_in(self, org, session_factory, wp_url, emulator_url,
                                                                wp_eval, wp_user):
        email = unique_email("follow")
        workos = create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": org["id"], "role_slug": "member"}])
        wp_user("follow" + uuid.uuid4().hex[:6], email, "x-Passw0rd-9", role="subscriber", workos_id=workos["id"])
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).status_code == 302
        assert roles_of(wp_eval, email) == ["author"]

    def test_roles_from_another_organization_do_not_apply(self, org, session_factory, wp_url, emulator_url, wp_eval,
                                                          wp_settings):
        other = create_org(emulator_url, "Other " + uuid.uuid4().hex[:6])
        wp_settings(login_mode="headless", allow_password_fallback=False)
        email = unique_email("otherorg")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": other["id"], "role_slug": "admin"}])
        assert post_login(session_factory(wp_url), wp_url, email, PASSWORD).status_code == 302
        assert roles_of(wp_eval, email) == ["contributor"]  # the default, not "editor"


class TestGate:
    @pytest.fixture
    def gate(self, wp_settings, emulator_url):
        org = create_org(emulator_url, "Gate " + uuid.uuid4().hex[:6])
        wp_settings(login_mode="headless", allow_password_fallback=False, organization_id=org["id"], entitlement_gate=True)
        return org

    def test_active_member_gets_in(self, gate, session_factory, wp_url, emulator_url):
        email = unique_email("member")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": gate["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        assert post_login(s, wp_url, email, PASSWORD).status_code == 302
        assert logged_in_cookie(s)

    def test_non_member_is_refused_with_a_clear_message(self, gate, session_factory, wp_url, emulator_url, wp_eval):
        email = unique_email("outsider")
        user = create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        assert "Only members of this site's organization" in login_error(post_login(s, wp_url, email, PASSWORD))
        assert not logged_in_cookie(s)
        [call] = [c for c in emulator_requests(emulator_url, "/user_management/organization_memberships", "GET")
                  if c["query"].get("user_id") == user["id"]]
        assert call["query"]["organization_id"] == gate["id"]

    def test_inactive_membership_is_refused(self, gate, session_factory, wp_url, emulator_url, env):
        email = unique_email("inactive")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[{"organization_id": gate["id"], "role_slug": "member"}])
        state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
        [m] = [m for m in state["organization_memberships"] if m["user"]["email"] == email]
        r = requests.put(f"{emulator_url}/user_management/organization_memberships/{m['id']}/deactivate",
                         headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10)
        assert r.status_code == 200, r.text
        s = session_factory(wp_url)
        assert not post_login(s, wp_url, email, PASSWORD).status_code == 302
        assert not logged_in_cookie(s)

    @pytest.mark.parametrize("fail_open", [False, True])
    def test_unreachable_workos_fails_closed_unless_opened(self, gate, wp_settings, fail_open, session_factory, wp_url,
                                                           emulator_url):
        wp_settings(gate_fail_open=fail_open)
        email = unique_email("gatedown")
        create_workos_user(emulator_url, email, PASSWORD)
        requests.post(emulator_url + "/__emulator/faults", timeout=10, json={
            "method": "GET", "path": "/user_management/organization_memberships", "status": 503, "times": 0})
        try:
            s = session_factory(wp_url)
            r = post_login(s, wp_url, email, PASSWORD)
            if fail_open:
                assert r.status_code == 302 and logged_in_cookie(s)
            else:
                assert "could not be checked" in login_error(r)
                assert not logged_in_cookie(s)
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)
