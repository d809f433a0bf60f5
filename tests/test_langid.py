from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.language import PARSE_KEY, Detected, choose_language, detect_language, settle_with_kb
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


def _read(text: str) -> Detected:
    return detect_language(text, Settings())


def test_choose_language_short_message_keeps_conversation_language() -> None:
    settings = Settings()
    assert choose_language(_read("ok"), settings, conversation_lang="da") == "da"
    assert choose_language(_read("???"), settings) == "en"
    dutch = _read("Hoe lang duurt het voordat mijn pakket aankomt?")
    assert choose_language(dutch, settings, "da") == "nl"


def test_choose_language_without_a_reading_keeps_conversation_then_hint() -> None:
    settings = Settings()
    assert choose_language(Detected(), settings, "sv", "nb") == "sv"
    assert choose_language(Detected(), settings, None, "nb") == "nb"
    assert choose_language(Detected(), settings, None, "xx") == "en"


def test_settle_with_kb_breaks_norwegian_danish_tie_only_when_unclear() -> None:
    tie = _read("Hvor lang tid tar leveringen?")
    assert settle_with_kb(tie, "da", None, "nb") == "nb"
    assert settle_with_kb(tie, "da", "da", "nb") == "da"  # conversation decided
    clear = _read("Hvor lang tid tager det, før min pakke kommer frem?")
    assert settle_with_kb(clear, "da", None, "nb") == "da"
    assert settle_with_kb(tie, "da", None, "en") == "da"  # not a contender


def test_reading_from_rasa_parse_data_round_trips_and_tolerates_junk() -> None:
    read = _read("Hvor lang tid tar leveringen?")
    parse_data = {
        "text": "Hvor lang tid tar leveringen?",
        PARSE_KEY: {
            "lang": read.lang,
            "confidence": read.confidence,
            "scores": dict(read.scores),
            "clear": read.clear,
        },
    }
    assert Detected.from_parse_data(parse_data) == read
    assert Detected.from_parse_data({}) == Detected()
    assert Detected.from_parse_data({PARSE_KEY: {"confidence": "high"}}) == Detected()
    assert Detected.from_parse_data({PARSE_KEY: {"clear": "yes", "lang": "nb"}}).clear is False


def test_offline_readings_call_a_language_clear_where_the_rasa_side_does() -> None:
    """`bot eval` reads languages itself: with config.yml's threshold, not another one."""
    config = yaml.safe_load((Path(__file__).parent.parent / "config.yml").read_text())
    extractor = next(c for c in config["pipeline"] if c["name"].endswith("LanguageEntityExtractor"))
    assert extractor.get("min_confidence", 0.6) == Settings().language_confidence
