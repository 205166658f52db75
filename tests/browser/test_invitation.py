"""Issue 12: accepting an invitation in the hosted login, in a real browser.

The link WorkOS emails (`?invitation_token=` on a profile's page, or on wp-login.php in the `custom` login
mode) opens the shell's invitation step: the organization and the invited address are shown, the invitee
chooses a password (or uses a social provider) and lands signed in, a member of the organization — at
WorkOS and in WordPress. An address that has an account is asked for that account's password; a spent or
unknown link says so. Screenshots of each step at WIDTHS; axe on the step.
The API behind it is tests/e2e/test_invitation_api.py's.
"""

from __future__ import annotations

import subprocess
import uuid
from urllib.parse import quote

import pytest
import requests
from authkit import create_org, create_workos_user
from conftest import REPO, WIDTHS
from test_hosted_signin import REFUSALS, RESET_DEFAULT, WIPE_LIMITS, error_text, hydrated, signed_in, step, unique_email

PASSWORD = "Passw0rd!-hosted"
NEW_PASSWORD = "Invited-Passw0rd!"
TARGET = "/?welcome=1"


@pytest.fixture(scope="module", autouse=True)
def built_shell():
    if not (REPO / "php-shim" / "js" / "login" / "build" / "index.js").is_file():
        subprocess.run([str(REPO / "scripts" / "js-build.sh")], check=True, cwd=REPO)


@pytest.fixture(autouse=True)
def hosted_site(wp_eval, wp_settings):
    """The hosted login on (custom mode), the default profile as seeded (password, code, Google) plus
    GitHub, short response floor, no limits hit."""
    wp_settings(login_mode="custom", allow_password_fallback=True)
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)
    wp_eval("""$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default();
        $a = $d->to_array(); $a['methods'] = ['password', 'magic_code', 'oauth_github'];
        $a['branding']['heading'] = 'Welcome'; unset($a['id']);
        $p = WorkOS_WP\\Profiles\\ProfileRepository::save($a, $d->get_id());
        if (is_wp_error($p)) { throw new Exception($p->get_error_message()); } return true;""")
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)
    wp_eval(RESET_DEFAULT)


@pytest.fixture
def invite(env, emulator_url):
    """invite(email, org=None) -> WorkOS's invitation (with its token), as `wp workos invite` sends one."""
    def _send(email: str, org: dict | None = None) -> dict:
        body = {"email": email}
        if org:
            body["organization_id"] = org["id"]
        r = requests.post(emulator_url + "/user_management/invitations", json=body,
                          headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=30)
        assert r.status_code == 201, r.text
        return r.json()
    return _send


def member_of(wp_eval, email: str) -> list[str]:
    """The organizations the WordPress user of `email` is an active member of (the local copy)."""
    return wp_eval("""$u = get_user_by('email', $args); if (!$u) { return null; }
        return array_values(array_map(function ($m) { return $m['organization_id']; }, array_filter(
            WorkOS_WP\\Users\\Memberships::memberships_of($u->ID), function ($m) { return 'active' === $m['status']; })));""",
                   email)


def open_invitation(page, token: str, path: str = "/workos/login/default/") -> None:
    page.goto(f"{path}?invitation_token={token}&redirect_to=" + quote(TARGET, safe=""))
    hydrated(page)
    page.wait_for_function("() => !document.querySelector('.wa-status').textContent", timeout=20000)


@pytest.mark.parametrize("width", WIDTHS)
def test_accepting_an_invitation_signs_in_as_a_member(width, visitor_page, invite, emulator_url, wp_url, wp_eval, shot, axe):
    org = create_org(emulator_url, "Northwind " + uuid.uuid4().hex[:4])
    email = unique_email("invitee")
    inv = invite(email, org)
    page = visitor_page(width, allow_console=REFUSALS)
    open_invitation(page, inv["token"])
    step(page, "#wa-new-password")
    assert page.locator(".wa-intro").inner_text() == f"You have been invited to join {org['name']}."
    assert page.locator("#wa-invite-email").input_value() == email
    assert page.locator("#wa-invite-email").get_attribute("readonly") is not None
    # No "you@… Use a different email" line: the invitation names its address.
    assert page.locator(".wa-identity").count() == 0
    # The keyboard starts in the first field.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-first-name'", timeout=5000)
    shot(page, f"invitation-{width}")
    axe(page)
    page.fill("#wa-first-name", "Nadia")
    page.fill("#wa-last-name", "Northwind")
    page.fill("#wa-new-password", "short")
    page.keyboard.press("Enter")
    assert "too weak" in error_text(page)
    assert page.locator("#wa-new-password").get_attribute("aria-invalid") == "true"
    shot(page, f"invitation-weak-password-{width}")
    page.fill("#wa-new-password", NEW_PASSWORD)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.get_by_role("button", name="Accept invitation").click()
    assert page.url == wp_url + TARGET and signed_in(page)
    assert member_of(wp_eval, email) == [org["id"]]


def test_an_existing_account_is_asked_for_its_password(visitor_page, invite, emulator_url, wp_url, wp_eval, shot):
    org = create_org(emulator_url, "Contoso " + uuid.uuid4().hex[:4])
    email = unique_email("known")
    create_workos_user(emulator_url, email, PASSWORD)
    inv = invite(email, org)
    page = visitor_page(390, allow_console=REFUSALS)
    # Through wp-login.php, as the WorkOS dashboard's accept-invitation URL may point.
    open_invitation(page, inv["token"], "/wp-login.php")
    step(page, "#wa-new-password")
    page.fill("#wa-first-name", "Someone")
    page.fill("#wa-new-password", NEW_PASSWORD)
    page.keyboard.press("Enter")
    assert "already an account" in error_text(page)
    # Its password now: no names, the field says so, and it is where the keyboard is.
    assert page.locator("#wa-first-name").count() == 0
    assert page.locator("label[for=wa-new-password]").inner_text() == "Password"
    assert page.locator("#wa-new-password").input_value() == ""
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'wa-new-password'", timeout=5000)
    shot(page, "invitation-existing-account")
    page.fill("#wa-new-password", PASSWORD)
    with page.expect_navigation(url=lambda u: u.endswith(TARGET)):
        page.keyboard.press("Enter")
    assert signed_in(page) and member_of(wp_eval, email) == [org["id"]]


def test_a_social_provider_accepts_the_invitation(visitor_page, invite, env, emulator_url, wp_url, wp_eval, shot):
    org = create_org(emulator_url, "Fabrikam " + uuid.uuid4().hex[:4])
    email = unique_email("octocat")
    inv = invite(email, org)
    page = visitor_page()
    open_invitation(page, inv["token"])
    step(page, "#wa-new-password")
    page.get_by_role("button", name="Continue with GitHub").click()
    # The emulator's stand-in for GitHub, where the invitee uses the invited address.
    page.wait_for_url(emulator_url + "/user_management/authorize*")
    page.fill("input[name=email]", email)
    with page.expect_navigation(url=lambda u: u.startswith(wp_url) and u.endswith(TARGET)):
        page.get_by_role("button", name="Continue").click()
    assert signed_in(page)
    got = requests.get(emulator_url + "/user_management/invitations/" + inv["id"],
                       headers={"Authorization": "Bearer " + env["API_KEY"]}, timeout=10).json()
    assert got["state"] == "accepted"
    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    user = [u for u in state["users"] if u["email"] == email][0]
    assert org["id"] in {m["organization_id"] for m in state["organization_memberships"] if m["user_id"] == user["id"]}


def test_a_spent_or_unknown_link_says_so_and_leads_to_sign_in(visitor_page, invite, emulator_url, shot, axe):
    org = create_org(emulator_url, "Spent " + uuid.uuid4().hex[:4])
    email = unique_email("twice")
    inv = invite(email, org)
    first = visitor_page(allow_console=REFUSALS)
    open_invitation(first, inv["token"])
    step(first, "#wa-new-password")
    first.fill("#wa-new-password", NEW_PASSWORD)
    with first.expect_navigation(url=lambda u: u.endswith(TARGET)):
        first.keyboard.press("Enter")
    page = visitor_page(390, allow_console=REFUSALS)
    open_invitation(page, inv["token"])
    assert "already been accepted" in error_text(page)
    assert page.locator("#wa-new-password").count() == 0
    shot(page, "invitation-spent")
    axe(page)
    page.get_by_role("button", name="Go to sign in").click()
    page.wait_for_selector("#wa-email")
    assert page.locator("#wa-error").inner_text() == ""
    open_invitation(page, "NoSuchInvitation123")
    assert "not valid" in error_text(page)
