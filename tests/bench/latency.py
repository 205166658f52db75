"""Network conditions for the benchmarks: which emulator URL to use (HTTPS with the test CA when the instance has
it), the emulator's latency and rate limits (its control API), and a TCP proxy that adds a round-trip time.

The emulator's `latency_ms` charges what a network with that round-trip time charges: a new connection one RTT
for the TCP handshake and one more for TLS, every request one (tests/emulator/src/listener.rs) — the difference
connection reuse saves. The proxy (RttProxy, `BENCH_LATENCY=proxy` in connection_reuse.py) models the same from
outside, for an emulator that only delays requests: every chunk is delayed by RTT/2 in each direction and a
connection's first chunk by one RTT more (the TCP handshake a loopback connect does not pay); TLS passes through
untouched (the certificate names 127.0.0.1, which the proxy also listens on). Being Python, it adds a little
time of its own to each crossing, which the 0 ms run beside it shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from urllib.parse import urlsplit

import requests


def target(env) -> tuple[str, str | None, str]:
    """(base URL, CA file or None, 'https' | 'http') of the instance's emulator: HTTPS when it serves it."""
    tls, ca = env.get("EMULATOR_TLS_URL"), env.get("EMULATOR_CA_FILE")
    if tls and ca:
        try:
            requests.get(tls + "/health", verify=ca, timeout=5).raise_for_status()
            return tls, ca, "https"
        except requests.RequestException:
            pass
    return env["EMULATOR_URL"], None, "http (no HTTPS listener on this emulator)"


@contextlib.contextmanager
def emulator_latency(env, ms: int, path: str = "/user_management/users/*"):
    """Adds `ms` to every API request: the emulator's `latency_ms` when it has one, else a fault that delays
    requests to `path`. Yields how it was done; restores 0 / clears faults after."""
    url = env["EMULATOR_URL"] + "/__emulator/config"
    r = requests.put(url, json={"latency_ms": ms}, timeout=10)
    if r.ok and r.json().get("latency_ms") == ms:
        try:
            yield "emulator latency_ms"
        finally:
            requests.put(url, json={"latency_ms": 0}, timeout=10)
        return
    requests.post(env["EMULATOR_URL"] + "/__emulator/faults", timeout=10,
                  json={"path": path, "delay_ms": ms, "times": 0})
    try:
        yield f"emulator fault delay on {path}"
    finally:
        requests.delete(env["EMULATOR_URL"] + "/__emulator/faults", timeout=10)


def rate_limits(env, **body) -> dict:
    """PUT /__emulator/rate_limits (WorkOS's documented limits; see tests/emulator/src/rate_limit.rs)."""
    r = requests.put(env["EMULATOR_URL"] + "/__emulator/rate_limits", json=body, timeout=10)
    if r.status_code in (401, 404, 405):
        return {}  # an emulator without rate limits (older builds answer unknown paths with 401)
    r.raise_for_status()
    return r.json()


def rate_limit_state(env) -> dict | None:
    r = requests.get(env["EMULATOR_URL"] + "/__emulator/rate_limits", timeout=10)
    return r.json() if r.ok else None


def clear_rate_limits(env) -> None:
    requests.delete(env["EMULATOR_URL"] + "/__emulator/rate_limits", timeout=10)


class RttProxy:
    """A TCP proxy on 127.0.0.1 that adds `rtt_ms` of round-trip time (see the module docstring). Runs its own
    event loop in a thread; `url` is the upstream URL with the proxy's port."""

    def __init__(self, upstream_url: str, rtt_ms: float):
        parts = urlsplit(upstream_url)
        self.host, self.port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        self.scheme = parts.scheme
        self.rtt = rtt_ms / 1000
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.server = None
        self.url = ""

    def __enter__(self) -> RttProxy:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _shutdown(self) -> None:
        self.server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.url = f"{self.scheme}://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        self.ready.set()
        self.loop.run_forever()
        self.loop.close()

    async def _serve(self, client_r, client_w) -> None:
        self.connections += 1
        accepted = time.monotonic()
        try:
            server_r, server_w = await asyncio.open_connection(self.host, self.port)
        except OSError:
            client_w.close()
            return
        # The client's first bytes reach the server 1.5 RTT after its connect: one RTT of TCP handshake, then
        # half a round trip of flight.
        try:
            await asyncio.gather(
                self._pump(client_r, server_w, not_before=accepted + self.rtt),
                self._pump(server_r, client_w, not_before=0.0),
                return_exceptions=True,
            )
        except asyncio.CancelledError:
            pass  # the proxy is shutting down
        finally:
            for w in (client_w, server_w):
                w.close()

    async def _pump(self, reader, writer, not_before: float) -> None:
        """Forwards reader → writer, each chunk RTT/2 after it arrived (order kept, no bandwidth limit)."""
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if data is None:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                due = max(time.monotonic(), not_before) + self.rtt / 2
                await queue.put((due, data or None))
                if not data:
                    break
            await sender
        except (OSError, asyncio.CancelledError):
            sender.cancel()
