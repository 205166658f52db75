"""The hosted login's shell: what a visitor downloads and how long the login page takes on the server (issue 11's
target: at most 60 KB gzipped of the plugin's own JS + CSS; WordPress's own scripts — react, wp-element, wp-i18n … —
come from core, are shared with every other WordPress screen and are reported apart).

Server time, measured side by side in one run (requests interleaved, median and p90 of n each, the same keep-alive
connection): an ordinary page (the baseline), WordPress's own login form (`wp-login.php?fallback=1`), the hosted
login at wp-login.php with the login mode `custom` (set for the run and put back), and `/workos/login/default`; the
test instance's preview page (tests/wp/mu-plugins/workos-shell-preview.php) stands in for a hosted page that does
not serve the shell yet. The bytes are read from the first of those that serves the shell. Prints a Markdown table
the README can quote. Exits 1 when the plugin's own bytes are over the budget, or when no page loads the built app."""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import ENV_FILE  # noqa: E402
from login_mode import set_login_mode  # noqa: E402
from results import record  # noqa: E402

BUDGET = 60 * 1024
PREVIEW = "/?workos_shell_preview=default"
ORDINARY = "/sample-page/"
FALLBACK = "/wp-login.php?fallback=1"
HOSTED_WP_LOGIN = "/wp-login.php"
HOSTED_ROUTE = "/workos/login/default"
OURS = "/wp-content/plugins/workos/"
SHELL_MARK = 'class="wa-heading"'


def assets(html: str) -> list[str]:
    """Every script and stylesheet URL the page loads."""
    return re.findall(r"<(?:script|link)[^>]+(?:src|href)=['\"]([^'\"]+\.(?:js|css)(?:\?[^'\"]*)?)['\"]", html)


def serves_shell(s: requests.Session, url: str) -> bool:
    r = s.get(url, timeout=30, allow_redirects=False)
    return r.status_code == 200 and SHELL_MARK in r.text


def shell_bytes(s: requests.Session, url: str) -> dict:
    html = s.get(url, timeout=30).text
    urls = assets(html)
    own = [u for u in urls if OURS in u]
    if not any("/js/login/build/index.js" in u for u in own):
        print(f"  FAILED: {url} does not load php-shim/js/login/build/index.js (run scripts/js-build.sh)")
        raise SystemExit(1)
    sizes = {}
    for u in urls:
        body = s.get(u, timeout=30).content
        sizes[u] = (len(body), len(gzip.compress(body, 9)))
    return {
        "own": [(u.split(OURS)[1].split("?")[0], *sizes[u]) for u in own],
        "own_raw": sum(sizes[u][0] for u in own),
        "own_gz": sum(sizes[u][1] for u in own),
        "core_gz": sum(v[1] for u, v in sizes.items() if u not in own),
        "doc_gz": len(gzip.compress(html.encode(), 9)),
    }


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10)[-1] if len(xs) > 1 else xs[0]


def main(n: int = 50) -> None:
    env = json.loads(ENV_FILE.read_text())
    base = env["WP_URL"]
    s = requests.Session()
    before = set_login_mode(env, "custom")
    try:
        pages = [("an ordinary page (baseline)", ORDINARY), ("WordPress's login form (?fallback=1)", FALLBACK)]
        hosted = []
        if serves_shell(s, base + HOSTED_WP_LOGIN):
            hosted.append(("hosted login at wp-login.php (mode custom)", HOSTED_WP_LOGIN))
        else:
            print("  wp-login.php in mode custom does not serve the shell yet: not measured")
        if serves_shell(s, base + HOSTED_ROUTE):
            hosted.append(("hosted login at /workos/login/default", HOSTED_ROUTE))
        else:
            print(f"  {HOSTED_ROUTE} does not serve the shell yet: not measured")
        if not hosted:
            hosted.append(("shell preview page (test instance)", PREVIEW))
        pages += hosted

        b = shell_bytes(s, base + hosted[0][1])
        for name, raw, gz in b["own"]:
            print(f"  {name:<40} {raw:7d} B   gzipped {gz:6d} B")
        print(f"  our own JS + CSS ({hosted[0][1]}): {b['own_raw']} B, gzipped {b['own_gz']} B"
              f" ({b['own_gz'] / 1024:.1f} KB of the {BUDGET // 1024} KB budget)")
        print(f"  WordPress's scripts it depends on (core, not counted): gzipped {b['core_gz']} B;"
              f" the HTML: gzipped {b['doc_gz']} B")

        for _ in range(5):  # warm opcache and the workers
            for _, path in pages:
                s.get(base + path, timeout=30)
        times: dict[str, list[float]] = {path: [] for _, path in pages}
        for _ in range(n):
            for _, path in pages:
                t = time.perf_counter()
                r = s.get(base + path, timeout=30, allow_redirects=False)
                times[path].append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    print(f"  FAILED: {path} answered HTTP {r.status_code}")
                    raise SystemExit(1)
    finally:
        set_login_mode(env, before)

    baseline = statistics.median(times[ORDINARY])
    print(f"\n  | page | server time, median | p90 | vs an ordinary page |")
    print("  |---|---:|---:|---:|")
    for name, path in pages:
        med = statistics.median(times[path])
        print(f"  | {name} | {med:.1f} ms | {p90(times[path]):.1f} ms | {med / baseline:.2f}x |")
    print(f"  (median of {n} interleaved requests each, one keep-alive connection, load average"
          f" {open('/proc/loadavg').read().split()[0]})")
    print(f"\n  | shell asset (ours) | bytes | gzipped |")
    print("  |---|---:|---:|")
    for name, raw, gz in b["own"]:
        print(f"  | {name} | {raw} | {gz} |")
    print(f"  | **total, our own JS + CSS** | {b['own_raw']} | **{b['own_gz']} ({b['own_gz'] / 1024:.1f} KB;"
          f" budget {BUDGET // 1024} KB)** |")

    hosted_path = hosted[0][1]
    record("login_shell", own_bytes=b["own_raw"], own_gzip_bytes=b["own_gz"], budget_bytes=BUDGET,
           core_gzip_bytes=b["core_gz"], html_gzip_bytes=b["doc_gz"], page=hosted_path,
           shell_ms=round(statistics.median(times[hosted_path]), 2), page_ms=round(baseline, 2),
           fallback_ms=round(statistics.median(times[FALLBACK]), 2),
           pages={path: round(statistics.median(v), 2) for path, v in times.items()}, requests=n)
    if b["own_gz"] > BUDGET:
        print(f"  FAILED: {b['own_gz']} B gzipped is over the {BUDGET} B budget")
        raise SystemExit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
