"""The bot service's own masking on the way into the database, and the callback kept aside."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.gaps.models import KbTurn
from bot.handoff import tickets
from bot.handoff.conversation import Turn
from bot.storage import Database
from bot.storage.masking import customer_columns
from bot.storage.models import Feedback, Gap, GapOccurrence, Ticket, TicketMessage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FNR = "15018749391"
PHONE = "912 34 567"
CARD = "4111 1111 1111 1111"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'svar.db'}")
    database.migrate()
    yield database
    database.dispose()


def _ticket(db: Database) -> str:
    new = tickets.NewTicket(
        sender_id="s1",
        channel="rest",
        lang="nb",
        customer_id=None,
        tier=None,
        reason="complaint",
        evidence=[f"intent complaint: 'kortet {CARD} ble trukket'"],
        queue="complaints",
        priority="high",
        summary=f"complaint about card {CARD}",
        topics=[],
        answers=[],
        transcript=[
            Turn("customer", f"fnr {FNR}, kortet {CARD} ble trukket to ganger", NOW),
            Turn("bot", "Ring oss på 22 00 00 00", NOW),
        ],
        paused_after=NOW.timestamp(),
        due_at=NOW + timedelta(hours=24),
        details={
            "complaint": {"what_happened": f"kortet {CARD} ble trukket"},
            "callback": {"phone": PHONE},
        },
    )
    return str(tickets.open_ticket(db, new, NOW)["id"])


def test_ticket_customer_text_masked_callback_and_bot_text_kept(db: Database) -> None:
    ticket = tickets.get_ticket(db, _ticket(db))
    customer, bot = ticket["transcript"]
    assert customer["text"] == "fnr [fødselsnummer], kortet [card] ble trukket to ganger"
    assert bot["text"] == "Ring oss på 22 00 00 00"  # the bot's own words stay
    assert ticket["summary"] == "complaint about card [card]"
    assert ticket["evidence"] == ["intent complaint: 'kortet [card] ble trukket'"]
    assert ticket["details"]["complaint"] == {"what_happened": "kortet [card] ble trukket"}
    assert ticket["details"]["callback"] == {"phone": PHONE}


def test_agent_reply_kept_as_written(db: Database) -> None:
    ticket_id = _ticket(db)
    tickets.add_message(db, ticket_id, "agent", f"Vi ringer {PHONE}", NOW, "kari")
    transcript = tickets.get_ticket(db, ticket_id)["transcript"]
    assert transcript[-1]["text"] == f"Vi ringer {PHONE}"


def test_paused_messages_masked_with_kept_contact_in_callback(db: Database) -> None:
    ticket_id = _ticket(db)
    later = NOW.timestamp() + 30
    paused = [(later, "Ring meg på [phone]", {"phone": "+47 41 23 45 67"})]
    assert tickets.add_paused_messages(db, ticket_id, paused) == 1
    ticket = tickets.get_ticket(db, ticket_id)
    assert ticket["transcript"][-1]["text"] == "Ring meg på [phone]"
    assert ticket["details"]["callback"] == {"phone": "+47 41 23 45 67"}


def test_paused_raw_message_masked_but_its_number_reaches_the_callback(db: Database) -> None:
    ticket_id = _ticket(db)
    assert tickets.add_paused_messages(db, ticket_id, [(NOW.timestamp() + 5, "ring 41234567")])
    ticket = tickets.get_ticket(db, ticket_id)
    assert ticket["transcript"][-1]["text"] == "ring [phone]"
    assert ticket["details"]["callback"] == {"phone": "41234567"}


def test_feedback_question_masked(db: Database) -> None:
    with db.session() as session:
        session.add(
            Feedback(sender_id="s1", faq_id="f", helpful=False, question=f"mitt fnr er {FNR}")
        )
    with db.session() as session:
        assert session.scalars(select(Feedback.question)).one() == "mitt fnr er [fødselsnummer]"


def test_a_features_own_table_is_masked_by_its_column_marks(db: Database) -> None:
    with db.session() as session:
        session.add(KbTurn(sender_id="s1", outcome="clarify", question=f"mitt fnr er {FNR}"))
    with db.session() as session:
        assert session.scalars(select(KbTurn.question)).one() == "mitt fnr er [fødselsnummer]"


def test_customer_columns_are_the_marked_ones() -> None:
    assert customer_columns(Gap) == ("question", "normalized")
    assert customer_columns(GapOccurrence) == ("question",)
    assert customer_columns(Feedback) == ("question",)
    assert customer_columns(KbTurn) == ("question",)
    assert customer_columns(Ticket) == ("summary",)
    assert customer_columns(TicketMessage) == ()  # by role: a customer's message only
    assert customer_columns(str) == ()


def test_failed_statement_error_hides_its_parameters(db: Database) -> None:
    assert db.engine.hide_parameters
    with pytest.raises(SQLAlchemyError) as failed, db.engine.connect() as connection:
        connection.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": FNR})
    assert FNR not in str(failed.value)
