"""Recording gap occurrences; the same question again joins its open gap."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.storage import Database
from bot.storage.models import Gap, GapOccurrence, utcnow

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class GapRecord:
    """One customer question the bot could not (or did not usefully) answer."""

    kind: str  # no_answer | not_helpful
    question: str
    sender_id: str
    lang: str | None = None
    channel: str | None = None
    faq_id: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


def normalize(question: str) -> str:
    """Case-, accent-spacing- and punctuation-insensitive key for exact repeats."""
    text = unicodedata.normalize("NFC", question).casefold()
    return _NON_WORD.sub(" ", text).strip()[:500]


def record_gap(db: Database, record: GapRecord) -> int:
    """Add an occurrence to the matching open gap (or a new one); return the gap id."""
    key = normalize(record.question)
    with db.session() as session:
        gap = session.scalars(
            select(Gap)
            .where(Gap.status == "open", Gap.kind == record.kind, Gap.normalized == key)
            .where(Gap.faq_id.is_(None) if record.faq_id is None else Gap.faq_id == record.faq_id)
            .limit(1)
        ).first()
        now = utcnow()
        if gap is None:
            gap = Gap(
                kind=record.kind,
                question=record.question,
                normalized=key,
                lang=record.lang,
                faq_id=record.faq_id,
                status="open",
                occurrence_count=0,
                created_at=now,
            )
            session.add(gap)
        gap.occurrence_count += 1
        gap.last_seen_at = now
        session.add(
            GapOccurrence(
                gap=gap,
                question=record.question,
                lang=record.lang,
                sender_id=record.sender_id,
                channel=record.channel,
                candidates=record.candidates,
                created_at=now,
            )
        )
        session.flush()
        return gap.id
