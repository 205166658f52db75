"""Issue 10: Settings → WorkOS as the site owner sees it, tab by tab, at 1440 px and 390 px.

Each case saves a full-page screenshot (.run/<instance>/screenshots/test_settings_fields/), runs
axe-core, and checks what a screenshot cannot: nothing runs off the side of the screen (no
horizontal scrolling, no control wider than the viewport), and every setting's control has a
visible label and an accessible description (its help, tied by aria-describedby)."""

from __future__ import annotations

import pytest
from conftest import WIDTHS
from e2e_conftest import run_wp_php
from wpconfig import wp_config

TABS = ("settings", "organization", "users")

# Every control of a registry setting on the page: its id, label, description, box and whether a
# constant locks it. (Controls are `workos_<key>` or `workos_<env>_<key>`; label[for] names them.)
FIELDS_JS = """() => [...document.querySelectorAll('.form-table th label[for^="workos_"]')].map(label => {
    const el = document.getElementById(label.htmlFor);
    const box = el ? el.getBoundingClientRect() : null;
    const described = el && el.getAttribute('aria-describedby') ? el.getAttribute('aria-describedby').split(/\\s+/)
        .map(id => document.getElementById(id)).filter(Boolean).map(n => n.textContent.trim()).join(' ') : '';
    return {id: label.htmlFor, label: label.textContent.trim(), tag: el ? el.tagName : null,
            description: described, left: box ? box.left : 0, right: box ? box.right : 0,
            width: box ? box.width : 0, visible: !!el && box.width > 0 && box.height > 0,
            disabled: !!el && el.disabled};
})"""


def overflow(page) -> dict:
    return page.evaluate("""() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
        wide: [...document.querySelectorAll('#wpbody-content *')].filter(n => {
            const r = n.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1;
        }).slice(0, 5).map(n => n.tagName + (n.id ? '#' + n.id : '') + (n.className && typeof n.className === 'string' ? '.' + n.className.split(' ').join('.') : ''))})""")


def check_screen(page, width: int) -> list[dict]:
    o = overflow(page)
    assert o["scroll"] <= o["inner"], f"the page scrolls sideways at {width} px: {o}"
    assert not o["wide"], f"elements run past the right edge at {width} px: {o['wide']}"
    fields = page.evaluate(FIELDS_JS)
    assert fields, "no settings fields found"
    for f in fields:
        assert f["tag"] in ("INPUT", "SELECT", "TEXTAREA"), f
        assert f["visible"], f"{f['id']} is not visible"
        assert f["left"] >= 0 and f["right"] <= width, f"{f['id']} runs off the screen: {f}"
        assert f["label"], f"{f['id']} has no label text"
        assert f["description"], f"{f['id']} ({f['label']}) has no help tied to it"
    return fields


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("tab", TABS)
def test_each_settings_tab_reads_well(admin_page, shot, axe, tab, width):
    page = admin_page(width)
    r = page.goto(f"/wp-admin/options-general.php?page=workos&tab={tab}")
    assert r.status == 200
    shot(page, f"{tab}-{width}")
    fields = check_screen(page, width)
    # On a phone the label sits above its control (WordPress's form-table idiom), both full width.
    if width < 600:
        for f in fields:
            if f["tag"] in ("SELECT", "TEXTAREA"):
                assert f["width"] >= width * 0.6, f"{f['id']} is cramped on a phone: {f}"
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_locked_and_unusable_constants_read_well(admin_page, shot, axe, env, width):
    """The Users tab with a role map constant that cannot be used and an action set in wp-config."""
    with wp_config(env, """
        define('WORKOS_ROLE_MAP', "admin = administrator\\nmember subscriber");
        define('WORKOS_DEPROVISION_ACTION', 'demote');
        define('WORKOS_API_KEY', 'sk_test_locked_for_the_screenshot_1a2b');
    """):
        page = admin_page(width)
        page.goto("/wp-admin/options-general.php?page=workos&tab=users")
        notice = page.locator(".workos-constant-errors")
        assert notice.is_visible() and "WORKOS_ROLE_MAP" in notice.inner_text()
        assert "member subscriber" in page.locator("#workos_role_map-error").inner_text()
        assert page.locator("#workos_role_map").is_disabled()
        assert page.locator("#workos_deprovision_action").input_value() == "demote"
        shot(page, f"users-constants-{width}")
        fields = check_screen(page, width)
        assert {f["id"] for f in fields if f["disabled"]} >= {"workos_role_map", "workos_deprovision_action"}
        axe(page)
        page.goto("/wp-admin/options-general.php?page=workos&tab=settings")
        key = page.locator("#workos_production_api_key")
        assert key.is_disabled() and key.input_value() == "sk_••••••••1a2b"
        assert "WORKOS_API_KEY" in page.locator("#workos_production_api_key-lock").inner_text()
        shot(page, f"settings-constants-{width}")
        check_screen(page, width)
        axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_network_settings_read_well(admin_page, shot, axe, env, width):
    page = admin_page(width, multisite=True)
    r = page.goto("/wp-admin/network/settings.php?page=workos")
    assert r.status == 200
    shot(page, f"network-{width}")
    fields = check_screen(page, width)
    ids = {f["id"] for f in fields}
    assert "workos_deprovision_reassign" in ids and "workos_deprovision_role" in ids
    axe(page)


def test_role_and_user_pickers_work_by_keyboard(admin_page, wp_settings, env):
    """The role and user fields are real selects: chosen with the keyboard, saved, shown back."""
    wp_settings(deprovision_role="subscriber", deprovision_reassign=None)
    editor = run_wp_php(env, "return array_values(array_filter(get_users(['capability' => 'edit_posts', 'fields' => ['ID', 'display_name']]), fn($u) => $u->ID != get_user_by('login', 'admin')->ID))[0] ?? null;")
    page = admin_page(1440)
    page.goto("/wp-admin/options-general.php?page=workos&tab=users")
    page.select_option("#workos_deprovision_role", "editor")
    page.focus("#workos_deprovision_reassign")
    if editor:
        page.select_option("#workos_deprovision_reassign", str(editor["ID"]))
    page.click("#submit")
    page.wait_for_load_state()
    assert page.locator("#workos_deprovision_role").input_value() == "editor"
    stored = run_wp_php(env, "return get_option('workos_settings');")
    assert stored["deprovision_role"] == "editor"
    if editor:
        assert page.locator("#workos_deprovision_reassign").input_value() == str(editor["ID"])
        assert stored["deprovision_reassign"] == str(editor["ID"])
