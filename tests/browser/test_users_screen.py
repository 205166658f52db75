"""The Users screen's WorkOS column, row actions, bulk sync and "Out of sync" view in Chromium (issue 13):
readable at 1440 px and on a phone, axe clean, each action answered by a notice that says what it did.

Screenshots: .run/<instance>/screenshots/test_users_screen/users-<width>.png (one user of each state),
users-<width>-synced.png (after "Sync from WorkOS"), users-<width>-bulk.png (after the bulk action),
users-<width>-out-of-sync.png (the view after "Check linked users with WorkOS now").
"""

from __future__ import annotations

import uuid

import pytest
from conftest import WIDTHS

from authkit import create_workos_user

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def seeded(wp_eval, wp_user, emulator_url):
    """One user of each state, all with a tag to search for."""
    tag = "usr" + uuid.uuid4().hex[:8]
    remote = create_workos_user(emulator_url, f"{tag}-linked@example.com", first_name="Grace", last_name="Hopper")
    other = create_workos_user(emulator_url, f"{tag}-renamed@example.com", first_name="Ada", last_name="Lovelace")
    linked = wp_user(tag + "-linked", f"{tag}-linked@example.com", "Passw0rd-usr-1", workos_id=remote["id"])
    renamed = wp_user(tag + "-renamed", f"{tag}-renamed@example.com", "Passw0rd-usr-1", workos_id=other["id"])
    wp_eval("wp_update_user(['ID' => $args, 'first_name' => 'Ada', 'last_name' => 'Byron']); return true;", renamed["id"])
    directory = wp_user(tag + "-directory", f"{tag}-directory.with.a.long.address@subdomain.example-company.com",
                        "Passw0rd-usr-1", role="editor")
    wp_eval("update_user_meta($args[0], '_workos_directory_user_id', $args[1]); return true;",
            [directory["id"], "directory_user_01HXYZABCDEFGHJKMNPQRSTVWX"])
    gone = wp_user(tag + "-gone", f"{tag}-gone@example.com", "Passw0rd-usr-1", workos_id="user_01GONE" + tag.upper())
    wp_eval("update_user_meta($args, '_workos_deactivated', 'user.deleted'); return true;", gone["id"])
    plain = wp_user(tag + "-plain", f"{tag}-plain@example.com", "Passw0rd-usr-1")
    return {"tag": tag, "linked": linked, "renamed": renamed, "directory": directory, "gone": gone, "plain": plain}


def row(page, user):
    return page.locator(f"#user-{user['id']}")


def show_row_actions(page, user):
    """Row actions appear on hover or focus (always on a phone)."""
    row(page, user).hover()


@pytest.mark.parametrize("width", WIDTHS)
def test_users_screen(width, admin_page, shot, axe, seeded):
    tag = seeded["tag"]
    page = admin_page(width)
    assert page.goto(f"/wp-admin/users.php?s={tag}").status == 200
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width < 600:
        # On a phone the list folds every column but the username: each row opens with its toggle.
        for user in ("linked", "directory", "gone", "plain"):
            row(page, seeded[user]).locator("button.toggle-row").click()
    cells = {k: row(page, seeded[k]).locator("td.column-workos") for k in ("linked", "directory", "gone", "plain")}
    assert cells["linked"].inner_text().startswith("Linked")
    assert cells["directory"].inner_text().startswith("Directory-managed")
    assert cells["gone"].inner_text().startswith("Deactivated")
    assert cells["plain"].inner_text().strip() == "Not linked"
    for cell in cells.values():
        assert cell.is_visible()
    assert page.evaluate(OVERFLOW)
    shot(page, f"users-{width}")
    axe(page)

    # Sync from WorkOS: the row action, then a notice that says what it did.
    show_row_actions(page, seeded["linked"])
    row(page, seeded["linked"]).get_by_role("link", name=f"Sync from WorkOS: {tag}-linked").click()
    page.wait_for_load_state()
    note = page.locator(".workos-users-notice p")
    assert note.inner_text().strip() == f"{tag}-linked was refreshed from WorkOS (email address and name)."
    assert "workos_result" not in page.evaluate("() => location.search")  # the address bar is cleaned
    assert row(page, seeded["linked"]).count() == 1  # back on the list as it was (the search kept)
    shot(page, f"users-{width}-synced")
    axe(page)

    # Bulk: choose two, "Sync with WorkOS", Apply.
    page.goto(f"/wp-admin/users.php?s={tag}")
    for user in ("renamed", "plain"):
        row(page, seeded[user]).locator("th.check-column input[type=checkbox]").check()
    # A phone shows only the list's bottom bar.
    where = ("#bulk-action-selector-top", "#doaction") if width >= 600 else ("#bulk-action-selector-bottom", "#doaction2")
    page.select_option(where[0], "workos_bulk_sync")
    page.locator(where[1]).click()
    page.wait_for_load_state()
    assert page.locator(".workos-users-notice p").inner_text().strip() == (
        "Sync with WorkOS: 1 refreshed, 0 failed, 0 no longer in WorkOS, 1 skipped (not linked to a WorkOS user)."
    )
    shot(page, f"users-{width}-bulk")
    axe(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_out_of_sync_view(width, admin_page, shot, axe, seeded, wp_eval):
    tag = seeded["tag"]
    page = admin_page(width)
    page.goto(f"/wp-admin/users.php?s={tag}")
    page.get_by_role("link", name="Out of sync with WorkOS").click()
    page.wait_for_load_state()
    assert page.locator(".workos-out-of-sync-help").is_visible()
    page.get_by_role("button", name="Check linked users with WorkOS now").click()
    page.wait_for_load_state()
    assert page.locator(".workos-users-notice p").inner_text().startswith("Checked ")
    page.goto(f"/wp-admin/users.php?workos_view=out_of_sync&s={tag}")
    renamed = row(page, seeded["renamed"])
    assert renamed.count() == 1
    if width < 600:
        renamed.locator("button.toggle-row").click()
        row(page, seeded["gone"]).locator("button.toggle-row").click()
    assert "Out of sync: last name" in renamed.locator("td.column-workos").inner_text()
    assert "no longer has this user" in row(page, seeded["gone"]).locator("td.column-workos").inner_text()
    assert row(page, seeded["plain"]).count() == 0
    assert page.evaluate(OVERFLOW)
    shot(page, f"users-{width}-out-of-sync")
    axe(page)
