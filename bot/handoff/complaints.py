"""What a complaint is about and what the customer wants, from their own words."""

from __future__ import annotations

from bot.handoff.signals import find, pattern
from bot.locale import word_groups

# What a complaint is about, and what the customer wants: `complaint.about` and
# `complaint.wants` in locale/<lang>/signals.yml. The first listed wins a tie.
CATEGORIES = {name: pattern(words) for name, words in word_groups("complaint.about").items()}
WANTS = {name: pattern(words) for name, words in word_groups("complaint.wants").items()}


def category(text: str) -> str:
    """What the complaint is about: the category with the most word hits, "other" when none."""
    best, hits = "other", 0
    for name, words in CATEGORIES.items():
        count = len(find(words, text))
        if count > hits:
            best, hits = name, count
    return best


def wants(text: str) -> str | None:
    """What the customer wants (a refund, an apology...): the first listed match, or None."""
    for name, words in WANTS.items():
        if find(words, text):
            return name
    return None
