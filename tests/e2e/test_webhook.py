"""POST /wp-json/workos/v1/webhook: signed deliveries change WordPress; anything else changes nothing."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from authkit import authkit_sign_in, create_workos_user, start
from signer import event, signature

HOOK = "/wp-json/workos/v1/webhook"


@pytest.fixture
def linked(wp_eval):
    """A WordPress user linked to a made-up WorkOS user id."""
    workos_id = "user_" + uuid.uuid4().hex.upper()[:26]
    email = f"hook-{uuid.uuid4().hex[:8]}@example.com"
    wp_id = wp_eval(
        """
        $id = wp_insert_user(['user_login' => $args['login'], 'user_email' => $args['email'],
            'user_pass' => wp_generate_password(), 'first_name' => 'Old', 'last_name' => 'Name']);
        update_user_meta($id, '_workos_user_id', $args['workos']);
        return $id;
        """,
        {"login": "hook-" + uuid.uuid4().hex[:8], "email": email, "workos": workos_id},
    )
    return {"workos_id": workos_id, "email": email, "wp_id": wp_id}


def wp_user(wp_eval, wp_id):
    return wp_eval(
        "clean_user_cache($args); $u = get_user_by('id', $args); return [$u->user_email, $u->first_name, $u->last_name, $u->display_name];",
        wp_id,
    )


def user_data(linked, email, first="New", last="Person"):
    return {"object": "user", "id": linked["workos_id"], "email": email, "first_name": first, "last_name": last,
            "email_verified": True, "profile_picture_url": None, "last_sign_in_at": None,
            "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-11-23T00:00:00.000Z"}


def post(wp_url, body, header):
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["WorkOS-Signature"] = header
    return requests.post(wp_url + HOOK, data=body, headers=headers, timeout=30)


def test_signed_user_updated_changes_email_and_names(wp_url, env, wp_eval, linked):
    new_email = f"renamed-{uuid.uuid4().hex[:8]}@example.com"
    body = event("user.updated", user_data(linked, new_email))
    r = post(wp_url, body, signature(body, env["WEBHOOK_SECRET"]))
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "updated"
    assert wp_user(wp_eval, linked["wp_id"]) == [new_email, "New", "Person", "New Person"]


@pytest.mark.parametrize(
    "make_header,reason",
    [
        (lambda body, secret: None, "missing"),
        (lambda body, secret: "t=abc, v1=00", "malformed"),
        (lambda body, secret: signature(body, secret, int(time.time() * 1000) - 10 * 60 * 1000), "stale"),
        (lambda body, secret: signature(body, "whsec_wrong"), "mismatch"),
        (lambda body, secret: signature(body + b" ", secret), "mismatch"),
    ],
)
def test_bad_signature_gets_401_and_changes_nothing(wp_url, env, wp_eval, linked, make_header, reason):
    before = wp_user(wp_eval, linked["wp_id"])
    body = event("user.updated", user_data(linked, "attacker@example.com", "Mallory", "X"))
    r = post(wp_url, body, make_header(body, env["WEBHOOK_SECRET"]))
    assert r.status_code == 401, r.text
    err = r.json()
    assert err["code"] == "workos_invalid_signature"
    assert reason in err["message"]
    assert err["data"]["status"] == 401
    assert wp_user(wp_eval, linked["wp_id"]) == before


def test_event_for_unlinked_user_is_acknowledged_without_changes(wp_url, env):
    body = event("user.updated", {"object": "user", "id": "user_nobody", "email": "nobody@example.com"})
    r = post(wp_url, body, signature(body, env["WEBHOOK_SECRET"]))
    assert r.status_code == 200
    assert r.json()["outcome"] == "no_linked_user"


def test_email_taken_by_another_account_is_not_stolen(wp_url, env, wp_eval, linked):
    other = wp_eval(
        "return wp_insert_user(['user_login' => $args, 'user_email' => $args . '@example.com', 'user_pass' => wp_generate_password()]);",
        "taken-" + uuid.uuid4().hex[:8],
    )
    taken = wp_eval("return get_user_by('id', $args)->user_email;", other)
    body = event("user.updated", user_data(linked, taken))
    r = post(wp_url, body, signature(body, env["WEBHOOK_SECRET"]))
    assert r.status_code == 200
    assert r.json()["outcome"] == "email_in_use"
    assert wp_user(wp_eval, linked["wp_id"])[0] == linked["email"]


def test_emulator_delivery_after_api_update_reaches_wordpress(wp_url, emulator_url, env, session_factory, wp_eval):
    """WorkOS (the emulator) signs and delivers user.updated when a user changes."""
    email = f"delivered-{uuid.uuid4().hex[:8]}@example.com"
    user = create_workos_user(emulator_url, email)
    browser = session_factory(wp_url)
    r = browser.get(authkit_sign_in(emulator_url, start(browser, wp_url), email, "Passw0rd!-e2e"), allow_redirects=False)
    assert r.status_code == 302
    wp_id = wp_eval("$u = get_users(['meta_key' => '_workos_user_id', 'meta_value' => $args]); return $u[0]->ID;", user["id"])

    api_key = env["API_KEY"]
    r = requests.put(
        f"{emulator_url}/user_management/users/{user['id']}",
        json={"first_name": "Updated", "last_name": "ViaApi"},
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    for _ in range(50):
        if wp_user(wp_eval, wp_id)[1:3] == ["Updated", "ViaApi"]:
            break
        time.sleep(0.2)
    assert wp_user(wp_eval, wp_id)[1:3] == ["Updated", "ViaApi"]
