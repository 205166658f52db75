"""Bulk sync throughput: `workos sync push` (php-shim/bin/workos.php) one call at a time vs many at a time, side by
side in one run, against the emulator with WorkOS's documented rate limits enforced (tests/emulator/src/
rate_limit.rs: user-management writes 500 per 10 s, the general 6,000 per 60 s) and latency added to each call
(BENCH_SYNC_LATENCY_MS, default 250: a user-management write from a WordPress host to WorkOS's API across a continent; a
loopback call would hide what concurrency saves on a real network. At 20 ms the sequential rate is already
close to the documented write limit of 50/s, so no concurrency can gain much there).

The sequential rate (concurrency 1) is measured on a sample (BENCH_SYNC_SAMPLE, default 100 users) and
extrapolated: pushing all the users one at a time would take hours for nothing. Then all `n` users (default
10,000) are pushed at the CLI's concurrency (BENCH_SYNC_CONCURRENCY, default 32). The run fails (exit 1) when any
request went over a limit (the emulator's over-limit counter must stay 0) or any user was not created: a fast
sync that WorkOS would refuse is no result.

    WORKOS_STACK_INSTANCE=test5 .venv/bin/python tests/bench/bulk_sync.py [n]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import ENV_FILE, REPO, run_wp_php  # noqa: E402
from latency import clear_rate_limits, emulator_latency, rate_limit_state, rate_limits  # noqa: E402
from results import record  # noqa: E402

# The documented limit that bounds a push (one POST /user_management/users per user): 500 writes per 10 s.
WRITES_PER_SECOND = 500 / 10

# Unlinked users for the run, written with SQL in blocks (wp_insert_user hashes a password per user: minutes
# for 10,000), and every other user linked to a placeholder so that only these are pushed.
SETUP = r"""
global $wpdb;
foreach ( get_users( array( 'fields' => 'ID' ) ) as $id ) {
    if ( ! get_user_meta( $id, '_workos_user_id', true ) ) {
        update_user_meta( $id, '_workos_user_id', 'user_bench_placeholder_' . $id );
    }
}
for ( $i = 0; $i < $args['n']; $i += 1000 ) {
    $rows = array();
    for ( $j = $i; $j < min( $args['n'], $i + 1000 ); $j++ ) {
        $rows[] = $wpdb->prepare( '(%s, %s, %s, %s, NOW())', "bulk-{$args['tag']}-$j", '', "bulk-{$args['tag']}-$j@example.com", "bulk-{$args['tag']}-$j" );
    }
    $wpdb->query( "INSERT INTO {$wpdb->users} (user_login, user_pass, user_email, display_name, user_registered) VALUES " . implode( ',', $rows ) );
}
wp_cache_flush();
return true;
"""

CLEANUP = r"""
global $wpdb;
$wpdb->query( $wpdb->prepare( "DELETE m FROM {$wpdb->usermeta} m JOIN {$wpdb->users} u ON u.ID = m.user_id WHERE u.user_login LIKE %s", 'bulk-' . $args . '-%' ) );
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->users} WHERE user_login LIKE %s", 'bulk-' . $args . '-%' ) );
$wpdb->query( "DELETE FROM {$wpdb->usermeta} WHERE meta_key = '_workos_user_id' AND meta_value LIKE 'user\\_bench\\_placeholder\\_%'" );
foreach ( array( 'WorkOS_WP\\Users\\Links', 'WorkOS_WP\\Links' ) as $class ) {
    if ( class_exists( $class ) ) {
        $class::rebuild();
        break;
    }
}
wp_cache_flush();
return true;
"""


def push(env, limit: int, concurrency: int) -> tuple[int, int, float]:
    """Runs `sync push`; returns (users pushed, created, seconds as the CLI reports them)."""
    proc = subprocess.run(
        [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], str(REPO / "php-shim" / "bin" / "workos.php"),
         "sync", "push", f"--limit={limit}", f"--concurrency={concurrency}"],
        capture_output=True, text=True, timeout=3600,
        env=dict(os.environ, WORKOS_WP_LOAD=str(REPO / "tests" / "wp" / "bootstrap.php"), WORKOS_STACK_INSTANCE=env["INSTANCE"]),
    )
    m = re.search(r"Pushed (\d+) user\(s\): (\d+) created.* in ([\d.]+) s", proc.stdout)
    if not m:
        raise SystemExit(f"sync push failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return int(m.group(1)), int(m.group(2)), float(m.group(3))


def over_limit(env) -> tuple[int | None, int]:
    """(requests over a limit, requests checked); None when the emulator has no rate limits."""
    state = rate_limit_state(env)
    if not state or not state.get("enabled"):
        return None, 0
    return int(state["over_limit"]), int(state["checked"])


def main(n: int = 10_000) -> None:
    env = json.loads(ENV_FILE.read_text())
    sample = int(os.environ.get("BENCH_SYNC_SAMPLE", "100"))
    concurrency = int(os.environ.get("BENCH_SYNC_CONCURRENCY", "32"))
    latency_ms = int(os.environ.get("BENCH_SYNC_LATENCY_MS", "250"))
    tag = uuid.uuid4().hex[:6]
    t = time.perf_counter()
    run_wp_php(env, SETUP, {"n": sample + n, "tag": tag})
    print(f"  {sample + n} unlinked WordPress users written in {time.perf_counter() - t:.0f} s (not timed)")
    failed = []
    try:
        with emulator_latency(env, latency_ms, path="/user_management/*") as how:
            limited = bool(rate_limits(env).get("enabled"))
            print(f"  emulator: {latency_ms} ms per call ({how}); rate limits: "
                  f"{'WorkOS documented ones, enforced' if limited else 'none (this emulator has none)'}")
            rows = {}
            for label, limit, c in (("sequential sample", sample, 1), ("all users", n, concurrency)):
                rate_limits(env)  # fresh windows and counters for each phase
                pushed, created, seconds = push(env, limit, c)
                over, checked = over_limit(env)
                rows[label] = (pushed, created, seconds, over, checked)
                print(f"  concurrency {c:2d}: {created}/{pushed} users created in {seconds:6.1f} s = "
                      f"{created / seconds:6.1f} users/s; {checked} API requests, {'n/a' if over is None else over} over the limit")
                if created != limit:
                    failed.append(f"{label}: {limit - created} of {limit} users not created")
                if over:
                    failed.append(f"{label}: {over} request(s) over the rate limit (must be 0)")
    finally:
        clear_rate_limits(env)
        run_wp_php(env, CLEANUP, tag)

    seq_rate = rows["sequential sample"][1] / rows["sequential sample"][2]
    all_rate = rows["all users"][1] / rows["all users"][2]
    print(f"  sequential rate measured on {sample} users, extrapolated: {n} users one at a time would take "
          f"{n / seq_rate:.0f} s; at concurrency {concurrency} they took {rows['all users'][2]:.0f} s")
    print(f"  concurrency {concurrency} / sequential: {all_rate / seq_rate:.1f}x"
          + (f" (the documented write limit caps any push at {WRITES_PER_SECOND:.0f} users/s = "
             f"{WRITES_PER_SECOND / seq_rate:.1f}x the sequential rate at this latency)" if limited else ""))
    record("bulk_sync", users=n, sample=sample, concurrency=concurrency, latency_ms=latency_ms,
           sequential_users_per_s=round(seq_rate, 1), concurrent_users_per_s=round(all_rate, 1),
           ratio=round(all_rate / seq_rate, 2), rate_limited=limited,
           ceiling_ratio=round(WRITES_PER_SECOND / seq_rate, 2) if limited else None,
           over_limit=None if rows["all users"][3] is None else rows["all users"][3] + rows["sequential sample"][3],
           failures=failed,
           load=round(os.getloadavg()[0], 1))
    if failed:
        print("  FAILED: " + "; ".join(failed))
        raise SystemExit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
