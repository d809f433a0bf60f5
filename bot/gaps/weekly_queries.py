"""The SQL behind the weekly analytics: aggregates the database computes, small results back.

A week is found by arithmetic on the time column (days since the first Monday,
divided by 7), which both SQLite and PostgreSQL do per row in a few operations;
per-week rankings use a window function (SQLite 3.25+, PostgreSQL), so a year of
gap occurrences comes back as five rows a week, not one row per gap and week.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, cast, column, func, inspect, literal, select, table
from sqlalchemy.orm import Session

from bot.gaps.conversations import MORE_HELP, RETURN_WINDOW
from bot.gaps.models import AnalyticsState
from bot.gaps.models import ConversationFact as CF
from bot.gaps.models import ConversationWeek as CW
from bot.gaps.rollup import STATE, aware, week_of
from bot.storage.models import RATING_SATISFIED as SATISFIED
from bot.storage.models import ConversationRating as CR
from bot.storage.models import Feedback, Gap, GapOccurrence

SUMMED = (
    "questions",
    "no_answers",
    "confirmed",
    "assumed",
    "judged",
    "durable",
    "recontact",
    "week_passed",
    "deflected",
)
TOP = 5


def week_index(session: Session, moment: Any, first_monday: datetime) -> Any:
    """Whole weeks from `first_monday` to the column's time, computed by the database."""
    if session.get_bind().dialect.name == "sqlite":
        start = first_monday.strftime("%Y-%m-%d %H:%M:%S")
        days = func.julianday(moment) - func.julianday(literal(start))
        return cast(days / 7, Integer)  # non-negative here, so truncation is the floor
    seconds = func.extract("epoch", moment - first_monday)
    return cast(func.floor(seconds / (7 * 86400)), Integer)


def facts_query(start: datetime, stop: datetime, now: datetime) -> Any:
    """Sums per week, language, channel and handoff reason over conversations in [start, stop)."""
    # Whether a conversation's 24 hours or 7 days have passed depends on `now`, not the row.
    judged = and_(CF.questions > 0, CF.ended_at <= now - MORE_HELP)
    week = and_(CF.questions > 0, CF.ended_at <= now - RETURN_WINDOW)
    when = {"confirmed": judged, "assumed": judged, "durable": week, "recontact": week}
    sums = [
        func.sum(
            case((when[name], getattr(CF, name)), else_=0) if name in when else getattr(CF, name)
        ).label(name)
        for name in SUMMED
        if name not in ("judged", "week_passed")
    ]
    return (
        select(
            CF.week,
            CF.lang,
            CF.channel,
            CF.handoff_reason,
            func.count().label("n"),
            func.sum(case((CF.questions > 0, 1), else_=0)).label("asked"),
            func.sum(case((CF.answers > 0, 1), else_=0)).label("answered"),
            func.sum(case((judged, 1), else_=0)).label("judged"),
            func.sum(case((week, 1), else_=0)).label("week_passed"),
            *sums,
        )
        .where(CF.started_at >= start, CF.started_at < stop)
        .group_by(CF.week, CF.lang, CF.channel, CF.handoff_reason)
    )


def facts(session: Session, labels: list[str], first_monday: datetime, now: datetime) -> list[Any]:
    """The sums for these weeks: final weeks from `conversation_weeks`, the rest live."""
    state = session.get(AnalyticsState, STATE)
    done = state.summarized_before if state is not None else None
    live_from = first_monday if done is None else max(first_monday, aware(done))
    rows = list(session.execute(facts_query(live_from, now + timedelta(microseconds=1), now)))
    if live_from > first_monday:
        final = [week_of(m) for m in _mondays(first_monday, len(labels)) if m < live_from]
        rows += list(session.scalars(select(CW).where(CW.week.in_(final))))
    return rows


def _mondays(first: datetime, count: int) -> list[datetime]:
    return [first + timedelta(weeks=i) for i in range(count)]


def verdicts(
    session: Session, first_monday: datetime, end: datetime, labels: list[str]
) -> dict[str, tuple[int, int]]:
    """("yes" verdicts, all verdicts) per week."""
    week = week_index(session, Feedback.created_at, first_monday).label("w")
    query = (
        select(week, func.sum(case((Feedback.helpful, 1), else_=0)), func.count())
        .where(Feedback.created_at >= first_monday, Feedback.created_at < end)
        .group_by(week)
    )
    return {
        labels[w]: (int(yes or 0), int(n))
        for w, yes, n in session.execute(query)
        if 0 <= w < len(labels)
    }


def ratings(
    session: Session, first_monday: datetime, end: datetime, labels: list[str]
) -> list[tuple[str, str, str, int, int, int]]:
    """(week, language, channel, satisfied, ratings, sum of scores) of conversation ratings.

    Satisfied: a 4 or 5 on the 1-5 scale (bot/satisfaction.py). A rating counts in
    the week it was given, as a verdict does.
    """
    week = week_index(session, CR.created_at, first_monday).label("w")
    query = (
        select(
            week,
            CR.lang,
            CR.channel,
            func.sum(case((CR.score >= SATISFIED, 1), else_=0)),
            func.count(),
            func.sum(CR.score),
        )
        .where(CR.created_at >= first_monday, CR.created_at < end)
        .group_by(week, CR.lang, CR.channel)
    )
    return [
        (labels[w], lang or "?", channel or "?", int(good or 0), int(n), int(total or 0))
        for w, lang, channel, good, n, total in session.execute(query)
        if 0 <= w < len(labels)
    ]


def top_gaps(
    session: Session, first_monday: datetime, end: datetime, labels: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The five gaps hit most each week, with their counts."""
    week = week_index(session, GapOccurrence.created_at, first_monday).label("w")
    counted = (
        select(week, GapOccurrence.gap_id.label("gap_id"), func.count().label("n"))
        .where(GapOccurrence.created_at >= first_monday, GapOccurrence.created_at < end)
        .group_by(week, GapOccurrence.gap_id)
        .subquery()
    )
    tally: Counter[tuple[str, int]] = Counter()
    for w, gap_id, n in _ranked(session, counted):
        if 0 <= w < len(labels):
            tally[(labels[w], gap_id)] += n
    # Occurrences past retention live on as weekly counts (bot/privacy/purge.py).
    if inspect(session.get_bind()).has_table("gap_weeks"):
        kept = table("gap_weeks", column("gap_id"), column("week"), column("count"))
        summed = (
            select(
                kept.c.week.label("w"),
                kept.c.gap_id.label("gap_id"),
                func.sum(kept.c.count).label("n"),
            )
            .where(kept.c.week.in_(labels))
            .group_by(kept.c.week, kept.c.gap_id)
            .subquery()
        )
        for w, gap_id, n in _ranked(session, summed):
            tally[(w, gap_id)] += n
    return _named(session, tally)


def _ranked(session: Session, counted: Any) -> list[tuple[Any, int, int]]:
    """Each week's top rows of (w, gap_id, n), a few more than shown, for the merge."""
    rank = func.row_number().over(
        partition_by=counted.c.w, order_by=(counted.c.n.desc(), counted.c.gap_id)
    )
    ranked = select(counted.c.w, counted.c.gap_id, counted.c.n, rank.label("r")).subquery()
    query = select(ranked.c.w, ranked.c.gap_id, ranked.c.n).where(ranked.c.r <= 4 * TOP)
    return [(w, int(g), int(n)) for w, g, n in session.execute(query)]


def _named(session: Session, tally: Counter[tuple[str, int]]) -> dict[str, list[dict[str, Any]]]:
    by_week: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (w, gap_id), n in tally.items():
        by_week[w].append((n, gap_id))
    top = {w: sorted(found, key=lambda x: (-x[0], x[1]))[:TOP] for w, found in by_week.items()}
    ids = {gap_id for found in top.values() for _, gap_id in found}
    questions = dict(session.execute(select(Gap.id, Gap.question).where(Gap.id.in_(ids))).all())
    return {
        w: [{"id": g, "question": questions.get(g, ""), "occurrences": n} for n, g in found]
        for w, found in top.items()
    }


def draft_share(
    session: Session, first_monday: datetime, end: datetime, labels: list[str]
) -> dict[str, tuple[int, int]]:
    """(gaps closed through an approved draft, all gaps closed) per week."""
    week = week_index(session, Gap.resolved_at, first_monday).label("w")
    by_draft = case((Gap.resolution.like("draft %"), 1), else_=0)
    query = (
        select(week, func.sum(by_draft), func.count())
        .where(Gap.resolved_at >= first_monday, Gap.resolved_at < end)
        .group_by(week)
    )
    return {
        labels[w]: (int(d or 0), int(n))
        for w, d, n in session.execute(query)
        if 0 <= w < len(labels)
    }
