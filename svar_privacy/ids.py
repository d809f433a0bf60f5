"""A sender id as log lines show it: a keyed hash, never the id itself.

A sender id is often personal data in its own right (a WhatsApp sender id is the
customer's phone number). Log lines carry `log_id(sender)` instead: stable within a
deployment, so one conversation's lines can still be followed, and not reversible
without the key. A plain hash would not do: phone numbers are few enough to hash
them all. Both processes read the key from `SVAR_LOG_KEY` (set the same value on
both to follow a conversation across them); without it each process draws its own.
`bot privacy log-id SENDER` prints the value to grep for.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache

PREFIX = "s:"


@lru_cache(maxsize=1)
def _key() -> bytes:
    configured = os.environ.get("SVAR_LOG_KEY", "")
    return configured.encode() if configured else secrets.token_bytes(32)


def log_id(sender_id: object) -> str:
    """`s:` and 12 hex digits of HMAC-SHA256(key, sender id); "-" for none."""
    if sender_id is None or sender_id == "":
        return "-"
    digest = hmac.new(_key(), str(sender_id).encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:12]
