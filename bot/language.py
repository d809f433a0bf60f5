"""Which language to answer in, for one customer turn."""

from __future__ import annotations

from bot.settings import Settings
from svar_langid import detect


def choose_language(
    text: str, settings: Settings, conversation_lang: str | None = None, hint: str | None = None
) -> str:
    """The message's language when it is clear, else the conversation's, else the hint.

    Short messages ("ok", "retur?") cannot be told apart between Norwegian and
    Danish, so a conversation keeps its language until a message clearly
    says otherwise. `hint` is what the channel knows (e.g. the widget's page
    language).
    """
    detection = detect(text, list(settings.languages))
    if detection.lang is not None and detection.confidence >= settings.language_confidence:
        return detection.lang
    for lang in (conversation_lang, hint, detection.lang):
        if lang in settings.languages:
            return lang
    return settings.default_language


def settle_with_kb(
    text: str, settings: Settings, chosen: str, conversation_lang: str | None, kb_lang: str | None
) -> str:
    """Break a near tie (typically Norwegian against Danish) with the language of
    the KB phrasing the question matched best.

    Only when the message itself was unclear and the conversation has no
    language yet: "Hvor lang tid tar leveringen?" is as Danish as it is
    Norwegian to a character model, but it matches the Norwegian phrasing.
    """
    if conversation_lang or kb_lang is None or kb_lang == chosen:
        return chosen
    detection = detect(text, list(settings.languages))
    if detection.confidence >= settings.language_confidence:
        return chosen
    return kb_lang if detection.scores.get(kb_lang, 0.0) >= 0.2 else chosen
