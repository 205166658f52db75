"""An ordinary page view pays next to nothing for the plugin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests


def probe(url: str) -> dict:
    r = requests.get(url, headers={"X-WorkOS-Probe": "1"}, timeout=30)
    assert r.status_code == 200
    m = re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text)
    assert m, "the test probe mu-plugin did not report (is tests/wp/mu-plugins linked?)"
    return json.loads(m.group(1))


def test_anonymous_page_view_loads_only_the_main_file(wp_url):
    for path in ("/", "/sample-page/", "/?s=hello"):
        seen = probe(wp_url + path)
        assert seen["files"] == ["workos.php"], seen
        assert seen["classes"] == [], seen


def test_the_global_helpers_come_with_the_main_file(wp_url, wp_eval):
    """Issue 13 needs the reference plugin's global helpers (workos(), workos_is_sso_user() …) on every
    request, and PHP cannot autoload functions; issue 9: they are declared in workos.php itself (braced
    namespaces), so a page view loads one plugin file, not two (the test above: `files` is only
    workos.php), and no helper loads a class until it is called."""
    assert not (Path(__file__).resolve().parents[2] / "php-shim" / "includes").exists()
    got = wp_eval(
        "return array_map(fn($f) => function_exists($f) && (new ReflectionFunction($f))->getFileName() === "
        "realpath(WorkOS_WP\\PLUGIN_FILE), $args);",
        ["workos", "workos_log", "workos_is_sso_user", "workos_has_active_session", "workos_get_user_id",
         "workos_get_access_token"],
    )
    assert got == [True] * 6, got


def test_anonymous_page_view_runs_no_extra_query(wp_url):
    """The same page with the plugin and without it (the probe takes it out of the active plugins)."""
    for path in ("/", "/sample-page/"):
        with_plugin = probe(wp_url + path)
        r = requests.get(wp_url + path, headers={"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Off": "1"}, timeout=30)
        without = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
        assert without["files"] == []  # the switch works
        assert with_plugin["queries"] == without["queries"], (with_plugin, without)


def options_read(url: str, off: bool) -> dict:
    headers = {"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Options": "1"}
    if off:
        headers["X-WorkOS-Probe-Off"] = "1"
    r = requests.get(url, headers=headers, timeout=30)
    return json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))["options"]


def test_anonymous_page_view_reads_no_extra_option(wp_url):
    """Issue 9: every get_option() runs its filters and unserializes the stored value (the plugin's two
    start-up reads of its settings array were the largest part of its page-view cost), so the plugin
    reads what it needs at start-up from the autoloaded options as stored: the same page makes the same
    get_option() calls with the plugin and without it (the probe counts them by name)."""
    for path in ("/", "/sample-page/"):
        on, off = options_read(wp_url + path, False), options_read(wp_url + path, True)
        assert off, "the probe counted no option reads (is the pre_option filter there?)"
        extra = {k: on.get(k, 0) - off.get(k, 0) for k in set(on) | set(off) if on.get(k, 0) != off.get(k, 0)}
        assert extra == {}, extra
