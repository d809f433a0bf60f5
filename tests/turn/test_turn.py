"""The turn on a small fake index: one snapshot per turn, triggers in order, the reply."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pytest

from bot.kb.format import FaqEntry, KnowledgeBase
from bot.kb.search import Candidate, Searcher
from bot.runtime import LiveIndex, Runtime
from bot.settings import HandoffConfig, Settings, Thresholds
from bot.storage import Database
from bot.turn import (
    Conversation,
    Question,
    Turn,
    TurnContext,
    take_feedback,
    take_request,
    take_turn,
)

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday morning: every queue is open
ENTRIES = (
    FaqEntry("delivery_time", "en", "How long does delivery take?", "Two to four days."),
    FaqEntry("delivery_time", "nb", "Hvor lang tid tar leveringen?", "To til fire dager."),
    FaqEntry("returns", "en", "How do I return an item?", "Use the return label."),
)


class FakeEncoder:
    name = "fake"
    dim = 8

    def encode(self, texts: Sequence[str], kind: str = "query") -> np.ndarray:
        rows = np.ones((len(texts), self.dim), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@dataclass
class FakeIndex:
    kb: KnowledgeBase = field(default_factory=lambda: KnowledgeBase(ENTRIES, "x"))
    thresholds: Thresholds = field(default_factory=lambda: Thresholds(0.8, 0.5, 0.05))

    def centroid(self, lang: str | None) -> np.ndarray:
        return np.zeros(FakeEncoder.dim, dtype=np.float32)


class FakeSearcher:
    """Ranks `delivery_time` first for anything about delivery, else nothing is close."""

    def __init__(self) -> None:
        self.index = FakeIndex()
        self.encoder = FakeEncoder()
        self.searched: list[str] = []

    def search(self, text: str, k: int = 5, lang: str | None = None) -> list[Candidate]:
        self.searched.append(text)
        sure = 0.95 if "deliver" in text.lower() or "lever" in text.lower() else 0.1
        return [
            Candidate("delivery_time", sure, sure, 0.0, "q", "en", "en", confidence=sure),
            Candidate("returns", 0.05, 0.05, 0.0, "q", "en", "en", confidence=0.05),
        ][:k]


class CountingIndex:
    """A live index that swaps in a new searcher on every call (the worst case)."""

    def __init__(self) -> None:
        self.calls = 0
        self.served: list[FakeSearcher] = []

    def searcher(self) -> Searcher:
        self.calls += 1
        self.served.append(FakeSearcher())
        return cast(Searcher, self.served[-1])


@pytest.fixture
def db(tmp_path: Any) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'turn.db'}")
    database.migrate()
    yield database
    database.dispose()


def _runtime(db: Database) -> tuple[Runtime, CountingIndex]:
    settings = replace(
        Settings(),
        clock=NOW.isoformat(),
        webhook_url=None,
        handoff=HandoffConfig(meaning=False),
    )
    index = CountingIndex()
    return Runtime(settings, db, cast(LiveIndex, index)), index


def _conversation(*texts: str, lang: str = "en") -> Conversation:
    turns = tuple(Turn("customer", t, NOW) for t in texts)
    return Conversation("cust-1", turns, channel="rest", lang=lang, started_at=NOW)


def _question(text: str, lang: str = "en") -> Question:
    return Question(text, "cust-1", lang, channel="rest")


def test_an_answer_takes_the_index_once_and_words_it_from_that_snapshot(db: Database) -> None:
    rt, index = _runtime(db)
    text = "How long does delivery take?"
    result = take_turn(rt, _conversation(text), _question(text))
    assert index.calls == 1
    assert result.reply is not None and result.handoff is None
    assert result.reply.kind == "answer" and result.reply.custom["faq_id"] == "delivery_time"
    assert result.reply.text.startswith("Two to four days.")


def test_the_answer_comes_in_the_language_chosen_before_the_turn(db: Database) -> None:
    rt, _ = _runtime(db)
    text = "Hvor lang tid tar leveringen?"
    result = take_turn(rt, _conversation(text, lang="nb"), _question(text, "nb"))
    assert result.reply is not None and result.reply.lang == "nb"
    assert result.reply.text.startswith("To til fire dager.")


def test_asking_for_a_person_hands_off_before_any_search(db: Database) -> None:
    rt, index = _runtime(db)
    text = "I want to talk to a human"
    result = take_turn(rt, _conversation(text), _question(text))
    assert result.handoff is not None and result.handoff.reason == "requested"
    assert index.calls == 1 and index.served[0].searched == [text]  # routing only


def test_a_second_no_answer_hands_off_after_the_search(db: Database) -> None:
    rt, _ = _runtime(db)
    first = take_turn(rt, _conversation("What colour is the sky?"), _question("What colour?"))
    assert first.reply is not None and first.reply.kind == "no_answer"
    asked = Turn("customer", "What colour is the sky?", NOW)
    missed = Turn("bot", "I do not know", NOW, kind="no_answer")
    again = Turn("customer", "And the sea?", NOW)
    conv = replace(_conversation(), turns=(asked, missed, again))
    second = take_turn(rt, conv, _question("And the sea?"))
    assert second.handoff is not None and second.trigger is not None
    assert second.trigger.reason == "repeated_failure"


def test_a_clarify_button_answers_its_entry_and_a_stale_one_is_a_question(db: Database) -> None:
    rt, _ = _runtime(db)
    chosen = take_turn(rt, _conversation("/choose_faq"), _question("/choose_faq"), "returns")
    assert chosen.reply is not None and chosen.reply.custom["faq_id"] == "returns"
    stale = take_turn(rt, _conversation("delivery?"), _question("delivery?"), "gone_entry")
    assert stale.reply is not None and stale.reply.custom["faq_id"] == "delivery_time"


def test_feedback_thanks_in_the_conversation_language(db: Database) -> None:
    rt, _ = _runtime(db)
    result = take_feedback(rt, _conversation("/feedback_helpful", lang="nb"), True, None)
    assert result.handoff is None and result.text


def test_a_request_routed_by_rasa_opens_a_ticket(db: Database) -> None:
    rt, _ = _runtime(db)
    handoff = take_request(rt, _conversation("yo"), "request_human")
    assert handoff.reason == "requested" and handoff.queue == "general"


def test_the_context_thresholds_are_the_indexes_unless_configured(db: Database) -> None:
    rt, _ = _runtime(db)
    assert TurnContext.of(rt).thresholds == Thresholds(0.8, 0.5, 0.05)
    mine = Thresholds(0.9, 0.6, 0.1)
    configured = replace(rt, settings=replace(rt.settings, thresholds=mine))
    assert TurnContext.of(configured).thresholds == mine
