"""The gap report: gaps ranked by impact, with what an editor needs to act on them.

Impact = occurrences weighted by recency (a gap last seen two weeks ago counts
half) plus two per handoff it caused, since a handoff costs an agent's time.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.storage import Database
from bot.storage.models import Gap, utcnow

HALF_LIFE_DAYS = 14.0
HANDOFF_WEIGHT = 2.0
MAX_PHRASINGS = 20
KIND_LABELS = {"no_answer": "no answer", "not_helpful": "answer not helping"}
CSV_FIELDS = (
    "id",
    "kind",
    "status",
    "impact",
    "occurrences",
    "handoffs",
    "question",
    "languages",
    "nearest_faq_id",
    "nearest_score",
    "team",
    "first_seen",
    "last_seen",
)


@dataclass(frozen=True)
class GapFilter:
    """Which gaps the report lists; a None field does not filter."""

    status: str | None = "open"
    lang: str | None = None
    team: str | None = None
    kind: str | None = None
    limit: int = 200


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def impact(occurrences: int, handoffs: int, last_seen: datetime, now: datetime) -> float:
    """Rank score: occurrences halving every HALF_LIFE_DAYS since the last one, plus HANDOFF_WEIGHT
    per handoff, so recent gaps that cost agents' time come first.
    """
    age_days = max((now - _aware(last_seen)).total_seconds() / 86400, 0.0)
    decayed = float(occurrences * 0.5 ** (age_days / HALF_LIFE_DAYS))
    return round(decayed + HANDOFF_WEIGHT * handoffs, 3)


def gap_rows(db: Database, where: GapFilter | None = None) -> list[dict[str, Any]]:
    """Gaps matching the filter, most impact first, as JSON-ready dicts."""
    where = where or GapFilter()
    query = select(Gap).options(selectinload(Gap.occurrences))
    if where.status:
        query = query.where(Gap.status == where.status)
    if where.team:
        query = query.where(Gap.team == where.team)
    if where.kind:
        query = query.where(Gap.kind == where.kind)
    now = utcnow()
    with db.session() as session:
        rows = [gap_row(g, now) for g in session.scalars(query).all()]
    if where.lang:
        rows = [r for r in rows if where.lang in r["languages"]]
    rows.sort(key=lambda r: (-r["impact"], -r["id"]))
    return rows[: where.limit]


def gap_detail(db: Database, gap_id: int) -> dict[str, Any] | None:
    """One gap with up to 100 of its latest occurrences, for the editor; None for an unknown id."""
    with db.session() as session:
        gap = session.get(Gap, gap_id)
        if gap is None:
            return None
        row = gap_row(gap, utcnow(), phrasings=200)
        row["occurrence_list"] = [
            {
                "question": o.question,
                "lang": o.lang,
                "channel": o.channel,
                "kind": o.kind,
                "sender_id": o.sender_id,
                "candidates": o.candidates,
                "at": _aware(o.created_at).isoformat(),
            }
            for o in sorted(gap.occurrences, key=lambda o: o.created_at, reverse=True)[:100]
        ]
        return row


def gap_row(gap: Gap, now: datetime, phrasings: int = MAX_PHRASINGS) -> dict[str, Any]:
    """A gap as the report's row (JSON-ready), with at most `phrasings` distinct phrasings."""
    occurrences = gap.occurrences
    langs = Counter(o.lang or "?" for o in occurrences)
    weeks = Counter(_week(o.created_at) for o in occurrences)
    distinct: dict[str, str | None] = {}
    for o in occurrences:
        distinct.setdefault(o.question.strip(), o.lang)
    count = len(occurrences) or gap.occurrence_count
    handoffs = sum(o.kind == "handoff_after_answer" for o in occurrences) or gap.handoff_count
    return {
        "id": gap.id,
        "kind": gap.kind,
        "kind_label": KIND_LABELS.get(gap.kind, gap.kind),
        "status": gap.status,
        "question": gap.question,
        "lang": gap.lang,
        "phrasings": [{"text": t, "lang": lang} for t, lang in list(distinct.items())[:phrasings]],
        "occurrences": count,
        "handoffs": handoffs or 0,
        "languages": dict(sorted(langs.items())),
        "weeks": dict(sorted(weeks.items())),
        "faq_id": gap.faq_id,
        "nearest_faq_id": gap.nearest_faq_id,
        "nearest_score": gap.nearest_score,
        "team": gap.team,
        "resolution": gap.resolution,
        "impact": impact(count, handoffs or 0, gap.last_seen_at, now),
        "first_seen": _aware(gap.created_at).isoformat(),
        "last_seen": _aware(gap.last_seen_at).isoformat(),
    }


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """The report as CSV, with cells that a spreadsheet would run as formulas defused."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        flat = dict(row, kind=row["kind_label"], first_seen=row["first_seen"][:19])
        flat["last_seen"] = row["last_seen"][:19]
        flat["languages"] = " ".join(f"{k}:{v}" for k, v in row["languages"].items())
        writer.writerow({k: spreadsheet_safe(v) for k, v in flat.items()})
    return out.getvalue()


# A cell a spreadsheet would run as a formula: customers write the questions (OWASP,
# "CSV injection"). Such a cell gets a leading apostrophe, which shows it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would read as a formula (CSV injection); other values
    pass unchanged.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def rows_to_table(rows: list[dict[str, Any]]) -> str:
    """The report as a fixed-width text table for the terminal; questions cut at 70 characters."""
    lines = [f"{'id':>5} {'impact':>7} {'occ':>4} {'hand':>4}  {'kind':18} {'langs':16} question"]
    for r in rows:
        langs = ",".join(f"{k}{v}" for k, v in r["languages"].items())
        question = r["question"].replace("\n", " ")[:70]
        lines.append(
            f"{r['id']:>5} {r['impact']:>7.2f} {r['occurrences']:>4} {r['handoffs']:>4}  "
            f"{r['kind_label']:18} {langs:16} {question}"
        )
    return "\n".join(lines)
