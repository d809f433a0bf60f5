from __future__ import annotations

from sqlalchemy import inspect, select

from bot.feedback import FeedbackRecord, record_feedback
from bot.gaps import GapRecord, record_gap
from bot.storage import Database
from bot.storage.models import Feedback, Gap, GapOccurrence


def test_migrate_creates_schema_and_is_idempotent(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    assert {"gaps", "gap_occurrences", "feedback", "alembic_version"} <= tables
    db.dispose()


def test_record_gap_same_question_joins_open_gap(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    candidates = [{"faq_id": "delivery_time", "score": 0.41}]
    first = record_gap(
        db, GapRecord("no_answer", "Do you sell kayaks?", "s1", "en", "rest", candidates=candidates)
    )
    again = record_gap(db, GapRecord("no_answer", "do you sell KAYAKS", "s2", "en", "socketio"))
    other = record_gap(db, GapRecord("no_answer", "Er dere åpne på søndag?", "s3", "nb"))
    assert first == again != other
    with db.session() as session:
        gap = session.get(Gap, first)
        assert gap is not None and gap.occurrence_count == 2 and gap.status == "open"
        occurrences = session.scalars(
            select(GapOccurrence).where(GapOccurrence.gap_id == first).order_by(GapOccurrence.id)
        ).all()
        assert [o.sender_id for o in occurrences] == ["s1", "s2"]
        assert occurrences[0].candidates == candidates
        assert session.get(Gap, other).lang == "nb"  # type: ignore[union-attr]
    db.dispose()


def test_record_feedback_not_helpful_is_also_a_gap(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    assert record_feedback(db, FeedbackRecord("s1", "delivery_time", True, "en")) is None
    gap_id = record_feedback(
        db, FeedbackRecord("s1", "delivery_time", False, "sv", "rest", "Hur lång tid?", 0.8)
    )
    with db.session() as session:
        verdicts = session.scalars(select(Feedback).order_by(Feedback.id)).all()
        assert [f.helpful for f in verdicts] == [True, False]
        assert verdicts[1].question == "Hur lång tid?"
        gap = session.get(Gap, gap_id)
        assert gap is not None and gap.kind == "not_helpful" and gap.faq_id == "delivery_time"
    db.dispose()
