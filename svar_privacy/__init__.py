"""Masking of personal data in customers' words, where the text arrives.

Both processes use it: the Rasa server masks every customer message before its
tracker store keeps it, and the bot service masks again whatever reaches its
database another way. That is why it imports only the standard library and
python-stdnum (pinned in both lock files) and lives in neither `bot/` nor the
Rasa-side package.

    >>> mask("fødselsnummeret mitt er 010170 12345, ring 912 34 567").text
    'fødselsnummeret mitt er [fødselsnummer], ring [phone]'

Names and street addresses are not recognized: that needs a language model this
project cannot ship offline. A recognizer for them is one more object with a
`find(text) -> list[Span]` method, added to `Masker(recognizers)`.
"""

from __future__ import annotations

from functools import lru_cache

from svar_privacy.ids import log_id
from svar_privacy.masker import PLACEHOLDERS, Finding, Masked, Masker, Recognizer, Span
from svar_privacy.recognizers import default_recognizers

__all__ = [
    "PLACEHOLDERS",
    "Finding",
    "Masked",
    "Masker",
    "Recognizer",
    "Span",
    "default_masker",
    "log_id",
    "mask",
    "mask_text",
]


@lru_cache(maxsize=1)
def default_masker() -> Masker:
    """The masker with every bundled recognizer, built once per process."""
    return Masker(list(default_recognizers()))


def mask(text: str) -> Masked:
    """The text with personal data replaced by typed placeholders, and what was found."""
    return default_masker().mask(text)


def mask_text(text: str) -> str:
    """The text with its personal data replaced by placeholders; for logs and stores that need only
    the text.
    """
    return default_masker().mask(text).text
