"""The reference plugin's break-glass: `wp-login.php?workos=0` (SignIn\\Bypass).

Off unless the site owner turns it on in code (filter `workos_bypass_enabled`), and then subject to a
per-request veto (`workos_bypass_check`). While active, wp-login.php's screens are WordPress's in every
login mode, WordPress's password check decides even with WordPress passwords off (no WorkOS call), the
form carries `workos=0` across its POST, `workos_bypass_activated` fires and `bypass_activated` is
logged. Throttling and the refusal of deactivated accounts stay.

The filters are those of tests/wp/mu-plugins/workos-bypass-probe.php, driven by the option
`workos_test_bypass`; the action counts itself in `workos_test_bypass_fired`.
"""

from __future__ import annotations

import html
import re
import uuid

import pytest
import requests

from authkit import emulator_requests, logged_in_cookie
from test_hosted_entry import clean  # noqa: F401  (fixture: the default profile as seeded)

PASSWORD = "Bypass-Passw0rd-1"
HIDDEN = re.compile(r'<input type="hidden" name="workos" value="0" />')
WIPE = """
    global $wpdb;
    $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits');
    delete_option('workos_test_bypass');
    delete_option('workos_test_bypass_fired');
    return true;
"""


@pytest.fixture(autouse=True)
def fresh(wp_eval):
    """No bypass filters, no count, no throttle left over (every attempt comes from 127.0.0.1)."""
    wp_eval(WIPE)
    yield
    wp_eval(WIPE)


@pytest.fixture
def bypass(wp_eval):
    """bypass(enabled=True, allow_ips=None): what the site owner's filters answer."""

    def _set(enabled: bool = True, allow_ips: list[str] | None = None) -> None:
        value = {"enabled": enabled}
        if allow_ips is not None:
            value["allow_ips"] = allow_ips
        wp_eval("update_option('workos_test_bypass', $args); return true;", value)

    return _set


@pytest.fixture
def local(wp_user):
    tag = uuid.uuid4().hex[:8]
    return wp_user("bp" + tag, f"bp-{tag}@example.com", PASSWORD)


def fired(wp_eval) -> int:
    return int(wp_eval("return (int) get_option('workos_test_bypass_fired', 0);"))


def last_id(wp_eval) -> int:
    return int(wp_eval("global $wpdb; return (int) $wpdb->get_var('SELECT MAX(id) FROM ' . $wpdb->base_prefix . 'workos_activity_log');") or 0)


def rows_since(wp_eval, since: int) -> list[dict]:
    """Activity rows after `since`, each with its sentence (`text`) as the log screen reads it."""
    return wp_eval(
        """
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare('SELECT * FROM ' . $wpdb->base_prefix . 'workos_activity_log WHERE id > %d ORDER BY id', $args), ARRAY_A);
        foreach ($rows as &$row) { $row['text'] = WorkOS_WP\\Admin\\ActivityEvents::text($row); $row['meta'] = json_decode($row['metadata'], true); }
        return $rows;
        """,
        since,
    )


def login_page(wp_url: str, **params) -> requests.Response:
    return requests.get(wp_url + "/wp-login.php", params=params, allow_redirects=False, timeout=30)


def post_login(session: requests.Session, wp_url: str, user: str, password: str, bypass_field: bool = True) -> requests.Response:
    """WordPress's form POSTed as a browser does (to wp-login.php without a query), with the field the
    form printed under the bypass."""
    host = requests.utils.urlparse(wp_url).hostname
    session.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
    data = {"log": user, "pwd": password, "wp-submit": "Log In", "testcookie": "1", "redirect_to": wp_url + "/wp-admin/"}
    if bypass_field:
        data["workos"] = "0"
    return session.post(wp_url + "/wp-login.php", data=data, allow_redirects=False, timeout=30)


def login_error(r: requests.Response) -> str:
    assert r.status_code == 200, f"expected the form again, got {r.status_code} {r.headers.get('Location')}"
    start = r.text.find('id="login_error"')
    assert start != -1, r.text[:2000]
    return html.unescape(re.sub(r"<[^>]+>", "", r.text[start:start + 1500]))


def assert_taken_over(r: requests.Response, mode: str, emulator_url: str) -> None:
    """wp-login.php's sign-in screen is WorkOS's, not WordPress's form."""
    if mode == "redirect":
        assert r.status_code == 302 and r.headers["Location"].startswith(emulator_url), (r.status_code, r.headers)
    else:
        assert r.status_code == 200 and "workos-authkit-root" in r.text and 'id="loginform"' not in r.text, r.text[:500]


def assert_wordpress_form(r: requests.Response) -> None:
    assert r.status_code == 200, (r.status_code, r.headers.get("Location"))
    assert 'id="loginform"' in r.text and "workos-authkit-root" not in r.text, r.text[:500]
    form = r.text[r.text.find('id="loginform"'):]
    form = form[:form.find("</form>")]
    assert HIDDEN.search(form), "the form carries workos=0 across its POST"


@pytest.mark.parametrize("mode", ["redirect", "custom"])
def test_off_by_default_workos_0_changes_nothing(mode, clean, wp_settings, wp_url, emulator_url, local,  # noqa: F811
                                                 session_factory, wp_eval):
    wp_settings(login_mode=mode, allow_password_fallback=False)
    since = last_id(wp_eval)
    r = login_page(wp_url, workos="0")
    assert_taken_over(r, mode, emulator_url)
    assert not HIDDEN.search(r.text)
    # A WordPress password is refused, field or not.
    s = session_factory(wp_url)
    assert "Passwords are not accepted" in login_error(post_login(s, wp_url, local["login"], PASSWORD))
    assert not logged_in_cookie(s)
    assert fired(wp_eval) == 0
    assert "bypass_activated" not in [row["type"] for row in rows_since(wp_eval, since)]


@pytest.mark.parametrize("mode", ["redirect", "custom", "headless"])
def test_enabled_bypass_hands_wp_login_to_wordpress(mode, clean, bypass, wp_settings, wp_url, emulator_url,  # noqa: F811
                                                    local, session_factory, wp_eval):
    wp_settings(login_mode=mode, allow_password_fallback=False)
    bypass(enabled=True)
    since = last_id(wp_eval)
    # Without the argument, nothing changes.
    if mode != "headless":
        assert_taken_over(login_page(wp_url), mode, emulator_url)
    assert fired(wp_eval) == 0

    assert_wordpress_form(login_page(wp_url, workos="0"))
    assert fired(wp_eval) == 1
    [activated] = [row for row in rows_since(wp_eval, since) if row["type"] == "bypass_activated"]
    assert activated["ip"] == "127.0.0.1" and "?workos=0 bypass" in activated["text"], activated

    # The form's POST: WordPress's password check decides, with WordPress passwords off.
    grants_before = len(emulator_requests(emulator_url, "/user_management/authenticate"))
    s = session_factory(wp_url)
    r = post_login(s, wp_url, local["login"], PASSWORD)
    assert r.status_code == 302 and "/wp-admin" in r.headers["Location"], r.text[:500]
    assert logged_in_cookie(s)
    # Nothing went to WorkOS (headless mode would have asked its password grant).
    assert len(emulator_requests(emulator_url, "/user_management/authenticate")) == grants_before
    logins = [row for row in rows_since(wp_eval, since) if row["type"] == "login"]
    assert [(int(row["user_id"]), row["meta"]["method"]) for row in logins] == [(local["id"], "bypass")], logins
    assert logins[0]["text"] == f"{local['login']} signed in with their WordPress password through the ?workos=0 bypass"
    # Shown only for the sign-in screen's GET: the POST is no new activation.
    assert fired(wp_eval) == 1

    # A wrong password under the bypass is WordPress's refusal, logged as a bypass attempt.
    since = last_id(wp_eval)
    refused = post_login(session_factory(wp_url), wp_url, local["login"], "wrong-password")
    assert "incorrect" in login_error(refused)
    assert HIDDEN.search(refused.text), "the form shown again still carries the bypass"
    [failed] = [row for row in rows_since(wp_eval, since) if row["type"] == "login_failed"]
    assert failed["meta"]["method"] == "bypass" and failed["meta"]["reason"] == "incorrect_password", failed

    # The same POST without the field is an ordinary one: refused in redirect and custom mode.
    if mode != "headless":
        s = session_factory(wp_url)
        assert "Passwords are not accepted" in login_error(post_login(s, wp_url, local["login"], PASSWORD, bypass_field=False))
        assert not logged_in_cookie(s)


def test_lost_password_stays_wordpress_under_the_bypass_registration_does_not(bypass, wp_settings, wp_url, emulator_url):
    wp_settings(login_mode="redirect", allow_password_fallback=False)
    r = login_page(wp_url, action="lostpassword")
    assert r.status_code == 302 and r.headers["Location"].startswith(emulator_url)
    bypass(enabled=True)
    r = login_page(wp_url, action="lostpassword", workos="0")
    assert r.status_code == 200 and 'id="lostpasswordform"' in r.text, (r.status_code, r.headers.get("Location"))
    # The sign-in form's own links keep the bypass, so following them stays in WordPress too.
    form = login_page(wp_url, workos="0").text
    assert re.search(r'href="[^"]*action=lostpassword[^"]*workos=0', form), "the lost-password link keeps workos=0"
    # Registration is no sign-in: it keeps the usual rules (here AuthKit's sign-up), bypass or not.
    r = login_page(wp_url, action="register", workos="0")
    assert r.status_code == 302 and r.headers["Location"].startswith(emulator_url), r.headers


def test_bypass_check_vetoes_the_request(bypass, wp_settings, wp_url, emulator_url, local, session_factory, wp_eval):
    wp_settings(login_mode="redirect", allow_password_fallback=False)
    # An allow-list without this client's address: the bypass is refused outright.
    bypass(enabled=True, allow_ips=["203.0.113.7"])
    since = last_id(wp_eval)
    assert_taken_over(login_page(wp_url, workos="0"), "redirect", emulator_url)
    s = session_factory(wp_url)
    assert "Passwords are not accepted" in login_error(post_login(s, wp_url, local["login"], PASSWORD))
    assert not logged_in_cookie(s)
    assert fired(wp_eval) == 0
    assert "bypass_activated" not in [row["type"] for row in rows_since(wp_eval, since)]
    # With it, the same request passes.
    bypass(enabled=True, allow_ips=["127.0.0.1"])
    assert_wordpress_form(login_page(wp_url, workos="0"))
    assert fired(wp_eval) == 1


def test_deactivated_account_is_refused_under_the_bypass(bypass, wp_settings, wp_url, local, session_factory, wp_eval):
    wp_settings(login_mode="redirect", allow_password_fallback=False)
    bypass(enabled=True)
    wp_eval("update_user_meta($args, '_workos_deactivated', 'cli'); return true;", local["id"])
    since = last_id(wp_eval)
    s = session_factory(wp_url)
    message = login_error(post_login(s, wp_url, local["login"], PASSWORD))
    assert "deactivated" in message.lower(), message
    assert not logged_in_cookie(s)
    rows = rows_since(wp_eval, since)
    assert [row["meta"].get("reason") for row in rows if row["type"] == "login_denied"] == ["account_deactivated"], rows
    assert "login" not in [row["type"] for row in rows]


def test_throttle_still_applies_under_the_bypass(bypass, wp_settings, wp_url, local, session_factory):
    wp_settings(login_mode="redirect", allow_password_fallback=False)
    bypass(enabled=True)
    for _ in range(5):
        assert "incorrect" in login_error(post_login(session_factory(wp_url), wp_url, local["login"], "wrong"))
    s = session_factory(wp_url)
    message = login_error(post_login(s, wp_url, local["login"], PASSWORD))
    assert "Too many failed attempts" in message and not logged_in_cookie(s)
