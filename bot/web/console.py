"""The agent console: server-rendered pages over the same calls as the JSON API.

Login (accounts from `bot users`, see bot/accounts.py) opens a server-side session;
every page needs the `agent` role and redirects anonymous visitors to the login page.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, redirect

from bot import accounts
from bot.handoff import tickets
from bot.handoff.clock import now
from bot.runtime import Runtime
from bot.web.auth import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    ConsoleAuth,
    CsrfRefused,
    client_address,
    cross_site,
)
from bot.web.contract import api
from bot.web.handoff_api import queue_overview, sync_paused
from bot.web.models import LoginForm

logger = logging.getLogger(__name__)
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
@api("Console: the login page", role=None, response=None, content_type="text/html")
async def login_page(request: Request) -> HTTPResponse:
    """The sign-in form; `next` is kept only when it is a local path."""
    return _page("login.html", next=_safe_next(request.args.get("next")), error=None)


@console.post("/login")
@api(
    "Sign in: a session cookie and a redirect to `next` (401 wrong, 429 throttled)",
    role=None,
    response=None,
    status=302,
    body=LoginForm,
    errors=(CsrfRefused,),
    content_type="text/html",
    answers=(
        (401, "wrong name or password: the form again"),
        (429, "too many failed attempts: the form again, with Retry-After"),
    ),
)
async def login(request: Request) -> HTTPResponse:
    """Check the password, throttled per account and per address, and open a server-side session
    (HttpOnly, SameSite=Strict cookie); cross-site posts are refused.
    """
    auth: ConsoleAuth = request.app.ctx.auth
    if cross_site(request):
        raise CsrfRefused("cross-site request refused")
    form = login_form(request)
    target = _safe_next(form.next)
    name, password = form.name[:64], form.password
    address = client_address(request)
    wait = auth.throttle.retry_after(name, address)
    if wait:
        logger.warning("console login for %r from %s throttled", name, address)
        response = _page("login.html", next=target, error="Too many attempts; try again later.")
        response.status, response.headers["Retry-After"] = 429, str(wait)
        return response
    db = request.app.ctx.runtime.db
    user = await asyncio.to_thread(accounts.authenticate, db, name, password) if password else None
    if user is None:
        auth.throttle.failed(name, address)
        logger.warning("console login for %r from %s failed", name, address)
        response = _page("login.html", next=target, error="Wrong name or password.")
        response.status = 401
        return response
    auth.throttle.succeeded(name)
    token = await asyncio.to_thread(accounts.open_session, db, user)
    logger.info("console login: %s from %s", user.name, address)
    response = redirect(target)
    response.add_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        max_age=SESSION_SECONDS,
        secure=auth.secure_cookies,
        path="/",
    )
    return response


def login_form(request: Request) -> LoginForm:
    """The login page's form as its model (the first value of each field)."""
    sent: Any = request.form or {}
    fields = {name: sent.get(name) for name in LoginForm.model_fields if sent.get(name)}
    return LoginForm.model_validate(fields)


@console.get("/logout")
@api("Sign out: the session ends on the server", role=None, response=None, status=302)
async def logout(request: Request) -> HTTPResponse:
    """Ends the session on the server, not only in this browser."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await asyncio.to_thread(accounts.close_session, request.app.ctx.runtime.db, token)
    response = redirect("/console/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@console.get("")
@api("Console: tickets and queues", role="agent", response=None, content_type="text/html")
async def index(request: Request) -> HTTPResponse:
    """The agents' start page: tickets filtered by status and queue, and the queues' state."""
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
@api(
    "Console: one ticket",
    role="agent",
    response=None,
    content_type="text/html",
    answers=((404, "no such ticket: a page that says so"),),
)
async def ticket_page(request: Request, ticket_id: str) -> HTTPResponse:
    """One ticket with the messages sent while the bot was paused; a 404 page for an unknown id."""
    rt: Runtime = request.app.ctx.runtime
    try:
        ticket = await sync_paused(rt, ticket_id)
    except tickets.TicketNotFound:
        response = _page("missing.html", user=request.ctx.user, ticket_id=ticket_id)
        response.status = 404
        return response
    return _page("ticket.html", user=request.ctx.user, ticket=ticket)


@console.get("/followups")
@api("Console: follow-ups", role="agent", response=None, content_type="text/html")
async def followups_page(request: Request) -> HTTPResponse:
    """Resolved complaints whose follow-up is due or coming and not yet done."""
    rt: Runtime = request.app.ctx.runtime
    found = await asyncio.to_thread(tickets.follow_ups, rt.db, now(rt.settings))
    return _page("followups.html", user=request.ctx.user, tickets=found)
