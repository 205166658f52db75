"""Issue 12, invitations in the hosted login: GET /auth/invitation/{token} (the invitation's email and
organization, nothing more), POST /auth/invitation/accept (a password — a new account, or the existing
account's — then WorkOS's grant with the token, through the one sign-in pipeline: signed in as a member),
GET /auth/invitation/authorize-url (acceptance by a social provider, finished by /workos/callback), the
`?invitation_token=` entry points, the profile's `invite_flow`, the limits, and `workos invite`.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from authkit import Flow, authkit_sign_in, create_org, create_workos_user, logged_in_cookie, query
from test_auth_api import AUTH, PASSWORD, WIPE_LIMITS, Browser, error_of, unique_email
from test_auth_api import profile  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Invited-Passw0rd!"


@pytest.fixture(autouse=True)
def fresh_limits(wp_eval, wp_settings):
    """Fresh rate limits for every test (and the settings put back)."""
    del wp_settings
    wp_eval(WIPE_LIMITS)
    yield
    wp_eval(WIPE_LIMITS)


@pytest.fixture
def browser(session_factory, wp_url):
    def _make(slug: str = "default") -> Browser:
        return Browser(session_factory(wp_url), slug)
    return _make


@pytest.fixture
def api(env, emulator_url):
    """WorkOS's API on the emulator, with the site's key (what an administrator's tools would call)."""
    def _call(method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, emulator_url + path, headers={"Authorization": "Bearer " + env["API_KEY"]},
                                timeout=30, **kw)
    return _call


@pytest.fixture
def invite(api):
    """invite(email, org_id=None, **fields) -> WorkOS's invitation (with its token)."""
    def _send(email: str, org_id: str | None = None, **fields) -> dict:
        body = {"email": email, **fields}
        if org_id:
            body["organization_id"] = org_id
        r = api("POST", "/user_management/invitations", json=body)
        assert r.status_code == 201, r.text
        return r.json()
    return _send


def lookup(b: Browser, token: str, **kw) -> requests.Response:
    return b.s.get(AUTH + "invitation/" + token, **kw)


def accept(b: Browser, token: str, password: str = NEW_PASSWORD, **extra) -> requests.Response:
    return b.post("invitation/accept", {"invitation_token": token, "password": password, **extra})


def memberships(api, workos_id: str) -> list[dict]:
    r = api("GET", "/user_management/organization_memberships", params={"user_id": workos_id})
    assert r.status_code == 200, r.text
    return r.json()["data"]


def wp_user_of(wp_eval, email: str) -> dict | None:
    return wp_eval(
        """
        $u = get_user_by('email', $args);
        if (!$u) { return null; }
        return ['id' => $u->ID, 'first_name' => $u->first_name, 'last_name' => $u->last_name,
                'workos_id' => get_user_meta($u->ID, '_workos_user_id', true),
                'orgs' => array_map(function ($m) { return $m['organization_id'] . ':' . $m['status']; },
                                    WorkOS_WP\\Users\\Memberships::memberships_of($u->ID))];
        """,
        email,
    )


# --- look-up ----------------------------------------------------------------------------------------------------


def test_lookup_answers_the_email_and_organization_only(browser, invite, emulator_url):
    org = create_org(emulator_url, "Invited Co " + uuid.uuid4().hex[:4])
    email = unique_email("look")
    inv = invite(email, org["id"])
    b = browser()
    r = lookup(b, inv["token"])
    assert r.status_code == 200, r.text
    assert r.json() == {"email": email, "organization_name": org["name"]}
    assert "no-store" in r.headers.get("Cache-Control", "")
    # No profile or nonce needed; with a profile, that profile must take invitations.
    assert lookup(b, inv["token"], params={"profile": "default"}).status_code == 200
    # Without an organization: the email only.
    plain = invite(unique_email("plain"))
    assert lookup(b, plain["token"]).json()["organization_name"] == ""
    error_of(lookup(b, "NoSuchToken123"), 404, "workos_authkit_invitation_not_found")


def test_lookup_is_for_the_shell_only(browser, invite, wp_url):
    inv = invite(unique_email("genuine"))
    b = browser()
    error_of(lookup(b, inv["token"], headers={"Origin": "http://evil.127.0.0.1.nip.io"}), 403, "workos_authkit_invalid_nonce")
    assert lookup(b, inv["token"], headers={"Origin": wp_url}).status_code == 200
    r = lookup(b, inv["token"], params={"_jsonp": "steal"})
    assert r.status_code >= 400 and "steal(" not in r.text
    error_of(lookup(b, inv["token"], params={"profile": "no-such-profile"}), 404, "workos_authkit_profile_not_found")


def test_lookup_is_rate_limited_per_client(browser, invite):
    inv = invite(unique_email("many"))
    b = browser()
    for _ in range(10):
        assert lookup(b, "Guess" + uuid.uuid4().hex[:10]).status_code == 404
    r = lookup(b, inv["token"])
    error_of(r, 429, "workos_rate_limited")
    assert int(r.headers["Retry-After"]) > 0


# --- acceptance by password ---------------------------------------------------------------------------------------


def test_accept_creates_the_account_and_signs_in_as_a_member(browser, invite, api, emulator_url, wp_url, wp_eval):
    org = create_org(emulator_url, "Joiners " + uuid.uuid4().hex[:4])
    email = unique_email("joiner")
    inv = invite(email, org["id"])
    b = browser()
    r = accept(b, inv["token"], first_name="Ivy", last_name="Invitee", redirect_to="/sample-page/")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["email"] == email and body["user"]["display_name"] == "Ivy Invitee"
    assert body["redirect_to"] == wp_url + "/sample-page/"
    assert logged_in_cookie(b.s)
    # The WordPress user, linked, and a member of the invitation's organization — at WorkOS and here.
    local = wp_user_of(wp_eval, email)
    assert local and local["first_name"] == "Ivy" and local["workos_id"].startswith("user_")
    assert org["id"] + ":active" in local["orgs"]
    assert [m["organization_id"] for m in memberships(api, local["workos_id"])] == [org["id"]]
    # The account's address counts as verified (the link was sent there) and the password is the one chosen.
    user = api("GET", "/user_management/users/" + local["workos_id"]).json()
    assert user["email_verified"] is True
    assert api("GET", "/user_management/invitations/" + inv["id"]).json()["state"] == "accepted"
    # Spent: neither looked up nor accepted again.
    error_of(lookup(browser(), inv["token"]), 410, "workos_authkit_invitation_accepted")
    error_of(accept(browser(), inv["token"]), 410, "workos_authkit_invitation_accepted")


def test_an_existing_account_accepts_with_its_own_password(browser, invite, api, emulator_url, wp_eval):
    org = create_org(emulator_url, "Existing " + uuid.uuid4().hex[:4])
    email = unique_email("existing")
    user = create_workos_user(emulator_url, email, PASSWORD)
    inv = invite(email, org["id"])
    b = browser()
    # The invitation is no way to set another password on someone's account.
    r = accept(b, inv["token"], password=NEW_PASSWORD)
    error_of(r, 401, "workos_authkit_account_exists")
    assert not logged_in_cookie(b.s)
    assert api("GET", "/user_management/invitations/" + inv["id"]).json()["state"] == "pending"
    r = accept(b, inv["token"], password=PASSWORD)
    assert r.status_code == 200, r.text
    assert logged_in_cookie(b.s)
    assert org["id"] in [m["organization_id"] for m in memberships(api, user["id"])]
    assert org["id"] + ":active" in wp_user_of(wp_eval, email)["orgs"]


def test_wrong_passwords_for_an_existing_account_are_limited(browser, invite, emulator_url):
    email = unique_email("guess")
    create_workos_user(emulator_url, email, PASSWORD)
    org = create_org(emulator_url, "Guess " + uuid.uuid4().hex[:4])
    inv = invite(email, org["id"])
    b = browser()
    codes = [accept(b, inv["token"], password=f"wrong-{i}-password").status_code for i in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429, codes
    # Another client with the same link: the invitation's own bucket is spent too.
    error_of(accept(browser(), inv["token"], password=PASSWORD), 429, "workos_rate_limited")


def test_accept_refusals_leave_the_invitation_pending(browser, profile, invite, api, emulator_url, wp_eval):
    org = create_org(emulator_url, "Refusals " + uuid.uuid4().hex[:4])
    email = unique_email("refused")
    inv = invite(email, org["id"])
    b = browser()
    # The nonce of this browser and profile, as every POST.
    error_of(b.post("invitation/accept", {"invitation_token": inv["token"], "password": NEW_PASSWORD}, nonce="forged"),
             403, "workos_authkit_invalid_nonce")
    error_of(accept(b, "bad token!"), 400, "workos_authkit_invalid_input")
    error_of(accept(b, inv["token"], password=""), 400, "workos_authkit_invalid_input")
    error_of(accept(b, "NoSuchToken123"), 404, "workos_authkit_invitation_not_found")
    # WorkOS's password policy: nothing is created.
    error_of(accept(b, inv["token"], password="short"), 400, "workos_authkit_weak_password")
    # A profile that takes no invitations, or signs in without passwords.
    closed = profile(methods=["password"], invite_flow=False)
    error_of(accept(browser(closed["slug"]), inv["token"]), 400, "workos_authkit_invitation_disabled")
    error_of(lookup(b, inv["token"], params={"profile": closed["slug"]}), 400, "workos_authkit_invitation_disabled")
    magic = profile(methods=["magic_code"])
    error_of(accept(browser(magic["slug"]), inv["token"]), 400, "workos_authkit_method_disabled")
    # A profile pinned to another organization: refused before WorkOS accepts anything.
    other = create_org(emulator_url, "Other " + uuid.uuid4().hex[:4])
    pinned = profile(methods=["password"], organization_id=other["id"])
    error_of(accept(browser(pinned["slug"]), inv["token"]), 403, "workos_authkit_invitation_wrong_organization")
    # A withdrawn invitation.
    revoked = invite(unique_email("revoked"), org["id"])
    assert api("POST", f"/user_management/invitations/{revoked['id']}/revoke").status_code == 200
    error_of(accept(b, revoked["token"]), 410, "workos_authkit_invitation_revoked")
    error_of(lookup(b, revoked["token"]), 410, "workos_authkit_invitation_revoked")
    assert api("GET", "/user_management/invitations/" + inv["id"]).json()["state"] == "pending"
    assert not logged_in_cookie(b.s)
    assert wp_user_of(wp_eval, email) is None
    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    assert email not in {u["email"] for u in state["users"]}
    # A profile pinned to the invitation's organization takes it.
    right = profile(methods=["password"], organization_id=org["id"])
    r = accept(browser(right["slug"]), inv["token"])
    assert r.status_code == 200, r.text


# --- acceptance by a social provider --------------------------------------------------------------------------------


def test_a_social_sign_in_accepts_the_invitation(browser, profile, invite, api, emulator_url, wp_url, wp_eval):
    social = profile(methods=["oauth_github", "password"])
    org = create_org(emulator_url, "Social " + uuid.uuid4().hex[:4])
    email = unique_email("octo")
    inv = invite(email, org["id"])
    b = browser(social["slug"])
    error_of(b.s.get(AUTH + "invitation/authorize-url", params={"profile": social["slug"], "provider": "oauth_google",
                                                                "invitation_token": inv["token"]}),
             400, "workos_authkit_method_disabled")
    error_of(b.s.get(AUTH + "invitation/authorize-url", params={"profile": social["slug"], "provider": "oauth_github",
                                                                "invitation_token": inv["token"]},
                     headers={"Origin": "http://evil.127.0.0.1.nip.io"}), 403, "workos_authkit_invalid_nonce")
    r = b.s.get(AUTH + "invitation/authorize-url", params={"profile": social["slug"], "provider": "oauth_github",
                                                           "invitation_token": inv["token"], "redirect_to": "/sample-page/"})
    assert r.status_code == 200, r.text
    url = r.json()["authorize_url"]
    assert query(url)["provider"] == "GitHubOAuth" and inv["token"] not in url.split("state=")[0]
    done = b.s.get(authkit_sign_in(emulator_url, Flow(url, query(url)), email, ""), allow_redirects=False)
    assert done.status_code == 302, done.text[:500]
    assert done.headers["Location"] == wp_url + "/sample-page/"
    assert logged_in_cookie(b.s)
    local = wp_user_of(wp_eval, email)
    assert org["id"] in [m["organization_id"] for m in memberships(api, local["workos_id"])]
    assert api("GET", "/user_management/invitations/" + inv["id"]).json()["state"] == "accepted"


def test_a_social_account_of_another_address_cannot_take_the_invitation(browser, profile, invite, api, emulator_url):
    social = profile(methods=["oauth_github"])
    org = create_org(emulator_url, "Taken " + uuid.uuid4().hex[:4])
    inv = invite(unique_email("meant"), org["id"])
    b = browser(social["slug"])
    url = b.s.get(AUTH + "invitation/authorize-url", params={"profile": social["slug"], "provider": "oauth_github",
                                                             "invitation_token": inv["token"]}).json()["authorize_url"]
    done = b.s.get(authkit_sign_in(emulator_url, Flow(url, query(url)), unique_email("someone-else"), ""),
                   allow_redirects=False)
    assert done.status_code >= 400
    assert not logged_in_cookie(b.s)
    assert api("GET", "/user_management/invitations/" + inv["id"]).json()["state"] == "pending"


# --- entry points ---------------------------------------------------------------------------------------------------


def step_of(page: str) -> tuple[str, dict]:
    m = re.search(r'id="workos-authkit-root"[^>]*data-initial-step="([^"]*)"', page)
    assert m, page[:500]
    data = re.search(r'id="workos-authkit-root"[^>]*data-step-data="([^"]*)"', page)
    return m.group(1), json.loads(html.unescape(data.group(1))) if data else {}


def test_an_invitation_link_opens_the_invitation_step(wp_url, wp_eval, wp_settings, profile, invite):
    token = invite(unique_email("link"))["token"]
    page = requests.get(wp_url + "/workos/login/default/", params={"invitation_token": token}, timeout=30)
    assert page.status_code == 200
    assert step_of(page.text) == ("invitation", {"token": token})
    # Without one, or with one that is no token: the usual first step.
    assert step_of(requests.get(wp_url + "/workos/login/default/", timeout=30).text)[0] == "email"
    assert step_of(requests.get(wp_url + "/workos/login/default/", params={"invitation_token": "<x>"},
                                timeout=30).text)[0] == "email"
    # A profile's own path, and one that takes no invitations.
    own = profile(methods=["password"], custom_path="join-" + uuid.uuid4().hex[:6])
    wp_eval("WorkOS_WP\\SignIn\\Hosted\\Entry::rebuild_index(); return true;")
    assert step_of(requests.get(wp_url + "/" + own["custom_path"] + "/", params={"invitation_token": token},
                                timeout=30).text) == ("invitation", {"token": token})
    closed = profile(methods=["password"], invite_flow=False)
    assert step_of(requests.get(wp_url + f"/workos/login/{closed['slug']}/", params={"invitation_token": token},
                                timeout=30).text)[0] == "email"
    # wp-login.php, in the custom login mode.
    wp_settings(login_mode="custom", allow_password_fallback=True)
    page = requests.get(wp_url + "/wp-login.php", params={"invitation_token": token}, allow_redirects=False, timeout=30)
    assert page.status_code == 200, page.headers
    assert step_of(page.text) == ("invitation", {"token": token})


# --- workos invite ---------------------------------------------------------------------------------------------------


@pytest.fixture
def cli(env):
    def _run(*args: str):
        proc = subprocess.run(
            [env["PHP_BIN"], "-d", "extension=" + env["EXTENSION_PATH"], str(REPO / "php-shim" / "bin" / "workos.php"),
             *args], capture_output=True, text=True, timeout=60,
            env=dict(os.environ, WORKOS_WP_LOAD=str(REPO / "tests" / "wp" / "bootstrap.php"),
                     WORKOS_STACK_INSTANCE=env["INSTANCE"], WP_URL=env["WP_URL"]),
        )
        return proc.returncode, proc.stdout, proc.stderr
    return _run


def test_cli_invite_sends_one_whose_link_works(cli, api, emulator_url, wp_url, browser, wp_eval):
    org = create_org(emulator_url, "CLI " + uuid.uuid4().hex[:4])
    email = unique_email("cli")
    rc, out, err = cli("invite", email, "--org=" + org["id"], "--format=json")
    assert rc == 0, err
    row = json.loads(out)[0]
    assert row["email"] == email and row["organization_id"] == org["id"] and row["id"].startswith("invitation_")
    assert row["accept_url"].startswith(wp_url + "/workos/login/default/?invitation_token=")
    token = query(row["accept_url"])["invitation_token"]
    assert lookup(browser(), token).json() == {"email": email, "organization_name": org["name"]}
    assert accept(browser(), token).status_code == 200
    # Mistakes are the command's to explain.
    rc, _, err = cli("invite", "not-an-address")
    assert rc == 1 and "not an email address" in err
    rc, _, err = cli("invite", unique_email("x"), "--org=" + org["id"], "--no-org")
    assert rc == 1 and "exclude each other" in err
    rc, _, err = cli("invite", unique_email("x"), "--expires-in-days=31")
    assert rc == 1 and "1 to 30" in err
    rc, out, _ = cli("help", "invite")
    assert rc == 0 and "--no-org" in out
