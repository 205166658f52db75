"""Fixtures of the browser suite: Debian's Chromium driven by Playwright against the test stack.

Every fixture of tests/e2e/conftest.py (env, wp_eval, wp_settings, wp_user, session_factory,
native_login, emulator_reset, hook, …) is available here too, and so are its helpers
(`run_wp_php`, `REPO`, `INSTANCE`; import them from `e2e_conftest`). Added:

  browser                  (session) one headless Chromium (/usr/bin/chromium) for the whole run
  admin_page(width=1440)   a Page signed in as the stack's administrator (cookies minted inside
                           WordPress, no form login); viewport width×900, 390×844 for phones.
                           Keywords: user="login" (another user), multisite=True (the instance's
                           network, signed in as its super admin), allow_console=[regex, …] or True.
  visitor_page(width=1440) a Page with no cookies (same keywords but user)
  shot(page, name)         full-page PNG in .run/<instance>/screenshots/<test module>/<name>.png,
                           returns its path
  axe(page, allow=())      axe-core scan; raises AxeViolations (an AssertionError) on any serious
                           or critical violation whose rule id is not in `allow` (give the reason
                           in a comment), returns all violations. Known nodes of WordPress core's
                           own markup are dropped first (CORE_NODES).
  WIDTHS = (1440, 390)     for @pytest.mark.parametrize("width", WIDTHS)
  allow_php_log(regex)     a PHP log line this test expects (say why)

Every test also fails when a page it opened printed a PHP error into its HTML, when the stack's
debug.log / php-error.log gained a PHP notice, warning or error during the test (core's PHP 8.2
deprecations aside), or when a page logged a JavaScript console error or threw an uncaught
exception (opt out per page with allow_console=…; a page's own error status and a 4xx answer to a
script's fetch/XHR are not counted). Off-site requests (Gravatar, wordpress.org) are answered
locally, never sent. Contexts are closed after each test.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import sys
from typing import Any, Callable, Iterable

import pytest

_E2E = pathlib.Path(__file__).resolve().parents[1] / "e2e"
# tests/e2e's helper modules (authkit, webhooks, signer, …) import each other by plain name.
if str(_E2E) not in sys.path:
    sys.path.insert(0, str(_E2E))


def _load_e2e_conftest():
    """tests/e2e/conftest.py as the module `e2e_conftest` (pytest names every conftest `conftest`)."""
    if "e2e_conftest" in sys.modules:
        return sys.modules["e2e_conftest"]
    spec = importlib.util.spec_from_file_location("e2e_conftest", _E2E / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["e2e_conftest"] = module
    spec.loader.exec_module(module)
    return module


_e2e = _load_e2e_conftest()
# Re-export every fixture and helper: pytest finds fixtures among a conftest's module attributes.
globals().update({k: v for k, v in vars(_e2e).items() if not k.startswith("_")})
REPO: pathlib.Path = _e2e.REPO
INSTANCE: str = _e2e.INSTANCE
run_wp_php = _e2e.run_wp_php

WIDTHS = (1440, 390)
PHONE_MAX = 600
CHROMIUM = os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
# .run/<instance>/ survives `scripts/stack.sh down` (it only removes env.json and the socket) and
# `up --fresh` (logs, uploads); scripts/e2e.sh empties this folder before the browser suite.
SCREENSHOTS = pathlib.Path(os.environ.get("BROWSER_SCREENSHOTS", REPO / ".run" / INSTANCE / "screenshots"))
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)

# A PHP error printed into a page (display_errors on, or a plugin echoing one).
PHP_IN_HTML = re.compile(
    r"(<b>)?(Fatal error|Parse error|Warning|Notice|Deprecated|Recoverable fatal error)(</b>)?:\s.{0,400}?"
    r"\son line\s(<b>)?\d+",
    re.S,
)
# A PHP problem written to the instance's logs while the test ran.
PHP_IN_LOG = re.compile(r"PHP (Fatal error|Parse error|Warning|Notice|Recoverable fatal error)|WordPress database error")
# PHP 8.2 deprecations of Debian's WordPress core are noise; ours are not.
OUR_DEPRECATION = re.compile(r"PHP Deprecated: .*(/php-shim/|/plugins/workos)")
# The stack is offline (WP_HTTP_BLOCK_EXTERNAL): core's update and news checks warn that they could
# not reach WordPress.org (wp-admin/includes/update.php, wp_version_check and friends).
OFFLINE_NOISE = re.compile(r"could not establish a secure connection to WordPress\.org")
# Off-site requests (Gravatar avatars, wordpress.org images) are answered locally: the machine has
# no network, and a failed avatar would otherwise be a console error on every admin screen.
OFF_SITE = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])[:/])")
# A grey pixel (#c3c4c7) stands in for avatars, so that screenshots show where one would be.
GREY_GIF = bytes.fromhex("47494638396101000100800000c3c4c7ffffff2c00000000010001000002024401003b")

_PROBLEMS = pytest.StashKey[list]()


def _problems(item) -> list[str]:
    if _PROBLEMS not in item.stash:
        item.stash[_PROBLEMS] = []
    return item.stash[_PROBLEMS]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body passes, fail it for what its pages showed (PHP errors, console errors);
    when it failed, show them beside the failure (a 500 page's fatal error is in the log)."""
    try:
        result = yield
    except BaseException:
        _run_checks(item)
        if _problems(item):
            item.add_report_section("call", "browser", "\n".join(_problems(item)))
        raise
    _run_checks(item)
    problems = _problems(item)
    if problems:
        pytest.fail("the browser saw problems:\n  - " + "\n  - ".join(problems), pytrace=False)
    return result


def _run_checks(item) -> None:
    for check in getattr(item, "_browser_checks", []):
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - a check must not hide the test's own outcome
            _problems(item).append(f"browser check failed: {exc!r}")


# ---------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's /usr/bin/chromium, no Playwright download)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run scripts/deps.sh (Debian package chromium)", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Python package playwright missing: run scripts/deps.sh", pytrace=False)
    args = ["--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars", "--font-render-hinting=none"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    yield b
    b.close()
    pw.stop()


def _log_files(env: dict[str, str]) -> list[pathlib.Path]:
    files = []
    for inst in filter(None, (env.get("INSTANCE"), env.get("MS_INSTANCE"))):
        for name in ("debug.log", "php-error.log"):
            files.append(REPO / ".run" / inst / name)
    return files


@pytest.fixture
def _php_log_watch(request, env):
    """Fails the test when the instance's PHP logs gained a notice, warning or error while it ran."""
    files = _log_files(env)
    start = {f: (f.stat().st_size if f.exists() else 0) for f in files}
    allowed: list[re.Pattern] = []

    def _check() -> None:
        for f in files:
            if not f.exists():
                continue
            size = f.stat().st_size
            offset = start[f] if size >= start[f] else 0
            with f.open("rb") as fh:
                fh.seek(offset)
                text = fh.read().decode("utf-8", "replace")
            start[f] = size
            for line in text.splitlines():
                if not (PHP_IN_LOG.search(line) or OUR_DEPRECATION.search(line)):
                    continue
                if OFFLINE_NOISE.search(line) or any(p.search(line) for p in allowed):
                    continue
                _problems(request.node).append(f"PHP logged in {f.relative_to(REPO)}: {line.strip()[:400]}")

    request.node._browser_checks = getattr(request.node, "_browser_checks", []) + [_check]
    return allowed


class _PageFactory:
    """Makes Pages in fresh contexts, watches them, closes them all after the test."""

    def __init__(self, browser, request, env, log_allow: list):
        self.browser = browser
        self.request = request
        self.env = env
        self.log_allow = log_allow
        self.contexts = []
        self.pages = []
        request.node._browser_checks = getattr(request.node, "_browser_checks", []) + [self.check]

    def site(self, multisite: bool) -> dict[str, str]:
        if not multisite:
            return self.env
        if not self.env.get("MS_URL"):
            pytest.skip("this instance serves no multisite network")
        return dict(self.env, INSTANCE=self.env["MS_INSTANCE"], WP_URL=self.env["MS_URL"])

    def make(self, width: int, cookies: Iterable[tuple[str, str]], url: str, allow_console: Any = ()):
        phone = width < PHONE_MAX
        options: dict[str, Any] = {"viewport": {"width": width, "height": 844 if phone else 900}, "base_url": url}
        if phone:
            options.update(is_mobile=True, has_touch=True, user_agent=PHONE_UA)
        ctx = self.browser.new_context(**options)
        self.contexts.append(ctx)
        ctx.route(OFF_SITE, _answer_off_site)
        cookies = list(cookies)
        if cookies:
            ctx.add_cookies([{"name": n, "value": v, "url": url} for n, v in cookies])
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.console_errors = []  # type: ignore[attr-defined]
        if allow_console is True:
            page.allow_console = [re.compile(".")]  # type: ignore[attr-defined]
        else:
            page.allow_console = [re.compile(p) for p in allow_console]  # type: ignore[attr-defined]

        # Chromium logs every answer with an error status as a console error "Failed to load
        # resource". Not script errors: a page's own status (a code form's 400), which the test
        # checks, and a 4xx answer to a script's fetch/XHR (an API refusal the script handles).
        # Still errors: a missing script, stylesheet, image or font, and any 5xx to a script.
        answered: set[str] = set()

        def on_response(r) -> None:
            kind = r.request.resource_type
            if kind == "document" or (kind in ("fetch", "xhr") and 400 <= r.status < 500):
                answered.add(r.url)

        page.on("response", on_response)

        def on_console(msg) -> None:
            if msg.type == "error":
                loc = msg.location or {}
                if msg.text.startswith("Failed to load resource") and loc.get("url") in answered:
                    return
                where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
                page.console_errors.append(f"console error on {page.url}: {msg.text}{where}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: page.console_errors.append(f"uncaught JS exception on {page.url}: {exc}"))
        self.pages.append(page)
        return page

    def check(self) -> None:
        problems = _problems(self.request.node)
        for page in self.pages:
            for err in page.console_errors:
                if not any(p.search(err) for p in page.allow_console):
                    problems.append(err)
            if not page.is_closed():
                problems.extend(php_errors_in(page))

    def close(self) -> None:
        for ctx in self.contexts:
            try:
                ctx.close()
            except Exception:  # noqa: BLE001 - the browser may already be gone
                pass


def _answer_off_site(route) -> None:
    """An off-site request gets an empty answer (a grey pixel for images), never the network."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, content_type="image/gif", body=GREY_GIF)
    else:
        route.fulfill(status=204, body="")


def php_errors_in(page) -> list[str]:
    """PHP errors printed into the page's current HTML."""
    try:
        html = page.content()
    except Exception:  # noqa: BLE001 - a page mid-navigation has no content to read
        return []
    return [f"PHP error in the HTML of {page.url}: {re.sub(r'<[^>]+>', '', m.group(0))[:400]}"
            for m in PHP_IN_HTML.finditer(html)]


_COOKIES: dict[tuple[str, str], list[tuple[str, str]]] = {}


def _admin_cookies(env: dict[str, str], login: str) -> list[tuple[str, str]]:
    """Auth cookies of `login`, minted once per run (booting WordPress on the CLI takes a second or two)."""
    key = (env["WP_URL"], login)
    if key not in _COOKIES:
        _COOKIES[key] = run_wp_php(
            env,
            """
            $u = get_user_by('login', $args);
            if (!$u) { throw new Exception('no such user: ' . $args); }
            $exp = time() + 12 * HOUR_IN_SECONDS;
            return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                    [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            login,
        )
    return _COOKIES[key]


@pytest.fixture
def admin_page(browser, request, env, _php_log_watch) -> Callable[..., Any]:
    """admin_page(width=1440, *, user=None, multisite=False, allow_console=()) -> a signed-in Page.

    The page's base_url is the site, so `page.goto("/wp-admin/…")` works.
    """
    factory = _PageFactory(browser, request, env, _php_log_watch)

    def _make(width: int = 1440, *, user: str | None = None, multisite: bool = False, allow_console: Any = ()):
        site = factory.site(multisite)
        cookies = _admin_cookies(site, user or env["ADMIN_USER"])
        return factory.make(width, cookies, site["WP_URL"], allow_console)

    yield _make
    factory.close()


@pytest.fixture
def visitor_page(browser, request, env, _php_log_watch) -> Callable[..., Any]:
    """visitor_page(width=1440, *, multisite=False, allow_console=()) -> a Page with no cookies."""
    factory = _PageFactory(browser, request, env, _php_log_watch)

    def _make(width: int = 1440, *, multisite: bool = False, allow_console: Any = ()):
        return factory.make(width, (), factory.site(multisite)["WP_URL"], allow_console)

    yield _make
    factory.close()


@pytest.fixture
def allow_php_log(_php_log_watch) -> Callable[[str], None]:
    """allow_php_log(regex): a PHP log line this test expects (say why where you call it)."""
    return lambda pattern: _php_log_watch.append(re.compile(pattern))


@pytest.fixture
def shot(request) -> Callable[..., pathlib.Path]:
    """shot(page, name) -> path of a full-page PNG under .run/<instance>/screenshots/<module>/."""
    folder = SCREENSHOTS / request.node.path.stem

    def _shot(page, name: str) -> pathlib.Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + ".png")
        _problems(request.node).extend(php_errors_in(page))
        # From the top: a page scrolled (by a click) draws its fixed admin bar mid-picture.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    return _shot


# Elements of WordPress core's own admin markup that fail a rule; their nodes are dropped from the
# results (the rest of the rule still counts). Each proven in /usr/share/wordpress (WordPress 6.1):
CORE_NODES: dict[str, tuple[str, ...]] = {
    # wp-admin/menu-header.php: <button id="collapse-button" aria-label="Collapse Main menu"> whose
    # visible text is "Collapse menu" (shown at desktop widths only).
    "label-content-name-mismatch": ("#collapse-button",),
}


def _without_core_nodes(violations: list[dict]) -> list[dict]:
    kept = []
    for v in violations:
        core = CORE_NODES.get(v["id"], ())
        nodes = [n for n in v.get("nodes", []) if " ".join(map(str, n.get("target", []))) not in core]
        if nodes:
            kept.append(dict(v, nodes=nodes))
    return kept


class AxeViolations(AssertionError):
    """Serious or critical axe-core violations (xfail(raises=AxeViolations) pins a known one)."""


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])]
        shown = "; ".join(targets[:3]) + (f"; … (+{len(targets) - 3})" if len(targets) > 3 else "")
        lines.append(f"{v['id']} [{v.get('impact')}] {v.get('help')} — {len(targets)} element(s): {shown}")
    return "\n  ".join(lines)


@pytest.fixture
def axe(request) -> Callable[..., list[dict]]:
    """axe(page, allow=()) -> violations; fails on serious/critical ones not in `allow`."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: run scripts/deps.sh (npm axe-core)", pytrace=False)

    def _axe(page, allow: Iterable[str] = ()) -> list[dict]:
        __tracebackhide__ = True
        allow = set(allow)
        _problems(request.node).extend(php_errors_in(page))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        violations = _without_core_nodes(violations)
        bad = [v for v in violations if v.get("impact") in ("serious", "critical") and v["id"] not in allow]
        if bad:
            raise AxeViolations(f"axe: {len(bad)} serious/critical violation(s) on {page.url}:\n  "
                                + format_violations(bad))
        return violations

    return _axe
