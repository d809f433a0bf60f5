from __future__ import annotations

import numpy as np

from bot.kb.adapter import MIN_TOPICS, MIN_TRANSLATED_TOPICS, worth_training


def rows_for(topics: int, langs_per_topic: list[str]) -> tuple[np.ndarray, list[str]]:
    row_entry = np.repeat(np.arange(topics), len(langs_per_topic))
    return row_entry, langs_per_topic * topics


def test_an_adapter_needs_alternatives_and_translations() -> None:
    english_alternatives = rows_for(MIN_TOPICS + 5, ["en", "en", "en"])
    translations_only = rows_for(MIN_TOPICS + 5, ["en", "nb", "sv"])
    both = rows_for(MIN_TOPICS + 5, ["en", "en", "nb"])
    assert not worth_training(*english_alternatives)  # would lose the other languages
    assert not worth_training(*translations_only)  # nothing to learn paraphrase from
    assert worth_training(*both)


def test_some_translated_topics_are_enough() -> None:
    row_entry, langs = rows_for(MIN_TOPICS + 5, ["en", "en"])
    translated = MIN_TRANSLATED_TOPICS
    row_entry = np.concatenate([row_entry, np.arange(translated)])
    langs = langs + ["da"] * translated
    assert worth_training(row_entry, langs)
    assert not worth_training(row_entry[:-1], langs[:-1])


def test_always_trains_for_a_one_language_kb_and_off_never() -> None:
    row_entry, langs = rows_for(MIN_TOPICS, ["en", "en"])
    assert not worth_training(row_entry, langs)
    assert worth_training(row_entry, langs, "always")
    assert not worth_training(*rows_for(MIN_TOPICS - 1, ["en", "en"]), "always")
    assert not worth_training(*rows_for(MIN_TOPICS + 5, ["en", "en", "nb"]), "off")
