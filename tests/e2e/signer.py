"""Signs webhook deliveries the way WorkOS does: t=<unix ms>, v1=hex(HMAC-SHA256(secret, "<t>.<body>"))."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid


def signature(body: bytes, secret: str, t_ms: int | None = None) -> str:
    t_ms = int(time.time() * 1000) if t_ms is None else t_ms
    mac = hmac.new(secret.encode(), f"{t_ms}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t_ms}, v1={mac}"


def event(kind: str, data: dict) -> bytes:
    return json.dumps(
        {"id": "event_" + uuid.uuid4().hex.upper()[:26], "event": kind, "data": data,
         "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
    ).encode()
