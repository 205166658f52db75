"""Sign-up in the hosted login (issue 12): POST /wp-json/workos/v1/auth/signup/create and signup/verify.

The sign-up creates the WorkOS user, then signs in with its password like anyone: WorkOS asks for the
address to be verified, the emailed code continues here and the one sign-in pipeline creates the WordPress
user (verified email only). Only where the Login Profile allows it (`signup.enabled`, the password method),
with an invitation when it says `signup.require_invite`. An address that is taken answers exactly like a
new one (its owner is told by email), and the step that follows can only fail like a wrong code.
wp-login.php?action=register opens the shell on its sign-up step in the `custom` login mode.
"""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
import requests

from authkit import create_workos_user, emulator_requests, logged_in_cookie, workos_password_works
from test_auth_api import (  # noqa: F401 -- fixtures: the short floor and fresh limits, profiles, browsers
    PASSWORD,
    WIPE_LIMITS,
    Browser,
    browser,
    error_of,
    fast_floor,
    profile,
    unique_email,
)

SIGNUP = {"enabled": True, "require_invite": False}


def verification_code(emulator_url: str, email: str) -> str | None:
    r = requests.get(emulator_url + "/__emulator/email_verification", params={"email": email}, timeout=10)
    return r.json()["code"] if r.status_code == 200 else None


def mails_to(wp_eval, email: str) -> list[dict]:
    return wp_eval("return workos_test_mail_read($args);", email)


@pytest.fixture
def signup_profile(profile):
    """A profile offering password sign-in and sign-up."""
    return lambda **fields: profile(methods=["password", "magic_code"], signup=SIGNUP, **fields)


def create(b: Browser, email: str, password: str = PASSWORD, **extra) -> requests.Response:
    return b.post("signup/create", {"email": email, "password": password, **extra})


def test_sign_up_verify_and_be_signed_in(signup_profile, browser, emulator_url, wp_eval, wp_url, session_factory):
    p = signup_profile()
    email = unique_email("signup")
    b = browser(p["slug"])
    r = create(b, email, first_name="Grace", last_name="Hopper", redirect_to="/sample-page/")
    assert r.status_code == 201, r.text
    step = r.json()
    assert set(step) == {"verification_needed", "email_verification_required", "pending_authentication_token",
                         "email", "user"}
    assert step["verification_needed"] is True and step["email"] == email
    assert step["user"] == {"email": email, "email_verified": False}
    token = step["pending_authentication_token"]
    # WorkOS's own pending token never reaches the browser.
    assert "pending" not in token.lower() and not logged_in_cookie(b.s)
    # The WorkOS user exists, with the names given, not yet verified; WordPress has nobody yet.
    users = wp_eval("return WorkOS_WP\\Api::client()->listUsers(['email' => $args])['data'];", email)
    assert len(users) == 1 and users[0]["first_name"] == "Grace" and users[0]["email_verified"] is False
    assert wp_eval("return (bool) get_user_by('email', $args);", email) is False
    code = verification_code(emulator_url, email)
    assert code
    # The step is this browser's and this profile's.
    thief = Browser(session_factory(wp_url), p["slug"])
    error_of(thief.post("signup/verify", {"email": email, "code": code, "pending_authentication_token": token}),
             400, "workos_authkit_step_expired")
    error_of(browser().post("signup/verify", {"email": email, "code": code, "pending_authentication_token": token}),
             400, "workos_authkit_signup_disabled")
    # A wrong code is a wrong code; the right one signs in and links by the verified email.
    wrong = "000000" if code != "000000" else "111111"
    error_of(b.post("signup/verify", {"email": email, "code": wrong, "pending_authentication_token": token}),
             400, "workos_authkit_invalid_code")
    done = b.post("signup/verify", {"email": email, "code": code, "pending_authentication_token": token,
                                    "redirect_to": "/sample-page/"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["user"]["email"] == email and body["redirect_to"] == wp_url + "/sample-page/"
    assert logged_in_cookie(b.s)
    assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", body["user"]["id"]) == users[0]["id"]
    assert wp_eval("return get_userdata($args)->first_name;", body["user"]["id"]) == "Grace"
    # The step is spent (the browser's binding went with the sign-in).
    b.nonce()
    error_of(b.post("signup/verify", {"email": email, "code": code, "pending_authentication_token": token}),
             400, "workos_authkit_step_expired")


def test_a_taken_address_answers_like_a_new_one(signup_profile, browser, emulator_url, wp_eval, env):
    p = signup_profile()
    taken = unique_email("taken")
    create_workos_user(emulator_url, taken, "Original-pw-1")
    wp_eval("workos_test_mail_clear(); return true;")
    b = browser(p["slug"])
    new = create(b, unique_email("fresh"))
    old = create(b, taken, "Attacker-pw-2")
    assert new.status_code == old.status_code == 201, old.text
    a, o = new.json(), old.json()
    assert set(a) == set(o) and set(a["user"]) == set(o["user"]) and o["user"]["email_verified"] is False
    assert len(a["pending_authentication_token"]) == len(o["pending_authentication_token"])
    assert new.headers.get("X-WorkOS-Response-Floor") == old.headers.get("X-WorkOS-Response-Floor") == "40"
    # Nothing changed for the owner: no code, the same password; they are told by email instead.
    assert verification_code(emulator_url, taken) is None
    assert workos_password_works(emulator_url, env, taken, "Original-pw-1")
    mails = mails_to(wp_eval, taken)
    assert len(mails) == 1 and "already have an account" in mails[0]["subject"], mails
    assert p["slug"] in mails[0]["message"]
    # The activity log says what happened, in words.
    said = wp_eval("""global $wpdb; $row = $wpdb->get_row($wpdb->prepare(
        "SELECT * FROM {$wpdb->base_prefix}workos_activity_log WHERE type = 'signup_existing' AND metadata LIKE %s ORDER BY id DESC LIMIT 1",
        '%' . $wpdb->esc_like($args) . '%'), ARRAY_A);
        return $row ? WorkOS_WP\\Admin\\ActivityEvents::text($row) : null;""", taken)
    assert said and taken in said and "already has an account" in said, said
    # Any code for that step is only ever a wrong code.
    for code in ("123456", "654321"):
        error_of(b.post("signup/verify", {"email": taken, "code": code,
                                          "pending_authentication_token": o["pending_authentication_token"]}),
                 400, "workos_authkit_invalid_code")
    assert not logged_in_cookie(b.s)


def test_answers_take_the_response_floor(signup_profile, browser, emulator_url, wp_eval):
    wp_eval("update_option('workos_test_auth_floor_ms', '700'); return true;")
    p = signup_profile()
    taken = unique_email("floor-taken")
    create_workos_user(emulator_url, taken, PASSWORD)
    b = browser(p["slug"])
    for email in (taken, unique_email("floor-new")):
        started = time.monotonic()
        r = create(b, email)
        assert r.status_code == 201 and time.monotonic() - started >= 0.7, r.text
        started = time.monotonic()
        r = b.post("signup/verify", {"email": email, "code": "123456",
                                     "pending_authentication_token": r.json()["pending_authentication_token"]})
        assert r.status_code == 400 and time.monotonic() - started >= 0.7, r.text


def test_sign_up_only_where_the_profile_allows_it(browser, profile, emulator_url):
    email = unique_email("nosignup")
    # The default profile does not allow sign-up; nor does one without the password method.
    error_of(create(browser(), email), 400, "workos_authkit_signup_disabled")
    codes_only = profile(methods=["magic_code"], signup=SIGNUP)
    error_of(create(browser(codes_only["slug"]), email), 400, "workos_authkit_signup_disabled")
    redirect = profile(methods=["password"], signup=SIGNUP, mode="authkit_redirect")
    error_of(create(browser(redirect["slug"]), email), 400, "workos_authkit_signup_disabled")
    # The same guard as every route: the nonce.
    open_p = profile(methods=["password"], signup=SIGNUP)
    b = browser(open_p["slug"])
    error_of(b.post("signup/create", {"email": email, "password": PASSWORD}, nonce="garbage"),
             403, "workos_authkit_invalid_nonce")
    assert not [c for c in emulator_requests(emulator_url, "/user_management/users", "POST")
                if c["body"].get("email") == email]


def test_bad_input_is_refused_before_workos(signup_profile, browser, emulator_url):
    b = browser(signup_profile()["slug"])
    email = unique_email("badinput")
    error_of(create(b, "not-an-email"), 400, "workos_authkit_invalid_input")
    error_of(create(b, email, ""), 400, "workos_authkit_invalid_input")
    # Too short for any address, taken or not (so WorkOS's strength check tells nobody anything).
    error_of(create(b, email, "short"), 400, "workos_authkit_invalid_input")
    error_of(create(b, email, first_name="x" * 101), 400, "workos_authkit_invalid_input")
    error_of(create(b, email, redirect_to="https://evil.example/"), 400, "workos_authkit_invalid_input")
    error_of(b.post("signup/verify", {"email": email, "code": "12ab", "pending_authentication_token": "x"}),
             400, "workos_authkit_invalid_input")
    error_of(b.post("signup/verify", {"email": email, "code": "123456", "pending_authentication_token": "forged"}),
             400, "workos_authkit_step_expired")
    assert not [c for c in emulator_requests(emulator_url, "/user_management/users", "POST")
                if c["body"].get("email") == email]


def test_require_invite_needs_an_invitation_for_that_address(browser, profile, emulator_url, wp_eval):
    p = profile(methods=["password"], signup={"enabled": True, "require_invite": True})
    b = browser(p["slug"])
    email = unique_email("invited")
    error_of(create(b, email), 403, "workos_authkit_invitation_required")
    error_of(create(b, email, invitation_token="not-a-real-token"), 403, "workos_authkit_invitation_required")
    invitation = wp_eval("return WorkOS_WP\\Api::client()->sendInvitation(['email' => $args]);", email)
    other = wp_eval("return WorkOS_WP\\Api::client()->sendInvitation(['email' => $args]);", unique_email("someone"))
    # Another person's invitation does not do.
    error_of(create(b, email, invitation_token=other["token"]), 403, "workos_authkit_invitation_required")
    # (Refusals count against the limits too: three tries per address and client a minute.)
    wp_eval(WIPE_LIMITS)
    r = create(b, email, invitation_token=invitation["token"])
    assert r.status_code in (200, 201), r.text
    if r.status_code == 201:
        # WorkOS still asked for the address: the code finishes it.
        r = b.post("signup/verify", {"email": email, "code": verification_code(emulator_url, email),
                                     "pending_authentication_token": r.json()["pending_authentication_token"]})
        assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == email and logged_in_cookie(b.s)


def test_sign_ups_are_rate_limited(signup_profile, browser):
    b = browser(signup_profile()["slug"])
    email = unique_email("limited")
    for _ in range(3):
        assert create(b, email).status_code == 201
    r = create(b, email)
    body = error_of(r, 429, "workos_rate_limited")
    assert int(r.headers["Retry-After"]) >= 1 and body["data"]["retry_after"] >= 1


def test_wrong_codes_of_one_step_are_limited(signup_profile, browser, emulator_url):
    b = browser(signup_profile()["slug"])
    email = unique_email("codes")
    token = create(b, email).json()["pending_authentication_token"]
    code = verification_code(emulator_url, email)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        error_of(b.post("signup/verify", {"email": email, "code": wrong, "pending_authentication_token": token}),
                 400, "workos_authkit_invalid_code")
    error_of(b.post("signup/verify", {"email": email, "code": code, "pending_authentication_token": token}),
             429, "workos_rate_limited")
    assert not logged_in_cookie(b.s)


# --- entry: wp-login.php?action=register ------------------------------------------------------------------------


def initial_step(text: str) -> str:
    m = re.search(r'id="workos-authkit-root"[^>]*data-initial-step="([^"]*)"', text)
    assert m, text[:400]
    return html.unescape(m.group(1))


def test_register_opens_the_sign_up_step_in_custom_mode(wp_settings, wp_eval, wp_url):
    wp_settings(login_mode="custom", allow_password_fallback=False)
    default = wp_eval("return WorkOS_WP\\Profiles\\ProfileRepository::get_default()->to_array();")
    try:
        wp_eval("$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default(); "
                "$a = $d->to_array(); $a['signup'] = ['enabled' => true, 'require_invite' => false]; "
                "$a['methods'] = ['password', 'magic_code']; "
                "return ! is_wp_error(WorkOS_WP\\Profiles\\ProfileRepository::save($a, $d->get_id()));")
        r = requests.get(wp_url + "/wp-login.php", params={"action": "register"}, allow_redirects=False, timeout=30)
        assert r.status_code == 200 and initial_step(r.text) == "signup"
        # WordPress's registration URL leads there too; the profile's own pages take `workos_action=signup`.
        assert wp_eval("return wp_registration_url();").endswith("wp-login.php?action=register")
        r = requests.get(wp_url + "/workos/login/default/", params={"workos_action": "signup"}, timeout=30)
        assert initial_step(r.text) == "signup"
        # A plain sign-in page stays on the email step.
        assert initial_step(requests.get(wp_url + "/wp-login.php", timeout=30).text) == "email"
        # Without sign-up on the profile, registering is signing in.
        wp_eval("$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default(); "
                "$a = $d->to_array(); $a['signup'] = ['enabled' => false, 'require_invite' => false]; "
                "return ! is_wp_error(WorkOS_WP\\Profiles\\ProfileRepository::save($a, $d->get_id()));")
        r = requests.get(wp_url + "/wp-login.php", params={"action": "register"}, allow_redirects=False, timeout=30)
        assert r.status_code == 200 and initial_step(r.text) == "email"
    finally:
        wp_eval("$d = WorkOS_WP\\Profiles\\ProfileRepository::get_default(); "
                "return ! is_wp_error(WorkOS_WP\\Profiles\\ProfileRepository::save($args, $d->get_id()));", default)


def test_register_keeps_wordpress_registration_when_its_passwords_are_allowed(wp_settings, wp_url):
    wp_settings(login_mode="custom", allow_password_fallback=True)
    r = requests.get(wp_url + "/wp-login.php", params={"action": "register"}, allow_redirects=False, timeout=30)
    assert "workos-authkit-root" not in r.text


def test_registering_someone_elses_address_first_gives_no_way_in(signup_profile, browser, emulator_url, wp_eval,
                                                                  wp_user, env):
    """The account-takeover a review found: an attacker signs up with a victim's address and a password of his
    own; the victim, who never sees that code, later proves the address another way (an emailed sign-in code);
    the attacker's password must not then open the victim's account. The sign-up sets no password until its
    own code comes back, so there is none to use — at WorkOS or here."""
    from test_auth_api import magic_code

    victim = unique_email("prereg")
    account = wp_user("prereg" + uuid.uuid4().hex[:6], victim, "Wp-pass-123456", role="editor")
    slug = signup_profile()["slug"]
    attacker = browser(slug)
    assert create(attacker, victim, "Attacker-pass-1").status_code == 201
    # WorkOS has an unverified user for the address, without a password.
    assert not workos_password_works(emulator_url, env, victim, "Attacker-pass-1")

    me = browser(slug)
    assert me.post("magic/send", {"email": victim}).status_code == 200
    r = me.post("magic/verify", {"email": victim, "code": magic_code(emulator_url, victim)})
    assert r.status_code == 200 and r.json()["user"]["id"] == account["id"], r.text

    later = browser(slug)
    r = later.password(victim, "Attacker-pass-1")
    assert r.status_code != 200 and not logged_in_cookie(later.s), r.text
    assert not workos_password_works(emulator_url, env, victim, "Attacker-pass-1")
    # Nor can the attacker finish his own sign-up: its code went to the victim's inbox, and its step is his.
    assert verification_code(emulator_url, victim), "WorkOS mailed the sign-up's code to the address"


def test_the_password_is_kept_sealed_until_the_code_comes_back(signup_profile, browser, emulator_url, wp_eval, env):
    """Between sign-up and code the chosen password waits on the server encrypted, under a key only the
    browser's step token carries: the database holds no readable password, and it is gone once used."""
    email = unique_email("sealed")
    password = "Sealed-pass-" + uuid.uuid4().hex[:8]
    b = browser(signup_profile()["slug"])
    r = create(b, email, password)
    assert r.status_code == 201
    stored = wp_eval("global $wpdb; return $wpdb->get_col(\"SELECT option_value FROM {$wpdb->options}"
                     " WHERE option_name LIKE '_transient_workos_signup_%'\");")
    assert stored and not any(password in v for v in stored)
    assert not workos_password_works(emulator_url, env, email, password), "no password before the code"
    r = b.post("signup/verify", {"email": email, "code": verification_code(emulator_url, email),
                                 "pending_authentication_token": r.json()["pending_authentication_token"]})
    assert r.status_code == 200 and logged_in_cookie(b.s), r.text
    assert workos_password_works(emulator_url, env, email, password)
