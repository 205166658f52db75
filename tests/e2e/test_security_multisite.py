"""Issue 8, finding 3: in a multisite network users and usermeta are shared by every site, so what can
change them — the credentials and where they are sent, the webhook secret, deprovisioning — and the
activity log with its IPs belong to the network admin. A site's administrator can neither set them
(options.php, the network form) nor sign webhook events that change a network user, nor read other
sites' activity.

Runs against the multisite network every test instance serves beside its single site
(scripts/stack.sh: MS_URL, /site2/ administered by "siteadmin", who is not a network admin)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import uuid

import pytest

from webhooks import deliver, envelope, uid, workos_user

EVAL = pathlib.Path(__file__).resolve().parents[1] / "wp" / "eval.php"

ATTACKER_SECRET = "whsec_chosen_by_the_site_admin"


@pytest.fixture(scope="module")
def ms(env) -> dict[str, str]:
    """The network's variables: eval.php runs inside it with these."""
    if not env.get("MS_URL"):
        pytest.skip("this instance serves no multisite network")
    return dict(env, INSTANCE=env["MS_INSTANCE"], WP_URL=env["MS_URL"])


@pytest.fixture(scope="module")
def ms_eval(ms):
    """Like wp_eval, inside the network (its main site; switch_to_blog() for the others)."""

    def _eval(code: str, args=None):
        proc = subprocess.run(
            [ms["PHP_BIN"], "-d", "extension=" + ms["EXTENSION_PATH"], str(EVAL)], input=code, capture_output=True,
            text=True, timeout=120, check=False,
            env=dict(os.environ, WORKOS_STACK_INSTANCE=ms["INSTANCE"], WP_URL=ms["WP_URL"], WP_EVAL_ARGS=json.dumps(args)),
        )
        assert proc.returncode == 0, f"eval in the network failed:\n{proc.stderr.strip()}\n--- code ---\n{code}"
        return json.loads(proc.stdout.strip())

    return _eval


def signed_in(ms_eval, session_factory, base_url: str, login: str):
    """A browser session of `login` on the network (cookies minted inside WordPress)."""
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
    return s


@pytest.fixture
def siteadmin(ms_eval, ms, session_factory):
    return signed_in(ms_eval, session_factory, ms["MS_SUBSITE_URL"], ms["MS_SUBSITE_ADMIN"])


@pytest.fixture
def superadmin(ms_eval, ms, session_factory):
    return signed_in(ms_eval, session_factory, ms["MS_URL"], ms["ADMIN_USER"])


EFFECTIVE = """
    switch_to_blog((int) $args);
    $s = 'WorkOS_WP\\\\Settings';
    $out = [];
    foreach (['api_key', 'client_id', 'webhook_secret', 'api_base_url', 'deprovision_action', 'trusted_proxies'] as $k) {
        $out[$k] = 'trusted_proxies' === $k ? $s::items($k) : $s::get($k);
    }
    restore_current_blog();
    return $out;
"""


@pytest.fixture
def network_settings(ms_eval):
    """The network's and site 2's stored options, put back after the test."""
    saved = ms_eval("return [get_site_option('workos_settings', []), get_blog_option(2, 'workos_settings', [])];")
    yield saved
    ms_eval("update_site_option('workos_settings', $args[0]); update_blog_option(2, 'workos_settings', $args[1]); return true;", saved)


@pytest.fixture
def network_user(ms_eval):
    """A network user linked to a WorkOS user (member of the main site only)."""
    tag = uuid.uuid4().hex[:8]
    workos_id = uid("user")
    user_id = ms_eval(
        """
        $id = wp_insert_user(['user_login' => 'net_' . $args[0], 'user_email' => 'net_' . $args[0] . '@example.com',
            'user_pass' => wp_generate_password(), 'first_name' => 'Nora', 'role' => 'editor']);
        if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }
        update_user_meta($id, '_workos_user_id', $args[1]);
        return $id;
        """,
        [tag, workos_id],
    )
    yield {"id": user_id, "workos_id": workos_id, "email": f"net_{tag}@example.com"}
    ms_eval("require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_user((int) $args); return true;", user_id)


def options_nonce(session, tab: str = "settings") -> str:
    page = session.get("wp-admin/options-general.php", params={"page": "workos", "tab": tab})
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="_wpnonce" value="([^"]+)"', page.text).group(1)


def test_a_site_admin_cannot_set_network_settings_nor_sign_events_for_network_users(
    siteadmin, ms, ms_eval, network_settings, network_user
):
    network = {"api_key": ms["API_KEY"], "client_id": ms["CLIENT_ID"], "webhook_secret": ms["WEBHOOK_SECRET"],
               "api_base_url": ms["API_BASE_URL"], "deprovision_action": "deactivate", "trusted_proxies": []}
    evil = "http://127.0.0.1:9/steal"
    fields = {
        "webhook_secret": ATTACKER_SECRET,
        "api_key": "sk_test_chosen_by_the_site_admin",
        "client_id": "client_chosen_by_the_site_admin",
        "api_base_url": evil,
        "deprovision_action": "delete",
        "trusted_proxies": "0.0.0.0/0",
    }
    data = {"option_page": "workos", "action": "update", "_wpnonce": options_nonce(siteadmin),
            "_wp_http_referer": "/site2/wp-admin/options-general.php?page=workos", "workos_settings[_form]": "settings"}
    for key, value in fields.items():
        data[f"workos_settings[{key}]"] = value
        data[f"workos_settings[environments][production][{key}]"] = value
    r = siteadmin.post("wp-admin/options.php", data=data, allow_redirects=False)
    assert r.status_code == 302, r.text[:300]

    # An event signed with the secret they chose changes no network user, whichever site receives it.
    event = envelope("user.updated", workos_user(network_user["workos_id"], network_user["email"], first="Pwned"))
    for url in (ms["MS_SUBSITE_URL"], ms["MS_URL"]):
        assert deliver(url, ATTACKER_SECRET, event).status_code == 401
    deleted = envelope("user.deleted", workos_user(network_user["workos_id"], network_user["email"]))
    assert deliver(ms["MS_SUBSITE_URL"], ATTACKER_SECRET, deleted).status_code == 401
    user = ms_eval("$u = get_userdata((int) $args); return $u ? [$u->first_name, (bool) get_user_meta($u->ID, '_workos_deactivated', true)] : null;",
                   network_user["id"])
    assert user == ["Nora", False]

    # Nothing the site admin posted is in effect on their site (the network's values are), nor stored.
    assert ms_eval(EFFECTIVE, 2) == network
    stored = ms_eval("return get_blog_option(2, 'workos_settings', []);")
    assert ATTACKER_SECRET not in str(stored) and evil not in str(stored)

    # The network's own secret still works on the site's endpoint (the network admin's choice).
    ok = deliver(ms["MS_SUBSITE_URL"], ms["WEBHOOK_SECRET"],
                 envelope("user.updated", workos_user(network_user["workos_id"], network_user["email"], first="Genuine")))
    assert ok.status_code == 200, ok.text[:300]
    assert ms_eval("return get_userdata((int) $args)->first_name;", network_user["id"]) == "Genuine"


def test_a_site_admin_screen_holds_no_network_setting(siteadmin):
    html = siteadmin.get("wp-admin/options-general.php", params={"page": "workos"}).text
    assert "workos-network-note" in html
    for key in ("api_key", "webhook_secret", "api_base_url", "client_id", "trusted_proxies"):
        assert f"[{key}]" not in html, key
    users = siteadmin.get("wp-admin/options-general.php", params={"page": "workos", "tab": "users"}).text
    assert "[role_map]" in users  # roles are per site
    assert "[deprovision_action]" not in users


def test_the_network_form_refuses_a_site_admin(siteadmin, superadmin, ms, ms_eval, network_settings):
    # The network admin's form, with its nonce: the site admin replays it.
    page = superadmin.get("wp-admin/network/settings.php", params={"page": "workos"})
    assert page.status_code == 200 and 'action="' + ms["MS_URL"] + '/wp-admin/network/edit.php?action=workos"' in page.text
    assert "workos_settings[environments][production][webhook_secret]" in page.text
    assert ms["WEBHOOK_SECRET"] not in page.text  # masked there too
    own_nonce = options_nonce(siteadmin)
    for nonce in (own_nonce, "0"):
        r = siteadmin.post(ms["MS_URL"] + "/wp-admin/network/edit.php?action=workos", allow_redirects=False,
                           data={"_wpnonce": nonce, "workos_settings[environments][production][webhook_secret]": ATTACKER_SECRET,
                                 "workos_settings[deprovision_action]": "delete"})
        assert r.status_code in (302, 403) and "settings-updated" not in r.headers.get("Location", "")
    assert ms_eval(EFFECTIVE, 2)["webhook_secret"] == ms["WEBHOOK_SECRET"]
    assert ms_eval(EFFECTIVE, 1)["deprovision_action"] == "deactivate"
    assert siteadmin.get(ms["MS_URL"] + "/wp-admin/network/settings.php", params={"page": "workos"}).status_code in (302, 403)

    # The network admin saves them; every site uses them.
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page.text).group(1)
    r = superadmin.post("wp-admin/network/edit.php?action=workos", allow_redirects=False,
                        data={"_wpnonce": nonce, "workos_settings[_form]": "network",
                              "workos_settings[deprovision_action]": "demote",
                              "workos_settings[environments][production][webhook_secret]": "whsec_rotated_by_network_admin"})
    assert r.status_code == 302 and "settings-updated=true" in r.headers["Location"], r.text[:300]
    for blog in (1, 2):
        eff = ms_eval(EFFECTIVE, blog)
        assert (eff["webhook_secret"], eff["deprovision_action"]) == ("whsec_rotated_by_network_admin", "demote")
        assert eff["api_key"] == ms["API_KEY"]  # a blank secret keeps the stored one


def test_a_site_admin_reads_only_its_own_sites_activity(siteadmin, superadmin, ms_eval):
    tag = uuid.uuid4().hex[:10]
    ms_eval(
        """
        switch_to_blog(1); WorkOS_WP\\Log::event('ms_probe', ['marker' => 'main_' . $args]); restore_current_blog();
        switch_to_blog(2); WorkOS_WP\\Log::event('ms_probe', ['marker' => 'site2_' . $args]); restore_current_blog();
        return true;
        """,
        tag,
    )
    own = siteadmin.get("wp-admin/tools.php", params={"page": "workos-activity", "type": "ms_probe"})
    assert own.status_code == 200
    assert "site2_" + tag in own.text and "main_" + tag not in own.text
    # Asking for another site's rows changes nothing.
    for extra in ({"site": "1"}, {"blog_id": "1"}, {"blog": "1"}):
        assert "main_" + tag not in siteadmin.get("wp-admin/tools.php", params={"page": "workos-activity", **extra}).text
    # Neither the main site's viewer nor the network's is open to them.
    assert "main_" + tag not in siteadmin.get(superadmin.base_url + "wp-admin/tools.php", params={"page": "workos-activity"}).text
    assert "main_" + tag not in siteadmin.get(superadmin.base_url + "wp-admin/network/settings.php", params={"page": "workos-activity"}).text

    # The network admin sees every site's rows, and which site each came from.
    every = superadmin.get("wp-admin/network/settings.php", params={"page": "workos-activity", "type": "ms_probe"})
    assert every.status_code == 200
    assert "main_" + tag in every.text and "site2_" + tag in every.text
    only2 = superadmin.get("wp-admin/network/settings.php", params={"page": "workos-activity", "type": "ms_probe", "site": "2"}).text
    assert "site2_" + tag in only2 and "main_" + tag not in only2
