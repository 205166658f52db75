"""Issue 13: in WorkOS → Login Profiles, the slug `embed` (WordPress keeps it, with the feed names, for its own
addresses) is refused beside the Slug field as reserved — not as "another profile already has it" — and nothing
is saved. Screenshots (.run/<instance>/screenshots/test_profiles_reserved_slug/): slug-reserved-<width>.png."""

from __future__ import annotations

import pytest
from conftest import WIDTHS
from test_profiles_editor import STORED, clean, open_list  # noqa: F401  (fixture)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_embed_slug_is_refused_as_reserved(width, clean, admin_page, shot, axe, wp_eval):  # noqa: F811
    page = admin_page(width)
    open_list(page)
    page.get_by_role("button", name="Add profile").click()
    page.get_by_label("Title", exact=True).fill("Embedded sign-in")
    page.get_by_label("Slug", exact=True).fill("embed")
    page.get_by_role("button", name="Create profile").click()

    error = page.locator("#workos-pp-slug-error")
    error.wait_for()
    text = error.inner_text().strip()
    assert 'reserves the slug "embed"' in text and "choose another" in text, text
    assert "Another profile" not in text
    assert page.get_by_label("Slug", exact=True).get_attribute("aria-invalid") == "true"
    assert text in page.locator(".components-notice.is-error").inner_text()
    assert wp_eval(STORED, "embed") is None and wp_eval(STORED, "embed-2") is None  # nothing saved
    shot(page, f"slug-reserved-{width}")
    axe(page)

    # Another slug is accepted at once.
    page.get_by_label("Slug", exact=True).fill("embedded-sign-in")
    page.get_by_role("button", name="Create profile").click()
    page.wait_for_selector(".components-notice.is-success")
    assert wp_eval(STORED, "embedded-sign-in")["title"] == "Embedded sign-in"
