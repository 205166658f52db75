"""Issue 13 in Chromium: the reference's `workos_authkit_branding` filter (REFERENCE-API §1.2 #6) brands the hosted
login as the reference consumer plugin asks (heading, subheading, colour, logo) — after the script has taken over
the server-rendered card too — and the shell keeps the reference's DOM contract (§8.2): one
`workos-authkit:mounted` event with `detail.profileSlug`, `body.workos-authkit-body`, `--wa-primary`.
Screenshots (.run/<instance>/screenshots/test_reference_shell_branding/): branded-<width>.png."""

from __future__ import annotations

import pytest
from conftest import WIDTHS
from test_reference_api import consumer, control  # noqa: F401  (fixture)

LISTEN = """document.addEventListener('workos-authkit:mounted',
    (e) => { window.__workosMounted = (window.__workosMounted || []).concat([e.detail]); });"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_branding_filter_brands_the_card(width, consumer, wp_eval, visitor_page, shot, axe, wp_url):  # noqa: F811
    control(wp_eval, branding={"heading": "Welcome to Consumer Co", "subheading": "Staff sign-in",
                               "primary_color": "#6d28d9", "logo_url": wp_url + "/wp-admin/images/w-logo-blue.png"})
    page = visitor_page(width)
    page.add_init_script(LISTEN)
    assert page.goto("/workos/login/default/").status == 200
    page.wait_for_selector('#workos-authkit-root[data-hydrated="true"]')
    page.wait_for_function("() => (window.__workosMounted || []).length > 0")
    assert page.evaluate("() => window.__workosMounted") == [{"profileSlug": "default"}]

    assert page.get_by_role("heading", level=1).inner_text() == "Welcome to Consumer Co"
    assert page.locator(".wa-subheading").inner_text() == "Staff sign-in"
    logo = page.locator("img.wa-logo")
    assert logo.get_attribute("src").endswith("/wp-admin/images/w-logo-blue.png")
    page.wait_for_function("() => document.querySelector('img.wa-logo').naturalWidth > 0")
    primary = page.evaluate(
        "() => getComputedStyle(document.getElementById('workos-authkit-root')).getPropertyValue('--wa-primary').trim()")
    assert primary.lower() == "#6d28d9"
    button = page.get_by_role("button", name="Continue", exact=True)
    assert button.evaluate("(b) => getComputedStyle(b).backgroundColor") == "rgb(109, 40, 217)"
    classes = page.evaluate("() => [...document.body.classList]")
    assert {"workos-authkit-body", "workos-profile-default", "reference-consumer-default"} <= set(classes)
    shot(page, f"branded-{width}")
    axe(page)
