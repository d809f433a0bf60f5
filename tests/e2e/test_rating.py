"""The satisfaction question through the real stack: asked once, in the customer's language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bench.stack import Stack
from bot.messages import message
from bot.storage import Database
from bot.storage.models import ConversationRating
from tests.e2e.conftest import custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_goodbye_after_an_answer_asks_for_one_rating_in_the_customers_language(
    stack: Stack,
) -> None:
    sender = new_sender()
    contract = custom_of(stack.say(sender, "Hoe lang duurt het voordat mijn koffie wordt bezorgd?"))
    if contract["kind"] == "clarify":  # a runner-up within the calibrated margin
        contract = custom_of(stack.say(sender, '/choose_faq{"faq_id":"shipping_time"}'))
    assert contract["kind"] == "answer" and contract["faq_id"] == "shipping_time"

    messages = stack.say(sender, "tot ziens, fijne dag nog")
    asked = [m for m in messages if m.get("text") == message("rating_prompt", "nl")]
    assert len(asked) == 1, messages
    assert [b["payload"] for b in asked[0]["buttons"]] == [
        f'/rate_conversation{{"rating":{n}}}' for n in range(1, 6)
    ]
    assert custom_of(messages) == {"kind": "rating", "lang": "nl", "scale": [1, 2, 3, 4, 5]}

    thanked = stack.say(sender, '/rate_conversation{"rating":4}')
    assert [m.get("text") for m in thanked] == [message("rating_thanks", "nl")]

    again = stack.say(sender, "dank je wel")  # the same conversation: never asked twice
    assert again and not [m for m in again if m.get("buttons") or "custom" in m], again
    stack.say(sender, '/rate_conversation{"rating":1}')  # a stale button: not stored

    db = Database(stack.database_url)
    with db.session() as session:
        rows = session.scalars(
            select(ConversationRating).where(ConversationRating.sender_id == sender)
        ).all()
        assert [(r.score, r.lang, r.channel) for r in rows] == [(4, "nl", "rest")]
    db.dispose()


def test_goodbye_without_an_answer_asks_nothing(stack: Stack) -> None:
    messages = stack.say(new_sender(), "tot ziens")
    assert messages and not [m for m in messages if m.get("buttons") or "custom" in m], messages
