#!/usr/bin/env bash
# Tests of the lint tools themselves (run by scripts/php-lint.sh before it trusts them):
#   - the stand-in sniffs of scripts/phpcs/WordPress report what fixtures/standins.php expects;
#   - scripts/phpcs-claims.php tells verified, stale and unverifiable annotations apart;
#   - scripts/php-deps.php fails on a cycle and on an unknown class, passes an acyclic graph,
#     and lets an allow-listed cycle through only loudly.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
tmp="$(mktemp -d /tmp/workos-lint-test.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
check() { # check <description> <command…>: the command must succeed
  local what=$1
  shift
  checks=$((checks + 1))
  if ! "$@" >/dev/null 2>&1; then
    echo "FAIL: $what" >&2
    failures=$((failures + 1))
  fi
}

# Fixtures are copied out of tests/: the ruleset excludes */tests/* from some stand-ins.
cp tests/lint/fixtures/*.php "$tmp/"

# 1. Stand-in sniffs: the WordPress.* reports must be exactly the `expect:` lines.
phpcs --standard=phpcs.xml.dist --no-cache --report=json -q "$tmp/standins.php" >"$tmp/standins.json" || true
grep -n 'expect: ' "$tmp/standins.php" | sed -E 's/^([0-9]+):.*expect: ([A-Za-z0-9_.]+).*/\1 \2/' | sort >"$tmp/expected"
php -r '
	$report = json_decode( file_get_contents( $argv[1] ), true );
	foreach ( $report["files"] as $file ) {
		foreach ( $file["messages"] as $m ) {
			if ( 0 === strpos( $m["source"], "WordPress." ) ) {
				echo $m["line"], " ", $m["source"], "\n";
			}
		}
	}' "$tmp/standins.json" | sort >"$tmp/reported"
checks=$((checks + 1))
if ! diff -u "$tmp/expected" "$tmp/reported" >&2; then
  echo "FAIL: stand-in sniffs: reports differ from the expect: lines of fixtures/standins.php (- expected, + reported)" >&2
  failures=$((failures + 1))
fi

# 2. Claims: line 14 is stale, the rest verified or unverifiable; the check fails.
php scripts/phpcs-claims.php "$tmp/claims.php" >"$tmp/claims.out" 2>&1 && claims_status=0 || claims_status=$?
check "phpcs-claims fails on a stale annotation" test "$claims_status" = 1
check "phpcs-claims names the stale line" grep -q "claims.php:14 phpcs:ignore WordPress.DB.DirectDatabaseQuery silences nothing" "$tmp/claims.out"
check "phpcs-claims counts 2 verified, 1 stale, 1 unverifiable" grep -q "4 annotation claims: 2 verified, 1 stale, 1 unverifiable" "$tmp/claims.out"

# 3. Class graph.
tree() { # tree <dir> <file> <php source>…: writes php-shim/src files
  local dir=$1
  shift
  while (($#)); do
    mkdir -p "$(dirname "$dir/php-shim/src/$1")"
    printf '%s\n' "$2" >"$dir/php-shim/src/$1"
    shift 2
  done
}
tree "$tmp/acyclic" \
  A/First.php '<?php namespace WorkOS_WP\A; use WorkOS_WP\Shared; final class First { public function f( Shared $s ): Second { return new Second(); } }' \
  A/Second.php '<?php namespace WorkOS_WP\A; final class Second { public function g(): string { return \WP_Error::class; } }' \
  Shared.php '<?php namespace WorkOS_WP; final class Shared {}'
check "php-deps passes an acyclic graph" php scripts/php-deps.php --root="$tmp/acyclic"

tree "$tmp/cyclic" \
  A/First.php '<?php namespace WorkOS_WP\A; use WorkOS_WP\B\Third; final class First { public function f() { return Third::class; } }' \
  A/Second.php '<?php namespace WorkOS_WP\A; final class Second { public function g() { return new First(); } }' \
  B/Third.php '<?php namespace WorkOS_WP\B; final class Third { public function h( $x ) { return $x instanceof \WorkOS_WP\A\Second; } }' \
  A/Fourth.php '<?php namespace WorkOS_WP\A; final class Fourth { public function i() { return Second::class; } }'
php scripts/php-deps.php --root="$tmp/cyclic" --cycles-only >"$tmp/cyclic.out" 2>&1 && status=0 || status=$?
check "php-deps fails on a cycle" test "$status" = 1
check "php-deps names the cycle's classes (and only them)" grep -qx 'php-deps: CYCLE 1 (3 classes): A\\First A\\Second B\\Third' "$tmp/cyclic.out"
check "php-deps shows where a cycle edge is made" grep -q 'B\\Third -> A\\Second   (php-shim/src/B/Third.php:1 instanceof)' "$tmp/cyclic.out"

mkdir -p "$tmp/cyclic/scripts"
printf '# known, being removed\nA\\First A\\Second B\\Third\n' >"$tmp/cyclic/scripts/php-deps.allow"
php scripts/php-deps.php --root="$tmp/cyclic" --cycles-only >"$tmp/allowed.out" 2>&1 && status=0 || status=$?
check "php-deps lets an allow-listed cycle through" test "$status" = 0
check "php-deps says so loudly" grep -q '!!! 1 KNOWN CYCLE(S) ALLOWED BY scripts/php-deps.allow' "$tmp/allowed.out"
printf 'A\\First A\\Second\n' >"$tmp/cyclic/scripts/php-deps.allow"
check "php-deps fails on a cycle larger than its allow-list line" bash -c "! php scripts/php-deps.php --root='$tmp/cyclic' --cycles-only"

tree "$tmp/unknown" \
  A/First.php '<?php namespace WorkOS_WP\A; final class First { public function f( $e ) { return $e instanceof WP_Error; } }'
php scripts/php-deps.php --root="$tmp/unknown" --cycles-only >"$tmp/unknown.out" 2>&1 && status=0 || status=$?
check "php-deps fails on an unknown class" test "$status" = 1
check "php-deps names the unknown class" grep -q 'UNKNOWN CLASS php-shim/src/A/First.php:1 WorkOS_WP\\A\\WP_Error (instanceof)' "$tmp/unknown.out"

if ((failures)); then
  echo "lint self-test: $failures of $checks checks failed" >&2
  exit 1
fi
echo "lint self-test: $checks checks passed"
