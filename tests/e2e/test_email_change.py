"""Change of email (issue 12): /wp-json/workos/v1/users/{id}/email-change[/confirm|/cancel].

WorkOS's email-change send/confirm: a code goes to the NEW address (read here from the emulator's
control API, standing in for that inbox); WordPress's address changes only once the code comes
back; the old address is told (wp_mail, caught by tests/wp/mu-plugins/workos-mail-catcher.php);
an administrator changing another user's address commits it at once; an address another account
holds gets the same answer as a free one (and no code); starting is rate-limited.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from authkit import create_workos_user

WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


def route(uid: int, suffix: str = "") -> str:
    return f"/wp-json/workos/v1/users/{uid}/email-change{suffix}"


def unique(prefix: str = "ec") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture(autouse=True)
def fresh(wp_eval):
    wp_eval(WIPE_LIMITS + " workos_test_mail_clear();")
    yield
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def signed_in(wp_eval, session_factory, wp_url):
    """signed_in(login) -> a session signed in as `login`, with its REST nonce header."""

    def _make(login: str) -> requests.Session:
        cookies = wp_eval(
            """
            $u = get_user_by('login', $args['login']);
            $exp = time() + HOUR_IN_SECONDS;
            $hash = md5($args['site']);
            return [['wordpress_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                    ['wordpress_logged_in_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            {"login": login, "site": wp_url},
        )
        s = session_factory(wp_url)
        for name, value in cookies:
            s.cookies.set(name, value, path="/")
        r = s.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
        assert r.status_code == 200 and r.text and r.text != "0", r.text[:200]
        s.headers["X-WP-Nonce"] = r.text.strip()
        return s

    return _make


@pytest.fixture
def linked(wp_user, emulator_url):
    """linked(role='subscriber') -> {id, login, email, workos_id}: a WordPress user linked to a new WorkOS user."""

    def _make(role: str = "subscriber") -> dict:
        email = unique()
        workos = create_workos_user(emulator_url, email)
        user = wp_user("ec" + uuid.uuid4().hex[:8], email, "Passw0rd!-ec", role=role, workos_id=workos["id"])
        return {**user, "workos_id": workos["id"]}

    return _make


def wp_email(wp_eval, uid: int) -> str:
    return wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", uid)


def code_sent_to(emulator_url: str, email: str) -> str | None:
    r = requests.get(emulator_url + "/__emulator/email_change", params={"email": email}, timeout=30)
    return r.json()["code"] if r.status_code == 200 else None


def mail_to(wp_eval, address: str) -> list[dict]:
    return wp_eval("return workos_test_mail_read($args);", address)


def events(wp_eval, uid: int) -> list[str]:
    return wp_eval(
        "global $wpdb; return $wpdb->get_col($wpdb->prepare('SELECT type FROM ' . $wpdb->base_prefix"
        " . 'workos_activity_log WHERE user_id = %d ORDER BY id', $args));",
        uid,
    )


def test_self_service_change_needs_the_code_sent_to_the_new_address(linked, signed_in, wp_eval, emulator_url, env):
    user = linked()
    s = signed_in(user["login"])
    new = unique("new")

    r = s.post(route(user["id"]), json={"new_email": new})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["masked_new_email"] == "n***@example.com"
    assert isinstance(body["expires_at"], int)
    # Never cached (WordPress sends no-cache headers to signed-in users' REST requests).
    assert any(k in r.headers.get("Cache-Control", "") for k in ("no-store", "no-cache"))
    # Nothing changed yet, anywhere; the old address is told a change was asked for.
    assert wp_email(wp_eval, user["id"]) == user["email"]
    requested = mail_to(wp_eval, user["email"])
    assert len(requested) == 1 and "requested" in requested[0]["subject"]
    assert new not in requested[0]["message"]  # Masked: the old inbox learns no full new address.
    code = code_sent_to(emulator_url, new)
    assert code and len(code) == 6

    wrong = "000000" if code != "000000" else "111111"
    r = s.post(route(user["id"], "/confirm"), json={"code": wrong})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_code", r.text
    assert wp_email(wp_eval, user["id"]) == user["email"]

    r = s.post(route(user["id"], "/confirm"), json={"code": code})
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True, "email": new}
    assert wp_email(wp_eval, user["id"]) == new
    # WorkOS has it too (its own Get User).
    got = requests.get(env["API_BASE_URL"] + f"/user_management/users/{user['workos_id']}",
                       headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=30).json()
    assert got["email"] == new
    changed = [m for m in mail_to(wp_eval, user["email"]) if "was changed" in m["subject"]]
    assert len(changed) == 1
    # Core's own "email changed" notice is replaced by ours, not sent as well.
    assert len(mail_to(wp_eval, user["email"])) == 2
    assert wp_eval("return get_user_meta($args, '_workos_pending_email_change', true);", user["id"]) in ("", None)
    log = events(wp_eval, user["id"])
    assert "email_change_initiated" in log and "email_change_confirmed" in log

    # The code is spent.
    r = s.post(route(user["id"], "/confirm"), json={"code": code})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_request", r.text


def test_reference_actions_fire_with_their_arguments(linked, wp_eval, emulator_url):
    user = linked()
    new = unique("hooks")
    fired = wp_eval(
        """
        $seen = [];
        foreach (['initiated' => 3, 'confirmed' => 3, 'cancelled' => 2] as $name => $n) {
            add_action('workos_change_email_' . $name, function (...$a) use (&$seen, $name) { $seen[] = [$name, $a]; }, 10, $n);
        }
        wp_set_current_user($args['id']);
        $u = get_userdata($args['id']);
        $r = \\WorkOS_WP\\Users\\EmailChange::start($u, $args['new'], $args['id']);
        \\WorkOS_WP\\Users\\EmailChange::cancel($u, 'capability');
        return ['start' => $r, 'seen' => $seen];
        """,
        {"id": user["id"], "new": new},
    )
    assert fired["start"]["ok"] is True
    assert fired["seen"] == [["initiated", [user["id"], new, user["id"]]], ["cancelled", [user["id"], "capability"]]]
    # Started again (the cancel left WorkOS's first code unusable here), then confirmed.
    wp_eval(
        "\\WorkOS_WP\\Users\\EmailChange::start(get_userdata($args['id']), $args['new'], $args['id']); return true;",
        {"id": user["id"], "new": new},
    )
    code = code_sent_to(emulator_url, new)
    fired = wp_eval(
        """
        $seen = [];
        add_action('workos_change_email_confirmed', function (...$a) use (&$seen) { $seen[] = $a; }, 10, 3);
        $r = \\WorkOS_WP\\Users\\EmailChange::confirm(get_userdata($args['id']), $args['code']);
        return ['r' => is_wp_error($r) ? $r->get_error_code() : $r, 'seen' => $seen];
        """,
        {"id": user["id"], "code": code},
    )
    assert fired["r"] == {"ok": True, "email": new}
    assert fired["seen"] == [[user["id"], user["email"], new]]


def test_refusals(linked, wp_user, signed_in, session_factory, wp_url):
    user = linked()
    other = linked()
    plain = wp_user("ecplain" + uuid.uuid4().hex[:6], unique("plain"), "Passw0rd!-ec")

    anon = session_factory(wp_url)
    r = anon.post(route(user["id"]), json={"new_email": unique()})
    assert r.status_code == 401 and r.json()["code"] == "workos_forbidden", r.text

    s = signed_in(other["login"])  # A subscriber, on someone else's account.
    r = s.post(route(user["id"]), json={"new_email": unique()})
    assert r.status_code == 403 and r.json()["code"] == "workos_forbidden", r.text
    r = s.post(route(user["id"], "/cancel"))
    assert r.status_code == 403, r.text

    s = signed_in(user["login"])
    for bad in ("not-an-email", "", None, "a" * 250 + "@example.com"):
        r = s.post(route(user["id"]), json={"new_email": bad})
        assert r.status_code == 400 and r.json()["code"] == "workos_invalid_email", (bad, r.text)
    r = s.post(route(user["id"]), json={"new_email": user["email"].upper()})
    assert r.status_code == 200 and r.json().get("no_op") is True, r.text
    r = s.post(route(user["id"], "/confirm"), json={"code": "123456"})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_request", r.text
    r = s.post(route(user["id"], "/confirm"), json={})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_request", r.text

    # Without the REST nonce WordPress treats the request as signed out.
    bare = session_factory(wp_url)
    bare.cookies.update(s.cookies)
    r = bare.post(route(user["id"]), json={"new_email": unique()})
    assert r.status_code in (401, 403), r.text

    s = signed_in(plain["login"])
    r = s.post(route(plain["id"]), json={"new_email": unique()})
    assert r.status_code == 409 and r.json()["code"] == "workos_user_not_linked", r.text


def test_an_address_another_account_holds_answers_alike_and_sends_no_code(linked, signed_in, wp_eval, emulator_url):
    user = linked()
    taken = linked()
    s = signed_in(user["login"])
    r = s.post(route(user["id"]), json={"new_email": taken["email"]})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"ok", "masked_new_email", "expires_at"}
    assert code_sent_to(emulator_url, taken["email"]) is None
    r = s.post(route(user["id"], "/confirm"), json={"code": "123456"})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_code", r.text
    assert wp_email(wp_eval, user["id"]) == user["email"]
    assert "email_change_conflict_blocked" in events(wp_eval, user["id"])

    # Taken at WorkOS only (no WordPress account): the same answer, no code.
    elsewhere = unique("workos-only")
    create_workos_user(emulator_url, elsewhere)
    r = s.post(route(user["id"]), json={"new_email": elsewhere})
    assert r.status_code == 200 and set(r.json()) == {"ok", "masked_new_email", "expires_at"}, r.text
    assert code_sent_to(emulator_url, elsewhere) is None


def test_cancel_forgets_the_pending_change(linked, signed_in, wp_eval, emulator_url):
    user = linked()
    s = signed_in(user["login"])
    new = unique("cancel")
    assert s.post(route(user["id"]), json={"new_email": new}).status_code == 200
    code = code_sent_to(emulator_url, new)
    # The profile screen remembers the waiting change (masked), so the code can be typed later.
    page = s.get("/wp-admin/profile.php").text
    assert "c***@example.com is waiting for the code" in page and new not in page
    r = s.post(route(user["id"], "/cancel"))
    assert r.status_code == 200 and r.json() == {"ok": True}, r.text
    r = s.post(route(user["id"], "/cancel"))  # Nothing pending: still ok.
    assert r.status_code == 200, r.text
    r = s.post(route(user["id"], "/confirm"), json={"code": code})
    assert r.status_code == 400 and r.json()["code"] == "workos_invalid_request", r.text
    assert wp_email(wp_eval, user["id"]) == user["email"]
    assert "email_change_cancelled" in events(wp_eval, user["id"])


def test_an_administrator_changes_another_users_address_at_once(linked, signed_in, wp_eval, env):
    admin = linked(role="administrator")
    user = linked()
    taken = linked()
    s = signed_in(admin["login"])
    new = unique("byadmin")
    r = s.post(route(user["id"]), json={"new_email": new})
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True, "committed": True, "email": new}
    assert wp_email(wp_eval, user["id"]) == new
    got = requests.get(env["API_BASE_URL"] + f"/user_management/users/{user['workos_id']}",
                       headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=30).json()
    assert got["email"] == new and got["email_verified"] is True
    assert any("was changed" in m["subject"] for m in mail_to(wp_eval, user["email"]))
    assert "email_change_admin_changed" in events(wp_eval, user["id"])

    # An administrator is told of a conflict (they can see every account anyway).
    r = s.post(route(user["id"]), json={"new_email": taken["email"]})
    assert r.status_code == 409 and r.json()["code"] == "workos_change_email_conflict", r.text
    assert wp_email(wp_eval, user["id"]) == new

    r = s.post(route(999999999), json={"new_email": unique()})
    assert r.status_code == 404 and r.json()["code"] == "workos_user_not_found", r.text


def test_starting_is_rate_limited_per_account(linked, signed_in, emulator_url):
    user = linked()
    s = signed_in(user["login"])
    for _ in range(3):
        r = s.post(route(user["id"]), json={"new_email": unique("rl")})
        assert r.status_code == 200, r.text
    new = unique("rl")
    r = s.post(route(user["id"]), json={"new_email": new})
    assert r.status_code == 429 and r.json()["code"] == "workos_rate_limited", r.text
    assert int(r.headers["Retry-After"]) > 0
    assert code_sent_to(emulator_url, new) is None


def test_wordpress_profile_form_still_cannot_change_a_linked_address(linked, signed_in, wp_eval):
    user = linked()
    s = signed_in(user["login"])
    page = s.get("/wp-admin/profile.php")
    assert page.status_code == 200
    assert 'id="workos-email-change"' in page.text and "workos-panel" in page.text
    nonce = re.search(r'name="_wpnonce" value="([^"]+)"', page.text).group(1)
    r = s.post("/wp-admin/profile.php", data={
        "_wpnonce": nonce, "action": "update", "user_id": str(user["id"]), "from": "profile",
        "email": unique("core"), "nickname": user["login"], "display_name": user["login"],
    }, allow_redirects=False)
    assert r.status_code in (200, 302)
    # WordPress's own change-by-confirmation-link is not started either.
    assert wp_email(wp_eval, user["id"]) == user["email"]
    assert wp_eval("return get_user_meta($args, '_new_email', true);", user["id"]) in ("", None)


def test_someone_allowed_to_edit_but_not_an_administrator_cannot_redirect_the_code(linked, wp_eval, emulator_url):
    """edit_user on another account without edit_users (a plugin's custom capability map): no code is
    sent to an address the asker chose — that would hand them the account."""
    asker = linked()
    target = linked()
    new = unique("hijack")
    answer = wp_eval(
        """
        add_filter('map_meta_cap', function ($caps, $cap) { return 'edit_user' === $cap ? ['exist'] : $caps; }, 10, 2);
        add_action('rest_api_init', ['\\\\WorkOS_WP\\\\Users\\\\EmailChangeRest', 'register_routes']);
        wp_set_current_user($args['asker']);
        $req = new WP_REST_Request('POST', '/workos/v1/users/' . $args['target'] . '/email-change');
        $req->set_param('new_email', $args['new']);
        $res = rest_do_request($req);
        return [$res->get_status(), $res->get_data()['code'] ?? null, current_user_can('edit_users')];
        """,
        {"asker": asker["id"], "target": target["id"], "new": new},
    )
    assert answer == [403, "workos_forbidden", False]
    assert code_sent_to(emulator_url, new) is None


def test_an_old_session_must_sign_in_again_before_changing_an_address(linked, signed_in, wp_eval, emulator_url):
    """A review's finding: a session left open or stolen could move the account to an address its holder reads,
    then reset the password — a takeover that outlasts the session. Changing an address needs a sign-in within
    15 minutes (as adding a passkey does)."""
    from authkit import age_sessions

    user = linked()
    s = signed_in(user["login"])
    age_sessions(wp_eval, user["id"])
    new = unique("stale")
    r = s.post(route(user["id"]), json={"new_email": new})
    assert r.status_code == 403 and r.json()["code"] == "workos_reauth_required", r.text
    assert "reauth=1" in r.json()["data"]["login_url"]
    assert code_sent_to(emulator_url, new) is None and wp_email(wp_eval, user["id"]) == user["email"]
    # A fresh sign-in may.
    assert signed_in(user["login"]).post(route(user["id"]), json={"new_email": new}).status_code == 200
