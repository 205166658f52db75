"""Issue 12: the second factor of sign-ins that finish at /workos/callback (a social provider from a hosted
login, or the AuthKit redirect), and enrolments abandoned half-way.

- A Login Profile's `mfa.enforce = always` holds for a social sign-in too: a person without a factor sets one
  up, then is challenged — in the shell's MFA step, which the callback page opens on (`data-initial-step="mfa"`),
  its step token bound to the browser like every other step token.
- WorkOS asking for a second factor at the callback (`mfa_challenge`, `mfa_enrollment`) continues there too,
  instead of the old "sign in through the WorkOS sign-in page" refusal; without a profile in the sign-in
  (the redirect login mode) the profile Routing chooses is the one used.
- A TOTP factor enrolled at a sign-in whose first code never passed is deleted at the next sign-in and the
  person sets one up again, rather than being challenged for a code no app of theirs shows.

The shell's side of the callback page is tests/browser/test_mfa_callback.py.
"""

from __future__ import annotations

import html
import json
import re
import uuid

import pytest
import requests
from authkit import Flow, authkit_sign_in, create_workos_user, logged_in_cookie, query, start
from test_mfa_api import PASSWORD, Visitor, enrol, factors_of, mfa_step, signed_in, totp, unique_email

AUTH = "/wp-json/workos/v1/auth/"
TARGET = "/?after-callback-mfa=1"
WIPE_LIMITS = "global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;"


@pytest.fixture(autouse=True)
def fast_floor(wp_eval, wp_settings):
    wp_settings(login_mode="custom")
    wp_eval("update_option('workos_test_auth_floor_ms', '40'); return true;")
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval("delete_option('workos_test_auth_floor_ms'); return true;")
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def profile(wp_eval):
    """profile(enforce, methods) -> a saved Login Profile with that MFA policy (TOTP allowed)."""
    made: list[int] = []

    def _make(enforce: str, methods=("password", "oauth_github")) -> dict:
        data = {"slug": "cbmfa-" + uuid.uuid4().hex[:8], "title": "Callback MFA", "methods": list(methods),
                "mfa": {"enforce": enforce, "factors": ["totp"]}}
        saved = wp_eval("""$p = \\WorkOS_WP\\Profiles\\ProfileRepository::save($args);
            if (is_wp_error($p)) { throw new Exception($p->get_error_code()); } return $p->to_array();""", data)
        made.append(saved["id"])
        return saved

    yield _make
    for pid in made:
        wp_eval("\\WorkOS_WP\\Profiles\\ProfileRepository::delete($args); return true;", pid)


@pytest.fixture
def visitor(session_factory, wp_url):
    def _make(slug: str) -> Visitor:
        return Visitor(session_factory(wp_url), slug)
    return _make


def shell_step(page: requests.Response) -> tuple[str, dict]:
    """The step the shell page opens on and its data (Shell::markup()'s root attributes)."""
    m = re.search(r'id="workos-authkit-root"[^>]*data-initial-step="([^"]*)"', page.text)
    assert m, f"{page.status_code} {page.headers.get('X-WorkOS-Error')} {page.text[:400]}"
    data = re.search(r'id="workos-authkit-root"[^>]*data-step-data="([^"]*)"', page.text)
    return m.group(1), json.loads(html.unescape(data.group(1))) if data else {}


def social_callback(v: Visitor, emulator_url: str, email: str) -> requests.Response:
    """A GitHub sign-in from the profile's shell, as far as the callback page (not followed)."""
    r = v.s.get(AUTH + "oauth/authorize-url", params={"profile": v.slug, "provider": "oauth_github",
                                                      "redirect_to": TARGET})
    assert r.status_code == 200, r.text
    url = r.json()["authorize_url"]
    return v.s.get(authkit_sign_in(emulator_url, Flow(url, query(url)), email, ""), allow_redirects=False)


def mfa_page(r: requests.Response, emulator_url: str) -> dict:
    """The callback answered the shell on its MFA step: no session yet, nothing cached, no raw WorkOS token."""
    assert r.status_code == 200, f"{r.status_code} {r.headers.get('X-WorkOS-Error')} {r.text[:400]}"
    step, data = shell_step(r)
    assert step == "mfa"
    assert data["mfa_required"] is True and data["pending_authentication_token"]
    assert "no-store" in r.headers.get("Cache-Control", "") or "no-cache" in r.headers.get("Cache-Control", "")
    assert r.headers.get("Referrer-Policy") == "no-referrer"
    assert not any(c.name.startswith("wordpress_logged_in_") for c in r.cookies)
    # Not WorkOS's own pending token (a short random string): the signed, browser-bound step token.
    assert len(data["pending_authentication_token"]) > 64
    return data


def finish(v: Visitor, token: str, challenge_id: str, code: str, email: str, wp_url: str) -> None:
    done = v.verify(token, challenge_id, code, redirect_to=TARGET)
    signed_in(done, v, email)
    assert done.json()["redirect_to"] == wp_url + TARGET


# --- (a) the callback continues in the shell's MFA step ------------------------------------------------------------


def test_a_social_sign_in_under_always_enrols_then_is_challenged(visitor, profile, emulator_url, wp_url):
    p = profile("always")
    email = unique_email("cb-always")
    v = visitor(p["slug"])
    step = mfa_page(social_callback(v, emulator_url, email), emulator_url)
    assert not logged_in_cookie(v.s)
    # Nobody is refused for lacking a factor: one is set up here, then its code signs in.
    body, secret = enrol(v, step)
    finish(v, body["pending_authentication_token"], body["challenge_id"], totp(secret), email, wp_url)

    # Next time (another browser): challenged for that factor, nothing to set up.
    v2 = visitor(p["slug"])
    again = mfa_page(social_callback(v2, emulator_url, email), emulator_url)
    assert again["mfa_enrollment"] is False and again["enroll"] == []
    [factor] = again["factors"]
    assert factor["id"] == body["factor"]["id"]
    ch = v2.challenge(again["pending_authentication_token"], factor_id=factor["id"]).json()
    finish(v2, ch["pending_authentication_token"], ch["challenge_id"], totp(secret), email, wp_url)


@pytest.mark.parametrize("kind", ("challenge", "enrollment"))
def test_workos_asking_for_a_second_factor_at_the_callback_continues_in_the_shell(
        kind, visitor, profile, emulator_url, wp_url):
    p = profile("if_required")
    email = unique_email("cb-" + kind)
    create_workos_user(emulator_url, email, PASSWORD, mfa=kind)
    v = visitor(p["slug"])
    r = social_callback(v, emulator_url, email)
    assert r.headers.get("X-WorkOS-Error") is None, r.headers.get("X-WorkOS-Error")
    step = mfa_page(r, emulator_url)
    if "enrollment" == kind:
        body, secret = enrol(v, step)
        finish(v, body["pending_authentication_token"], body["challenge_id"], totp(secret), email, wp_url)
        return
    [factor] = step["factors"]
    ch = v.challenge(step["pending_authentication_token"], factor_id=factor["id"]).json()
    [info] = factors_of(emulator_url, email)
    finish(v, ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"]), email, wp_url)


def test_the_redirect_login_mode_continues_in_the_routed_profile(session_factory, wp_settings, emulator_url, wp_url):
    """No profile in the sign-in (wp-login.php -> AuthKit): the step belongs to the profile Routing chooses."""
    wp_settings(login_mode="redirect")
    email = unique_email("cb-redirect")
    create_workos_user(emulator_url, email, PASSWORD, mfa="challenge")
    s = session_factory(wp_url)
    flow = start(s, wp_url, redirect_to=wp_url + TARGET)
    r = s.get(authkit_sign_in(emulator_url, flow, email, PASSWORD), allow_redirects=False)
    step = mfa_page(r, emulator_url)
    slug = json.loads(html.unescape(re.search(r'data-profile="([^"]*)"', r.text).group(1)))["slug"]
    assert slug == "default"
    v = Visitor(s, slug)
    [factor] = step["factors"]
    ch = v.challenge(step["pending_authentication_token"], factor_id=factor["id"]).json()
    [info] = factors_of(emulator_url, email)
    finish(v, ch["pending_authentication_token"], ch["challenge_id"], totp(info["secret"]), email, wp_url)


def test_the_step_token_of_the_callback_is_worthless_in_another_browser(visitor, profile, emulator_url):
    p = profile("always")
    email = unique_email("cb-bound")
    step = mfa_page(social_callback(visitor(p["slug"]), emulator_url, email), emulator_url)
    thief = visitor(p["slug"])
    r = thief.challenge(step["pending_authentication_token"], enroll="totp")
    assert r.status_code == 400 and r.json()["code"] == "workos_authkit_step_expired", r.text
    assert factors_of(emulator_url, email) == []


# --- (b) an abandoned enrolment -------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ("always", "workos"))
def test_an_abandoned_enrolment_is_set_up_again_not_challenged(policy, visitor, profile, emulator_url, wp_url):
    """`always`: the profile asks; `workos`: WorkOS requires enrolment (then challenges the factor it has)."""
    p = profile("always" if "always" == policy else "if_required", methods=("password",))
    email = unique_email("abandon-" + policy)
    create_workos_user(emulator_url, email, PASSWORD, **({} if "always" == policy else {"mfa": "enrollment"}))
    v = visitor(p["slug"])
    first, _ = enrol(v, mfa_step(v.password(email)))
    assert [f["id"] for f in factors_of(emulator_url, email)] == [first["factor"]["id"]]
    # The tab is closed before any code was typed. The next sign-in sets an app up again (the
    # half-made factor is deleted at WorkOS), instead of asking for a code no app shows.
    v2 = visitor(p["slug"])
    step = mfa_step(v2.password(email))
    assert step["factors"] == [] and step["enroll"] == ["totp"], step
    assert factors_of(emulator_url, email) == []
    body, secret = enrol(v2, step)
    finish(v2, body["pending_authentication_token"], body["challenge_id"], totp(secret), email, wp_url)
    # Confirmed now: it is the factor the next sign-in challenges.
    v3 = visitor(p["slug"])
    third = mfa_step(v3.password(email))
    assert [f["id"] for f in third["factors"]] == [body["factor"]["id"]] and third["enroll"] == []
