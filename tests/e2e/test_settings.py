"""Settings: constants win over the database, secrets are masked wherever they are shown."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def admin(wp_url, session_factory, admin_credentials, wp_eval):
    """A browser session signed in as the admin (cookies minted inside WordPress)."""
    cookies = wp_eval(
        """
        $u = get_user_by('login', $args);
        $exp = time() + 3600;
        return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
        """,
        admin_credentials[0],
    )
    s = session_factory(wp_url)
    for name, value in cookies:
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    return s


def test_settings_page_never_shows_secrets(admin, env):
    page = admin.get("/wp-admin/options-general.php?page=workos")
    assert page.status_code == 200
    html = page.text
    assert env["CLIENT_ID"] in html
    assert env["API_KEY"] not in html
    assert env["WEBHOOK_SECRET"] not in html
    assert "sk_••••••••" + env["API_KEY"][-4:] in html  # the mask: prefix, dots, last four
    assert "/workos/callback" in html


def test_blank_secret_field_keeps_the_stored_secret(admin, env, wp_eval):
    page = admin.get("/wp-admin/options-general.php?page=workos").text
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page).group(1)
    r = admin.post(
        "/wp-admin/options.php",
        data={
            "option_page": "workos",
            "action": "update",
            "_wpnonce": nonce,
            "_wp_http_referer": "/wp-admin/options-general.php?page=workos",
            "workos_settings[api_key]": "",
            "workos_settings[client_id]": env["CLIENT_ID"],
            "workos_settings[webhook_secret]": "",
            "workos_settings[api_base_url]": env["API_BASE_URL"],
        },
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text[:300]
    stored = wp_eval("return get_option('workos_settings');")
    assert stored["api_key"] == env["API_KEY"]
    assert stored["webhook_secret"] == env["WEBHOOK_SECRET"]


def test_constant_wins_over_the_database_and_base_url_has_a_default(wp_eval, env):
    out = wp_eval(
        """
        $before = \\WorkOS_WP\\Settings::get('api_key');
        define('WORKOS_API_KEY', 'sk_test_from_constant_1234');
        $opt = get_option('workos_settings');
        unset($opt['api_base_url']);
        $filter = fn() => $opt;
        add_filter('pre_option_workos_settings', $filter);
        $out = [$before, \\WorkOS_WP\\Settings::get('api_key'), \\WorkOS_WP\\Settings::from_constant('api_key'),
                \\WorkOS_WP\\Settings::get('api_base_url'), \\WorkOS_WP\\Settings::mask('sk_test_from_constant_1234')];
        remove_filter('pre_option_workos_settings', $filter);
        return $out;
        """
    )
    assert out[0] == env["API_KEY"]
    assert out[1] == "sk_test_from_constant_1234"
    assert out[2] is True
    assert out[3] == "https://api.workos.com"
    assert out[4] == "sk_••••••••1234"
    assert "from_constant" not in out[4]


def save_form(admin, fields):
    page = admin.get("/wp-admin/options-general.php?page=workos").text
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page).group(1)
    data = {"option_page": "workos", "action": "update", "_wpnonce": nonce,
            "_wp_http_referer": "/wp-admin/options-general.php?page=workos", "workos_settings[_form]": "1"}
    data.update({f"workos_settings[{k}]": v for k, v in fields.items()})
    r = admin.post("/wp-admin/options.php", data=data, allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return admin.get(r.headers["Location"]).text


def test_sign_in_settings_are_validated_and_round_trip(admin, wp_eval, wp_settings):
    wp_settings()  # restore everything afterwards
    page = save_form(admin, {
        "login_mode": "headless",
        "provider": "MicrosoftOAuth",
        "organization_id": "org_123",
        "entitlement_gate": "1",
        "role_map": "admin = editor\nmember = subscriber",
        "login_redirects": "editor = /editors/",
        "trusted_proxies": "10.0.0.0/8\n127.0.0.1",
    })
    stored = wp_eval("return get_option('workos_settings');")
    assert stored["login_mode"] == "headless" and stored["provider"] == "MicrosoftOAuth"
    assert stored["entitlement_gate"] is True
    assert stored["allow_password_fallback"] is False  # unchecked box in a submitted form
    assert stored["role_map"] == {"admin": "editor", "member": "subscriber"}
    assert stored["login_redirects"] == {"editor": "/editors/"}
    assert stored["trusted_proxies"] == ["10.0.0.0/8", "127.0.0.1/32"]
    users_tab = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "users"}).text
    assert "admin = editor" in users_tab  # shown back as written, on its tab

    page = save_form(admin, {
        "login_mode": "sideways",
        "role_map": "admin = overlord",
        "trusted_proxies": "10.0.0.0/99",
        "deprovision_reassign": "999999",
        "log_retention_days": "forever",
    })
    after = wp_eval("return get_option('workos_settings');")
    # Each bad value is refused with a message; the previous good value stays.
    assert after["login_mode"] == "headless"
    assert after["role_map"] == {"admin": "editor", "member": "subscriber"}
    assert after["trusted_proxies"] == ["10.0.0.0/8", "127.0.0.1/32"]
    assert "There is no WordPress role &quot;overlord&quot;" in page or 'There is no WordPress role "overlord"' in page
    assert "10.0.0.0/99" in page
    assert "no user with ID" in page and "a number of days" in page
    assert after.get("deprovision_reassign", "") == "" and after.get("log_retention_days", "90") == "90"


def save_tab(admin, tab, fields):
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": tab}).text
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page).group(1)
    data = {"option_page": "workos", "action": "update", "_wpnonce": nonce,
            "_wp_http_referer": f"/wp-admin/options-general.php?page=workos&tab={tab}", "workos_settings[_form]": tab}
    data.update({f"workos_settings[{k}]": v for k, v in fields.items()})
    r = admin.post("/wp-admin/options.php", data=data, allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return admin.get(r.headers["Location"]).text


def test_each_tab_saves_only_its_own_settings(admin, wp_eval, wp_settings):
    wp_settings(allow_password_fallback=True, push_role_changes=True)
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "users"}).text
    assert "nav-tab-active" in page and 'name="workos_settings[role_map]"' in page
    assert 'name="workos_settings[login_mode]"' not in page  # another tab's field
    # The Users tab knows nothing of the password fallback: saving it keeps that box as it was.
    save_tab(admin, "users", {"role_map": "admin = editor"})
    stored = wp_eval("return get_option('workos_settings');")
    assert stored["allow_password_fallback"] is True
    assert stored["push_role_changes"] is False  # its own unchecked box
    assert stored["role_map"] == {"admin": "editor"}


def test_organization_tab_picks_from_workos_or_creates_one(admin, wp_eval, wp_settings, emulator_url):
    import uuid

    import requests

    wp_settings()
    name = "Picker " + uuid.uuid4().hex[:6]
    org = requests.post(emulator_url + "/__emulator/organizations", json={"name": name}, timeout=10).json()
    page = admin.get("/wp-admin/options-general.php", params={"page": "workos", "tab": "organization"}).text
    assert f'value="{org["id"]}"' in page and name in page
    save_tab(admin, "organization", {"environments][production][organization_id": org["id"], "entitlement_gate": "1"})
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == org["id"]

    created_name = "Created " + uuid.uuid4().hex[:6]
    page = save_tab(admin, "organization", {"environments][production][organization_id": "", "_organization_create": created_name})
    new_id = wp_eval("return WorkOS_WP\\Settings::get('organization_id');")
    assert new_id.startswith("org_") and new_id != org["id"]
    remote = requests.get(f"{emulator_url}/__emulator/state", timeout=10).json()["organizations"]
    assert any(o["id"] == new_id and o["name"] == created_name for o in remote)
    assert "created" in page
