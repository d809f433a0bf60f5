"""Weekly analytics the team lead reads: what the bot resolved and where it failed.

The definitions live in bot/gaps/conversations.py (Intercom's confirmed and
assumed resolution, Chatwoot's 7-day durable resolution and re-contact). Every
rate comes with its count and its denominator (`of`), because a rate without
its base is easy to misread:
- `conversations`: conversations in which the customer asked the bot something;
- `resolution.*` (confirmed, assumed, resolved): of conversations with a question
  whose 24 hours have passed (`judged`);
- `durable_7d`, `recontact_7d`: of conversations with a question whose 7 days
  have passed;
- `handoff_by_reason`: tickets per reason, of all conversations (including
  those that went straight to a person);
- `no_answer`: KB questions without an answer, of all KB questions;
- `helpful`: "yes" verdicts, of all verdicts given that week;
- `gaps_closed_by_draft`: gaps answered that week through an approved draft from
  an agent's reply, of all gaps answered or dismissed that week.
The older flat rates (`deflection_rate`, `no_answer_rate`, ...) stay for clients
that read them. A conversation counts in the week, language and channel it
started in. The figures are sums over the conversation rollup (bot/gaps/rollup.py)
and SQL aggregates over indexed time ranges, so they cost the same on SQLite and
PostgreSQL whatever the size of the turn log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, column, func, inspect, select, table

from bot.gaps.models import ConversationFact as CF
from bot.gaps.rollup import refresh, week_of
from bot.storage import Database
from bot.storage.models import Feedback, Gap, GapOccurrence, utcnow

__all__ = ["week_of", "weekly_analytics"]

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


@dataclass
class _Tally:
    all_conversations: int = 0
    conversations: int = 0
    answered: int = 0
    sums: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, row: Any) -> None:
        self.all_conversations += row.n
        self.conversations += row.asked
        self.answered += row.answered
        for name in SUMMED:
            self.sums[name] += int(getattr(row, name) or 0)
        if row.handoff_reason:
            self.reasons[row.handoff_reason] += row.n


def weekly_analytics(db: Database, weeks: int = 8, now: datetime | None = None) -> dict[str, Any]:
    """Figures per ISO week for the last `weeks` weeks, plus per language and per channel."""
    end = now or utcnow()
    refresh(db, end)
    first_monday = _monday(end) - timedelta(weeks=weeks - 1)
    bounds = [first_monday + timedelta(weeks=i) for i in range(weeks)] + [end]
    labels = [week_of(b) for b in bounds[:-1]]
    by_week: dict[str, _Tally] = defaultdict(_Tally)
    by_lang: dict[str, _Tally] = defaultdict(_Tally)
    by_channel: dict[str, _Tally] = defaultdict(_Tally)
    with db.session() as session:
        for row in session.execute(_facts_query(first_monday, end)):
            for tally in (
                by_week[row.week],
                by_lang[row.lang or "?"],
                by_channel[row.channel or "?"],
            ):
                tally.add(row)
        verdicts = _verdicts(session, labels, bounds)
        top = _top_gaps(session, labels, bounds)
        drafts = _draft_share(session, labels, bounds)
    rows = []
    for label in labels:
        yes, given = verdicts.get(label, (0, 0))
        rows.append(
            {
                "week": label,
                **_figures(by_week[label]),
                "helpfulness_rate": _rate(yes, given),
                "feedback": given,
                "helpful": _share(yes, given),
                "gaps_closed_by_draft": _share(*drafts.get(label, (0, 0))),
                "top_gaps": top.get(label, []),
            }
        )
    return {
        "weeks": rows,
        "by_language": [{"key": k, **_figures(t)} for k, t in sorted(by_lang.items())],
        "by_channel": [{"key": k, **_figures(t)} for k, t in sorted(by_channel.items())],
        "definitions": "bot/gaps/conversations.py; README section 'Resolution'",
    }


def _monday(moment: datetime) -> datetime:
    day = moment - timedelta(days=moment.weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def _facts_query(start: datetime, end: datetime) -> Any:
    sums = [func.sum(getattr(CF, name)).label(name) for name in SUMMED]
    return (
        select(
            CF.week,
            CF.lang,
            CF.channel,
            CF.handoff_reason,
            func.count().label("n"),
            func.sum(case((CF.questions > 0, 1), else_=0)).label("asked"),
            func.sum(case((CF.answers > 0, 1), else_=0)).label("answered"),
            *sums,
        )
        .where(CF.started_at >= start, CF.started_at <= end)
        .group_by(CF.week, CF.lang, CF.channel, CF.handoff_reason)
    )


def _figures(t: _Tally) -> dict[str, Any]:
    s = t.sums
    conv, judged, week = t.conversations, s["judged"], s["week_passed"]
    handoffs = sum(t.reasons.values())
    return {
        "conversations": conv,
        "all_conversations": t.all_conversations,
        "turns": s["questions"],
        "resolution": {
            "confirmed": _share(s["confirmed"], judged),
            "assumed": _share(s["assumed"], judged),
            "resolved": _share(s["confirmed"] + s["assumed"], judged),
            "durable_7d": _share(s["durable"], week),
            "recontact_7d": _share(s["recontact"], week),
        },
        "answered": _share(t.answered, conv),
        "no_answer": _share(s["no_answers"], s["questions"]),
        "handoff_by_reason": {
            r: _share(n, t.all_conversations) for r, n in sorted(t.reasons.items())
        },
        "deflection_rate": _rate(s["deflected"], conv),
        "no_answer_rate": _rate(s["no_answers"], s["questions"]),
        "repeat_contact_rate": _rate(s["recontact"], week),
        "handoffs": handoffs,
        "handoff_rate": _rate(handoffs, t.all_conversations),
        "handoff_rate_by_reason": {
            r: _rate(n, t.all_conversations) for r, n in sorted(t.reasons.items())
        },
    }


def _week_case(column: Any, labels: list[str], bounds: list[datetime]) -> ColumnElement[Any]:
    """The ISO week label of a time column, computed by the database (portable SQL)."""
    whens = [
        (and_(column >= bounds[i], column < bounds[i + 1]), labels[i]) for i in range(len(labels))
    ]
    return case(*whens, else_=None)


def _verdicts(
    session: Any, labels: list[str], bounds: list[datetime]
) -> dict[str, tuple[int, int]]:
    week = _week_case(Feedback.created_at, labels, bounds).label("week")
    query = (
        select(week, func.sum(case((Feedback.helpful, 1), else_=0)), func.count())
        .where(Feedback.created_at >= bounds[0], Feedback.created_at < bounds[-1])
        .group_by(week)
    )
    return {w: (int(yes or 0), int(n)) for w, yes, n in session.execute(query) if w}


def _top_gaps(
    session: Any, labels: list[str], bounds: list[datetime]
) -> dict[str, list[dict[str, Any]]]:
    week = _week_case(GapOccurrence.created_at, labels, bounds).label("week")
    query = (
        select(week, GapOccurrence.gap_id, func.count().label("n"))
        .where(GapOccurrence.created_at >= bounds[0], GapOccurrence.created_at < bounds[-1])
        .group_by(week, GapOccurrence.gap_id)
    )
    tally: Counter[tuple[str, int]] = Counter()
    for w, gap_id, n in session.execute(query):
        if w:
            tally[(w, gap_id)] += int(n)
    # Occurrences past retention live on as weekly counts (bot/privacy/purge.py).
    kept = table("gap_weeks", column("gap_id"), column("week"), column("count"))
    if inspect(session.get_bind()).has_table("gap_weeks"):
        query = (
            select(kept.c.week, kept.c.gap_id, func.sum(kept.c.count))
            .where(kept.c.week.in_(labels))
            .group_by(kept.c.week, kept.c.gap_id)
        )
        for w, gap_id, n in session.execute(query):
            tally[(w, gap_id)] += int(n or 0)
    counts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (w, gap_id), n in tally.items():
        counts[w].append((n, gap_id))
    top = {w: sorted(found, key=lambda x: (-x[0], x[1]))[:5] for w, found in counts.items()}
    ids = {gap_id for found in top.values() for _, gap_id in found}
    questions = dict(session.execute(select(Gap.id, Gap.question).where(Gap.id.in_(ids))).all())
    return {
        w: [{"id": g, "question": questions.get(g, ""), "occurrences": n} for n, g in found]
        for w, found in top.items()
    }


def _draft_share(
    session: Any, labels: list[str], bounds: list[datetime]
) -> dict[str, tuple[int, int]]:
    week = _week_case(Gap.resolved_at, labels, bounds).label("week")
    by_draft = case((Gap.resolution.like("draft %"), 1), else_=0)
    query = (
        select(week, func.sum(by_draft), func.count())
        .where(Gap.resolved_at >= bounds[0], Gap.resolved_at < bounds[-1])
        .group_by(week)
    )
    return {w: (int(d or 0), int(n)) for w, d, n in session.execute(query) if w}


def _share(count: int, of: int) -> dict[str, Any]:
    return {"count": count, "of": of, "rate": _rate(count, of)}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
