"""What a complaint is about and what the customer wants, from their own words."""

from __future__ import annotations

from bot.handoff import questions
from bot.handoff.signals import COMPLAINT, find, pattern
from bot.locale import word_groups
from bot.locale import words as words_of

# What a complaint is about, and what the customer wants: `complaint.about` and
# `complaint.wants` in locale/<lang>/signals.yml. The first listed wins a tie.
CATEGORIES = {name: pattern(words) for name, words in word_groups("complaint.about").items()}
WANTS = {name: pattern(words) for name, words in word_groups("complaint.wants").items()}
IMPERSONAL = pattern(words_of("complaint.impersonal"))
INTENT = pattern(words_of("complaint.intent"))


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


def asks_how_to_complain(text: str) -> bool:
    """Every complaint word is in a question about complaining in general ("hvor længe kan man
    reklamere i Danmark?", "how does one complain about a faulty item?") and the customer does
    not say they mean to: a question the KB's warranty entry answers, with a person offered.

    "Hvor sender jeg en reklamasjon?" asks where to send one's own complaint, and "I want to
    complain, who do I write to?" says so: both are complaints.
    """
    asked = [s for s in questions.question_sentences(text) if find(COMPLAINT, s)]
    said = len(find(COMPLAINT, text))
    in_questions = sum(len(find(COMPLAINT, s)) for s in asked)
    general = all(find(IMPERSONAL, s) for s in asked)
    return bool(asked) and said == in_questions and general and not find(INTENT, text)
