"""Whose data: a person named by a customer id, or by one conversation's sender id.

A sender id is one conversation stream (a WhatsApp number, a widget session, a
Messenger user). A customer id is what the company's site proved for a signed-in
customer (the widget's signed customer), so a customer has every conversation in
which that id was proved: those of their tickets, of their repeat-contact memory,
and of the tracker store's messages that carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, or_, select
from sqlalchemy.orm import Session

from bot.errors import BotError
from bot.privacy import tracker
from bot.storage.models import Contact, Ticket


class SubjectError(BotError):
    """The request names no one, or two (a fixed reason, safe to show)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)

    def public_message(self) -> str:
        """The reason is a fixed text, so the message is safe to show."""
        return str(self)


@dataclass(frozen=True)
class Subject:
    """What was asked for, and every sender id that belongs to it."""

    kind: str  # customer | sender
    id: str
    senders: frozenset[str]

    @property
    def customer_id(self) -> str | None:
        """The id when the subject was named by customer id; None when named by sender."""
        return self.id if self.kind == "customer" else None


def requested(customer_id: str | None, sender_id: str | None) -> tuple[str, str]:
    """Exactly one of the two, non-empty: ("customer" | "sender", id)."""
    given = [(k, v.strip()) for k, v in (("customer", customer_id), ("sender", sender_id)) if v]
    if len(given) != 1 or not given[0][1]:
        raise SubjectError("give exactly one of a customer id or a sender id")
    return given[0]


def resolve(
    session: Session, tracker_connection: Connection | None, kind: str, subject_id: str
) -> Subject:
    """The subject with all of its sender ids, from the database and Rasa's store."""
    if kind == "sender":
        return Subject(kind, subject_id, frozenset({subject_id}))
    senders = set(session.scalars(select(Ticket.sender_id).where(Ticket.customer_id == subject_id)))
    senders |= set(
        session.scalars(select(Contact.sender_id).where(Contact.customer_id == subject_id))
    )
    if tracker_connection is not None:
        senders |= tracker.senders_of_customer(tracker_connection, subject_id)
    return Subject(kind, subject_id, frozenset(senders))


def ticket_ids(session: Session, subject: Subject) -> set[str]:
    """The subject's tickets: opened in one of their conversations, or for their id."""
    conditions: list[ColumnElement[bool]] = [Ticket.sender_id.in_(sorted(subject.senders))]
    if subject.customer_id:
        conditions.append(Ticket.customer_id == subject.customer_id)
    return set(session.scalars(select(Ticket.id).where(or_(*conditions))))
