"""WorkOS Radar in the hosted login (issue 12): with WORKOS_RADAR_SITE_KEY the shell loads Radar's SDK and every
auth call's `X-WorkOS-Radar-Action-Token` reaches WorkOS — as the authenticate grant's `signals_id`, the field
the OpenAPI spec gives the password and authorization-code grants for "a Radar signals ID to correlate
client-side signals with this authentication attempt". Without a key nothing loads and nothing is forwarded.

The key is a wp-config constant only; the test mu-plugin workos-radar-key.php defines it from a file.
The emulator records every attempt that carried a signals id (GET /__emulator/radar/attempts).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from authkit import create_workos_user, emulator_requests, logged_in_cookie
from test_auth_api import PASSWORD, browser, fast_floor, magic_code, profile, unique_email  # noqa: F401 (fixtures)

SITE_KEY = "radar_site_e2e_01"
TOKEN = "rdr_act.eyJhIjoiYiJ9-_~+/=:01"


@pytest.fixture
def radar_key(env):
    """radar_key(value) turns Radar on for one test (the mu-plugin's file); off again afterwards."""
    path = Path(env["WP_CONTENT_DIR"]) / "workos-test-radar-site-key"

    def _set(value: str) -> None:
        path.write_text(value)

    yield _set
    path.unlink(missing_ok=True)


def attempts(emulator_url: str, email: str) -> list[dict]:
    r = requests.get(emulator_url + "/__emulator/radar/attempts", timeout=10)
    assert r.status_code == 200, r.text
    return [a for a in r.json()["data"] if a.get("email") == email]


def grants_of(emulator_url: str, email: str) -> list[dict]:
    return [e["body"] for e in emulator_requests(emulator_url, "/user_management/authenticate", "POST")
            if isinstance(e.get("body"), dict) and e["body"].get("email") == email]


def shell_html(session_factory, wp_url: str, slug: str) -> str:
    r = session_factory(wp_url).get(f"/workos/login/{slug}/")
    assert r.status_code == 200, r.text[:300]
    return r.text


def test_without_a_site_key_nothing_loads_and_no_token_is_forwarded(browser, profile, emulator_url, wp_url,
                                                                    session_factory):
    p = profile(methods=["password"])
    html = shell_html(session_factory, wp_url, p["slug"])
    assert "data-radar-site-key" not in html and "workos-radar-sdk" not in html and "radar.workos.com" not in html
    b = browser(p["slug"])
    assert b.s.get("/wp-json/workos/v1/auth/nonce", params={"profile": p["slug"]}).json()["radar_site_key"] == ""
    email = unique_email("radar-off")
    create_workos_user(emulator_url, email, PASSWORD)
    r = b.password(email, PASSWORD, headers={"X-WorkOS-Radar-Action-Token": TOKEN})
    assert r.status_code == 200 and logged_in_cookie(b.s), r.text[:300]
    # A header anyone can send does not reach WorkOS while the site has not turned Radar on.
    assert [g.get("signals_id") for g in grants_of(emulator_url, email)] == [None]
    assert attempts(emulator_url, email) == []


def test_with_a_site_key_the_shell_loads_radar_and_the_token_reaches_workos(browser, profile, radar_key,
                                                                            emulator_url, wp_url, session_factory):
    radar_key(SITE_KEY)
    p = profile(methods=["password"])
    html = shell_html(session_factory, wp_url, p["slug"])
    # The shell is told the key (its script adds the SDK, script id workos-radar-sdk: the browser suite).
    assert f'data-radar-site-key="{SITE_KEY}"' in html
    b = browser(p["slug"])
    assert b.s.get("/wp-json/workos/v1/auth/nonce", params={"profile": p["slug"]}).json()["radar_site_key"] == SITE_KEY
    email = unique_email("radar-on")
    create_workos_user(emulator_url, email, PASSWORD)
    r = b.password(email, PASSWORD, headers={"X-WorkOS-Radar-Action-Token": TOKEN})
    assert r.status_code == 200 and logged_in_cookie(b.s), r.text[:300]
    assert [g.get("signals_id") for g in grants_of(emulator_url, email)] == [TOKEN]
    seen = attempts(emulator_url, email)
    assert len(seen) == 1 and seen[0]["signals_id"] == TOKEN and seen[0]["grant_type"] == "password"
    assert seen[0]["ip_address"], "the visitor's address travels with the token"


@pytest.mark.parametrize("token", ["x" * 2049, "<script>alert(1)</script>", "two words"])
def test_an_oversized_or_malformed_token_is_dropped_and_the_sign_in_goes_on(browser, profile, radar_key,
                                                                           emulator_url, token):
    radar_key(SITE_KEY)
    p = profile(methods=["password"])
    b = browser(p["slug"])
    email = unique_email("radar-bad")
    create_workos_user(emulator_url, email, PASSWORD)
    r = b.password(email, PASSWORD, headers={"X-WorkOS-Radar-Action-Token": token})
    assert r.status_code == 200 and logged_in_cookie(b.s), r.text[:300]
    assert [g.get("signals_id") for g in grants_of(emulator_url, email)] == [None]
    assert attempts(emulator_url, email) == []


def test_a_grant_without_a_signals_field_is_sent_as_the_spec_defines_it(browser, profile, radar_key, emulator_url):
    """The magic-auth grant has no signals_id in the spec: the code sign-in works, the token is not sent there."""
    radar_key(SITE_KEY)
    p = profile(methods=["magic_code"])
    b = browser(p["slug"])
    email = unique_email("radar-code")
    create_workos_user(emulator_url, email, PASSWORD)
    headers = {"X-WorkOS-Radar-Action-Token": TOKEN}
    assert b.post("magic/send", {"email": email}, headers=headers).status_code == 200
    code = magic_code(emulator_url, email)
    r = b.post("magic/verify", {"email": email, "code": code}, headers=headers)
    assert r.status_code == 200 and logged_in_cookie(b.s), r.text[:300]
    assert all("signals_id" not in g for g in grants_of(emulator_url, email))
