#!/usr/bin/env bash
# Runs the end-to-end suites against a fresh "test" stack instance and stops it afterwards, also
# when something fails. The demo instance is left alone.
#
#   scripts/e2e.sh [pytest arguments]     e.g. scripts/e2e.sh -k webhook -x
#
# Suites: pytest over tests/e2e and tests/emulator_spec (those that exist), then pytest over
# tests/browser (screenshots in .run/<instance>/screenshots/), then every tests/*/run.sh, each
# started with the test instance's variables exported (scripts/stack.sh env).
# E2E_KEEP=1 leaves the test instance running for debugging; E2E_REUSE=1 skips --fresh;
# E2E_BROWSER=0 skips the browser suite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# E2E_INSTANCE=test1 … test9 runs the suites on another instance (own ports and database).
INSTANCE="${E2E_INSTANCE:-test}"

log() { printf '[e2e] %s\n' "$*" >&2; }

cleanup() {
  if [[ "${E2E_KEEP:-0}" == 1 ]]; then
    log "E2E_KEEP=1: the test instance stays up (scripts/stack.sh down $INSTANCE)"
  else
    scripts/stack.sh down "$INSTANCE" || true
  fi
}
trap cleanup EXIT

fresh=(--fresh)
[[ "${E2E_REUSE:-0}" == 1 ]] && fresh=()
scripts/stack.sh up "$INSTANCE" "${fresh[@]}"
eval "$(scripts/stack.sh env "$INSTANCE")"
export WORKOS_STACK_INSTANCE="$INSTANCE"

failed=()
# A test that hangs fails after this many seconds instead of using up CI's whole budget.
hang=(--timeout="${E2E_TEST_TIMEOUT:-600}")

dirs=()
for d in tests/e2e tests/emulator_spec; do
  [[ -d $d ]] && dirs+=("$d")
done
if ((${#dirs[@]})); then
  log "pytest ${dirs[*]}"
  rc=0
  "$ROOT/.venv/bin/pytest" -q "${hang[@]}" "${dirs[@]}" "$@" || rc=$?
  case $rc in
    0) ;;
    5) log "pytest collected no tests in ${dirs[*]}" ;;
    *) failed+=("pytest ${dirs[*]}") ;;
  esac
fi

# The browser suite (tests/browser: Playwright + Debian's Chromium, screenshots, axe-core) on the
# same instance, in a pytest run of its own so that its failures are reported under its name.
# E2E_BROWSER=0 skips it. Its screenshots stay after the instance is stopped (`down` keeps .run/<i>/).
if [[ -d tests/browser && "${E2E_BROWSER:-1}" != 0 ]]; then
  shots="$ROOT/.run/$INSTANCE/screenshots"
  rm -rf "$shots"
  log "pytest tests/browser (screenshots: $shots)"
  rc=0
  BROWSER_SCREENSHOTS="$shots" "$ROOT/.venv/bin/pytest" -q "${hang[@]}" tests/browser "$@" || rc=$?
  case $rc in
    0) ;;
    5) log "pytest collected no tests in tests/browser" ;;
    *) failed+=("pytest tests/browser") ;;
  esac
  [[ -d $shots ]] && log "browser screenshots: $(find "$shots" -name '*.png' | wc -l) PNGs in $shots"
fi

for suite in tests/*/run.sh; do
  [[ -f $suite ]] || continue
  log "running $suite"
  bash "$suite" || failed+=("$suite")
done

if ((${#failed[@]})); then
  # The logs are all a CI run leaves behind: show their ends before the instance goes away.
  for f in .run/$INSTANCE/php-error.log .run/$INSTANCE/debug.log .run/$INSTANCE/emulator.log \
    .run/$INSTANCE/nginx-error.log .run/$INSTANCE/php-fpm.log .run/$INSTANCE/noext.log; do
    [[ -s $f ]] || continue
    echo "----- last lines of $f -----" >&2
    grep -vE 'PHP Deprecated| (Accepted|Closing)$' "$f" | tail -n 40 >&2 || true
  done
  log "FAILED: ${failed[*]}"
  exit 1
fi
log "all end-to-end suites passed"
