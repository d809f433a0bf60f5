"""The staff audit log: who did what, when, to which ticket, gap, notice or account.

A security review asks who claimed, answered and closed a case, who changed the KB
or a notice, who exported or erased a customer's data, who was given which role, and
who tried to sign in and failed. Each is one `AuditEntry` row in the database every
replica shares, written by the web layer (bot/web/audit.py) for staff requests and
by the `bot users` and `bot privacy` commands for what is done on the server itself.

What it never holds: what anyone wrote (a reply, a KB answer, a notice's text), a
customer's or sender's id, a request body. The target is the id the URL names (a
ticket id, a gap or notice number) or a staff account's name. It is staff members'
personal data in turn, kept `Retention.audit` days (a year by default): the privacy
purge deletes older entries (bot/privacy/purge.py).
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.errors import StorageError
from bot.storage import Database
from bot.storage.audit_models import AuditEntry

logger = logging.getLogger(__name__)

MAX_ENTRIES = 500


@dataclass(frozen=True)
class Action:
    """What one staff member did (see `AuditEntry` for the fields)."""

    actor: str
    via: str
    action: str
    target: str | None = None
    status: int | None = None
    address: str | None = None


def record(db: Database, done: Action, now: datetime | None = None) -> None:
    """Add one entry; the action has happened, so a failure to record is logged, not raised."""
    try:
        with db.session() as session:
            session.add(
                AuditEntry(
                    at=now or datetime.now(UTC),
                    actor=done.actor[:64],
                    via=done.via[:16],
                    action=done.action[:32],
                    target=done.target[:64] if done.target else None,
                    status=done.status,
                    address=done.address[:64] if done.address else None,
                )
            )
    except StorageError:  # the action is done: a lost entry must not turn it into an error
        logger.exception("audit: could not record %s by %s", done.action, done.actor)


def record_cli(db: Database, action: str, target: str | None = None) -> None:
    """An action taken with `bot ...` on the server: the operating-system user acted."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        who = "?"
    record(db, Action(actor=f"cli:{who}", via="cli", action=action, target=target))


def entries(
    db: Database,
    limit: int = 100,
    before: int | None = None,
    actor: str | None = None,
    action: str | None = None,
) -> list[dict[str, Any]]:
    """The newest entries first, `limit` at most, older than entry `before` if given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(min(limit, MAX_ENTRIES))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:  # "ticket" finds every ticket action, "ticket.claim" one
        query = query.where(
            (AuditEntry.action == action)
            | AuditEntry.action.startswith(f"{action}.", autoescape=True)
        )
    with db.session() as session:
        return [_json(row) for row in session.scalars(query)]


def _json(row: AuditEntry) -> dict[str, Any]:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return {
        "id": row.id,
        "at": at.isoformat(),
        "actor": row.actor,
        "via": row.via,
        "action": row.action,
        "target": row.target,
        "status": row.status,
        "address": row.address,
    }
