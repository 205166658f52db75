"""The activity log as a site owner reads it (issue 10): every sign-in path is recorded once, in sentences,
in the site's timezone, and can be exported as CSV.

Password sign-ins: in redirect mode with the fallback allowed (`?fallback=1`), WordPress's own password check
is the sign-in, so its success and its failure are both logged; in headless mode a WorkOS refusal that the
WordPress password then overrules is no failure (one `login` entry, no `login_failed`).
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid

import pytest
import requests

from authkit import create_workos_user, logged_in_cookie
from test_headless import PASSWORD, post_login, unique_email
from test_security_multisite import ms, ms_eval, siteadmin, superadmin  # noqa: F401  (fixtures)
from test_settings import admin  # noqa: F401  (fixture)

LOCAL_PASSWORD = "local-Passw0rd-act"


def last_id(wp_eval) -> int:
    return int(wp_eval("global $wpdb; return (int) $wpdb->get_var('SELECT MAX(id) FROM ' . $wpdb->base_prefix . 'workos_activity_log');") or 0)


def rows_since(wp_eval, since: int) -> list[dict]:
    return wp_eval(
        "global $wpdb; return $wpdb->get_results($wpdb->prepare('SELECT * FROM ' . $wpdb->base_prefix . 'workos_activity_log WHERE id > %d ORDER BY id', $args), ARRAY_A);",
        since,
    )


def types(rows) -> list[str]:
    return [r["type"] for r in rows]


@pytest.fixture(autouse=True)
def clean_limits(wp_eval):
    """Failed attempts of one test must not throttle the next one (they all come from 127.0.0.1)."""
    yield
    wp_eval("global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;")


@pytest.fixture
def local(wp_user):
    tag = uuid.uuid4().hex[:8]
    return wp_user("act" + tag, f"act-{tag}@example.com", LOCAL_PASSWORD)


class TestRedirectModeFallback:
    """Redirect mode, WordPress passwords allowed: `?fallback=1` shows WordPress's form."""

    @pytest.fixture(autouse=True)
    def redirect_fallback(self, wp_settings):
        wp_settings(login_mode="redirect", allow_password_fallback=True)

    def test_a_fallback_sign_in_is_logged(self, local, session_factory, wp_url, native_login, wp_eval):
        since = last_id(wp_eval)
        s = session_factory(wp_url)
        assert native_login(s, wp_url, local["login"], LOCAL_PASSWORD).status_code == 302
        assert logged_in_cookie(s)
        rows = rows_since(wp_eval, since)
        assert types(rows) == ["login"], rows
        assert int(rows[0]["user_id"]) == local["id"]
        assert '"method":"password_fallback"' in rows[0]["metadata"]

    def test_a_failed_fallback_is_logged_without_the_password(self, local, session_factory, wp_url, native_login,
                                                             wp_eval):
        since = last_id(wp_eval)
        r = native_login(session_factory(wp_url), wp_url, local["login"], "wrong-" + LOCAL_PASSWORD)
        assert r.status_code == 200
        rows = rows_since(wp_eval, since)
        assert types(rows) == ["login_failed"], rows
        assert int(rows[0]["user_id"]) == local["id"]
        assert '"method":"password_fallback"' in rows[0]["metadata"]
        assert "incorrect_password" in rows[0]["metadata"]
        assert "wrong-" not in rows[0]["metadata"]

    def test_a_fallback_for_an_unknown_login_names_what_was_typed(self, session_factory, wp_url, native_login, wp_eval):
        since = last_id(wp_eval)
        typed = "nobody-" + uuid.uuid4().hex[:6]
        native_login(session_factory(wp_url), wp_url, typed, "whatever")
        [row] = rows_since(wp_eval, since)
        assert row["type"] == "login_failed" and int(row["user_id"]) == 0
        assert typed in row["metadata"]


class TestHeadlessFallback:
    @pytest.fixture(autouse=True)
    def headless_fallback(self, wp_settings):
        wp_settings(login_mode="headless", allow_password_fallback=True, fallback_confirmation=False)

    def test_a_successful_fallback_logs_no_failure(self, local, session_factory, wp_url, wp_eval):
        since = last_id(wp_eval)
        s = session_factory(wp_url)
        assert post_login(s, wp_url, local["login"], LOCAL_PASSWORD).status_code == 302
        assert logged_in_cookie(s)
        rows = rows_since(wp_eval, since)
        assert "login_failed" not in types(rows), rows
        [login] = [r for r in rows if r["type"] == "login"]
        assert int(login["user_id"]) == local["id"] and '"method":"password_fallback"' in login["metadata"]

    def test_a_failed_fallback_logs_one_failure(self, local, session_factory, wp_url, wp_eval):
        since = last_id(wp_eval)
        assert post_login(session_factory(wp_url), wp_url, local["login"], "wrong-password").status_code == 200
        rows = rows_since(wp_eval, since)
        assert types(rows) == ["login_failed"], rows
        assert int(rows[0]["user_id"]) == local["id"]

    def test_a_fallback_while_workos_is_down_is_logged(self, local, session_factory, wp_url, emulator_url, wp_eval):
        since = last_id(wp_eval)
        requests.post(emulator_url + "/__emulator/faults",
                      json={"path": "/user_management/authenticate", "status": 503, "times": 0}, timeout=10)
        try:
            assert post_login(session_factory(wp_url), wp_url, local["login"], LOCAL_PASSWORD).status_code == 302
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)
        rows = rows_since(wp_eval, since)
        assert types(rows) == ["login"], rows
        assert "workos_unreachable" in rows[0]["metadata"]

    def test_a_workos_password_sign_in_is_one_entry(self, session_factory, wp_url, emulator_url, wp_eval):
        email = unique_email("actws")
        create_workos_user(emulator_url, email, PASSWORD)
        since = last_id(wp_eval)
        assert post_login(session_factory(wp_url), wp_url, email, PASSWORD).status_code == 302
        logins = [r for r in rows_since(wp_eval, since) if r["type"].startswith("login")]
        assert types(logins) == ["login"] and '"method":"headless"' in logins[0]["metadata"]


def test_a_wrong_emailed_code_is_a_failed_sign_in(local, wp_settings, session_factory, wp_url, emulator_url, wp_eval):
    wp_settings(login_mode="headless", allow_password_fallback=True, fallback_confirmation=True)
    create_workos_user(emulator_url, local["email"], PASSWORD)
    s = session_factory(wp_url)
    r = post_login(s, wp_url, local["login"], LOCAL_PASSWORD)
    assert r.status_code == 302 and "action=workos_confirm" in r.headers["Location"]
    token = re.search(r'name="token" value="([^"]+)"', s.get(r.headers["Location"]).text).group(1)
    since = last_id(wp_eval)
    wrong = s.post("/wp-login.php?action=workos_confirm", data={"token": html.unescape(token), "code": "000000"},
                   allow_redirects=False)
    assert wrong.status_code == 400
    [row] = rows_since(wp_eval, since)
    assert row["type"] == "login_failed" and int(row["user_id"]) == local["id"]
    assert '"reason":"invalid_code"' in row["metadata"] and "000000" not in row["metadata"]


def test_secrets_never_reach_the_log(wp_eval):
    tag = "e2e_secret_" + uuid.uuid4().hex[:6]
    [meta] = wp_eval(
        """
        WorkOS_WP\\Log::event($args, ['password' => 'hunter2-pw', 'access_token' => 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
            'nested' => ['refresh_token' => 'rt-secret-1', 'api_key' => 'sk_test_supersecret'],
            'reason' => 'WorkOS said: bad key sk_test_leakedkey123 for token eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln']);
        global $wpdb;
        return $wpdb->get_col($wpdb->prepare('SELECT metadata FROM ' . $wpdb->base_prefix . 'workos_activity_log WHERE type = %s', $args));
        """,
        tag,
    )
    for secret in ("hunter2-pw", "eyJhbGciOi", "rt-secret-1", "sk_test_supersecret", "sk_test_leakedkey123", "c2lnbmF0dXJl"):
        assert secret not in meta, meta
    assert "WorkOS said: bad key" in meta  # the rest of the message is kept


class TestScreen:
    def test_times_are_in_the_sites_timezone(self, admin, wp_eval):  # noqa: F811
        tag = "e2e_tz_" + uuid.uuid4().hex[:6]
        saved = wp_eval("return [get_option('timezone_string'), get_option('gmt_offset'), get_option('date_format'), get_option('time_format')];")
        wp_eval("update_option('timezone_string', 'Asia/Tokyo'); update_option('date_format', 'Y-m-d'); update_option('time_format', 'H:i'); return true;")
        try:
            wp_eval(
                "global $wpdb; WorkOS_WP\\Log::event($args); $wpdb->update($wpdb->base_prefix . 'workos_activity_log', ['created_at' => '2026-01-02 20:04:05'], ['type' => $args]); return true;",
                tag,
            )
            page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": tag}).text
        finally:
            wp_eval("update_option('timezone_string', $args[0]); update_option('gmt_offset', $args[1]); update_option('date_format', $args[2]); update_option('time_format', $args[3]); return true;", saved)
        # 20:04 UTC is 05:04 the next day in Tokyo; the exact moment stays machine-readable.
        assert "2026-01-03 05:04" in page
        assert 'datetime="2026-01-02T20:04:05+00:00"' in page
        assert "2026-01-02 20:04" not in page

    def test_entries_read_as_sentences_with_linked_users(self, admin, local, session_factory, wp_url, native_login,  # noqa: F811
                                                         wp_settings, wp_eval):
        wp_settings(login_mode="redirect", allow_password_fallback=True)
        wp_eval("wp_update_user(['ID' => $args, 'display_name' => 'Jane Activity']); return true;", local["id"])
        native_login(session_factory(wp_url), wp_url, local["login"], LOCAL_PASSWORD)
        native_login(session_factory(wp_url), wp_url, local["login"], "wrong-one")
        page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "s": local["login"]}).text
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Jane Activity signed in with their WordPress password" in text
        assert "A sign-in as Jane Activity failed: wrong password" in text
        assert re.search(r'<a [^>]*href="[^"]*user-edit\.php\?user_id=%d[^"]*"[^>]*>Jane Activity</a>' % local["id"], page)
        assert "wp-list-table" in page and "column-primary" in page  # WordPress's list table, responsive

    def test_webhook_rows_read_as_words_not_codes(self, admin, wp_eval):  # noqa: F811
        tag = uuid.uuid4().hex[:8]
        wp_eval(
            "WorkOS_WP\\Log::event('webhook', ['event' => 'dsync.user.updated', 'outcome' => 'no_linked_user', 'event_id' => $args[0]]);"
            "WorkOS_WP\\Log::event('webhook', ['event' => 'vault.secret.rotated', 'outcome' => 'some_new_outcome', 'event_id' => $args[1]]);"
            "return true;",
            ["event_e2e_a_" + tag, "event_e2e_b_" + tag],
        )
        page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "type": "webhook"}).text
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Directory user updated at WorkOS: no WordPress user is linked, nothing changed" in text
        # A type this version does not know is still spelt out in words.
        assert "Vault secret rotated at WorkOS: some new outcome" in text
        assert "WorkOS event dsync.user.updated" not in text

    def test_users_screen_link_actions_read_as_sentences(self, admin, local, wp_eval):  # noqa: F811
        wp_eval("wp_update_user(['ID' => $args, 'display_name' => 'Lee Linker']); return true;", local["id"])
        wp_eval("WorkOS_WP\\Log::event('user_unlinked', ['user_id' => $args, 'workos_id' => 'user_x']);"
                "WorkOS_WP\\Log::event('link_refused', ['user_id' => $args, 'reason' => 'email_not_verified']); return true;",
                local["id"])
        page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", "s": local["login"]}).text
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Lee Linker was unlinked from their WorkOS user on the Users screen" in text
        assert re.search(r"Lee Linker was not linked to WorkOS: [a-z]", text), text[:3000]

    def test_filter_by_event_type_is_a_labelled_dropdown(self, admin, wp_eval):  # noqa: F811
        wp_eval("WorkOS_WP\\Log::event('login_failed', ['reason' => 'invalid_credentials', 'method' => 'headless']); return true;")
        page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity"}).text
        assert re.search(r'<option value="login_failed"[^>]*>Failed sign-in', page), page[:3000]


def export_link(admin, **params) -> str:  # noqa: F811
    page = admin.get("/wp-admin/tools.php", params={"page": "workos-activity", **params}).text
    m = re.search(r'href="([^"]*admin-post\.php\?[^"]*action=workos_activity_csv[^"]*)"', page)
    assert m, "the screen links to the CSV export"
    return html.unescape(m.group(1))


class TestCsvExport:
    def test_requires_an_administrator_and_a_nonce(self, admin, session_factory, wp_url, wp_eval, wp_user):  # noqa: F811
        url = export_link(admin)
        anonymous = session_factory(wp_url).get(url, allow_redirects=False)
        assert anonymous.status_code != 200 or "text/csv" not in anonymous.headers.get("Content-Type", "")
        no_nonce = admin.get(re.sub(r"_wpnonce=[^&]+", "_wpnonce=bad", url), allow_redirects=False)
        assert no_nonce.status_code == 403 and "text/csv" not in no_nonce.headers.get("Content-Type", "")

        # A subscriber with a valid nonce of their own is refused too.
        sub = wp_user("actsub" + uuid.uuid4().hex[:6], f"actsub-{uuid.uuid4().hex[:6]}@example.com", "Sub-Passw0rd-1")
        cookies, nonce = wp_eval(
            """
            $exp = time() + 3600; wp_set_current_user($args);
            return [[[AUTH_COOKIE, wp_generate_auth_cookie($args, $exp, 'auth')], [LOGGED_IN_COOKIE, wp_generate_auth_cookie($args, $exp, 'logged_in')]],
                    wp_create_nonce('workos_activity_csv')];
            """,
            sub["id"],
        )
        s = session_factory(wp_url)
        for name, value in cookies:
            s.cookies.set(name, value, domain="127.0.0.1", path="/")
        refused = s.get(re.sub(r"_wpnonce=[^&]+", "_wpnonce=" + nonce, url), allow_redirects=False)
        assert refused.status_code == 403 and "text/csv" not in refused.headers.get("Content-Type", "")

    def test_exports_the_filtered_rows_as_csv(self, admin, wp_eval):  # noqa: F811
        tag = "e2e_csv_" + uuid.uuid4().hex[:6]
        wp_eval("for ($i = 0; $i < 3; $i++) { WorkOS_WP\\Log::event($args, ['n' => $i]); } WorkOS_WP\\Log::event('e2e_csv_other'); return true;", tag)
        r = admin.get(export_link(admin, type=tag), allow_redirects=False)
        assert r.status_code == 200, r.text[:500]
        assert r.headers["Content-Type"].startswith("text/csv")
        assert re.match(r'attachment; filename="workos-activity-[\w-]+\.csv"', r.headers["Content-Disposition"])
        assert "no-store" in r.headers.get("Cache-Control", "") or "no-cache" in r.headers.get("Cache-Control", "")
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        assert header[:4] == ["Time", "Time (UTC)", "Event type", "Event"]
        assert {"User", "User ID", "WorkOS ID", "IP address", "Browser", "Details"} <= set(header)
        assert len(body) == 3 and {row[header.index("Event type")] for row in body} == {tag}
        assert sorted(row[header.index("Details")] for row in body) == ['{"n":0}', '{"n":1}', '{"n":2}']

    def test_formula_cells_are_neutralised(self, admin, session_factory, wp_url, wp_eval, wp_settings, local):  # noqa: F811
        wp_settings(login_mode="redirect", allow_password_fallback=True)
        wp_eval("wp_update_user(['ID' => $args, 'display_name' => '=HYPERLINK(\"http://evil.example\")']); return true;", local["id"])
        s = session_factory(wp_url)
        s.headers["User-Agent"] = "@SUM(1+1)*cmd|' /C calc'!A0"
        s.get(wp_url + "/wp-login.php", params={"fallback": "1"})
        host = requests.utils.urlparse(wp_url).hostname
        s.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
        s.post(wp_url + "/wp-login.php", data={"log": local["login"], "pwd": "wrong", "testcookie": "1"}, allow_redirects=False)
        r = admin.get(export_link(admin, type="login_failed", s=local["login"]))
        assert r.status_code == 200
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        assert len(body) == 1, body
        row = dict(zip(header, body[0]))
        assert row["User"] == "'=HYPERLINK(\"http://evil.example\")"
        assert row["Browser"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
        for cell in body[0]:
            assert not cell or cell[0] not in "=+-@\t\r", body[0]


def test_csv_export_in_a_network_gives_each_site_only_its_own_rows(siteadmin, superadmin, ms_eval):  # noqa: F811
    tag = uuid.uuid4().hex[:10]
    ms_eval(
        """
        switch_to_blog(1); WorkOS_WP\\Log::event('ms_csv_probe', ['marker' => 'main_' . $args]); restore_current_blog();
        switch_to_blog(2); WorkOS_WP\\Log::event('ms_csv_probe', ['marker' => 'site2_' . $args]); restore_current_blog();
        return true;
        """,
        tag,
    )

    def link(session, path):
        page = session.get(path, params={"page": "workos-activity", "type": "ms_csv_probe"}).text
        return html.unescape(re.search(r'href="([^"]*admin-post\.php\?[^"]*action=workos_activity_csv[^"]*)"', page).group(1))

    own = link(siteadmin, "wp-admin/tools.php")
    body = siteadmin.get(own).text
    assert "site2_" + tag in body and "main_" + tag not in body
    # Asking for another site's rows, or for the network's, changes nothing or is refused.
    assert "main_" + tag not in siteadmin.get(own + "&site=1").text
    forged = siteadmin.get(own + "&network=1", allow_redirects=False)
    assert forged.status_code == 403 and "main_" + tag not in forged.text

    every = superadmin.get(link(superadmin, "wp-admin/network/settings.php"))
    assert every.status_code == 200 and every.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(every.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Site ID"
    sites = {row[-1] for row in rows[1:] if tag in row[rows[0].index("Details")]}
    assert sites == {"1", "2"}
