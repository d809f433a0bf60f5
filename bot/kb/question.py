"""The question inside a customer's message: without the greeting before it and
the thanks and sign-off after it.

Customers write "hei! ... takk på forhånd, mvh Kari"; those words carry no
meaning for the search, but they pull a short message's embedding towards
every other greeting. The lists are data (`words/chatter.yml`, every language
at once, since a Swede may write "hi"); the matching is linear in the
message's length, so no message can make it slow.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import yaml

CHATTER = Path(__file__).parent / "words" / "chatter.yml"
MAX_SIGNATURE_WORDS = 3  # "mvh Kari Nordmann": the name after a sign-off goes with it
CLOSING_WINDOW = 80  # sign-offs are looked for in the message's last characters only
_EDGE = re.compile(r"[\s\W_]*")  # punctuation, emoji and spaces around the words


def fold(text: str) -> str:
    """Lower case without accents, one character for each of `text`'s."""
    return "".join((unicodedata.normalize("NFKD", ch)[:1] or ch).lower()[:1] or ch for ch in text)


@cache
def _phrases(kind: str) -> tuple[str, ...]:
    document = yaml.safe_load(CHATTER.read_text(encoding="utf-8"))
    phrases = {fold(str(p)) for words in document[kind].values() for p in words}
    return tuple(sorted(phrases, key=len, reverse=True))  # longest first: "hej hej" before "hej"


def core_question(text: str) -> str:
    """`text` without leading greetings and trailing thanks or sign-offs; the
    whole text when nothing else would be left."""
    folded = fold(text)
    start = _skip_greetings(folded)
    end = _cut_closings(folded, start)
    core = text[start:end].strip()
    return core if any(ch.isalnum() for ch in core) else text.strip()


def is_greeting(text: str) -> bool:
    """The message is a greeting and nothing else ("hi", "Hejsan!", "hei hei 😊"); "hallo?"
    after a reply is someone asking whether anyone is there."""
    folded = fold(text.strip())
    if "?" in folded:
        return False
    start = _skip_greetings(folded)
    return start > 0 and not any(ch.isalnum() for ch in folded[start:])


def _skip_greetings(folded: str) -> int:
    position = _EDGE.match(folded).end()  # type: ignore[union-attr]
    for _ in range(3):  # "hei hei, god morgen!"
        phrase = next((p for p in _phrases("greetings") if _word_at(folded, position, p)), None)
        if phrase is None:
            break
        position = _EDGE.match(folded, position + len(phrase)).end()  # type: ignore[union-attr]
    return position


def _cut_closings(folded: str, start: int) -> int:
    end = len(folded.rstrip())
    for _ in range(3):  # "takk på forhånd! mvh Kari"
        cut = _closing_before(folded, start, end)
        if cut is None:
            break
        end = len(folded[:cut].rstrip(" \t\r\n.!,;:-"))
    return end


def _closing_before(folded: str, start: int, end: int) -> int | None:
    """Where a sign-off starts that only a short name follows, if one does."""
    window = max(start, end - CLOSING_WINDOW)
    for phrase in _phrases("closings"):
        at = folded.rfind(phrase, window, end)
        if at <= start or not _word_at(folded, at, phrase):
            continue
        after = folded[at + len(phrase) : end]
        words = [w for w in after.split() if any(ch.isalnum() for ch in w)]
        if "?" not in after and len(words) <= MAX_SIGNATURE_WORDS and not _has_digit(after):
            return at
    return None


def _word_at(folded: str, position: int, phrase: str) -> bool:
    """`phrase` stands at `position` as whole words."""
    if not folded.startswith(phrase, position):
        return False
    before = folded[position - 1] if position else " "
    after_at = position + len(phrase)
    after = folded[after_at] if after_at < len(folded) else " "
    return not before.isalnum() and not after.isalnum()


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
