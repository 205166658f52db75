"""A burst of signed webhook deliveries spread over several web nodes sharing one database.

Used by the two-node end-to-end test and by `make bench` (events per second).
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from signer import signature
from webhooks import HOOK, envelope, uid, workos_user

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def second_node(env: dict, workers: int = 4):
    """The same WordPress on PHP's built-in server *with* the extension: another web node on another port."""
    port = free_port()
    log = open(Path(env["RUN_DIR"]) / "node2.log", "ab")
    proc = subprocess.Popen(
        [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], "-d", "display_errors=0", "-d", "log_errors=1",
         "-d", "error_log=" + str(Path(env["RUN_DIR"]) / "php-error.log"),
         "-S", f"127.0.0.1:{port}", "-t", env["WP_ROOT"], str(REPO / "tests" / "wp" / "router.php")],
        env=dict(os.environ, WORKOS_STACK_INSTANCE=env["INSTANCE"], PHP_CLI_SERVER_WORKERS=str(workers)),
        stdout=log, stderr=log, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(url + "/wp-json/", timeout=5)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"second node did not start on {url}")
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)
        log.close()


def make_users(run_php, count: int) -> list[dict]:
    """`count` WordPress users, each linked to a made-up WorkOS user."""
    tag = uuid.uuid4().hex[:8]
    people = [{"login": f"burst-{tag}-{i}", "email": f"burst-{tag}-{i}@example.com", "workos": uid("user")} for i in range(count)]
    ids = run_php(
        """
        $ids = [];
        foreach ($args as $p) {
          $id = wp_insert_user(['user_login' => $p['login'], 'user_email' => $p['email'], 'user_pass' => 'burst-pass', 'first_name' => 'start']);
          update_user_meta($id, '_workos_user_id', $p['workos']);
          $ids[] = $id;
        }
        return $ids;
        """,
        people,
    )
    for p, i in zip(people, ids):
        p["wp_id"] = i
    return people


@dataclass
class Burst:
    events: list[dict]
    deliveries: list[tuple[str, dict]]
    results: list[tuple[int, dict]] = field(default_factory=list)
    seconds: float = 0.0


def plan(people: list[dict], versions: int, nodes: list[str], duplicate_share: float, seed: int = 7) -> Burst:
    """`versions` user.updated events per person (first_name v0…vN-1, updated_at rising), shuffled and spread over
    the nodes; a share of them is delivered a second time, to another node."""
    rnd = random.Random(seed)
    base = int(time.time() * 1000) - versions * 1000
    events = []
    for p in people:
        for v in range(versions):
            events.append(envelope("user.updated", workos_user(p["workos"], p["email"], first=f"v{v}", last="Burst",
                                                               updated_ms=base + v * 1000)))
    rnd.shuffle(events)
    deliveries = []
    for i, ev in enumerate(events):
        node = nodes[i % len(nodes)]
        deliveries.append((node, ev))
        if rnd.random() < duplicate_share:
            deliveries.append((nodes[(i + 1) % len(nodes)], ev))
    rnd.shuffle(deliveries)
    return Burst(events, deliveries)


def send(burst: Burst, secret: str, concurrency: int = 16) -> Burst:
    session_per_thread: dict[int, requests.Session] = {}

    def one(item):
        node, ev = item
        import threading
        s = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        body = json.dumps(ev).encode()
        r = s.post(node + HOOK, data=body, timeout=60,
                   headers={"Content-Type": "application/json", "WorkOS-Signature": signature(body, secret)})
        try:
            return r.status_code, r.json()
        except ValueError:
            return r.status_code, {"text": r.text[:300]}

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        burst.results = list(pool.map(one, burst.deliveries))
    burst.seconds = time.perf_counter() - start
    return burst
