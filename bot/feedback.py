"""Customers' verdicts on answers; a "not helpful" is also a gap for that entry."""

from __future__ import annotations

from dataclasses import dataclass

from bot.gaps import GapRecord, record_gap
from bot.storage import Database
from bot.storage.models import Feedback


@dataclass(frozen=True)
class FeedbackRecord:
    """A customer's verdict on one answer, as the feedback action records it."""

    sender_id: str
    faq_id: str
    helpful: bool
    lang: str | None = None
    channel: str | None = None
    question: str | None = None
    score: float | None = None


def record_feedback(db: Database, record: FeedbackRecord) -> int | None:
    """Store the verdict; for "not helpful" also log a gap and return its id."""
    with db.session() as session:
        session.add(
            Feedback(
                sender_id=record.sender_id,
                channel=record.channel,
                faq_id=record.faq_id,
                lang=record.lang,
                helpful=record.helpful,
                question=record.question,
                score=record.score,
            )
        )
    if record.helpful:
        return None
    return record_gap(
        db,
        GapRecord(
            kind="not_helpful",
            question=record.question or record.faq_id,
            sender_id=record.sender_id,
            lang=record.lang,
            channel=record.channel,
            faq_id=record.faq_id,
        ),
    )
