"""The KB turn log: one row per question the KB action handled, for analytics.

Gaps alone cannot give rates (no-answer rate, deflection): those need every
turn, answered or not. Customers' words are kept only for a clarify turn, until
the customer picks an option or abandons it (then the words move to the gap list).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import CUSTOMER_TEXT, Base, utcnow


class KbTurn(Base):
    """What the KB did with one customer question."""

    __tablename__ = "kb_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str | None] = mapped_column(String(8))
    # answer | clarify | clarify_chosen | clarify_abandoned | no_answer | notice
    outcome: Mapped[str] = mapped_column(String(32))
    faq_id: Mapped[str | None] = mapped_column(String(128), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    # only while a clarify is pending
    question: Mapped[str | None] = mapped_column(Text, info={CUSTOMER_TEXT: True})
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class ConversationFact(Base):
    """One conversation's outcome, rolled up from turns, verdicts and tickets (bot/gaps/rollup.py).

    Analytics sum these rows instead of re-reading every turn; flags are 0/1
    integers so that SUM works the same on SQLite and PostgreSQL. A row is
    `settled` once every window that can change it has passed, and is then never
    recomputed.
    """

    __tablename__ = "conversation_facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    week: Mapped[str] = mapped_column(String(8), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lang: Mapped[str | None] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(64))
    questions: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    no_answers: Mapped[int] = mapped_column(Integer, default=0)
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    assumed: Mapped[int] = mapped_column(Integer, default=0)
    judged: Mapped[int] = mapped_column(Integer, default=0)  # the 24 h have passed
    durable: Mapped[int] = mapped_column(Integer, default=0)
    recontact: Mapped[int] = mapped_column(Integer, default=0)
    week_passed: Mapped[int] = mapped_column(Integer, default=0)  # the 7 days have passed
    deflected: Mapped[int] = mapped_column(Integer, default=0)
    settled: Mapped[int] = mapped_column(Integer, default=0, index=True)


class AnalyticsState(Base):
    """Where the rollup stands: conversations that start before `settled_until` are final."""

    __tablename__ = "analytics_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    settled_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_turn_id: Mapped[int] = mapped_column(Integer, default=0)
    # Added by 0008: weeks starting before this are summed in `conversation_weeks`.
    summarized_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConversationWeek(Base):
    """A final week's sums per language, channel and handoff reason ("" for none).

    Once no event can change a week's conversations, their sums are kept here, so a
    year of figures reads some thousand rows instead of every conversation.
    """

    __tablename__ = "conversation_weeks"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    handoff_reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    asked: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    judged: Mapped[int] = mapped_column(Integer)
    week_passed: Mapped[int] = mapped_column(Integer)
    questions: Mapped[int] = mapped_column(Integer)
    no_answers: Mapped[int] = mapped_column(Integer)
    confirmed: Mapped[int] = mapped_column(Integer)
    assumed: Mapped[int] = mapped_column(Integer)
    durable: Mapped[int] = mapped_column(Integer)
    recontact: Mapped[int] = mapped_column(Integer)
    deflected: Mapped[int] = mapped_column(Integer)


class AnswerDraft(Base):
    """An agent's reply to a handed-off gap question, proposed as a KB entry.

    Nothing here reaches the KB until an editor approves it; the texts are
    masked and made reusable when the draft is made (bot/gaps/drafts.py).
    """

    __tablename__ = "answer_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gap_id: Mapped[int] = mapped_column(ForeignKey("gaps.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[str] = mapped_column(String(32), index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    team: Mapped[str | None] = mapped_column(String(64))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    agent: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    faq_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(255))
