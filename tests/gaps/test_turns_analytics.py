from __future__ import annotations

from datetime import timedelta

from bot.gaps.analytics import weekly_analytics
from bot.gaps.charts import conversations_chart, rates_chart
from bot.gaps.models import KbTurn
from bot.gaps.report import gap_rows
from bot.gaps.turns import Turn, log_turn, sweep_abandoned
from bot.storage import Database
from bot.storage.models import utcnow
from tests.gaps.conftest import topic_embed


def test_clarify_left_for_another_question_is_an_abandoned_clarify_gap(db: Database) -> None:
    log_turn(db, Turn("s1", "clarify", "rest", "en", question="parking for bikes?"), topic_embed)
    log_turn(db, Turn("s1", "answer", "rest", "en", faq_id="contact"), topic_embed)
    log_turn(db, Turn("s2", "clarify", "rest", "en", question="wifi here?"), topic_embed)
    log_turn(db, Turn("s2", "answer", "rest", "en", faq_id="x", chose_option=True), topic_embed)
    rows = gap_rows(db)
    assert [r["question"] for r in rows] == ["parking for bikes?"]
    with db.session() as session:
        kept = [t.question for t in session.query(KbTurn).all()]
    assert kept == [None, None, None, None]  # customers' words leave the turn log


def test_sweep_turns_stale_clarify_into_gaps(db: Database) -> None:
    with db.session() as session:
        session.add(
            KbTurn(
                sender_id="s3",
                outcome="clarify",
                lang="nb",
                question="hundar i butikken? dogs",
                created_at=utcnow() - timedelta(hours=2),
            )
        )
    assert sweep_abandoned(db, topic_embed) == 1
    assert sweep_abandoned(db, topic_embed) == 0
    assert gap_rows(db)[0]["languages"] == {"nb": 1}


def test_weekly_analytics_rates_and_charts(db: Database) -> None:
    now = utcnow()
    with db.session() as session:
        for sender, outcome, faq, ago in [
            ("a", "answer", "ship", timedelta(hours=1)),
            ("b", "no_answer", None, timedelta(hours=1)),
            ("c", "answer", "ship", timedelta(days=2)),
            ("c", "answer", "ship", timedelta(hours=2)),  # came back: repeat contact
        ]:
            session.add(
                KbTurn(
                    sender_id=sender,
                    outcome=outcome,
                    faq_id=faq,
                    lang="en",
                    channel="rest",
                    created_at=now - ago,
                )
            )
    data = weekly_analytics(db, weeks=2, now=now)
    weeks = data["weeks"]
    assert len(weeks) == 2
    total = sum(w["conversations"] for w in weeks)
    assert total >= 3
    this_week = weeks[-1]
    assert this_week["no_answer_rate"] is not None
    assert data["by_language"][0]["key"] == "en"
    assert data["by_channel"][0]["key"] == "rest"
    svg = conversations_chart(weeks)
    assert svg.startswith(b"<svg") and f">{this_week['conversations']}</text>".encode() in svg
    assert b"no answer: " in rates_chart(weeks)  # a point with its hover text
