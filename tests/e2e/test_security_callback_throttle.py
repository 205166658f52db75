"""Security (issue 8, finding 13): /workos/callback is rate-limited per client before it calls WorkOS
or writes anything, and attempts refused by a rate limit queue no Audit Logs events."""

from __future__ import annotations

import random
import time
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, emulator_requests, logged_in_cookie, start
from test_headless import post_login

TIMEOUT = 30
PASSWORD = "Passw0rd!-e2e"
LIMIT = 50  # Throttle::RULES['login_ip']


def fresh_ip() -> str:
    return f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.fixture
def proxied(wp_settings, wp_eval):
    wp_settings(trusted_proxies=["127.0.0.1"])
    yield
    wp_eval("global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;")


def writes(wp_eval, ip):
    return wp_eval(
        """global $wpdb;
        return [
          'flows' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE 'workos\\\\_flow\\\\_used\\\\_%'"),
          'log' => (int) $wpdb->get_var($wpdb->prepare('SELECT COUNT(*) FROM ' . $wpdb->base_prefix . 'workos_activity_log WHERE ip = %s', $args)),
          'audit' => (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . $wpdb->base_prefix . 'workos_audit_queue'),
        ];""",
        ip,
    )


def test_callback_floods_are_cut_off_before_workos_is_called(proxied, session_factory, wp_url, emulator_url, wp_eval):
    attacker = fresh_ip()
    headers = {"X-Forwarded-For": attacker}
    for i in range(LIMIT):
        r = requests.get(wp_url + "/workos/callback", params={"code": f"c{i}", "state": "x"}, headers=headers,
                         timeout=TIMEOUT, allow_redirects=False)
        assert r.status_code in (400, 429), r.status_code

    # A well-formed attempt (its own browser cookie and a state this site issued) with a made-up code.
    browser = session_factory(wp_url)
    browser.headers.update(headers)
    flow = start(browser, wp_url)
    before = writes(wp_eval, attacker)
    requests.delete(emulator_url + "/__emulator/requests", timeout=TIMEOUT)
    code = "forged-" + uuid.uuid4().hex
    r = browser.get("/workos/callback", params={"code": code, "state": flow.params["state"]}, allow_redirects=False)
    assert r.status_code == 429, (r.status_code, r.text[:400])
    assert "Too many" in r.text
    assert emulator_requests(emulator_url, "/user_management/authenticate") == []
    assert writes(wp_eval, attacker) == before

    # Somebody else, elsewhere, still signs in.
    email = f"cb-ok-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    other = session_factory(wp_url)
    other.headers["X-Forwarded-For"] = fresh_ip()
    r = other.get(authkit_sign_in(emulator_url, start(other, wp_url), email, PASSWORD), allow_redirects=False)
    assert r.status_code == 302 and logged_in_cookie(other)


def test_a_successful_sign_in_is_not_counted(proxied, session_factory, wp_url, emulator_url):
    ip = fresh_ip()
    email = f"cb-many-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    for _ in range(3):
        s = session_factory(wp_url)
        s.headers["X-Forwarded-For"] = ip
        assert s.get(authkit_sign_in(emulator_url, start(s, wp_url), email, PASSWORD), allow_redirects=False).status_code == 302


def test_throttled_attempts_queue_no_audit_logs_events(proxied, wp_settings, session_factory, wp_url, emulator_url,
                                                       wp_eval):
    org = create_org(emulator_url, "Audited " + uuid.uuid4().hex[:6])
    wp_settings(audit_logs=True, organization_id=org["id"], allow_password_fallback=True, login_mode="redirect",
                trusted_proxies=["127.0.0.1"])
    attacker = {"X-Forwarded-For": fresh_ip()}
    name = "nobody-" + uuid.uuid4().hex[:6]
    for _ in range(LIMIT):
        post_login(session_factory(wp_url), wp_url, name, "wrong", attacker)
    r = post_login(session_factory(wp_url), wp_url, name, "wrong", attacker)
    assert "Too many failed attempts" in r.text

    def audited() -> int:
        time.sleep(0.5)  # queued events are flushed after the response
        got = requests.get(emulator_url + "/__emulator/audit_logs", params={"organization_id": org["id"]},
                           timeout=TIMEOUT).json()
        events = got.get("data", got) if isinstance(got, dict) else got
        queued = wp_eval("global $wpdb; return (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . $wpdb->base_prefix . 'workos_audit_queue');")
        return len(events) + queued

    before = audited()
    for _ in range(10):
        assert "Too many failed attempts" in post_login(session_factory(wp_url), wp_url, name, "wrong", attacker).text
    assert audited() == before
