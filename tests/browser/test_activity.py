"""Tools → WorkOS activity in Chromium (issue 10): the list table fits the screen at 1440 px and on a
phone, entries read as sentences whose users link to their profiles, details unfold, axe is clean.

Screenshots: .run/<instance>/screenshots/test_activity/activity-<width>.png (a page of entries of
every kind), activity-<width>-seeded.png (the entries this test made, searched for) and
activity-390-expanded.png (a row unfolded on a phone, its details open).
"""

from __future__ import annotations

import re
import uuid

import pytest
from conftest import WIDTHS

CHROME_UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87 SomeVeryLongBrowserExtensionTokenWithoutSpaces/1.0")

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def seeded(wp_eval, wp_user):
    """Entries of the kinds a site shows, all carrying a tag to search for; long unbroken strings included."""
    tag = "brw" + uuid.uuid4().hex[:8]
    user = wp_user(tag, f"{tag}.with.a.rather.long.address@subdomain.example-company.com", "Passw0rd-brw-1", role="editor")
    wp_eval("wp_update_user(['ID' => $args, 'first_name' => 'Jane', 'last_name' => 'Doe', 'display_name' => 'Jane Doe']); return true;",
            user["id"])
    wp_eval(
        """
        $_SERVER['REMOTE_ADDR'] = '2001:db8:85a3:0000:0000:8a2e:0370:7334';
        $_SERVER['HTTP_USER_AGENT'] = $args['ua'];
        $t = $args['tag']; $u = $args['user'];
        WorkOS_WP\\Log::event('login', ['user_id' => $u, 'workos_id' => 'user_01HXYZ' . strtoupper($t), 'method' => 'authkit',
            'auth_method' => 'SSO', 'organization_id' => 'org_01HACME' . strtoupper($t), 'tag' => $t]);
        WorkOS_WP\\Log::event('login', ['user_id' => $u, 'method' => 'password_fallback', 'tag' => $t]);
        WorkOS_WP\\Log::event('login_failed', ['reason' => 'incorrect_password', 'method' => 'password_fallback', 'login' => $t, 'user_id' => $u]);
        WorkOS_WP\\Log::event('login_denied', ['reason' => 'email_verification_required', 'login' => 'jane.' . $t . '@example.com', 'tag' => $t]);
        WorkOS_WP\\Log::event('webhook', ['event' => 'dsync.user.updated', 'id' => 'event_01' . str_repeat('X', 60) . $t, 'status' => 'applied',
            'outcome' => 'updated', 'raw' => str_repeat('averyveryverylongunbrokentoken', 8)]);
        WorkOS_WP\\Log::event('role_changed', ['user_id' => $u, 'from' => 'subscriber', 'to' => 'editor', 'tag' => $t]);
        return true;
        """,
        {"tag": tag, "user": user["id"], "ua": CHROME_UA},
    )
    return {"tag": tag, "user": user}


@pytest.mark.parametrize("width", WIDTHS)
def test_activity_screen_fits_reads_and_links(width, admin_page, shot, axe, seeded):
    page = admin_page(width)
    response = page.goto("/wp-admin/tools.php?page=workos-activity")
    assert response.status == 200
    assert page.locator("table.wp-list-table.workos-activity").count() == 1
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"activity-{width}")
    axe(page)

    page.goto(f"/wp-admin/tools.php?page=workos-activity&s={seeded['tag']}")
    rows = page.locator("#the-list tr[data-id]")
    assert rows.count() >= 5
    text = page.locator("#the-list").inner_text()
    assert "Jane Doe signed in with SSO" in text
    assert "Jane Doe signed in with their WordPress password" in text
    assert "A sign-in as Jane Doe failed: wrong password" in text
    assert f"A sign-in as jane.{seeded['tag']}@example.com was refused: email address not verified yet" in text
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    # Every details panel open: the longest strings (browser, data) must still wrap inside the screen.
    page.evaluate("() => document.querySelectorAll('details.workos-activity-details').forEach(d => d.open = true)")
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"activity-{width}-seeded")
    axe(page)

    # The user in the sentence is a link to their profile, and it works (on a phone too: the
    # sentence is the primary column, never folded away).
    link = page.locator("#the-list .workos-activity-sentence a", has_text="Jane Doe").first
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()
    assert re.search(r"/wp-admin/user-edit\.php\?user_id=%d\b" % seeded["user"]["id"], page.url), page.url
    assert page.locator("#display_name").count() == 1


def test_phone_rows_unfold_and_filters_stay_reachable(admin_page, shot, axe, seeded):
    page = admin_page(390)
    page.goto(f"/wp-admin/tools.php?page=workos-activity&s={seeded['tag']}")
    # WordPress hides a list's top filters on phones; this screen keeps them.
    assert page.locator("#workos-activity-type").is_visible()
    first = page.locator("#the-list tr[data-id]").first
    when = first.locator("td.column-when")
    assert not when.is_visible()  # folded under the sentence…
    first.locator("button.toggle-row").click()
    assert when.is_visible()  # …and shown by WordPress's own toggle
    first.locator("details.workos-activity-details summary").click()
    assert first.locator("details.workos-activity-details dl").is_visible()
    assert page.evaluate(OVERFLOW), page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, "activity-390-expanded")
    axe(page)

    # Filtering by event type from the phone.
    page.select_option("#workos-activity-type", "login_failed")
    page.locator("#workos-activity-filter").click()
    page.wait_for_load_state()
    assert "type=login_failed" in page.url
    assert page.locator("#the-list tr[data-id]").count() == 1
