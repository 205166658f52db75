"""The hosted login's frame (issue 12): the ten named slots other plugins fill (REFERENCE-API §8.1) — shown with
the example plugin tests/wp/plugins/authkit-slot-example (belowCard, afterPrimaryAction, a login_form hook) —
Radar's SDK and action token when a site key is set, and a French translation of the shell, from the PHP
(.mo, the server-rendered card) and from the script (the JSON file wp_set_script_translations() reads).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from authkit import create_workos_user
from conftest import REPO, WIDTHS

PASSWORD = "Passw0rd!-frame"
PLUGIN = "authkit-slot-example/authkit-slot-example.php"
SLOTS = [
    "workos.authkit.beforeHeader", "workos.authkit.afterHeader", "workos.authkit.beforeForm",
    "workos.authkit.afterForm", "workos.authkit.afterPrimaryAction", "workos.authkit.beforeFooter",
    "workos.authkit.afterFooter", "workos.authkit.belowCard", "workos.authkit.methodPicker.beforeMethods",
    "workos.authkit.methodPicker.afterMethods",
]
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
# A stand-in for Radar's SDK (the browser never leaves the machine): it answers a token per action.
FAKE_RADAR = "window.WorkOSRadar = { getActionToken: async (action) => 'browser-token.' + action };"


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def fast_floor(wp_eval):
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    made: list[int] = []

    def _make(methods=("password", "oauth_google"), **fields) -> dict:
        data = {"slug": "frame-" + uuid.uuid4().hex[:8], "title": "Frame test", "methods": list(methods)}
        data.update(fields)
        saved = wp_eval("""$p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return $p->to_array();""", data)
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


@pytest.fixture
def slot_plugin(env, wp_eval):
    """The example plugin, active for one test."""
    link = Path(env["RUN_DIR"]) / "wp-content" / "plugins" / "authkit-slot-example"
    if not link.is_symlink():
        os.symlink(REPO / "tests" / "wp" / "plugins" / "authkit-slot-example", link)
    assert wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php';"
                   "$r = activate_plugin($args); return is_wp_error($r) ? $r->get_error_message() : true;",
                   PLUGIN) is True
    yield
    wp_eval("require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins($args); return true;", PLUGIN)


@pytest.fixture
def radar_key(env):
    path = Path(env["WP_CONTENT_DIR"]) / "workos-test-radar-site-key"
    path.write_text("radar_site_browser_01")
    yield
    path.unlink(missing_ok=True)


@pytest.fixture
def french(env, wp_eval):
    """The site in French with the fixture's translations installed where WordPress looks for them."""
    target = Path(env["WP_CONTENT_DIR"]) / "languages" / "plugins"
    target.mkdir(parents=True, exist_ok=True)
    source = REPO / "tests" / "wp" / "languages"
    copied = []
    for f in source.iterdir():
        if f.suffix in (".mo", ".json"):
            shutil.copy(f, target / f.name)
            copied.append(target / f.name)
    # WordPress takes a site language only when it is installed (WP_LANG_DIR/fr_FR.mo): core's own
    # French is not needed here, an empty catalogue of that name will do.
    core = target.parent / "fr_FR.mo"
    if not core.exists():
        subprocess.run(["msgfmt", "-o", str(core), "-"], check=True, text=True,
                       input='msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\nLanguage: fr_FR\\n"\n')
        copied.append(core)
    saved = wp_eval("return get_option('WPLANG', '');")
    assert wp_eval("update_option('WPLANG', 'fr_FR'); return get_option('WPLANG');") == "fr_FR"
    yield
    wp_eval("update_option('WPLANG', $args); return true;", saved or "")
    for f in copied:
        f.unlink(missing_ok=True)


def hydrated(page) -> None:
    page.wait_for_selector("#workos-authkit-root[data-hydrated=true]", state="attached")


def open_shell(page, slug: str) -> None:
    page.goto(f"/workos/login/{slug}/")
    hydrated(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_plugin_fills_the_slots_and_login_form_output_shows_below_the_card(visitor_page, slot_plugin, profile,
                                                                            shot, axe, width):
    p = profile()
    page = visitor_page(width)
    open_shell(page, p["slug"])
    # Every slot is on the first step, each once, in the reference's places.
    names = page.eval_on_selector_all("#workos-authkit-root [data-slot]", "els => els.map(e => e.dataset.slot)")
    assert sorted(names) == sorted(SLOTS)
    assert page.locator(".wa-shell > [data-slot='workos.authkit.beforeHeader'] + .wa-card").count() == 1
    assert page.locator(".wa-form > .wa-button-primary + [data-slot='workos.authkit.afterPrimaryAction']").count() == 1
    below = page.locator(".wa-below-card > [data-slot='workos.authkit.belowCard'] .authkit-slot-example-below")
    below.wait_for()
    assert below.inner_text() == f"Terms of the {p['slug']} login apply (step: email)."
    after = page.locator("[data-slot='workos.authkit.afterPrimaryAction'] .authkit-slot-example-after-action")
    assert after.inner_text() == "Need help? Call the front desk."
    # What login_form hooks print, kept by the app; this plugin's own SSO link is not among it.
    assert page.locator(".wa-below-card > .wa-login-form .authkit-slot-example-login-form").inner_text() == \
        "Printed by a login_form hook."
    assert page.locator(".workos-sso-link").count() == 0
    shot(page, f"slots-email-{width}")
    axe(page)
    # Fills follow the step (their props: step, profileSlug, methods, flow).
    page.fill("#wa-email", "someone@example.com")
    page.click(".wa-button-primary")
    page.wait_for_selector("#wa-password")
    page.wait_for_function("() => document.querySelector('.authkit-slot-example-below')"
                           ".textContent.includes('step: password')")
    assert page.locator("[data-slot='workos.authkit.afterPrimaryAction'] .authkit-slot-example-after-action").count() == 1
    assert page.locator(".wa-below-card .authkit-slot-example-login-form").count() == 1
    shot(page, f"slots-password-{width}")


def test_without_a_fill_plugin_the_slots_are_empty_and_wp_components_does_not_load(visitor_page, profile):
    p = profile()
    page = visitor_page()
    open_shell(page, p["slug"])
    assert page.evaluate("() => !(window.wp && window.wp.components)"), "SlotFill loads only for a fill plugin"
    assert page.eval_on_selector_all("[data-slot]", "els => els.every(e => e.childElementCount === 0)")
    assert page.locator(".wa-login-form").count() == 0
    assert page.evaluate("() => [...document.querySelectorAll('[data-slot]')]"
                         ".every(e => getComputedStyle(e).display === 'none')"), "an empty slot takes no room"


def test_radar_loads_with_a_site_key_and_its_token_reaches_workos(visitor_page, profile, radar_key, emulator_url,
                                                                 shot):
    p = profile(methods=["password"])
    email = f"radar-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email, PASSWORD)
    page = visitor_page()
    asked = []

    def sdk(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=FAKE_RADAR)

    page.route("https://radar.workos.com/**", sdk)
    sent = []
    page.on("request", lambda r: sent.append(r.headers.get("x-workos-radar-action-token"))
            if "/wp-json/workos/v1/auth/" in r.url else None)
    open_shell(page, p["slug"])
    assert page.locator("script#workos-radar-sdk").get_attribute("src") == "https://radar.workos.com/v1/radar.js"
    page.wait_for_function("() => !!window.WorkOSRadar")
    assert asked == ["https://radar.workos.com/v1/radar.js"]
    page.fill("#wa-email", email)
    page.click(".wa-button-primary")
    page.fill("#wa-password", PASSWORD)
    shot(page, "radar-password-step")
    page.click(".wa-button-primary")
    page.wait_for_url("**/wp-admin/**")
    # Every auth call carried the token (the nonce fetch and the sign-in), and WorkOS got it.
    assert sent and all(t == "browser-token.authkit_signin" for t in sent), sent
    seen = [a for a in requests.get(emulator_url + "/__emulator/radar/attempts", timeout=10).json()["data"]
            if a.get("email") == email]
    assert [a["signals_id"] for a in seen] == ["browser-token.authkit_signin"]


def test_without_a_site_key_radar_never_loads(visitor_page, profile):
    p = profile(methods=["password"])
    page = visitor_page()
    asked = []
    page.route("https://radar.workos.com/**", lambda route: (asked.append(route.request.url), route.abort()))
    sent = []
    page.on("request", lambda r: sent.append(r.headers.get("x-workos-radar-action-token"))
            if "/wp-json/workos/v1/auth/" in r.url else None)
    open_shell(page, p["slug"])
    page.fill("#wa-email", "nobody@example.com")
    page.click(".wa-button-primary")
    page.fill("#wa-password", "wrong-password")
    page.click(".wa-button-primary")
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0")
    assert page.locator("script#workos-radar-sdk").count() == 0 and asked == []
    assert sent and all(t is None for t in sent)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_french_translation_shows_in_the_shell(visitor_page, french, profile, shot, axe, width):
    p = profile()
    page = visitor_page(width, allow_console=[r"Failed to load resource"])
    # The server's card (PHP, .mo) is French before the script runs …
    page.route("**/js/login/build/index.js*", lambda route: route.abort())
    page.goto(f"/workos/login/{p['slug']}/")
    assert page.locator("#wa-heading").inner_text() == "Se connecter"
    assert page.locator("label[for=wa-email]").inner_text() == "Adresse e-mail"
    page.unroute("**/js/login/build/index.js*")
    # … and so is the app (the script's JSON), which hydrates it unchanged.
    open_shell(page, p["slug"])
    assert page.locator(".wa-button-primary").inner_text() == "Continuer"
    assert page.locator("[data-provider=oauth_google]").inner_text() == "Continuer avec Google"
    page.click(".wa-button-primary")  # no address: an error only the script says
    page.wait_for_function("() => document.getElementById('wa-error').textContent.length > 0")
    assert page.locator("#wa-error").inner_text() == "Saisissez une adresse e-mail valide."
    shot(page, f"french-{width}")
    axe(page)
