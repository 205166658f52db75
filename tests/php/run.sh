#!/usr/bin/env bash
# The extension's PHP-side tests, each script run twice: under the CLI, and
# under the stack's php-fpm (the SAPI WordPress really runs on, where the
# extension is loaded in the master and used in forked workers).
# Needs the variables of `scripts/stack.sh env test` (scripts/e2e.sh sets them).
set -euo pipefail
cd "$(dirname "$0")"
: "${EXTENSION_PATH:?run through scripts/e2e.sh or eval \"\$(scripts/stack.sh env test)\"}"
: "${PHP_BIN:=php}"
failed=0
for t in test_*.php; do
  if out=$("$PHP_BIN" -d "extension=$EXTENSION_PATH" "$t" 2>&1) && [[ $out == OK* ]]; then
    echo "cli  $t: $out"
  else
    echo "cli  $t: FAILED"; echo "$out"; failed=1
  fi
  if [[ -n ${RUN_DIR:-} && -S $RUN_DIR/php-fpm.sock ]]; then
    # Two passes through the same pool: the second lands on warm workers.
    for pass in 1 2; do
      out=$(SCRIPT_FILENAME="$PWD/$t" REQUEST_METHOD=GET QUERY_STRING= \
        cgi-fcgi -bind -connect "$RUN_DIR/php-fpm.sock" 2>&1 | tr -d '\r' | sed '1,/^$/d')
      if [[ $out == OK* ]]; then
        echo "fpm  $t (pass $pass): $out"
      else
        echo "fpm  $t (pass $pass): FAILED"; echo "$out"; failed=1
      fi
    done
  else
    echo "fpm  $t: no php-fpm socket (RUN_DIR unset); skipped" >&2
    failed=1
  fi
done
exit $failed
