"""Drives every endpoint the emulator serves, success and error paths, and
holds each response to the schema the WorkOS OpenAPI spec gives for that
path, method and status (see openapi_check.py)."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import API_KEY, CLIENT_ID, start_emulator, stop
from helpers import (
    PASSWORD,
    REDIRECT_URI,
    assert_served_validated,
    authenticate,
    b64url,
    code_from,
    decode_jwt,
    hosted_login,
    jwks_key,
    new_org,
    new_user,
    password_grant,
    pkce_pair,
    verify_rs256,
)

# Every operation the emulator serves; the last test checks each was validated.
SERVED = {
    ("get", "/user_management/authorize"),
    ("post", "/user_management/authenticate"),
    ("get", "/sso/jwks/{clientId}"),
    ("get", "/user_management/users"),
    ("post", "/user_management/users"),
    ("get", "/user_management/users/{id}"),
    ("put", "/user_management/users/{id}"),
    ("delete", "/user_management/users/{id}"),
    ("get", "/user_management/users/external_id/{external_id}"),
    ("get", "/user_management/users/{id}/sessions"),
    ("get", "/user_management/email_verification/{id}"),
    ("get", "/user_management/sessions/logout"),
    ("post", "/user_management/sessions/revoke"),
    ("get", "/organizations"),
    ("post", "/organizations"),
    ("get", "/organizations/{id}"),
    ("put", "/organizations/{id}"),
    ("delete", "/organizations/{id}"),
    ("get", "/organizations/external_id/{external_id}"),
    ("get", "/user_management/organization_memberships"),
    ("post", "/user_management/organization_memberships"),
    ("get", "/user_management/organization_memberships/{id}"),
    ("put", "/user_management/organization_memberships/{id}"),
    ("delete", "/user_management/organization_memberships/{id}"),
    ("put", "/user_management/organization_memberships/{id}/deactivate"),
    ("put", "/user_management/organization_memberships/{id}/reactivate"),
}


def error_of(body):
    return body.get("code") or body.get("error")


# --- control plumbing -------------------------------------------------------


def test_health(emu):
    resp = emu.http.get(emu.base + "/health")
    assert resp.status_code == 200
    assert resp.json() == {"ok": True}


# --- JWKS ----------------------------------------------------------------------


def test_jwks(emu):
    resp, body = emu.get(f"/sso/jwks/{CLIENT_ID}", auth=False)
    assert resp.status_code == 200
    (key,) = body["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert len(b64url_bytes(key["n"])) == 256  # a 2048-bit modulus
    cert = base64.b64decode(key["x5c"][0])
    assert key["x5t#S256"] == b64url(hashlib.sha256(cert).digest())
    assert b64url_bytes(key["n"]) in cert

    resp, body = emu.get("/sso/jwks/client_unknown", auth=False)
    assert resp.status_code == 404


def b64url_bytes(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- authorize + hosted login -----------------------------------------------------


def test_authorize_renders_the_hosted_login(emu):
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "provider": "authkit",
        "state": "xyz",
        "login_hint": "ada@example.com",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }
    resp, _ = emu.get("/user_management/authorize", params=params, auth=False)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    html = resp.text
    assert 'action="/__emulator/authkit/login"' in html
    assert 'value="ada@example.com"' in html
    assert 'name="code_challenge" value="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"' in html
    assert 'name="password"' in html


def test_authorize_errors(emu):
    base = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "provider": "authkit",
        "state": "s1",
    }

    # Unknown client or unusable redirect URI: answered directly, never redirected.
    for change in ({"client_id": "client_nope"}, {"redirect_uri": None}, {"redirect_uri": "not a url"}):
        params = {k: v for k, v in {**base, **change}.items() if v is not None}
        resp, body = emu.get("/user_management/authorize", params=params, auth=False)
        assert resp.status_code == 400, change
        assert body["error"] in ("invalid_client", "invalid_request")

    # Everything else goes back to the redirect URI with an OAuth error.
    for change, error in (
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "abc"}, "invalid_request"),
        ({"provider": None}, "invalid_request"),
        ({"provider": "MySpaceOAuth"}, "invalid_request"),
        ({"provider": None, "organization_id": "org_missing"}, "invalid_request"),
    ):
        params = {k: v for k, v in {**base, **change}.items() if v is not None}
        resp, _ = emu.get("/user_management/authorize", params=params, auth=False)
        assert resp.status_code == 302, change
        query = parse_qs(urlsplit(resp.headers["location"]).query)
        assert query["error"] == [error], change
        assert query["state"] == ["s1"]


def test_hosted_login_failure_rerenders_the_form(emu):
    new_user(emu)
    resp, _ = hosted_login(emu, "ada@example.com", password="wrong-password")
    assert resp.status_code == 200
    assert "Invalid credentials" in resp.text
    assert 'value="ada@example.com"' in resp.text

    resp, _ = hosted_login(emu, "ada@example.com", password="wrong-password", as_json=True)
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_credentials"


# --- authenticate ----------------------------------------------------------------


def test_authorization_code_with_pkce(emu):
    user = new_user(emu)
    verifier, challenge = pkce_pair()
    resp, params = hosted_login(
        emu, "ada@example.com", code_challenge=challenge, code_challenge_method="S256"
    )
    code = code_from(resp, params["state"])

    # A public client: PKCE instead of the client secret.
    resp, body = authenticate(
        emu, grant_type="authorization_code", code=code, code_verifier=verifier, client_secret=None
    )
    assert resp.status_code == 200, resp.text
    assert body["user"]["id"] == user["id"]
    assert body["authentication_method"] == "Password"
    assert "organization_id" not in body
    header, claims = decode_jwt(body["access_token"])
    assert header["alg"] == "RS256"
    for claim in ("iss", "sub", "sid", "jti", "exp", "iat"):
        assert claim in claims
    assert claims["sub"] == user["id"]
    assert claims["sid"].startswith("session_")
    assert claims["exp"] - claims["iat"] == 300
    assert claims["iss"] == f"{emu.base}/user_management/{CLIENT_ID}"
    assert "aud" not in claims  # WorkOS's User Management access tokens carry none
    assert verify_rs256(body["access_token"], jwks_key(emu, header["kid"]))

    # Codes are single use.
    resp, body = authenticate(
        emu, grant_type="authorization_code", code=code, code_verifier=verifier
    )
    assert resp.status_code == 400
    assert body["error"] == "invalid_grant"

    # The request log shows what the client sent, with secrets redacted.
    log = emu.control("GET", "/requests")["data"]
    sent = [r for r in log if r["path"] == "/user_management/authenticate"][0]
    assert sent["body"]["code_verifier"] == verifier
    assert "client_secret" not in sent["body"]
    assert "authorization" not in {k.lower() for k in sent["headers"]}
    second = [r for r in log if r["path"] == "/user_management/authenticate"][1]
    assert second["body"]["client_secret"] == "[redacted]"


def test_pkce_failures(emu):
    new_user(emu)
    verifier, challenge = pkce_pair()

    def fresh_code(**extra):
        resp, params = hosted_login(emu, "ada@example.com", **extra)
        return code_from(resp, params["state"])

    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    resp, body = authenticate(
        emu, grant_type="authorization_code", code=fresh_code(**pkce), code_verifier=verifier + "x"
    )
    assert (resp.status_code, body["error"]) == (400, "invalid_grant")

    resp, body = authenticate(emu, grant_type="authorization_code", code=fresh_code(**pkce))
    assert (resp.status_code, body["error"]) == (400, "invalid_grant")

    resp, body = authenticate(
        emu, grant_type="authorization_code", code=fresh_code(), code_verifier=verifier
    )
    assert (resp.status_code, body["code"]) == (400, "code_challenge_not_found")

    resp, body = authenticate(
        emu, grant_type="authorization_code", code=fresh_code(), client_secret=None
    )
    assert (resp.status_code, body["error"]) == (400, "invalid_client")

    # Without PKCE, a confidential client redeems with its secret.
    resp, body = authenticate(emu, grant_type="authorization_code", code=fresh_code())
    assert resp.status_code == 200


def test_password_grant_and_errors(emu):
    user = new_user(emu)
    resp, body = password_grant(emu, "ADA@example.com")
    assert resp.status_code == 200
    assert body["user"]["id"] == user["id"]
    assert body["user"]["last_sign_in_at"] is not None

    resp, body = password_grant(emu, "ada@example.com", "wrong-password")
    assert (resp.status_code, body["code"]) == (400, "invalid_credentials")
    resp, body = password_grant(emu, "nobody@example.com")
    assert (resp.status_code, body["code"]) == (400, "invalid_credentials")

    resp, body = authenticate(
        emu, grant_type="password", email="ada@example.com", password=PASSWORD, client_id="client_x"
    )
    assert (resp.status_code, body["error"]) == (400, "invalid_client")
    resp, body = authenticate(
        emu, grant_type="password", email="ada@example.com", password=PASSWORD, client_secret="sk_bad"
    )
    assert (resp.status_code, body["error"]) == (400, "invalid_client")

    resp, body = authenticate(emu, email="ada@example.com", password=PASSWORD)
    assert (resp.status_code, body["code"]) == (422, "invalid_request_parameters")
    resp, body = authenticate(emu, grant_type="client_credentials")
    assert (resp.status_code, body["code"]) == (422, "invalid_request_parameters")
    # A grant the spec defines that the emulator does not run (the mfa-totp
    # grant, once this example, is emulated now: test_account_lifecycle.py).
    resp, body = authenticate(
        emu, grant_type="urn:workos:oauth:grant-type:radar-email-challenge:code", code="123456", pending_authentication_token="x"
    )
    assert (resp.status_code, body["error"]) == (400, "invalid_request")

    # OAuth clients often post forms; WorkOS accepts both.
    resp, body = emu.post(
        "/user_management/authenticate",
        auth=False,
        data={
            "client_id": CLIENT_ID,
            "client_secret": API_KEY,
            "grant_type": "password",
            "email": "ada@example.com",
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 200


def test_refresh_token_rotation_and_organization_switch(emu):
    org_a = new_org(emu, "A")
    org_b = new_org(emu, "B")
    other = new_org(emu, "Other")
    emu.control("POST", "/roles", json={"slug": "editor", "permissions": ["posts:write"]})
    user = new_user(
        emu,
        memberships=[
            {"organization_id": org_a["id"], "role_slug": "editor"},
            {"organization_id": org_b["id"]},
        ],
    )
    resp, pending = password_grant(emu, "ada@example.com")
    assert resp.status_code == 403
    resp, body = authenticate(
        emu,
        grant_type="urn:workos:oauth:grant-type:organization-selection",
        pending_authentication_token=pending["pending_authentication_token"],
        organization_id=org_a["id"],
    )
    assert resp.status_code == 200, resp.text
    _, claims = decode_jwt(body["access_token"])
    assert claims["org_id"] == org_a["id"]
    assert claims["role"] == "editor"
    assert claims["roles"] == ["editor"]
    assert claims["permissions"] == ["posts:write"]

    first_refresh = body["refresh_token"]
    resp, body = authenticate(emu, grant_type="refresh_token", refresh_token=first_refresh)
    assert resp.status_code == 200
    assert body["refresh_token"] != first_refresh
    assert body["organization_id"] == org_a["id"]
    assert decode_jwt(body["access_token"])[1]["sid"] == claims["sid"]

    resp, old = authenticate(emu, grant_type="refresh_token", refresh_token=first_refresh)
    assert (resp.status_code, old["error"]) == (400, "invalid_grant")

    resp, switched = authenticate(
        emu, grant_type="refresh_token", refresh_token=body["refresh_token"], organization_id=org_b["id"]
    )
    assert resp.status_code == 200
    _, claims = decode_jwt(switched["access_token"])
    assert (claims["org_id"], claims["role"]) == (org_b["id"], "member")

    resp, err = authenticate(
        emu, grant_type="refresh_token", refresh_token=switched["refresh_token"], organization_id=other["id"]
    )
    assert (resp.status_code, err["error"]) == (400, "organization_membership_not_found")
    resp, err = authenticate(
        emu, grant_type="refresh_token", refresh_token=switched["refresh_token"], organization_id="org_missing"
    )
    assert (resp.status_code, err["error"]) == (400, "organization_not_found")
    assert user["id"] == claims["sub"]


def test_email_verification_step_up(emu):
    user = new_user(emu, email_verified=False)
    resp, body = password_grant(emu, "ada@example.com")
    assert (resp.status_code, body["code"]) == (403, "email_verification_required")
    assert body["email"] == "ada@example.com"
    token = body["pending_authentication_token"]

    resp, verification = emu.get(f"/user_management/email_verification/{body['email_verification_id']}")
    assert resp.status_code == 200
    assert verification["user_id"] == user["id"]
    resp, _ = emu.get("/user_management/email_verification/email_verification_missing")
    assert resp.status_code == 404

    grant = "urn:workos:oauth:grant-type:email-verification:code"
    wrong = "000000" if verification["code"] != "000000" else "111111"
    resp, err = authenticate(emu, grant_type=grant, code=wrong, pending_authentication_token=token)
    assert (resp.status_code, err["code"]) == (400, "invalid_one_time_code")
    resp, err = authenticate(
        emu, grant_type=grant, code=verification["code"], pending_authentication_token="nope"
    )
    assert (resp.status_code, err["code"]) == (400, "invalid_pending_authentication_token")

    resp, ok = authenticate(
        emu, grant_type=grant, code=verification["code"], pending_authentication_token=token
    )
    assert resp.status_code == 200
    assert ok["user"]["email_verified"] is True


def test_organization_selection_step_up(emu):
    org_a = new_org(emu, "A")
    org_b = new_org(emu, "B")
    stranger = new_org(emu, "C")
    new_user(emu, organization_ids=[org_a["id"], org_b["id"]])
    resp, body = password_grant(emu, "ada@example.com")
    assert (resp.status_code, body["code"]) == (403, "organization_selection_required")
    assert {o["id"] for o in body["organizations"]} == {org_a["id"], org_b["id"]}
    assert body["user"]["email"] == "ada@example.com"
    token = body["pending_authentication_token"]
    grant = "urn:workos:oauth:grant-type:organization-selection"

    resp, err = authenticate(
        emu, grant_type=grant, pending_authentication_token=token, organization_id=stranger["id"]
    )
    assert (resp.status_code, err["error"]) == (400, "organization_membership_not_found")
    resp, err = authenticate(
        emu, grant_type=grant, pending_authentication_token=token, organization_id="org_missing"
    )
    assert resp.status_code == 404
    resp, ok = authenticate(
        emu, grant_type=grant, pending_authentication_token=token, organization_id=org_b["id"]
    )
    assert resp.status_code == 200
    assert ok["organization_id"] == org_b["id"]
    resp, err = authenticate(
        emu, grant_type=grant, pending_authentication_token=token, organization_id=org_b["id"]
    )
    assert (resp.status_code, err["code"]) == (400, "invalid_pending_authentication_token")

    # A single membership scopes the session without asking.
    new_user(emu, email="solo@example.com", organization_ids=[org_a["id"]])
    resp, ok = password_grant(emu, "solo@example.com")
    assert resp.status_code == 200
    assert ok["organization_id"] == org_a["id"]


def test_mfa_step_ups(emu):
    new_user(emu, email="enrol@example.com", mfa="enrollment")
    resp, body = password_grant(emu, "enrol@example.com")
    assert (resp.status_code, body["code"]) == (403, "mfa_enrollment")
    assert body["pending_authentication_token"]

    user = new_user(emu, email="challenge@example.com", mfa="challenge")
    resp, body = password_grant(emu, "challenge@example.com")
    assert (resp.status_code, body["code"]) == (403, "mfa_challenge")
    assert body["authentication_factors"][0]["type"] == "totp"

    emu.control("PUT", f"/users/{user['id']}", json={"mfa": "none"})
    resp, _ = password_grant(emu, "challenge@example.com")
    assert resp.status_code == 200


def test_oauth_provider_login_creates_a_verified_user(emu):
    resp, params = hosted_login(emu, "new@example.com", password=None, provider="GoogleOAuth")
    code = code_from(resp, params["state"])
    resp, body = authenticate(emu, grant_type="authorization_code", code=code)
    assert resp.status_code == 200
    assert body["authentication_method"] == "GoogleOAuth"
    assert body["user"]["email_verified"] is True


# --- users ---------------------------------------------------------------------------


def test_users(emu):
    resp, user = emu.post(
        "/user_management/users",
        json={
            "email": "Grace@Example.com",
            "password": PASSWORD,
            "first_name": "Grace",
            "last_name": "Hopper",
            "external_id": "wp-42",
            "metadata": {"plan": "pro"},
        },
    )
    assert resp.status_code == 201
    assert user["object"] == "user" and user["id"].startswith("user_")
    assert user["email"] == "grace@example.com"
    assert user["email_verified"] is False

    resp, err = emu.post("/user_management/users", json={"email": "grace@example.com"})
    assert (resp.status_code, err["code"]) == (400, "user_creation_error")
    resp, err = emu.post("/user_management/users", json={"email": "x@example.com", "password": "short"})
    assert (resp.status_code, err["code"]) == (400, "password_strength_error")
    resp, err = emu.post("/user_management/users", json={"email": "not-an-email"})
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")
    resp, err = emu.post("/user_management/users", json={"email": "m@example.com", "metadata": {"k": 1}})
    assert (resp.status_code, err["code"]) == (400, "invalid_metadata")

    resp, got = emu.get(f"/user_management/users/{user['id']}")
    assert resp.status_code == 200 and got == user
    resp, _ = emu.get("/user_management/users/user_missing")
    assert resp.status_code == 404
    resp, got = emu.get("/user_management/users/external_id/wp-42")
    assert resp.status_code == 200 and got["id"] == user["id"]
    resp, _ = emu.get("/user_management/users/external_id/nope")
    assert resp.status_code == 404

    resp, updated = emu.put(
        f"/user_management/users/{user['id']}",
        json={"first_name": "Amazing", "email_verified": True, "password": "another-long-password"},
    )
    assert resp.status_code == 200
    assert (updated["first_name"], updated["email_verified"]) == ("Amazing", True)
    resp, _ = password_grant(emu, "grace@example.com", "another-long-password")
    assert resp.status_code == 200
    resp, err = password_grant(emu, "grace@example.com", PASSWORD)
    assert (resp.status_code, err["code"]) == (400, "invalid_credentials")

    new_user(emu, email="taken@example.com")
    resp, err = emu.put(f"/user_management/users/{user['id']}", json={"email": "taken@example.com"})
    assert (resp.status_code, err["code"]) == (400, "email_not_available")
    resp, err = emu.put(f"/user_management/users/{user['id']}", json={"password": "tiny"})
    assert (resp.status_code, err["code"]) == (400, "password_strength_error")
    resp, err = emu.put(f"/user_management/users/{user['id']}", json={"email": "bad"})
    assert resp.status_code == 422
    resp, _ = emu.put("/user_management/users/user_missing", json={"first_name": "X"})
    assert resp.status_code == 404

    resp, _ = emu.delete(f"/user_management/users/{user['id']}")
    assert resp.status_code == 200 and resp.content == b""
    resp, _ = emu.delete(f"/user_management/users/{user['id']}")
    assert resp.status_code == 404


def test_user_listing_and_pagination(emu):
    ids = []
    for i in range(5):
        resp, u = emu.post("/user_management/users", json={"email": f"u{i}@example.com"})
        ids.append(u["id"])
    resp, page = emu.get("/user_management/users", params={"limit": 2})
    assert resp.status_code == 200
    assert [u["id"] for u in page["data"]] == [ids[4], ids[3]]
    assert page["list_metadata"] == {"before": None, "after": ids[3]}
    resp, page2 = emu.get("/user_management/users", params={"limit": 2, "after": ids[3]})
    assert [u["id"] for u in page2["data"]] == [ids[2], ids[1]]
    resp, back = emu.get("/user_management/users", params={"limit": 2, "before": ids[2]})
    assert [u["id"] for u in back["data"]] == [ids[4], ids[3]]
    resp, asc = emu.get("/user_management/users", params={"order": "asc", "limit": 100})
    assert [u["id"] for u in asc["data"]] == ids
    resp, by_email = emu.get("/user_management/users", params={"email": "U3@example.com"})
    assert [u["id"] for u in by_email["data"]] == [ids[3]]

    org = new_org(emu)
    emu.post("/user_management/organization_memberships", json={"user_id": ids[0], "organization_id": org["id"]})
    resp, members = emu.get("/user_management/users", params={"organization_id": org["id"]})
    assert [u["id"] for u in members["data"]] == [ids[0]]

    for bad in ({"limit": 0}, {"limit": 101}, {"order": "sideways"}):
        resp, _ = emu.get("/user_management/users", params=bad)
        assert resp.status_code == 422, bad


# --- organizations --------------------------------------------------------------------


def test_organizations(emu):
    resp, org = emu.post(
        "/organizations",
        json={
            "name": "Acme",
            "domain_data": [{"domain": "acme.test", "state": "verified"}],
            "external_id": "acme-1",
            "metadata": {"tier": "gold"},
        },
    )
    assert resp.status_code == 201
    assert org["id"].startswith("org_")
    assert org["domains"][0]["domain"] == "acme.test"

    resp, err = emu.post("/organizations", json={"name": "Dup", "external_id": "acme-1"})
    assert (resp.status_code, err["code"]) == (400, "external_id_already_used")
    resp, err = emu.post("/organizations", json={})
    assert resp.status_code == 422
    resp, _ = emu.post("/organizations", json={"name": "Legacy", "domains": ["legacy.test"]})
    assert resp.status_code == 201

    resp, got = emu.get(f"/organizations/{org['id']}")
    assert resp.status_code == 200 and got == org
    resp, _ = emu.get("/organizations/org_missing")
    assert resp.status_code == 404
    resp, got = emu.get("/organizations/external_id/acme-1")
    assert resp.status_code == 200 and got["id"] == org["id"]
    resp, _ = emu.get("/organizations/external_id/nope")
    assert resp.status_code == 404

    resp, listed = emu.get("/organizations", params={"search": "acm"})
    assert [o["id"] for o in listed["data"]] == [org["id"]]
    resp, listed = emu.get("/organizations", params={"domains": "legacy.test"})
    assert [o["name"] for o in listed["data"]] == ["Legacy"]
    resp, listed = emu.get("/organizations", params={"limit": 1, "order": "asc"})
    assert listed["list_metadata"]["after"] == org["id"]
    resp, _ = emu.get("/organizations", params={"limit": 1000})
    assert resp.status_code == 422

    resp, updated = emu.put(f"/organizations/{org['id']}", json={"name": "Acme Inc", "stripe_customer_id": "cus_1"})
    assert resp.status_code == 200
    assert (updated["name"], updated["stripe_customer_id"]) == ("Acme Inc", "cus_1")
    resp, err = emu.put(f"/organizations/{org['id']}", json={"metadata": {"k": ["no"]}})
    assert (resp.status_code, err["code"]) == (400, "invalid_metadata")
    resp, _ = emu.put("/organizations/org_missing", json={"name": "X"})
    assert resp.status_code == 404

    resp, _ = emu.delete(f"/organizations/{org['id']}")
    assert resp.status_code in (200, 202)
    resp, _ = emu.delete(f"/organizations/{org['id']}")
    assert resp.status_code == 404


# --- memberships ------------------------------------------------------------------------


def test_memberships(emu):
    org = new_org(emu)
    user = new_user(emu)
    path = "/user_management/organization_memberships"

    resp, m = emu.post(path, json={"user_id": user["id"], "organization_id": org["id"]})
    assert resp.status_code == 201
    assert m["role"] == {"slug": "member"} and m["roles"] == [{"slug": "member"}]
    assert m["status"] == "active" and m["organization_name"] == "Acme"

    resp, err = emu.post(path, json={"user_id": user["id"], "organization_id": org["id"]})
    assert resp.status_code == 422
    resp, err = emu.post(path, json={"user_id": "user_missing", "organization_id": org["id"]})
    assert resp.status_code == 404
    other = new_user(emu, email="b@example.com")
    resp, err = emu.post(path, json={"user_id": other["id"], "organization_id": org["id"], "role_slug": "nope"})
    assert (resp.status_code, err["code"]) == (422, "invalid_role")
    resp, err = emu.post(path, json={"organization_id": org["id"]})
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")

    resp, listed = emu.get(path, params={"user_id": user["id"]})
    assert [x["id"] for x in listed["data"]] == [m["id"]]
    resp, listed = emu.get(path, params={"organization_id": org["id"], "statuses": "inactive"})
    assert listed["data"] == []
    resp, err = emu.get(path)
    assert (resp.status_code, err["code"]) == (400, "missing_user_id_or_organization_id")
    resp, err = emu.get(path, params={"user_id": user["id"], "limit": -1})
    assert resp.status_code == 422

    resp, got = emu.get(f"{path}/{m['id']}")
    assert resp.status_code == 200 and got["id"] == m["id"]
    resp, _ = emu.get(f"{path}/om_missing")
    assert resp.status_code == 404

    resp, updated = emu.put(f"{path}/{m['id']}", json={"role_slug": "admin"})
    assert resp.status_code == 200 and updated["role"] == {"slug": "admin"}
    resp, err = emu.put(f"{path}/{m['id']}", json={"role_slug": "ghost"})
    assert (resp.status_code, err["code"]) == (422, "invalid_role")
    resp, _ = emu.put(f"{path}/om_missing", json={"role_slug": "admin"})
    assert resp.status_code == 404

    resp, inactive = emu.put(f"{path}/{m['id']}/deactivate")
    assert resp.status_code == 200 and inactive["status"] == "inactive"
    resp, _ = password_grant(emu, "ada@example.com")
    assert "organization_id" not in resp.json()
    resp, active = emu.put(f"{path}/{m['id']}/reactivate")
    assert resp.status_code == 200 and active["status"] == "active"
    for action in ("deactivate", "reactivate"):
        resp, _ = emu.put(f"{path}/om_missing/{action}")
        assert resp.status_code == 404

    resp, _ = emu.delete(f"{path}/{m['id']}")
    assert resp.status_code == 200
    resp, _ = emu.delete(f"{path}/{m['id']}")
    assert resp.status_code == 404


# --- sessions ------------------------------------------------------------------------------


def test_sessions_list_revoke_and_logout(emu):
    user = new_user(emu)
    _, first = password_grant(emu, "ada@example.com")
    _, second = password_grant(emu, "ada@example.com")
    sid_first = decode_jwt(first["access_token"])[1]["sid"]
    sid_second = decode_jwt(second["access_token"])[1]["sid"]

    resp, sessions = emu.get(f"/user_management/users/{user['id']}/sessions")
    assert resp.status_code == 200
    assert [s["id"] for s in sessions["data"]] == [sid_second, sid_first]
    assert sessions["data"][0]["auth_method"] == "password"
    resp, _ = emu.get("/user_management/users/user_missing/sessions")
    assert resp.status_code == 404
    resp, _ = emu.get(f"/user_management/users/{user['id']}/sessions", params={"limit": 0})
    assert resp.status_code == 422

    resp, _ = emu.post("/user_management/sessions/revoke", json={"session_id": sid_first})
    assert resp.status_code == 200
    resp, err = authenticate(emu, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert (resp.status_code, err["error"]) == (400, "invalid_grant")
    resp, _ = emu.post("/user_management/sessions/revoke", json={"session_id": "session_missing"})
    assert resp.status_code == 400
    resp, _ = emu.post("/user_management/sessions/revoke", json={})
    assert resp.status_code == 400

    resp, _ = emu.get(
        "/user_management/sessions/logout",
        params={"session_id": sid_second, "return_to": "http://127.0.0.1:9/bye"},
        auth=False,
    )
    assert resp.status_code == 302 and resp.headers["location"] == "http://127.0.0.1:9/bye"
    resp, _ = emu.get("/user_management/sessions/logout", params={"session_id": sid_second}, auth=False)
    assert resp.status_code == 200
    resp, _ = emu.get("/user_management/sessions/logout", params={"session_id": "session_nope"}, auth=False)
    assert resp.status_code == 422
    resp, _ = emu.get("/user_management/sessions/logout", auth=False)
    assert resp.status_code == 422
    resp, sessions = emu.get(f"/user_management/users/{user['id']}/sessions")
    assert {s["status"] for s in sessions["data"]} == {"revoked"}


# --- authentication of the API itself -----------------------------------------------------


def test_api_key_is_required(emu):
    calls = [
        ("get", "/user_management/users"),
        ("post", "/user_management/users"),
        ("get", "/user_management/users/user_x"),
        ("put", "/user_management/users/user_x"),
        ("delete", "/user_management/users/user_x"),
        ("get", "/user_management/users/external_id/x"),
        ("get", "/user_management/users/user_x/sessions"),
        ("get", "/user_management/email_verification/email_verification_x"),
        ("post", "/user_management/sessions/revoke"),
        ("get", "/organizations"),
        ("post", "/organizations"),
        ("get", "/organizations/org_x"),
        ("put", "/organizations/org_x"),
        ("delete", "/organizations/org_x"),
        ("get", "/organizations/external_id/x"),
        ("get", "/user_management/organization_memberships"),
        ("post", "/user_management/organization_memberships"),
        ("get", "/user_management/organization_memberships/om_x"),
        ("put", "/user_management/organization_memberships/om_x"),
        ("delete", "/user_management/organization_memberships/om_x"),
        ("put", "/user_management/organization_memberships/om_x/deactivate"),
        ("put", "/user_management/organization_memberships/om_x/reactivate"),
    ]
    for method, path in calls:
        resp, body = emu.request(method.upper(), path, auth=False, json={})
        assert resp.status_code == 401, (method, path)
        assert body["message"]
        resp, _ = emu.request(method.upper(), path, api_key="sk_test_wrong", json={})
        assert resp.status_code == 401, (method, path)


# --- webhooks ----------------------------------------------------------------------------------


def test_webhooks_are_signed_events(emu, receiver, checker):
    event_schema = checker.component_schema("EventSchema")
    resp, user = emu.post("/user_management/users", json={"email": "hook@example.com", "password": PASSWORD, "email_verified": True})
    emu.put(f"/user_management/users/{user['id']}", json={"first_name": "Hook"})
    org = new_org(emu, "Hooks")
    emu.put(f"/organizations/{org['id']}", json={"name": "Hooks 2"})
    _, m = emu.post(
        "/user_management/organization_memberships",
        json={"user_id": user["id"], "organization_id": org["id"]},
    )
    emu.put(f"/user_management/organization_memberships/{m['id']}/deactivate")
    emu.delete(f"/user_management/organization_memberships/{m['id']}")
    _, auth = password_grant(emu, "hook@example.com")
    sid = decode_jwt(auth["access_token"])[1]["sid"]
    emu.post("/user_management/sessions/revoke", json={"session_id": sid})
    emu.delete(f"/organizations/{org['id']}")
    emu.delete(f"/user_management/users/{user['id']}")

    expected = [
        "user.created",
        "user.updated",
        "organization.created",
        "organization.updated",
        "organization_membership.created",
        "organization_membership.updated",
        "organization_membership.deleted",
        "authentication.password_succeeded",
        "session.created",
        "session.revoked",
        "organization.deleted",
        "user.deleted",
    ]
    receiver.wait_for(lambda e: e["event"] == "user.deleted")
    seen = [e["event"] for e in receiver.events()]
    assert seen == expected, seen

    now_ms = time.time() * 1000
    for record in receiver.received:
        assert record["signature_ok"], record["headers"]
        header = record["headers"]["WorkOS-Signature"]
        t = int(header.split(",")[0].split("=")[1])
        assert abs(now_ms - t) < 60_000, "t must be in milliseconds"
        payload = json.loads(record["raw"])
        assert payload["id"].startswith("event_")
        checker.validate_value(event_schema, payload, f"webhook {payload['event']}")

    deliveries = emu.control("GET", "/webhooks")["data"]
    assert [d["event"] for d in deliveries] == expected
    assert all(d["status"] == 200 and d["body"] == "ok" and d["url"] == receiver.url for d in deliveries)


def test_control_webhook_delivery(emu, receiver):
    sent = emu.control(
        "POST",
        "/webhooks",
        json={"event": "user.updated", "data": {"id": "user_1"}, "id": "event_fixed"},
    )
    assert sent == {**sent, "id": "event_fixed", "status": 200, "body": "ok"}

    forged = emu.control(
        "POST",
        "/webhooks",
        json={"event": "user.updated", "data": {}, "signature": "t=1, v1=deadbeef"},
    )
    assert (forged["status"], forged["body"]) == (401, "bad signature")

    other_secret = emu.control(
        "POST", "/webhooks", json={"event": "user.updated", "data": {}, "secret": "not-the-secret"}
    )
    assert other_secret["status"] == 401

    old = emu.control(
        "POST", "/webhooks", json={"event": "user.updated", "data": {}, "timestamp_ms": 1_000}
    )
    assert old["signature"].startswith("t=1000, v1=")
    assert old["status"] == 200  # the receiver here checks the MAC only

    unreachable = emu.control(
        "POST", "/webhooks", json={"event": "user.updated", "data": {}, "url": "http://127.0.0.1:9/x"}
    )
    assert unreachable["status"] is None and unreachable["error"]
    assert len(emu.control("GET", "/webhooks")["data"]) == 5


# --- faults, tokens, keys, logs -------------------------------------------------------------------


def test_faults(emu):
    new_user(emu)
    emu.control(
        "POST",
        "/faults",
        json={
            "method": "POST",
            "path": "/user_management/authenticate",
            "status": 503,
            "body": {"message": "Service Unavailable"},
            "headers": {"Retry-After": "1"},
            "times": 1,
        },
    )
    resp = emu.http.post(
        emu.base + "/user_management/authenticate",
        json={
            "client_id": CLIENT_ID,
            "client_secret": API_KEY,
            "grant_type": "password",
            "email": "ada@example.com",
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "1"
    assert resp.json() == {"message": "Service Unavailable"}
    resp, _ = password_grant(emu, "ada@example.com")
    assert resp.status_code == 200

    emu.control("POST", "/faults", json={"path": "/organizations*", "status": 500, "body": "<html>oops</html>", "times": 0})
    for _ in range(2):
        resp = emu.http.get(emu.base + "/organizations/org_x", headers={"Authorization": f"Bearer {API_KEY}"})
        assert (resp.status_code, resp.text) == (500, "<html>oops</html>")
    assert len(emu.control("GET", "/faults")["data"]) == 1
    emu.control("DELETE", "/faults")
    resp, _ = emu.get("/organizations")
    assert resp.status_code == 200

    emu.control("POST", "/faults", json={"path": "/organizations", "delay_ms": 300})
    started = time.time()
    resp, _ = emu.get("/organizations")
    assert resp.status_code == 200 and time.time() - started >= 0.3

    log = emu.control("GET", "/requests")["data"]
    assert any(r["status"] == 503 and r["fault_id"] for r in log)


def test_control_tokens_and_key_rotation(emu):
    org = new_org(emu)
    user = new_user(emu, organization_ids=[org["id"]], role_slug="admin")
    minted = emu.control(
        "POST", "/tokens", json={"user_id": user["id"], "claims": {"exp": 1000, "iss": "https://evil.test", "jti": None}}
    )
    header, claims = decode_jwt(minted["access_token"])
    assert (claims["exp"], claims["iss"], claims["org_id"], claims["role"]) == (1000, "https://evil.test", org["id"], "admin")
    assert "jti" not in claims
    assert verify_rs256(minted["access_token"], jwks_key(emu, header["kid"]))

    stranger = emu.control("POST", "/tokens", json={"user_id": user["id"], "sign_with": "unknown", "kid": header["kid"]})
    assert decode_jwt(stranger["access_token"])[0]["kid"] == header["kid"]
    assert not verify_rs256(stranger["access_token"], jwks_key(emu, header["kid"]))

    rotated = emu.control("POST", "/rotate-key")
    assert rotated["kid"] != header["kid"]
    assert jwks_key(emu, header["kid"]) is None
    _, auth = password_grant(emu, "ada@example.com")
    new_header, _ = decode_jwt(auth["access_token"])
    assert new_header["kid"] == rotated["kid"]
    assert verify_rs256(auth["access_token"], jwks_key(emu, rotated["kid"]))


def test_seed_file(tmp_path):
    seed = {
        "roles": [{"slug": "owner", "permissions": ["all"]}],
        "organizations": [{"id": "org_demo", "name": "Demo Co", "domains": ["demo.test"]}],
        "users": [
            {
                "email": "demo@demo.test",
                "password": PASSWORD,
                "memberships": [{"organization_id": "org_demo", "role_slug": "owner"}],
            }
        ],
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    proc, base = start_emulator("--seed", str(path), "--api-key", API_KEY, "--client-id", CLIENT_ID)
    try:
        resp = requests.post(
            base + "/user_management/authenticate",
            json={
                "client_id": CLIENT_ID,
                "client_secret": API_KEY,
                "grant_type": "password",
                "email": "demo@demo.test",
                "password": PASSWORD,
            },
            timeout=30,
        )
        assert resp.status_code == 200, resp.text
        claims = decode_jwt(resp.json()["access_token"])[1]
        assert (claims["org_id"], claims["role"], claims["permissions"]) == ("org_demo", "owner", ["all"])
    finally:
        stop(proc)


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
