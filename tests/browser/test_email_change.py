"""Users → Profile → WorkOS panel and "Change email" in Chromium (issue 12; the panel is issue 13's too).

A linked subscriber asks for a new address, types a wrong code (told so, nothing changes), then the
code WorkOS sent to the new address (read from the emulator's control API, standing in for that
inbox): WordPress's own email field and the panel show the new address, and still do after a
reload. An administrator changing another user's address on Edit User commits it at once.

Screenshots: .run/<instance>/screenshots/test_email_change/email-change-<width>-{panel,form,code,
wrong-code,done,reloaded}.png and admin-change-1440-{form,done}.png, each with a `-clip` picture of the
WorkOS panel alone.
"""

from __future__ import annotations

import uuid

import pytest
import requests
from conftest import WIDTHS

from authkit import create_workos_user

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def shots(shot, page, name: str) -> None:
    """The full page, and the WorkOS panel alone (`<name>-clip.png`, readable at a glance)."""
    path = shot(page, name)
    page.locator("table.workos-panel").screenshot(path=str(path.with_name(path.stem + "-clip.png")), animations="disabled")
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


def code_sent_to(emulator_url: str, email: str) -> str:
    r = requests.get(emulator_url + "/__emulator/email_change", params={"email": email}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["code"]


@pytest.fixture
def member(wp_eval, wp_user, emulator_url):
    """A subscriber linked to WorkOS, member of "Acme Rockets" (local mirror), signed in once before."""
    tag = "ecb" + uuid.uuid4().hex[:8]
    email = f"{tag}@example.com"
    workos = create_workos_user(emulator_url, email, first_name="Grace", last_name="Hopper")
    user = wp_user(tag, email, "Passw0rd-ecb-1", workos_id=workos["id"])
    wp_eval(
        """
        global $wpdb;
        $org = 'org_' . strtoupper($args['tag']);
        $wpdb->insert($wpdb->base_prefix . 'workos_organizations', ['workos_id' => $org, 'name' => 'Acme Rockets',
            'slug' => $args['tag'], 'domains' => '[]', 'updated_at' => gmdate('Y-m-d H:i:s')]);
        $wpdb->insert($wpdb->base_prefix . 'workos_org_memberships', ['workos_id' => 'om_' . $args['tag'],
            'user_id' => $args['id'], 'workos_user_id' => $args['workos_id'], 'organization_id' => $org,
            'role_slug' => 'member', 'status' => 'active', 'updated_at' => gmdate('Y-m-d H:i:s')]);
        update_user_meta($args['id'], '_workos_last_login', time() - 3600);
        return true;
        """,
        {"tag": tag, "id": user["id"], "workos_id": workos["id"]},
    )
    wp_eval(WIPE_LIMITS)
    yield {**user, "workos_id": workos["id"], "tag": tag}
    wp_eval(
        "global $wpdb; $wpdb->delete($wpdb->base_prefix . 'workos_org_memberships', ['workos_id' => 'om_' . $args]);"
        " $wpdb->delete($wpdb->base_prefix . 'workos_organizations', ['slug' => $args]); return true;",
        tag,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_changes_their_email_with_the_code(width, admin_page, shot, axe, member, emulator_url, wp_eval):
    page = admin_page(width, user=member["login"])
    assert page.goto("/wp-admin/profile.php").status == 200
    panel = page.locator("table.workos-panel")
    panel.scroll_into_view_if_needed()
    assert member["workos_id"] in panel.locator(".workos-panel-user").inner_text()
    assert "Acme Rockets (member)" in panel.locator(".workos-panel-orgs").inner_text()
    assert "Never" not in panel.locator(".workos-panel-last").inner_text()
    # WordPress's own field stays read-only: the panel is the one way.
    assert page.locator("#email").get_attribute("readonly") is not None
    assert page.locator("#workos-email-description a[href='#workos-panel-heading']").inner_text() == (
        "Change it in the WorkOS section below.")
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"email-change-{width}-panel")
    axe(page)

    page.get_by_role("button", name="Change email").click()
    new = f"new-{member['tag']}@example.com"
    field = page.get_by_label("New email address")
    # Focus moves to the new field once React has rendered it (a frame later on a loaded machine).
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'workos-new-email'",
                           timeout=5000)
    field.fill(new)
    shots(shot, page, f"email-change-{width}-form")
    axe(page)
    page.get_by_role("button", name="Send code").click()
    code_field = page.get_by_label("Code", exact=True)
    code_field.wait_for()
    assert "n***@example.com" in page.locator(".workos-email-change-step").inner_text()
    assert page.locator("#email").input_value() == member["email"]
    shots(shot, page, f"email-change-{width}-code")
    axe(page)

    code = code_sent_to(emulator_url, new)
    code_field.fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    alert = page.locator(".workos-email-change-error")
    alert.wait_for(state="visible")
    assert "not right" in alert.inner_text()
    assert "workos-email-change-error" in code_field.get_attribute("aria-describedby")
    assert code_field.get_attribute("aria-invalid") == "true"
    shots(shot, page, f"email-change-{width}-wrong-code")

    code_field.fill(code)
    code_field.press("Enter")  # Enter confirms the code (and does not submit WordPress's form).
    status = page.locator(".workos-email-change-status")
    status.filter(has_text=new).wait_for()
    assert page.locator("#email").input_value() == new
    assert page.locator(".workos-panel-current-email").inner_text() == new
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"email-change-{width}-done")
    axe(page)

    page.reload()
    assert page.locator("#email").input_value() == new
    assert page.locator(".workos-panel-current-email").inner_text() == new
    shots(shot, page, f"email-change-{width}-reloaded")
    assert wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", member["id"]) == new


def test_an_administrator_changes_another_users_email_at_once(admin_page, shot, axe, member, wp_eval):
    page = admin_page(1440)
    assert page.goto(f"/wp-admin/user-edit.php?user_id={member['id']}").status == 200
    page.get_by_role("button", name="Change email").click()
    new = f"admin-set-{member['tag']}@example.com"
    page.get_by_label("New email address").fill(new)
    assert "changes at once" in page.locator("#workos-new-email-help").inner_text()
    shots(shot, page, "admin-change-1440-form")
    page.locator(".workos-email-change-step").get_by_role("button", name="Change email").click()
    page.locator(".workos-email-change-status").filter(has_text=new).wait_for()
    assert page.locator("#email").input_value() == new
    shots(shot, page, "admin-change-1440-done")
    axe(page)
    assert wp_eval("clean_user_cache($args); return get_userdata($args)->user_email;", member["id"]) == new
