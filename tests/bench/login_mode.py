"""The stored login mode of the bench's instance, set for one benchmark and put back (login_shell.py, page_view.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from conftest import run_wp_php  # noqa: E402


def stored(env: dict) -> str | None:
    """The stored login mode (None: none is stored, the default applies)."""
    return run_wp_php(env, "$o = get_option('workos_settings', []); return is_array($o) ? ($o['login_mode'] ?? null) : null;")


def set_login_mode(env: dict, mode: str | None) -> str | None:
    """Stores `mode` (None: removes it); answers the one it replaced."""
    return run_wp_php(env, """
        $o = get_option('workos_settings', []);
        $o = is_array($o) ? $o : [];
        $was = $o['login_mode'] ?? null;
        if (null === $args) { unset($o['login_mode']); } else { $o['login_mode'] = $args; }
        update_option('workos_settings', $o);
        return $was;
    """, args=mode)
