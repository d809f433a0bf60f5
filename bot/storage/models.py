"""Tables. Customers' words live only in `question` columns, so that redaction
(a later issue) has one place to act."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# A column's `info` key: it holds a customer's words, masked on every flush (masking.py).
CUSTOMER_TEXT = "customer_text"


def utcnow() -> datetime:
    """Timezone-aware now in UTC: what every timestamp column stores."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp, aware: SQLite gives back the UTC it stored without its offset."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """The declarative base of every table; its metadata is what migrations are checked against."""

    pass


class Gap(Base):
    """Something customers asked that the KB did not answer (or answered unhelpfully)."""

    __tablename__ = "gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # no_answer | not_helpful
    # representative phrasing
    question: Mapped[str] = mapped_column(Text, info={CUSTOMER_TEXT: True})
    normalized: Mapped[str] = mapped_column(String(512), index=True, info={CUSTOMER_TEXT: True})
    lang: Mapped[str | None] = mapped_column(String(8))
    faq_id: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    occurrence_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Added by 0003_gaps (bot/gaps): grouping vector, nearest entry, impact, resolution.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    nearest_faq_id: Mapped[str | None] = mapped_column(String(128), default=None)
    nearest_score: Mapped[float | None] = mapped_column(Float, default=None)
    team: Mapped[str | None] = mapped_column(String(64), default=None)
    handoff_count: Mapped[int] = mapped_column(Integer, default=0)
    resolution: Mapped[str | None] = mapped_column(String(255), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    occurrences: Mapped[list[GapOccurrence]] = relationship(back_populates="gap")


class GapOccurrence(Base):
    """One time a customer hit a gap, with what the search found."""

    __tablename__ = "gap_occurrences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gap_id: Mapped[int] = mapped_column(ForeignKey("gaps.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text, info={CUSTOMER_TEXT: True})
    lang: Mapped[str | None] = mapped_column(String(8))
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Added by 0003_gaps: why it is a gap, the entry it was about, its grouping vector.
    kind: Mapped[str | None] = mapped_column(String(32), default=None)
    faq_id: Mapped[str | None] = mapped_column(String(128), default=None)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)

    gap: Mapped[Gap] = relationship(back_populates="occurrences")


class Feedback(Base):
    """A customer's verdict on one answer."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    faq_id: Mapped[str] = mapped_column(String(128), index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    helpful: Mapped[bool] = mapped_column(Boolean)
    question: Mapped[str | None] = mapped_column(Text, info={CUSTOMER_TEXT: True})
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Ticket(Base):
    """A conversation handed to a person, with the context the bot captured.

    Customers' words live in `transcript`, `summary`, `evidence` and the messages,
    so that redaction (a later issue) has these few columns to act on.
    """

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    tier: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32), index=True)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    priority: Mapped[str] = mapped_column(String(16))  # normal | high | urgent
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued|assigned|resolved
    summary: Mapped[str] = mapped_column(Text, info={CUSTOMER_TEXT: True})
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # complaint fields, hours
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    follow_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    followed_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    messages: Mapped[list[TicketMessage]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id"
    )


class TicketMessage(Base):
    """One line of a ticket's transcript: customer, bot or agent, with its time."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # customer | bot | agent
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(255))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)  # sent while the bot was paused
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")


class Contact(Base):
    """A known customer asked about a topic: the memory behind repeat-contact handoff."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(255), index=True)
    topic: Mapped[str] = mapped_column(String(128), index=True)
    sender_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


RATING_SCALE = (1, 2, 3, 4, 5)
RATING_SATISFIED = 4  # CSAT counts 4 and 5 as satisfied


class ConversationRating(Base):
    """A customer's 1-5 rating of one conversation the bot handled alone (bot/satisfaction.py).

    A conversation is one Rasa session of one sender: `session_started_at` is when it began,
    and the pair is unique, so a conversation is never rated twice.
    """

    __tablename__ = "conversation_ratings"
    __table_args__ = (UniqueConstraint("sender_id", "session_started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    session_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
