"""Security (issue 8, finding 15): a known local user is enrolled into the site's pinned organization
only when their verified email's domain is one of that organization's *verified* domains — or never,
when the `org_enrolment` setting is `off`."""

from __future__ import annotations

import uuid

import pytest
import requests

from authkit import create_org, create_workos_user, logged_in_cookie
from test_headless import login_error, post_login

PASSWORD = "Passw0rd!-enrol"
TIMEOUT = 30


def api_org(env, emulator_url, name, domain_data):
    r = requests.post(emulator_url + "/organizations", json={"name": name, "domain_data": domain_data},
                      headers={"Authorization": f"Bearer {env['API_KEY']}"}, timeout=TIMEOUT)
    assert r.status_code in (200, 201), r.text
    return r.json()


def memberships(emulator_url, user_id):
    state = requests.get(emulator_url + "/__emulator/state", timeout=TIMEOUT).json()
    return {m["organization_id"] for m in state["organization_memberships"] if m["user_id"] == user_id}


@pytest.fixture
def pinned(env, emulator_url, wp_settings):
    tag = uuid.uuid4().hex[:8]
    org = api_org(env, emulator_url, "Pinned " + tag, [
        {"domain": f"corp-{tag}.example", "state": "verified"},
        {"domain": f"pending-{tag}.example", "state": "pending"},
    ])
    others = [create_org(emulator_url, f"{n} {tag}") for n in ("B", "C")]
    wp_settings(login_mode="headless", allow_password_fallback=False, organization_id=org["id"])
    return {"org": org, "tag": tag, "others": others}


def local_person(emulator_url, wp_user, pinned, email, **fields):
    """A WorkOS user in two other organizations (so WorkOS asks which one), known here."""
    user = create_workos_user(emulator_url, email, PASSWORD, memberships=[
        {"organization_id": o["id"], "role_slug": "member"} for o in pinned["others"]], **fields)
    wp_user("en" + uuid.uuid4().hex[:8], email, "x-local-" + uuid.uuid4().hex, workos_id=user["id"])
    return user


@pytest.mark.parametrize("domain", ["elsewhere-{tag}.example", "pending-{tag}.example", "sub.corp-{tag}.example",
                                    "corp-{tag}.example.evil"])
def test_user_outside_the_verified_domains_is_not_enrolled(pinned, emulator_url, wp_user, session_factory, wp_url,
                                                           domain):
    email = f"en-{uuid.uuid4().hex[:6]}@" + domain.format(tag=pinned["tag"])
    user = local_person(emulator_url, wp_user, pinned, email)
    s = session_factory(wp_url)
    assert "not a member of the organization" in login_error(post_login(s, wp_url, email, PASSWORD))
    assert not logged_in_cookie(s)
    assert pinned["org"]["id"] not in memberships(emulator_url, user["id"])


def test_user_of_a_verified_domain_is_enrolled(pinned, emulator_url, wp_user, session_factory, wp_url):
    email = f"En-{uuid.uuid4().hex[:6]}@CORP-{pinned['tag']}.example"  # case does not matter
    user = local_person(emulator_url, wp_user, pinned, email.lower())
    s = session_factory(wp_url)
    r = post_login(s, wp_url, email.lower(), PASSWORD)
    assert r.status_code == 302, login_error(r)
    assert pinned["org"]["id"] in memberships(emulator_url, user["id"])


def test_enrolment_can_be_switched_off(pinned, emulator_url, wp_user, session_factory, wp_url, wp_settings):
    wp_settings(org_enrolment="off")
    email = f"en-{uuid.uuid4().hex[:6]}@corp-{pinned['tag']}.example"
    user = local_person(emulator_url, wp_user, pinned, email)
    s = session_factory(wp_url)
    assert "not a member of the organization" in login_error(post_login(s, wp_url, email, PASSWORD))
    assert pinned["org"]["id"] not in memberships(emulator_url, user["id"])


def test_organization_lookup_failure_enrols_nobody(pinned, emulator_url, wp_user, session_factory, wp_url):
    email = f"en-{uuid.uuid4().hex[:6]}@corp-{pinned['tag']}.example"
    user = local_person(emulator_url, wp_user, pinned, email)
    requests.post(emulator_url + "/__emulator/faults",
                  json={"path": f"/organizations/{pinned['org']['id']}", "status": 503, "times": 0}, timeout=TIMEOUT)
    try:
        s = session_factory(wp_url)
        r = post_login(s, wp_url, email, PASSWORD)
        assert r.status_code == 200 and not logged_in_cookie(s)
    finally:
        requests.delete(emulator_url + "/__emulator/faults", timeout=TIMEOUT)
    assert pinned["org"]["id"] not in memberships(emulator_url, user["id"])
