"""What a visitor reads when signing in goes wrong, the fallback form's way back to single sign-on,
and the profile screen of an account WorkOS manages (issue 10).

Every refusal is a human sentence with the next step — "try again in a few minutes" when it is
the visitor's to retry, "contact your site administrator" when only the administrator can help —
and never a raw error code or an internal detail (the code is in the `X-WorkOS-Error` header of
the callback's page for support tools, and the detail in the activity log). Nothing a URL carries
is echoed.
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from authkit import authkit_sign_in, create_org, create_workos_user, logged_in_cookie, query, start, with_query
from faults import add_fault, clear_faults
from test_headless import PASSWORD, login_error, post_login, unique_email

@pytest.fixture
def browser(session_factory, wp_url):
    """A visitor's cookie jar."""
    return session_factory(wp_url)


ADMIN = "contact your site administrator"
RETRY = "try again in a few minutes"
AGAIN = "sign in again"
CODE_HEADER = "X-WorkOS-Error"


def text_of(r: requests.Response) -> str:
    """What the visitor reads: the page's text, tags removed, whitespace folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", r.text, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def refusal(r: requests.Response, code: str, next_step: str, status: int | None = None) -> str:
    """The callback's error page: the next step in words, the code only in the header."""
    if status is not None:
        assert r.status_code == status, (r.status_code, r.text[:600])
    assert r.headers.get(CODE_HEADER) == code, (r.headers.get(CODE_HEADER), text_of(r)[:600])
    assert code not in r.text, f"the raw code {code!r} is in the page"
    assert "workos-error-code" not in r.text
    words = text_of(r)
    assert next_step.lower() in words.lower(), words[:800]
    assert "wp-login.php" in r.text, "no way back to the sign-in screen"
    return words


# ---------------------------------------------------------------------------------------------
# The callback: what WorkOS (or anyone) put in the URL
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "error,next_step",
    [
        ("access_denied", AGAIN),
        ("unauthorized_client", ADMIN),
        ("invalid_request", ADMIN),
        ("temporarily_unavailable", RETRY),
        ("server_error", RETRY),
    ],
)
def test_provider_errors_read_as_sentences_with_the_next_step(browser, wp_url, error, next_step):
    planted = "Your account is locked, call +1 555 0100 now"
    r = browser.get("/workos/callback", params={"error": error, "error_description": planted}, allow_redirects=False)
    words = refusal(r, "provider_error", next_step, 400)
    assert error not in r.text
    assert "555 0100" not in words, "the error description of the URL is echoed"
    assert not logged_in_cookie(browser)


def test_forged_error_code_shows_the_generic_message_and_echoes_nothing(browser, wp_url):
    forged = "zz_forged_" + uuid.uuid4().hex[:8]
    r = browser.get("/workos/callback", params={"error": forged, "error_description": "<b>pwned</b> " + forged},
                    allow_redirects=False)
    words = refusal(r, "provider_error", AGAIN, 400)
    assert forged not in r.text and "pwned" not in words
    assert ADMIN in words.lower()  # if it keeps happening


def test_incomplete_callback(browser, wp_url):
    refusal(browser.get("/workos/callback", allow_redirects=False), "missing_parameters", AGAIN, 400)


def test_sign_in_from_another_browser_or_without_cookies(session_factory, wp_url, emulator_url):
    email = unique_email("vis-nosession")
    create_workos_user(emulator_url, email, PASSWORD)
    flow = start(session_factory(wp_url), wp_url)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    fresh = session_factory(wp_url)
    words = refusal(fresh.get(callback, allow_redirects=False), "no_session", AGAIN, 400)
    assert "cookies" in words


def test_tampered_and_replayed_state(browser, session_factory, wp_url, emulator_url):
    email = unique_email("vis-state")
    create_workos_user(emulator_url, email, PASSWORD)
    flow = start(browser, wp_url)
    binding = browser.cookies.get("workos_auth_binding")
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    payload, sig = query(callback)["state"].split(".")
    forged = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + sig
    refusal(browser.get(with_query(callback, state=forged), allow_redirects=False), "invalid_state", AGAIN, 400)
    replay = session_factory(wp_url)
    replay.cookies.set("workos_auth_binding", binding, domain="127.0.0.1", path="/")
    assert browser.get(callback, allow_redirects=False).status_code == 302
    refusal(replay.get(callback, allow_redirects=False), "state_reused", AGAIN, 400)


def test_spent_code_says_sign_in_again_without_workos_reason(session_factory, wp_url, emulator_url):
    email = unique_email("vis-code")
    create_workos_user(emulator_url, email, PASSWORD)
    first = session_factory(wp_url)
    callback = authkit_sign_in(emulator_url, start(first, wp_url), email, PASSWORD)
    assert first.get(callback, allow_redirects=False).status_code == 302
    second = session_factory(wp_url)
    flow = start(second, wp_url)
    r = second.get(with_query(callback, state=flow.params["state"]), allow_redirects=False)
    refusal(r, "invalid_grant", AGAIN, 400)


# ---------------------------------------------------------------------------------------------
# The callback: refusals only the administrator can lift, and outages the visitor can wait out
# ---------------------------------------------------------------------------------------------

def redirect_sign_in(session, wp_url, emulator_url, email):
    flow = start(session, wp_url)
    return session.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)


def test_gate_without_an_organization_sends_the_visitor_to_the_administrator(wp_settings, session_factory, wp_url,
                                                                             emulator_url):
    wp_settings(login_mode="redirect", entitlement_gate=True, organization_id=None)
    email = unique_email("vis-gate")
    create_workos_user(emulator_url, email, PASSWORD)
    refusal(redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email), "gate_misconfigured", ADMIN, 403)


def test_deactivated_account_sends_the_visitor_to_the_administrator(wp_user, wp_eval, session_factory, wp_url,
                                                                    emulator_url):
    email = unique_email("vis-deact")
    workos = create_workos_user(emulator_url, email, PASSWORD)
    person = wp_user("visdeact" + uuid.uuid4().hex[:6], email, "Local-Passw0rd-1", workos_id=workos["id"])
    wp_eval("update_user_meta($args, '_workos_deactivated', 'admin'); return true;", person["id"])
    words = refusal(redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email),
                    "account_deactivated", ADMIN, 403)
    assert "deactivated" in words


def test_not_a_member_of_the_pinned_organization(wp_settings, session_factory, wp_url, emulator_url):
    org = create_org(emulator_url, "Visitors " + uuid.uuid4().hex[:6])
    wp_settings(login_mode="redirect", organization_id=org["id"], entitlement_gate=False)
    email = unique_email("vis-org")
    create_workos_user(emulator_url, email, PASSWORD)
    r = redirect_sign_in(session_factory(wp_url), wp_url, emulator_url, email)
    words = refusal(r, r.headers.get(CODE_HEADER, "?"), ADMIN, 403)
    assert "not a member" in words


def test_workos_down_at_the_exchange_says_try_again_later(wp_settings, session_factory, wp_url, emulator_url):
    wp_settings(login_mode="redirect")
    email = unique_email("vis-down")
    create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    flow = start(s, wp_url)
    callback = authkit_sign_in(emulator_url, flow, email, PASSWORD)
    add_fault(emulator_url, "/user_management/authenticate", "error")
    try:
        r = s.get(callback, allow_redirects=False)
    finally:
        clear_faults(emulator_url)
    words = refusal(r, "workos_unreachable", RETRY, 502)
    assert "could not be reached" in words


# ---------------------------------------------------------------------------------------------
# wp-login.php's error box
# ---------------------------------------------------------------------------------------------

def test_headless_refusals_only_an_administrator_can_lift(wp_settings, session_factory, wp_url, emulator_url):
    wp_settings(login_mode="headless", allow_password_fallback=False, entitlement_gate=True, organization_id=None)
    email = unique_email("vis-hl")
    create_workos_user(emulator_url, email, PASSWORD)
    r = post_login(session_factory(wp_url), wp_url, email, PASSWORD)
    message = login_error(r)
    assert ADMIN in message.lower(), message
    assert "gate_misconfigured" not in r.text


def test_headless_not_entitled_offers_another_account_or_the_administrator(wp_settings, session_factory, wp_url,
                                                                           emulator_url):
    org = create_org(emulator_url, "Gated " + uuid.uuid4().hex[:6])
    wp_settings(login_mode="headless", allow_password_fallback=False, entitlement_gate=True,
                organization_id=org["id"])
    email = unique_email("vis-ent")
    create_workos_user(emulator_url, email, PASSWORD)
    message = login_error(post_login(session_factory(wp_url), wp_url, email, PASSWORD))
    assert ADMIN in message.lower() and "another account" in message.lower(), message


def test_broken_configuration_shows_no_internal_detail(wp_settings, browser, wp_url):
    wp_settings(login_mode="redirect", allow_password_fallback=True, api_base_url="ftp://misconfigured.invalid")
    r = browser.get("/wp-login.php", allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text
    message = login_error(r)
    assert ADMIN in message.lower(), message
    assert "base_url" not in r.text and "https" not in message and "misconfigured.invalid" not in r.text
    assert "password" in message.lower()  # what still works: the WordPress password form below


# ---------------------------------------------------------------------------------------------
# ?fallback=1: the way back to single sign-on
# ---------------------------------------------------------------------------------------------

SSO_LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>\s*Sign in with single sign-on\s*</a>')


def test_fallback_form_links_back_to_sso_keeping_redirect_to(wp_settings, session_factory, wp_url, emulator_url):
    wp_settings(login_mode="redirect", allow_password_fallback=True, organization_id=None, entitlement_gate=False)
    s = session_factory(wp_url)
    r = s.get("/wp-login.php", params={"fallback": "1", "redirect_to": wp_url + "/sample-page/?a=1"},
              allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text
    match = SSO_LINK.search(r.text)
    assert match, "no 'Sign in with single sign-on' link on the fallback form"
    href = html.unescape(match.group(1))
    assert "fallback" not in href
    assert parse_qs(urlparse(href).query).get("redirect_to") == [wp_url + "/sample-page/?a=1"]
    # Following it is single sign-on, and the visitor lands where they were going.
    email = unique_email("vis-back")
    create_workos_user(emulator_url, email, PASSWORD)
    go = s.get(href, allow_redirects=False)
    assert go.status_code == 302 and "/user_management/authorize?" in go.headers["Location"]
    flow_params = query(go.headers["Location"])
    from authkit import Flow
    done = s.get(authkit_sign_in(emulator_url, Flow(go.headers["Location"], flow_params), email, PASSWORD),
                 allow_redirects=False)
    assert done.status_code == 302 and done.headers["Location"] == wp_url + "/sample-page/?a=1"


def test_fallback_form_keeps_the_link_after_a_wrong_password(wp_settings, session_factory, wp_url):
    wp_settings(login_mode="redirect", allow_password_fallback=True)
    r = post_login(session_factory(wp_url), wp_url, "nobody-" + uuid.uuid4().hex[:6], "wrong")
    assert r.status_code == 200 and SSO_LINK.search(r.text)


def test_headless_form_has_no_sso_link_to_loop_on(wp_settings, browser, wp_url):
    wp_settings(login_mode="headless", allow_password_fallback=True)
    r = browser.get("/wp-login.php", params={"fallback": "1"}, allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text
    assert not SSO_LINK.search(r.text)


# ---------------------------------------------------------------------------------------------
# The profile of an account WorkOS manages
# ---------------------------------------------------------------------------------------------

def signed_in_as(wp_eval, session_factory, wp_url, user_id):
    cookies = wp_eval(
        """
        $exp = time() + 3600;
        return [[AUTH_COOKIE, wp_generate_auth_cookie($args, $exp, 'auth')],
                [LOGGED_IN_COOKIE, wp_generate_auth_cookie($args, $exp, 'logged_in')]];
        """,
        user_id,
    )
    s = session_factory(wp_url)
    for name, value in cookies:
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    return s


def profile_form(page: str) -> dict:
    """The fields profile.php / user-edit.php would post back."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(checkbox|radio|submit|button)"', tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields


@pytest.fixture
def managed(wp_user, wp_eval, wp_settings):
    """A WordPress user linked to WorkOS, with this site's organization known by name."""
    org_id = "org_vis" + uuid.uuid4().hex[:10]
    wp_eval("global $wpdb; $wpdb->replace(\\WorkOS_WP\\Schema::table('organizations'), ['workos_id' => $args, "
            "'name' => 'Acme Widgets', 'slug' => 'acme-widgets', 'domains' => '[]', 'updated_at' => gmdate('Y-m-d H:i:s')]);"
            " return true;", org_id)
    wp_settings(organization_id=org_id, entitlement_gate=False)
    email = unique_email("vis-managed")
    person = wp_user("vismanaged" + uuid.uuid4().hex[:6], email, "Local-Passw0rd-1", role="author",
                     workos_id="user_vis" + uuid.uuid4().hex[:10])
    yield person
    wp_eval("global $wpdb; $wpdb->delete(\\WorkOS_WP\\Schema::table('organizations'), ['workos_id' => $args]); return true;",
            org_id)


def password_is(wp_eval, user_id, password) -> bool:
    return wp_eval("$u = get_userdata($args[0]); return wp_check_password($args[1], $u->user_pass, $u->ID);",
                   [user_id, password])


def test_managed_profile_says_so_and_hides_the_password(managed, wp_eval, session_factory, wp_url):
    s = signed_in_as(wp_eval, session_factory, wp_url, managed["id"])
    r = s.get("/wp-admin/profile.php")
    assert r.status_code == 200
    words = text_of(r)
    assert "This account is managed by Acme Widgets through WorkOS" in words, words[:1500]
    assert 'id="pass1"' not in r.text and "Set New Password" not in words
    email = re.search(r'<input\b[^>]*\bid="email"[^>]*>', r.text).group(0)
    assert "readonly" in email, email
    assert 'id="application-passwords-section"' in r.text  # WordPress's own API credentials stay


def test_managed_profile_refuses_a_posted_password_or_email(managed, wp_eval, session_factory, wp_url):
    s = signed_in_as(wp_eval, session_factory, wp_url, managed["id"])
    fields = profile_form(s.get("/wp-admin/profile.php").text)
    assert fields.get("_wpnonce")
    r = s.post("/wp-admin/profile.php", data={**fields, "pass1": "New-Passw0rd-77", "pass2": "New-Passw0rd-77"})
    assert r.status_code == 200 and "managed by" in text_of(r)
    assert password_is(wp_eval, managed["id"], "Local-Passw0rd-1")
    r = s.post("/wp-admin/profile.php", data={**fields, "email": "elsewhere-" + uuid.uuid4().hex[:6] + "@example.com"})
    assert r.status_code == 200
    assert wp_eval("return [get_userdata($args)->user_email, get_user_meta($args, '_new_email', true)];",
                   managed["id"]) == [managed["email"], ""]


def test_administrator_cannot_change_a_managed_users_password_or_email(managed, wp_eval, session_factory, wp_url,
                                                                      admin_credentials):
    admin_id = wp_eval("return get_user_by('login', $args)->ID;", admin_credentials[0])
    s = signed_in_as(wp_eval, session_factory, wp_url, admin_id)
    page = s.get("/wp-admin/user-edit.php", params={"user_id": managed["id"]})
    assert "managed by Acme Widgets through WorkOS" in text_of(page)
    assert 'id="pass1"' not in page.text
    fields = profile_form(page.text)
    r = s.post("/wp-admin/user-edit.php", data={**fields, "pass1": "New-Passw0rd-78", "pass2": "New-Passw0rd-78",
                                               "email": "moved-" + uuid.uuid4().hex[:6] + "@example.com"})
    assert r.status_code == 200 and "managed by" in text_of(r)
    assert password_is(wp_eval, managed["id"], "Local-Passw0rd-1")
    assert wp_eval("return get_userdata($args)->user_email;", managed["id"]) == managed["email"]


def test_unlinked_profile_is_unchanged(wp_user, wp_eval, session_factory, wp_url):
    person = wp_user("visplain" + uuid.uuid4().hex[:6], unique_email("vis-plain"), "Local-Passw0rd-1")
    s = signed_in_as(wp_eval, session_factory, wp_url, person["id"])
    r = s.get("/wp-admin/profile.php")
    assert 'id="pass1"' in r.text and "through WorkOS" not in text_of(r)
    assert "readonly" not in re.search(r'<input\b[^>]*\bid="email"[^>]*>', r.text).group(0)
    fields = profile_form(r.text)
    r = s.post("/wp-admin/profile.php", data={**fields, "pass1": "New-Passw0rd-79", "pass2": "New-Passw0rd-79"},
               allow_redirects=False)
    assert r.status_code == 302
    assert password_is(wp_eval, person["id"], "New-Passw0rd-79")
