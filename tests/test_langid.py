from __future__ import annotations

import pytest

from bot.language import choose_language, settle_with_kb
from bot.settings import Settings
from svar_langid import detect


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How long does it take before my parcel arrives?", "en"),
        ("Hvor lang tid tar det før pakken min kommer frem?", "nb"),
        ("Hur lång tid tar det innan mitt paket kommer fram?", "sv"),
        ("Hvor lang tid tager det, før min pakke kommer frem?", "da"),
        ("Hoe lang duurt het voordat mijn pakket aankomt?", "nl"),
        ("Jeg har ikke fått noen bekreftelse på bestillingen min", "nb"),
        ("Jeg har ikke modtaget nogen bekræftelse på min bestilling", "da"),
        ("Jag har inte fått någon orderbekräftelse", "sv"),
    ],
)
def test_detect_full_sentences(text: str, lang: str) -> None:
    assert detect(text).lang == lang


def test_detect_noise_has_no_language() -> None:
    assert detect("1234 !!!").lang is None


def test_choose_language_short_message_keeps_conversation_language() -> None:
    settings = Settings()
    assert choose_language("ok", settings, conversation_lang="da") == "da"
    assert choose_language("???", settings) == "en"
    assert (
        choose_language("Hoe lang duurt het voordat mijn pakket aankomt?", settings, "da") == "nl"
    )


def test_settle_with_kb_breaks_norwegian_danish_tie_only_when_unclear() -> None:
    settings = Settings()
    tie = "Hvor lang tid tar leveringen?"
    assert settle_with_kb(tie, settings, "da", None, "nb") == "nb"
    assert settle_with_kb(tie, settings, "da", "da", "nb") == "da"  # conversation decided
    clear = "Hvor lang tid tager det, før min pakke kommer frem?"
    assert settle_with_kb(clear, settings, "da", None, "nb") == "da"
    assert settle_with_kb(tie, settings, "da", None, "en") == "da"  # not a contender
