"""The agents' JSON API under /api/: tickets, queues, follow-ups (documented in openapi.json).

Every route needs the `agent` role (a session cookie or the bearer token), so a
helpdesk can integrate with the same calls the console page makes. Bodies are the
models of bot/web/models.py; errors are answered by bot/web/contract.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from bot.handoff import tickets
from bot.handoff.clock import now
from bot.handoff.rasa_client import RasaClient, RasaUnavailable
from bot.messages import message
from bot.runtime import Runtime
from bot.web.contract import api, body, query, reply
from bot.web.models import (
    OpenObject,
    QueueInfo,
    QueueList,
    ReplyIn,
    Ticket,
    TicketList,
    TicketQuery,
)
from bot.web.openapi import openapi_document

logger = logging.getLogger(__name__)
handoff_api = Blueprint("handoff_api", url_prefix="/api")

NOT_FOUND = (tickets.TicketNotFound,)
CHANGES = (tickets.TicketNotFound, tickets.TicketStateError, RasaUnavailable)


@handoff_api.get("/openapi.json")
@api("This document", role=None, response=OpenObject)
async def openapi(request: Request) -> HTTPResponse:
    """Public: the document describes the API; every call it describes needs a login."""
    return json(openapi_document(request.app))


def _rt(request: Request) -> Runtime:
    rt: Runtime = request.app.ctx.runtime
    return rt


def _ticket(found: dict[str, Any]) -> HTTPResponse:
    return reply(Ticket.model_validate(found))


def _tickets(found: list[dict[str, Any]]) -> HTTPResponse:
    return reply(TicketList.model_validate({"tickets": found}))


async def sync_paused(rt: Runtime, ticket_id: str) -> dict[str, Any]:
    """The ticket, after adding the customer's messages sent while the bot was paused."""
    ticket = await asyncio.to_thread(tickets.get_ticket, rt.db, ticket_id)
    if ticket["status"] == "resolved":
        return ticket
    try:
        messages = await RasaClient(rt.settings).user_messages(ticket["sender_id"])
    except RasaUnavailable:
        logger.warning("could not read paused messages for ticket %s", ticket_id)
        return ticket
    if await asyncio.to_thread(tickets.add_paused_messages, rt.db, ticket_id, messages):
        ticket = await asyncio.to_thread(tickets.get_ticket, rt.db, ticket_id)
    return ticket


@handoff_api.get("/tickets")
@api("List tickets, newest first", role="agent", response=TicketList, query=TicketQuery)
async def list_tickets(request: Request) -> HTTPResponse:
    """Filtered by status and queue; paused messages are not synced here (see `get_ticket`)."""
    rt, asked = _rt(request), query(request, TicketQuery)
    found = await asyncio.to_thread(tickets.list_tickets, rt.db, asked.status, asked.queue)
    return _tickets(found)


@handoff_api.get("/tickets/<ticket_id>")
@api(
    "A ticket with its transcript (paused messages included)",
    role="agent",
    response=Ticket,
    errors=NOT_FOUND,
)
async def get_ticket(request: Request, ticket_id: str) -> HTTPResponse:
    """Reads the customer's messages sent while paused from Rasa first; a Rasa outage leaves the
    stored transcript.
    """
    return _ticket(await sync_paused(_rt(request), ticket_id))


@handoff_api.post("/tickets/<ticket_id>/claim")
@api("Assign it to yourself", role="agent", response=Ticket, errors=CHANGES[:2])
async def claim(request: Request, ticket_id: str) -> HTTPResponse:
    """Assign the ticket to the calling agent."""
    rt = _rt(request)
    ticket = await asyncio.to_thread(
        tickets.claim, rt.db, ticket_id, request.ctx.user.name, now(rt.settings)
    )
    return _ticket(ticket)


@handoff_api.post("/tickets/<ticket_id>/reply")
@api(
    "Send a message to the customer on their channel",
    role="agent",
    response=Ticket,
    body=ReplyIn,
    errors=CHANGES,
)
async def reply_to_customer(request: Request, ticket_id: str) -> HTTPResponse:
    """Send the agent's text to the customer through Rasa, then add it to the transcript."""
    rt, text = _rt(request), body(request, ReplyIn).text
    ticket = await sync_paused(rt, ticket_id)
    if ticket["status"] == "resolved":
        raise tickets.TicketStateError(ticket_id, "resolved", "reply")
    agent = request.ctx.user.name
    await RasaClient(rt.settings).say(ticket["sender_id"], text, agent)
    await asyncio.to_thread(
        tickets.add_message, rt.db, ticket_id, "agent", text, now(rt.settings), agent
    )
    return _ticket(await asyncio.to_thread(tickets.get_ticket, rt.db, ticket_id))


@handoff_api.post("/tickets/<ticket_id>/resolve")
@api(
    "Resolve it; the bot takes the conversation back",
    role="agent",
    response=Ticket,
    errors=CHANGES,
)
async def resolve(request: Request, ticket_id: str) -> HTTPResponse:
    """Close the ticket and give the conversation back to the bot."""
    rt = _rt(request)
    ticket = await sync_paused(rt, ticket_id)
    if ticket["status"] == "resolved":
        raise tickets.TicketStateError(ticket_id, "resolved", "resolve")
    back = message("handoff_resumed", ticket["lang"])
    await RasaClient(rt.settings).resume(ticket["sender_id"], back)
    resolved = await asyncio.to_thread(
        tickets.resolve,
        rt.db,
        ticket_id,
        request.ctx.user.name,
        now(rt.settings),
        rt.settings.complaint_follow_up_days,
    )
    return _ticket(resolved)


@handoff_api.post("/tickets/<ticket_id>/followed-up")
@api(
    "Mark a resolved complaint's follow-up as done",
    role="agent",
    response=Ticket,
    errors=CHANGES[:2],
)
async def followed_up(request: Request, ticket_id: str) -> HTTPResponse:
    """Mark a resolved complaint's follow-up as done, so it leaves the follow-up list."""
    rt = _rt(request)
    ticket = await asyncio.to_thread(tickets.mark_followed_up, rt.db, ticket_id, now(rt.settings))
    return _ticket(ticket)


@handoff_api.get("/followups")
@api("Resolved complaints to check back on", role="agent", response=TicketList)
async def followups(request: Request) -> HTTPResponse:
    """Resolved complaints whose follow-up is due or coming and not yet done."""
    rt = _rt(request)
    return _tickets(await asyncio.to_thread(tickets.follow_ups, rt.db, now(rt.settings)))


@handoff_api.get("/queues")
@api(
    "Open tickets per queue, and whether each is open now by its own calendar",
    role="agent",
    response=QueueList,
)
async def queues(request: Request) -> HTTPResponse:
    """Each queue's open tickets and whether it is open now by its own calendar."""
    overview = await asyncio.to_thread(queue_overview, _rt(request))
    return reply(QueueList(queues=[QueueInfo.model_validate(q) for q in overview]))


def queue_overview(rt: Runtime) -> list[dict[str, Any]]:
    """Open tickets per queue, and whether each queue is open now by its own calendar.

    Lists the configured queues and every queue that has open tickets.
    """
    hours = rt.settings.opening_hours
    moment = now(rt.settings)
    counts = {queue: {"queued": 0, "assigned": 0} for queue in hours.queues()}
    for ticket in tickets.list_tickets(rt.db, limit=1000):
        if ticket["status"] != "resolved":
            per = counts.setdefault(ticket["queue"], {"queued": 0, "assigned": 0})
            per[ticket["status"]] += 1
    overview = []
    for queue, count in sorted(counts.items()):
        state = hours.state(queue, moment)
        overview.append(
            {
                "queue": queue,
                **count,
                "open_now": state.open,
                "calendar": state.calendar,
                "closed_because": state.why_closed,
                "opens_at": state.opens_at.isoformat() if state.opens_at else None,
            }
        )
    return overview
