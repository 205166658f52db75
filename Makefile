# WorkOS for WordPress — developer entry points.
#   make demo    install what is missing, build, start the demo site (http://127.0.0.1:8080): the hosted
#                login at wp-login.php (scripts/demo-setup.php); prints the demo user and where codes are read
#   make stop    stop every stack instance (demo and test) and MariaDB
#   make test    formatting, clippy, unit tests, then the end-to-end suites on a fresh test instance
#                (HTTP, then the browser suite: screenshots in .run/test/screenshots/)
#   make build   release build of the extension and the WorkOS emulator, and the login shell's JS
#   make pot     the translation template php-shim/languages/workos.pot (PHP + JS strings; scripts/make-pot.sh)
#   make dist    the release: plugin zip + the extension named for this PHP + SHA256SUMS (target/dist)
#   make bench   benchmarks, ratios side by side (scripts/bench.sh; instance: WORKOS_STACK_INSTANCE or
#                E2E_INSTANCE, default test; figures also in .run/<instance>/bench-results.txt)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps depend on each other's side effects (packages, builds, running servers): never in parallel.
.NOTPARALLEL:

CARGO_BUILD := cargo build --release -p workos-php -p workos-emulator

.PHONY: help deps build dist demo stop status test lint unit e2e bench soak pot

help:
	@echo "make demo | stop | status | test | build | dist | deps | lint | unit | e2e | bench | pot"

deps:
	scripts/deps.sh

# Also the hosted login's shell (scripts/js-build.sh: @wordpress/scripts from the lockfile's
# node_modules, which `make deps` installs; skipped when its sources did not change).
build:
	$(CARGO_BUILD)
	scripts/js-build.sh

# Every translatable string of the plugin (PHP and the front-end apps) into its .pot, and the test
# fixture's French .mo/.json rebuilt from its .po (GNU gettext, which `make deps` installs).
pot:
	scripts/make-pot.sh

# What a site owner installs (scripts/dist.sh): no Rust or Node needed on their server.
dist: build
	scripts/dist.sh

# scripts/stack.sh up demo also runs scripts/demo-setup.php (login mode custom, a branded default Login
# Profile with every sign-in method) and seeds the demo user in the emulator; idempotent.
demo: deps build
	STACK_SKIP_BUILD=1 scripts/stack.sh up demo

stop:
	scripts/stack.sh down all

status:
	scripts/stack.sh status

test: deps lint unit e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	scripts/stubs.sh check
	scripts/php-lint.sh

# Built first, then run under a time limit: a test that hangs fails the target instead of using up
# CI's whole budget.
unit:
	cargo test --workspace --no-run
	timeout --kill-after=30 1200 cargo test --workspace

# Starts a fresh test instance, runs every end-to-end suite, stops the instance (even on failure).
# PYTEST_ARGS is passed to pytest, e.g. make e2e PYTEST_ARGS="-k webhook -x".
e2e: build
	STACK_SKIP_BUILD=1 scripts/e2e.sh $(PYTEST_ARGS)

bench: build
	@if [[ -x scripts/bench.sh ]]; then scripts/bench.sh; else echo "no benchmarks yet (scripts/bench.sh)"; fi

# The fault suites at full length (every sign-in step slow beyond the timeout, more workers
# killed, more database outages) on a fresh test instance; too long for `make test`.
soak: build
	FAULTS_SOAK=1 STACK_SKIP_BUILD=1 scripts/e2e.sh -k test_faults $(PYTEST_ARGS)
