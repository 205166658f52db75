"""Fixtures for end-to-end tests against the running "test" stack instance.

The stack is started by `scripts/stack.sh up test` (or `make test`, which also stops it), and
describes itself in .run/test/env.json: WordPress behind nginx + php-fpm with the extension
(WP_URL), the same site on PHP's built-in server without the extension (NOEXT_URL), the WorkOS
emulator (EMULATOR_URL) and the values the plugin is configured with (API_KEY, CLIENT_ID,
WEBHOOK_SECRET), the database (DB_*) and the admin login (ADMIN_USER, ADMIN_PASSWORD).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
from typing import Any, Callable
from urllib.parse import urljoin

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
INSTANCE = os.environ.get("WORKOS_STACK_INSTANCE", "test")
ENV_FILE = REPO / ".run" / INSTANCE / "env.json"
DEFAULT_TIMEOUT = 30


class StackSession(requests.Session):
    """A requests.Session that resolves relative URLs against a base URL and always has a timeout."""

    def __init__(self, base_url: str = "") -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.headers["User-Agent"] = "workos-e2e"

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        if self.base_url and not url.startswith(("http://", "https://")):
            url = urljoin(self.base_url, url.lstrip("/"))
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture(scope="session")
def env() -> dict[str, str]:
    """The test instance's settings (.run/test/env.json); fails clearly when the stack is down."""
    if not ENV_FILE.is_file():
        pytest.fail(
            f"{ENV_FILE} not found: the {INSTANCE} stack is not up. "
            f"Start it with `scripts/stack.sh up {INSTANCE}` (or run everything with `make test`).",
            pytrace=False,
        )
    data = json.loads(ENV_FILE.read_text())
    try:
        requests.get(data["WP_URL"] + "/", timeout=10)
    except requests.RequestException as exc:
        pytest.fail(
            f"{ENV_FILE} exists but WordPress at {data['WP_URL']} does not answer ({exc}). "
            f"Restart the stack with `scripts/stack.sh up {INSTANCE}`.",
            pytrace=False,
        )
    return data


@pytest.fixture(scope="session")
def wp_url(env) -> str:
    """WordPress through nginx + php-fpm with the workos extension, e.g. http://127.0.0.1:8180."""
    return env["WP_URL"]


@pytest.fixture(scope="session")
def noext_url(env) -> str:
    """The same WordPress on PHP's built-in server, without the extension."""
    if not env.get("NOEXT_URL"):
        pytest.skip("this instance has no no-extension server")
    return env["NOEXT_URL"]


@pytest.fixture(scope="session")
def emulator_url(env) -> str:
    """The WorkOS emulator the plugin talks to."""
    if not env.get("EMULATOR_URL"):
        pytest.skip("this instance uses the real WorkOS API, not the emulator")
    return env["EMULATOR_URL"]


@pytest.fixture(scope="session")
def admin_credentials(env) -> tuple[str, str]:
    return env["ADMIN_USER"], env["ADMIN_PASSWORD"]


def run_wp_php(env: dict[str, str], code: str, args: Any = None, extension: bool = True) -> Any:
    """Runs `code` inside WordPress (tests/wp/eval.php) and returns its JSON-decoded return value."""
    cmd = [env["PHP_BIN"]]
    if extension:
        cmd += ["-d", "extension=" + env["EXTENSION_PATH"]]
    cmd.append(str(REPO / "tests" / "wp" / "eval.php"))
    proc_env = dict(os.environ)
    proc_env.update(
        WORKOS_STACK_INSTANCE=env["INSTANCE"],
        WP_URL=env["WP_URL"],
        WP_EVAL_ARGS=json.dumps(args),
    )
    proc = subprocess.run(
        cmd, input=code, capture_output=True, text=True, env=proc_env, timeout=120, check=False
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"wp_eval failed (exit {proc.returncode}):\n{proc.stderr.strip()}\n--- code ---\n{code}"
        )
    out = proc.stdout.strip()
    try:
        return json.loads(out)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"wp_eval printed no JSON: {out!r}\n{proc.stderr}") from exc


@pytest.fixture(scope="session")
def wp_eval(env) -> Callable[..., Any]:
    """wp_eval(code, args=None, extension=True) -> value.

    Runs PHP `code` (which should `return` something) inside the test WordPress from the command
    line and returns the JSON-decoded result. `args` is JSON-encoded and available as `$args`.
    WordPress globals ($wpdb, …) are in scope. With extension=False the extension is not loaded.
    """

    def _eval(code: str, args: Any = None, extension: bool = True) -> Any:
        return run_wp_php(env, code, args=args, extension=extension)

    return _eval


@pytest.fixture
def hook(wp_url, env) -> Callable[..., dict]:
    """Delivers a signed WorkOS event to the site's webhook route; it must be accepted."""
    from webhooks import deliver, envelope

    def _send(kind, data, **kw):
        r = deliver(wp_url, env["WEBHOOK_SECRET"], envelope(kind, data, **kw))
        assert r.status_code == 200, r.text
        return r.json()
    return _send


@pytest.fixture
def emulator_reset(emulator_url) -> Callable[[], None]:
    """Resets the emulator's state before the test; call the returned function to reset again."""

    def _reset() -> None:
        r = requests.post(emulator_url + "/__emulator/reset", timeout=DEFAULT_TIMEOUT)
        assert r.status_code < 300, f"emulator reset failed: HTTP {r.status_code} {r.text[:300]}"

    _reset()
    return _reset


@pytest.fixture
def session_factory() -> Callable[..., StackSession]:
    """session_factory(base_url="") -> a fresh StackSession (cookie jar of its own).

    Relative URLs resolve against base_url; every request has a default timeout.
    """
    sessions: list[StackSession] = []

    def _make(base_url: str = "") -> StackSession:
        s = StackSession(base_url)
        sessions.append(s)
        return s

    yield _make
    for s in sessions:
        s.close()


@pytest.fixture
def native_login() -> Callable[..., requests.Response]:
    """native_login(session, base_url, user, password) -> the response to WordPress's own login form.

    Posts wp-login.php with the test cookie, as a browser does, without following the redirect.
    """

    def _login(session: requests.Session, base_url: str, user: str, password: str) -> requests.Response:
        login = base_url.rstrip("/") + "/wp-login.php"
        session.get(login, params={"fallback": "1"}, timeout=DEFAULT_TIMEOUT)
        host = requests.utils.urlparse(base_url).hostname
        session.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
        return session.post(
            login,
            data={
                "log": user,
                "pwd": password,
                "wp-submit": "Log In",
                "redirect_to": base_url.rstrip("/") + "/wp-admin/",
                "testcookie": "1",
            },
            allow_redirects=False,
            timeout=DEFAULT_TIMEOUT,
        )

    return _login


@pytest.fixture
def wp_settings(wp_eval) -> Callable[..., None]:
    """wp_settings(key=value, ...) changes the plugin's settings for one test; None removes a key.

    Everything is put back as it was when the test ends.
    """
    saved = wp_eval("return get_option('workos_settings', []);")

    def _set(**overrides: Any) -> None:
        wp_eval(
            """
            $o = get_option('workos_settings', []);
            foreach ($args as $k => $v) { if (null === $v) { unset($o[$k]); } else { $o[$k] = $v; } }
            update_option('workos_settings', $o);
            return true;
            """,
            overrides,
        )

    yield _set
    wp_eval("update_option('workos_settings', $args ?: []); return true;", saved)


@pytest.fixture
def wp_user(wp_eval) -> Callable[..., dict]:
    """wp_user(login, email, password, role='subscriber', workos_id=None) -> {id, login, email}: a WordPress user."""
    created: list[int] = []

    def _make(login: str, email: str, password: str, role: str = "subscriber", workos_id: str | None = None) -> dict:
        uid = wp_eval(
            """
            $id = wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'],
                'user_pass' => $args['password'], 'role' => $args['role']]);
            if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }
            if ($args['workos_id']) { update_user_meta($id, '_workos_user_id', $args['workos_id']); }
            return $id;
            """,
            {"login": login, "email": email, "password": password, "role": role, "workos_id": workos_id},
        )
        created.append(uid)
        return {"id": uid, "login": login, "email": email}

    yield _make
    if created:
        wp_eval("require_once ABSPATH . 'wp-admin/includes/user.php'; foreach ($args as $id) { wp_delete_user($id); } return true;", created)
