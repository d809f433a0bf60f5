"""Weekly analytics the team lead reads: what the bot achieved and where it failed.

Definitions (a conversation is one sender's turns within the week):
- deflection: the conversation got an answer, no handoff ticket followed within
  7 days, and the customer did not come back about the same entry within 7 days;
- repeat contact: the customer came back about an entry they were answered on,
  between 30 minutes (a new visit, not the same chat) and 7 days later;
- no-answer rate: KB turns that got no answer, of all KB turns;
- helpfulness: "yes" verdicts of all verdicts on answers;
- handoff rate: tickets per conversation, split by the handoff reason.
Tickets come from the handoff feature's `tickets` table when it exists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import column, inspect, select, table

from bot.gaps.models import KbTurn
from bot.storage import Database
from bot.storage.models import Feedback, Gap, GapOccurrence, utcnow

RETURN_WINDOW = timedelta(days=7)
NEW_VISIT = timedelta(minutes=30)
ANSWERED = ("answer", "notice")


@dataclass(frozen=True)
class TicketFact:
    sender_id: str
    reason: str
    channel: str | None
    lang: str | None
    created_at: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def week_of(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_analytics(db: Database, weeks: int = 8, now: datetime | None = None) -> dict[str, Any]:
    """Metrics per ISO week for the last `weeks` weeks, plus per-language and per-channel."""
    end = now or utcnow()
    start = end - timedelta(weeks=weeks)
    with db.session() as session:
        turns = list(
            session.scalars(
                select(KbTurn).where(KbTurn.created_at >= start).order_by(KbTurn.created_at)
            ).all()
        )
        verdicts = session.scalars(select(Feedback).where(Feedback.created_at >= start)).all()
        gap_hits = session.execute(
            select(GapOccurrence.created_at, Gap.id, Gap.question)
            .join(Gap, GapOccurrence.gap_id == Gap.id)
            .where(GapOccurrence.created_at >= start)
        ).all()
    tickets = _tickets(db, start)
    for t in turns:
        t.created_at = _aware(t.created_at)
    labels = [week_of(start + timedelta(weeks=i + 1)) for i in range(weeks)]
    by_week: dict[str, list[KbTurn]] = defaultdict(list)
    for t in turns:
        by_week[week_of(t.created_at)].append(t)
    rows = []
    for label in labels:
        week_turns = by_week.get(label, [])
        week_tickets = [k for k in tickets if week_of(k.created_at) == label]
        week_verdicts = [v for v in verdicts if week_of(_aware(v.created_at)) == label]
        top = Counter((gid, q) for at, gid, q in gap_hits if week_of(_aware(at)) == label)
        rows.append(
            {
                "week": label,
                **_metrics(week_turns, turns, tickets, week_tickets),
                "helpfulness_rate": _rate(
                    sum(v.helpful for v in week_verdicts), len(week_verdicts)
                ),
                "feedback": len(week_verdicts),
                "top_gaps": [
                    {"id": gid, "question": q, "occurrences": n}
                    for (gid, q), n in top.most_common(5)
                ],
            }
        )
    return {
        "weeks": rows,
        "by_language": _breakdown(turns, tickets, lambda t: t.lang or "?"),
        "by_channel": _breakdown(turns, tickets, lambda t: t.channel or "?"),
    }


def _metrics(
    week_turns: list[KbTurn],
    all_turns: list[KbTurn],
    tickets: list[TicketFact],
    week_tickets: list[TicketFact],
) -> dict[str, Any]:
    senders = sorted({t.sender_id for t in week_turns})
    deflected = repeat = 0
    for sender in senders:
        answered = [t for t in week_turns if t.sender_id == sender and t.outcome in ANSWERED]
        returned = any(_returned(t, all_turns) for t in answered)
        repeat += returned
        handed = any(
            k.sender_id == sender
            and answered
            and answered[0].created_at <= k.created_at <= answered[0].created_at + RETURN_WINDOW
            for k in tickets
        )
        deflected += bool(answered) and not returned and not handed
    conversations = len(senders)
    reasons = Counter(k.reason for k in week_tickets)
    return {
        "conversations": conversations,
        "turns": len(week_turns),
        "deflection_rate": _rate(deflected, conversations),
        "no_answer_rate": _rate(sum(t.outcome == "no_answer" for t in week_turns), len(week_turns)),
        "repeat_contact_rate": _rate(repeat, conversations),
        "handoffs": len(week_tickets),
        "handoff_rate": _rate(len(week_tickets), conversations),
        "handoff_rate_by_reason": {r: _rate(n, conversations) for r, n in sorted(reasons.items())},
    }


def _returned(answer: KbTurn, turns: list[KbTurn]) -> bool:
    """The same sender asked about the same entry again on a later visit within 7 days."""
    return any(
        t.sender_id == answer.sender_id
        and t.faq_id == answer.faq_id
        and answer.created_at + NEW_VISIT <= t.created_at <= answer.created_at + RETURN_WINDOW
        for t in turns
    )


def _breakdown(turns: list[KbTurn], tickets: list[TicketFact], key: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[KbTurn]] = defaultdict(list)
    for t in turns:
        groups[key(t)].append(t)
    rows = []
    for name, members in sorted(groups.items()):
        senders = {t.sender_id for t in members}
        mine = [k for k in tickets if k.sender_id in senders]
        rows.append({"key": name, **_metrics(members, turns, tickets, mine)})
    return rows


def _tickets(db: Database, start: datetime) -> list[TicketFact]:
    """Handoff tickets, read by table name so analytics work without the handoff feature."""
    if "tickets" not in inspect(db.engine).get_table_names():
        return []
    tickets = table(
        "tickets",
        column("sender_id"),
        column("reason"),
        column("channel"),
        column("lang"),
        column("created_at"),
    )
    with db.engine.connect() as connection:
        rows = connection.execute(select(tickets)).all()
    facts = []
    for row in rows:
        created = row.created_at
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        created = _aware(created)
        if created >= start:
            facts.append(TicketFact(row.sender_id, row.reason, row.channel, row.lang, created))
    return facts


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
