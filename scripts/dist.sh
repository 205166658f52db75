#!/usr/bin/env bash
# make dist: what a site owner installs, without Rust or Node.
#   <out>/workos-for-wordpress-<version>.zip     the plugin (php-shim/ as the folder `workos/`, the
#                                                built JS/CSS, CHANGELOG.md; no tests, no sources of
#                                                the builds' tooling)
#   <out>/workos-<version>-php<X.Y>-<nts|zts>-<machine>.so
#                                                the extension, named for the PHP it was built against
#                                                (an extension loads only into that PHP minor version
#                                                and thread-safety mode); the name comes from the same
#                                                function the plugin's "not loaded" notice uses
#                                                (Admin\ExtensionInstall::build_name)
#   <out>/SHA256SUMS                             checksums of both (sha256sum -c SHA256SUMS)
# <out> is target/dist, or DIST_DIR. Expects `make build` to have run (the Makefile's dist target
# does). Refuses to package when the plugin's and the extension's versions differ.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[dist] %s\n' "$*" >&2; }
die() { printf '[dist] error: %s\n' "$*" >&2; exit 1; }

PHP="${PHP:-php}"
OUT="${DIST_DIR:-$ROOT/target/dist}"
SO="$ROOT/target/release/libworkos.so"

version="$(sed -n "s/^[[:space:]]*const VERSION *= *'\([^']*\)';.*/\1/p" php-shim/workos.php)"
header="$(sed -n 's/^ \* Version: *\([^ ]*\).*/\1/p' php-shim/workos.php)"
cargo="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n1)"
[[ -n $version ]] || die "no VERSION constant in php-shim/workos.php"
[[ $version == "$header" ]] || die "php-shim/workos.php: header Version $header != VERSION $version"
[[ $version == "$cargo" ]] || die "Cargo.toml version $cargo != plugin version $version"

[[ -f $SO ]] || die "$SO missing: run make build"
for app in php-shim/js/*/; do
  # js/shared holds modules the apps import (bundled into each app): it has no build of its own.
  [[ $app == php-shim/js/shared/ ]] && continue
  [[ -f $app/build/index.js ]] || die "${app}build/index.js missing: run make build (scripts/js-build.sh)"
done
[[ -f CHANGELOG.md ]] || die "CHANGELOG.md missing"

# The build must load into this PHP and say the plugin's version (-n: no ini, so nothing else loads it).
loaded="$("$PHP" -n -d "extension=$SO" -r 'echo phpversion("workos");' 2>&1)" || die "the extension does not load into $PHP: $loaded"
[[ $loaded == "$version" ]] || die "the built extension says version $loaded, the plugin $version"

so_name="$("$PHP" -n -r 'define("ABSPATH", "/"); require $argv[1]; echo WorkOS_WP\Admin\ExtensionInstall::build_name($argv[2]);' \
  "$ROOT/php-shim/src/Admin/ExtensionInstall.php" "$version")"
zip_name="workos-for-wordpress-$version.zip"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/workos"
# The plugin as WordPress loads it; each app's build output, and its sources (GPL: the source
# travels with the program), never node_modules or build stamps.
(cd php-shim && find . -type f ! -path '*/node_modules/*' ! -name '.sources.sha256' ! -name '.gitignore' -print0) |
  while IFS= read -r -d '' f; do
    mkdir -p "$stage/workos/$(dirname "$f")"
    cp "php-shim/$f" "$stage/workos/$f"
  done
cp CHANGELOG.md "$stage/workos/CHANGELOG.md"
cp README.md "$stage/workos/README.md"

mkdir -p "$OUT"
rm -f "$OUT/$zip_name" "$OUT/$so_name" "$OUT/SHA256SUMS"
(cd "$stage" && TZ=UTC find workos -exec touch -d '2000-01-01 00:00:00' {} + && zip -qrX "$OUT/$zip_name" workos)
cp "$SO" "$OUT/$so_name"
strip --strip-debug "$OUT/$so_name" 2>/dev/null || true
(cd "$OUT" && sha256sum "$zip_name" "$so_name" >SHA256SUMS)

log "plugin:    $OUT/$zip_name ($(du -h "$OUT/$zip_name" | cut -f1))"
log "extension: $OUT/$so_name ($(du -h "$OUT/$so_name" | cut -f1))"
log "checksums: $OUT/SHA256SUMS"
printf '%s\n' "$OUT/$zip_name" "$OUT/$so_name" "$OUT/SHA256SUMS"
