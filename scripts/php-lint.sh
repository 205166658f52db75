#!/usr/bin/env bash
# The PHP (and plain JS) half of `make lint`:
#   1. `php -l` on every PHP file of the plugin, the tests, the benchmarks and the scripts;
#   2. ESLint (eslint.config.mjs) on the block editor's JS, a plain script without a build step;
#   3. phpcs with the project ruleset, phpcs.xml.dist (what it covers of WordPress's standard, and
#      what it cannot, is written at its top);
#   4. scripts/phpcs-claims.php: every `phpcs:ignore`/`phpcs:disable` annotation must silence a
#      report of the sniff it names (where that sniff runs here);
#   5. scripts/php-deps.php: the class graph of the plugin (printed), failing on any cycle or on
#      a class name that names no class.
# Steps 3-5 are tested first by tests/lint/run.sh. Each step but the graph reports only problems
# and one summary line, so `make lint` stays readable.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'php-lint: %s\n' "$*" >&2; exit 1; }

# Test fixtures and scripts are PHP too and run inside WordPress or php-fpm: a syntax error there
# fails a test for the wrong reason, so they are linted like the plugin.
dirs=(php-shim tests/php tests/wp tests/bench scripts)
mapfile -d '' files < <(find "${dirs[@]}" -type f -name '*.php' -print0 | sort -z)
((${#files[@]})) || die "no PHP files found under ${dirs[*]}"

# php -l checks one file per process; two at a time for the machine's two cores.
status=0
out=$(printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P 2 php -d display_errors=1 -l 2>&1) || status=$?
errors=$(grep -v '^No syntax errors detected in ' <<<"$out" || true)
if ((status)) || [[ -n $errors ]]; then
  printf '%s\n' "$errors" >&2
  die "php -l found syntax errors"
fi
echo "php -l: ${#files[@]} files, no syntax errors"

# The login shell's build output (php-shim/js/*/build, scripts/js-build.sh) is generated: its
# sources (php-shim/js/*/src) are linted instead, with WordPress's preset (eslint.config.mjs).
mapfile -d '' js < <(find php-shim -type f -name '*.js' -not -path 'php-shim/js/*/build/*' -print0 | sort -z)
if ((${#js[@]})); then
  [[ -x node_modules/.bin/eslint ]] || die "ESLint not installed: run make deps (npm ci)"
  node_modules/.bin/eslint --max-warnings 0 "${js[@]}"
  echo "eslint: ${#js[@]} file(s) clean against eslint.config.mjs"
fi

command -v phpcs >/dev/null || die "phpcs not found: run make deps (Debian package php-codesniffer)"
# The checkers below must be able to fail: their own tests first (fixtures in tests/lint).
tests/lint/run.sh
mkdir -p target # phpcs.xml.dist keeps its cache there
# -q: no progress dots; the ruleset (phpcs.xml.dist) names the files and the report format.
phpcs -q --no-colors
echo "phpcs: clean against phpcs.xml.dist"
# Every phpcs: annotation must silence a report of the sniff it names, where that sniff runs here.
php scripts/phpcs-claims.php

php scripts/php-deps.php
