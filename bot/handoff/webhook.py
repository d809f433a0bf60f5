"""The optional outgoing webhook: each new ticket POSTed as JSON, from a durable outbox.

For helpdesks (Zendesk, Freshdesk, Chatwoot) that take tickets by webhook. Messages
follow the Standard Webhooks scheme (standardwebhooks.com): headers `webhook-id`
(the same on every attempt, so the receiver can drop duplicates), `webhook-timestamp`
(seconds; receivers refuse stale ones, so a captured request cannot be replayed later)
and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The secret is
`BOT_HANDOFF_WEBHOOK_SECRET`: a `whsec_<base64>` secret as the scheme issues them, or
any other string, used as the key bytes. A URL without a secret refuses to start.

A message is written to the `webhook_outbox` table first (it survives restarts), then
delivered by a background worker: a 2xx delivers it; a 4xx other than 408 and 429 will
never succeed and fails it at once; anything else is retried with exponential backoff
and full jitter, up to `ATTEMPTS`. Delivery never delays the customer's reply.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import random
import time
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, select, update

from bot.storage import Database
from bot.storage.models import utcnow
from bot.storage.security_models import WebhookDelivery

logger = logging.getLogger(__name__)
ATTEMPTS = 8
FIRST_DELAY = 0.5  # seconds; the backoff doubles after each failure, with full jitter
MAX_DELAY = 600.0
POLL_SECONDS = 0.5
LEASE_SECONDS = 30  # longer than one POST (10 s timeout)
RETRYABLE_4XX = frozenset({408, 429})

_wake: asyncio.Event | None = None
_wake_loop: asyncio.AbstractEventLoop | None = None


def signing_key(secret: str) -> bytes:
    """The HMAC key: a `whsec_` secret's base64 bytes, any other secret's own bytes."""
    if secret.startswith("whsec_"):
        return base64.b64decode(secret.removeprefix("whsec_"))
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one message (Standard Webhooks, v1)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The JSON and Standard Webhooks headers of one delivery
    attempt; `timestamp` defaults to now.
    """
    when = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(when),
        "webhook-signature": sign(secret, msg_id, when, body),
    }


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (and the tests): signature and a fresh timestamp."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        when = int(lowered["webhook-timestamp"])
        expected = sign(secret, lowered["webhook-id"], when, body).encode()
    except (KeyError, ValueError):
        return False
    if abs(time.time() - when) > tolerance:
        return False
    given = lowered.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, g.encode()) for g in given)


def backoff(attempt: int, first: float = FIRST_DELAY) -> float:
    """Full jitter: uniform in [0, first * 2^(attempt-1)], capped."""
    return random.uniform(0, min(MAX_DELAY, first * 2 ** (attempt - 1)))


def enqueue(db: Database, url: str, payload: dict[str, Any]) -> str:
    """Write the message to the outbox and wake the delivery worker; the returned id is the
    `webhook-id` of every attempt.
    """
    msg_id = f"msg_{uuid.uuid4().hex}"
    with db.session() as session:
        session.add(WebhookDelivery(id=msg_id, url=url, payload=payload, status="pending"))
    if _wake is not None and _wake_loop is not None and not _wake_loop.is_closed():
        _wake_loop.call_soon_threadsafe(_wake.set)
    return msg_id


async def attempt(
    client: httpx.AsyncClient, secret: str, row: WebhookDelivery
) -> tuple[str, int | None]:
    """One POST; the row's next status ("delivered", "failed", "pending") and HTTP status."""
    body = json.dumps(row.payload, ensure_ascii=False, sort_keys=True).encode()
    try:
        response = await client.post(row.url, content=body, headers=headers(secret, row.id, body))
    except httpx.HTTPError as exc:
        logger.warning("webhook %s attempt %d: %s", row.id, row.attempts + 1, type(exc).__name__)
        return "pending", None
    code = response.status_code
    if response.is_success:
        return "delivered", code
    logger.warning("webhook %s attempt %d: HTTP %d", row.id, row.attempts + 1, code)
    if 400 <= code < 500 and code not in RETRYABLE_4XX:
        return "failed", code
    return "pending", code


async def deliver_due(
    db: Database, secret: str, first_delay: float = FIRST_DELAY, now: datetime | None = None
) -> int:
    """Try every message that is due once; how many were tried."""
    when = now or utcnow()
    with db.session() as session:
        due = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= when)
            .order_by(WebhookDelivery.created_at)
            .limit(50)
        ).all()
    async with httpx.AsyncClient(timeout=10) as client:
        for row in due:
            if not _lease(db, row.id, when):
                continue  # another replica's worker has it
            status, code = await attempt(client, secret, row)
            _record(db, row.id, status, code, first_delay)
    return len(due)


def _lease(db: Database, msg_id: str, when: datetime) -> bool:
    """Take the message for one attempt, if no other replica's worker took it first.

    A conditional update: the worker whose UPDATE still finds it due wins; the lease
    (pushing the next attempt past one POST's timeout) also covers a worker that dies
    mid-attempt.
    """
    with db.session() as session:
        taken = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == msg_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= when,
            )
            .values(next_attempt_at=utcnow() + timedelta(seconds=LEASE_SECONDS))
        )
        return bool(cast(CursorResult[Any], taken).rowcount)


def _record(db: Database, msg_id: str, status: str, code: int | None, first_delay: float) -> None:
    with db.session() as session:
        row = session.get(WebhookDelivery, msg_id)
        if row is None:
            return
        row.attempts += 1
        row.last_status = code
        if status == "pending" and row.attempts >= ATTEMPTS:
            status = "failed"
            logger.error("webhook %s gave up after %d attempts", msg_id, row.attempts)
        row.status = status
        if status == "delivered":
            row.delivered_at = utcnow()
        elif status == "pending":
            row.next_attempt_at = utcnow() + timedelta(seconds=backoff(row.attempts, first_delay))


async def run_outbox(db: Database, secret: str, first_delay: float = FIRST_DELAY) -> None:
    """The background worker: deliver what is due, then sleep until woken or the next poll."""
    global _wake, _wake_loop
    _wake, _wake_loop = asyncio.Event(), asyncio.get_running_loop()
    while True:
        try:
            await deliver_due(db, secret, first_delay)
        except Exception:  # the worker must outlive a database or network hiccup
            logger.exception("webhook outbox pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_wake.wait(), POLL_SECONDS)
        _wake.clear()


def schedule(db: Database, url: str, payload: dict[str, Any]) -> str:
    """Put the message in the outbox; the worker (started with the service) delivers it."""
    return enqueue(db, url, payload)
