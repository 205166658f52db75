"""The conformance check must be able to fail: feed it broken bodies."""

import copy
import json

import pytest

from openapi_check import ConformanceError
from helpers import PASSWORD, password_grant


class FakeResponse:
    def __init__(self, method, path, status, body, content_type="application/json"):
        self.status_code = status
        self.headers = {"content-type": content_type}
        self._body = body
        self.text = json.dumps(body)
        self.request = type("Req", (), {"method": method, "url": "http://emulator" + path})()

    def json(self):
        return self._body


@pytest.fixture
def user_body(emu):
    resp, body = emu.post(
        "/user_management/users", json={"email": "self@example.com", "password": PASSWORD, "email_verified": True}
    )
    assert resp.status_code == 201
    return body


def test_real_body_passes(checker, user_body):
    checker.check(FakeResponse("GET", f"/user_management/users/{user_body['id']}", 200, user_body))


@pytest.mark.parametrize("field", ["email", "id", "object", "created_at", "email_verified", "last_sign_in_at"])
def test_missing_required_field_fails(checker, user_body, field):
    broken = copy.deepcopy(user_body)
    del broken[field]
    with pytest.raises(ConformanceError, match=field):
        checker.check(FakeResponse("GET", f"/user_management/users/{user_body['id']}", 200, broken))


@pytest.mark.parametrize(
    "change",
    [
        {"object": "person"},
        {"email_verified": "yes"},
        {"created_at": "yesterday"},
        {"first_name": 42},
    ],
)
def test_wrong_values_fail(checker, user_body, change):
    broken = {**user_body, **change}
    with pytest.raises(ConformanceError):
        checker.check(FakeResponse("GET", f"/user_management/users/{user_body['id']}", 200, broken))


def test_nested_refs_are_checked(emu, checker, user_body):
    resp, body = password_grant(emu, "self@example.com")
    assert resp.status_code == 200
    broken = copy.deepcopy(body)
    del broken["user"]["email"]
    with pytest.raises(ConformanceError, match="email"):
        checker.check(FakeResponse("POST", "/user_management/authenticate", 200, broken))
    del body["access_token"]
    with pytest.raises(ConformanceError, match="access_token"):
        checker.check(FakeResponse("POST", "/user_management/authenticate", 200, body))


def test_membership_role_must_be_an_object(emu, checker, user_body):
    _, org = emu.post("/organizations", json={"name": "Self"})
    resp, m = emu.post(
        "/user_management/organization_memberships",
        json={"user_id": user_body["id"], "organization_id": org["id"]},
    )
    assert resp.status_code == 201
    broken = {**m, "role": "member"}
    with pytest.raises(ConformanceError, match="role"):
        checker.check(FakeResponse("GET", f"/user_management/organization_memberships/{m['id']}", 200, broken))


def test_error_shapes_are_checked(checker):
    path = "/user_management/authenticate"
    checker.check(FakeResponse("POST", path, 400, {"error": "invalid_grant", "error_description": "x"}))
    with pytest.raises(ConformanceError):
        checker.check(FakeResponse("POST", path, 400, {"error": "invalid_grant"}))
    with pytest.raises(ConformanceError):
        checker.check(FakeResponse("POST", path, 400, {"code": "not_a_documented_code", "message": "x"}))
    with pytest.raises(ConformanceError):
        checker.check(FakeResponse("POST", path, 403, {"code": "mfa_challenge"}))


def test_undocumented_status_and_content_type_fail(checker):
    with pytest.raises(ConformanceError, match="does not document"):
        checker.check(FakeResponse("GET", "/user_management/users", 418, {"message": "teapot"}))
    with pytest.raises(ConformanceError, match="JSON"):
        checker.check(FakeResponse("GET", "/organizations", 200, {}, content_type="text/html"))
    with pytest.raises(ConformanceError, match="no path"):
        checker.check(FakeResponse("GET", "/not/a/workos/path", 200, {}))
