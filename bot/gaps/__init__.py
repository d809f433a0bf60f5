"""The gap list: questions the knowledge base did not answer well."""

from bot.gaps.collect import GapRecord, record_gap

__all__ = ["GapRecord", "record_gap"]
