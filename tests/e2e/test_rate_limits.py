"""Guessing is slowed: failed sign-ins per account and per client IP, wrong codes per step — shared by all nodes."""

from __future__ import annotations

import uuid

import pytest

from authkit import logged_in_cookie
from test_headless import login_error, post_login


@pytest.fixture
def clean_limits(wp_eval):
    yield
    wp_eval("global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;")


def test_five_failures_lock_the_account_even_for_the_right_password(clean_limits, wp_user, session_factory, wp_url,
                                                                     wp_settings, wp_eval):
    wp_settings(allow_password_fallback=True, login_mode="redirect")
    local = wp_user("rl" + uuid.uuid4().hex[:6], f"rl-{uuid.uuid4().hex[:6]}@example.com", "Right-Passw0rd")
    for _ in range(5):
        assert "incorrect" in login_error(post_login(session_factory(wp_url), wp_url, local["login"], "wrong"))
    s = session_factory(wp_url)
    message = login_error(post_login(s, wp_url, local["login"], "Right-Passw0rd"))
    assert "Too many failed attempts" in message and not logged_in_cookie(s)
    # Another account from the same address is not affected.
    other = wp_user("rl" + uuid.uuid4().hex[:6], f"rl-{uuid.uuid4().hex[:6]}@example.com", "Other-Passw0rd")
    assert post_login(session_factory(wp_url), wp_url, other["login"], "Other-Passw0rd").status_code == 302
    # The table holds hashes, not the login.
    buckets = wp_eval("global $wpdb; return $wpdb->get_col('SELECT bucket FROM ' . $wpdb->base_prefix . 'workos_rate_limits');")
    assert buckets and not any(local["login"] in b for b in buckets)


def test_fifty_failures_from_one_address_block_it_behind_trusted_proxies(clean_limits, wp_user, session_factory,
                                                                          wp_url, wp_settings):
    wp_settings(allow_password_fallback=True, login_mode="redirect", trusted_proxies=["127.0.0.1"])
    attacker = {"X-Forwarded-For": "203.0.113.99"}
    # A new account name each time: only the address adds up. A few more than the 50 allowed, as the
    # bucket refills one every 6 s and a slow run would otherwise end just under the limit.
    for i in range(55):
        post_login(session_factory(wp_url), wp_url, f"nobody-{i}-{uuid.uuid4().hex[:4]}", "wrong", attacker)
    local = wp_user("ip" + uuid.uuid4().hex[:6], f"ip-{uuid.uuid4().hex[:6]}@example.com", "Right-Passw0rd")
    blocked = post_login(session_factory(wp_url), wp_url, local["login"], "Right-Passw0rd", attacker)
    assert "Too many failed attempts" in login_error(blocked)
    fine = post_login(session_factory(wp_url), wp_url, local["login"], "Right-Passw0rd", {"X-Forwarded-For": "198.51.100.7"})
    assert fine.status_code == 302


def test_a_sender_of_bad_webhook_signatures_is_slowed_down(clean_limits, wp_url, env, wp_settings, wp_eval):
    import json as _json

    import requests

    from signer import signature
    from webhooks import HOOK, envelope, uid, workos_user

    wp_settings(trusted_proxies=["127.0.0.1"])
    forger_ip = "2001:db8::1" + uuid.uuid4().hex[:3]  # a fresh address each run (canonical form)
    forger = {"Content-Type": "application/json", "X-Forwarded-For": forger_ip}
    body = _json.dumps(envelope("user.updated", workos_user(uid("user"), "x@example.com"))).encode()
    statuses = [requests.post(wp_url + HOOK, data=body, timeout=30,
                              headers=dict(forger, **{"WorkOS-Signature": signature(body, "whsec_forged")})).status_code
                for _ in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429
    logged = wp_eval("global $wpdb; return (int) $wpdb->get_var($wpdb->prepare(\"SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_activity_log WHERE type = 'webhook_rejected' AND ip = %s\", $args));", forger_ip)
    assert logged == 30  # the refused ones were not logged
    # WorkOS's own deliveries from elsewhere still go through.
    good = requests.post(wp_url + HOOK, data=body, timeout=30, headers={
        "Content-Type": "application/json", "X-Forwarded-For": "198.51.100.20",
        "WorkOS-Signature": signature(body, env["WEBHOOK_SECRET"])})
    assert good.status_code == 200
