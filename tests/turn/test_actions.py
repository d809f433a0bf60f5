"""The actions as adapters: the tracker in, one call into the turn, messages and events out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswerQuestion
from actions.feedback import ActionRecordFeedback
from actions.handoff import ActionHandoff
from bot import runtime
from bot.errors import StorageError
from bot.storage import Database
from tests.turn.fakes import fake_runtime


@pytest.fixture
def installed(db: Database) -> Iterator[None]:
    runtime.install(fake_runtime(db)[0])
    yield
    runtime.install(None)


def _tracker(
    text: str, intent: str, slots: dict[str, Any] | None = None, reading: Any = None
) -> Tracker:
    parse_data: dict[str, Any] = {"intent": {"name": intent}, "entities": [], "text": text}
    if reading is not None:
        parse_data["language_detection"] = reading
    user = {
        "event": "user",
        "text": text,
        "timestamp": 10.0,
        "input_channel": "rest",
        "parse_data": parse_data,
    }
    return Tracker("s1", slots or {}, parse_data, [user], False, None, {}, "action_listen")


async def _run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


NB = {"lang": "nb", "confidence": 0.9, "scores": {"nb": 0.9, "da": 0.1}, "clear": True}


async def test_answer_in_the_language_rasa_read(installed: None) -> None:
    tracker = _tracker("Hvor lang tid tar leveringen?", "ask_question", reading=NB)
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"].startswith("To til fire dager.")
    assert messages[1]["custom"]["faq_id"] == "delivery_time"  # the contract, REST takes it
    assert SlotSet("language", "nb") in events
    assert SlotSet("last_faq_id", "delivery_time") in events


async def test_without_a_reading_the_conversation_keeps_its_language(installed: None) -> None:
    tracker = _tracker("leveringen?", "ask_question", {"language": "nb"})
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"].startswith("To til fire dager.")
    assert SlotSet("language", "nb") in events


async def test_handoff_action_opens_a_ticket_and_pauses(installed: None) -> None:
    messages, events = await _run(ActionHandoff(), _tracker("yo", "request_human"))
    assert messages[1]["custom"]["kind"] == "handoff"
    assert events[-1] == ConversationPaused()


async def test_feedback_action_thanks_and_stops_waiting(installed: None) -> None:
    tracker = _tracker("/feedback_helpful", "feedback_helpful", {"language": "en"})
    messages, events = await _run(ActionRecordFeedback(), tracker)
    assert len(messages) == 1 and messages[0]["text"]
    assert events == [SlotSet("awaiting_feedback", False)]


async def test_feedback_action_outage_is_a_polite_message(
    installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "not helpful" whose ticket cannot be stored: the customer hears the polite
    "unavailable" sentence, not rasa-sdk's error."""

    def down(*_: Any) -> None:
        raise StorageError("database error: OperationalError")

    monkeypatch.setattr("actions.feedback.take_feedback", down)
    tracker = _tracker("/feedback_not_helpful", "feedback_not_helpful", {"language": "en"})
    messages, events = await _run(ActionRecordFeedback(), tracker)
    assert len(messages) == 1 and "try again in a moment" in messages[0]["text"]
    assert events == []
