"""Directory Sync: the read API for directories, users and groups, and the
control API that plays the identity provider, with its `dsync.*` events."""

from helpers import assert_served_validated, events_named, new_org, validate_events, wait_quiet

SERVED = {
    ("get", "/directories"),
    ("get", "/directories/{id}"),
    ("delete", "/directories/{id}"),
    ("get", "/directory_users"),
    ("get", "/directory_users/{id}"),
    ("get", "/directory_groups"),
    ("get", "/directory_groups/{id}"),
}


def directory(emu, org, **kw):
    return emu.control("POST", "/directories", json={"organization_id": org["id"], **kw})


def test_directories(emu, receiver, checker):
    org = new_org(emu, "Acme", domain_data=[{"domain": "acme.test", "state": "verified"}])
    okta = directory(emu, org, name="Okta", type="okta scim v2.0", domain="acme.test")
    assert okta["state"] == "linked" and okta["type"] == "okta scim v2.0"
    assert okta["metadata"] == {"users": {"active": 0, "inactive": 0}, "groups": 0}
    draft = directory(emu, org, name="HR feed", state="inactive")
    assert draft["state"] == "unlinked"

    resp, got = emu.get(f"/directories/{okta['id']}")
    assert resp.status_code == 200 and got == okta
    resp, _ = emu.get("/directories/directory_missing")
    assert resp.status_code == 404

    resp, listed = emu.get("/directories", params={"organization_id": org["id"]})
    assert [d["id"] for d in listed["data"]] == [draft["id"], okta["id"]]
    resp, listed = emu.get("/directories", params={"search": "okt"})
    assert [d["id"] for d in listed["data"]] == [okta["id"]]
    resp, listed = emu.get("/directories", params={"domain": "acme.test", "limit": 1})
    assert [d["id"] for d in listed["data"]] == [okta["id"]]
    resp, _ = emu.get("/directories", params={"limit": 0})
    assert resp.status_code == 422

    updated = emu.control("PUT", f"/directories/{draft['id']}", json={"state": "active", "name": "HR"})
    assert (updated["state"], updated["name"]) == ("linked", "HR")

    resp, _ = emu.delete(f"/directories/{draft['id']}")
    assert resp.status_code == 200
    resp, _ = emu.delete(f"/directories/{draft['id']}")
    assert resp.status_code == 404
    for method, path in (("GET", "/directories"), ("GET", f"/directories/{okta['id']}"), ("DELETE", f"/directories/{okta['id']}")):
        resp, _ = emu.request(method, path, auth=False)
        assert resp.status_code == 401

    bad = emu.http.post(emu.base + "/__emulator/directories", json={"organization_id": org["id"], "type": "ldap"})
    assert bad.status_code == 400
    bad = emu.http.post(emu.base + "/__emulator/directories", json={"organization_id": "org_missing"})
    assert bad.status_code == 400

    wait_quiet(emu)
    dsync = [e for e in receiver.events() if e["event"].startswith("dsync.")]
    assert [(e["event"], e["data"]["id"]) for e in dsync] == [
        ("dsync.activated", okta["id"]),
        ("dsync.activated", draft["id"]),
        ("dsync.deleted", draft["id"]),
    ]
    assert dsync[0]["data"]["state"] == "active"
    assert [d["domain"] for d in dsync[0]["data"]["domains"]] == ["acme.test"]
    assert dsync[2]["data"]["state"] == "deleting"
    validate_events(receiver, checker)


def test_directory_users_and_groups(emu, receiver, checker):
    org = new_org(emu)
    d = directory(emu, org)
    other = directory(emu, org, name="Other")
    eng = emu.control("POST", "/directory_groups", json={"directory_id": d["id"], "name": "Engineering"})
    ops = emu.control("POST", "/directory_groups", json={"directory_id": d["id"], "name": "Ops", "idp_id": "g-ops"})
    assert eng["object"] == "directory_group" and eng["organization_id"] == org["id"]

    ada = emu.control(
        "POST",
        "/directory_users",
        json={
            "directory_id": d["id"],
            "emails": [{"value": "ada@acme.test", "primary": True}, {"value": "ada@home.test", "type": "home"}],
            "first_name": "Ada",
            "last_name": "Lovelace",
            "custom_attributes": {"department": "R&D"},
            "groups": [eng["id"]],
            "idp_id": "u-ada",
        },
    )
    assert ada["email"] == "ada@acme.test" and ada["username"] == "ada@acme.test"
    assert [g["id"] for g in ada["groups"]] == [eng["id"]]
    bob = emu.control("POST", "/directory_users", json={"directory_id": d["id"], "email": "bob@acme.test", "state": "inactive"})
    stray = emu.control("POST", "/directory_users", json={"directory_id": other["id"], "email": "x@other.test"})

    resp, got = emu.get(f"/directory_users/{ada['id']}")
    assert resp.status_code == 200 and got == ada
    resp, _ = emu.get("/directory_users/directory_user_missing")
    assert resp.status_code == 404
    resp, listed = emu.get("/directory_users", params={"directory": d["id"]})
    assert [u["id"] for u in listed["data"]] == [bob["id"], ada["id"]]
    resp, listed = emu.get("/directory_users", params={"group": eng["id"]})
    assert [u["id"] for u in listed["data"]] == [ada["id"]]
    resp, listed = emu.get("/directory_users", params={"directory": d["id"], "email": "BOB@acme.test"})
    assert [u["id"] for u in listed["data"]] == [bob["id"]]
    resp, listed = emu.get("/directory_users", params={"directory": d["id"], "idp_id": "u-ada"})
    assert [u["id"] for u in listed["data"]] == [ada["id"]]
    resp, err = emu.get("/directory_users")
    assert resp.status_code == 422 and err["message"]
    resp, _ = emu.get("/directory_users", params={"group": eng["id"], "email": "ada@acme.test"})
    assert resp.status_code == 422
    resp, _ = emu.get("/directory_users", params={"directory": "directory_missing"})
    assert resp.status_code == 404
    _, d_meta = emu.get(f"/directories/{d['id']}")
    assert d_meta["metadata"] == {"users": {"active": 1, "inactive": 1}, "groups": 2}

    resp, got = emu.get(f"/directory_groups/{ops['id']}")
    assert resp.status_code == 200 and got == ops
    resp, _ = emu.get("/directory_groups/directory_group_missing")
    assert resp.status_code == 404
    resp, listed = emu.get("/directory_groups", params={"directory": d["id"], "order": "asc"})
    assert [g["id"] for g in listed["data"]] == [eng["id"], ops["id"]]
    resp, listed = emu.get("/directory_groups", params={"user": ada["id"]})
    assert [g["id"] for g in listed["data"]] == [eng["id"]]
    resp, _ = emu.get("/directory_groups")
    assert resp.status_code == 422
    resp, _ = emu.get("/directory_groups", params={"user": "directory_user_missing"})
    assert resp.status_code == 404

    # The identity provider changes things.
    receiver.clear()
    emu.control("POST", f"/directory_groups/{ops['id']}/users", json={"user_id": ada["id"]})
    emu.control("DELETE", f"/directory_groups/{eng['id']}/users/{ada['id']}")
    changed = emu.control(
        "PUT", f"/directory_users/{ada['id']}", json={"last_name": "King", "state": "inactive", "groups": [eng["id"]]}
    )
    assert [g["id"] for g in changed["groups"]] == [eng["id"]]
    emu.control("PUT", f"/directory_groups/{eng['id']}", json={"name": "Eng"})
    emu.control("DELETE", f"/directory_users/{bob['id']}")
    emu.control("DELETE", f"/directory_groups/{ops['id']}")
    bad = emu.http.post(emu.base + f"/__emulator/directory_groups/{eng['id']}/users", json={"user_id": stray["id"]})
    assert bad.status_code == 400
    bad = emu.http.delete(emu.base + f"/__emulator/directory_groups/{ops['id']}/users/{ada['id']}")
    assert bad.status_code == 404

    wait_quiet(emu)
    seen = [e["event"] for e in receiver.events()]
    assert seen == [
        "dsync.group.user_added",
        "dsync.group.user_removed",
        "dsync.user.updated",
        "dsync.group.user_removed",
        "dsync.group.user_added",
        "dsync.group.updated",
        "dsync.user.deleted",
        "dsync.group.deleted",
    ], seen
    added = receiver.events()[0]["data"]
    assert (added["directory_id"], added["user"]["id"], added["group"]["id"]) == (d["id"], ada["id"], ops["id"])
    (user_updated,) = events_named(receiver, "dsync.user.updated")
    assert user_updated["data"]["previous_attributes"] == {"last_name": "Lovelace", "state": "active"}
    (group_updated,) = events_named(receiver, "dsync.group.updated")
    assert group_updated["data"]["previous_attributes"] == {"name": "Engineering"}
    validate_events(receiver, checker)


def test_directory_deletion_takes_its_users_and_groups(emu, receiver):
    org = new_org(emu)
    d = directory(emu, org)
    emu.control("POST", "/directory_groups", json={"directory_id": d["id"], "name": "G"})
    user = emu.control("POST", "/directory_users", json={"directory_id": d["id"], "email": "a@acme.test"})
    emu.control("DELETE", f"/directories/{d['id']}")
    resp, _ = emu.get(f"/directory_users/{user['id']}")
    assert resp.status_code == 404
    wait_quiet(emu)
    assert [e["event"] for e in receiver.events()] == [
        "organization.created",
        "dsync.activated",
        "dsync.group.created",
        "dsync.user.created",
        "dsync.deleted",
    ]


def test_every_served_endpoint_was_validated(request, checker):
    assert_served_validated(request, checker, SERVED)
