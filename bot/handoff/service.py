"""Open a ticket for a trigger and word what the customer is told.

The one entry point the turn (bot/turn) calls once a trigger fires: it routes,
checks opening hours and stores the ticket with its captured context; `notify`
queues the webhook. Returns the customer's reply; the action pauses the conversation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.handoff import tickets, webhook
from bot.handoff.clock import now as clock_now
from bot.handoff.conversation import Conversation
from bot.handoff.summary import summarize
from bot.handoff.triggers import Trigger
from bot.handoff.wait import WaitEstimate, WaitPolicy, estimate, queue_facts, spoken
from bot.messages import message, team_name
from bot.settings import Settings
from bot.storage import Database
from svar_privacy import log_id

logger = logging.getLogger(__name__)
COMPLAINTS_QUEUE = "complaints"
WAIT_POLICY = WaitPolicy()


@dataclass(frozen=True)
class Handoff:
    """What the customer is told, and the response contract for clients that read JSON."""

    ticket_id: str
    reason: str
    queue: str
    lang: str
    text: str
    custom: dict[str, Any]
    ticket: dict[str, Any]


def route(trigger: Trigger, topic_team: str | None) -> str:
    """Complaints to the complaints team; else the topic's team; else `general`."""
    if trigger.reason == "complaint":
        return COMPLAINTS_QUEUE
    return topic_team or "general"


def priority(conv: Conversation, trigger: Trigger, vip_tiers: tuple[str, ...]) -> str:
    """A VIP tier raises every ticket (frustration and complaints to urgent); otherwise complaints,
    repeat contacts and frustration are high.
    """
    if conv.tier and conv.tier.casefold() in vip_tiers:
        return "urgent" if trigger.reason in ("frustration", "complaint") else "high"
    if trigger.reason in ("complaint", "repeat_contact", "frustration"):
        return "high"
    return "normal"


def hand_off(
    db: Database,
    settings: Settings,
    conv: Conversation,
    trigger: Trigger,
    topic_team: str | None = None,
    answers: list[dict[str, Any]] | None = None,
) -> Handoff:
    """Create the ticket (routed, with context) and the reply (the turn queues the webhook)."""
    now = clock_now(settings)
    queue = route(trigger, topic_team)
    hours = settings.opening_hours
    closed = hours.closed_because(queue, now, conv.lang)
    opens = hours.next_opening(queue, now, conv.lang) if closed else None
    wait = None
    if not closed and trigger.reason != "complaint":
        wait = estimate(queue_facts(db, queue, now, WAIT_POLICY), WAIT_POLICY)
    due_at = None
    if trigger.reason == "complaint":
        due_at = now + timedelta(hours=settings.complaint_due_hours)
    ticket = tickets.open_ticket(
        db,
        tickets.NewTicket(
            sender_id=conv.sender_id,
            channel=conv.channel,
            lang=conv.lang,
            customer_id=conv.customer_id,
            tier=conv.tier,
            reason=trigger.reason,
            evidence=list(trigger.evidence),
            queue=queue,
            priority=priority(conv, trigger, settings.handoff.vip_tiers),
            summary=summarize(conv, trigger, queue),
            topics=list(dict.fromkeys([*conv.topics, *conv.answered_topics()])),
            answers=answers or [],
            transcript=list(conv.turns),
            out_of_hours=closed is not None,
            paused_after=conv.latest.at.timestamp() if conv.latest and conv.latest.at else None,
            due_at=due_at,
            details=ticket_details(conv, trigger, closed, opens, wait),
        ),
        now,
    )
    logger.info(
        "ticket %s for sender %s: %s → %s",
        ticket["id"],
        log_id(conv.sender_id),
        trigger.reason,
        queue,
    )
    said = Said(conv.lang, team_name(queue, conv.lang), ticket["id"], opens, wait)
    text = customer_text(said, trigger, round(settings.complaint_due_hours))
    tickets.add_message(db, ticket["id"], "bot", text, now)
    custom = {
        "kind": "handoff",
        "ticket_id": ticket["id"],
        "reason": trigger.reason,
        "queue": queue,
        "lang": conv.lang,
    }
    return Handoff(ticket["id"], trigger.reason, queue, conv.lang, text, custom, ticket)


def ticket_details(
    conv: Conversation,
    trigger: Trigger,
    closed: str | None,
    opens: datetime | None,
    wait: WaitEstimate | None,
) -> dict[str, Any]:
    """What the team needs beyond the transcript: complaint fields, hours, wait, callback."""
    details: dict[str, Any] = {}
    if trigger.reason == "complaint":
        details["complaint"] = complaint_details(conv)
    if closed and opens is not None:
        details["closed"] = {"why": closed, "opens_at": opens.isoformat()}
    if wait is not None:
        details["wait"] = wait.as_json()
    if trigger.callback:
        details["callback_requested"] = True
        # "ring me on 912 34 567": the number is given with the request.
        said = [conv.latest.text] if conv.latest else []
        kept = dict(conv.latest.contact) if conv.latest else {}  # masked text: Rasa kept these
        if given := {**tickets.contact_details(said), **kept}:
            details["callback"] = given
    return details


@dataclass(frozen=True)
class Said:
    """The facts the customer's reply is worded from."""

    lang: str
    team: str
    ticket: str
    opens: datetime | None  # set when the queue is closed
    wait: WaitEstimate | None  # set when it is open (and not a complaint)


def customer_text(said: Said, trigger: Trigger, complaint_hours: int) -> str:
    """Closed: when it opens and the callback offer; complaint: the promise; else the wait.

    A long wait gets no number: the customer hears that it is busy and is offered
    a call or an e-mail instead (what they write while paused lands on the ticket).
    """
    lang, team, ticket = said.lang, said.team, said.ticket
    if said.opens is not None:
        date_format = "%d/%m" if lang == "en" else "%d.%m."
        text = message(
            "handoff_closed",
            lang,
            team=team,
            date=said.opens.strftime(date_format),
            time=said.opens.strftime("%H:%M"),
            ticket=ticket,
        )
    elif trigger.reason == "complaint" or said.wait is None:
        text = message("handoff_complaint", lang, ticket=ticket, hours=complaint_hours)
    else:
        key = "handoff_callback" if trigger.callback else "handoff_open"
        if said.wait.long:
            key = "handoff_callback_busy" if trigger.callback else "handoff_busy"
        text = message(key, lang, team=team, ticket=ticket, wait=spoken(said.wait, lang))
    return text[0].upper() + text[1:]


def notify(db: Database, settings: Settings, handoff: Handoff) -> None:
    """Queue the new ticket for the configured webhook (the outbox delivers it)."""
    if settings.webhook_url:
        payload = {"event": "ticket.created", "ticket": handoff.ticket}
        webhook.schedule(db, settings.webhook_url, payload)


def complaint_details(conv: Conversation) -> dict[str, Any]:
    """Category, what happened and what the customer wants, as far as they have said yet.

    The customer's further messages while the bot is paused land on the ticket too.
    """
    from bot.handoff.complaints import category, wants

    text = " ".join(t.text for t in conv.customer_turns if not t.text.startswith("/"))
    return {
        "category": category(text),
        "what_happened": text[:1000],
        "wants": wants(text),
    }
