"""Small protocol helpers for the conformance tests (PKCE, JWT, login)."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

from conftest import API_KEY, CLIENT_ID

PASSWORD = "correct-horse-battery"
REDIRECT_URI = "http://127.0.0.1:9/callback"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_pair():
    verifier = b64url(secrets.token_bytes(48))
    challenge = b64url(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge


def decode_jwt(token):
    header, payload, _ = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload))


# DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, section 9.2).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def verify_rs256(token, jwk):
    """RS256 verification by hand, so the check owes nothing to the emulator's libraries."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    k = (n.bit_length() + 7) // 8
    signature = int.from_bytes(b64url_decode(signature_b64), "big")
    if signature >= n:
        return False
    encoded = pow(signature, e, n).to_bytes(k, "big")
    digest = hashlib.sha256(f"{header_b64}.{payload_b64}".encode()).digest()
    info = _SHA256_DIGEST_INFO + digest
    expected = b"\x00\x01" + b"\xff" * (k - 3 - len(info)) + b"\x00" + info
    return encoded == expected


def jwks_key(emu, kid):
    _, body = emu.get(f"/sso/jwks/{CLIENT_ID}", auth=False)
    return next((k for k in body["keys"] if k["kid"] == kid), None)


def authorize_params(**extra):
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "provider": "authkit",
        "state": "st-" + secrets.token_hex(4),
    }
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


def hosted_login(emu, email, password=PASSWORD, as_json=False, **extra):
    """GET authorize, then post the hosted login form; returns (response, params)."""
    params = authorize_params(**extra)
    resp, _ = emu.get("/user_management/authorize", params=params, auth=False)
    assert resp.status_code == 200, resp.text
    fields = dict(params, email=email)
    if password is not None:
        fields["password"] = password
    kw = {"json": fields} if as_json else {"data": fields}
    resp = emu.http.post(
        emu.base + "/__emulator/authkit/login", allow_redirects=False, timeout=30, **kw
    )
    return resp, params


def code_from(resp, state):
    assert resp.status_code == 302, resp.text
    location = urlsplit(resp.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == [state]
    return query["code"][0]


def authenticate(emu, **fields):
    body = {"client_id": CLIENT_ID, "client_secret": API_KEY}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    return emu.post("/user_management/authenticate", json=body, auth=False)


def password_grant(emu, email, password=PASSWORD):
    return authenticate(emu, grant_type="password", email=email, password=password)
