#!/usr/bin/env bash
# Builds the hosted login's shell (php-shim/js/login/src -> php-shim/js/login/build) and the Login
# Profiles editor (php-shim/js/profiles/src -> php-shim/js/profiles/build, WorkOS → Login Profiles)
# with @wordpress/scripts from the lockfile's node_modules (scripts/deps.sh runs `npm ci`). The build
# output is not committed: make build / make demo / make test run this. Idempotent: each app is
# skipped when its sources, package-lock.json and this script are unchanged since its last build
# (stamp file; php-shim/js/shared, the modules several apps import, counts for each). Each app is built alone (its own entry and output), so one never changes the other.
#   scripts/js-build.sh          build if needed
#   JS_BUILD_FORCE=1 scripts/js-build.sh   build anyway
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[js-build] %s\n' "$*" >&2; }
die() { printf '[js-build] error: %s\n' "$*" >&2; exit 1; }

# build_app NAME SRC OUT: builds SRC/index.js into OUT unless its stamp says it is up to date.
build_app() {
  local name=$1 SRC=$2 OUT=$3
  local STAMP="$OUT/.sources.sha256" stamp
  stamp="$( (sha256sum package-lock.json scripts/js-build.sh; find "$SRC" php-shim/js/shared -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)"
  if [[ -z "${JS_BUILD_FORCE:-}" && -f $STAMP && "$(cat "$STAMP")" == "$stamp" && -f $OUT/index.js && -f $OUT/index.asset.php ]]; then
    log "$name: up to date"
    return 0
  fi

  [[ -x node_modules/.bin/wp-scripts ]] || die "node_modules/.bin/wp-scripts missing: run scripts/deps.sh (npm ci) first"
  log "building the $name ($SRC -> $OUT)"
  rm -rf "$OUT"
  # NODE_ENV=production: minified, no source maps (the sizes make bench reports are the shipped ones).
  NODE_ENV=production node_modules/.bin/wp-scripts build "$SRC/index.js" --output-path="$OUT" >"${TMPDIR:-/tmp}/js-build.$$.log" 2>&1 || {
    cat "${TMPDIR:-/tmp}/js-build.$$.log" >&2
    rm -f "${TMPDIR:-/tmp}/js-build.$$.log"
    die "wp-scripts build failed"
  }
  rm -f "${TMPDIR:-/tmp}/js-build.$$.log"

  for f in index.js index.css index.asset.php; do
    [[ -s $OUT/$f ]] || die "$OUT/$f was not produced"
  done
  # WordPress before 6.6 has no react-jsx-runtime script: a build depending on it would never load
  # there (the sources use the classic JSX runtime over wp.element; see src/App.js).
  if grep -q "react-jsx-runtime" "$OUT/index.asset.php"; then
    die "$OUT/index.asset.php depends on react-jsx-runtime: add the classic-runtime pragma to the JSX file"
  fi
  printf '%s\n' "$stamp" >"$STAMP"
  log "$name ok: $(wc -c <"$OUT/index.js") bytes of JS, $(wc -c <"$OUT/index.css") bytes of CSS"
}

build_app "login shell" php-shim/js/login/src php-shim/js/login/build
build_app "profiles editor" php-shim/js/profiles/src php-shim/js/profiles/build
build_app "passkeys screen" php-shim/js/passkey/src php-shim/js/passkey/build
build_app "account panel" php-shim/js/account/src php-shim/js/account/build
build_app "account shortcodes" php-shim/js/account-shortcodes/src php-shim/js/account-shortcodes/build
build_app "onboarding wizard" php-shim/js/onboarding/src php-shim/js/onboarding/build
