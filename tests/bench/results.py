"""Where the benchmarks write their figures: one JSON object per line in $BENCH_RESULTS (scripts/bench.sh sets it
to .run/<instance>/bench-results.jsonl; unset: nothing is written), so a run's ratios can be read back by tools."""

from __future__ import annotations

import json
import os
import time


def record(bench: str, **figures) -> None:
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    row = {"bench": bench, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figures}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
