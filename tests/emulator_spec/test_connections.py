"""SSO connections: the read/delete API and the control routes that
activate and deactivate them, with their `connection.*` events."""

from helpers import assert_served_validated, new_org, validate_events, wait_quiet

SERVED = {
    ("get", "/connections"),
    ("get", "/connections/{id}"),
    ("delete", "/connections/{id}"),
}


def test_connections(emu, receiver, checker):
    org = new_org(emu)
    okta = emu.control(
        "POST",
        "/connections",
        json={"organization_id": org["id"], "name": "Okta", "connection_type": "OktaSAML", "domains": ["Acme.test"]},
    )
    assert (okta["object"], okta["state"], okta["status"]) == ("connection", "active", "linked")
    assert okta["domains"][0]["domain"] == "acme.test" and okta["id"].startswith("conn_")
    draft = emu.control("POST", "/connections", json={"organization_id": org["id"], "state": "draft"})
    assert (draft["connection_type"], draft["status"]) == ("GenericSAML", "unlinked")
    google = emu.control("POST", "/connections", json={"connection_type": "GoogleOAuth"})
    assert "organization_id" not in google

    resp, got = emu.get(f"/connections/{okta['id']}")
    assert resp.status_code == 200 and got == okta
    resp, _ = emu.get("/connections/conn_missing")
    assert resp.status_code == 404

    resp, listed = emu.get("/connections", params={"organization_id": org["id"]})
    assert [c["id"] for c in listed["data"]] == [draft["id"], okta["id"]]
    resp, listed = emu.get("/connections", params={"connection_type": "GoogleOAuth"})
    assert [c["id"] for c in listed["data"]] == [google["id"]]
    resp, listed = emu.get("/connections", params={"domain": "acme.test"})
    assert [c["id"] for c in listed["data"]] == [okta["id"]]
    resp, listed = emu.get("/connections", params={"search": "OKT", "limit": 1})
    assert [c["id"] for c in listed["data"]] == [okta["id"]]
    resp, _ = emu.get("/connections", params={"order": "sideways"})
    assert resp.status_code == 422

    off = emu.control("POST", f"/connections/{okta['id']}/deactivate")
    assert (off["state"], off["status"]) == ("inactive", "unlinked")
    emu.control("POST", f"/connections/{okta['id']}/deactivate")  # no change, no event
    on = emu.control("POST", f"/connections/{draft['id']}/activate")
    assert on["state"] == "active"
    assert emu.http.post(emu.base + "/__emulator/connections/conn_missing/activate").status_code == 404
    bad = emu.http.post(emu.base + "/__emulator/connections", json={"connection_type": "CarrierPigeon"})
    assert bad.status_code == 400

    resp, _ = emu.delete(f"/connections/{okta['id']}")
    assert resp.status_code == 204
    resp, _ = emu.delete(f"/connections/{okta['id']}")
    assert resp.status_code == 404
    for method, path in (("GET", "/connections"), ("GET", f"/connections/{draft['id']}"), ("DELETE", f"/connections/{draft['id']}")):
        resp, _ = emu.request(method, path, auth=False)
        assert resp.status_code == 401

    wait_quiet(emu)
    conn = [e for e in receiver.events() if e["event"].startswith("connection.")]
    assert [(e["event"], e["data"]["id"]) for e in conn] == [
        ("connection.activated", okta["id"]),
        ("connection.activated", google["id"]),
        ("connection.deactivated", okta["id"]),
        ("connection.activated", draft["id"]),
        ("connection.deleted", okta["id"]),
    ]
    assert conn[0]["data"]["external_key"]
    validate_events(receiver, checker)


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
