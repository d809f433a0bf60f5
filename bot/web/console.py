"""The agent console: server-rendered pages over the same calls as the JSON API.

Login (users from BOT_CONSOLE_USERS) sets a signed session cookie; every page
needs the `agent` role and redirects anonymous visitors to the login page.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect

from bot.handoff import tickets
from bot.handoff.clock import now
from bot.runtime import Runtime
from bot.web.auth import SESSION_COOKIE, SESSION_SECONDS, ConsoleAuth, requires
from bot.web.handoff_api import queue_overview, sync_paused

HERE = Path(__file__).parent / "console"
console = Blueprint("handoff_console", url_prefix="/console")
console.static("/static", str(HERE / "static"), name="console_static")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )


def _page(name: str, **values: Any) -> HTTPResponse:
    return html(_templates().get_template(name).render(**values))


def _safe_next(target: str | None) -> str:
    """Only local paths: the login form must not redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/console"


@console.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    return _page("login.html", next=_safe_next(request.args.get("next")), error=None)


@console.post("/login")
async def login(request: Request) -> HTTPResponse:
    auth: ConsoleAuth = request.app.ctx.auth
    form: Any = request.form or {}
    target = _safe_next(str(form.get("next") or ""))
    user = auth.login(str(form.get("name") or ""), str(form.get("password") or ""))
    if user is None:
        response = _page("login.html", next=target, error="Wrong name or password.")
        response.status = 401
        return response
    response = redirect(target)
    response.add_cookie(
        SESSION_COOKIE,
        auth.session_cookie(user),
        httponly=True,
        samesite="Strict",
        max_age=SESSION_SECONDS,
        secure=False,
        path="/",
    )
    return response


@console.get("/logout")
async def logout(request: Request) -> HTTPResponse:
    response = redirect("/console/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@console.get("")
@requires("agent")
async def index(request: Request) -> HTTPResponse:
    rt: Runtime = request.app.ctx.runtime
    status = request.args.get("status") or None
    queue = request.args.get("queue") or None
    found = await asyncio.to_thread(tickets.list_tickets, rt.db, status, queue)
    overview = await asyncio.to_thread(queue_overview, rt)
    return _page(
        "index.html",
        user=request.ctx.user,
        tickets=found,
        queues=overview,
        status=status,
        queue=queue,
    )


@console.get("/tickets/<ticket_id>")
@requires("agent")
async def ticket_page(request: Request, ticket_id: str) -> HTTPResponse:
    rt: Runtime = request.app.ctx.runtime
    try:
        ticket = await sync_paused(rt, ticket_id)
    except tickets.TicketNotFound:
        response = _page("missing.html", user=request.ctx.user, ticket_id=ticket_id)
        response.status = 404
        return response
    return _page("ticket.html", user=request.ctx.user, ticket=ticket)


@console.get("/followups")
@requires("agent")
async def followups_page(request: Request) -> HTTPResponse:
    rt: Runtime = request.app.ctx.runtime
    found = await asyncio.to_thread(tickets.follow_ups, rt.db, now(rt.settings))
    return _page("followups.html", user=request.ctx.user, tickets=found)
