"""Tables of the staff audit log and of the login throttle shared by every replica."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class AuditEntry(Base):
    """One staff action: who, when, what, on which ticket, gap, notice or account.

    Never what was said: no message text, no customer or sender id, no request body.
    """

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)  # account, token name or "cli"
    via: Mapped[str] = mapped_column(String(16))  # session | token | login | cli | env
    action: Mapped[str] = mapped_column(String(32), index=True)  # "ticket.claim", ...
    target: Mapped[str | None] = mapped_column(String(64))  # a ticket, gap, notice or user
    status: Mapped[int | None] = mapped_column(Integer)  # the HTTP answer; None from the CLI
    address: Mapped[str | None] = mapped_column(String(64))  # the staff member's address


class LoginFailure(Base):
    """A failed login, counted for one account or one address for the throttle's window.

    The key is a SHA-256 of "u:<name>" or "a:<address>": the throttle only compares it.
    """

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
