"""Issue 13: the webhook endpoint answers in the shape the reference plugin's senders expect (REFERENCE-API §6.4):
200 `{"ok": true}` for every accepted delivery, 400 `{"error": "Invalid event payload"}` for a signed body that is not
an event. Our own fields (received, event, outcome / duplicate, code) stay beside them, and exactly-once holds."""

from __future__ import annotations

import json

import requests

from signer import signature
from webhooks import HOOK, deliver, envelope, uid, workos_user


def post_signed(wp_url, secret, body: bytes, content_type="application/json") -> requests.Response:
    return requests.post(wp_url + HOOK, data=body, timeout=30,
                         headers={"Content-Type": content_type, "WorkOS-Signature": signature(body, secret)})


def test_an_applied_event_answers_ok(wp_url, env, wp_user):
    workos_id = uid("user")
    local = wp_user("shape" + workos_id[-6:].lower(), f"shape-{workos_id[-8:].lower()}@example.com", "x-Passw0rd-1",
                    workos_id=workos_id)
    event = envelope("user.updated", workos_user(workos_id, local["email"], first="Shaped"))
    r = deliver(wp_url, env["WEBHOOK_SECRET"], event)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    assert (body["received"], body["event"], body["outcome"]) == (True, "user.updated", "updated")

    # The same delivery again: still `ok` for the sender, applied once.
    again = deliver(wp_url, env["WEBHOOK_SECRET"], event)
    assert again.status_code == 200, again.text
    assert again.json()["ok"] is True and again.json()["duplicate"] is True
    assert "outcome" not in again.json()


def test_an_ignored_event_is_ok_too(wp_url, env):
    """Handler outcomes never change the answer (the reference acknowledges every verified event)."""
    r = deliver(wp_url, env["WEBHOOK_SECRET"], envelope("something.new", {"id": "x_1"}))
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["outcome"] == "ignored"


def test_a_signed_event_without_a_type_is_an_invalid_payload(wp_url, env):
    r = deliver(wp_url, env["WEBHOOK_SECRET"], {"id": uid("event"), "data": {"id": "user_1"}})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"] == "Invalid event payload"
    assert body["code"] == "workos_invalid_event" and body["data"]["status"] == 400
    assert "event type" in body["message"]


def test_a_signed_body_that_is_not_an_event_is_a_400_not_a_signature_failure(wp_url, env, wp_eval):
    """WorkOS signed it, so it is not refused as a forgery (401, counted against the sender): it is a bad payload."""
    rejected = ("global $wpdb; return (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$wpdb->base_prefix}workos_activity_log"
                " WHERE type = 'webhook_rejected'\");")
    before = wp_eval(rejected)
    # (Sent as JSON, a body that does not parse is refused by WordPress's REST server itself — 400
    # `rest_invalid_json` — before any route runs, for the reference plugin as for us; as text it reaches us.)
    for body, content_type in ((b"not json at all", "text/plain"), (b"[1, 2, 3]", "application/json"),
                               (json.dumps("a string").encode(), "application/json")):
        r = post_signed(wp_url, env["WEBHOOK_SECRET"], body, content_type)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"] == "Invalid event payload", r.text
        assert r.json()["code"] == "workos_invalid_event"
    assert wp_eval(rejected) == before


def test_the_same_bodies_unsigned_are_still_refused_as_forgeries(wp_url, env, wp_eval):
    """Only a sender holding the secret learns that its payload was bad."""
    # Forgeries are throttled per sender: start below the limit whatever ran before.
    wp_eval("global $wpdb; $wpdb->query('DELETE FROM ' . $wpdb->base_prefix . 'workos_rate_limits'); return true;")
    for body, content_type in ((b"not json at all", "text/plain"), (b"[1, 2, 3]", "application/json"),
                               (json.dumps({"id": uid("event"), "data": {}}).encode(), "application/json")):
        r = post_signed(wp_url, "whsec_not_the_secret", body, content_type)
        assert r.status_code == 401, r.text
        assert r.json()["code"] == "workos_invalid_signature"
        assert "error" not in r.json()
