"""The KB turn log: one row per question the KB action handled, for analytics.

Gaps alone cannot give rates (no-answer rate, deflection): those need every
turn, answered or not. Customers' words are kept only for a clarify turn, until
the customer picks an option or abandons it (then the words move to the gap list).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class KbTurn(Base):
    """What the KB did with one customer question."""

    __tablename__ = "kb_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str | None] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16))  # answer | clarify | no_answer | notice
    faq_id: Mapped[str | None] = mapped_column(String(128), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    question: Mapped[str | None] = mapped_column(Text)  # only while a clarify is pending
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
