"""The gap list: questions the knowledge base did not answer well, grouped for editors."""

from bot.gaps.collect import GapRecord, record_gap
from bot.gaps.vectors import Embedder, searcher_embedder

__all__ = ["Embedder", "GapRecord", "record_gap", "searcher_embedder"]
