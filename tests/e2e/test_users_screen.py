"""The Users screen (issue 13): the WorkOS column, the row actions (each behind a nonce and a capability),
the "Sync with WorkOS" bulk action and the "Out of sync with WorkOS" view.

Row actions are GET links on users.php carrying `action=workos_*`, `user=<id>` and a nonce of their own; the
tests follow the links the page prints, and forge the others (no nonce, a wrong nonce, a valid nonce of a user
without the capability) to see them refused with nothing changed.
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from authkit import create_workos_user, emulator_requests



@pytest.fixture
def signed_in(wp_url, session_factory, wp_eval):
    """signed_in(login) -> (session, logged-in cookie): cookies minted inside WordPress."""

    def _make(login: str):
        cookies = wp_eval(
            """
            $u = get_user_by('login', $args);
            $exp = time() + 3600;
            return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                    [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            login,
        )
        s = session_factory(wp_url)
        for name, value in cookies:
            s.cookies.set(name, value, domain="127.0.0.1", path="/")
        return s, cookies[1][1]

    return _make


@pytest.fixture
def admin(signed_in, admin_credentials):
    return signed_in(admin_credentials[0])[0]


def nonce_for(wp_eval, cookie: str, action: str) -> str:
    """A nonce as WordPress makes it for the holder of this logged-in cookie (their session token)."""
    return wp_eval(
        """
        $_COOKIE[LOGGED_IN_COOKIE] = $args['cookie'];
        $c = wp_parse_auth_cookie($args['cookie'], 'logged_in');
        wp_set_current_user(get_user_by('login', $c['username'])->ID);
        return wp_create_nonce($args['action']);
        """,
        {"cookie": cookie, "action": action},
    )


def tag() -> str:
    return uuid.uuid4().hex[:10]


def users_page(session, search: str, **params) -> str:
    r = session.get("/wp-admin/users.php", params={"s": search, **params})
    assert r.status_code == 200, r.text[:500]
    return r.text


def row(page: str, user_id: int) -> str:
    m = re.search(rf"<tr id=['\"]user-{user_id}['\"].*?</tr>", page, re.S)
    assert m, f"no row for user {user_id}"
    return m.group(0)


def cell(page: str, user_id: int) -> str:
    m = re.search(r"<td class=['\"]workos column-workos['\"][^>]*>(.*?)</td>", row(page, user_id), re.S)
    assert m, "no WorkOS cell"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))).strip()


def action_links(page: str, user_id: int) -> dict[str, str]:
    r = row(page, user_id)
    return {
        a: html.unescape(href)
        for href, a in re.findall(r'<a href="([^"]+)" class="workos-([a-z]+)"', r)
    }


def meta(wp_eval, user_id: int, key: str):
    return wp_eval("return get_user_meta($args[0], $args[1], true);", [user_id, key])


def result_of(r: requests.Response) -> dict:
    assert r.status_code == 302, (r.status_code, r.text[:500])
    q = parse_qs(urlparse(r.headers["Location"]).query)
    return {k: v[0] for k, v in q.items()}


def notice(page: str) -> str:
    m = re.search(r'<div class="notice notice-(\w+) is-dismissible workos-users-notice" data-result="([a-z_]+)"><p>(.*?)</p>', page, re.S)
    assert m, "no result notice"
    return m.group(1) + ": " + html.unescape(m.group(3))


@pytest.fixture
def lister(wp_eval, wp_user):
    """A user who may list users but not edit them (a role with list_users only)."""
    wp_eval("add_role('workos_lister', 'Lister', ['read' => true, 'list_users' => true]); return true;")
    t = tag()
    u = wp_user("lister" + t, f"lister-{t}@example.com", "Lister-Passw0rd", role="workos_lister")
    yield u
    wp_eval("remove_role('workos_lister'); return true;")


def test_column_shows_linked_directory_deactivated_and_unlinked(admin, wp_user, wp_eval):
    t = tag()
    linked = wp_user("col-l" + t, f"col-l-{t}@example.com", "x-Passw0rd-1", workos_id="user_COL" + t.upper())
    directory = wp_user("col-d" + t, f"col-d-{t}@example.com", "x-Passw0rd-1")
    wp_eval("update_user_meta($args[0], '_workos_directory_user_id', $args[1]); return true;", [directory["id"], "directory_user_" + t])
    gone = wp_user("col-x" + t, f"col-x-{t}@example.com", "x-Passw0rd-1", workos_id="user_GONE" + t.upper())
    wp_eval("update_user_meta($args, '_workos_deactivated', 'user.deleted'); return true;", gone["id"])
    plain = wp_user("col-n" + t, f"col-n-{t}@example.com", "x-Passw0rd-1")

    page = users_page(admin, t)
    assert "<th scope=\"col\" id='workos'" in page
    assert cell(page, linked["id"]) == "Linked WorkOS user: user_COL" + t.upper()
    assert cell(page, directory["id"]) == "Directory-managed Directory user: directory_user_" + t
    assert cell(page, gone["id"]).startswith("Deactivated WorkOS user: user_GONE" + t.upper())
    assert "reason: user.deleted" in cell(page, gone["id"])
    assert cell(page, plain["id"]) == "Not linked"
    # The id is in small text with its kind on hover.
    assert '<span class="workos-id" title="WorkOS user">' in row(page, linked["id"])

    # The actions offered fit each state.
    assert set(action_links(page, linked["id"])) == {"sync", "unlink", "deactivate"}
    assert set(action_links(page, plain["id"])) == {"link", "deactivate"}
    assert set(action_links(page, gone["id"])) == {"sync", "unlink", "reactivate"}


def test_link_by_verified_email(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    remote = create_workos_user(emulator_url, f"link-{t}@example.com", first_name="Ada", last_name="Lovelace")
    local = wp_user("link" + t, f"link-{t}@example.com", "x-Passw0rd-1")
    link = action_links(users_page(admin, t), local["id"])["link"]
    r = admin.get(link, allow_redirects=False)
    assert result_of(r)["workos_result"] == "linked"
    assert meta(wp_eval, local["id"], "_workos_user_id") == remote["id"]
    assert notice(admin.get(r.headers["Location"]).text).startswith("success: link" + t + " is now linked")
    assert cell(users_page(admin, t), local["id"]) == "Linked WorkOS user: " + remote["id"]
    # Now WorkOS's account: its names come from there.
    assert wp_eval("return get_userdata($args)->display_name;", local["id"]) == "Ada Lovelace"


def test_link_is_refused_for_an_unverified_workos_email(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    create_workos_user(emulator_url, f"unv-{t}@example.com", email_verified=False)
    local = wp_user("unv" + t, f"unv-{t}@example.com", "x-Passw0rd-1")
    link = action_links(users_page(admin, t), local["id"])["link"]
    r = admin.get(link, allow_redirects=False)
    assert result_of(r)["workos_result"] == "link_unverified"
    assert meta(wp_eval, local["id"], "_workos_user_id") == ""
    text = notice(admin.get(r.headers["Location"]).text)
    assert text.startswith("error: Not linked") and "not verified" in text


def test_link_without_a_workos_user(admin, wp_user, wp_eval):
    t = tag()
    local = wp_user("none" + t, f"none-{t}@example.com", "x-Passw0rd-1")
    r = admin.get(action_links(users_page(admin, t), local["id"])["link"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "link_none"
    assert meta(wp_eval, local["id"], "_workos_user_id") == ""


def test_link_refused_when_the_workos_user_is_another_accounts(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    remote = create_workos_user(emulator_url, f"taken-{t}@example.com")
    wp_user("taken-a" + t, f"other-{t}@example.com", "x-Passw0rd-1", workos_id=remote["id"])
    local = wp_user("taken-b" + t, f"taken-{t}@example.com", "x-Passw0rd-1")
    r = admin.get(action_links(users_page(admin, t), local["id"])["link"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "link_taken"
    assert meta(wp_eval, local["id"], "_workos_user_id") == ""


def test_unlink(admin, wp_user, wp_eval):
    t = tag()
    local = wp_user("unl" + t, f"unl-{t}@example.com", "x-Passw0rd-1", workos_id="user_UNL" + t.upper())
    r = admin.get(action_links(users_page(admin, t), local["id"])["unlink"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "unlinked"
    assert meta(wp_eval, local["id"], "_workos_user_id") == ""
    assert wp_eval("return \\WorkOS_WP\\Users\\Users::find_linked($args);", "user_UNL" + t.upper()) is None
    assert cell(users_page(admin, t), local["id"]) == "Not linked"


def test_sync_from_workos(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    remote = create_workos_user(emulator_url, f"sync-{t}@example.com", first_name="Grace", last_name="Hopper")
    local = wp_user("sync" + t, f"sync-{t}@example.com", "x-Passw0rd-1", workos_id=remote["id"])
    r = admin.get(action_links(users_page(admin, t), local["id"])["sync"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "synced"
    got = wp_eval("$u = get_userdata($args); return [$u->first_name, $u->last_name, $u->display_name];", local["id"])
    assert got == ["Grace", "Hopper", "Grace Hopper"]
    assert notice(admin.get(r.headers["Location"]).text).startswith("success: sync" + t + " was refreshed")


def test_sync_of_a_deleted_workos_user_lists_it_out_of_sync(admin, wp_user, wp_eval):
    t = tag()
    gone = "user_01GONE" + t.upper()
    local = wp_user("miss" + t, f"miss-{t}@example.com", "x-Passw0rd-1", workos_id=gone)
    r = admin.get(action_links(users_page(admin, t), local["id"])["sync"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "missing"
    view = users_page(admin, t, workos_view="out_of_sync")
    assert "Out of sync: WorkOS no longer has this user" in cell(view, local["id"])
    # Unlinking takes it out of the view.
    admin.get(action_links(view, local["id"])["unlink"], allow_redirects=False)
    assert f"id='user-{local['id']}'" not in users_page(admin, t, workos_view="out_of_sync")


def test_deactivate_and_reactivate(admin, wp_user, wp_eval):
    t = tag()
    local = wp_user("deac" + t, f"deac-{t}@example.com", "x-Passw0rd-1", role="editor")
    r = admin.get(action_links(users_page(admin, t), local["id"])["deactivate"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "deactivated"
    assert meta(wp_eval, local["id"], "_workos_deactivated") == "admin"
    assert wp_eval("return get_userdata($args)->roles;", local["id"]) == []
    page = users_page(admin, t)
    assert cell(page, local["id"]) == "Deactivated by an administrator"
    r = admin.get(action_links(page, local["id"])["reactivate"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "reactivated"
    assert meta(wp_eval, local["id"], "_workos_deactivated") == ""
    assert wp_eval("return array_values(get_userdata($args)->roles);", local["id"]) == ["editor"]


def test_no_one_deactivates_themselves(admin, wp_eval, admin_credentials):
    me = wp_eval("return get_user_by('login', $args)->ID;", admin_credentials[0])
    page = users_page(admin, admin_credentials[0])
    assert "deactivate" not in action_links(page, me)
    # Even with a valid nonce of that action, refused.
    nonce = nonce_from_page_for(admin, wp_eval, f"workos_deactivate_{me}")
    r = admin.get("/wp-admin/users.php", params={"action": "workos_deactivate", "user": me, "_wpnonce": nonce},
                  allow_redirects=False)
    assert result_of(r)["workos_result"] == "self"
    assert meta(wp_eval, me, "_workos_deactivated") == ""


def nonce_from_page_for(session, wp_eval, action: str) -> str:
    cookie = next(c.value for c in session.cookies if c.name.startswith("wordpress_logged_in_"))
    return nonce_for(wp_eval, cookie, action)


@pytest.mark.parametrize("action", ["link", "unlink", "sync", "deactivate", "reactivate"])
def test_row_actions_need_a_valid_nonce(admin, wp_user, wp_eval, action):
    t = tag()
    linked = action in ("unlink", "sync")
    local = wp_user("nn" + t, f"nn-{t}@example.com", "x-Passw0rd-1", workos_id=("user_NN" + t.upper()) if linked else None)
    if action == "reactivate":
        wp_eval("update_user_meta($args, '_workos_deactivated', 'admin'); return true;", local["id"])
    before = wp_eval("return get_user_meta($args);", local["id"])
    for nonce in (None, "0123456789"):
        params = {"action": "workos_" + action, "user": local["id"]}
        if nonce:
            params["_wpnonce"] = nonce
        r = admin.get("/wp-admin/users.php", params=params, allow_redirects=False)
        assert r.status_code == 403, (action, nonce, r.status_code)
    assert wp_eval("return get_user_meta($args);", local["id"]) == before


@pytest.mark.parametrize("action", ["link", "unlink", "sync", "deactivate", "reactivate"])
def test_row_actions_need_the_capability(signed_in, lister, wp_user, wp_eval, action, emulator_url):
    t = tag()
    create_workos_user(emulator_url, f"cap-{t}@example.com")
    linked = action in ("unlink", "sync")
    target = wp_user("cap" + t, f"cap-{t}@example.com", "x-Passw0rd-1", workos_id=("user_CAP" + t.upper()) if linked else None)
    if action == "reactivate":
        wp_eval("update_user_meta($args, '_workos_deactivated', 'admin'); return true;", target["id"])
    session, cookie = signed_in(lister["login"])
    page = users_page(session, t)
    assert action_links(page, target["id"]) == {}, "no WorkOS actions for a user who may not edit users"
    before = wp_eval("return get_user_meta($args);", target["id"])
    nonce = nonce_for(wp_eval, cookie, f"workos_{action}_{target['id']}")
    r = session.get("/wp-admin/users.php", params={"action": "workos_" + action, "user": target["id"], "_wpnonce": nonce}, allow_redirects=False)
    assert r.status_code == 403
    assert wp_eval("return get_user_meta($args);", target["id"]) == before


def bulk_form_nonce(page: str) -> str:
    m = re.search(r'name="_wpnonce" value="([0-9a-f]+)"', page)
    assert m
    return m.group(1)


def test_bulk_sync(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    a = create_workos_user(emulator_url, f"bulk-a-{t}@example.com", first_name="Alan", last_name="Turing")
    b = create_workos_user(emulator_url, f"bulk-b-{t}@example.com", first_name="Joan", last_name="Clarke")
    ua = wp_user("bulk-a" + t, f"bulk-a-{t}@example.com", "x-Passw0rd-1", workos_id=a["id"])
    ub = wp_user("bulk-b" + t, f"bulk-b-{t}@example.com", "x-Passw0rd-1", workos_id=b["id"])
    uc = wp_user("bulk-c" + t, f"bulk-c-{t}@example.com", "x-Passw0rd-1")
    page = users_page(admin, t)
    assert '<option value="workos_bulk_sync">Sync with WorkOS</option>' in page
    form = {"action": "workos_bulk_sync", "action2": "-1", "users[]": [ua["id"], ub["id"], uc["id"]],
            "_wpnonce": bulk_form_nonce(page), "_wp_http_referer": "/wp-admin/users.php?s=" + t}
    # Without the list's nonce WordPress refuses it, and nothing changes.
    bad = admin.get("/wp-admin/users.php", params={**form, "_wpnonce": "0"}, allow_redirects=False)
    assert bad.status_code in (403, 302) and "workos_result" not in bad.headers.get("Location", "")
    assert wp_eval("return get_userdata($args)->first_name;", ua["id"]) == ""

    r = admin.get("/wp-admin/users.php", params={k: v for k, v in form.items() if k != "_wp_http_referer"},
                  headers={"Referer": admin.base_url + "wp-admin/users.php?s=" + t}, allow_redirects=False)
    res = result_of(r)
    assert res["workos_result"] == "bulk_synced"
    assert (res["workos_synced"], res["workos_failed"], res["workos_skipped"], res["workos_missing"]) == ("2", "0", "1", "0")
    assert wp_eval("return get_userdata($args)->display_name;", ua["id"]) == "Alan Turing"
    assert wp_eval("return get_userdata($args)->display_name;", ub["id"]) == "Joan Clarke"
    text = notice(admin.get(r.headers["Location"]).text)
    assert text == "success: Sync with WorkOS: 2 refreshed, 0 failed, 0 no longer in WorkOS, 1 skipped (not linked to a WorkOS user)."


def test_out_of_sync_view(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    remote = create_workos_user(emulator_url, f"oos-{t}@example.com", first_name="Ada", last_name="Lovelace")
    local = wp_user("oos" + t, f"oos-{t}@example.com", "x-Passw0rd-1", workos_id=remote["id"])
    # Renamed on this site (WorkOS's own changes arrive by webhook; this one WorkOS never hears of).
    wp_eval("wp_update_user(['ID' => $args, 'first_name' => 'Ada', 'last_name' => 'King']); return true;", local["id"])

    # Listing asks WorkOS nothing, so nothing is known yet.
    calls = len(emulator_requests(emulator_url, f"/user_management/users/{remote['id']}"))
    view = users_page(admin, t, workos_view="out_of_sync")
    assert f"id='user-{local['id']}'" not in view
    assert 'class="current" aria-current="page">Out of sync with WorkOS' in view
    assert "Check linked users with WorkOS now" in view
    assert len(emulator_requests(emulator_url, f"/user_management/users/{remote['id']}")) == calls

    # The check asks WorkOS about every linked user and changes nothing.
    nonce = re.search(r'name="_wpnonce" value="([0-9a-f]+)"', view.split("workos-out-of-sync-help", 1)[1]).group(1)
    assert admin.post("/wp-admin/users.php?workos_view=out_of_sync", data={"action": "workos_check"}, allow_redirects=False).status_code == 403
    r = admin.post("/wp-admin/users.php?workos_view=out_of_sync", data={"action": "workos_check", "_wpnonce": nonce}, allow_redirects=False)
    res = result_of(r)
    assert res["workos_result"] == "checked" and res["workos_view"] == "out_of_sync"
    assert int(res["workos_checked"]) >= 1 and int(res["workos_differ"]) >= 1
    assert wp_eval("return get_userdata($args)->last_name;", local["id"]) == "King"
    view = users_page(admin, t, workos_view="out_of_sync")
    assert cell(view, local["id"]).endswith("Out of sync: last name")
    assert re.search(r"Out of sync with WorkOS <span class=\"count\">\(\d+\)</span>", view)

    # Sync copies WorkOS's values and the user leaves the view.
    r = admin.get(action_links(view, local["id"])["sync"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "synced"
    assert wp_eval("return get_userdata($args)->last_name;", local["id"]) == "Lovelace"
    assert result_of(r)["workos_view"] == "out_of_sync"
    assert f"id='user-{local['id']}'" not in users_page(admin, t, workos_view="out_of_sync")


def test_out_of_sync_marker_clears_when_the_account_is_fixed_here(admin, wp_user, wp_eval, emulator_url):
    t = tag()
    remote = create_workos_user(emulator_url, f"fix-{t}@example.com", first_name="Ada", last_name="Byron")
    local = wp_user("fix" + t, f"fix-{t}@example.com", "x-Passw0rd-1", workos_id=remote["id"])
    # As a check leaves it: WorkOS's last name differs from the account's.
    wp_eval("update_user_meta($args, '_workos_out_of_sync', ['fields' => ['last_name'], 'workos' => ['email' => null, 'email_verified' => true, 'first_name' => null, 'last_name' => 'Byron'], 'at' => time()]); return true;", local["id"])
    assert f"id='user-{local['id']}'" in users_page(admin, t, workos_view="out_of_sync")
    # …and once the account agrees with WorkOS's values as last seen, it leaves the view without a WorkOS call.
    wp_eval("wp_update_user(['ID' => $args, 'last_name' => 'Byron']); return true;", local["id"])
    assert f"id='user-{local['id']}'" not in users_page(admin, t, workos_view="out_of_sync")
    assert meta(wp_eval, local["id"], "_workos_out_of_sync") == ""


def test_uninstall_knows_the_marker(wp_eval):
    assert "_workos_out_of_sync" in wp_eval("return \\WorkOS_WP\\Users\\UserMeta::ALL;")


def test_without_the_extension_the_screen_works_and_workos_actions_say_why_not(admin_credentials, wp_user, wp_eval,
                                                                                noext_url, session_factory, native_login):
    t = tag()
    local = wp_user("noext" + t, f"noext-{t}@example.com", "x-Passw0rd-1", workos_id="user_NOEXT" + t.upper())
    wp_eval("update_user_meta($args, '_workos_out_of_sync', ['fields' => ['email'], 'workos' => ['email' => 'x@example.com'], 'at' => time()]); return true;", local["id"])
    s = session_factory(noext_url)
    assert native_login(s, noext_url, *admin_credentials).status_code == 302  # WordPress's own form, no WorkOS
    page = users_page(s, t)
    assert cell(page, local["id"]).startswith("Linked WorkOS user: user_NOEXT" + t.upper())
    r = s.get(action_links(page, local["id"])["sync"], allow_redirects=False)
    assert result_of(r)["workos_result"] == "unavailable"
    assert meta(wp_eval, local["id"], "_workos_user_id") == "user_NOEXT" + t.upper()
