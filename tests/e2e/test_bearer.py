"""REST API Bearer auth: `Authorization: Bearer <WorkOS access token>` on /wp-json/*."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_workos_user, start

ME = "/wp-json/wp/v2/users/me"


def password_grant(env, emulator_url, email, password="Passw0rd!-e2e"):
    r = requests.post(
        emulator_url + "/user_management/authenticate",
        json={"client_id": env["CLIENT_ID"], "client_secret": env["API_KEY"], "grant_type": "password",
              "email": email, "password": password},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def signed_in(env, wp_url, emulator_url, session_factory, wp_eval):
    """A WorkOS user who has signed in once (so a WordPress user is linked), and an access token."""
    email = f"bearer-{uuid.uuid4().hex[:8]}@example.com"
    user = create_workos_user(emulator_url, email)
    browser = session_factory(wp_url)
    assert browser.get(authkit_sign_in(emulator_url, start(browser, wp_url), email, "Passw0rd!-e2e"), allow_redirects=False).status_code == 302
    wp_id = wp_eval("return get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args])[0]->ID;", user["id"])
    return {"user": user, "wp_id": wp_id, "token": password_grant(env, emulator_url, email)["access_token"]}


def get_me(wp_url, token=None, raw_header=None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if raw_header is not None:
        headers["Authorization"] = raw_header
    return requests.get(wp_url + ME, headers=headers, timeout=30)


def b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def with_header(token: str, **changes) -> str:
    header_b64, payload, sig = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    header.update(changes)
    return f"{b64(header)}.{payload}.{sig}"


def test_valid_token_authenticates_as_the_linked_user(wp_url, signed_in):
    r = get_me(wp_url, signed_in["token"])
    assert r.status_code == 200, r.text
    assert r.json()["id"] == signed_in["wp_id"]


def test_no_token_leaves_wordpress_auth_untouched(wp_url):
    r = get_me(wp_url)
    assert r.status_code == 401
    assert r.json()["code"] == "rest_not_logged_in"
    # Basic auth is not ours either: WordPress answers as it would without the plugin.
    assert requests.get(wp_url + "/wp-json/", headers={"Authorization": "Basic eDp5"}, timeout=30).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
def test_malformed_tokens_get_a_wordpress_style_401(wp_url, token):
    r = get_me(wp_url, raw_header=f"Bearer {token}")
    assert r.status_code == 401
    body = r.json()
    if token:
        assert body["code"] == "workos_invalid_token"
        assert body["data"]["status"] == 401


def test_tampered_signature_and_alg_none_are_refused(wp_url, signed_in):
    head, payload, sig = signed_in["token"].split(".")
    tampered = f"{head}.{payload}.{sig[:-4]}AAAA"
    r = get_me(wp_url, tampered)
    assert r.status_code == 401 and r.json()["code"] == "workos_invalid_token"
    none = with_header(signed_in["token"], alg="none").rsplit(".", 1)[0] + "."
    r = get_me(wp_url, none)
    assert r.status_code == 401 and r.json()["code"] == "workos_invalid_token"


def test_token_of_an_unlinked_workos_user_is_refused(env, wp_url, emulator_url):
    email = f"unlinked-{uuid.uuid4().hex[:8]}@example.com"
    create_workos_user(emulator_url, email)
    token = password_grant(env, emulator_url, email)["access_token"]
    r = get_me(wp_url, token)
    assert r.status_code == 401
    assert r.json()["code"] == "workos_unknown_user"


def test_deactivated_user_cannot_use_a_token(wp_url, signed_in, wp_eval):
    wp_eval("update_user_meta($args, '_workos_deactivated', 1); return true;", signed_in["wp_id"])
    r = get_me(wp_url, signed_in["token"])
    assert r.status_code == 401
    assert r.json()["code"] == "workos_user_deactivated"


def jwks_fetches(emulator_url, env):
    log = requests.get(emulator_url + "/__emulator/requests", timeout=30).json()
    entries = log.get("data", log) if isinstance(log, dict) else log
    return [e for e in entries if e.get("path") == f"/sso/jwks/{env['CLIENT_ID']}"]


def test_unknown_kids_cannot_force_a_jwks_fetch_per_request(env, wp_url, emulator_url, signed_in):
    assert get_me(wp_url, signed_in["token"]).status_code == 200  # keys are cached now
    # The emulator's request log does record JWKS fetches (else this test could not fail).
    seen = len(jwks_fetches(emulator_url, env))
    requests.get(f"{emulator_url}/sso/jwks/{env['CLIENT_ID']}", timeout=30)
    before = len(jwks_fetches(emulator_url, env))
    assert before == seen + 1
    for i in range(15):
        forged = with_header(signed_in["token"], kid=f"forged-{i}")
        r = get_me(wp_url, forged)
        assert r.status_code == 401
        assert "kid" in r.json()["message"]
    after = len(jwks_fetches(emulator_url, env))
    # php-fpm has a few workers, each with its own memory, sharing one file
    # cache: at most one refetch per worker per minute, never one per request.
    assert after - before <= 4, f"{after - before} JWKS fetches for 15 forged tokens"
