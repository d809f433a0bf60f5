"""Export then erase one customer: everything of theirs is handed over, then gone from
every store; nothing of another customer's (whose id even contains theirs) is touched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from bot.privacy.access import ERASED, erase, export
from bot.privacy.models import Erasure
from bot.privacy.subjects import SubjectError, requested
from bot.privacy.tracker import EVENTS, TrackerStore, with_driver
from bot.storage import Database
from bot.storage.models import Gap
from tests.privacy.conftest import (
    NOW,
    add_events,
    contact,
    gap_with,
    outbox,
    rating,
    session_start,
    ticket,
    turn,
    user,
    verdict,
)

A, B = "cust-A", "cust-AB"  # B's id contains A's: a text search alone would confuse them
A_SENDERS = ("a-web", "a-wa")


def _seed(db: Database, store: TrackerStore) -> dict[str, int]:
    signed_a = {"customer_id": A, "customer_verified": True}
    add_events(store, "a-web", [*session_start(3), user(3, "ALPHA web question", **signed_a)])
    add_events(store, "a-wa", [*session_start(2), user(2, "ALPHA whatsapp words")])
    signed_b = {"customer_id": B, "customer_verified": True}
    add_events(store, "b-web", [*session_start(3), user(3, "BRAVO web question", **signed_b)])
    with db.session() as session:
        session.add_all(
            [
                *ticket(
                    "T00000000A1",
                    "a-wa",
                    2,
                    None,
                    A,
                    {"callback": {"phone": "ALPHA-PHONE"}},
                    "ALPHA ticket",
                ),
                *ticket(
                    "T00000000B1",
                    "b-web",
                    3,
                    None,
                    B,
                    {"callback": {"phone": "BRAVO-PHONE"}},
                    "BRAVO ticket",
                ),
                outbox("wa", "T00000000A1", 1),
                outbox("wb", "T00000000B1", 1),
                turn("a-web", 3),
                turn("b-web", 3),
                verdict("a-web", 3),
                verdict("b-web", 3),
                rating("a-web", 3),
                rating("b-web", 3),
                contact(A, "a-web", 3),
                contact(B, "b-web", 3),
            ]
        )
        shared = gap_with([("a-web", 3, "en", "ALPHA gap"), ("b-web", 2, "en", "BRAVO gap")])
        only_a_open = gap_with([("a-web", 3, "en", "ALPHA lonely gap")])
        only_a_done = gap_with([("a-web", 3, "en", "ALPHA answered gap")], status="dismissed")
        session.add_all([shared, only_a_open, only_a_done])
        session.flush()
        return {"shared": shared.id, "open": only_a_open.id, "done": only_a_done.id}


def _every_value(db: Database, store: TrackerStore) -> list[str]:
    """Every cell of every table of both databases, as text."""
    values = []
    for engine in (db.engine, store.engine):
        assert engine is not None
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in connection.execute(select(table)):
                    values += [str(v) for v in row if v is not None and not isinstance(v, bytes)]
    return values


def _without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "generated_at"}


def test_export_then_erase_one_customer(db: Database, store: TrackerStore) -> None:
    gaps = _seed(db, store)
    b_before = export(db, store, "customer", B, NOW)

    document = export(db, store, "customer", A, NOW)
    text = json.dumps(document, ensure_ascii=False)
    assert document["subject"]["sender_ids"] == sorted(A_SENDERS)
    for marker in (
        "ALPHA web question",
        "ALPHA whatsapp words",
        "ALPHA ticket",
        "ALPHA-PHONE",
        "ALPHA gap",
    ):
        assert marker in text, marker
    assert "BRAVO" not in text
    stores = document["stores"]
    assert {
        len(stores[s])
        for s in (
            "tickets",
            "turns",
            "feedback",
            "conversation_ratings",
            "contacts",
            "webhook_outbox",
        )
    } == {1}
    assert len(stores["gap_occurrences"]) == 3
    assert set(stores["conversations"]) == set(A_SENDERS)

    counts = erase(db, store, "customer", A, "admin", "T00000000A1", NOW)

    assert counts["tickets"] == 1 and counts["gap_occurrences"] == 3
    assert counts["conversation_ratings"] == 1
    assert counts["conversation_events"] == 3 + 3
    values = _every_value(db, store)
    assert not [v for v in values if "ALPHA" in v]
    assert not set(values) & {A, *A_SENDERS}
    assert [v for v in values if "BRAVO" in v]
    assert _without_time(export(db, store, "customer", B, NOW)) == _without_time(b_before)
    with db.session() as session:
        assert session.get(Gap, gaps["shared"]).question == "BRAVO gap"  # type: ignore[union-attr]
        assert session.get(Gap, gaps["open"]) is None
        assert session.get(Gap, gaps["done"]).question == ERASED  # type: ignore[union-attr]
        audit = session.scalars(select(Erasure)).one()
    assert (audit.actor, audit.subject, audit.reference) == ("admin", "customer", "T00000000A1")
    assert audit.counts == counts


def test_erase_by_sender_leaves_the_customers_other_conversations(
    db: Database, store: TrackerStore
) -> None:
    _seed(db, store)
    counts = erase(db, store, "sender", "a-web", "admin", "not a ticket id: ALPHA", NOW)
    assert counts["conversation_events"] == 3 and counts["tickets"] == 0
    left = export(db, store, "customer", A, NOW)
    assert left["subject"]["sender_ids"] == ["a-wa"]
    assert "ALPHA web question" not in json.dumps(left)
    with db.session() as session:
        assert session.scalars(select(Erasure.reference)).one() is None  # free text refused


def test_a_subject_is_one_customer_or_one_sender() -> None:
    assert requested(" c1 ", None) == ("customer", "c1")
    assert requested(None, "s1") == ("sender", "s1")
    for bad in ((None, None), ("c1", "s1"), ("  ", None)):
        with pytest.raises(SubjectError):
            requested(*bad)


def test_events_table_has_rasas_columns() -> None:
    assert [c.name for c in EVENTS.columns] == [
        "id",
        "sender_id",
        "type_name",
        "timestamp",
        "intent_name",
        "action_name",
        "data",
    ]


def test_rasas_postgres_url_gets_rasas_driver() -> None:
    assert with_driver("postgresql://u@h:5432/rasa") == "postgresql+psycopg2://u@h:5432/rasa"
    assert with_driver("postgres://u@h/rasa") == "postgresql+psycopg2://u@h/rasa"
    assert with_driver("sqlite:////var/tracker.db") == "sqlite:////var/tracker.db"
