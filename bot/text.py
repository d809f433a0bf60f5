"""Text keys shared by the features (the gap list, notices): kept below them all."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(question: str) -> str:
    """Case-, accent-spacing- and punctuation-insensitive key for exact repeats."""
    text = unicodedata.normalize("NFC", question).casefold()
    return _NON_WORD.sub(" ", text).strip()[:500]
