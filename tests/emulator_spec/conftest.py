"""Fixtures: the emulator binary under test, a webhook receiver, the spec."""

import hashlib
import hmac
import json
import os
import queue
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openapi_check import REPO_ROOT, SpecChecker, load_spec  # noqa: E402

API_KEY = "sk_test_spec"
CLIENT_ID = "client_spec"
WEBHOOK_SECRET = "whsec_spec_secret"


def emulator_binary():
    explicit = os.environ.get("WORKOS_EMULATOR_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    if os.environ.get("WORKOS_EMULATOR_SKIP_BUILD") != "1":
        subprocess.run(
            ["cargo", "build", "-p", "workos-emulator", "--release", "--quiet"],
            cwd=REPO_ROOT,
            check=True,
        )
    return target / "release" / "workos-emulator"


def start_emulator(*args, timeout=30):
    """Starts the binary on a free port; returns (process, base_url)."""
    proc = subprocess.Popen(
        [str(emulator_binary()), "--port", "0", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        proc.kill()
        raise RuntimeError("the emulator did not report readiness in time")
    prefix = "workos-emulator listening on "
    if not line.startswith(prefix):
        proc.kill()
        raise RuntimeError(f"unexpected first line from the emulator: {line!r}")
    return proc, line[len(prefix):].strip()


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class WebhookReceiver:
    """Records deliveries; answers 401 to a bad signature, like a careful receiver."""

    def __init__(self, secret):
        self.secret = secret
        self.received = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                header = self.headers.get("WorkOS-Signature", "")
                ok = receiver.signature_ok(header, raw)
                with receiver.lock:
                    receiver.received.append(
                        {"headers": dict(self.headers), "raw": raw, "signature_ok": ok}
                    )
                body = b"ok" if ok else b"bad signature"
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signature_ok(self, header, raw):
        parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
        if "t" not in parts or "v1" not in parts:
            return False
        expected = hmac.new(
            self.secret.encode(), parts["t"].encode() + b"." + raw, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])

    def clear(self):
        with self.lock:
            self.received.clear()

    def events(self):
        with self.lock:
            return [json.loads(r["raw"]) for r in self.received]

    def wait_for(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                found = [r for r in self.received if predicate(json.loads(r["raw"]))]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no matching webhook arrived; got {self.events()}")


class Emulator:
    def __init__(self, base, checker):
        self.base = base
        self.checker = checker
        self.http = requests.Session()

    def request(self, method, path, *, auth=True, check=True, api_key=None, **kw):
        headers = dict(kw.pop("headers", {}) or {})
        if auth:
            headers["Authorization"] = f"Bearer {api_key or API_KEY}"
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        resp = self.http.request(method, self.base + path, headers=headers, **kw)
        body = self.checker.check(resp) if check else None
        if not check and "json" in resp.headers.get("content-type", ""):
            body = resp.json()
        return resp, body

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def control(self, method, path, **kw):
        resp = self.http.request(method, self.base + "/__emulator" + path, timeout=60, **kw)
        assert resp.status_code < 300, (path, resp.status_code, resp.text)
        return resp.json() if resp.content else None


@pytest.fixture(scope="session")
def spec():
    return load_spec()


@pytest.fixture(scope="session")
def checker(spec):
    return SpecChecker(spec)


@pytest.fixture(scope="session")
def receiver():
    r = WebhookReceiver(WEBHOOK_SECRET)
    yield r
    r.server.shutdown()


@pytest.fixture(scope="session")
def emulator_process(receiver):
    proc, base = start_emulator(
        "--api-key",
        API_KEY,
        "--client-id",
        CLIENT_ID,
        "--webhook-url",
        receiver.url,
        "--webhook-secret",
        WEBHOOK_SECRET,
    )
    yield base
    stop(proc)


@pytest.fixture
def emu(emulator_process, checker, receiver):
    e = Emulator(emulator_process, checker)
    # Let the previous test's webhooks land before wiping, so none arrive late.
    deadline = time.time() + 15
    while e.control("GET", "/webhooks")["pending"] and time.time() < deadline:
        time.sleep(0.05)
    e.control("POST", "/reset")
    receiver.clear()
    return e
