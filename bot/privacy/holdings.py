"""Every row the bot's database holds about one subject, store by store.

The one list that the export (article 15) and the erasure (article 17) both read,
so that a store added here is handed over and erased alike. Tables that other
features add in their own migrations are included where the database has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, false, or_, select
from sqlalchemy.orm import Session

from bot.gaps.models import KbTurn
from bot.privacy.subjects import Subject, ticket_ids
from bot.privacy.tables import optional_table
from bot.storage.models import (
    Contact,
    ConversationRating,
    Feedback,
    GapOccurrence,
    Ticket,
    TicketMessage,
)
from bot.storage.security_models import WebhookDelivery


@dataclass(frozen=True)
class Holding:
    """One store's rows about the subject: `where` selects them, or `ids` for the outbox."""

    store: str
    table: Table
    where: ColumnElement[bool]


def holdings(session: Session, subject: Subject) -> Iterator[Holding]:
    """The subject's rows per store, children before their parents (the erasure's order)."""
    senders = sorted(subject.senders)
    tickets = sorted(ticket_ids(session, subject))
    by_sender = {
        "gap_occurrences": GapOccurrence.__table__,
        "feedback": Feedback.__table__,
        "conversation_ratings": ConversationRating.__table__,
        "turns": KbTurn.__table__,
    }
    yield Holding(
        "ticket_messages",
        TicketMessage.__table__,  # type: ignore[arg-type]
        TicketMessage.__table__.c.ticket_id.in_(tickets),
    )
    drafts = optional_table(session, "answer_drafts")
    if drafts is not None:
        yield Holding("answer_drafts", drafts, drafts.c.ticket_id.in_(tickets))
    outbox = WebhookDelivery.__table__
    yield Holding("webhook_outbox", outbox, outbox.c.id.in_(_outbox_ids(session, set(tickets))))  # type: ignore[arg-type]
    yield Holding("tickets", Ticket.__table__, Ticket.__table__.c.id.in_(tickets))  # type: ignore[arg-type]
    contacts = Contact.__table__
    yield Holding(
        "contacts",
        contacts,  # type: ignore[arg-type]
        or_(
            contacts.c.sender_id.in_(senders),
            contacts.c.customer_id == subject.customer_id if subject.customer_id else false(),
        ),
    )
    for store, table in by_sender.items():
        yield Holding(store, table, table.c.sender_id.in_(senders))  # type: ignore[arg-type]
    facts = optional_table(session, "conversation_facts")
    if facts is not None:
        yield Holding("conversation_facts", facts, facts.c.sender_id.in_(senders))


def _outbox_ids(session: Session, tickets: set[str]) -> list[str]:
    return [
        row.id
        for row in session.scalars(select(WebhookDelivery))
        if str(((row.payload or {}).get("ticket") or {}).get("id")) in tickets
    ]


def rows(session: Session, holding: Holding) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts; grouping vectors (derived from the words) left out."""
    found = session.execute(select(holding.table).where(holding.where)).mappings()
    return [{k: _plain(v) for k, v in row.items() if not isinstance(v, bytes)} for row in found]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
