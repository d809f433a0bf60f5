"""The privacy API under /api/privacy/: export and erase one person's data, admins only.

The same calls as `bot privacy export|erase`, for a helpdesk or a DPO's tooling.
Every route needs the `admin` role (an account with it, or an integration token
that lists it): agents and editors, and the older console token, are refused.
The person is named in a JSON body, never in the URL, so that no access log or
proxy keeps the id.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from bot.handoff.clock import now
from bot.privacy.access import erase, export
from bot.privacy.schedule import status
from bot.privacy.subjects import SubjectError, requested
from bot.privacy.tracker import TrackerStore
from bot.runtime import Runtime
from bot.web.auth import requires

logger = logging.getLogger(__name__)
privacy_api = Blueprint("privacy_api", url_prefix="/api/privacy")


@privacy_api.exception(SubjectError)
async def _bad_subject(request: Request, exc: Exception) -> HTTPResponse:
    return json({"error": str(exc)}, status=400)


def _subject(request: Request) -> tuple[str, str]:
    body = request.json if isinstance(request.json, dict) else {}
    customer, sender = body.get("customer_id"), body.get("sender_id")
    return requested(
        customer if isinstance(customer, str) else None,
        sender if isinstance(sender, str) else None,
    )


@privacy_api.get("/status")
@requires("admin")
async def retention_status(request: Request) -> HTTPResponse:
    """The retention limits in force and the last purge's time and counts."""
    rt: Runtime = request.app.ctx.runtime
    return json(await asyncio.to_thread(status, rt.db, rt.settings))


@privacy_api.post("/export")
@requires("admin")
async def export_subject(request: Request) -> HTTPResponse:
    """Everything held about one customer or sender, as JSON (GDPR article 15)."""
    kind, subject_id = _subject(request)
    rt: Runtime = request.app.ctx.runtime
    document = await asyncio.to_thread(_export, rt, kind, subject_id)
    logger.info("privacy: export of a %s by %s", kind, request.ctx.user.name)
    return json(document)


@privacy_api.post("/erase")
@requires("admin")
async def erase_subject(request: Request) -> HTTPResponse:
    """Remove one customer or sender from every store (GDPR article 17); the audit remains."""
    kind, subject_id = _subject(request)
    body = request.json if isinstance(request.json, dict) else {}
    reference = body.get("request") if isinstance(body.get("request"), str) else None
    rt: Runtime = request.app.ctx.runtime
    counts = await asyncio.to_thread(_erase, rt, kind, subject_id, request.ctx.user.name, reference)
    return json({"erased": counts})


def _export(rt: Runtime, kind: str, subject_id: str) -> dict[str, Any]:
    store = TrackerStore(rt.settings.tracker_url)
    try:
        return export(rt.db, store, kind, subject_id, now(rt.settings))
    finally:
        store.dispose()


def _erase(
    rt: Runtime, kind: str, subject_id: str, actor: str, reference: str | None
) -> dict[str, int]:
    store = TrackerStore(rt.settings.tracker_url)
    try:
        return erase(rt.db, store, kind, subject_id, actor, reference, now(rt.settings))
    finally:
        store.dispose()
