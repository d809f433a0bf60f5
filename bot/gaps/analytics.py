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
  an agent's reply, of all gaps answered or dismissed that week;
- `satisfaction`: ratings of 4 or 5 on the 1-5 question at the end of a
  conversation the bot handled alone (bot/satisfaction.py), of all ratings given
  that week (or in the language, channel), with their `average`.
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

from bot.gaps import weekly_queries as queries
from bot.gaps.rollup import monday, refresh, week_of
from bot.storage import Database
from bot.storage.models import utcnow

__all__ = ["week_of", "weekly_analytics"]


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
        for name in queries.SUMMED:
            self.sums[name] += int(getattr(row, name) or 0)
        if row.handoff_reason:
            self.reasons[row.handoff_reason] += row.n


def weekly_analytics(db: Database, weeks: int = 8, now: datetime | None = None) -> dict[str, Any]:
    """Figures per ISO week for the last `weeks` weeks, plus per language and per channel."""
    end = now or utcnow()
    refresh(db, end)
    first_monday = monday(end) - timedelta(weeks=weeks - 1)
    labels = [week_of(first_monday + timedelta(weeks=i)) for i in range(weeks)]
    by_week: dict[str, _Tally] = defaultdict(_Tally)
    by_lang: dict[str, _Tally] = defaultdict(_Tally)
    by_channel: dict[str, _Tally] = defaultdict(_Tally)
    with db.session() as session:
        for row in queries.facts(session, labels, first_monday, end):
            for tally in (
                by_week[row.week],
                by_lang[row.lang or "?"],
                by_channel[row.channel or "?"],
            ):
                tally.add(row)
        verdicts = queries.verdicts(session, first_monday, end, labels)
        top = queries.top_gaps(session, first_monday, end, labels)
        drafts = queries.draft_share(session, first_monday, end, labels)
        rated = _ratings(queries.ratings(session, first_monday, end, labels))
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
                "satisfaction": _satisfaction(rated["week"][label]),
                "top_gaps": top.get(label, []),
            }
        )
    return {
        "weeks": rows,
        "by_language": [
            {"key": k, **_figures(t), "satisfaction": _satisfaction(rated["lang"][k])}
            for k, t in sorted(by_lang.items())
        ],
        "by_channel": [
            {"key": k, **_figures(t), "satisfaction": _satisfaction(rated["channel"][k])}
            for k, t in sorted(by_channel.items())
        ],
        "definitions": "bot/gaps/conversations.py; README section 'Resolution'",
    }


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


def _ratings(
    rows: list[tuple[str, str, str, int, int, int]],
) -> dict[str, defaultdict[str, Counter[str]]]:
    """(satisfied, ratings, score sum) per week, per language and per channel."""
    out: dict[str, defaultdict[str, Counter[str]]] = {
        axis: defaultdict(Counter) for axis in ("week", "lang", "channel")
    }
    for week, lang, channel, good, n, total in rows:
        for axis, key in (("week", week), ("lang", lang), ("channel", channel)):
            out[axis][key].update({"good": good, "n": n, "total": total})
    return out


def _satisfaction(c: Counter[str]) -> dict[str, Any]:
    average = round(c["total"] / c["n"], 2) if c["n"] else None
    return {**_share(c["good"], c["n"]), "average": average}


def _share(count: int, of: int) -> dict[str, Any]:
    return {"count": count, "of": of, "rate": _rate(count, of)}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
