"""Bulk sync throughput: `workos sync push` for 200 users one call at a time vs 8 at a time, side by side in one
run, with 20 ms of latency added to each WorkOS call by the emulator (a loopback call would hide what concurrency
saves on a real network)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from conftest import ENV_FILE, REPO, run_wp_php  # noqa: E402


def main(n: int = 200) -> None:
    env = json.loads(ENV_FILE.read_text())
    tag = uuid.uuid4().hex[:6]
    # Link every existing user out of the way, then add 2n unlinked ones.
    run_wp_php(env, """
        foreach (get_users(['fields' => 'ID']) as $id) { if (!get_user_meta($id, '_workos_user_id', true)) update_user_meta($id, '_workos_user_id', 'user_bench_placeholder_' . $id); }
        for ($i = 0; $i < $args['n'] * 2; $i++) { wp_insert_user(['user_login' => "bulk-{$args['tag']}-$i", 'user_email' => "bulk-{$args['tag']}-$i@example.com", 'user_pass' => 'x-Passw0rd-1']); }
        return true;""", {"n": n, "tag": tag})
    requests.post(env["EMULATOR_URL"] + "/__emulator/faults", timeout=10,
                  json={"method": "POST", "path": "/user_management/users", "delay_ms": 20, "times": 0})
    try:
        seconds = {}
        for concurrency in (1, 8):
            proc = subprocess.run(
                [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], str(REPO / "php-shim" / "bin" / "workos.php"),
                 "sync", "push", f"--limit={n}", f"--concurrency={concurrency}"],
                capture_output=True, text=True, timeout=600,
                env=dict(os.environ, WORKOS_WP_LOAD=str(REPO / "tests" / "wp" / "bootstrap.php"), WORKOS_STACK_INSTANCE=env["INSTANCE"]),
            )
            m = re.search(r"Pushed (\d+) user\(s\): (\d+) created.* in ([\d.]+) s", proc.stdout)
            if not m:
                raise SystemExit(f"sync push failed: {proc.stdout}{proc.stderr}")
            seconds[concurrency] = float(m.group(3))
            print(f"  concurrency {concurrency}: {m.group(2)} users created in {seconds[concurrency]:5.1f} s = {int(m.group(2)) / seconds[concurrency]:6.0f} users/s")
        print(f"  8 at a time / 1 at a time: {seconds[1] / seconds[8]:.1f}x faster")
    finally:
        requests.delete(env["EMULATOR_URL"] + "/__emulator/faults", timeout=10)
        run_wp_php(env, "foreach (get_users(['meta_key' => '_workos_user_id', 'fields' => 'ID']) as $id) { if (str_starts_with(get_user_meta($id, '_workos_user_id', true), 'user_bench_placeholder_')) delete_user_meta($id, '_workos_user_id'); } return true;")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
