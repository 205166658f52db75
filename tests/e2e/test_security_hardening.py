"""Issue 8, findings 9, 17 and the webhook part of 8, attacked end to end.

- 9: a JWKS planted in the cache directory (as a file at the old predictable path, or as a row of
  the per-host SQLite cache without the site's HMAC) never lets a token signed by the planted key
  in through Bearer auth.
- 17: a webhook body over 1 MiB is refused with 413 in WordPress's error format before anything is
  written to the database.
- 8: a sender of bad signatures cannot get WorkOS's real (validly signed) deliveries refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import pathlib
import signal
import sqlite3
import time
import uuid

import pytest
import requests

from signer import signature
from authkit import create_workos_user
from test_bearer import get_me, password_grant, signed_in  # noqa: F401  (fixture)
from webhooks import HOOK, envelope, uid, workos_user

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "crates" / "workos-core" / "tests" / "fixtures"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(token: str, wp_eval) -> str:
    """The same header and claims, signed with the attacker's RSA key (fixtures/other-rsa.pem)."""
    head, payload, _ = token.split(".")
    signed = wp_eval(
        "openssl_sign($args[0], $sig, openssl_pkey_get_private(file_get_contents($args[1])), OPENSSL_ALGO_SHA256);"
        " return rtrim(strtr(base64_encode($sig), '+/', '-_'), '=');",
        [f"{head}.{payload}", str(FIXTURES / "other-rsa.pem")],
    )
    return f"{head}.{payload}.{signed}"


def kid_of(token: str) -> str:
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]


def planted_jwks(kid: str) -> str:
    """The attacker's public key, published under WorkOS's kid."""
    key = json.loads((FIXTURES / "other-jwk.json").read_text())
    key["kid"] = kid
    return json.dumps({"keys": [key]})


def reload_php_fpm(env, wp_url):
    """Gracefully restarts this instance's php-fpm workers, so none holds keys in memory."""
    pidfile = REPO / ".run" / os.environ.get("WORKOS_STACK_INSTANCE", "test") / "php-fpm.pid"
    os.kill(int(pidfile.read_text().strip()), signal.SIGUSR2)
    deadline = time.time() + 20
    time.sleep(0.5)
    while time.time() < deadline:
        try:
            if requests.get(wp_url + "/wp-json/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail("php-fpm did not come back after SIGUSR2")


def seal_with(secret: bytes, row_id: str, stored_at: int, expires_at: int, value: str) -> str:
    """The MAC of a host-cache row in the extension's format (crates/workos-core/src/host_cache.rs,
    entry_mac), made with a secret that is not the site's."""
    key = hmac.new(secret, b"workos-host-cache-v1", hashlib.sha256).digest()
    mac = hmac.new(key, b"entry\n", hashlib.sha256)
    for part in (row_id.encode(), str(stored_at).encode(), str(expires_at).encode(), value.encode()):
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()


def plant_rows(db: pathlib.Path, value: str, mac_of) -> None:
    """Overwrites every entry of the host cache with `value`, keeping each row's id and times."""
    with sqlite3.connect(db, timeout=10) as c:
        for row_id, stored_at, expires_at in c.execute("SELECT id, stored_at, expires_at FROM entries").fetchall():
            c.execute("UPDATE entries SET value = ?, mac = ? WHERE id = ?",
                      (value, mac_of(row_id, stored_at, expires_at), row_id))
    # Not left open: a connection of this process must not hold the database for the workers.
    c.close()


# The signature is what is under test here: audience and issuer rules are BearerAuth's (and tested
# with it), so this check asks for nothing else.
VERIFY_IN_A_NEW_PROCESS = """
try {
    WorkOS_WP\\Api::client()->verifyAccessToken($args);
    return 'accepted';
} catch (WorkOS\\Native\\TokenException $e) {
    return $e->getReason();
}
"""


def plant_and_check(wp_eval, real, check):
    """Plants the attacker's JWKS where the file cache is read and runs check(where) each time."""
    forged = forge(real, wp_eval)
    cache_dir = pathlib.Path(wp_eval("return WORKOS_JWKS_CACHE_DIR;"))
    source_key = wp_eval("$c = WorkOS_WP\\Api::client(); return $c->getBaseUrl() . '|' . $c->getClientId();")
    evil = planted_jwks(kid_of(real))

    # The site's own verification creates the private cache directory (an attacker creating it first
    # only turns the file cache off: a directory that is not 0700 and the PHP user's is not used).
    assert wp_eval(VERIFY_IN_A_NEW_PROCESS, real) == "accepted"

    # 1. At the predictable path the cache used before entries were authenticated.
    old = cache_dir / f"jwks-{hashlib.sha256(source_key.encode()).hexdigest()[:24]}.json"
    old.write_text(evil)
    try:
        check(forged, "old path")
    finally:
        old.unlink(missing_ok=True)

    # 2. Over the entry the cache itself wrote (a row of the per-host SQLite database): with no
    # valid MAC, and sealed with a secret that is not the site's.
    wp_eval(VERIFY_IN_A_NEW_PROCESS, real)
    db = cache_dir / "host-cache.sqlite3"
    with sqlite3.connect(db, timeout=10) as c:
        written = c.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    c.close()
    assert written, "verifying the real token wrote an entry to the host cache"
    for mac_of in (lambda *_: "00" * 32,
                   lambda row_id, stored, expires: seal_with(b"guessed-secret-0123456789", row_id, stored, expires, evil)):
        plant_rows(db, evil, mac_of)
        check(forged, "current entry")


def test_a_planted_jwks_never_verifies_a_token(env, emulator_url, wp_eval):
    """Every verification in a new PHP process (empty memory) reads the file cache."""
    email = f"planted-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email)
    real = password_grant(env, emulator_url, email)["access_token"]

    def check(forged, where):
        assert wp_eval(VERIFY_IN_A_NEW_PROCESS, forged) == "bad_signature", where
        assert wp_eval(VERIFY_IN_A_NEW_PROCESS, real) == "accepted", where

    plant_and_check(wp_eval, real, check)


def test_a_planted_jwks_never_signs_in_through_bearer_auth(env, wp_url, wp_eval, signed_in):  # noqa: F811
    real = signed_in["token"]
    assert get_me(wp_url, real).status_code == 200

    def check(forged, where):
        # Restarted workers hold no keys in memory: the file cache is consulted.
        reload_php_fpm(env, wp_url)
        r = get_me(wp_url, forged)
        assert r.status_code == 401 and r.json()["code"] == "workos_invalid_token", (where, r.text)
        assert get_me(wp_url, real).status_code == 200, where

    plant_and_check(wp_eval, real, check)


def test_the_jwks_cache_directory_is_private(env, emulator_url, wp_eval):
    email = f"private-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email)
    assert wp_eval(VERIFY_IN_A_NEW_PROCESS, password_grant(env, emulator_url, email)["access_token"]) == "accepted"
    cache_dir = pathlib.Path(wp_eval("return WORKOS_JWKS_CACHE_DIR;"))
    st = cache_dir.stat()
    assert st.st_mode & 0o777 == 0o700
    assert wp_eval("return WorkOS\\Native\\Client::jwksCacheDirProblem(WORKOS_JWKS_CACHE_DIR);") is None
    # A directory others can write to is refused (and then simply not used).
    problem = wp_eval("return WorkOS\\Native\\Client::jwksCacheDirProblem('/tmp');")
    assert problem and "0700" in problem


def ledger_count(wp_eval, event_id):
    return wp_eval("global $wpdb; return (int) $wpdb->get_var($wpdb->prepare("
                   "\"SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_events WHERE event_id = %s\", $args));", event_id)


def activity_count(wp_eval):
    return wp_eval("global $wpdb; return (int) $wpdb->get_var("
                   "\"SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_activity_log\");")


def test_a_webhook_body_over_one_mib_is_refused_before_any_write(wp_url, env, wp_eval):
    event = envelope("user.updated", workos_user(uid("user"), "big@example.com"))
    event["data"]["metadata"] = {"padding": "x" * (1024 * 1024)}
    body = json.dumps(event).encode()
    assert len(body) > 1024 * 1024
    logged_before = activity_count(wp_eval)
    for sig in (signature(body, env["WEBHOOK_SECRET"]), signature(body, "whsec_forged")):
        r = requests.post(wp_url + HOOK, data=body, timeout=60,
                          headers={"Content-Type": "application/json", "WorkOS-Signature": sig})
        assert r.status_code == 413, r.text[:300]
        err = r.json()
        assert err["code"] == "workos_payload_too_large" and err["data"]["status"] == 413
    assert ledger_count(wp_eval, event["id"]) == 0
    assert activity_count(wp_eval) == logged_before, "nothing was logged either"
    # Just under the limit is still a delivery like any other.
    small = envelope("user.updated", workos_user(uid("user"), "small@example.com"))
    small["data"]["metadata"] = {"padding": "x" * (1024 * 1024 - 1024)}
    body = json.dumps(small).encode()
    r = requests.post(wp_url + HOOK, data=body, timeout=60, headers={
        "Content-Type": "application/json", "WorkOS-Signature": signature(body, env["WEBHOOK_SECRET"])})
    assert r.status_code == 200, r.text[:300]


@pytest.fixture
def clean_limits(wp_eval):
    yield
    wp_eval("global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;")


def test_bad_signatures_never_get_valid_deliveries_refused(clean_limits, wp_url, env, wp_settings, wp_eval):
    # Every sender shares one address, as behind a proxy that is not configured as trusted.
    wp_settings(trusted_proxies=[])
    logged = lambda: wp_eval(  # noqa: E731
        "global $wpdb; return (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_activity_log"
        " WHERE type = 'webhook_rejected'\");")
    before = logged()
    body = json.dumps(envelope("user.updated", workos_user(uid("user"), "x@example.com"))).encode()
    forged = {"Content-Type": "application/json", "WorkOS-Signature": signature(body, "whsec_forged")}
    statuses = [requests.post(wp_url + HOOK, data=body, headers=forged, timeout=30).status_code for _ in range(40)]
    assert set(statuses) <= {401, 429} and statuses[0] == 401
    # The failures were logged only up to the limit: the log cannot be flooded.
    assert 1 <= logged() - before <= 30
    # WorkOS's own deliveries, from the very same address, still go through.
    for _ in range(3):
        good = envelope("user.updated", workos_user(uid("user"), f"{uuid.uuid4().hex[:8]}@example.com"))
        body = json.dumps(good).encode()
        r = requests.post(wp_url + HOOK, data=body, timeout=30, headers={
            "Content-Type": "application/json", "WorkOS-Signature": signature(body, env["WEBHOOK_SECRET"])})
        assert r.status_code == 200, r.text[:300]
