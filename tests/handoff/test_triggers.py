from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import triggers
from bot.handoff.frustration import frustration
from bot.handoff.summary import key_sentences
from tests.handoff.helpers import START, bot, conversation, said

CONFIG = triggers.HandoffConfig()


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to someone",
        "agent!!",
        "menneske",
        "Kan jeg snakke med en person?",
        "Jag vill prata med kundtjänst",
        "Må jeg tale med en person?",
        "Kan ik een medewerker spreken?",
    ],
)
def test_request_for_a_person_found_in_five_languages(text: str) -> None:
    found = triggers.requested(conversation(text))
    assert found is not None and found.reason == "requested" and found.evidence


@pytest.mark.parametrize(
    "text",
    [
        "How long does delivery take?",
        "Hvor lang er leveringstiden?",
        "Mens du venter, hva koster frakt?",
    ],
)
def test_ordinary_questions_are_no_request(text: str) -> None:
    assert triggers.requested(conversation(text)) is None


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("THIS IS NOT WHAT I ASKED FOR", "shouting"),
        ("Dette er helt ubrukelig", "useless"),
        ("Waarom duurt dit zo lang???", "punctuation"),
        ("Vad i helvete håller ni på med", "swearing"),
        ("Tak for ingenting", "sarcasm"),
    ],
)
def test_each_frustration_signal_is_evidence(text: str, signal: str) -> None:
    assert any(e.startswith(signal) for e in frustration(conversation(text)).evidence)


def test_frustration_offers_then_hands_off_as_it_grows() -> None:
    calm = conversation("How long does delivery take?")
    assert triggers.frustrated(calm, CONFIG) is None
    offer = triggers.frustrated(conversation("this is useless!!"), CONFIG)
    assert offer is not None and offer.offer_only
    high = triggers.frustrated(
        conversation("this is useless!!", "STILL NO ANSWER, WHAT A JOKE"), CONFIG
    )
    assert high is not None and not high.offer_only and high.score is not None


def test_same_question_again_and_negative_feedback_count() -> None:
    conv = conversation(
        "how do I return a coffee",
        bot("answer", "return_coffee"),
        said("/feedback_not_helpful", "feedback_not_helpful"),
        "how do I return a coffee?",
    )
    evidence = frustration(conv).evidence
    assert any(e.startswith("repeated_question") for e in evidence)
    assert any(e.startswith("negative_feedback") for e in evidence)


def test_two_failures_in_a_row_hand_off_but_a_success_resets() -> None:
    conv = conversation("what is the capital of Peru", bot("no_answer"), "who won in 1998")
    assert triggers.repeated_failure(conv, "no_answer", CONFIG) is not None
    reset = conversation("peru?", bot("no_answer"), "delivery?", bot("answer", "x"), "1998?")
    assert triggers.repeated_failure(reset, "no_answer", CONFIG) is None
    unhelpful = conversation(
        "delivery?", bot("answer", "x"), said("/feedback_not_helpful", "feedback_not_helpful"), "hm"
    )
    assert triggers.failure_streak(unhelpful.turns[:-1]) == 1
    assert triggers.repeated_failure(unhelpful, "no_answer", CONFIG) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for order 123456",
        "Jeg er blevet trukket to gange",
        "Ik heb twee keer afgeschreven gekregen",
        "How much is shipping? Can I pay by invoice? And do you ship to Iceland?",
    ],
)
def test_account_problems_and_many_questions_are_complex(text: str) -> None:
    found = triggers.complex_now(conversation(text), CONFIG)
    assert found is not None and found.reason == "complex"


def test_own_account_is_complex_only_when_the_kb_has_no_answer() -> None:
    conv = conversation("Where is my order?")
    assert triggers.complex_unanswered(conv, "answer") is None
    assert triggers.complex_unanswered(conv, "no_answer") is not None


def test_sensitive_vip_and_repeat_contact() -> None:
    assert triggers.sensitive("always", "gdpr") is not None
    offer = triggers.sensitive("offer", "cancel")
    assert offer is not None and offer.offer_only
    assert triggers.sensitive("never", "x") is None
    vip = conversation("what about the moon?", tier="VIP", customer_id="c1")
    assert triggers.vip(vip, "no_answer", CONFIG) is not None
    assert triggers.vip(vip, "answer", CONFIG) is None
    back = conversation("shipping price?", customer_id="c1")
    assert triggers.repeat_contact(back, "shipping_price", [START - timedelta(days=3)], CONFIG)
    assert not triggers.repeat_contact(back, "shipping_price", [START - timedelta(days=9)], CONFIG)
    assert not triggers.repeat_contact(back, "shipping_price", [START + timedelta(1)], CONFIG)


def test_summary_keeps_the_customers_telling_sentences_in_order() -> None:
    conv = conversation(
        "hi",
        "I ordered a grinder last week. It was charged twice on order 778812.",
        "Can you refund one of the payments?",
        "thanks",
    )
    assert key_sentences(conv) == [
        "I ordered a grinder last week.",
        "It was charged twice on order 778812.",
        "Can you refund one of the payments?",
    ]
