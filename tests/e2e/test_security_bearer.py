"""Security (issue 8, findings 12 and the Bearer half of 5): a Bearer token is accepted only when it
was issued for this site (audience = its client ID, issuer = its WorkOS issuer), only on REST
requests, only through the same members-only gate as a sign-in, and — when the site serves an
organization — only when it carries that organization's `org_id`."""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import create_org, create_workos_user
from test_bearer import ME, get_me, password_grant, signed_in  # noqa: F401  (fixture)

TIMEOUT = 30


def mint(emulator_url, user_id, **fields) -> str:
    """An access token signed by the emulator's current key, with claim overrides (None removes one)."""
    r = requests.post(emulator_url + "/__emulator/tokens", json=dict(user_id=user_id, **fields), timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def expected_issuer(env) -> str:
    return env["API_BASE_URL"].rstrip("/") + "/user_management/" + env["CLIENT_ID"]


def test_a_real_token_carries_this_sites_audience_and_issuer_and_is_accepted(env, wp_url, signed_in):  # noqa: F811
    r = get_me(wp_url, signed_in["token"])
    assert r.status_code == 200, r.text
    assert r.json()["id"] == signed_in["wp_id"]


@pytest.mark.parametrize(
    "claims,why",
    [
        ({"aud": "client_someone_else"}, "another application's audience"),
        ({"aud": ["client_x", "client_y"]}, "a list without this site's client ID"),
        ({"aud": ""}, "an empty audience"),
        ({"iss": "https://evil.example/user_management/client_x"}, "another issuer"),
        ({"iss": "https://api.workos.com/user_management/client_someone_else"}, "another client's issuer"),
        ({"iss": None}, "no issuer"),
    ],
)
def test_tokens_for_another_audience_or_issuer_are_refused(env, wp_url, emulator_url, signed_in, claims, why):  # noqa: F811
    token = mint(emulator_url, signed_in["user"]["id"], claims=claims)
    r = get_me(wp_url, token)
    assert r.status_code == 401, f"{why}: {r.status_code} {r.text[:300]}"
    assert r.json()["code"] == "workos_invalid_token"


def test_sign_in_also_requires_the_audience_and_issuer(env, wp_eval):
    expect = wp_eval("return WorkOS_WP\\SignIn\\TokenPolicy::expectations();")
    # WorkOS's access tokens carry no `aud` (the issuer names the client); one that does must
    # name this client.
    # Older WorkOS environments name the API itself as the issuer; both are tied to this client by its JWKS.
    assert expect == {"audience": env["CLIENT_ID"], "audience_optional": True,
                      "issuer": [expected_issuer(env), env["API_BASE_URL"].rstrip("/")]}


def test_audience_and_issuer_can_be_overridden_by_constants(wp_eval):
    # e.g. environments created before mid-2025 issue tokens as https://api.workos.com.
    expect = wp_eval("""define('WORKOS_TOKEN_ISSUER', 'https://api.workos.com');
        define('WORKOS_TOKEN_AUDIENCE', 'client_other');
        return WorkOS_WP\\SignIn\\TokenPolicy::expectations();""")
    assert expect == {"audience": "client_other", "audience_optional": False, "issuer": "https://api.workos.com"}


def test_bearer_does_not_authenticate_admin_ajax_with_a_rest_route(wp_url, signed_in):  # noqa: F811
    # Heartbeat tells whether the caller is signed in: a signed-in caller is handed fresh nonces
    # (a REST nonce among them), an anonymous one gets `"wp-auth-check": false`.
    data = {"action": "heartbeat", "_nonce": "x", "screen_id": "front", "data[probe]": "1"}
    headers = {"Authorization": f"Bearer {signed_in['token']}"}
    r = requests.post(wp_url + "/wp-admin/admin-ajax.php", params={"rest_route": "/wp/v2/users/me"},
                      data=data, headers=headers, timeout=TIMEOUT)
    assert r.status_code == 200, r.text[:300]
    assert "rest_nonce" not in r.text and '"wp-auth-check":false' in r.text, r.text[:300]
    # The same token still works where it belongs.
    assert get_me(wp_url, signed_in["token"]).status_code == 200
    assert requests.get(wp_url + "/", params={"rest_route": "/wp/v2/users/me"}, headers=headers,
                        timeout=TIMEOUT).status_code == 200


class TestOrganization:
    @pytest.fixture
    def orgs(self, wp_settings, emulator_url):
        ours, theirs = (create_org(emulator_url, f"{n} {uuid.uuid4().hex[:6]}") for n in ("Ours", "Theirs"))
        return ours, theirs

    @pytest.fixture
    def member(self, env, wp_url, emulator_url, session_factory, wp_eval, orgs):
        """Signed in once before the site was pinned to an organization (so a user is linked)."""
        ours, theirs = orgs
        email = f"bearer-org-{uuid.uuid4().hex[:8]}@example.com"
        user = create_workos_user(emulator_url, email, memberships=[
            {"organization_id": ours["id"], "role_slug": "member"},
            {"organization_id": theirs["id"], "role_slug": "member"}])
        wp_eval("""
            $id = wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'],
                'user_pass' => wp_generate_password(), 'role' => 'subscriber']);
            update_user_meta($id, '_workos_user_id', $args['workos']); return $id;""",
                {"login": "bo" + uuid.uuid4().hex[:8], "email": email, "workos": user["id"]})
        return user

    def test_token_of_another_organization_is_refused_when_the_site_serves_one(
        self, orgs, member, emulator_url, wp_url, wp_settings
    ):
        ours, theirs = orgs
        wp_settings(organization_id=ours["id"])
        r = get_me(wp_url, mint(emulator_url, member["id"], organization_id=theirs["id"]))
        assert r.status_code == 401 and r.json()["code"] == "workos_wrong_organization", r.text
        r = get_me(wp_url, mint(emulator_url, member["id"], claims={"org_id": None}))
        assert r.status_code == 401 and r.json()["code"] == "workos_wrong_organization", r.text
        assert get_me(wp_url, mint(emulator_url, member["id"], organization_id=ours["id"])).status_code == 200

    def test_members_only_gate_applies_to_bearer_tokens(self, orgs, member, emulator_url, wp_url, wp_settings):
        # Members only, but no organization configured: sign-in is refused, so is the token.
        wp_settings(entitlement_gate=True, organization_id=None)
        r = get_me(wp_url, mint(emulator_url, member["id"], claims={"org_id": None}))
        assert r.status_code == 401 and r.json()["code"] == "gate_misconfigured", r.text
