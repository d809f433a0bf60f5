from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.tracker import conversation_from
from bot.handoff.evaluation import Dialogue, Outcome, score
from bot.settings import HandoffConfig
from bot.turn import request_trigger


def _tracker(events: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        "s1",
        {"language": "nb"},
        {**latest["parse_data"], "text": latest["text"], "metadata": metadata or {}},
        events,
        False,
        None,
        {},
        "action_listen",
    )


def _user(text: str, intent: str, ts: float) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "input_channel": "rest",
        "parse_data": {"intent": {"name": intent}, "entities": []},
    }


EVENTS = [
    {"event": "session_started", "timestamp": 1.0},
    _user("Hva koster frakten?", "ask_question", 10.0),
    {"event": "bot", "text": "Frakt koster 49 kr.", "timestamp": 11.0, "data": {}},
    {
        "event": "bot",
        "text": None,
        "timestamp": 11.0,
        "data": {"custom": {"kind": "answer", "faq_id": "shipping_price", "score": 0.9}},
    },
    _user("/feedback_not_helpful", "feedback_not_helpful", 20.0),
    _user("FAEN, DETTE ER UBRUKELIG!!!", "complaint", 30.0),
]


def test_tracker_becomes_turns_with_contract_and_customer() -> None:
    verified = {"customer_id": "c9", "tier": "gold", "customer_verified": True}
    tracker = _tracker(EVENTS, verified)
    conv = conversation_from(tracker, "nb")
    assert [(t.role, t.kind) for t in conv.turns] == [
        ("customer", None),
        ("bot", "answer"),
        ("customer", None),
        ("customer", None),
    ]
    assert conv.answered_topics() == ["shipping_price"]
    assert (conv.customer_id, conv.tier, conv.channel) == ("c9", "gold", "rest")


@pytest.mark.parametrize(
    "claimed",
    [
        {"customer_id": "c9", "tier": "vip"},  # anything a REST client may send
        {"customer_id": "c9", "tier": "vip", "customer_verified": "true"},
        {"customer": {"id": "c9", "tier": "vip"}},
    ],
)
def test_unverified_identity_is_anonymous(claimed: dict[str, Any]) -> None:
    conv = conversation_from(_tracker(EVENTS, claimed), "nb")
    assert (conv.customer_id, conv.tier) == (None, None)


def test_outburst_nlu_calls_complaint_is_recorded_as_frustration() -> None:
    conv = conversation_from(_tracker(EVENTS), "nb")
    found = request_trigger(conv, HandoffConfig(), "complaint")
    assert found.reason == "frustration"
    assert {e.split(":")[0] for e in found.evidence} >= {
        "swearing",
        "shouting",
        "negative_feedback",
    }


def test_intent_alone_still_hands_off() -> None:
    events = [_user("yo", "request_human", 5.0)]
    conv = conversation_from(_tracker(events), "en")
    found = request_trigger(conv, HandoffConfig(), "request_human")
    assert found.reason == "requested"


def test_precision_and_recall_per_reason() -> None:
    def outcome(expect: str | None, got: str | None) -> Outcome:
        dialogue = Dialogue("d", "en", "x", expect, ("hi",), {})
        return Outcome(dialogue, got, 1 if got else None, False)

    rows = {
        r.reason: r
        for r in score(
            [outcome("complex", "complex"), outcome("complex", None), outcome(None, "complex")]
        )
    }
    assert rows["complex"].precision == 0.5 and rows["complex"].recall == 0.5
