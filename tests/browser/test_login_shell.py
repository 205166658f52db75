"""The hosted login's shell (issue 11): the server-rendered card, the React app that hydrates it
(php-shim/js/login, built by scripts/js-build.sh) and its REST client, in Chromium at desktop and
phone widths. The shell is shown through the test instance's mu-plugin
(tests/wp/mu-plugins/workos-shell-preview.php, `/?workos_shell_preview={preset}`) until the real
route `/workos/login/{profile}` exists. These tests answer the auth REST routes with Playwright, to
pin the client's contract (nonce first, then JSON POSTs carrying `profile` and X-WorkOS-Nonce;
WordPress REST errors shown in the alert region); test_login_shell_live.py drives the real routes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import requests
from conftest import REPO, WIDTHS

BUILD = REPO / "php-shim" / "js" / "login" / "build"
SHELL = "/?workos_shell_preview=default"
AUTH = "**/wp-json/workos/v1/auth/**"
# Chromium logs every 4xx answer of fetch(); the refusals these tests serve on purpose are expected.
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]
# The first form's elements, compared before and after hydration.
FIRST_FORM = ["#wa-heading", "label[for=wa-email]", "#wa-email", ".wa-button-primary",
              "[data-provider=oauth_google]"]


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    """The app is built by make build; building here too (a no-op when up to date) lets this file
    run alone after `STACK_SKIP_BUILD=1 scripts/e2e.sh`."""
    subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)
    for name in ("index.js", "index.css", "index.asset.php"):
        assert (BUILD / name).is_file(), name


def development_react(page, wp_root: str) -> None:
    """Serve WordPress's development React (as SCRIPT_DEBUG would): it warns about hydration mismatches."""
    vendor = Path(wp_root) / "wp-includes" / "js" / "dist" / "vendor"
    def serve(body: str):
        return lambda route: route.fulfill(status=200, content_type="text/javascript", body=body)

    for name in ("react", "react-dom"):
        page.route(f"**/vendor/{name}.min.js*", serve((vendor / f"{name}.js").read_text()))


def hydrated(page) -> None:
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def boxes(page) -> dict[str, dict]:
    out = {}
    for sel in FIRST_FORM:
        box = page.locator(sel).bounding_box()
        assert box is not None, f"{sel} is not visible"
        out[sel] = {k: round(v, 1) for k, v in box.items()}
    return out


def root_html(page) -> str:
    return page.evaluate("() => document.getElementById('workos-authkit-root').innerHTML")


class FakeAuth:
    """Answers /wp-json/workos/v1/auth/* in place of the real routes (SignIn\\Hosted\\AuthRest)."""

    def __init__(self, page, answers: dict[str, tuple[int, dict]]):
        self.answers = answers
        self.calls: list[dict] = []
        page.route(AUTH, self.handle)

    def handle(self, route) -> None:
        req = route.request
        path = re.sub(r"^.*/wp-json/workos/v1/auth/", "", req.url.split("?")[0])
        body = json.loads(req.post_data) if req.post_data else None
        self.calls.append({"method": req.method, "path": path, "url": req.url,
                           "headers": req.headers, "body": body})
        status, answer = self.answers.get(path, (404, {"code": "rest_no_route", "message": "No route.",
                                                       "data": {"status": 404}}))
        route.fulfill(status=status, content_type="application/json", body=json.dumps(answer))


@pytest.mark.parametrize("width", WIDTHS)
def test_server_markup_is_what_the_app_hydrates(visitor_page, env, shot, axe, width):
    # Without the script: the server-rendered card alone (served empty, as if still loading).
    bare = visitor_page(width)
    bare.route("**/js/login/build/index.js*", lambda r: r.fulfill(status=200, content_type="text/javascript", body=""))
    bare.goto(SHELL)
    before_html, before = root_html(bare), boxes(bare)
    assert bare.locator("#workos-authkit-root").get_attribute("data-hydrated") is None
    shot(bare, f"shell-server-{width}")

    page = visitor_page(width)
    development_react(page, env["WP_ROOT"])
    page.goto(SHELL)
    hydrated(page)
    # Hydration changed nothing: same DOM, same boxes (no layout jump); React's development build
    # reports any mismatch it sees as a console error, which fails the test.
    assert root_html(page) == before_html
    assert boxes(page) == before
    shot(page, f"shell-email-{width}")
    axe(page)
    # One h1, the field labelled, autocomplete for password managers, an alert region.
    assert page.locator("h1").count() == 1
    email = page.get_by_label("Email address")
    assert email.get_attribute("type") == "email" and email.get_attribute("autocomplete") == "username"
    assert page.locator("[role=alert]#wa-error").count() == 1
    card = page.locator(".wa-card").bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= width + 1, card


def test_the_embedded_card_is_a_section_with_an_h2_and_hydrates_unchanged(visitor_page, env):
    """Inside a theme's page (the shortcode) the page owns the main landmark and the h1."""
    url = SHELL + "&embedded=1"
    bare = visitor_page()
    bare.route("**/js/login/build/index.js*", lambda r: r.fulfill(status=200, content_type="text/javascript", body=""))
    bare.goto(url)
    before_html = root_html(bare)
    assert '<section class="wa-card"' in before_html and '<h2 class="wa-heading"' in before_html
    assert "<main" not in before_html and "<h1" not in before_html
    page = visitor_page()
    development_react(page, env["WP_ROOT"])
    page.goto(url)
    hydrated(page)
    assert root_html(page) == before_html


def test_typing_before_hydration_is_kept(visitor_page):
    page = visitor_page()
    held = []
    page.route("**/js/login/build/index.js*", lambda r: held.append(r))
    # The script blocks the parser at the end of <body>: the card above it is already usable.
    page.goto(SHELL, wait_until="commit")
    page.fill("#wa-email", "early@example.com")
    assert held, "the app's script was not requested"
    held[0].continue_()
    hydrated(page)
    assert page.input_value("#wa-email") == "early@example.com"
    page.get_by_role("button", name="Continue", exact=True).click()
    assert page.locator(".wa-identity-email").inner_text() == "early@example.com"


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_only_password_step_and_api_contract(visitor_page, shot, axe, width):
    page = visitor_page(width, allow_console=REFUSALS)
    fake = FakeAuth(page, {
        "nonce": (200, {"nonce": "n0nce-123", "radar_site_key": ""}),
        "password/authenticate": (401, {"code": "workos_authkit_invalid_credentials",
                                        "message": "That email and password do not match.",
                                        "data": {"status": 401}}),
    })
    page.goto(SHELL)
    hydrated(page)
    # Tab order: email, then Continue; the focus ring shows.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "wa-email"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Continue"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"

    # A malformed address is refused in the alert region, tied to the field.
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("not-an-email")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0", timeout=5000)
    assert "valid email" in page.locator("#wa-error").inner_text()
    assert page.get_attribute("#wa-email", "aria-invalid") == "true"
    assert page.get_attribute("#wa-email", "aria-describedby") == "wa-error"
    shot(page, f"shell-email-error-{width}")
    axe(page)

    page.fill("#wa-email", "")
    page.keyboard.type("visitor@example.com")
    page.keyboard.press("Enter")
    # The password step: the keyboard is in its field.
    page.wait_for_selector("#wa-password")
    # React moves the focus in an effect after the step renders: wait for it (fails if it never moves).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-password'", timeout=5000)
    assert page.get_attribute("#wa-password", "autocomplete") == "current-password"
    assert page.locator("h1").count() == 1
    shot(page, f"shell-password-{width}")
    axe(page)

    page.keyboard.type("hunter2!")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0")
    assert page.locator("#wa-error").inner_text() == "That email and password do not match."
    shot(page, f"shell-password-error-{width}")
    axe(page)

    # The contract: the nonce first (GET, with the profile), then a JSON POST with the nonce header.
    assert [(c["method"], c["path"]) for c in fake.calls] == [("GET", "nonce"), ("POST", "password/authenticate")]
    assert "profile=default" in fake.calls[0]["url"]
    post = fake.calls[1]
    assert post["headers"].get("x-workos-nonce") == "n0nce-123"
    assert post["headers"].get("content-type") == "application/json"
    assert post["body"] == {"profile": "default", "email": "visitor@example.com", "password": "hunter2!",
                            "redirect_to": f"{page.url.split('/?')[0]}/wp-admin/"}


def test_magic_code_step_and_sign_in_redirect(visitor_page, shot, axe):
    page = visitor_page()
    fake = FakeAuth(page, {
        "nonce": (200, {"nonce": "n1", "radar_site_key": ""}),
        "magic/send": (200, {"ok": True, "message": "sent"}),
        "magic/verify": (200, {"user": {"id": 7, "email": "m@example.com", "display_name": "M"},
                               "redirect_to": "/?signed-in=1"}),
    })
    page.goto(SHELL)
    hydrated(page)
    page.fill("#wa-email", "m@example.com")
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_role("button", name="Email me a sign-in code instead").click()
    page.wait_for_selector("#wa-code")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-code'", timeout=5000)
    assert page.get_attribute("#wa-code", "autocomplete") == "one-time-code"
    page.wait_for_function("() => document.querySelector('[role=status]').textContent.includes('m@example.com')", timeout=5000)
    shot(page, "shell-code-1440")
    axe(page)
    page.fill("#wa-code", "123456")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/?signed-in=1")
    verify = [c for c in fake.calls if c["path"] == "magic/verify"][0]
    assert verify["body"]["code"] == "123456" and verify["body"]["email"] == "m@example.com"
    assert verify["headers"].get("x-workos-nonce") == "n1"


def test_expired_nonce_is_fetched_again_once(visitor_page):
    page = visitor_page(allow_console=REFUSALS)
    nonces = iter(["old", "new"])
    calls = []

    def handle(route):
        req = route.request
        calls.append((req.method, req.url, req.headers.get("x-workos-nonce")))
        if "/auth/nonce" in req.url:
            route.fulfill(status=200, content_type="application/json", body=json.dumps({"nonce": next(nonces)}))
        elif req.headers.get("x-workos-nonce") == "old":
            route.fulfill(status=403, content_type="application/json", body=json.dumps(
                {"code": "workos_authkit_invalid_nonce", "message": "Expired.", "data": {"status": 403}}))
        else:
            route.fulfill(status=429, content_type="application/json", body=json.dumps(
                {"code": "workos_rate_limited", "message": "raw", "data": {"status": 429, "retry_after": 30}}))

    page.route(AUTH, handle)
    page.goto("/?workos_shell_preview=password")
    hydrated(page)
    # A password-only profile: no code button, no social buttons.
    assert page.locator("[data-provider]").count() == 0
    page.fill("#wa-email", "x@example.com")
    page.keyboard.press("Enter")
    page.fill("#wa-password", "pw")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0")
    assert page.get_by_role("button", name="Email me a sign-in code instead").count() == 0
    assert [c[2] for c in calls if "/auth/password/" in c[1]] == ["old", "new"]
    # 429 becomes a calm, translated message, not the server's raw text.
    assert "Too many attempts" in page.locator("#wa-error").inner_text()


def test_branded_profile(visitor_page, shot, axe):
    page = visitor_page(390)
    page.goto("/?workos_shell_preview=branded")
    hydrated(page)
    shot(page, "shell-branded-390")
    axe(page)
    assert page.locator("h1").inner_text() == "Welcome back, member"
    assert page.locator("body").get_attribute("class") == "workos-authkit-body workos-profile-members"
    assert [b.inner_text() for b in page.locator("[data-provider]").all()] == [
        "Continue with Google", "Continue with Microsoft", "Continue with GitHub", "Continue with Apple"]
    # The profile's colour, with dark text on the light amber (contrast), on the primary button.
    styles = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.wa-button-primary'));
        return [s.backgroundColor, s.color]; }""")
    assert styles == ["rgb(240, 184, 73)", "rgb(30, 30, 30)"]


def test_assets_load_only_on_the_shell_page(env):
    shell = requests.get(env["WP_URL"] + SHELL, timeout=30)
    assert shell.status_code == 200
    assert "/js/login/build/index.js" in shell.text and "/js/login/build/index.css" in shell.text
    assert "id='workos-authkit-js'" in shell.text
    assert "react-jsx-runtime" not in shell.text
    for path in ("/", "/?p=1", "/wp-login.php", "/?workos_shell_preview=unknown"):
        html = requests.get(env["WP_URL"] + path, timeout=30).text
        assert "js/login/build" not in html and "workos-authkit" not in html, path
