"""Headless mode: WordPress's own form, email and password checked by WorkOS's password grant."""

from __future__ import annotations

import html
import re
import uuid

import pytest
import requests

from authkit import create_org, create_workos_user, emulator_requests, logged_in_cookie, workos_password_works

PASSWORD = "Passw0rd!-headless"


def unique_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


@pytest.fixture
def headless(wp_settings):
    wp_settings(login_mode="headless", allow_password_fallback=False)
    return wp_settings


def post_login(session, wp_url, user, password, headers=None):
    host = requests.utils.urlparse(wp_url).hostname
    session.cookies.set("wordpress_test_cookie", "WP Cookie check", domain=host, path="/")
    return session.post(
        wp_url + "/wp-login.php",
        data={"log": user, "pwd": password, "wp-submit": "Log In", "testcookie": "1",
              "redirect_to": wp_url + "/wp-admin/"},
        headers=headers or {},
        allow_redirects=False,
    )


def login_error(r) -> str:
    assert r.status_code == 200, f"expected the form again, got {r.status_code} {r.headers.get('Location')}"
    start = r.text.find('id="login_error"')
    assert start != -1, r.text[:2000]
    return html.unescape(r.text[start:start + 1500])


def test_form_is_shown_instead_of_authkit(headless, session_factory, wp_url):
    r = session_factory(wp_url).get("/wp-login.php", allow_redirects=False)
    assert r.status_code == 200 and 'id="loginform"' in r.text


def test_workos_password_signs_in_and_links(headless, session_factory, wp_url, emulator_url, wp_eval):
    email = unique_email("headless")
    user = create_workos_user(emulator_url, email, PASSWORD)
    s = session_factory(wp_url)
    r = post_login(s, wp_url, email, PASSWORD)
    assert r.status_code == 302, login_error(r)
    assert logged_in_cookie(s)
    linked = wp_eval("return get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args, 'fields' => 'user_email']);", user["id"])
    assert linked == [email]
    # The grant carried the visitor's address and agent for WorkOS's own records.
    [call] = [c for c in emulator_requests(emulator_url, "/user_management/authenticate") if c["body"].get("email") == email]
    assert call["body"]["grant_type"] == "password"
    assert call["body"]["ip_address"] == "127.0.0.1"
    assert call["body"]["user_agent"] == "workos-e2e"


def test_wrong_password_is_a_wordpress_login_error_and_wordpress_password_is_not_tried(
    headless, session_factory, wp_url, emulator_url, wp_user
):
    email = unique_email("wrong")
    create_workos_user(emulator_url, email, PASSWORD)
    # The WordPress account's own password must not get in either.
    wp_user("wrong" + uuid.uuid4().hex[:6], email, "local-password-1")
    s = session_factory(wp_url)
    assert "incorrect" in login_error(post_login(s, wp_url, email, "not-the-password"))
    assert "incorrect" in login_error(post_login(s, wp_url, email, "local-password-1"))
    assert not logged_in_cookie(s)


def test_a_refused_password_keeps_the_typed_email_in_the_form(headless, session_factory, wp_url, emulator_url):
    email = unique_email("keep")
    create_workos_user(emulator_url, email, PASSWORD)
    r = post_login(session_factory(wp_url), wp_url, email, "not-the-password")
    assert "incorrect" in login_error(r)
    field = re.search(r'<input[^>]*id="user_login"[^>]*>', r.text).group(0)
    assert 'value="%s"' % html.escape(email) in field, field
    assert 'class="shake"' in r.text or "shake" in r.text  # WordPress's own "wrong password" cue


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"mfa": "enrollment"}, "must set up multi-factor authentication"),
        ({"mfa": "challenge"}, "uses multi-factor authentication"),
    ],
)
def test_step_ups_are_explained(headless, session_factory, wp_url, emulator_url, fields, expected):
    email = unique_email("stepup")
    create_workos_user(emulator_url, email, PASSWORD, **fields)
    s = session_factory(wp_url)
    message = login_error(post_login(s, wp_url, email, PASSWORD))
    assert expected in message
    assert not logged_in_cookie(s)


def test_unverified_email_is_verified_with_the_emailed_code_then_signed_in(headless, session_factory, wp_url,
                                                                          emulator_url, wp_eval):
    email = unique_email("verify")
    user = create_workos_user(emulator_url, email, PASSWORD, email_verified=False)
    s = session_factory(wp_url)
    r = post_login(s, wp_url, email, PASSWORD)
    assert r.status_code == 302 and "action=workos_verify" in r.headers["Location"]
    form = s.get(r.headers["Location"], allow_redirects=False)
    assert form.status_code == 200 and email in html.unescape(form.text) and 'name="code"' in form.text
    token = html.unescape(re.search(r'name="token" value="([^"]+)"', form.text).group(1))

    wrong = s.post("/wp-login.php?action=workos_verify", data={"token": token, "code": "000000"}, allow_redirects=False)
    assert wrong.status_code == 400 and "not valid" in wrong.text and not logged_in_cookie(s)

    # Another browser cannot use this step.
    stranger = session_factory(wp_url)
    r = stranger.post("/wp-login.php?action=workos_verify", data={"token": token, "code": "000000"}, allow_redirects=False)
    assert r.status_code == 400 and "expired" in r.text

    state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
    [code] = [v["code"] for v in state["email_verifications"] if v["email"] == email]
    done = s.post("/wp-login.php?action=workos_verify", data={"token": token, "code": code}, allow_redirects=False)
    assert done.status_code == 302, done.text[:800]
    assert logged_in_cookie(s)
    assert wp_eval("return get_user_by('email', $args) ? get_user_meta(get_user_by('email', $args)->ID, '_workos_user_id', true) : null;", email) == user["id"]


def test_client_ip_comes_from_trusted_proxies_only(headless, session_factory, wp_url, emulator_url):
    email = unique_email("proxy")
    create_workos_user(emulator_url, email, PASSWORD)
    spoof = {"X-Forwarded-For": "203.0.113.66"}

    def ip_sent() -> str:
        calls = [c for c in emulator_requests(emulator_url, "/user_management/authenticate") if c["body"].get("email") == email]
        return calls[-1]["body"]["ip_address"]

    assert post_login(session_factory(wp_url), wp_url, email, PASSWORD, spoof).status_code == 302
    assert ip_sent() == "127.0.0.1"  # no trusted proxy: the header is ignored

    headless(trusted_proxies=["127.0.0.1"])
    assert post_login(session_factory(wp_url), wp_url, email, PASSWORD, spoof).status_code == 302
    assert ip_sent() == "203.0.113.66"


class TestPinnedOrganization:
    """organization_selection_required with an organization pinned for this site."""

    @pytest.fixture
    def orgs(self, headless, emulator_url):
        pinned, b, c = (create_org(emulator_url, f"{n} {uuid.uuid4().hex[:6]}") for n in ("Pinned", "B", "C"))
        headless(organization_id=pinned["id"])
        return pinned, b, c

    def test_member_of_several_completes_with_the_pinned_one(self, orgs, session_factory, wp_url, emulator_url):
        pinned, b, _ = orgs
        email = unique_email("multi")
        create_workos_user(emulator_url, email, PASSWORD, memberships=[
            {"organization_id": pinned["id"], "role_slug": "member"}, {"organization_id": b["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        assert post_login(s, wp_url, email, PASSWORD).status_code == 302
        selections = [c for c in emulator_requests(emulator_url, "/user_management/authenticate")
                      if c["body"].get("grant_type", "").endswith("organization-selection")]
        assert selections[-1]["body"]["organization_id"] == pinned["id"]

    def test_known_local_user_is_enrolled_and_signed_in(self, orgs, headless, session_factory, wp_url, emulator_url,
                                                         wp_user):
        _, b, c = orgs
        # Enrolment needs the address's domain among the organization's verified ones (test_security_enrolment).
        tag = uuid.uuid4().hex[:8]
        pinned = create_org(emulator_url, f"Pinned {tag}", domains=[f"corp-{tag}.example"])
        headless(organization_id=pinned["id"])
        email = f"enrol-{tag}@corp-{tag}.example"
        user = create_workos_user(emulator_url, email, PASSWORD, memberships=[
            {"organization_id": b["id"], "role_slug": "member"}, {"organization_id": c["id"], "role_slug": "member"}])
        wp_user("enrol" + uuid.uuid4().hex[:6], email, "x-local-pass-1", workos_id=user["id"])
        s = session_factory(wp_url)
        r = post_login(s, wp_url, email, PASSWORD)
        assert r.status_code == 302, login_error(r)
        state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
        mine = [m for m in state["organization_memberships"] if m["user_id"] == user["id"]]
        assert pinned["id"] in {m["organization_id"] for m in mine}

    def test_unknown_person_gets_pinned_org_mismatch(self, orgs, session_factory, wp_url, emulator_url):
        _, b, c = orgs
        email = unique_email("stranger")
        user = create_workos_user(emulator_url, email, PASSWORD, memberships=[
            {"organization_id": b["id"], "role_slug": "member"}, {"organization_id": c["id"], "role_slug": "member"}])
        s = session_factory(wp_url)
        assert "not a member of the organization" in login_error(post_login(s, wp_url, email, PASSWORD))
        state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
        assert len([m for m in state["organization_memberships"] if m["user_id"] == user["id"]]) == 2  # nobody enrolled


class TestPasswordFallback:
    """allow_password_fallback: WordPress's own password, when WorkOS does not know it."""

    @pytest.fixture
    def fallback(self, headless):
        headless(allow_password_fallback=True, fallback_confirmation=False)
        return headless

    def test_wordpress_password_is_written_through_to_the_workos_user(
        self, fallback, session_factory, wp_url, emulator_url, wp_user, wp_eval, env
    ):
        email = unique_email("through")
        workos = create_workos_user(emulator_url, email, PASSWORD)
        local = wp_user("through" + uuid.uuid4().hex[:6], email, "local-Passw0rd-1")
        s = session_factory(wp_url)
        assert post_login(s, wp_url, local["login"], "local-Passw0rd-1").status_code == 302
        assert logged_in_cookie(s)
        assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", local["id"]) == workos["id"]

        assert workos_password_works(emulator_url, env, email, "local-Passw0rd-1")

    def test_account_unknown_to_workos_is_created_there(self, fallback, session_factory, wp_url, emulator_url,
                                                        wp_user, wp_eval, env):
        email = unique_email("newthere")
        local = wp_user("newthere" + uuid.uuid4().hex[:6], email, "local-Passw0rd-2")
        assert post_login(session_factory(wp_url), wp_url, email, "local-Passw0rd-2").status_code == 302
        linked = wp_eval("return get_user_meta($args, '_workos_user_id', true);", local["id"])
        assert linked.startswith("user_")
        state = requests.get(emulator_url + "/__emulator/state", timeout=10).json()
        [created] = [u for u in state["users"] if u["email"] == email]
        assert created["id"] == linked
        # Created with the password, but not claimed verified: nobody checked that mailbox.
        assert created["email_verified"] is False
        r = requests.post(emulator_url + "/user_management/authenticate", timeout=10, json={
            "grant_type": "password", "client_id": env["CLIENT_ID"], "client_secret": env["API_KEY"],
            "email": email, "password": "local-Passw0rd-2"})
        assert r.status_code == 403 and r.json()["code"] == "email_verification_required"  # the password was right

    def test_workos_down_wordpress_password_still_works(self, fallback, session_factory, wp_url, emulator_url, wp_user):
        email = unique_email("down")
        local = wp_user("down" + uuid.uuid4().hex[:6], email, "local-Passw0rd-3")
        requests.post(emulator_url + "/__emulator/faults",
                      json={"path": "/user_management/authenticate", "status": 503, "times": 0}, timeout=10)
        try:
            s = session_factory(wp_url)
            assert post_login(s, wp_url, local["login"], "local-Passw0rd-3").status_code == 302
            assert logged_in_cookie(s)
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)

    def test_without_fallback_workos_down_is_a_clear_error(self, headless, session_factory, wp_url, emulator_url, wp_user):
        email = unique_email("downstrict")
        local = wp_user("downstrict" + uuid.uuid4().hex[:6], email, "local-Passw0rd-4")
        requests.post(emulator_url + "/__emulator/faults",
                      json={"path": "/user_management/authenticate", "status": 503, "times": 0}, timeout=10)
        try:
            assert "could not be reached" in login_error(post_login(session_factory(wp_url), wp_url, local["login"], "local-Passw0rd-4"))
        finally:
            requests.delete(emulator_url + "/__emulator/faults", timeout=10)


class TestFallbackConfirmation:
    """fallback_confirmation: the account is linked after a code WorkOS emails; no password is sent."""

    @pytest.fixture
    def confirming(self, headless):
        headless(allow_password_fallback=True, fallback_confirmation=True)
        return headless

    def code_for(self, emulator_url, email):
        r = requests.get(emulator_url + "/__emulator/magic_auth", params={"email": email}, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["code"]

    def test_code_confirms_links_and_signs_in_without_sending_the_password(
        self, confirming, session_factory, wp_url, emulator_url, wp_user, wp_eval
    ):
        email = unique_email("confirm")
        workos = create_workos_user(emulator_url, email, PASSWORD)
        local = wp_user("confirm" + uuid.uuid4().hex[:6], email, "local-Passw0rd-5")
        s = session_factory(wp_url)
        r = post_login(s, wp_url, local["login"], "local-Passw0rd-5")
        assert r.status_code == 302 and "action=workos_confirm" in r.headers["Location"]
        assert not logged_in_cookie(s)
        form = s.get(r.headers["Location"], allow_redirects=False)
        assert form.status_code == 200 and 'name="code"' in form.text and email in html.unescape(form.text)
        token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)

        wrong = s.post("/wp-login.php?action=workos_confirm", data={"token": html.unescape(token), "code": "000000"},
                       allow_redirects=False)
        assert wrong.status_code == 400 and "not valid" in wrong.text
        assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", local["id"]) == ""

        done = s.post("/wp-login.php?action=workos_confirm",
                      data={"token": html.unescape(token), "code": self.code_for(emulator_url, email)}, allow_redirects=False)
        assert done.status_code == 302, done.text[:1000]
        assert logged_in_cookie(s)
        assert wp_eval("return get_user_meta($args, '_workos_user_id', true);", local["id"]) == workos["id"]
        # The WordPress password never reached WorkOS.
        for call in requests.get(emulator_url + "/__emulator/requests", timeout=10).json()["data"]:
            mine = call["path"].endswith(workos["id"]) or (call["body"] or {}).get("email") == email
            if mine and call["path"].startswith("/user_management/users") and call["method"] in ("PUT", "POST"):
                assert "password" not in (call["body"] or {}), call

    def test_the_code_form_is_bound_to_the_browser(self, confirming, session_factory, wp_url, emulator_url, wp_user):
        email = unique_email("stolen")
        create_workos_user(emulator_url, email, PASSWORD)
        local = wp_user("stolen" + uuid.uuid4().hex[:6], email, "local-Passw0rd-6")
        s = session_factory(wp_url)
        location = post_login(s, wp_url, local["login"], "local-Passw0rd-6").headers["Location"]
        token = re.search(r'name="token" value="([^"]+)"', s.get(location).text).group(1)
        other = session_factory(wp_url)  # another browser, with the code
        r = other.post("/wp-login.php?action=workos_confirm",
                       data={"token": html.unescape(token), "code": self.code_for(emulator_url, email)}, allow_redirects=False)
        assert r.status_code == 400 and "expired" in r.text
        assert not logged_in_cookie(other)
