"""Which messages are not gaps: greetings, noise and abuse teach an editor nothing."""

from __future__ import annotations

import re
import unicodedata

from bot.locale import swear_words
from bot.locale import words as listed_words

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_LETTERS = 4

# Whole messages that are greetings, thanks or small talk, in every language
# (`noise` in locale/<lang>/signals.yml).
SMALL_TALK = frozenset(listed_words("noise.small_talk"))
GREETING_PHRASES = tuple(listed_words("noise.greetings"))
# Stems of insults (swear words marked `abuse`); a message made mostly of them is abuse,
# not a question.
ABUSE = tuple(dict.fromkeys(word.rstrip("*") for word in swear_words("abuse")))


def is_gap_worthy(text: str) -> bool:
    """True when `text` reads like a question an editor could answer."""
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    words = _WORD.findall(folded)
    letters = sum(ch.isalpha() for ch in folded)
    if letters < MIN_LETTERS or not words:
        return False
    joined = " ".join(words)
    if joined in GREETING_PHRASES or all(w in SMALL_TALK for w in words):
        return False
    abusive = sum(any(w.startswith(stem) for stem in ABUSE) for w in words)
    if abusive and abusive * 3 >= len(words):
        return False
    return not _is_keyboard_mash(words)


def _is_keyboard_mash(words: list[str]) -> bool:
    """One long vowel-less or repeating token ("sdfghjkl", "aaaaaa")."""
    if len(words) != 1 or len(words[0]) < 6:
        return False
    word = words[0]
    vowels = sum(ch in "aeiouyæøåäöéè" for ch in word)
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    on_one_row = any(sum(ch in row for ch in word) >= len(word) - 1 for row in rows)
    return vowels / len(word) < 0.2 or len(set(word)) <= 2 or on_one_row
