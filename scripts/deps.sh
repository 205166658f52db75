#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need. Idempotent and fast when warm:
# Debian packages are only installed when dpkg says one is missing, and the Python venv is only
# touched when its requirements changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[deps] %s\n' "$*" >&2; }
die() { printf '[deps] error: %s\n' "$*" >&2; exit 1; }

# --- Debian packages --------------------------------------------------------------------------
APT_PACKAGES=(
  # build: ext-php-rs needs php-config and libclang (bindgen)
  php8.2-cli php8.2-dev clang libclang-dev
  # build: webauthn-rs (passkeys, crates/workos-core/src/passkey) links OpenSSL through openssl-sys
  libssl-dev pkg-config
  # runtime of the WordPress stack
  php8.2-fpm php8.2-opcache php8.2-mysql php8.2-sqlite3 php8.2-curl php8.2-mbstring php8.2-xml
  php8.2-intl php8.2-zip php8.2-gd
  mariadb-server mariadb-client nginx
  wordpress wordpress-theme-twentytwentythree
  phpunit
  # tooling used by the scripts
  python3-venv curl ca-certificates make util-linux procps
  # make pot (scripts/make-pot.sh): xgettext, msgcat, msgfmt
  gettext
  # tests/php/run.sh talks FastCGI to the stack's php-fpm
  libfcgi-bin
  # make lint: phpcs with the project ruleset (phpcs.xml.dist)
  php-codesniffer
  # the browser suite (tests/browser): Playwright drives this Chromium (never `playwright install`);
  # fonts so that screenshots show text, not boxes (--no-install-recommends skips chromium's fonts)
  chromium fonts-liberation fonts-dejavu-core
)
if [[ -n "${EXTRA_APT_PACKAGES:-}" ]]; then
  read -r -a extra <<<"$EXTRA_APT_PACKAGES"
  APT_PACKAGES+=("${extra[@]}")
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} by hand"
    SUDO=(sudo)
  fi
  # Keep package scripts from starting the system's own nginx/mariadb/php-fpm services: the
  # stack runs its own instances on its own ports.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    trap '"${SUDO[@]}" rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
else
  log "Debian packages: all ${#APT_PACKAGES[@]} present"
fi

# --- Rust toolchain (installed by the machine, only checked here) -----------------------------
command -v cargo >/dev/null || die "cargo not found: install the Rust toolchain (rustup) first"
cargo fmt --version >/dev/null 2>&1 || log "warning: rustfmt missing (rustup component add rustfmt)"
cargo clippy --version >/dev/null 2>&1 || log "warning: clippy missing (rustup component add clippy)"

# --- cargo-php (generates the PHP stubs the lint gate compares) -------------------------------
CARGO_PHP_VERSION=0.2.2
if [[ "$(cargo php --version 2>/dev/null || true)" == *"$CARGO_PHP_VERSION"* ]]; then
  log "cargo-php: $CARGO_PHP_VERSION"
else
  log "installing cargo-php $CARGO_PHP_VERSION"
  cargo install -q cargo-php --locked --version "$CARGO_PHP_VERSION"
fi

# --- Python venv for the end-to-end tests -----------------------------------------------------
VENV="$ROOT/.venv"
PY_BASE=(pytest pytest-timeout requests pyyaml jsonschema)
req_files=()
for f in tests/e2e/requirements.txt tests/emulator_spec/requirements.txt tests/browser/requirements.txt; do
  [[ -f $f ]] && req_files+=("$f")
done
stamp_src="$(printf '%s\n' "${PY_BASE[@]}"; for f in "${req_files[@]}"; do echo "== $f"; cat "$f"; done)"
stamp="$(printf '%s' "$stamp_src" | sha256sum | cut -d' ' -f1)"
stamp_file="$VENV/.requirements.sha256"

if [[ -x $VENV/bin/python && -f $stamp_file && "$(cat "$stamp_file")" == "$stamp" ]]; then
  log "Python venv: up to date"
else
  if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$VENV"
    log "creating Python venv at .venv"
    python3 -m venv "$VENV" || { rm -rf "$VENV"; die "python3 -m venv failed (is python3-venv installed?)"; }
  fi
  log "installing Python packages"
  pip_args=(install -q --disable-pip-version-check "${PY_BASE[@]}")
  for f in "${req_files[@]}"; do pip_args+=(-r "$f"); done
  "$VENV/bin/python" -m pip "${pip_args[@]}"
  printf '%s\n' "$stamp" >"$stamp_file"
fi

# --- Node packages (package-lock.json): ESLint for make lint, axe-core for the browser suite,
# @wordpress/scripts for the login shell (scripts/js-build.sh, run by make build) ---
lock_stamp="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f node_modules/.lock.sha256 && "$(cat node_modules/.lock.sha256)" == "$lock_stamp" ]]; then
  log "Node packages: up to date"
else
  command -v npm >/dev/null || die "npm not found: install Node.js (Debian packages nodejs npm)"
  log "installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$lock_stamp" >node_modules/.lock.sha256
fi
log "ok"
