"""Which messages are not gaps: greetings, noise and abuse teach an editor nothing."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_LETTERS = 4

# Whole messages that are greetings, thanks or small talk in the five languages.
_SMALL_TALK_WORDS = (
    "hi hello hey hallo hei heisann hej hejsa goddag god dag morn moin hoi good morning "
    "morgen godmorgen goedemorgen thanks thank you takk tack tak dank dankjewel bedankt "
    "ok okay oké yes no ja nei nej nee bye ha det då farvel doei test testing asdf lol hmm"
)
SMALL_TALK = frozenset(_SMALL_TALK_WORDS.split())
GREETING_PHRASES = (
    "good morning",
    "good evening",
    "thank you",
    "god morgen",
    "tusen takk",
    "hej då",
    "ha det",
    "goede morgen",
    "dank je",
)
# Stems of insults; a message made mostly of them is abuse, not a question.
ABUSE = (
    "fuck",
    "shit",
    "idiot",
    "stupid",
    "dritt",
    "faen",
    "jævla",
    "helvete",
    "skit",
    "jävla",
    "fan",
    "lort",
    "kraftidiot",
    "kut",
    "klote",
    "kanker",
    "tering",
)


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
