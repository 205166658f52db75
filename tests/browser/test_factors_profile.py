"""Users → Profile → "Two-step sign-in" in Chromium (issue 12: a signed-in user lists and removes their factors).

A subscriber linked to WorkOS opens their own profile: no factor yet. They add an authenticator app (the QR code
is on the page and the key is shown grouped for typing; the test computes the code from that key as an
authenticator app would, RFC 6238), a wrong code is refused first; then a phone for text messages (the code is
read from the emulator's `/__emulator/sms`, standing in for the phone); then they remove the authenticator app
through the confirmation dialog: it is gone from the list, after a reload, and at WorkOS. The section drives
php-shim/src/SignIn/Hosted/FactorsRest.php (tests/e2e/test_factors_api.py covers that API's refusals); another
person's factor id is refused from a real signed-in page too.

Screenshots: .run/<instance>/screenshots/test_factors_profile/factors-<width>-{empty,totp,totp-wrong,totp-done,
sms-phone,sms-code,both,dialog,removed,reloaded}.png, each with a `-clip` picture of the section alone.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests
from conftest import WIDTHS

from authkit import create_workos_user, totp, wrong

OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"
SECTION = "#workos-factors"






def shots(shot, page, name: str, clip: str = SECTION) -> None:
    """The full page, and the section (or `clip`) alone (`<name>-clip.png`, readable at a glance)."""
    path = shot(page, name)
    page.locator("#workos-factors-heading").scroll_into_view_if_needed()
    page.locator(clip).screenshot(path=str(path.with_name(path.stem + "-clip.png")), animations="disabled")


def at_workos(emulator_url: str, email: str) -> list[str]:
    r = requests.get(emulator_url + "/__emulator/auth_factors", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    return [f["id"] for f in r.json()["data"]]


def listed(page) -> list[tuple[str, str]]:
    """(type, text) of each factor in the section's list."""
    rows = page.locator(f"{SECTION} .workos-factor")
    return [(rows.nth(i).get_attribute("data-type"), rows.nth(i).inner_text()) for i in range(rows.count())]


def ready(page) -> None:
    """The script has loaded the list (or said why not)."""
    page.locator(f"{SECTION} .workos-factors-list, {SECTION} .workos-factors-error:not([hidden])").first.wait_for()


@pytest.fixture(autouse=True)
def fresh_limits(wp_eval):
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def sms_profile(wp_eval):
    """A Login Profile that allows TOTP and SMS factors, so the section offers both (deleted after)."""
    saved = wp_eval(
        """
        $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
        if (is_wp_error($p)) { throw new Exception($p->get_error_code()); }
        return $p->to_array();
        """,
        {"slug": "facb-" + uuid.uuid4().hex[:8], "title": "Factors (browser)", "methods": ["password"],
         "mfa": {"enforce": "if_required", "factors": ["totp", "sms"]}},
    )
    yield saved["slug"]
    wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", saved["id"])


@pytest.fixture
def linked(wp_user, emulator_url):
    """linked() -> {id, login, email, workos_id}: a subscriber linked to a new WorkOS user."""

    def _make() -> dict:
        tag = "facb" + uuid.uuid4().hex[:8]
        email = f"{tag}@example.com"
        workos = create_workos_user(emulator_url, email, first_name="Grace", last_name="Hopper")
        return {**wp_user(tag, email, "Passw0rd-facb-1", workos_id=workos["id"]), "workos_id": workos["id"]}

    return _make


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_adds_totp_and_sms_then_removes_one(width, admin_page, shot, axe, linked, sms_profile,
                                                     emulator_url, wp_eval):
    member = linked()
    page = admin_page(width, user=member["login"])
    assert page.goto("/wp-admin/profile.php").status == 200
    heading = page.get_by_role("heading", name="Two-step sign-in")
    heading.scroll_into_view_if_needed()
    ready(page)
    assert listed(page) == []
    assert "no second factor yet" in page.locator(f"{SECTION} .workos-factors-empty").inner_text()
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"factors-{width}-empty")
    axe(page)

    # An authenticator app: QR code on the page, the key grouped by four for typing.
    page.get_by_role("button", name="Add an authenticator app").click()
    code_field = page.get_by_label("Code from your authenticator app")
    code_field.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'workos-factors-totp-code'", timeout=5000)
    qr = page.locator(f"{SECTION} img.workos-factors-qr")
    assert qr.get_attribute("src").startswith("data:image/png;base64,") and qr.get_attribute("alt")
    assert page.evaluate("() => document.querySelector('.workos-factors-qr').naturalWidth") > 0
    shown = page.locator(f"{SECTION} .workos-factors-secret").inner_text()
    groups = shown.split(" ")
    assert len(groups) > 1 and all(len(g) == 4 for g in groups[:-1]), shown
    secret = shown.replace(" ", "")
    [factor_id] = at_workos(emulator_url, member["email"])
    # Until its first code it is listed as waiting (and would be removed by Cancel).
    assert [t for t, _ in listed(page)] == ["totp"]
    assert "Not set up yet" in listed(page)[0][1]
    # … and left to the step's Cancel, not a Remove button of its own.
    assert page.locator(f"{SECTION} .workos-factor-remove").count() == 0
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"factors-{width}-totp")
    axe(page)

    code_field.fill(wrong(totp(secret)))
    page.locator(SECTION).get_by_role("button", name="Confirm").click()
    alert = page.locator(f"{SECTION} .workos-factors-error")
    alert.wait_for(state="visible")
    assert "not right" in alert.inner_text()
    # Said inside the step, under the field it is about.
    assert page.locator(f"{SECTION} .workos-factors-step #workos-factors-error").count() == 1
    assert code_field.get_attribute("aria-invalid") == "true"
    assert "workos-factors-error" in code_field.get_attribute("aria-describedby")
    shots(shot, page, f"factors-{width}-totp-wrong")

    code_field.fill(totp(secret))
    code_field.press("Enter")  # Enter confirms (and does not submit WordPress's profile form).
    status = page.locator(f"{SECTION} .workos-factors-status")
    status.filter(has_text="authenticator app is now").wait_for()
    assert page.url.endswith("/wp-admin/profile.php")
    assert alert.is_hidden()
    assert [t for t, _ in listed(page)] == ["totp"]
    assert "Authenticator app" in listed(page)[0][1] and "Not set up yet" not in listed(page)[0][1]
    assert "Added " in listed(page)[0][1]
    assert page.evaluate("() => document.activeElement.textContent") == "Add an authenticator app"
    shots(shot, page, f"factors-{width}-totp-done")

    # A phone for text messages: number, then the texted code.
    number = "+1555" + str(uuid.uuid4().int)[:7]
    page.get_by_role("button", name="Add a phone for text messages").click()
    phone_field = page.get_by_label("Mobile number")
    phone_field.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'workos-factors-phone'", timeout=5000)
    phone_field.fill(number)
    shots(shot, page, f"factors-{width}-sms-phone")
    axe(page)
    page.locator(SECTION).get_by_role("button", name="Send code").click()
    sms_field = page.get_by_label("Code from the text message")
    sms_field.wait_for()
    assert number in page.locator("#workos-factors-sms-help").inner_text()
    texts = requests.get(emulator_url + "/__emulator/sms", params={"phone_number": number}, timeout=10).json()["data"]
    assert texts, "no text was sent"
    shots(shot, page, f"factors-{width}-sms-code")
    axe(page)
    sms_field.fill(texts[0]["code"])
    page.locator(SECTION).get_by_role("button", name="Confirm").click()
    status.filter(has_text="Text messages to this number").wait_for()
    rows = listed(page)
    assert sorted(t for t, _ in rows) == ["sms", "totp"], rows
    sms_text = next(text for t, text in rows if t == "sms")
    assert number[-4:] in sms_text and number not in sms_text  # masked: the last digits only
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"factors-{width}-both")
    axe(page)

    # Remove the authenticator app: a dialog asks first; focus starts on "Keep it"; Escape keeps it.
    page.get_by_role("button", name="Remove the authenticator app").click()
    dialog = page.get_by_role("dialog", name="Remove the authenticator app?")
    dialog.wait_for()
    assert page.evaluate("() => document.activeElement.textContent") == "Keep it"
    shots(shot, page, f"factors-{width}-dialog", clip="dialog.workos-factors-dialog")
    axe(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Remove the authenticator app"
    assert at_workos(emulator_url, member["email"]) == [factor_id]

    page.get_by_role("button", name="Remove the authenticator app").click()
    dialog.get_by_role("button", name="Remove", exact=True).click()
    status.filter(has_text="Removed the authenticator app.").wait_for()
    assert [t for t, _ in listed(page)] == ["sms"]
    assert at_workos(emulator_url, member["email"]) == []
    assert [f["id"] for f in wp_eval("return get_user_meta($args, 'workos_sms_factors', true);", member["id"])]
    shots(shot, page, f"factors-{width}-removed")
    axe(page)

    page.reload()
    ready(page)
    assert [t for t, _ in listed(page)] == ["sms"]
    assert page.evaluate(OVERFLOW)
    shots(shot, page, f"factors-{width}-reloaded")


def test_cancelling_an_authenticator_app_removes_it_at_workos(admin_page, linked, emulator_url):
    """A TOTP factor is a sign-in factor at WorkOS as soon as it exists: one never confirmed must not stay."""
    member = linked()
    page = admin_page(1440, user=member["login"])
    page.goto("/wp-admin/profile.php")
    ready(page)
    page.get_by_role("button", name="Add an authenticator app").click()
    page.get_by_label("Code from your authenticator app").wait_for()
    assert len(at_workos(emulator_url, member["email"])) == 1
    page.locator(SECTION).get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Add an authenticator app").wait_for()
    assert listed(page) == []
    assert at_workos(emulator_url, member["email"]) == []


def test_an_old_session_is_asked_to_sign_in_again_before_removing(admin_page, linked, emulator_url, wp_eval, shot):
    """Removing a second factor needs a sign-in within 15 minutes: a page of an older session says so, with
    the link to sign in again (the refusal's login_url), and nothing is removed."""
    from authkit import age_sessions

    member = linked()
    page = admin_page(1440, user=member["login"])
    page.goto("/wp-admin/profile.php")
    ready(page)
    page.get_by_role("button", name="Add an authenticator app").click()
    page.get_by_label("Code from your authenticator app").wait_for()
    secret = page.locator(f"{SECTION} .workos-factors-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(totp(secret))
    page.locator(SECTION).get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name="Remove the authenticator app").wait_for()
    age_sessions(wp_eval, member["id"])
    page.get_by_role("button", name="Remove the authenticator app").click()
    page.get_by_role("dialog", name="Remove the authenticator app?").get_by_role("button", name="Remove", exact=True).click()
    alert = page.locator(f"{SECTION} .workos-factors-error")
    alert.filter(has_text="sign in again").wait_for()
    link = alert.get_by_role("link", name="Sign in again")
    assert "reauth=1" in link.get_attribute("href")
    shot(page, "factors-reauth")
    assert len(at_workos(emulator_url, member["email"])) == 1


def test_another_persons_factor_is_refused(admin_page, linked, emulator_url):
    """From a real signed-in profile page (its own REST nonce), an id that is not the person's is refused."""
    owner, other = linked(), linked()
    mine = admin_page(1440, user=owner["login"])
    mine.goto("/wp-admin/profile.php")
    ready(mine)
    mine.get_by_role("button", name="Add an authenticator app").click()
    secret = mine.locator(f"{SECTION} .workos-factors-secret").inner_text().replace(" ", "")
    mine.get_by_label("Code from your authenticator app").fill(totp(secret))
    mine.locator(SECTION).get_by_role("button", name="Confirm").click()
    mine.locator(f"{SECTION} .workos-factors-status").filter(has_text="authenticator app is now").wait_for()
    [factor_id] = at_workos(emulator_url, owner["email"])

    theirs = admin_page(1440, user=other["login"])
    theirs.goto("/wp-admin/profile.php")
    ready(theirs)
    answer = theirs.evaluate(
        """async (id) => {
            const c = JSON.parse(document.getElementById('workos-factors').dataset.config);
            const r = await fetch(c.restBase + 'factor/delete', {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-WP-Nonce': c.nonce},
                body: JSON.stringify({factor_id: id})});
            return [r.status, (await r.json()).code];
        }""",
        factor_id,
    )
    assert answer == [404, "workos_authkit_factor_not_found"]
    assert listed(theirs) == []
    assert at_workos(emulator_url, owner["email"]) == [factor_id]


def test_shown_only_on_a_linked_persons_own_profile(admin_page, linked, wp_user):
    member = linked()
    # An administrator on the member's Edit User screen: their factors are theirs to manage.
    admin = admin_page(1440)
    assert admin.goto(f"/wp-admin/user-edit.php?user_id={member['id']}").status == 200
    assert admin.locator("table.workos-panel").count() == 1  # the WorkOS panel is there …
    assert admin.locator(SECTION).count() == 0  # … the factors are not
    # A WordPress-only account has none to manage.
    plain = wp_user("facplain" + uuid.uuid4().hex[:6], f"plain-{uuid.uuid4().hex[:8]}@example.com", "Passw0rd-facb-2")
    page = admin_page(1440, user=plain["login"])
    assert page.goto("/wp-admin/profile.php").status == 200
    assert page.locator(SECTION).count() == 0
    assert page.get_by_role("heading", name="Two-step sign-in").count() == 0
    # The member's own profile has it (with the account script); their other admin screens load neither.
    mine = admin_page(1440, user=member["login"])
    assert mine.goto("/wp-admin/profile.php").status == 200
    assert mine.locator(SECTION).count() == 1
    assert mine.locator("script[src*='js/account/build/']").count() == 1
    assert mine.goto("/wp-admin/index.php").status == 200
    assert mine.locator(SECTION).count() == 0
    assert mine.locator("script[src*='js/account/build/']").count() == 0
