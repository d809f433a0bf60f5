from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.handoff import tickets
from bot.handoff.conversation import Turn
from bot.storage import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _new(**overrides: Any) -> tickets.NewTicket:
    values: dict[str, Any] = {
        "sender_id": "s1",
        "channel": "rest",
        "lang": "nb",
        "customer_id": "c1",
        "tier": None,
        "reason": "complaint",
        "evidence": ["said 'klage'"],
        "queue": "complaints",
        "priority": "high",
        "summary": "complaint → complaints",
        "topics": ["shipping_time"],
        "answers": [{"faq_id": "shipping_time", "score": 0.8, "feedback": "not_helpful"}],
        "transcript": [Turn("customer", "Jeg vil klage", NOW), Turn("bot", "Beklager", NOW)],
        "paused_after": NOW.timestamp(),
        "due_at": NOW + timedelta(hours=24),
    }
    values.update(overrides)
    return tickets.NewTicket(**values)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def test_ticket_lifecycle_with_paused_messages_and_follow_up(db: Database) -> None:
    opened = tickets.open_ticket(db, _new(), NOW)
    ticket_id = opened["id"]
    assert [m["role"] for m in opened["transcript"]] == ["customer", "bot"]
    assert tickets.queued_ahead(db, "complaints") == 1

    later = NOW.timestamp() + 30
    paused = [(NOW.timestamp() - 5, "before"), (later, "Ordre 55512")]
    assert tickets.add_paused_messages(db, ticket_id, paused) == 1
    assert tickets.add_paused_messages(db, ticket_id, paused) == 0  # once each

    claimed = tickets.claim(db, ticket_id, "kari", NOW + timedelta(minutes=2))
    assert (claimed["status"], claimed["assignee"]) == ("assigned", "kari")
    tickets.add_message(db, ticket_id, "agent", "Hei!", NOW + timedelta(minutes=3), "kari")
    resolved = tickets.resolve(db, ticket_id, "kari", NOW + timedelta(hours=1), 3)
    assert resolved["status"] == "resolved"
    assert resolved["first_reply_at"] == (NOW + timedelta(minutes=3)).isoformat()
    assert resolved["follow_up_at"] == (NOW + timedelta(days=3, hours=1)).isoformat()
    assert [m["text"] for m in resolved["transcript"] if m["paused"]] == ["Ordre 55512"]
    assert [t["id"] for t in tickets.follow_ups(db, NOW)] == [ticket_id]

    with pytest.raises(tickets.TicketStateError):
        tickets.add_message(db, ticket_id, "agent", "late", NOW, "kari")
    with pytest.raises(tickets.TicketNotFound):
        tickets.get_ticket(db, "T0000")


def test_contacts_remember_customer_and_topic(db: Database) -> None:
    tickets.record_contact(db, "c1", "shipping_price", "s1", NOW)
    assert tickets.earlier_contacts(db, "c1", "shipping_price") == [NOW]
    assert tickets.earlier_contacts(db, "c1", "payment_options") == []


def test_callback_details_are_read_from_paused_messages() -> None:
    found = tickets.contact_details(["Ring meg på +47 412 34 567", "eller kari@example.no takk"])
    assert found == {"phone": "+47 412 34 567", "email": "kari@example.no"}
    assert tickets.contact_details(["order 5512873"]) == {}
