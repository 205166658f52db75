"""Small helpers for the conformance tests: PKCE, JWT, login, set-up, webhooks."""

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
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


def new_user(emu, email="ada@example.com", **kw):
    return emu.control("POST", "/users", json={"email": email, "password": PASSWORD, **kw})


def new_org(emu, name="Acme", **kw):
    resp, body = emu.post("/organizations", json={"name": name, **kw})
    assert resp.status_code == 201, resp.text
    return body


def assert_served_validated(request, checker, served):
    """Each operation in `served` was answered and validated at least once
    with a success and once with an error; only meaningful for a whole module."""
    module_tests = [i for i in request.session.items if i.module is request.module]
    if len(module_tests) != len([n for n in dir(request.module) if n.startswith("test_")]):
        pytest.skip("only meaningful when the whole module runs")
    validated = {(m, t) for (m, t, _) in checker.validated}
    missing = served - validated
    assert not missing, f"never validated: {sorted(missing)}"
    for op in served:
        statuses = {s for (m, t, s) in checker.validated if (m, t) == op}
        assert any(s < 300 for s in statuses), (op, statuses)
        assert any(s >= 400 for s in statuses), (op, statuses)


def events_named(receiver, *names):
    return [e for e in receiver.events() if e["event"] in names]


def wait_quiet(emu, timeout=10):
    """Waits until every queued webhook has been delivered."""
    deadline = time.time() + timeout
    while emu.control("GET", "/webhooks")["pending"] and time.time() < deadline:
        time.sleep(0.05)


def validate_events(receiver, checker):
    """Holds every webhook received so far to the spec's EventSchema."""
    schema = checker.component_schema("EventSchema")
    for payload in receiver.events():
        checker.validate_value(schema, payload, f"webhook {payload['event']}")
