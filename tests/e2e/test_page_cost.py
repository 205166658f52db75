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


def test_the_global_helpers_are_one_small_file_that_loads_nothing(wp_url):
    """Issue 13: the reference plugin's global helpers (workos(), workos_is_sso_user() …) must exist
    on every request (PHP cannot autoload functions, and workos.php's namespace cannot declare global
    ones), so they are one small file of one-line wrappers, reported by the probe apart from `files`:
    it defines functions only — no class loaded, no query (the test above and the one below)."""
    seen = probe(wp_url + "/")
    assert seen["helpers"] == ["includes/functions.php"], seen
    helpers = Path(__file__).resolve().parents[2] / "php-shim" / "includes" / "functions.php"
    assert helpers.stat().st_size < 4096


def test_anonymous_page_view_runs_no_extra_query(wp_url):
    """The same page with the plugin and without it (the probe takes it out of the active plugins)."""
    for path in ("/", "/sample-page/"):
        with_plugin = probe(wp_url + path)
        r = requests.get(wp_url + path, headers={"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Off": "1"}, timeout=30)
        without = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
        assert without["files"] == []  # the switch works
        assert with_plugin["queries"] == without["queries"], (with_plugin, without)
