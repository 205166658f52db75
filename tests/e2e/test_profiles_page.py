"""Issue 11: WorkOS → Login Profiles, the admin screen (Admin\\ProfilesPage) and what the editor adds
to the admin REST API.

- a top-level "WorkOS" menu (slug `workos-login-profiles`) for administrators only: first item
  "Login Profiles", then Settings (options-general.php?page=workos, which keeps working) and Activity
  (tools.php?page=workos-activity);
- the editor's script, style and configuration (`workosProfileAdmin`) load on that screen only;
- EditorProfile (list, get, create, update) names the pinned organization (`organization_name`).
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests

PAGE = "/wp-admin/admin.php?page=workos-login-profiles"
BASE = "/wp-json/workos/v1/admin/profiles"

CLEAN = """
    WorkOS_WP\\Profiles\\ProfileRepository::register_post_type();
    foreach (get_posts(['post_type' => 'workos_login_profile', 'post_status' => 'any', 'numberposts' => -1]) as $p) {
        if ('default' !== $p->post_name) { wp_delete_post($p->ID, true); }
    }
    delete_option('workos_profile_routing_rules');
    return true;
"""


def signed_in(wp_eval, session_factory, base_url: str, login: str):
    """A browser-like session of `login` (cookies minted inside WordPress) with its REST nonce."""
    cookies = wp_eval(
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
    r = s.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
    assert r.status_code == 200 and re.fullmatch(r"[0-9a-f]{10}", r.text), r.text[:200]
    s.headers["X-WP-Nonce"] = r.text
    return s


@pytest.fixture
def clean(wp_eval):
    wp_eval(CLEAN)
    yield
    wp_eval(CLEAN)


@pytest.fixture
def admin(clean, wp_url, session_factory, admin_credentials, wp_eval):
    return signed_in(wp_eval, session_factory, wp_url, admin_credentials[0])


def menu(html: str) -> str:
    """The WorkOS top-level menu's <li> (its submenu included)."""
    m = re.search(r'<li[^>]*id="toplevel_page_workos-login-profiles".*?</ul></li>', html, re.S)
    assert m, "no WorkOS top-level menu"
    return m.group(0)


def test_the_workos_menu_is_there_for_administrators(admin):
    html = admin.get("/wp-admin/").text
    item = menu(html)
    assert "dashicons-shield" in item
    assert re.search(r'<div class=.wp-menu-name.>WorkOS</div>', item), item[:600]
    links = re.findall(r'<li[^>]*><a href=["\']([^"\']+)["\'][^>]*>([^<]+)</a>', item)
    labels = [label for _, label in links]
    assert labels[:3] == ["Login Profiles", "Settings", "Activity"], links
    hrefs = dict((label, href.replace("&amp;", "&")) for href, label in links)
    assert hrefs["Login Profiles"] == "admin.php?page=workos-login-profiles"
    assert hrefs["Settings"] == "options-general.php?page=workos"
    assert hrefs["Activity"] == "tools.php?page=workos-activity"
    # Each link works (the settings screen keeps its URL: many tests and bookmarks use it).
    for label, href in hrefs.items():
        if label not in ("Login Profiles", "Settings", "Activity"):
            continue
        r = admin.get("/wp-admin/" + href)
        assert r.status_code == 200, (label, r.status_code)
        assert 'id="error-page"' not in r.text, label  # not wp_die()'s page
    assert 'name="workos_settings[' in admin.get("/wp-admin/options-general.php?page=workos").text
    assert "<h1>Login Profiles</h1>" in admin.get(PAGE).text


def test_no_menu_and_no_screen_for_other_users(wp_eval, wp_user, session_factory, wp_url):
    tag = uuid.uuid4().hex[:8]
    wp_user("ed" + tag, f"ed{tag}@example.com", "Passw0rd-" + tag, role="editor")
    editor = signed_in(wp_eval, session_factory, wp_url, "ed" + tag)
    html = editor.get("/wp-admin/").text
    assert "toplevel_page_workos-login-profiles" not in html
    assert "workos-login-profiles" not in html
    r = editor.get(PAGE)
    assert r.status_code == 403 and 'id="error-page"' in r.text, r.status_code
    assert "workosProfileAdmin" not in r.text and "js/profiles/build" not in r.text


def test_the_editor_loads_on_its_screen_only(admin, wp_url):
    html = admin.get(PAGE).text
    assert re.search(r"<script[^>]+js/profiles/build/index\.js", html), "editor script missing"
    assert re.search(r"<link[^>]+js/profiles/build/index\.css", html), "editor style missing"
    # The login card's own stylesheet (for the live preview) and the media library (logo picker).
    assert re.search(r"<link[^>]+js/login/build/index\.css", html)
    assert "wp.media" in html or "media-views" in html
    assert 'id="workos-profiles-root"' in html
    m = re.search(r"window\.workosProfileAdmin = (\{.*?\});\n", html)
    assert m, "workosProfileAdmin missing"
    config = json.loads(m.group(1))
    for key in ("restUrl", "nonce", "pageUrl", "loginUrlBase", "siteUrl", "shortcodeTag", "profiles", "activeProfileSlug"):
        assert key in config, key  # the reference's keys (REFERENCE-API §8.2)
    assert config["shortcodeTag"] == "workos:login"
    assert config["loginUrlBase"] == wp_url + "/workos/login/"
    assert [p["slug"] for p in config["profiles"]] == ["default"]
    assert {"value": "editor", "label": "Editor"} in config["roles"]
    assert config["colors"] and all(re.fullmatch(r"#[0-9a-f]{3,8}", c["color"]) for c in config["colors"])
    # No login-shell script here, and nothing of the editor on other screens.
    assert "js/login/build/index.js" not in html
    for other in ("/wp-admin/", "/wp-admin/options-general.php?page=workos", "/wp-admin/tools.php?page=workos-activity"):
        page = admin.get(other).text
        assert "js/profiles/build" not in page and "workosProfileAdmin" not in page, other


def test_the_list_names_the_pinned_organization(admin, emulator_url):
    name = "Acme " + uuid.uuid4().hex[:6]
    org = requests.post(emulator_url + "/__emulator/organizations", json={"name": name}, timeout=10).json()
    admin.get(BASE + "/organizations", params={"refresh": "1"}).raise_for_status()
    r = admin.post(BASE, json={"slug": "acme-staff", "organization_id": org["id"]})
    assert r.status_code == 201, r.text[:300]
    assert r.json()["login_url"].endswith("/workos/login/acme-staff/")
    assert r.json()["organization_name"] == name
    assert admin.get(f"{BASE}/{r.json()['id']}").json()["organization_name"] == name
    profiles = {p["slug"]: p for p in admin.get(BASE).json()["profiles"]}
    assert profiles["acme-staff"]["organization_id"] == org["id"]
    assert profiles["acme-staff"]["organization_name"] == name
    assert profiles["default"]["organization_name"] == ""
    # The screen's own copy of the list names it too.
    html = admin.get(PAGE).text
    config = json.loads(re.search(r"window\.workosProfileAdmin = (\{.*?\});\n", html).group(1))
    assert {p["slug"]: p["organization_name"] for p in config["profiles"]}["acme-staff"] == name
