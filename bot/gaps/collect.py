"""Recording gap occurrences, and grouping them as they arrive.

Kinds of occurrence, and the gap they join:
- `no_answer`, `clarify_abandoned`, and `handoff_after_answer` without an entry:
  the open "no answer" gap whose questions are most similar (embedding cosine
  at or above `GROUP_THRESHOLD`), else a new one;
- `not_helpful`, and `handoff_after_answer` with the entry the bot answered with:
  the open "answer not helping" gap of that entry.
Without an embedder (callers outside the answering path), a question joins an
open gap with the same normalised text; `bot gaps recluster` groups it later.

Replicas record at the same time: finding the gap, opening one and adding to its
count and vector happen under the bucket's database lock (`gap_lock`), so no
count is lost and one question does not open two gaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.gaps.noise import is_gap_worthy
from bot.gaps.vectors import Embedder, from_bytes, to_bytes, unit
from bot.metrics import GAPS_OPENED
from bot.storage import Database
from bot.storage.locks import named_lock
from bot.storage.models import Gap, GapOccurrence, utcnow
from bot.text import normalize
from svar_privacy import log_id

logger = logging.getLogger(__name__)
GROUP_THRESHOLD = 0.55  # online; chosen with `bot gaps eval` on data/eval/gap_groups.yml
KINDS = ("no_answer", "not_helpful", "clarify_abandoned", "handoff_after_answer")
NO_ANSWER, NOT_HELPING = "no_answer", "not_helpful"


@dataclass(frozen=True)
class GapRecord:
    """One customer question the bot could not (or did not usefully) answer.

    `faq_id`: the entry the customer rejected (not_helpful, handoff after an
    answer); `candidates`: what the search found, best first; `team`: the queue
    of the nearest entry, for the editors' filter.
    """

    kind: str
    question: str
    sender_id: str
    lang: str | None = None
    channel: str | None = None
    faq_id: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    team: str | None = None


def bucket_of(record: GapRecord) -> str:
    """The gap kind an occurrence belongs to: "no answer" or "answer not helping"."""
    if record.kind == NOT_HELPING or (record.kind == "handoff_after_answer" and record.faq_id):
        return NOT_HELPING
    return NO_ANSWER


def record_gap(db: Database, record: GapRecord, embed: Embedder | None = None) -> int | None:
    """Add an occurrence to its gap (joining or opening one); return the gap id.

    Returns None for messages that are not gaps (greetings, noise, abuse).
    """
    if record.kind not in KINDS:
        raise ValueError(f"unknown gap kind {record.kind!r}")
    bucket = bucket_of(record)
    if bucket == NO_ANSWER and not is_gap_worthy(record.question):
        return None
    vector = None
    if embed is not None and bucket == NO_ANSWER:
        vector = unit(embed([record.question], [record.lang])[0])
    with db.session() as session:
        gap_lock(session, bucket, record.faq_id)
        gap = _find_gap(session, record, bucket, vector)
        now = utcnow()
        if gap is None:
            gap = _new_gap(record, bucket)
            session.add(gap)
            GAPS_OPENED.labels(bucket).inc()
        _add_to_gap(gap, record, vector)
        gap.last_seen_at = now
        session.add(
            GapOccurrence(
                gap=gap,
                kind=record.kind,
                faq_id=record.faq_id,
                question=record.question,
                lang=record.lang,
                sender_id=record.sender_id,
                channel=record.channel,
                candidates=record.candidates,
                vector=None if vector is None else to_bytes(vector),
                created_at=now,
            )
        )
        session.flush()
        logger.info(
            "gap %s: %s occurrence from sender %s", gap.id, record.kind, log_id(record.sender_id)
        )
        return gap.id


def gap_lock(session: Session, bucket: str, faq_id: str | None = None) -> None:
    """Hold the lock of a gap bucket (one entry's, for "answer not helping") until commit."""
    named_lock(session, f"gaps:{bucket}:{faq_id}" if bucket == NOT_HELPING else f"gaps:{bucket}")


def _find_gap(
    session: Session, record: GapRecord, bucket: str, vector: np.ndarray | None
) -> Gap | None:
    open_gaps = select(Gap).where(Gap.status == "open", Gap.kind == bucket)
    if bucket == NOT_HELPING:
        return session.scalars(open_gaps.where(Gap.faq_id == record.faq_id).limit(1)).first()
    exact = session.scalars(
        open_gaps.where(Gap.normalized == normalize(record.question)).limit(1)
    ).first()
    if exact is not None or vector is None:
        return exact
    return nearest_gap(session, vector)


def nearest_gap(session: Session, vector: np.ndarray) -> Gap | None:
    """The open no-answer gap most similar to `vector`, if it is similar enough.

    Reads the open gaps' ids and vectors only, and loads the one gap it joins: every
    no-answer turn asks, and a gap list runs to thousands of open gaps.
    """
    found = session.execute(
        select(Gap.id, Gap.vector).where(
            Gap.status == "open", Gap.kind == NO_ANSWER, Gap.vector.is_not(None)
        )
    ).all()
    rows = [(gap_id, stored) for gap_id, stored in found if stored is not None]
    if not rows:
        return None
    matrix = np.vstack([unit(from_bytes(stored)) for _, stored in rows])
    scores = matrix @ vector
    best = int(np.argmax(scores))
    return session.get(Gap, rows[best][0]) if scores[best] >= GROUP_THRESHOLD else None


def _new_gap(record: GapRecord, bucket: str) -> Gap:
    top = record.candidates[0] if record.candidates else {}
    return Gap(
        kind=bucket,
        question=record.question,
        normalized=normalize(record.question),
        lang=record.lang,
        faq_id=record.faq_id if bucket == NOT_HELPING else None,
        nearest_faq_id=record.faq_id or top.get("faq_id"),
        nearest_score=top.get("score"),
        team=record.team,
        status="open",
        occurrence_count=0,
        handoff_count=0,
        created_at=utcnow(),
    )


def _add_to_gap(gap: Gap, record: GapRecord, vector: np.ndarray | None) -> None:
    """Count the occurrence and fold its vector into the gap's (a running sum)."""
    gap.occurrence_count = (gap.occurrence_count or 0) + 1
    if record.kind == "handoff_after_answer":
        gap.handoff_count = (gap.handoff_count or 0) + 1
    if vector is not None:
        total = vector if gap.vector is None else from_bytes(gap.vector) + vector
        gap.vector = to_bytes(total)
    if gap.team is None and record.team:
        gap.team = record.team
