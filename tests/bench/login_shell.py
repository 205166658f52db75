"""The hosted login's shell: what a visitor downloads and how long the page takes (issue 11's target: at most
60 KB gzipped of the plugin's own JS + CSS; WordPress's own scripts — react, wp-element, wp-i18n … — come from
core, are shared with every other WordPress screen and are reported apart). The page is the test instance's
preview (tests/wp/mu-plugins/workos-shell-preview.php) until the route /workos/login/{profile} exists.
Exits 1 when the plugin's own bytes are over the budget, or when the page does not load the built app."""

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
from results import record  # noqa: E402

BUDGET = 60 * 1024
PAGE = "/?workos_shell_preview=default"
OURS = "/wp-content/plugins/workos/"


def assets(html: str) -> list[str]:
    """Every script and stylesheet URL the page loads."""
    return re.findall(r"<(?:script|link)[^>]+(?:src|href)=['\"]([^'\"]+\.(?:js|css)(?:\?[^'\"]*)?)['\"]", html)


def main(n: int = 50) -> None:
    env = json.loads(ENV_FILE.read_text())
    s = requests.Session()
    url = env["WP_URL"] + PAGE
    html = s.get(url, timeout=30).text
    urls = assets(html)
    own = [u for u in urls if OURS in u]
    if not any("/js/login/build/index.js" in u for u in own):
        print("  FAILED: the shell page does not load php-shim/js/login/build/index.js (run scripts/js-build.sh)")
        raise SystemExit(1)
    sizes = {}
    for u in urls:
        body = s.get(u, timeout=30).content
        sizes[u] = (len(body), len(gzip.compress(body, 9)))
    own_raw = sum(sizes[u][0] for u in own)
    own_gz = sum(sizes[u][1] for u in own)
    core_gz = sum(v[1] for u, v in sizes.items() if u not in own)
    doc_gz = len(gzip.compress(html.encode(), 9))
    for u in own:
        print(f"  {u.split(OURS)[1].split('?')[0]:<40} {sizes[u][0]:7d} B   gzipped {sizes[u][1]:6d} B")
    print(f"  our own JS + CSS: {own_raw} B, gzipped {own_gz} B ({own_gz / 1024:.1f} KB of the {BUDGET // 1024} KB budget)")
    print(f"  WordPress's scripts it depends on (core, not counted): gzipped {core_gz} B; the HTML: gzipped {doc_gz} B")

    for _ in range(5):  # warm opcache and the workers
        s.get(url, timeout=30)
        s.get(env["WP_URL"] + "/sample-page/", timeout=30)
    shell, page = [], []
    for _ in range(n):
        t = time.perf_counter()
        s.get(url, timeout=30)
        shell.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        s.get(env["WP_URL"] + "/sample-page/", timeout=30)
        page.append((time.perf_counter() - t) * 1000)
    print(f"  server time: shell page {statistics.median(shell):.2f} ms, an ordinary page {statistics.median(page):.2f} ms"
          f" (median of {n})")
    record("login_shell", own_bytes=own_raw, own_gzip_bytes=own_gz, budget_bytes=BUDGET, core_gzip_bytes=core_gz,
           html_gzip_bytes=doc_gz, shell_ms=round(statistics.median(shell), 2),
           page_ms=round(statistics.median(page), 2), requests=n)
    if own_gz > BUDGET:
        print(f"  FAILED: {own_gz} B gzipped is over the {BUDGET} B budget")
        raise SystemExit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
