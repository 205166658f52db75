"""The account lifecycle the hosted login drives: password reset, email
verification by code, invitations (and the grants' `invitation_token`), MFA
with real TOTP (enrolment, challenge, verification, the `mfa-totp` grant and
the `mfa_enrollment` / `mfa_challenge` step-ups), and social sign-in through
the authorize stand-in. Every answer is held to the spec by the `emu` fixture;
TOTP codes are computed here from the enrolled secret (RFC 6238), as an
authenticator app would, not asked of the emulator."""

import base64
import hashlib
import hmac
import struct
import time

from helpers import (
    PASSWORD,
    assert_served_validated,
    authenticate,
    code_from,
    events_named,
    hosted_login,
    new_org,
    new_user,
    password_grant,
    validate_events,
    wait_quiet,
)

MFA_GRANT = "urn:workos:oauth:grant-type:mfa-totp"
MAGIC_GRANT = "urn:workos:oauth:grant-type:magic-auth:code"
EMAIL_GRANT = "urn:workos:oauth:grant-type:email-verification:code"

SERVED = {
    ("post", "/user_management/password_reset"),
    ("post", "/user_management/password_reset/confirm"),
    ("get", "/user_management/password_reset/{id}"),
    ("post", "/user_management/users/{id}/email_verification/send"),
    ("post", "/user_management/users/{id}/email_verification/confirm"),
    ("post", "/user_management/users/{id}/email_change/send"),
    ("post", "/user_management/users/{id}/email_change/confirm"),
    ("post", "/user_management/invitations"),
    ("get", "/user_management/invitations/{id}"),
    ("get", "/user_management/invitations/by_token/{token}"),
    ("post", "/user_management/invitations/{id}/revoke"),
    ("post", "/user_management/invitations/{id}/accept"),
    ("post", "/user_management/users/{userlandUserId}/auth_factors"),
    ("get", "/user_management/users/{userlandUserId}/auth_factors"),
    ("get", "/auth/factors/{id}"),
    ("delete", "/auth/factors/{id}"),
    ("post", "/auth/factors/{id}/challenge"),
    ("post", "/auth/challenges/{id}/verify"),
}


def totp(secret, at=None, step=30, digits=6):
    """RFC 6238 with SHA-1, written out so the check owes nothing to the emulator."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int(time.time() if at is None else at) // step
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def wrong(code):
    return "000000" if code != "000000" else "111111"


def test_totp_helper_matches_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59) == "287082"
    assert totp(secret, 1111111109) == "081804"


# --- password reset --------------------------------------------------------------


def test_password_reset(emu, receiver, checker):
    user = new_user(emu, email="reset@example.com", email_verified=False)
    resp, reset = emu.post("/user_management/password_reset", json={"email": "Reset@Example.com"})
    assert resp.status_code == 201
    assert reset["object"] == "password_reset" and reset["id"].startswith("password_reset_")
    assert (reset["user_id"], reset["email"]) == (user["id"], "reset@example.com")
    assert reset["password_reset_token"] in reset["password_reset_url"]

    resp, got = emu.get(f"/user_management/password_reset/{reset['id']}")
    assert resp.status_code == 200 and got == reset
    resp, err = emu.get("/user_management/password_reset/password_reset_missing")
    assert resp.status_code == 404 and err["message"]

    inbox = emu.control("GET", "/password_reset", params={"email": "RESET@example.com"})
    assert (inbox["token"], inbox["used"]) == (reset["password_reset_token"], False)

    resp, err = emu.post("/user_management/password_reset", json={"email": "ghost@example.com"})
    assert resp.status_code == 404 and err["message"]
    resp, err = emu.post("/user_management/password_reset", json={"email": "nope"})
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")

    confirm = "/user_management/password_reset/confirm"
    resp, err = emu.post(confirm, json={"token": "bogus", "new_password": "n3w-password!"})
    assert (resp.status_code, err["code"]) == (400, "password_reset_error")
    assert err["errors"][0]["code"] == "password_reset_token_invalid"
    token = reset["password_reset_token"]
    resp, err = emu.post(confirm, json={"token": token, "new_password": "short"})
    assert (resp.status_code, err["errors"][0]["code"]) == (400, "password_too_short")
    resp, err = emu.post(confirm, json={"token": token})
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")

    resp, ok = emu.post(confirm, json={"token": token, "new_password": "n3w-password!"})
    assert resp.status_code == 200
    # The link proved the mailbox.
    assert ok["user"]["id"] == user["id"] and ok["user"]["email_verified"] is True
    resp, err = emu.post(confirm, json={"token": token, "new_password": "another-one!"})
    assert err["errors"][0]["code"] == "password_reset_token_previously_used"

    resp, _ = password_grant(emu, "reset@example.com")
    assert resp.status_code == 400
    resp, body = password_grant(emu, "reset@example.com", "n3w-password!")
    assert resp.status_code == 200, body

    wait_quiet(emu)
    created = events_named(receiver, "password_reset.created")
    assert len(created) == 1 and "password_reset_token" not in created[0]["data"]
    assert len(events_named(receiver, "password_reset.succeeded")) == 1
    validate_events(receiver, checker)


# --- email verification ----------------------------------------------------------


def test_email_verification_send_and_confirm(emu, receiver, checker):
    user = new_user(emu, email="verify@example.com", email_verified=False)
    send = f"/user_management/users/{user['id']}/email_verification/send"
    confirm = f"/user_management/users/{user['id']}/email_verification/confirm"
    resp, body = emu.post(send)
    assert resp.status_code == 200 and body["user"]["id"] == user["id"]
    first = emu.control("GET", "/email_verification", params={"email": "verify@example.com"})
    resp, body = emu.post(send)
    second = emu.control("GET", "/email_verification", params={"email": "verify@example.com"})
    assert second["id"] != first["id"] and len(second["code"]) == 6

    resp, err = emu.post(confirm, json={"code": "not-a-code"})
    assert (resp.status_code, err["code"]) == (400, "email_verification_code_incorrect")
    resp, err = emu.post(confirm, json={})
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")
    resp, body = emu.post(confirm, json={"code": second["code"]})
    assert resp.status_code == 200 and body["user"]["email_verified"] is True
    resp, err = emu.post(confirm, json={"code": second["code"]})
    assert (resp.status_code, err["code"]) == (400, "email_previously_verified")
    resp, err = emu.post(send)
    assert (resp.status_code, err["code"]) == (400, "email_already_verified")
    resp, err = emu.post("/user_management/users/user_missing/email_verification/send")
    assert resp.status_code == 404
    resp, err = emu.post("/user_management/users/user_missing/email_verification/confirm", json={"code": "1"})
    assert resp.status_code == 404

    wait_quiet(emu)
    sent = events_named(receiver, "email_verification.created")
    assert len(sent) == 2 and all("code" not in e["data"] for e in sent)
    validate_events(receiver, checker)


def test_sent_code_finishes_a_pending_sign_in(emu):
    """Sign-up shape: a new unverified user signs in, gets the step-up, and a
    code sent afterwards by the send endpoint is what the grant redeems."""
    user = new_user(emu, email="signup@example.com", email_verified=False)
    resp, step = password_grant(emu, "signup@example.com")
    assert (resp.status_code, step["code"]) == (403, "email_verification_required")
    emu.post(f"/user_management/users/{user['id']}/email_verification/send")
    code = emu.control("GET", "/email_verification", params={"email": "signup@example.com"})["code"]
    resp, ok = authenticate(
        emu, grant_type=EMAIL_GRANT, code=code,
        pending_authentication_token=step["pending_authentication_token"],
    )
    assert resp.status_code == 200, ok
    assert ok["user"]["email_verified"] is True


# --- change of email ------------------------------------------------------------------


def test_email_change(emu, receiver, checker):
    user = new_user(emu, email="old@example.com")
    new_user(emu, email="taken@example.com")
    send = f"/user_management/users/{user['id']}/email_change/send"
    confirm = f"/user_management/users/{user['id']}/email_change/confirm"

    resp, err = emu.post(confirm, json={"code": "123456"})
    assert (resp.status_code, err["code"]) == (409, "no_pending_email_change")
    resp, err = emu.post(send, json={"new_email": "old@example.com"})
    assert (resp.status_code, err["code"]) == (409, "email_change_not_needed")
    resp, err = emu.post(send, json={"new_email": "taken@example.com"})
    assert (resp.status_code, err["code"]) == (409, "email_not_available")
    resp, err = emu.post(send, json={"new_email": "nope"})
    assert (resp.status_code, err["code"]) == (422, "invalid_email")
    resp, err = emu.post("/user_management/users/user_missing/email_change/send", json={"new_email": "a@example.com"})
    assert resp.status_code == 404

    resp, change = emu.post(send, json={"new_email": "New@Example.com"})
    assert resp.status_code == 200
    assert (change["object"], change["new_email"], change["user"]["email"]) == ("email_change", "new@example.com", "old@example.com")
    code = emu.control("GET", "/email_change", params={"email": "new@example.com"})["code"]
    resp, err = emu.post(confirm, json={"code": "x" + code})
    assert (resp.status_code, err["code"]) == (400, "email_change_code_incorrect")
    # Nothing changed until the code comes back.
    _, still = emu.get(f"/user_management/users/{user['id']}")
    assert still["email"] == "old@example.com"
    resp, done = emu.post(confirm, json={"code": code})
    assert resp.status_code == 200
    assert (done["object"], done["user"]["email"]) == ("email_change_confirmation", "new@example.com")
    resp, err = emu.post(confirm, json={"code": code})
    assert (resp.status_code, err["code"]) == (409, "email_change_code_previously_used")
    resp, err = emu.post("/user_management/users/user_missing/email_change/confirm", json={"code": "1"})
    assert resp.status_code == 404
    resp, _ = password_grant(emu, "new@example.com")
    assert resp.status_code == 200

    # Five wrong codes lock the change.
    resp, _ = emu.post(send, json={"new_email": "third@example.com"})
    for _ in range(5):
        resp, err = emu.post(confirm, json={"code": "not-it"})
        assert err["code"] == "email_change_code_incorrect"
    resp, err = emu.post(confirm, json={"code": emu.control("GET", "/email_change", params={"email": "third@example.com"})["code"]})
    assert (resp.status_code, err["code"]) == (429, "email_change_too_many_attempts")
    wait_quiet(emu)
    validate_events(receiver, checker)


# --- invitations ---------------------------------------------------------------------


def test_invitations(emu, receiver, checker):
    org = new_org(emu, "Invite Co")
    inviter = new_user(emu, email="boss@example.com")
    resp, inv = emu.post(
        "/user_management/invitations",
        json={"email": "New@Example.com", "organization_id": org["id"], "inviter_user_id": inviter["id"]},
    )
    assert resp.status_code == 201
    assert (inv["state"], inv["email"], inv["organization_id"]) == ("pending", "new@example.com", org["id"])
    assert inv["role_slug"] == "member" and inv["inviter_user_id"] == inviter["id"]
    assert inv["token"] in inv["accept_invitation_url"]

    resp, got = emu.get(f"/user_management/invitations/{inv['id']}")
    assert resp.status_code == 200 and got["id"] == inv["id"]
    resp, got = emu.get(f"/user_management/invitations/by_token/{inv['token']}")
    assert resp.status_code == 200 and got["id"] == inv["id"]
    assert emu.control("GET", "/invitations", params={"email": "new@example.com"})["token"] == inv["token"]
    resp, err = emu.get("/user_management/invitations/by_token/nope")
    assert resp.status_code == 404
    resp, err = emu.get("/user_management/invitations/invitation_missing")
    assert resp.status_code == 404

    post = lambda **b: emu.post("/user_management/invitations", json=b)  # noqa: E731
    resp, err = post(email="new@example.com", organization_id=org["id"])
    assert (resp.status_code, err["code"]) == (400, "email_already_invited_to_organization")
    resp, err = post(email="boss@example.com")
    assert (resp.status_code, err["code"]) == (400, "user_already_exists")
    resp, err = post(email="x@example.com", expires_in_days=0)
    assert (resp.status_code, err["code"]) == (400, "expires_in_days_too_short")
    resp, err = post(email="x@example.com", expires_in_days=31)
    assert (resp.status_code, err["code"]) == (400, "expires_in_days_too_long")
    resp, err = post(email="x@example.com", organization_id=org["id"], role_slug="owner")
    assert (resp.status_code, err["code"]) == (400, "invalid_role")
    resp, err = post(email="x@example.com", organization_id="org_missing")
    assert resp.status_code == 404
    resp, err = post(email="not-an-email")
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")

    # Revoke, then it cannot be revoked or used again.
    resp, other = post(email="gone@example.com")
    resp, revoked = emu.post(f"/user_management/invitations/{other['id']}/revoke")
    assert resp.status_code == 200 and revoked["state"] == "revoked" and revoked["revoked_at"]
    resp, err = emu.post(f"/user_management/invitations/{other['id']}/revoke")
    assert (resp.status_code, err["code"]) == (400, "invite_not_pending")
    resp, err = emu.post("/user_management/invitations/invitation_missing/revoke")
    assert resp.status_code == 404

    # Accept by id once the invitee has an account.
    resp, err = emu.post(f"/user_management/invitations/{inv['id']}/accept")
    assert (resp.status_code, err["code"]) == (400, "invalid_invite")
    invitee = new_user(emu, email="new@example.com")
    resp, accepted = emu.post(f"/user_management/invitations/{inv['id']}/accept")
    assert resp.status_code == 200
    assert (accepted["state"], accepted["accepted_user_id"]) == ("accepted", invitee["id"])
    resp, err = emu.post(f"/user_management/invitations/{inv['id']}/accept")
    assert (resp.status_code, err["code"]) == (400, "invite_not_pending")
    resp, err = emu.post("/user_management/invitations/invitation_missing/accept")
    assert resp.status_code == 404
    resp, members = emu.get(
        "/user_management/organization_memberships", params={"user_id": invitee["id"]}
    )
    assert [m["organization_id"] for m in members["data"]] == [org["id"]]

    wait_quiet(emu)
    seen = [e["event"] for e in receiver.events() if e["event"].startswith("invitation.")]
    assert seen == ["invitation.created", "invitation.created", "invitation.revoked", "invitation.accepted"]
    assert all("token" not in e["data"] for e in events_named(receiver, "invitation.created"))
    validate_events(receiver, checker)


def test_invitation_token_in_the_grants(emu):
    org = new_org(emu, "Grant Co")
    _, inv = emu.post("/user_management/invitations", json={"email": "joiner@example.com", "organization_id": org["id"]})
    # Sign-up by password with the token: the sign-in lands in the organization.
    new_user(emu, email="joiner@example.com")
    new_user(emu, email="stranger@example.com")
    resp, err = authenticate(
        emu, grant_type="password", email="stranger@example.com", password=PASSWORD, invitation_token=inv["token"]
    )
    assert (resp.status_code, err["error"]) == (400, "invitation_cannot_be_used_for_email")
    resp, err = authenticate(
        emu, grant_type="password", email="joiner@example.com", password=PASSWORD, invitation_token="nope"
    )
    assert (resp.status_code, err["error"]) == (400, "invitation_invalid")
    resp, ok = authenticate(
        emu, grant_type="password", email="joiner@example.com", password=PASSWORD, invitation_token=inv["token"]
    )
    assert resp.status_code == 200, ok
    assert ok["organization_id"] == org["id"]
    resp, got = emu.get(f"/user_management/invitations/{inv['id']}")
    assert got["state"] == "accepted"

    # Magic Auth takes a pending invitation's token, then the grant accepts it.
    org2 = new_org(emu, "Magic Co")
    _, inv2 = emu.post("/user_management/invitations", json={"email": "magic@example.com", "organization_id": org2["id"]})
    resp, magic = emu.post(
        "/user_management/magic_auth", json={"email": "magic@example.com", "invitation_token": inv2["token"]}
    )
    assert resp.status_code == 201
    resp, ok = authenticate(
        emu, grant_type=MAGIC_GRANT, code=magic["code"], email="magic@example.com", invitation_token=inv2["token"]
    )
    assert resp.status_code == 200, ok
    assert ok["organization_id"] == org2["id"]


# --- MFA -------------------------------------------------------------------------------


def test_enrolment_challenge_and_verify(emu):
    user = new_user(emu, email="totp@example.com")
    enroll = f"/user_management/users/{user['id']}/auth_factors"
    resp, body = emu.post(enroll, json={"type": "totp", "totp_issuer": "My Site"})
    assert resp.status_code == 201
    factor, challenge = body["authentication_factor"], body["authentication_challenge"]
    assert factor["type"] == "totp" and factor["user_id"] == user["id"]
    totp_info = factor["totp"]
    assert (totp_info["issuer"], totp_info["user"]) == ("My Site", "totp@example.com")
    assert totp_info["uri"].startswith("otpauth://totp/") and f"secret={totp_info['secret']}" in totp_info["uri"]
    assert totp_info["qr_code"].startswith("data:image/png;base64,")
    assert challenge["authentication_factor_id"] == factor["id"]
    # The control API plays the authenticator with the same secret.
    listed = emu.control("GET", "/auth_factors", params={"email": "totp@example.com"})["data"]
    assert listed[0]["secret"] == totp_info["secret"]
    assert listed[0]["code"] == totp(totp_info["secret"]) or listed[0]["code"] == totp(totp_info["secret"], time.time() + 1)

    resp, got = emu.get(f"/auth/factors/{factor['id']}")
    assert resp.status_code == 200 and "secret" not in got["totp"]
    resp, page = emu.get(enroll)
    assert resp.status_code == 200 and [f["id"] for f in page["data"]] == [factor["id"]]

    verify = f"/auth/challenges/{challenge['id']}/verify"
    resp, body = emu.post(verify, json={"code": wrong(totp(totp_info["secret"]))})
    assert resp.status_code == 201 and body["valid"] is False
    resp, body = emu.post(verify, json={"code": totp(totp_info["secret"])})
    assert resp.status_code == 201 and body["valid"] is True
    assert body["challenge"]["id"] == challenge["id"]
    resp, err = emu.post(verify, json={"code": totp(totp_info["secret"])})
    assert resp.status_code == 422  # a passed challenge is spent

    resp, again = emu.post(f"/auth/factors/{factor['id']}/challenge", json={})
    assert resp.status_code == 201 and again["authentication_factor_id"] == factor["id"]
    for _ in range(5):
        resp, body = emu.post(f"/auth/challenges/{again['id']}/verify", json={"code": wrong(totp(totp_info["secret"]))})
        assert body["valid"] is False
    resp, err = emu.post(f"/auth/challenges/{again['id']}/verify", json={"code": totp(totp_info["secret"])})
    assert (resp.status_code, err["code"]) == (400, "one_time_code_too_many_attempts")

    # Errors the spec documents.
    resp, err = emu.post(enroll, json={"type": "sms"})
    assert resp.status_code == 422 and err["message"]
    resp, err = emu.post(enroll, json={"type": "totp", "totp_secret": "not base32!"})
    assert resp.status_code == 422
    resp, err = emu.post("/user_management/users/user_missing/auth_factors", json={"type": "totp"})
    assert resp.status_code == 422
    resp, err = emu.get("/user_management/users/user_missing/auth_factors")
    assert resp.status_code == 422
    resp, err = emu.post("/auth/factors/auth_factor_missing/challenge", json={})
    assert resp.status_code == 404
    resp, err = emu.post("/auth/challenges/auth_challenge_missing/verify", json={"code": "123456"})
    assert resp.status_code == 404
    resp, err = emu.get("/auth/factors/auth_factor_missing")
    assert resp.status_code == 404

    # A given secret is kept (WorkOS lets you bring one).
    secret = base64.b32encode(b"0123456789abcdefghij").decode().rstrip("=")
    resp, body = emu.post(enroll, json={"type": "totp", "totp_secret": secret})
    assert body["authentication_factor"]["totp"]["secret"] == secret

    resp, _ = emu.delete(f"/auth/factors/{factor['id']}")
    assert resp.status_code == 200
    resp, err = emu.delete(f"/auth/factors/{factor['id']}")
    assert resp.status_code == 404


def test_mfa_enrollment_then_challenge_by_totp(emu, receiver, checker):
    user = new_user(emu, email="mfa@example.com", mfa="enrollment")
    resp, step = password_grant(emu, "mfa@example.com")
    assert (resp.status_code, step["code"]) == (403, "mfa_enrollment")
    assert step["user"]["id"] == user["id"] and step["pending_authentication_token"]

    # Enrolment during the sign-in: the enrol answer's challenge is passed
    # with the app's code.
    _, enrolled = emu.post(f"/user_management/users/{user['id']}/auth_factors", json={"type": "totp"})
    secret = enrolled["authentication_factor"]["totp"]["secret"]
    challenge_id = enrolled["authentication_challenge"]["id"]
    pending = step["pending_authentication_token"]
    resp, err = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=pending,
        authentication_challenge_id=challenge_id, code=wrong(totp(secret)),
    )
    assert (resp.status_code, err["code"]) == (400, "invalid_one_time_code")
    resp, err = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token="nope",
        authentication_challenge_id=challenge_id, code=totp(secret),
    )
    assert (resp.status_code, err["code"]) == (400, "invalid_pending_authentication_token")
    resp, err = authenticate(emu, grant_type=MFA_GRANT, pending_authentication_token=pending, code="1")
    assert (resp.status_code, err["code"]) == (422, "invalid_request_parameters")
    resp, ok = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=pending,
        authentication_challenge_id=challenge_id, code=totp(secret),
    )
    assert resp.status_code == 200, ok
    assert ok["user"]["id"] == user["id"]
    # The pending token is spent.
    resp, err = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=pending,
        authentication_challenge_id=challenge_id, code=totp(secret),
    )
    assert err["code"] == "invalid_pending_authentication_token"

    # Next sign-in: a challenge of the enrolled factor.
    resp, step = password_grant(emu, "mfa@example.com")
    assert (resp.status_code, step["code"]) == (403, "mfa_challenge")
    (factor,) = step["authentication_factors"]
    assert factor["id"] == enrolled["authentication_factor"]["id"] and "secret" not in factor["totp"]
    _, challenge = emu.post(f"/auth/factors/{factor['id']}/challenge", json={})

    # Another user's challenge does not pass this sign-in.
    other = new_user(emu, email="other@example.com")
    _, theirs = emu.post(f"/user_management/users/{other['id']}/auth_factors", json={"type": "totp"})
    resp, err = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=step["pending_authentication_token"],
        authentication_challenge_id=theirs["authentication_challenge"]["id"],
        code=totp(theirs["authentication_factor"]["totp"]["secret"]),
    )
    assert (resp.status_code, err["code"]) == (400, "user_mismatch")
    resp, ok = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=step["pending_authentication_token"],
        authentication_challenge_id=challenge["id"], code=totp(secret),
    )
    assert resp.status_code == 200, ok

    wait_quiet(emu)
    mfa = [e["event"] for e in receiver.events() if e["event"].startswith("authentication.mfa")]
    assert mfa == [
        "authentication.mfa_failed",
        "authentication.mfa_succeeded",
        "authentication.mfa_failed",
        "authentication.mfa_succeeded",
    ], mfa
    validate_events(receiver, checker)


def test_mfa_challenge_user_from_the_control_api_has_a_real_factor(emu):
    new_user(emu, email="legacy@example.com", mfa="challenge")
    resp, step = password_grant(emu, "legacy@example.com")
    assert step["code"] == "mfa_challenge"
    (factor,) = step["authentication_factors"]
    (known,) = emu.control("GET", "/auth_factors", params={"email": "legacy@example.com"})["data"]
    assert known["id"] == factor["id"]
    _, challenge = emu.post(f"/auth/factors/{factor['id']}/challenge", json={})
    resp, ok = authenticate(
        emu, grant_type=MFA_GRANT, pending_authentication_token=step["pending_authentication_token"],
        authentication_challenge_id=challenge["id"], code=totp(known["secret"]),
    )
    assert resp.status_code == 200, ok


# --- social sign-in ---------------------------------------------------------------


def test_social_providers_through_the_authorize_stand_in(emu):
    # One test, not parametrized: the served-endpoint check counts tests by name.
    for provider in ("GoogleOAuth", "MicrosoftOAuth", "GitHubOAuth", "AppleOAuth"):
        email = f"{provider.lower()}@example.com"
        resp, params = hosted_login(emu, email, password=None, provider=provider)
        code = code_from(resp, params["state"])
        resp, body = authenticate(emu, grant_type="authorization_code", code=code)
        assert resp.status_code == 200
        assert body["authentication_method"] == provider
        assert body["user"]["email"] == email and body["user"]["email_verified"] is True


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
