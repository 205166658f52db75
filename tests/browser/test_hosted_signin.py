"""Issue 11: signing in through every entry point of the hosted login, in a real browser.

The entry points (php-shim/src/SignIn/Hosted/Entry.php, LoginShortcode.php): wp-login.php taken over by
the default profile in the `custom` login mode, a profile's own path, and the `[workos:login]` shortcode
inside a page. On each: sign-in by password, by emailed code (read from the emulator) and with a social
provider (the emulator's authorize stand-in page). Also: a method the profile does not offer is refused,
the routing rules choose the profile, keyboard-only sign-in, axe, and screenshots at WIDTHS.
The API behind the shell (/wp-json/workos/v1/auth/*) is tests/e2e/test_auth_api.py's and
tests/browser/test_login_shell_live.py's; here it is driven only as a visitor would.
"""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_workos_user
from conftest import REPO, WIDTHS

PASSWORD = "Passw0rd!-hosted"
# Chromium logs every 4xx answer of fetch(); the refusals these tests provoke are expected.
REFUSALS = [r"Failed to load resource: .* \(http://[^ ]+/wp-json/workos/v1/auth/"]
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
RESET_DEFAULT = """
    $d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
    WorkOS_WP\\Profiles\\ProfileRepository::save(WorkOS_WP\\Profiles\\ProfileRepository::seed(), $d->get_id());
    delete_option('workos_profile_routing_rules');
    return true;
"""
ENTRIES = ("wp-login", "custom-path", "shortcode")
TARGET = "/?signed-in=1"


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    if not (REPO / "php-shim" / "js" / "login" / "build" / "index.js").is_file():
        subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def hosted_site(wp_eval, wp_settings):
    """The hosted login on (custom mode), answers without the anti-enumeration floor's wait, no limits hit."""
    wp_settings(login_mode="custom", allow_password_fallback=True)
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)


@pytest.fixture
def profile(wp_eval):
    """profile(methods, **fields) -> a saved Login Profile (deleted after the test)."""
    made: list[int] = []

    def _make(methods, **fields) -> dict:
        data = {"slug": "hosted-" + uuid.uuid4().hex[:8], "title": "Hosted test", "methods": list(methods)}
        data.update(fields)
        saved = wp_eval("""$p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return $p->to_array();""", data)
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


@pytest.fixture
def page_with(wp_eval):
    """page_with(content) -> path of a published page with that content (deleted after the test)."""
    made: list[int] = []

    def _make(content: str) -> str:
        pid = wp_eval("return wp_insert_post(['post_type' => 'page', 'post_status' => 'publish',"
                      " 'post_title' => 'Members ' . $args[1], 'post_content' => $args[0]]);",
                      [content, uuid.uuid4().hex[:6]])
        made.append(pid)
        return "/" + wp_eval("return get_permalink($args);", pid).split("/", 3)[3]

    yield _make
    for pid in made:
        wp_eval("wp_delete_post($args, true); return true;", pid)


@pytest.fixture
def entry(wp_eval, profile, page_with):
    """entry(kind, methods, **fields) -> (URL path of the login page, profile slug) for one entry point:
    wp-login.php (the default profile made to offer `methods`), a profile's own path, or a page with
    the shortcode. Each asks to land on TARGET after signing in."""

    def _make(kind: str, methods, **fields) -> tuple[str, str]:
        branding = {"heading": f"Sign in ({kind})", "subheading": "Members of the test site"}
        if kind == "wp-login":
            data = {"slug": "default", "title": "Default Login", "methods": list(methods), "branding": branding}
            data.update(fields)
            wp_eval("""$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
                $p = WorkOS_WP\\Profiles\\ProfileRepository::save($args, $d->get_id());
                if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return true;""", data)
            return "/wp-login.php?redirect_to=" + quote(TARGET, safe=""), "default"
        if kind == "custom-path":
            path = "members-" + uuid.uuid4().hex[:6]
            p = profile(methods, custom_path=path, branding=dict(branding, primary_color="#3858e9"), **fields)
            return f"/{path}/?redirect_to=" + quote(TARGET, safe=""), p["slug"]
        p = profile(methods, branding=branding, **fields)
        return page_with(f'<p>Members, sign in below.</p>[workos:login profile="{p["slug"]}" redirect_to="{TARGET}"]'), p["slug"]

    return _make


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def hydrated(page) -> None:
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def focused(page, element_id: str) -> None:
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{element_id}'",
                           timeout=5000)


def step(page, selector: str) -> None:
    """Waits for the shell's next step; fails with the shell's own message when it shows one instead."""
    page.wait_for_function(
        "(sel) => document.querySelector(sel) || document.getElementById('wa-error').textContent.length > 0",
        arg=selector, timeout=20000)
    assert page.locator(selector).count() == 1, "the shell said: " + page.locator("#wa-error").inner_text()


def error_text(page) -> str:
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0", timeout=10000)
    return page.locator("#wa-error").inner_text()


def signed_in(page) -> bool:
    return any(c["name"].startswith("wordpress_logged_in_") for c in page.context.cookies())


def latest_code(emulator_url: str, kind: str, email: str) -> str:
    r = requests.get(f"{emulator_url}/__emulator/{kind}", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["code"]


def shown_profile(page) -> str:
    return page.evaluate("() => JSON.parse(document.getElementById('workos-authkit-root').dataset.profile).slug")


def landed(page, wp_url: str) -> None:
    assert page.url == wp_url + TARGET, page.url
    assert signed_in(page)


# --- every entry point × every method -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ENTRIES)
def test_password_sign_in(kind, visitor_page, entry, emulator_url, wp_url, shot, axe):
    url, slug = entry(kind, ["password", "magic_code", "oauth_google"])
    email = unique_email("pw")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(allow_console=REFUSALS)
    page.goto(url)
    hydrated(page)
    assert shown_profile(page) == slug
    assert f"Sign in ({kind})" in page.locator(".wa-heading").inner_text()
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.fill("#wa-password", "not-the-password")
    page.keyboard.press("Enter")
    assert "incorrect" in error_text(page)
    assert not signed_in(page)
    page.fill("#wa-password", PASSWORD)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    landed(page, wp_url)


@pytest.mark.parametrize("kind", ENTRIES)
def test_magic_code_sign_in(kind, visitor_page, entry, emulator_url, wp_url):
    url, slug = entry(kind, ["magic_code"])
    email = unique_email("code")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(390)
    page.goto(url)
    hydrated(page)
    assert shown_profile(page) == slug
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")  # a code-only profile sends the code straight away
    step(page, "#wa-code")
    page.fill("#wa-code", latest_code(emulator_url, "magic_auth", email))
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    landed(page, wp_url)


@pytest.mark.parametrize("kind", ENTRIES)
def test_social_sign_in(kind, visitor_page, entry, emulator_url, wp_url):
    url, slug = entry(kind, ["password", "oauth_github"])
    page = visitor_page()
    page.goto(url)
    hydrated(page)
    assert shown_profile(page) == slug
    page.get_by_role("button", name="Continue with GitHub").click()
    # The emulator's stand-in for GitHub.
    page.wait_for_url(emulator_url + "/user_management/authorize*")
    page.fill("input[name=email]", unique_email("gh"))
    with page.expect_navigation(url=lambda u: u.startswith(wp_url) and u.endswith(TARGET)):
        page.get_by_role("button", name="Continue").click()
    landed(page, wp_url)


# --- what a profile does not offer, routing, keyboard ---------------------------------------------------


@pytest.mark.parametrize("kind", ("custom-path", "shortcode"))
def test_a_method_the_profile_lacks_is_refused(kind, visitor_page, entry, emulator_url):
    url, slug = entry(kind, ["password"])
    email = unique_email("nocode")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page(allow_console=REFUSALS)
    page.goto(url)
    hydrated(page)
    assert page.locator("[data-provider]").count() == 0
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    page.wait_for_selector("#wa-password")
    assert page.get_by_role("button", name="Email me a sign-in code instead").count() == 0
    # A hand-made request from this very page is refused by the server, the code and the provider alike.
    got = page.evaluate("""async ([slug, email]) => {
        const n = await (await fetch('/wp-json/workos/v1/auth/nonce?profile=' + slug)).json();
        const send = await fetch('/wp-json/workos/v1/auth/magic/send', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-WorkOS-Nonce': n.nonce},
            body: JSON.stringify({profile: slug, email})});
        const oauth = await fetch('/wp-json/workos/v1/auth/oauth/authorize-url?profile=' + slug + '&provider=oauth_google');
        return [send.status, (await send.json()).code, oauth.status, (await oauth.json()).code]; }""", [slug, email])
    assert got == [400, "workos_authkit_method_disabled", 400, "workos_authkit_method_disabled"], got


def test_routing_rules_choose_the_profile(visitor_page, profile, wp_eval, emulator_url, wp_url, shot):
    shop = profile(["password"], title="Shop", branding={"heading": "Sign in to the shop", "primary_color": "#008a20"})
    path = "team-" + uuid.uuid4().hex[:6]
    team = profile(["magic_code"], title="Team", custom_path=path, branding={"heading": "Team sign-in"})
    rules = [{"profile": shop["slug"], "matcher": {"type": "redirect_to", "value": "/shop/*"}},
             {"profile": team["slug"], "matcher": {"type": "redirect_to", "value": "/team/*"}}]
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::set_rules($args);", rules)
    page = visitor_page()
    # A redirect_to under /shop/: the shop's profile on wp-login.php itself.
    page.goto("/wp-login.php?redirect_to=" + quote(wp_url + "/shop/cart/", safe=""))
    hydrated(page)
    assert shown_profile(page) == shop["slug"] and "/wp-login.php" in page.url
    assert page.locator(".wa-heading").inner_text() == "Sign in to the shop"
    shot(page, "routing-shop-1440")
    # Under /team/: that profile has its own path, so the browser is sent there, the query kept.
    page.goto("/wp-login.php?redirect_to=" + quote(wp_url + "/team/board/", safe="") + "&utm_source=mail")
    hydrated(page)
    assert page.url.startswith(f"{wp_url}/{path}/?redirect_to=") and "utm_source=mail" in page.url
    assert shown_profile(page) == team["slug"]
    # Anything else: the default profile.
    page.goto("/wp-login.php?redirect_to=" + quote(wp_url + "/blog/", safe=""))
    hydrated(page)
    assert shown_profile(page) == "default"
    # Signing in through the routed profile lands where the visitor was going.
    email = unique_email("shop")
    create_workos_user(emulator_url, email, PASSWORD)
    page.goto("/wp-login.php?redirect_to=" + quote(wp_url + "/shop/?cart=1", safe=""))
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    page.fill("#wa-password", PASSWORD)
    with page.expect_navigation(url=lambda u: "/shop/" in u):
        page.keyboard.press("Enter")
    assert page.url == wp_url + "/shop/?cart=1" and signed_in(page)


def test_keyboard_only_sign_in_on_wp_login(visitor_page, entry, emulator_url, wp_url, shot):
    url, _ = entry("wp-login", ["password", "magic_code", "oauth_google"])
    email = unique_email("kbd")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page()
    page.goto(url)
    hydrated(page)
    page.keyboard.press("Tab")
    focused(page, "wa-email")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    focused(page, "wa-password")
    page.keyboard.type(PASSWORD)
    shot(page, "keyboard-password-1440")
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    landed(page, wp_url)


def test_signed_in_visitors_go_on_or_read_who_they_are(admin_page, entry, wp_url, shot):
    url, _ = entry("custom-path", ["password"])
    page = admin_page()
    page.goto(url)
    assert page.url == wp_url + TARGET  # the page sends a signed-in visitor on
    url, _ = entry("shortcode", ["password"])
    page.goto(url)
    notice = page.locator(".workos-login-signed-in")
    assert "already signed in as" in notice.inner_text()
    shot(page, "shortcode-signed-in-1440")
    with page.expect_navigation():
        notice.get_by_role("link", name="Continue").click()
    assert page.url == wp_url + TARGET


# --- how each entry point looks -------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ENTRIES)
def test_entry_points_look_right(kind, width, visitor_page, entry, shot, axe):
    url, slug = entry(kind, ["password", "magic_code", "oauth_google", "oauth_github"])
    page = visitor_page(width)
    page.goto(url)
    hydrated(page)
    assert shown_profile(page) == slug
    card = page.locator(".wa-card").bounding_box()
    viewport = page.viewport_size
    # The card fits the screen, with room around it, at a phone's width too.
    assert card and card["x"] >= 0 and card["x"] + card["width"] <= viewport["width"]
    assert card["width"] <= 480, card
    if kind != "shortcode":
        # A page of its own: the card centred.
        assert abs((card["x"] + card["width"] / 2) - viewport["width"] / 2) < 24, card
    shot(page, f"{kind}-{width}")
    axe(page)


def test_forwarded_campaign_tags_reach_the_destination(visitor_page, profile, emulator_url, wp_url):
    path = "offer-" + uuid.uuid4().hex[:6]
    profile(["password"], custom_path=path, forward_query_args=True)
    email = unique_email("fwd")
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page()
    page.goto(f"/{path}/?redirect_to=" + quote(TARGET, safe="") + "&utm_source=mail&utm_campaign=fall&workos_x=1&foo=bar")
    hydrated(page)
    page.fill("#wa-email", email)
    page.keyboard.press("Enter")
    step(page, "#wa-password")
    page.fill("#wa-password", PASSWORD)
    with page.expect_navigation(url=lambda u: "signed-in=1" in u):
        page.keyboard.press("Enter")
    # Only the allow-listed arguments came along.
    assert page.url == wp_url + TARGET + "&utm_source=mail&utm_campaign=fall", page.url
    assert signed_in(page)
