"""Tools → WorkOS Diagnostics (issue 13): the facts support asks for, a plain-text report with every secret
masked, for administrators only."""

from __future__ import annotations

import html
import re
import uuid

import pytest
import requests

from test_users_screen import admin, signed_in  # noqa: F401  (fixtures)
from webhooks import workos_user

PAGE = "/wp-admin/tools.php"


def diagnostics(session) -> str:
    r = session.get(PAGE, params={"page": "workos-diagnostics"})
    assert r.status_code == 200, r.text[:500]
    return r.text


def fact(page: str, key: str) -> tuple[str, str]:
    """(status word, value) of one row."""
    m = re.search(rf'<tr data-fact="{key}"><th scope="row">.*?</th><td class="workos-diag-status">(?:<span class="workos-diag-\w+">)?(.*?)(?:</span>)?</td><td>(.*?)</td></tr>', page, re.S)
    assert m, f"no fact {key}"
    return m.group(1), html.unescape(re.sub(r"<br\s*/?>", "", m.group(2))).strip()


def report(page: str) -> str:
    m = re.search(r'<textarea id="workos-diag-report"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, "no report"
    return html.unescape(m.group(1))


def test_the_page_shows_the_facts(admin, wp_eval, hook):  # noqa: F811
    hook("user.updated", workos_user("user_DIAG" + uuid.uuid4().hex[:8].upper(), f"diag-{uuid.uuid4().hex[:6]}@example.com"))
    page = diagnostics(admin)
    versions = wp_eval("return [PHP_VERSION, get_bloginfo('version'), \\WorkOS\\Native\\version(), \\WorkOS_WP\\VERSION];")
    assert fact(page, "extension") == ("OK", f"Loaded, version {versions[2]}")
    status, build = fact(page, "extension_build")
    assert re.match(r"^[0-9a-f]{7,12}|unknown ", build) and "release" in build, build
    assert versions[0] in fact(page, "php")[1]
    assert fact(page, "wordpress")[1].startswith(versions[1])
    assert fact(page, "plugin_version")[1] == versions[3]
    assert "Ini line: extension=workos" in fact(page, "php_config")[1]

    status, text = fact(page, "connectivity")
    assert status == "OK" and re.search(r"answered every check in \d+ ms", text), text
    assert fact(page, "check_api_key")[0] == "OK"
    assert fact(page, "check_jwks")[0] == "OK"
    assert fact(page, "schema")[0] == "OK"
    status, text = fact(page, "last_webhook")
    assert text.startswith("user.updated at ") and " UTC — " in text, text
    assert fact(page, "backlog")[1]
    status, text = fact(page, "cron")
    assert "maintenance chore" in text and "session revocations waiting" in text
    assert re.match(r"\d+ rows \(\d+ expired", fact(page, "rates")[1])
    assert fact(page, "setting_client_id")[1].startswith(wp_eval("return WorkOS_WP\\Settings::get('client_id');"))
    assert 'id="workos-diag-copy"' in page and ">Copy report</button>" in page


def test_a_refused_webhook_and_its_reason_are_shown(admin, wp_url):  # noqa: F811
    r = requests.post(wp_url + "/wp-json/workos/v1/webhook", data=b"{}", timeout=30,
                      headers={"Content-Type": "application/json", "WorkOS-Signature": "t=1, v1=00"})
    assert r.status_code >= 400
    status, text = fact(diagnostics(admin), "webhook_refused")
    assert status == "Warning" and " UTC: " in text


def test_the_report_masks_every_secret(admin, env, wp_settings):  # noqa: F811
    text = report(diagnostics(admin))
    assert text.startswith("WorkOS for WordPress diagnostics — ")
    assert "## Connection to WorkOS" in text and "## Settings" in text
    assert env["API_KEY"] not in text and env["WEBHOOK_SECRET"] not in text
    assert "sk_••••••••" + env["API_KEY"][-4:] in text
    assert env["CLIENT_ID"] in text  # not a secret: support needs it


def test_mask_secrets_catches_a_secret_anywhere(wp_eval, env):
    masked = wp_eval(
        "return WorkOS_WP\\Admin\\DiagnosticsPage::mask_secrets('key=' . $args[0] . ' secret=' . $args[1]);",
        [env["API_KEY"], env["WEBHOOK_SECRET"]],
    )
    assert env["API_KEY"] not in masked and env["WEBHOOK_SECRET"] not in masked
    assert masked.startswith("key=sk_")


def test_a_wrong_api_key_is_a_problem_without_showing_it(admin, wp_settings):  # noqa: F811
    wp_settings(api_key="sk_test_not_the_right_key_diag0")
    page = diagnostics(admin)
    assert fact(page, "connectivity")[0] == "Problem"
    assert fact(page, "check_api_key")[0] == "Problem"
    assert "sk_test_not_the_right_key_diag0" not in page


@pytest.mark.parametrize("role", ["editor", "subscriber"])
def test_only_administrators_see_it(signed_in, wp_user, role):  # noqa: F811
    t = uuid.uuid4().hex[:8]
    u = wp_user("diag" + role + t, f"diag-{role}-{t}@example.com", "Diag-Passw0rd", role=role)
    session, _ = signed_in(u["login"])
    r = session.get(PAGE, params={"page": "workos-diagnostics"})
    assert r.status_code == 403
    assert "workos-diag-report" not in r.text


def test_the_changelog_page_renders_the_changelog_safely(admin, wp_eval):  # noqa: F811
    # Under the WorkOS menu when it is there, else under Tools: the admin menu links to it.
    menu = admin.get("/wp-admin/index.php").text
    link = re.search(r"href=['\"]((?:admin|tools)\.php\?page=workos-changelog)['\"]", menu)
    assert link, "no Changelog entry in the admin menu"
    r = admin.get("/wp-admin/" + link.group(1))
    assert r.status_code == 200
    assert "<h2>[Unreleased]</h2>" in r.text and "<h3>Added</h3>" in r.text
    assert '<a href="https://keepachangelog.com/en/1.1.0/">Keep a Changelog</a>' in r.text
    # The renderer escapes whatever the file holds.
    out = wp_eval(
        "return WorkOS_WP\\Admin\\ChangelogPage::to_html($args);",
        "## <script>x</script>\n- **a** `<b>` [t](javascript:alert(1)) [ok](https://e.com/\"onmouseover=x)\n",
    )
    assert "<script>" not in out and "<b>" not in out and "javascript:" not in out.replace("[t](javascript:alert(1))", "")
    assert "&lt;script&gt;" in out and "<code>&lt;b&gt;</code>" in out and "<strong>a</strong>" in out
    assert '"onmouseover' not in out
    # Bold around a code span, and a NUL in the text cannot forge a placeholder.
    assert wp_eval("return WorkOS_WP\\Admin\\ChangelogPage::inline($args);", "**The `a<b` one** \u0000" + "0\u0000") == \
        "<strong>The <code>a&lt;b</code> one</strong> 0"


def test_without_the_extension_the_page_says_so_and_how_to_load_it(noext_url, session_factory, native_login,
                                                                    admin_credentials):
    s = session_factory(noext_url)
    assert native_login(s, noext_url, *admin_credentials).status_code == 302
    page = diagnostics(s)
    assert fact(page, "extension") == ("Problem", "Not loaded: WorkOS sign-in, webhooks and token checks are off.")
    assert "Ini line: extension=workos" in fact(page, "php_config")[1]
    assert fact(page, "connectivity")[0] == "Warning"
    assert "## Software" in report(page)


def test_settings_name_their_choices_as_the_settings_screen_does(admin, wp_eval):  # noqa: F811
    """A choice setting reads as the settings screen names it, its stored value in brackets
    (Setting::describe()), on the page and in the copied report; untranslated raw keys and
    "(database)"-style sources were what the page printed before."""
    page = diagnostics(admin)
    want = wp_eval(
        "$s = WorkOS_WP\\Settings\\Registry::all()['login_mode'];"
        " return array($s->describe(WorkOS_WP\\Settings::display('login_mode')), WorkOS_WP\\Settings::display('login_mode'));"
    )
    described, stored = want
    assert described != stored and f"[{stored}]" in described, want  # a choice with a name
    shown = fact(page, "setting_login_mode")[1]
    assert shown.startswith(described + " ("), (shown, described)
    assert described in report(page)
