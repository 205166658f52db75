"""The reference's account shortcodes, its admin password-reset route and its mail filters (assignment B).

- `[workos:change-email]`, `[workos:password-reset]` (php-shim/src/Users/AccountShortcodes.php): markup only for an
  account the viewer may edit (edit_user) that is linked to WorkOS; their script only on a page that shows one.
- POST /wp-json/workos/v1/admin/users/{id}/password-reset (Users\\PasswordResetRest): WorkOS emails the account the
  same reset link the hosted login's "Forgot your password?" does (the emulator's control API is the inbox).
- `workos_email_subject` / `_body` / `_headers` on the plugin's own mails (WorkOS_WP\\Mail), by template id.
- `workos_change_email_token_lifetime`: the pending change's lifetime, clamped 300…86400, never past WorkOS's.
"""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
import requests

from authkit import create_workos_user
# Signed-in sessions, linked users, the mail catcher and fresh limits (autouse) of the change-of-email suite.
from test_email_change import code_sent_to, events, fresh, linked, mail_to, signed_in, unique, wp_email  # noqa: F401
from test_auth_api import profile  # noqa: F401
from test_reset_api import reset_token, shell_of

SCRIPT = "account-shortcodes/build/index.js"


def render(wp_eval, shortcode: str, viewer: int = 0, filters: str = "") -> str:
    """The shortcode's output for `viewer` (0: nobody signed in)."""
    return wp_eval(
        filters + " wp_set_current_user($args['viewer']); return do_shortcode($args['code']);",
        {"viewer": viewer, "code": shortcode},
    )


def reset_route(uid: int) -> str:
    return f"/wp-json/workos/v1/admin/users/{uid}/password-reset"


def error_of(r: requests.Response, status: int, code: str) -> dict:
    assert r.status_code == status and r.json()["code"] == code, (r.status_code, r.text[:300])
    return r.json()


@pytest.fixture
def page(wp_eval):
    """page(content) -> the URL of a new published page with that content; deleted after the test."""
    made: list[int] = []

    def _make(content: str) -> str:
        pid = wp_eval(
            "return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Account',"
            " 'post_content' => $args]);",
            content,
        )
        made.append(pid)
        return wp_eval("return get_permalink($args);", pid)

    yield _make
    for pid in made:
        wp_eval("wp_delete_post($args, true); return true;", pid)


# --- render rules -------------------------------------------------------------------------------------------------


def test_change_email_renders_only_for_an_editable_linked_account(linked, wp_user, wp_eval):
    me = linked()
    other = linked()
    admin = linked(role="administrator")
    unlinked = wp_user("un" + uuid.uuid4().hex[:8], unique("un"), "Passw0rd!-un")

    assert render(wp_eval, "[workos:change-email]") == "", "anonymous: nothing"
    assert render(wp_eval, f'[workos:change-email user="{other["id"]}"]', me["id"]) == "", "no edit_user on another"
    assert render(wp_eval, "[workos:change-email]", unlinked["id"]) == "", "not WorkOS's: nothing"
    assert render(wp_eval, f'[workos:change-email user="{unlinked["id"]}"]', admin["id"]) == ""

    own = render(wp_eval, '[workos:change-email redirect_url="/sample-page/"]', me["id"])
    form = re.search(r'<form class="workos-change-email-form"[^>]*>', own).group(0)
    assert f'data-user-id="{me["id"]}"' in form and 'data-redirect-url="http' in form and "/sample-page/" in form
    for cls in ("workos-change-email-input", "workos-change-email-trigger", "workos-change-email-status"):
        assert f'class="{cls}' in own
    assert ">Change my email</button>" in own and html.escape(me["email"]) in own

    # An administrator names the account by address (or id): "Change email", and a label of one's own.
    theirs = render(wp_eval, f'[workos:change-email user="{other["email"]}"]', admin["id"])
    assert f'data-user-id="{other["id"]}"' in theirs and ">Change email</button>" in theirs
    labelled = render(wp_eval, f'[workos:change-email user="{other["id"]}" label="New address <b>"]', admin["id"])
    assert ">New address &lt;b&gt;</button>" in labelled
    # An off-site redirect_url is dropped, never followed.
    evil = render(wp_eval, '[workos:change-email redirect_url="https://evil.example/"]', me["id"])
    assert 'data-redirect-url=""' in evil
    # The feature off: nothing.
    off = "add_filter('workos_change_email_enabled', '__return_false');"
    assert render(wp_eval, "[workos:change-email]", me["id"], off) == ""


def test_password_reset_renders_only_for_an_editable_linked_account(linked, wp_user, wp_eval, profile):
    me = linked()
    other = linked()
    admin = linked(role="administrator")
    unlinked = wp_user("un" + uuid.uuid4().hex[:8], unique("un"), "Passw0rd!-un")

    assert render(wp_eval, "[workos:password-reset]") == ""
    assert render(wp_eval, f'[workos:password-reset user="{other["id"]}"]', me["id"]) == ""
    assert render(wp_eval, "[workos:password-reset]", unlinked["id"]) == ""

    own = render(wp_eval, "[workos:password-reset]", me["id"])
    button = re.search(r"<button [^>]*>[^<]*</button>", own).group(0)
    assert 'class="workos-pwreset-trigger button wp-element-button"' in button and f'data-user-id="{me["id"]}"' in button
    assert 'data-profile="default"' in button and 'data-redirect-url=""' in button
    assert button.endswith(">Reset my password</button>")
    theirs = render(wp_eval, f'[workos:password-reset user="{other["email"]}"]', admin["id"])
    assert f'data-user-id="{other["id"]}"' in theirs and ">Send password reset email</button>" in theirs

    # A profile that offers no reset (or none at all) shows no button that could only fail.
    off = profile(methods=["password"], password_reset_flow=False)
    assert render(wp_eval, f'[workos:password-reset profile="{off["slug"]}"]', me["id"]) == ""
    assert render(wp_eval, '[workos:password-reset profile="no-such-profile"]', me["id"]) == ""
    on = profile(methods=["password"])
    assert f'data-profile="{on["slug"]}"' in render(wp_eval, f'[workos:password-reset profile="{on["slug"]}"]', me["id"])


def test_the_script_loads_only_where_a_shortcode_renders(linked, signed_in, page, session_factory, wp_url):
    me = linked()
    url = page("[workos:change-email]\n\n[workos:password-reset]")
    plain = page("Nothing of ours here.")
    s = signed_in(me["login"])
    shown = s.get(url).text
    assert "workos-change-email-form" in shown and "workos-pwreset-trigger" in shown
    assert shown.count(SCRIPT) == 1 and "var workosAccountShortcodes" in shown
    assert SCRIPT not in s.get(plain).text
    # Anonymous on the same page: nothing rendered, nothing loaded.
    anon = session_factory(wp_url).get(url).text
    assert "workos-change-email-form" not in anon and SCRIPT not in anon


# --- POST admin/users/{id}/password-reset -------------------------------------------------------------------------


def test_admin_reset_sends_the_hosted_logins_reset_link(linked, signed_in, wp_eval, emulator_url, wp_url):
    admin = linked(role="administrator")
    user = linked()
    s = signed_in(admin["login"])
    r = s.post(reset_route(user["id"]), json={"redirect_url": "/sample-page/"})
    assert r.status_code == 200, r.text
    local, domain = user["email"].split("@")
    assert r.json() == {"ok": True, "email_hint": f"{local[0]}***@{domain}", "profile": "default",
                        "redirect_url": wp_url + "/sample-page/"}
    assert any(k in r.headers.get("Cache-Control", "") for k in ("no-store", "no-cache"))
    link = reset_token(emulator_url, user["email"])
    assert link and link["token"] in link["url"] and link["used"] is False
    # The link opens the hosted login's reset step (as the self-service reset's), and returns where asked.
    page = requests.get(wp_url + "/workos/login/default/", params={"token": link["token"]}, timeout=30).text
    assert shell_of(page) == {"step": "reset_confirm", "data": {"token": link["token"]}}
    kept = wp_eval("return get_transient('workos_reset_to_' . substr(hash('sha256', $args), 0, 32));", link["token"])
    assert kept == wp_url + "/sample-page/"
    logged = wp_eval(
        "global $wpdb; return $wpdb->get_row($wpdb->prepare('SELECT type, metadata FROM ' . $wpdb->base_prefix"
        " . 'workos_activity_log WHERE user_id = %d AND type = %s', $args['id'], 'password_reset.admin_sent'), ARRAY_A);",
        {"id": user["id"]},
    )
    assert logged and f'"by":{admin["id"]}' in logged["metadata"].replace(" ", "")
    assert link["token"] not in logged["metadata"], "no secret in the log"
    # The activity screen says who asked, in words.
    words = wp_eval(
        "global $wpdb; $row = $wpdb->get_row($wpdb->prepare('SELECT * FROM ' . $wpdb->base_prefix . 'workos_activity_log'"
        " . ' WHERE user_id = %d AND type = %s', $args, 'password_reset.admin_sent'), ARRAY_A);"
        " return [\\WorkOS_WP\\Admin\\ActivityEvents::label($row['type']), \\WorkOS_WP\\Admin\\ActivityEvents::sentence($row)];",
        user["id"],
    )
    assert words[0] == "Password reset email sent for someone"
    assert "at the request of" in words[1][0] and words[1][1][1] == wp_eval(
        "return get_userdata($args)->display_name;", admin["id"])

    # Oneself: allowed (edit_user on one's own account), to one's own address.
    own = signed_in(user["login"]).post(reset_route(user["id"]), json={})
    assert own.status_code == 200 and own.json()["redirect_url"] == ""


def test_admin_reset_permissions_and_errors(linked, wp_user, signed_in, wp_eval, profile, session_factory, wp_url,
                                            emulator_url):
    admin = linked(role="administrator")
    user = linked()
    other = linked()
    s = signed_in(admin["login"])
    # Nobody signed in; someone without edit_user on the account.
    error_of(session_factory(wp_url).post(reset_route(user["id"]), json={}), 401, "workos_forbidden")
    error_of(signed_in(other["login"]).post(reset_route(user["id"]), json={}), 403, "workos_forbidden")
    assert reset_token(emulator_url, user["email"]) is None

    error_of(s.post(reset_route(0), json={}), 400, "workos_invalid_user")
    error_of(s.post(reset_route(987654321), json={}), 404, "workos_user_not_found")
    unlinked = wp_user("un" + uuid.uuid4().hex[:8], unique("un"), "Passw0rd!-un")
    error_of(s.post(reset_route(unlinked["id"]), json={}), 409, "workos_user_not_linked")
    blank = wp_user("bl" + uuid.uuid4().hex[:8], unique("bl"), "Passw0rd!-bl", workos_id="user_blank")
    wp_eval("global $wpdb; $wpdb->update($wpdb->users, ['user_email' => ''], ['ID' => $args]); clean_user_cache($args);"
            " return true;", blank["id"])
    error_of(s.post(reset_route(blank["id"]), json={}), 409, "workos_user_missing_email")
    error_of(s.post(reset_route(user["id"]), json={"profile": "no-such-profile"}), 404, "workos_profile_not_found")
    off = profile(methods=["password"], password_reset_flow=False)
    error_of(s.post(reset_route(user["id"]), json={"profile": off["slug"]}), 400, "workos_reset_disabled")
    error_of(s.post(reset_route(user["id"]), json={"redirect_url": "https://evil.example/"}), 400,
             "workos_invalid_redirect")
    assert reset_token(emulator_url, user["email"]) is None, "nothing was sent"
    # Linked here, unknown at WorkOS.
    ghost = wp_user("gh" + uuid.uuid4().hex[:8], unique("gh"), "Passw0rd!-gh", workos_id="user_ghost")
    error_of(s.post(reset_route(ghost["id"]), json={}), 404, "workos_user_not_found")


def test_admin_reset_is_rate_limited_per_account(linked, signed_in, emulator_url):
    admin = linked(role="administrator")
    user = linked()
    s = signed_in(admin["login"])
    for _ in range(5):
        assert s.post(reset_route(user["id"]), json={}).status_code == 200
    r = s.post(reset_route(user["id"]), json={})
    body = error_of(r, 429, "workos_rate_limited")
    assert int(r.headers["Retry-After"]) > 0 and body["data"]["retry_after"] > 0
    # Another account still may (the per-client bucket is 10).
    assert s.post(reset_route(linked()["id"]), json={}).status_code == 200


# --- mail filters -------------------------------------------------------------------------------------------------

FILTERS = """
add_filter('workos_email_subject', function ($s, $t, $c) { return "[$t] " . $s; }, 10, 3);
add_filter('workos_email_body', function ($b, $t, $c) { return $b . "\\n-- user " . ($c['user_id'] ?? '?'); }, 10, 3);
add_filter('workos_email_headers', function ($h, $t, $c) { $h[] = 'X-WorkOS-Template: ' . $t; return $h; }, 10, 3);
"""


def test_mail_filters_change_the_old_address_notices(linked, wp_eval, emulator_url):
    user = linked()
    new = unique("filtered")
    wp_eval(
        FILTERS + """
        wp_set_current_user($args['id']);
        $u = get_userdata($args['id']);
        return \\WorkOS_WP\\Users\\EmailChange::start($u, $args['new'], $args['id']);
        """,
        {"id": user["id"], "new": new},
    )
    code = code_sent_to(emulator_url, new)
    wp_eval(
        FILTERS + "return \\WorkOS_WP\\Users\\EmailChange::confirm(get_userdata($args['id']), $args['code']);",
        {"id": user["id"], "code": code},
    )
    assert wp_email(wp_eval, user["id"]) == new
    mails = mail_to(wp_eval, user["email"])
    assert [m["subject"].split("]")[0] + "]" for m in mails] == [
        "[change-email/old-address-notice]", "[change-email/confirmation-notice]"]
    for mail, template in zip(mails, ("change-email/old-address-notice", "change-email/confirmation-notice")):
        assert mail["message"].endswith(f"-- user {user['id']}")
        assert f"X-WorkOS-Template: {template}" in mail["headers"]
    # Without the filters, the same mail as before.
    wp_eval("wp_set_current_user($args['id']); return \\WorkOS_WP\\Users\\EmailChange::start(get_userdata($args['id']),"
            " $args['new'], $args['id']);", {"id": user["id"], "new": unique("plain")})
    plain = mail_to(wp_eval, new)[-1]
    assert not plain["subject"].startswith("[change-email") and "-- user" not in plain["message"]


def test_mail_filters_change_the_signup_notice(wp_eval, emulator_url):
    email = unique("taken")
    create_workos_user(emulator_url, email)
    wp_eval(
        FILTERS + """
        $m = new ReflectionMethod(\\WorkOS_WP\\SignIn\\Hosted\\SignupRest::class, 'notify_owner');
        $m->setAccessible(true);
        $m->invoke(null, \\WorkOS_WP\\Profiles\\ProfileRepository::get_default(), $args);
        return true;
        """,
        email,
    )
    mail = mail_to(wp_eval, email)[-1]
    assert mail["subject"].startswith("[signup/existing-account-notice] ")
    assert "X-WorkOS-Template: signup/existing-account-notice" in mail["headers"]


# --- token lifetime -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lifetime, expect", [(60, 300), (400, 400), (10**7, 600)])
def test_pending_change_lifetime_is_clamped_and_never_past_workos(linked, wp_eval, lifetime, expect):
    """300 is the floor; the emulator's codes live 600 s, which a longer lifetime never outlasts."""
    user = linked()
    before = int(time.time())
    got = wp_eval(
        """
        add_filter('workos_change_email_token_lifetime', function () use ($args) { return $args['lifetime']; });
        wp_set_current_user($args['id']);
        $r = \\WorkOS_WP\\Users\\EmailChange::start(get_userdata($args['id']), $args['new'], $args['id']);
        return [$r, \\WorkOS_WP\\Users\\EmailChange::lifetime(),
                get_user_meta($args['id'], '_workos_pending_email_change', true)['expires_at']];
        """,
        {"id": user["id"], "new": unique("ttl"), "lifetime": lifetime},
    )
    answer, clamped, stored = got
    assert clamped == min(max(lifetime, 300), 86400)
    assert answer["expires_at"] == stored
    assert before + expect - 5 <= stored <= int(time.time()) + expect + 1
