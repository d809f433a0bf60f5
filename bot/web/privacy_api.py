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
from sanic.response import HTTPResponse

from bot.errors import StorageError
from bot.handoff.clock import now
from bot.privacy.access import erase, export
from bot.privacy.schedule import status
from bot.privacy.subjects import SubjectError, requested
from bot.privacy.tracker import TrackerStore
from bot.runtime import Runtime
from bot.web.contract import api, body, reply
from bot.web.models import Erased, EraseIn, OpenObject, PrivacyStatus, SubjectIn

logger = logging.getLogger(__name__)
privacy_api = Blueprint("privacy_api", url_prefix="/api/privacy")

SUBJECT_ERRORS = (SubjectError, StorageError)


@privacy_api.get("/status")
@api(
    "The retention limits in force and the last purge's time and counts",
    role="admin",
    response=PrivacyStatus,
)
async def retention_status(request: Request) -> HTTPResponse:
    """The retention limits in force and the last purge's time and counts."""
    rt: Runtime = request.app.ctx.runtime
    found = await asyncio.to_thread(status, rt.db, rt.settings)
    return reply(PrivacyStatus.model_validate(found))


@privacy_api.post("/export")
@api(
    "Everything held about one customer or sender (GDPR article 15)",
    role="admin",
    response=OpenObject,
    body=SubjectIn,
    errors=SUBJECT_ERRORS,
)
async def export_subject(request: Request) -> HTTPResponse:
    """Everything held about one customer or sender, as JSON (GDPR article 15)."""
    asked = body(request, SubjectIn)
    kind, subject_id = requested(asked.customer_id, asked.sender_id)
    rt: Runtime = request.app.ctx.runtime
    document = await asyncio.to_thread(_export, rt, kind, subject_id)
    logger.info("privacy: export of a %s by %s", kind, request.ctx.user.name)
    return reply(OpenObject(document))


@privacy_api.post("/erase")
@api(
    "Remove one customer or sender from every store (GDPR article 17); the audit remains",
    role="admin",
    response=Erased,
    body=EraseIn,
    errors=SUBJECT_ERRORS,
)
async def erase_subject(request: Request) -> HTTPResponse:
    """Remove one customer or sender from every store (GDPR article 17); the audit remains."""
    asked = body(request, EraseIn)
    kind, subject_id = requested(asked.customer_id, asked.sender_id)
    rt: Runtime = request.app.ctx.runtime
    actor = request.ctx.user.name
    counts = await asyncio.to_thread(_erase, rt, kind, subject_id, actor, asked.request)
    return reply(Erased(erased=counts))


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
