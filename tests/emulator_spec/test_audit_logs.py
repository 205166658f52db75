"""Audit Logs: event ingestion with idempotency keys, validation errors in
the spec's two shapes, faults, and the control listing."""

import copy

from conftest import API_KEY
from helpers import assert_served_validated, new_org

SERVED = {("post", "/audit_logs/events")}
PATH = "/audit_logs/events"


def event(**changes):
    e = {
        "action": "user.signed_in",
        "occurred_at": "2024-05-01T12:00:00.000Z",
        "actor": {"id": "user_1", "type": "user", "name": "Ada", "metadata": {"role": "admin"}},
        "targets": [{"id": "team_1", "type": "team", "metadata": {"size": 3, "public": False}}],
        "context": {"location": "203.0.113.9", "user_agent": "pytest"},
        "metadata": {"source": "wordpress"},
        "version": 1,
    }
    e.update(changes)
    return {k: v for k, v in e.items() if v is not None}


def test_audit_log_events_and_idempotency(emu):
    org = new_org(emu)
    body = {"organization_id": org["id"], "event": event()}
    resp, ok = emu.post(PATH, json=body, headers={"Idempotency-Key": "key-1"})
    assert (resp.status_code, ok) == (200, {"success": True})
    resp, again = emu.post(PATH, json=body, headers={"Idempotency-Key": "key-1"})
    assert (resp.status_code, again) == (200, {"success": True})
    minimal = {"organization_id": org["id"], "event": event(metadata=None, version=None)}
    minimal["event"]["context"] = {"location": "here"}
    resp, _ = emu.post(PATH, json=minimal)
    assert resp.status_code == 200

    stored = emu.control("GET", "/audit_logs")["data"]
    assert len(stored) == 2
    assert stored[0]["event"] == body["event"]
    assert (stored[0]["organization_id"], stored[0]["idempotency_key"], stored[0]["replays"]) == (
        org["id"],
        "key-1",
        1,
    )
    assert stored[1]["idempotency_key"] is None
    assert stored[0]["id"].startswith("audit_log_event_")
    only = emu.control("GET", "/audit_logs", params={"action": "nothing.happened"})["data"]
    assert only == []
    only = emu.control("GET", "/audit_logs", params={"organization_id": org["id"]})["data"]
    assert len(only) == 2

    emu.control("DELETE", "/audit_logs")
    assert emu.control("GET", "/audit_logs")["data"] == []


def test_audit_log_validation(emu):
    org = new_org(emu)

    resp, err = emu.post(PATH, json={})
    assert resp.status_code == 422
    assert {e["field"] for e in err["errors"]} == {"organization_id", "event"}

    broken = event(action=None, occurred_at="yesterday", targets=[{"id": "t"}])
    broken["actor"] = {"type": "user"}
    broken["context"] = {}
    resp, err = emu.post(PATH, json={"organization_id": org["id"], "event": broken})
    assert resp.status_code == 422
    assert err["message"] == "Validation failed."
    assert {(e["field"], e["code"]) for e in err["errors"]} == {
        ("event.action", "required"),
        ("event.occurred_at", "invalid_date"),
        ("event.actor.id", "required"),
        ("event.targets.0.type", "required"),
        ("event.context.location", "required"),
    }

    resp, err = emu.post(PATH, json={"organization_id": "org_missing", "event": event()})
    assert resp.status_code == 404
    assert err["message"] == "Organization not found: 'org_missing'."

    bad = event(metadata={"nested": {"no": 1}})
    bad["targets"][0]["metadata"] = {"x" * 41: "too long a key"}
    resp, err = emu.post(PATH, json={"organization_id": org["id"], "event": bad})
    assert (resp.status_code, err["code"]) == (400, "invalid_audit_log_event")
    assert [e["instancePath"] for e in err["errors"]] == ["/metadata", "/targets/0/metadata"]

    resp, _ = emu.post(PATH, json={"organization_id": org["id"], "event": event()}, auth=False)
    assert resp.status_code == 401
    assert emu.control("GET", "/audit_logs")["data"] == []


def test_audit_log_faults_and_retry(emu):
    org = new_org(emu)
    emu.control("POST", "/faults", json={"method": "POST", "path": PATH, "status": 503, "body": {"message": "busy"}})
    body = {"organization_id": org["id"], "event": event()}
    resp = emu.http.post(
        emu.base + PATH,
        json=body,
        headers={"Authorization": f"Bearer {API_KEY}", "Idempotency-Key": "retry-1"},
    )
    assert resp.status_code == 503
    assert emu.control("GET", "/audit_logs")["data"] == []
    # The retry with the same key is the first request WorkOS actually saw.
    resp, ok = emu.post(PATH, json=body, headers={"Idempotency-Key": "retry-1"})
    assert (resp.status_code, ok) == (200, {"success": True})
    resp, ok = emu.post(PATH, json=copy.deepcopy(body), headers={"Idempotency-Key": "retry-1"})
    assert resp.status_code == 200
    (stored,) = emu.control("GET", "/audit_logs")["data"]
    assert stored["replays"] == 1
    log = [r for r in emu.control("GET", "/requests")["data"] if r["path"] == PATH]
    assert [r["status"] for r in log] == [503, 200, 200]
    assert log[0]["headers"]["idempotency-key"] == "retry-1" and log[0]["fault_id"]


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
