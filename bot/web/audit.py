"""Staff actions into the audit log (bot/audit.py), and the log for admins to read.

`install(app)` adds, without touching the feature blueprints:

- a response hook that records every audited staff request once it is answered:
  sign-ins (failed and throttled ones too, with the name tried and the address),
  sign-outs, ticket claims, replies, resolutions and follow-ups, KB and gap-list
  edits, notices, and privacy exports and erasures. Which requests are audited is
  the table `RULES`, by method and path, so that a handler rewritten or renamed
  keeps its entry; tests/web/test_audit.py checks that every state-changing staff
  route has a rule. Only the path's own id (a ticket, gap, draft or notice) is
  kept: never a body, so never a reply's text or the customer an erasure names. A
  request refused with 403 is recorded too, with who tried (a role they lack, or a
  cross-site post riding their cookie);
- the login throttle shared by every replica (bot/web/audit_throttle.py);
- `GET /api/audit` and the page `/console/audit`, admins only.
"""

from __future__ import annotations

import asyncio
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import Field
from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, html

from bot.audit import MAX_ENTRIES, Action, entries, record
from bot.web.audit_throttle import SharedLoginThrottle
from bot.web.auth import ConsoleAuth, TokenUser, client_address
from bot.web.contract import Body, Out, api, query, reply
from svar_privacy import mask_text

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "console" / "templates"

_ID = r"(?P<target>[^/]{1,64})"
_NUMBER = r"(?P<target>\d{1,12})"
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(f"{path}/?"), action)
    for method, path, action in (
        ("POST", "/console/login", "login"),
        ("GET", "/console/logout", "logout"),
        ("POST", f"/api/tickets/{_ID}/claim", "ticket.claim"),
        ("POST", f"/api/tickets/{_ID}/reply", "ticket.reply"),
        ("POST", f"/api/tickets/{_ID}/resolve", "ticket.resolve"),
        ("POST", f"/api/tickets/{_ID}/followed-up", "ticket.followed_up"),
        ("POST", f"/api/gaps/{_NUMBER}/alternatives", "kb.add_alternatives"),
        ("POST", f"/api/gaps/{_NUMBER}/entry", "kb.add_entry"),
        ("POST", r"/api/gaps/(?P<target>\d{1,12}/drafts/\d{1,12})/approve", "kb.approve_draft"),
        ("POST", r"/api/gaps/(?P<target>\d{1,12}/drafts/\d{1,12})/reject", "gap.reject_draft"),
        ("POST", f"/api/gaps/{_NUMBER}/status", "gap.status"),
        ("POST", "/api/gaps/recluster", "gap.recluster"),
        ("POST", "/api/notices", "notice.add"),
        ("POST", f"/api/notices/{_NUMBER}/end", "notice.end"),
        ("POST", "/api/privacy/export", "privacy.export"),
        ("POST", "/api/privacy/erase", "privacy.erase"),
    )
)
# What a login's answer says happened.
LOGIN_OUTCOMES = {401: "login.failed", 429: "login.throttled", 403: "login.refused"}

audit_blueprint = Blueprint("staff_audit")


def install(app: Sanic[Any, Any]) -> None:
    """Record staff actions, share the login throttle, serve the log to admins."""
    auth: ConsoleAuth = app.ctx.auth
    plain = auth.throttle
    auth.throttle = SharedLoginThrottle(
        window=plain.window,
        per_account=plain.per_account,
        per_address=plain.per_address,
        database=lambda: app.ctx.runtime.db,
    )
    app.blueprint(audit_blueprint)

    @app.on_request
    async def remember_who_leaves(request: Request) -> None:
        if request.method == "GET" and request.path.rstrip("/") == "/console/logout":
            request.ctx.audit_user = await request.app.ctx.auth.user_from(request)

    @app.on_response
    async def audit_staff_action(request: Request, response: HTTPResponse) -> None:
        if response.status == 403 and not hasattr(request.ctx, "user"):
            # Refused before the handler: a known user without the role, or a cross-site
            # post on their cookie. Who tried is worth the one lookup.
            request.ctx.refused_user = await request.app.ctx.auth.user_from(request)
        done = audited(request, response.status)
        if done is not None:
            await asyncio.to_thread(record, request.app.ctx.runtime.db, done)


def rule_for(method: str, path: str) -> tuple[str, str | None] | None:
    """(action, the path's id) when `method path` is an audited staff request."""
    if not path.startswith(("/api/", "/console/")):  # the customers' and Rasa's requests
        return None
    for wanted, pattern, action in RULES:
        if method == wanted and (found := pattern.fullmatch(path)):
            return action, found.groupdict().get("target")
    return None


def audited(request: Request, status: int) -> Action | None:
    """The entry for this answered request, or None when it is not a staff action."""
    found = rule_for(request.method, request.path)
    if found is None:
        return None
    action, target = found
    address = client_address(request)
    if action == "login":
        form: Any = request.form or {}
        # Typed by whoever tries: masked, should a number that identifies someone be pasted.
        name = mask_text(str(form.get("name") or "")[:64])
        outcome = "login" if 300 <= status < 400 else LOGIN_OUTCOMES.get(status, "login.failed")
        return Action(name or "?", "login", outcome, None, status, address)
    user = getattr(request.ctx, "audit_user" if action == "logout" else "user", None)
    user = user or getattr(request.ctx, "refused_user", None)
    if user is None:  # refused before anyone was known: not a staff action
        return None
    via = "token" if isinstance(user, TokenUser) else "session"
    return Action(user.name, via, action, target, status, address)


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


class AuditQuery(Body):
    """Filters and paging of the audit log; `before` is the previous page's last entry id."""

    limit: int = Field(default=100, ge=1, le=MAX_ENTRIES)
    before: int | None = Field(default=None, ge=1, description="an entry id: older entries")
    actor: str | None = Field(default=None, max_length=64)
    action: str | None = Field(
        default=None, max_length=32, description="'ticket' or 'ticket.claim'"
    )


class AuditEntryOut(Out):
    """One staff action; never what anyone wrote."""

    id: int
    at: str
    actor: str
    via: str = Field(description="session | token | login | cli | env")
    action: str
    target: str | None = Field(description="the ticket, gap, draft, notice or account")
    status: int | None = Field(description="the HTTP answer; none from the command line")
    address: str | None


class AuditLog(Out):
    """One page of the audit log; `before` is None on the last page."""

    entries: list[AuditEntryOut]
    before: int | None = Field(description="pass as `before` for the next, older page")


def _log(request: Request) -> AuditLog:
    asked = query(request, AuditQuery)
    found = entries(request.app.ctx.runtime.db, **asked.model_dump())
    older = found[-1]["id"] if len(found) == asked.limit else None
    return AuditLog(entries=[AuditEntryOut(**entry) for entry in found], before=older)


@audit_blueprint.get("/api/audit")
@api(
    "The staff audit log, newest first (admins)", role="admin", response=AuditLog, query=AuditQuery
)
async def audit_log(request: Request) -> HTTPResponse:
    """Who did what, when; `before` (an entry id) pages back."""
    return reply(await asyncio.to_thread(_log, request))


@audit_blueprint.get("/console/audit")
@api(
    "Console: the staff audit log (admins)",
    role="admin",
    response=None,
    query=AuditQuery,
    content_type="text/html",
)
async def audit_page(request: Request) -> HTTPResponse:
    """The audit log as an HTML page, with the same filters as `/api/audit`."""
    log = await asyncio.to_thread(_log, request)
    page = _templates().get_template("audit.html")
    asked = query(request, AuditQuery)
    return html(page.render(user=request.ctx.user, log=log, asked=asked))
