"""Issue 10 in a browser: Site Health (Status and Info tabs), the Plugins screen's Settings link and
the staging badge in the admin bar, at desktop (1440 px) and phone (390 px) widths.

Screenshots: .run/<instance>/screenshots/test_health_and_badge/<name>-<width>.png.
"""

from __future__ import annotations

import re

import pytest
from conftest import WIDTHS

CONTRAST_JS = """
(el) => {
    const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const style = getComputedStyle(el);
    const fg = rgb(style.color), bg = rgb(style.backgroundColor);
    if (bg.length === 4 && bg[3] === 0) { return {ratio: 0, fg: style.color, bg: style.backgroundColor}; }
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {ratio: (a + 0.05) / (b + 0.05), fg: style.color, bg: style.backgroundColor};
}
"""


def open_issue(page, test_id: str):
    """Expands a Site Health entry once the (async) test has reported; returns its panel."""
    trigger = page.locator(f'button[aria-controls="health-check-accordion-block-{test_id}"]')
    trigger.wait_for(state="attached", timeout=20_000)
    if not trigger.is_visible():  # a passed test: under "Passed tests"
        page.click(".site-health-view-passed")
    trigger.click()
    panel = page.locator(f"#health-check-accordion-block-{test_id}")
    panel.wait_for(state="visible")
    return trigger, panel


@pytest.mark.parametrize("width", WIDTHS)
def test_site_health_status_fails_on_a_wrong_key_and_links_to_its_field(admin_page, wp_settings, shot, axe, width):
    wp_settings(api_key="sk_test_wrong_key_for_the_browser")
    page = admin_page(width)
    page.goto("/wp-admin/site-health.php")
    trigger, panel = open_issue(page, "workos_connectivity")
    # Critical, said plainly, with the plugin's name on the badge.
    assert page.locator("#health-check-site-status-critical").locator(trigger).count() == 1
    assert "WorkOS rejected the API key" in trigger.inner_text()
    assert "WorkOS for WordPress" in trigger.locator(".badge").inner_text()
    link = panel.locator(".actions a")
    assert link.first.is_visible()
    shot(page, f"site-health-status-wrong-key-{width}")
    axe(page)
    # The link opens the settings tab at the API key's field.
    link.first.click()
    page.wait_for_load_state()
    assert re.search(r"options-general\.php\?page=workos&tab=settings#workos_production_api_key$", page.url), page.url
    field = page.locator("#workos_production_api_key")
    assert field.is_visible()
    box = field.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"], box  # scrolled into view
    shot(page, f"site-health-link-target-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_site_health_status_is_good_with_the_measured_latency(admin_page, shot, axe, width):
    page = admin_page(width)
    page.goto("/wp-admin/site-health.php")
    trigger, panel = open_issue(page, "workos_connectivity")
    assert re.search(r"WorkOS answered in \d+ ms", trigger.inner_text()), trigger.inner_text()
    assert "Signing keys (JWKS)" in panel.inner_text()
    shot(page, f"site-health-status-good-{width}")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_site_health_info_has_the_plugin_section_with_secrets_masked(admin_page, env, shot, axe, width):
    page = admin_page(width)
    page.goto("/wp-admin/site-health.php?tab=debug")
    trigger = page.locator('button[aria-controls="health-check-accordion-block-workos"]')
    assert trigger.inner_text().strip().startswith("WorkOS for WordPress")
    trigger.click()
    panel = page.locator("#health-check-accordion-block-workos")
    panel.wait_for(state="visible")
    text = panel.inner_text()
    for label in ("Plugin version", "Extension version", "Last webhook", "API key", "Client ID", "Role map"):
        assert label in text, label
    assert env["API_KEY"] not in page.content()
    assert "••••••••" + env["API_KEY"][-4:] in text
    assert "(database)" in text and "(default)" in text
    shot(page, f"site-health-info-{width}")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_plugins_screen_has_a_settings_link(admin_page, shot, axe, width):
    page = admin_page(width)
    page.goto("/wp-admin/plugins.php")
    row = page.locator('tr[data-plugin="workos/workos.php"]')
    assert row.locator(".plugin-title strong").inner_text() == "WorkOS for WordPress"
    link = row.locator(".row-actions .settings a")
    assert link.is_visible() and link.inner_text() == "Settings"
    shot(page, f"plugins-{width}")
    axe(page)
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/wp-admin/options-general.php?page=workos")
    assert page.locator("h1").first.inner_text().startswith("WorkOS for WordPress")


@pytest.mark.parametrize("width", WIDTHS)
def test_staging_badge_stands_out_in_the_admin_bar(admin_page, wp_settings, shot, axe, width):
    wp_settings(environment="staging")
    page = admin_page(width)
    for path, name in (("/wp-admin/", "dashboard"), ("/", "front")):
        page.goto(path)
        badge = page.locator("#wp-admin-bar-workos-environment > .ab-item")
        assert badge.is_visible(), f"no visible badge on {path} at {width}px"
        box = badge.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box  # on screen, phones too
        assert "Staging" in badge.inner_text()
        contrast = badge.evaluate(CONTRAST_JS)
        assert contrast["ratio"] >= 4.5, contrast
        # It stands out: a coloured pill, not the admin bar's dark grey.
        assert contrast["bg"] not in ("rgba(0, 0, 0, 0)", "rgb(29, 35, 39)"), contrast
        badge.hover()
        assert badge.evaluate(CONTRAST_JS)["ratio"] >= 4.5
        shot(page, f"badge-staging-{name}-{width}")
    # The dashboard's own widgets fail axe (core's markup: community events, recent posts); the
    # Plugins screen has the same admin bar and passes, so the badge is scanned there.
    page.goto("/wp-admin/plugins.php")
    assert page.locator("#wp-admin-bar-workos-environment > .ab-item").is_visible()
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_production_badge_is_quiet(admin_page, shot, width):
    page = admin_page(width)
    page.goto("/wp-admin/")
    item = page.locator("#wp-admin-bar-workos-environment")
    assert "workos-environment-production" in item.get_attribute("class")
    assert "workos-environment-away" not in item.get_attribute("class")
    if width < 600:
        assert not item.is_visible()  # production takes no room on a phone's admin bar
    else:
        assert item.is_visible() and "Production" in item.inner_text()
    shot(page, f"badge-production-{width}")
