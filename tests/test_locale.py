"""The language resources: every language complete, every copy up to date, one list of languages."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import locale
from bot.handoff import complaints
from bot.settings import LANGUAGES
from scripts.gen_locale import RESPONSES, WIDGET, responses_yml, widget_js
from svar_langid import supported_languages
from svar_rasa import locale as rasa_locale
from tests.conftest import ROOT

OTHERS = [lang for lang in locale.languages() if lang != locale.FALLBACK]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def shape(node: Any) -> Any:
    """The keys of a signals file, with every list reduced to 'a list'."""
    if isinstance(node, dict):
        return {key: shape(value) for key, value in node.items()}
    return type(node).__name__


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogue_has_every_key_of_english_with_the_same_placeholders(lang: str) -> None:
    english, other = locale.catalogue("en"), locale.catalogue(lang)
    assert list(other) == list(english)
    for name, sentences in english.items():
        assert set(other[name]) == set(sentences), f"{lang}: {name} keys differ"
        for key, text in sentences.items():
            found = other[name][key]
            assert isinstance(found, str) and found.strip(), f"{lang}: {name}.{key} is empty"
            assert placeholders(found) == placeholders(text), f"{lang}: {name}.{key}"


@pytest.mark.parametrize("lang", OTHERS)
def test_signal_words_have_every_list_of_english(lang: str) -> None:
    english, other = locale.signal_words("en"), locale.signal_words(lang)
    english_lists = {k: v for k, v in shape(english).items() if k != "swearing"}
    assert {k: v for k, v in shape(other).items() if k != "swearing"} == english_lists
    for section in ("frustration", "complaint", "account", "request"):
        for path, words in _lists(other[section], section):
            assert words, f"{lang}: {path} is empty"
    assert other["swearing"], f"{lang}: no swear words"


def _lists(node: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _lists(value, f"{path}.{key}")]
    return [(path, node)]


def test_swear_words_are_marked_for_frustration_or_abuse_only() -> None:
    for lang in locale.languages():
        for word, uses in locale.signal_words(lang)["swearing"].items():
            assert uses and set(uses) <= {"frustration", "abuse"}, f"{lang}: {word}"


def test_generated_rasa_responses_and_widget_texts_are_up_to_date() -> None:
    assert RESPONSES.read_text(encoding="utf-8") == responses_yml(), "run scripts/gen_locale.py"
    current = WIDGET.read_text(encoding="utf-8")
    assert current == widget_js(current), "run scripts/gen_locale.py"


def test_every_list_of_supported_languages_is_the_catalogues() -> None:
    langs = set(locale.languages())
    assert set(LANGUAGES) == langs
    assert set(rasa_locale.languages()) == langs
    assert set(supported_languages()) == langs
    slot = yaml.safe_load((ROOT / "domain" / "core.yml").read_text(encoding="utf-8"))
    assert set(slot["slots"]["language"]["values"]) == langs
    assert {path.stem for path in (ROOT / "data" / "nlu").glob("*.yml")} == langs
    widget = re.findall(r"^    ([a-z]{2}): \{", WIDGET.read_text(encoding="utf-8"), re.M)
    assert set(widget) == langs


def test_rasa_side_reads_the_same_sentences_as_the_bot_service() -> None:
    for lang in locale.languages():
        assert rasa_locale.sentences(lang) == locale.catalogue(lang)["rasa"]
    assert rasa_locale.say("choose", "nb") == "Velg"
    assert rasa_locale.say("choose", "xx") == "Choose"
    assert "2000" in rasa_locale.say("too_long", None, limit=2000)


def test_locale_dir_is_not_a_python_package() -> None:
    # `locale` is also a standard-library module: the data folder must never shadow it.
    assert not (ROOT / "locale" / "__init__.py").exists()
    assert Path(__import__("locale").__file__ or "").name == "locale.py"


@pytest.mark.parametrize(
    ("text", "about", "wants"),
    [
        ("The parcel came late and I want a refund", "delivery", "refund"),
        ("Pakken kom for sent, og jeg vil ha pengene tilbake", "delivery", "refund"),
        ("Paketti tuli myöhässä ja haluan rahat takaisin", "delivery", "refund"),
        ("Takki oli rikki, haluan korvaavan tuotteen", "product", "replacement"),
    ],
)
def test_complaint_words_of_every_language_say_what_it_is_about(
    text: str, about: str, wants: str
) -> None:
    assert complaints.category(text) == about
    assert complaints.wants(text) == wants
