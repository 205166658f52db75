"""Issue 13, multisite: the organization → site mapping (table `org_sites`, Network Admin → Settings →
WorkOS sites). A membership in a mapped organization — learnt from a webhook, at sign-in, or from the
directory — gives the mapped role on the mapped sites; when it ends, or the mapping goes, the access it
gave goes too. Someone a site's administrator added by hand keeps their role. Only a network
administrator may change the mapping.

Runs against the multisite network every test instance serves beside its single site
(scripts/stack.sh: MS_URL, /site2/ administered by "siteadmin", who is not a network admin)."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, start
from test_security_multisite import ms, ms_eval, signed_in  # noqa: F401  (fixtures)
from webhooks import deliver, directory, directory_user, envelope, uid

SITE2 = 2

ACCESS = """
    $u = get_userdata((int) $args[0]);
    $caps = get_user_meta($u->ID, $GLOBALS['wpdb']->get_blog_prefix((int) $args[1]) . 'capabilities', true);
    return is_array($caps) ? array_keys(array_filter($caps)) : [];
"""


@pytest.fixture
def org(ms):
    """A WorkOS organization in the emulator (its mappings go with clean_mapping)."""
    made = create_org(ms["EMULATOR_URL"], "Mapped " + uuid.uuid4().hex[:6])
    yield made["id"]


@pytest.fixture
def clean_mapping(ms_eval):
    """Every mapping and grant this test made goes afterwards."""
    yield
    ms_eval(
        """
        global $wpdb;
        $wpdb->query('DELETE FROM ' . WorkOS_WP\\Schema::table('org_sites'));
        return true;
        """
    )


@pytest.fixture
def person(ms_eval, ms):
    """A network user linked to a new WorkOS user, member of the main site only."""
    tag = uuid.uuid4().hex[:8]
    email = f"orgsite_{tag}@example.com"
    workos = create_workos_user(ms["EMULATOR_URL"], email)
    user_id = ms_eval(
        """
        $id = wp_insert_user(['user_login' => 'orgsite_' . $args[0], 'user_email' => $args[2],
            'user_pass' => wp_generate_password(), 'role' => 'subscriber']);
        if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }
        update_user_meta($id, '_workos_user_id', $args[1]);
        return $id;
        """,
        [tag, workos["id"], email],
    )
    yield {"id": user_id, "workos_id": workos["id"], "email": email}
    ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)


def mapping(ms_eval, org_id: str, blog: int, role: str) -> int:
    return ms_eval("return WorkOS_WP\\Network\\OrgSites::map($args[0], (int) $args[1], $args[2]);", [org_id, blog, role])


def roles_on(ms_eval, user_id: int, blog: int) -> list[str]:
    return ms_eval(ACCESS, [user_id, blog])


def membership(org_id: str, workos_id: str, status: str = "active", mid: str | None = None) -> dict:
    return {"object": "organization_membership", "id": mid or uid("om"), "user_id": workos_id,
            "organization_id": org_id, "status": status, "role": {"slug": "member"},
            "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}


def send(ms, kind: str, data: dict) -> None:
    r = deliver(ms["MS_URL"], ms["WEBHOOK_SECRET"], envelope(kind, data))
    assert r.status_code == 200, r.text[:300]


def test_a_membership_webhook_gives_the_mapped_role_and_its_end_takes_it_back(ms, ms_eval, org, person, clean_mapping):
    mapping(ms_eval, org, SITE2, "author")
    assert roles_on(ms_eval, person["id"], SITE2) == []

    m = membership(org, person["workos_id"])
    send(ms, "organization_membership.created", m)
    assert roles_on(ms_eval, person["id"], SITE2) == ["author"]
    assert roles_on(ms_eval, person["id"], 1) == ["subscriber"], "the main site is not touched"

    # Inactive: access goes; active again: it comes back.
    send(ms, "organization_membership.updated", dict(m, status="inactive"))
    assert roles_on(ms_eval, person["id"], SITE2) == []
    send(ms, "organization_membership.updated", dict(m, status="active"))
    assert roles_on(ms_eval, person["id"], SITE2) == ["author"]

    # The mapping's role changes: so does theirs.
    mapping(ms_eval, org, SITE2, "editor")
    assert roles_on(ms_eval, person["id"], SITE2) == ["editor"]

    send(ms, "organization_membership.deleted", m)
    assert roles_on(ms_eval, person["id"], SITE2) == []
    assert ms_eval("return get_user_meta((int) $args, '_workos_site_grants', true);", person["id"]) in ("", None, [])


def test_someone_a_site_admin_added_keeps_their_role(ms, ms_eval, org, person, clean_mapping):
    ms_eval("add_user_to_blog(2, (int) $args, 'editor'); return true;", person["id"])
    mapping(ms_eval, org, SITE2, "subscriber")
    m = membership(org, person["workos_id"])
    send(ms, "organization_membership.created", m)
    assert roles_on(ms_eval, person["id"], SITE2) == ["editor"]
    send(ms, "organization_membership.deleted", m)
    assert roles_on(ms_eval, person["id"], SITE2) == ["editor"], "a membership the mapping did not give stays"


def test_a_role_an_admin_changed_is_not_taken_back(ms, ms_eval, org, person, clean_mapping):
    mapping(ms_eval, org, SITE2, "author")
    m = membership(org, person["workos_id"])
    send(ms, "organization_membership.created", m)
    ms_eval("switch_to_blog(2); (new WP_User((int) $args))->set_role('editor'); restore_current_blog(); return true;", person["id"])
    send(ms, "organization_membership.deleted", m)
    assert roles_on(ms_eval, person["id"], SITE2) == ["editor"]


def test_mapping_and_unmapping_follow_the_members_on_record(ms, ms_eval, org, person, clean_mapping):
    send(ms, "organization_membership.created", membership(org, person["workos_id"]))
    assert roles_on(ms_eval, person["id"], SITE2) == []  # nothing mapped yet
    assert mapping(ms_eval, org, SITE2, "contributor") == 1
    assert roles_on(ms_eval, person["id"], SITE2) == ["contributor"]
    assert ms_eval("return WorkOS_WP\\Network\\OrgSites::unmap($args[0], 2);", [org]) == 1
    assert roles_on(ms_eval, person["id"], SITE2) == []


def test_an_other_organization_grants_nothing(ms, ms_eval, org, person, clean_mapping):
    mapping(ms_eval, org, SITE2, "author")
    other = create_org(ms["EMULATOR_URL"], "Unmapped " + uuid.uuid4().hex[:6])["id"]
    send(ms, "organization_membership.created", membership(other, person["workos_id"]))
    assert roles_on(ms_eval, person["id"], SITE2) == []


def test_signing_in_asks_workos_for_the_memberships(ms, ms_eval, org, clean_mapping, session_factory):
    """No webhook came: the sign-in itself finds the membership at WorkOS and gives the site."""
    email = f"signin_{uuid.uuid4().hex[:8]}@example.com"
    workos = create_workos_user(ms["EMULATOR_URL"], email)
    r = requests.post(ms["EMULATOR_URL"] + "/user_management/organization_memberships", timeout=30,
                      headers={"Authorization": "Bearer " + ms["API_KEY"]},
                      json={"user_id": workos["id"], "organization_id": org, "role_slug": "member"})
    assert r.status_code in (200, 201), r.text[:300]
    mapping(ms_eval, org, SITE2, "author")

    browser = session_factory(ms["MS_URL"])
    callback = authkit_sign_in(ms["EMULATOR_URL"], start(browser, ms["MS_URL"]), email, "Passw0rd!-e2e")
    done = browser.get(callback, allow_redirects=False)
    assert done.status_code == 302, done.text[:300]
    user_id = ms_eval("$u = get_user_by('email', $args); return $u ? $u->ID : null;", email)
    assert user_id, "the sign-in made the account"
    try:
        assert roles_on(ms_eval, user_id, SITE2) == ["author"]
        # Their session is good on site 2 now: its dashboard opens.
        dash = browser.get(ms["MS_SUBSITE_URL"] + "/wp-admin/", allow_redirects=False)
        assert dash.status_code == 200, dash.status_code

        # The membership ends at WorkOS and no event says so: the next sign-in finds out.
        requests.delete(ms["EMULATOR_URL"] + "/user_management/organization_memberships/" + r.json()["id"], timeout=30,
                        headers={"Authorization": "Bearer " + ms["API_KEY"]}).raise_for_status()
        again = session_factory(ms["MS_URL"])
        assert again.get(authkit_sign_in(ms["EMULATOR_URL"], start(again, ms["MS_URL"]), email, "Passw0rd!-e2e"),
                         allow_redirects=False).status_code == 302
        assert roles_on(ms_eval, user_id, SITE2) == []
    finally:
        ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)


def test_the_directory_gives_the_sites_of_its_organization(ms, ms_eval, org, clean_mapping):
    """Directory Sync provisions someone for the main site's organization: its mapped sites follow; the
    directory removing them takes them back."""
    saved = ms_eval("return get_blog_option(1, 'workos_settings', []);")
    try:
        ms_eval(
            """
            $s = get_blog_option(1, 'workos_settings', []);
            if (!is_array($s)) { $s = []; }
            $s['environments']['production']['organization_id'] = $args;
            $s['organization_id'] = $args;
            update_blog_option(1, 'workos_settings', $s);
            return true;
            """,
            org,
        )
        dir_id = requests.post(ms["EMULATOR_URL"] + "/__emulator/directories", json={"organization_id": org, "state": "active"},
                               timeout=30).json()["id"]
        send(ms, "dsync.activated", directory(dir_id, org))
        mapping(ms_eval, org, SITE2, "author")
        du = uid("directory_user")
        email = f"dir_{uuid.uuid4().hex[:8]}@example.com"
        send(ms, "dsync.user.created", directory_user(du, email, org, directory_id=dir_id))
        user_id = ms_eval("$u = get_user_by('email', $args); return $u ? $u->ID : null;", email)
        assert user_id, "the directory made the account"
        assert roles_on(ms_eval, user_id, SITE2) == ["author"]
        send(ms, "dsync.user.deleted", directory_user(du, email, org, directory_id=dir_id, state="inactive"))
        assert roles_on(ms_eval, user_id, SITE2) == []
        ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)
    finally:
        ms_eval("update_blog_option(1, 'workos_settings', $args); return true;", saved)


def test_only_a_network_admin_changes_the_mapping(ms, ms_eval, org, clean_mapping, session_factory):
    superadmin = signed_in(ms_eval, session_factory, ms["MS_URL"], ms["ADMIN_USER"])
    siteadmin = signed_in(ms_eval, session_factory, ms["MS_SUBSITE_URL"], ms["MS_SUBSITE_ADMIN"])
    page = superadmin.get("wp-admin/network/settings.php", params={"page": "workos-org-sites"})
    assert page.status_code == 200, page.text[:300]
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page.text).group(1)
    assert siteadmin.get(ms["MS_URL"] + "/wp-admin/network/settings.php", params={"page": "workos-org-sites"},
                         allow_redirects=False).status_code in (302, 403)
    body = {"op": "map", "organization_id": org, "blog_ids[]": ["2"], "role": "administrator"}
    for who, n in ((siteadmin, nonce), (siteadmin, "0"), (superadmin, "0")):
        r = who.post(ms["MS_URL"] + "/wp-admin/network/edit.php?action=workos_org_sites", data=dict(body, _wpnonce=n),
                     allow_redirects=False)
        assert r.status_code in (302, 403) and "workos_done=mapped" not in r.headers.get("Location", "")
    assert ms_eval("return WorkOS_WP\\Network\\OrgSites::all();") == []

    r = superadmin.post("wp-admin/network/edit.php?action=workos_org_sites", data=dict(body, _wpnonce=nonce),
                        allow_redirects=False)
    assert r.status_code == 302 and "workos_done=mapped" in r.headers["Location"], r.text[:300]
    assert ms_eval("return WorkOS_WP\\Network\\OrgSites::all();") == [{"organization_id": org, "blog_id": 2, "role": "administrator"}]
    # Nonsense is refused: an unknown role, a site that does not exist, not an organization id.
    for bad in ({"role": "emperor"}, {"blog_ids[]": ["999"]}, {"organization_id": "x' OR 1=1"}):
        r = superadmin.post("wp-admin/network/edit.php?action=workos_org_sites", data=dict(body, _wpnonce=nonce, **bad),
                            allow_redirects=False)
        assert "workos_done=invalid" in r.headers["Location"], bad
    assert len(ms_eval("return WorkOS_WP\\Network\\OrgSites::all();")) == 1


def test_each_site_has_its_own_sign_in(ms, ms_eval, session_factory):
    """Per-site sign-in options: a site's administrator picks the login mode of their site (stored in that
    site's option, the main site keeps its own), and Login Profiles belong to the site they were made on."""
    saved = ms_eval("return [get_blog_option(1, 'workos_settings', []), get_blog_option(2, 'workos_settings', [])];")
    siteadmin = signed_in(ms_eval, session_factory, ms["MS_SUBSITE_URL"], ms["MS_SUBSITE_ADMIN"])
    slug = "site-two-" + uuid.uuid4().hex[:6]
    try:
        page = siteadmin.get("wp-admin/options-general.php", params={"page": "workos"})
        assert page.status_code == 200 and "workos_settings[login_mode]" in page.text
        nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page.text).group(1)
        r = siteadmin.post("wp-admin/options.php", allow_redirects=False,
                           data={"option_page": "workos", "action": "update", "_wpnonce": nonce,
                                 "_wp_http_referer": "/site2/wp-admin/options-general.php?page=workos",
                                 "workos_settings[_form]": "settings", "workos_settings[login_mode]": "custom"})
        assert r.status_code == 302, r.text[:300]
        modes = ms_eval("""
            $out = [];
            foreach ([1, 2] as $b) { switch_to_blog($b); $out[] = WorkOS_WP\\Settings::get('login_mode'); restore_current_blog(); }
            return $out;
        """)
        assert modes == ["redirect", "custom"]

        main = session_factory(ms["MS_URL"]).get(ms["MS_URL"] + "/wp-login.php", allow_redirects=False)
        assert main.status_code == 302 and ms["EMULATOR_URL"] in main.headers["Location"]
        two = session_factory(ms["MS_SUBSITE_URL"]).get(ms["MS_SUBSITE_URL"] + "/wp-login.php", allow_redirects=False)
        assert two.status_code == 200 and "workos-authkit-root" in two.text, two.status_code

        # A profile made on site 2 is served there only.
        ms_eval("""
            switch_to_blog(2);
            $p = WorkOS_WP\\Profiles\\ProfileRepository::save(['slug' => $args, 'title' => 'Site two']);
            restore_current_blog();
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
            return true;
        """, slug)
        assert "workos-authkit-root" in requests.get(f"{ms['MS_SUBSITE_URL']}/workos/login/{slug}/", timeout=30).text
        assert requests.get(f"{ms['MS_URL']}/workos/login/{slug}/", timeout=30, allow_redirects=False).status_code == 404
    finally:
        ms_eval("""
            switch_to_blog(2);
            $p = WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args[2]);
            if ($p) { WorkOS_WP\\Profiles\\ProfileRepository::delete($p->get_id()); }
            restore_current_blog();
            update_blog_option(1, 'workos_settings', $args[0]); update_blog_option(2, 'workos_settings', $args[1]);
            return true;
        """, saved + [slug])


def test_a_role_the_site_lacks_is_not_given(ms, ms_eval, org, person, clean_mapping):
    """Sites may have different roles: a mapping naming one site 2 does not know grants nothing there."""
    ms_eval("add_role('h5_main_only', 'Main only', ['read' => true]); return true;")
    try:
        mapping(ms_eval, org, SITE2, "h5_main_only")
        send(ms, "organization_membership.created", membership(org, person["workos_id"]))
        assert roles_on(ms_eval, person["id"], SITE2) == []
    finally:
        ms_eval("remove_role('h5_main_only'); return true;")


def test_a_deleted_site_loses_its_mappings(ms_eval, org, clean_mapping):
    blog = ms_eval("""
        $id = wp_insert_site(['domain' => wp_parse_url(network_home_url(), PHP_URL_HOST) . ':' . wp_parse_url(network_home_url(), PHP_URL_PORT),
                              'path' => '/h5gone' . wp_rand() . '/', 'title' => 'Gone']);
        if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }
        return $id;
    """)
    mapping(ms_eval, org, blog, "author")
    assert [m["blog_id"] for m in ms_eval("return WorkOS_WP\\Network\\OrgSites::all();")] == [blog]
    ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wp_delete_site((int) $args); return true;", blog)
    assert ms_eval("return WorkOS_WP\\Network\\OrgSites::all();") == []
