"""The knowledge base: its format, embedding backends, index and search."""

from bot.kb.format import FaqEntry, KnowledgeBase, load_kb

__all__ = ["FaqEntry", "KnowledgeBase", "load_kb"]
