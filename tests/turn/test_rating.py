"""The satisfaction question: asked once, at a bot-only conversation's end, and stored once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.rating import ActionAskRating, ActionRecordRating
from bot import runtime
from bot.messages import message
from bot.storage import Database
from bot.storage.models import ConversationRating
from tests.turn.fakes import fake_runtime

RATE = '/rate_conversation{"rating":4}'


@pytest.fixture
def installed(db: Database) -> Iterator[None]:
    runtime.install(fake_runtime(db)[0])
    yield
    runtime.install(None)


def _user(at: float, intent: str, text: str = "", channel: str = "rest") -> dict[str, Any]:
    entities = [{"entity": "rating", "value": 4}] if intent == "rate_conversation" else []
    parse = {
        "intent": {"name": intent},
        "intent_ranking": [{"name": intent}],
        "entities": entities,
        "text": text,
    }
    return {
        "event": "user",
        "text": text or intent,
        "timestamp": at,
        "input_channel": channel,
        "parse_data": parse,
    }


def _started(at: float) -> dict[str, Any]:
    return {"event": "session_started", "timestamp": at}


def _answered(at: float) -> list[dict[str, Any]]:
    return [
        _user(at, "ask_question", "How long does delivery take?"),
        {"event": "slot", "name": "last_faq_id", "value": "delivery_time", "timestamp": at},
        {"event": "bot", "text": "Two to four days.", "timestamp": at, "data": {}},
    ]


def _asked(at: float) -> dict[str, Any]:
    buttons = [{"title": "4 🙂", "payload": '/rate_conversation{"rating":4}'}]
    return {"event": "bot", "text": "?", "timestamp": at, "data": {"buttons": buttons}}


def _tracker(events: list[dict[str, Any]], lang: str = "nb", channel: str = "rest") -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    latest["input_channel"] = channel
    slots = {"language": lang}
    return Tracker("s1", slots, latest["parse_data"], events, False, None, {}, "action_listen")


async def _run(action: Any, tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker, {}) == []
    return dispatcher.messages


def _ratings(db: Database) -> list[tuple[str, int, str | None, str | None]]:
    with db.session() as session:
        rows = session.scalars(select(ConversationRating).order_by(ConversationRating.id))
        return [(r.sender_id, r.score, r.lang, r.channel) for r in rows]


async def test_goodbye_after_an_answer_asks_in_the_customers_language(installed: None) -> None:
    events = [_started(1), *_answered(2), _user(3, "goodbye", "ha det")]
    messages = await _run(ActionAskRating(), _tracker(events, "nb"))
    assert messages[0]["text"] == message("rating_prompt", "nb")
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        f'/rate_conversation{{"rating":{n}}}' for n in range(1, 6)
    ]
    assert messages[1]["custom"] == {"kind": "rating", "lang": "nb", "scale": [1, 2, 3, 4, 5]}


async def test_thanks_on_whatsapp_gets_buttons_without_the_contract(installed: None) -> None:
    events = [_started(1), *_answered(2), _user(3, "thanks", "takk")]
    messages = await _run(ActionAskRating(), _tracker(events, "sv", channel="whatsapp"))
    assert len(messages) == 1 and messages[0]["text"] == message("rating_prompt", "sv")
    assert len(messages[0]["buttons"]) == 5


@pytest.mark.parametrize(
    "events",
    [
        pytest.param([_started(1), _user(2, "greet"), _user(3, "goodbye")], id="nothing-answered"),
        pytest.param(
            [_started(1), *_answered(2), {"event": "pause", "timestamp": 3}, _user(4, "goodbye")],
            id="handed-off",
        ),
        pytest.param(
            [
                _started(1),
                *_answered(2),
                {"event": "pause", "timestamp": 3},
                {"event": "resume", "timestamp": 4},
                *_answered(5),
                _user(6, "goodbye"),
            ],
            id="handed-off-and-back",
        ),
        pytest.param(
            [_started(1), *_answered(2), _user(3, "thanks"), _asked(3), _user(4, "goodbye")],
            id="asked-already",
        ),
        pytest.param([_started(1), *_answered(2), _user(3, "affirm")], id="not-an-ending"),
    ],
)
async def test_rating_not_asked(installed: None, events: list[dict[str, Any]]) -> None:
    assert await _run(ActionAskRating(), _tracker(events)) == []


async def test_a_new_session_is_a_new_conversation(installed: None) -> None:
    earlier = [_started(1), *_answered(2), _user(3, "goodbye"), _asked(3)]
    events = [*earlier, _started(5000), *_answered(5001), _user(5002, "goodbye")]
    assert len(await _run(ActionAskRating(), _tracker(events))) == 2


async def test_rating_stored_once_per_conversation(installed: None, db: Database) -> None:
    asked = [_started(1), *_answered(2), _user(3, "goodbye"), _asked(3)]
    first = [*asked, _user(4, "rate_conversation", RATE)]
    messages = await _run(ActionRecordRating(), _tracker(first, "da"))
    assert messages == [{**messages[0], "text": message("rating_thanks", "da")}]
    again = [*first, _user(5, "rate_conversation", RATE)]
    await _run(ActionRecordRating(), _tracker(again, "da"))
    await _run(ActionRecordRating(), _tracker([*asked, _user(6, "rate_conversation", RATE)]))
    assert _ratings(db) == [("s1", 4, "da", "rest")]


@pytest.mark.parametrize(
    "before",
    [
        pytest.param([_started(1), *_answered(2)], id="never-asked"),
        pytest.param(
            [_started(1), *_answered(2), _asked(3), {"event": "pause", "timestamp": 4}],
            id="handed-off-after-asking",
        ),
    ],
)
async def test_rating_not_stored(
    installed: None, db: Database, before: list[dict[str, Any]]
) -> None:
    events = [*before, _user(5, "rate_conversation", RATE)]
    messages = await _run(ActionRecordRating(), _tracker(events, "fi"))
    assert messages[0]["text"] == message("rating_thanks", "fi")  # polite either way
    assert _ratings(db) == []


async def test_a_thank_you_nlu_took_for_a_question_is_welcomed_then_asked(installed: None) -> None:
    from actions.answer import ActionAnswerQuestion

    closing = _user(3, "nlu_fallback", "ok, skjønner. stikker innom i Oslo, takk uansett!")
    events = [_started(1), *_answered(2), closing]
    messages = await _run_events(ActionAnswerQuestion(), _tracker(events, "nb"))
    texts = [m["text"] for m in messages if m.get("text")]
    assert texts == [message("closing", "nb"), message("rating_prompt", "nb")]


async def _run_events(action: Any, tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    return dispatcher.messages
