"""Issue 10: Site Health tells a site owner whether WorkOS works and where to fix it.

- the connectivity test asks WorkOS with the configured credentials (Admin\\ConnectionCheck): a wrong
  API key is critical, and the result links to the field that fixes it; a good one reports the
  latency really measured (the emulator's latency control makes it visible);
- it runs as an async test over REST, so the Status tab does not wait for WorkOS;
- the Info tab has a complete WorkOS section for "Copy site info to clipboard": every setting with
  where its value comes from, secrets masked;
- ConnectionCheck::run() (also used by the settings screen's Test connection button and the CLI)
  blames only the value that is wrong;
- the Plugins screen links to the settings.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import pathlib
import re
import subprocess

import pytest
import requests

EVAL = pathlib.Path(__file__).resolve().parents[1] / "wp" / "eval.php"
REST_ROUTE = "/wp-json/workos/v1/site-health/connectivity"


def signed_in(eval_fn, session_factory, base_url: str, login: str):
    """A browser-like session of `login` (cookies minted inside WordPress)."""
    cookies = eval_fn(
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
    return s


@pytest.fixture
def admin(wp_url, session_factory, admin_credentials, wp_eval):
    return signed_in(wp_eval, session_factory, wp_url, admin_credentials[0])


def rest_nonce(session) -> str:
    """The REST nonce of the signed-in user, as Site Health's script gets it."""
    r = session.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
    assert r.status_code == 200 and re.fullmatch(r"[0-9a-f]{10}", r.text), r.text[:200]
    return r.text


def connectivity_over_rest(session) -> dict:
    """What the Status tab's script receives for the WorkOS connectivity test."""
    r = session.get(REST_ROUTE, headers={"X-WP-Nonce": rest_nonce(session)})
    assert r.status_code == 200, f"{REST_ROUTE}: HTTP {r.status_code} {r.text[:300]}"
    return r.json()


@pytest.fixture
def latency(emulator_url):
    """latency(ms): the emulator delays every API request by ms (put back to 0 afterwards)."""

    def _set(ms: int) -> None:
        r = requests.put(emulator_url + "/__emulator/config", json={"latency_ms": ms}, timeout=10)
        assert r.status_code < 300, r.text

    yield _set
    _set(0)


def test_wrong_api_key_is_critical_and_links_to_the_api_key_field(admin, wp_settings, wp_url):
    wp_settings(api_key="sk_test_not_the_right_key_0000")
    result = connectivity_over_rest(admin)
    assert result["status"] == "critical", result
    assert result["test"] == "workos_connectivity"
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", result["description"]))
    assert "API key" in text and "rejected" in text, text
    assert "sk_test_not_the_right_key_0000" not in json.dumps(result)  # no secret in the result
    # The action links to the field that fixes it: the settings tab and the field's anchor.
    hrefs = [htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', result.get("actions", ""))]
    assert any(h.startswith(wp_url + "/wp-admin/options-general.php?page=workos&tab=settings")
               and h.endswith("#workos_production_api_key") for h in hrefs), result.get("actions")


def test_good_credentials_report_the_measured_latency(admin, latency):
    latency(150)
    result = connectivity_over_rest(admin)
    assert result["status"] == "good", result
    ms = int(re.search(r"(\d+)\s*ms", result["label"]).group(1))
    assert ms >= 150, result["label"]  # measured, not a constant
    latency(0)
    quick = connectivity_over_rest(admin)
    assert int(re.search(r"(\d+)\s*ms", quick["label"]).group(1)) < ms


def test_connectivity_is_an_async_test_that_does_not_hold_up_the_status_tab(wp_eval):
    tests = wp_eval(
        "require_once ABSPATH . 'wp-admin/includes/admin.php';"
        "$t = WorkOS_WP\\Admin\\Diagnostics::add_tests(['direct' => [], 'async' => []]);"
        "$a = $t['async']['workos_connectivity'] ?? null;"
        "return ['direct' => array_keys($t['direct']), 'async' => $a ? ['has_rest' => !empty($a['has_rest']),"
        " 'test' => $a['test'], 'direct_test' => is_callable($a['async_direct_test'] ?? null)] : null];"
    )
    assert "workos_connectivity" not in tests["direct"], tests
    assert tests["async"] and tests["async"]["has_rest"] and tests["async"]["direct_test"], tests
    assert tests["async"]["test"].endswith("workos/v1/site-health/connectivity"), tests
    # WordPress's weekly scheduled check runs it without REST, with the same result.
    status = wp_eval(
        "require_once ABSPATH . 'wp-admin/includes/admin.php';"
        "$t = WorkOS_WP\\Admin\\Diagnostics::add_tests(['direct' => [], 'async' => []]);"
        "return call_user_func($t['async']['workos_connectivity']['async_direct_test'])['status'];"
    )
    assert status == "good"


def test_connectivity_route_is_for_those_who_may_see_site_health(session_factory, wp_url, wp_user, wp_eval):
    anonymous = session_factory(wp_url).get(REST_ROUTE)
    assert anonymous.status_code in (401, 403), anonymous.text[:200]
    wp_user("health_subscriber", "health_subscriber@example.com", "Sub-password-1", role="subscriber")
    sub = signed_in(wp_eval, session_factory, wp_url, "health_subscriber")
    r = sub.get(REST_ROUTE, headers={"X-WP-Nonce": rest_nonce(sub)})
    assert r.status_code == 403, r.text[:200]


def test_connection_check_with_a_wrong_client_id_blames_only_the_client_id(wp_eval, latency):
    latency(25)  # each call's time is measured
    result = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run(['client_id' => 'client_unknown_to_workos']);")
    assert result["ok"] is False
    status = {c["id"]: c["status"] for c in result["checks"]}
    assert [c["id"] for c in result["checks"]] == ["api_key", "client_id", "jwks"]
    assert [c["id"] for c in result["checks"] if c["status"] in ("failed", "unreachable")] == ["client_id"], status
    client = result["checks"][1]
    assert client["ok"] is False and client["setting"] == "client_id" and client["ms"] >= 25
    assert "client_unknown_to_workos" in client["message"]
    assert result["checks"][0]["ok"] is True and result["checks"][0]["ms"] >= 25


def test_connection_check_tests_unsaved_values_and_tells_unreachable_from_rejected(wp_eval):
    good = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run();")
    assert good["ok"] is True and all(c["ok"] for c in good["checks"]), good
    wrong = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run(['api_key' => 'sk_test_typed_but_wrong']);")
    assert [c["status"] for c in wrong["checks"]] == ["failed", "good", "good"], wrong
    assert "sk_test_typed_but_wrong" not in json.dumps(wrong)
    # Nothing listens on port 9: WorkOS unreachable is not "your key is wrong".
    down = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run(['api_key' => 'sk_test_x', 'api_base_url' => 'http://127.0.0.1:9']);")
    assert down["checks"][0]["status"] == "unreachable" and down["checks"][0]["setting"] == "api_base_url", down
    assert "could not be reached" in down["checks"][0]["message"]
    # The stored key never goes to a URL that is not the saved one: the key must be typed with it.
    elsewhere = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run(['api_base_url' => 'http://127.0.0.1:9']);")
    assert elsewhere["checks"][0]["status"] == "failed" and elsewhere["checks"][0]["ms"] == 0, elsewhere
    assert "type the API key" in elsewhere["checks"][0]["message"]
    same = wp_eval("return WorkOS_WP\\Admin\\ConnectionCheck::run(['api_base_url' => WorkOS_WP\\Settings::get('api_base_url') . '/']);")
    assert same["ok"] is True, same  # the saved URL (trailing slash aside) is fine
    # Stored values are untouched.
    assert wp_eval("return WorkOS_WP\\Settings::get('api_base_url');") != "http://127.0.0.1:9"


def test_unreachable_workos_is_critical_but_not_blamed_on_the_key(admin, emulator_url):
    requests.post(emulator_url + "/__emulator/faults", timeout=10,
                  json={"path": "/organizations", "status": 503, "times": 0})
    try:
        result = connectivity_over_rest(admin)
    finally:
        requests.delete(emulator_url + "/__emulator/faults", timeout=10)
    assert result["status"] == "critical", result
    assert "could not be reached" in result["label"] or "unavailable" in result["label"], result["label"]
    assert "rejected" not in result["description"]


def debug_section(admin) -> tuple[str, str]:
    """The Info tab's HTML and its "Copy site info" text."""
    page = admin.get("/wp-admin/site-health.php", params={"tab": "debug"})
    assert page.status_code == 200
    copy = re.search(r'class="[^"]*site-health-copy-buttons.*?data-clipboard-text="([^"]*)"', page.text, re.S)
    assert copy, "no Copy site info button"
    return page.text, htmllib.unescape(copy.group(1))


def test_info_tab_has_a_complete_workos_section_with_secrets_masked(admin, wp_eval, env):
    keys = wp_eval("return array_keys(WorkOS_WP\\Settings\\Registry::SETTINGS);")
    page, clipboard = debug_section(admin)
    assert 'id="health-check-accordion-block-workos"' in page
    section = clipboard.split("### workos ###", 1)[1].split("\n### ", 1)[0]
    lines = dict(line.split(": ", 1) for line in section.strip().splitlines() if ": " in line)
    for key in keys:
        assert key in lines, (key, section)
    # Where each value comes from.
    assert lines["api_key"].endswith("(database)"), lines["api_key"]
    assert lines["login_redirect_default"].endswith("(default)"), lines["login_redirect_default"]
    assert lines["jwks_cache_dir"].endswith("(constant WORKOS_JWKS_CACHE_DIR)"), lines["jwks_cache_dir"]
    # Secrets masked, on screen and in the copy.
    for secret in (env["API_KEY"], env["WEBHOOK_SECRET"]):
        assert secret not in page and secret not in clipboard
    assert "••••••••" + env["API_KEY"][-4:] in lines["api_key"]
    assert "••••••••" + env["WEBHOOK_SECRET"][-4:] in lines["webhook_secret"]
    # What support asks for first.
    for field in ("extension_version", "plugin_version", "environment", "login_mode", "sign_in",
                  "last_webhook", "backlog"):
        assert field in lines, (field, section)
    version = wp_eval("return \\WorkOS\\Native\\version();")
    assert version in lines["extension_version"]
    assert lines["environment"].startswith("production")
    assert lines["sign_in"] == "on"


def test_plugins_screen_links_to_the_settings(admin, wp_url):
    page = admin.get("/wp-admin/plugins.php").text
    row = re.search(r'<tr[^>]*data-plugin="workos/workos\.php".*?</tr>', page, re.S)
    assert row, "the plugin is not listed"
    actions = re.search(r'<div class="row-actions visible">(.*?)</div>', row.group(0), re.S).group(1)
    link = re.search(r'<a href="([^"]+)"[^>]*>Settings</a>', actions)
    assert link, actions
    assert htmllib.unescape(link.group(1)) == wp_url + "/wp-admin/options-general.php?page=workos"
    # First, as plugins put it.
    assert re.match(r"""\s*<span class=['"]settings['"]>""", actions), actions


@pytest.fixture
def ms_eval(env):
    if not env.get("MS_URL"):
        pytest.skip("this instance serves no multisite network")
    ms = dict(env, INSTANCE=env["MS_INSTANCE"], WP_URL=env["MS_URL"])

    def _eval(code: str, args=None):
        proc = subprocess.run(
            [ms["PHP_BIN"], "-d", "extension=" + ms["EXTENSION_PATH"], str(EVAL)], input=code, capture_output=True,
            text=True, timeout=120, check=False,
            env=dict(os.environ, WORKOS_STACK_INSTANCE=ms["INSTANCE"], WP_URL=ms["WP_URL"], WP_EVAL_ARGS=json.dumps(args)),
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip())

    return _eval


def test_network_plugins_screen_links_to_the_network_settings(ms_eval, env, session_factory):
    superadmin = signed_in(ms_eval, session_factory, env["MS_URL"], env["ADMIN_USER"])
    page = superadmin.get("/wp-admin/network/plugins.php").text
    row = re.search(r'<tr[^>]*data-plugin="workos/workos\.php".*?</tr>', page, re.S)
    assert row, "the plugin is not listed on the network's Plugins screen"
    link = re.search(r'<a href="([^"]+)"[^>]*>Settings</a>', row.group(0))
    assert link and htmllib.unescape(link.group(1)).endswith("/wp-admin/network/settings.php?page=workos"), row.group(0)[:2000]
