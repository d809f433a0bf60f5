"""A small fake index and a runtime around it, for the turn and the actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import cast

import numpy as np

from bot.kb.format import FaqEntry, KnowledgeBase
from bot.kb.search import Candidate, Searcher
from bot.kb.thresholds import Thresholds
from bot.runtime import LiveIndex, Runtime
from bot.settings import HandoffConfig, Settings
from bot.storage import Database

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


def fake_runtime(db: Database) -> tuple[Runtime, CountingIndex]:
    settings = replace(
        Settings(),
        clock=NOW.isoformat(),
        webhook_url=None,
        handoff=HandoffConfig(meaning=False),
    )
    index = CountingIndex()
    return Runtime(settings, db, cast(LiveIndex, index)), index
