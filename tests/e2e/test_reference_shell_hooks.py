"""Issue 13, "Public names, kept compatible" — the rest of the reference's documented hooks (REFERENCE-API §1), driven
through tests/wp/plugins/reference-consumer (written from that documentation alone), beside test_reference_api.py:

- the hosted login's hooks: `workos_authkit_branding` (§1.2 #6) changes the card; `workos_authkit_profile_data`,
  `workos_authkit_body_classes` and `workos_authkit_enqueue_assets` pass a `Profile` object (the consumer calls
  `$profile->get_slug()`, as code written for the reference does);
- `workos_login_profile_saved` / `_deleted` (§1.1 #10, #11);
- the redirect filters not covered there: `workos_redirect_should_apply`, `workos_redirect_is_explicit`,
  `workos_redirect_first_login_only`, `workos_logout_redirect_urls` (§1.2 #9–11, #16);
- `workos_webhook_{event}` for more of the whitelisted types (§6.4)."""

from __future__ import annotations

import html
import json
import re
import uuid

import pytest

from authkit import authkit_sign_in, create_workos_user, start
from test_headless import PASSWORD, unique_email
from test_profiles_api import BASE, admin, clean  # noqa: F401  (fixtures)
from test_redirects_and_logout import logout_url
from test_reference_api import consumer, control  # noqa: F401  (fixture)
from test_roles_and_gate import redirect_sign_in
from webhooks import directory_user, membership, organization, uid

LOGIN = "/workos/login/default/"


def shell(session):
    r = session.get(LOGIN)
    assert r.status_code == 200, r.text[:500]
    return r.text


def data_profile(page: str) -> dict:
    match = re.search(r'data-profile="([^"]*)"', page)
    assert match, page[:800]
    return json.loads(html.unescape(match.group(1)))


def heading(page: str) -> str:
    match = re.search(r'<h1[^>]*id="wa-heading"[^>]*>(.*?)</h1>', page, re.S)
    assert match, page[:1500]
    return match.group(1)


class TestShellHooks:
    def test_the_branding_filter_changes_the_card(self, consumer, wp_eval, session_factory, wp_url):  # noqa: F811
        control(wp_eval, branding={"heading": "Welcome to Consumer Co", "subheading": "Staff only",
                                   "primary_color": "#123456", "logo_url": ""})
        page = shell(session_factory(wp_url))
        assert heading(page) == "Welcome to Consumer Co"
        assert '<p class="wa-subheading">Staff only</p>' in page
        assert "--wa-primary:#123456" in page.replace(" ", "")
        assert 'class="wa-logo"' not in page  # empty logo_url: no <img>
        assert data_profile(page)["branding"] == {"logo_url": "", "primary_color": "#123456",
                                                  "heading": "Welcome to Consumer Co", "subheading": "Staff only"}
        [seen] = consumer("workos_authkit_branding")
        assert set(seen["branding"]) == {"logo_url", "primary_color", "heading", "subheading"}
        assert seen["branding"]["logo_url"]  # the resolved default (site icon or WordPress's logo) before the filter
        assert (seen["profile_is_object"], seen["profile_slug"]) == (True, "default")

        # A logo from the filter is shown.
        control(wp_eval, branding={"logo_url": wp_url + "/wp-admin/images/w-logo-blue.png"})
        page = shell(session_factory(wp_url))
        assert re.search(r'<img class="wa-logo" src="[^"]*/wp-admin/images/w-logo-blue\.png"', page), page[:1500]

    def test_what_a_filter_returns_is_checked_and_escaped(self, consumer, wp_eval, session_factory, wp_url):  # noqa: F811
        control(wp_eval, branding={"heading": "<script>alert(1)</script>Hi", "primary_color": "red;}body{display:none",
                                   "logo_url": "javascript:alert(1)", "subheading": ["not", "text"]})
        page = shell(session_factory(wp_url))
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Hi" in heading(page)
        assert "display:none" not in page
        assert "javascript:" not in page
        assert data_profile(page)["branding"]["primary_color"] == ""
        assert "not" not in data_profile(page)["branding"]["subheading"]

    def test_profile_data_body_classes_and_assets_get_a_profile_object(self, consumer, wp_eval, session_factory,  # noqa: F811
                                                                        wp_url):
        control(wp_eval, profile_data={"consumer_flag": "yes"})
        page = shell(session_factory(wp_url))
        assert data_profile(page)["consumer_flag"] == "yes"
        body = re.search(r'<body class="([^"]*)"', page).group(1).split()
        assert {"workos-authkit-body", "workos-profile-default", "reference-consumer-default"} <= set(body)
        for hook in ("workos_authkit_profile_data", "workos_authkit_body_classes", "workos_authkit_enqueue_assets"):
            seen = consumer(hook)
            assert seen, hook
            assert (seen[0]["profile_is_object"], seen[0]["profile_slug"]) == (True, "default"), (hook, seen)
        assert consumer("workos_authkit_enqueue_assets")[0]["shell_enqueued"] is True
        assert consumer("workos_authkit_body_classes")[0]["classes"] == ["workos-authkit-body", "workos-profile-default"]

    def test_the_profile_is_still_readable_as_an_array(self, wp_eval):
        """Code that used our hooks when they passed a plain array keeps working."""
        got = wp_eval("""
            $p = new WorkOS_WP\\Profiles\\Profile(['slug' => 'members', 'branding' => ['heading' => 'Hi']]);
            try { $p['slug'] = 'x'; $set = 'allowed'; } catch (LogicException $e) { $set = 'refused'; }
            return [$p['slug'], $p['branding']['heading'], isset($p['slug']), isset($p['nothing']), $p['nothing'], $set,
                    $p->get_slug()];
        """)
        assert got == ["members", "Hi", True, False, None, "refused", "members"]


def test_profile_saved_and_deleted_actions(consumer, admin):  # noqa: F811
    r = admin.post(BASE, json={"slug": "consumer-" + uuid.uuid4().hex[:6]})
    assert r.status_code == 201, r.text
    made = r.json()
    [saved] = consumer("workos_login_profile_saved")
    assert saved == {"hook": "workos_login_profile_saved", "id": made["id"], "profile_is_object": True,
                     "profile_slug": made["slug"]}
    assert admin.delete(f"{BASE}/{made['id']}").status_code == 200
    [deleted] = consumer("workos_login_profile_deleted")
    assert deleted == {"hook": "workos_login_profile_deleted", "id": made["id"], "profile_is_object": True,
                       "profile_slug": made["slug"]}


class TestMoreRedirectFilters:
    @pytest.fixture
    def role_redirects(self, wp_settings):
        wp_settings(login_redirects={"subscriber": "/members/"}, login_redirect_default=None,
                    logout_redirects={"subscriber": "/goodbye/"}, login_redirect_first_only=False)
        return wp_settings

    def test_should_apply_false_skips_the_role_url(self, role_redirects, consumer, wp_eval, session_factory, wp_url,  # noqa: F811
                                                   emulator_url):
        control(wp_eval, redirect_should_apply=False)
        email = unique_email("refskip")
        create_workos_user(emulator_url, email, PASSWORD)
        r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
        assert r.status_code == 302 and "/members/" not in r.headers["Location"]
        [asked] = consumer("workos_redirect_should_apply")
        assert asked["user_id"] and isinstance(asked["redirect_to"], str)
        assert [row["reason"] for row in consumer("workos_redirect_skipped")] == ["filtered_out"]

    def test_is_explicit_can_let_the_role_url_win(self, role_redirects, consumer, wp_eval, session_factory, wp_url,  # noqa: F811
                                                  emulator_url):
        email = unique_email("refexplicit")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        r = s.get(authkit_sign_in(emulator_url, start(s, wp_url, redirect_to="/sample-page/"), email, PASSWORD),
                  allow_redirects=False)
        assert r.headers["Location"] == wp_url + "/sample-page/"
        [asked] = consumer("workos_redirect_is_explicit")
        assert asked["explicit"] is True and asked["redirect_to"].endswith("/sample-page/")

        control(wp_eval, redirect_is_explicit=False)
        s = session_factory(wp_url)
        r = s.get(authkit_sign_in(emulator_url, start(s, wp_url, redirect_to="/sample-page/"), email, PASSWORD),
                  allow_redirects=False)
        assert r.headers["Location"] == wp_url + "/members/"

    def test_first_login_only_filter(self, role_redirects, consumer, wp_eval, session_factory, wp_url, emulator_url):  # noqa: F811
        email = unique_email("reffirst")
        create_workos_user(emulator_url, email, PASSWORD)
        assert redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email).headers["Location"] == wp_url + "/members/"
        [asked] = consumer("workos_redirect_first_login_only")
        assert (asked["only"], asked["role"]) == (False, "subscriber")
        # Forced on: the second sign-in is not the first, so the role URL is skipped.
        control(wp_eval, redirect_first_login_only=True)
        again = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
        assert "/members/" not in again.headers["Location"]
        assert consumer("workos_redirect_skipped")[-1]["reason"] == "not_first_login"

    def test_logout_map_filter_adds_a_role(self, wp_settings, consumer, wp_eval, session_factory, wp_url,  # noqa: F811
                                           emulator_url):
        wp_settings(logout_redirects=None, login_redirects=None, login_redirect_default=None)
        email = unique_email("reflogoutmap")
        create_workos_user(emulator_url, email, PASSWORD)
        s = session_factory(wp_url)
        redirect_sign_in(s, wp_url, emulator_url, email)
        control(wp_eval, logout_redirect_urls={"subscriber": "/from-logout-filter/"})
        r = s.get(logout_url(s), allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"] == wp_url + "/from-logout-filter/"


def test_typed_webhook_actions_for_more_event_types(consumer, hook, wp_settings):  # noqa: F811
    org_id = uid("org")
    wp_settings(organization_id=org_id)
    sent = {
        "organization.updated": organization(org_id, "Consumer Org"),
        "organization_membership.created": membership(uid("om"), uid("user"), org_id),
        "dsync.user.created": directory_user(uid("directory_user"), unique_email("refdsync"), org_id),
    }
    ids = {}
    for kind, data in sent.items():
        event_id = uid("event")
        ids[kind] = event_id
        hook(kind, data, event_id=event_id)
    for kind, data in sent.items():
        assert consumer("workos_webhook_" + kind) == [
            {"hook": "workos_webhook_" + kind, "event_id": ids[kind], "data_id": data["id"]}], kind


def test_user_list_column_actions(consumer, admin, wp_eval, wp_user):  # noqa: F811
    """§1.2 #3: links a plugin adds show under the WorkOS column of linked users only, kept to safe HTML."""
    workos_id = uid("user")
    linked = wp_user("refcol" + uuid.uuid4().hex[:6], unique_email("refcol"), "x-Passw0rd-1", workos_id=workos_id)
    plain = wp_user("refplain" + uuid.uuid4().hex[:6], unique_email("refplain"), "x-Passw0rd-1")
    control(wp_eval, column_actions={"evil": '<a href="#" onclick="alert(1)">x</a><script>alert(2)</script>'})
    page = admin.get("/wp-admin/users.php", params={"s": linked["login"]}).text
    row = re.search(rf"<tr id=.user-{linked['id']}.>.*?</tr>", page, re.S).group(0)
    link = re.search(r'<a href="([^"]+)" class="reference-consumer-link" data-user="(\d+)">([^<]+)</a>', row)
    assert link, row
    assert (link.group(1), int(link.group(2)), link.group(3)) == (
        f"https://dashboard.example/users/{workos_id}", linked["id"], f"Open {workos_id}")
    assert "onclick" not in row and "<script>alert(2)" not in row
    page = admin.get("/wp-admin/users.php", params={"s": plain["login"]}).text
    row = re.search(rf"<tr id=.user-{plain['id']}.>.*?</tr>", page, re.S).group(0)
    assert "reference-consumer-link" not in row
