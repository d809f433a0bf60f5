"""How Meta and Twilio sign their webhooks, written from their documentation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def meta_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def hub_signature(secret: str, body: bytes) -> str:
    """X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by the sorted params."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
