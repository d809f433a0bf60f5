"""The purge: delete what is past its retention limit; keep what is anonymous.

Tickets go when resolved past the tickets' limit, or, unresolved, when nobody has
touched them for the open tickets' limit (bot/settings/retention.py says why).
What outlives it: a gap (its masked representative question, its status) with its
counts per ISO week and language (`gap_weeks`), and the analytics' settled
per-conversation facts with the sender id blanked. A dry run does the same work
in a transaction that is rolled back, so its counts are exactly what a real run
would delete.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from bot.gaps.analytics import week_of
from bot.gaps.models import KbTurn
from bot.privacy import tracker
from bot.privacy.models import GapWeek
from bot.privacy.tables import changed, optional_table
from bot.settings.retention import Retention
from bot.storage import Database
from bot.storage.audit_models import AuditEntry, LoginFailure
from bot.storage.models import (
    Contact,
    ConversationRating,
    Feedback,
    GapOccurrence,
    Ticket,
    TicketMessage,
)
from bot.storage.security_models import WebhookDelivery

logger = logging.getLogger(__name__)


@dataclass
class PurgeResult:
    """Rows deleted (or changed) per store; `dry_run` when nothing was kept."""

    counts: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The counts for the lease row and the CLI, in a stable key order."""
        return {"dry_run": self.dry_run, "counts": dict(sorted(self.counts.items()))}


def purge(
    db: Database,
    store: tracker.TrackerStore | None,
    retention: Retention,
    now: datetime,
    dry_run: bool = False,
) -> PurgeResult:
    """Apply every retention limit at `now`, the database first, then Rasa's store."""
    result = PurgeResult(dry_run=dry_run)
    session = Session(db.engine)
    try:
        done_calling = _callback_done_senders(session, retention.cutoff("callback", now))
        _purge_database(session, retention, now, result.counts)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    if store is not None:
        with store.begin(dry_run) as connection:
            if connection is not None:
                cutoff = retention.cutoff("conversations", now).timestamp()
                result.counts["conversation_events"] = tracker.purge(connection, cutoff)
                result.counts["conversation_contacts"] = tracker.drop_contacts(
                    connection, done_calling
                )
    logger.info("privacy purge%s: %s", " (dry run)" if dry_run else "", result.as_json()["counts"])
    return result


def _purge_database(
    session: Session, retention: Retention, now: datetime, counts: Counter[str]
) -> None:
    counts["callback_details"] = _drop_callbacks(session, retention.cutoff("callback", now))
    _purge_tickets(session, retention.cutoff("tickets", now), counts)
    _purge_abandoned_tickets(session, retention.cutoff("open_tickets", now), counts)
    counts["gap_occurrences"] = _roll_up_gap_occurrences(
        session, retention.cutoff("gap_occurrences", now)
    )
    for model, kind, name in (
        (KbTurn, "turns", "turns"),
        (Feedback, "feedback", "feedback"),
        (ConversationRating, "feedback", "conversation_ratings"),  # a verdict too
        (Contact, "contacts", "contacts"),
        (WebhookDelivery, "webhook_outbox", "webhook_outbox"),
    ):
        cutoff = retention.cutoff(kind, now)
        deleted = session.execute(delete(model).where(model.created_at < cutoff))
        counts[name] += changed(deleted)
    audited = session.execute(
        delete(AuditEntry).where(AuditEntry.at < retention.cutoff("audit", now))
    )
    counts["staff_audit"] = changed(audited)
    throttled = delete(LoginFailure).where(LoginFailure.at < (now - timedelta(days=1)).timestamp())
    counts["login_failures"] = changed(session.execute(throttled))  # the throttle's 15 minutes
    facts = optional_table(session, "conversation_facts")
    if facts is not None:
        counts["conversation_facts_anonymized"] = _anonymize_facts(
            session, facts, retention.cutoff("turns", now)
        )


def _callback_done_senders(session: Session, cutoff: datetime) -> set[str]:
    """Conversations whose every ticket was resolved before `cutoff`: the callback number
    kept beside their messages in Rasa's store (svar_rasa/channels/masking.py) can go too."""
    rows = session.execute(select(Ticket.sender_id, Ticket.resolved_at)).all()
    done = {s for s, at in rows if at is not None and _aware(at) < cutoff}
    return done - {s for s, at in rows if at is None or _aware(at) >= cutoff}


def _drop_callbacks(session: Session, cutoff: datetime) -> int:
    """The callback phone/e-mail of tickets resolved before `cutoff`: the call is done."""
    dropped = 0
    resolved = select(Ticket).where(Ticket.resolved_at.is_not(None), Ticket.resolved_at < cutoff)
    for ticket in session.scalars(resolved):
        if isinstance(ticket.details, dict) and "callback" in ticket.details:
            ticket.details = {k: v for k, v in ticket.details.items() if k != "callback"}
            dropped += 1
    session.flush()
    return dropped


def _purge_tickets(session: Session, cutoff: datetime, counts: Counter[str]) -> None:
    """Tickets resolved before `cutoff`, with their messages, drafts and webhook payloads."""
    ids = list(
        session.scalars(
            select(Ticket.id).where(Ticket.resolved_at.is_not(None), Ticket.resolved_at < cutoff)
        )
    )
    counts["tickets"] = len(ids)
    _delete_tickets(session, ids, counts)


def _purge_abandoned_tickets(session: Session, cutoff: datetime, counts: Counter[str]) -> None:
    """Unresolved tickets whose last activity is before `cutoff`, like resolved ones."""
    ids = abandoned_tickets(session, cutoff)
    counts["abandoned_tickets"] = len(ids)
    if ids:
        logger.warning("privacy purge: unresolved tickets without activity: %s", sorted(ids))
    _delete_tickets(session, ids, counts)


def abandoned_tickets(session: Session, cutoff: datetime) -> list[str]:
    """Unresolved tickets with no claim, message, reply or follow-up since `cutoff`."""
    last_message = (
        select(TicketMessage.ticket_id, func.max(TicketMessage.sent_at).label("at"))
        .group_by(TicketMessage.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.created_at,
            Ticket.assigned_at,
            Ticket.first_reply_at,
            Ticket.followed_up_at,
            last_message.c.at,
        )
        .outerjoin(last_message, last_message.c.ticket_id == Ticket.id)
        .where(Ticket.resolved_at.is_(None), Ticket.created_at < cutoff)
    ).all()
    return [
        ticket_id
        for ticket_id, *moments in rows
        if max(_aware(_moment(m)) for m in moments if m is not None) < cutoff
    ]


def _delete_tickets(session: Session, ids: list[str], counts: Counter[str]) -> None:
    if not ids:
        return
    deleted = session.execute(delete(TicketMessage).where(TicketMessage.ticket_id.in_(ids)))
    counts["ticket_messages"] += changed(deleted)
    drafts = optional_table(session, "answer_drafts")
    if drafts is not None:
        deleted = session.execute(delete(drafts).where(drafts.c.ticket_id.in_(ids)))
        counts["answer_drafts"] += changed(deleted)
    counts["webhook_outbox"] += delete_outbox_of(session, set(ids))
    session.execute(delete(Ticket).where(Ticket.id.in_(ids)))


def delete_outbox_of(session: Session, ticket_ids: set[str]) -> int:
    """Queued webhook payloads that carry one of these tickets."""
    doomed = [
        row.id
        for row in session.scalars(select(WebhookDelivery))
        if str(((row.payload or {}).get("ticket") or {}).get("id")) in ticket_ids
    ]
    if doomed:
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(doomed)))
    return len(doomed)


def _roll_up_gap_occurrences(session: Session, cutoff: datetime) -> int:
    """Count old occurrences into their gap's weeks, then delete them."""
    old = session.execute(
        select(GapOccurrence.gap_id, GapOccurrence.created_at, GapOccurrence.lang).where(
            GapOccurrence.created_at < cutoff
        )
    ).all()
    if not old:
        return 0
    weekly = Counter((gap_id, week_of(_aware(at)), lang or "") for gap_id, at, lang in old)
    for (gap_id, week, lang), count in weekly.items():
        row = session.get(GapWeek, (gap_id, week, lang))
        if row is None:
            session.add(GapWeek(gap_id=gap_id, week=week, lang=lang, count=count))
        else:
            row.count += count
    session.flush()
    session.execute(delete(GapOccurrence).where(GapOccurrence.created_at < cutoff))
    return len(old)


def _anonymize_facts(session: Session, facts: Table, cutoff: datetime) -> int:
    """Settled conversation facts keep their counts and lose whose they were."""
    anonymized = session.execute(
        update(facts)
        .where(facts.c.settled == 1, facts.c.ended_at < cutoff, facts.c.sender_id != "")
        .values(sender_id="")
    )
    return changed(anonymized)


def _moment(value: datetime | str) -> datetime:
    """SQLite hands an aggregate's datetime back as text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
