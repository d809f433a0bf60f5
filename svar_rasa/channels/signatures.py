"""Webhook signature checks: Meta's X-Hub-Signature-256 and the widget's signed customer."""

import hashlib
import hmac
import time
from typing import Any, Dict, Optional, Text


def valid_hub_signature(app_secret: Text, body: bytes, header: Optional[Text]) -> bool:
    """Meta signs every webhook body with the app secret: `sha256=<hex HMAC-SHA256>`.

    An empty secret never validates, so a misconfigured deployment rejects
    everything rather than accepting forged messages.
    """
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :])


def same_secret(given: Any, expected: Text) -> bool:
    """A shared secret (a verify token) compared in constant time; an empty one never matches."""
    if not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def customer_signature(secret: Text, customer_id: Text, tier: Text, expires: int) -> Text:
    """What the company's site computes server-side for a logged-in customer."""
    message = f"{customer_id}|{tier}|{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verified_customer(
    secret: Optional[Text], customer: Any, now: Optional[float] = None
) -> Optional[Dict[Text, Text]]:
    """The customer id and tier, if the widget's `customer` object is signed and unexpired."""
    if not secret or not isinstance(customer, dict):
        return None
    customer_id, tier = str(customer.get("id") or ""), str(customer.get("tier") or "")
    try:
        expires = int(customer.get("expires") or 0)
    except (TypeError, ValueError):
        return None
    signature = str(customer.get("signature") or "")
    if "|" in customer_id + tier:  # the separator: no two customers may sign alike
        return None
    if not customer_id or expires < (now if now is not None else time.time()):
        return None
    expected = customer_signature(secret, customer_id, tier, expires)
    if not hmac.compare_digest(expected, signature):
        return None
    return {"customer_id": customer_id, "tier": tier or "standard"}
