"""Webhook deliveries while the site's own parts fail: php-fpm workers killed with SIGKILL in the
middle of a 1,000-event burst, and the database going away (every connection cut, new ones
refused for a while, as in a MariaDB restart). The sender retries failed deliveries as WorkOS
does; with the ledger's recovery (Maintenance::run()), every event is applied exactly once and
everyone ends on their newest version.

The database goes away twice over: the MariaDB server itself is restarted mid-burst
(`scripts/stack.sh restart-db`: every stack instance on this machine sees it), and a proxy in
front of MariaDB's socket that the test owns cuts every connection and refuses new ones for longer
than wpdb's own reconnection attempts (repeated in `make soak`).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from burst import Burst, make_users, plan
from signer import signature
from webhooks import HOOK

SOAK = os.environ.get("FAULTS_SOAK") == "1"


def send_with_retries(burst: Burst, node: str, secret: str, concurrency: int = 16, give_up_after: float = 120.0,
                      during=None) -> dict:
    """Delivers every event of the burst, retrying each failed delivery (no answer, or not 2xx) with
    exponential backoff, as WorkOS does (each retry signed anew). `during` runs alongside."""
    stats = Counter()
    lock = threading.Lock()
    local = threading.local()

    def one(item):
        _, ev = item
        s = getattr(local, "s", None) or requests.Session()
        local.s = s
        body = json.dumps(ev).encode()
        deadline = time.monotonic() + give_up_after
        wait = 0.2
        for attempt in range(1, 1000):
            try:
                r = s.post(node + HOOK, data=body, timeout=30, headers={
                    "Content-Type": "application/json", "WorkOS-Signature": signature(body, secret)})
                status = r.status_code
            except requests.RequestException:
                status = 0
                s = local.s = requests.Session()
            with lock:
                stats[f"http_{status}"] += 1
            if 200 <= status < 300:  # WorkOS counts any 2xx as delivered, whatever the body
                with lock:
                    stats["retried_deliveries" if attempt > 1 else "first_time"] += 1
                try:
                    return r.json()
                except ValueError:
                    with lock:
                        stats["2xx_without_json"] += 1
                    return {}
            if time.monotonic() > deadline:
                raise AssertionError(f"event {ev['id']} still refused after {attempt} attempts (last HTTP {status})")
            time.sleep(wait * random.uniform(0.5, 1.0))
            wait = min(wait * 2, 3.0)
        raise AssertionError("unreachable")

    stop = threading.Event()
    side = threading.Thread(target=during, args=(stop,), daemon=True) if during else None
    t0 = time.perf_counter()
    if side:
        side.start()
    try:
        with ThreadPoolExecutor(concurrency) as pool:
            burst.results = [(200, b) for b in pool.map(one, burst.deliveries)]
    finally:
        stop.set()
        if side:
            side.join(timeout=60)
    burst.seconds = time.perf_counter() - t0
    return dict(stats)


def recover_everything(wp_eval) -> int:
    """What WP-Cron's maintenance does once claims have expired: the claim timeout is lived through
    by ageing the pending claims, then Maintenance::run() until nothing is left pending."""
    total = 0
    for _ in range(50):
        left = wp_eval(
            "global $wpdb; $t = \\WorkOS_WP\\Schema::table('events');"
            "$wpdb->query(\"UPDATE {$t} SET claimed_at = claimed_at - INTERVAL 1 HOUR WHERE status = 'pending'\");"
            "$done = \\WorkOS_WP\\Maintenance::run();"
            "return [(int) ($done['events_recovered'] ?? 0), (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$t} WHERE status = 'pending'\")];")
        total += left[0]
        if left[1] == 0:
            return total
    raise AssertionError("events still pending after recovery")


def check_exactly_once(wp_eval, burst: Burst, people: list[dict], versions: int, refire_ok: bool = False) -> Counter:
    """Every event recorded once, applied or stale, everyone on their newest version, and the actions
    of every applied event fired — once, or (refire_ok) at least once: when the database connection
    dies inside an event's transaction, wpdb reconnects and the rest of that attempt runs outside it,
    so a listener's own writes may stay while the event is retried (effects are still applied once:
    the handlers are idempotent and the ledger and version rows decide)."""
    ids = [ev["id"] for ev in burst.events]
    rows = wp_eval(
        "global $wpdb; $in = implode(',', array_fill(0, count($args), '%s'));"
        "return $wpdb->get_results($wpdb->prepare('SELECT event_id, status, outcome FROM ' . \\WorkOS_WP\\Schema::table('events') . \" WHERE event_id IN ($in)\", $args), ARRAY_A);",
        ids)
    assert len(rows) == len(ids), f"{len(ids) - len(rows)} events never recorded"
    statuses = Counter(r["status"] for r in rows)
    assert set(statuses) <= {"applied", "stale"}, (statuses, [r for r in rows if r["status"] not in ("applied", "stale")][:5])
    fired = Counter(wp_eval(
        "global $wpdb; $in = implode(',', array_fill(0, count($args), '%s'));"
        "return $wpdb->get_col($wpdb->prepare('SELECT event_id FROM ' . $wpdb->prefix . \"workos_test_fired WHERE hook = 'workos_webhook' AND event_id IN ($in)\", $args));",
        ids))
    applied = {r["event_id"] for r in rows if r["status"] == "applied"}
    twice = {i: n for i, n in fired.items() if n > 1}
    assert refire_ok or not twice, f"applied more than once: {list(twice.items())[:5]}"
    assert set(fired) == applied, (f"applied but never fired: {list(applied - set(fired))[:5]}; "
                                   f"fired but not applied: {list(set(fired) - applied)[:5]}")
    names = wp_eval("return array_map(fn($id) => (clean_user_cache($id) ?: get_userdata($id)->first_name), $args);",
                    [p["wp_id"] for p in people])
    assert names == [f"v{versions - 1}"] * len(people), Counter(names)
    return statuses


@pytest.fixture
def fpm_master(env) -> int:
    return int((Path(env["RUN_DIR"]) / "php-fpm.pid").read_text().strip())


def workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_php_fpm_workers_killed_mid_delivery(env, wp_eval, fpm_master):
    kills = 60 if SOAK else 25
    people = make_users(wp_eval, 100)
    burst = plan(people, versions=10, nodes=[env["WP_URL"]], duplicate_share=0.05, seed=11)
    assert len(burst.events) == 1000
    killed = []

    def killer(stop: threading.Event):
        rnd = random.Random(5)
        time.sleep(0.5)  # let the burst get going
        while not stop.is_set() and len(killed) < kills:
            busy = workers(fpm_master)
            if busy:
                pid = rnd.choice(busy)
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                except ProcessLookupError:
                    pass
            time.sleep(rnd.uniform(0.05, 0.25))

    stats = send_with_retries(burst, env["WP_URL"], env["WEBHOOK_SECRET"], during=killer)
    assert len(killed) >= kills * 0.8, f"only {len(killed)} workers killed: the burst ended too soon"
    assert stats.get("http_502", 0) + stats.get("http_0", 0) > 0, f"no delivery was cut: {stats}"
    recovered = recover_everything(wp_eval)
    statuses = check_exactly_once(wp_eval, burst, people, versions=10)
    print(f"\nSIGKILL x{len(killed)}: {stats}; {recovered} recovered from the ledger; {dict(statuses)}; "
          f"{burst.seconds:.1f} s")


class DbProxy:
    """A Unix-socket proxy in front of MariaDB that can play a server restart."""

    def __init__(self, path: Path, target: str) -> None:
        self.path, self.target = path, target
        self.listener: socket.socket | None = None
        self.conns: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.accepted = 0

    def listen(self) -> None:
        if self.path.exists():
            self.path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        os.chmod(self.path, 0o777)
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                upstream.connect(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns |= {client, upstream}
                self.accepted += 1
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with self.lock:
                    self.conns.discard(s)
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def cut(self) -> int:
        """The server goes away: the socket disappears (new connections fail) and every open
        connection is cut."""
        if self.listener:
            self.listener.close()
            self.listener = None
        if self.path.exists():
            self.path.unlink()
        with self.lock:
            live = list(self.conns)
        for s in live:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return len(live) // 2

    def close(self) -> None:
        self.cut()


@contextmanager
def database_behind(env, proxy: DbProxy):
    """Points this instance's WordPress (php-fpm and the CLI) at the proxy for the block."""
    config = Path(env["RUN_DIR"]) / "wp-config.php"
    original = config.read_text()
    line = re.search(r"define\('DB_HOST', '[^']*'\);", original)
    assert line, "DB_HOST not found in " + str(config)
    proxy.listen()
    config.write_text(original.replace(line.group(0), f"define('DB_HOST', 'localhost:{proxy.path}');"))
    master = int((Path(env["RUN_DIR"]) / "php-fpm.pid").read_text().strip())
    try:
        reload_fpm(master)
        yield proxy
    finally:
        config.write_text(original)
        reload_fpm(master)
        proxy.close()


def reload_fpm(master: int) -> None:
    """Graceful reload: workers are replaced, so none keeps an old configuration in opcache."""
    before = set(workers(master))
    os.kill(master, signal.SIGUSR2)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = set(workers(master))
        if now and not (now & before):
            return
        time.sleep(0.2)
    raise AssertionError("php-fpm did not replace its workers")


def test_database_restarted_mid_burst(env, wp_eval):
    outages = 4 if SOAK else 1
    people = make_users(wp_eval, 100)
    burst = plan(people, versions=10, nodes=[env["WP_URL"]], duplicate_share=0.05, seed=13)
    proxy = DbProxy(Path(env["RUN_DIR"]) / "db-proxy.sock", env["DB_SOCKET"])
    cuts = []

    def restart(stop: threading.Event):
        for _ in range(outages):
            # Wait until the burst is well under way (a share of the connections so far).
            target = proxy.accepted + 150
            while proxy.accepted < target and not stop.is_set():
                time.sleep(0.05)
            if stop.is_set():
                return
            cuts.append(proxy.cut())
            # Down, connections refused: longer than wpdb's own reconnection attempts (5 x 1 s),
            # so some deliveries do fail and must be retried by the sender.
            time.sleep(6.0)
            proxy.listen()

    with database_behind(env, proxy):
        stats = send_with_retries(burst, env["WP_URL"], env["WEBHOOK_SECRET"], during=restart)
        assert len(cuts) == outages, f"the burst ended before the database went away ({cuts})"
        assert sum(cuts) > 0, "no connection was open when the database went away"
        assert any(k.startswith("http_5") for k in stats), f"no delivery failed during the outage: {stats}"
        recovered = recover_everything(wp_eval)
        statuses = check_exactly_once(wp_eval, burst, people, versions=10, refire_ok=True)
    print(f"\ndatabase cut {outages}x ({cuts} connections open): {stats}; {recovered} recovered; {dict(statuses)}; "
          f"{burst.seconds:.1f} s")


REPO = Path(__file__).resolve().parents[2]


def test_mariadb_server_restarted_mid_burst(env, wp_eval):
    """The real thing: MariaDB stops (connections killed mid-query) and starts again while a
    1,000-event burst is being delivered."""
    people = make_users(wp_eval, 100)
    burst = plan(people, versions=10, nodes=[env["WP_URL"]], duplicate_share=0.05, seed=17)
    restarts = []
    t0 = time.monotonic()

    def restart(stop: threading.Event):
        while time.monotonic() - t0 < 2.0 and not stop.is_set():  # well under way
            time.sleep(0.05)
        if stop.is_set():
            return
        began = time.monotonic()
        proc = subprocess.run([str(REPO / "scripts" / "stack.sh"), "restart-db"], capture_output=True, text=True,
                              timeout=180, check=False)
        restarts.append((proc.returncode, round(time.monotonic() - began, 1), proc.stderr[-500:], time.monotonic() - t0))

    stats = send_with_retries(burst, env["WP_URL"], env["WEBHOOK_SECRET"], during=restart)
    assert restarts and restarts[0][0] == 0, f"restart failed or never happened: {restarts}"
    # Deliveries were under way before the server went down and went on after it was back (wpdb's
    # own reconnection attempts absorb a quick restart; the sender retries whatever failed).
    assert burst.seconds > restarts[0][3] + 0.5, f"the burst ended before MariaDB was back: {restarts}, {burst.seconds:.1f} s"
    recovered = recover_everything(wp_eval)
    statuses = check_exactly_once(wp_eval, burst, people, versions=10, refire_ok=True)
    print(f"\nMariaDB restarted in {restarts[0][1]} s: {stats}; {recovered} recovered; {dict(statuses)}; "
          f"{burst.seconds:.1f} s")
