"""The conversation rollup: one row of facts per conversation, so analytics only sum.

Reading every turn of a year on each page view does not scale (a year of a busy
shop is a million turns). Conversations are judged once the windows that can
change them have passed (`SETTLE`, 8 days) and their rows are then final; each
refresh recomputes only the conversations that started since the oldest one
still open, a few days of turns. The first refresh of a large existing log
works through it a month at a time.

Refreshes are serialised by updating the state row first (a row lock on
PostgreSQL, the write lock on SQLite). A refresh is skipped when one ran less
than `FRESH_FOR` ago and no turn has been logged since.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.gaps.conversations import (
    MORE_HELP,
    SETTLE,
    Conversation,
    Facts,
    TicketRow,
    TurnRow,
    VerdictRow,
    judge,
    sessionize,
    settled,
)
from bot.gaps.models import AnalyticsState, ConversationFact, KbTurn
from bot.storage import Database
from bot.storage.models import Contact, Feedback, Ticket

logger = logging.getLogger(__name__)
STATE = "rollup"
CHUNK = timedelta(days=28)
FRESH_FOR = timedelta(seconds=60)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every time we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def refresh(db: Database, now: datetime, force: bool = False) -> int:
    """Bring the rollup up to `now`; return how many conversation rows were written."""
    if not force and _fresh(db, now):
        return 0
    with db.session() as session:
        session.execute(
            update(AnalyticsState).where(AnalyticsState.name == STATE).values(name=STATE)
        )
        state = session.get(AnalyticsState, STATE)
        if state is None:  # a database migrated without the seed row
            state = AnalyticsState(name=STATE, last_turn_id=0)
            session.add(state)
        if state.refreshed_at is not None and now < aware(state.refreshed_at):
            return 0  # a clock behind the last refresh's: what is stored is newer
        # Everything from the watermark on is computed again (open rows are all there).
        since = aware(state.settled_until) if state.settled_until else None
        stale = ConversationFact.settled == 0
        if since is not None:
            stale = or_(stale, ConversationFact.started_at >= since)
        session.execute(delete(ConversationFact).where(stale))
        written, open_from = _roll(session, since, now)
        state.settled_until = open_from
        state.refreshed_at = now
        state.last_turn_id = _last_turn_id(session)
    logger.info("analytics rollup refreshed: %d conversation rows", written)
    return written


def rebuild(db: Database, now: datetime) -> int:
    """Forget the rollup and compute it again from the logs (after a definition changes)."""
    with db.session() as session:
        session.execute(delete(ConversationFact))
        session.execute(
            update(AnalyticsState).where(AnalyticsState.name == STATE).values(settled_until=None)
        )
    return refresh(db, now, force=True)


def _fresh(db: Database, now: datetime) -> bool:
    with db.session() as session:
        state = session.get(AnalyticsState, STATE)
        if state is None or state.refreshed_at is None:
            return False
        at = aware(state.refreshed_at)
        return at <= now < at + FRESH_FOR and state.last_turn_id == _last_turn_id(session)


def _last_turn_id(session: Session) -> int:
    return int(session.scalar(select(func.max(KbTurn.id))) or 0)


def _roll(session: Session, since: datetime | None, now: datetime) -> tuple[int, datetime]:
    """Write rows for conversations starting from `since`; return (count, open from)."""
    lo = since or _earliest(session)
    if lo is None:
        return 0, now - SETTLE
    # A turn logged while this runs may carry a time just before `now`: the next
    # refresh starts early enough to see it.
    written, open_from = 0, now - SETTLE
    while lo < now:
        hi = min(lo + CHUNK, now)
        rows, first_open = _chunk(session, lo, hi, now)
        if rows:
            session.execute(insert(ConversationFact), rows)
        written += len(rows)
        if first_open is not None:
            open_from = min(open_from, first_open)
        lo = hi
    return written, open_from


def _earliest(session: Session) -> datetime | None:
    found = [
        session.scalar(select(func.min(KbTurn.created_at))),
        session.scalar(select(func.min(Ticket.created_at))),
    ]
    times = [aware(t) for t in found if t is not None]
    return min(times) if times else None


@dataclass(frozen=True)
class _Rows:
    turns: list[TurnRow]
    tickets: list[TicketRow]
    verdicts: list[VerdictRow]
    customers: dict[str, str]


def _chunk(
    session: Session, lo: datetime, hi: datetime, now: datetime
) -> tuple[list[dict[str, Any]], datetime | None]:
    """Rows for conversations starting in [lo, hi), judged with what followed up to `now`."""
    rows = _load(session, lo, hi + SETTLE)
    done = _carried(session, lo)
    conversations = sessionize(
        _after(rows.turns, done, timedelta(0)),
        _after(rows.tickets, done, MORE_HELP),
        _after(rows.verdicts, done, MORE_HELP),
        rows.customers,
    )
    facts = judge(conversations, now)
    out, first_open = [], None
    for c in conversations:
        if not lo <= c.started_at < hi:
            continue
        final = settled(c, now)
        if not final and (first_open is None or c.started_at < first_open):
            first_open = c.started_at
        out.append(_row(c, facts[id(c)], final))
    return out, first_open


def _after(rows: Iterable[Any], done: Mapping[str, datetime], grace: timedelta) -> list[Any]:
    """Drop rows that belong to conversations an earlier chunk already wrote."""
    return [r for r in rows if r.sender_id not in done or r.at > done[r.sender_id] + grace]


def _carried(session: Session, lo: datetime) -> dict[str, datetime]:
    """Senders whose stored conversations run past `lo`, with where they end."""
    found = session.execute(
        select(ConversationFact.sender_id, func.max(ConversationFact.ended_at))
        .where(ConversationFact.started_at >= lo - MORE_HELP)
        .where(ConversationFact.ended_at >= lo - MORE_HELP)
        .group_by(ConversationFact.sender_id)
    ).all()
    return {sender: aware(end) for sender, end in found}


def _load(session: Session, lo: datetime, hi: datetime) -> _Rows:
    turns = [
        TurnRow(s, aware(at), outcome, faq, lang, channel)
        for s, at, outcome, faq, lang, channel in session.execute(
            select(
                KbTurn.sender_id,
                KbTurn.created_at,
                KbTurn.outcome,
                KbTurn.faq_id,
                KbTurn.lang,
                KbTurn.channel,
            ).where(KbTurn.created_at >= lo, KbTurn.created_at < hi)
        )
    ]
    ticket_rows = session.execute(
        select(
            Ticket.sender_id,
            Ticket.created_at,
            Ticket.reason,
            Ticket.lang,
            Ticket.channel,
            Ticket.topics,
            Ticket.customer_id,
        ).where(Ticket.created_at >= lo, Ticket.created_at < hi)
    ).all()
    tickets = [
        TicketRow(s, aware(at), reason, lang, channel, tuple(topics or ()))
        for s, at, reason, lang, channel, topics, _ in ticket_rows
    ]
    verdicts = [
        VerdictRow(s, aware(at), bool(helpful))
        for s, at, helpful in session.execute(
            select(Feedback.sender_id, Feedback.created_at, Feedback.helpful).where(
                Feedback.created_at >= lo, Feedback.created_at < hi
            )
        )
    ]
    customers = {
        sender: customer
        for sender, customer in session.execute(
            select(Contact.sender_id, Contact.customer_id).where(
                Contact.created_at >= lo - SETTLE, Contact.created_at < hi
            )
        )
    }
    customers.update({s: c for s, *_, c in ticket_rows if c})
    return _Rows(turns, tickets, verdicts, customers)


def _row(c: Conversation, f: Facts, final: bool) -> dict[str, Any]:
    asked = f.questions > 0  # resolution figures only count conversations with a question
    return {
        "sender_id": c.sender_id,
        "week": week_of(c.started_at),
        "started_at": c.started_at,
        "ended_at": c.ended_at,
        "lang": c.lang,
        "channel": c.channel,
        "questions": f.questions,
        "answers": f.answers,
        "no_answers": f.no_answers,
        "handoff_reason": f.handoff_reason,
        "confirmed": int(f.confirmed and f.judged),
        "assumed": int(f.assumed and f.judged),
        "judged": int(f.judged and asked),
        "durable": int(f.durable and f.week_passed),
        "recontact": int(f.recontact and f.week_passed and asked),
        "week_passed": int(f.week_passed and asked),
        "deflected": int(f.deflected),
        "settled": int(final),
    }
