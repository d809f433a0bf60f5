"""The conversation rollup: one row of facts per conversation, so analytics only sum.

Reading every turn of a year on each page view does not scale (a year of a busy
shop is a million turns). A row holds what the events made of a conversation
(answered, confirmed, assumed if nobody asks again, re-contacted, ...); whether
its 24 hours or 7 days have passed is asked when the figures are read, so time
alone never rewrites a row. Each refresh recomputes only the conversations of
the senders (and of the same customers on other channels) with something logged
since the last refresh, within the last `SETTLE` (8 days), the only ones an event
can still change. The first refresh works through an existing log a month at a time.

Refreshes are serialised by updating the state row first (a row lock on
PostgreSQL, the write lock on SQLite).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
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
from bot.gaps.models import AnalyticsState, ConversationFact, ConversationWeek, KbTurn
from bot.storage import Database
from bot.storage.models import Contact, Feedback, Ticket

logger = logging.getLogger(__name__)
STATE = "rollup"
CHUNK = timedelta(days=28)
FACTS = cast(Table, ConversationFact.__table__)
WEEKS = cast(Table, ConversationWeek.__table__)
MARGIN = timedelta(minutes=10)  # a row committed late still carries an earlier time


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; every time we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def week_of(moment: datetime) -> str:
    """The ISO week label ("2026-W05") the analytics group by."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def monday(moment: datetime) -> datetime:
    """Midnight UTC of the Monday that starts `moment`'s ISO week."""
    day = moment - timedelta(days=moment.weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def refresh(db: Database, now: datetime) -> int:
    """Bring the rollup up to `now`; return how many conversation rows were written."""
    with db.session() as session:
        session.execute(
            update(AnalyticsState).where(AnalyticsState.name == STATE).values(name=STATE)
        )
        state = session.get(AnalyticsState, STATE)
        if state is None:  # a database migrated without the seed row
            state = AnalyticsState(name=STATE, last_turn_id=0)
            session.add(state)
        last = aware(state.refreshed_at) if state.refreshed_at else None
        if last is not None and now < last:
            return 0  # a clock behind the last refresh's: what is stored is newer
        if last is None:
            written = _roll(
                session, aware(state.settled_until) if state.settled_until else None, now
            )
        else:
            written = _update(session, _touched(session, last - MARGIN), last - MARGIN, now)
        session.execute(
            update(ConversationFact)
            .where(ConversationFact.settled == 0, ConversationFact.ended_at <= now - SETTLE)
            .values(settled=1)
        )
        state.summarized_before = _summarize(session, state.summarized_before, now)
        state.settled_until = now - SETTLE
        state.refreshed_at = now
    logger.info("analytics rollup refreshed: %d conversation rows", written)
    return written


def rebuild(db: Database, now: datetime) -> int:
    """Forget the rollup and compute it again from the logs (after a definition changes).

    Only what the logs still hold comes back: turns past retention are gone.
    """
    with db.session() as session:
        session.execute(delete(ConversationFact))
        session.execute(
            update(AnalyticsState)
            .where(AnalyticsState.name == STATE)
            .values(settled_until=None, refreshed_at=None, summarized_before=None)
        )
        session.execute(delete(ConversationWeek))
    return refresh(db, now)


def _summarize(session: Session, done: datetime | None, now: datetime) -> datetime | None:
    """Sum the weeks no event can change any more into `conversation_weeks`; return up to where.

    A later refresh recomputes conversations from `SETTLE` + a day before its last
    run; a week ending a further day before that (conversations can be long) is final.
    """
    from bot.gaps.weekly_queries import facts_query  # it reads this module's state

    final = monday(now - MARGIN - SETTLE - 2 * MORE_HELP)
    start = aware(done) if done else _first_fact(session)
    if start is None or start >= final:
        return done
    rows = [
        {
            **row._asdict(),
            "lang": row.lang or "",
            "channel": row.channel or "",
            "handoff_reason": row.handoff_reason or "",
        }
        for row in session.execute(facts_query(start, final, now))
    ]
    if rows:
        session.execute(insert(WEEKS), rows)
    return final


def _first_fact(session: Session) -> datetime | None:
    first = session.scalar(select(func.min(ConversationFact.started_at)))
    return monday(aware(first)) if first is not None else None


def _touched(session: Session, since: datetime) -> set[str]:
    """Senders with anything logged since `since`, and every sender of the same customers."""
    senders: set[str] = set()
    for model in (KbTurn, Feedback, Ticket, Contact):
        senders.update(
            session.scalars(select(model.sender_id).where(model.created_at >= since).distinct())
        )
    customers: set[str] = set()
    for chunk in _chunks(senders):
        customers.update(
            session.scalars(select(Contact.customer_id).where(Contact.sender_id.in_(chunk)))
        )
        customers.update(
            c
            for c in session.scalars(select(Ticket.customer_id).where(Ticket.sender_id.in_(chunk)))
            if c
        )
    for chunk in _chunks(customers):
        senders.update(
            session.scalars(select(Contact.sender_id).where(Contact.customer_id.in_(chunk)))
        )
        senders.update(
            session.scalars(select(Ticket.sender_id).where(Ticket.customer_id.in_(chunk)))
        )
    return senders


def _chunks(items: set[str], size: int = 500) -> list[list[str]]:
    ordered = sorted(items)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _update(session: Session, senders: set[str], since: datetime, now: datetime) -> int:
    """Recompute these senders' conversations that events since `since` can change."""
    if not senders:
        return 0
    lo = since - SETTLE - MORE_HELP
    for chunk in _chunks(senders):
        session.execute(
            delete(ConversationFact).where(
                ConversationFact.sender_id.in_(chunk), ConversationFact.started_at >= lo
            )
        )
    rows = _chunk(session, lo, now + MORE_HELP, now, senders)
    if rows:
        session.execute(insert(FACTS), rows)  # Core: one batch, NULLs and all
    return len(rows)


def _roll(session: Session, since: datetime | None, now: datetime) -> int:
    """Write rows for every conversation from `since` (or the first log), a month at a time."""
    lo = since or _earliest(session)
    if lo is None:
        return 0
    session.execute(delete(ConversationFact).where(ConversationFact.started_at >= lo))
    written = 0
    while lo < now:
        hi = min(lo + CHUNK, now)
        rows = _chunk(session, lo, hi, now)
        if rows:
            session.execute(insert(FACTS), rows)  # Core: one batch, NULLs and all
        written += len(rows)
        lo = hi
    return written


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
    session: Session, lo: datetime, hi: datetime, now: datetime, senders: set[str] | None = None
) -> list[dict[str, Any]]:
    """Rows for conversations starting in [lo, hi), judged with what followed up to `now`."""
    rows = _load(session, lo, hi + SETTLE, senders)
    done = _carried(session, lo, senders)
    conversations = sessionize(
        _after(rows.turns, done, timedelta(0)),
        _after(rows.tickets, done, MORE_HELP),
        _after(rows.verdicts, done, MORE_HELP),
        rows.customers,
    )
    facts = judge(conversations, now)
    return [_row(c, facts[id(c)], now) for c in conversations if lo <= c.started_at < hi]


def _after(rows: Iterable[Any], done: Mapping[str, datetime], grace: timedelta) -> list[Any]:
    """Drop rows that belong to conversations an earlier chunk already wrote."""
    return [r for r in rows if r.sender_id not in done or r.at > done[r.sender_id] + grace]


def _carried(session: Session, lo: datetime, senders: set[str] | None) -> dict[str, datetime]:
    """Senders whose stored conversations (started before `lo`) run close to it, with their end."""
    query = (
        select(ConversationFact.sender_id, func.max(ConversationFact.ended_at))
        .where(ConversationFact.started_at >= lo - MORE_HELP, ConversationFact.started_at < lo)
        .where(ConversationFact.ended_at >= lo - MORE_HELP)
        .group_by(ConversationFact.sender_id)
    )
    found = [
        row
        for chunk in (_chunks(senders) if senders is not None else [None])
        for row in session.execute(
            query if chunk is None else query.where(ConversationFact.sender_id.in_(chunk))
        )
    ]
    return {sender: aware(end) for sender, end in found}


def _load(session: Session, lo: datetime, hi: datetime, senders: set[str] | None) -> _Rows:
    """Turns, tickets, verdicts and customer ids in [lo, hi), of `senders` (None: everyone's)."""
    turn_rows = _select(
        session,
        select(
            KbTurn.sender_id,
            KbTurn.created_at,
            KbTurn.outcome,
            KbTurn.faq_id,
            KbTurn.lang,
            KbTurn.channel,
        ).where(KbTurn.created_at >= lo, KbTurn.created_at < hi),
        KbTurn.sender_id,
        senders,
    )
    ticket_rows = _select(
        session,
        select(
            Ticket.sender_id,
            Ticket.created_at,
            Ticket.reason,
            Ticket.lang,
            Ticket.channel,
            Ticket.topics,
            Ticket.customer_id,
        ).where(Ticket.created_at >= lo, Ticket.created_at < hi),
        Ticket.sender_id,
        senders,
    )
    verdict_rows = _select(
        session,
        select(Feedback.sender_id, Feedback.created_at, Feedback.helpful).where(
            Feedback.created_at >= lo, Feedback.created_at < hi
        ),
        Feedback.sender_id,
        senders,
    )
    # Who a sender is: for the few senders of an update, whenever it was learnt.
    known = select(Contact.sender_id, Contact.customer_id)
    if senders is None:
        known = known.where(Contact.created_at >= lo - SETTLE, Contact.created_at < hi)
    contact_rows = _select(session, known, Contact.sender_id, senders)
    customers = {sender: customer for sender, customer in contact_rows}
    customers.update({s: c for s, *_, c in ticket_rows if c})
    return _Rows(
        turns=[TurnRow(s, aware(at), o, f, lang, ch) for s, at, o, f, lang, ch in turn_rows],
        tickets=[
            TicketRow(s, aware(at), reason, lang, ch, tuple(topics or ()))
            for s, at, reason, lang, ch, topics, _ in ticket_rows
        ],
        verdicts=[VerdictRow(s, aware(at), bool(helpful)) for s, at, helpful in verdict_rows],
        customers=customers,
    )


def _select(session: Session, query: Any, sender: Any, senders: set[str] | None) -> list[Any]:
    if senders is None:
        return list(session.execute(query))
    return [
        row for chunk in _chunks(senders) for row in session.execute(query.where(sender.in_(chunk)))
    ]


def _row(c: Conversation, f: Facts, now: datetime) -> dict[str, Any]:
    """Facts as events made them; whether 24 hours or 7 days have passed is asked at read time."""
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
        "confirmed": int(f.confirmed),
        "assumed": int(f.assumed),
        "judged": int(f.judged and asked),
        "durable": int(f.durable),
        "recontact": int(f.recontact and asked),
        "week_passed": int(f.week_passed and asked),
        "deflected": int(f.deflected),
        "settled": int(settled(c, now)),
    }
