"""The setup wizard of a multisite network (Network Admin → Settings → WorkOS setup, Admin\\Onboarding and
Admin\\OnboardingRest under /wp-json/workos/v1/admin/onboarding/network…, on the main site only).

- a network administrator's wizard saves the credentials (tested live) and the webhook secret as network options:
  every site of the network signs in with them;
- the organization and the role map are per-site settings: the network's wizard saves them for the main site only;
- the sync pushes the network's users, also those of a site the main site does not have;
- where it stands is a network option (resumable, not a site's option); its notice and menu item stay until it is
  finished or dismissed, the screen stays reachable;
- a site's administrator can write no network setting: the network routes answer 403 (404 on their own site, where
  they do not exist), and the site's own routes refuse every network setting (403);
- a site of the network shows no wizard; one who may manage a network that is not connected yet is pointed to the
  network's.

Runs against the multisite network every test instance serves beside its single site (scripts/stack.sh: MS_URL,
/site2/ administered by "siteadmin", who is not a network admin)."""

from __future__ import annotations

import html
import re
import uuid

import pytest

from authkit import create_org
from test_security_multisite import ms, ms_eval  # noqa: F401  (fixtures)

NET = "wp-json/workos/v1/admin/onboarding/network"
SITE = "wp-json/workos/v1/admin/onboarding"

SITE2 = 2


def signed_in(ms_eval, session_factory, base_url: str, login: str):
    """A browser-like session of `login` on the network (cookies minted inside WordPress) with its REST nonce."""
    cookies = ms_eval(
        """
        $u = get_user_by('login', $args);
        $exp = time() + 3600;
        return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
        """,
        login,
    )
    s = session_factory(base_url)
    for name, value in cookies:
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    r = s.get("wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
    assert r.status_code == 200 and re.fullmatch(r"[0-9a-f]{10}", r.text), r.text[:200]
    s.headers["X-WP-Nonce"] = r.text
    return s


@pytest.fixture
def kept(ms_eval):
    """The network's and both sites' settings and wizard states, put back after the test; the wizards never started."""
    saved = ms_eval(
        """
        return [get_site_option('workos_settings', []), get_blog_option(1, 'workos_settings', []),
                get_blog_option(2, 'workos_settings', [])];
        """
    )
    forget = """
        delete_site_option('workos_onboarding');
        delete_blog_option(1, 'workos_onboarding');
        delete_blog_option(2, 'workos_onboarding');
        return true;
    """
    ms_eval(forget)
    yield saved
    ms_eval(
        """
        update_site_option('workos_settings', $args[0]);
        update_blog_option(1, 'workos_settings', $args[1]);
        update_blog_option(2, 'workos_settings', $args[2]);
        return true;
        """,
        saved,
    )
    ms_eval(forget)


@pytest.fixture
def unconfigured(kept, ms_eval):
    """The network has no credentials yet (put back afterwards by `kept`)."""
    ms_eval("update_site_option('workos_settings', []); return true;")


@pytest.fixture
def superadmin(kept, ms_eval, ms, session_factory):
    return signed_in(ms_eval, session_factory, ms["MS_URL"], ms["ADMIN_USER"])


@pytest.fixture
def siteadmin(kept, ms_eval, ms, session_factory):
    return signed_in(ms_eval, session_factory, ms["MS_SUBSITE_URL"], ms["MS_SUBSITE_ADMIN"])


@pytest.fixture
def mainadmin(kept, ms_eval, ms, session_factory):
    """The main site's administrator (manage_options there), who is not a network administrator."""
    login = "mainadmin_" + uuid.uuid4().hex[:6]
    user_id = ms_eval(
        """
        $id = wpmu_create_user($args, wp_generate_password(), $args . '@example.com');
        add_user_to_blog(1, $id, 'administrator');
        return $id;
        """,
        login,
    )
    assert not ms_eval("return is_super_admin((int) $args);", user_id)
    yield signed_in(ms_eval, session_factory, ms["MS_URL"], login)
    ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)


def network_option(ms_eval, name: str = "workos_settings"):
    return ms_eval("return get_site_option($args, 'none');", name)


def on_site(ms_eval, blog: int, code: str):
    return ms_eval("switch_to_blog((int) $args); $r = (function () { " + code + " })(); restore_current_blog(); return $r;",
                   blog)


def test_the_network_admin_saves_the_credentials_for_every_site(unconfigured, superadmin, ms, ms_eval):
    assert on_site(ms_eval, SITE2, "return WorkOS_WP\\Settings::get('api_key');") == ""
    r = superadmin.get(NET)
    assert r.status_code == 200, r.text[:300]
    config = r.json()
    assert config["network"] is True and config["state"]["step"] == "credentials"
    assert config["restPath"] == "/workos/v1/admin/onboarding/network"
    # On the network's wizard the network's settings are not "set by the network administrator".
    assert config["locked"]["api_key"] is False and config["locked"]["webhook_secret"] is False

    # A key WorkOS refuses: nothing saved anywhere.
    r = superadmin.post(NET + "/credentials", json={"api_key": "sk_test_wrong_" + uuid.uuid4().hex,
                                                     "client_id": ms["CLIENT_ID"], "api_base_url": ms["API_BASE_URL"]})
    assert r.status_code == 200 and r.json()["saved"] is False, r.text[:500]
    assert network_option(ms_eval) == []

    r = superadmin.post(NET + "/credentials", json={"api_key": ms["API_KEY"], "client_id": ms["CLIENT_ID"],
                                                     "api_base_url": ms["API_BASE_URL"]})
    body = r.json()
    assert r.status_code == 200 and body["saved"] is True, r.text[:800]
    assert ms["API_KEY"] not in r.text
    prod = network_option(ms_eval)["environments"]["production"]
    assert prod["api_key"] == ms["API_KEY"] and prod["client_id"] == ms["CLIENT_ID"]
    # Network options, not the main site's: every site of the network signs in with them.
    assert "api_key" not in str(ms_eval("return get_blog_option(1, 'workos_settings', []);"))
    assert on_site(ms_eval, SITE2, "return [WorkOS_WP\\Settings::get('api_key'), WorkOS_WP\\Settings::get('client_id')];") \
        == [ms["API_KEY"], ms["CLIENT_ID"]]

    # Where the wizard stands is the network's (a site option on the network), on to the next step.
    assert body["config"]["state"]["step"] == "organization" and "credentials" in body["config"]["state"]["done"]
    assert network_option(ms_eval, "workos_onboarding")["step"] == "organization"
    assert ms_eval("return [get_blog_option(1, 'workos_onboarding', 'none'), get_blog_option(2, 'workos_onboarding', 'none')];") \
        == ["none", "none"]

    # The webhook secret too.
    secret = "whsec_network_" + "y" * 20
    r = superadmin.post(NET + "/webhook", json={"secret": secret})
    assert r.status_code == 200 and secret not in r.text, r.text[:300]
    assert network_option(ms_eval)["environments"]["production"]["webhook_secret"] == secret
    assert on_site(ms_eval, SITE2, "return WorkOS_WP\\Settings::get('webhook_secret');") == secret


def test_a_site_admin_cannot_write_network_settings_through_the_wizard(siteadmin, mainadmin, superadmin, ms, ms_eval):
    before = network_option(ms_eval)
    attempts = (
        ("GET", NET, None),
        ("POST", NET, {"step": "roles"}),
        ("POST", NET + "/credentials", {"api_key": "sk_test_chosen_by_the_site_admin", "client_id": "client_x",
                                         "api_base_url": "http://127.0.0.1:9/steal"}),
        ("POST", NET + "/webhook", {"secret": "whsec_chosen_by_the_site_admin"}),
        ("POST", NET + "/roles", {"role_map": [{"from": "member", "to": "administrator"}]}),
        ("POST", NET + "/sync", {}),
    )
    # On the main site's API, where the network's routes are: not a network administrator, 403 — also for the
    # main site's own administrator, who may run that site's wizard.
    assert mainadmin.get(SITE).status_code == 200
    for who in (siteadmin, mainadmin):
        for method, path, body in attempts:
            r = who.request(method, ms["MS_URL"] + "/" + path, json=body)
            assert r.status_code == 403, (method, path, r.status_code, r.text[:300])
            # The same routes spelt in capitals reach the same handlers and the same check.
            r = who.request(method, ms["MS_URL"] + "/" + path.replace("/network", "/NETWORK"), json=body)
            assert r.status_code == 403, (method, path, r.status_code, r.text[:300])
    # On their own site the network's routes do not exist.
    assert siteadmin.post(NET + "/credentials", json={"api_key": "sk_test_x"}).status_code == 404

    # Their site's own wizard refuses every network setting.
    r = siteadmin.post(SITE + "/credentials", json={"api_key": "sk_test_chosen_by_the_site_admin",
                                                     "client_id": "client_x", "api_base_url": "http://127.0.0.1:9/"})
    assert r.status_code == 403 and r.json()["code"] == "workos_network_setting", r.text[:300]
    r = siteadmin.post(SITE + "/webhook", json={"secret": "whsec_chosen_by_the_site_admin"})
    assert r.status_code == 403 and r.json()["code"] == "workos_network_setting", r.text[:300]

    assert network_option(ms_eval) == before
    assert network_option(ms_eval, "workos_onboarding") == "none"
    assert "chosen_by_the_site_admin" not in str(ms_eval("return get_blog_option(2, 'workos_settings', []);"))
    # The network administrator may (the same request is not refused for everyone).
    assert superadmin.get(NET).status_code == 200


def test_organization_and_roles_are_saved_for_the_main_site(superadmin, ms, ms_eval):
    org = create_org(ms["EMULATOR_URL"], "Network onboarding " + uuid.uuid4().hex[:6])
    site2_before = ms_eval("return get_blog_option(2, 'workos_settings', []);")
    r = superadmin.post(NET + "/organization", json={"organization_id": org["id"]})
    assert r.status_code == 200, r.text[:300]
    assert on_site(ms_eval, 1, "return WorkOS_WP\\Settings::get('organization_id');") == org["id"]
    assert r.json()["config"]["organizationId"] == org["id"]
    assert r.json()["config"]["mainSiteName"]

    r = superadmin.post(NET + "/roles", json={"role_map": [{"from": "admin", "to": "administrator"},
                                                            {"from": "member", "to": "author"}],
                                              "default_role": "subscriber"})
    assert r.status_code == 200, r.text[:300]
    assert on_site(ms_eval, 1, "return WorkOS_WP\\Settings::map('role_map');") == {"admin": "administrator",
                                                                                   "member": "author"}
    # Per-site settings: the other sites keep theirs, and nothing went to the network's option.
    assert ms_eval("return get_blog_option(2, 'workos_settings', []);") == site2_before
    assert "role_map" not in network_option(ms_eval) and "organization_id" not in str(network_option(ms_eval))
    assert network_option(ms_eval, "workos_onboarding")["done"] == ["organization", "roles"]


def test_the_sync_pushes_the_users_of_every_site(superadmin, ms_eval):
    tag = uuid.uuid4().hex[:8]
    # A user of site 2 only: the main site does not list them.
    user_id = ms_eval(
        """
        $id = wpmu_create_user('netsync_' . $args, wp_generate_password(), 'netsync_' . $args . '@example.com');
        add_user_to_blog(2, $id, 'subscriber');
        remove_user_from_blog($id, 1);
        return $id;
        """,
        tag,
    )
    try:
        assert not ms_eval("return is_user_member_of_blog((int) $args, 1);", user_id)
        counts = superadmin.get(NET + "/sync", params={"role": "no_such_role"})
        assert counts.status_code == 200, "the network's sync has no role filter"
        assert counts.json()["unlinked"] >= 1
        offset, batches = 0, 0
        while True:
            r = superadmin.post(NET + "/sync", json={"offset": offset})
            assert r.status_code == 200, r.text[:500]
            body = r.json()
            offset, batches = body["offset"], batches + 1
            if body["done"]:
                break
            assert batches < 30
        assert ms_eval("return get_user_meta((int) $args, '_workos_user_id', true);", user_id).startswith("user_")
        assert "sync" in network_option(ms_eval, "workos_onboarding")["done"]
    finally:
        ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)


def test_the_network_wizard_is_resumable_and_dismissible(unconfigured, superadmin, siteadmin, ms_eval):
    page = superadmin.get("wp-admin/network/index.php").text
    assert "workos-notice-onboarding" in page and "Start setup" in page
    assert "settings.php?page=workos-setup" in page, "Settings → WorkOS setup is in the network's menu"

    r = superadmin.post(NET, json={"step": "webhook"})
    assert r.status_code == 200 and r.json()["state"]["step"] == "webhook"
    assert superadmin.post(NET, json={"step": "elsewhere"}).status_code == 400
    # Resumed from the network's option; no site got one (so none autoloads it).
    assert superadmin.get(NET).json()["state"]["step"] == "webhook"
    assert ms_eval("return [get_blog_option(1, 'workos_onboarding', 'none'), get_blog_option(2, 'workos_onboarding', 'none')];") \
        == ["none", "none"]
    screen = superadmin.get("wp-admin/network/settings.php", params={"page": "workos-setup"})
    assert screen.status_code == 200 and 'id="workos-onboarding-root"' in screen.text
    assert '"restPath":"\\/workos\\/v1\\/admin\\/onboarding\\/network"' in screen.text
    assert "Continue setup" in superadmin.get("wp-admin/network/index.php").text

    # A site of the network has no wizard of its own, and its administrator is not told about the network's.
    site = siteadmin.get("wp-admin/index.php").text
    assert "workos-setup" not in site and "workos-notice-onboarding" not in site
    assert siteadmin.get("wp-admin/admin.php", params={"page": "workos-setup"}).status_code == 403
    # One who may manage the network is pointed to the network's wizard from any site.
    on_site2 = superadmin.get(superadmin.base_url + "site2/wp-admin/index.php").text
    notice = re.search(r'<div class="notice notice-info workos-notice-onboarding">.*?</div>', on_site2, re.S)
    assert notice and "Set up the network" in notice.group(0), on_site2[:300]
    assert "/wp-admin/network/settings.php?page=workos-setup" in html.unescape(notice.group(0))

    # Its Dismiss link (nonce, network admin only) ends the offers everywhere.
    link = html.unescape(re.search(r'href="([^"]*action=workos_network_onboarding_dismiss[^"]*)"', notice.group(0)).group(1))
    bad = superadmin.get(re.sub(r"_wpnonce=[^&]+", "_wpnonce=0000000000", link), allow_redirects=False)
    assert bad.status_code in (403, 200) and not network_option(ms_eval, "workos_onboarding").get("dismissed")
    assert siteadmin.get(link, allow_redirects=False).status_code == 403
    ok = superadmin.get(link, allow_redirects=False)
    assert ok.status_code == 302, ok.status_code
    assert network_option(ms_eval, "workos_onboarding")["dismissed"] is True
    page = superadmin.get("wp-admin/network/index.php").text
    assert "workos-notice-onboarding" not in page and "page=workos-setup" not in page
    assert "workos-notice-onboarding" not in superadmin.get(superadmin.base_url + "site2/wp-admin/index.php").text
    # Out of the menu, the screen stays reachable by its address.
    again = superadmin.get("wp-admin/network/admin.php", params={"page": "workos-setup"})
    assert again.status_code == 200 and 'id="workos-onboarding-root"' in again.text


def test_a_connected_network_points_no_one_to_its_wizard(superadmin, ms_eval):
    # The test network has working credentials: no notice on a site, nor in the Network Admin (the menu has Setup).
    assert "workos-notice-onboarding" not in superadmin.get(superadmin.base_url + "site2/wp-admin/index.php").text
    page = superadmin.get("wp-admin/network/index.php").text
    assert "workos-notice-onboarding" not in page and "settings.php?page=workos-setup" in page
