#!/usr/bin/env bash
# PHP stubs of the extension, generated from the built extension's own
# description (ext-php-rs exports it in debug builds only).
#   scripts/stubs.sh write   regenerate stubs/workos.php
#   scripts/stubs.sh check   fail when stubs/workos.php differs from the extension
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
command -v cargo-php >/dev/null 2>&1 || cargo install cargo-php --locked --version 0.2.2
cargo build -q -p workos-php
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
cargo php stubs --stdout target/debug/libworkos.so >"$generated"
case "$mode" in
  write)
    mkdir -p stubs
    cp "$generated" stubs/workos.php
    echo "stubs/workos.php written"
    ;;
  check)
    if ! diff -u stubs/workos.php "$generated"; then
      echo "stubs/workos.php is out of date with the extension: run scripts/stubs.sh write" >&2
      exit 1
    fi
    echo "stubs/workos.php matches the extension"
    ;;
  *)
    echo "usage: $0 write|check" >&2
    exit 2
    ;;
esac
