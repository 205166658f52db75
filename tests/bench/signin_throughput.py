"""Sign-in throughput: AuthKit callbacks (code exchange, token check, account, session) through nginx + php-fpm.

Run by scripts/bench.sh against the test stack instance. Each browser first walks the emulator's hosted login
page (not timed: that is WorkOS's part); then the callbacks are sent, `concurrency` at a time, and timed:
first sign-ins (the WordPress account is created) and returning sign-ins (already linked), side by side.
Every browser comes from its own address through the trusted local proxy, as real visitors do.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from authkit import authkit_sign_in, create_workos_user, start  # noqa: E402
from conftest import ENV_FILE, StackSession, run_wp_php  # noqa: E402

PASSWORD = "Passw0rd!-bench"


def browser(env, email, i, salt):
    s = StackSession(env["WP_URL"])
    s.headers["X-Forwarded-For"] = f"2001:db8:{salt:x}::{i + 1:x}"
    return s, authkit_sign_in(env["EMULATOR_URL"], start(s, env["WP_URL"]), email, PASSWORD)


def round_of(env, emails, concurrency):
    """Prepares one browser per person, then times their callbacks. Returns (seconds, latencies, failures)."""
    salt = uuid.uuid4().int % 0xffff
    with ThreadPoolExecutor(max_workers=16) as pool:
        browsers = list(pool.map(lambda i: browser(env, emails[i], i, salt), range(len(emails))))

    def one(b):
        s, url = b
        t = time.perf_counter()
        try:
            r = s.get(url, allow_redirects=False, timeout=120)
            ok = r.status_code == 302 and r.headers.get("Location") == env["WP_URL"] + "/wp-admin/"
        except requests.RequestException:
            ok = False
        finally:
            s.close()
        return time.perf_counter() - t, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, browsers))
    return time.perf_counter() - started, [t for t, _ in results], sum(1 for _, ok in results if not ok)


def main(n: int = 100, concurrency: int = 16) -> None:
    env = json.loads(ENV_FILE.read_text())
    run = lambda code, args=None: run_wp_php(env, code, args)  # noqa: E731
    saved = run("return get_option('workos_settings', []);")
    run("$o = get_option('workos_settings', []); $o['trusted_proxies'] = ['127.0.0.1']; $o['login_mode'] = 'redirect';"
        "update_option('workos_settings', $o); return true;")
    try:
        tag = uuid.uuid4().hex[:8]
        emails = [f"bench-{tag}-{i}@example.com" for i in range(n)]
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda e: create_workos_user(env["EMULATOR_URL"], e, PASSWORD), emails))
        for label in ("first sign-in (account created)", "returning sign-in"):
            seconds, latencies, failed = round_of(env, emails, concurrency)
            q = statistics.quantiles(latencies, n=20)
            print(f"  {label:32s} {n} in {seconds:5.2f} s = {n / seconds:6.1f} sign-ins/s   "
                  f"p50 {statistics.median(latencies) * 1000:5.0f} ms  p95 {q[18] * 1000:5.0f} ms"
                  f"{'' if not failed else f'  ({failed} failed)'}")
    finally:
        run("update_option('workos_settings', $args ?: []); return true;", saved)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, int(sys.argv[2]) if len(sys.argv) > 2 else 16)
