"""Tools → WorkOS Diagnostics in Chromium (issue 13): the facts fit the screen at 1440 px and on a phone, axe is
clean, and "Copy report" puts the plain-text report, secrets masked, on the clipboard and says so.

Screenshots: .run/<instance>/screenshots/test_diagnostics_page/diagnostics-<width>.png and
diagnostics-<width>-copied.png (after the button was pressed); changelog-<width>.png.
"""

from __future__ import annotations

import re

import pytest
from conftest import WIDTHS

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", WIDTHS)
def test_diagnostics_page(width, admin_page, shot, axe, env):
    page = admin_page(width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=env["WP_URL"])
    assert page.goto("/wp-admin/tools.php?page=workos-diagnostics").status == 200
    assert page.get_by_role("heading", name="WorkOS Diagnostics", level=1).is_visible()
    assert page.locator('tr[data-fact="connectivity"] .workos-diag-status').inner_text() == "OK"
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"diagnostics-{width}")
    axe(page)

    report = page.locator("#workos-diag-report").input_value()
    assert env["API_KEY"] not in report and env["WEBHOOK_SECRET"] not in report
    page.get_by_role("button", name="Copy report").click()
    status = page.locator("#workos-diag-copy-status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Report copied to the clipboard."
    assert page.evaluate("() => navigator.clipboard.readText()") == report
    shot(page, f"diagnostics-{width}-copied")


@pytest.mark.parametrize("width", WIDTHS)
def test_changelog_page(width, admin_page, shot, axe):
    page = admin_page(width)
    page.goto("/wp-admin/index.php")
    href = page.locator("#adminmenu a[href*='page=workos-changelog']").first.get_attribute("href")
    assert page.goto("/wp-admin/" + href.split("/wp-admin/")[-1]).status == 200
    assert page.get_by_role("heading", name=re.compile("Changelog"), level=1).is_visible()
    assert page.locator(".workos-changelog-body h2").first.inner_text() == "[Unreleased]"
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"changelog-{width}")
    axe(page)
