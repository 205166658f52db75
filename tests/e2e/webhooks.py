"""Helpers that build WorkOS event payloads (shapes from WorkOS's OpenAPI spec) and deliver them signed."""

from __future__ import annotations

import json
import time
import uuid

import requests

from signer import signature

HOOK = "/wp-json/workos/v1/webhook"


def iso(ms: int | None = None) -> str:
    ms = int(time.time() * 1000) if ms is None else ms
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def uid(prefix: str) -> str:
    return f"{prefix}_" + uuid.uuid4().hex.upper()[:26]


def envelope(kind: str, data: dict, event_id: str | None = None, created_ms: int | None = None) -> dict:
    return {"object": "event", "id": event_id or uid("event"), "event": kind, "data": data, "created_at": iso(created_ms)}


def deliver(wp_url: str, secret: str, event: dict) -> requests.Response:
    body = json.dumps(event).encode()
    return requests.post(wp_url + HOOK, data=body, timeout=30,
                         headers={"Content-Type": "application/json", "WorkOS-Signature": signature(body, secret)})


def workos_user(user_id: str, email: str, first="Ada", last="Lovelace", verified=True, updated_ms=None) -> dict:
    return {"object": "user", "id": user_id, "email": email, "first_name": first, "last_name": last,
            "email_verified": verified, "profile_picture_url": None, "last_sign_in_at": None, "external_id": None,
            "metadata": {}, "created_at": iso(0), "updated_at": iso(updated_ms)}


def directory_user(du_id: str, email: str, org_id: str, first="Dee", last="Rectory", state="active", groups=None,
                   updated_ms=None, directory_id="directory_01TEST") -> dict:
    return {"object": "directory_user", "id": du_id, "directory_id": directory_id, "organization_id": org_id,
            "idp_id": du_id.lower(), "emails": [{"primary": True, "type": "work", "value": email}],
            "first_name": first, "last_name": last, "email": email, "state": state,
            "custom_attributes": {}, "raw_attributes": {}, "groups": groups or [],
            "created_at": iso(0), "updated_at": iso(updated_ms)}


def directory_group(group_id: str, name: str, org_id: str, directory_id="directory_01TEST") -> dict:
    return {"object": "directory_group", "id": group_id, "idp_id": group_id.lower(), "directory_id": directory_id,
            "organization_id": org_id, "name": name, "created_at": iso(0), "updated_at": iso(0), "raw_attributes": {}}


def directory(directory_id: str, org_id: str, state="active", updated_ms=None) -> dict:
    """The directory object of dsync.activated / dsync.deleted: which organization it belongs to."""
    return {"object": "directory", "id": directory_id, "organization_id": org_id, "type": "okta scim v2.0",
            "state": state, "name": "Okta", "external_key": directory_id.lower(), "domains": [],
            "created_at": iso(0), "updated_at": iso(updated_ms)}


def organization(org_id: str, name: str, domains=()) -> dict:
    return {"object": "organization", "id": org_id, "name": name, "allow_profiles_outside_organization": False,
            "domains": [{"object": "organization_domain", "id": uid("org_domain"), "domain": d, "state": "verified"}
                        for d in domains],
            "metadata": {}, "external_id": None, "created_at": iso(0), "updated_at": iso()}


def membership(om_id: str, user_id: str, org_id: str, role="member", status="active", updated_ms=None) -> dict:
    return {"object": "organization_membership", "id": om_id, "user_id": user_id, "organization_id": org_id,
            "organization_name": "Org", "status": status, "role": {"slug": role}, "roles": [{"slug": role}],
            "custom_attributes": {}, "directory_managed": False, "created_at": iso(0), "updated_at": iso(updated_ms)}


def connection(conn_id: str, org_id: str, state="active") -> dict:
    return {"object": "connection", "id": conn_id, "organization_id": org_id, "connection_type": "GenericSAML",
            "name": "Okta", "state": state, "domains": [], "created_at": iso(0), "updated_at": iso()}
