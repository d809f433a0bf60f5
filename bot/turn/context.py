"""What one turn works with: settings, the database, and one snapshot of the index."""

from __future__ import annotations

from dataclasses import dataclass

from bot.gaps import Embedder, searcher_embedder
from bot.handoff.meaning import Meaning, reader
from bot.kb.format import KnowledgeBase
from bot.kb.search import Searcher
from bot.kb.thresholds import Thresholds
from bot.runtime import Runtime
from bot.settings import Settings
from bot.storage import Database


@dataclass(frozen=True)
class TurnContext:
    """The runtime's parts one turn needs, with the index taken once.

    The live index may swap in a rebuilt KB at any moment; a turn that asked
    for the searcher twice could decide on one KB and word the answer from
    another. `of()` takes the searcher once and every step of the turn uses it.
    """

    settings: Settings
    db: Database
    searcher: Searcher

    @classmethod
    def of(cls, rt: Runtime) -> TurnContext:
        """The turn's snapshot of `rt`: its settings and database, the index as it is now."""
        return cls(rt.settings, rt.db, rt.index.searcher())

    @property
    def kb(self) -> KnowledgeBase:
        """The entries of the snapshot's index."""
        return self.searcher.index.kb

    @property
    def thresholds(self) -> Thresholds:
        """The configured cut-offs, else the ones calibrated with this index
        (whose small-talk level applies either way: it is not configurable)."""
        return self.searcher.index.thresholds.overridden(self.settings.threshold_override)

    def embedder(self) -> Embedder:
        """Gap vectors from the snapshot's encoder and centroids."""
        return searcher_embedder(self.searcher)

    def meaning(self, lang: str | None) -> Meaning | None:
        """The meaning models through the search's own encoder (its memory: one embedding)."""
        config = self.settings.handoff
        return reader(self.searcher.encoder, lang, config.models) if config.meaning else None
