"""The optional outgoing webhook: each new ticket POSTed as JSON, signed, with retries.

For helpdesks (Zendesk, Freshdesk, Chatwoot) that take tickets by webhook. The
body is signed with HMAC-SHA256 over the exact bytes sent, in the header
`X-Svar-Signature: sha256=<hex>`, so the receiver can check it came from us.
Delivery runs as a background task and never delays the customer's reply.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Svar-Signature"
ATTEMPTS = 4
FIRST_DELAY = 0.5  # seconds; doubles after each failure

_tasks: set[asyncio.Task[bool]] = set()


def sign(secret: str | None, body: bytes) -> str:
    key = (secret or "").encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


async def deliver(
    url: str,
    secret: str | None,
    payload: dict[str, Any],
    attempts: int = ATTEMPTS,
    first_delay: float = FIRST_DELAY,
) -> bool:
    """POST until a 2xx, backing off exponentially; False when every attempt failed."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(secret, body)}
    delay = first_delay
    async with httpx.AsyncClient(timeout=10) as client:
        for attempt in range(1, attempts + 1):
            try:
                response = await client.post(url, content=body, headers=headers)
                if response.is_success:
                    return True
                logger.warning("webhook attempt %d: HTTP %d", attempt, response.status_code)
            except httpx.HTTPError as exc:
                logger.warning("webhook attempt %d: %s", attempt, exc.__class__.__name__)
            if attempt < attempts:
                await asyncio.sleep(delay)
                delay *= 2
    logger.error("webhook gave up after %d attempts", attempts)
    return False


def schedule(url: str, secret: str | None, payload: dict[str, Any]) -> None:
    """Deliver in the background on the running loop (or a thread's own loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(deliver(url, secret, payload))
        return
    task = loop.create_task(deliver(url, secret, payload))
    _tasks.add(task)  # keep a reference until it finishes
    task.add_done_callback(_tasks.discard)
