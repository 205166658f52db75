"""Webhook throughput: a burst of signed deliveries over two web nodes sharing one database.

Run by scripts/bench.sh against the test stack instance. Reports events/second for the nginx + php-fpm node
alone and for both nodes together, side by side in one run (the ratio is what the second node adds).
Exits 1 when a signed delivery is not accepted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from burst import make_users, plan, second_node, send  # noqa: E402
from conftest import ENV_FILE, run_wp_php  # noqa: E402
from results import record  # noqa: E402


def main() -> None:
    env = json.loads(ENV_FILE.read_text())
    run = lambda code, args=None: run_wp_php(env, code, args)  # noqa: E731
    people = make_users(run, 100)
    with second_node(env) as node2:
        rates, failures = {}, 0
        for label, nodes in (("php-fpm node alone", [env["WP_URL"]]), ("both nodes", [env["WP_URL"], node2])):
            # Fresh events each round (a repeated id would only be acknowledged as a duplicate).
            burst = send(plan(people, versions=5, nodes=nodes, duplicate_share=0.0), env["WEBHOOK_SECRET"], concurrency=16)
            failed = sum(1 for status, _ in burst.results if status != 200)
            failures += failed
            rates[label] = len(burst.events) / burst.seconds
            print(f"  {label:20s} {len(burst.events)} events in {burst.seconds:5.1f} s = {rates[label]:6.0f} events/s"
                  f"{'' if not failed else f'  ({failed} failed)'}")
        print(f"  both / alone: {rates['both nodes'] / rates['php-fpm node alone']:.2f}x")
        record("webhook_burst", events_per_s_alone=round(rates["php-fpm node alone"], 1),
               events_per_s_both=round(rates["both nodes"], 1), failed=failures, load=round(os.getloadavg()[0], 1))
    if failures:
        print(f"  FAILED: {failures} signed deliveries were not accepted")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
