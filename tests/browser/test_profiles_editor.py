"""Issue 11: WorkOS → Login Profiles in Chromium — the list, the editor (built with
@wordpress/components) and the routing rules, driven as a site owner would.

- a profile is created end to end (methods, the pinned organization chosen by NAME from the
  emulator's list, a colour preset, a custom path): it is stored (read back through the REST API)
  and its Embed & URLs panel shows the shortcode, login URL and custom-path URL;
- a reserved custom path is refused, with the server's message beside the field;
- the default profile is edited (its slug locked); a profile is deleted (the default one cannot be);
- routing rules are added, reordered with the keyboard, saved and read back;
- unsaved changes are not lost silently; axe is clean on the list and the editor.

Screenshots (.run/<instance>/screenshots/test_profiles_editor/): list-<width>.png, editor-<width>.png
(a new profile, filled in), created-1440.png (after saving, Embed & URLs), path-refused-1440.png,
default-<width>.png, rules-1440.png.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from conftest import WIDTHS

PAGE = "/wp-admin/admin.php?page=workos-login-profiles"
OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"

CLEAN = """
    WorkOS_WP\\Profiles\\ProfileRepository::register_post_type();
    foreach (get_posts(['post_type' => 'workos_login_profile', 'post_status' => 'any', 'numberposts' => -1]) as $p) {
        if ('default' !== $p->post_name) { wp_delete_post($p->ID, true); }
    }
    delete_option('workos_profile_routing_rules');
    return true;
"""

STORED = """
    $p = WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args);
    return $p ? $p->to_array() : null;
"""

SAVE = """
    $p = WorkOS_WP\\Profiles\\ProfileRepository::save($args);
    if (is_wp_error($p)) { throw new Exception($p->get_error_message()); }
    return $p->to_array();
"""


@pytest.fixture
def clean(wp_eval):
    """Only the default profile (its fields put back afterwards) and no routing rules."""
    wp_eval(CLEAN)
    default = wp_eval(STORED, "default")
    yield
    wp_eval(CLEAN)
    wp_eval("""$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
               WorkOS_WP\\Profiles\\ProfileRepository::save($args, $d->get_id()); return true;""",
            {k: v for k, v in default.items() if k != "id"})


def open_list(page):
    response = page.goto(PAGE)
    assert response.status == 200
    page.wait_for_selector("table.workos-pp-table tbody tr")
    page.wait_for_selector(".workos-rr-actions")  # the routing rules have loaded


def test_list_and_editor_fit_and_pass_axe(clean, admin_page, shot, axe, wp_eval):
    for width in WIDTHS:
        page = admin_page(width)
        open_list(page)
        row = page.locator('tr[data-slug="default"]')
        assert wp_eval(STORED, "default")["title"] in row.inner_text()
        assert "Cannot be deleted" in row.inner_text()
        assert row.get_by_role("button", name=re.compile("Delete")).count() == 0
        assert page.get_by_role("heading", name="Routing rules").is_visible()
        assert "first one that matches wins" in page.locator(".workos-rr-intro").inner_text()
        assert "Default profile is used" in page.locator(".workos-rr-intro").inner_text()
        assert page.evaluate(OVERFLOW), (width, page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]"))
        shot(page, f"list-{width}")
        axe(page)

        page.get_by_role("button", name="Add profile").click()
        page.get_by_label("Title", exact=True).fill("Members area")
        page.get_by_label("Slug", exact=True).fill("members")
        page.get_by_label("Heading", exact=True).fill("Welcome back, members")
        page.get_by_label("Subheading", exact=True).fill("Sign in to read the members-only pages")
        page.get_by_label("GitHub", exact=True).check()
        page.get_by_label("Custom path", exact=True).fill("members/login")
        assert "&profile=new" in page.url
        preview = page.locator(".workos-pp-preview-root")
        assert preview.locator(".wa-heading").inner_text() == "Welcome back, members"
        assert "Continue with GitHub" in preview.inner_text()
        assert page.evaluate(OVERFLOW), (width, page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]"))
        shot(page, f"editor-{width}")
        axe(page)
        page.close()


def test_create_a_profile_end_to_end(clean, admin_page, shot, axe, emulator_url, wp_eval, wp_url):
    tag = uuid.uuid4().hex[:6]
    org_name = f"Acme Members {tag}"
    org = requests.post(emulator_url + "/__emulator/organizations", json={"name": org_name}, timeout=10).json()
    slug = f"members-{tag}"
    page = admin_page(1440)
    open_list(page)
    page.get_by_role("button", name="Add profile").click()
    page.get_by_label("Title", exact=True).fill(f"Members {tag}")
    page.get_by_label("Slug", exact=True).fill(slug)
    page.get_by_label("Magic code by email", exact=True).uncheck()
    page.get_by_label("Google", exact=True).check()
    # The organization is picked by its name from WorkOS's live list (refreshed: it was just made).
    page.get_by_role("button", name="Refresh list").click()
    org_select = page.get_by_label("Pinned organization")
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('.workos-pp-org select option')].some(o => o.textContent === name)",
        arg=org_name)
    org_select.select_option(label=org_name)
    # A colour of the admin colour schemes' palette fills the colour field; a custom one is typed.
    swatches = page.locator(".workos-pp-main .components-circular-option-picker__option")
    assert swatches.count() >= 2
    swatches.nth(1).click()
    custom = page.get_by_label("Custom colour", exact=True)
    assert re.fullmatch(r"#[0-9a-f]{6}", custom.input_value()), custom.input_value()
    custom.fill("#d64e07")  # white text on it is below 4.5:1: the editor says so
    assert "hard to read" in page.locator(".workos-pp-main .components-notice.is-warning").inner_text()
    custom.fill("#1d4ed8")
    assert page.locator(".workos-pp-main .components-notice.is-warning").count() == 0
    color = page.evaluate("() => getComputedStyle(document.querySelector('.workos-pp-preview-root')).getPropertyValue('--wa-primary').trim()")
    assert color == "#1d4ed8"
    page.get_by_label("Custom path", exact=True).fill(f"members-{tag}/login")
    page.get_by_label("Forward tracking query arguments").check()
    page.get_by_role("button", name="Create profile").click()
    page.wait_for_selector(".components-notice.is-success")
    assert "saved" in page.locator(".components-notice.is-success").inner_text()

    stored = wp_eval(STORED, slug)
    assert stored["methods"] == ["password", "oauth_google"]
    assert stored["organization_id"] == org["id"]
    assert stored["branding"]["primary_color"].lower() == color
    assert stored["custom_path"] == f"members-{tag}/login"
    assert stored["forward_query_args"] is True
    assert re.search(rf"[?&]profile={stored['id']}\b", page.url)

    assert page.locator("#workos-pp-shortcode").input_value() == f'[workos:login profile="{slug}"]'
    assert page.locator("#workos-pp-canonical-url").input_value() == f"{wp_url}/workos/login/{slug}/"
    assert page.locator("#workos-pp-custom-url").input_value() == f"{wp_url}/members-{tag}/login/"
    shot(page, "created-1440")

    # The list names the organization, not its id.
    page.get_by_role("button", name="All login profiles").click()
    row = page.locator(f'tr[data-slug="{slug}"]')
    row.locator(".workos-pp-org-cell", has_text=org_name).wait_for()
    assert org_name in row.inner_text() and org["id"] not in row.inner_text()
    assert "Password, Google" in row.inner_text()
    assert f"/members-{tag}/login/" in row.inner_text()

    # A reserved path is refused; the server's message shows beside the field.
    row.get_by_role("button", name=re.compile("Edit")).click()
    page.get_by_label("Custom path", exact=True).fill("wp-admin/members")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("#workos-pp-custom-path-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.get_by_label("Custom path", exact=True).get_attribute("aria-invalid") == "true"
    assert error.inner_text().strip() in page.locator(".components-notice.is-error").inner_text()
    assert wp_eval(STORED, slug)["custom_path"] == f"members-{tag}/login"  # unchanged
    shot(page, "path-refused-1440")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_edit_the_default_profile(width, clean, admin_page, shot, axe, wp_eval):
    page = admin_page(width)
    open_list(page)
    page.locator('tr[data-slug="default"]').get_by_role("button", name=re.compile("Edit")).click()
    slug = page.get_by_label("Slug", exact=True)
    assert slug.is_disabled() and slug.input_value() == "default"
    page.get_by_label("Heading", exact=True).fill(f"Hello at {width}")
    assert page.locator(".workos-pp-preview-root .wa-heading").inner_text() == f"Hello at {width}"
    page.get_by_label("No logo").check()
    assert page.locator(".workos-pp-preview-root .wa-logo").count() == 0
    page.get_by_label("Always: every sign-in needs a second factor").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector(".components-notice.is-success")
    stored = wp_eval(STORED, "default")
    assert stored["branding"]["heading"] == f"Hello at {width}"
    assert stored["branding"]["logo_mode"] == "none"
    assert stored["mfa"]["enforce"] == "always"
    assert page.evaluate(OVERFLOW)
    shot(page, f"default-{width}")
    axe(page)


def test_unsaved_changes_are_not_lost_silently(clean, admin_page):
    page = admin_page(1440)
    open_list(page)
    page.locator('tr[data-slug="default"]').get_by_role("button", name=re.compile("Edit")).click()
    page.get_by_label("Subheading", exact=True).fill("Not saved yet")
    assert page.locator(".workos-pp-unsaved").is_visible()
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="All login profiles").click()
    assert asked and "unsaved changes" in asked[0]
    assert page.get_by_label("Subheading", exact=True).input_value() == "Not saved yet"  # stayed
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="All login profiles").click()
    page.wait_for_selector("table.workos-pp-table")


def test_delete_a_profile(clean, admin_page, wp_eval):
    wp_eval(SAVE, {"slug": "temporary", "title": "Temporary"})
    page = admin_page(1440)
    open_list(page)
    row = page.locator('tr[data-slug="temporary"]')
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Delete “Temporary”").click()
    page.wait_for_selector(".components-notice.is-success")
    assert "deleted" in page.locator(".components-notice.is-success").inner_text()
    page.locator('tr[data-slug="temporary"]').wait_for(state="detached")
    assert wp_eval(STORED, "temporary") is None
    assert page.locator('tr[data-slug="default"]').count() == 1


def test_routing_rules_are_added_reordered_and_saved(clean, admin_page, shot, axe, wp_eval):
    wp_eval(SAVE, {"slug": "shop", "title": "Shop"})
    wp_eval(SAVE, {"slug": "staff", "title": "Staff"})
    page = admin_page(1440)
    open_list(page)
    assert "No rules" in page.locator(".workos-rr").inner_text()

    page.get_by_role("button", name="Add rule").click()
    rule1 = page.locator(".workos-rr-rule").nth(0)
    rule1.get_by_label("Use the profile").select_option("shop")
    rule1.get_by_label("Path pattern").fill("/shop/*")

    page.get_by_role("button", name="Add rule").click()
    rule2 = page.locator(".workos-rr-rule").nth(1)
    rule2.get_by_label("When").select_option("user_role")
    rule2.get_by_label("Role").select_option("editor")
    rule2.get_by_label("Use the profile").select_option("staff")

    # Reorder with the keyboard: focus "Move rule 2 up", press Enter; focus follows the moved rule.
    page.get_by_role("button", name="Move rule 2 up").focus()
    page.keyboard.press("Enter")
    first = page.locator(".workos-rr-rule").nth(0)
    assert first.get_by_label("Use the profile").input_value() == "staff"
    assert page.evaluate("() => document.activeElement.textContent") == "Down"
    shot(page, "rules-1440")
    axe(page)

    page.get_by_role("button", name="Save rules").click()
    page.wait_for_selector(".workos-rr .components-notice.is-success")
    expected = [
        {"profile": "staff", "matcher": {"type": "user_role", "value": "editor"}},
        {"profile": "shop", "matcher": {"type": "redirect_to", "value": "/shop/*"}},
    ]
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::get_rules();") == expected

    # Read back after a reload.
    open_list(page)
    page.wait_for_selector(".workos-rr-rule")
    rules = page.locator(".workos-rr-rule")
    assert rules.count() == 2
    assert rules.nth(0).get_by_label("Role").input_value() == "editor"
    assert rules.nth(1).get_by_label("Path pattern").input_value() == "/shop/*"

    # An invalid rule: the server's message, the rule marked.
    page.get_by_role("button", name="Remove rule 1").click()
    assert page.evaluate("() => document.activeElement.id").startswith("workos-rr-remove-")
    page.locator(".workos-rr-rule").nth(0).get_by_label("Path pattern").fill("")
    page.get_by_role("button", name="Save rules").click()
    page.wait_for_selector(".workos-rr .components-notice.is-error")
    assert page.locator(".workos-rr-rule.is-invalid").count() == 1
    assert wp_eval("return WorkOS_WP\\Profiles\\Routing::get_rules();") == expected


def test_workos_unreachable_keeps_the_pinned_organization(clean, admin_page, wp_eval, wp_settings):
    pinned = "org_01KEEPTHISONE"
    made = wp_eval(SAVE, {"slug": "pinned", "title": "Pinned", "organization_id": pinned})
    wp_settings(api_key="sk_test_wrong_key_for_the_editor_000")
    page = admin_page(1440)
    page.goto(f"{PAGE}&profile={made['id']}")
    page.get_by_role("button", name="Refresh list").click()
    warning = page.locator(".workos-pp-main .components-notice.is-warning")
    warning.wait_for()
    assert "could not be listed" in warning.inner_text() and "current organization is kept" in warning.inner_text()
    select = page.get_by_label("Pinned organization")
    assert select.input_value() == pinned
    assert pinned in select.locator("option:checked").inner_text()
    page.get_by_label("Subheading", exact=True).fill("Still saves")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector(".components-notice.is-success")
    assert wp_eval(STORED, "pinned")["organization_id"] == pinned


def test_the_logo_comes_from_the_media_library(clean, admin_page):
    page = admin_page(1440)
    open_list(page)
    page.get_by_role("button", name="Add profile").click()
    page.get_by_label("An image from the media library").check()
    page.get_by_role("button", name="Choose image").click()
    modal = page.locator(".media-modal")
    modal.wait_for()
    assert "Choose the login logo" in modal.inner_text()
    page.keyboard.press("Escape")
    modal.wait_for(state="hidden")
