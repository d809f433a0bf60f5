"""Weekly figures from the database rollup, on SQLite and PostgreSQL, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.gaps.analytics import weekly_analytics
from bot.gaps.models import ConversationFact, ConversationWeek, KbTurn
from bot.gaps.rollup import rebuild, refresh
from bot.storage import Database
from bot.storage.models import Contact, Feedback, Gap, Ticket

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday of 2026-W10


@pytest.fixture
def store(database_url: str) -> Any:
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


def add_turn(db: Database, sender: str, at: timedelta, outcome: str = "answer", **kw: Any) -> None:
    with db.session() as session:
        session.add(
            KbTurn(
                sender_id=sender,
                outcome=outcome,
                faq_id=kw.get("faq", "delivery") if outcome == "answer" else None,
                lang=kw.get("lang", "en"),
                channel=kw.get("channel", "socketio"),
                created_at=T0 + at,
            )
        )


def add_ticket(db: Database, sender: str, at: timedelta, reason: str, **kw: Any) -> None:
    with db.session() as session:
        session.add(
            Ticket(
                id=f"T{sender}{int(at.total_seconds())}"[:32],
                sender_id=sender,
                channel="socketio",
                lang="en",
                customer_id=kw.get("customer"),
                reason=reason,
                evidence=[],
                queue="general",
                priority="normal",
                status="resolved",
                summary="",
                topics=kw.get("topics", []),
                answers=[],
                details={},
                created_at=T0 + at,
            )
        )


def build_month(db: Database) -> None:
    add_turn(db, "a", timedelta(0))  # assumed, durable
    add_turn(db, "b", timedelta(minutes=1))  # confirmed
    with db.session() as session:
        session.add(
            Feedback(
                sender_id="b", faq_id="delivery", helpful=True, created_at=T0 + timedelta(minutes=2)
            )
        )
    add_turn(db, "c", timedelta(hours=1), "no_answer", lang="nb", channel="whatsapp")  # handed off
    add_ticket(db, "c", timedelta(hours=1, minutes=2), "repeated_failure")
    add_turn(db, "d", timedelta(hours=2))  # comes back on day 6 on another channel: re-contact
    add_turn(db, "d2", timedelta(days=6), channel="whatsapp")
    with db.session() as session:
        for sender in ("d", "d2"):
            session.add(
                Contact(customer_id="C9", topic="delivery", sender_id=sender, created_at=T0)
            )
    add_ticket(db, "e", timedelta(hours=3), "requested")  # straight to a person, no question


def test_weekly_figures_with_denominators(store: Database) -> None:
    build_month(store)
    data = weekly_analytics(store, weeks=4, now=T0 + timedelta(days=20))
    week = next(w for w in data["weeks"] if w["week"] == "2026-W10")
    assert week["conversations"] == 5  # a, b, c, d, d2; e asked nothing
    assert week["all_conversations"] == 6
    r = week["resolution"]
    assert r["confirmed"] == {"count": 1, "of": 5, "rate": 0.2}
    # assumed: a, d and d2 (d came back 6 days later: assumed, but not durable)
    assert r["assumed"] == {"count": 3, "of": 5, "rate": 0.6}
    assert r["recontact_7d"] == {"count": 1, "of": 5, "rate": 0.2}
    assert r["durable_7d"] == {"count": 3, "of": 5, "rate": 0.6}  # a, b, d2
    assert week["handoff_by_reason"] == {
        "repeated_failure": {"count": 1, "of": 6, "rate": round(1 / 6, 4)},
        "requested": {"count": 1, "of": 6, "rate": round(1 / 6, 4)},
    }
    assert week["no_answer"] == {"count": 1, "of": 5, "rate": 0.2}
    assert week["helpful"] == {"count": 1, "of": 1, "rate": 1.0}
    langs = {row["key"]: row for row in data["by_language"]}
    assert langs["nb"]["conversations"] == 1 and langs["nb"]["handoffs"] == 1
    channels = {row["key"]: row["conversations"] for row in data["by_channel"]}
    assert channels == {"socketio": 3, "whatsapp": 2}


def test_assumed_waits_24_hours_then_counts(store: Database) -> None:
    add_turn(store, "a", timedelta(0))
    early = weekly_analytics(store, weeks=1, now=T0 + timedelta(hours=23))["weeks"][-1]
    assert early["resolution"]["assumed"] == {"count": 0, "of": 0, "rate": None}
    late = weekly_analytics(store, weeks=1, now=T0 + timedelta(hours=25))["weeks"][-1]
    assert late["resolution"]["assumed"] == {"count": 1, "of": 1, "rate": 1.0}


def test_rollup_settles_old_conversations_and_recomputes_only_open_ones(store: Database) -> None:
    build_month(store)
    now = T0 + timedelta(days=20)
    assert refresh(store, now) == 6
    # A new turn only recomputes its own sender's conversations.
    add_turn(store, "z", timedelta(days=20, minutes=2))
    assert refresh(store, now + timedelta(minutes=5)) == 1
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ConversationFact)) == 7
        assert session.scalar(select(func.sum(ConversationFact.settled))) == 6
    incremental = weekly_analytics(store, weeks=4, now=now + timedelta(minutes=5))
    assert rebuild(store, now + timedelta(minutes=5)) == 7
    assert weekly_analytics(store, weeks=4, now=now + timedelta(minutes=5)) == incremental


def test_gaps_closed_by_an_approved_draft_share(store: Database) -> None:
    with store.session() as session:
        for resolution in ("draft 1: new entry parking", "new entry wifi", None):
            session.add(
                Gap(
                    kind="no_answer",
                    question="q",
                    normalized="q",
                    status="answered" if resolution else "open",
                    occurrence_count=1,
                    resolution=resolution,
                    resolved_at=T0 + timedelta(days=1) if resolution else None,
                )
            )
    week = weekly_analytics(store, weeks=1, now=T0 + timedelta(days=2))["weeks"][-1]
    assert week["gaps_closed_by_draft"] == {"count": 1, "of": 2, "rate": 0.5}


def test_a_return_on_another_channel_updates_the_first_conversation(store: Database) -> None:
    add_turn(store, "web:1", timedelta(0))
    with store.session() as session:
        for sender in ("web:1", "wa:1"):
            session.add(
                Contact(customer_id="C1", topic="delivery", sender_id=sender, created_at=T0)
            )
    first = weekly_analytics(store, weeks=2, now=T0 + timedelta(days=2))["weeks"][-1]
    assert first["resolution"]["assumed"]["count"] == 1
    add_turn(store, "wa:1", timedelta(days=2, minutes=1), channel="whatsapp")  # day 2, same topic
    weeks = weekly_analytics(store, weeks=2, now=T0 + timedelta(days=10))["weeks"]
    later = next(w for w in weeks if w["week"] == "2026-W10")
    assert later["resolution"]["recontact_7d"] == {"count": 1, "of": 2, "rate": 0.5}
    assert later["resolution"]["durable_7d"] == {"count": 1, "of": 2, "rate": 0.5}


def test_final_weeks_are_summed_once_and_read_the_same(store: Database) -> None:
    build_month(store)
    # Day 13: every window has passed, but W10 could still be recomputed: read live.
    live = weekly_analytics(store, weeks=3, now=T0 + timedelta(days=13, hours=1))
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ConversationWeek)) == 0
    # Day 20: W10 is final; its sums come from conversation_weeks.
    summed = weekly_analytics(store, weeks=4, now=T0 + timedelta(days=20))
    with store.session() as session:
        assert session.scalar(select(func.sum(ConversationWeek.n))) == 6
    week = "2026-W10"
    assert next(w for w in summed["weeks"] if w["week"] == week) == next(
        w for w in live["weeks"] if w["week"] == week
    )
    assert summed["by_language"] == live["by_language"]


def test_a_customer_known_for_long_is_recognised_on_another_channel(store: Database) -> None:
    with store.session() as session:
        for sender in ("web:7", "wa:7"):  # learnt a month before these conversations
            at = T0 - timedelta(days=30)
            session.add(
                Contact(customer_id="C7", topic="delivery", sender_id=sender, created_at=at)
            )
    add_turn(store, "web:7", timedelta(0))
    weekly_analytics(store, weeks=1, now=T0 + timedelta(days=1))
    add_turn(store, "wa:7", timedelta(days=2), channel="whatsapp")
    weeks = weekly_analytics(store, weeks=2, now=T0 + timedelta(days=10))["weeks"]
    week = next(w for w in weeks if w["week"] == "2026-W10")
    assert week["resolution"]["recontact_7d"]["count"] == 1
