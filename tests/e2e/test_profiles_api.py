"""Issue 11: Login Profiles — the model, its storage and the admin REST API (no UI yet).

- profiles are stored as the reference stores them (CPT `workos_login_profile`, post_name = slug,
  `_workos_profile_config` JSON) and validated by the extension (WorkOS\\Native\\LoginProfile);
- `/wp-json/workos/v1/admin/profiles` (list, create 201, get, partial update, delete) and
  `/admin/profiles/organizations` answer administrators only, with the reference's error codes in
  WordPress's REST error format (`{code, message, data: {status, field}}`);
- the `default` profile always exists and can be neither deleted nor renamed;
- routing rules (`workos_profile_routing_rules`) round-trip through `/admin/profile-routing` and
  choose the profile (WorkOS\\Native\\ProfileRouter): first match wins, else `default`.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

BASE = "/wp-json/workos/v1/admin/profiles"
ROUTING = "/wp-json/workos/v1/admin/profile-routing"

CLEAN = """
    WorkOS_WP\\Profiles\\ProfileRepository::register_post_type();
    foreach (get_posts(['post_type' => 'workos_login_profile', 'post_status' => 'any', 'numberposts' => -1]) as $p) {
        if ($args || 'default' !== $p->post_name) { wp_delete_post($p->ID, true); }
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
    """No profiles but the default one (left as found) and no routing rules, before and after."""
    wp_eval(CLEAN, False)
    yield
    wp_eval(CLEAN, False)


@pytest.fixture
def admin(clean, wp_url, session_factory, admin_credentials, wp_eval):
    return signed_in(wp_eval, session_factory, wp_url, admin_credentials[0])


def create(admin, **fields) -> dict:
    r = admin.post(BASE, json=fields)
    assert r.status_code == 201, r.text[:500]
    return r.json()


def refused(r: requests.Response, status: int, code: str, field: str | None = None) -> dict:
    """The response is a WordPress REST error with `code` (and `data.field`)."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    body = r.json()
    assert set(body) >= {"code", "message", "data"}, body
    assert body["code"] == code, body
    assert body["data"]["status"] == status, body
    assert body["message"] and "\n" not in body["message"], body
    if field is not None:
        assert body["data"].get("field") == field, body
    return body


def test_crud_round_trip(admin, wp_url, wp_eval):
    made = create(admin, slug="members", title="Members", methods=["magic_code", "password"],
                  custom_path="/Members/", branding={"primary_color": "#2271B1", "heading": "<b>Hi</b> there"})
    assert made["id"] > 0 and made["slug"] == "members" and made["title"] == "Members"
    assert made["methods"] == ["password", "magic_code"]  # the allow-list's order
    assert made["custom_path"] == "members"
    assert made["branding"]["primary_color"] == "#2271b1"
    assert made["branding"]["heading"] == "Hi there"  # WordPress's text sanitising
    assert made["branding"]["logo_url"] == ""
    assert made["login_url"] == wp_url + "/workos/login/members/"
    assert made["custom_url"] == wp_url + "/members/"
    assert made["mfa"] == {"enforce": "if_required", "factors": ["totp"]} and made["mode"] == "custom"

    got = admin.get(f"{BASE}/{made['id']}")
    assert got.status_code == 200 and got.json() == made

    listed = admin.get(BASE).json()["profiles"]
    assert [p["slug"] for p in listed] == ["default", "members"]
    assert listed[1] == made

    # Stored as the reference stores it.
    row = wp_eval(
        """
        $p = get_post($args);
        return ['type' => $p->post_type, 'name' => $p->post_name, 'title' => $p->post_title,
                'status' => $p->post_status, 'config' => json_decode(get_post_meta($p->ID, '_workos_profile_config', true), true)];
        """,
        made["id"],
    )
    assert (row["type"], row["name"], row["title"], row["status"]) == ("workos_login_profile", "members", "Members", "publish")
    assert row["config"]["custom_path"] == "members" and row["config"]["methods"] == ["password", "magic_code"]

    updated = admin.put(f"{BASE}/{made['id']}", json={"title": "Team members"})
    assert updated.status_code == 200 and updated.json()["title"] == "Team members"
    assert updated.json()["custom_path"] == "members"  # untouched fields kept
    # The editor may send back the whole EditorProfile it got (URLs and logo_url included).
    whole = dict(updated.json(), title="Members again")
    again = admin.put(f"{BASE}/{made['id']}", json=whole)
    assert again.status_code == 200 and again.json() == whole, again.text[:300]

    gone = admin.delete(f"{BASE}/{made['id']}")
    assert gone.status_code == 200 and gone.json() == {"deleted": True, "id": made["id"]}
    refused(admin.get(f"{BASE}/{made['id']}"), 404, "workos_profile_not_found")
    refused(admin.put(f"{BASE}/{made['id']}", json={"title": "x"}), 404, "workos_profile_not_found")
    refused(admin.delete(f"{BASE}/{made['id']}"), 404, "workos_profile_not_found")
    refused(admin.get(f"{BASE}/999999"), 404, "workos_profile_not_found")


def test_the_default_profile_always_exists_and_is_locked(admin, wp_eval):
    wp_eval(CLEAN, True)  # even the default one gone: the next read seeds it
    profiles = admin.get(BASE).json()["profiles"]
    assert len(profiles) == 1
    default = profiles[0]
    assert default["slug"] == "default" and default["title"] == "Default Login"
    assert default["methods"] == ["password", "magic_code", "oauth_google"]
    assert default["branding"]["heading"] == "Sign in"
    assert admin.get(BASE).json()["profiles"][0]["id"] == default["id"]  # seeded once

    refused(admin.delete(f"{BASE}/{default['id']}"), 400, "workos_profile_default_locked")
    refused(admin.put(f"{BASE}/{default['id']}", json={"slug": "main"}), 400, "workos_profile_default_locked", "slug")
    refused(admin.post(BASE, json={"slug": "default"}), 400, "workos_profile_slug_taken", "slug")
    ok = admin.put(f"{BASE}/{default['id']}", json={"title": "Everyone", "slug": "default"})
    assert ok.status_code == 200 and ok.json()["title"] == "Everyone" and ok.json()["slug"] == "default"
    assert admin.get(f"{BASE}/{default['id']}").json()["title"] == "Everyone"


@pytest.mark.parametrize(
    "body, code, field",
    [
        ({}, "workos_profile_invalid_slug", "slug"),
        ({"slug": "Team Login"}, "workos_profile_invalid_slug", "slug"),
        ({"slug": "a", "custom_path": "wp-admin"}, "workos_profile_path_reserved", "custom_path"),
        ({"slug": "a", "custom_path": "/wp-login.php"}, "workos_profile_path_reserved", "custom_path"),
        ({"slug": "a", "custom_path": "wp-json/x"}, "workos_profile_path_reserved", "custom_path"),
        ({"slug": "a", "custom_path": "feed"}, "workos_profile_path_reserved", "custom_path"),
        ({"slug": "a", "custom_path": "workos/login"}, "workos_profile_path_reserved", "custom_path"),
        ({"slug": "a", "custom_path": "team login"}, "workos_profile_path_invalid", "custom_path"),
        ({"slug": "a", "methods": []}, "workos_profile_invalid_methods", "methods"),
        ({"slug": "a", "methods": ["password", "fax"]}, "workos_profile_invalid_methods", "methods"),
        ({"slug": "a", "organization_id": "acme"}, "workos_profile_invalid_organization", "organization_id"),
        ({"slug": "a", "mfa": {"enforce": "sometimes"}}, "workos_profile_invalid_mfa", "mfa.enforce"),
        ({"slug": "a", "mfa": {"factors": ["email"]}}, "workos_profile_invalid_mfa", "mfa.factors"),
        ({"slug": "a", "branding": {"primary_color": "blue"}}, "workos_profile_invalid_color", "branding.primary_color"),
        ({"slug": "a", "branding": {"logo_mode": "custom"}}, "workos_profile_logo_required", "branding.logo_attachment_id"),
        ({"slug": "a", "branding": {"logo_mode": "custom", "logo_attachment_id": 987654}},
         "workos_profile_logo_not_found", "branding.logo_attachment_id"),
        ({"slug": "a", "post_login_redirect": "javascript:alert(1)"}, "workos_profile_invalid_redirect", "post_login_redirect"),
        ({"slug": "a", "mode": "headless"}, "workos_profile_invalid_mode", "mode"),
        ({"slug": "a", "forward_query_args": "perhaps"}, "workos_profile_invalid_field", "forward_query_args"),
    ],
)
def test_validation_errors_use_the_reference_codes(admin, body, code, field):
    refused(admin.post(BASE, json=body), 400, code, field)
    assert [p["slug"] for p in admin.get(BASE).json()["profiles"]] == ["default"]  # nothing saved


def test_uniqueness_and_logos(admin, wp_eval):
    first = create(admin, slug="members", custom_path="team/login")
    refused(admin.post(BASE, json={"slug": "members"}), 400, "workos_profile_slug_taken", "slug")
    body = refused(admin.post(BASE, json={"slug": "other", "custom_path": "/Team/Login/"}), 400, "workos_profile_path_taken", "custom_path")
    assert "/team/login/" in body["message"]
    second = create(admin, slug="other")
    refused(admin.put(f"{BASE}/{second['id']}", json={"slug": "members"}), 400, "workos_profile_slug_taken", "slug")
    refused(admin.put(f"{BASE}/{second['id']}", json={"custom_path": "team/login"}), 400, "workos_profile_path_taken", "custom_path")
    renamed = admin.put(f"{BASE}/{second['id']}", json={"slug": "partners"})
    assert renamed.status_code == 200 and renamed.json()["slug"] == "partners"
    assert renamed.json()["login_url"].endswith("/workos/login/partners/")
    # A profile keeps its own path when saved again.
    assert admin.put(f"{BASE}/{first['id']}", json={"title": "T"}).status_code == 200

    ids = wp_eval(
        """
        $img = wp_insert_attachment(['post_title' => 'logo', 'post_mime_type' => 'image/png', 'post_status' => 'inherit'], 'logo.png');
        $doc = wp_insert_attachment(['post_title' => 'doc', 'post_mime_type' => 'application/pdf', 'post_status' => 'inherit'], 'doc.pdf');
        return [$img, $doc];
        """
    )
    try:
        refused(admin.put(f"{BASE}/{first['id']}", json={"branding": {"logo_mode": "custom", "logo_attachment_id": ids[1]}}),
                400, "workos_profile_logo_not_image", "branding.logo_attachment_id")
        ok = admin.put(f"{BASE}/{first['id']}", json={"branding": {"logo_mode": "custom", "logo_attachment_id": ids[0]}})
        assert ok.status_code == 200, ok.text
        assert ok.json()["branding"]["logo_mode"] == "custom" and ok.json()["branding"]["logo_url"].endswith("logo.png")
    finally:
        wp_eval("foreach ($args as $id) { wp_delete_attachment($id, true); } return true;", ids)


def test_partial_update_merges_deeply_and_replaces_lists_whole(admin):
    made = create(admin, slug="team", methods=["password", "magic_code", "passkey"],
                  mfa={"enforce": "always", "factors": ["totp", "sms"]},
                  branding={"heading": "Welcome", "subheading": "Staff only", "primary_color": "#000"},
                  signup={"enabled": True, "require_invite": True}, forward_query_args=True)
    url = f"{BASE}/{made['id']}"
    r = admin.put(url, json={"methods": ["oauth_github"], "mfa": {"factors": ["webauthn"]},
                             "branding": {"primary_color": "#ffffff"}, "signup": {"enabled": False}})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["methods"] == ["oauth_github"]
    assert p["mfa"] == {"enforce": "always", "factors": ["webauthn"]}
    assert (p["branding"]["heading"], p["branding"]["subheading"], p["branding"]["primary_color"]) == ("Welcome", "Staff only", "#ffffff")
    assert p["signup"] == {"enabled": False, "require_invite": True}
    assert p["forward_query_args"] is True and p["slug"] == "team"
    # null puts a field back to its default; a patch that breaks a field changes nothing.
    p = admin.put(url, json={"mfa": None}).json()
    assert p["mfa"] == {"enforce": "if_required", "factors": ["totp"]}
    refused(admin.put(url, json={"methods": []}), 400, "workos_profile_invalid_methods", "methods")
    refused(admin.put(url, json={"mfa": {"enforce": "often"}}), 400, "workos_profile_invalid_mfa", "mfa.enforce")
    assert admin.get(url).json()["methods"] == ["oauth_github"]
    # PATCH is the same partial update; unknown keys are dropped.
    p = admin.patch(url, json={"title": "Staff", "colour": "red"}).json()
    assert p["title"] == "Staff" and "colour" not in p


def test_only_administrators_may_use_the_api(clean, wp_url, session_factory, wp_user, wp_eval):
    anonymous = session_factory(wp_url)
    for method, path in [("get", BASE), ("post", BASE), ("get", BASE + "/organizations"), ("get", ROUTING), ("put", ROUTING)]:
        refused(getattr(anonymous, method)(path, json={}), 401, "workos_forbidden")
    for role in ("subscriber", "editor"):
        login = f"profiles_{role}_{uuid.uuid4().hex[:6]}"
        wp_user(login, f"{login}@example.com", "Pw-" + uuid.uuid4().hex, role=role)
        s = signed_in(wp_eval, session_factory, wp_url, login)
        refused(s.get(BASE), 403, "workos_forbidden")
        refused(s.post(BASE, json={"slug": "sneaky"}), 403, "workos_forbidden")
        refused(s.put(ROUTING, json={"rules": []}), 403, "workos_forbidden")
    assert wp_eval("return get_page_by_path('sneaky', OBJECT, 'workos_login_profile');") is None


def test_saved_and_deleted_hooks_receive_the_profile(clean, wp_eval):
    seen = wp_eval(
        """
        $seen = [];
        add_action('workos_login_profile_saved', function ($p) use (&$seen) { $seen[] = ['saved', get_class($p), $p->get_slug(), $p->get_id() > 0]; });
        add_action('workos_login_profile_deleted', function ($p) use (&$seen) { $seen[] = ['deleted', get_class($p), $p->get_slug(), (bool) get_post($p->get_id())]; });
        $saved = WorkOS_WP\\Profiles\\ProfileRepository::save(['slug' => 'hooked']);
        WorkOS_WP\\Profiles\\ProfileRepository::delete($saved->get_id());
        return $seen;
        """
    )
    assert seen == [
        ["saved", "WorkOS_WP\\Profiles\\Profile", "hooked", True],
        ["deleted", "WorkOS_WP\\Profiles\\Profile", "hooked", False],
    ]


def test_routing_rules_round_trip_and_choose_the_profile(admin, wp_eval):
    assert admin.get(ROUTING).json() == {"rules": []}
    create(admin, slug="shop")
    staff = create(admin, slug="staff")
    create(admin, slug="partners")
    rules = [
        {"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}},
        {"profile": "partners", "matcher": {"type": "referrer_host", "value": "Partner.Example"}},
        {"profile": "staff", "matcher": {"type": "user_role", "value": "editor"}},
    ]
    r = admin.put(ROUTING, json={"rules": rules})
    assert r.status_code == 200, r.text
    rules[1]["matcher"]["value"] = "partner.example"  # hosts are kept lower-case
    assert r.json() == {"rules": rules}
    assert admin.get(ROUTING).json() == {"rules": rules}
    assert wp_eval("global $wpdb; return $wpdb->get_var(\"SELECT autoload FROM $wpdb->options WHERE option_name = 'workos_profile_routing_rules'\");") in ("no", "off")

    choose = "return WorkOS_WP\\Profiles\\Routing::choose($args);"
    assert wp_eval(choose, {"redirect_to": "http://site.example/shop/cart/"}) == "shop"
    assert wp_eval(choose, {"redirect_to": "/blog/", "referrer": "https://partner.example/deals"}) == "partners"
    assert wp_eval(choose, {"redirect_to": "/shop/x", "referrer": "https://partner.example/", "roles": ["editor"]}) == "shop"  # first match wins
    assert wp_eval(choose, {"roles": ["editor"]}) == "staff"
    assert wp_eval(choose, {"redirect_to": "/blog/", "roles": ["subscriber"]}) == "default"
    resolved = "return WorkOS_WP\\Profiles\\Routing::resolve($args[0], $args[1])->get_slug();"
    assert wp_eval(resolved, ["partners", {"redirect_to": "/shop/x"}]) == "partners"  # an explicit slug wins
    assert wp_eval(resolved, ["nope", {"redirect_to": "/shop/x"}]) == "shop"
    # A deleted profile's rule is skipped, not followed to a missing page.
    assert admin.delete(f"{BASE}/{staff['id']}").status_code == 200
    assert wp_eval(choose, {"roles": ["editor"]}) == "default"

    refused(admin.put(ROUTING, json={"rules": [{"profile": "staff", "matcher": {"type": "user_role", "value": "editor"}}]}),
            400, "workos_profile_not_found", "rules[0].profile")
    refused(admin.put(ROUTING, json={"rules": [rules[0], {"profile": "shop", "matcher": {"type": "cookie", "value": "x"}}]}),
            400, "workos_profile_invalid_rule", "rules[1].matcher.type")
    refused(admin.put(ROUTING, json={"rules": "all"}), 400, "workos_profile_invalid_rule", "rules")
    assert admin.get(ROUTING).json() == {"rules": rules}  # refused writes changed nothing (staff's rule is kept, skipped)
    assert admin.put(ROUTING, json={"rules": []}).json() == {"rules": []}


def test_organizations_for_the_picker_are_cached_and_refreshable(admin, wp_settings, emulator_url):
    wp_settings()
    tag = uuid.uuid4().hex[:6]
    names = [f"Zeta {tag}", f"alpha {tag}"]
    for name in names:
        requests.post(emulator_url + "/__emulator/organizations", json={"name": name}, timeout=10).raise_for_status()
    body = admin.get(BASE + "/organizations", params={"refresh": "1"}).json()
    assert "error" not in body, body
    listed = [o["name"] for o in body["organizations"]]
    assert set(names) <= set(listed)
    assert listed.index(names[1]) < listed.index(names[0])  # by name, case-insensitively ("alpha" before "Zeta")
    assert all(re.fullmatch(r"org_[A-Za-z0-9]+", o["id"]) for o in body["organizations"])

    later = f"Later {tag}"
    requests.post(emulator_url + "/__emulator/organizations", json={"name": later}, timeout=10).raise_for_status()
    cached = [o["name"] for o in admin.get(BASE + "/organizations").json()["organizations"]]
    assert later not in cached  # briefly cached
    fresh = [o["name"] for o in admin.get(BASE + "/organizations", params={"refresh": "1"}).json()["organizations"]]
    assert later in fresh


def test_organizations_say_why_when_workos_cannot_be_asked(admin, wp_settings):
    wp_settings(api_key="sk_test_wrong_key_for_profiles_0000")
    r = admin.get(BASE + "/organizations", params={"refresh": "1"})
    assert r.status_code == 200, r.text
    assert r.json()["organizations"] == [] and r.json()["error"], r.json()


def test_bad_json_and_hostile_values_are_refused_cleanly(admin):
    r = admin.post(BASE, data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "rest_invalid_json", r.text[:300]
    for body in ([1, 2], {"slug": "a\u0000b"}, {"slug": "a", "branding": "blue"}, {"slug": "a", "methods": {"x": {"y": 1}}},
                 {"slug": "a", "title": "x" * 5000}, {"slug": "a", "custom_path": "a/" * 500}):
        r = admin.post(BASE, json=body)
        assert r.status_code == 400 and r.json()["code"].startswith("workos_profile_"), (body, r.text[:300])


def test_without_the_extension_the_api_says_so(clean, wp_eval):
    answers = wp_eval(
        """
        wp_set_current_user(1);
        $_SERVER['REQUEST_URI'] = '/wp-json/workos/v1/admin/profiles';
        add_action('rest_api_init', ['WorkOS_WP\\Profiles\\AdminRest', 'register_routes']);
        $out = [];
        foreach ([['GET', '/workos/v1/admin/profiles'], ['POST', '/workos/v1/admin/profiles'],
                  ['GET', '/workos/v1/admin/profile-routing'], ['GET', '/workos/v1/admin/profiles/organizations']] as [$m, $route]) {
            $r = rest_do_request(new WP_REST_Request($m, $route));
            $out[] = [$r->get_status(), $r->get_data()];
        }
        return ['loaded' => extension_loaded('workos'), 'answers' => $out];
        """,
        extension=False,
    )
    assert answers["loaded"] is False
    for status, data in answers["answers"][:3]:
        assert (status, data["code"]) == (503, "workos_extension_missing"), data
    status, data = answers["answers"][3]
    assert status == 200 and data["organizations"] == [] and data["error"], data
