"""Latency and WorkOS's documented rate limits: both off by default and
switched on through the control API. A request over a limit gets 429 with
the body the spec documents for its endpoint, and a Retry-After."""

import time

from helpers import PASSWORD, authenticate, new_org, new_user, password_grant


def limits(emu, enforce=True, **rules):
    return emu.control("PUT", "/rate_limits", json={"enforce": enforce, "rules": rules})


def rule(state, name):
    return next(r for r in state["rules"] if r["name"] == name)


def directory(emu):
    org = new_org(emu)
    return emu.control("POST", "/directories", json={"organization_id": org["id"]})["id"]


def test_off_by_default_with_the_documented_values(emu):
    state = emu.control("GET", "/rate_limits")
    assert (state["enabled"], state["over_limit"]) == (False, 0)
    documented = {r["name"]: (r["limit"], r["window_ms"], r["per"]) for r in state["rules"]}
    assert documented["general"] == (6000, 60_000, "api_key")
    assert documented["directory_users"] == (4, 1000, "directory|group")
    assert documented["user_management_reads"] == (1000, 10_000, "environment")
    assert documented["user_management_writes"] == (500, 10_000, "environment")
    assert documented["authentication"] == (10, 60_000, "email|authentication_challenge_id")
    assert documented["delete_organization"] == (50, 60_000, "api_key")
    # Off: a burst past the documented 4 per second is served.
    d = directory(emu)
    for _ in range(8):
        resp, _ = emu.get("/directory_users", params={"directory": d})
        assert resp.status_code == 200
    assert emu.control("GET", "/rate_limits")["checked"] == 0


def test_refusals_follow_the_spec_per_endpoint(emu):
    d = directory(emu)
    new_user(emu, "ada@example.com")
    limits(emu)
    # Directory users: 4 per second per directory, then the spec's "Ratelimited".
    for _ in range(4):
        resp, _ = emu.get("/directory_users", params={"directory": d})
        assert resp.status_code == 200
    resp, body = emu.get("/directory_users", params={"directory": d})
    assert (resp.status_code, body, resp.headers["Retry-After"]) == (429, "Ratelimited", "1")
    assert "X-RateLimit-Limit" not in resp.headers

    # Authentication: 10 per minute per email, failed attempts included.
    for _ in range(10):
        resp, _ = password_grant(emu, "ada@example.com", password="wrong")
        assert resp.status_code == 400
    resp, body = password_grant(emu, "ADA@example.com")
    assert resp.status_code == 429 and body["error"] == "too_many_requests"
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    resp, _ = password_grant(emu, "bob@example.com", password=PASSWORD)
    assert resp.status_code != 429

    # Magic Auth: 3 per minute per email.
    for _ in range(3):
        resp, _ = emu.post("/user_management/magic_auth", json={"email": "ada@example.com"})
        assert resp.status_code == 201
    resp, body = emu.post("/user_management/magic_auth", json={"email": "ada@example.com"})
    assert resp.status_code == 429 and body["code"] == "daily_quota_exceeded"

    state = emu.control("GET", "/rate_limits")
    assert state["over_limit"] == 3
    over = {r["name"]: r["over_limit"] for r in state["rules"] if r["over_limit"]}
    assert over == {"directory_users": 1, "authentication": 1, "magic_auth": 1}
    log = emu.control("GET", "/requests")["data"]
    assert [r.get("rate_limit") for r in log if r["status"] == 429] == [
        "directory_users",
        "authentication",
        "magic_auth",
    ]


def test_general_limit_retry_after_and_recovery(emu):
    limits(emu, general={"limit": 2, "window_ms": 1500})
    for _ in range(2):
        resp, _ = emu.get("/organizations")
        assert resp.status_code == 200
    resp, body = emu.get("/organizations")
    assert resp.status_code == 429
    assert body == {"code": "rate_limit_exceeded", "message": "Too many requests."}
    assert resp.headers["Retry-After"] in ("1", "2")
    # A refused request uses no quota: the window frees up on time.
    time.sleep(1.6)
    resp, _ = emu.get("/organizations")
    assert resp.status_code == 200
    state = emu.control("GET", "/rate_limits")
    assert (state["checked"], state["over_limit"]) == (4, 1)
    # The audit log documents its own 429 body; the same one.
    org_requests = limits(emu, general={"limit": 1})
    assert org_requests["checked"] == 0
    resp, _ = emu.get("/organizations")
    resp, body = emu.post("/audit_logs/events", json={})
    assert resp.status_code == 429 and body["code"] == "rate_limit_exceeded"


def test_writes_budget_and_count_only_mode(emu):
    limits(emu, enforce=False, user_management_writes={"limit": 2})
    for i in range(4):
        resp, _ = emu.post("/user_management/users", json={"email": f"u{i}@example.com"})
        assert resp.status_code == 201
    state = emu.control("GET", "/rate_limits")
    assert (state["enforce"], state["over_limit"]) == (False, 2)
    assert rule(state, "user_management_writes")["over_limit"] == 2
    assert rule(state, "user_management_reads")["over_limit"] == 0

    # Bad configurations are refused and leave the state alone.
    resp = emu.http.put(emu.base + "/__emulator/rate_limits", json={"rules": {"nope": {}}})
    assert resp.status_code == 400
    resp = emu.http.put(emu.base + "/__emulator/rate_limits", json={"rules": {"general": {"limit": 0}}})
    assert resp.status_code == 400
    assert emu.control("GET", "/rate_limits")["over_limit"] == 2

    resp = emu.http.delete(emu.base + "/__emulator/rate_limits")
    assert resp.status_code == 204
    assert emu.control("GET", "/rate_limits")["enabled"] is False


def test_latency_and_reset(emu):
    emu.control("PUT", "/config", json={"latency_ms": 120})
    assert emu.control("GET", "/config")["latency_ms"] == 120
    limits(emu)
    started = time.monotonic()
    resp, _ = authenticate(emu, grant_type="password", email="x@example.com", password="x")
    assert resp.status_code == 400
    assert time.monotonic() - started >= 0.12
    resp = emu.http.put(emu.base + "/__emulator/config", json={"latency_ms": -1})
    assert resp.status_code == 400

    # Reset turns both off.
    emu.control("POST", "/reset")
    assert emu.control("GET", "/config")["latency_ms"] == 0
    assert emu.control("GET", "/rate_limits")["enabled"] is False
