from __future__ import annotations

import random

from bot.kb.augment import chat_copies, strip_accents, typos
from bot.kb.question import fold


def test_copies_are_deterministic_and_keep_the_question() -> None:
    text = "Hvor lang er leveringstiden til Tromsø?"
    first, second = chat_copies(text, "nb"), chat_copies(text, "nb")
    assert first == second and len(first) == 2
    for copy in first:
        # Typos touch a few letters: most of the question's words survive.
        words = set(fold(text).strip("?").split())
        assert len(words & set(fold(copy).replace(".", " ").replace("?", " ").split())) >= 3


def test_copies_look_like_chat_across_many_phrasings() -> None:
    texts = [f"Can I return item number {i} if it does not fit?" for i in range(200)]
    copies = [c for t in texts for c in chat_copies(t, "en")]
    assert sum(c[:1].islower() for c in copies) > len(copies) / 3  # lower case
    assert sum(not c.endswith("?") for c in copies) > len(copies) / 3  # no question mark
    assert sum(len(c.split()) > 12 for c in copies) > len(copies) / 5  # a lead-in or greeting
    assert sum("number" not in c and "nmber" not in c for c in copies) < len(copies)


def test_an_unknown_language_borrows_english_chatter() -> None:
    assert len(chat_copies("Kuinka kauan toimitus kestää?", "fi")) == 2


def test_accents_and_typos() -> None:
    assert strip_accents("blåbær på gång, één") == "blabær pa gang, een"
    assert typos("abc", random.Random(0), rate=0.0) == "abc"
    changed = typos("the quick brown fox jumps over the lazy dog", random.Random(1), rate=0.5)
    assert changed != "the quick brown fox jumps over the lazy dog"
