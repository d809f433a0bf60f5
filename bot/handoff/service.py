"""Open a ticket for a trigger and word what the customer is told.

The one entry point the actions call once a trigger fires: it routes, checks
opening hours, stores the ticket with its captured context, and schedules the
webhook. Returns the customer's reply; the action pauses the conversation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.handoff import tickets, webhook
from bot.handoff.clock import now as clock_now
from bot.handoff.conversation import Conversation
from bot.handoff.hours import OpeningHours
from bot.handoff.summary import summarize
from bot.handoff.triggers import Trigger
from bot.messages import message, team_name
from bot.runtime import Runtime
from bot.settings import Settings

logger = logging.getLogger(__name__)
COMPLAINTS_QUEUE = "complaints"
MINUTES_PER_TICKET = 4


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
    if conv.tier and conv.tier.casefold() in vip_tiers:
        return "urgent" if trigger.reason in ("frustration", "complaint") else "high"
    if trigger.reason in ("complaint", "repeat_contact", "frustration"):
        return "high"
    return "normal"


def hand_off(
    rt: Runtime,
    conv: Conversation,
    trigger: Trigger,
    topic_team: str | None = None,
    answers: list[dict[str, Any]] | None = None,
) -> Handoff:
    """Create the ticket (routed, with context) and the reply; schedule the webhook."""
    settings = rt.settings
    now = clock_now(settings)
    queue = route(trigger, topic_team)
    hours = OpeningHours.parse(settings.opening_hours, settings.timezone)
    closed = hours.closed_because(queue, conv.lang, now)
    details: dict[str, Any] = {}
    due_at: datetime | None = None
    if trigger.reason == "complaint":
        due_at = now + timedelta(hours=settings.complaint_due_hours)
        details["complaint"] = complaint_details(conv)
    if closed:
        opens = hours.next_opening(queue, conv.lang, now)
        details["closed"] = {"why": closed, "opens_at": opens.isoformat()}
    ahead = tickets.queued_ahead(rt.db, queue)
    ticket = tickets.open_ticket(
        rt.db,
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
            details=details,
        ),
        now,
    )
    logger.info(
        "ticket %s for sender %s: %s → %s", ticket["id"], conv.sender_id, trigger.reason, queue
    )
    team = team_name(queue, conv.lang)
    if closed:
        local = hours.next_opening(queue, conv.lang, now)
        date_format = "%d/%m" if conv.lang == "en" else "%d.%m."
        text = message(
            "handoff_closed",
            conv.lang,
            team=team,
            date=local.strftime(date_format),
            time=local.strftime("%H:%M"),
            ticket=ticket["id"],
        )
    elif trigger.reason == "complaint":
        text = message(
            "handoff_complaint",
            conv.lang,
            ticket=ticket["id"],
            hours=round(settings.complaint_due_hours),
        )
    else:
        minutes = max(2, (ahead + 1) * MINUTES_PER_TICKET)
        text = message("handoff_open", conv.lang, team=team, minutes=minutes)
    text = text[0].upper() + text[1:]
    tickets.add_message(rt.db, ticket["id"], "bot", text, now)
    custom = {
        "kind": "handoff",
        "ticket_id": ticket["id"],
        "reason": trigger.reason,
        "queue": queue,
    }
    return Handoff(ticket["id"], trigger.reason, queue, conv.lang, text, custom, ticket)


def notify(settings: Settings, handoff: Handoff) -> None:
    """POST the new ticket to the configured webhook, in the background (call on the loop)."""
    if settings.webhook_url:
        payload = {"event": "ticket.created", "ticket": handoff.ticket}
        webhook.schedule(settings.webhook_url, settings.webhook_secret, payload)


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
