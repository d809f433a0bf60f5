"""Which language to answer in, for one customer turn.

The message's language is read once, on the Rasa side
(`svar_rasa.components.LanguageEntityExtractor`), and travels to the bot service
in the tracker's parse data as `language_detection`. The bot service chooses
from that reading, the conversation's language and the channel's hint; it
detects a language itself only where no Rasa stands in front of it (`bot eval`,
`bot handoff eval`, the benchmarks), through `detect_language`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.settings import Settings
from svar_langid import detect

# The parse-data key the Rasa side writes (svar_rasa/components.py).
PARSE_KEY = "language_detection"


@dataclass(frozen=True)
class Detected:
    """One message's language as read once: the best guess, whether it is clear, all scores."""

    lang: str | None = None
    confidence: float = 0.0
    scores: Mapping[str, float] = field(default_factory=dict)
    clear: bool = False

    @classmethod
    def from_parse_data(cls, data: Any) -> Detected:
        """The reading Rasa put in a message's parse data; nothing read when absent or malformed."""
        found = data.get(PARSE_KEY) if isinstance(data, Mapping) else None
        if not isinstance(found, Mapping):
            return cls()
        lang = found.get("lang")
        scores = found.get("scores")
        try:
            return cls(
                lang=lang if isinstance(lang, str) else None,
                confidence=float(found.get("confidence") or 0.0),
                scores=(
                    {str(k): float(v) for k, v in scores.items()}
                    if isinstance(scores, Mapping)
                    else {}
                ),
                clear=found.get("clear") is True,
            )
        except (TypeError, ValueError):
            return cls()


def detect_language(text: str, settings: Settings) -> Detected:
    """Read a message's language here, for the paths that do not come through Rasa."""
    detection = detect(text, list(settings.languages))
    return Detected(
        detection.lang,
        detection.confidence,
        detection.scores,
        detection.lang is not None and detection.confidence >= settings.language_confidence,
    )


def choose_language(
    detected: Detected,
    settings: Settings,
    conversation_lang: str | None = None,
    hint: str | None = None,
) -> str:
    """The message's language when it is clear, else the conversation's, else the hint.

    Short messages ("ok", "retur?") cannot be told apart between Norwegian and
    Danish, so a conversation keeps its language until a message clearly
    says otherwise. `hint` is what the channel knows (e.g. the widget's page
    language).
    """
    if detected.clear and detected.lang in settings.languages:
        return detected.lang
    for lang in (conversation_lang, hint, detected.lang):
        if lang in settings.languages:
            return lang
    return settings.default_language


def settle_with_kb(
    detected: Detected, chosen: str, conversation_lang: str | None, kb_lang: str | None
) -> str:
    """Break a near tie (typically Norwegian against Danish) with the language of
    the KB phrasing the question matched best.

    Only when the message itself was unclear and the conversation has no
    language yet: "Hvor lang tid tar leveringen?" is as Danish as it is
    Norwegian to a character model, but it matches the Norwegian phrasing.
    """
    if conversation_lang or kb_lang is None or kb_lang == chosen or detected.clear:
        return chosen
    return kb_lang if detected.scores.get(kb_lang, 0.0) >= 0.2 else chosen
