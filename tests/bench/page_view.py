"""What the plugin adds to an anonymous page view, measured side by side in one run: requests to the same page
alternate between the plugin on and off (the test probe mu-plugin takes it out of the active plugins), and the
start-up window (muplugins_loaded → plugins_loaded), the DB query count and the response time are compared.
Measured in each login mode a page view can run under — the stored one and `custom` (the hosted login, set for
its run and put back) — so that the hosted login is shown not to make other page views slower. Prints a Markdown
table the README can quote. Exits 1 when the plugin adds a DB query (a correctness condition, as
tests/e2e/test_page_cost.py holds it)."""

from __future__ import annotations

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
from login_mode import set_login_mode, stored as stored_login_mode  # noqa: E402
from results import record  # noqa: E402


# Issue 9: an anonymous page view stays within 0.1 ms of the plugin-off baseline, with 0 extra queries.
BUDGET_US = 100


def sample(session, url, off):
    headers = {"X-WorkOS-Probe": "1"}
    if off:
        headers["X-WorkOS-Probe-Off"] = "1"
    t = time.perf_counter()
    r = session.get(url, headers=headers, timeout=30)
    wall = (time.perf_counter() - t) * 1e6
    report = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
    return report["load_us"], report["queries"], wall, report["files"]


def measure(s, url, n):
    for _ in range(20):  # warm opcache and the workers
        sample(s, url, False)
        sample(s, url, True)
    on, off = [], []
    for _ in range(n):
        on.append(sample(s, url, False))
        off.append(sample(s, url, True))
    return on, off


def main(n: int = 300) -> None:
    env = json.loads(ENV_FILE.read_text())
    url = env["WP_URL"] + "/sample-page/"
    s = requests.Session()
    stored = stored_login_mode(env)
    modes = [stored or "redirect"] + ([] if stored == "custom" else ["custom"])
    med = lambda xs, i: statistics.median(x[i] for x in xs)  # noqa: E731
    rows, failed = [], False
    try:
        for mode in modes:
            set_login_mode(env, mode)
            on, off = measure(s, url, n)
            extra_queries = med(on, 1) - med(off, 1)
            print(f"  login mode {mode}:")
            print(f"    plugin files loaded: {on[-1][3]} (off: {off[-1][3]})")
            print(f"    start-up window  on {med(on, 0):7.1f} µs   off {med(off, 0):7.1f} µs   plugin adds {med(on, 0) - med(off, 0):6.1f} µs")
            # Issue 9's figure: ≤ 100 µs added. The same difference in 5 consecutive blocks shows the spread a
            # busy machine gives it (the median of all requests is the figure).
            k = n // 5
            blocks = [med(on[i * k:(i + 1) * k], 0) - med(off[i * k:(i + 1) * k], 0) for i in range(5)] if k >= 5 else []
            added = med(on, 0) - med(off, 0)
            print(f"    issue 9 figure   plugin adds {added:.0f} µs to the start-up window (budget {BUDGET_US} µs: "
                  f"{'met' if added <= BUDGET_US else 'NOT met'})"
                  + (f"; 5 consecutive blocks {min(blocks):.0f}–{max(blocks):.0f} µs" if blocks else ""))
            print(f"    DB queries       on {med(on, 1):7.0f}      off {med(off, 1):7.0f}      plugin adds {extra_queries:6.0f}")
            print(f"    response time    on {med(on, 2) / 1000:7.2f} ms   off {med(off, 2) / 1000:7.2f} ms   ratio {med(on, 2) / med(off, 2):.3f}")
            rows.append((mode, on, off, extra_queries))
            record("page_view", login_mode=mode, requests=n, added_us=round(med(on, 0) - med(off, 0), 1),
                   on_us=round(med(on, 0), 1), off_us=round(med(off, 0), 1), extra_queries=extra_queries,
                   budget_us=BUDGET_US, within_budget=med(on, 0) - med(off, 0) <= BUDGET_US,
                   response_ratio=round(med(on, 2) / med(off, 2), 4), plugin_files=on[-1][3])
            if extra_queries > 0:
                print(f"    FAILED: the plugin adds {extra_queries:.0f} DB quer{'y' if extra_queries == 1 else 'ies'} to an anonymous page view")
                failed = True
    finally:
        set_login_mode(env, stored)
    print("\n  | anonymous page view, login mode | plugin on | plugin off | on / off | start-up the plugin adds | DB queries added | plugin files loaded |")
    print("  |---|---:|---:|---:|---:|---:|---|")
    for mode, on, off, extra in rows:
        print(f"  | {mode} | {med(on, 2) / 1000:.1f} ms | {med(off, 2) / 1000:.1f} ms | {med(on, 2) / med(off, 2):.3f} |"
              f" {med(on, 0) - med(off, 0):.0f} µs | {extra:.0f} | {', '.join(on[-1][3])} |")
    print(f"  (median of {n} alternating requests per cell, one keep-alive connection)")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
