"""Conversation ratings on SQLite and PostgreSQL: one per conversation, in the analytics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.gaps.analytics import weekly_analytics
from bot.satisfaction import RatingRecord, record_rating
from bot.storage import Database
from bot.storage.models import ConversationRating

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # a Wednesday


def test_one_rating_per_sender_and_session(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    started = NOW - timedelta(minutes=5)
    assert record_rating(db, RatingRecord("s1", started, 5, "nb", "rest"))
    assert not record_rating(db, RatingRecord("s1", started, 1, "nb", "rest"))
    assert record_rating(db, RatingRecord("s1", started + timedelta(hours=2), 2, "nb", "rest"))
    assert record_rating(db, RatingRecord("s2", started, 3, "sv", "whatsapp"))
    with db.session() as session:
        rows = session.scalars(select(ConversationRating).order_by(ConversationRating.id)).all()
        assert [(r.sender_id, r.score) for r in rows] == [("s1", 5), ("s1", 2), ("s2", 3)]
    db.dispose()


def test_satisfaction_beside_the_resolution_figures(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    with db.session() as session:
        for i, (score, lang, channel, days) in enumerate(
            [
                (5, "nb", "rest", 0),
                (4, "nb", "whatsapp", 1),
                (2, "sv", "rest", 1),
                (3, "nb", "rest", 8),
            ]
        ):
            at = NOW - timedelta(days=days, hours=1)
            session.add(
                ConversationRating(
                    sender_id=f"s{i}",
                    session_started_at=at,
                    score=score,
                    lang=lang,
                    channel=channel,
                    created_at=at,
                )
            )
    found = weekly_analytics(db, weeks=2, now=NOW)
    this_week, last_week = found["weeks"][-1], found["weeks"][-2]
    assert this_week["satisfaction"] == {"count": 2, "of": 3, "rate": 0.6667, "average": 3.67}
    assert last_week["satisfaction"] == {"count": 0, "of": 1, "rate": 0.0, "average": 3.0}
    db.dispose()
