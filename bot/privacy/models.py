"""Tables of the privacy feature: what outlives retention, the erasure audit, the purge lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class GapWeek(Base):
    """How often a gap was hit, per ISO week and language: what a gap keeps once its
    occurrences (who asked, and their words) are past retention."""

    __tablename__ = "gap_weeks"

    gap_id: Mapped[int] = mapped_column(ForeignKey("gaps.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[str] = mapped_column(String(10), primary_key=True)  # "2026-W09"
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)  # "" when unknown
    count: Mapped[int] = mapped_column(Integer, default=0)


class Erasure(Base):
    """The audit record of one erasure: who, when, on which request, how much per store.

    It holds no identifier of the person erased (not even a hash: a hash of a phone
    number is the phone number to anyone who tries them all).
    """

    __tablename__ = "privacy_erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(16))  # customer | sender
    reference: Mapped[str | None] = mapped_column(String(32))  # the request's ticket id
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Lease(Base):
    """Who runs the purge now (one replica at a time), and how the last run went."""

    __tablename__ = "privacy_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
