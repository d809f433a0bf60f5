"""JSON API for content editors: the gap list, resolving gaps, notices, coverage, analytics.

Every route needs the `editor` role (a console user, or the integration token).
Writing the KB and rebuilding the index take seconds, so they run in a thread.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, text

from bot.errors import BotError
from bot.gaps.analytics import weekly_analytics
from bot.gaps.cluster import recluster
from bot.gaps.conflicts import conflict_json, conflicts_of
from bot.gaps.drafts import Approval, approve_draft, drafts_for_gap, reject_draft
from bot.gaps.report import GapFilter, gap_detail, gap_rows, rows_to_csv
from bot.gaps.resolve import (
    STATUSES,
    GapNotFound,
    answer_with_alternatives,
    answer_with_entry,
    republish,
    set_status,
)
from bot.gaps.turns import sweep_abandoned
from bot.gaps.vectors import searcher_embedder
from bot.handoff.clock import now as clock_now
from bot.kb.editing import NewEntry, Translation, coverage
from bot.notices.store import NoticeDraft, NoticeError, create_notice, end_notice, list_notices
from bot.runtime import Runtime
from bot.web.auth import requires

logger = logging.getLogger(__name__)
editor_api = Blueprint("editor_api", url_prefix="/api")


class BadRequest(BotError):
    """The request body is not what the route takes."""


def _rt(request: Request) -> Runtime:
    runtime: Runtime = request.app.ctx.runtime
    return runtime


def gap_filter(request: Request) -> GapFilter:
    status = request.args.get("status", "open")
    return GapFilter(
        status=None if status == "all" else status,
        lang=request.args.get("lang") or None,
        team=request.args.get("team") or None,
        kind=request.args.get("kind") or None,
        limit=bounded_int(request, "limit", 200, 1, 1000),
    )


def bounded_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A whole-number query argument within [low, high], or a 400 naming it."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"{name}: a whole number from {low} to {high}")
    return int(raw)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _objects(body: dict[str, Any], name: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """`body[name]` as a list of objects that have string `fields`, or a 400 naming the field."""
    items = body.get(name) or []
    if not isinstance(items, list):
        raise BadRequest(f"{name}: a list is required")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRequest(f"{name}[{i}]: an object is required")
        for field in fields:
            if not isinstance(item.get(field), str):
                raise BadRequest(f"{name}[{i}].{field}: a string is required")
    return items


def _body(request: Request) -> dict[str, Any]:
    body = request.json
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    return body


@editor_api.exception(GapNotFound)
async def _not_found(request: Request, exc: Exception) -> HTTPResponse:
    return json({"error": str(exc)}, status=404)


@editor_api.exception(BotError, ValueError)
async def _rejected(request: Request, exc: Exception) -> HTTPResponse:
    return json({"error": str(exc)}, status=400)


@editor_api.get("/gaps")
@requires("editor")
async def list_gaps(request: Request) -> HTTPResponse:
    rt = _rt(request)
    await asyncio.to_thread(sweep_abandoned, rt.db, searcher_embedder(rt.index.searcher()))
    rows = await asyncio.to_thread(gap_rows, rt.db, gap_filter(request))
    return json({"gaps": rows, "count": len(rows)})


@editor_api.get("/gaps.csv")
@requires("editor")
async def gaps_csv(request: Request) -> HTTPResponse:
    rows = await asyncio.to_thread(gap_rows, _rt(request).db, gap_filter(request))
    return text(
        rows_to_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="gaps.csv"'},
    )


@editor_api.get("/gaps/<gap_id:int>")
@requires("editor")
async def show_gap(request: Request, gap_id: int) -> HTTPResponse:
    detail = await asyncio.to_thread(gap_detail, _rt(request).db, gap_id)
    if detail is None:
        raise GapNotFound(gap_id)
    return json(detail)


@editor_api.post("/gaps/<gap_id:int>/alternatives")
@requires("editor")
async def add_gap_alternatives(request: Request, gap_id: int) -> HTTPResponse:
    body, rt = _body(request), _rt(request)
    faq_id = str(body.get("faq_id") or "")
    chosen = None
    if body.get("phrasings") is not None:
        phrasings = _objects(body, "phrasings", ("text",))
        chosen = [(str(p["text"]), p.get("lang")) for p in phrasings if p["text"]]
    await asyncio.to_thread(answer_with_alternatives, rt.db, rt.settings, gap_id, faq_id, chosen)
    _republish_soon(request)
    return json({"gap_id": gap_id, "status": "answered", "index": "rebuilding"}, status=202)


@editor_api.post("/gaps/<gap_id:int>/entry")
@requires("editor")
async def add_gap_entry(request: Request, gap_id: int) -> HTTPResponse:
    body, rt = _body(request), _rt(request)
    translations = tuple(
        Translation(
            lang=str(t["lang"]),
            question=str(t["question"]),
            answer=str(t["answer"]),
            alternatives=tuple(str(a) for a in _list(t.get("alternatives")) if str(a).strip()),
        )
        for t in _objects(body, "translations", ("lang", "question", "answer"))
        if t["question"].strip() and t["answer"].strip()
    )
    entry = NewEntry(
        id=str(body.get("id") or ""),
        translations=translations,
        team=body.get("team") or None,
        url=body.get("url") or None,
    )
    await asyncio.to_thread(answer_with_entry, rt.db, rt.settings, gap_id, entry)
    _republish_soon(request)
    return json({"gap_id": gap_id, "status": "answered", "index": "rebuilding"}, status=202)


def _republish_soon(request: Request) -> None:
    """Rebuild the index after the response: a build can outlast an HTTP timeout."""
    rt = _rt(request)
    searcher = rt.index.searcher()

    async def rebuild() -> None:
        try:
            await asyncio.to_thread(republish, rt.settings, searcher.encoder, searcher.index)
        except BotError:
            logger.exception("index rebuild after an edit failed")

    request.app.add_task(rebuild())


@editor_api.get("/gaps/<gap_id:int>/drafts")
@requires("editor")
async def gap_drafts(request: Request, gap_id: int) -> HTTPResponse:
    rt = _rt(request)
    found = await asyncio.to_thread(drafts_for_gap, rt.db, gap_id, rt.settings.languages)
    return json({"gap_id": gap_id, "drafts": found})


@editor_api.post("/gaps/<gap_id:int>/drafts/<draft_id:int>/approve")
@requires("editor")
async def approve_gap_draft(request: Request, gap_id: int, draft_id: int) -> HTTPResponse:
    """The editor's edited draft becomes a KB entry; nothing is written without this call."""
    body, rt = _body(request), _rt(request)
    approval = Approval(
        faq_id=str(body.get("id") or ""),
        question=str(body.get("question") or ""),
        answer=str(body.get("answer") or ""),
        alternatives=tuple(str(a) for a in _list(body.get("alternatives"))),
        team=_text_or_none(body.get("team")),
        url=_text_or_none(body.get("url")),
    )
    if not approval.question.strip() or not approval.answer.strip():
        raise BadRequest("question and answer are required")
    user = request.ctx.user.name
    await asyncio.to_thread(approve_draft, rt.db, rt.settings, gap_id, draft_id, approval, user)
    _republish_soon(request)
    return json(
        {"gap_id": gap_id, "draft_id": draft_id, "status": "approved", "index": "rebuilding"},
        status=202,
    )


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


@editor_api.post("/gaps/<gap_id:int>/drafts/<draft_id:int>/reject")
@requires("editor")
async def reject_gap_draft(request: Request, gap_id: int, draft_id: int) -> HTTPResponse:
    user = request.ctx.user.name
    await asyncio.to_thread(reject_draft, _rt(request).db, gap_id, draft_id, user)
    return json({"gap_id": gap_id, "draft_id": draft_id, "status": "rejected"})


@editor_api.post("/gaps/<gap_id:int>/status")
@requires("editor")
async def change_status(request: Request, gap_id: int) -> HTTPResponse:
    status = str(_body(request).get("status"))
    if status not in STATUSES:
        raise BadRequest(f"status must be one of {', '.join(STATUSES)}")
    note = f"{status} by {request.ctx.user.name}"
    await asyncio.to_thread(set_status, _rt(request).db, gap_id, status, note)
    return json({"gap_id": gap_id, "status": status})


@editor_api.post("/gaps/recluster")
@requires("editor")
async def regroup(request: Request) -> HTTPResponse:
    rt = _rt(request)
    count = await asyncio.to_thread(recluster, rt.db, searcher_embedder(rt.index.searcher()))
    return json({"open_gaps": count})


@editor_api.get("/kb/coverage")
@requires("editor")
async def kb_coverage(request: Request) -> HTTPResponse:
    rt = _rt(request)
    rows = await asyncio.to_thread(coverage, rt.settings.faq_dir, rt.settings.languages)
    return json({"entries": rows, "languages": list(rt.settings.languages)})


@editor_api.get("/kb/conflicts")
@requires("editor")
async def kb_conflicts(request: Request) -> HTTPResponse:
    """Overlapping entries and numbers that disagree, per language (bot/gaps/conflicts.py)."""
    found = await asyncio.to_thread(conflicts_of, _rt(request).index.searcher())
    lang = request.args.get("lang")
    rows = [conflict_json(c) for c in found if not lang or c.lang == lang]
    return json({"conflicts": rows, "count": len(rows)})


@editor_api.get("/analytics/weekly")
@requires("editor")
async def analytics(request: Request) -> HTTPResponse:
    weeks = bounded_int(request, "weeks", 8, 1, 104)
    rt = _rt(request)
    return json(await asyncio.to_thread(weekly_analytics, rt.db, weeks, clock_now(rt.settings)))


@editor_api.get("/notices")
@requires("editor")
async def notices(request: Request) -> HTTPResponse:
    found = await asyncio.to_thread(list_notices, _rt(request).db)
    return json({"notices": [notice_json(n) for n in found]})


@editor_api.post("/notices")
@requires("editor")
async def post_notice(request: Request) -> HTTPResponse:
    body = _body(request)
    draft = NoticeDraft(
        text=str(body.get("text") or ""),
        starts_at=_time(body.get("starts_at")),
        ends_at=_time(body.get("ends_at")) or _missing("ends_at"),
        keywords=tuple(_words(body.get("keywords"))),
        faq_ids=tuple(_words(body.get("faq_ids"))),
        lang=body.get("lang") or None,
        created_by=request.ctx.user.name,
    )
    notice_id = await asyncio.to_thread(create_notice, _rt(request).db, draft)
    return json({"id": notice_id}, status=201)


@editor_api.post("/notices/<notice_id:int>/end")
@requires("editor")
async def stop_notice(request: Request, notice_id: int) -> HTTPResponse:
    if not await asyncio.to_thread(end_notice, _rt(request).db, notice_id):
        return json({"error": f"notice {notice_id} does not exist"}, status=404)
    return json({"id": notice_id, "ended": True})


def notice_json(notice: Any) -> dict[str, Any]:
    return {
        "id": notice.id,
        "text": notice.text,
        "lang": notice.lang,
        "keywords": notice.keywords,
        "faq_ids": notice.faq_ids,
        "starts_at": notice.starts_at.isoformat(),
        "ends_at": notice.ends_at.isoformat(),
        "created_by": notice.created_by,
    }


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value or () if str(v).strip()]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise NoticeError("time", f"{value!r} is not an ISO date-time") from exc


def _missing(name: str) -> datetime:
    raise NoticeError(name, "is required")
