"""Issue 11: the hosted login's entry points and the `custom` login mode.

- `/workos/login/{profile}` shows that profile's shell (404 for an unknown one; an `authkit_redirect`
  profile goes to AuthKit; a signed-in visitor goes on, REFERENCE-API §9.4), with no-cache headers for
  browsers and CDNs;
- each profile's own path (an autoloaded index, so page views stay as cheap as before);
- wp-login.php in the `custom` login mode: only the sign-in screen (GET) is taken over, by the profile the
  routing rules choose, at its own path when it has one (302, every query argument kept); fallback,
  logout, lost password, reset, the code forms, interim login and POSTed passwords stay WordPress's;
- `[workos:login profile redirect_to]` in a page;
- `forward_query_args`: only the allow-list (utm_*, ref, …) reaches the post-login target.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from test_page_cost import probe
from test_profiles_api import CLEAN, signed_in

NO_CACHE = {"CDN-Cache-Control": "no-store", "Cloudflare-CDN-Cache-Control": "no-store"}


@pytest.fixture
def clean(wp_eval):
    """No profiles but the default one (reset to its seed) and no routing rules, before and after."""
    reset = CLEAN.replace("return true;", "") + """
        $d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        WorkOS_WP\\Profiles\\ProfileRepository::save(WorkOS_WP\\Profiles\\ProfileRepository::seed(), $d->get_id());
        WorkOS_WP\\SignIn\\Hosted\\Entry::rebuild_index();
        return true;
    """
    wp_eval(reset, False)
    yield
    wp_eval(reset, False)


def save_profile(wp_eval, fields: dict, slug_of_existing: str | None = None, ok: bool = True) -> dict:
    """Creates (or, for `slug_of_existing`, replaces) a profile through the repository; returns it."""
    out = wp_eval(
        """
        $id = 0;
        if ($args['existing']) { $id = WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args['existing'])->get_id(); }
        $p = WorkOS_WP\\Profiles\\ProfileRepository::save($args['fields'], $id);
        return is_wp_error($p) ? ['error' => $p->get_error_code(), 'message' => $p->get_error_message()] : $p->to_array();
        """,
        {"fields": fields, "existing": slug_of_existing},
    )
    assert ok == ("error" not in out), out
    return out


def shell_profile(text: str) -> dict:
    """The `data-profile` of the page's shell."""
    m = re.search(r'id="workos-authkit-root" data-profile="([^"]*)"', text)
    assert m, "no shell on the page: " + text[:400]
    return json.loads(html.unescape(m.group(1)))


def shell_redirect(text: str) -> str:
    m = re.search(r'data-redirect-to="([^"]*)"', text)
    assert m, text[:400]
    return html.unescape(m.group(1))


def assert_no_cache(r: requests.Response) -> None:
    for k, v in NO_CACHE.items():
        assert r.headers.get(k) == v, (k, dict(r.headers))
    assert "no-cache" in r.headers.get("Cache-Control", "") or "no-store" in r.headers.get("Cache-Control", ""), dict(r.headers)


def get(url: str, session: requests.Session | None = None, **kw) -> requests.Response:
    return (session or requests).get(url, allow_redirects=False, timeout=30, **kw)


# --- /workos/login/{profile} -------------------------------------------------------------------------


def test_canonical_route_shows_the_profile_full_page(clean, wp_url, wp_eval):
    assert "error" not in save_profile(wp_eval, {"slug": "members", "title": "Members", "methods": ["password"],
                                                "branding": {"heading": "Members sign in", "primary_color": "#f0b849"}})
    r = get(wp_url + "/workos/login/members/")
    assert r.status_code == 200, r.text[:300]
    assert_no_cache(r)
    assert r.headers.get("X-Frame-Options") == "SAMEORIGIN"
    data = shell_profile(r.text)
    assert data["slug"] == "members" and data["methods"] == ["password"]
    assert "id" not in data  # REFERENCE-API §9.3: no storage id
    assert data["branding"]["heading"] == "Members sign in" and "logo_url" in data["branding"]
    assert "workos-profile-members" in r.text and "Members sign in" in r.text
    assert "js/login/build/index.js" in r.text and "js/login/build/index.css" in r.text
    # Below the card, as on WordPress's own login page: a lost password (the profile signs in by
    # password) and the way back to the site; a profile without passwords offers no reset.
    links = r.text[r.text.index('class="wa-page-links"'):]
    assert "action=lostpassword" in links and 'href="%s/"' % wp_url in links and "← Go to" in links
    save_profile(wp_eval, {"slug": "codes-only", "title": "Codes", "methods": ["magic_code"]})
    codes = get(wp_url + "/workos/login/codes-only/").text
    assert "action=lostpassword" not in codes and "← Go to" in codes
    # Without the trailing slash too, and the default profile by its slug.
    assert get(wp_url + "/workos/login/members").status_code == 200
    assert shell_profile(get(wp_url + "/workos/login/default/").text)["slug"] == "default"


@pytest.mark.parametrize("path", ["/workos/login/nobody/", "/workos/login/Members%20X/", "/workos/login/a/b/"])
def test_unknown_profile_is_a_404_page(clean, wp_url, path):
    r = get(wp_url + path)
    assert r.status_code == 404, r.text[:300]
    assert "workos-authkit-root" not in r.text
    assert_no_cache(r)


def test_redirect_to_is_validated_before_the_shell_gets_it(clean, wp_url):
    ok = get(wp_url + "/workos/login/default/", params={"redirect_to": wp_url + "/sample-page/"})
    assert shell_redirect(ok.text) == wp_url + "/sample-page/"
    evil = get(wp_url + "/workos/login/default/", params={"redirect_to": "https://evil.example/x"})
    assert "evil.example" not in evil.text
    assert urlparse(shell_redirect(evil.text)).netloc == urlparse(wp_url).netloc
    assert shell_redirect(get(wp_url + "/workos/login/default/").text) == ""


def test_signed_in_visitor_goes_on(clean, wp_url, wp_eval, wp_user, session_factory):
    wp_user("entry-in", "entry-in@example.com", "pw-entry-in-1")
    s = signed_in(wp_eval, session_factory, wp_url, "entry-in")
    r = get(wp_url + "/workos/login/default/", s, params={"redirect_to": wp_url + "/sample-page/"})
    assert r.status_code == 302 and r.headers["Location"] == wp_url + "/sample-page/", r.headers
    assert_no_cache(r)
    # Off-site: the dashboard.
    r = get(wp_url + "/workos/login/default/", s, params={"redirect_to": "https://evil.example/"})
    assert r.status_code == 302 and r.headers["Location"].startswith(wp_url + "/wp-admin"), r.headers
    # No redirect_to: the dashboard; the profile's post_login_redirect wins over everything.
    assert get(wp_url + "/workos/login/default/", s).headers["Location"].startswith(wp_url + "/wp-admin")
    save_profile(wp_eval, {"slug": "club", "post_login_redirect": "/club-home/"})
    r = get(wp_url + "/workos/login/club/", s, params={"redirect_to": wp_url + "/sample-page/"})
    assert r.headers["Location"] == wp_url + "/club-home/", r.headers


def test_authkit_redirect_profile_goes_to_authkit(clean, wp_url, wp_eval, emulator_url):
    save_profile(wp_eval, {"slug": "sso", "mode": "authkit_redirect"})
    r = get(wp_url + "/workos/login/sso/", params={"redirect_to": wp_url + "/sample-page/"})
    assert r.status_code == 302, r.text[:300]
    assert r.headers["Location"].startswith(emulator_url), r.headers["Location"]
    assert "authorize" in r.headers["Location"]
    assert_no_cache(r)


def test_an_authkit_profile_keeps_its_pinned_organization(clean, wp_url, wp_eval, emulator_url, session_factory, wp_settings):
    """An `authkit_redirect` profile sends its slug and organization along: WorkOS is asked for that
    organization, and the callback holds the pin — someone of another organization is not let in."""
    from authkit import Flow, authkit_sign_in, create_org, create_workos_user, logged_in_cookie, query
    tag = uuid.uuid4().hex[:6]
    pinned, other = create_org(emulator_url, f"Pinned {tag}"), create_org(emulator_url, f"Other {tag}")
    save_profile(wp_eval, {"slug": "sso-pinned", "mode": "authkit_redirect", "organization_id": pinned["id"]})
    outsider = f"outsider-{tag}@example.com"
    create_workos_user(emulator_url, outsider, "Passw0rd!-out",
                       memberships=[{"organization_id": other["id"], "role_slug": "member"}])
    for start_url in (wp_url + "/workos/login/sso-pinned/", wp_url + "/wp-login.php?workos_profile=sso-pinned"):
        if "wp-login" in start_url:
            wp_settings(login_mode="custom")
        s = session_factory(wp_url)
        r = s.get(start_url, allow_redirects=False)
        assert r.status_code == 302, r.text[:300]
        params = query(r.headers["Location"])
        assert params.get("organization_id") == pinned["id"], params
        callback = authkit_sign_in(emulator_url, Flow(r.headers["Location"], params), outsider, "Passw0rd!-out")
        done = s.get(callback, allow_redirects=False)
        assert done.status_code == 403, (start_url, done.status_code, done.headers.get("Location"))
        assert not logged_in_cookie(s)


def test_not_configured_leaves_the_path_to_wordpress(clean, wp_url, wp_settings):
    wp_settings(api_key="")
    r = get(wp_url + "/workos/login/default/")
    assert "workos-authkit-root" not in r.text and r.status_code == 404


# --- custom paths ---------------------------------------------------------------------------------------


def test_custom_path_serves_its_profile_and_follows_saves_and_deletes(clean, wp_url, wp_eval):
    p = save_profile(wp_eval, {"slug": "team", "custom_path": "team/sign-in", "methods": ["magic_code"]})
    assert p["custom_path"] == "team/sign-in"
    index = wp_eval("global $wpdb; return [get_option('workos_login_paths'), $wpdb->get_var(\"SELECT autoload FROM $wpdb->options WHERE option_name = 'workos_login_paths'\")];")
    assert index[0] == {"team/sign-in": "team"} and index[1] in ("yes", "on"), index
    r = get(wp_url + "/team/sign-in/")
    assert r.status_code == 200 and shell_profile(r.text)["slug"] == "team"
    assert_no_cache(r)
    assert shell_profile(get(wp_url + "/Team/Sign-In").text)["slug"] == "team"  # case and slash do not matter
    # Moved: the old path is WordPress's again, the new one is served.
    save_profile(wp_eval, {"slug": "team", "custom_path": "crew", "methods": ["magic_code"]}, "team")
    assert "workos-authkit-root" not in get(wp_url + "/team/sign-in/").text
    assert shell_profile(get(wp_url + "/crew/").text)["slug"] == "team"
    # Deleted: gone from the index.
    wp_eval("$p = WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug('team'); return WorkOS_WP\\Profiles\\ProfileRepository::delete($p->get_id())->get_slug();")
    assert wp_eval("return get_option('workos_login_paths');") == []
    assert "workos-authkit-root" not in get(wp_url + "/crew/").text


def test_a_stale_index_entry_is_mended_not_served(clean, wp_url, wp_eval):
    save_profile(wp_eval, {"slug": "gone", "custom_path": "gone-path"})
    # Deleted behind the repository's back (no hook fired): the index still names the path.
    wp_eval("foreach (get_posts(['post_type' => 'workos_login_profile', 'name' => 'gone', 'post_status' => 'any']) as $p) { wp_delete_post($p->ID, true); } return true;")
    assert wp_eval("return get_option('workos_login_paths');") == {"gone-path": "gone"}
    r = get(wp_url + "/gone-path/")
    assert "workos-authkit-root" not in r.text
    assert wp_eval("return get_option('workos_login_paths');") == []


@pytest.mark.parametrize("path", ["wp-admin", "wp-admin/x", "wp-json", "wp-json/workos", "wp-content", "wp-includes",
                                  "workos", "workos/login", "feed", "comments", "trackback", "default",
                                  "wp-login.php", "xmlrpc.php", "robots.txt", "wp-sitemap.xml", "Wp-Admin"])
def test_reserved_wordpress_paths_are_refused_at_save(clean, wp_eval, path):
    out = save_profile(wp_eval, {"slug": "r" + uuid.uuid4().hex[:6], "custom_path": path}, ok=False)
    assert out.get("error") == "workos_profile_path_reserved", out
    assert wp_eval("return get_option('workos_login_paths');") == []


def test_a_renamed_rest_prefix_is_refused_too(clean, wp_eval):
    out = wp_eval(
        """
        add_filter('rest_url_prefix', fn() => 'api');
        $p = WorkOS_WP\\Profiles\\ProfileRepository::save(['slug' => 'apiish', 'custom_path' => 'api/login']);
        return is_wp_error($p) ? $p->get_error_code() : 'saved';
        """
    )
    assert out == "workos_profile_path_reserved"


def test_page_cost_unchanged_with_custom_paths_and_without_the_index(clean, wp_url, wp_eval):
    save_profile(wp_eval, {"slug": "cost", "custom_path": "cost-login"})
    for path in ("/", "/sample-page/"):
        seen = probe(wp_url + path)
        assert seen["files"] == ["workos.php"] and seen["classes"] == [], seen
        off = requests.get(wp_url + path, headers={"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Off": "1"}, timeout=30)
        without = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", off.text).group(1))
        assert seen["queries"] == without["queries"], (seen, without)
    # A site updated without reactivation has no index yet: still no query, and the admin creates it.
    wp_eval("delete_option('workos_login_paths'); return true;")
    try:
        seen = probe(wp_url + "/")
        off = requests.get(wp_url + "/", headers={"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Off": "1"}, timeout=30)
        without = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", off.text).group(1))
        assert seen["files"] == ["workos.php"] and seen["queries"] == without["queries"], (seen, without)
        assert wp_eval("WorkOS_WP\\ensure_login_paths(); return get_option('workos_login_paths');") == {"cost-login": "cost"}
    finally:
        wp_eval("WorkOS_WP\\SignIn\\Hosted\\Entry::rebuild_index(); return true;")


# --- wp-login.php in custom mode ----------------------------------------------------------------------


@pytest.fixture
def custom_mode(wp_settings, clean):
    wp_settings(login_mode="custom", allow_password_fallback=True)


def test_the_default_mode_stays_redirect_and_custom_is_a_choice(wp_eval, wp_settings):
    got = wp_eval("return [WorkOS_WP\\Settings\\Registry::LOGIN_MODES, WorkOS_WP\\Settings\\Registry::choice_names()['login_mode']];")
    assert got[0] == ["redirect", "headless", "custom"]
    assert set(got[1]) == {"redirect", "headless", "custom"} and "Hosted login" in got[1]["custom"]
    wp_settings(login_mode=None)  # an existing site that never chose keeps AuthKit's redirect
    assert wp_eval("return WorkOS_WP\\Settings::get('login_mode');") == "redirect"


def test_login_mode_custom_is_saved_and_shows_the_shell(custom_mode, wp_url, wp_eval):
    assert wp_eval("return WorkOS_WP\\Settings::get('login_mode');") == "custom"
    r = get(wp_url + "/wp-login.php")
    assert r.status_code == 200, r.headers
    assert shell_profile(r.text)["slug"] == "default"
    assert "loginform" not in r.text
    assert_no_cache(r)
    # action=login explicitly.
    assert shell_profile(get(wp_url + "/wp-login.php", params={"action": "login"}).text)["slug"] == "default"


def test_other_modes_are_not_taken_over(wp_settings, clean, wp_url, emulator_url):
    wp_settings(login_mode="redirect", allow_password_fallback=True)
    r = get(wp_url + "/wp-login.php")
    assert r.status_code == 302 and r.headers["Location"].startswith(emulator_url)
    wp_settings(login_mode="headless")
    r = get(wp_url + "/wp-login.php")
    assert r.status_code == 200 and "loginform" in r.text and "workos-authkit-root" not in r.text


def test_takeover_goes_to_the_profile_path_keeping_every_query_arg(custom_mode, wp_url, wp_eval):
    save_profile(wp_eval, {"slug": "default", "title": "Default Login", "custom_path": "sign-in"}, "default")
    r = get(wp_url + "/wp-login.php?redirect_to=%2Fsample-page%2F&utm_source=news&x=1&x=2&reauth=0&q=a%20b")
    assert r.status_code == 302, r.text[:300]
    loc = r.headers["Location"]
    assert loc == wp_url + "/sign-in/?redirect_to=%2Fsample-page%2F&utm_source=news&x=1&x=2&reauth=0&q=a%20b", loc
    assert_no_cache(r)
    r = get(loc)
    assert r.status_code == 200 and shell_profile(r.text)["slug"] == "default"
    assert shell_redirect(r.text) == wp_url + "/sample-page/"
    # No query: the bare path.
    assert get(wp_url + "/wp-login.php").headers["Location"] == wp_url + "/sign-in/"


def test_routing_rules_choose_the_profile(custom_mode, wp_url, wp_eval, wp_user, session_factory):
    for slug in ("shop", "partners", "editors"):
        save_profile(wp_eval, {"slug": slug, "title": slug.title()})
    save_profile(wp_eval, {"slug": "pathy", "custom_path": "pathy-login"})
    rules = [
        {"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}},
        {"profile": "partners", "matcher": {"type": "referrer_host", "value": "partners.example.com"}},
        {"profile": "pathy", "matcher": {"type": "redirect_to", "value": "/pathy/*"}},
    ]
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::set_rules($args);", rules)
    login = wp_url + "/wp-login.php"
    assert shell_profile(get(login, params={"redirect_to": wp_url + "/shop/cart/"}).text)["slug"] == "shop"
    assert shell_profile(get(login, headers={"Referer": "https://partners.example.com/portal"}).text)["slug"] == "partners"
    assert shell_profile(get(login, params={"redirect_to": wp_url + "/blog/"}).text)["slug"] == "default"
    # The explicit profile wins over the rules; an unknown one falls back to them.
    assert shell_profile(get(login, params={"redirect_to": wp_url + "/shop/", "workos_profile": "editors"}).text)["slug"] == "editors"
    assert shell_profile(get(login, params={"redirect_to": wp_url + "/shop/x", "workos_profile": "nobody"}).text)["slug"] == "shop"
    # A chosen profile with its own path: 302 there.
    r = get(login, params={"redirect_to": wp_url + "/pathy/a"})
    assert r.status_code == 302 and r.headers["Location"].startswith(wp_url + "/pathy-login/?redirect_to="), r.headers


def test_routing_rule_on_user_role_for_a_signed_in_reauth(custom_mode, wp_url, wp_eval, wp_user, session_factory):
    save_profile(wp_eval, {"slug": "editors", "title": "Editors"})
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::set_rules($args);",
                   [{"profile": "editors", "matcher": {"type": "user_role", "value": "editor"}}])
    wp_user("entry-ed", "entry-ed@example.com", "pw-entry-ed-1", role="editor")
    s = signed_in(wp_eval, session_factory, wp_url, "entry-ed")
    # Signed in: on to the target; with reauth=1 the editor's profile asks again.
    r = get(wp_url + "/wp-login.php", s, params={"redirect_to": wp_url + "/sample-page/"})
    assert r.status_code == 302 and r.headers["Location"] == wp_url + "/sample-page/"
    r = get(wp_url + "/wp-login.php", s, params={"reauth": "1"})
    assert r.status_code == 200 and shell_profile(r.text)["slug"] == "editors"
    assert any("wordpress_logged_in" in c and "1970" in c or "Max-Age=0" in c or "expires=Thu, 01" in c.lower()
               for c in r.raw.headers.getlist("Set-Cookie")), r.raw.headers.getlist("Set-Cookie")


def test_authkit_redirect_default_profile_goes_to_authkit_from_wp_login(custom_mode, wp_url, wp_eval, emulator_url):
    save_profile(wp_eval, {"slug": "default", "title": "Default Login", "mode": "authkit_redirect"}, "default")
    r = get(wp_url + "/wp-login.php")
    assert r.status_code == 302 and r.headers["Location"].startswith(emulator_url), r.headers


def test_wordpress_screens_keep_working_in_custom_mode(custom_mode, wp_url, wp_user, session_factory, native_login):
    login = wp_url + "/wp-login.php"
    # ?fallback=1 (fallback allowed): WordPress's own form.
    r = get(login, params={"fallback": "1"})
    assert r.status_code == 200 and 'id="loginform"' in r.text and "workos-authkit-root" not in r.text
    # Interim login (the re-authentication popup).
    r = get(login, params={"interim-login": "1"})
    assert 'id="loginform"' in r.text and "workos-authkit-root" not in r.text
    # Lost password (fallback allowed: WordPress's).
    r = get(login, params={"action": "lostpassword"})
    assert r.status_code == 200 and 'id="lostpasswordform"' in r.text
    # Reset link without a key: WordPress's own answer (back to lost password), not the shell.
    for action in ("rp", "resetpass"):
        r = get(login, params={"action": action})
        assert r.status_code == 302 and "action=lostpassword" in r.headers["Location"], (action, r.headers)
    # The "check your email" notice.
    r = get(login, params={"checkemail": "confirm"})
    assert "workos-authkit-root" not in r.text and "Check your email" in r.text
    r = get(login, params={"checkemail": "registered"})
    assert "workos-authkit-root" not in r.text and "Registration complete" in r.text
    # The code forms are WordPress screens of this plugin.
    for action in ("workos_confirm", "workos_verify"):
        r = get(login, params={"action": action})
        assert "workos-authkit-root" not in r.text, action
    # Logout without a nonce: WordPress's "Do you really want to log out?".
    r = get(login, params={"action": "logout"})
    assert "workos-authkit-root" not in r.text and "log out" in r.text.lower()
    # A POSTed password is WordPress's (authenticate filter).
    wp_user("entry-pw", "entry-pw@example.com", "pw-entry-pw-1")
    s = session_factory()
    r = native_login(s, wp_url, "entry-pw", "pw-entry-pw-1")
    assert r.status_code == 302 and "/wp-admin" in r.headers["Location"], r.text[:300]


def test_fallback_is_taken_over_when_not_allowed(wp_settings, clean, wp_url):
    wp_settings(login_mode="custom", allow_password_fallback=False)
    r = get(wp_url + "/wp-login.php", params={"fallback": "1"})
    assert shell_profile(r.text)["slug"] == "default"


def test_logout_in_custom_mode_signs_out(custom_mode, wp_url, wp_eval, wp_user, session_factory):
    wp_user("entry-out", "entry-out@example.com", "pw-entry-out-1")
    s = signed_in(wp_eval, session_factory, wp_url, "entry-out")
    page = s.get("/wp-admin/profile.php")
    m = re.search(r'href="([^"]*wp-login\.php\?action=logout[^"]*)"', page.text)
    assert m, page.text[:300]
    r = s.get(html.unescape(m.group(1)), allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    # Back to the sign-in screen (the shell), signed out.
    r2 = s.get(r.headers["Location"], allow_redirects=False)
    assert r2.status_code == 200 and "workos-authkit-root" in r2.text, r2.headers


# --- the shortcode ------------------------------------------------------------------------------------


@pytest.fixture
def page_with(wp_eval):
    made: list[int] = []

    def _make(content: str) -> str:
        pid = wp_eval("return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Login ' . $args[1], 'post_content' => $args[0]]);",
                      [content, uuid.uuid4().hex[:6]])
        made.append(pid)
        return wp_eval("return get_permalink($args);", pid)

    yield _make
    for pid in made:
        wp_eval("wp_delete_post($args, true); return true;", pid)


def test_shortcode_shows_the_shell_in_a_page(clean, wp_url, wp_eval, page_with):
    save_profile(wp_eval, {"slug": "embedded", "title": "Embed", "methods": ["password", "oauth_github"]})
    url = page_with('<p>Before</p>[workos:login profile="embedded" redirect_to="/sample-page/"]<p>After</p>')
    r = get(url)
    assert r.status_code == 200
    data = shell_profile(r.text)
    assert data["slug"] == "embedded" and data["methods"] == ["password", "oauth_github"]
    assert shell_redirect(r.text) == wp_url + "/sample-page/"
    # Its style comes before the card (no unstyled flash), its script with the page.
    assert r.text.index("js/login/build/index.css") < r.text.index("workos-authkit-root")
    assert "js/login/build/index.js" in r.text
    assert "Before" in r.text and "After" in r.text
    # Inside the theme's page the card is a section with an h2 (the page has its main and h1).
    assert 'data-embedded="1"' in r.text
    assert '<section class="wa-card"' in r.text and '<h2 class="wa-heading"' in r.text and '<main class="wa-card"' not in r.text
    # A page without the shortcode has none of it.
    plain = get(wp_url + "/sample-page/")
    assert "workos-authkit" not in plain.text


def test_shortcode_routes_without_a_profile_and_skips_authkit_profiles(clean, wp_url, wp_eval, page_with):
    save_profile(wp_eval, {"slug": "shop", "title": "Shop"})
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::set_rules($args);",
                   [{"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}}])
    assert shell_profile(get(page_with('[workos:login redirect_to="/shop/basket/"]')).text)["slug"] == "shop"
    assert shell_profile(get(page_with("[workos:login]")).text)["slug"] == "default"
    save_profile(wp_eval, {"slug": "sso", "mode": "authkit_redirect"})
    r = get(page_with('<p>Hello</p>[workos:login profile="sso"]'))
    assert r.status_code == 200 and "Hello" in r.text and "workos-authkit" not in r.text


def test_shortcode_for_a_signed_in_visitor(clean, wp_url, wp_eval, wp_user, session_factory, page_with):
    wp_user("entry-sc", "entry-sc@example.com", "pw-entry-sc-1")
    # Stored raw (as another plugin might): the notice escapes it.
    wp_eval("global $wpdb; $id = get_user_by('login', 'entry-sc')->ID; $wpdb->update($wpdb->users, ['display_name' => 'Ada <b>L</b>'], ['ID' => $id]); clean_user_cache($id); return true;")
    url = page_with('[workos:login redirect_to="/sample-page/"]')
    s = signed_in(wp_eval, session_factory, wp_url, "entry-sc")
    r = s.get(url)
    assert "workos-authkit-root" not in r.text
    assert "already signed in as Ada &lt;b&gt;L&lt;/b&gt;." in r.text, r.text[-2000:]  # escaped
    assert "You're already signed in as Ada <b>L</b>." in html.unescape(r.text)
    m = re.search(r'<a class="wp-element-button" href="([^"]*)">Continue</a>', r.text)
    assert m and html.unescape(m.group(1)) == wp_url + "/sample-page/"
    # An off-site redirect_to attribute is not followed.
    url = page_with('[workos:login redirect_to="https://evil.example/"]')
    m = re.search(r'<a class="wp-element-button" href="([^"]*)">Continue</a>', s.get(url).text)
    assert m and "evil.example" not in m.group(1)


# --- forward_query_args ---------------------------------------------------------------------------------


LOGIN_ARGS = {
    "utm_source": "news", "utm_campaign": "fall sale", "ref": "friend", "gclid": "g1",
    "redirect_to": "", "_wpnonce": "n", "interim-login": "1x", "loggedout": "true", "reauth": "0", "instance": "i",
    "wp_lang": "fr_FR", "action": "login", "fallback": "0", "workos_profile": "default", "WORKOS_X": "1",
    "workosish": "1", "foo": "bar", "token": "secret", "invitation_token": "t",
}
FORWARDED = {"utm_source": "news", "utm_campaign": "fall sale", "ref": "friend", "gclid": "g1"}


def forwarded(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_forward_query_args_only_the_allow_list(clean, wp_url, wp_eval, wp_user, session_factory):
    save_profile(wp_eval, {"slug": "fwd", "forward_query_args": True})
    save_profile(wp_eval, {"slug": "nofwd"})
    args = dict(LOGIN_ARGS, redirect_to=wp_url + "/sample-page/?keep=1&ref=mine")
    r = get(wp_url + "/workos/login/fwd/", params=args)
    target = shell_redirect(r.text)
    assert target.startswith(wp_url + "/sample-page/?"), target
    # The destination's own arguments stay (its ref wins), only allow-listed ones are added.
    assert forwarded(target) == {"keep": "1", "ref": "mine", "utm_source": "news", "utm_campaign": "fall sale", "gclid": "g1"}
    # No redirect_to: the dashboard with the arguments.
    target = shell_redirect(get(wp_url + "/workos/login/fwd/", params=dict(LOGIN_ARGS, redirect_to="")).text)
    assert target.startswith(wp_url + "/wp-admin/") and forwarded(target) == FORWARDED, target
    # Off: nothing is forwarded.
    assert shell_redirect(get(wp_url + "/workos/login/nofwd/", params=LOGIN_ARGS).text) == ""
    # Signed in: the redirect carries them too.
    wp_user("entry-fwd", "entry-fwd@example.com", "pw-entry-fwd-1")
    s = signed_in(wp_eval, session_factory, wp_url, "entry-fwd")
    loc = get(wp_url + "/workos/login/fwd/", s, params=dict(LOGIN_ARGS, redirect_to=wp_url + "/sample-page/")).headers["Location"]
    assert loc.startswith(wp_url + "/sample-page/?") and forwarded(loc) == FORWARDED, loc


def test_forward_query_args_onto_post_login_redirect(clean, wp_url, wp_eval):
    save_profile(wp_eval, {"slug": "fwdp", "forward_query_args": True, "post_login_redirect": "/welcome/"})
    target = shell_redirect(get(wp_url + "/workos/login/fwdp/", params={"utm_medium": "email", "redirect_to": wp_url + "/x/"}).text)
    assert target == wp_url + "/welcome/?utm_medium=email", target
    # carry(): what the sign-in uses when post_login_redirect wins over the shell's redirect_to.
    carried = wp_eval("return WorkOS_WP\\SignIn\\Hosted\\QueryArgs::carry(home_url('/welcome/'), home_url('/x/?utm_term=a&evil=1&workos_x=2'));")
    assert carried == wp_url + "/welcome/?utm_term=a", carried


def test_forward_allow_list_rules(wp_eval):
    got = wp_eval(
        """
        $keys = ['utm_source', 'UTM_Medium', 'utm_', 'ref', 'gclid', 'redirect_to', '_wpnonce', 'interim-login', 'loggedout',
                 'reauth', 'instance', 'wp_lang', 'action', 'fallback', 'workos_profile', 'workos', 'foo', 'token', 'a b'];
        $out = [];
        foreach ($keys as $k) { $out[$k] = WorkOS_WP\\SignIn\\Hosted\\QueryArgs::allowed($k); }
        add_filter('workos_authkit_forward_query_args', fn() => ['campaign', 'redirect_to', 'workos_x']);
        $out['filtered:campaign'] = WorkOS_WP\\SignIn\\Hosted\\QueryArgs::allowed('campaign');
        $out['filtered:redirect_to'] = WorkOS_WP\\SignIn\\Hosted\\QueryArgs::allowed('redirect_to');
        $out['filtered:workos_x'] = WorkOS_WP\\SignIn\\Hosted\\QueryArgs::allowed('workos_x');
        $out['pick'] = WorkOS_WP\\SignIn\\Hosted\\QueryArgs::pick(['utm_source' => ['a'], 'ref' => '<b>x</b>', 'utm_term' => str_repeat('a', 500)]);
        return $out;
        """
    )
    allowed = {k for k, v in got.items() if v is True}
    assert allowed == {"utm_source", "UTM_Medium", "ref", "gclid", "filtered:campaign"}, got
    assert got["pick"] == {"ref": "x"}, got["pick"]
