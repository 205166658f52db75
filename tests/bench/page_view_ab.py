"""Issue 9's page-view figure, A/B: the working tree's plugin against an earlier revision's, on the same instance
in the same minutes. A copy of the revision's php-shim/ sits beside the plugin as `workos-ab` (the test probe
mu-plugin swaps it in for requests carrying `X-WorkOS-Probe-Plugin`), and requests to one page rotate through
plugin off / the revision / the working tree, so load on a busy machine falls on all three alike.

Prints, for each, the start-up window (muplugins_loaded → plugins_loaded) in wall-clock and in CPU time (user +
system of the php-fpm worker: preemption on a loaded machine is left out), the median over all requests and the
spread over 5 consecutive blocks. Each request ends right after the window (the probe's quick mode), so a run
of many rounds takes a minute or two. Usage: page_view_ab.py [REVISION (default HEAD)] [ROUNDS (default 1500)].
Instance: WORKOS_STACK_INSTANCE or E2E_INSTANCE (default test); it must be running."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VARIANT = "workos-ab"


def copy_revision(rev: str, dest: Path) -> str:
    """php-shim/ as of `rev` in dest; returns the commit id."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    data = subprocess.run(["git", "archive", commit, "php-shim"], cwd=ROOT, check=True, capture_output=True).stdout
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return commit


def sample(session: requests.Session, url: str, which: str) -> tuple[float, float, int]:
    headers = {"X-WorkOS-Probe": "1", "X-WorkOS-Probe-Quick": "1"}  # the request ends after the window
    if which == "off":
        headers["X-WorkOS-Probe-Off"] = "1"
    elif which == "rev":
        headers["X-WorkOS-Probe-Plugin"] = VARIANT
    r = session.get(url, headers=headers, timeout=30)
    report = json.loads(re.search(r"<!-- workos-probe (\{.*?\}) -->", r.text).group(1))
    return report["load_us"], report["cpu_us"], report["queries"]


def main(rev: str = "HEAD", n: int = 1500) -> None:
    instance = os.environ.get("WORKOS_STACK_INSTANCE") or os.environ.get("E2E_INSTANCE") or "test"
    env = json.loads((ROOT / ".run" / instance / "env.json").read_text())
    url = env["WP_URL"] + "/sample-page/"
    copy_dir = ROOT / ".run" / instance / "page-view-ab"
    commit = copy_revision(rev, copy_dir)
    link = Path(env["WP_CONTENT_DIR"]) / "plugins" / VARIANT
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(copy_dir / "php-shim")
    s = requests.Session()
    order = ["off", "rev", "new"]
    seen: dict[str, list[tuple[float, float, int]]] = {k: [] for k in order}
    try:
        for i in range(20 + n):  # the first 20 rounds warm opcache and the workers
            for k in order[i % 3:] + order[:i % 3]:  # rotated, so no variant always follows another
                got = sample(s, url, k)
                if i >= 20:
                    seen[k].append(got)
            if i == 19:
                started = time.time()
    finally:
        link.unlink()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"  {n} rounds of off / {commit} / working tree, {time.time() - started:.0f} s, load average {' '.join(load)}")
    k5 = n // 5
    for col, name in ((0, "wall-clock"), (1, "CPU time")):
        med = {k: statistics.median(x[col] for x in v) for k, v in seen.items()}
        print(f"    {name:10}  off {med['off']:7.1f} µs   {commit} {med['rev']:7.1f} µs   working tree {med['new']:7.1f} µs")
        for k, label in (("rev", commit), ("new", "working tree")):
            blocks = [statistics.median(x[col] for x in seen[k][b * k5:(b + 1) * k5])
                      - statistics.median(x[col] for x in seen["off"][b * k5:(b + 1) * k5]) for b in range(5)]
            print(f"      {label:>12} adds {med[k] - med['off']:6.1f} µs (5 blocks {min(blocks):.0f}–{max(blocks):.0f})")
    queries = {k: statistics.median(x[2] for x in v) for k, v in seen.items()}
    print(f"    DB queries  off {queries['off']:.0f}   {commit} {queries['rev']:.0f}   working tree {queries['new']:.0f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "HEAD", int(sys.argv[2]) if len(sys.argv) > 2 else 1500)
