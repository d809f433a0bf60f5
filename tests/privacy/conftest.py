"""A bot database and a tracker store with rows of known ages, on SQLite and PostgreSQL.

The tracker store's `events` table is created from bot/privacy/tracker.py's copy of
Rasa 3.6's SQLEvent; tests/e2e/test_privacy.py runs the same code against the
table the real Rasa server wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from bot.gaps.models import KbTurn
from bot.privacy.tracker import EVENTS, TrackerStore
from bot.storage import Database
from bot.storage.models import (
    Contact,
    ConversationRating,
    Feedback,
    Gap,
    GapOccurrence,
    Ticket,
    TicketMessage,
)
from bot.storage.security_models import WebhookDelivery

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[TrackerStore]:
    """Rasa's store: its own SQLite file, or beside the bot's tables on PostgreSQL."""
    url = database_url if database_url.startswith("postgresql") else f"sqlite:///{tmp_path}/t.db"
    engine = create_engine(url)
    EVENTS.metadata.create_all(engine)
    engine.dispose()
    tracker_store = TrackerStore(url)
    yield tracker_store
    tracker_store.dispose()


def add_events(
    store: TrackerStore, sender: str, events: list[tuple[str, float, dict[str, Any]]]
) -> None:
    """(type, days ago, extra fields) per event, as Rasa's SQLTrackerStore writes them."""
    assert store.engine is not None
    with store.engine.begin() as connection:
        for kind, days, extra in events:
            at = ago(days).timestamp()
            data = {"event": kind, "timestamp": at, **extra}
            connection.execute(
                EVENTS.insert().values(
                    sender_id=sender,
                    type_name=kind,
                    timestamp=at,
                    intent_name=None,
                    action_name=extra.get("name"),
                    data=json.dumps(data),
                )
            )


def user(days: float, text: str, **metadata: Any) -> tuple[str, float, dict[str, Any]]:
    return ("user", days, {"text": text, "metadata": metadata})


def session_start(days: float) -> list[tuple[str, float, dict[str, Any]]]:
    return [
        ("action", days, {"name": "action_session_start"}),
        ("session_started", days, {}),
    ]


def ticket(
    ticket_id: str,
    sender: str,
    created: float,
    resolved: float | None,
    customer_id: str | None = None,
    details: dict[str, Any] | None = None,
    text: str = "min ordre er forsinket",
) -> list[object]:
    """A ticket with one customer message."""
    return [
        Ticket(
            id=ticket_id,
            sender_id=sender,
            channel="rest",
            lang="nb",
            customer_id=customer_id,
            reason="requested",
            evidence=[],
            queue="general",
            priority="normal",
            status="resolved" if resolved is not None else "queued",
            summary=f"summary of {ticket_id}",
            details=details or {},
            created_at=ago(created),
            resolved_at=ago(resolved) if resolved is not None else None,
        ),
        TicketMessage(ticket_id=ticket_id, role="customer", text=text, sent_at=ago(created)),
    ]


def gap_with(occurrences: list[tuple[str, float, str, str]], status: str = "open") -> Gap:
    """A gap and its occurrences: (sender, days ago, lang, question)."""
    gap = Gap(
        kind="no_answer",
        question=occurrences[0][3],
        normalized=occurrences[0][3].casefold(),
        lang=occurrences[0][2],
        status=status,
        occurrence_count=len(occurrences),
    )
    gap.occurrences = [
        GapOccurrence(question=q, lang=lang, sender_id=sender, channel="rest", created_at=ago(d))
        for sender, d, lang, q in occurrences
    ]
    return gap


def turn(sender: str, days: float, outcome: str = "answer") -> KbTurn:
    return KbTurn(
        sender_id=sender, channel="rest", lang="nb", outcome=outcome, created_at=ago(days)
    )


def verdict(sender: str, days: float) -> Feedback:
    return Feedback(sender_id=sender, faq_id="delivery", helpful=True, created_at=ago(days))


def rating(sender: str, days: float) -> ConversationRating:
    return ConversationRating(
        sender_id=sender, session_started_at=ago(days), score=4, created_at=ago(days)
    )


def contact(customer_id: str, sender: str, days: float) -> Contact:
    return Contact(
        customer_id=customer_id, topic="delivery", sender_id=sender, created_at=ago(days)
    )


def outbox(row_id: str, ticket_id: str, days: float) -> WebhookDelivery:
    return WebhookDelivery(
        id=row_id,
        url="https://helpdesk.example/hook",
        payload={"event": "ticket.created", "ticket": {"id": ticket_id}},
        status="delivered",
        created_at=ago(days),
    )
