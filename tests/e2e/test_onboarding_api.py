"""Issue 13: the onboarding wizard's REST API (/wp-json/workos/v1/admin/onboarding…, Admin\\OnboardingRest).

- administrators only (REST nonce + manage_options); anonymous 401, a subscriber 403;
- credentials are tested live with WorkOS (ConnectionCheck) and saved only when WorkOS accepts them;
- the organization comes from WorkOS (its cached list); an id WorkOS does not know is refused;
- the webhook check reports a delivery the emulator signs and sends (POST /__emulator/webhooks), and a
  delivery with the wrong secret as such;
- the role map goes through the Registry's validators (an unknown WordPress role is refused, nothing saved);
- the user sync pushes unlinked users in batches (Cli\\Sync::push) until none is left;
- where the wizard stands is stored (resumable), and dismissing it removes the notice and the menu item.
"""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
import requests

from authkit import create_org

BASE = "/wp-json/workos/v1/admin/onboarding"


def signed_in(wp_eval, session_factory, base_url: str, login: str):
    """A browser-like session of `login` (cookies minted inside WordPress) with its REST nonce."""
    cookies = wp_eval(
        """
        $u = get_user_by('login', $args);
        $exp = time() + 3600;
        return [[AUTH_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'auth')],
                [LOGGED_IN_COOKIE, wp_generate_auth_cookie($u->ID, $exp, 'logged_in')]];
        """,
        login,
    )
    s = session_factory(base_url)
    for name, value in cookies:
        s.cookies.set(name, value, domain="127.0.0.1", path="/")
    r = s.get("/wp-admin/admin-ajax.php", params={"action": "rest-nonce"})
    assert r.status_code == 200 and re.fullmatch(r"[0-9a-f]{10}", r.text), r.text[:200]
    s.headers["X-WP-Nonce"] = r.text
    return s


@pytest.fixture
def fresh(wp_eval, wp_settings):
    """The wizard never started; the settings are put back afterwards (wp_settings)."""
    wp_eval("delete_option('workos_onboarding'); return true;")
    yield
    wp_eval("delete_option('workos_onboarding'); return true;")


@pytest.fixture
def admin(fresh, wp_url, session_factory, admin_credentials, wp_eval):
    return signed_in(wp_eval, session_factory, wp_url, admin_credentials[0])


def stored(wp_eval) -> dict:
    return wp_eval("return get_option('workos_settings', []);")


def test_only_administrators_may_use_it(fresh, wp_url, session_factory, wp_eval, wp_user):
    anonymous = requests.get(wp_url + BASE, timeout=30)
    assert anonymous.status_code == 401, anonymous.text[:300]
    login = "onb_sub_" + uuid.uuid4().hex[:6]
    wp_user(login, login + "@example.com", "Passw0rd!-e2e")
    sub = signed_in(wp_eval, session_factory, wp_url, login)
    for method, path, body in (("GET", "", None), ("POST", "", {"step": "roles"}), ("POST", "/roles", {"role_map": []}),
                               ("POST", "/credentials", {"api_key": "x"}), ("POST", "/sync", {})):
        r = sub.request(method, BASE + path, json=body)
        assert r.status_code == 403, (path, r.status_code, r.text[:300])
    assert wp_eval("return get_option('workos_onboarding', 'none');") == "none"


def test_credentials_are_saved_only_when_workos_accepts_them(admin, wp_eval, env):
    before = stored(wp_eval)
    r = admin.post(BASE + "/credentials", json={"api_key": "sk_test_wrong_" + uuid.uuid4().hex,
                                                 "client_id": env["CLIENT_ID"], "api_base_url": env["API_BASE_URL"]})
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert body["saved"] is False
    statuses = {c["id"]: c["status"] for c in body["check"]["checks"]}
    assert statuses["api_key"] == "failed", body["check"]
    assert stored(wp_eval) == before, "a refused key must not be stored"
    assert body["config"]["state"]["step"] == "credentials"

    r = admin.post(BASE + "/credentials", json={"api_key": env["API_KEY"], "client_id": env["CLIENT_ID"],
                                                 "api_base_url": env["API_BASE_URL"]})
    body = r.json()
    assert r.status_code == 200 and body["saved"] is True, r.text[:800]
    assert all(c["status"] == "good" for c in body["check"]["checks"]), body["check"]
    prod = stored(wp_eval)["environments"]["production"]
    assert prod["api_key"] == env["API_KEY"] and prod["client_id"] == env["CLIENT_ID"]
    # The key never comes back to the browser, only masked.
    assert env["API_KEY"] not in r.text
    assert body["config"]["credentials"]["apiKeyMasked"].endswith(env["API_KEY"][-4:])
    assert body["config"]["state"]["step"] == "organization"
    assert "credentials" in body["config"]["state"]["done"]

    # A blank key keeps the stored one (which is only ever sent to the stored base URL).
    r = admin.post(BASE + "/credentials", json={"api_key": "", "client_id": env["CLIENT_ID"],
                                                 "api_base_url": "http://127.0.0.1:9/"})
    body = r.json()
    assert body["saved"] is False and body["check"]["checks"][0]["status"] == "failed", body["check"]
    assert stored(wp_eval)["environments"]["production"]["api_base_url"] == env["API_BASE_URL"]


def test_organization_is_picked_from_workos(admin, wp_eval, emulator_url, env):
    org = create_org(emulator_url, "Onboarding " + uuid.uuid4().hex[:6], domains=["onboard.test"])
    r = admin.get(BASE + "/organizations", params={"refresh": "1"})
    assert r.status_code == 200, r.text[:300]
    listed = {o["id"]: o for o in r.json()["organizations"]}
    assert org["id"] in listed and listed[org["id"]]["domains"] == ["onboard.test"]

    r = admin.post(BASE + "/organization", json={"organization_id": "org_01NOSUCHORGANIZATION0000"})
    assert r.status_code == 400 and r.json()["code"] == "workos_unknown_organization", r.text[:300]
    assert "org_01NOSUCH" not in str(stored(wp_eval))

    r = admin.post(BASE + "/organization", json={"organization_id": org["id"]})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["organization"]["name"] == org["name"]
    assert wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == org["id"]
    assert r.json()["config"]["state"]["step"] == "webhook"

    # Or a new organization, created at WorkOS by name.
    name = "Created " + uuid.uuid4().hex[:6]
    r = admin.post(BASE + "/organization", json={"create": name})
    assert r.status_code == 200, r.text[:300]
    new_id = r.json()["organization"]["id"]
    assert new_id.startswith("org_") and wp_eval("return WorkOS_WP\\Settings::get('organization_id');") == new_id
    assert requests.get(emulator_url + "/organizations/" + new_id, timeout=10,
                        headers={"Authorization": "Bearer " + env["API_KEY"]}).json()["name"] == name


def send_event(emulator_url: str, wp_url: str, secret: str) -> dict:
    r = requests.post(emulator_url + "/__emulator/webhooks", timeout=30, json={
        "event": "organization.updated", "url": wp_url + "/wp-json/workos/v1/webhook", "secret": secret,
        "data": {"object": "organization", "id": "org_ONBOARD" + uuid.uuid4().hex[:8].upper(), "name": "Onboarding hook",
                 "domains": [], "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def test_webhook_check_shows_a_test_delivery(admin, wp_eval, wp_url, emulator_url, env):
    r = admin.get(BASE + "/webhook")
    assert r.status_code == 200 and r.json()["listening"] is False

    # Listening starts now: an event that arrived before does not count. The emulator's own deliveries
    # (of earlier tests' changes) are let through first, so only this test's events arrive afterwards.
    for _ in range(50):
        if requests.get(emulator_url + "/__emulator/webhooks", timeout=10).json()["pending"] == 0:
            break
        time.sleep(0.2)
    time.sleep(1.2)  # Past the check's one second of slack.
    r = admin.post(BASE + "/webhook", json={})
    body = r.json()
    assert r.status_code == 200 and body["listening"] and body["received"] is None and body["secretSet"], body
    assert body["config"]["webhook"]["url"].endswith("/wp-json/workos/v1/webhook")

    # The wrong secret: the check says the secret differs.
    sent = send_event(emulator_url, wp_url, "whsec_not_the_one")
    assert sent["status"] == 401, sent
    body = admin.get(BASE + "/webhook").json()
    assert body["received"] is None and body["rejected"], body

    sent = send_event(emulator_url, wp_url, env["WEBHOOK_SECRET"])
    assert sent["status"] == 200, sent
    body = admin.get(BASE + "/webhook").json()
    assert body["received"]["event"] == "organization.updated", body
    assert body["received"]["at"].endswith("+00:00"), body
    assert "webhook" in wp_eval("return get_option('workos_onboarding');")["done"]

    # A pasted secret goes through the validators and is stored for the active environment, never echoed.
    r = admin.post(BASE + "/webhook", json={"secret": "whsec_pasted_" + "x" * 20})
    assert r.status_code == 200 and "whsec_pasted" not in r.text
    assert stored(wp_eval)["environments"]["production"]["webhook_secret"] == "whsec_pasted_" + "x" * 20


def test_role_map_goes_through_the_validators(admin, wp_eval):
    before = stored(wp_eval)
    r = admin.post(BASE + "/roles", json={"role_map": [{"from": "admin", "to": "no_such_role"}], "default_role": "author"})
    assert r.status_code == 400, r.text[:300]
    assert r.json()["code"] == "workos_invalid_setting" and r.json()["data"]["setting"] == "role_map"
    assert stored(wp_eval) == before

    r = admin.post(BASE + "/roles", json={"default_role": "nope", "role_map": []})
    assert r.status_code == 400 and r.json()["data"]["setting"] == "default_role", r.text[:300]

    r = admin.post(BASE + "/roles", json={"role_map": [{"from": "admin", "to": "administrator"},
                                                        {"from": "member", "to": "author"}, {"from": "", "to": "editor"}],
                                          "default_role": "subscriber"})
    assert r.status_code == 200, r.text[:300]
    assert wp_eval("return WorkOS_WP\\Settings::map('role_map');") == {"admin": "administrator", "member": "author"}
    assert wp_eval("return WorkOS_WP\\Settings::get('default_role');") == "subscriber"
    assert r.json()["config"]["roleMap"] == [{"from": "admin", "to": "administrator"}, {"from": "member", "to": "author"}]
    assert "admin" in admin.get(BASE + "/roles").json()["slugs"]


def test_user_sync_pushes_every_unlinked_user_in_batches(admin, wp_eval, wp_user):
    role = "onboard_" + uuid.uuid4().hex[:6]
    wp_eval("add_role($args, 'Onboarding test'); return true;", role)
    try:
        tag = uuid.uuid4().hex[:6]
        users = [wp_user(f"onb{tag}{i}", f"onb{tag}{i}@example.com", "Passw0rd!-e2e", role=role) for i in range(13)]
        r = admin.get(BASE + "/sync", params={"role": role})
        assert r.json() == {"unlinked": 13, "linked": 0}, r.text
        assert admin.get(BASE + "/sync", params={"role": "no_such_role"}).status_code == 400

        offset, batches, handled = 0, 0, 0
        while True:
            r = admin.post(BASE + "/sync", json={"offset": offset, "role": role})
            assert r.status_code == 200, r.text[:500]
            body = r.json()
            batches += 1
            handled += body["processed"]
            assert body["processed"] <= 10
            offset = body["offset"]
            if body["done"]:
                break
            assert batches < 5
        assert batches == 2 and handled == 13, (batches, handled)
        assert admin.get(BASE + "/sync", params={"role": role}).json() == {"unlinked": 0, "linked": 13}
        linked = wp_eval("return array_map(fn($id) => get_user_meta($id, '_workos_user_id', true), $args);",
                         [u["id"] for u in users])
        assert all(x.startswith("user_") for x in linked), linked
        assert "sync" in wp_eval("return get_option('workos_onboarding');")["done"]
    finally:
        wp_eval("""
            require_once ABSPATH . 'wp-admin/includes/user.php';
            foreach (get_users(['role' => $args]) as $u) { wp_delete_user($u->ID); }
            remove_role($args); return true;""", role)


def test_progress_is_stored_and_dismissing_ends_the_offers(admin, wp_eval, wp_settings):
    assert admin.get(BASE).json()["state"]["step"] == "credentials"
    r = admin.post(BASE, json={"step": "roles"})
    assert r.status_code == 200 and r.json()["state"]["step"] == "roles"
    assert admin.post(BASE, json={"step": "elsewhere"}).status_code == 400
    # Resumed from the option by a new page load (a new session of the same admin).
    assert admin.get(BASE).json()["state"]["step"] == "roles"
    assert wp_eval("return wp_load_alloptions()['workos_onboarding'] ?? 'not autoloaded';") == "not autoloaded"

    page = admin.get("/wp-admin/index.php")
    assert "workos-notice-onboarding" in page.text and "page=workos-setup" in page.text
    assert "Continue setup" in page.text

    r = admin.post(BASE, json={"dismissed": True})
    assert r.json()["state"]["dismissed"] is True
    page = admin.get("/wp-admin/index.php")
    assert "workos-notice-onboarding" not in page.text
    assert "page=workos-setup" not in page.text, "the menu item is gone once dismissed"
    # The screen itself stays reachable.
    assert admin.get("/wp-admin/admin.php?page=workos-setup").status_code == 200


def test_notice_dismiss_link_needs_its_nonce(admin, wp_eval):
    wp_eval("update_option('workos_onboarding', ['step' => 'organization', 'started' => true], false); return true;")
    page = admin.get("/wp-admin/index.php").text
    link = re.search(r'href="([^"]*action=workos_onboarding_dismiss[^"]*)"', page)
    assert link, "the notice offers Dismiss"
    bad = admin.get("/wp-admin/admin-post.php?action=workos_onboarding_dismiss&_wpnonce=0000000000", allow_redirects=False)
    assert bad.status_code in (403, 200) and not wp_eval("return get_option('workos_onboarding')['dismissed'] ?? false;")
    ok = admin.get(html.unescape(link.group(1)), allow_redirects=False)
    assert ok.status_code == 302, ok.status_code
    assert wp_eval("return get_option('workos_onboarding')['dismissed'];") is True


def test_a_configured_site_that_never_started_is_not_nagged(admin):
    # The test site has working credentials: only WorkOS → Setup offers the wizard.
    page = admin.get("/wp-admin/index.php").text
    assert "workos-notice-onboarding" not in page
    assert "page=workos-setup" in page
