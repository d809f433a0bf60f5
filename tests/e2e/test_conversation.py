"""Real conversations over Rasa's REST channel, through the real bot service."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from bench.stack import Stack
from bot.kb.format import load_kb
from bot.storage import Database
from bot.storage.models import Feedback, Gap, GapOccurrence
from tests.conftest import FIXTURE_KB, ROOT
from tests.e2e.conftest import answered, custom_of, new_sender

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
KB = load_kb(FIXTURE_KB)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "How many days until my coffee is delivered?"),
        ("nb", "Hvor lang tid tar det før kaffen min kommer frem?"),
        ("sv", "Hur lång tid tar det innan mitt kaffe kommer fram?"),
        ("da", "Hvor lang tid tager det, før min kaffe bliver leveret?"),
        ("nl", "Hoe lang duurt het voordat mijn koffie wordt bezorgd?"),
    ],
)
def test_question_answered_in_customers_language(stack: Stack, lang: str, question: str) -> None:
    messages, contract = answered(stack, new_sender(), question, "shipping_time")
    entry = KB.get("shipping_time", lang)
    assert entry is not None
    assert contract == {
        "kind": "answer",
        "faq_id": "shipping_time",
        "lang": lang,
        "score": contract["score"],
        "url": entry.url,
    }
    assert messages[0]["text"].startswith(entry.answer)
    prompt = messages[-1]
    assert [b["payload"] for b in prompt["buttons"]] == [
        "/feedback_helpful",
        "/feedback_not_helpful",
    ]


def test_english_only_entry_answered_in_english_to_dutch_customer(stack: Stack) -> None:
    question = "Malen jullie de koffie voor een filterapparaat?"
    messages, contract = answered(stack, new_sender(), question, "grind_options")
    assert contract["kind"] == "answer" and contract["faq_id"] == "grind_options"
    assert contract["lang"] == "en"  # the KB has it only in English
    assert messages[-1]["text"] == "Heeft dit je vraag beantwoord?"  # the bot's own words: Dutch


def test_finnish_question_answered_from_english_entry_with_finnish_words(stack: Stack) -> None:
    # Finnish is a supported language whose KB has no Finnish entries yet: the answer
    # is the English entry, everything the bot says around it is Finnish.
    question = "Kuinka monta päivää kahvini toimitus kestää?"
    messages, contract = answered(stack, new_sender(), question, "shipping_time")
    assert contract["kind"] == "answer" and contract["faq_id"] == "shipping_time"
    assert contract["lang"] == "en"
    assert messages[-1]["text"] == "Saitko vastauksen kysymykseesi?"
    assert [b["title"].split()[-1] for b in messages[-1]["buttons"]] == ["Kyllä", "Ei"]


def test_clarify_offers_close_entries_and_a_button_answers(stack: Stack) -> None:
    sender = new_sender()
    messages = stack.say(sender, "I have a question about my coffee subscription")
    contract = custom_of(messages)
    assert contract["kind"] == "clarify"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [f'/choose_faq{{"faq_id":"{c["faq_id"]}"}}' for c in contract["candidates"]]
    offered = [c["faq_id"] for c in contract["candidates"]]
    assert {"pause_subscription", "cancel_subscription"} <= set(offered)
    payload = f'/choose_faq{{"faq_id":"{offered[1]}"}}'
    answer = custom_of(stack.say(sender, payload))
    assert answer["kind"] == "answer" and answer["faq_id"] == offered[1]


def test_unanswerable_question_lands_in_gap_table(stack: Stack) -> None:
    sender = new_sender()
    question = "Do you sell green tea as well?"  # a coffee shop's KB has no entry for it
    messages = stack.say(sender, question)
    contract = custom_of(messages)
    assert contract["kind"] == "no_answer" and isinstance(contract["gap_id"], int)
    db = Database(stack.database_url)
    with db.session() as session:
        gap = session.get(Gap, contract["gap_id"])
        assert gap is not None and gap.kind == "no_answer" and gap.question == question
        occurrence = session.scalars(
            select(GapOccurrence).where(GapOccurrence.sender_id == sender)
        ).one()
        assert occurrence.lang == "en" and occurrence.channel == "rest"
        assert occurrence.candidates and "score" in occurrence.candidates[0]
    db.dispose()


def test_small_talk_is_declined_politely_and_not_a_gap(stack: Stack) -> None:
    messages = stack.say(new_sender(), "tell me a joke")
    contract = custom_of(messages)
    assert contract == {"kind": "no_answer", "lang": "en", "gap_id": None, "reason": "small_talk"}
    assert "assistant" in messages[0]["text"]
    db = Database(stack.database_url)
    with db.session() as session:
        assert not session.scalars(select(Gap).where(Gap.question == "tell me a joke")).all()
    db.dispose()


@pytest.mark.parametrize("reply", ["/feedback_not_helpful", "no"])
def test_not_helpful_answer_lands_in_feedback(stack: Stack, reply: str) -> None:
    sender = new_sender()
    assert custom_of(stack.say(sender, "How much does shipping cost?"))["kind"] == "answer"
    messages = stack.say(sender, reply)
    assert "custom" not in messages[0]
    db = Database(stack.database_url)
    with db.session() as session:
        verdict = session.scalars(select(Feedback).where(Feedback.sender_id == sender)).one()
        assert verdict.helpful is False and verdict.faq_id == "shipping_price"
        assert verdict.question == "How much does shipping cost?"
        assert session.scalars(
            select(Gap).where(Gap.kind == "not_helpful", Gap.faq_id == "shipping_price")
        ).first()
    db.dispose()


def test_helpful_answer_is_recorded_and_thanked(stack: Stack) -> None:
    sender = new_sender()
    answered(stack, sender, "Can I pause my subscription?", "pause_subscription")
    messages = stack.say(sender, "/feedback_helpful")
    assert messages and "glad" in messages[0]["text"].lower()
    db = Database(stack.database_url)
    with db.session() as session:
        verdict = session.scalars(select(Feedback).where(Feedback.sender_id == sender)).one()
        assert verdict.helpful is True and verdict.faq_id == "pause_subscription"
    db.dispose()


def rasa_response(name: str, lang: str) -> str:
    responses = yaml.safe_load((ROOT / "domain" / "responses.yml").read_text())["responses"]
    for variation in responses[name]:
        conditions = variation.get("condition") or []
        if (lang == "en" and not conditions) or any(c["value"] == lang for c in conditions):
            return str(variation["text"])
    raise KeyError(lang)


@pytest.mark.parametrize(
    ("greeting", "lang"),
    [
        ("Hello there, good morning!", "en"),
        ("Goedemorgen, hoe gaat het?", "nl"),
        ("Hei hei, god morgen til deg", "nb"),
        ("Hej, god morgon!", "sv"),
        ("Halløjsa, god eftermiddag!", "da"),
        ("Hyvää huomenta, mitä kuuluu?", "fi"),
    ],
)
def test_greeting_answered_by_rasa_in_language(stack: Stack, greeting: str, lang: str) -> None:
    messages = stack.say(new_sender(), greeting)
    assert [m["text"] for m in messages] == [rasa_response("utter_greet", lang)]


def test_request_for_person_hands_off(stack: Stack) -> None:
    messages = stack.say(new_sender(), "I want to talk to a real person")
    contract = custom_of(messages)
    assert (contract["kind"], contract["reason"]) == ("handoff", "requested")


@pytest.mark.parametrize(
    "message",
    [
        "x" * 200_000,
        "\x00\x01\x02\x03\x04\x05\x06\x07",
        "   ",
        "😀😀😀",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_input_gets_polite_reply_and_conversation_continues(
    stack: Stack, message: str
) -> None:
    sender = new_sender()
    messages = stack.say(sender, message)
    assert all("Traceback" not in (m.get("text") or "") for m in messages)
    follow_up = custom_of(stack.say(sender, "How much does shipping cost?"))
    assert follow_up["kind"] == "answer"
