"""The MFA API's factors (`POST /auth/factors/enroll`: SMS, TOTP, generic OTP),
SMS challenges whose codes the emulator's control API reads back as the
user's phone would (`/__emulator/sms`), and the TOTP enrolment's `qr_code`:
a real PNG. Every answer is held to the spec by the `emu` fixture.

Assumed where the spec is silent: a factor of the MFA API, even with a
`user_id`, is not one of the user's sign-in factors (not listed under
/user_management/users/{id}/auth_factors, not offered by `mfa_challenge`,
not taken by the `mfa-totp` grant); an SMS challenge expires after 10
minutes and a wrong code counts like a TOTP one (5, then refused)."""

import base64
import struct
import zlib

from helpers import PASSWORD, assert_served_validated, new_user, password_grant

SERVED = {
    ("post", "/auth/factors/enroll"),
    ("post", "/auth/factors/{id}/challenge"),
    ("post", "/auth/challenges/{id}/verify"),
}

PHONE = "+15005550006"


def sms(emu, **params):
    return emu.control("GET", "/sms", params=params)["data"]


def test_sms_factor_enrol_challenge_verify(emu):
    user = new_user(emu, email="sms@example.com")
    resp, factor = emu.post(
        "/auth/factors/enroll", json={"type": "sms", "phone_number": PHONE, "user_id": user["id"]}
    )
    assert resp.status_code == 201, factor
    assert factor["type"] == "sms" and factor["sms"] == {"phone_number": PHONE}
    assert factor["user_id"] == user["id"] and "totp" not in factor
    assert sms(emu, phone_number=PHONE) == []  # Nothing texted before a challenge.

    resp, challenge = emu.post(
        f"/auth/factors/{factor['id']}/challenge", json={"sms_template": "Site code: {{code}}"}
    )
    assert resp.status_code == 201 and challenge["authentication_factor_id"] == factor["id"]
    assert "code" not in challenge  # Texted, not answered.
    (text,) = sms(emu, phone_number=PHONE)
    assert text["challenge_id"] == challenge["id"] and text["factor_id"] == factor["id"]
    assert len(text["code"]) == 6 and text["message"] == f"Site code: {text['code']}"
    assert sms(emu, factor_id=factor["id"]) == [text]

    wrong = "000000" if text["code"] != "000000" else "111111"
    resp, body = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": wrong})
    assert resp.status_code == 201 and body["valid"] is False
    resp, body = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": text["code"]})
    assert resp.status_code == 201 and body["valid"] is True
    assert body["challenge"]["id"] == challenge["id"]
    resp, _ = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": text["code"]})
    assert resp.status_code == 422  # Passed once only.

    # A second challenge texts a new code; the newest comes first.
    _, again = emu.post(f"/auth/factors/{factor['id']}/challenge", json={})
    newest = sms(emu, phone_number=PHONE)
    assert [m["challenge_id"] for m in newest] == [again["id"], challenge["id"]]
    assert newest[0]["message"] == f"Your verification code is {newest[0]['code']}."

    resp, got = emu.get(f"/auth/factors/{factor['id']}")
    assert resp.status_code == 200 and got["sms"] == {"phone_number": PHONE}


def test_sms_wrong_code_five_times_refuses_the_challenge(emu):
    _, factor = emu.post("/auth/factors/enroll", json={"type": "sms", "phone_number": PHONE})
    assert "user_id" not in factor
    _, challenge = emu.post(f"/auth/factors/{factor['id']}/challenge", json={})
    code = sms(emu, factor_id=factor["id"])[0]["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        resp, body = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": wrong})
        assert resp.status_code == 201 and body["valid"] is False
    resp, err = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": code})
    assert resp.status_code == 400 and err["code"] == "one_time_code_too_many_attempts"


def test_mfa_api_factors_are_not_sign_in_factors(emu):
    user = new_user(emu, email="apart@example.com", email_verified=True)
    _, factor = emu.post(
        "/auth/factors/enroll", json={"type": "sms", "phone_number": PHONE, "user_id": user["id"]}
    )
    resp, page = emu.get(f"/user_management/users/{user['id']}/auth_factors")
    assert resp.status_code == 200 and page["data"] == []
    # The sign-in is not stepped up for it.
    resp, body = password_grant(emu, "apart@example.com", PASSWORD)
    assert resp.status_code == 200, body
    assert body["user"]["id"] == user["id"]
    del factor


def test_enrol_refusals(emu):
    for payload in (
        {"type": "sms"},
        {"type": "sms", "phone_number": "5005550006"},
        {"type": "sms", "phone_number": "+1 500 555 0006"},
        {"type": "totp", "totp_issuer": "Site"},
        {"type": "voice"},
        {"type": "sms", "phone_number": PHONE, "user_id": "user_missing"},
    ):
        resp, err = emu.post("/auth/factors/enroll", json=payload)
        assert resp.status_code == 422, (payload, err)
        assert err["message"]
    _, factor = emu.post("/auth/factors/enroll", json={"type": "sms", "phone_number": PHONE})
    resp, err = emu.post(f"/auth/factors/{factor['id']}/challenge", json={"sms_template": "no code"})
    assert resp.status_code == 422
    resp, err = emu.post("/auth/factors/auth_factor_missing/challenge", json={})
    assert resp.status_code == 404


def test_totp_and_generic_otp_factors_of_the_mfa_api(emu):
    resp, factor = emu.post(
        "/auth/factors/enroll", json={"type": "totp", "totp_issuer": "My Site", "totp_user": "ada@example.com"}
    )
    assert resp.status_code == 201
    assert factor["totp"]["uri"].startswith("otpauth://totp/My%20Site:ada%40example.com?secret=")
    resp, generic = emu.post("/auth/factors/enroll", json={"type": "generic_otp"})
    assert resp.status_code == 201 and generic["type"] == "generic_otp"
    resp, challenge = emu.post(f"/auth/factors/{generic['id']}/challenge", json={})
    assert resp.status_code == 201 and len(challenge["code"]) == 6
    resp, body = emu.post(f"/auth/challenges/{challenge['id']}/verify", json={"code": challenge["code"]})
    assert body["valid"] is True


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    (length,) = struct.unpack(">I", data[8:12])
    assert data[12:16] == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


def test_totp_enrolment_qr_code_is_a_real_png(emu):
    user = new_user(emu, email="qr@example.com")
    _, body = emu.post(f"/user_management/users/{user['id']}/auth_factors", json={"type": "totp"})
    totp = body["authentication_factor"]["totp"]
    prefix = "data:image/png;base64,"
    assert totp["qr_code"].startswith(prefix)
    png = base64.b64decode(totp["qr_code"][len(prefix) :])
    width, height = png_size(png)
    # Version 4+ code (33+ modules) with a 4-module quiet zone at 4 px a module.
    assert width == height and width >= 4 * (33 + 8)
    # Decodes as zlib data of one filter byte + one greyscale byte per pixel a row,
    # black and white both present (the 1x1 placeholder it replaces had neither).
    idat = png[png.index(b"IDAT") + 4 :]
    raw = zlib.decompressobj().decompress(idat)
    assert len(raw) == height * (width + 1)
    assert {0, 255} <= set(raw[1 : width + 1] + raw[(height // 2) * (width + 1) + 1 : (height // 2 + 1) * (width + 1)])


def test_served_and_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
