#!/usr/bin/env bash
# Benchmarks (`make bench`), each measuring its ratios side by side in one run. They assert nothing about
# timing; one exits non-zero only when a correctness condition fails (bulk sync: a request over WorkOS's rate
# limit or a user not created; page view: an extra DB query), and the others still run.
#
# The stack instance: WORKOS_STACK_INSTANCE, else E2E_INSTANCE, else "test". It is started if it is not
# running (and left running). Every figure goes to standard output and to .run/<instance>/bench-results.txt;
# machine-readable rows (one JSON object per benchmark) to .run/<instance>/bench-results.jsonl.
# Sizes: BENCH_N (Bearer verifications per round), BENCH_PAGES, BENCH_CONN_REQUESTS, BENCH_SIGNINS,
# BENCH_USERS (bulk sync, 10000), BENCH_SYNC_SAMPLE (its sequential sample, 100), BENCH_SYNC_LATENCY_MS (200), BENCH_SYNC_CONCURRENCY (32), BENCH_LINKS,
# BENCH_SHELL_PAGES (login shell page loads, 50).
set -euo pipefail
cd "$(dirname "$0")/.."
INSTANCE="${WORKOS_STACK_INSTANCE:-${E2E_INSTANCE:-test}}"
export WORKOS_STACK_INSTANCE="$INSTANCE"
SO="$PWD/target/release/libworkos.so"
[[ -f $SO ]] || cargo build --release -p workos-php
STACK_SKIP_BUILD=1 scripts/stack.sh up "$INSTANCE" >/dev/null
OUT=".run/$INSTANCE/bench-results.txt"
export BENCH_RESULTS="$PWD/.run/$INSTANCE/bench-results.jsonl"
: >"$BENCH_RESULTS"

failed=()
bench() { # bench TITLE CMD...: runs one benchmark, keeps going when it fails
  local title="$1"
  shift
  echo "== $title"
  "$@" || { echo "   ^ FAILED (exit $?)"; failed+=("$title"); }
}

{
  echo "make bench on $(hostname), instance $INSTANCE, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
  bench "Bearer-token verify (tests/bench/bearer.php)" \
    php -d "extension=$SO" tests/bench/bearer.php "${BENCH_N:-3000}"
  bench "Anonymous page view, plugin on vs off, in each login mode (tests/bench/page_view.py)" \
    .venv/bin/python tests/bench/page_view.py "${BENCH_PAGES:-300}"
  bench "Hosted login: server time beside an ordinary page and WordPress's form, our JS + CSS gzipped (tests/bench/login_shell.py)" \
    .venv/bin/python tests/bench/login_shell.py "${BENCH_SHELL_PAGES:-50}"
  bench "Connection reuse over TLS + 20 ms RTT: extension vs wp_remote_get() (tests/bench/connection_reuse.py)" \
    .venv/bin/python tests/bench/connection_reuse.py "${BENCH_CONN_REQUESTS:-150}" 5
  bench "Webhook burst over two web nodes (tests/bench/webhook_burst.py)" \
    .venv/bin/python tests/bench/webhook_burst.py
  bench "AuthKit sign-ins through nginx + php-fpm, 16 at a time (tests/bench/signin_throughput.py)" \
    .venv/bin/python tests/bench/signin_throughput.py "${BENCH_SIGNINS:-100}" 16
  bench "Bulk sync under WorkOS's rate limits, 1 vs 32 calls in flight (tests/bench/bulk_sync.py)" \
    .venv/bin/python tests/bench/bulk_sync.py "${BENCH_USERS:-10000}"
  bench "Finding a linked user: meta query vs the link table (tests/bench/link_lookup.php)" \
    php -d "extension=$SO" tests/bench/link_lookup.php "${BENCH_LINKS:-20000}"
  if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}"
  fi
  echo "(figures also in $OUT and $BENCH_RESULTS)"
} 2>&1 | tee "$OUT"
grep -q '^FAILED: ' "$OUT" && exit 1
exit 0
