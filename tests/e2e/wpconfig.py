"""wp_config(env, lines): PHP lines (constants) added to this instance's wp-config.php for a block.

php-fpm and the CLI (wp_eval) both read .run/<instance>/wp-config.php, and opcache revalidates it
on every request (opcache.revalidate_freq=0), so the constants apply to the next request. The file
is put back as it was afterwards; `scripts/stack.sh up` rewrites it anyway."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def wp_config(env, lines: str):
    config = Path(env["RUN_DIR"]) / "wp-config.php"
    original = config.read_text()
    stamp = config.stat().st_mtime
    config.write_text(original.rstrip() + "\n// added by a test (tests/e2e/wpconfig.py)\n" + lines.strip() + "\n")
    # A distinct modification time, so opcache sees the change even within the same second.
    os.utime(config, (time.time(), stamp + 2))
    try:
        yield
    finally:
        config.write_text(original)
        os.utime(config, (time.time(), stamp + 4))
