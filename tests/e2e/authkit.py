"""Helpers that walk the AuthKit redirect flow over plain HTTP, the way a browser would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import requests

TIMEOUT = 30


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def with_query(url: str, **changes: str) -> str:
    parts = urlparse(url)
    q = query(url)
    q.update(changes)
    return urlunparse(parts._replace(query=urlencode(q)))


@dataclass
class Flow:
    authorize_url: str
    params: dict[str, str]


def start(session: requests.Session, wp_url: str, **params: str) -> Flow:
    """GET wp-login.php and return where it sends the browser."""
    r = session.get(wp_url + "/wp-login.php", params=params or None, allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code in (302, 303), f"wp-login.php answered {r.status_code}: {r.text[:500]}"
    location = r.headers["Location"]
    return Flow(location, query(location))


def authkit_sign_in(emulator_url: str, flow: Flow, email: str, password: str) -> str:
    """Submits the emulator's hosted login form; returns the callback URL it redirects to."""
    page = requests.get(flow.authorize_url, timeout=TIMEOUT)
    assert page.status_code == 200, f"authorize page: {page.status_code} {page.text[:300]}"
    data = dict(flow.params)
    data.update(email=email, password=password)
    r = requests.post(emulator_url + "/__emulator/authkit/login", data=data, allow_redirects=False, timeout=TIMEOUT)
    assert r.status_code in (302, 303), f"authkit login: {r.status_code} {r.text[:300]}"
    return r.headers["Location"]


def create_workos_user(emulator_url: str, email: str, password: str = "Passw0rd!-e2e", **fields) -> dict:
    body = {"email": email, "password": password, "first_name": "Ada", "last_name": "Lovelace", "email_verified": True}
    body.update(fields)
    r = requests.post(emulator_url + "/__emulator/users", json=body, timeout=TIMEOUT)
    assert r.status_code in (200, 201), f"create user: {r.status_code} {r.text[:300]}"
    user = r.json()
    return user.get("user", user)


def logged_in_cookie(session: requests.Session) -> bool:
    return any(c.name.startswith("wordpress_logged_in_") for c in session.cookies)


def create_org(emulator_url: str, name: str, **fields) -> dict:
    body = {"name": name}
    body.update(fields)
    r = requests.post(emulator_url + "/__emulator/organizations", json=body, timeout=TIMEOUT)
    assert r.status_code in (200, 201), f"create organization: {r.status_code} {r.text[:300]}"
    return r.json()


def emulator_requests(emulator_url: str, path: str, method: str | None = None) -> list[dict]:
    """The emulator's log of API calls to `path` (and `method`), oldest first."""
    log = requests.get(emulator_url + "/__emulator/requests", timeout=TIMEOUT).json()
    entries = log.get("data", log) if isinstance(log, dict) else log
    return [e for e in entries if e["path"] == path and (method is None or e["method"] == method)]


def workos_password_works(emulator_url: str, env: dict, email: str, password: str) -> bool:
    r = requests.post(
        emulator_url + "/user_management/authenticate",
        json={"grant_type": "password", "client_id": env["CLIENT_ID"], "client_secret": env["API_KEY"],
              "email": email, "password": password},
        timeout=TIMEOUT,
    )
    return r.status_code == 200


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits) from a Base32 secret (spaces allowed), as an authenticator app computes it."""
    secret = secret.replace(" ", "")
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((time.time() if at is None else at) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong(code: str) -> str:
    """A six-digit code that is certainly not `code`."""
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def age_sessions(wp_eval, user_id: int, seconds: int = 3600) -> None:
    """Makes every WordPress session of the user look `seconds` old (begun then): a session left open or stolen."""
    wp_eval(
        """
        $sessions = get_user_meta($args['id'], 'session_tokens', true);
        foreach ($sessions as $k => $session) {
            $sessions[$k]['login'] = time() - $args['age'];
        }
        update_user_meta($args['id'], 'session_tokens', $sessions);
        return true;
        """,
        {"id": user_id, "age": seconds},
    )
