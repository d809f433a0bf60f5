"""The wait a customer is told at handoff: measured, staffed, rounded, honest when long.

Pure estimates from constructed facts; then the same through the database with
constructed tickets and a fixed clock (`BOT_CLOCK`), down to the sentence the
customer reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.handoff import tickets
from bot.handoff.conversation import Conversation, Turn
from bot.handoff.service import hand_off
from bot.handoff.triggers import Trigger
from bot.handoff.wait import (
    QueueFacts,
    WaitEstimate,
    WaitPolicy,
    estimate,
    quantile,
    queue_facts,
    spoken,
)
from bot.settings import Settings
from bot.storage import Database

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Oslo: every queue open
POLICY = WaitPolicy()


def facts(**values: Any) -> QueueFacts:
    base: dict[str, Any] = {
        "first_replies": (),
        "all_first_replies": (),
        "waiting": (),
        "ahead": 0,
        "handle": (),
        "agents": 0,
    }
    return QueueFacts(**{**base, **values})


def test_quantile_interpolates_like_numpy() -> None:
    assert quantile([1, 2, 3, 4], 0.5) == 2.5
    assert quantile([10.0], 0.75) == 10.0
    assert quantile([0, 10, 20, 30, 40], 0.75) == 30.0


def test_no_history_gives_the_default_not_a_multiple_of_the_queue() -> None:
    wait = estimate(facts(), POLICY)
    assert (wait.minutes, wait.long) == (POLICY.default_minutes, False)
    assert "no history" in wait.basis


def test_measured_first_replies_give_the_75th_percentile() -> None:
    replies = (2.0, 3.0, 4.0, 6.0, 12.0, 14.0, 40.0, 3.0)
    wait = estimate(facts(first_replies=replies, all_first_replies=replies, agents=2), POLICY)
    assert wait.minutes == pytest.approx(quantile(replies, 0.75))
    assert not wait.long and "p75 of 8" in wait.basis


def test_a_young_queue_borrows_every_queues_history() -> None:
    wait = estimate(facts(first_replies=(1.0,), all_first_replies=(20.0,) * 6, agents=1))
    assert wait.minutes == 20.0 and "all queues" in wait.basis


def test_tickets_ahead_are_shared_among_active_agents() -> None:
    history = {"first_replies": (4.0,) * 6, "all_first_replies": (4.0,) * 6}
    handle = (10.0,) * 6
    line = {"waiting": (1.0,) * 3, "ahead": 3, "handle": handle}
    one = estimate(facts(**history, **line, agents=1), POLICY)
    three = estimate(facts(**history, **line, agents=3), POLICY)
    assert one.minutes == 30.0 and three.minutes == 10.0
    assert "3 ahead for 1 active agent" in one.basis


def test_a_long_line_or_someone_waiting_long_is_said_to_be_long() -> None:
    crowded = estimate(facts(waiting=(2.0,) * 12, ahead=12, agents=1), POLICY)
    assert crowded.long and crowded.minutes == 12 * POLICY.handle_minutes
    forgotten = estimate(facts(waiting=(50.0,), ahead=1, agents=0), POLICY)
    assert forgotten.long and "waited 50 min" in forgotten.basis


@pytest.mark.parametrize(
    ("minutes", "en", "sv"),
    [
        (0.0, "within a few minutes", "inom några minuter"),
        (5.0, "within a few minutes", "inom några minuter"),
        (5.5, "within about 10 minutes", "inom ungefär 10 minuter"),
        (11.0, "within about 15 minutes", "inom ungefär 15 minuter"),
        (27.0, "within about half an hour", "inom ungefär en halvtimme"),
        (44.0, "within about 45 minutes", "inom ungefär 45 minuter"),
    ],
)
def test_waits_are_rounded_to_numbers_people_say(minutes: float, en: str, sv: str) -> None:
    wait = WaitEstimate(minutes, False, "test")
    assert (spoken(wait, "en"), spoken(wait, "sv")) == (en, sv)


# ---------------------------------------------------------------- through the database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def _ticket(db: Database, queue: str, created: datetime, **extra: Any) -> str:
    new = tickets.NewTicket(
        sender_id=f"s-{created.timestamp()}",
        channel="rest",
        lang="sv",
        customer_id=None,
        tier=None,
        reason="requested",
        evidence=[],
        queue=queue,
        priority="normal",
        summary="",
        topics=[],
        answers=[],
        transcript=[],
        **extra,
    )
    ticket_id: str = tickets.open_ticket(db, new, created)["id"]
    return ticket_id


def _answered(db: Database, queue: str, created: datetime, after_minutes: float, agent: str) -> str:
    ticket_id = _ticket(db, queue, created)
    tickets.add_message(
        db, ticket_id, "agent", "Hej!", created + timedelta(minutes=after_minutes), author=agent
    )
    return ticket_id


def test_queue_facts_read_first_replies_staff_and_the_line(db: Database) -> None:
    for day in range(1, 7):  # a week of first replies after 12 minutes, by Kari
        _answered(db, "general", NOW - timedelta(days=day), 12, "kari")
    _answered(db, "billing", NOW - timedelta(days=1), 3, "ola")
    _answered(db, "general", NOW - timedelta(days=9), 300, "kari")  # too old to count
    _ticket(db, "general", NOW - timedelta(hours=14), out_of_hours=True)  # overnight
    _answered(db, "general", NOW - timedelta(minutes=20), 5, "per")  # Per is active now
    _ticket(db, "general", NOW - timedelta(minutes=8))  # waiting
    _ticket(db, "general", NOW - timedelta(days=3))  # forgotten, not a line
    found = queue_facts(db, "general", NOW, POLICY)
    assert sorted(found.first_replies) == [5.0] + [12.0] * 6
    assert len(found.all_first_replies) == 8
    assert found.waiting == (8.0,) and found.ahead == 2  # the overnight one is in line too
    assert found.agents == 1


def _settings() -> Settings:
    return replace(Settings(), clock=NOW.isoformat(), webhook_url=None)


def _conversation(text: str, lang: str) -> Conversation:
    return Conversation("cust-1", (Turn("customer", text, NOW),), channel="rest", lang=lang)


def test_swedish_customer_is_told_the_measured_wait_not_1100_minutes(db: Database) -> None:
    for day in range(1, 8):
        _answered(db, "general", NOW - timedelta(days=day, hours=1), 11, "kari")
    for _ in range(274):  # the demo tickets nobody closed
        _ticket(db, "general", NOW - timedelta(days=2))
    conv = _conversation("Jag vill prata med en människa", "sv")
    handoff = hand_off(db, _settings(), conv, Trigger("requested", ("asked",)))
    assert "inom ungefär 15 minuter" in handoff.text
    assert "1100" not in handoff.text and handoff.custom["lang"] == "sv"
    assert handoff.ticket["details"]["wait"]["long"] is False


@pytest.mark.parametrize(
    ("lang", "busy", "phone_word"),
    [
        ("en", "busy", "phone number"),
        ("nb", "opptatt", "telefonnummer"),
        ("sv", "upptagna", "telefonnummer"),
        ("da", "travlt", "telefonnummer"),
        ("nl", "bezet", "telefoonnummer"),
    ],
)
def test_a_long_line_gets_no_number_but_the_callback_offer(
    db: Database, lang: str, busy: str, phone_word: str
) -> None:
    for minutes in range(5, 65, 5):  # twelve customers queued this last hour, nobody replying
        _ticket(db, "general", NOW - timedelta(minutes=minutes))
    handoff = hand_off(db, _settings(), _conversation("agent", lang), Trigger("requested", ("a",)))
    text = handoff.text
    assert busy in text and phone_word in text and handoff.ticket_id in text
    assert not re.search(r"\d", text.replace(handoff.ticket_id, ""))  # no number of minutes
    assert handoff.ticket["details"]["wait"]["long"] is True


def test_callback_request_asks_for_the_number_and_keeps_one_given(db: Database) -> None:
    conv = _conversation("kan dere ringe meg tilbake på 912 34 567?", "nb")
    trigger = Trigger("requested", ("asked for 'ringe meg'",), callback=True)
    handoff = hand_off(db, _settings(), conv, trigger)
    assert handoff.text.startswith("Jeg har bedt kundeservice om å ringe deg opp")
    assert "innen omtrent 10 minutter" in handoff.text  # no history: the default
    details = handoff.ticket["details"]
    assert details["callback_requested"] is True
    assert details["callback"] == {"phone": "912 34 567"}


def test_tickets_waiting_longer_than_usual_raise_the_estimate_fresh_ones_do_not() -> None:
    replies = (10.0,) * 6
    history = {"first_replies": replies, "all_first_replies": replies, "agents": 2}
    fresh = estimate(facts(**history, waiting=(0.5, 1.0), ahead=2))
    assert fresh.minutes == 10.0
    stuck = estimate(facts(**history, waiting=(30.0, 35.0, 40.0), ahead=3))
    assert stuck.minutes > 25.0 and "p75 of 9" in stuck.basis
