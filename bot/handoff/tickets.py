"""Tickets in the database: open, read, claim, reply, resolve, follow up.

All customer text (transcript, summary, evidence) is written here and nowhere
else, so that redaction (a later issue) has one module to act in.

Several bot-service replicas change the same tickets: every change reads the
ticket under its lock (`_load(..., lock=True)`), so that two agents cannot both
claim it and two syncs cannot both add the same paused messages.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.errors import BotError
from bot.handoff.conversation import Turn
from bot.metrics import HANDOFFS
from bot.storage import Database
from bot.storage.locks import named_lock
from bot.storage.models import Contact, Ticket, TicketMessage

STATUSES = ("queued", "assigned", "resolved")


class TicketNotFound(BotError):
    """A ticket id that does not exist; 404."""

    http_status = 404
    public = "no such ticket"

    def __init__(self, ticket_id: str) -> None:
        self.ticket_id = ticket_id
        super().__init__(f"no ticket {ticket_id!r}")


class TicketStateError(BotError):
    """The ticket cannot do that in its status (e.g. reply to a resolved ticket)."""

    http_status = 409
    public = "not possible in the ticket's status"

    def __init__(self, ticket_id: str, status: str, action: str) -> None:
        self.ticket_id = ticket_id
        self.status = status
        super().__init__(f"ticket {ticket_id} is {status}: cannot {action}")


@dataclass(frozen=True)
class NewTicket:
    """Everything written on a new ticket, by a handoff (service.py) or a privacy request."""

    sender_id: str
    channel: str | None
    lang: str
    customer_id: str | None
    tier: str | None
    reason: str
    evidence: list[str]
    queue: str
    priority: str
    summary: str
    topics: list[str]
    answers: list[dict[str, Any]]
    transcript: list[Turn]
    out_of_hours: bool = False
    paused_after: float | None = None  # the handing-off message's time in Rasa
    due_at: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)


def open_ticket(db: Database, new: NewTicket, now: datetime) -> dict[str, Any]:
    """Store the ticket with its transcript; return it as JSON."""
    ticket_id = "T" + secrets.token_hex(5).upper()
    with db.session() as session:
        ticket = Ticket(
            id=ticket_id,
            sender_id=new.sender_id,
            channel=new.channel,
            lang=new.lang,
            customer_id=new.customer_id,
            tier=new.tier,
            reason=new.reason,
            evidence=new.evidence,
            queue=new.queue,
            priority=new.priority,
            status="queued",
            summary=new.summary,
            topics=new.topics,
            answers=new.answers,
            # Rasa's event times, not the (possibly fixed) clock: paused messages come after.
            details={**new.details, "paused_at": new.paused_after or now.timestamp()},
            out_of_hours=new.out_of_hours,
            created_at=now,
            due_at=new.due_at,
        )
        session.add(ticket)
        for turn in new.transcript:
            session.add(
                TicketMessage(ticket=ticket, role=turn.role, text=turn.text, sent_at=turn.at or now)
            )
        session.flush()
        opened = as_json(ticket, ticket.messages)
    HANDOFFS.labels(new.reason, new.queue).inc()
    return opened


def queued_ahead(db: Database, queue: str) -> int:
    """Tickets still queued (not yet claimed) in `queue`."""
    with db.session() as session:
        return int(
            session.scalar(
                select(func.count(Ticket.id)).where(
                    Ticket.queue == queue, Ticket.status == "queued"
                )
            )
            or 0
        )


def get_ticket(db: Database, ticket_id: str) -> dict[str, Any]:
    """One ticket with its transcript; TicketNotFound for an unknown id."""
    with db.session() as session:
        ticket = _load(session, ticket_id)
        return as_json(ticket, ticket.messages)


def list_tickets(
    db: Database, status: str | None = None, queue: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Newest first, at most `limit`, without transcripts; None filters do not filter."""
    with db.session() as session:
        query = select(Ticket).order_by(Ticket.created_at.desc()).limit(limit)
        if status:
            query = query.where(Ticket.status == status)
        if queue:
            query = query.where(Ticket.queue == queue)
        return [as_json(t) for t in session.scalars(query)]


def follow_ups(db: Database, now: datetime) -> list[dict[str, Any]]:
    """Resolved tickets whose follow-up is due or coming, not yet done."""
    with db.session() as session:
        query = (
            select(Ticket)
            .where(Ticket.follow_up_at.is_not(None), Ticket.followed_up_at.is_(None))
            .order_by(Ticket.follow_up_at)
        )
        return [as_json(t) for t in session.scalars(query)]


def claim(db: Database, ticket_id: str, agent: str, now: datetime) -> dict[str, Any]:
    """Assign a queued ticket to `agent`; claiming one's own again is a no-op.

    A ticket another agent holds, or a resolved one, is refused (TicketStateError).
    """
    with db.session() as session:
        ticket = _load(session, ticket_id, lock=True)
        if ticket.status == "resolved":
            raise TicketStateError(ticket_id, ticket.status, "claim")
        if ticket.status == "assigned" and ticket.assignee not in (None, agent):
            raise TicketStateError(ticket_id, f"assigned to {ticket.assignee}", "claim")
        if ticket.status != "assigned":
            ticket.status, ticket.assignee, ticket.assigned_at = "assigned", agent, now
        return as_json(ticket, ticket.messages)


def add_message(
    db: Database,
    ticket_id: str,
    role: str,
    text: str,
    at: datetime,
    author: str | None = None,
    paused: bool = False,
) -> None:
    """Append to the transcript; an agent's first reply also claims and stamps the ticket."""
    with db.session() as session:
        ticket = _load(session, ticket_id, lock=True)
        if role == "agent":
            if ticket.status == "resolved":
                raise TicketStateError(ticket_id, ticket.status, "reply")
            ticket.first_reply_at = ticket.first_reply_at or at
            if ticket.status == "queued":
                ticket.status, ticket.assignee, ticket.assigned_at = "assigned", author, at
        session.add(
            TicketMessage(
                ticket=ticket, role=role, text=text, author=author, paused=paused, sent_at=at
            )
        )


def add_paused_messages(
    db: Database,
    ticket_id: str,
    messages: Sequence[tuple[float, str] | tuple[float, str, dict[str, str]]],
) -> int:
    """Add customer messages sent while the bot was paused (by Rasa event time), once each.

    A message is (time, text) or (time, masked text, the contact details Rasa kept).
    """
    with db.session() as session:
        ticket = _load(session, ticket_id, lock=True)
        synced = float(ticket.details.get("synced_until", ticket.details.get("paused_at", 0)))
        fresh = sorted((m for m in messages if m[0] > synced), key=lambda m: m[0])
        kept: dict[str, str] = {}
        for ts, text, *contact in fresh:
            kept.update(*contact)
            session.add(
                TicketMessage(
                    ticket=ticket,
                    role="customer",
                    text=text,
                    paused=True,
                    sent_at=datetime.fromtimestamp(ts, UTC),
                )
            )
        if fresh:
            details = {**ticket.details, "synced_until": fresh[-1][0]}
            given = {**contact_details(m[1] for m in fresh), **kept}
            callback = {**details.get("callback", {}), **given}
            if callback:  # out of hours: how the customer wants to be reached
                details["callback"] = callback
            ticket.details = details
        return len(fresh)


# Customer text is hostile: both patterns start only where a run begins and are bounded,
# so matching is linear in the text (the unbounded e-mail pattern took 15 s on 40,000 letters).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-])")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ()-]{6,24}\d(?!\w)")


def contact_details(texts: Iterable[str]) -> dict[str, str]:
    """The last e-mail address and phone number the customer wrote, if any."""
    found: dict[str, str] = {}
    for text in texts:
        if emails := _EMAIL.findall(text):
            found["email"] = emails[-1]
        if phones := _PHONE.findall(_EMAIL.sub(" ", text)):
            found["phone"] = phones[-1].strip()
    return found


def resolve(
    db: Database, ticket_id: str, agent: str, now: datetime, follow_up_days: float
) -> dict[str, Any]:
    """Close the ticket; complaints get a follow-up date so someone checks back."""
    with db.session() as session:
        ticket = _load(session, ticket_id, lock=True)
        if ticket.status == "resolved":
            raise TicketStateError(ticket_id, ticket.status, "resolve")
        ticket.status, ticket.resolved_at = "resolved", now
        ticket.assignee = ticket.assignee or agent
        if ticket.reason == "complaint":
            ticket.follow_up_at = now + timedelta(days=follow_up_days)
        return as_json(ticket, ticket.messages)


def mark_followed_up(db: Database, ticket_id: str, now: datetime) -> dict[str, Any]:
    """Record the follow-up as done; a second call keeps the first time."""
    with db.session() as session:
        ticket = _load(session, ticket_id, lock=True)
        ticket.followed_up_at = ticket.followed_up_at or now
        return as_json(ticket)


def record_contact(
    db: Database, customer_id: str, topic: str, sender_id: str, now: datetime
) -> None:
    """Remember that the customer contacted us about `topic`, for repeat-contact detection."""
    with db.session() as session:
        session.add(
            Contact(customer_id=customer_id, topic=topic, sender_id=sender_id, created_at=now)
        )


def earlier_contacts(db: Database, customer_id: str, topic: str) -> list[datetime]:
    """When the customer contacted us about `topic` before (timezone-aware, unordered)."""
    with db.session() as session:
        rows = session.scalars(
            select(Contact.created_at).where(
                Contact.customer_id == customer_id, Contact.topic == topic
            )
        )
        return [_aware(t) for t in rows]


def _load(session: Session, ticket_id: str, lock: bool = False) -> Ticket:
    """The ticket with its messages; `lock`: hold it until the session ends (every change)."""
    if lock:
        named_lock(session, f"ticket:{ticket_id}")
    ticket = session.scalars(
        select(Ticket).where(Ticket.id == ticket_id).options(selectinload(Ticket.messages))
    ).first()
    if ticket is None:
        raise TicketNotFound(ticket_id)
    return ticket


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for UTC values; make them comparable again."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _time(moment: datetime | None) -> str | None:
    return _aware(moment).isoformat() if moment else None


def as_json(ticket: Ticket, messages: list[TicketMessage] | None = None) -> dict[str, Any]:
    """The ticket as the API, the console and the webhook show it."""
    body: dict[str, Any] = {
        "id": ticket.id,
        "status": ticket.status,
        "queue": ticket.queue,
        "priority": ticket.priority,
        "reason": ticket.reason,
        "evidence": ticket.evidence,
        "summary": ticket.summary,
        "lang": ticket.lang,
        "channel": ticket.channel,
        "sender_id": ticket.sender_id,
        "customer_id": ticket.customer_id,
        "tier": ticket.tier,
        "topics": ticket.topics,
        "answers": ticket.answers,
        "details": {k: v for k, v in ticket.details.items() if k not in ("synced_until",)},
        "out_of_hours": ticket.out_of_hours,
        "assignee": ticket.assignee,
        "created_at": _time(ticket.created_at),
        "assigned_at": _time(ticket.assigned_at),
        "first_reply_at": _time(ticket.first_reply_at),
        "resolved_at": _time(ticket.resolved_at),
        "due_at": _time(ticket.due_at),
        "follow_up_at": _time(ticket.follow_up_at),
        "followed_up_at": _time(ticket.followed_up_at),
    }
    if messages is not None:
        body["transcript"] = [
            {
                "role": m.role,
                "text": m.text,
                "author": m.author,
                "paused": m.paused,
                "at": _time(m.sent_at),
            }
            for m in messages
        ]
    return body
