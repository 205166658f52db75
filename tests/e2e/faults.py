"""Fault injection helpers: WorkOS failing in each of the ways it can (through the emulator's
/__emulator/faults), and what a visitor must see when it does.

Used by test_faults_signin.py (each step of each sign-in path) and test_faults_webhooks.py.
"""

from __future__ import annotations

import html
import pathlib
import re
import time
from contextlib import contextmanager
from typing import Any, Iterator

import requests

# The plugin's WorkOS client gives up after this many seconds (php-shim/src/Api.php).
CLIENT_TIMEOUT = 10.0
# What a faulted request may take beyond that: WordPress itself, the other (healthy) calls of
# the sign-in, and the retries the client makes within its deadline.
MARGIN = 4.0

# WorkOS failing, as the emulator plays it. Each applies to every matching request until cleared
# (`times: 0`), so the client's own retries meet the same fault.
KINDS: dict[str, dict[str, Any]] = {
    # Slow beyond the client's timeout (then the request is answered for real, too late).
    "slow": {"delay_ms": int((CLIENT_TIMEOUT + 2) * 1000)},
    # Down: the connection is closed without an answer.
    "down": {"drop": True},
    # Throttled, asking to come back later.
    "throttled": {"status": 429, "headers": {"Retry-After": "1"},
                  "body": {"code": "rate_limit_exceeded", "message": "Too many requests."}},
    # A server error.
    "error": {"status": 500, "body": {"message": "Internal Server Error"}},
    # A proxy's error page, or half a document: 200 with a body that is not JSON.
    "malformed": {"status": 200, "body": '{"object": "user", "id": "user_01'},
}

# What must never reach a visitor: PHP errors, WordPress's fatal-error page, a blank page.
BROKEN = re.compile(r"Fatal error|Uncaught|Stack trace|Warning</b>:|Notice</b>:|critical error on this website", re.I)


def add_fault(emulator_url: str, path: str, kind: str, method: str | None = None, when: dict | None = None,
              times: int = 0) -> dict:
    body: dict[str, Any] = {"path": path, "times": times, **KINDS[kind]}
    if method:
        body["method"] = method
    if when:
        body["when"] = when
    r = requests.post(emulator_url + "/__emulator/faults", json=body, timeout=10)
    assert r.status_code == 201, f"fault not added: {r.status_code} {r.text[:300]}"
    return r.json()


def clear_faults(emulator_url: str) -> None:
    requests.delete(emulator_url + "/__emulator/faults", timeout=10)


@contextmanager
def fault(emulator_url: str, path: str, kind: str, **kw) -> Iterator[dict]:
    """WorkOS failing at `path` (in the way `kind`) for the duration of the block."""
    added = add_fault(emulator_url, path, kind, **kw)
    try:
        yield added
    finally:
        clear_faults(emulator_url)


def hit(emulator_url: str, fault_id: str) -> int:
    """How many requests met the fault so far (proof the step was reached), counted on arrival."""
    live = requests.get(emulator_url + "/__emulator/faults", timeout=10).json()["data"]
    return sum(f["hits"] for f in live if f["id"] == fault_id)


def timed(call, *args, **kwargs) -> tuple[requests.Response, float]:
    t0 = time.monotonic()
    r = call(*args, **kwargs)
    return r, time.monotonic() - t0


def assert_bounded(elapsed: float) -> None:
    assert elapsed < CLIENT_TIMEOUT + MARGIN, (
        f"the visitor waited {elapsed:.1f} s: more than the client timeout ({CLIENT_TIMEOUT:.0f} s) + {MARGIN:.0f} s")


def page_message(r: requests.Response) -> str:
    """The message a WordPress page shows: wp-login.php's error box or a wp_die() page.

    Fails when the page is not one of those, or shows a PHP error or WordPress's fatal-error page.
    """
    text = r.text
    assert not BROKEN.search(text), f"HTTP {r.status_code}, a PHP error reached the visitor:\n{text[:2000]}"
    assert text.strip(), f"HTTP {r.status_code} with a blank page"
    start = text.find('id="login_error"')
    if start != -1:
        assert 'id="login"' in text, text[:2000]  # WordPress's login screen around it
        end = text.find("</div>", start)
        return re.sub(r"<[^>]+>", " ", html.unescape(text[start:end if end != -1 else start + 1500]))
    match = re.search(r'<div class="wp-die-message">(.*?)</div>', text, re.S)
    assert match, f"HTTP {r.status_code}: neither the login screen with a message nor an error page:\n{text[:2000]}"
    assert "wp-login.php" in text[match.start():], "the error page offers no way back to the login screen"
    return re.sub(r"<[^>]+>", " ", html.unescape(match.group(1)))


class ErrorLogs:
    """New PHP errors written to the instance's logs while a test ran."""

    NAMES = ("php-error.log", "debug.log", "php-fpm.log")
    # WordPress 6.1's own deprecations on PHP 8.2 are noise; the plugin's warnings are not.
    SERIOUS = re.compile(r"PHP Fatal|Uncaught|segfault|SIGSEGV|exited on signal|"
                         r"PHP (Warning|Notice|Deprecated).*(php-shim|plugins/workos)", re.I)

    def __init__(self, run_dir: str) -> None:
        self.paths = [pathlib.Path(run_dir) / n for n in self.NAMES]
        self.offsets = {p: (p.stat().st_size if p.exists() else 0) for p in self.paths}

    def new_lines(self) -> list[str]:
        lines: list[str] = []
        for p in self.paths:
            if not p.exists():
                continue
            with p.open("rb") as f:
                f.seek(self.offsets[p])
                lines += f.read().decode("utf-8", "replace").splitlines()
        return lines

    def serious(self) -> list[str]:
        return [line for line in self.new_lines() if self.SERIOUS.search(line)]
