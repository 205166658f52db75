"""A signed-in user's own MFA factors (issue 12): /wp-json/workos/v1/auth/mfa/factors, mfa/totp/enroll,
mfa/sms/enroll, mfa/factor/confirm and mfa/factor/delete.

WordPress's REST cookie authentication (auth cookies + X-WP-Nonce) names the person; only a WordPress user
linked to a WorkOS user has factors here. TOTP factors are WorkOS's (User Management); SMS factors are kept in
user meta `workos_sms_factors` once their first texted code (read from the emulator's `/__emulator/sms`) is
entered, and are then offered at sign-in (tests/e2e/test_mfa_api.py). A factor id that is not the person's is
answered 404, never acted on.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from authkit import create_workos_user, totp, wrong

AUTH = "/wp-json/workos/v1/auth/"
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"






def phone() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


@pytest.fixture(autouse=True)
def fresh_limits(wp_eval):
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def sms_profile(wp_eval):
    """A Login Profile that allows TOTP and SMS factors (deleted after the test); its slug."""
    saved = wp_eval(
        """
        $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
        if (is_wp_error($p)) { throw new Exception($p->get_error_code()); }
        return $p->to_array();
        """,
        {"slug": "fac-" + uuid.uuid4().hex[:8], "title": "Factors", "methods": ["password"],
         "mfa": {"enforce": "if_required", "factors": ["totp", "sms"]}},
    )
    yield saved["slug"]
    wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", saved["id"])


@pytest.fixture
def signed_in(wp_eval, session_factory, wp_url):
    """signed_in(login) -> a session signed in as `login`, with WordPress's REST nonce in X-WP-Nonce."""

    def _make(login: str) -> requests.Session:
        cookies = wp_eval(
            """
            $u = get_user_by('login', $args['login']);
            $exp = time() + HOUR_IN_SECONDS;
            $hash = md5($args['site']);
            return [['wordpress_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                    ['wordpress_logged_in_' . $hash, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
            """,
            {"login": login, "site": wp_url},
        )
        s = session_factory(wp_url)
        for name, value in cookies:
            s.cookies.set(name, value, path="/")
        r = s.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
        assert r.status_code == 200 and r.text and r.text != "0", r.text[:200]
        s.headers["X-WP-Nonce"] = r.text.strip()
        return s

    return _make


@pytest.fixture
def linked_user(wp_user, emulator_url):
    """linked_user() -> {id, login, email, workos_id}: a WordPress user linked to a new WorkOS user."""

    def _make() -> dict:
        email = f"fac-{uuid.uuid4().hex[:10]}@example.com"
        workos = create_workos_user(emulator_url, email)
        return {**wp_user("fac" + uuid.uuid4().hex[:8], email, "Passw0rd!-fac", workos_id=workos["id"]),
                "workos_id": workos["id"]}

    return _make


def error_of(r: requests.Response, status: int, code: str) -> None:
    assert r.status_code == status, f"{r.status_code} {r.text[:500]}"
    assert r.json()["code"] == code, r.json()


def listed(s: requests.Session) -> list[dict]:
    r = s.get(AUTH + "mfa/factors")
    assert r.status_code == 200, r.text
    # WordPress's own no-cache headers for signed-in users win over ours; either way nothing keeps it.
    assert {"no-store", "no-cache"} & {p.strip() for p in r.headers.get("Cache-Control", "").split(",")}, r.headers
    return r.json()["factors"]


def sms_meta(wp_eval, user_id: int):
    return wp_eval("return get_user_meta($args, 'workos_sms_factors', true);", user_id)


def enrol_sms(s: requests.Session, emulator_url: str, slug: str, number: str) -> tuple[dict, str]:
    r = s.post(AUTH + "mfa/sms/enroll", json={"profile": slug, "phone_number": number})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["type"] == "sms" and body["factor_id"].startswith("auth_factor_") and body["challenge_id"]
    texts = requests.get(emulator_url + "/__emulator/sms", params={"phone_number": number}, timeout=10).json()["data"]
    assert texts and texts[0]["challenge_id"] == body["challenge_id"], texts
    return body, texts[0]["code"]


def test_signed_out_is_refused(session_factory, wp_url):
    s = session_factory(wp_url)
    error_of(s.get(AUTH + "mfa/factors"), 401, "workos_authkit_not_logged_in")
    for route, body in (("mfa/totp/enroll", {}), ("mfa/sms/enroll", {"phone_number": phone()}),
                        ("mfa/factor/confirm", {"factor_id": "auth_factor_X", "challenge_id": "c", "code": "123456"}),
                        ("mfa/factor/delete", {"factor_id": "auth_factor_X"})):
        error_of(s.post(AUTH + route, json=body), 401, "workos_authkit_not_logged_in")


def test_auth_cookies_without_the_rest_nonce_are_refused(linked_user, signed_in):
    """A page elsewhere can make the browser send its cookies, but not WordPress's REST nonce."""
    s = signed_in(linked_user()["login"])
    del s.headers["X-WP-Nonce"]
    error_of(s.get(AUTH + "mfa/factors"), 401, "workos_authkit_not_logged_in")
    error_of(s.post(AUTH + "mfa/totp/enroll", json={}), 401, "workos_authkit_not_logged_in")


def test_unlinked_user_is_refused(wp_user, signed_in):
    u = wp_user("facplain" + uuid.uuid4().hex[:6], f"plain-{uuid.uuid4().hex[:8]}@example.com", "Passw0rd!-fac")
    s = signed_in(u["login"])
    error_of(s.get(AUTH + "mfa/factors"), 400, "workos_authkit_no_workos_user")
    error_of(s.post(AUTH + "mfa/totp/enroll", json={}), 400, "workos_authkit_no_workos_user")


def test_list_enrol_totp_confirm_and_delete(linked_user, signed_in, emulator_url):
    u = linked_user()
    s = signed_in(u["login"])
    assert listed(s) == []
    r = s.post(AUTH + "mfa/totp/enroll", json={})
    assert r.status_code == 201, r.text
    assert {"no-store", "no-cache"} & {p.strip() for p in r.headers.get("Cache-Control", "").split(",")}, r.headers
    body = r.json()
    assert body["factor_id"].startswith("auth_factor_")
    assert body["qr_code"].startswith("data:image/png;base64,")
    assert body["secret"] and body["otpauth_uri"].startswith("otpauth://totp/")
    # WorkOS has it, for this WorkOS user.
    at_workos = requests.get(emulator_url + "/__emulator/auth_factors", params={"email": u["email"]}, timeout=10).json()
    assert [f["id"] for f in at_workos["data"]] == [body["factor_id"]]
    factors = listed(s)
    assert [(f["id"], f["type"]) for f in factors] == [(body["factor_id"], "totp")] and factors[0]["created"]
    assert "secret" not in factors[0]
    # Its first code checks the authenticator app was set up (a wrong one does not).
    error_of(s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                       "code": wrong(totp(body["secret"]))}), 400, "workos_authkit_invalid_code")
    r = s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                  "code": totp(body["secret"])})
    assert r.status_code == 200 and r.json()["confirmed"] is True, r.text
    r = s.post(AUTH + "mfa/factor/delete", json={"factor_id": body["factor_id"]})
    assert r.status_code == 200 and r.json() == {"deleted": True}, r.text
    assert listed(s) == []
    assert requests.get(emulator_url + "/__emulator/auth_factors", params={"email": u["email"]}, timeout=10).json()["data"] == []
    # Gone: a second delete finds nothing.
    error_of(s.post(AUTH + "mfa/factor/delete", json={"factor_id": body["factor_id"]}), 404, "workos_authkit_factor_not_found")


def test_sms_is_kept_only_once_confirmed(linked_user, signed_in, emulator_url, wp_eval, sms_profile):
    u = linked_user()
    s = signed_in(u["login"])
    number = phone()
    body, code = enrol_sms(s, emulator_url, sms_profile, number)
    # Not the person's until the texted code comes back: not listed, not offered at sign-in.
    assert listed(s) == [] and not sms_meta(wp_eval, u["id"])
    error_of(s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                       "code": wrong(code)}), 400, "workos_authkit_invalid_code")
    assert not sms_meta(wp_eval, u["id"])
    # Another challenge id than the one the enrolment texted: refused.
    error_of(s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": "auth_challenge_X",
                                                       "code": code}), 404, "workos_authkit_factor_not_found")
    r = s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                  "code": code})
    assert r.status_code == 200 and r.json()["type"] == "sms", r.text
    [kept] = sms_meta(wp_eval, u["id"])
    assert kept["id"] == body["factor_id"] and kept["phone"] == number and kept["created"] > 0
    factors = listed(s)
    assert [(f["id"], f["type"]) for f in factors] == [(body["factor_id"], "sms")]
    assert factors[0]["phone"].endswith(number[-4:]) and number not in factors[0]["phone"]
    assert wp_eval("return \\WorkOS_WP\\SignIn\\Hosted\\FactorsRest::sms_factor_ids($args);", u["id"]) == [body["factor_id"]]
    # Removed: gone from the meta (so from sign-in) and at WorkOS.
    r = s.post(AUTH + "mfa/factor/delete", json={"factor_id": body["factor_id"]})
    assert r.status_code == 200 and r.json() == {"deleted": True}, r.text
    assert not sms_meta(wp_eval, u["id"]) and listed(s) == []


def test_the_site_has_a_daily_budget_of_text_messages(linked_user, signed_in, sms_profile, wp_eval, emulator_url):
    """A review's finding: any signed-in person could have codes texted to any number (10 an hour each), and
    with open sign-up, accounts are free: a site-wide daily budget of enrolment texts bounds the bill."""
    s = signed_in(linked_user()["login"])
    budget = wp_eval("return WorkOS_WP\\Throttle::RULES['sms_site'][0];")
    spent = wp_eval("$n = 0; while (0 === WorkOS_WP\\Throttle::take([['sms_site', 'site']]) && $n < 10000) { $n++; } return $n;")
    assert spent == budget
    number = phone()
    error_of(s.post(AUTH + "mfa/sms/enroll", json={"profile": sms_profile, "phone_number": number}), 429,
             "workos_rate_limited")
    assert requests.get(emulator_url + "/__emulator/sms", params={"phone_number": number}, timeout=10).json()["data"] == []


def test_sms_refusals(linked_user, signed_in, sms_profile, wp_eval):
    s = signed_in(linked_user()["login"])
    error_of(s.post(AUTH + "mfa/sms/enroll", json={"profile": sms_profile, "phone_number": "555-0100"}), 400,
             "workos_authkit_invalid_input")
    error_of(s.post(AUTH + "mfa/sms/enroll", json={"profile": "no-such-" + uuid.uuid4().hex[:6], "phone_number": phone()}),
             404, "workos_authkit_profile_not_found")
    # A profile that allows only TOTP (the default allow-list) does not offer SMS.
    default = wp_eval("return \\WorkOS_WP\\Profiles\\ProfileRepository::get_default()->get_slug();")
    if "sms" not in wp_eval("return \\WorkOS_WP\\SignIn\\Hosted\\Mfa::allowed(\\WorkOS_WP\\Profiles\\ProfileRepository::get_default());"):
        error_of(s.post(AUTH + "mfa/sms/enroll", json={"profile": default, "phone_number": phone()}), 400,
                 "workos_authkit_factor_disabled")


def test_another_users_factor_is_refused(linked_user, signed_in, emulator_url, wp_eval, sms_profile):
    owner, other = linked_user(), linked_user()
    mine = signed_in(owner["login"])
    totp_id = mine.post(AUTH + "mfa/totp/enroll", json={}).json()["factor_id"]
    body, code = enrol_sms(mine, emulator_url, sms_profile, phone())
    assert mine.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                        "code": code}).status_code == 200
    theirs = signed_in(other["login"])
    for factor_id in (totp_id, body["factor_id"]):
        error_of(theirs.post(AUTH + "mfa/factor/delete", json={"factor_id": factor_id}), 404, "workos_authkit_factor_not_found")
    # Nor can they confirm someone else's enrolment.
    error_of(theirs.post(AUTH + "mfa/factor/confirm", json={"factor_id": totp_id, "challenge_id": "auth_challenge_X",
                                                            "code": "123456"}), 404, "workos_authkit_factor_not_found")
    assert listed(theirs) == []
    assert {f["id"] for f in listed(mine)} == {totp_id, body["factor_id"]}
    assert [f["id"] for f in sms_meta(wp_eval, owner["id"])] == [body["factor_id"]]


def test_enrolments_are_rate_limited(linked_user, signed_in, wp_eval):
    s = signed_in(linked_user()["login"])
    codes = [s.post(AUTH + "mfa/totp/enroll", json={}).status_code for _ in range(11)]
    assert codes[:10] == [201] * 10 and codes[10] == 429, codes
    assert wp_eval(WIPE_LIMITS)


def test_a_confirmed_sms_factor_is_offered_at_sign_in(linked_user, signed_in, emulator_url, wp_eval, sms_profile,
                                                      session_factory, wp_url):
    """What mfa/factor/confirm keeps is what the sign-in's MFA step offers (Hosted\\Mfa reads the same meta)."""
    wp_eval("$p = \\WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args); $a = $p->to_array(); "
            "$a['mfa'] = ['enforce' => 'always', 'factors' => ['totp', 'sms']]; "
            "$r = \\WorkOS_WP\\Profiles\\ProfileRepository::save($a, $p->get_id()); "
            "if (is_wp_error($r)) { throw new Exception($r->get_error_code()); } return true;", sms_profile)
    assert wp_eval("return \\WorkOS_WP\\SignIn\\Hosted\\Mfa::enforce("
                   "\\WorkOS_WP\\Profiles\\ProfileRepository::find_by_slug($args));", sms_profile) == "always"
    u = linked_user()
    s = signed_in(u["login"])
    body, code = enrol_sms(s, emulator_url, sms_profile, phone())
    assert s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                     "code": code}).status_code == 200
    v = session_factory(wp_url)
    nonce = v.get(AUTH + "nonce", params={"profile": sms_profile}).json()["nonce"]
    r = v.post(AUTH + "password/authenticate", json={"profile": sms_profile, "email": u["email"], "password": "Passw0rd!-e2e"},
               headers={"X-WorkOS-Nonce": nonce})
    assert r.status_code == 200 and r.json().get("mfa_required") is True, r.text
    assert r.json()["factors"] == [{"id": body["factor_id"], "type": "sms"}]


def test_a_totp_factor_never_confirmed_is_removed(linked_user, signed_in, emulator_url, wp_eval):
    """A TOTP factor is a sign-in factor at WorkOS at once: one whose first code never came (QR code never scanned)
    is deleted at WorkOS once its enrolment has expired, so it cannot lock its owner out."""
    u = linked_user()
    s = signed_in(u["login"])
    kept = s.post(AUTH + "mfa/totp/enroll", json={}).json()
    assert s.post(AUTH + "mfa/factor/confirm", json={"factor_id": kept["factor_id"], "challenge_id": kept["challenge_id"],
                                                     "code": totp(kept["secret"])}).status_code == 200
    dropped = s.post(AUTH + "mfa/totp/enroll", json={}).json()["factor_id"]
    assert {f["id"] for f in listed(s)} == {kept["factor_id"], dropped}  # still within its time
    wp_eval("$p = get_user_meta($args, 'workos_mfa_pending', true); foreach ($p as &$r) { $r['created'] -= 3600; } "
            "update_user_meta($args, 'workos_mfa_pending', $p); return true;", u["id"])
    assert [f["id"] for f in listed(s)] == [kept["factor_id"]]
    at_workos = requests.get(emulator_url + "/__emulator/auth_factors", params={"email": u["email"]}, timeout=10).json()["data"]
    assert [f["id"] for f in at_workos] == [kept["factor_id"]]
    assert not wp_eval("return get_user_meta($args, 'workos_mfa_pending', true);", u["id"])


def test_an_old_session_must_sign_in_again_before_removing_a_factor(linked_user, signed_in, emulator_url, wp_eval):
    """Removing a second factor weakens every later sign-in: not from a session left open or stolen (a sign-in
    within 15 minutes, as for passkeys and a change of address)."""
    from authkit import age_sessions

    u = linked_user()
    s = signed_in(u["login"])
    body = s.post(AUTH + "mfa/totp/enroll", json={}).json()
    r = s.post(AUTH + "mfa/factor/confirm", json={"factor_id": body["factor_id"], "challenge_id": body["challenge_id"],
                                                  "code": totp(body["secret"])})
    assert r.status_code == 200, r.text
    age_sessions(wp_eval, u["id"])
    r = s.post(AUTH + "mfa/factor/delete", json={"factor_id": body["factor_id"]})
    assert r.status_code == 403 and r.json()["code"] == "workos_reauth_required", r.text
    assert [f["id"] for f in listed(s)] == [body["factor_id"]]
    fresh = signed_in(u["login"])
    assert fresh.post(AUTH + "mfa/factor/delete", json={"factor_id": body["factor_id"]}).status_code == 200
