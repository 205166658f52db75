#!/usr/bin/env bash
# Benchmarks, each reporting ratios measured side by side in one run.
#   Bearer-token verify: CLI only.
#   Webhook burst: starts the test stack instance if it is not running (and leaves it running).
set -euo pipefail
cd "$(dirname "$0")/.."
SO="$PWD/target/release/libworkos.so"
[[ -f $SO ]] || cargo build --release -p workos-php
echo "== Bearer-token verify (tests/bench/bearer.php)"
php -d "extension=$SO" tests/bench/bearer.php "${BENCH_N:-3000}"
STACK_SKIP_BUILD=1 scripts/stack.sh up test >/dev/null
echo "== Anonymous page view, plugin on vs off (tests/bench/page_view.py)"
.venv/bin/python tests/bench/page_view.py "${BENCH_PAGES:-300}"
echo "== Webhook burst over two web nodes (tests/bench/webhook_burst.py)"
.venv/bin/python tests/bench/webhook_burst.py
echo "== AuthKit sign-ins through nginx + php-fpm, 16 at a time (tests/bench/signin_throughput.py)"
.venv/bin/python tests/bench/signin_throughput.py "${BENCH_SIGNINS:-100}" 16
echo "== Bulk sync, 1 vs 8 calls in flight (tests/bench/bulk_sync.py)"
.venv/bin/python tests/bench/bulk_sync.py "${BENCH_USERS:-200}"
echo "== Finding a linked user: meta query vs the link table (tests/bench/link_lookup.php)"
WORKOS_STACK_INSTANCE=test php -d "extension=$SO" tests/bench/link_lookup.php "${BENCH_LINKS:-20000}"
