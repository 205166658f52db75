"""MFA at a hosted sign-in (issue 12): /wp-json/workos/v1/auth/mfa/challenge and mfa/verify, and the Login
Profile's `mfa.enforce` (never / if_required / always) and `mfa.factors` allow-list.

WorkOS's own step-ups (`mfa_enrollment`, `mfa_challenge`) are finished by its `mfa-totp` grant; under `always` a
sign-in WorkOS completed without a second factor is held on the server until one passes (enrolled first when the
person has none). Codes are computed from the enrolled secret (RFC 6238), as an authenticator app would.
"""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from authkit import create_workos_user, emulator_requests, logged_in_cookie, totp, wrong

PASSWORD = "Passw0rd!-mfa"
AUTH = "/wp-json/workos/v1/auth/"
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"






def factors_of(emulator_url: str, email: str) -> list[dict]:
    r = requests.get(emulator_url + "/__emulator/auth_factors", params={"email": email}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["data"]


@pytest.fixture(autouse=True)
def fast_floor(wp_eval, wp_settings):
    del wp_settings
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    """profile(enforce, factors) -> a saved Login Profile (password sign-in) with that MFA policy."""
    made: list[int] = []

    def _make(enforce: str = "if_required", factors=("totp",)) -> dict:
        data = {"slug": "mfa-" + uuid.uuid4().hex[:8], "title": "MFA profile", "methods": ["password"],
                "mfa": {"enforce": enforce, "factors": list(factors)}}
        saved = wp_eval(
            """
            $p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_code()); }
            return $p->to_array();
            """,
            data,
        )
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


class Visitor:
    def __init__(self, session: requests.Session, slug: str) -> None:
        self.s = session
        self.slug = slug
        r = self.s.get(AUTH + "nonce", params={"profile": slug})
        assert r.status_code == 200, r.text
        self.nonce = r.json()["nonce"]

    def post(self, route: str, body: dict) -> requests.Response:
        return self.s.post(AUTH + route, json={"profile": self.slug, **body}, headers={"X-WorkOS-Nonce": self.nonce},
                           allow_redirects=False)

    def password(self, email: str) -> requests.Response:
        return self.post("password/authenticate", {"email": email, "password": PASSWORD})

    def challenge(self, token: str, **body) -> requests.Response:
        return self.post("mfa/challenge", {"pending_authentication_token": token, **body})

    def verify(self, token: str, challenge_id: str, code: str, **body) -> requests.Response:
        return self.post("mfa/verify", {"pending_authentication_token": token, "authentication_challenge_id": challenge_id,
                                        "code": code, **body})


@pytest.fixture
def visitor(session_factory, wp_url):
    def _make(slug: str) -> Visitor:
        return Visitor(session_factory(wp_url), slug)
    return _make


def error_of(r: requests.Response, status: int, code: str) -> dict:
    assert r.status_code == status, f"{r.status_code} {r.text[:500]}"
    assert r.json()["code"] == code, r.json()
    return r.json()


def mfa_step(r: requests.Response) -> dict:
    assert r.status_code == 200, r.text
    body = r.json()
    assert body.get("mfa_required") is True, body
    assert body["pending_authentication_token"] and "user" not in body
    return body


def signed_in(r: requests.Response, v: Visitor, email: str) -> None:
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == email
    assert logged_in_cookie(v.s)


def enrol(v: Visitor, step: dict) -> tuple[dict, str]:
    """Enrols TOTP from an enrolment step: the challenge answer and its secret."""
    assert step["mfa_enrollment"] is True and step["enroll"] == ["totp"] and step["factors"] == []
    r = v.challenge(step["pending_authentication_token"], enroll="totp")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["qr_code"].startswith("data:image/png;base64,") and len(body["qr_code"]) > 200
    assert body["secret"] and body["otpauth_uri"].startswith("otpauth://totp/")
    assert body["factor"]["type"] == "totp" and body["challenge_id"]
    assert "no-store" in r.headers.get("Cache-Control", "")
    return body, body["secret"]


# --- if_required: WorkOS decides --------------------------------------------------------------------------------


def test_if_required_no_step_for_a_user_without_factor(visitor, profile, emulator_url):
    p = profile("if_required")
    email = unique_email("mfa-none")
    create_workos_user(emulator_url, email, PASSWORD)
    v = visitor(p["slug"])
    signed_in(v.password(email), v, email)


def test_workos_challenge_is_answered_with_the_authenticator_code(visitor, profile, emulator_url):
    p = profile("if_required")
    email = unique_email("mfa-chal")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    assert step["mfa_enrollment"] is False and step["enroll"] == []
    [factor] = step["factors"]
    assert factor["type"] == "totp"
    assert not logged_in_cookie(v.s)
    r = v.challenge(step["pending_authentication_token"], factor_id=factor["id"])
    assert r.status_code == 200, r.text
    ch = r.json()
    assert ch["factor"] == factor and ch["challenge_id"].startswith("auth_challenge_") and "secret" not in ch
    [info] = factors_of(emulator_url, email)
    done = v.verify(ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"]))
    signed_in(done, v, email)
    grants = [c["body"] for c in emulator_requests(emulator_url, "/user_management/authenticate")
              if c["body"].get("grant_type", "").endswith("mfa-totp")]
    assert grants and grants[-1]["authentication_challenge_id"] == ch["challenge_id"]


def test_workos_enrolment_shows_a_qr_code_and_secret_then_signs_in(visitor, profile, emulator_url):
    p = profile("if_required")
    email = unique_email("mfa-enrol")
    create_workos_user(emulator_url, email, PASSWORD, mfa="enrollment")
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    body, secret = enrol(v, step)
    [info] = factors_of(emulator_url, email)
    assert info["secret"] == secret and info["id"] == body["factor"]["id"]
    signed_in(v.verify(body["pending_authentication_token"], body["challenge_id"], totp(secret)), v, email)


# --- always: the profile decides --------------------------------------------------------------------------------


def test_always_enrols_a_user_without_factor_then_challenges_next_time(visitor, profile, emulator_url):
    p = profile("always")
    email = unique_email("mfa-always")
    create_workos_user(emulator_url, email, PASSWORD)
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    # WorkOS completed the sign-in, but nobody is signed in here yet.
    assert not logged_in_cookie(v.s)
    body, secret = enrol(v, step)
    # A wrong code keeps the sign-in held; the right one finishes it.
    error_of(v.verify(body["pending_authentication_token"], body["challenge_id"], wrong(totp(secret))), 400,
             "workos_authkit_invalid_code")
    assert not logged_in_cookie(v.s)
    signed_in(v.verify(body["pending_authentication_token"], body["challenge_id"], totp(secret)), v, email)
    # The held sign-in was used once (and the browser's flow with its nonce is spent).
    again = v.verify(body["pending_authentication_token"], body["challenge_id"], totp(secret))
    assert again.status_code in (400, 403) and again.json()["code"] in ("workos_authkit_step_expired",
                                                                        "workos_authkit_invalid_nonce")

    # Next time WorkOS itself challenges the enrolled factor, and one challenge is all it takes.
    v2 = visitor(p["slug"])
    step2 = mfa_step(v2.password(email))
    assert step2["enroll"] == [] and [f["id"] for f in step2["factors"]] == [body["factor"]["id"]]
    ch = v2.challenge(step2["pending_authentication_token"], factor_id=body["factor"]["id"]).json()
    signed_in(v2.verify(ch["pending_authentication_token"], ch["challenge_id"], totp(secret, time.time() + 30)), v2,
              email)


def test_always_enrolment_is_refused_to_someone_who_has_a_factor(visitor, profile, emulator_url):
    # A step that lists factors never offers enrolment: the password alone cannot add a factor.
    p = profile("always")
    email = unique_email("mfa-has")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    assert step["enroll"] == [] and len(step["factors"]) == 1
    error_of(v.challenge(step["pending_authentication_token"], enroll="totp"), 400,
             "workos_authkit_enrollment_not_offered")
    error_of(v.challenge(step["pending_authentication_token"], enroll="webauthn"), 403,
             "workos_authkit_factor_not_allowed")
    assert len(factors_of(emulator_url, email)) == 1


# --- never ------------------------------------------------------------------------------------------------------


def test_never_adds_no_step_but_workos_own_challenge_still_runs(visitor, profile, emulator_url):
    p = profile("never")
    plain = unique_email("mfa-never")
    create_workos_user(emulator_url, plain, PASSWORD)
    v = visitor(p["slug"])
    signed_in(v.password(plain), v, plain)
    # WorkOS issues no session without its challenge: `never` cannot skip it, so it is shown.
    guarded = unique_email("mfa-never-f")
    create_workos_user(emulator_url, guarded, PASSWORD, mfa="challenge")
    v2 = visitor(p["slug"])
    assert mfa_step(v2.password(guarded))["factors"]


# --- allow-list -------------------------------------------------------------------------------------------------


def test_factor_not_allowed_by_the_profile(visitor, profile, emulator_url):
    p = profile("if_required", factors=("sms",))
    email = unique_email("mfa-allow")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    error_of(v.password(email), 403, "workos_authkit_factor_not_allowed")
    assert not logged_in_cookie(v.s)


# --- binding and limits -----------------------------------------------------------------------------------------


def test_step_is_bound_to_its_browser_factors_and_challenge(visitor, profile, emulator_url):
    p = profile("if_required")
    email = unique_email("mfa-bind")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    token = step["pending_authentication_token"]
    # A factor the step does not name.
    error_of(v.challenge(token, factor_id="auth_factor_NOTYOURS"), 404, "workos_authkit_factor_not_found")
    # Nothing chosen.
    error_of(v.challenge(token), 400, "workos_authkit_invalid_input")
    # Another browser (its own nonce) cannot use the token.
    other = visitor(p["slug"])
    error_of(other.challenge(token, factor_id=step["factors"][0]["id"]), 400, "workos_authkit_step_expired")
    ch = v.challenge(token, factor_id=step["factors"][0]["id"]).json()
    [info] = factors_of(emulator_url, email)
    code = totp(info["secret"])
    # The step token before the challenge, or another challenge id, does not verify.
    error_of(v.verify(token, ch["challenge_id"], code), 400, "workos_authkit_step_expired")
    error_of(v.verify(ch["pending_authentication_token"], "auth_challenge_OTHER", code), 400,
             "workos_authkit_step_expired")
    # Without the nonce header.
    r = v.s.post(AUTH + "mfa/verify", json={"profile": p["slug"], "pending_authentication_token": ch["pending_authentication_token"],
                                            "authentication_challenge_id": ch["challenge_id"], "code": code})
    error_of(r, 403, "workos_authkit_invalid_nonce")
    # Another profile's step.
    p2 = profile("if_required")
    v.slug = p2["slug"]
    v.nonce = v.s.get(AUTH + "nonce", params={"profile": p2["slug"]}).json()["nonce"]
    error_of(v.verify(ch["pending_authentication_token"], ch["challenge_id"], code), 400, "workos_authkit_step_expired")
    assert not logged_in_cookie(v.s)


def test_five_wrong_codes_then_limited(visitor, profile, emulator_url):
    p = profile("if_required")
    email = unique_email("mfa-limit")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    ch = v.challenge(step["pending_authentication_token"], factor_id=step["factors"][0]["id"]).json()
    [info] = factors_of(emulator_url, email)
    bad = wrong(totp(info["secret"]))
    for _ in range(5):
        error_of(v.verify(ch["pending_authentication_token"], ch["challenge_id"], bad), 400, "workos_authkit_invalid_code")
    r = v.verify(ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"]))
    body = error_of(r, 429, "workos_rate_limited")
    assert body["data"]["retry_after"] > 0 and int(r.headers["Retry-After"]) > 0
    assert not logged_in_cookie(v.s)


def test_guesses_spread_over_many_addresses_meet_a_ceiling_per_person(visitor, profile, emulator_url, wp_settings):
    """A review's finding: with the password, an attacker rotating client addresses (behind a trusted proxy,
    each request from another one) met only the per-address limits and WorkOS's five tries per challenge —
    some 36,000 guesses a day. Per person there is now a ceiling from anywhere: 10 wrong codes an hour."""
    wp_settings(trusted_proxies=["127.0.0.1"])
    p = profile("if_required")
    email = unique_email("mfa-spread")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    v = visitor(p["slug"])
    addresses = iter(f"198.51.100.{n}" for n in range(1, 60))

    def from_elsewhere() -> None:
        v.s.headers["X-Forwarded-For"] = next(addresses)

    from_elsewhere()
    step = mfa_step(v.password(email))
    [info] = factors_of(emulator_url, email)
    bad = wrong(totp(info["secret"]))
    for _ in range(2):  # WorkOS allows five tries per challenge: a new one after five
        from_elsewhere()
        ch = v.challenge(step["pending_authentication_token"], factor_id=step["factors"][0]["id"]).json()
        for _ in range(5):
            from_elsewhere()
            error_of(v.verify(ch["pending_authentication_token"], ch["challenge_id"], bad), 400,
                     "workos_authkit_invalid_code")
    from_elsewhere()
    ch = v.challenge(step["pending_authentication_token"], factor_id=step["factors"][0]["id"]).json()
    from_elsewhere()
    error_of(v.verify(ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"])), 429,
             "workos_rate_limited")
    assert not logged_in_cookie(v.s)


def test_sms_factor_under_always(visitor, profile, emulator_url, wp_eval, env):
    """A linked user's confirmed SMS factor (Users → Profile) is challenged by text message under `always`."""
    p = profile("always", factors=("totp", "sms"))
    email = unique_email("mfa-sms")
    create_workos_user(emulator_url, email, PASSWORD)
    phone = "+1555" + str(uuid.uuid4().int)[:7]
    api = {"Authorization": "Bearer " + env["API_KEY"]}
    enrolled = requests.post(emulator_url + "/auth/factors/enroll", json={"type": "sms", "phone_number": phone},
                             headers=api, timeout=10)
    if enrolled.status_code not in (200, 201):
        pytest.skip(f"the emulator has no SMS factors yet ({enrolled.status_code})")
    factor = enrolled.json()
    # First sign-in links the WordPress user (enrols TOTP); then the SMS factor is theirs.
    v = visitor(p["slug"])
    body, secret = enrol(v, mfa_step(v.password(email)))
    signed_in(v.verify(body["pending_authentication_token"], body["challenge_id"], totp(secret)), v, email)
    wp_eval(
        "$u = get_user_by('email', $args[0]); update_user_meta($u->ID, 'workos_sms_factors', array(array('id' => $args[1], "
        "'phone' => $args[2], 'created' => time()))); return true;",
        [email, factor["id"], phone],
    )
    # The TOTP factor makes WorkOS ask for itself; drop it so that only the profile asks.
    [totp_factor] = factors_of(emulator_url, email)
    requests.delete(emulator_url + "/auth/factors/" + totp_factor["id"], headers=api, timeout=10)
    v2 = visitor(p["slug"])
    step = mfa_step(v2.password(email))
    assert step["factors"] == [{"id": factor["id"], "type": "sms"}] and step["enroll"] == []
    ch = v2.challenge(step["pending_authentication_token"], factor_id=factor["id"]).json()
    sms = requests.get(emulator_url + "/__emulator/sms", params={"factor_id": factor["id"]}, timeout=10).json()["data"][0]
    assert sms["challenge_id"] == ch["challenge_id"]
    error_of(v2.verify(ch["pending_authentication_token"], ch["challenge_id"], wrong(sms["code"])), 400,
             "workos_authkit_invalid_code")
    signed_in(v2.verify(ch["pending_authentication_token"], ch["challenge_id"], sms["code"]), v2, email)


def test_always_asks_once_when_an_organization_is_chosen_after_the_code(visitor, profile, emulator_url, wp_settings):
    """WorkOS's challenge passed, then the person picks one of several organizations: `always` is satisfied."""
    from authkit import create_org

    wp_settings(organization_id="")
    tag = uuid.uuid4().hex[:6]
    first, second = (create_org(emulator_url, f"{n} {tag}") for n in ("Alpha", "Beta"))
    p = profile("always")
    email = unique_email("mfa-orgs")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge", memberships=[
        {"organization_id": first["id"], "role_slug": "member"}, {"organization_id": second["id"], "role_slug": "member"}])
    v = visitor(p["slug"])
    step = mfa_step(v.password(email))
    ch = v.challenge(step["pending_authentication_token"], factor_id=step["factors"][0]["id"]).json()
    [info] = factors_of(emulator_url, email)
    r = v.verify(ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"]))
    assert r.status_code == 200 and r.json().get("organization_selection_required") is True, r.text
    done = v.post("organization/select", {"pending_authentication_token": r.json()["pending_authentication_token"],
                                          "organization_id": second["id"]})
    signed_in(done, v, email)
