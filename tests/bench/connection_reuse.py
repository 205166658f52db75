"""Connection reuse: the same WorkOS call (GET /user_management/users/{id}, body decoded) through the extension
and through wp_remote_get(), side by side in one run, inside PHP requests served by the instance's nginx + php-fpm.

A bench-only endpoint (tests/bench/connection_reuse_endpoint.php, behind a two-line stub written into the
instance's wp-content for the run and removed after) loads WordPress and times only the calls. Requests
alternate extension / wp_remote_get, so both see the same machine load. Two shapes:
  - 1 call per PHP request, over many requests: what a page that needs WorkOS once pays. The extension's
    connection pool lives in the php-fpm worker, so a warm worker reuses the connection of its previous
    request; wp_remote_get() (Requests + cURL) opens a new one every call.
  - N calls per PHP request (e.g. an admin screen).
The emulator is reached over HTTPS with its test CA when the instance exports one (EMULATOR_TLS_URL,
EMULATOR_CA_FILE from `scripts/stack.sh env`), else over plain HTTP (said in the output), with 20 ms of
latency (BENCH_LATENCY_MS) set through its control API: the emulator charges a new connection one round trip
for the TCP handshake and one for TLS, and every request one, as a network does (tests/emulator/src/
listener.rs). Each side is also measured at 0 ms in the same run. BENCH_LATENCY=proxy puts a TCP proxy that
adds the round-trip time in front of the emulator instead (latency.py; for emulators without that model).

    WORKOS_STACK_INSTANCE=test5 .venv/bin/python tests/bench/connection_reuse.py [requests] [calls-per-request]
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from authkit import create_workos_user  # noqa: E402
from conftest import ENV_FILE  # noqa: E402
from latency import RttProxy, emulator_latency, target  # noqa: E402
from results import record  # noqa: E402

ENDPOINT = Path(__file__).resolve().parent / "connection_reuse_endpoint.php"


def install_stub(env) -> tuple[Path, str, str]:
    """Writes the stub that routes to the endpoint; returns (path, url, token)."""
    token = secrets.token_hex(16)
    name = f"workos-bench-{uuid.uuid4().hex[:8]}.php"
    path = Path(env["WP_CONTENT_DIR"]) / name
    wp_load = Path(env["WP_ROOT"]) / "wp-load.php"
    path.write_text(
        "<?php\n"
        f"define( 'WORKOS_BENCH_TOKEN', {json.dumps(token)} );\n"
        f"define( 'WORKOS_BENCH_WP_LOAD', {json.dumps(str(wp_load))} );\n"
        f"require {json.dumps(str(ENDPOINT))};\n"
    )
    return path, f"{env['WP_URL']}/wp-content/{name}", token


def main(requests_per_mode: int = 150, n: int = 5) -> None:
    env = json.loads(ENV_FILE.read_text())
    upstream, ca, scheme = target(env)
    latency_ms = int(os.environ.get("BENCH_LATENCY_MS", "20"))
    use_proxy = os.environ.get("BENCH_LATENCY") == "proxy"
    user = create_workos_user(env["EMULATOR_URL"], f"conn-{uuid.uuid4().hex[:8]}@example.com")
    stub, url, token = install_stub(env)
    s = requests.Session()

    def call(base: str, mode: str, calls: int) -> dict:
        r = s.post(url, timeout=120, data={
            "token": token, "mode": mode, "n": calls, "base": base, "ca": ca or "",
            "key": env["API_KEY"], "client": env["CLIENT_ID"], "user": user["id"],
        })
        if r.status_code != 200:
            raise SystemExit(f"bench endpoint ({mode}): HTTP {r.status_code} {r.text[:500]}")
        return r.json()

    def measure(base: str, requests_n: int, batch_n: int) -> tuple[dict, dict]:
        """Per-call µs of each mode: 1 call per PHP request, then batch_n calls per request; interleaved."""
        for _ in range(20):  # warm every php-fpm worker (opcache, the extension's per-worker pool)
            call(base, "ext", 1)
            call(base, "wp", 1)
        single, batch = {"ext": [], "wp": []}, {"ext": [], "wp": []}
        for _ in range(requests_n):
            for mode in ("ext", "wp"):
                single[mode] += call(base, mode, 1)["us"]
        for _ in range(max(1, requests_n // batch_n) if batch_n else 0):
            for mode in ("ext", "wp"):
                batch[mode] += call(base, mode, batch_n)["us"]
        return single, batch

    ms = lambda xs: statistics.median(xs) / 1000 if xs else float("nan")  # noqa: E731
    print(f"  emulator over {scheme} at {upstream}; load average {os.getloadavg()[0]:.1f}")
    opened: dict = {}
    try:
        if not use_proxy:
            how = "emulator latency_ms: a new connection pays 1 RTT for TCP (+1 for TLS), every request 1"
            # At 0 ms first, side by side: what each side costs on its own, without the network.
            with emulator_latency(env, 0):
                calib, _ = measure(upstream, max(20, requests_per_mode // 3), 0)
            with emulator_latency(env, latency_ms):
                single, batch = measure(upstream, requests_per_mode, n)
        else:
            how = "round-trip time of a proxy in front of the emulator"
            with RttProxy(upstream, 0) as proxy:
                calib, _ = measure(proxy.url, max(20, requests_per_mode // 3), 0)
            with RttProxy(upstream, latency_ms) as proxy:
                for mode in ("ext", "wp"):  # how many connections 20 PHP requests of 1 call open
                    before = proxy.connections
                    for _ in range(20):
                        call(proxy.url, mode, 1)
                    opened[mode] = proxy.connections - before
                single, batch = measure(proxy.url, requests_per_mode, n)
    finally:
        stub.unlink(missing_ok=True)

    med = {k: ms(v) for k, v in single.items()}
    bmed = {k: ms(v) for k, v in batch.items()}
    ratio, bratio = med["wp"] / med["ext"], bmed["wp"] / bmed["ext"]
    print(f"  {latency_ms} ms added ({how})")
    if opened:
        print(f"  connections opened by 20 PHP requests of 1 call: extension {opened['ext']}, wp_remote_get() {opened['wp']}")
    print(f"  at 0 ms (no network): extension {ms(calib['ext']):6.2f} ms, wp_remote_get() "
          f"{ms(calib['wp']):6.2f} ms per call (median)")
    print(f"  1 call per PHP request ({requests_per_mode} requests each, median per call):")
    print(f"    extension        {med['ext']:6.2f} ms")
    print(f"    wp_remote_get()  {med['wp']:6.2f} ms")
    print(f"    extension is {ratio:.2f}x faster per call")
    print(f"  {n} calls per PHP request: extension {bmed['ext']:6.2f} ms, wp_remote_get() {bmed['wp']:6.2f} ms per call "
          f"(median) = {bratio:.2f}x")
    record("connection_reuse", scheme=scheme, latency_ms=latency_ms, latency_how=how,
           ext_ms=round(med["ext"], 3), wp_ms=round(med["wp"], 3), ratio=round(ratio, 3),
           batch_n=n, batch_ext_ms=round(bmed["ext"], 3), batch_wp_ms=round(bmed["wp"], 3),
           batch_ratio=round(bratio, 3), requests=requests_per_mode, connections_per_20=opened,
           zero_ms_ext_ms=round(ms(calib["ext"]), 3), zero_ms_wp_ms=round(ms(calib["wp"]), 3), load=round(os.getloadavg()[0], 1))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
