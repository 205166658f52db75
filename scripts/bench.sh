#!/usr/bin/env bash
# Benchmarks, each reporting ratios measured side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
SO="$PWD/target/release/libworkos.so"
[[ -f $SO ]] || cargo build --release -p workos-php
echo "== Bearer-token verify (tests/bench/bearer.php)"
php -d "extension=$SO" tests/bench/bearer.php "${BENCH_N:-3000}"
