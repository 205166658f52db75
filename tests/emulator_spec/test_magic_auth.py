"""Magic Auth: code creation and lookup, the magic-auth grant, and the
`authentication.*` events WorkOS records for each factor it checks."""

from helpers import (
    assert_served_validated,
    authenticate,
    events_named,
    hosted_login,
    code_from,
    new_org,
    new_user,
    password_grant,
    validate_events,
    wait_quiet,
)

GRANT = "urn:workos:oauth:grant-type:magic-auth:code"

SERVED = {
    ("post", "/user_management/magic_auth"),
    ("get", "/user_management/magic_auth/{id}"),
}


def test_magic_auth_codes(emu, receiver, checker):
    resp, magic = emu.post("/user_management/magic_auth", json={"email": "New@Example.com"})
    assert resp.status_code == 201
    assert magic["object"] == "magic_auth" and magic["id"].startswith("magic_auth_")
    assert magic["email"] == "new@example.com"
    assert len(magic["code"]) == 6 and magic["code"].isdigit()

    # An unknown address gets its user with the code, unverified until it is used.
    resp, user = emu.get(f"/user_management/users/{magic['user_id']}")
    assert resp.status_code == 200
    assert (user["email"], user["email_verified"]) == ("new@example.com", False)

    resp, got = emu.get(f"/user_management/magic_auth/{magic['id']}")
    assert resp.status_code == 200 and got == magic
    resp, _ = emu.get("/user_management/magic_auth/magic_auth_missing")
    assert resp.status_code == 404

    # The control API reads the newest code for an address, as an inbox would.
    resp, second = emu.post("/user_management/magic_auth", json={"email": "new@example.com"})
    assert second["user_id"] == magic["user_id"]
    latest = emu.control("GET", "/magic_auth", params={"email": "NEW@example.com"})
    assert latest == {
        "id": second["id"],
        "user_id": second["user_id"],
        "email": "new@example.com",
        "code": second["code"],
        "expires_at": second["expires_at"],
        "used": False,
    }
    resp = emu.http.get(emu.base + "/__emulator/magic_auth", params={"email": "nobody@example.com"})
    assert resp.status_code == 404

    resp, err = emu.post("/user_management/magic_auth", json={})
    assert resp.status_code == 422 and err["message"]
    for method, path in (("POST", "/user_management/magic_auth"), ("GET", f"/user_management/magic_auth/{magic['id']}")):
        resp, _ = emu.request(method, path, auth=False, json={"email": "x@example.com"})
        assert resp.status_code == 401
    resp, err = emu.post("/user_management/magic_auth", json={"email": "not-an-email"})
    assert resp.status_code == 422
    resp, err = emu.post(
        "/user_management/magic_auth", json={"email": "a@example.com", "invitation_token": "inv_x"}
    )
    assert (resp.status_code, err["error"]) == (400, "invitation_invalid")

    wait_quiet(emu)
    seen = [e["event"] for e in receiver.events()]
    assert seen == ["user.created", "magic_auth.created", "magic_auth.created"], seen
    assert all("code" not in e["data"] for e in events_named(receiver, "magic_auth.created"))
    validate_events(receiver, checker)


def test_magic_auth_grant(emu, receiver, checker):
    resp, magic = emu.post("/user_management/magic_auth", json={"email": "mia@example.com"})
    code = magic["code"]
    wrong = "000000" if code != "000000" else "111111"

    resp, err = authenticate(emu, grant_type=GRANT, code=wrong, email="mia@example.com")
    assert (resp.status_code, err["code"]) == (400, "invalid_one_time_code")
    resp, err = authenticate(emu, grant_type=GRANT, code=code, email="other@example.com")
    assert (resp.status_code, err["code"]) == (400, "invalid_one_time_code")
    resp, err = authenticate(emu, grant_type=GRANT, code=code, email="mia@example.com", client_secret=None)
    assert (resp.status_code, err["error"]) == (400, "invalid_client")
    resp, err = authenticate(emu, grant_type=GRANT, email="mia@example.com")
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")

    resp, ok = authenticate(
        emu, grant_type=GRANT, code=code, email="MIA@example.com", ip_address="203.0.113.9", user_agent="pytest"
    )
    assert resp.status_code == 200, resp.text
    assert ok["authentication_method"] == "MagicAuth"
    assert ok["user"]["id"] == magic["user_id"]
    assert ok["user"]["email_verified"] is True
    assert emu.control("GET", "/magic_auth", params={"email": "mia@example.com"})["used"] is True

    resp, err = authenticate(emu, grant_type=GRANT, code=code, email="mia@example.com")
    assert (resp.status_code, err["code"]) == (400, "one_time_code_previously_used")

    wait_quiet(emu)
    seen = [e["event"] for e in receiver.events()]
    assert seen == [
        "user.created",
        "magic_auth.created",
        "authentication.magic_auth_failed",
        "authentication.magic_auth_failed",
        "user.updated",
        "authentication.magic_auth_succeeded",
        "session.created",
        "authentication.magic_auth_failed",
    ], seen
    failed = events_named(receiver, "authentication.magic_auth_failed")
    assert failed[0]["data"]["error"]["code"] == "invalid_one_time_code"
    assert failed[0]["data"]["user_id"] == magic["user_id"]
    assert failed[1]["data"]["user_id"] is None
    (succeeded,) = events_named(receiver, "authentication.magic_auth_succeeded")
    assert succeeded["data"] == {
        "type": "magic_auth",
        "status": "succeeded",
        "ip_address": "203.0.113.9",
        "user_agent": "pytest",
        "user_id": magic["user_id"],
        "email": "mia@example.com",
    }
    (session,) = events_named(receiver, "session.created")
    assert session["data"]["auth_method"] == "magic_code"
    validate_events(receiver, checker)


def test_magic_auth_grant_still_asks_for_an_organization(emu):
    org_a = new_org(emu, "A")
    org_b = new_org(emu, "B")
    new_user(emu, email="two@example.com", organization_ids=[org_a["id"], org_b["id"]])
    _, magic = emu.post("/user_management/magic_auth", json={"email": "two@example.com"})
    resp, body = authenticate(emu, grant_type=GRANT, code=magic["code"], email="two@example.com")
    assert (resp.status_code, body["code"]) == (403, "organization_selection_required")


def test_authentication_events(emu, receiver, checker):
    user = new_user(emu, email_verified=False)
    resp, err = password_grant(emu, "ada@example.com", "wrong-password")
    assert resp.status_code == 400
    resp, err = password_grant(emu, "ghost@example.com")
    assert resp.status_code == 400
    resp, step = password_grant(emu, "ada@example.com")
    assert (resp.status_code, step["code"]) == (403, "email_verification_required")
    _, verification = emu.get(f"/user_management/email_verification/{step['email_verification_id']}")
    grant = "urn:workos:oauth:grant-type:email-verification:code"
    wrong = "000000" if verification["code"] != "000000" else "111111"
    token = step["pending_authentication_token"]
    resp, _ = authenticate(emu, grant_type=grant, code=wrong, pending_authentication_token=token)
    assert resp.status_code == 400
    resp, _ = authenticate(emu, grant_type=grant, code=verification["code"], pending_authentication_token=token)
    assert resp.status_code == 200

    # The hosted page checks passwords and hears from identity providers.
    resp, params = hosted_login(emu, "ada@example.com")
    code_from(resp, params["state"])
    resp, _ = hosted_login(emu, "ada@example.com", password="nope-nope-nope")
    resp, params = hosted_login(emu, "oauth@example.com", password=None, provider="GoogleOAuth")
    code_from(resp, params["state"])

    wait_quiet(emu)
    auth = [e for e in receiver.events() if e["event"].startswith("authentication.")]
    assert [(e["event"], e["data"]["email"]) for e in auth] == [
        ("authentication.password_failed", "ada@example.com"),
        ("authentication.password_failed", "ghost@example.com"),
        ("authentication.password_succeeded", "ada@example.com"),
        ("authentication.email_verification_failed", "ada@example.com"),
        ("authentication.email_verification_succeeded", "ada@example.com"),
        ("authentication.password_succeeded", "ada@example.com"),
        ("authentication.password_failed", "ada@example.com"),
        ("authentication.oauth_succeeded", "oauth@example.com"),
    ]
    assert auth[0]["data"]["user_id"] == user["id"]
    assert auth[0]["data"]["error"] == {"code": "invalid_credentials", "message": "Invalid credentials."}
    assert auth[1]["data"]["user_id"] is None
    assert auth[4]["data"] == {
        "type": "email_verification",
        "status": "succeeded",
        "ip_address": None,
        "user_agent": None,
        "user_id": user["id"],
        "email": "ada@example.com",
    }
    validate_events(receiver, checker)


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
