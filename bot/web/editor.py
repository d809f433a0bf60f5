"""The editors' console pages: gap report, one gap, KB coverage, weekly analytics, notices.

Server-rendered over the same functions as the JSON API; the few buttons post
to that API (editor.js) and reload. Login is the agent console's (/console/login).
"""

from __future__ import annotations

import asyncio
import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect

from bot.gaps import charts
from bot.gaps.analytics import weekly_analytics
from bot.gaps.conflicts import conflict_json, conflicts_of
from bot.gaps.drafts import drafts_for_gap
from bot.gaps.report import gap_detail, gap_rows
from bot.gaps.turns import sweep_abandoned
from bot.gaps.vectors import searcher_embedder
from bot.handoff.clock import now as clock_now
from bot.kb.editing import coverage
from bot.notices.store import list_notices
from bot.runtime import Runtime
from bot.web.contract import api
from bot.web.editor_api import gap_filter, notice_json

HERE = Path(__file__).parent / "editor"
editor = Blueprint("editor", url_prefix="/editor")
editor.static("/static", str(HERE / "static"), name="editor_static")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )


def _page(request: Request, name: str, **values: Any) -> HTTPResponse:
    return html(_templates().get_template(name).render(user=request.ctx.user, **values))


def _rt(request: Request) -> Runtime:
    runtime: Runtime = request.app.ctx.runtime
    return runtime


@editor.get("/")
@api("Editor: start page", role="editor", response=None, content_type="text/html")
async def home(request: Request) -> HTTPResponse:
    """The editor starts at the gap list."""
    return redirect("/editor/gaps")


@editor.get("/gaps")
@api("Editor: the gap list", role="editor", response=None, content_type="text/html")
async def gaps_page(request: Request) -> HTTPResponse:
    """The gap list page; abandoned clarifies are swept into gaps first, so the list is current."""
    rt = _rt(request)
    await asyncio.to_thread(sweep_abandoned, rt.db, searcher_embedder(rt.index.searcher()))
    where = gap_filter(request)
    rows = await asyncio.to_thread(gap_rows, rt.db, where)
    teams = sorted({e.team for e in rt.index.searcher().index.kb.entries})
    return _page(
        request,
        "gaps.html",
        rows=rows,
        where=where,
        args=request.args,
        languages=rt.settings.languages,
        teams=teams,
        query=request.query_string,
    )


@editor.get("/gaps/<gap_id:int>")
@api(
    "Editor: one gap",
    role="editor",
    response=None,
    content_type="text/html",
    answers=((404, "no such gap: a page that says so"),),
)
async def gap_page(request: Request, gap_id: int) -> HTTPResponse:
    """One gap with its drafts and the entries it could join; a 404 page for an unknown id."""
    rt = _rt(request)
    gap = await asyncio.to_thread(gap_detail, rt.db, gap_id)
    if gap is None:
        response = _page(request, "missing.html", what=f"gap {gap_id}")
        response.status = 404
        return response
    kb = rt.index.searcher().index.kb
    entries = [(i, (kb.translation(i, "en") or kb.entries[0]).question) for i in kb.ids()]
    teams = sorted({e.team for e in kb.entries})
    drafts = await asyncio.to_thread(drafts_for_gap, rt.db, gap_id, rt.settings.languages)
    return _page(
        request,
        "gap.html",
        gap=gap,
        drafts=drafts,
        entries=entries,
        teams=teams,
        languages=rt.settings.languages,
    )


@editor.get("/coverage")
@api("Editor: KB coverage per language", role="editor", response=None, content_type="text/html")
async def coverage_page(request: Request) -> HTTPResponse:
    """Which entries exist in which of the configured languages, read from the KB files."""
    rt = _rt(request)
    rows = await asyncio.to_thread(coverage, rt.settings.faq_dir, rt.settings.languages)
    return _page(request, "coverage.html", rows=rows, languages=rt.settings.languages)


@editor.get("/conflicts")
@api("Editor: KB conflicts", role="editor", response=None, content_type="text/html")
async def conflicts_page(request: Request) -> HTTPResponse:
    """Overlaps and number contradictions found with the live index."""
    found = await asyncio.to_thread(conflicts_of, _rt(request).index.searcher())
    return _page(request, "conflicts.html", conflicts=[conflict_json(c) for c in found])


@editor.get("/analytics")
@api("Editor: weekly analytics", role="editor", response=None, content_type="text/html")
async def analytics_page(request: Request) -> HTTPResponse:
    """Weekly analytics and charts; `weeks` is clamped to 1-104 (8 when not a number)."""
    raw = request.args.get("weeks", "8")
    weeks = min(max(int(raw), 1), 104) if raw.isdigit() else 8
    rt = _rt(request)
    data = await asyncio.to_thread(weekly_analytics, rt.db, weeks, clock_now(rt.settings))
    images = await asyncio.to_thread(_charts, data)
    return _page(request, "analytics.html", data=data, images=images, weeks=weeks)


def _charts(data: dict[str, Any]) -> dict[str, str]:
    svgs = {
        "conversations": charts.conversations_chart(data["weeks"]),
        "rates": charts.rates_chart(data["weeks"]),
        "handoffs": charts.handoff_reasons_chart(data["weeks"]),
        "languages": charts.breakdown_chart(data["by_language"], "By language"),
        "channels": charts.breakdown_chart(data["by_channel"], "By channel"),
    }
    return {k: "data:image/svg+xml;base64," + base64.b64encode(v).decode() for k, v in svgs.items()}


@editor.get("/notices")
@api("Editor: notices", role="editor", response=None, content_type="text/html")
async def notices_page(request: Request) -> HTTPResponse:
    """Every notice, past and current, for the editors' notice form."""
    found = await asyncio.to_thread(list_notices, _rt(request).db)
    return _page(request, "notices.html", notices=[notice_json(n).model_dump() for n in found])
