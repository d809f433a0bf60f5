"""JSON API for content editors: the gap list, resolving gaps, notices, coverage, analytics.

Every route needs the `editor` role (a console user, or the integration token).
Writing the KB and rebuilding the index take seconds, so they run in a thread.
Bodies are the models of bot/web/models.py; errors are answered by bot/web/contract.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, text

from bot.errors import BotError, KBValidationError
from bot.gaps.analytics import weekly_analytics
from bot.gaps.cluster import recluster
from bot.gaps.conflicts import conflict_json, conflicts_of
from bot.gaps.drafts import Approval, approve_draft, drafts_for_gap, reject_draft
from bot.gaps.report import GapFilter, gap_detail, gap_rows, rows_to_csv
from bot.gaps.resolve import (
    GapNotFound,
    answer_with_alternatives,
    answer_with_entry,
    republish,
    set_status,
)
from bot.gaps.turns import sweep_abandoned
from bot.gaps.vectors import searcher_embedder
from bot.handoff.clock import now as clock_now
from bot.kb.editing import KBEditError, NewEntry, Translation, coverage
from bot.notices.store import NoticeDraft, NoticeError, create_notice, end_notice, list_notices
from bot.runtime import Runtime
from bot.storage.models import as_utc
from bot.web.contract import api, body, query, reply
from bot.web.models import (
    AlternativesIn,
    ApprovalIn,
    ConflictQuery,
    Conflicts,
    Coverage,
    Created,
    DraftDecision,
    DraftList,
    EditAccepted,
    EntryIn,
    GapDetail,
    GapList,
    GapQuery,
    GapStatusIn,
    GapStatusOut,
    NoticeEnded,
    NoticeIn,
    NoticeList,
    NoticeOut,
    OpenObject,
    Regrouped,
    WeeksQuery,
)

logger = logging.getLogger(__name__)
editor_api = Blueprint("editor_api", url_prefix="/api")

EDITS = (GapNotFound, KBEditError)


class NoticeNotFound(BotError):
    """A notice id that does not exist; 404."""

    http_status = 404
    public = "no such notice"

    def __init__(self, notice_id: int) -> None:
        self.notice_id = notice_id
        super().__init__(f"notice {notice_id} does not exist")


def _rt(request: Request) -> Runtime:
    runtime: Runtime = request.app.ctx.runtime
    return runtime


def gap_filter(request: Request) -> GapFilter:
    """The request's gap query as a report filter; "all" and empty values do not filter."""
    asked = query(request, GapQuery)
    return GapFilter(
        status=None if asked.status == "all" else asked.status,
        lang=asked.lang or None,
        team=asked.team or None,
        kind=asked.kind or None,
        limit=asked.limit,
    )


@editor_api.get("/gaps")
@api("The gap list, most frequent first", role="editor", response=GapList, query=GapQuery)
async def list_gaps(request: Request) -> HTTPResponse:
    """Sweeps abandoned clarifies into gaps first, so the list is current."""
    rt, wanted = _rt(request), gap_filter(request)
    await asyncio.to_thread(sweep_abandoned, rt.db, searcher_embedder(rt.index.searcher()))
    rows = await asyncio.to_thread(gap_rows, rt.db, wanted)
    return reply(GapList.model_validate({"gaps": rows, "count": len(rows)}))


@editor_api.get("/gaps.csv")
@api(
    "The gap list as CSV (formula-safe)",
    role="editor",
    response=None,
    query=GapQuery,
    content_type="text/csv",
)
async def gaps_csv(request: Request) -> HTTPResponse:
    """The same list as `/gaps`, as a CSV download with formula-like cells defused."""
    rows = await asyncio.to_thread(gap_rows, _rt(request).db, gap_filter(request))
    return text(
        rows_to_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="gaps.csv"'},
    )


@editor_api.get("/gaps/<gap_id:int>")
@api("One gap with its occurrences", role="editor", response=GapDetail, errors=(GapNotFound,))
async def show_gap(request: Request, gap_id: int) -> HTTPResponse:
    """GapNotFound for an unknown id."""
    detail = await asyncio.to_thread(gap_detail, _rt(request).db, gap_id)
    if detail is None:
        raise GapNotFound(gap_id)
    return reply(GapDetail.model_validate(detail))


@editor_api.post("/gaps/<gap_id:int>/alternatives")
@api(
    "Answer the gap with its phrasings as alternatives of an entry",
    role="editor",
    response=EditAccepted,
    status=202,
    body=AlternativesIn,
    errors=EDITS,
)
async def add_gap_alternatives(request: Request, gap_id: int) -> HTTPResponse:
    """Add the gap's phrasings (or the chosen ones) to an entry and close the gap; the index
    rebuilds in the background, hence 202.
    """
    asked, rt = body(request, AlternativesIn), _rt(request)
    chosen = None
    if asked.phrasings is not None:
        chosen = [(p.text, p.lang) for p in asked.phrasings if p.text]
    await asyncio.to_thread(
        answer_with_alternatives, rt.db, rt.settings, gap_id, asked.faq_id, chosen
    )
    _republish_soon(request)
    return reply(EditAccepted(gap_id=gap_id, status="answered", index="rebuilding"), 202)


@editor_api.post("/gaps/<gap_id:int>/entry")
@api(
    "Answer the gap with a new KB entry",
    role="editor",
    response=EditAccepted,
    status=202,
    body=EntryIn,
    errors=EDITS,
)
async def add_gap_entry(request: Request, gap_id: int) -> HTTPResponse:
    """Write a new entry from the editor's translations (blank ones dropped) and close the gap; 202,
    the index rebuilds in the background.
    """
    asked, rt = body(request, EntryIn), _rt(request)
    translations = tuple(
        Translation(
            lang=t.lang,
            question=t.question,
            answer=t.answer,
            alternatives=tuple(a for a in t.alternatives if a.strip()),
        )
        for t in asked.translations
        if t.question.strip() and t.answer.strip()
    )
    entry = NewEntry(
        id=asked.id, translations=translations, team=asked.team or None, url=asked.url or None
    )
    await asyncio.to_thread(answer_with_entry, rt.db, rt.settings, gap_id, entry)
    _republish_soon(request)
    return reply(EditAccepted(gap_id=gap_id, status="answered", index="rebuilding"), 202)


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
@api(
    "Answer drafts from agents' replies to the gap",
    role="editor",
    response=DraftList,
    errors=(GapNotFound,),
)
async def gap_drafts(request: Request, gap_id: int) -> HTTPResponse:
    """Drafts missing for the gap's resolved tickets are made on this read; an unknown gap raises
    GapNotFound.
    """
    rt = _rt(request)
    found = await asyncio.to_thread(drafts_for_gap, rt.db, gap_id, rt.settings.languages)
    return reply(DraftList.model_validate({"gap_id": gap_id, "drafts": found}))


@editor_api.post("/gaps/<gap_id:int>/drafts/<draft_id:int>/approve")
@api(
    "Write the edited draft as a KB entry (nothing is written without this call)",
    role="editor",
    response=DraftDecision,
    status=202,
    body=ApprovalIn,
    errors=(*EDITS, KBValidationError),
)
async def approve_gap_draft(request: Request, gap_id: int, draft_id: int) -> HTTPResponse:
    """The editor's edited draft becomes a KB entry; nothing is written without this call."""
    asked, rt = body(request, ApprovalIn), _rt(request)
    approval = Approval(
        faq_id=asked.id,
        question=asked.question,
        answer=asked.answer,
        alternatives=tuple(asked.alternatives),
        team=asked.team or None,
        url=asked.url or None,
    )
    user = request.ctx.user.name
    await asyncio.to_thread(approve_draft, rt.db, rt.settings, gap_id, draft_id, approval, user)
    _republish_soon(request)
    decided = DraftDecision(gap_id=gap_id, draft_id=draft_id, status="approved", index="rebuilding")
    return reply(decided, 202)


@editor_api.post("/gaps/<gap_id:int>/drafts/<draft_id:int>/reject")
@api("Reject a draft", role="editor", response=DraftDecision, errors=(GapNotFound,))
async def reject_gap_draft(request: Request, gap_id: int, draft_id: int) -> HTTPResponse:
    """Nothing is written to the KB; the gap stays open."""
    user = request.ctx.user.name
    await asyncio.to_thread(reject_draft, _rt(request).db, gap_id, draft_id, user)
    return reply(DraftDecision(gap_id=gap_id, draft_id=draft_id, status="rejected"))


@editor_api.post("/gaps/<gap_id:int>/status")
@api(
    "Reopen, dismiss or mark a gap answered",
    role="editor",
    response=GapStatusOut,
    body=GapStatusIn,
    errors=(GapNotFound,),
)
async def change_status(request: Request, gap_id: int) -> HTTPResponse:
    """The editor's name goes into the gap's resolution note."""
    status = body(request, GapStatusIn).status
    note = f"{status} by {request.ctx.user.name}"
    await asyncio.to_thread(set_status, _rt(request).db, gap_id, status, note)
    return reply(GapStatusOut(gap_id=gap_id, status=status))


@editor_api.post("/gaps/recluster")
@api("Regroup the open gaps by meaning", role="editor", response=Regrouped)
async def regroup(request: Request) -> HTTPResponse:
    """Regroup every open gap from scratch (batch clustering); returns how many are open."""
    rt = _rt(request)
    count = await asyncio.to_thread(recluster, rt.db, searcher_embedder(rt.index.searcher()))
    return reply(Regrouped(open_gaps=count))


@editor_api.get("/kb/coverage")
@api("Which entries exist in which languages", role="editor", response=Coverage)
async def kb_coverage(request: Request) -> HTTPResponse:
    """Read from the KB files, so it includes edits the index has not picked up yet."""
    rt = _rt(request)
    rows = await asyncio.to_thread(coverage, rt.settings.faq_dir, rt.settings.languages)
    languages = list(rt.settings.languages)
    return reply(Coverage.model_validate({"entries": rows, "languages": languages}))


@editor_api.get("/kb/conflicts")
@api(
    "Overlapping entries and numbers that disagree, per language",
    role="editor",
    response=Conflicts,
    query=ConflictQuery,
)
async def kb_conflicts(request: Request) -> HTTPResponse:
    """Overlapping entries and numbers that disagree, per language (bot/gaps/conflicts.py)."""
    lang = query(request, ConflictQuery).lang
    found = await asyncio.to_thread(conflicts_of, _rt(request).index.searcher())
    rows = [conflict_json(c) for c in found if not lang or c.lang == lang]
    return reply(Conflicts.model_validate({"conflicts": rows, "count": len(rows)}))


@editor_api.get("/analytics/weekly")
@api(
    "Resolution, handoff, re-contact and satisfaction figures per week",
    role="editor",
    response=OpenObject,
    query=WeeksQuery,
)
async def analytics(request: Request) -> HTTPResponse:
    """The weekly rates as `weekly_analytics` computes them, passed through."""
    weeks, rt = query(request, WeeksQuery).weeks, _rt(request)
    found = await asyncio.to_thread(weekly_analytics, rt.db, weeks, clock_now(rt.settings))
    return reply(OpenObject(found))


@editor_api.get("/notices")
@api("Notices, current and past", role="editor", response=NoticeList)
async def notices(request: Request) -> HTTPResponse:
    """Every notice, latest end first."""
    found = await asyncio.to_thread(list_notices, _rt(request).db)
    return reply(NoticeList(notices=[notice_json(n) for n in found]))


@editor_api.post("/notices")
@api(
    "Post a notice shown before matching answers",
    role="editor",
    response=Created,
    status=201,
    body=NoticeIn,
    errors=(NoticeError,),
)
async def post_notice(request: Request) -> HTTPResponse:
    """Keywords and linked entries may come as lists or comma-separated strings; NoticeError
    explains a notice that could never match or has no valid window.
    """
    asked = body(request, NoticeIn)
    draft = NoticeDraft(
        text=asked.text,
        starts_at=asked.starts_at,
        ends_at=asked.ends_at,
        keywords=tuple(_words(asked.keywords)),
        faq_ids=tuple(_words(asked.faq_ids)),
        lang=asked.lang or None,
        created_by=request.ctx.user.name,
    )
    notice_id = await asyncio.to_thread(create_notice, _rt(request).db, draft)
    return reply(Created(id=notice_id), 201)


@editor_api.post("/notices/<notice_id:int>/end")
@api("End a notice now", role="editor", response=NoticeEnded, errors=(NoticeNotFound,))
async def stop_notice(request: Request, notice_id: int) -> HTTPResponse:
    """End the notice now; NoticeNotFound for an unknown id."""
    if not await asyncio.to_thread(end_notice, _rt(request).db, notice_id):
        raise NoticeNotFound(notice_id)
    return reply(NoticeEnded(id=notice_id, ended=True))


def notice_json(notice: Any) -> NoticeOut:
    """A stored notice as the API and the editor page show it."""
    return NoticeOut(
        id=notice.id,
        text=notice.text,
        lang=notice.lang,
        keywords=list(notice.keywords),
        faq_ids=list(notice.faq_ids),
        starts_at=as_utc(notice.starts_at).isoformat(),
        ends_at=as_utc(notice.ends_at).isoformat(),
        created_by=notice.created_by,
    )


def _words(value: list[str] | str) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    return [v.strip() for v in items if v.strip()]
